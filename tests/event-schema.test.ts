import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { CONTRACT_VERSION, JOB_FINISHED, MODERATION_RESULT, parseCallback, WORKFLOW_FINISHED, type CallbackEvent } from '../lib';
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

test("the contract's version is the latest one CHANGELOG.md describes, and the schema says it", () => {
  const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
  expect(changelog.match(/^## (\d+\.\d+\.\d+)/m)?.[1]).toBe(CONTRACT_VERSION);
  expect(JSON.parse(committed).description).toContain(`Contract version ${CONTRACT_VERSION}`);
});

test('CHANGELOG.md names every event type of the contract: a new type is a change consumers must hear of', () => {
  const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
  const types = new Set(goodSamples().flatMap((name) => eventsOfSample(name).map((event) => event.type)));
  expect([...types].sort()).toEqual([JOB_FINISHED, MODERATION_RESULT, WORKFLOW_FINISHED].sort());
  for (const type of types) expect([type, changelog.includes(`\`${type}\``)]).toEqual([type, true]);
});

test('the schema names the contract every event carries: $id is the dataschema attribute', () => {
  const { $id } = JSON.parse(committed);
  expect($id).toMatch(/\.v\d+\.json$/);
  for (const name of goodSamples()) for (const event of eventsOfSample(name)) expect(event.dataschema).toBe($id);
});

test('operation and cosHeaders are open maps', () => {
  const event = job();
  Object.assign(event.data, {
    operation: { Transcode: { Video: { Codec: 'H.264' } }, Segments: ['a', { Index: '2' }] },
    cosHeaders: { 'x-cos-meta-origin': 'upload' },
  });
  expect(validate(event)).toBe(true);
});

// A later minor version adds fields: a consumer validating with this schema must keep accepting its events.
const grown: Array<[string, () => unknown]> = [
  ['a new envelope attribute', () => ({ ...job(), cinewattribute: 1 })],
  ['a new data field', () => ({ ...job(), data: { ...job().data, newField: { any: ['shape'] } } })],
  ['a new field in input, workflow and each output', () => {
    const event = job();
    const data = event.data as unknown as Record<string, Record<string, unknown> | Array<Record<string, unknown>>>;
    return { ...event, data: { ...data, input: { ...data.input, newField: 1 }, outputs: [{ bucket: null, region: null, key: 'k', url: null, md5: null, size: 3 }] } };
  }],
  ['a task with a new field', () => {
    const event = workflow();
    return { ...event, data: { ...event.data, tasks: [{ ...(event.data as { tasks: object[] }).tasks[0], newField: '' }] } };
  }],
];

test.each(grown)('an event with %s still validates', (_, make) => {
  const event = JSON.parse(JSON.stringify(make()));
  expect(validate(event) ? [] : validate.errors).toEqual([]);
});

test('an event written under contract 1.0 (before dataschema, outputs, extra and task detail) still validates', () => {
  const withoutNewFields = (event: CallbackEvent) => {
    const { dataschema: _dataschema, ...envelope } = structuredClone(event);
    const data = envelope.data as unknown as Record<string, unknown>;
    for (const field of ['outputs', 'extra']) delete data[field];
    if (data.input) delete (data.input as Record<string, unknown>).extra;
    for (const task of (data.tasks as Array<Record<string, unknown>> | undefined) ?? []) {
      delete task.outputs;
      delete task.detail;
    }
    return envelope;
  };
  for (const event of [job(), workflow()]) expect(validate(withoutNewFields(event)) ? [] : validate.errors).toEqual([]);
});

const broken: Array<[string, () => unknown]> = [
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
  ['another major version of the contract', () => ({ ...job(), dataschema: 'urn:ci-callback-receiver:schema:callback-event.v2.json' })],
  ['an output without its key', () => ({ ...job(), data: { ...job().data, outputs: [{ bucket: null, region: null, url: null, md5: null }] } })],
  ['a number in extra (canonical values are strings)', () => ({ ...job(), data: { ...job().data, extra: { Progress: 100 } } })],
  ['a moderation kind CI does not have', () => ({ ...moderation(), data: { ...moderation().data, kind: 'hologram' } })],
  ['a moderation verdict given as the number CI sends', () => ({ ...moderation(), data: { ...moderation().data, verdict: 0 } })],
  ['a moderation score as a string', () => ({ ...moderation(), data: { ...moderation().data, score: '0' } })],
];

test.each(broken)('an event with %s does not validate', (_, make) => {
  expect(validate(JSON.parse(JSON.stringify(make())))).toBe(false);
});
