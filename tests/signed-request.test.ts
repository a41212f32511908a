import type { IncomingMessage } from 'node:http';
import { signedHeaders } from '../lib/verify/signed-request';
import { checkCosAuthorization } from './support/cos-auth-check';

const credentials = { secretId: 'AKIDexample', secretKey: 'example-key' };

/** What the server sees of a request made with these headers. */
function asReceived(method: string, url: URL, headers: Record<string, string>): IncomingMessage {
  return { method, url: url.pathname + url.search, headers } as unknown as IncomingMessage;
}

describe('signed requests to CI', () => {
  test('a paged GET signs its mixed-case query parameters and the host, and the server-side check accepts it', () => {
    const url = new URL('https://examplebucket-1250000000.ci.ap-chongqing.myqcloud.com/queue?category=CateAll&pageNumber=2&pageSize=10');
    const headers = signedHeaders('GET', url, credentials);
    expect(headers.host).toBe(url.host);
    expect(headers.authorization).toContain('q-url-param-list=category;pagenumber;pagesize');
    expect(checkCosAuthorization(asReceived('GET', url, headers), credentials)).toEqual({ ok: true });
  });

  test('a PUT signs its content type; another page or another body type no longer matches', () => {
    const url = new URL('https://examplebucket-1250000000.ci.ap-chongqing.myqcloud.com/queue/p123');
    const headers = signedHeaders('PUT', url, credentials, { 'content-type': 'application/xml' });
    expect(headers.authorization).toContain('q-header-list=content-type;host');
    expect(checkCosAuthorization(asReceived('PUT', url, headers), credentials)).toEqual({ ok: true });
    const tampered = asReceived('PUT', url, { ...headers, 'content-type': 'text/plain' });
    expect(checkCosAuthorization(tampered, credentials)).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
    const otherQueue = asReceived('PUT', new URL(url.href.replace('p123', 'p124')), headers);
    expect(checkCosAuthorization(otherQueue, credentials)).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
  });

  test('the signature is valid from a minute before now for five minutes', () => {
    const url = new URL('https://b-1.ci.ap-chongqing.myqcloud.com/workflow');
    const now = Date.parse('2026-01-01T00:00:00Z');
    const { authorization } = signedHeaders('GET', url, credentials, {}, now);
    expect(authorization).toContain(`q-key-time=${now / 1000 - 60};${now / 1000 + 300}`);
  });
});
