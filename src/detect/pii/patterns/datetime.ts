/**
 * DATE_TIME: ISO dates and datetimes, numeric dates (12/03/1990, 3.12.1990, 12-03-90), dates with month
 * names (March 3, 2021 · 3 March 2021 · 3rd of March · March 2021), clock times (10:30, 10:30 pm, 3pm),
 * weekdays, decades (1990s) and years after a temporal word ("in 1977", "since 2001").
 * Everything but weekdays is anchored on a digit run; each regex is sticky and bounded, so a match
 * attempt reads a constant number of characters.
 */
import type { Candidate, NumberRun, Recognizer, ScanContext } from './types.js';
import * as typesModule from './types.js';
import * as validatorsModule from './validators.js';

// Local bindings: loaders that rewrite imports into module-namespace lookups (vitest, tsx) would
// otherwise pay a property access on every call in the hot loops below.
const { isAlnumCode, isAlphaCode, isDigitCode, isWordCode, wordBefore } = typesModule;
const { isValidDate } = validatorsModule;

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};
const MONTH_ALT =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';

/** A month name that cannot be an ordinary word: capitalised, or lower-case and not may/march/mar/jan... */
function credibleMonth(word: string): boolean {
  const lower = word.toLowerCase();
  if (!(lower in MONTHS)) return false;
  const c = word.charCodeAt(0);
  if (c >= 65 && c <= 90) return word === word.toUpperCase() ? word.length > 2 : word.slice(1) === lower.slice(1);
  return lower.length > 4 && lower !== 'march';
}

const ISO_RE =
  /(\d{4})([-/.])(\d{2})\2(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}| ?UTC| ?GMT)?)?/y;
const NUMERIC_RE = /(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)/y;
const TIME_RE = /(\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp])(?:\.[Mm]\.|[Mm])(?![A-Za-z]))?/y;
const AMPM_RE = /(\d{1,2}) ?([AaPp])(?:\.[Mm]\.|[Mm]\b)/y;
/** After a date: " at 10:30", " 10:30:00", ", 3pm". */
const TIME_AFTER_RE = /(?:,? (?:at )?)(?=\d)/y;
/** Day-first with a month name: "3 March 2021", "3rd of March", "3rd March, 2021". */
const DAY_MONTH_RE = new RegExp(`(?:st|nd|rd|th)?(?: of)?[ -](${MONTH_ALT})\\b\\.?(?:,?[ -](\\d{4})(?!\\d))?`, 'iy');
/** After "March 3": "rd", ", 2021". */
const DAY_TAIL_RE = /(?:st|nd|rd|th)?(?:,? (\d{4})(?!\d))?/y;
const YEAR_BEFORE_RE =
  /(?:^|[^A-Za-z])(in|since|during|of|by|until|till|from|before|after|circa|ca\.|c\.|year|early|late|mid|around|between|and|to|a|an|the|spring|summer|autumn|fall|winter|founded|born|established)[ -]$/i;
const STRONG_YEAR_WORDS: ReadonlySet<string> = new Set([
  'in',
  'since',
  'during',
  'until',
  'till',
  'circa',
  'ca.',
  'c.',
  'year',
  'founded',
  'born',
  'established',
  'spring',
  'summer',
  'autumn',
  'fall',
  'winter',
]);
const NOT_YEAR_AFTER =
  /^ ?(?:%|x\b|px|kb|mb|gb|tb|ms|km|kg|mm|cm|m\b|k\b|tokens?|dimensions?|rows?|columns?|steps?|samples?|pixels?|bytes?|bits?|items?|words?|characters?|chars?|lines?|users?|people|epochs?|iterations?|examples?|images?|points?|times?|units?|records?|entries|files?|ports?|dollars?|euros?|pounds?|calories|feet|miles|meters|metres)\b/i;

const WEEKDAYS: ReadonlySet<string> = new Set([
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
]);

function validTime(h: number, m: number, s: number | undefined, ampm: boolean): boolean {
  if (ampm ? h < 1 || h > 12 : h > 23) return false;
  return m <= 59 && (s === undefined || s <= 60);
}

function push(out: Candidate[], start: number, end: number, score: number, rule: string): void {
  out.push({ type: 'DATE_TIME', start, end, score, rule, priority: 3 });
}

