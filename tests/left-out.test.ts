import type { EventSink } from '../lib/sinks/sink';
import { replayArchive, replaySummary } from '../lib/replay/replay';
import { WATERMARK_JOB, watermarkCallbackWithJobs, urlEvent } from './support/fixtures';
import { captureOutput, jsonLines } from './support/output';
import { testReceiver } from './support/receiver';

// An event a sink can never take (too large without a claim-check bucket, data PostgreSQL
// refuses) is left out of that sink; the callback's other events are stored, the answer names it,
// the archive keeps the body, and nothing counts it as forwarded.

const metricsDisabled = process.env.POWERTOOLS_METRICS_DISABLED;
process.env.POWERTOOLS_METRICS_DISABLED = 'false';
afterAll(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = metricsDisabled;
});

const OVERSIZED = 'j0000000000000000000000000000big';
/** A sink that stores every event but the one job it can never take. */
const picky = (stored: string[]): EventSink => ({
  name: 'picky',
  send: async (events) => {
    stored.push(...events.filter((e) => e.subject !== OVERSIZED).map((e) => e.subject));
    const leftOut = events.filter((e) => e.subject === OVERSIZED).map((e) => ({ id: e.id, sink: 'picky', reason: 'too large' }));
    return { leftOut };
  },
});
const callback = () => urlEvent(watermarkCallbackWithJobs([WATERMARK_JOB, OVERSIZED]));
const body = (res: { body?: string }) => JSON.parse(res.body ?? '');

test('the 200 names the left-out event, the other sinks hold every event, and the archive keeps the body (CALLBACK_ARCHIVE=unforwarded)', async () => {
  const stored: string[] = [];
  const receiver = testReceiver({ CALLBACK_ARCHIVE: 'unforwarded' }, (deps) => deps.sinks.push(picky(stored)));
  const { result: res } = await captureOutput(() => receiver.handler(callback()), 'ERROR');
  expect(res.statusCode).toBe(200);
  const [stays, leaves] = body(res).ids as string[];
  expect(body(res).leftOut).toEqual([{ id: leaves, sink: 'picky', reason: 'too large' }]);
  expect(stored).toEqual([WATERMARK_JOB]);
  expect(receiver.events().map((e) => e.id)).toEqual([stays, leaves]);
  expect(receiver.archived()).toHaveLength(1);

  // A callback every sink stored is kept in the function log only under this policy.
  const { result: whole } = await captureOutput(() => receiver.handler(urlEvent(watermarkCallbackWithJobs([WATERMARK_JOB]))), 'ERROR');
  expect([whole.statusCode, body(whole).leftOut]).toEqual([200, undefined]);
  expect(receiver.archived()).toHaveLength(1);
});

test('EventsForwarded counts only the events every sink stored; the summary line names the left-out one', async () => {
  const receiver = testReceiver({}, (deps) => deps.sinks.push(picky([])));
  const { result: res, lines } = await captureOutput(() => receiver.handler(callback()), 'INFO');
  const forwarded = jsonLines(lines).filter((line) => 'EventsForwarded' in line);
  expect(forwarded.map((line) => line.EventsForwarded)).toEqual([1]);
  const summary = jsonLines(lines).find((line) => line.message === 'callback');
  expect(summary).toMatchObject({ eventCount: 2, leftOut: body(res).leftOut });
});

test('replaying the archived body leaves the event out again, and the summary says so', async () => {
  const receiver = testReceiver({}, (deps) => deps.sinks.push(picky([])));
  await captureOutput(() => receiver.handler(callback()), 'ERROR');
  const outcomes = await captureOutput(() => replayArchive(`${receiver.dir}/raw`, receiver.deps), 'ERROR');
  expect(outcomes.result.map((o) => [o.status, o.ids.length, o.leftOut?.map((l) => l.sink)])).toEqual([[200, 2, ['picky']]]);
  expect(replaySummary(outcomes.result)).toBe('1 records: 1 delivered (2 events), 0 failed; 1 left out of a sink');
});
