import { normalizeCallback } from '../../lib/normalize/callback';
import { parseBody } from '../../lib/parse/body';

/** Body text → events, the pure path the handlers use. */
export function eventsOf(body: string) {
  return normalizeCallback(parseBody(body)).events;
}
