/**
 * US identifiers: US_SSN, US_ITIN, US_PASSPORT, US_DRIVER_LICENSE.
 * SSN/ITIN written 3-2-4 (dashes, spaces or dots) are found on format and validity rules alone; bare
 * nine-digit SSNs/ITINs, passports and driver's licences only next to their context words, because the
 * bare formats are too generic.
 */
import * as contextModule from './context.js';
import * as scanModule from './scan.js';
import type { Candidate, Recognizer } from './types.js';
import * as typesModule from './types.js';

// Local bindings: loaders that rewrite imports into module-namespace lookups (vitest, tsx) would
// otherwise pay a property access on every call in the hot loops below.
const { contextDistance, contextList, hasContext } = contextModule;
const { numericBoundaryOk } = scanModule;
const { allSameChar, clamp01, isWordCode } = typesModule;

const SSN_CONTEXT = contextList(
  'ssn',
  'ssns',
  'ssn#',
  'ss#',
  'social security',
  'social',
  'security number',
  'sec',
  'soc',
);
const ITIN_CONTEXT = contextList('itin', 'taxpayer', 'tax id', 'tax identification', 'tin', 'irs');
const PASSPORT_CONTEXT = contextList('passport*', 'travel document');
const DL_CONTEXT = contextList('driver*', "driver's", 'drivers', 'driving', 'dl', 'dl#', 'dln', 'dmv');

/** Well-known invalid or advertising SSNs. */
const SSN_BLOCKLIST: ReadonlySet<string> = new Set(['078051120', '219099999', '457555462', '123456789', '987654320']);

/** SSA rules: area not 000, 666 or 900-999; group not 00; serial not 0000. */
export function isValidSsn(d: string): boolean {
  if (d.length !== 9 || allSameChar(d) || SSN_BLOCKLIST.has(d)) return false;
  const area = Number(d.slice(0, 3));
  if (area === 0 || area === 666 || area >= 900) return false;
  if (d.slice(3, 5) === '00' || d.slice(5) === '0000') return false;
  return true;
}

/** ITIN: 9XX-[50-65|70-88|90-92|94-99]-XXXX. */
export function isValidItin(d: string): boolean {
  if (d.length !== 9 || d[0] !== '9') return false;
  const g = Number(d.slice(3, 5));
  return (g >= 50 && g <= 65) || (g >= 70 && g <= 88) || (g >= 90 && g <= 92) || (g >= 94 && g <= 99);
}

/** US passport book/card numbers: nine digits, or a letter and eight digits. */
const PASSPORT_US = /^(?:[A-Z]\d{8}|\d{9})$/;
/** Other common passport shapes (one or two letters, six to eight digits), accepted next to "passport". */
const PASSPORT_LOOSE = /^[A-Z]{1,2}\d{6,8}$/;
/** State licence shapes: letters and digits ("F162823540116", "6940579", "WDL12345"). */
const DL_TOKEN = /^(?:[A-Z]{1,3}\d{4,14}[A-Z]?|\d{5,14}[A-Z]{0,2})$/;
/** Dashed licence numbers that start with a letter: "D245-938-19-203", "K932-778-3840". */
const DL_DASHED_RE = /[A-Z]\d{2,4}(?:-\d{2,5}){1,4}(?![\w-])/y;
const DL_WEAK_CONTEXT = contextList('license', 'licence', 'lic', 'permit');

