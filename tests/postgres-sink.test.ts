import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { CallbackEvent } from '../lib/events';
import { POSTGRES_SCHEMA } from '../lib/sinks/postgres-schema';
import { createPool, PostgresSink } from '../lib/sinks/postgres-sink';
import { jobCallback, jobsDetailOf, manyJobs } from './support/callbacks';
import { goodSamples, loadEvent, sampleBody, urlEvent } from './support/fixtures';
import { eventsOf } from './support/parse';
import { freshDatabase, query, storedEvents } from './support/postgres';
import { testReceiver } from './support/receiver';
import { PostgresServer } from './support/servers';
import { startTcpStallProxy } from './support/servers/tcp-stall-proxy';

let server: PostgresServer;

beforeAll(async () => {
  server = await PostgresServer.create();
  await server.start();
});
afterAll(() => server?.destroy());

const receiverFor = (url: string) => testReceiver({ CALLBACK_SINKS: 'postgres', DATABASE_URL: url });

describe('the postgres sink', () => {
  test('creates its table and indexes itself, from sql/postgres-schema.sql verbatim', async () => {
    expect(POSTGRES_SCHEMA).toBe(readFileSync(join(__dirname, '..', 'sql', 'postgres-schema.sql'), 'utf8'));
    const url = await freshDatabase(server.url);
    expect(await query(url, "SELECT to_regclass('callback_events') AS t")).toEqual([{ t: null }]);
    expect((await receiverFor(url).handler(loadEvent('workflow-xml'))).statusCode).toBe(200);
    const columns = await query(url, "SELECT column_name FROM information_schema.columns WHERE table_name = 'callback_events' ORDER BY ordinal_position");
    expect(columns.map((c) => c.column_name)).toEqual(['id', 'type', 'source', 'subject', 'time', 'data', 'dataschema', 'received_at', 'job_id', 'run_id']);
    const indexes = await query(url, "SELECT indexname FROM pg_indexes WHERE tablename = 'callback_events' ORDER BY indexname");
    expect(indexes.map((i) => i.indexname)).toEqual(['callback_events_job_id', 'callback_events_pkey', 'callback_events_run_id']);
  });

  test('a table made before contract 1.1.0 gains the dataschema column; its older rows keep null', async () => {
    const url = await freshDatabase(server.url);
    const before = POSTGRES_SCHEMA.replace(/^\s*dataschema .*\n/m, '').replace(/^ALTER TABLE .*\n/m, '');
    expect(before).not.toContain('dataschema');
    await query(url, before);
    await query(url, "INSERT INTO callback_events (id, type, source, subject, data) VALUES ('old', 't', 's', 'j', '{}')");
    expect((await receiverFor(url).handler(loadEvent('workflow-xml'))).statusCode).toBe(200);
    const rows = await query<{ id: string; dataschema: string | null }>(url, 'SELECT id, dataschema FROM callback_events ORDER BY received_at, id');
    expect(rows).toEqual([
      { id: 'old', dataschema: null },
      { id: eventsOf(sampleBody('workflow-xml'))[0].id, dataschema: 'urn:ci-callback-receiver:schema:callback-event.v1.json' },
    ]);
  });

  // One container per sample: its pool is closed after it, so the server's max_connections bounds
  // nothing here however many samples events/ holds.
  test.each(goodSamples())('%s is stored as exactly its events, one row each', async (sample) => {
    const url = await freshDatabase(server.url);
    const pool = createPool(url);
    try {
      const receiver = testReceiver({ CALLBACK_SINKS: 'postgres', DATABASE_URL: url }, (deps) => {
        deps.sinks = [new PostgresSink(pool)];
      });
      expect((await receiver.handler(loadEvent(sample))).statusCode).toBe(200);
      const expected = eventsOf(sampleBody(sample));
      // A moderation console test writes nothing, not even the table.
      if (expected.length === 0) expect(await query(url, "SELECT to_regclass('callback_events') AS t")).toEqual([{ t: null }]);
      else expect(await storedEvents(url)).toEqual(expected);
    } finally {
      await pool.end();
    }
  });

  test('every sample delivered twice leaves one row per event id; the first write stays', async () => {
    const url = await freshDatabase(server.url);
    const receiver = receiverFor(url);
    for (const round of [1, 2]) {
      for (const sample of goodSamples()) expect([round, sample, (await receiver.handler(loadEvent(sample))).statusCode]).toEqual([round, sample, 200]);
    }
    const stored = await storedEvents(url);
    const unique = new Map(goodSamples().flatMap((s) => eventsOf(sampleBody(s))).map((e) => [e.id, e]));
    expect(stored.map((e) => e.id).sort()).toEqual([...unique.keys()].sort());
    // task-tts-xml repeats task-tts-from-workflow-*'s job and state without the workflow.
    const tts = stored.find((e) => e.id === eventsOf(sampleBody('task-tts-xml'))[0].id);
    expect(tts?.data).toMatchObject({ workflow: { runId: 'ic90edd59f84f11ec9d4f525400a3c59f' } });
  });

  test("a job's final state by job_id and a workflow run's events by run_id, each one indexed query", async () => {
    const url = await freshDatabase(server.url);
    const runId = 'ie4d9187d35dc11eb9cec525400860000';
    const failedEarlier = jobsDetailOf('task-watermark-xml')
      .replace('<State>Success</State>', '<State>Failed</State>')
      .replace(/<EndTime>[^<]*<\/EndTime>/, '<EndTime>2022-06-30T18:42:30+0800</EndTime>');
    const receiver = receiverFor(url);
    const deliveries = [
      loadEvent('task-watermark-xml'),
      urlEvent(jobCallback([failedEarlier])),
      loadEvent('workflow-xml'),
      urlEvent(sampleBody('task-tts-from-workflow-xml').replace('ic90edd59f84f11ec9d4f525400a3c59f', runId)),
    ];
    for (const event of deliveries) expect((await receiver.handler(event)).statusCode).toBe(200);

    const finalState = "SELECT data->>'state' AS state FROM callback_events WHERE job_id = $1 ORDER BY time DESC LIMIT 1";
    expect(await query(url, finalState, ['j515a494af86111ecb8546d80f2baf56f'])).toEqual([{ state: 'Success' }]);
    const ofRun = 'SELECT subject FROM callback_events WHERE run_id = $1 ORDER BY time';
    expect(await query(url, ofRun, [runId])).toEqual([{ subject: runId }, { subject: 'j707f4864f86811ecb90d0b03267ce0e5' }]);

    for (const [sql, index] of [[finalState, 'callback_events_job_id'], [ofRun, 'callback_events_run_id']]) {
      const noSeqScan = `${url}?options=${encodeURIComponent('-c enable_seqscan=off')}`;
      const plan = await query(noSeqScan, `EXPLAIN ${sql}`, ['x']);
      expect(JSON.stringify(plan)).toContain(index);
    }
  });

  test('one pooled connection serves every invocation of a container', async () => {
    const url = await freshDatabase(server.url);
    const receiver = receiverFor(url);
    for (const sample of goodSamples()) expect((await receiver.handler(loadEvent(sample))).statusCode).toBe(200);
    const name = url.slice(url.lastIndexOf('/') + 1);
    const connections = await query(url, "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'ci-callback-receiver'", [name]);
    expect(connections).toEqual([{ n: 1 }]);
  });

  test('after the server restarted under it, the next callback is stored on a new connection', async () => {
    const url = await freshDatabase(server.url);
    const receiver = receiverFor(url);
    expect((await receiver.handler(loadEvent('workflow-xml'))).statusCode).toBe(200);
    await server.stop();
    await server.start();
    expect((await receiver.handler(loadEvent('task-watermark-xml'))).statusCode).toBe(200);
    expect((await storedEvents(url)).map((e) => e.subject)).toEqual(['ie4d9187d35dc11eb9cec525400860000', 'j515a494af86111ecb8546d80f2baf56f']);
  });
});

