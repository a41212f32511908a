// Regenerates schema/callback-event.schema.json from lib/events.ts (`npm run schema`).
// tests/event-schema.test.ts fails when the committed file differs from a fresh one.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../lib/config';
import { generateEventSchema, SCHEMA_PATH } from './event-schema';

const root = projectRoot();
writeFileSync(join(root, SCHEMA_PATH), generateEventSchema(root));
console.log(`wrote ${SCHEMA_PATH}`);
