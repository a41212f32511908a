import { AWS_CLIENT_OPTIONS } from '../aws-client-options';
import type { ReceiverConfig } from '../config';
import type { ClaimCheckStore } from '../claim-check';
import { s3ClientSource, type S3ClientSource } from '../s3-client';
import { misconfigured } from '../errors';
import { FileSink } from './file-sink';
import { LogSink } from './log-sink';
import type { EventSink } from './sink';

/** `claimChecks` gives the one claim-check store of the container (null without a bucket). */
type SinkFactory = (config: ReceiverConfig, claimChecks: () => ClaimCheckStore | null) => EventSink;

/**
 * The one place where adapters are chosen. The AWS SDK and pg adapters are required inside
 * their factory, so an unconfigured adapter is never loaded; and a deployed bundle does not
 * even contain the adapters its stage leaves out (RECEIVER_BUNDLE_*, defined at build time
 * by deploy/stack.js: merely parsing all three SDKs costs more than the rest of a cold start).
 * Each factory creates its client once; createSinks runs once per container.
 */
const FACTORIES: Record<string, SinkFactory> = {
  file: (config) => new FileSink(config.file),
  log: () => new LogSink(),
  sqs: process.env.RECEIVER_BUNDLE_SQS === 'false' ? leftOutOfBuild('sqs') : (config, claimChecks) => {
    const queueUrl = required(config.sqsQueueUrl, 'sqs', 'SQS_QUEUE_URL');
    const { SQSClient } = require('@aws-sdk/client-sqs') as typeof import('@aws-sdk/client-sqs');
    const { SqsSink } = require('./sqs-sink') as typeof import('./sqs-sink');
    // The endpoint (the function's region, or AWS_ENDPOINT_URL_SQS) is where requests go;
    // the queue URL only names the queue, and is never parsed.
    return new SqsSink(new SQSClient({ ...AWS_CLIENT_OPTIONS, useQueueUrlAsEndpoint: false }), queueUrl, claimChecks());
  },
  dynamodb: process.env.RECEIVER_BUNDLE_DYNAMODB === 'false' ? leftOutOfBuild('dynamodb') : (config, claimChecks) => {
    const table = required(config.dynamodbTable, 'dynamodb', 'DYNAMODB_TABLE');
    const { DynamoDBClient } = require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
    const { DynamoDbSink } = require('./dynamodb-sink') as typeof import('./dynamodb-sink');
    return new DynamoDbSink(new DynamoDBClient(AWS_CLIENT_OPTIONS), table, claimChecks());
  },
  postgres: process.env.RECEIVER_BUNDLE_POSTGRES === 'false' ? leftOutOfBuild('postgres') : (config) => {
    const url = required(config.databaseUrl, 'postgres', 'DATABASE_URL');
    const { PostgresSink, createPool } = require('./postgres-sink') as typeof import('./postgres-sink');
    return new PostgresSink(createPool(url));
  },
};

const KNOWN_SINKS = Object.keys(FACTORIES);

/** Builds the adapters named in CALLBACK_SINKS, in order; an unknown name is a configuration error. */
export function createSinks(config: ReceiverConfig, s3 = s3ClientSource?.()): EventSink[] {
  // Deployed, there is no default: answering 200 for events that go nowhere would lose them.
  if (config.sinks.length === 0) throw misconfigured('CALLBACK_SINKS names no sink; deployed, choose them (e.g. sqs,dynamodb)');
  let claimChecks: ClaimCheckStore | null | undefined;
  const sharedClaimChecks = () => (claimChecks === undefined ? (claimChecks = claimCheckStore(config, s3)) : claimChecks);
  return config.sinks.map((name) => {
    const factory = FACTORIES[name];
    if (!factory) throw misconfigured(`CALLBACK_SINKS names an unknown sink "${name}"; known: ${KNOWN_SINKS.join(', ')}`);
    return factory(config, sharedClaimChecks);
  });
}

/**
 * Where events too large for a sink go (lib/claim-check): the archive bucket, when there is
 * one, through the container's one S3 client; without it such an event is left out and named
 * in the answer.
 */
function claimCheckStore(config: ReceiverConfig, s3: S3ClientSource | undefined): ClaimCheckStore | null {
  return config.archiveBucket && s3 && s3ClaimCheckStore ? s3ClaimCheckStore(s3, config.archiveBucket) : null;
}

// Like the S3 archive, a build for a stage without a bucket does not contain the S3 store.
const s3ClaimCheckStore =
  process.env.RECEIVER_BUNDLE_S3 === 'false'
    ? undefined
    : (s3: S3ClientSource, bucket: string): ClaimCheckStore => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { S3ClaimCheckStore } = require('../claim-check/s3-store') as typeof import('../claim-check/s3-store');
        return new S3ClaimCheckStore(s3(), bucket);
      };

function required(value: string | null, sink: string, variable: string): string {
  if (!value) throw misconfigured(`CALLBACK_SINKS includes ${sink} but ${variable} is not set`);
  return value;
}

function leftOutOfBuild(sink: string): SinkFactory {
  return () => {
    throw misconfigured(`the ${sink} adapter is not in this build: deploy with ${sink} in the sinks param`);
  };
}
