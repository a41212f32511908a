import { archiveKey, type ArchivedRequest, type RawArchive } from './archive';

/**
 * CloudWatch Logs has long capped one log event at 256 KiB (newer accounts take more): a longer
 * line may arrive cut, so it is not counted on as the only copy of a body.
 */
export const MAX_LOG_LINE_BYTES = 256 * 1024;

/**
 * The record as one JSON line `{"archivedRequest": …, "archiveKey": "log:…"}` on stdout: the
 * function's log (CloudWatch Logs), written directly rather than through the leveled logger so
 * no LOG_LEVEL can drop it. `npm run replay` reads a file of such lines. It is the archive when
 * deployed without ARCHIVE_BUCKET and CALLBACK_ARCHIVE_DIR (Lambda's disk is read-only or
 * ephemeral), the fallback when another archive fails, and, with CALLBACK_ARCHIVE=unforwarded,
 * the always-on copy of every request.
 */
export class LogArchive implements RawArchive {
  readonly name = 'log';

  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(line)) {}

  async put(record: ArchivedRequest): Promise<string> {
    return this.writeLine(this.line(record));
  }

  /** The line for a record, before it is written: its size decides whether the log may be the only copy. */
  line(record: ArchivedRequest): { key: string; text: string } {
    const key = `log:${archiveKey(record)}`;
    return { key, text: JSON.stringify({ archivedRequest: record, archiveKey: key }) + '\n' };
  }

  /** Written synchronously: when this returns, the line is in the log. */
  writeLine(line: { key: string; text: string }): string {
    this.write(line.text);
    return line.key;
  }
}
