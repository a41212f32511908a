import { createCallbackHandler } from '../lib/callback-handler';
import { logger } from '../lib/observability/logger';
import { MODERATION_PATH_OF_EVENT, useFakeCiWithSamples } from './support/fake-ci';
import { goodSamples, loadEvent, sampleBody, urlEvent } from './support/fixtures';
import { eventsOf } from './support/parse';
import { testReceiver } from './support/receiver';

// CALLBACK_VERIFY=ci for content-moderation results: each is looked up with CI's moderation
// query API (GET /<kind>/auditing/<jobId>) and CI's record is what is forwarded.
const body = (res: { body?: string }) => JSON.parse(res.body ?? '');
const DETAIL_SAMPLES = goodSamples().filter((n) => n.startsWith('moderation-') && n.includes('-detail'));
const SIMPLE_TRACE_ID = 'ixzt90jl2dfscxxxxxxxxxxxxxxxxx';

/** A Simple callback as CI posts it (JSON, X-Ci-Content-Version: Simple). */
const simpleEvent = (text: string) => urlEvent(text, { contentType: 'application/json', headers: { 'x-ci-content-version': 'Simple' } });

/**
 * The event CI's record of a Detail sample gives: the query returns the callback's JobsDetail,
 * which documents no BucketId, so a record without one names the bucket whose CI answered.
 */
function eventOfCiRecord(name: string, bucket: string) {
  const callback = JSON.parse(sampleBody(name));
  callback.JobsDetail = { BucketId: bucket, ...callback.JobsDetail };
  return { ...eventsOf(JSON.stringify(callback))[0], civerified: true };
}

