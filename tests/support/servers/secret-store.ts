import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * SSM Parameter Store and Secrets Manager on 127.0.0.1, speaking their JSON protocols
 * (`X-Amz-Target: AmazonSSM.GetParameters`, `secretsmanager.GetSecretValue`) to the real SDK
 * clients, which reach it through AWS_ENDPOINT_URL_SSM and AWS_ENDPOINT_URL_SECRETS_MANAGER.
 * No npm package serves these two APIs locally (fauxqs serves SQS and S3 only).
 */
export interface SecretStore {
  port: number;
  url: string;
  /** SecureString parameters by name. */
  parameters: Map<string, string>;
  /** SecretString values by secret name. */
  secrets: Map<string, string>;
  /** Every call: its target and request body. */
  calls: Array<{ target: string; body: Record<string, unknown> }>;
  /** The next answers, instead of the stored values: an AWS error type and HTTP status. */
  failWith(error: { type: string; status: number } | undefined): void;
  stop(): Promise<void>;
}

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';

export async function startSecretStore(): Promise<SecretStore> {
  const parameters = new Map<string, string>();
  const secrets = new Map<string, string>();
  const calls: SecretStore['calls'] = [];
  let failure: { type: string; status: number } | undefined;

  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify(body));
  };
  const handle = (req: IncomingMessage, res: ServerResponse, text: string) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    calls.push({ target, body });
    if (failure) return answer(res, failure.status, { __type: failure.type, message: `${failure.type} from the test store` });
    if (target === 'AmazonSSM.GetParameters') {
      const names = body.Names as string[];
      const found = names.filter((name) => parameters.has(name));
      return answer(res, 200, {
        Parameters: found.map((name) => ({
          Name: name,
          Type: 'SecureString',
          // A SecureString read without decryption is its ciphertext.
          Value: body.WithDecryption ? parameters.get(name) : Buffer.from(`encrypted:${name}`).toString('base64'),
          Version: 1,
          ARN: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name}`,
          DataType: 'text',
        })),
        InvalidParameters: names.filter((name) => !parameters.has(name)),
      });
    }
    if (target === 'secretsmanager.GetSecretValue') {
      const id = String(body.SecretId);
      const value = secrets.get(id);
      if (value === undefined) return answer(res, 400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
      return answer(res, 200, {
        ARN: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${id}-AbCdEf`,
        Name: id,
        SecretString: value,
        VersionId: '00000000-0000-0000-0000-000000000001',
        VersionStages: ['AWSCURRENT'],
        CreatedDate: Date.now() / 1000,
      });
    }
    return answer(res, 400, { __type: 'UnknownOperationException', message: `not served here: ${target}` });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    parameters,
    secrets,
    calls,
    failWith: (error) => {
      failure = error;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
