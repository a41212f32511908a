import type { JobFinishedEvent, WorkflowFinishedEvent } from '../lib/events';
import { CallbackError } from '../lib/errors';
import { eventsOf } from './support/parse';

const jobXml = (inner: string, outer = '<EventName>TaskFinish</EventName>') =>
  `<Response>${outer}<JobsDetail>${inner}</JobsDetail></Response>`;
const onlyJob = (body: string) => eventsOf(body)[0] as JobFinishedEvent;

function rejection(body: string): { status: number; code: string } {
  try {
    eventsOf(body);
  } catch (err) {
    if (err instanceof CallbackError) return { status: err.status, code: err.code };
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('shapes real callbacks take beyond the documented samples', () => {
  test('a callback without EventName is classified by its structure', () => {
    expect(eventsOf(jobXml('<JobId>j1</JobId>', ''))[0].type).toBe('com.tencentcloud.ci.job.finished');
    expect(eventsOf('{"WorkflowExecution":{"RunId":"r1"}}')[0].type).toBe('com.tencentcloud.ci.workflow.finished');
    expect(eventsOf('<Response><EventName>WorkflowFinish</EventName><WorkflowExecution><RunId>r2</RunId></WorkflowExecution></Response>')[0].subject).toBe('r2');
  });

  test('several JobsDetail elements give one event each, in order', () => {
    const body = `<Response><EventName>TaskFinish</EventName>${['a', 'b', 'c'].map((id) => `<JobsDetail><JobId>${id}</JobId><State>Success</State></JobsDetail>`).join('')}</Response>`;
    expect(eventsOf(body).map((e) => e.subject)).toEqual(['a', 'b', 'c']);
    expect(new Set(eventsOf(body).map((e) => e.id)).size).toBe(3);
  });

  test('JobsDetail as a JSON object, a JSON array, with or without Response all normalize alike', () => {
    const detail = { JobId: 'j9', State: 'Failed', Code: 'InternalError', Tag: 'Transcode' };
    const bodies = [
      { EventName: 'TaskFinish', JobsDetail: detail },
      { EventName: 'TaskFinish', JobsDetail: [detail] },
      { Response: { EventName: 'TaskFinish', JobsDetail: [detail] } },
    ].map((b) => eventsOf(JSON.stringify(b)));
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
  });

  test('numbers as JSON numbers and as strings normalize to the same strings', () => {
    const a = onlyJob(JSON.stringify({ JobsDetail: { JobId: 'j', Operation: { JobLevel: 0, Ratio: 1.5 } } }));
    const b = onlyJob(JSON.stringify({ JobsDetail: { JobId: 'j', Operation: { JobLevel: '0', Ratio: '1.5' } } }));
    expect(a.data.operation).toEqual({ JobLevel: '0', Ratio: '1.5' });
    expect(b).toEqual(a);
  });

  test('CosHeaders are read under JobsDetail.Input as well as under Operation.Input', () => {
    const headers = '<CosHeaders><Key>x-cos-meta-a</Key><Value>1</Value></CosHeaders>';
    const direct = onlyJob(jobXml(`<JobId>j</JobId><Input><Object>a.mp4</Object>${headers}</Input>`));
    const nested = onlyJob(jobXml(`<JobId>j</JobId><Operation><Input>${headers}</Input></Operation>`));
    expect(direct.data.cosHeaders).toEqual({ 'x-cos-meta-a': '1' });
    expect(nested.data.cosHeaders).toEqual({ 'x-cos-meta-a': '1' });
  });

  // toMatchObject: the fields the contract names; a field added in a later minor version does not break it.
  test('an Input with only Object gives an input whose other fields are null', () => {
    expect(onlyJob(jobXml('<JobId>j</JobId><Input><Object>in.mp4</Object></Input>')).data.input).toMatchObject({
      bucketId: null,
      object: 'in.mp4',
      region: null,
    });
  });

  test('Tag inside Operation is used when JobsDetail has none', () => {
    expect(onlyJob(jobXml('<JobId>j</JobId><Operation><Tag>Snapshot</Tag></Operation>')).data.tag).toBe('Snapshot');
  });

  test('State, Code and Message inside a job-type subtree do not define the event', () => {
    const event = onlyJob(
      jobXml('<JobId>j</JobId><State>Success</State><Code>Success</Code><Operation><ExtractDigitalWatermark><State>Failed</State><Code>X</Code><Message>m</Message></ExtractDigitalWatermark></Operation>'),
    );
    expect(event.data).toMatchObject({ state: 'Success', code: 'Success', message: null });
  });

  test('an XML prolog and whitespace around values are accepted', () => {
    const event = onlyJob(`<?xml version="1.0" encoding="UTF-8"?>\n${jobXml('<JobId>\n  j7  \n</JobId><State> Success </State>')}`);
    expect(event.data).toMatchObject({ jobId: 'j7', state: 'Success' });
  });

  test('a tag never seen before normalizes like any other', () => {
    const event = onlyJob(jobXml('<JobId>j</JobId><Tag>SomeFutureJobType</Tag><Operation><SomeFutureJobType><Quality>High</Quality></SomeFutureJobType></Operation>'));
    expect(event.data.tag).toBe('SomeFutureJobType');
    expect(event.data.operation).toEqual({ SomeFutureJobType: { Quality: 'High' } });
  });

  test('the event id depends on the job and its final outcome only', () => {
    const a = onlyJob(jobXml('<JobId>j</JobId><State>Success</State><EndTime>2022-06-30T18:42:54+0800</EndTime>'));
    const sameOther = onlyJob(jobXml('<JobId>j</JobId><State>Success</State><EndTime>2022-06-30 18:42:54+08:00</EndTime><Message>x</Message>'));
    const failed = onlyJob(jobXml('<JobId>j</JobId><State>Failed</State>'));
    const otherJob = onlyJob(jobXml('<JobId>k</JobId><State>Success</State>'));
    expect(sameOther.id).toBe(a.id);
    expect(failed.id).not.toBe(a.id);
    expect(otherJob.id).not.toBe(a.id);
  });

  test('time falls back to CreationTime and is omitted when the job has neither', () => {
    expect(onlyJob(jobXml('<JobId>j</JobId><CreationTime>2022-06-30T18:42:20+0800</CreationTime><EndTime>-</EndTime>')).time).toBe('2022-06-30T10:42:20.000Z');
    expect(onlyJob(jobXml('<JobId>j</JobId><EndTime></EndTime>'))).not.toHaveProperty('time');
  });

  test('a workflow with one task gives a list of one task; one without tasks gives an empty list', () => {
    const one = eventsOf('<Response><WorkflowExecution><RunId>r</RunId><Tasks><Type>Snapshot</Type><JobId>j</JobId></Tasks></WorkflowExecution></Response>')[0] as WorkflowFinishedEvent;
    const none = eventsOf('<Response><WorkflowExecution><RunId>r</RunId></WorkflowExecution></Response>')[0] as WorkflowFinishedEvent;
    expect(one.data.tasks).toHaveLength(1);
    expect(one.data.tasks[0]).toMatchObject({ type: 'Snapshot', jobId: 'j', state: null });
    expect(none.data.tasks).toEqual([]);
  });
});

describe('callbacks that are refused, with the code that says why', () => {
  test.each([
    ['a job without JobId', jobXml('<State>Success</State>'), 400, 'missing_id'],
    ['a workflow whose RunId is empty', '<Response><WorkflowExecution><RunId></RunId><State>Success</State></WorkflowExecution></Response>', 400, 'missing_id'],
    ['one job of three without JobId', `<Response><JobsDetail><JobId>a</JobId></JobsDetail><JobsDetail><State>x</State></JobsDetail><JobsDetail><JobId>c</JobId></JobsDetail></Response>`, 400, 'missing_id'],
    ['an EventName CI does not document', '<Response><EventName>ReviewHologram</EventName><JobsDetail><JobId>a</JobId></JobsDetail></Response>', 400, 'unsupported_event'],
    ['both JobsDetail and WorkflowExecution', '<Response><JobsDetail><JobId>a</JobId></JobsDetail><WorkflowExecution><RunId>r</RunId></WorkflowExecution></Response>', 400, 'malformed_body'],
    ['XML with another root and content', '<Invoice><Total>3</Total></Invoice>', 400, 'malformed_body'],
    ['truncated XML', '<Response><JobsDetail><JobId>a</JobId>', 400, 'malformed_body'],
    ['a DOCTYPE', '<!DOCTYPE Response [<!ENTITY a "b">]><Response><JobsDetail><JobId>&a;</JobId></JobsDetail></Response>', 400, 'malformed_body'],
    ['a __proto__ element', jobXml('<JobId>a</JobId><Operation><__proto__><polluted>yes</polluted></__proto__></Operation>'), 400, 'malformed_body'],
    ['a constructor JSON key', '{"JobsDetail":{"JobId":"a","Operation":{"constructor":{"prototype":{"x":1}}}}}', 400, 'malformed_body'],
    ['nesting 200 levels deep', jobXml(`<JobId>a</JobId><Operation>${'<A>'.repeat(200)}x${'</A>'.repeat(200)}</Operation>`), 400, 'malformed_body'],
    ['a JSON array', '[1,2]', 400, 'malformed_body'],
    ['JSON null', 'null', 400, 'malformed_body'],
  ])('%s', (_name, body, status, code) => {
    expect(rejection(body)).toEqual({ status, code });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
