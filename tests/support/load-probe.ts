// Run as `node scripts/run.mjs tests/support/load-probe.ts` (dependencies stay real `require`s):
// builds the receiver's deps from the environment and prints which SDK and driver packages
// that loaded, as a JSON array.
import { createDeps } from '../../lib/receiver-deps';

const deps = createDeps();
const loaded = new Set<string>();
for (const path of Object.keys(require.cache)) {
  const match = /node_modules\/(@aws-sdk\/client-[a-z0-9-]+|pg)\//.exec(path);
  if (match) loaded.add(match[1]);
}
console.log(JSON.stringify({ sinks: deps.sinks.map((s) => s.name), archive: deps.archive.name, loaded: [...loaded].sort() }));
