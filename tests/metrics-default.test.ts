import { publishRequestMetrics } from '../lib/observability/metrics';
import { captureOutput } from './support/output';

// Whether EMF lines are written is decided per request from the environment: this file changes it
// test by test and puts it back.
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

async function emfLines(env: Record<string, string | undefined>): Promise<string[]> {
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  const { lines } = await captureOutput(async () => publishRequestMetrics({ forwarded: [], failedSinks: [] }));
  return lines.filter((line) => line.includes('"_aws"'));
}

describe('CloudWatch metric (EMF) lines by default', () => {
  test('in Lambda they are written', async () => {
    const lines = await emfLines({ POWERTOOLS_METRICS_DISABLED: undefined, AWS_LAMBDA_FUNCTION_NAME: 'ci-callback-receiver-dev-taskCallback', IS_LOCAL: undefined });
    expect(lines).toHaveLength(1);
  });

  test('under serverless invoke local (IS_LOCAL) they are not', async () => {
    const lines = await emfLines({ POWERTOOLS_METRICS_DISABLED: undefined, AWS_LAMBDA_FUNCTION_NAME: 'ci-callback-receiver-dev-taskCallback', IS_LOCAL: 'true' });
    expect(lines).toEqual([]);
  });

  test('in any other process running the handlers (a script, a test harness) they are not', async () => {
    const lines = await emfLines({ POWERTOOLS_METRICS_DISABLED: undefined, AWS_LAMBDA_FUNCTION_NAME: undefined, IS_LOCAL: undefined });
    expect(lines).toEqual([]);
  });

  test('POWERTOOLS_METRICS_DISABLED=false asks for them anywhere', async () => {
    const lines = await emfLines({ POWERTOOLS_METRICS_DISABLED: 'false', AWS_LAMBDA_FUNCTION_NAME: undefined, IS_LOCAL: undefined });
    expect(lines).toHaveLength(1);
  });
});
