import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { parseStringPromise } from 'xml2js';
import { startFakeCiAdmin, type FakeCiAdmin, type FakeQueue, type FakeWorkflow } from './support/fake-ci-admin';

const root = join(__dirname, '..');
const URL_WITH_TOKEN = 'https://abcdefghij.lambda-url.ap-southeast-1.on.aws/?token=right-token';

/** `npm run connect -- …` as a child process (asynchronous: the fake CI answers from this process). */
function connect(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CI_|TENCENTCLOUD_|CALLBACK_)/.test(k)));
  return new Promise((resolve) => {
    execFile(process.execPath, ['scripts/run.mjs', 'scripts/connect.ts', ...args], { cwd: root, env: { ...clean, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const urlCallback = (url: string, event = 'TaskFinish,WorkflowFinish', format = 'JSON') => ({ Url: url, Event: event, Type: 'Url', State: 'On', ResultFormat: format });

/** A workflow as documented (UpdateMediaWorkflow's sample body), its start node calling back elsewhere. */
async function documentedWorkflow(id: string): Promise<FakeWorkflow> {
  const xml =
    '<Topology><Dependencies><Start>Snapshot_1581665960536,Transcode_1581665960538</Start><Snapshot_1581665960536>End</Snapshot_1581665960536>' +
    '<Transcode_1581665960538>End</Transcode_1581665960538></Dependencies><Nodes><Start><Type>Start</Type><Input>' +
    '<QueueId>p09d709939fef48a0a5c247ef39d90cec</QueueId><ObjectPrefix>input/workflow-1</ObjectPrefix><NotifyConfig><State>On</State>' +
    '<Url>http://www.callback.com</Url><Event>TaskFinish,WorkflowFinish</Event><Type>Url</Type><ResultFormat>JSON</ResultFormat></NotifyConfig>' +
    '<ExtFilter><State>On</State><Video>true</Video><Audio>false</Audio></ExtFilter></Input></Start><Snapshot_1581665960536><Type>Snapshot</Type>' +
    '<Operation><TemplateId>t1460606b9752148c4ab182f55163ba7cd</TemplateId><Output><Region>ap-chongqing</Region><Bucket>test-1234567890</Bucket>' +
    '<Object>abc/${RunId}/snapshot-${number}.${ext}</Object></Output></Operation></Snapshot_1581665960536><Transcode_1581665960538><Type>Transcode</Type>' +
    '<Operation><TemplateId>t1460606b9752148c4ab182f55163ba7cd</TemplateId><Output><Region>ap-chongqing</Region><Bucket>test-1234567890</Bucket>' +
    '<Object>trans1.mp4</Object></Output></Operation></Transcode_1581665960538></Nodes></Topology>';
  const { Topology } = await parseStringPromise(xml, { explicitArray: false });
  return { WorkflowId: id, Name: 'workflow-1', State: 'Active', Topology };
}

/** Twelve media queues (two pages), of both media categories, and one queue of every other type. */
async function bucket(): Promise<FakeCiAdmin> {
  const media: FakeQueue[] = Array.from({ length: 12 }, (_, i) => ({
    QueueId: `pmedia${String(i).padStart(2, '0')}`,
    Name: `queue-${i}`,
    State: i === 3 ? 'Paused' : 'Active',
    Category: i === 11 ? 'SpeedTranscoding' : 'Transcoding',
    NotifyConfig: { State: 'Off', Url: '', Event: '', Type: '', ResultFormat: '' },
  }));
  media[0].NotifyConfig = urlCallback(URL_WITH_TOKEN); // already right
  media[1].NotifyConfig = { State: 'On', Type: 'TDMQ', Event: 'TaskFinish', ResultFormat: 'XML', MqMode: 'Queue', MqRegion: 'bj', MqName: 'ci-events', Url: '' };
  return startFakeCiAdmin({
    queues: {
      '/queue': media,
      '/picqueue': [{ QueueId: 'ppic', Name: 'pic', State: 'Active', NotifyConfig: urlCallback('https://old.example.com/cb') }],
      '/ai_queue': [{ QueueId: 'pai', Name: 'ai', State: 'Active', NotifyConfig: urlCallback(URL_WITH_TOKEN, 'TaskFinish') }],
      '/asrqueue': [{ QueueId: 'pasr', Name: 'speech', State: 'Active', NotifyConfig: urlCallback(URL_WITH_TOKEN, 'TaskFinish') }],
      '/docqueue': [{ QueueId: 'pdoc', Name: 'doc', State: 'Active', NotifyConfig: urlCallback(URL_WITH_TOKEN.replace('right', 'wrong'), 'TaskFinish', 'XML') }],
      '/file_queue': [{ QueueId: 'pfile', Name: 'file', State: 'Active' }],
    },
    workflows: [await documentedWorkflow('wf1')],
  });
}

let ci: FakeCiAdmin;
afterEach(async () => {
  await ci?.close();
});

describe('npm run connect without --apply', () => {
  test('lists every queue of every type and every workflow, page by page, with the change each needs, and writes nothing', async () => {
    ci = await bucket();
    const { code, stdout } = await connect(['--url', URL_WITH_TOKEN], ci.env());
    expect(code).toBe(0);
    expect(ci.requests.every((r) => r.method === 'GET' && r.signed)).toBe(true);
    // Media queues of every category, two pages of ten.
    const mediaPages = ci.requests.filter((r) => r.path === '/queue').map((r) => r.query);
    expect(mediaPages).toEqual([
      { category: 'CateAll', pageNumber: '1', pageSize: '10' },
      { category: 'CateAll', pageNumber: '2', pageSize: '10' },
    ]);
    expect(ci.requests.map((r) => r.path)).toEqual(expect.arrayContaining(['/picqueue', '/ai_queue', '/asrqueue', '/docqueue', '/file_queue', '/workflow']));
    expect(stdout).toContain('media queue pmedia11 "queue-11" (SpeedTranscoding): Off\n');
    expect(stdout).toMatch(/media queue pmedia00 "queue-0" \(Transcoding\): On Url https:\/\/abcdefghij\.lambda-url\.ap-southeast-1\.on\.aws\/\?token=\*\*\* TaskFinish,WorkflowFinish JSON\n  already set/);
    expect(stdout).toMatch(/media queue pmedia01 .*: On TDMQ ci-events \(bj\).*\n  would change: Type TDMQ → Url \(TDMQ topic ci-events in bj no longer notified\); Url \(none\) → https:\/\/[^ ]*token=\*\*\*; Event TaskFinish → TaskFinish,WorkflowFinish/);
    expect(stdout).toMatch(/ai queue pai "ai": .*\n  would change: Event TaskFinish → TaskFinish,WorkflowFinish/);
    expect(stdout).toMatch(/speech queue pasr "speech": .*\n  already set/);
    expect(stdout).toMatch(/document queue pdoc "doc": .*\n  would change: Url https:\/\/abcdefghij[^ ]*token=\*\*\*: token changes/);
    expect(stdout).toMatch(/file queue pfile "file": none\n  would change: State \(none\) → On/);
    expect(stdout).toMatch(/workflow wf1 "workflow-1": On Url http:\/\/www\.callback\.com TaskFinish,WorkflowFinish JSON\n  would change: Url http:\/\/www\.callback\.com → /);
    expect(stdout).not.toContain('right-token');
    expect(stdout).toMatch(/16 to change, 2 already set: nothing changed \(dry run\); run again with --apply/);
  });
});

describe('npm run connect --apply', () => {
  test('sets each callback that differs, sends the rest back unchanged, and a second run writes nothing', async () => {
    ci = await bucket();
    const first = await connect(['--url', URL_WITH_TOKEN, '--apply'], ci.env());
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('16 changed, 2 already set, 0 failed');
    expect(ci.writes().map((w) => w.path)).not.toEqual(expect.arrayContaining(['/queue/pmedia00', '/asrqueue/pasr']));
    expect(ci.writes()).toHaveLength(16);

    const mq = ci.queues.get('/queue')!.find((q) => q.QueueId === 'pmedia01')!;
    expect(mq.NotifyConfig).toEqual({ State: 'On', Type: 'Url', Url: URL_WITH_TOKEN, Event: 'TaskFinish,WorkflowFinish', ResultFormat: 'XML', MqMode: 'Queue', MqRegion: 'bj', MqName: 'ci-events' });
    const paused = ci.queues.get('/queue')!.find((q) => q.QueueId === 'pmedia03')!;
    expect([paused.Name, paused.State]).toEqual(['queue-3', 'Paused']);
    const doc = ci.queues.get('/docqueue')![0];
    expect(doc.NotifyConfig).toEqual({ State: 'On', Type: 'Url', Url: URL_WITH_TOKEN, Event: 'TaskFinish', ResultFormat: 'XML' });
    expect(ci.writes().find((w) => w.path === '/docqueue/pdoc')!.body).toMatchObject({ Name: 'doc', QueueID: 'pdoc', State: 'Active' });
    expect(ci.queues.get('/file_queue')![0].NotifyConfig).toEqual({ State: 'On', Type: 'Url', Url: URL_WITH_TOKEN, Event: 'TaskFinish,WorkflowFinish' });

    const before = await documentedWorkflow('wf1');
    const after = ci.workflows[0];
    const startInput = (after.Topology as any).Nodes.Start.Input;
    expect(startInput.NotifyConfig).toEqual({ State: 'On', Url: URL_WITH_TOKEN, Event: 'TaskFinish,WorkflowFinish', Type: 'Url', ResultFormat: 'JSON' });
    (before.Topology as any).Nodes.Start.Input.NotifyConfig = startInput.NotifyConfig;
    expect(after).toEqual(before);

    const writesBefore = ci.writes().length;
    const second = await connect(['--url', URL_WITH_TOKEN, '--apply'], ci.env());
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('0 changed, 18 already set, 0 failed');
    expect(ci.writes()).toHaveLength(writesBefore);
  });

  test('--format changes the result format of every callback; --workflow-url points the workflows elsewhere', async () => {
    ci = await bucket();
    const workflowUrl = URL_WITH_TOKEN.replace('abcdefghij', 'klmnopqrst');
    const { code, stdout } = await connect(['--url', URL_WITH_TOKEN, '--apply', '--format', 'xml', '--workflow-url', workflowUrl], ci.env());
    expect(code).toBe(0);
    expect(stdout).toContain('ResultFormat JSON → XML');
    expect(ci.queues.get('/queue')!.every((q) => q.NotifyConfig?.ResultFormat === 'XML')).toBe(true);
    expect((ci.workflows[0].Topology as any).Nodes.Start.Input.NotifyConfig).toMatchObject({ Url: workflowUrl, ResultFormat: 'XML' });
  });

  test('an update CI refuses is named with its error code, the others are still applied, and the exit code is 1', async () => {
    ci = await bucket();
    ci.refuse('pmedia05', { status: 400, code: 'InvalidParameter' });
    const { code, stdout } = await connect(['--url', URL_WITH_TOKEN, '--apply'], ci.env());
    expect(code).toBe(1);
    expect(stdout).toMatch(/media queue pmedia05 .*\n  change: .*\n  FAILED: InvalidParameter \(HTTP 400\): update of pmedia05 refused/);
    expect(stdout).toContain('15 changed, 2 already set, 1 failed');
    expect(ci.queues.get('/queue')!.find((q) => q.QueueId === 'pmedia06')!.NotifyConfig?.Url).toBe(URL_WITH_TOKEN);
  });

  test('requests signed with the wrong key are refused by CI and reported with its code', async () => {
    ci = await bucket();
    const { code, stdout } = await connect(['--url', URL_WITH_TOKEN, '--apply'], ci.env({ TENCENTCLOUD_SECRET_KEY: 'not-the-key' }));
    expect(code).toBe(1);
    expect(stdout).toContain('media queues (GET /queue): cannot list: SignatureDoesNotMatch (HTTP 403)');
    expect(ci.writes()).toHaveLength(0);
  });
});

describe('npm run connect settings', () => {
  test.each([
    ['TENCENTCLOUD_SECRET_ID', { TENCENTCLOUD_SECRET_ID: '' }],
    ['TENCENTCLOUD_SECRET_KEY', { TENCENTCLOUD_SECRET_KEY: '' }],
    ['CI_BUCKET', { CI_ENDPOINT: '', CI_REGION: 'ap-chongqing' }],
    ['CI_REGION', { CI_ENDPOINT: '', CI_BUCKET: 'examplebucket-1250000000' }],
  ])('without %s: one line naming it, exit 2, no request', async (name, overrides) => {
    ci = await bucket();
    const { code, stdout, stderr } = await connect(['--url', URL_WITH_TOKEN], ci.env(overrides));
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`${name} is not set`);
    expect(stdout).toBe('');
    expect(ci.requests).toHaveLength(0);
  });

  test('a clear-text CI_ENDPOINT off this machine is refused before any request', async () => {
    const { code, stderr } = await connect(['--url', URL_WITH_TOKEN], { CI_ENDPOINT: 'http://ci.example.com', TENCENTCLOUD_SECRET_ID: 'id', TENCENTCLOUD_SECRET_KEY: 'key' });
    expect([code, stderr.trim()]).toEqual([2, 'CI_ENDPOINT must be https:// (http:// only for a loopback address)']);
  });

  test('usage errors exit 2', async () => {
    expect((await connect([], {})).code).toBe(2);
    expect((await connect(['--url', 'not a url'], {})).stderr).toContain('--url is not a URL');
    expect((await connect(['--url', URL_WITH_TOKEN, '--format', 'yaml'], {})).stderr).toContain('--format must be xml or json');
  });
});
