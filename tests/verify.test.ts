import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCallbackHandler } from '../lib/callback-handler';
import { loadConfig } from '../lib/config';
import { logger } from '../lib/observability/logger';
import { deliver } from '../lib/process-callback';
import { createDeps } from '../lib/receiver-deps';
import { useFakeCiWithSamples } from './support/fake-ci';
import { goodSamples, loadEvent, sampleBody, urlEvent, WATERMARK_JOB, watermarkCallbackWithJobs } from './support/fixtures';
import { eventsOf } from './support/parse';
import { testReceiver } from './support/receiver';

const WORKFLOW_RUN = 'ie4d9187d35dc11eb9cec525400860000';
const body = (res: { body?: string }) => JSON.parse(res.body ?? '');

describe('CALLBACK_VERIFY=ci: a callback is forwarded only when CI confirms it', () => {
  const ci = useFakeCiWithSamples();

  test('a genuine job passes, signed, and reaches the sink with civerified: true', async () => {
    const warn = jest.spyOn(logger, 'warn');
    const receiver = testReceiver(ci().env());
    const res = await receiver.handler(loadEvent('task-watermark-xml'));
    expect(res.statusCode).toBe(200);
    expect(receiver.events()).toEqual([expect.objectContaining({ subject: WATERMARK_JOB, civerified: true })]);
    expect(ci().requests).toEqual([{ method: 'GET', path: `/jobs/${WATERMARK_JOB}`, signed: true }]);
    expect(warn).not.toHaveBeenCalled();
  });

  test('a genuine workflow run passes with civerified: true, without a warning about the CosHeaders CI does not return', async () => {
    const warn = jest.spyOn(logger, 'warn');
    const receiver = testReceiver(ci().env());
    const res = await receiver.handler(loadEvent('workflow-xml'));
    expect(res.statusCode).toBe(200);
    expect(receiver.events()).toEqual([expect.objectContaining({ subject: WORKFLOW_RUN, civerified: true })]);
    expect(ci().requests).toEqual([{ method: 'GET', path: `/workflowexecution/${WORKFLOW_RUN}`, signed: true }]);
    expect(warn).not.toHaveBeenCalled();
  });

  // Moderation results: tests/verify-moderation.test.ts.
  test('every good job and workflow sample passes against a CI that knows it', async () => {
    const receiver = testReceiver(ci().env());
    for (const name of goodSamples().filter((n) => !n.startsWith('moderation-'))) {
      expect([name, (await receiver.handler(loadEvent(name))).statusCode]).toEqual([name, 200]);
    }
    expect(receiver.events().every((e) => e.civerified === true)).toBe(true);
    // A word-segmentation job is asked for under /ai_jobs, where CI serves that family.
    expect(ci().requests.map((r) => r.path)).toContain('/ai_jobs/ac34be3aa0bf411ed9ce39d7cc972e427');
  });

  test('a job CI serves under another family than its tag suggests is found by asking the families in turn', async () => {
    ci().addJob({ JobId: 'ja11111111111111111111111111111111', Tag: 'ExtractDigitalWatermark', State: 'Success', family: '/file_jobs' });
    const receiver = testReceiver(ci().env());
    const res = await receiver.handler(urlEvent(watermarkCallbackWithJobs(['ja11111111111111111111111111111111'])));
    expect(res.statusCode).toBe(200);
    expect(ci().requests.map((r) => r.path.split('/')[1])).toEqual(['jobs', 'ai_jobs', 'asr_jobs', 'doc_jobs', 'file_jobs']);
  });

  test('a forged JobId gets 403 unverified_callback: nothing forwarded, the body archived, a warning with the id', async () => {
    const warn = jest.spyOn(logger, 'warn');
    const receiver = testReceiver(ci().env());
    const forged = urlEvent(watermarkCallbackWithJobs(['jf0000000000000000000000000000000']));
    const res = await receiver.handler(forged);
    expect([res.statusCode, body(res).error.code]).toEqual([403, 'unverified_callback']);
    expect(receiver.events()).toEqual([]);
    expect(receiver.archived().map((r) => r.body)).toEqual([forged.body]);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('jf0000000000000000000000000000000'),
      expect.objectContaining({ subject: 'jf0000000000000000000000000000000', mismatch: 'not_found' }),
    );
    // Unknown everywhere: every family was asked, each answered NonExistJobIds.
    expect(ci().requests).toHaveLength(6);
    expect(ci().requests.every((r) => r.signed)).toBe(true);
  });

  test('a forged RunId gets 403 unverified_callback', async () => {
    const receiver = testReceiver(ci().env());
    const res = await receiver.handler(urlEvent(sampleBody('workflow-xml').replace(WORKFLOW_RUN, 'if0000000000000000000000000000000')));
    expect([res.statusCode, body(res).error.code]).toEqual([403, 'unverified_callback']);
    expect(receiver.events()).toEqual([]);
  });

  test('a state CI contradicts gets 403 and the warning names both states', async () => {
    const warn = jest.spyOn(logger, 'warn');
    ci().addJob({ JobId: WATERMARK_JOB, Tag: 'ExtractDigitalWatermark', State: 'Failed' });
    const receiver = testReceiver(ci().env());
    const res = await receiver.handler(loadEvent('task-watermark-xml'));
    expect([res.statusCode, body(res).error.code]).toEqual([403, 'unverified_callback']);
    expect(receiver.events()).toEqual([]);
    expect(warn).toHaveBeenCalledWith(
      expect.any(String),
      expect.objectContaining({ subject: WATERMARK_JOB, mismatch: 'state', callback: 'Success', ci: 'Failed' }),
    );
  });

  test('a tag CI contradicts gets 403', async () => {
    ci().addJob({ JobId: WATERMARK_JOB, Tag: 'Transcode', State: 'Success' });
    const receiver = testReceiver(ci().env());
    const res = await receiver.handler(loadEvent('task-watermark-xml'));
    expect([res.statusCode, body(res).error.code]).toEqual([403, 'unverified_callback']);
    expect(receiver.events()).toEqual([]);
  });

  test('a workflow run whose state CI contradicts gets 403', async () => {
    ci().addRun({ RunId: WORKFLOW_RUN, State: 'Running' });
    const res = await testReceiver(ci().env()).handler(loadEvent('workflow-json'));
    expect([res.statusCode, body(res).error.code]).toEqual([403, 'unverified_callback']);
  });

  test('a callback with 3 jobs of which one is forged is refused whole', async () => {
    const ids = ['jb0000000000000000000000000000001', 'jb0000000000000000000000000000002', 'jb0000000000000000000000000000003'];
    ci().addJob({ JobId: ids[0], Tag: 'ExtractDigitalWatermark', State: 'Success' });
    ci().addJob({ JobId: ids[2], Tag: 'ExtractDigitalWatermark', State: 'Success' });
    const receiver = testReceiver(ci().env());
    const res = await receiver.handler(urlEvent(watermarkCallbackWithJobs(ids)));
    expect([res.statusCode, body(res).error.code]).toEqual([403, 'unverified_callback']);
    expect(receiver.events()).toEqual([]);
    expect(new Set(ci().requests.filter((r) => r.path.startsWith('/jobs/')).map((r) => r.path))).toEqual(
      new Set(ids.map((id) => `/jobs/${id}`)),
    );

    ci().addJob({ JobId: ids[1], Tag: 'ExtractDigitalWatermark', State: 'Success' });
    const genuine = await receiver.handler(urlEvent(watermarkCallbackWithJobs(ids)));
    expect(genuine.statusCode).toBe(200);
    expect(receiver.events().map((e) => e.subject)).toEqual(ids);
  });

  test('an id that is not a CI id is refused without asking CI (it never reaches a URL)', async () => {
    const receiver = testReceiver(ci().env());
    const res = await receiver.handler(urlEvent(watermarkCallbackWithJobs(['../../jobs?x=1'])));
    expect([res.statusCode, body(res).error.code]).toEqual([403, 'unverified_callback']);
    expect(ci().requests).toEqual([]);
  });

  test.each([
    [500, 'InternalError'],
    [503, 'SlowDown'],
    [429, 'RequestLimitExceeded'],
    [404, 'NoSuchBucket'],
  ])('CI answering %i %s gets 503 verification_unavailable and forwards nothing', async (status, code) => {
    ci().fail({ status, code });
    const receiver = testReceiver(ci().env());
    const res = await receiver.handler(loadEvent('task-watermark-xml'));
    expect([res.statusCode, body(res).error.code]).toEqual([503, 'verification_unavailable']);
    expect(receiver.events()).toEqual([]);
    expect(receiver.archived()).toHaveLength(1);
  });

  test('an unreachable CI gets 503 verification_unavailable', async () => {
    const env = ci().env();
    await ci().close();
    const receiver = testReceiver(env);
    const res = await receiver.handler(loadEvent('workflow-xml'));
    expect([res.statusCode, body(res).error.code]).toEqual([503, 'verification_unavailable']);
    expect(receiver.events()).toEqual([]);
  });

  test('a CI that never answers gets 503 once CI_VERIFY_TIMEOUT_MS is spent', async () => {
    ci().fail('hang');
    const receiver = testReceiver(ci().env({ CI_VERIFY_TIMEOUT_MS: '200' }));
    const res = await receiver.handler(loadEvent('task-watermark-xml'));
    expect([res.statusCode, body(res).error.code]).toEqual([503, 'verification_unavailable']);
  });

  test('a wrong secret key gets 503, and the log says CI refused the credentials', async () => {
    const error = jest.spyOn(logger, 'error');
    const receiver = testReceiver(ci().env({ TENCENTCLOUD_SECRET_KEY: 'not-the-key' }));
    const res = await receiver.handler(loadEvent('task-watermark-xml'));
    expect([res.statusCode, body(res).error.code]).toEqual([503, 'verification_unavailable']);
    expect(receiver.events()).toEqual([]);
    expect(ci().requests).toEqual([{ method: 'GET', path: `/jobs/${WATERMARK_JOB}`, signed: false }]);
    expect(error).toHaveBeenCalledWith(
      expect.stringMatching(/CI refused the credentials \(SignatureDoesNotMatch\).*TENCENTCLOUD_SECRET_KEY.*ci:DescribeMediaJob/),
      expect.objectContaining({ reason: 'credentials_refused', status: 403 }),
    );
  });

  test('the shared deliver step verifies too, so a replayed body is checked like a live one', async () => {
    const { deps } = testReceiver(ci().env());
    const forged = eventsOf(watermarkCallbackWithJobs(['jf0000000000000000000000000000000']));
    await expect(deliver(forged, deps)).rejects.toMatchObject({ status: 403, code: 'unverified_callback' });
    const genuine = await deliver(eventsOf(sampleBody('task-watermark-xml')), deps);
    expect(genuine.map((e) => e.civerified)).toEqual([true]);
  });

  test('with the mode off CI is never asked and events carry no civerified attribute', async () => {
    const receiver = testReceiver();
    expect(receiver.deps.verifier).toBeNull();
    expect((await receiver.handler(loadEvent('task-watermark-xml'))).statusCode).toBe(200);
    expect(receiver.events()[0]).not.toHaveProperty('civerified');
    expect(ci().requests).toEqual([]);
  });
});

