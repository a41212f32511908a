import type { SQSEvent } from 'aws-lambda';
import { handler, logger } from '../examples/queue-consumer';
import { parseCallback, type CallbackEvent } from '../lib';
import { loadEvent, sampleBody } from './support/fixtures';
import { captureOutput, jsonLines } from './support/output';

/** The consumer's real Powertools log lines (no mock of the logger): what CloudWatch would hold. */
async function logLinesOf(event: SQSEvent): Promise<Array<Record<string, unknown>>> {
  const { lines } = await captureOutput(() => handler(event), 'INFO', logger);
  return jsonLines(lines);
}

const record = (body: string) => ({ messageId: 'm1', body }) as SQSEvent['Records'][number];

test("a failed job's message reaches its log line (Powertools drops a custom key named message)", async () => {
  const [event] = parseCallback(sampleBody('task-watermark-xml'), loadEvent('task-watermark-xml').headers?.['content-type']) as CallbackEvent[];
  const failed = { ...event, data: { ...event.data, state: 'Failed', code: 'InternalError', message: 'the watermark could not be read' } };
  const lines = await logLinesOf({ Records: [record(JSON.stringify(failed))] });
  const line = lines.find((l) => l.jobId === event.subject);
  expect(line).toMatchObject({ level: 'WARN', message: `job ${event.subject} Failed`, code: 'InternalError', jobMessage: 'the watermark could not be read' });
  expect(lines.filter((l) => String(l.message).includes('reserved key'))).toEqual([]);
});
