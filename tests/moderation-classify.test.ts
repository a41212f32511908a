import { summaryState, summaryTag } from '../lib/observability/event-summary';
import { JOB_FINISHED, MODERATION_RESULT, type CallbackEvent, type ModerationResultEvent } from '../lib/events';
import { cosLocation } from '../lib/normalize/cos-url';
import { parseCallback } from '../lib/parse-callback';
import { loadEvent, sampleBody, urlEvent } from './support/fixtures';
import { testReceiver } from './support/receiver';

const body = (res: { body?: string }) => JSON.parse(res.body ?? '');
const contentVersion = (sample: string) => loadEvent(sample).headers?.['x-ci-content-version'];
const resultsOf = (text: string, version?: string) => parseCallback(text, 'application/json', version) as ModerationResultEvent[];
const sampleResults = (sample: string) => resultsOf(sampleBody(sample), contentVersion(sample));
const json = (sample: string) => JSON.parse(sampleBody(sample));
const moderationRequest = (value: unknown, version?: string) =>
  urlEvent(JSON.stringify(value), { contentType: 'application/json', headers: version ? { 'x-ci-content-version': version } : {} });

describe('Simple or Detail: the body decides, X-Ci-Content-Version is a hint', () => {
  test.each([
    ['moderation-image-simple', 'Detail'],
    ['moderation-image-simple', undefined],
    ['moderation-image-simple', 'simple'],
    ['moderation-video-detail', 'Simple'],
    ['moderation-video-detail', undefined],
    ['moderation-video-detail', 'Version2'],
  ])('%s with header %s gives the same event as with the right header', (sample, header) => {
    expect(resultsOf(sampleBody(sample), header)).toEqual(sampleResults(sample));
  });

  test('a console test without header or with a wrong one is still a console test', async () => {
    const receiver = testReceiver();
    for (const header of [undefined, 'Detail']) {
      const res = await receiver.handler(moderationRequest(json('moderation-image-console-test'), header));
      expect([res.statusCode, body(res)]).toEqual([200, { accepted: 0, ids: [], test: true }]);
    }
  });

  test('a JobsDetail without EventName is a moderation result only when the header says Detail', () => {
    const result = json('moderation-image-detail');
    delete result.EventName;
    expect(resultsOf(JSON.stringify(result), 'Detail')[0]).toMatchObject({ type: MODERATION_RESULT, subject: 'xxxx', data: { kind: null, format: 'detail' } });
    expect(parseCallback(JSON.stringify(result), 'application/json')[0]).toMatchObject({ type: JOB_FINISHED, subject: 'xxxx' });
  });
});

