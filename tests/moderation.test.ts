import { handler as taskCallback } from '../handlers/task-callback';
import { handler as workflowCallback } from '../handlers/workflow-callback';
import { summaryState, summaryTag } from '../lib/event-summary';
import { JOB_FINISHED, MODERATION_RESULT, type CallbackEvent, type ModerationResultEvent } from '../lib/events';
import { cosLocation } from '../lib/normalize/moderation/cos-url';
import { parseCallback } from '../lib/parse-callback';
import { loadEvent, sampleBody, sampleNames, urlEvent } from './support/fixtures';
import { testReceiver } from './support/receiver';

const body = (res: { body?: string }) => JSON.parse(res.body ?? '');
const contentVersion = (sample: string) => loadEvent(sample).headers?.['x-ci-content-version'];
const resultsOf = (text: string, version?: string) => parseCallback(text, 'application/json', version) as ModerationResultEvent[];
const sampleResults = (sample: string) => resultsOf(sampleBody(sample), contentVersion(sample));
const json = (sample: string) => JSON.parse(sampleBody(sample));
const moderationRequest = (value: unknown, version?: string) =>
  urlEvent(JSON.stringify(value), { contentType: 'application/json', headers: version ? { 'x-ci-content-version': version } : {} });

const CONSOLE_TESTS = [
  'moderation-audio-console-test-no-event',
  'moderation-image-console-test',
  'moderation-text-console-test-from-guide',
  'moderation-text-console-test',
  'moderation-video-console-test',
];
const RESULTS = sampleNames('moderation-').filter((name) => !CONSOLE_TESTS.includes(name));

