const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

// CI runs on China Standard Time; its documented timestamps always carry +0800, so a
// timestamp without an offset is read in that zone rather than in the receiver's.
const DEFAULT_OFFSET_MINUTES = 8 * 60;

/**
 * Reads CI's timestamp variants (`2022-06-30T18:42:20+0800`, `2020-12-01 11:00:41+0800`,
 * `+08:00`, `Z`) and prints them as ISO 8601 UTC. Empty, `-` and unreadable values are null:
 * the raw body stays in the archive, so nothing is lost by not guessing.
 */
export function toIsoUtc(value: string | null): string | null {
  if (value === null) return null;
  const m = TIMESTAMP.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, fraction = '', zone] = m;
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const local = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, millis);
  const check = new Date(local);
  if (check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d || +h > 23 || +mi > 59 || +s > 59) return null;
  return new Date(local - offsetMinutes(zone) * 60_000).toISOString();
}

function offsetMinutes(zone: string | undefined): number {
  if (zone === undefined) return DEFAULT_OFFSET_MINUTES;
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.replace(':', '');
  const sign = digits[0] === '-' ? -1 : 1;
  return sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
}
