import { MONTHS } from './lists.js';

const DAY_MS = 86_400_000;
const MONTH_WORD =
  '(January|February|March|April|May|June|July|August|September|October|November|December|Sept|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';

const ISO = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)([\s\S]*)$/;
const NUMERIC = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?!\d)([\s\S]*)$/;
const MONTH_FIRST = new RegExp(
  `^${MONTH_WORD}(\\.?)(\\s+)(\\d{1,2})(st|nd|rd|th)?(,?\\s*)(\\d{4})(?!\\d)([\\s\\S]*)$`,
  'i',
);
const DAY_FIRST = new RegExp(
  `^(\\d{1,2})(st|nd|rd|th)?(\\s+(?:of\\s+)?)${MONTH_WORD}(\\.?)(,?\\s*)(\\d{4})(?!\\d)([\\s\\S]*)$`,
  'i',
);

interface Ymd {
  y: number;
  m: number;
  d: number;
}

function valid({ y, m, d }: Ymd): boolean {
  if (m < 1 || m > 12 || d < 1 || y < 1) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function shift(date: Ymd, days: number): Ymd | undefined {
  const utc = new Date(Date.UTC(date.y, date.m - 1, date.d));
  utc.setUTCFullYear(date.y); // years 0–99 would otherwise map to 1900–1999
  const out = new Date(utc.getTime() + days * DAY_MS);
  const y = out.getUTCFullYear();
  return y >= 1 && y <= 9999 ? { y, m: out.getUTCMonth() + 1, d: out.getUTCDate() } : undefined;
}

/** Years a two-digit year reads as: `00`–`49` → 2000–2049, `50`–`99` → 1950–1999. */
const SHORT_YEAR_FIRST = 1950;
const SHORT_YEAR_LAST = 2049;

/**
 * `shift` for a date written with a two-digit year: the result must read back in the same window, or
 * `12/31/49` + 200 days would be written `07/19/50` and read as 1950. A shift that would leave the window goes
 * the same number of days the other way; undefined if that leaves it too (a fixed shift of over ~50 years).
 */
function shiftInWindow(date: Ymd, days: number): Ymd | undefined {
  const inWindow = (d: Ymd | undefined) => d && d.y >= SHORT_YEAR_FIRST && d.y <= SHORT_YEAR_LAST;
  const out = shift(date, days);
  if (inWindow(out)) return out;
  const back = shift(date, -days);
  return inWindow(back) ? back : undefined;
}

/** Pads like the original component: two digits stay two digits, one digit stays unpadded. */
function like(original: string, n: number): string {
  return String(n).padStart(original.length, '0');
}

/** A day next to a month name: zero-padded only if the original was (`05 March`), else unpadded. */
function dayLike(original: string, n: number): string {
  return original.startsWith('0') ? String(n).padStart(2, '0') : String(n);
}

function ordinal(n: number): string {
  if (n % 100 >= 11 && n % 100 <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
}

function monthLike(original: string, m: number): string {
  const full = MONTHS[m - 1] as string;
  const isFull = MONTHS.some((month) => month.toLowerCase() === original.toLowerCase());
  const word = isFull ? full : m === 9 && original.length === 4 ? 'Sept' : full.slice(0, 3);
  if (original === original.toUpperCase()) return word.toUpperCase();
  if (original === original.toLowerCase()) return word.toLowerCase();
  return word;
}

function monthIndex(word: string): number {
  const w = word.toLowerCase();
  return MONTHS.findIndex((month) => month.toLowerCase().startsWith(w.slice(0, 3))) + 1;
}

/**
 * Shifts a date by `days`, keeping its written format: ISO `2021-03-05` (and `2021/03/05`), numeric
 * `03/05/2021` (month or day first, per `order`; an impossible month decides), `March 5, 2021`,
 * `5 Mar 2021`. Whatever follows the date (a time, a zone) is kept unchanged. `undefined` if unparseable.
 */
export function shiftDate(value: string, days: number, order: 'mdy' | 'dmy'): string | undefined {
  let m = ISO.exec(value);
  if (m) {
    const [, ys, sep, ms, ds, rest] = m as unknown as string[];
    const date = { y: Number(ys), m: Number(ms), d: Number(ds) };
    const out = valid(date) ? shift(date, days) : undefined;
    return (
      out && `${like(ys as string, out.y)}${sep}${like(ms as string, out.m)}${sep}${like(ds as string, out.d)}${rest}`
    );
  }
  m = NUMERIC.exec(value);
  if (m) {
    const [, a, sep, b, ys, rest] = m as unknown as string[];
    const first = Number(a);
    const second = Number(b);
    const dayFirst = first > 12 ? true : second > 12 ? false : order === 'dmy';
    const shortYear = (ys as string).length === 2;
    let y = Number(ys);
    if (shortYear) y += y < 50 ? 2000 : 1900;
    const date = dayFirst ? { y, m: second, d: first } : { y, m: first, d: second };
    const out = !valid(date) ? undefined : shortYear ? shiftInWindow(date, days) : shift(date, days);
    if (!out) return undefined;
    const year = shortYear ? String(out.y % 100).padStart(2, '0') : like(ys as string, out.y);
    const [p, q] = dayFirst
      ? [like(a as string, out.d), like(b as string, out.m)]
      : [like(a as string, out.m), like(b as string, out.d)];
    return `${p}${sep}${q}${sep}${year}${rest}`;
  }
  m = MONTH_FIRST.exec(value);
  if (m) {
    const [, mw, dot, sp, ds, suffix, comma, ys, rest] = m as unknown as string[];
    const date = { y: Number(ys), m: monthIndex(mw as string), d: Number(ds) };
    const out = valid(date) ? shift(date, days) : undefined;
    if (!out) return undefined;
    const ord = suffix ? ordinal(out.d) : '';
    return `${monthLike(mw as string, out.m)}${dot}${sp}${dayLike(ds as string, out.d)}${ord}${comma}${like(ys as string, out.y)}${rest}`;
  }
  m = DAY_FIRST.exec(value);
  if (m) {
    const [, ds, suffix, sp, mw, dot, comma, ys, rest] = m as unknown as string[];
    const date = { y: Number(ys), m: monthIndex(mw as string), d: Number(ds) };
    const out = valid(date) ? shift(date, days) : undefined;
    if (!out) return undefined;
    const ord = suffix ? ordinal(out.d) : '';
    return `${dayLike(ds as string, out.d)}${ord}${sp}${monthLike(mw as string, out.m)}${dot}${comma}${like(ys as string, out.y)}${rest}`;
  }
  return undefined;
}
