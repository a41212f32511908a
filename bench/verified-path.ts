import { createCallbackHandler } from '../lib/callback-handler';
import { loadConfig } from '../lib/config';
import { createDeps } from '../lib/receiver-deps';
import { startFakeCiWithSamples } from '../tests/support/fake-ci';
import { inMemoryDeps } from './in-process';
import { paired, type Paired } from './measure';
import type { BenchSample } from './samples';

/**
 * What CALLBACK_VERIFY=ci adds per request: the same handler with and without verification,
 * against the local fake CI (one signed lookup per job over loopback; real CI adds a network round trip).
 */
export async function measureVerifiedPath(sample: BenchSample, options: { rounds: number }): Promise<Paired> {
  const fake = await startFakeCiWithSamples();
  try {
    const plain = inMemoryDeps().deps;
    const verified = { ...plain, verifier: createDeps(loadConfig({ ...fake.env(), CALLBACK_SINKS: 'log' })).verifier };
    const withVerify = createCallbackHandler('bench', () => verified);
    const without = createCallbackHandler('bench', () => plain);
    return await paired(() => withVerify(sample.event), () => without(sample.event), { ...options, targetMs: 50 });
  } finally {
    await fake.close();
  }
}
