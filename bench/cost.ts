import { PRICES } from './prices';
import type { RoundTripRow } from './round-trip';

export interface CostLine {
  component: string;
  /** Dollars per million callbacks. */
  perMillion: number;
  basis: string;
}

/**
 * A million one-job callbacks, by component, from the round-trip figures: billed duration is the
 * measured wall time (the delay model stands for AWS's latency) at the configured memory and
 * architecture; the calls are those the proxies counted; the log bytes those written to stdout.
 */
export function costPerMillion(row: RoundTripRow, setup: { memorySizeMb: number; architecture: string; eventBytes: number }): CostLine[] {
  const million = 1e6;
  const gbSeconds = (Math.ceil(row.ms) / 1000) * (setup.memorySizeMb / 1024);
  // The item holds the event JSON and its indexed attributes again; a job event lands in byJobId too.
  const itemKb = Math.ceil((setup.eventBytes * 1.2) / 1024);
  const writeUnits = row.calls.dynamodb * itemKb * 2;
  const sqsRequests = row.calls.sqs * Math.max(1, Math.ceil(setup.eventBytes / (64 * 1024)));
  const lines: CostLine[] = [
    { component: 'Lambda duration', perMillion: gbSeconds * PRICES.lambdaPerGbSecond[setup.architecture] * million, basis: `${Math.ceil(row.ms)} ms × ${setup.memorySizeMb} MB ${setup.architecture}` },
    { component: 'Lambda requests', perMillion: PRICES.lambdaPerRequest * million, basis: '1 request' },
    { component: 'S3 PUT (archive)', perMillion: row.calls.s3 * PRICES.s3PerPut * million, basis: `${row.calls.s3} PUT` },
    { component: 'SQS FIFO', perMillion: sqsRequests * PRICES.sqsFifoPerRequest * million, basis: `${sqsRequests} request` },
    { component: 'DynamoDB writes', perMillion: writeUnits * PRICES.dynamodbPerWriteUnit * million, basis: `${writeUnits} WRU (table + byJobId, ${itemKb} KB item)` },
    { component: 'CloudWatch Logs', perMillion: (row.logBytes / 1024 ** 3) * PRICES.logsPerGb * million, basis: `${row.logBytes} B of log lines` },
  ];
  return [...lines, { component: 'total', perMillion: lines.reduce((sum, l) => sum + l.perMillion, 0), basis: `us-east-1 list prices recorded ${PRICES.recorded}` }];
}
