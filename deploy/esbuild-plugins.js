// esbuild plugins for the deployed bundles (serverless.yml: custom.esbuild.plugins).
//
// lazy-node-crypto: Powertools Logger imports node:crypto at load time for one call that runs
// only with debug-log sampling. Loading node:crypto costs a cold start ~3 ms (bench/README.md),
// so Powertools gets a stand-in whose functions load the real module on their first call.
// Everything else (the AWS SDK, lib/verify) imports node:crypto as usual. A function missing
// from LAZY fails the build ("No matching export"), never the runtime.
const LAZY = ['randomInt'];
const POWERTOOLS = /[\\/]@aws-lambda-powertools[\\/]/;

const lazyNodeCrypto = {
  name: 'lazy-node-crypto',
  setup(build) {
    build.onResolve({ filter: /^(node:)?crypto$/ }, (args) =>
      POWERTOOLS.test(args.importer) ? { path: 'crypto', namespace: 'lazy-crypto' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-crypto' }, () => ({
      loader: 'js',
      contents: [
        'let crypto;',
        'const load = () => (crypto ??= require("node:crypto"));',
        ...LAZY.map((name) => `export function ${name}(...args) { return load().${name}(...args); }`),
      ].join('\n'),
    }));
  },
};

module.exports = [lazyNodeCrypto];