function endOk(text: string, e: number): boolean {
  const c = text.charCodeAt(e);
  return (
    !isAlnumCode(c) &&
    !(c === 46 && isDigitCode(text.charCodeAt(e + 1))) &&
    !(c === 58 && isDigitCode(text.charCodeAt(e + 1)))
  );
}

/** A clock time starting at `i`, or -1. */
function timeAt(text: string, i: number): number {
  TIME_RE.lastIndex = i;
  const m = TIME_RE.exec(text);
  if (m) {
    const s = m[3] === undefined ? undefined : Number(m[3]);
    if (validTime(Number(m[1]), Number(m[2]), s, m[4] !== undefined) && endOk(text, TIME_RE.lastIndex))
      return TIME_RE.lastIndex;
  }
  AMPM_RE.lastIndex = i;
  const a = AMPM_RE.exec(text);
  if (a && validTime(Number(a[1]), 0, undefined, true) && !isAlnumCode(text.charCodeAt(AMPM_RE.lastIndex)))
    return AMPM_RE.lastIndex;
  return -1;
}

/** Extends a date that ends at `e` with a following time (" 10:30", " at 3pm"). */
function withTime(text: string, e: number): number {
  TIME_AFTER_RE.lastIndex = e;
  if (!TIME_AFTER_RE.test(text)) return e;
  const t = timeAt(text, TIME_AFTER_RE.lastIndex);
  return t > 0 ? t : e;
}

function dateFromRun(ctx: ScanContext, run: NumberRun, out: Candidate[]): number {
  const text = ctx.text;
  const s = run.start;
  const prev = text.charCodeAt(s - 1);
  if (
    isWordCode(prev) ||
    ((prev === 46 || prev === 45 || prev === 47 || prev === 58) && isDigitCode(text.charCodeAt(s - 2)))
  )
    return -1;
  if (text.charCodeAt(s) === 40 || run.plus) return -1;
  // ISO: 2021-03-04, 2021-03-04T10:30:00Z, 2021/03/04 10:30
  if (run.groups[0] === 4 && run.groups.length >= 3) {
    ISO_RE.lastIndex = s;
    const m = ISO_RE.exec(text);
    if (m && isValidDate(Number(m[1]), Number(m[3]), Number(m[4])) && endOk(text, ISO_RE.lastIndex)) {
      const hasTime = m[5] !== undefined;
      if (!hasTime || validTime(Number(m[5]), Number(m[6]), m[7] === undefined ? undefined : Number(m[7]), false)) {
        push(out, s, ISO_RE.lastIndex, hasTime ? 0.9 : 0.85, 'pii.date.iso');
        return ISO_RE.lastIndex;
      }
    }
  }
  // numeric: 12/03/1990, 3.12.1990, 12-03-90
  if (run.groups[0] <= 2 && run.groups.length >= 3) {
    NUMERIC_RE.lastIndex = s;
    const m = NUMERIC_RE.exec(text);
    if (m && endOk(text, NUMERIC_RE.lastIndex)) {
      const a = Number(m[1]);
      const b = Number(m[3]);
      const yShort = m[4].length === 2;
      const y = yShort ? 2000 + Number(m[4]) : Number(m[4]);
      const yearOk = yShort || (y >= 1000 && y <= 2199);
      if (yearOk && (isValidDate(y, a, b) || isValidDate(y, b, a)) && !(yShort && m[2] === '.')) {
        const e = withTime(text, NUMERIC_RE.lastIndex);
        push(out, s, e, yShort ? 0.5 : 0.8, 'pii.date.numeric');
        return e;
      }
    }
  }
  const g0 = run.groups[0];
  const v = Number(run.digits.slice(0, g0));
  const firstEnd = run.ends[0];
  // month name before: "March 3", "March 3rd, 2021", "Mar. 2021"
  const wb = prev === 32 ? wordBefore(text, s, '.,', 3) : null;
  if (
    wb &&
    wb.word.length >= 3 &&
    wb.word in MONTHS &&
    credibleMonth(text.slice(wb.start, wb.start + wb.word.length))
  ) {
    const ms = wb.start;
    if (g0 <= 2 && v >= 1 && v <= 31) {
      DAY_TAIL_RE.lastIndex = firstEnd;
      const t = DAY_TAIL_RE.exec(text);
      let e = t ? DAY_TAIL_RE.lastIndex : firstEnd;
      if (!endOk(text, e)) e = firstEnd;
      if (endOk(text, e)) {
        e = withTime(text, e);
        push(out, ms, e, 0.8, 'pii.date.month-name');
        return e;
      }
    } else if (g0 === 4 && v >= 1000 && v <= 2199 && endOk(text, firstEnd)) {
      push(out, ms, firstEnd, 0.75, 'pii.date.month-name');
      return firstEnd;
    }
  }
  // day first: "3 March 2021", "3rd of March"
  const a1 = text.charCodeAt(firstEnd) | 32;
  if (
    g0 <= 2 &&
    v >= 1 &&
    v <= 31 &&
    (a1 === 32 || a1 === 45 || a1 === 115 || a1 === 110 || a1 === 114 || a1 === 116)
  ) {
    DAY_MONTH_RE.lastIndex = firstEnd;
    const m = DAY_MONTH_RE.exec(text);
    if (m && credibleMonth(m[1]) && !isAlnumCode(text.charCodeAt(DAY_MONTH_RE.lastIndex))) {
      const e = withTime(text, DAY_MONTH_RE.lastIndex);
      push(out, s, e, 0.8, 'pii.date.month-name');
      return e;
    }
  }
  // clock time: 10:30, 10:30:15 pm, 3pm
  if (g0 <= 2 && run.groups.length === 1 && (a1 === 58 || a1 === 32 || a1 === 97 || a1 === 112)) {
    const e = timeAt(text, s);
    if (e > 0) {
      push(out, s, e, 0.55, 'pii.date.time');
      return e;
    }
  }
  // years and decades: "in 1977", "since 2001", "the 1990s"
  if (g0 === 4 && run.groups.length === 1) {
    const after = text.charCodeAt(firstEnd);
    const decade = (after === 115 /* s */ || (after === 39 && text.charCodeAt(firstEnd + 1) === 115)) && v % 10 === 0;
    const e = decade ? firstEnd + (after === 39 ? 2 : 1) : firstEnd;
    if (!endOk(text, e)) return -1;
    if (NOT_YEAR_AFTER.test(text.slice(e, e + 14))) return -1;
    if (decade && v >= 1000 && v <= 2090) {
      push(out, s, e, 0.6, 'pii.date.decade');
      return e;
    }
    if (prev !== 32 && prev !== 45) return -1;
    const yb = YEAR_BEFORE_RE.exec(text.slice(Math.max(0, s - 12), s));
    if (!yb) return -1;
    const strong = STRONG_YEAR_WORDS.has(yb[1].toLowerCase());
    if (strong ? v >= 1000 && v <= 2099 : v >= 1900 && v <= 2039) {
      push(out, s, e, strong ? 0.6 : 0.45, 'pii.date.year');
      return e;
    }
  }
  return -1;
}

