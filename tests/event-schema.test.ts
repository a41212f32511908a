import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parseCallback, type CallbackEvent } from '../lib';
import { generateEventSchema, SCHEMA_PATH } from '../scripts/event-schema';
import { goodSamples, loadEvent, sampleBody } from './support/fixtures';

const root = join(__dirname, '..');
const committed = readFileSync(join(root, SCHEMA_PATH), 'utf8');
const validate = new Ajv({ strict: true, allErrors: true }).compile(JSON.parse(committed));

const eventsOfSample = (name: string) => parseCallback(sampleBody(name), loadEvent(name).headers?.['content-type']);
const job = () => structuredClone(eventsOfSample('task-watermark-xml')[0]) as CallbackEvent & Record<string, unknown>;
const workflow = () => structuredClone(eventsOfSample('workflow-xml')[0]) as CallbackEvent & Record<string, unknown>;
const moderation = () => structuredClone(eventsOfSample('moderation-image-detail')[0]) as CallbackEvent & Record<string, unknown>;

test('the committed schema is the one lib/events.ts generates (run `npm run schema` after changing the contract)', () => {
  expect(committed).toBe(generateEventSchema(root));
});

// A moderation console test request has no event to validate.
test.each(goodSamples().filter((n) => !n.includes('console-test')))('every event of %s validates against the schema', (name) => {
  const events = eventsOfSample(name);
  expect(events.length).toBeGreaterThan(0);
  for (const event of events) {
    expect(validate(event) ? [] : validate.errors).toEqual([]);
  }
});

test('operation and cosHeaders are open maps; everything else is closed', () => {
  const event = job();
  Object.assign(event.data, {
    operation: { Transcode: { Video: { Codec: 'H.264' } }, Segments: ['a', { Index: '2' }] },
    cosHeaders: { 'x-cos-meta-origin': 'upload' },
  });
  expect(validate(event)).toBe(true);
});

const broken: Array<[string, () => unknown]> = [
  ['an unknown envelope attribute', () => ({ ...job(), extra: 1 })],
  ['an unknown data field', () => ({ ...job(), data: { ...job().data, extra: null } })],
  ['a missing jobId', () => ({ ...job(), data: { ...job().data, jobId: undefined } })],
  ['a missing id', () => ({ ...job(), id: undefined })],
  ['an id that is not 32 hex digits', () => ({ ...job(), id: 'J515A494' })],
  ['another specversion', () => ({ ...job(), specversion: '0.3' })],
  ['an unknown type', () => ({ ...job(), type: 'com.tencentcloud.ci.job.started' })],
  ['workflow data under the job type', () => ({ ...workflow(), type: job().type })],
  ['a time that is not ISO 8601 UTC', () => ({ ...job(), time: '2022-06-30 18:42:54+0800' })],
  ['a data timestamp that is not ISO 8601 UTC', () => ({ ...workflow(), data: { ...workflow().data, createTime: '2022-06-30' } })],
  ['a number where the contract has a string', () => ({ ...job(), data: { ...job().data, state: 1 } })],
  ['a number in operation (canonical values are strings)', () => ({ ...job(), data: { ...job().data, operation: { Index: 2 } } })],
  ['a non-string header value', () => ({ ...job(), data: { ...job().data, cosHeaders: { a: true } } })],
  ['a moderation kind CI does not have', () => ({ ...moderation(), data: { ...moderation().data, kind: 'hologram' } })],
  ['a moderation verdict given as the number CI sends', () => ({ ...moderation(), data: { ...moderation().data, verdict: 0 } })],
  ['a moderation score as a string', () => ({ ...moderation(), data: { ...moderation().data, score: '0' } })],
  ['a task with an unknown field', () => {
    const event = workflow();
    return { ...event, data: { ...event.data, tasks: [{ ...(event.data as { tasks: object[] }).tasks[0], extra: '' }] } };
  }],
];

test.each(broken)('an event with %s does not validate', (_, make) => {
  expect(validate(JSON.parse(JSON.stringify(make())))).toBe(false);
});