export const usIdRecognizer: Recognizer = {
  id: 'pii.us-id',
  entityTypes: ['US_SSN', 'US_ITIN', 'US_PASSPORT', 'US_DRIVER_LICENSE'],
  find(ctx, out: Candidate[]) {
    const text = ctx.text;
    for (const run of ctx.numberRuns()) {
      if (run.plus || run.parens.length > 0) continue;
      const d = run.digits;
      if (d.length !== 9) continue;
      const key = run.groups.join('-');
      const sep = run.seps[0];
      const formatted = key === '3-2-4' && run.seps[1] === sep && (sep === '-' || sep === ' ' || sep === '.');
      if (!formatted && key !== '9') continue;
      if (!numericBoundaryOk(text, run.start, run.end)) continue;
      if (isValidSsn(d)) {
        const context = hasContext(ctx, run.start, run.end, SSN_CONTEXT);
        if (formatted || context) {
          let score = formatted ? (sep === '-' ? 0.55 : 0.4) : 0.45;
          if (context) score += 0.4;
          out.push({
            type: 'US_SSN',
            start: run.start,
            end: run.end,
            score: clamp01(score),
            rule: 'pii.us-ssn',
            priority: 6,
          });
        }
      } else if (isValidItin(d)) {
        const context = hasContext(ctx, run.start, run.end, ITIN_CONTEXT);
        if (formatted || context) {
          let score = formatted ? 0.5 : 0.4;
          if (context) score += 0.4;
          out.push({
            type: 'US_ITIN',
            start: run.start,
            end: run.end,
            score: clamp01(score),
            rule: 'pii.us-itin',
            priority: 6,
          });
        }
      }
    }
    // passports and driver's licences: tokens (and dashed runs) right after their context words
    for (const t of ctx.digitTokens()) {
      const len = t.end - t.start;
      if ((len < 5 && text.charCodeAt(t.end) !== 45) || len > 16) continue;
      const tok = text.slice(t.start, t.end);
      if (allSameChar(tok) || isWordCode(text.charCodeAt(t.start - 1)) || text.charCodeAt(t.start - 1) === 45) continue;
      let end = t.end;
      let dashed = false;
      if (text.charCodeAt(t.end) === 45) {
        DL_DASHED_RE.lastIndex = t.start;
        if (!DL_DASHED_RE.test(text)) continue;
        end = DL_DASHED_RE.lastIndex;
        dashed = true;
      } else if (isWordCode(text.charCodeAt(t.end))) continue;
      const passportShape = !dashed && (PASSPORT_US.test(tok) || PASSPORT_LOOSE.test(tok));
      const dlShape = dashed || DL_TOKEN.test(tok);
      if (!passportShape && !dlShape) continue;
      const pd = passportShape
        ? contextDistance(ctx, t.start, end, PASSPORT_CONTEXT, 40, 20)
        : Number.POSITIVE_INFINITY;
      const dd = dlShape ? contextDistance(ctx, t.start, end, DL_CONTEXT, 40, 10) : Number.POSITIVE_INFINITY;
      const dw =
        dlShape && dd === Number.POSITIVE_INFINITY
          ? contextDistance(ctx, t.start, end, DL_WEAK_CONTEXT, 25, 0)
          : Number.POSITIVE_INFINITY;
      if (pd !== Number.POSITIVE_INFINITY && pd <= Math.min(dd, dw)) {
        const score = PASSPORT_US.test(tok) ? 0.7 : 0.6;
        out.push({ type: 'US_PASSPORT', start: t.start, end, score, rule: 'pii.us-passport', priority: 4 });
      } else if (dd !== Number.POSITIVE_INFINITY || (dw !== Number.POSITIVE_INFINITY && end - t.start >= 7)) {
        const score = dd !== Number.POSITIVE_INFINITY ? 0.65 : 0.5;
        out.push({ type: 'US_DRIVER_LICENSE', start: t.start, end, score, rule: 'pii.us-driver-license', priority: 4 });
      }
    }
    // dashed/spaced all-digit licence numbers: "2270-66-1551", "123 456 789"
    for (const run of ctx.numberRuns()) {
      if (run.groups.length < 2 || run.plus || run.parens.length > 0) continue;
      if (run.digits.length < 7 || run.digits.length > 14) continue;
      if (run.seps.some((s) => s !== '-' && s !== ' ')) continue;
      if (!numericBoundaryOk(text, run.start, run.end)) continue;
      const dd = contextDistance(ctx, run.start, run.end, DL_CONTEXT, 40, 10);
      const dw =
        dd === Number.POSITIVE_INFINITY ? contextDistance(ctx, run.start, run.end, DL_WEAK_CONTEXT, 25, 0) : dd;
      if (dw === Number.POSITIVE_INFINITY) continue;
      const score = dd !== Number.POSITIVE_INFINITY ? 0.65 : 0.5;
      out.push({
        type: 'US_DRIVER_LICENSE',
        start: run.start,
        end: run.end,
        score,
        rule: 'pii.us-driver-license',
        priority: 4,
      });
    }
  },
};