describe('event ids of moderation results', () => {
  test('CI retrying the same result, byte for byte or reformatted, gives the same id: sinks keep one copy', async () => {
    const receiver = testReceiver();
    const sample = loadEvent('moderation-video-detail');
    const reordered = json('moderation-video-detail');
    const reformatted = JSON.stringify({ JobsDetail: Object.fromEntries(Object.entries(reordered.JobsDetail).reverse()), EventName: reordered.EventName });
    const ids = [];
    for (const event of [sample, sample, moderationRequest(JSON.parse(reformatted), 'Detail')]) {
      ids.push(...body(await receiver.handler(event)).ids);
    }
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
  });

  test('two results of one live-stream job while Auditing are two events with two ids', async () => {
    const progress = (snapshotTime: number, label: string) => {
      const result = json('moderation-live-detail');
      Object.assign(result.JobsDetail, { State: 'Auditing', Type: 'live_video', Label: label });
      result.JobsDetail.Snapshot[0].SnapshotTime = snapshotTime;
      return moderationRequest(result, 'Detail');
    };
    const receiver = testReceiver();
    for (const request of [progress(41, 'Normal'), progress(82, 'Normal'), progress(41, 'Normal')]) {
      expect((await receiver.handler(request)).statusCode).toBe(200);
    }
    // The third is CI's retry of the first: same id, which the file sink stores once.
    const events = receiver.events() as ModerationResultEvent[];
    expect(events.map((e) => [e.subject, e.data.kind, e.data.state])).toEqual([
      ['xxxxxx', 'live', 'Auditing'],
      ['xxxxxx', 'live', 'Auditing'],
    ]);
    expect(new Set(events.map((e) => e.id)).size).toBe(2);
  });

  test('the same content as Simple and as Detail, or for another job, has another id', () => {
    const ids = ['moderation-image-simple', 'moderation-audio-simple', 'moderation-text-simple', 'moderation-video-detail', 'moderation-live-detail'].map(
      (sample) => sampleResults(sample)[0].id,
    );
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('moderation bodies that are refused, archived like any body', () => {
  const without = (sample: string, drop: (value: Record<string, Record<string, unknown>>) => void) => {
    const value = json(sample);
    drop(value);
    return value;
  };

  test.each([
    ['a Simple body without trace_id', 400, 'missing_id', without('moderation-image-simple', (v) => delete v.data.trace_id), 'Simple'],
    ['a Simple body with empty data', 400, 'missing_id', { code: 0, message: 'success', data: {} }, 'Simple'],
    ['a Detail body without JobId', 400, 'missing_id', without('moderation-image-detail', (v) => delete v.JobsDetail.JobId), 'Detail'],
    ['a Detail body without JobsDetail', 400, 'missing_id', { EventName: 'ReviewImage' }, 'Detail'],
    ['a Simple body naming an event CI does not document', 400, 'unsupported_event', without('moderation-image-simple', (v) => (v.data.event = 'ReviewHologram')), 'Simple'],
    ['an EventName CI does not document', 400, 'unsupported_event', { EventName: 'ReviewHologram', JobsDetail: { JobId: 'a' } }, 'Detail'],
    ['a body whose data is not an object', 400, 'malformed_body', { code: 0, message: 'success', data: 'ReviewImage' }, 'Simple'],
  ])('%s gets %s %s', async (_, status, code, value, header) => {
    const receiver = testReceiver();
    const request = moderationRequest(value, header);
    const res = await receiver.handler(request);
    expect([res.statusCode, body(res).error.code]).toEqual([status, code]);
    expect(receiver.events()).toEqual([]);
    expect(receiver.archived().map((r) => r.body)).toEqual([request.body]);
  });
});

describe('a body with both JobsDetail and WorkflowExecution is refused, never half delivered', () => {
  const job = () => JSON.parse(sampleBody('task-watermark-json'));
  const run = () => JSON.parse(sampleBody('workflow-json'));

  test.each([
    ['without EventName', { JobsDetail: job().JobsDetail, WorkflowExecution: run().WorkflowExecution }],
    ['with EventName TaskFinish', { EventName: 'TaskFinish', JobsDetail: job().JobsDetail, WorkflowExecution: run().WorkflowExecution }],
    ['with EventName WorkflowFinish', { EventName: 'WorkflowFinish', JobsDetail: job().JobsDetail, WorkflowExecution: run().WorkflowExecution }],
  ])('%s: 400 malformed_body naming both, archived, nothing forwarded', async (_, value) => {
    const receiver = testReceiver();
    const res = await receiver.handler(moderationRequest(value));
    expect([res.statusCode, body(res).error.code]).toEqual([400, 'malformed_body']);
    expect(body(res).error.message).toMatch(/both JobsDetail and WorkflowExecution/);
    expect(receiver.events()).toEqual([]);
    expect(receiver.archived()).toHaveLength(1);
  });
});

describe('reading a COS URL', () => {
  test.each([
    ['https://examplebucket-1250000000.cos.ap-shanghai.myqcloud.com/test.jpg', { bucket: 'examplebucket-1250000000', region: 'ap-shanghai', key: 'test.jpg' }],
    ['https://examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/a%20dir/%E5%9B%BE.png?x=1', { bucket: 'examplebucket-1250000000', region: 'ap-guangzhou', key: 'a dir/图.png' }],
    ['http://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/', { bucket: 'examplebucket-1250000000', region: 'ap-beijing', key: null }],
    ['https://examplebucket-1250000000.cos.ap-nanjing.tencentcos.cn/out/a.jpg', { bucket: 'examplebucket-1250000000', region: 'ap-nanjing', key: 'out/a.jpg' }],
    ['https://66665.livepush.myqcloud.com/video.flv', null],
    ['https://examplebucket-1250000000.cos.ap-shanghai.myqcloud.com.evil.example/test.jpg', null],
    ['test_url', null],
    [null, null],
  ])('%s', (url, location) => {
    expect(cosLocation(url)).toEqual(location);
  });
});

describe('logs and metrics name a moderation result by kind and verdict', () => {
  test('tag Moderation:<kind>, state the verdict, else the State', () => {
    const [simple] = sampleResults('moderation-text-simple');
    const failed = json('moderation-audio-detail');
    Object.assign(failed.JobsDetail, { State: 'Failed', Result: '' });
    const [detail] = resultsOf(JSON.stringify(failed));
    const events: CallbackEvent[] = [simple, detail];
    expect(events.map((e) => [summaryTag(e), summaryState(e)])).toEqual([
      ['Moderation:text', 'pass'],
      ['Moderation:audio', 'Failed'],
    ]);
  });
});
