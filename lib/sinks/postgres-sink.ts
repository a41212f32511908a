import { Pool, type PoolConfig } from 'pg';
import type { CallbackEvent } from '../events';
import { logger } from '../observability/logger';
import { POSTGRES_SCHEMA } from './postgres-schema';
import type { EventSink, LeftOutEvent, SinkResult } from './sink';
import { uniqueById } from './unique';

const INSERT = `
  INSERT INTO callback_events (id, type, source, subject, time, data, dataschema)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[], $7::text[])
  ON CONFLICT (id) DO NOTHING`;

/** One advisory lock id for the migration, so that two cold starts do not create the table at once. */
const MIGRATION_LOCK = 'ci-callback-receiver:callback_events';

/**
 * Deadlines, so that a database that hangs fails the callback with 503 well within the
 * function's 10 s: the server cancels a statement after STATEMENT_TIMEOUT_MS (a lock held by
 * another session, a slow disk); the client gives up on a server that stopped answering after
 * QUERY_TIMEOUT_MS, and on a connection not established after CONNECT_TIMEOUT_MS.
 */
const STATEMENT_TIMEOUT_MS = 3000;
const QUERY_TIMEOUT_MS = 4000;
const CONNECT_TIMEOUT_MS = 3000;

/**
 * A Lambda container handles one request at a time: one connection, kept between invocations.
 * Idle connections do not keep a script (`npm run replay`) from exiting.
 */
export function createPool(connectionString: string): Pool {
  const config: PoolConfig = {
    connectionString,
    application_name: 'ci-callback-receiver',
    max: 2,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    idleTimeoutMillis: 0,
    allowExitOnIdle: true,
  };
  const pool = new Pool(config);
  // A pooled connection the server closes (restart, failover) must not crash the container.
  pool.on('error', (err) => logger.warn('postgres connection lost; the next request reconnects', { err: err.message }));
  return pool;
}

/**
 * Inserts each event once (`ON CONFLICT DO NOTHING` on the event id), all of a callback in one
 * statement. When PostgreSQL refuses the data of one event (SQLSTATE class 22: a value jsonb or
 * timestamptz cannot hold), the others are not held back: the batch is split in halves until
 * the refused events stand alone, and those are left out (returned, never retried).
 */
export class PostgresSink implements EventSink {
  readonly name = 'postgres';
  private migrated: Promise<void> | undefined;

  constructor(private readonly pool: Pool) {}

  async send(events: readonly CallbackEvent[]): Promise<SinkResult> {
    const unique = uniqueById(events);
    if (unique.length === 0) return { leftOut: [] };
    await this.migrate();
    const leftOut: LeftOutEvent[] = [];
    await this.insertOrSplit(unique, leftOut);
    return { leftOut };
  }

  private async insertOrSplit(events: CallbackEvent[], leftOut: LeftOutEvent[]): Promise<void> {
    try {
      await this.insert(events);
    } catch (err) {
      if (!isDataError(err)) throw err;
      if (events.length === 1) {
        leftOut.push({ id: events[0].id, sink: this.name, reason: `refused by PostgreSQL: ${(err as Error).message}` });
        return;
      }
      const half = Math.ceil(events.length / 2);
      await this.insertOrSplit(events.slice(0, half), leftOut);
      await this.insertOrSplit(events.slice(half), leftOut);
    }
  }

  private async insert(events: CallbackEvent[]): Promise<void> {
    const columns = [
      events.map((e) => e.id),
      events.map((e) => e.type),
      events.map((e) => e.source),
      events.map((e) => e.subject),
      events.map((e) => e.time ?? null),
      events.map((e) => JSON.stringify(e.data)),
      events.map((e) => e.dataschema ?? null),
    ];
    try {
      await this.pool.query(INSERT, columns);
    } catch (err) {
      // A connection that died while the container was frozen fails once; a new one is opened.
      if (!isConnectionError(err)) throw err;
      await this.pool.query(INSERT, columns);
    }
  }

  /** Applies the schema once per container; a failure is retried by the next request. */
  private migrate(): Promise<void> {
    this.migrated ??= applySchema(this.pool).catch((err) => {
      this.migrated = undefined;
      throw err;
    });
    return this.migrated;
  }
}

async function applySchema(pool: Pool): Promise<void> {
  const client = await pool.connect();
  let failed: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [MIGRATION_LOCK]);
    await client.query(POSTGRES_SCHEMA);
    await client.query('COMMIT');
  } catch (err) {
    failed = err as Error;
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    // A connection that failed is closed rather than handed to the next query.
    client.release(failed);
  }
}

/** SQLSTATE class 22, data exception: the same values fail the same way on every retry. */
function isDataError(err: unknown): boolean {
  const { code } = err as { code?: unknown };
  return typeof code === 'string' && code.startsWith('22');
}

/**
 * A pooled connection the server or the network closed while the container was frozen. Not a
 * connection that timed out ("Connection terminated due to connection timeout"): trying again
 * would only spend the deadline twice.
 */
function isConnectionError(err: unknown): boolean {
  const { code, message } = err as { code?: unknown; message?: unknown };
  return code === 'ECONNRESET' || code === 'EPIPE' || message === 'Connection terminated unexpectedly';
}
