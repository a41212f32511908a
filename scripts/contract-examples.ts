import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { parseCallback } from '../lib/parse-callback';

/** README blocks that show the event a sample produces: `<!-- example: events/x.json -->` then a JSON block. */
export const README_EXAMPLE = /(<!-- example: ([\w./-]+) -->\n```json\n)([\s\S]*?)(\n```)/g;

/** The SQS event the example consumer runs on: one message per sample, named by its messageId. */
export const SQS_FIXTURE = 'examples/sqs-event.json';

/** The first event a Function URL event file (events/…) produces. */
export function eventOfSampleFile(root: string, path: string): unknown {
  const request = JSON.parse(readFileSync(join(root, path), 'utf8')) as APIGatewayProxyEventV2;
  const body = request.isBase64Encoded ? Buffer.from(request.body ?? '', 'base64') : (request.body ?? '');
  return parseCallback(body, request.headers?.['content-type'], request.headers?.['x-ci-content-version'])[0];
}

/**
 * The README with every example block replaced by what its sample produces now, so that the
 * contract section shows every field of the current version (`npm run examples`).
 */
export function renderReadmeExamples(readme: string, root: string): string {
  return readme.replace(README_EXAMPLE, (_, open: string, path: string, _json: string, close: string) =>
    open + JSON.stringify(eventOfSampleFile(root, path), null, 2) + close,
  );
}

/** examples/sqs-event.json with each message body replaced by the event its sample (messageId) produces now. */
export function renderSqsFixture(fixture: string, root: string): string {
  const event = JSON.parse(fixture) as { Records: Array<{ messageId: string; body: string }> };
  for (const record of event.Records) record.body = JSON.stringify(eventOfSampleFile(root, `events/${record.messageId}.json`));
  return JSON.stringify(event, null, 2) + '\n';
}