describe('CALLBACK_VERIFY=ci misconfigured fails closed', () => {
  test.each([
    [{ CALLBACK_VERIFY: 'ci', CI_BUCKET: 'examplebucket-1250000000', CI_REGION: 'ap-chongqing' }, /TENCENTCLOUD_SECRET_ID/],
    [{ CALLBACK_VERIFY: 'ci', TENCENTCLOUD_SECRET_ID: 'id', TENCENTCLOUD_SECRET_KEY: 'key' }, /CI_BUCKET/],
    [{ CALLBACK_VERIFY: 'ci', TENCENTCLOUD_SECRET_ID: 'id', TENCENTCLOUD_SECRET_KEY: 'key', CI_BUCKET: 'no-appid', CI_REGION: 'ap-chongqing' }, /CI_BUCKET/],
    [{ CALLBACK_VERIFY: 'ci', TENCENTCLOUD_SECRET_ID: 'id', TENCENTCLOUD_SECRET_KEY: 'key', CI_ENDPOINT: 'http://ci.example.com' }, /https/],
    [{ CALLBACK_VERIFY: 'yes' }, /CALLBACK_VERIFY/],
  ])('%j gets 500 misconfigured naming what is missing, and nothing is forwarded', async (env, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'receiver-'));
    const handler = createCallbackHandler('taskCallback', () =>
      createDeps(loadConfig({ CALLBACK_FILE: join(dir, 'events.jsonl'), CALLBACK_ARCHIVE_DIR: join(dir, 'raw'), ...env })),
    );
    const res = await handler(loadEvent('task-watermark-xml'));
    expect([res.statusCode, body(res).error.code]).toEqual([500, 'misconfigured']);
    expect(body(res).error.message).toMatch(message);
    expect(existsSync(join(dir, 'events.jsonl'))).toBe(false);
  });

  test('the endpoint comes from CI_BUCKET and CI_REGION only', () => {
    const config = loadConfig({ CALLBACK_VERIFY: 'ci', TENCENTCLOUD_SECRET_ID: 'id', TENCENTCLOUD_SECRET_KEY: 'key', CI_BUCKET: 'examplebucket-1250000000', CI_REGION: 'ap-chongqing' });
    expect(config.verify).toMatchObject({ endpoint: 'https://examplebucket-1250000000.ci.ap-chongqing.myqcloud.com', timeoutMs: 3000, concurrency: 5 });
  });
});
