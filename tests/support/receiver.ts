import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCallbackHandler, type CallbackHandler } from '../../lib/callback-handler';
import { createDeps, type ReceiverDeps } from '../../lib/receiver-deps';
import { loadConfig } from '../../lib/config';
import type { CallbackEvent } from '../../lib/events';

export interface TestReceiver {
  handler: CallbackHandler;
  deps: ReceiverDeps;
  dir: string;
  /** Events the file sink holds. */
  events(): CallbackEvent[];
  /** Archived raw requests, oldest first. */
  archived(): Array<{ body: string; isBase64Encoded: boolean; query: Record<string, string> }>;
}

/** A handler wired like the deployed one, writing to a fresh temporary directory. */
export function testReceiver(env: Record<string, string> = {}, adjust?: (deps: ReceiverDeps) => void): TestReceiver {
  const dir = mkdtempSync(join(tmpdir(), 'receiver-'));
  const config = loadConfig({
    CALLBACK_SINKS: 'file',
    CALLBACK_FILE: join(dir, 'events.jsonl'),
    CALLBACK_ARCHIVE_DIR: join(dir, 'raw'),
    ...env,
  });
  const deps = createDeps(config);
  adjust?.(deps);
  return {
    handler: createCallbackHandler('taskCallback', () => deps),
    deps,
    dir,
    events: () => {
      const file = join(dir, 'events.jsonl');
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    },
    archived: () => listFiles(join(dir, 'raw')).map((f) => JSON.parse(readFileSync(f, 'utf8'))),
  };
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name))
    .sort();
}
