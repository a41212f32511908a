import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { CallbackErrorCode } from '../../lib/errors';
import type { CallbackEvent } from '../../lib/events';
import { loadEvent, sampleBody, urlEvent } from '../support/fixtures';

/**
 * Bad, broken and hostile requests, each with the exact answer it must get. Every case runs
 * through both handlers with CORPUS_ENV (tests/hostile.test.ts); the token is valid unless the
 * case is about the token.
 */
export interface HostileCase {
  name: string;
  /** Built on demand: some bodies are megabytes. */
  event: () => APIGatewayProxyEventV2;
  status: number;
  /** The error code; absent for a 200. */
  code?: CallbackErrorCode;
  /** For a 200: what the stored events must show. */
  inspect?: (events: CallbackEvent[]) => void;
}

export const TOKEN = '9d4c2f0e8b7a61534d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a';
export const MAX_BYTES = 1024 * 1024;
export const CORPUS_ENV = {
  CALLBACK_TOKEN: `retired-token-0000,${TOKEN}`,
  CALLBACK_ALLOWED_CIDRS: '203.0.113.0/24, 2001:db8::/32',
  CALLBACK_MAX_BYTES: String(MAX_BYTES),
};

type Options = NonNullable<Parameters<typeof urlEvent>[1]>;
const post = (body: string | undefined, options: Options = {}) => urlEvent(body, { query: `token=${TOKEN}`, ...options });
const json = (body: string) => post(body, { contentType: 'application/json' });
const bytes = (buffer: Buffer) => () => ({ ...post(buffer.toString('base64')), isBase64Encoded: true });
const sample = (name: string) => () => {
  const event = loadEvent(name);
  return { ...event, rawQueryString: `token=${TOKEN}`, queryStringParameters: { token: TOKEN } };
};

const xmlJob = (inner: string) => `<Response><EventName>TaskFinish</EventName><JobsDetail>${inner}</JobsDetail></Response>`;
const jsonJob = (detail: object) => JSON.stringify({ EventName: 'TaskFinish', JobsDetail: detail });
const GOOD_XML = sampleBody('task-watermark-xml');
const GOOD_JSON = sampleBody('task-watermark-json');
const deep = (open: string, close: string, depth: number, inner = '') => open.repeat(depth) + inner + close.repeat(depth);
const withCosHeaders = (keys: string[]) =>
  xmlJob(`<JobId>j1</JobId><State>Success</State><Input><BucketId>b-1</BucketId>${keys
    .map((k) => `<CosHeaders><Key>${k}</Key><Value>v-${k}</Value></CosHeaders>`)
    .join('')}</Input>`);
const cosHeadersAre = (keys: string[]) => (events: CallbackEvent[]) => {
  if (JSON.stringify(Object.keys(events[0].data.cosHeaders)) !== JSON.stringify(keys)) {
    throw new Error(`cosHeaders keys are ${JSON.stringify(Object.keys(events[0].data.cosHeaders))}, expected ${JSON.stringify(keys)}`);
  }
};
const eventCount = (n: number) => (events: CallbackEvent[]) => {
  if (events.length !== n) throw new Error(`${events.length} events stored, expected ${n}`);
};