describe('an event PostgreSQL refuses among healthy ones', () => {
  test('a lone surrogate in a value and a year past 9999 are left out, named; the other events of the batch are stored', async () => {
    const url = await freshDatabase(server.url);
    const events = eventsOf(manyJobs('task-watermark-xml', 5));
    const surrogate = { ...events[1], data: { ...events[1].data, message: 'bad \ud800 text' } } as CallbackEvent;
    const farFuture = { ...events[3], time: '+010000-01-01T07:59:59.000Z' } as CallbackEvent;
    const batch = [events[0], surrogate, events[2], farFuture, events[4]];
    const pool = createPool(url);
    try {
      const result = await new PostgresSink(pool).send(batch);
      expect(result.leftOut).toEqual([
        { id: surrogate.id, sink: 'postgres', reason: expect.stringContaining('refused by PostgreSQL') },
        { id: farFuture.id, sink: 'postgres', reason: expect.stringContaining('refused by PostgreSQL') },
      ]);
    } finally {
      await pool.end();
    }
    expect((await storedEvents(url)).map((e) => e.id).sort()).toEqual([events[0], events[2], events[4]].map((e) => e.id).sort());
  });
});

/**
 * Another session holds a lock the insert needs, or the server stops answering: the callback
 * fails with 503 within the sink's deadlines (statement_timeout 3 s on the server, query_timeout
 * 4 s and connectionTimeoutMillis 3 s in the client), well before Lambda's 10 s, and the next
 * callback is stored once the lock is gone.
 */
