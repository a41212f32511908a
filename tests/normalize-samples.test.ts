import { JOB_FINISHED, WORKFLOW_FINISHED, type JobFinishedEvent, type WorkflowFinishedEvent } from '../lib/events';
import { sampleBody } from './support/fixtures';
import { eventsOf } from './support/parse';

const job = (sample: string) => {
  const events = eventsOf(sampleBody(sample));
  expect(events).toHaveLength(1);
  return events[0] as JobFinishedEvent;
};
const workflow = (sample: string) => {
  const events = eventsOf(sampleBody(sample));
  expect(events).toHaveLength(1);
  return events[0] as WorkflowFinishedEvent;
};

// Whole events are compared with toMatchObject: every field the contract names, with its exact
// value, while a field added in a later minor version of the contract (see CHANGELOG.md) does not
// break these tests. Arrays still have to match in length and order.
describe('job callbacks from the documentation samples', () => {
  test('the digital-watermark job (XML) becomes a complete job.finished event', () => {
    expect(job('task-watermark-xml')).toMatchObject({
      specversion: '1.0',
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      source: 'urn:tencentcloud:ci:ap-chongqing:test-123456789',
      type: JOB_FINISHED,
      subject: 'j515a494af86111ecb8546d80f2baf56f',
      time: '2022-06-30T10:42:54.000Z',
      datacontenttype: 'application/json',
      dataschema: 'urn:ci-callback-receiver:schema:callback-event.v1.json',
      data: {
        jobId: 'j515a494af86111ecb8546d80f2baf56f',
        tag: 'ExtractDigitalWatermark',
        state: 'Success',
        code: 'Success',
        message: 'done',
        queueId: 'p2242ab62c7c94486915508540933a2c6',
        creationTime: '2022-06-30T10:42:20.000Z',
        startTime: '2022-06-30T10:42:21.000Z',
        endTime: '2022-06-30T10:42:54.000Z',
        input: { bucketId: 'test-123456789', object: 'output/digital.mp4', region: 'ap-chongqing' },
        workflow: null,
        cosHeaders: {},
        userData: 'This is my ExtractDigitalWatermark job.',
        operation: {
          ExtractDigitalWatermark: { Message: '123456789ab', Type: 'Text', Version: 'V1' },
          UserData: 'This is my ExtractDigitalWatermark job.',
        },
        outputs: [],
        extra: {},
      },
    });
    // operation is CI's subtree as it came: nothing more, nothing less.
    expect(job('task-watermark-xml').data.operation).toEqual({
      ExtractDigitalWatermark: { Message: '123456789ab', Type: 'Text', Version: 'V1' },
      UserData: 'This is my ExtractDigitalWatermark job.',
    });
  });

  test('the TTS job keeps its nested result and drops empty elements such as <Message/>', () => {
    const event = job('task-tts-xml');
    expect(event.data.message).toBeNull();
    expect(event.data.input).toBeNull();
    expect(event.data.tag).toBe('Tts');
    expect(event.source).toBe('urn:tencentcloud:ci:ap-chongqing:test-123456789');
    expect(event.data.operation.MediaInfo).toEqual({ Stream: { Audio: { CodecName: 'mp3', SampleRate: '16000' } } });
    expect(event.data.operation.MediaResult).toEqual({
      OutputFile: {
        Bucket: 'test-123456789',
        Md5Info: { Md5: '5b2ca33cd7357abb1e0ea29f57544df9', ObjectName: '/output/aixiaonan.mp3' },
        ObjectName: '/output/aixiaonan.mp3',
        Region: 'ap-chongqing',
      },
    });
    expect(event.data.operation.TtsConfig).toEqual({ Input: '你好，我是爱晓楠，很高兴认识你。', InputType: 'Text' });
    expect(event.data.operation.JobLevel).toBe('0');
  });

  test('a workflow-triggered job carries its workflow and the CosHeaders found under Operation.Input', () => {
    const event = job('task-tts-from-workflow-xml');
    expect(event.data.workflow).toMatchObject({
      runId: 'ic90edd59f84f11ec9d4f525400a3c59f',
      workflowId: 'web6ac56c1ef54dbfa44d7f4103203be9',
      workflowName: 'workflow-test',
      name: 'Tts_1581665960537',
    });
    expect(event.data.cosHeaders).toEqual({
      'Content-Type': 'application/octet-stream',
      'x-cos-request-id': 'NjJiZDYwYTFfNjUzYTYyNjRfZjEwZl8xMmZhYzY5',
      EventName: 'cos:ObjectCreated:Put',
      Size: '265',
    });
    expect(event.data.input).toBeNull();
  });

  test('the word-segmentation job has no State and no QueueId: both are null, the tokens stay in order', () => {
    const event = job('task-words-xml');
    expect(event.data.state).toBeNull();
    expect(event.data.queueId).toBeNull();
    expect(event.data.code).toBe('Success');
    expect(event.data.input).toMatchObject({ bucketId: 'test-123456789', object: 'text.txt', region: 'ap-chongqing' });
    const result = event.data.operation.WordsGeneralizeResult as { WordsGeneralizeToken: Array<{ Word: string }> };
    expect(result.WordsGeneralizeToken.map((t) => t.Word)).toEqual(['今天', '打车', '花', '60', '元']);
  });

  test('the JSON samples with and without a Response wrapper and with JobsDetail as an array parse too', () => {
    expect(job('task-words-json-response-wrapper').data.jobId).toBe('ac34be3aa0bf411ed9ce39d7cc972e427');
    expect(job('task-tts-from-workflow-json').data.workflow?.runId).toBe('ic90edd59f84f11ec9d4f525400a3c59f');
    expect(job('task-watermark-json').data.tag).toBe('ExtractDigitalWatermark');
  });
});

