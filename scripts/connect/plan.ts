// Pure: what a callback is now, what it should be, and the change in between.
import { asObject, text, type XmlObject, type XmlValue } from './xml';

export type ResultFormat = 'XML' | 'JSON';

export interface DesiredCallback {
  url: string;
  /** Every event the queue type supports. */
  events: readonly string[];
  /** Set only when asked (--format); otherwise the current format is kept. */
  format?: ResultFormat;
}

export interface CallbackPlan {
  /** The NotifyConfig to send: the current one with the callback fields set. */
  next: XmlObject;
  /** One line per field that changes; empty when the callback is already right. */
  changes: string[];
}

export function planCallback(currentValue: XmlValue | undefined, desired: DesiredCallback): CallbackPlan {
  const current = asObject(currentValue) ?? {};
  const field = (name: string) => text(current[name]);
  const changes: string[] = [];
  if (field('State') !== 'On') changes.push(`State ${shown(field('State'))} → On`);
  if (field('Type') !== 'Url') {
    const mq = field('Type') === 'TDMQ' ? ` (TDMQ topic ${shown(field('MqName'))} in ${shown(field('MqRegion'))} no longer notified)` : '';
    changes.push(`Type ${shown(field('Type'))} → Url${mq}`);
  }
  if (field('Url') !== desired.url) changes.push(urlChange(field('Url'), desired.url));
  const events = desired.events.join(',');
  if (!sameSet(field('Event'), events)) changes.push(`Event ${shown(field('Event'))} → ${events}`);
  const format = field('ResultFormat').toUpperCase();
  if (desired.format && format !== desired.format) changes.push(`ResultFormat ${shown(field('ResultFormat'))} → ${desired.format}`);

  const next: XmlObject = {};
  const merged: XmlObject = {
    ...current,
    State: 'On',
    Type: 'Url',
    Url: desired.url,
    Event: events,
    ...(desired.format ? { ResultFormat: desired.format } : {}),
  };
  // Empty fields (`<MqMode/>` of a Url callback) are not sent back: CI reads them as values.
  for (const [name, value] of Object.entries(merged)) if (value !== '') next[name] = value;
  return { next, changes };
}

/** `On Url https://…/?token=*** TaskFinish,WorkflowFinish XML`, or `none`. */
export function describeCallback(value: XmlValue | undefined): string {
  const notify = asObject(value);
  if (!notify) return 'none';
  const field = (name: string) => text(notify[name]);
  if (field('State') !== 'On') return [field('State') || 'Off', field('Url') && `(Url ${maskToken(field('Url'))})`].filter(Boolean).join(' ');
  const where = field('Type') === 'TDMQ' ? `TDMQ ${shown(field('MqName'))} (${shown(field('MqRegion'))})` : `${shown(field('Type'))} ${shown(maskToken(field('Url')))}`;
  return [shown(field('State')), where, shown(field('Event')), field('ResultFormat') || '(format default: XML)'].join(' ');
}

/**
 * The URL without its secret: `?token=***`, and on a Function URL (`…on.aws/<token>`) or the dev
 * server (`/taskCallback/<token>`) the token path segment as `/***`. Another URL's path is no
 * token of ours and is shown. Not a URL: as it is.
 */
export function maskToken(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  let masked = false;
  if (parsed.searchParams.has('token')) {
    parsed.searchParams.set('token', '***');
    masked = true;
  }
  if (RECEIVER_HOST.test(parsed.hostname)) {
    const segments = parsed.pathname.split('/');
    const last = segments.length - 1 - [...segments].reverse().findIndex((segment) => segment !== '' && !ROUTES.has(segment));
    if (last < segments.length) {
      segments[last] = '***';
      parsed.pathname = segments.join('/');
      masked = true;
    }
  }
  return masked ? parsed.toString().replace(/%2A%2A%2A/g, '***') : url;
}

/** Where the token may be the path: a Function URL, or the dev server on loopback. */
const RECEIVER_HOST = /\.on\.aws$|^127\.|^localhost$|^\[::1\]$/;
/** The dev server's routes: a path segment that names one is no token. */
const ROUTES = new Set(['taskCallback', 'workflowCallback']);

function urlChange(from: string, to: string): string {
  const [maskedFrom, maskedTo] = [maskToken(from), maskToken(to)];
  if (from !== '' && maskedFrom === maskedTo) return `Url ${maskedTo}: token changes`;
  return `Url ${shown(maskedFrom)} → ${maskedTo}`;
}

function sameSet(a: string, b: string): boolean {
  const set = (s: string) => [...new Set(s.split(',').map((e) => e.trim()).filter(Boolean))].sort().join(',');
  return set(a) === set(b);
}

function shown(value: string): string {
  return value === '' ? '(none)' : value;
}