describe('the postgres sink against a database that hangs', () => {
  const DEADLINE_MS = 5000;

  async function timed(receiver: ReturnType<typeof receiverFor>, event = loadEvent('task-watermark-xml')) {
    const started = Date.now();
    const res = await receiver.handler(event);
    return { status: res.statusCode, code: JSON.parse(res.body ?? '{}').error?.code, ms: Date.now() - started };
  }

  async function holding(url: string, statements: string[], during: () => Promise<void>): Promise<void> {
    const other = new Client({ connectionString: url });
    await other.connect();
    try {
      await other.query('BEGIN');
      for (const sql of statements) await other.query(sql);
      await during();
    } finally {
      await other.query('ROLLBACK');
      await other.end();
    }
  }

  test('a table locked by another session: 503 forward_failed within the deadline, then stored once the lock is gone', async () => {
    const url = await freshDatabase(server.url);
    const receiver = receiverFor(url);
    expect((await receiver.handler(loadEvent('workflow-xml'))).statusCode).toBe(200);
    await holding(url, ['LOCK TABLE callback_events IN ACCESS EXCLUSIVE MODE'], async () => {
      const outcome = await timed(receiver);
      expect([outcome.status, outcome.code]).toEqual([503, 'forward_failed']);
      expect(outcome.ms).toBeLessThan(DEADLINE_MS);
    });
    expect((await receiver.handler(loadEvent('task-watermark-xml'))).statusCode).toBe(200);
    expect((await storedEvents(url)).map((e) => e.subject)).toContain('j515a494af86111ecb8546d80f2baf56f');
  }, 20_000);

  test("a row another session inserted and has not committed: 503 within the deadline, not a wait on that session's fate", async () => {
    const url = await freshDatabase(server.url);
    const receiver = receiverFor(url);
    expect((await receiver.handler(loadEvent('workflow-xml'))).statusCode).toBe(200);
    const [event] = eventsOf(sampleBody('task-watermark-xml'));
    const insert = `INSERT INTO callback_events (id, type, source, subject, data) VALUES ('${event.id}', 't', 's', 'x', '{}')`;
    await holding(url, [insert], async () => {
      const outcome = await timed(receiver);
      expect([outcome.status, outcome.code]).toEqual([503, 'forward_failed']);
      expect(outcome.ms).toBeLessThan(DEADLINE_MS);
    });
  }, 20_000);

  test('a server that stops answering an open connection, then one that never completes a new one: 503 within the deadline each time', async () => {
    const url = await freshDatabase(server.url);
    const proxy = await startTcpStallProxy(server.port);
    try {
      const receiver = receiverFor(url.replace(`:${server.port}/`, `:${proxy.port}/`));
      expect((await receiver.handler(loadEvent('workflow-xml'))).statusCode).toBe(200);
      proxy.stall();
      for (const event of [loadEvent('task-watermark-xml'), loadEvent('task-words-xml')]) {
        const outcome = await timed(receiver, event);
        expect([outcome.status, outcome.code]).toEqual([503, 'forward_failed']);
        expect(outcome.ms).toBeLessThan(DEADLINE_MS);
      }
    } finally {
      await proxy.close();
    }
  }, 30_000);

});
