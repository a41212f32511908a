import { logger } from '../lib/observability/logger';
import { useFakeCiWithSamples } from './support/fake-ci';
import { goodSamples, loadEvent, sampleBody, urlEvent, WATERMARK_JOB, watermarkCallbackWithJobs } from './support/fixtures';
import { eventsOf } from './support/parse';
import { testReceiver } from './support/receiver';

// CALLBACK_VERIFY=ci builds the forwarded event from CI's record (lib/verify/ci-record.ts);
// tests/verify.test.ts covers which callbacks are confirmed and which refused.
const body = (res: { body?: string }) => JSON.parse(res.body ?? '');

describe('CALLBACK_VERIFY=ci: what is forwarded is what CI says, not what the callback says', () => {
  const ci = useFakeCiWithSamples();

  /** The event a genuine body gives, as CI's record of it is forwarded. */
  const verifiedEventOf = (body: string) => ({ ...eventsOf(body)[0], civerified: true });
  const distinct = (events: unknown[]) => [...new Set(events.map((e) => JSON.stringify(e)))].map((e) => JSON.parse(e));

  test('a forged Message, UserData and object for a real finished job: CI\'s record is stored, and the genuine callback after it stores the same', async () => {
    const warn = jest.spyOn(logger, 'warn');
    const genuine = sampleBody('task-watermark-xml');
    const forged = genuine
      .replace('<Message>done</Message>', '<Message>forged</Message>')
      .replace('This is my ExtractDigitalWatermark job.', 'rm -rf /')
      .replace('output/digital.mp4', 'output/forged.mp4');
    const receiver = testReceiver(ci().env());

    const first = await receiver.handler(urlEvent(forged));
    expect(first.statusCode).toBe(200);
    expect(receiver.events()).toEqual([verifiedEventOf(genuine)]);
    expect(receiver.events()[0].data).toMatchObject({ message: 'done', userData: 'This is my ExtractDigitalWatermark job.' });
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining(`${WATERMARK_JOB} differs from CI's record`),
      expect.objectContaining({ replacedFields: expect.arrayContaining(['message', 'userData', 'input']) }),
    );

    const second = await receiver.handler(loadEvent('task-watermark-xml'));
    expect(second.statusCode).toBe(200);
    expect(body(second).ids).toEqual(body(first).ids);
    expect(distinct(receiver.events())).toEqual([verifiedEventOf(genuine)]);
  });

  test('a forged Code gets 403 and never becomes a second verified event for the job', async () => {
    const warn = jest.spyOn(logger, 'warn');
    const genuine = sampleBody('task-watermark-xml');
    const receiver = testReceiver(ci().env());

    const forged = await receiver.handler(urlEvent(genuine.replace('<Code>Success</Code>', '<Code>InternalError</Code>')));
    expect([forged.statusCode, body(forged).error.code]).toEqual([403, 'unverified_callback']);
    expect(warn).toHaveBeenCalledWith(
      expect.any(String),
      expect.objectContaining({ subject: WATERMARK_JOB, mismatch: 'code', callback: 'InternalError', ci: 'Success' }),
    );
    expect((await receiver.handler(loadEvent('task-watermark-xml'))).statusCode).toBe(200);
    expect(distinct(receiver.events())).toEqual([verifiedEventOf(genuine)]);
    expect(new Set(receiver.events().filter((e) => e.subject === WATERMARK_JOB).map((e) => e.id)).size).toBe(1);
  });

  test('a forged JSON callback is answered with CI\'s record too: the id comes from verified content', async () => {
    const genuine = JSON.parse(sampleBody('task-watermark-json'));
    genuine.JobsDetail.Operation.UserData = 'forged';
    genuine.JobsDetail.Input.BucketId = 'attacker-1250000000';
    const receiver = testReceiver(ci().env());
    const res = await receiver.handler(urlEvent(JSON.stringify(genuine), { contentType: 'application/json' }));
    expect(res.statusCode).toBe(200);
    expect(receiver.events()).toEqual([verifiedEventOf(sampleBody('task-watermark-json'))]);
    expect(receiver.events()[0].source).not.toContain('attacker');
  });

  test('a workflow run is forwarded as DescribeWorkflowExecution states it: forged fields replaced, CosHeaders (which CI does not return) left out', async () => {
    const genuine = sampleBody('workflow-xml');
    const forged = genuine.replace('<Object>0000.mp4</Object>', '<Object>forged.mp4</Object>').replace('<Value>testid</Value>', '<Value>forged</Value>');
    const receiver = testReceiver(ci().env());
    expect((await receiver.handler(urlEvent(forged))).statusCode).toBe(200);
    const [stored] = receiver.events();
    expect(stored).toEqual({ ...verifiedEventOf(genuine), data: { ...verifiedEventOf(genuine).data, cosHeaders: {} } });
    expect(stored.data).toMatchObject({ object: '0000.mp4', bucketId: 'examplebucket-1250000000', workflowName: 'example' });
  });

  test('every good sample is forwarded exactly as CI\'s record of it normalizes', async () => {
    // task-tts-xml and task-snapshot-xml are the jobs of the *-from-workflow samples told without
    // their workflow: CI's record is the full one, and the fake serves it.
    const recordOf: Record<string, string> = {
      'task-tts-xml': 'task-tts-from-workflow-xml',
      'task-snapshot-xml': 'task-snapshot-from-workflow-json',
    };
    const receiver = testReceiver(ci().env());
    const ciBucket = ci().env().CI_BUCKET;
    // Moderation results: tests/verify-moderation.test.ts.
    for (const name of goodSamples().filter((n) => !n.startsWith('moderation-'))) {
      const res = await receiver.handler(loadEvent(name));
      const expected = eventsOf(sampleBody(recordOf[name] ?? name)).map((e) => ({ ...e, civerified: true }));
      // Samples of one job share its id, which the file sink stores once: look the answer's ids up.
      const stored = (body(res).ids as string[]).map((id) => receiver.events().find((e) => e.id === id));
      expect([name, stored]).toEqual([
        name,
        // DescribeWorkflowExecution returns neither BucketId nor CosHeaders: the bucket is the one whose CI answered.
        expected.map((e) =>
          e.type.endsWith('workflow.finished')
            ? { ...e, source: `urn:tencentcloud:ci::${ciBucket}`, data: { ...e.data, bucketId: ciBucket, cosHeaders: {} } }
            : e,
        ),
      ]);
    }
  });

  test('a record from CI that cannot be read as one job (two different States) gets 503, not a guess', async () => {
    ci().addFromCallback(watermarkCallbackWithJobs(['jd0000000000000000000000000000001']).replace('<State>Success</State>', '<State>Success</State><State>Failed</State>'));
    const receiver = testReceiver(ci().env());
    const res = await receiver.handler(urlEvent(watermarkCallbackWithJobs(['jd0000000000000000000000000000001'])));
    expect([res.statusCode, body(res).error.code]).toEqual([503, 'verification_unavailable']);
    expect(receiver.events()).toEqual([]);
  });
});
