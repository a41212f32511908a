import fc from 'fast-check';

/**
 * fast-check generators of valid CI callbacks, and their XML and JSON encodings. Used by the
 * property tests, and reusable wherever realistic callbacks are needed in bulk, e.g.
 *   const [callback] = fc.sample(jobCallback({ minJobs: 50, maxJobs: 50 }), { numRuns: 1, seed: 42 });
 *   const body = toXml(callback);
 * Text mixes ASCII, Chinese, emoji, whitespace and XML's special characters; every text is
 * escaped (or put in CDATA) by the XML encoder, so any generated callback is well-formed.
 */

/** A value of the callback tree: text, a number (JSON keeps it a number), a repeated element, an element. */
export type Node = string | number | Node[] | { [name: string]: Node };

export interface CosHeader {
  Key: string;
  Value: string;
}

export interface JobModel {
  JobId: string;
  Tag: string;
  State: string;
  Code: string;
  Message: string;
  QueueId: string;
  CreationTime: string;
  StartTime: string;
  EndTime: string;
  Input: { BucketId: string; Object: string; Region: string; CosHeaders: CosHeader[]; moreChildren: Children };
  /** Some job types carry Input under Operation instead of JobsDetail. */
  inputUnderOperation: boolean;
  Workflow: { RunId: string; WorkflowId: string; WorkflowName: string; Name: string; moreChildren: Children } | null;
  /** Operation's other children: job-type specific subtrees, UserData, JobLevel, … */
  Operation: { [name: string]: Node };
  /** JobsDetail's children the event contract does not name: SubTag, Progress, … */
  moreChildren: Children;
}

/** Children of an element beyond the ones the contract names (written after them). */
export type Children = { [name: string]: Node };

export interface TaskModel {
  Type: string;
  JobId: string;
  State: string;
  Name: string;
  TemplateId: string;
  TemplateName: string;
  CreateTime: string;
  EndTime: string;
  /** ResultInfo, Code, Message, … */
  moreChildren: Children;
}

export interface WorkflowModel {
  RunId: string;
  WorkflowId: string;
  WorkflowName: string;
  State: string;
  CreateTime: string;
  BucketId: string;
  Object: string;
  CosHeaders: CosHeader[];
  Tasks: TaskModel[];
  moreChildren: Children;
}

export type GeneratedCallback =
  | { family: 'job'; eventName: boolean; jobs: JobModel[] }
  | { family: 'workflow'; eventName: boolean; execution: WorkflowModel };

export interface XmlStyle {
  indent: boolean;
  /** Text in CDATA sections instead of escaped with entities. */
  cdata: boolean;
  /** Empty text as `<X/>` instead of `<X></X>`. */
  selfClosing: boolean;
}

export interface JsonStyle {
  /** `{"Response": {...}}`, as some JSON callbacks come. */
  wrapInResponse: boolean;
  /** A one-element list as the element itself instead of a one-element array. */
  singletonAsObject: boolean;
  indent: boolean;
}

// ---- text ----

const printableAscii = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
const chinese = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCodePoint(c));
const xmlSpecial = fc.constantFrom('<', '>', '&', '"', "'", ']]>', '&amp;', '<![CDATA[', '-->', '<!--', '&#x41;');
const other = fc.constantFrom('🎬', '📦', 'é', '\u00a0', '　', '\n', '\t', ' ');

/** Any text CI could send: never a control character XML forbids, never NUL. */
export const text = (maxLength = 16) =>
  fc.string({ unit: fc.oneof({ weight: 4, arbitrary: printableAscii }, { weight: 3, arbitrary: chinese }, xmlSpecial, other), maxLength });

const hexId = (prefix: string) => fc.stringMatching(/^[0-9a-f]{32}$/).map((hex) => prefix + hex);

