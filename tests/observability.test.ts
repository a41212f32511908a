import type { Context } from 'aws-lambda';
import { logger } from '../lib/observability/logger';
import { loadEvent, urlEvent } from './support/fixtures';
import { captureOutput, jsonLines } from './support/output';
import { testReceiver } from './support/receiver';

// The metrics instance is built on the first request: enable EMF output for this file.
const metricsDisabled = process.env.POWERTOOLS_METRICS_DISABLED;
process.env.POWERTOOLS_METRICS_DISABLED = 'false';
afterAll(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = metricsDisabled;
});

const TOKEN = 'observability-token-5d1c9a7e3b';
const context = (awsRequestId: string) => ({ awsRequestId, functionName: 'ci-callback-receiver-dev-taskCallback' }) as Context;
const logLines = (lines: string[]) => jsonLines(lines).filter((l) => 'level' in l);

describe('structured logs', () => {
  test('every line of an invocation carries its Lambda request id, and the next invocation its own', async () => {
    const receiver = testReceiver({}, (deps) => {
      deps.sinks.push({ name: 'chatty', send: async () => logger.debug('chatty sink stored the events') });
    });
    const { lines } = await captureOutput(async () => {
      await receiver.handler(loadEvent('task-tts-xml'), context('req-1'));
      await receiver.handler(urlEvent('<Response>'), context('req-2'));
    });
    const logs = logLines(lines);
    expect(logs.map((l) => [l.function_request_id, l.message])).toEqual([
      ['req-1', 'chatty sink stored the events'],
      ['req-1', 'callback'],
      ['req-2', expect.stringMatching(/^callback malformed_body/)],
    ]);
  });

  test('keys added during an invocation do not leak into the next one', async () => {
    const receiver = testReceiver({}, (deps) => {
      deps.sinks.push({ name: 'tagging', send: async () => logger.appendKeys({ tenant: 'leaky' }) });
    });
    const { lines } = await captureOutput(async () => {
      await receiver.handler(loadEvent('task-tts-xml'), context('req-1'));
      await receiver.handler(urlEvent('<Response>'));
    });
    const [first, second] = logLines(lines);
    expect(first).toMatchObject({ function_request_id: 'req-1', tenant: 'leaky' });
    expect(second).not.toHaveProperty('tenant');
    expect(second).not.toHaveProperty('function_request_id');
  });

  test('the summary line names family, tags, states, ids, sinks, outcome and duration', async () => {
    const receiver = testReceiver();
    const { lines } = await captureOutput(() => receiver.handler(loadEvent('task-tts-xml'), context('req-1')));
    const [summary] = logLines(lines);
    expect(summary).toMatchObject({
      level: 'INFO',
      outcome: 'accepted',
      family: 'job',
      tags: ['Tts'],
      states: ['Success'],
      ids: [receiver.events()[0].id],
      sinks: ['file'],
      status: 200,
      durationMs: expect.any(Number),
    });
  });

  test('the summary line of a moderation result names its family, Moderation:<kind> and its verdict', async () => {
    const receiver = testReceiver();
    const { lines } = await captureOutput(() => receiver.handler(loadEvent('moderation-video-detail'), context('req-2')));
    const [summary] = logLines(lines);
    expect(summary).toMatchObject({ outcome: 'accepted', family: 'moderation', tags: ['Moderation:video'], states: ['pass'], ids: [receiver.events()[0].id] });
  });

  test('neither the token nor the body is ever logged, at any level down to DEBUG', async () => {
    const receiver = testReceiver({ CALLBACK_TOKEN: TOKEN });
    const marker = 'BODY-MARKER-7f3e';
    const body = `<Response><EventName>TaskFinish</EventName><JobsDetail><JobId>j1</JobId><Message>${marker}</Message></JobsDetail></Response>`;
    const { lines } = await captureOutput(async () => {
      await receiver.handler(urlEvent(body, { query: `token=${TOKEN}` }));
      await receiver.handler(urlEvent(`<Response>${marker}`, { query: `token=${TOKEN}` }));
      await receiver.handler(urlEvent(body, { query: `token=${TOKEN}x` }));
    }, 'DEBUG');
    expect(logLines(lines)).toHaveLength(3);
    expect(lines.join('\n')).not.toContain(TOKEN);
    expect(lines.join('\n')).not.toContain(marker);
  });

  test.each([
    ['debug', 'DEBUG'],
    ['WARN', 'WARN'],
    ['Error', 'ERROR'],
  ])('LOG_LEVEL=%s sets the level %s, in any case', (value, level) => {
    const saved = { ...process.env };
    delete process.env.POWERTOOLS_LOG_LEVEL;
    process.env.LOG_LEVEL = value;
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const isolated = require('../lib/observability/logger') as typeof import('../lib/observability/logger');
        expect(isolated.logger.getLevelName()).toBe(level);
      });
    } finally {
      process.env = saved;
    }
  });
});

