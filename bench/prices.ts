/**
 * Public AWS list prices, us-east-1, the only place the bench keeps them. Recorded 2026-12-01
 * from AWS's pricing pages as the author knew them (the bench machine has no network to fetch
 * them): check https://aws.amazon.com/lambda/pricing/ and the S3, SQS, DynamoDB and CloudWatch
 * pages before quoting a figure. Free tiers are left out: the table is for volume.
 */
export const PRICES = {
  recorded: '2026-12-01',
  region: 'us-east-1',
  /** Lambda, per GB-second of billed duration (billed per 1 ms), by architecture. */
  lambdaPerGbSecond: { arm64: 0.0000133334, x86_64: 0.0000166667 } as Record<string, number>,
  /** Lambda, per request (Function URLs add nothing). */
  lambdaPerRequest: 0.2 / 1e6,
  /** S3 Standard PUT, COPY, POST, LIST: $0.005 per 1,000. */
  s3PerPut: 0.005 / 1000,
  /** SQS FIFO, per request; every 64 KB of a request's payload counts as one request. */
  sqsFifoPerRequest: 0.5 / 1e6,
  /** DynamoDB on-demand, per write request unit (1 KB of item, for the table and again for each index it lands in). */
  dynamodbPerWriteUnit: 0.625 / 1e6,
  /** CloudWatch Logs standard ingestion, per GB (the function log: summary, metrics, archived lines). */
  logsPerGb: 0.5,
} as const;
