const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

// CI runs on China Standard Time; its documented timestamps always carry +0800, so a
// timestamp without an offset is read in that zone rather than in the receiver's.
const DEFAULT_OFFSET_MINUTES = 8 * 60;

/**
 * Reads CI's timestamp variants (`2022-06-30T18:42:20+0800`, `2020-12-01 11:00:41+0800`,
 * `+08:00`, `Z`) and prints them as ISO 8601 UTC. Empty, `-`, unreadable values and instants
 * outside the years 1–9999 in UTC are null: `9999-12-31 23:59:59-0800` would print as
 * `+010000-…`, which no sink's timestamp type stores. The normalizers keep the original text
 * of a timestamp they could not read in the event's `extra`, so nothing is lost by not guessing.
 */
export function toIsoUtc(value: string | null): string | null {
  if (value === null) return null;
  const m = TIMESTAMP.exec(value.trim());
  if (!m) return null;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  const [hour, minute, second] = [+m[4], +m[5], +m[6]];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  const millis = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3));
  const local = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, millis));
  // setUTCFullYear, not Date.UTC: Date.UTC reads the years 0–99 as 1900–1999.
  local.setUTCFullYear(year);
  const utc = new Date(local.getTime() - offsetMinutes(m[8]) * 60_000);
  const utcYear = utc.getUTCFullYear();
  return utcYear >= MIN_YEAR && utcYear <= MAX_YEAR ? utc.toISOString() : null;
}

/** The years ISO 8601 prints with four digits, and PostgreSQL, DynamoDB consumers and JavaScript all read back. */
const MIN_YEAR = 1;
const MAX_YEAR = 9999;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function offsetMinutes(zone: string | undefined): number {
  if (zone === undefined) return DEFAULT_OFFSET_MINUTES;
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.length === 6 ? zone.slice(1, 3) + zone.slice(4) : zone.slice(1);
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}