describe('CloudWatch EMF metrics', () => {
  interface Metric {
    name: string;
    value: unknown;
    dimensions: Record<string, unknown>;
    namespace: string;
  }

  /** Every metric value in the EMF lines, with the dimensions it is published under. */
  function metricsIn(lines: string[]): Metric[] {
    return jsonLines(lines)
      .filter((l) => '_aws' in l)
      .flatMap((l) => {
        const [directive] = (l._aws as { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }> }).CloudWatchMetrics;
        const dimensions = Object.fromEntries(directive.Dimensions.flat().map((d) => [d, l[d]]));
        return directive.Metrics.map((m) => ({ name: m.Name, value: l[m.Name], dimensions, namespace: directive.Namespace }));
      });
  }

  test('an accepted callback counts as received and its events as forwarded by tag and state', async () => {
    const receiver = testReceiver();
    const { lines } = await captureOutput(async () => {
      await receiver.handler(loadEvent('task-tts-xml'));
      await receiver.handler(loadEvent('workflow-json'));
    });
    const service = 'ci-callback-receiver';
    expect(metricsIn(lines)).toEqual([
      { name: 'EventsForwarded', value: 1, dimensions: { service, tag: 'Tts', state: 'Success' }, namespace: service },
      { name: 'CallbacksReceived', value: 1, dimensions: { service }, namespace: service },
      { name: 'EventsForwarded', value: 1, dimensions: { service, tag: 'Workflow', state: 'Success' }, namespace: service },
      { name: 'CallbacksReceived', value: 1, dimensions: { service }, namespace: service },
    ]);
  });

  test('a moderation result counts under Moderation:<kind> and its verdict; a console test forwards nothing', async () => {
    const receiver = testReceiver();
    const { lines } = await captureOutput(async () => {
      await receiver.handler(loadEvent('moderation-image-simple'));
      await receiver.handler(loadEvent('moderation-image-console-test'));
    });
    const service = 'ci-callback-receiver';
    expect(metricsIn(lines)).toEqual([
      { name: 'EventsForwarded', value: 1, dimensions: { service, tag: 'Moderation:image', state: 'pass' }, namespace: service },
      { name: 'CallbacksReceived', value: 1, dimensions: { service }, namespace: service },
      { name: 'CallbacksReceived', value: 1, dimensions: { service }, namespace: service },
    ]);
  });

  test('events of one callback are counted per tag and state pair', async () => {
    const receiver = testReceiver();
    const jobs = ['Success', 'Failed', 'Success'].map((state, i) => `<JobsDetail><JobId>j${i}</JobId><Tag>Transcode</Tag><State>${state}</State></JobsDetail>`);
    const { lines } = await captureOutput(() => receiver.handler(urlEvent(`<Response>${jobs.join('')}</Response>`)));
    const forwarded = metricsIn(lines).filter((m) => m.name === 'EventsForwarded');
    expect(forwarded.map((m) => [m.dimensions.tag, m.dimensions.state, m.value])).toEqual([
      ['Transcode', 'Success', 2],
      ['Transcode', 'Failed', 1],
    ]);
  });

  test('a refused callback counts as received and as rejected with its error code', async () => {
    const receiver = testReceiver({ CALLBACK_TOKEN: TOKEN });
    const { lines } = await captureOutput(async () => {
      await receiver.handler(urlEvent('<Response>', { query: `token=${TOKEN}` }));
      await receiver.handler(urlEvent('<Response/>'));
    });
    const metrics = metricsIn(lines);
    expect(metrics.filter((m) => m.name === 'CallbacksRejected').map((m) => [m.dimensions.code, m.value])).toEqual([
      ['malformed_body', 1],
      ['unauthorized', 1],
    ]);
    expect(metrics.filter((m) => m.name === 'CallbacksReceived')).toHaveLength(2);
    expect(metrics.filter((m) => m.name === 'EventsForwarded')).toEqual([]);
  });

  test('a failing sink counts as a sink failure by sink name, and the callback as rejected', async () => {
    const receiver = testReceiver({}, (deps) => {
      deps.sinks.push({ name: 'broken', send: () => Promise.reject(new Error('down')) });
    });
    const { lines } = await captureOutput(() => receiver.handler(loadEvent('task-tts-xml')));
    const metrics = metricsIn(lines);
    expect(metrics.find((m) => m.name === 'SinkFailures')).toMatchObject({ value: 1, dimensions: { sink: 'broken' } });
    expect(metrics.find((m) => m.name === 'CallbacksRejected')).toMatchObject({ dimensions: { code: 'forward_failed' } });
    expect(metrics.filter((m) => m.name === 'EventsForwarded')).toEqual([]);
  });

  // 499 made-up tags and one known: the most events one callback may carry (lib/normalize/event-limit.ts).
  test('499 made-up tags and states make a handful of dimension sets, and the summary line stays small', async () => {
    const receiver = testReceiver();
    const jobs = Array.from({ length: 499 }, (_, i) => `<JobsDetail><JobId>j${i}</JobId><Tag>Tag${i}</Tag><State>State${i}</State></JobsDetail>`);
    const known = '<JobsDetail><JobId>k</JobId><Tag>Transcode</Tag><State>Failed</State></JobsDetail>';
    const { lines } = await captureOutput(() => receiver.handler(urlEvent(`<Response>${known}${jobs.join('')}</Response>`)), 'INFO');
    const forwarded = metricsIn(lines).filter((m) => m.name === 'EventsForwarded');
    expect(forwarded.map((m) => [m.dimensions.tag, m.dimensions.state, m.value])).toEqual([
      ['Transcode', 'Failed', 1],
      ['other', 'other', 499],
    ]);
    const [summary] = logLines(lines);
    expect(summary).toMatchObject({ outcome: 'accepted', eventCount: 500 });
    expect((summary.ids as string[]).length).toBe(20);
    expect(JSON.stringify(summary).length).toBeLessThan(8 * 1024);
  });

  test('an archive that fails counts as ArchiveFailures, and the callback stays accepted', async () => {
    const receiver = testReceiver({}, (deps) => {
      deps.archive = { name: 'broken', put: () => Promise.reject(new Error('down')) };
    });
    const { lines } = await captureOutput(() => receiver.handler(loadEvent('task-tts-xml')));
    const metrics = metricsIn(lines);
    expect(metrics.find((m) => m.name === 'ArchiveFailures')).toMatchObject({ value: 1 });
    expect(metrics.find((m) => m.name === 'EventsForwarded')).toMatchObject({ value: 1 });
  });
});
