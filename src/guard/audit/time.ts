import { LifeguardError } from '../../core/errors.js';

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;

/**
 * An ISO 8601 date or date-time: `2026-01-31`, `2026-01-31T12:00`, `2026-01-31 12:00:00.5`, each optionally
 * followed by `Z` or an offset (`+02:00`, `+0200`, `-05`).
 */
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(?:\s*(Z|[+-]\d{2}(?::?\d{2})?))?$/i;

/**
 * A time bound as people type it: a duration back from `now` (`90s`, `15m`, `1h`, `7d`, `2w`), an ISO 8601
 * date or date-time, or epoch milliseconds. Returns epoch milliseconds.
 *
 * A date or time without an offset is UTC (`2026-11-29T10:00` is 10:00 UTC), on every machine: `Date.parse`
 * read a date-time without one in the server's own time zone (and `2026-11-29 10:00` too), so the same query
 * gave different results on servers in different zones, and differed from a bare date, which it reads as UTC.
 */
export function parseTimeBound(value: string, now: number = Date.now()): number {
  const v = value.trim();
  const d = DURATION.exec(v);
  if (d) return Math.round(now - Number(d[1]) * (UNIT_MS[d[2] as string] as number));
  if (/^\d{10,}$/.test(v)) return Number(v);
  const ms = parseIsoTime(v);
  if (ms !== undefined) return ms;
  throw new LifeguardError(
    'LG_ERR_INPUT_INVALID',
    `cannot read time "${value}": use a duration such as 30m, 1h, 7d, an ISO date or date-time such as 2026-01-31 or 2026-01-31T12:00:00Z (without an offset it is UTC), or epoch milliseconds`,
  );
}

/** Epoch milliseconds of an ISO date or date-time (UTC unless it has an offset), or undefined when it is none. */
export function parseIsoTime(value: string): number | undefined {
  const m = ISO_TIME.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((x) => Number(x ?? 0)) as number[];
  const fraction = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  // 24:00 is the end of the day; no other time past 23:59:59.
  if (hour > 24 || minute > 59 || second > 59 || (hour === 24 && (minute || second || fraction))) return undefined;
  let offset = 0;
  const zone = m[8]?.toUpperCase();
  if (zone && zone !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(3).replace(':', '') || 0);
    if (oh > 23 || om > 59) return undefined;
    offset = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return utc(year, month - 1, day, hour, minute, second, fraction) - offset;
}

/** `Date.UTC`, but a year below 100 is that year (`Date.UTC` reads it as 1900 + year). */
function utc(year: number, month: number, day: number, h = 0, m = 0, s = 0, ms = 0): number {
  const t = new Date(0);
  t.setUTCFullYear(year, month, day);
  t.setUTCHours(h, m, s, ms);
  return t.getTime();
}

function daysIn(year: number, month: number): number {
  return new Date(utc(year, month, 0)).getUTCDate();
}
