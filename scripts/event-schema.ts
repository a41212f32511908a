import { join } from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';
import { projectRoot } from '../lib/config';

/** Where the committed schema lives, relative to the project root. */
export const SCHEMA_PATH = 'schema/callback-event.schema.json';

/**
 * The JSON Schema of CallbackEvent, generated from lib/events.ts: interfaces are closed
 * (additionalProperties false) except where the contract is a map (cosHeaders, operation).
 * Returned as the exact text committed, so a test can compare it byte for byte.
 */
export function generateEventSchema(root = projectRoot()): string {
  const generator = createGenerator({
    path: join(root, 'lib', 'events.ts'),
    tsconfig: join(root, 'tsconfig.json'),
    type: 'CallbackEvent',
    // tsc --noEmit checks the types; here only their shape matters.
    skipTypeCheck: true,
  });
  return JSON.stringify(generator.createSchema('CallbackEvent'), null, 2) + '\n';
}
