import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { manyJobs } from './support/callbacks';
import { loadEvent, urlEvent } from './support/fixtures';
import { testReceiver } from './support/receiver';
import { mountTinyFs, unmountTinyFs } from './support/tiny-fs';

const filesUnder = (dir: string) =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));

/** A 16 KiB tmpfs as CALLBACK_ARCHIVE_DIR: an archive write that fills it. Needs root to mount; skipped elsewhere. */
const tinyFs = mountTinyFs('16k');
(tinyFs ? describe : describe.skip)('the file archive on a full disk', () => {
  afterAll(() => unmountTinyFs(tinyFs));

  test('a record that does not fit leaves no truncated file; the stored callback is answered 200, its record in the function log', async () => {
    const dir = join(tinyFs as string, 'raw');
    const receiver = testReceiver({ CALLBACK_ARCHIVE_DIR: dir });
    expect((await receiver.handler(loadEvent('workflow-xml'))).statusCode).toBe(200);
    const written = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const res = await receiver.handler(urlEvent(manyJobs('task-watermark-xml', 40)));
      expect(res.statusCode).toBe(200);
      expect(written.mock.calls.some(([line]) => String(line).includes('"archivedRequest"'))).toBe(true);
    } finally {
      written.mockRestore();
    }
    // Every file the archive holds is a whole record; no temporary file is left behind.
    const files = filesUnder(dir);
    expect(files).toHaveLength(1);
    expect(JSON.parse(readFileSync(files[0], 'utf8')).body).toBe(loadEvent('workflow-xml').body);
  });
});
