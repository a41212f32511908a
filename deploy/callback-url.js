// The callback URL a user pastes into CI, and a refusal to package a stack that would answer
// every callback 500. The token is the URL's path (`https://<url-id>.lambda-url.<region>.on.aws/<token>`):
// with `?token=` a URL outgrows CI's 100-character limit in most regions (README, "Security model").

// The same rule as lib/config.ts: tokens separated by commas, each with characters no URL encodes.
const TOKEN = /^[A-Za-z0-9._~-]+$/;
const RECIPE = `openssl rand -base64 18 | tr '+/' '-_'`;

class CallbackUrl {
  constructor(serverless, _options, { log } = {}) {
    this.serverless = serverless;
    this.log = log;
    this.hooks = {
      'before:package:initialize': () => this.refuseUnauthenticatedStack(),
      // `deploy --package <dir>` skips packaging: check again before anything is deployed.
      'before:deploy:deploy': () => this.refuseUnauthenticatedStack(),
      // After `deploy` (and `info`) read the stack's outputs: the Function URLs, with the token.
      'after:aws:info:gatherData': () => this.showCallbackUrls(),
    };
  }

  environment() {
    return this.serverless.service.provider.environment ?? {};
  }

  refuseUnauthenticatedStack() {
    const problem = tokenProblem(this.environment());
    if (problem) throw new this.serverless.classes.Error(problem, 'CALLBACK_TOKEN_MISSING');
  }

  showCallbackUrls() {
    const info = this.serverless.pluginManager.plugins.find((plugin) => plugin.constructor.name === 'AwsInfo');
    const outputs = info?.gatheredData?.outputs ?? [];
    const naming = this.serverless.getProvider('aws').naming;
    const functions = this.serverless.service.getAllFunctions();
    const { CALLBACK_TOKEN: token, CALLBACK_SECRETS: secrets } = this.environment();
    // A token kept in the secret store is not known here: the URL shows where it goes.
    const shown = token || (secrets ? '<CALLBACK_TOKEN from the secret store>' : '');
    const lines = callbackUrls(outputs, functions, (fn) => naming.getLambdaFunctionUrlOutputLogicalId(fn), shown);
    if (lines.length > 0) this.serverless.addServiceOutputSection('callback URLs (paste into CI)', lines);
  }
}

/** Why this environment would answer every callback 500, or undefined when it is usable. */
function tokenProblem(environment) {
  const value = typeof environment.CALLBACK_TOKEN === 'string' ? environment.CALLBACK_TOKEN : '';
  const optedOut = environment.CALLBACK_AUTH === 'none';
  // With the secrets param the token is read from SSM or Secrets Manager at cold start (lib/secrets/).
  const fromStore = typeof environment.CALLBACK_SECRETS === 'string' && environment.CALLBACK_SECRETS !== '';
  if (value === '') {
    if (optedOut || fromStore) return undefined;
    return (
      'No callback token (CALLBACK_TOKEN, param callbackToken): every callback would be answered 500 misconfigured. ' +
      `Deploy with --param="callbackToken=$(${RECIPE})", or --param="callbackAuth=none" to accept unauthenticated callbacks on purpose.`
    );
  }
  const tokens = value.split(',').map((token) => token.trim());
  if (tokens.some((token) => !TOKEN.test(token))) {
    return `callbackToken (CALLBACK_TOKEN) must be tokens separated by commas, each of letters, digits and - _ . ~ only (${RECIPE} makes one): every callback would be answered 500 misconfigured.`;
  }
  return undefined;
}

/**
 * `taskCallback: https://…on.aws/<token>` for each function with a URL. The last configured
 * token: during a rotation (`<old>,<new>`) the new one is what CI should get.
 */
function callbackUrls(outputs, functions, outputKeyOf, tokenValue) {
  const token = String(tokenValue ?? '').split(',').map((t) => t.trim()).filter(Boolean).at(-1) ?? '';
  return functions.flatMap((fn) => {
    const url = outputs.find((output) => output.OutputKey === outputKeyOf(fn))?.OutputValue;
    if (!url) return [];
    return [`${fn}: ${url.replace(/\/?$/, '/')}${token}`];
  });
}

module.exports = CallbackUrl;
module.exports.tokenProblem = tokenProblem;
module.exports.callbackUrls = callbackUrls;
