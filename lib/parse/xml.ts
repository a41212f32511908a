import { CallbackError, malformed } from '../errors';
import { isForbiddenKey, MAX_DEPTH } from './limits';

// The parser module alone: the package root also loads the builder, which costs cold-start time.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Parser } = require('xml2js/lib/parser') as typeof import('xml2js');

type SaxNode = { name: string };
interface SaxParser {
  tags: unknown[];
  closedRoot: boolean;
  onopentag: (node: SaxNode) => void;
  ondoctype: (doctype: string) => void;
  onerror: (error: Error) => void;
}

const OPTIONS = {
  explicitArray: false,
  explicitRoot: true,
  ignoreAttrs: true,
  trim: true,
  emptyTag: '',
  strict: true,
  async: false,
};

/**
 * A fresh xml2js parser whose sax layer refuses DTDs, deep nesting, element names that
 * would clash with Object.prototype, and anything after the root element. xml2js replaces
 * its sax parser after every document, so the guards are installed on each one it creates.
 */
function createGuardedParser(): import('xml2js').Parser {
  const parser = new Parser(OPTIONS);
  const sax = (parser as unknown as { saxParser: SaxParser }).saxParser;
  const buildTree = sax.onopentag;
  sax.onopentag = (node) => {
    if (sax.closedRoot) throw malformed('XML has a second root element');
    if (sax.tags.length >= MAX_DEPTH) throw malformed(`XML nesting is deeper than ${MAX_DEPTH} levels`);
    if (isForbiddenKey(node.name)) throw malformed(`XML element name <${node.name}> is not allowed`);
    buildTree(node);
  };
  sax.ondoctype = () => {
    throw malformed('XML with a DOCTYPE (DTD or entity declarations) is not accepted');
  };
  // xml2js hands the tree over as soon as the root element closes and ignores errors that
  // follow, which would silently drop trailing content: make them fail the document.
  const reportError = sax.onerror;
  sax.onerror = (error) => {
    if (sax.closedRoot) throw malformed(`body is not well-formed XML after the root element: ${firstLine(error)}`);
    reportError(error);
  };
  return parser;
}

function firstLine(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

/**
 * Characters XML 1.0 forbids anywhere in a document (its `Char` production): C0 controls
 * other than tab, LF and CR, and U+FFFE/U+FFFF. sax accepts them raw (it refuses them only
 * as character references such as `&#1;`), so the text is checked before it is parsed.
 */
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

function refuseForbiddenCharacters(text: string): void {
  const at = text.search(NOT_XML_CHAR);
  if (at !== -1) {
    const code = text.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0');
    throw malformed(`body is not well-formed XML: character U+${code} at position ${at} is not allowed in XML 1.0`);
  }
  // A lone surrogate is no character at all; encoded as UTF-8 it would read (and hash) like U+FFFD.
  if (!(text as WellFormedCheck).isWellFormed()) throw malformed('body is not well-formed XML: it holds a lone surrogate');
}

/** ES2024 (Node 20 has it; the project's TypeScript lib is ES2022). */
type WellFormedCheck = string & { isWellFormed(): boolean };

/** Parses an XML document into xml2js's tree: `{ Root: { Child: 'text' | {...} | [...] } }`. */
export function parseXml(text: string): Record<string, unknown> {
  refuseForbiddenCharacters(text);
  let result: unknown;
  let failure: unknown;
  const parser = createGuardedParser();
  try {
    parser.parseString(text, (err: unknown, out: unknown) => {
      failure ??= err;
      result = out;
      // xml2js drops its listeners once it has answered: what fails afterwards still lands here.
      parser.on('error', (late: unknown) => {
        failure ??= late;
      });
    });
  } catch (err) {
    failure ??= err;
  }
  if (failure) {
    if (failure instanceof CallbackError) throw failure;
    throw malformed(`body is not well-formed XML: ${firstLine(failure)}`);
  }
  if (result === undefined) throw malformed('body is not well-formed XML: the document is incomplete');
  if (result === null || typeof result !== 'object') throw malformed('body is empty');
  return result as Record<string, unknown>;
}
