import { createServer, request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';

export interface ProxiedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface ProxyAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Decides the answer to one request; `forward` sends it (or a changed body) to the real server. */
export type Intercept = (req: ProxiedRequest, forward: (body?: Buffer) => Promise<ProxyAnswer>) => Promise<ProxyAnswer>;

export interface Proxy {
  port: number;
  /** Every request seen, in order. */
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

/**
 * An HTTP proxy on 127.0.0.1 in front of an emulator: it records what the real SDK sent and
 * can change an answer (a fault the emulator cannot be asked for). Forwards as is by default.
 */
export function startProxy(targetPort: number, intercept: Intercept = (_req, forward) => forward()): Promise<Proxy> {
  const requests: ProxiedRequest[] = [];
  const server = createServer(async (incoming, res) => {
    const req = { method: incoming.method ?? 'GET', url: incoming.url ?? '/', headers: incoming.headers, body: await readAll(incoming) };
    requests.push(req);
    const answer = await intercept(req, (body = req.body) => forward(targetPort, req, body));
    res.writeHead(answer.status, answer.headers).end(answer.body);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as { port: number }).port,
        requests,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function forward(port: number, req: ProxiedRequest, body: Buffer): Promise<ProxyAnswer> {
  const headers = { ...req.headers, 'content-length': String(body.length) };
  return new Promise((resolve, reject) => {
    const out = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers }, async (answer) => {
      const { 'content-length': _length, 'transfer-encoding': _encoding, ...rest } = answer.headers;
      resolve({ status: answer.statusCode ?? 502, headers: rest, body: await readAll(answer) });
    });
    out.on('error', reject);
    out.end(body);
  });
}
