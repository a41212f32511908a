// An example downstream consumer: an SQS-triggered Lambda that reads the receiver's queue
// (CALLBACK_SINKS=sqs: one CloudEvent JSON per message) and logs each job's, workflow
// run's and moderation result. Deployed only with --param="consumer=true" (examples/queue-consumer.yml).
//
// It shows the consumer's side of the contract: validate against the JSON Schema, narrow
// with the type guards, report the messages that failed (ReportBatchItemFailures) so that
// only those come back, and eventually go to the dead-letter queue. SQS delivers at least
// once: a consumer that writes somewhere deduplicates on `event.id`.
//
// Tolerant by design, so that the contract can grow without breaking it (CHANGELOG.md): the
// schema's objects are open (a field added by a later minor version validates), fields added
// since 1.0 are read as optional (events written before lack them), an event type it does not
// know is skipped, and only an event of another major version (`dataschema`) is refused.
import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
// A consumer project adds ajv as a dependency; here it comes with the template's dev tools.
import Ajv from 'ajv';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parsePointerBody, PAYLOAD_SIZE_ATTRIBUTE } from '../lib/claim-check';
import {
  CALLBACK_EVENT_SCHEMA,
  isJobFinished,
  isModerationResult,
  isWorkflowFinished,
  JOB_FINISHED,
  MODERATION_RESULT,
  WORKFLOW_FINISHED,
  type CallbackEvent,
} from '../lib';
import schema from '../schema/callback-event.schema.json';

export const logger = new Logger({ serviceName: 'ci-callback-consumer' });

const validate = new Ajv({ allErrors: true }).compile<CallbackEvent>(schema);
const KNOWN_TYPES: ReadonlySet<unknown> = new Set([JOB_FINISHED, WORKFLOW_FINISHED, MODERATION_RESULT]);

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchItemFailure[] = [];
  for (const record of event.Records) {
    try {
      consume(record, await claimedBody(record));
    } catch (err) {
      logger.error('message not consumed; SQS will deliver it again', { messageId: record.messageId, reason: (err as Error).message });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

function consume(record: SQSRecord, body: string): void {
  const message = parseCloudEvent(body);
  // A type added to the contract later is not this consumer's business: skip it, do not fail it.
  if (!KNOWN_TYPES.has(message.type)) {
    logger.info('skipped: not an event type this consumer reads', { messageId: record.messageId, type: message.type });
    return;
  }
  // Absent before contract 1.1.0; another major version renames or removes fields this consumer reads.
  if (message.dataschema !== undefined && message.dataschema !== CALLBACK_EVENT_SCHEMA) {
    throw new Error(`written for contract ${String(message.dataschema)}; this consumer reads ${CALLBACK_EVENT_SCHEMA}`);
  }
  if (!validate(message)) {
    const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new Error(`not a valid ${message.type} event: ${errors}`);
  }
  logResult(message);
}

function logResult(event: CallbackEvent): void {
  if (isJobFinished(event)) {
    const { jobId, tag, state, code, message, input, endTime, outputs } = event.data;
    // `message` is Powertools' own key (the log line's text): CI's Message is logged as jobMessage.
    logger[levelOf(state)](`job ${jobId} ${state}`, {
      eventId: event.id,
      jobId,
      tag,
      state,
      code,
      jobMessage: message,
      object: input?.object,
      outputs: outputs?.map((o) => o.key),
      endTime,
    });
  } else if (isWorkflowFinished(event)) {
    const { runId, workflowName, state, object, tasks } = event.data;
    const taskStates = tasks.map((t) => `${t.type}:${t.state}`);
    logger[levelOf(state)](`workflow run ${runId} ${state}`, { eventId: event.id, runId, workflowName, state, object, tasks: taskStates });
  } else if (isModerationResult(event)) {
    const { jobId, kind, verdict, label, state, bucketId, object, url } = event.data;
    // A blocked or doubtful object is what a moderation consumer acts on.
    const level = verdict === 'pass' ? 'info' : 'warn';
    logger[level](`moderation ${jobId} ${kind ?? 'unknown'} ${verdict ?? state}`, { eventId: event.id, jobId, kind, verdict, label, state, bucketId, object: object ?? url });
  }
}

/**
 * An event too large for SQS arrives as a claim check (the SQS Extended Client's pointer body
 * and `ExtendedPayloadSize` attribute): the event is read from the archive bucket, which needs
 * s3:GetObject on `<bucket>/claim-checks/*`. Any other message's body is the event itself.
 */
async function claimedBody(record: SQSRecord): Promise<string> {
  if (!record.messageAttributes?.[PAYLOAD_SIZE_ATTRIBUTE]) return record.body;
  const pointer = parsePointerBody(record.body);
  if (!pointer) throw new Error(`the message has ${PAYLOAD_SIZE_ATTRIBUTE} but its body is not a claim check`);
  s3 ??= new S3Client({});
  const object = await s3.send(new GetObjectCommand({ Bucket: pointer.bucket, Key: pointer.key }));
  return (await object.Body?.transformToString('utf8')) ?? '';
}
let s3: S3Client | undefined;

const levelOf = (state: string | null) => (state === 'Success' ? 'info' : 'warn');

function parseCloudEvent(body: string): { specversion: string; type: string; dataschema?: unknown } {
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch {
    throw new Error('the message body is not JSON');
  }
  const { specversion, type } = (message ?? {}) as Record<string, unknown>;
  if (typeof specversion !== 'string' || typeof type !== 'string') throw new Error('the message body is not a CloudEvent');
  return message as { specversion: string; type: string; dataschema?: unknown };
}
