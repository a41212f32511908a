import { startProxy, type ProxyAnswer } from './proxy';

interface BatchEntry {
  Id: string;
  MessageBody: string;
}

export interface SqsFaultProxy {
  port: number;
  /** The SendMessageBatch calls seen so far, each with the entry ids it carried. */
  batches: string[][];
  /** The most SendMessageBatch calls that were in flight at once. */
  peakInFlight(): number;
  close(): Promise<void>;
}

/**
 * A proxy in front of fauxqs that fails chosen SendMessageBatch entries on the service's side
 * (SenderFault false, as a throttled or internal error does on AWS). The SDK and the emulator
 * stay real: the proxy forwards the other entries and adds the failed ones to the answer.
 */
export async function startSqsFaultProxy(
  targetPort: number,
  /** true: fail the entry on SQS's side (InternalError); an object: fail it with that error. */
  fail: (entry: BatchEntry, call: number) => boolean | { SenderFault: boolean; Code: string; Message: string },
  /** Holds each SendMessageBatch answer this long: calls that overlap are seen overlapping. */
  delayMs = 0,
): Promise<SqsFaultProxy> {
  const batches: string[][] = [];
  let inFlight = 0;
  let peak = 0;
  const proxy = await startProxy(targetPort, async (req, forward) => {
    if (req.headers['x-amz-target'] !== 'AmazonSQS.SendMessageBatch') return forward();
    const input = JSON.parse(req.body.toString()) as { Entries: BatchEntry[] };
    const call = batches.push(input.Entries.map((e) => e.Id));
    peak = Math.max(peak, ++inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return await answer(input, call, forward);
    } finally {
      inFlight--;
    }
  });
  async function answer(input: { Entries: BatchEntry[] }, call: number, forward: (body?: Buffer) => Promise<ProxyAnswer>): Promise<ProxyAnswer> {
    const failing = input.Entries.filter((entry) => fail(entry, call));
    const passing = input.Entries.filter((entry) => !failing.includes(entry));
    let result = { Successful: [] as unknown[], Failed: [] as unknown[] };
    if (passing.length > 0) {
      const forwarded = await forward(Buffer.from(JSON.stringify({ ...input, Entries: passing })));
      result = { ...result, ...JSON.parse(forwarded.body.toString()) };
    }
    result.Failed.push(
      ...failing.map((e) => {
        const failure = fail(e, call);
        return { Id: e.Id, ...(typeof failure === 'object' ? failure : { SenderFault: false, Code: 'InternalError', Message: 'injected' }) };
      }),
    );
    return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Buffer.from(JSON.stringify(result)) };
  }
  return { port: proxy.port, batches, peakInFlight: () => peak, close: proxy.close };
}
