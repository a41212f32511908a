import { join } from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';
import { projectRoot } from '../lib/config';
import { CALLBACK_EVENT_SCHEMA, CONTRACT_VERSION } from '../lib/events';

/** Where the committed schema lives, relative to the project root. */
export const SCHEMA_PATH = 'schema/callback-event.schema.json';

/**
 * The JSON Schema of CallbackEvent, generated from lib/events.ts. Objects are open: a field
 * added in a later minor version of the contract is tolerated by a consumer that validates with
 * this version's schema, while every field this version names is required and typed.
 * `$id` is the `dataschema` every event carries (the major version).
 * Returned as the exact text committed, so a test can compare it byte for byte.
 */
export function generateEventSchema(root = projectRoot()): string {
  const generator = createGenerator({
    path: join(root, 'lib', 'events.ts'),
    tsconfig: join(root, 'tsconfig.json'),
    type: 'CallbackEvent',
    additionalProperties: true,
    // tsc --noEmit checks the types; here only their shape matters.
    skipTypeCheck: true,
  });
  const { $schema, ...schema } = generator.createSchema('CallbackEvent');
  const described = {
    $schema,
    $id: CALLBACK_EVENT_SCHEMA,
    title: 'CI callback event',
    description: `Contract version ${CONTRACT_VERSION} (CHANGELOG.md). Objects are open: tolerate fields you do not know.`,
    ...schema,
  };
  return JSON.stringify(described, null, 2) + '\n';
}
