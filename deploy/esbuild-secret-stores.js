// esbuild plugin for the deployed bundles (listed in deploy/esbuild-plugins.js).
//
// secret-store-esm: the SSM and Secrets Manager clients are read by lib/secrets/ through
// Powertools Parameters, which uses 3 of SSM's ~150 commands and 1 of Secrets Manager's. Their
// CommonJS build is one file holding every command, so a bundle carries all of them; their ES
// module build lets esbuild keep only what is used (the SSM client: 208 KB → 79 KB minified).
// serverless.yml's `mainFields: [module, main]` now prefers the ES module build of every package;
// this plugin keeps these two on it whatever that option says.
const { dirname, join } = require('node:path');

const STORES = /^@aws-sdk\/client-(ssm|secrets-manager)$/;

const secretStoreEsm = {
  name: 'secret-store-esm',
  setup(build) {
    build.onResolve({ filter: STORES }, (args) => {
      const manifest = require.resolve(`${args.path}/package.json`, { paths: [args.resolveDir] });
      const { module } = require(manifest);
      return module ? { path: join(dirname(manifest), module) } : undefined;
    });
  },
};

module.exports = { secretStoreEsm };
