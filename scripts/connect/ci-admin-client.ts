import type { CosCredentials } from '../../lib/verify/cos-signature';
import { signedHeaders } from '../../lib/verify/signed-request';
import { PAGE_SIZE } from './queue-types';
import { asList, asObject, parseXmlDocument, text, type XmlObject } from './xml';

/** A request CI refused or could not answer: `code` is CI's error code when it sent one. */
export class CiAdminError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'CiAdminError';
  }
}

const TIMEOUT_MS = 15_000;
// A bucket with more than this many pages of one kind is not a bucket but a loop.
const MAX_PAGES = 1000;

/** Lists and updates CI's queues and workflows, each request signed like the verifier's lookups. */
export class CiAdminClient {
  constructor(
    private readonly endpoint: string,
    private readonly credentials: CosCredentials,
  ) {}

  /** Every item of a paged list (`itemName` elements of `<Response>`), page after page. */
  async listAll(path: string, query: Record<string, string>, itemName: string): Promise<XmlObject[]> {
    const items: XmlObject[] = [];
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const response = await this.send('GET', path, { ...query, pageNumber: String(page), pageSize: String(PAGE_SIZE) });
      const pageItems = asList(response[itemName])
        .map(asObject)
        .filter((item): item is XmlObject => item !== undefined);
      items.push(...pageItems);
      const total = Number(text(response.TotalCount));
      const done = Number.isFinite(total) && text(response.TotalCount) !== '' ? items.length >= total : pageItems.length < PAGE_SIZE;
      if (done || pageItems.length === 0) return items;
    }
    throw new CiAdminError('TooManyPages', `${path} has more than ${MAX_PAGES} pages`);
  }

  /** A PUT with an XML body; resolves when CI answers 200. */
  async update(path: string, body: string): Promise<void> {
    await this.send('PUT', path, {}, body);
  }

  private async send(method: 'GET' | 'PUT', path: string, query: Record<string, string>, body?: string): Promise<XmlObject> {
    const url = new URL(path, this.endpoint);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const headers = signedHeaders(method, url, this.credentials, body === undefined ? {} : { 'content-type': 'application/xml' });
    let response: Response;
    try {
      response = await fetch(url, { method, headers: { ...headers, accept: 'application/xml' }, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      const timedOut = (err as Error).name === 'TimeoutError';
      throw new CiAdminError(timedOut ? 'Timeout' : 'Unreachable', timedOut ? `CI did not answer ${method} ${path} in time` : `CI is unreachable${cause ? ` (${cause})` : ''}`);
    }
    const tree = parseXmlDocument(await response.text());
    const error = asObject(tree?.Error);
    if (response.status !== 200 || error) {
      const code = text(error?.Code) || `HTTP${response.status}`;
      throw new CiAdminError(code, text(error?.Message) || `CI answered HTTP ${response.status}`, response.status);
    }
    const root = asObject(tree?.Response);
    if (!root) throw new CiAdminError('UnexpectedAnswer', `CI answered ${method} ${path} without a <Response>`, response.status);
    return root;
  }
}
