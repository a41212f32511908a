import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPECTATIONS_FILE, expectedFor, loadFile, loadSample, meetsExpectation, readExpectations, resolveSampleName } from '../scripts/samples';
import { EVENTS_DIR, sampleBody } from './support/fixtures';

describe('which sample `npm run trigger` sends', () => {
  test.each([
    ['task-watermark-xml', '', 'task-watermark-xml'],
    ['task-watermark', '', 'task-watermark-xml'],
    ['task-watermark-xml', 'json', 'task-watermark-json'],
    ['task-watermark-xml-base64', 'json', 'task-watermark-json'],
    ['task-watermark-json', 'xml', 'task-watermark-xml'],
    ['task-words-xml', 'json', 'task-words-json-response-wrapper'],
    ['workflow-json', 'xml', 'workflow-xml'],
  ] as const)('%s with --format "%s" is %s', (asked, format, name) => {
    expect(resolveSampleName(EVENTS_DIR, asked, format || undefined)).toBe(name);
  });

  test('a callback without a sample in the format asked is an error naming the related samples', () => {
    expect(() => resolveSampleName(EVENTS_DIR, 'task-tts-xml', 'json')).toThrow(/no JSON sample of "task-tts-xml".*task-tts-xml/);
  });

  test('a sample is sent as the request its Function URL event was made from', () => {
    const sample = loadSample(EVENTS_DIR, 'task-watermark-xml-base64', new Map());
    expect(sample.body.toString('utf8')).toBe(sampleBody('task-watermark-xml-base64'));
    expect([sample.method, sample.contentType, sample.format, sample.route]).toEqual(['POST', 'application/xml', 'xml', '/taskCallback']);
    expect(loadSample(EVENTS_DIR, 'workflow-json', new Map()).route).toBe('/workflowCallback');
  });

  test('a moderation sample is sent with its X-Ci-Content-Version; other samples with no extra header', () => {
    expect(loadSample(EVENTS_DIR, 'moderation-image-simple', new Map()).headers).toEqual({ 'x-ci-content-version': 'Simple' });
    expect(loadSample(EVENTS_DIR, 'moderation-video-detail', new Map())).toMatchObject({ headers: { 'x-ci-content-version': 'Detail' }, route: '/taskCallback' });
    expect(loadSample(EVENTS_DIR, 'task-watermark-xml', new Map()).headers).toEqual({});
  });

  test('any file is sent as it is: an event as its request, a body as the body', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trigger-'));
    writeFileSync(join(dir, 'callback.json'), sampleBody('workflow-json'));
    writeFileSync(join(dir, 'bad-callback.xml'), '<Response>');
    copyFileSync(join(EVENTS_DIR, 'task-watermark-json.json'), join(dir, 'event.json'));
    const json = loadFile(join(dir, 'callback.json'), new Map());
    expect([json.body.toString(), json.contentType, json.route, json.expected]).toEqual([sampleBody('workflow-json'), 'application/json', '/workflowCallback', { status: 200 }]);
    expect(loadFile(join(dir, 'bad-callback.xml'), new Map()).expected).toEqual({ status: '4xx' });
    expect(loadFile(join(dir, 'event.json'), new Map()).body.toString()).toBe(sampleBody('task-watermark-json'));
  });
});

describe('the expected responses', () => {
  test('come from events/expected-responses.tsv for the samples it lists, else from the name', () => {
    const table = readExpectations(EVENTS_DIR);
    expect(expectedFor('bad-workflow-template-no-runid', table)).toEqual({ status: 400, code: 'missing_id' });
    expect(expectedFor('bad-not-listed', table)).toEqual({ status: '4xx' });
    expect(expectedFor('workflow-xml', table)).toEqual({ status: 200 });
  });

  test('are met only by the same status and, when one is named, the same error code', () => {
    expect(meetsExpectation({ status: 400, code: 'missing_id' }, 400, 'missing_id')).toBe(true);
    expect(meetsExpectation({ status: 400, code: 'missing_id' }, 400, 'malformed_body')).toBe(false);
    expect(meetsExpectation({ status: '4xx' }, 413, 'payload_too_large')).toBe(true);
    expect(meetsExpectation({ status: '4xx' }, 200, undefined)).toBe(false);
    expect(meetsExpectation({ status: 200 }, 503, 'forward_failed')).toBe(false);
  });

  test('a table row naming a sample that does not exist is an error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'events-'));
    copyFileSync(join(EVENTS_DIR, 'bad-dtd.json'), join(dir, 'bad-dtd.json'));
    writeFileSync(join(dir, EXPECTATIONS_FILE), 'bad-dtd\t400\tmalformed_body\nbad-gone\t400\tmalformed_body\n');
    expect(() => readExpectations(dir)).toThrow(/"bad-gone", which is not a sample/);
  });
});
