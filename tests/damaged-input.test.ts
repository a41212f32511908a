import { CallbackError } from '../lib/errors';
import type { JobFinishedEvent } from '../lib/events';
import { parseJson } from '../lib/parse/json';
import { parseCallback } from '../lib/parse-callback';
import { sampleBody, urlEvent } from './support/fixtures';
import { testReceiver } from './support/receiver';

const jobXml = (inner: string) => `<Response><EventName>TaskFinish</EventName><JobsDetail>${inner}</JobsDetail></Response>`;
const onlyJob = (body: string) => parseCallback(body)[0] as JobFinishedEvent;

/** The refusal parseCallback gives a body: status, code and message. */
function refusal(body: string): { status: number; code: string; message: string } {
  try {
    parseCallback(body);
  } catch (err) {
    if (err instanceof CallbackError) return { status: err.status, code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected the body to be refused');
}

describe('JSON numbers keep the digits they were written with', () => {
  test('two numeric JobIds beyond 2^53 stay two jobs with their own digits', () => {
    const a = onlyJob('{"EventName":"TaskFinish","JobsDetail":{"JobId":12345678901234567890,"State":"Success"}}');
    const b = onlyJob('{"EventName":"TaskFinish","JobsDetail":{"JobId":12345678901234567891,"State":"Success"}}');
    expect([a.subject, b.subject]).toEqual(['12345678901234567890', '12345678901234567891']);
    expect(a.data.jobId).toBe('12345678901234567890');
    expect(a.id).not.toBe(b.id);
  });

  test('a numeric JobId gives the same event as the same digits in XML', () => {
    const json = onlyJob('{"EventName":"TaskFinish","JobsDetail":{"JobId":12345678901234567890,"State":"Success"}}');
    const xml = onlyJob(jobXml('<JobId>12345678901234567890</JobId><State>Success</State>'));
    expect(json).toEqual(xml);
  });

  test('any number is carried as written: fractions, exponents and negative zero are not rewritten', () => {
    const job = onlyJob('{"JobsDetail":{"JobId":"j1","Operation":{"Progress":1.50,"Size":1e5,"Offset":-0,"Big":9007199254740993}}}');
    expect(job.data.operation).toEqual({ Progress: '1.50', Size: '1e5', Offset: '-0', Big: '9007199254740993' });
  });
});

describe('lone surrogates are refused at the door, in JSON as in XML', () => {
  test.each([
    ['an escaped high surrogate', '{"JobsDetail":{"JobId":"a\\ud800b"}}'],
    ['an escaped low surrogate', '{"JobsDetail":{"JobId":"\\udc00"}}'],
    ['an escaped pair in the wrong order', '{"JobsDetail":{"JobId":"\\udc00\\ud800"}}'],
    ['a raw lone surrogate in the text', '{"JobsDetail":{"JobId":"\ud800"}}'],
    ['an escaped lone surrogate in a key', '{"JobsDetail":{"JobId":"j1","Operation":{"\\ud800":"x"}}}'],
    ['a raw lone surrogate in XML text', jobXml('<JobId>\ud800</JobId>')],
  ])('%s: 400 malformed_body', (_, body) => {
    expect(refusal(body)).toMatchObject({ status: 400, code: 'malformed_body', message: expect.stringMatching(/lone surrogate/) });
  });

  test('a surrogate pair written as escapes is one character, and U+FFFD itself is accepted', () => {
    expect(onlyJob('{"JobsDetail":{"JobId":"j1","Message":"\\ud83d\\ude00"}}').data.message).toBe('😀');
    expect(onlyJob('{"JobsDetail":{"JobId":"\\ufffd"}}').subject).toBe('\ufffd');
  });

  test('through the handler: 400 malformed_body, the body archived, nothing stored', async () => {
    const receiver = testReceiver();
    const res = await receiver.handler(urlEvent('{"EventName":"TaskFinish","JobsDetail":{"JobId":"\\ud800","State":"Success"}}'));
    expect([res.statusCode, JSON.parse(res.body ?? '').error.code]).toEqual([400, 'malformed_body']);
    expect(receiver.archived()).toHaveLength(1);
    expect(receiver.events()).toEqual([]);
  });
});

describe('XML 1.0 forbidden characters are refused', () => {
  test.each([
    ['a raw U+0001 in a value', jobXml('<JobId>a\u0001b</JobId>'), /U\+0001/],
    ['a raw U+001F in a value', jobXml('<JobId>j1</JobId><Message>x\u001fy</Message>'), /U\+001F/],
    ['a raw U+000B (vertical tab)', jobXml('<JobId>j1</JobId><Message>x\u000by</Message>'), /U\+000B/],
    ['a raw U+FFFF', jobXml('<JobId>j1</JobId><Message>\uffff</Message>'), /U\+FFFF/],
    ['a raw U+0002 inside CDATA', jobXml('<JobId>j1</JobId><Message><![CDATA[\u0002]]></Message>'), /U\+0002/],
    ['a raw U+0003 inside a comment', jobXml('<JobId>j1</JobId><!-- \u0003 -->'), /U\+0003/],
    ['a reference &#1;', jobXml('<JobId>a&#1;b</JobId>'), /character entity/],
    ['a reference &#x1F;', jobXml('<JobId>a&#x1F;b</JobId>'), /character entity/],
  ])('%s: 400 malformed_body', (_, body, message) => {
    expect(refusal(body)).toMatchObject({ status: 400, code: 'malformed_body', message: expect.stringMatching(message) });
  });

  test('tab, line feed and carriage return stay allowed, raw or as references', () => {
    expect(onlyJob(jobXml('<JobId>j1</JobId><Message>a\tb&#9;c&#10;d&#13;e</Message>')).data.message).toBe('a\tb\tc\nd\re');
  });
});

describe('a field that holds one value is never silently dropped when given twice', () => {
  test('two different <State>s: 400 malformed_body naming State (it used to become null)', () => {
    const body = jobXml('<JobId>j1</JobId><State>Success</State><State>Failed</State>');
    expect(refusal(body)).toEqual({ status: 400, code: 'malformed_body', message: expect.stringContaining('"State"') });
  });

  test('the same <State> twice is that state', () => {
    expect(onlyJob(jobXml('<JobId>j1</JobId><State>Success</State><State>Success</State>')).data.state).toBe('Success');
  });

  test.each([
    ['JobId', jobXml('<JobId>j1</JobId><JobId>j2</JobId>')],
    ['Code', jobXml('<JobId>j1</JobId><Code>Success</Code><Code>InternalError</Code>')],
    ['Operation', jobXml('<JobId>j1</JobId><Operation><UserData>a</UserData></Operation><Operation><UserData>b</UserData></Operation>')],
    ['EventName', '<Response><EventName>TaskFinish</EventName><EventName>WorkflowFinish</EventName><JobsDetail><JobId>j1</JobId></JobsDetail></Response>'],
    ['RunId', '<Response><WorkflowExecution><RunId>r1</RunId><RunId>r2</RunId></WorkflowExecution></Response>'],
    ['State', '{"JobsDetail":{"JobId":"j1","State":["Success","Failed"]}}'],
  ])('%s given two different values: 400 naming it', (field, body) => {
    expect(refusal(body)).toEqual({ status: 400, code: 'malformed_body', message: expect.stringContaining(`"${field}"`) });
  });

  test('a JSON key given twice in one object is refused, naming the key (JSON.parse kept the last)', () => {
    expect(refusal('{"EventName":"TaskFinish","JobsDetail":{"JobId":"j1","State":"Success","State":"Failed"}}')).toEqual({
      status: 400,
      code: 'malformed_body',
      message: expect.stringContaining('"State"'),
    });
    expect(refusal('{"JobsDetail":{"JobId":"j1"},"JobsDetail":{"JobId":"j2"}}').message).toContain('"JobsDetail"');
  });

  test('fields that are lists stay lists: several JobsDetail, Tasks and CosHeaders are not a conflict', () => {
    expect(parseCallback(sampleBody('workflow-xml'))[0].data).toMatchObject({ tasks: [expect.anything(), expect.anything()] });
    const jobs = jobXml('<JobId>j1</JobId></JobsDetail><JobsDetail><JobId>j2</JobId>');
    expect(parseCallback(jobs).map((e) => e.subject)).toEqual(['j1', 'j2']);
  });
});

describe('a body that is two callbacks at once is refused, not half-read', () => {
  test.each([
    ['XML', '<Response><JobsDetail><JobId>j1</JobId></JobsDetail><WorkflowExecution><RunId>r1</RunId></WorkflowExecution></Response>'],
    ['JSON', '{"JobsDetail":{"JobId":"j1"},"WorkflowExecution":{"RunId":"r1"}}'],
  ])('%s with JobsDetail and WorkflowExecution and no EventName: 400 (the workflow used to be dropped)', (_, body) => {
    expect(refusal(body)).toEqual({ status: 400, code: 'malformed_body', message: expect.stringContaining('both JobsDetail and WorkflowExecution') });
  });
});

describe('the strict JSON reader refuses what JSON.parse refuses', () => {
  test.each([
    ['a trailing comma', '{"JobsDetail":{"JobId":"j1",}}'],
    ['a missing colon', '{"JobsDetail" {"JobId":"j1"}}'],
    ['an unterminated string', '{"JobsDetail":{"JobId":"j1'],
    ['a leading zero', '{"JobsDetail":{"JobId":01}}'],
    ['a raw control character in a string', '{"JobsDetail":{"JobId":"a\u0001b"}}'],
    ['an invalid escape', '{"JobsDetail":{"JobId":"a\\xb"}}'],
    ['a short \\u escape', '{"JobsDetail":{"JobId":"a\\u12"}}'],
    ['text after the value', '{"JobsDetail":{"JobId":"j1"}} x'],
    ['single quotes', "{'JobsDetail':{'JobId':'j1'}}"],
    ['NaN', '{"JobsDetail":{"JobId":NaN}}'],
  ])('%s', (_, body) => {
    expect(() => JSON.parse(body)).toThrow();
    expect(refusal(body)).toMatchObject({ status: 400, code: 'malformed_body', message: expect.stringMatching(/not valid JSON/) });
  });

  test('every JSON sample gives the tree JSON.parse gives, numbers as their digits', () => {
    const asStrings = (value: unknown): unknown => {
      if (typeof value === 'number') return String(value);
      if (value === null || typeof value !== 'object') return value;
      if (Array.isArray(value)) return value.map(asStrings);
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asStrings(v)]));
    };
    for (const name of ['task-watermark-json', 'workflow-json', 'task-tts-from-workflow-json', 'task-words-json-response-wrapper']) {
      const body = sampleBody(name);
      expect([name, parseJson(body)]).toEqual([name, asStrings(JSON.parse(body))]);
    }
  });
});
