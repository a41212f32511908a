import fc from 'fast-check';
import type { JobFinishedEvent, WorkflowFinishedEvent } from '../lib/events';
import { normalizeCallback } from '../lib/normalize/callback';
import { parseBody } from '../lib/parse/body';
import { goodSamples, loadEvent, sampleBody } from './support/fixtures';
import { jobCallback, jsonStyle, toJson, toXml, workflowCallback, xmlStyle } from './support/generate-callbacks';
import { missingLeaves } from './support/leaves';
import { TRANSLATION_CALLBACK } from './support/doc-callbacks';

/** The leaves of a body that none of its events holds. */
function lost(body: string, contentType?: string, contentVersion?: string): string[] {
  const tree = parseBody(body, contentType);
  const callback = normalizeCallback(tree, { contentVersion });
  // A console test request is answered and archived, never forwarded: no event holds it by design.
  return callback.test ? [] : missingLeaves(tree, callback.events);
}

describe('nothing a callback says is lost: every leaf of the body is in its events', () => {
  test.each(goodSamples())('%s', (name) => {
    const { headers } = loadEvent(name);
    expect(lost(sampleBody(name), headers?.['content-type'], headers?.['x-ci-content-version'])).toEqual([]);
  });

  test('random job and workflow callbacks with extra children, odd CosHeaders and unreadable timestamps, in XML and JSON', () => {
    fc.assert(
      fc.property(fc.oneof(jobCallback({ maxJobs: 5 }), workflowCallback({ maxTasks: 5 })), xmlStyle, jsonStyle, (callback, xs, js) => {
        expect(lost(toXml(callback, xs))).toEqual([]);
        expect(lost(toJson(callback, js))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  test('the property can fail: a value the events do not hold is reported', () => {
    const body = sampleBody('task-watermark-xml');
    const tree = parseBody(body) as { JobsDetail: Record<string, unknown> };
    const [event] = normalizeCallback(tree).events;
    tree.JobsDetail.Unheard = 'a value no event holds';
    expect(missingLeaves(tree, [event])).toEqual(['a value no event holds']);
  });
});

describe('where what the contract does not name goes', () => {
  const job = (body: string) => normalizeCallback(parseBody(body)).events[0] as JobFinishedEvent | WorkflowFinishedEvent;

  test("JobsDetail's other children stay in data.extra, Input's in input.extra", () => {
    const event = job(sampleBody('task-transcode-xml'));
    expect(event.data.extra).toEqual({ Progress: '100' });
    const translation = job(TRANSLATION_CALLBACK);
    expect(lost(TRANSLATION_CALLBACK)).toEqual([]);
    expect(translation.data).toMatchObject({ input: { object: 'input/en.pdf', extra: { Lang: 'en', Type: 'pdf', BasicType: 'pptx' } } });
  });

  test('a timestamp outside the years 1–9999 is null in its field; its original text is in extra', () => {
    const body = sampleBody('task-watermark-xml').replace('2022-06-30T18:42:54+0800', '9999-12-31 23:59:59-0800');
    const event = job(body);
    expect(event.data).toMatchObject({ endTime: null, extra: { EndTime: '9999-12-31 23:59:59-0800' } });
    expect(event.time).toBe('2022-06-30T10:42:20.000Z');
  });

  test('CosHeaders entries the map cannot hold (a __proto__ key, an earlier value of a repeated key) stay in extra', () => {
    const body = JSON.stringify({
      WorkflowExecution: {
        RunId: 'i1',
        CosHeaders: [
          { Key: '__proto__', Value: 'x' },
          { Key: 'a', Value: 'first' },
          { Key: 'a', Value: 'second' },
        ],
      },
    });
    const event = job(body);
    expect(event.data).toMatchObject({
      cosHeaders: { a: 'second' },
      extra: { CosHeaders: [{ Key: '__proto__', Value: 'x' }, { Key: 'a', Value: 'first' }] },
    });
  });

  test('a workflow task keeps its whole element in detail, the run its other children in extra', () => {
    const body = sampleBody('workflow-result-info-xml').replace('<State>Success</State><Tasks>', '<State>Success</State><Progress>100</Progress><Tasks>');
    const event = job(body);
    expect(event.data).toMatchObject({ extra: { Progress: '100' } });
    expect((event.data as { tasks: Array<{ detail: object }> }).tasks[0].detail).toMatchObject({
      Type: 'SmartCover',
      ResultInfo: { ObjectCount: '1', ObjectInfo: { ObjectName: '/car.mp4_i5f17a1fb400411ee88345254008e464b.jpg' } },
    });
  });
});
