import { appendFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSink } from '../lib/sinks/file-sink';
import { manyJobs } from './support/callbacks';
import { loadEvent, sampleBody, urlEvent } from './support/fixtures';
import { eventsOf } from './support/parse';
import { testReceiver } from './support/receiver';
import { mountTinyFs, unmountTinyFs } from './support/tiny-fs';

/** Every line of the file parsed: throws on a torn or glued line. */
const jsonLines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { id: string });

describe('the file sink', () => {
  test('is idempotent: a callback answered 503, retried and replayed leaves each id once', async () => {
    const receiver = testReceiver();
    const file = join(receiver.dir, 'events.jsonl');
    for (let i = 0; i < 3; i++) expect((await receiver.handler(loadEvent('task-words-xml'))).statusCode).toBe(200);
    // `npm run replay` is another process with its own sink writing the same file.
    await new FileSink(file).send(eventsOf(sampleBody('task-words-xml')));
    expect(jsonLines(file)).toEqual(eventsOf(sampleBody('task-words-xml')));
  });

  test("skips the ids another writer added to the file since it last looked, and writes only a callback's new events", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'file-sink-'));
    const file = join(dir, 'events.jsonl');
    const events = eventsOf(manyJobs('task-watermark-xml', 6));
    const live = new FileSink(file);
    await live.send(events.slice(0, 2));
    await new FileSink(file).send(events.slice(1, 4));
    await live.send(events);
    expect(jsonLines(file).map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  test('cuts off a torn last line (a write killed half way) instead of gluing the next event to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'file-sink-'));
    const file = join(dir, 'events.jsonl');
    const [first, second] = eventsOf(manyJobs('task-watermark-xml', 2));
    appendFileSync(file, JSON.stringify(first) + '\n' + JSON.stringify(second).slice(0, 40));
    await new FileSink(file).send([second]);
    expect(jsonLines(file)).toEqual([first, second]);
  });
});

/**
 * A 16 KiB tmpfs: a callback whose lines do not fit fails with 503 and leaves the file as it
 * was, valid JSON Lines; the events that fit are stored and the next callback is appended
 * cleanly. Mounting needs root (CAP_SYS_ADMIN); elsewhere the test is skipped.
 */
const tinyFs = mountTinyFs('16k');
(tinyFs ? describe : describe.skip)('the file sink on a full disk', () => {
  afterAll(() => unmountTinyFs(tinyFs));

  test('a batch that does not fit is truncated back: 503, the file holds exactly the earlier events, still valid', async () => {
    const file = join(tinyFs as string, 'events.jsonl');
    const receiver = testReceiver({ CALLBACK_FILE: file });
    expect((await receiver.handler(loadEvent('task-watermark-xml'))).statusCode).toBe(200);
    const before = readFileSync(file, 'utf8');

    const tooMany = manyJobs('task-watermark-xml', 40);
    expect(JSON.stringify(eventsOf(tooMany)).length).toBeGreaterThan(16 * 1024);
    const res = await receiver.handler(urlEvent(tooMany));
    expect([res.statusCode, JSON.parse(res.body ?? '').error.code]).toEqual([503, 'forward_failed']);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(statSync(file).size).toBe(Buffer.byteLength(before));

    expect((await receiver.handler(loadEvent('workflow-xml'))).statusCode).toBe(200);
    expect(jsonLines(file)).toEqual([...eventsOf(sampleBody('task-watermark-xml')), ...eventsOf(sampleBody('workflow-xml'))]);
  });
});
