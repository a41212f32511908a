import type { IncomingMessage } from 'node:http';
import { checkCosAuthorization } from './support/cos-auth-check';
import { startFakeCi } from './support/fake-ci';

// The fake CI must refuse what real CI refuses, or the verification tests prove nothing.
// Its signature check is held to Tencent's documented worked example (COS API doc 436/7778).
const DOC_KEY = { secretId: 'AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q', secretKey: 'BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz' };
const DOC_DOWNLOAD = {
  method: 'GET',
  url: '/exampleobject(%E8%85%BE%E8%AE%AF%E4%BA%91)?response-content-type=application%2Foctet-stream&response-cache-control=max-age%3D600',
  headers: {
    date: 'Thu, 16 May 2019 06:55:53 GMT',
    host: 'examplebucket-1250000000.cos.ap-beijing.myqcloud.com',
    authorization:
      'q-sign-algorithm=sha1&q-ak=AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q&q-sign-time=1557989753;1557996953' +
      '&q-key-time=1557989753;1557996953&q-header-list=date;host&q-url-param-list=response-cache-control;response-content-type' +
      '&q-signature=01681b8c9d798a678e43b685a9f1bba0f6c0e012',
  },
};
const asRequest = (r: typeof DOC_DOWNLOAD) => r as unknown as IncomingMessage;
const DURING_VALIDITY = 1557990000;

describe('the fake CI checks signatures as Tencent documents them', () => {
  test('it accepts the documented signed download request', () => {
    expect(checkCosAuthorization(asRequest(DOC_DOWNLOAD), DOC_KEY, DURING_VALIDITY)).toEqual({ ok: true });
  });

  test('it refuses the same request with a signed header changed, another parameter, another key or outside its validity', () => {
    const changedDate = { ...DOC_DOWNLOAD, headers: { ...DOC_DOWNLOAD.headers, date: 'Thu, 16 May 2019 06:55:54 GMT' } };
    const changedParam = { ...DOC_DOWNLOAD, url: DOC_DOWNLOAD.url.replace('600', '601') };
    expect(checkCosAuthorization(asRequest(changedDate), DOC_KEY, DURING_VALIDITY)).toMatchObject({ code: 'SignatureDoesNotMatch' });
    expect(checkCosAuthorization(asRequest(changedParam), DOC_KEY, DURING_VALIDITY)).toMatchObject({ code: 'SignatureDoesNotMatch' });
    expect(checkCosAuthorization(asRequest(DOC_DOWNLOAD), { ...DOC_KEY, secretKey: 'x' }, DURING_VALIDITY)).toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
    expect(checkCosAuthorization(asRequest(DOC_DOWNLOAD), DOC_KEY, 1557996954)).toMatchObject({ code: 'AccessDenied' });
  });

  test('an unsigned request gets 403 with an <Error> body, and is recorded as not signed', async () => {
    const ci = await startFakeCi({ jobs: [{ JobId: 'j1', Tag: 'Transcode', State: 'Success' }] });
    try {
      const res = await fetch(`${ci.endpoint}/jobs/j1`);
      expect(res.status).toBe(403);
      expect(await res.text()).toMatch(/<Error><Code>AccessDenied<\/Code><Message>[^<]+<\/Message>/);
      expect(ci.requests).toEqual([{ method: 'GET', path: '/jobs/j1', signed: false }]);
    } finally {
      await ci.close();
    }
  });
});
