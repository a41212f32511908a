import { archiveKey, type ArchivedRequest, type RawArchive } from './archive';

/**
 * Deployed without ARCHIVE_BUCKET and CALLBACK_ARCHIVE_DIR: Lambda's disk is read-only or
 * ephemeral, so the record goes to the function's log (CloudWatch Logs), one JSON line
 * `{"archivedRequest": …}`, written directly rather than through the leveled logger so no
 * LOG_LEVEL can drop it. `npm run replay` reads a file of such lines.
 */
export class LogArchive implements RawArchive {
  readonly name = 'log';

  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(line)) {}

  async put(record: ArchivedRequest): Promise<string> {
    const key = `log:${archiveKey(record)}`;
    this.write(JSON.stringify({ archivedRequest: record, archiveKey: key }) + '\n');
    return key;
  }
}
