import { Buffer } from 'node:buffer';
import type { ArchivedRequest, RawArchive } from './archive';
import { LogArchive, MAX_LOG_LINE_BYTES } from './log-archive';

/**
 * CALLBACK_ARCHIVE: which requests the archive (S3, directory) gets.
 * - `always`: every authenticated request, written while the events are forwarded;
 * - `unforwarded`: the function log gets every request first (one `{"archivedRequest": …}` line),
 *   the archive only those whose events were not all stored (refused, a sink or CI failed, the
 *   budget ran out) and those too large for one log line. An S3 PUT costs more than the Lambda
 *   call that makes it (bench/README.md).
 */
export type ArchivePolicy = 'always' | 'unforwarded';

/** Where the raw request ended up. */
export interface KeptRequest {
  /** The archive's key, or the function log's `log:…` key. */
  key: string;
  /** The archive failed: the function log holds the record instead. */
  archiveError?: unknown;
}

/**
 * Keeps one request's raw record as the policy asks. `begin` runs before the body is parsed,
 * `settle` once it is known whether every sink stored the events; `keepInLog` is the last
 * resort when the request's time budget runs out while the archive has not answered.
 */
export class RequestKeeper {
  private archiving: Promise<KeptRequest> | undefined;
  private loggedAs: string | undefined;

  constructor(
    private readonly archive: RawArchive,
    private readonly policy: ArchivePolicy,
    private readonly record: ArchivedRequest,
    private readonly log = new LogArchive(),
  ) {}

  /** `always`: starts the archive write; `unforwarded`: the log line now, the archive only for a line too long. */
  begin(): void {
    if (this.policy === 'always' || this.archive.name === 'log') {
      this.archiving = this.put();
      return;
    }
    const line = this.log.line(this.record);
    if (Buffer.byteLength(line.text) > MAX_LOG_LINE_BYTES) this.archiving = this.put();
    else this.loggedAs = this.log.writeLine(line);
  }

  /** Resolves once the record is where the policy wants it for this outcome; never rejects. */
  settle(forwarded: boolean): Promise<KeptRequest> {
    if (this.archiving) return this.archiving;
    if (!forwarded) return (this.archiving = this.put());
    return Promise.resolve({ key: this.loggedAs as string });
  }

  /** Makes sure the function log holds the record (once); returns its key there. */
  keepInLog(): string {
    this.loggedAs ??= this.log.writeLine(this.log.line(this.record));
    return this.loggedAs;
  }

  /** The archive write; when it fails the function log keeps the record, as it always has. */
  private put(): Promise<KeptRequest> {
    return this.archive.put(this.record).then(
      (key) => ({ key }),
      (archiveError: unknown) => ({ key: this.keepInLog(), archiveError }),
    );
  }
}
