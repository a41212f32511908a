import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export interface BenchSample {
  name: string;
  format: 'xml' | 'json';
  body: string;
  event: APIGatewayProxyEventV2;
  /** For the linear-cost budget: how many repeated units (tokens, tasks) the body holds. */
  units?: number;
}

const EVENTS = join(__dirname, '..', 'events');

function bodyOf(event: APIGatewayProxyEventV2): string {
  return event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
}

function urlEvent(body: string, contentType: string): APIGatewayProxyEventV2 {
  const template = JSON.parse(readFileSync(join(EVENTS, 'task-watermark-xml.json'), 'utf8'));
  return { ...template, headers: { ...template.headers, 'content-type': contentType }, body, isBase64Encoded: false };
}

/** Every good sample in events/, as the handlers receive them. */
export function seedSamples(): BenchSample[] {
  return readdirSync(EVENTS)
    .filter((f) => f.endsWith('.json') && !f.startsWith('bad-'))
    .sort()
    .map((f) => {
      const event = JSON.parse(readFileSync(join(EVENTS, f), 'utf8')) as APIGatewayProxyEventV2;
      const body = bodyOf(event);
      return { name: f.slice(0, -5), format: body.trimStart().startsWith('<') ? 'xml' : 'json', body, event };
    });
}

const WORDS = ['今天', '打车', '花', '60', '元', 'a&b', '<tag>', '数据万象'];

/** One WordsGeneralize job with `tokens` WordsGeneralizeToken elements, built from the seed's shape. */
export function largeWordsJob(tokens: number): BenchSample[] {
  const list = Array.from({ length: tokens }, (_, i) => ({
    Length: String(WORDS[i % WORDS.length].length),
    Offset: String(i * 2),
    Pos: i % 2 ? 'v' : 'n',
    Word: WORDS[i % WORDS.length],
  }));
  const job = {
    Tag: 'WordsGeneralize',
    Code: 'Success',
    CreationTime: '2022-07-25T16:35:39+0800',
    EndTime: '2022-07-25T16:35:43+0800',
    Input: { Object: 'text.txt', BucketId: 'test-123456789', Region: 'ap-chongqing' },
    JobId: 'ac34be3aa0bf411ed9ce39d7cc972e427',
    Message: 'Success',
    Operation: {
      UserData: 'large',
      JobLevel: '0',
      WordsGeneralize: { NerMethod: 'DL', SegMethod: 'MIX' },
      WordsGeneralizeResult: { WordsGeneralizeLable: { Category: '交通', Word: '打车' }, WordsGeneralizeToken: list },
    },
  };
  const body = { EventName: 'TaskFinish', JobsDetail: job };
  const name = `generated-job-${tokens}-tokens`;
  return [
    { name: `${name}-xml`, format: 'xml', body: toXml('Response', body), event: urlEvent(toXml('Response', body), 'application/xml'), units: tokens },
    { name: `${name}-json`, format: 'json', body: JSON.stringify(body), event: urlEvent(JSON.stringify(body), 'application/json'), units: tokens },
  ];
}

/** The largest XML words job whose body stays within `bytes` (the default CALLBACK_MAX_BYTES). */
export function callbackJustUnder(bytes: number): BenchSample {
  const size = (tokens: number) => Buffer.byteLength(largeWordsJob(tokens)[0].body);
  const [small, large] = [size(100), size(1100)];
  let tokens = Math.floor(100 + ((bytes - small) * 1000) / (large - small));
  while (size(tokens) > bytes) tokens -= 10;
  return largeWordsJob(tokens)[0];
}

/** One workflow run with `tasks` Tasks. */
export function largeWorkflow(tasks: number): BenchSample[] {
  const execution = {
    RunId: 'ie4d9187d35dc11eb9cec525400860000',
    BucketId: 'examplebucket-1250000000',
    Object: '0000.mp4',
    CosHeaders: [{ Key: 'x-cos-meta-id', Value: 'testid' }],
    WorkflowId: 'w2b22307fb0e44107bc8ffe71e1d20000',
    WorkflowName: 'example',
    CreateTime: '2020-12-01 11:00:41+0800',
    State: 'Success',
    Tasks: Array.from({ length: tasks }, (_, i) => ({
      Type: 'Transcode',
      CreateTime: '2020-12-01 11:00:42+0800',
      EndTime: '2020-12-01 11:00:45+0800',
      State: 'Success',
      JobId: `je${String(i).padStart(31, '0')}`,
      Name: `Transcode_${i}`,
      TemplateId: 't182c0ca7d91ca40969a3fc97c5559091a',
      TemplateName: 'example',
    })),
  };
  const body = { WorkflowExecution: execution };
  const name = `generated-workflow-${tasks}-tasks`;
  return [
    { name: `${name}-xml`, format: 'xml', body: toXml('Response', body), event: urlEvent(toXml('Response', body), 'application/xml'), units: tasks },
    { name: `${name}-json`, format: 'json', body: JSON.stringify(body), event: urlEvent(JSON.stringify(body), 'application/json'), units: tasks },
  ];
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function toXml(name: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => toXml(name, v)).join('');
  if (value !== null && typeof value === 'object') {
    return `<${name}>${Object.entries(value).map(([k, v]) => toXml(k, v)).join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}