describe('CALLBACK_VERIFY=ci: a moderation result is forwarded only when CI confirms it', () => {
  const ci = useFakeCiWithSamples();

  test('every Detail moderation sample is confirmed through both functions, and what is stored is the event of CI\'s record', async () => {
    expect(DETAIL_SAMPLES.length).toBeGreaterThanOrEqual(8);
    const receiver = testReceiver(ci().env());
    const functions = [receiver.handler, createCallbackHandler('workflowCallback', () => receiver.deps)];
    for (const name of DETAIL_SAMPLES) {
      // Samples reuse JobIds (video and live both say xxxxxx): CI serves this sample's record now.
      ci().addFromCallback(sampleBody(name));
      const { EventName, JobsDetail } = JSON.parse(sampleBody(name));
      const expected = eventOfCiRecord(name, ci().env().CI_BUCKET);
      for (const handler of functions) {
        const before = ci().requests.length;
        const res = await handler(loadEvent(name));
        expect([name, res.statusCode]).toEqual([name, 200]);
        const stored = (body(res).ids as string[]).map((id) => receiver.events().find((e) => e.id === id));
        expect([name, stored]).toEqual([name, [expected]]);
        // Its own kind's query answers first.
        expect(ci().requests[before]).toEqual({ method: 'GET', path: `${MODERATION_PATH_OF_EVENT[EventName]}/${JobsDetail.JobId}`, signed: true });
      }
    }
  });

  test('a Simple result is looked up by its trace_id under the kind its event names, and CI\'s record is forwarded', async () => {
    const warn = jest.spyOn(logger, 'warn');
    ci().addModerationJob({ EventName: 'ReviewImage', JobId: SIMPLE_TRACE_ID, State: 'Success', Result: '0' });
    const receiver = testReceiver(ci().env());
    const res = await receiver.handler(loadEvent('moderation-image-simple'));
    expect(res.statusCode).toBe(200);
    expect(ci().requests).toEqual([{ method: 'GET', path: `/image/auditing/${SIMPLE_TRACE_ID}`, signed: true }]);
    expect(receiver.events()).toEqual([
      expect.objectContaining({
        subject: SIMPLE_TRACE_ID,
        civerified: true,
        data: expect.objectContaining({ jobId: SIMPLE_TRACE_ID, kind: 'image', format: 'detail', state: 'Success', verdict: 'pass' }),
      }),
    ]);
    expect(warn).not.toHaveBeenCalled();
  });

  test('a Simple result that names no event is found by asking each kind\'s query in turn', async () => {
    ci().addModerationJob({ EventName: 'ReviewText', JobId: SIMPLE_TRACE_ID, State: 'Success', Result: '0' });
    const noEvent = sampleBody('moderation-text-simple').replace('"event":"ReviewText",', '');
    expect(eventsOf(noEvent)[0].data).toMatchObject({ kind: null });
    const receiver = testReceiver(ci().env());
    const res = await receiver.handler(simpleEvent(noEvent));
    expect(res.statusCode).toBe(200);
    expect(ci().requests.map((r) => r.path.split('/')[1])).toEqual(['image', 'video', 'audio', 'text']);
    expect(receiver.events()).toEqual([expect.objectContaining({ civerified: true, data: expect.objectContaining({ kind: 'text' }) })]);
  });

  test.each([
    ['a Detail verdict', () => urlEvent(sampleBody('moderation-image-detail').replace('"Result": 0', '"Result": 1'), { contentType: 'application/json' }), 'block'],
    ['a Simple verdict', () => simpleEvent(sampleBody('moderation-image-simple').replace('"result": 0', '"result": 1')), 'block'],
  ])('%s CI contradicts gets 403 unverified_callback and the warning names both verdicts', async (_, forged, claimed) => {
    ci().addModerationJob({ EventName: 'ReviewImage', JobId: SIMPLE_TRACE_ID, State: 'Success', Result: '0' });
    const warn = jest.spyOn(logger, 'warn');
    const receiver = testReceiver(ci().env());
    const res = await receiver.handler(forged());
    expect([res.statusCode, body(res).error.code]).toEqual([403, 'unverified_callback']);
    expect(receiver.events()).toEqual([]);
    expect(warn).toHaveBeenCalledWith(expect.any(String), expect.objectContaining({ mismatch: 'verdict', callback: claimed, ci: 'pass' }));
  });

  test('a state CI contradicts gets 403', async () => {
    const warn = jest.spyOn(logger, 'warn');
    const receiver = testReceiver(ci().env());
    const res = await receiver.handler(urlEvent(sampleBody('moderation-image-detail').replace('"State": "Success"', '"State": "Failed"'), { contentType: 'application/json' }));
    expect([res.statusCode, body(res).error.code]).toEqual([403, 'unverified_callback']);
    expect(warn).toHaveBeenCalledWith(expect.any(String), expect.objectContaining({ mismatch: 'state', callback: 'Failed', ci: 'Success' }));
  });

  test('a kind CI contradicts gets 403: an image result for a job CI knows only as a video', async () => {
    ci().addModerationJob({ EventName: 'ReviewVideo', JobId: 'vx0000000000000000000000000000001', State: 'Success', Result: '0' });
    const warn = jest.spyOn(logger, 'warn');
    const receiver = testReceiver(ci().env());
    const claimed = sampleBody('moderation-image-detail').replace('"JobId": "xxxx"', '"JobId": "vx0000000000000000000000000000001"');
    const res = await receiver.handler(urlEvent(claimed, { contentType: 'application/json' }));
    expect([res.statusCode, body(res).error.code]).toEqual([403, 'unverified_callback']);
    expect(warn).toHaveBeenCalledWith(expect.any(String), expect.objectContaining({ mismatch: 'kind', callback: 'image', ci: 'video' }));
  });

  test('an id CI does not know gets 403 after every kind\'s query was asked, and nothing is forwarded', async () => {
    const warn = jest.spyOn(logger, 'warn');
    const receiver = testReceiver(ci().env());
    const forged = sampleBody('moderation-image-detail').replace('"JobId": "xxxx"', '"JobId": "sf0000000000000000000000000000000"');
    const res = await receiver.handler(urlEvent(forged, { contentType: 'application/json' }));
    expect([res.statusCode, body(res).error.code]).toEqual([403, 'unverified_callback']);
    expect(receiver.events()).toEqual([]);
    expect(ci().requests.map((r) => r.path.split('/')[1])).toEqual(['image', 'video', 'audio', 'text', 'document', 'webpage']);
    expect(warn).toHaveBeenCalledWith(expect.any(String), expect.objectContaining({ subject: 'sf0000000000000000000000000000000', mismatch: 'not_found' }));
  });

  test('a CI that never answers gets 503 verification_unavailable once CI_VERIFY_TIMEOUT_MS is spent', async () => {
    ci().fail('hang');
    const receiver = testReceiver(ci().env({ CI_VERIFY_TIMEOUT_MS: '200' }));
    const res = await receiver.handler(loadEvent('moderation-text-detail'));
    expect([res.statusCode, body(res).error.code]).toEqual([503, 'verification_unavailable']);
    expect(receiver.events()).toEqual([]);
  });

  test('a wrong secret key gets 503 and the log names the moderation query\'s CAM action', async () => {
    const error = jest.spyOn(logger, 'error');
    const receiver = testReceiver(ci().env({ TENCENTCLOUD_SECRET_KEY: 'not-the-key' }));
    const res = await receiver.handler(loadEvent('moderation-image-detail'));
    expect([res.statusCode, body(res).error.code]).toEqual([503, 'verification_unavailable']);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('ci:DescribeAuditingPictureJob'), expect.objectContaining({ reason: 'credentials_refused' }));
  });

  test('console test requests still get 200 with nothing looked up', async () => {
    const receiver = testReceiver(ci().env());
    for (const name of goodSamples().filter((n) => n.startsWith('moderation-') && n.includes('console-test'))) {
      const res = await receiver.handler(loadEvent(name));
      expect([name, res.statusCode, body(res)]).toEqual([name, 200, { accepted: 0, ids: [], test: true }]);
    }
    expect(ci().requests).toEqual([]);
    expect(receiver.events()).toEqual([]);
  });
});
