import { malformed } from '../errors';
import { parseJson } from './json';
import { parseXml } from './xml';

export type BodyFormat = 'xml' | 'json';

const BOM = '\ufeff';
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The format is read from the body itself: senders mislabel Content-Type, so the header
 * only breaks a tie for a body that starts with neither `<` nor `{`/`[`.
 */
export function detectFormat(body: string, contentType?: string): BodyFormat {
  const first = body.trimStart()[0];
  if (first === '<') return 'xml';
  if (first === '{' || first === '[') return 'json';
  return contentType && /json/i.test(contentType) ? 'json' : 'xml';
}

/** Decodes the body as UTF-8, refusing bytes that are not UTF-8 rather than guessing. */
export function decodeUtf8(bytes: Uint8Array): string {
  let decoded: string;
  try {
    decoded = UTF8.decode(bytes);
  } catch {
    throw malformed('body is not valid UTF-8');
  }
  return stripBom(decoded);
}

/** A UTF-8 byte-order mark is accepted and dropped. */
export function stripBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(1) : text;
}

/**
 * Parses a callback body into a plain tree whose top level is the callback itself,
 * with any `Response` wrapper removed. JSON numbers arrive as their source text (strings).
 */
export function parseBody(body: string, contentType?: string): unknown {
  if (body.trim() === '') throw malformed('body is empty');
  return unwrapResponse(detectFormat(body, contentType) === 'xml' ? parseXml(body) : parseJson(body));
}

function unwrapResponse(parsed: unknown): unknown {
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && Object.hasOwn(parsed, 'Response')) {
    return (parsed as { Response: unknown }).Response;
  }
  return parsed;
}
