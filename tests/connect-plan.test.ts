import { describeCallback, maskToken, planCallback } from '../scripts/connect/plan';

const URL = 'https://abc.lambda-url.ap-southeast-1.on.aws/?token=t0k3n';
const MEDIA = { url: URL, events: ['TaskFinish', 'WorkflowFinish'] };

describe('planning a callback', () => {
  test('a callback already right, events in another order, needs nothing', () => {
    const current = { State: 'On', Type: 'Url', Url: URL, Event: 'WorkflowFinish, TaskFinish', ResultFormat: 'XML' };
    expect(planCallback(current, MEDIA).changes).toEqual([]);
  });

  test('a TDMQ callback becomes a Url callback, the change naming the topic that stops being notified', () => {
    const current = { State: 'On', Type: 'TDMQ', Url: '', Event: 'TaskFinish', ResultFormat: 'JSON', MqMode: 'Queue', MqRegion: 'sh', MqName: 'topic-1' };
    const plan = planCallback(current, MEDIA);
    expect(plan.changes).toEqual([
      'Type TDMQ → Url (TDMQ topic topic-1 in sh no longer notified)',
      'Url (none) → https://abc.lambda-url.ap-southeast-1.on.aws/?token=***',
      'Event TaskFinish → TaskFinish,WorkflowFinish',
    ]);
    expect(plan.next).toEqual({ State: 'On', Type: 'Url', Url: URL, Event: 'TaskFinish,WorkflowFinish', ResultFormat: 'JSON', MqMode: 'Queue', MqRegion: 'sh', MqName: 'topic-1' });
  });

  test('the result format is kept unless one is asked for; empty fields are not sent back', () => {
    const current = { State: 'Off', Type: '', Url: '', Event: '', ResultFormat: '', MqMode: '' };
    expect(planCallback(current, MEDIA).next).toEqual({ State: 'On', Type: 'Url', Url: URL, Event: 'TaskFinish,WorkflowFinish' });
    const json = planCallback({ ...current, State: 'On', Type: 'Url', Url: URL, Event: 'TaskFinish,WorkflowFinish', ResultFormat: 'XML' }, { ...MEDIA, format: 'JSON' });
    expect(json.changes).toEqual(['ResultFormat XML → JSON']);
    expect(json.next.ResultFormat).toBe('JSON');
  });

  test('no NotifyConfig at all is planned from nothing', () => {
    expect(planCallback(undefined, { url: URL, events: ['TaskFinish'] }).changes).toEqual([
      'State (none) → On',
      'Type (none) → Url',
      'Url (none) → https://abc.lambda-url.ap-southeast-1.on.aws/?token=***',
      'Event (none) → TaskFinish',
    ]);
  });

  test('a URL that differs only in its token says so without showing either token', () => {
    const current = { State: 'On', Type: 'Url', Url: URL.replace('t0k3n', 'old'), Event: 'TaskFinish,WorkflowFinish' };
    expect(planCallback(current, MEDIA).changes).toEqual(['Url https://abc.lambda-url.ap-southeast-1.on.aws/?token=***: token changes']);
  });
});

describe('showing a callback', () => {
  test('state, where it goes (token hidden), events and format', () => {
    expect(describeCallback({ State: 'On', Type: 'Url', Url: URL, Event: 'TaskFinish', ResultFormat: 'JSON' })).toBe(
      'On Url https://abc.lambda-url.ap-southeast-1.on.aws/?token=*** TaskFinish JSON',
    );
    expect(describeCallback({ State: 'On', Type: 'TDMQ', MqName: 'topic-1', MqRegion: 'sh', Event: 'TaskFinish' })).toBe(
      'On TDMQ topic-1 (sh) TaskFinish (format default: XML)',
    );
    expect(describeCallback({ State: 'Off', Url: URL })).toBe('Off (Url https://abc.lambda-url.ap-southeast-1.on.aws/?token=***)');
    expect(describeCallback(undefined)).toBe('none');
    expect(maskToken('not a url')).toBe('not a url');
    expect(maskToken('https://abc.lambda-url.ap-southeast-1.on.aws/t0k3n')).toBe('https://abc.lambda-url.ap-southeast-1.on.aws/***');
    expect(maskToken('http://127.0.0.1:3000/taskCallback/t0k3n')).toBe('http://127.0.0.1:3000/taskCallback/***');
    expect(maskToken('http://127.0.0.1:3000/taskCallback')).toBe('http://127.0.0.1:3000/taskCallback');
  });
});