/** CI's timestamp spellings: `T` or a space, `+0800`, `+08:00` or `Z`. */
const readableTime = fc
  .tuple(
    fc.date({ min: new Date('2015-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true }),
    fc.constantFrom('T', ' '),
    fc.constantFrom('+0800', '+08:00', 'Z'),
  )
  .map(([date, separator, zone]) => {
    const local = new Date(date.getTime() + (zone === 'Z' ? 0 : 8 * 3600_000)).toISOString();
    return `${local.slice(0, 10)}${separator}${local.slice(11, 19)}${zone}`;
  });

/** Mostly readable times; now and then one outside the years 1–9999 in UTC, which normalizes to null. */
const ciTime = fc.oneof(
  { weight: 20, arbitrary: readableTime },
  fc.constantFrom('9999-12-31 23:59:59-0800', '0001-01-01T00:00:00+0800', '-'),
);

const cosHeaders = fc.array(
  fc.record({
    Key: fc.oneof({ weight: 5, arbitrary: text(12) }, fc.constantFrom('Content-Type', 'x-cos-meta-标签', '__proto__', 'constructor', 'prototype')),
    Value: text(24),
  }),
  { maxLength: 5 },
);

// ---- Operation subtrees ----

const RESERVED_IN_OPERATION = new Set(['Input']);
const elementName = fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,9}$/).filter((name) => !RESERVED_IN_OPERATION.has(name));
const leaf: fc.Arbitrary<Node> = fc.oneof({ weight: 4, arbitrary: text(24) }, fc.integer({ min: 0, max: 1_000_000 }));
const subtree: fc.Memo<Node> = fc.memo((depth) => {
  if (depth <= 1) return leaf;
  const element = fc.dictionary(elementName, subtree(depth - 1), { minKeys: 1, maxKeys: 4, noNullPrototype: true });
  const repeated = fc.oneof(fc.array(leaf, { minLength: 2, maxLength: 3 }), fc.array(element, { minLength: 2, maxLength: 3 }));
  return fc.oneof({ weight: 3, arbitrary: leaf }, { weight: 2, arbitrary: element }, { weight: 1, arbitrary: repeated });
});
const operation = fc.dictionary(elementName, subtree(4), { maxKeys: 5, noNullPrototype: true });

/** Children named otherwise than the `named` ones of their element: documented extras, or any. */
function moreChildren(named: string[], documented: string[] = []): fc.Arbitrary<Children> {
  const names = fc.oneof(fc.constantFrom(...documented, 'Extra'), elementName).filter((name) => !named.includes(name));
  return fc.dictionary(names, subtree(3), { maxKeys: 3, noNullPrototype: true });
}
const JOB_NAMED = ['JobId', 'Tag', 'State', 'Code', 'Message', 'QueueId', 'CreationTime', 'StartTime', 'EndTime', 'Input', 'Workflow', 'Operation', 'UserData'];
const resultInfo = fc.record({
  ObjectCount: fc.integer({ min: 1, max: 3 }),
  ObjectInfo: fc.array(
    fc.record({
      ObjectName: text(20),
      ObjectUrl: fc.constantFrom('https://b-1250000000.cos.ap-guangzhou.myqcloud.com/out.mp4', 'https://cdn.example.com/a b.m3u8', 'not a url'),
    }),
    { minLength: 1, maxLength: 3 },
  ),
}) as fc.Arbitrary<Node>;

// ---- callbacks ----

const TAGS = ['Transcode', 'Snapshot', 'Animation', 'Tts', 'WordsGeneralize', 'ExtractDigitalWatermark', 'SpeechRecognition', 'VoiceSeparate'];
const STATES = ['Success', 'Failed', 'Cancel', 'Pause'];
const CODES = ['Success', 'InvalidParameter', 'InternalError', 'FailedOperation.Timeout', 'NoSuchKey'];

export const job: fc.Arbitrary<JobModel> = fc.record({
  JobId: hexId('j'),
  Tag: fc.constantFrom(...TAGS),
  State: fc.constantFrom(...STATES),
  Code: fc.constantFrom(...CODES),
  Message: text(40),
  QueueId: hexId('p'),
  CreationTime: ciTime,
  StartTime: ciTime,
  EndTime: ciTime,
  Input: fc.record({
    BucketId: fc.stringMatching(/^[a-z][a-z0-9-]{2,20}-125\d{7}$/),
    Object: text(30),
    Region: fc.constantFrom('ap-guangzhou', 'ap-shanghai', 'ap-chongqing', 'ap-beijing'),
    CosHeaders: cosHeaders,
    moreChildren: moreChildren(['BucketId', 'Object', 'Region', 'CosHeaders'], ['Lang', 'Type', 'BasicType']),
  }),
  inputUnderOperation: fc.boolean(),
  Workflow: fc.option(
    fc.record({ RunId: hexId('i'), WorkflowId: hexId('w'), WorkflowName: text(12), Name: text(12), moreChildren: moreChildren(['RunId', 'WorkflowId', 'WorkflowName', 'Name']) }),
    { nil: null },
  ),
  Operation: operation,
  moreChildren: moreChildren(JOB_NAMED, ['SubTag', 'Progress']),
});

/** A job callback of minJobs..maxJobs jobs with distinct JobIds. */
export function jobCallback({ minJobs = 1, maxJobs = 50 } = {}): fc.Arbitrary<GeneratedCallback> {
  return fc.record({
    family: fc.constant('job' as const),
    eventName: fc.boolean(),
    jobs: fc.uniqueArray(job, { minLength: minJobs, maxLength: maxJobs, selector: (j) => j.JobId }),
  });
}

const task: fc.Arbitrary<TaskModel> = fc.record({
  Type: fc.constantFrom(...TAGS),
  JobId: hexId('j'),
  State: fc.constantFrom(...STATES),
  Name: text(20),
  TemplateId: hexId('t'),
  TemplateName: text(12),
  CreateTime: ciTime,
  EndTime: ciTime,
  moreChildren: fc.record({ ResultInfo: resultInfo, Code: fc.constantFrom('Success', 'InternalError'), Message: text(20) }, { requiredKeys: [] }),
});

export const workflowExecution = ({ minTasks = 1, maxTasks = 50 } = {}): fc.Arbitrary<WorkflowModel> =>
  fc.record({
    RunId: hexId('i'),
    WorkflowId: hexId('w'),
    WorkflowName: text(16),
    State: fc.constantFrom(...STATES),
    CreateTime: ciTime,
    BucketId: fc.stringMatching(/^[a-z][a-z0-9-]{2,20}-125\d{7}$/),
    Object: text(30),
    CosHeaders: cosHeaders,
    Tasks: fc.array(task, { minLength: minTasks, maxLength: maxTasks }),
    moreChildren: moreChildren(['RunId', 'WorkflowId', 'WorkflowName', 'State', 'CreateTime', 'BucketId', 'Object', 'CosHeaders', 'Tasks']),
  });

/** A workflow callback whose run has minTasks..maxTasks tasks. */
export function workflowCallback(options: { minTasks?: number; maxTasks?: number } = {}): fc.Arbitrary<GeneratedCallback> {
  return fc.record({ family: fc.constant('workflow' as const), eventName: fc.boolean(), execution: workflowExecution(options) });
}

export const xmlStyle: fc.Arbitrary<XmlStyle> = fc.record({ indent: fc.boolean(), cdata: fc.boolean(), selfClosing: fc.boolean() });
export const jsonStyle: fc.Arbitrary<JsonStyle> = fc.record({ wrapInResponse: fc.boolean(), singletonAsObject: fc.boolean(), indent: fc.boolean() });

// ---- encodings ----

/** The callback as CI's element tree, below `Response`. */
function callbackTree(callback: GeneratedCallback): { [name: string]: Node } {
  if (callback.family === 'workflow') {
    const { Tasks, moreChildren, ...run } = callback.execution;
    const tasks = Tasks.map(({ moreChildren: more, ...task }) => ({ ...task, ...more }));
    return { ...(callback.eventName ? { EventName: 'WorkflowFinish' } : {}), WorkflowExecution: { ...run, Tasks: tasks, ...moreChildren } as unknown as Node };
  }
  return { ...(callback.eventName ? { EventName: 'TaskFinish' } : {}), JobsDetail: callback.jobs.map(jobTree) };
}

function jobTree(job: JobModel): Node {
  const { inputUnderOperation, Input, Workflow, Operation, moreChildren, ...fields } = job;
  const { moreChildren: moreInput, ...inputFields } = Input;
  const input = { ...inputFields, ...moreInput } as unknown as Node;
  const workflow = Workflow && (({ moreChildren: more, ...named }) => ({ ...named, ...more }))(Workflow);
  return {
    ...fields,
    ...(inputUnderOperation ? {} : { Input: input }),
    ...(workflow ? { Workflow: workflow } : {}),
    Operation: { ...(inputUnderOperation ? { Input: input } : {}), ...Operation },
    ...moreChildren,
  };
}

export function toXml(callback: GeneratedCallback, style: XmlStyle = { indent: true, cdata: false, selfClosing: true }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xmlElement('Response', callbackTree(callback), style, 0)}\n`;
}

function xmlElement(name: string, value: Node, style: XmlStyle, depth: number): string {
  const pad = style.indent ? '\n' + '  '.repeat(depth) : '';
  if (Array.isArray(value)) return value.map((item) => xmlElement(name, item, style, depth)).join(pad);
  if (typeof value === 'object') {
    const inner = Object.entries(value).map(([child, v]) => (style.indent ? '\n' + '  '.repeat(depth + 1) : '') + xmlElement(child, v, style, depth + 1));
    return `<${name}>${inner.join('')}${pad}</${name}>`;
  }
  const content = String(value);
  if (content === '' && style.selfClosing) return `<${name}/>`;
  return `<${name}>${style.cdata ? cdata(content) : escapeXml(content)}</${name}>`;
}

export function escapeXml(content: string): string {
  return content.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cdata(content: string): string {
  return `<![CDATA[${content.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

export function toJson(callback: GeneratedCallback, style: JsonStyle = { wrapInResponse: false, singletonAsObject: false, indent: true }): string {
  const tree = jsonValue(callbackTree(callback), style);
  return JSON.stringify(style.wrapInResponse ? { Response: tree } : tree, null, style.indent ? 2 : undefined);
}

function jsonValue(value: Node, style: JsonStyle): unknown {
  if (Array.isArray(value)) {
    return value.length === 1 && style.singletonAsObject ? jsonValue(value[0], style) : value.map((v) => jsonValue(v, style));
  }
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonValue(v, style)]));
  return value;
}