describe('workflow callbacks from the documentation samples', () => {
  test('the workflow run becomes a workflow.finished event with its tasks', () => {
    const event = workflow('workflow-xml');
    expect(event).toMatchObject({
      type: WORKFLOW_FINISHED,
      subject: 'ie4d9187d35dc11eb9cec525400860000',
      time: '2020-12-01T03:00:41.000Z',
      source: 'urn:tencentcloud:ci::examplebucket-1250000000',
    });
    expect(event.data).toMatchObject({
      runId: 'ie4d9187d35dc11eb9cec525400860000',
      workflowId: 'w2b22307fb0e44107bc8ffe71e1d20000',
      workflowName: 'example',
      state: 'Success',
      createTime: '2020-12-01T03:00:41.000Z',
      bucketId: 'examplebucket-1250000000',
      object: '0000.mp4',
      cosHeaders: { 'x-cos-meta-id': 'testid' },
      tasks: [
        {
          type: 'Transcode',
          jobId: 'je5195f3e35dc11ebbe6fed17a7c10000',
          state: 'Success',
          name: 'Transcode_1600413767353',
          templateId: 't182c0ca7d91ca40969a3fc97c5559091a',
          templateName: 'example',
          createTime: '2020-12-01T03:00:42.000Z',
          endTime: '2020-12-01T03:00:45.000Z',
        },
        {
          type: 'Transcode',
          jobId: 'je55e922035dc11ebbe6fed17a7c10000',
          state: 'Success',
          name: 'Transcode_1600413767444',
          templateId: 't182c0ca7d91ca40969a3fc97c5559091b',
          templateName: 'example',
          createTime: '2020-12-01T03:00:42.000Z',
          endTime: '2020-12-01T03:00:45.000Z',
        },
      ],
    });
  });
});

describe('the same callback in XML and in JSON', () => {
  test.each([
    ['task-watermark-xml', 'task-watermark-json'],
    ['task-watermark-xml', 'task-watermark-xml-base64'],
    ['task-tts-from-workflow-xml', 'task-tts-from-workflow-json'],
    ['task-words-xml', 'task-words-json-response-wrapper'],
    ['workflow-xml', 'workflow-json'],
  ])('%s and %s give identical events, ids included', (xml, json) => {
    expect(eventsOf(sampleBody(json))).toEqual(eventsOf(sampleBody(xml)));
  });
});
