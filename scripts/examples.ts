// Regenerates the example events the README shows and the messages of examples/sqs-event.json
// from the samples in events/ (`npm run examples`), after the contract gained a field.
// tests/readme.test.ts and tests/queue-consumer.test.ts check that what they show is what the samples produce.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../lib/config';
import { renderReadmeExamples, renderSqsFixture, SQS_FIXTURE } from './contract-examples';

const root = projectRoot();
const readme = join(root, 'README.md');
writeFileSync(readme, renderReadmeExamples(readFileSync(readme, 'utf8'), root));
const fixture = join(root, SQS_FIXTURE);
writeFileSync(fixture, renderSqsFixture(readFileSync(fixture, 'utf8'), root));
console.log(`wrote the examples of README.md and ${SQS_FIXTURE}`);