describe('moderation callbacks from the documentation samples', () => {
  test('the Simple image result becomes a complete moderation.result event, its object read from the COS URL', () => {
    expect(sampleResults('moderation-image-simple')).toEqual([
      {
        specversion: '1.0',
        id: expect.stringMatching(/^[0-9a-f]{32}$/),
        source: 'urn:tencentcloud:ci:ap-shanghai:examplebucket-1250000000',
        type: MODERATION_RESULT,
        subject: 'ixzt90jl2dfscxxxxxxxxxxxxxxxxx',
        datacontenttype: 'application/json',
        data: {
          jobId: 'ixzt90jl2dfscxxxxxxxxxxxxxxxxx',
          kind: 'image',
          format: 'simple',
          state: null,
          verdict: 'pass',
          label: null,
          score: null,
          bucketId: 'examplebucket-1250000000',
          region: 'ap-shanghai',
          object: 'test.jpg',
          url: 'https://examplebucket-1250000000.cos.ap-shanghai.myqcloud.com/test.jpg',
          forbidState: 0,
          dataId: null,
          code: '0',
          message: 'success',
          cosHeaders: { 'x-cos-meta-id': '666666' },
          creationTime: null,
          detail: {
            event: 'ReviewImage',
            forbidden_status: '0',
            porn_info: { hit_flag: '0', score: '9' },
            result: '0',
            trace_id: 'ixzt90jl2dfscxxxxxxxxxxxxxxxxx',
            url: 'https://examplebucket-1250000000.cos.ap-shanghai.myqcloud.com/test.jpg',
            cos_headers: { 'x-cos-meta-id': '666666' },
          },
        },
      },
    ]);
  });

  test('the Detail image result becomes a complete event: time from CreationTime, CosHeaders as a map', () => {
    const [event] = sampleResults('moderation-image-detail');
    expect(event).toEqual({
      specversion: '1.0',
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      source: 'urn:tencentcloud:ci:ap-chongqing:examplebucket-1250000000',
      type: MODERATION_RESULT,
      subject: 'xxxx',
      time: '2021-08-10T13:01:10.000Z',
      datacontenttype: 'application/json',
      data: {
        jobId: 'xxxx',
        kind: 'image',
        format: 'detail',
        state: 'Success',
        verdict: 'pass',
        label: 'Normal',
        score: 0,
        bucketId: 'examplebucket-1250000000',
        region: 'ap-chongqing',
        object: '1.jpg',
        url: null,
        forbidState: 0,
        dataId: null,
        code: null,
        message: null,
        cosHeaders: { 'x-cos-meta-id': 'xxxx' },
        creationTime: '2021-08-10T13:01:10.000Z',
        detail: expect.objectContaining({ JobId: 'xxxx', CompressionResult: '0', PornInfo: { HitFlag: '0', Score: '0' } }),
      },
    });
  });

  // [sample, subject, kind, format, state, verdict, label, bucketId, region, object, url, time]
  test.each([
    ['moderation-audio-detail', 'xxxxxx', 'audio', 'detail', 'Success', 'pass', null, 'examplebucket-1250000000', 'ap-chongqing', '1.mp3', null, '2021-08-10T13:01:08.000Z'],
    ['moderation-audio-simple', 'ixzt90jl2dfscxxxxxxxxxxxxxxxxx', 'audio', 'simple', null, 'pass', null, 'examplebucket-1250000000', 'ap-shanghai', 'music.mp3', 'https://examplebucket-1250000000.cos.ap-shanghai.myqcloud.com/music.mp3', undefined],
    ['moderation-document-detail', 'xxxxxx', 'document', 'detail', 'Success', 'pass', 'Normal', 'examplebucket-1250000000', 'ap-chongqing', null, 'http://test.com/test.doc', '2021-08-10T13:01:10.000Z'],
    ['moderation-document-detail-all-nodes', '6666666666666666666666666666666666', 'document', 'detail', 'Success', 'pass', 'Normal', 'examplebucket-1250000000', 'ap-chongqing', null, null, undefined],
    ['moderation-html-detail-all-nodes', '6666666666666666666666666666666666', 'html', 'detail', 'Success', 'pass', 'Normal', 'examplebucket-1250000000', 'ap-chongqing', null, null, undefined],
    ['moderation-image-detail', 'xxxx', 'image', 'detail', 'Success', 'pass', 'Normal', 'examplebucket-1250000000', 'ap-chongqing', '1.jpg', null, '2021-08-10T13:01:10.000Z'],
    ['moderation-image-simple', 'ixzt90jl2dfscxxxxxxxxxxxxxxxxx', 'image', 'simple', null, 'pass', null, 'examplebucket-1250000000', 'ap-shanghai', 'test.jpg', 'https://examplebucket-1250000000.cos.ap-shanghai.myqcloud.com/test.jpg', undefined],
    ['moderation-live-detail', 'xxxxxx', 'video', 'detail', 'Success', 'pass', 'Normal', 'examplebucket-1250000000', 'ap-chongqing', null, 'https://66665.livepush.myqcloud.com/video.flv', '2021-08-10T13:01:10.000Z'],
    ['moderation-live-simple', 'vxzt90jl2dfscxxxxxxxxxxxxxxxxx', 'video', 'simple', null, 'pass', null, null, null, null, 'https://66665.livepush.myqcloud.com/video.flv', undefined],
    ['moderation-text-detail', 'xxxxxx', 'text', 'detail', 'Success', 'pass', 'Normal', 'examplebucket-1250000000', 'ap-chongqing', '1.txt', null, '2021-08-10T13:01:08.000Z'],
    ['moderation-text-simple', 'ixzt90jl2dfscxxxxxxxxxxxxxxxxx', 'text', 'simple', null, 'pass', null, 'examplebucket-1250000000', 'ap-shanghai', 'test.txt', 'https://examplebucket-1250000000.cos.ap-shanghai.myqcloud.com/test.txt', undefined],
    ['moderation-video-detail', 'xxxxxx', 'video', 'detail', 'Success', 'pass', 'Normal', 'examplebucket-1250000000', 'ap-chongqing', '1.mp4', null, '2021-08-10T13:01:10.000Z'],
    ['moderation-video-simple', 'vxzt90jl2dfscxxxxxxxxxxxxxxxxx', 'video', 'simple', null, 'pass', null, 'examplebucket-1250000000', 'ap-shanghai', 'video.mp4', 'https://examplebucket-1250000000.cos.ap-shanghai.myqcloud.com/video.mp4', undefined],
  ])('%s: %s, %s, %s', (sample, subject, kind, format, state, verdict, label, bucketId, region, object, url, time) => {
    const events = sampleResults(sample);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect([event.type, event.subject, event.time]).toEqual([MODERATION_RESULT, subject, time]);
    expect(event.data).toMatchObject({ jobId: subject, kind, format, state, verdict, label, bucketId, region, object, url });
    expect(event.data.cosHeaders).toEqual(expect.objectContaining({ 'x-cos-meta-id': expect.any(String) }));
    expect(event.data.detail).toEqual(format === 'detail' ? expect.objectContaining({ JobId: subject }) : expect.objectContaining({ trace_id: subject }));
  });

  test('every moderation sample is in the table above or a console test', () => {
    expect(RESULTS).toHaveLength(13);
  });

  test.each(CONSOLE_TESTS)('%s is a console test request: no event', (sample) => {
    expect(json(sample).data.trace_id).toBe('test_trace_id');
    expect(sampleResults(sample)).toEqual([]);
  });

  test('a failed job keeps its Code and Message; a document says Suggestion, read as the verdict', () => {
    const failed = json('moderation-document-detail');
    Object.assign(failed.JobsDetail, { State: 'Failed', Code: 'InternalError', Message: 'document cannot be read', Suggestion: '', DataId: 'my-doc-1' });
    const [event] = resultsOf(JSON.stringify(failed));
    expect(event.data).toMatchObject({ state: 'Failed', code: 'InternalError', message: 'document cannot be read', verdict: null, dataId: 'my-doc-1' });
    const blocked = json('moderation-document-detail');
    blocked.JobsDetail.Suggestion = 1;
    expect(resultsOf(JSON.stringify(blocked))[0].data.verdict).toBe('block');
    const review = json('moderation-image-simple');
    Object.assign(review.data, { result: 2, data_id: 'upload-42', label: 'Porn', score: 77 });
    expect(resultsOf(JSON.stringify(review))[0].data).toMatchObject({ verdict: 'review', dataId: 'upload-42', label: 'Porn', score: 77 });
  });

  test('a Simple callback that names no event has kind null', () => {
    const result = json('moderation-image-simple');
    delete result.data.event;
    expect(resultsOf(JSON.stringify(result))[0].data.kind).toBeNull();
  });
});

