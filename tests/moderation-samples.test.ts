import { handler as taskCallback } from '../handlers/task-callback';
import { handler as workflowCallback } from '../handlers/workflow-callback';
import { CALLBACK_EVENT_SCHEMA, MODERATION_RESULT, type ModerationResultEvent } from '../lib/events';
import { parseCallback } from '../lib/parse-callback';
import { loadEvent, sampleBody, sampleNames } from './support/fixtures';
import { testReceiver } from './support/receiver';

const body = (res: { body?: string }) => JSON.parse(res.body ?? '');
const contentVersion = (sample: string) => loadEvent(sample).headers?.['x-ci-content-version'];
const resultsOf = (text: string, version?: string) => parseCallback(text, 'application/json', version) as ModerationResultEvent[];
const sampleResults = (sample: string) => resultsOf(sampleBody(sample), contentVersion(sample));
const json = (sample: string) => JSON.parse(sampleBody(sample));

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
        dataschema: CALLBACK_EVENT_SCHEMA,
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
      dataschema: CALLBACK_EVENT_SCHEMA,
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
      const res = await handler(loadEvent(sample));
      expect([res.statusCode, body(res)]).toEqual([200, { accepted: 1, ids: expected.map((e) => e.id) }]);
    }
    // The file sink stores an event once, whichever function received it, however often.
    expect(receiver.events().filter((e) => e.id === expected[0].id)).toEqual(expected);
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

  test.each(['bad-doc-sample-moderation-html', 'bad-doc-sample-moderation-text-console-guide'])(
    '%s, a doc sample with trailing commas, gets 400 malformed_body from both, archived',
    async (sample) => {
      for (const handler of [taskCallback, workflowCallback]) {
        const archived = receiver.archived().length;
        const res = await handler(loadEvent(sample));
        expect([res.statusCode, body(res).error.code]).toEqual([400, 'malformed_body']);
        expect(receiver.archived().slice(archived).map((r) => r.body)).toEqual([sampleBody(sample)]);
      }
    },
  );
});
