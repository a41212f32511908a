import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AWS_CLIENT_OPTIONS } from '../aws-client-options';
import { isArchivedRequest, type ArchivedRequest } from '../archive/archive';
import { CLAIM_CHECK_PREFIX } from '../claim-check';

/** One archived request as read back, or why it could not be read. */
export type ArchiveEntry = { key: string; record: ArchivedRequest } | { key: string; error: string };

/**
 * Reads what the archives wrote, oldest first: a file (one record, or JSON Lines of records
 * or of the log archive's `{"archivedRequest": …}` lines), a directory (its `.json` and
 * `.jsonl` files, recursively), or `s3://bucket/prefix` (every `.json` object under the
 * prefix; a whole key is a prefix of itself).
 */
export async function* readArchive(source: string): AsyncGenerator<ArchiveEntry> {
  if (source.startsWith('s3://')) {
    yield* readS3(source);
    return;
  }
  const info = await stat(source);
  const files = info.isDirectory() ? await archiveFiles(source) : [source];
  for (const file of files) yield* entriesOf(file, await readFile(file, 'utf8'));
}

/**
 * A file holds one JSON record, or JSON Lines. Lines that are JSON but no archived request
 * (a log export's other lines) and lines that are not JSON objects at all ("START RequestId…")
 * are skipped; a line that begins like a JSON object but does not parse (a truncated record),
 * and an empty file, are reported: a record that cannot be read is never passed over silently.
 */
function entriesOf(key: string, text: string): ArchiveEntry[] {
  if (text.trim() === '') return [{ key, error: 'empty file' }];
  const whole = parseJson(text);
  if (whole !== undefined) return [entryOf(key, whole)];
  const lines = text.split('\n');
  // One line that is not JSON: a record file cut short, named as the file.
  if (lines.filter((line) => line.trim() !== '').length === 1) return [entryOf(key, undefined)];
  return lines.flatMap((line, i): ArchiveEntry[] => {
    const value = parseJson(line);
    if (value === undefined) {
      return line.trimStart().startsWith('{') ? [{ key: `${key}:${i + 1}`, error: 'not valid JSON (truncated?)' }] : [];
    }
    const record = recordIn(value);
    return record ? [{ key: `${key}:${i + 1}`, record }] : [];
  });
}

function entryOf(key: string, value: unknown): ArchiveEntry {
  if (value === undefined) return { key, error: 'not valid JSON (truncated?)' };
  const record = recordIn(value);
  return record ? { key, record } : { key, error: 'not an archived request' };
}

function recordIn(value: unknown): ArchivedRequest | undefined {
  const inner = (value as { archivedRequest?: unknown } | null)?.archivedRequest ?? value;
  return isArchivedRequest(inner) ? inner : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function archiveFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((d) => d.isFile() && /\.jsonl?$/.test(d.name))
    .map((d) => join(d.parentPath, d.name))
    .sort();
}

async function* readS3(source: string): AsyncGenerator<ArchiveEntry> {
  const [bucket, ...rest] = source.slice('s3://'.length).split('/');
  const prefix = rest.join('/');
  if (!bucket) throw new Error(`no bucket in "${source}"; expected s3://bucket/prefix`);
  const client = new S3Client(AWS_CLIENT_OPTIONS);
  try {
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      // Listed in key order, and keys begin with the receipt time.
      for (const { Key } of page.Contents ?? []) {
        // Claim-check payloads share the bucket: they are events, not archived requests.
        if (Key?.endsWith('.json') && !Key.startsWith(CLAIM_CHECK_PREFIX)) yield await readS3Object(client, bucket, Key);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } finally {
    // Its keep-alive sockets would outlive the replay.
    client.destroy();
  }
}

async function readS3Object(client: S3Client, bucket: string, key: string): Promise<ArchiveEntry> {
  const location = `s3://${bucket}/${key}`;
  let text: string;
  try {
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    text = (await object.Body?.transformToString('utf8')) ?? '';
  } catch (err) {
    return { key: location, error: `could not be read: ${(err as Error).name}: ${(err as Error).message}` };
  }
  return text.trim() === '' ? { key: location, error: 'empty object' } : entryOf(location, parseJson(text));
}