describe('both deployed functions accept moderation callbacks', () => {
  const env = { ...process.env };
  const receiver = testReceiver();
  beforeAll(() => {
    process.env.CALLBACK_FILE = `${receiver.dir}/events.jsonl`;
    process.env.CALLBACK_ARCHIVE_DIR = `${receiver.dir}/raw`;
  });
  afterAll(() => {
    process.env = { ...env };
  });

  test.each(RESULTS)('%s: 200 with its event, through taskCallback and workflowCallback', async (sample) => {
    const expected = sampleResults(sample);
    for (const handler of [taskCallback, workflowCallback]) {
      const before = receiver.events().length;
      const res = await handler(loadEvent(sample));
      expect([res.statusCode, body(res)]).toEqual([200, { accepted: 1, ids: expected.map((e) => e.id) }]);
      expect(receiver.events().slice(before)).toEqual(expected);
    }
  });

  test.each(CONSOLE_TESTS)('%s: 200 {accepted: 0, ids: [], test: true}, archived, nothing forwarded', async (sample) => {
    for (const handler of [taskCallback, workflowCallback]) {
      const [events, archived] = [receiver.events().length, receiver.archived().length];
      const res = await handler(loadEvent(sample));
      expect([res.statusCode, body(res)]).toEqual([200, { accepted: 0, ids: [], test: true }]);
      expect(receiver.events()).toHaveLength(events);
      expect(receiver.archived().slice(archived).map((r) => r.body)).toEqual([sampleBody(sample)]);
    }
  });

  test('the webpage sample with a trailing comma gets 400 malformed_body from both, archived', async () => {
    for (const handler of [taskCallback, workflowCallback]) {
      const archived = receiver.archived().length;
      const res = await handler(loadEvent('bad-doc-sample-moderation-html'));
      expect([res.statusCode, body(res).error.code]).toEqual([400, 'malformed_body']);
      expect(receiver.archived().slice(archived).map((r) => r.body)).toEqual([sampleBody('bad-doc-sample-moderation-html')]);
    }
  });
});

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
    const events = receiver.events() as ModerationResultEvent[];
    expect(events.map((e) => [e.subject, e.data.kind, e.data.state])).toEqual([
      ['xxxxxx', 'live', 'Auditing'],
      ['xxxxxx', 'live', 'Auditing'],
      ['xxxxxx', 'live', 'Auditing'],
    ]);
    expect(new Set(events.map((e) => e.id)).size).toBe(2);
    expect(events[2].id).toBe(events[0].id);
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