const BILLION_LAUGHS = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from(
  { length: 9 },
  (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`,
).join('')}]><Response><JobsDetail><JobId>&lol9;</JobId></JobsDetail></Response>`;

const bad = (name: string, event: () => APIGatewayProxyEventV2, code: CallbackErrorCode = 'malformed_body'): HostileCase => ({
  name,
  event,
  status: 400,
  code,
});

export const HOSTILE_CASES: HostileCase[] = [
  // Not well-formed XML
  bad('truncated XML (the sample)', sample('bad-truncated-xml')),
  bad('XML cut inside a closing tag', () => post(GOOD_XML.trimEnd().slice(0, -4))),
  bad('mismatched closing tags', () => post('<Response><JobsDetail><JobId>a</JobId></Response></JobsDetail>')),
  bad('an unclosed root element', () => post('<Response><EventName>TaskFinish</EventName>')),
  bad('a second root element (two callbacks back to back)', () => post(GOOD_XML + GOOD_XML)),
  bad('a second, empty root element', () => post(GOOD_XML + '<Response/>')),
  bad('text after the root element', () => post(GOOD_XML + 'trailing')),
  bad('an undefined entity reference', () => post(xmlJob('<JobId>&xxe;</JobId>'))),
  bad('a character reference to NUL', () => post(xmlJob('<JobId>a&#0;b</JobId>'))),
  bad('a NUL character in a value', () => post(xmlJob('<JobId>a\u0000b</JobId>'))),
  // Characters XML 1.0 forbids, raw or as a reference
  bad('a raw U+0001 in a value', () => post(xmlJob('<JobId>a\u0001b</JobId>'))),
  bad('a raw U+0008 inside CDATA', () => post(xmlJob('<JobId>j1</JobId><Message><![CDATA[\u0008]]></Message>'))),
  bad('a raw U+FFFF in a value', () => post(xmlJob('<JobId>a\uffffb</JobId>'))),
  bad('a character reference to U+0001', () => post(xmlJob('<JobId>a&#1;b</JobId>'))),
  // A field that holds one value, given twice with different values: refused, never read as null
  bad('two different <State>s', () => post(xmlJob('<JobId>j1</JobId><State>Success</State><State>Failed</State>'))),
  bad('two different <JobId>s', () => post(xmlJob('<JobId>j1</JobId><JobId>j2</JobId><State>Success</State>'))),
  bad('a JSON key given twice', () => json('{"EventName":"TaskFinish","JobsDetail":{"JobId":"j1","State":"Success","State":"Failed"}}')),
  bad('JobsDetail and WorkflowExecution without EventName', () => post('<Response><JobsDetail><JobId>j1</JobId></JobsDetail><WorkflowExecution><RunId>r1</RunId></WorkflowExecution></Response>')),
  bad('a JSON array where one State belongs', () => json(jsonJob({ JobId: 'j1', State: ['Success', 'Failed'] }))),
  // DTDs and entities
  bad('a DOCTYPE (the sample)', sample('bad-dtd')),
  bad('billion laughs', () => post(BILLION_LAUGHS)),
  bad('XXE: an external entity reading a file', () =>
    post(`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${xmlJob('<JobId>&x;</JobId>')}`)),
  bad('XXE: an external DTD fetched over HTTP', () =>
    post(`<?xml version="1.0"?><!DOCTYPE Response SYSTEM "http://169.254.169.254/latest/meta-data/">${xmlJob('<JobId>a</JobId>')}`)),
  bad('XXE: a parameter entity', () =>
    post(`<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:1/x.dtd"> %p;]>${xmlJob('<JobId>a</JobId>')}`)),
  // Nesting
  bad('XML nested 10,000 deep', () => post(deep('<a>', '</a>', 10_000))),
  bad('XML nested 10,000 deep inside JobsDetail', () => post(xmlJob(`<JobId>a</JobId>${deep('<Operation>', '</Operation>', 10_000)}`))),
  bad('JSON objects nested 10,000 deep', () => json(deep('{"a":', '}', 10_000, '1'))),
  bad('JSON nested 100,000 deep inside JobsDetail', () => json(`{"JobsDetail":{"JobId":"a","Operation":${deep('[', ']', 100_000)}}}`)),
  bad('JSON arrays nested 500,000 deep', () => json(deep('[', ']', 500_000))),
  // Size
  { name: 'a body one byte over the limit', event: () => post(GOOD_XML.padEnd(MAX_BYTES + 1, ' ')), status: 413, code: 'payload_too_large' },
  { name: 'a body of 10 MB', event: () => post('<'.repeat(10 * 1024 * 1024)), status: 413, code: 'payload_too_large' },
  { name: 'a base64 body one byte over the limit once decoded', event: bytes(Buffer.alloc(MAX_BYTES + 1, 0x20)), status: 413, code: 'payload_too_large' },
  { name: 'fewer characters than the limit but more UTF-8 bytes', event: () => post(`<a>${'数'.repeat(MAX_BYTES / 2)}</a>`), status: 413, code: 'payload_too_large' },
  // Encoding
  bad('invalid UTF-8 (a 0xFF byte)', bytes(Buffer.concat([Buffer.from(xmlJob('<JobId>a')), Buffer.from([0xff]), Buffer.from('</JobId>')]))),
  bad('an overlong UTF-8 sequence', bytes(Buffer.concat([Buffer.from('<Response><JobsDetail><JobId>'), Buffer.from([0xc0, 0xaf]), Buffer.from('</JobId></JobsDetail></Response>')]))),
  bad('UTF-8-encoded surrogates', bytes(Buffer.concat([Buffer.from('<Response><JobsDetail><JobId>'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('</JobId></JobsDetail></Response>')]))),
  bad('a UTF-16 body', bytes(Buffer.from('\ufeff' + GOOD_XML, 'utf16le'))),
  bad('a lone surrogate in a text body', () => post(xmlJob('<JobId>\ud800</JobId>'))),
  bad('an escaped lone surrogate in a JSON string', () => json('{"EventName":"TaskFinish","JobsDetail":{"JobId":"\\ud800","State":"Success"}}')),
  bad('an escaped lone low surrogate in a JSON key', () => json('{"EventName":"TaskFinish","JobsDetail":{"JobId":"j1","\\udc00":"x"}}')),
  bad('a lone surrogate in a JSON text body', () => json('{"EventName":"TaskFinish","JobsDetail":{"JobId":"\ud800"}}')),
  // A UTF-8 byte-order mark is accepted: it is valid UTF-8 and Windows tools write one.
  { name: 'a UTF-8 BOM before XML', event: bytes(Buffer.from('\ufeff' + GOOD_XML)), status: 200, inspect: eventCount(1) },
  { name: 'a UTF-8 BOM before JSON', event: () => json('\ufeff' + GOOD_JSON), status: 200, inspect: eventCount(1) },
  // JSON numbers keep their digits: two ids beyond 2^53 stay two jobs
  {
    name: 'numeric JobIds beyond 2^53',
    event: () => json(`{"EventName":"TaskFinish","JobsDetail":[{"JobId":12345678901234567890},{"JobId":12345678901234567891}]}`),
    status: 200,
    inspect: (events) => {
      const subjects = events.map((e) => e.subject);
      if (JSON.stringify(subjects) !== '["12345678901234567890","12345678901234567891"]') throw new Error(`subjects are ${JSON.stringify(subjects)}`);
    },
  },
  // Empty and not a callback
  bad('an empty body (the sample)', sample('bad-empty-body')),
  bad('no body at all', () => post(undefined)),
  bad('only whitespace', () => post(' \r\n\t ')),
  bad('a JSON array', () => json('[]')),
  bad('a JSON array around a callback', () => json(`[${GOOD_JSON}]`)),
  bad('a JSON number', () => json('42')),
  bad('JSON null', () => json('null')),
  bad('a JSON string', () => json('"TaskFinish"')),
  bad('JSON true', () => json('true')),
  bad('malformed JSON from the docs (TTS sample)', sample('bad-doc-sample-tts-json')),
  bad('malformed JSON from the docs (word segmentation sample)', sample('bad-doc-sample-words-json')),
  bad('well-formed XML with the wrong root', () => post('<Error><Code>NoSuchKey</Code><Message>nope</Message></Error>')),
  bad('an empty Response element', () => post('<Response/>')),
  bad('JobsDetail as text', () => post(xmlJob('done'))),
  // Missing ids and other events
  bad('JobsDetail without JobId (XML)', () => post(xmlJob('<State>Success</State><Tag>Transcode</Tag>')), 'missing_id'),
  bad('JobsDetail without JobId (JSON)', () => json(jsonJob({ State: 'Success', Tag: 'Transcode' })), 'missing_id'),
  bad('the second of two jobs without JobId', () => json(jsonJob([{ JobId: 'j1', State: 'Success' }, { State: 'Failed' }])), 'missing_id'),
  bad('an empty JobsDetail', () => post(xmlJob('')), 'missing_id'),
  bad('WorkflowExecution without RunId (the sample)', sample('bad-workflow-template-no-runid'), 'missing_id'),
  bad('an EventName CI does not document', () => post('<Response><EventName>ReviewHologram</EventName><JobsDetail><JobId>a</JobId></JobsDetail></Response>'), 'unsupported_event'),
  bad('both JobsDetail and WorkflowExecution without EventName', () => json(JSON.stringify({ JobsDetail: { JobId: 'j1' }, WorkflowExecution: { RunId: 'r1' } }))),
  // Content-moderation callbacks
  { name: 'a moderation console test (the sample)', event: sample('moderation-image-console-test'), status: 200, inspect: eventCount(0) },
  { name: 'a Detail moderation body with three results', event: () => json(JSON.stringify({ EventName: 'ReviewText', JobsDetail: ['m1', 'm2', 'm3'].map((JobId) => ({ JobId, State: 'Success', Result: 0 })) })), status: 200, inspect: eventCount(3) },
  bad('a Simple moderation body whose data is a list', () => json('{"code":0,"message":"success","data":[{"trace_id":"t1"}]}')),
  bad('a Simple moderation body without trace_id', () => json('{"code":0,"message":"success","data":{"event":"ReviewImage","result":1}}'), 'missing_id'),
  bad('a "__proto__" key in a moderation cos_headers map', () => json('{"code":0,"message":"success","data":{"trace_id":"t1","cos_headers":{"__proto__":{"polluted":1}}}}')),
  // Names that reach Object.prototype
  bad('a <__proto__> element', () => post(xmlJob('<JobId>a</JobId><Operation><__proto__><polluted>1</polluted></__proto__></Operation>'))),
  bad('a <constructor> element', () => post(xmlJob('<JobId>a</JobId><constructor><prototype><polluted>1</polluted></prototype></constructor>'))),
  bad('<__proto__> as the root element', () => post('<__proto__><JobsDetail><JobId>a</JobId></JobsDetail></__proto__>')),
  bad('a "__proto__" JSON key', () => json('{"EventName":"TaskFinish","JobsDetail":{"JobId":"a","__proto__":{"polluted":1}}}')),
  bad('a "constructor" JSON key', () => json(`{"constructor":{"prototype":{"polluted":1}},"JobsDetail":{"JobId":"a"}}`)),
  // `prototype` is special only on functions: as a plain key it is data, and accepted.
  { name: 'a <prototype> element', event: () => post(xmlJob('<JobId>a</JobId><Operation><prototype><polluted>1</polluted></prototype></Operation>')), status: 200, inspect: eventCount(1) },
  { name: 'a "prototype" JSON key', event: () => json(jsonJob({ JobId: 'a', Operation: { prototype: { polluted: '1' } } })), status: 200, inspect: eventCount(1) },
  // A CosHeaders key is upload metadata: a dangerous one is left out of the map, the callback is kept.
  {
    name: 'CosHeaders keys __proto__, constructor and prototype (XML)',
    event: () => post(withCosHeaders(['__proto__', 'constructor', 'prototype', 'Content-Type'])),
    status: 200,
    inspect: cosHeadersAre(['prototype', 'Content-Type']),
  },
  {
    name: 'CosHeaders keys __proto__, hasOwnProperty and toString (JSON)',
    event: () => json(jsonJob({ JobId: 'j2', Input: { CosHeaders: ['__proto__', 'hasOwnProperty', 'toString', 'x-cos-meta-a'].map((Key) => ({ Key, Value: 'v' })) } })),
    status: 200,
    inspect: cosHeadersAre(['x-cos-meta-a']),
  },
  // Transport
  bad('the base64 flag on a body that is not base64', () => ({ ...post(GOOD_XML), isBase64Encoded: true })),
  bad('the base64 flag on a body of impossible length', () => ({ ...post('QUJDR'), isBase64Encoded: true })),
  bad('base64 of random binary', bytes(Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 151 + 7) % 256)))),
  ...['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'].map((method) => ({
    name: `method ${method}`,
    event: () => post(GOOD_XML, { method }),
    status: 405,
    code: 'method_not_allowed' as const,
  })),
  { name: 'a 1 MB User-Agent header', event: () => post(GOOD_XML, { headers: { 'user-agent': 'A'.repeat(MAX_BYTES) } }), status: 200, inspect: eventCount(1) },
  { name: 'a 1 MB Content-Type header', event: () => post(GOOD_XML, { contentType: 'application/' + 'json'.repeat(MAX_BYTES / 4) }), status: 200, inspect: eventCount(1) },
  {
    name: '10,000 headers',
    event: () => post(GOOD_XML, { headers: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`x-h-${i}`, 'v'])) }),
    status: 200,
    inspect: eventCount(1),
  },
  {
    name: 'a callback of 500 jobs, the most one callback may carry',
    event: () => post(xmlJob(Array.from({ length: 499 }, (_, i) => `<JobId>j${i}</JobId></JobsDetail><JobsDetail>`).join('') + '<JobId>last</JobId>')),
    status: 200,
    inspect: eventCount(500),
  },
  {
    name: 'a callback of 501 jobs: one more than the sinks store in time (MAX_EVENTS_PER_CALLBACK)',
    event: () => post(xmlJob(Array.from({ length: 500 }, (_, i) => `<JobId>j${i}</JobId></JobsDetail><JobsDetail>`).join('') + '<JobId>last</JobId>')),
    status: 413,
    code: 'payload_too_large',
  },
  // Authentication: refused before anything is archived
  { name: 'no token', event: () => urlEvent(GOOD_XML), status: 401, code: 'unauthorized' },
  { name: 'a wrong token', event: () => post(GOOD_XML, { query: 'token=0000' }), status: 401, code: 'unauthorized' },
  {
    name: 'the token given twice (a Function URL joins repeated parameters with a comma)',
    event: () => ({ ...post(GOOD_XML), rawQueryString: `token=wrong&token=${TOKEN}`, queryStringParameters: { token: `wrong,${TOKEN}` } }),
    status: 401,
    code: 'unauthorized',
  },
  { name: 'a 1 MB token', event: () => post(GOOD_XML, { query: `token=${'t'.repeat(MAX_BYTES)}` }), status: 401, code: 'unauthorized' },
  { name: 'the token in a header instead of the URL', event: () => urlEvent(GOOD_XML, { headers: { token: TOKEN, authorization: `Bearer ${TOKEN}` } }), status: 401, code: 'unauthorized' },
  { name: 'a wrong token and a broken body', event: () => post('<Response><JobsDetail>', { query: 'token=0000' }), status: 401, code: 'unauthorized' },
  { name: 'a source address outside the allowlist', event: () => post(GOOD_XML, { sourceIp: '198.51.100.7' }), status: 403, code: 'forbidden_source' },
  { name: 'an IPv4-mapped source outside the allowlist', event: () => post(GOOD_XML, { sourceIp: '::ffff:198.51.100.7' }), status: 403, code: 'forbidden_source' },
  { name: 'no source address', event: () => post(GOOD_XML, { sourceIp: '' }), status: 403, code: 'forbidden_source' },
];
