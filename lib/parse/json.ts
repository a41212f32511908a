import { malformed, type CallbackError } from '../errors';
import { isForbiddenKey, MAX_DEPTH } from './limits';

/**
 * A strict JSON reader (RFC 8259) for callback bodies. It differs from JSON.parse where
 * JSON.parse would lose or invent data without a word:
 * - a number keeps its source text (`12345678901234567890` stays those digits; JSON.parse
 *   rounds it to 12345678901234567000 and two job ids collide). The canonical form turns
 *   scalars into strings anyway, so numbers are returned as strings.
 * - a key given twice in one object is refused, naming the key (JSON.parse keeps the last).
 * - a string holding a lone surrogate (`"\ud800"`) is refused: no sink can store it, and
 *   encoded as UTF-8 it would read (and hash) like U+FFFD.
 * - nesting deeper than MAX_DEPTH and keys that reach Object.prototype are refused here,
 *   before any tree is built.
 */
export function parseJson(text: string): unknown {
  if (!(text as WellFormedCheck).isWellFormed()) throw malformed('body is not valid JSON: it holds a lone surrogate');
  const reader = new JsonReader(text);
  reader.skipWhitespace();
  const value = reader.value(0);
  reader.skipWhitespace();
  if (reader.pos < text.length) throw reader.unexpected();
  return value;
}

/** ES2024 (Node 20 has it; the project's TypeScript lib is ES2022). */
type WellFormedCheck = string & { isWellFormed(): boolean };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class JsonReader {
  pos = 0;

  constructor(private readonly text: string) {}

  value(depth: number): unknown {
    const c = this.text.charCodeAt(this.pos);
    if (c === QUOTE) return this.string();
    if (c === 0x7b /* { */) return this.object(depth + 1);
    if (c === 0x5b /* [ */) return this.array(depth + 1);
    if (c === 0x74 /* t */) return this.literal('true', true);
    if (c === 0x66 /* f */) return this.literal('false', false);
    if (c === 0x6e /* n */) return this.literal('null', null);
    return this.number();
  }

  private object(depth: number): Record<string, unknown> {
    this.checkDepth(depth);
    const out: Record<string, unknown> = {};
    this.pos++;
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x7d /* } */) {
      this.pos++;
      return out;
    }
    for (;;) {
      if (this.text.charCodeAt(this.pos) !== QUOTE) throw this.unexpected('a key');
      const key = this.string();
      if (isForbiddenKey(key)) throw malformed(`key "${key}" is not allowed`);
      if (Object.hasOwn(out, key)) throw malformed(`body is not valid JSON: the key "${key}" is given twice in one object`);
      this.skipWhitespace();
      this.expect(0x3a /* : */);
      this.skipWhitespace();
      out[key] = this.value(depth);
      this.skipWhitespace();
      if (this.more(0x7d /* } */)) continue;
      return out;
    }
  }

  private array(depth: number): unknown[] {
    this.checkDepth(depth);
    const out: unknown[] = [];
    this.pos++;
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x5d /* ] */) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth));
      this.skipWhitespace();
      if (this.more(0x5d /* ] */)) continue;
      return out;
    }
  }

  /** After a member: true on a comma (another member follows), false on the closing bracket. */
  private more(close: number): boolean {
    const c = this.text.charCodeAt(this.pos);
    if (c === 0x2c /* , */) {
      this.pos++;
      this.skipWhitespace();
      return true;
    }
    if (c === close) {
      this.pos++;
      return false;
    }
    throw this.unexpected(`"," or "${String.fromCharCode(close)}"`);
  }

  private string(): string {
    const text = this.text;
    const start = ++this.pos;
    // Fast path: no escape and no control character, the string is one slice of the body.
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        this.pos = i + 1;
        return text.slice(start, i);
      }
      if (c === BACKSLASH || c < 0x20) break;
    }
    return this.escapedString(start);
  }

  private escapedString(start: number): string {
    const text = this.text;
    let out = '';
    let run = start;
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        this.pos = i + 1;
        out += text.slice(run, i);
        // Escapes are the only way left to write a lone surrogate: the body itself is well-formed.
        if (!(out as WellFormedCheck).isWellFormed()) {
          throw malformed(`body is not valid JSON: the string at position ${start - 1} holds a lone surrogate`);
        }
        return out;
      }
      if (c < 0x20) throw this.unexpectedAt(i, 'a control character inside a string');
      if (c !== BACKSLASH) continue;
      out += text.slice(run, i);
      const escape = text[i + 1];
      if (escape === 'u') {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.unexpectedAt(i, 'an invalid \\u escape');
        out += String.fromCharCode(parseInt(hex, 16));
        i += 5;
      } else {
        const decoded = ESCAPES[escape];
        if (decoded === undefined) throw this.unexpectedAt(i, 'an invalid escape');
        out += decoded;
        i += 1;
      }
      run = i + 1;
    }
    throw this.unexpectedAt(text.length, 'an unterminated string');
  }

  private number(): string {
    NUMBER.lastIndex = this.pos;
    if (!NUMBER.test(this.text)) throw this.unexpected('a value');
    const lexeme = this.text.slice(this.pos, NUMBER.lastIndex);
    this.pos = NUMBER.lastIndex;
    return lexeme;
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) throw this.unexpected('a value');
    this.pos += word.length;
    return value;
  }

  private expect(code: number): void {
    if (this.text.charCodeAt(this.pos) !== code) throw this.unexpected(`"${String.fromCharCode(code)}"`);
    this.pos++;
  }

  private checkDepth(depth: number): void {
    if (depth > MAX_DEPTH) throw malformed(`nesting is deeper than ${MAX_DEPTH} levels`);
  }

  skipWhitespace(): void {
    const text = this.text;
    let i = this.pos;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      i++;
    }
    this.pos = i;
  }

  unexpected(wanted = 'the end of the body'): CallbackError {
    const found = this.pos >= this.text.length ? 'the end of the body' : JSON.stringify(this.text[this.pos]);
    return this.unexpectedAt(this.pos, `expected ${wanted}, found ${found}`);
  }

  private unexpectedAt(at: number, what: string): CallbackError {
    return malformed(`body is not valid JSON: ${what} at position ${at}`);
  }
}
