// CI's admin API speaks XML. Parsed with xml2js into plain objects (one child: a value; repeated
// children: an array) and built back with its builder, so a workflow's Topology goes back to CI
// as it came, but for the one node changed.
import { Builder, Parser } from 'xml2js';

export type XmlValue = string | XmlObject | XmlValue[];
export interface XmlObject {
  [name: string]: XmlValue;
}

const parser = new Parser({ explicitArray: false, explicitRoot: true, ignoreAttrs: true, trim: true, emptyTag: '', async: false });
const builder = new Builder({ rootName: 'Request', headless: false, renderOpts: { pretty: false }, xmldec: { version: '1.0', encoding: 'UTF-8' } });

/** The document with its root element as the one key (`{ Response: … }`, `{ Error: … }`); undefined when not XML. */
export function parseXmlDocument(body: string): XmlObject | undefined {
  if (body.trim() === '') return undefined;
  let tree: unknown;
  let failed = false;
  parser.parseString(body, (err: Error | null, result: unknown) => {
    failed = err !== null;
    tree = result;
  });
  parser.reset();
  return !failed && asObject(tree) ? (tree as XmlObject) : undefined;
}

/** `<Request>…</Request>` with the children given, in their order. */
export function buildRequest(children: XmlObject): string {
  return builder.buildObject(children);
}

export function asObject(value: unknown): XmlObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as XmlObject) : undefined;
}

/** Zero, one or many children of the same name, as a list. */
export function asList(value: XmlValue | undefined): XmlValue[] {
  if (value === undefined || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

export function text(value: XmlValue | undefined): string {
  return typeof value === 'string' ? value : '';
}
