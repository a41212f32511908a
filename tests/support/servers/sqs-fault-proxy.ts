import { createServer, request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';

interface BatchEntry {
  Id: string;
  MessageBody: string;
}

export interface SqsFaultProxy {
  port: number;
  /** The SendMessageBatch calls seen so far, each with the entry ids it carried. */
  batches: string[][];
  close(): Promise<void>;
}

/**
 * A proxy in front of fauxqs that fails chosen SendMessageBatch entries on the service's side
 * (SenderFault false, as a throttled or internal error does on AWS), a fault the emulator
 * cannot be asked for. The SDK and the emulator stay real: the proxy forwards the other
 * entries and adds the failed ones to the emulator's answer.
 */
export function startSqsFaultProxy(targetPort: number, fail: (entry: BatchEntry, call: number) => boolean): Promise<SqsFaultProxy> {
  const batches: string[][] = [];
  const server = createServer(async (req, res) => {
    const body = await readAll(req);
    if (req.headers['x-amz-target'] !== 'AmazonSQS.SendMessageBatch') {
      const answer = await forward(targetPort, req, body);
      res.writeHead(answer.status, answer.headers).end(answer.body);
      return;
    }
    const input = JSON.parse(body.toString()) as { Entries: BatchEntry[] };
    const call = batches.push(input.Entries.map((e) => e.Id));
    const failing = input.Entries.filter((entry) => fail(entry, call));
    const passing = input.Entries.filter((entry) => !failing.includes(entry));
    let result = { Successful: [] as unknown[], Failed: [] as unknown[] };
    if (passing.length > 0) {
      const answer = await forward(targetPort, req, Buffer.from(JSON.stringify({ ...input, Entries: passing })));
      result = { Successful: [], Failed: [], ...JSON.parse(answer.body.toString()) };
    }
    result.Failed.push(...failing.map((e) => ({ Id: e.Id, SenderFault: false, Code: 'InternalError', Message: 'injected' })));
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(result));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as { port: number }).port,
        batches,
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

function forward(
  port: number,
  req: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
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
