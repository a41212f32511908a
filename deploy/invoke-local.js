// `serverless invoke local` runs the handler on this machine, on any stage, with no AWS account.
// What only a deployed stack can answer (a `Ref` to the queue, table or bucket the stack creates)
// does not exist here: osls would ask CloudFormation for it and fail without credentials. Those
// variables become empty, and their sinks give way to the local file sink (.data/events.jsonl);
// without a bucket the raw bodies go to .data/raw. Resources a param names (queueUrl, tableName,
// archiveBucket, databaseUrl) are plain strings and are used as they are.

/** The environment variable each sink needs. */
const SINK_SETTINGS = { sqs: 'SQS_QUEUE_URL', dynamodb: 'DYNAMODB_TABLE', postgres: 'DATABASE_URL' };

class InvokeLocalStandIns {
  constructor(serverless, _options, { log } = {}) {
    this.serverless = serverless;
    this.log = log;
    // `initialize` runs before osls's own invoke-local hook resolves the environment.
    this.hooks = { initialize: () => this.onInvokeLocal() };
  }

  onInvokeLocal() {
    const [command, subcommand] = this.serverless.processedInput?.commands ?? [];
    if (command !== 'invoke' || subcommand !== 'local') return;
    const provider = this.serverless.service.provider;
    const { environment, replaced } = localEnvironment(provider.environment ?? {});
    provider.environment = environment;
    if (replaced.length > 0) {
      const sinks = environment.CALLBACK_SINKS || 'file';
      this.log?.notice?.(`invoke local: ${replaced.join(', ')} name resources of the deployed stack; locally the sinks are ${sinks}, the archive on disk unless a bucket is named`);
    }
  }
}

/** The environment with every stack reference emptied, and the sinks that needed one replaced by `file`. */
function localEnvironment(configured) {
  const environment = { ...configured };
  const replaced = Object.keys(environment).filter((name) => isStackReference(environment[name]));
  for (const name of replaced) environment[name] = '';
  if (typeof environment.CALLBACK_SINKS === 'string') {
    const sinks = environment.CALLBACK_SINKS.split(',').map((s) => s.trim()).filter(Boolean);
    const local = sinks.map((sink) => (replaced.includes(SINK_SETTINGS[sink]) ? 'file' : sink));
    environment.CALLBACK_SINKS = [...new Set(local)].join(',');
  }
  return { environment, replaced };
}

/** A CloudFormation intrinsic (`{ Ref }`, `{ 'Fn::GetAtt' }`, …): only a deployed stack has its value. */
function isStackReference(value) {
  return typeof value === 'object' && value !== null && Object.keys(value).some((key) => key === 'Ref' || key.startsWith('Fn::'));
}

module.exports = InvokeLocalStandIns;
module.exports.localEnvironment = localEnvironment;
