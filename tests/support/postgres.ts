import { Client } from 'pg';
import type { CallbackEvent } from '../../lib/events';

/** Runs one query on a short-lived connection (the test's view, not the sink's pool). */
export async function query<T = Record<string, unknown>>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

let databases = 0;

/** A new empty database on the server; returns its URL. */
export async function freshDatabase(serverUrl: string): Promise<string> {
  const name = `receiver_${++databases}`;
  await query(serverUrl, `CREATE DATABASE ${name}`);
  return serverUrl.replace(/\/[^/]*$/, `/${name}`);
}

/** The stored rows as CloudEvents again, oldest row first. */
export async function storedEvents(url: string): Promise<CallbackEvent[]> {
  const rows = await query<{ id: string; type: string; source: string; subject: string; time: Date | null; data: unknown; dataschema: string | null }>(
    url,
    'SELECT id, type, source, subject, time, data, dataschema FROM callback_events ORDER BY received_at, id',
  );
  return rows.map((row) => ({
    specversion: '1.0',
    id: row.id,
    source: row.source,
    type: row.type,
    subject: row.subject,
    ...(row.time ? { time: row.time.toISOString() } : {}),
    datacontenttype: 'application/json',
    ...(row.dataschema ? { dataschema: row.dataschema } : {}),
    data: row.data,
  })) as CallbackEvent[];
}
