import { cosAuthorization, cosUrlEncode, signatureParts } from '../lib/verify/cos-signature';

// The worked examples of Tencent's "Request Signature" documentation (COS API doc 436/7778,
// section "Use Case"): the documented sample key pair, requests and every intermediate value.
const DOC_CREDENTIALS = { secretId: 'AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q', secretKey: 'BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz' };
const HOST = 'examplebucket-1250000000.cos.ap-beijing.myqcloud.com';

describe('the COS request signature reproduces the documented worked examples', () => {
  test('uploading an object: PUT with seven signed headers and no parameters', () => {
    const request = {
      method: 'PUT',
      pathname: '/exampleobject(腾讯云)',
      headers: {
        Date: 'Thu, 16 May 2019 06:45:51 GMT',
        Host: HOST,
        'Content-Type': 'text/plain',
        'Content-Length': '13',
        'Content-MD5': 'mQ/fVh815F3k6TAUm8m0eg==',
        'x-cos-acl': 'private',
        'x-cos-grant-read': 'uin="100000000011"',
      },
    };
    const keyTime = { start: 1557989151, end: 1557996351 };
    expect(signatureParts(request, DOC_CREDENTIALS.secretKey, keyTime)).toEqual({
      keyTime: '1557989151;1557996351',
      signKey: 'eb2519b498b02ac213cb1f3d1a3d27a3b3c9bc5f',
      urlParamList: '',
      httpParameters: '',
      headerList: 'content-length;content-md5;content-type;date;host;x-cos-acl;x-cos-grant-read',
      httpHeaders:
        'content-length=13&content-md5=mQ%2FfVh815F3k6TAUm8m0eg%3D%3D&content-type=text%2Fplain' +
        '&date=Thu%2C%2016%20May%202019%2006%3A45%3A51%20GMT&host=examplebucket-1250000000.cos.ap-beijing.myqcloud.com' +
        '&x-cos-acl=private&x-cos-grant-read=uin%3D%22100000000011%22',
      httpString:
        'put\n/exampleobject(腾讯云)\n\ncontent-length=13&content-md5=mQ%2FfVh815F3k6TAUm8m0eg%3D%3D&content-type=text%2Fplain' +
        '&date=Thu%2C%2016%20May%202019%2006%3A45%3A51%20GMT&host=examplebucket-1250000000.cos.ap-beijing.myqcloud.com' +
        '&x-cos-acl=private&x-cos-grant-read=uin%3D%22100000000011%22\n',
      stringToSign: 'sha1\n1557989151;1557996351\n8b2751e77f43a0995d6e9eb9477f4b685cca4172\n',
      signature: '3b8851a11a569213c17ba8fa7dcf2abec6935172',
    });
    expect(cosAuthorization(request, DOC_CREDENTIALS, keyTime)).toBe(
      'q-sign-algorithm=sha1&q-ak=AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q&q-sign-time=1557989151;1557996351' +
        '&q-key-time=1557989151;1557996351&q-header-list=content-length;content-md5;content-type;date;host;x-cos-acl;x-cos-grant-read' +
        '&q-url-param-list=&q-signature=3b8851a11a569213c17ba8fa7dcf2abec6935172',
    );
  });

  test('downloading an object: GET with two parameters, sorted and encoded', () => {
    const request = {
      method: 'get',
      pathname: '/exampleobject(腾讯云)',
      query: { 'response-content-type': 'application/octet-stream', 'response-cache-control': 'max-age=600' },
      headers: { date: 'Thu, 16 May 2019 06:55:53 GMT', host: HOST },
    };
    const keyTime = { start: 1557989753, end: 1557996953 };
    const parts = signatureParts(request, DOC_CREDENTIALS.secretKey, keyTime);
    expect(parts.signKey).toBe('937914bf490e9e8c189836aad2052e4feeb35eaf');
    expect(parts.urlParamList).toBe('response-cache-control;response-content-type');
    expect(parts.httpParameters).toBe('response-cache-control=max-age%3D600&response-content-type=application%2Foctet-stream');
    expect(parts.headerList).toBe('date;host');
    expect(parts.stringToSign).toBe('sha1\n1557989753;1557996953\n54ecfe22f59d3514fdc764b87a32d8133ea611e6\n');
    expect(cosAuthorization(request, DOC_CREDENTIALS, keyTime)).toBe(
      'q-sign-algorithm=sha1&q-ak=AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q&q-sign-time=1557989753;1557996953' +
        '&q-key-time=1557989753;1557996953&q-header-list=date;host&q-url-param-list=response-cache-control;response-content-type' +
        '&q-signature=01681b8c9d798a678e43b685a9f1bba0f6c0e012',
    );
  });

  test('a parameter without a value is signed as an empty value (documented: /?acl is /?acl=)', () => {
    const parts = signatureParts({ method: 'GET', pathname: '/exampleobject', query: { acl: '' } }, 'k', { start: 1, end: 2 });
    expect([parts.urlParamList, parts.httpParameters]).toEqual(['acl', 'acl=']);
  });

  test('URL encoding covers every character of the documented table, including those encodeURIComponent keeps', () => {
    const documented = ' !"#$%&\'()*+,/:;<=>?@[\\]^`{|}';
    const encoded = cosUrlEncode(documented);
    expect(encoded).toMatch(/^(%[0-9A-F]{2})+$/);
    expect(decodeURIComponent(encoded)).toBe(documented);
    expect(cosUrlEncode('aZ09-_.~')).toBe('aZ09-_.~');
  });
});
