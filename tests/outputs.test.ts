import type { JobFinishedEvent, OutputObject, WorkflowFinishedEvent } from '../lib/events';
import { jobOutputs, taskOutputs } from '../lib/normalize/outputs';
import { TRANSLATION_CALLBACK } from './support/doc-callbacks';
import { sampleBody } from './support/fixtures';
import { eventsOf } from './support/parse';

const job = (sample: string) => eventsOf(sampleBody(sample))[0] as JobFinishedEvent;
const run = (sample: string) => eventsOf(sampleBody(sample))[0] as WorkflowFinishedEvent;
const object = (bucket: string | null, region: string | null, key: string | null, extra: Partial<OutputObject> = {}): OutputObject => ({
  bucket,
  region,
  key,
  url: null,
  md5: null,
  ...extra,
});

describe('data.outputs of the documented samples: the objects CI wrote', () => {
  test('a snapshot job: each MediaResult ObjectName under its ObjectPrefix, then the sprite, not the ${Number} patterns of Output', () => {
    const snapshots = ['0', '1', '2', '3', '4', '5'].map((n) => object('test-123456789', 'ap-chongqing', `output/snapshot-${n}.jpg`));
    const expected = [...snapshots, object('test-123456789', 'ap-chongqing', 'output/sprite-0.jpg')];
    expect(job('task-snapshot-xml').data.outputs).toEqual(expected);
    expect(job('task-snapshot-from-workflow-json').data.outputs).toEqual(expected);
  });

  test('a transcode job: the output file with the MD5 of its Md5Info; an empty SpriteOutputFile adds nothing', () => {
    expect(job('task-transcode-xml').data.outputs).toEqual([
      object('wwj-cq-1253960454', 'ap-chongqing', 'output/go_117374C.mp4', { md5: '38f0b40c78562f819421137541043f09' }),
    ]);
  });

  test('a TTS job: a leading / of ObjectName is not part of the key, and the Md5Info spelled the same way still matches', () => {
    expect(job('task-tts-xml').data.outputs).toEqual([
      object('test-123456789', 'ap-chongqing', 'output/aixiaonan.mp3', { md5: '5b2ca33cd7357abb1e0ea29f57544df9' }),
    ]);
  });

  test('a segment job without MediaResult: the Output object it names (HLS, no ${Number})', () => {
    expect(job('task-segment-submitted-xml').data.outputs).toEqual([object('examplebucket-1250000000', 'ap-beijing', 'test-trans')]);
  });

  test('a workflow run: each task ObjectInfo, bucket and region read from the COS URL, the key without its leading /', () => {
    const event = run('workflow-result-info-xml');
    const cover = object('test-1234567890', 'ap-chongqing', 'car.mp4_i5f17a1fb400411ee88345254008e464b.jpg', {
      url: 'https://test-1234567890.cos.ap-chongqing.myqcloud.com/car.mp4_i5f17a1fb400411ee88345254008e464b.jpg',
    });
    expect(event.data.tasks[0].outputs).toEqual([cover]);
    expect(event.data.outputs).toEqual([cover]);
    expect(run('workflow-xml').data.outputs).toEqual([]);
  });

  test('image, document and translation jobs: PicProcessResult, DocProcessResult pages, else the Output object', () => {
    expect(job('task-picprocess-xml').data.outputs).toEqual([object('test-1234567890', 'ap-chongqing', 'output/out.jpg')]);
    expect(job('task-docprocess-xml').data.outputs).toEqual([object('markjrzhang-1251704708', 'ap-chongqing', 'test1/1.jpg')]);
    const translation = eventsOf(TRANSLATION_CALLBACK)[0] as JobFinishedEvent;
    expect(translation.data.outputs).toEqual([object('test-123456789', 'ap-chongqing', 'output/zh.pdf')]);
  });

  test('jobs that write nothing have none', () => {
    expect(job('task-watermark-xml').data.outputs).toEqual([]);
    expect(job('task-words-xml').data.outputs).toEqual([]);
  });
});

describe('the rules, element by element', () => {
  const output = { Bucket: 'b-1250000000', Region: 'ap-guangzhou' };

  test('an OutputFile without Bucket or Region takes them from Operation/Output', () => {
    const operation = { Output: { ...output, Object: 'x-${Number}' }, MediaResult: { OutputFile: { ObjectName: ['a', 'b'], ObjectPrefix: 'p/' } } };
    expect(jobOutputs(operation)).toEqual([object('b-1250000000', 'ap-guangzhou', 'p/a'), object('b-1250000000', 'ap-guangzhou', 'p/b')]);
  });

  test('several OutputFiles in document order, each MD5 matched by name, duplicates once', () => {
    const operation = {
      MediaResult: {
        OutputFile: [
          { ...output, ObjectName: 'a.mp4', Md5Info: [{ ObjectName: 'b.mp4', Md5: 'mb' }, { ObjectName: 'a.mp4', Md5: 'ma' }] },
          { ...output, ObjectName: ['b.mp4', 'a.mp4'], Md5Info: { ObjectName: 'b.mp4', Md5: 'mb' } },
        ],
      },
    };
    expect(jobOutputs(operation)).toEqual([
      object('b-1250000000', 'ap-guangzhou', 'a.mp4', { md5: 'ma' }),
      object('b-1250000000', 'ap-guangzhou', 'b.mp4', { md5: 'mb' }),
    ]);
  });

  test('without a result list: Object, SpriteObject, AuObject and StreamExtract objects that are not ${…} patterns', () => {
    const operation = {
      Output: {
        ...output,
        Object: 'voice.mp3',
        AuObject: 'music-${Number}.mp3',
        SpriteObject: 'sprite.jpg',
        StreamExtract: [{ Index: '0', Object: 'track0.aac' }, { Index: '1', Object: 'track-${Index}.aac' }],
      },
    };
    // In the order they are read: Object, SpriteObject, AuObject, StreamExtract.
    expect(jobOutputs(operation).map((o) => o.key)).toEqual(['voice.mp3', 'sprite.jpg', 'track0.aac']);
  });

  test('a task ObjectInfo whose URL is not a COS bucket URL keeps the run bucket, without a region', () => {
    const task = { ResultInfo: { ObjectInfo: { ObjectName: 'out.m3u8', ObjectUrl: 'https://cdn.example.com/out.m3u8' } } };
    expect(taskOutputs(task, 'run-1250000000')).toEqual([object('run-1250000000', null, 'out.m3u8', { url: 'https://cdn.example.com/out.m3u8' })]);
  });
});