function findWeekdays(ctx: ScanContext, out: Candidate[]): void {
  const text = ctx.text;
  const re = /day/gi;
  for (;;) {
    const m = re.exec(text);
    if (!m) break;
    const p = m.index;
    let s = p;
    while (s > 0 && p - s < 7 && isAlphaCode(text.charCodeAt(s - 1))) s--;
    let e = p + 3;
    if (text.charCodeAt(e) === 115 || text.charCodeAt(e) === 83 /* "Mondays" */) e++;
    if (isWordCode(text.charCodeAt(s - 1)) || isWordCode(text.charCodeAt(e))) continue;
    const word = text.slice(s, p + 3).toLowerCase();
    if (!WEEKDAYS.has(word)) continue;
    // all-caps headings and lower-case prose are fine; mixed case like "sunDay" is not a date
    const orig = text.slice(s, p + 3);
    if (orig !== word && orig !== word.toUpperCase() && orig !== word[0].toUpperCase() + word.slice(1)) continue;
    out.push({ type: 'DATE_TIME', start: s, end: e, score: 0.6, rule: 'pii.date.weekday', priority: 3 });
  }
}

export const dateTimeRecognizer: Recognizer = {
  id: 'pii.date',
  entityTypes: ['DATE_TIME'],
  find(ctx, out) {
    let covered = -1;
    for (const run of ctx.numberRuns()) {
      if (run.start < covered) continue;
      const e = dateFromRun(ctx, run, out);
      if (e > 0) covered = e;
    }
    findWeekdays(ctx, out);
  },
};
