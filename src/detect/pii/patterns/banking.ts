/**
 * Banking: IBAN_CODE (country length table + ISO 7064 mod 97-10, upper- or lower-case, bare or grouped by
 * spaces/dashes in fours), US_BANK_NUMBER (8-17 digits, only next to account words) and ABA_ROUTING_NUMBER
 * (9 digits with the ABA 3-7-1 checksum and a valid Federal Reserve prefix, only next to routing words).
 */
import * as contextModule from './context.js';
import * as scanModule from './scan.js';
import type { Candidate, Recognizer } from './types.js';
import * as typesModule from './types.js';
import * as validatorsModule from './validators.js';

// Local bindings: loaders that rewrite imports into module-namespace lookups (vitest, tsx) would
// otherwise pay a property access on every call in the hot loops below.
const { contextList, hasContext } = contextModule;
const { numericBoundaryOk } = scanModule;
const { allSameChar, clamp01, isAlnumCode, isAlphaCode, isDigitCode } = typesModule;
const { abaRouting, ibanMod97 } = validatorsModule;

/** IBAN length by country (SWIFT IBAN registry). */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
};

/** The same table keyed by the two upper-case letters' char codes, so a lookup allocates nothing. */
const IBAN_LENGTH_BY_CODE: ReadonlyMap<number, number> = new Map(
  Object.entries(IBAN_LENGTHS).map(([cc, len]) => [(cc.charCodeAt(0) << 8) | cc.charCodeAt(1), len]),
);

const IBAN_CONTEXT = contextList(
  'iban',
  'bank*',
  'account',
  'acct',
  'transfer',
  'wire',
  'sepa',
  'swift',
  'bic',
  'payment',
  'pay',
  'remit*',
);
const ACCOUNT_CONTEXT = contextList(
  'account',
  'accounts',
  'acct',
  'acc',
  'a/c',
  'bank',
  'banking',
  'checking',
  'chequing',
  'savings',
  'deposit',
  'direct deposit',
  'routing',
);
const ROUTING_CONTEXT = contextList('routing', 'aba', 'rtn', 'transit', 'bank routing', 'ach', 'wire');

/** Reads an IBAN starting at `s` (two letters, two digits): returns its end and normalised text, or null. */
export function ibanAt(text: string, s: number): { end: number; iban: string } | null {
  // ASCII letters: clearing bit 5 upper-cases them
  const len = IBAN_LENGTH_BY_CODE.get(((text.charCodeAt(s) & ~32) << 8) | (text.charCodeAt(s + 1) & ~32));
  if (!len) return null;
  let count = 0;
  let i = s;
  let grouped = false;
  while (count < len && i < text.length) {
    const c = text.charCodeAt(i);
    if (isAlnumCode(c)) {
      count++;
      i++;
      continue;
    }
    // a single space or dash between groups of four
    if ((c === 32 || c === 45 || c === 0xa0) && count % 4 === 0 && count > 0 && isAlnumCode(text.charCodeAt(i + 1))) {
      grouped = true;
      i++;
      continue;
    }
    return null;
  }
  if (count !== len || isAlnumCode(text.charCodeAt(i))) return null;
  if (!grouped && i - s !== len) return null;
  const raw = text.slice(s, i);
  return { end: i, iban: grouped ? raw.replace(/[\s-]/g, '') : raw };
}

function findIbans(
  text: string,
  tokens: readonly { start: number; end: number }[],
  out: Candidate[],
  ctx: Parameters<Recognizer['find']>[0],
): void {
  for (const t of tokens) {
    const s = t.start;
    if (t.end - s < 4) continue;
    if (!isAlphaCode(text.charCodeAt(s)) || !isAlphaCode(text.charCodeAt(s + 1))) continue;
    if (!isDigitCode(text.charCodeAt(s + 2)) || !isDigitCode(text.charCodeAt(s + 3))) continue;
    const prev = text.charCodeAt(s - 1);
    if (prev === 45 || prev === 95) continue;
    const found = ibanAt(text, s);
    if (!found || !ibanMod97(found.iban)) continue;
    const body = found.iban;
    const upper = body === body.toUpperCase();
    const lower = body === body.toLowerCase();
    let score = upper ? 0.9 : lower ? 0.8 : 0.6;
    if (hasContext(ctx, s, found.end, IBAN_CONTEXT)) score += 0.1;
    out.push({ type: 'IBAN_CODE', start: s, end: found.end, score: clamp01(score), rule: 'pii.iban', priority: 7 });
  }
}

/** Federal Reserve routing symbol prefixes: 00-12, 21-32, 61-72, 80. */
function abaPrefixOk(d: string): boolean {
  const p = Number(d.slice(0, 2));
  return p <= 12 || (p >= 21 && p <= 32) || (p >= 61 && p <= 72) || p === 80;
}

export const bankingRecognizer: Recognizer = {
  id: 'pii.banking',
  entityTypes: ['IBAN_CODE', 'US_BANK_NUMBER', 'ABA_ROUTING_NUMBER'],
  find(ctx, out) {
    const text = ctx.text;
    findIbans(text, ctx.digitTokens(), out, ctx);
    for (const run of ctx.numberRuns()) {
      if (run.plus || run.parens.length > 0) continue;
      const d = run.digits;
      if (d.length < 8 || d.length > 17) continue;
      if (!numericBoundaryOk(text, run.start, run.end)) continue;
      // routing numbers: 9 digits, bare or 4-4-1
      const key = run.groups.join('-');
      if (d.length === 9 && (key === '9' || key === '4-4-1') && abaRouting(d) && abaPrefixOk(d)) {
        if (hasContext(ctx, run.start, run.end, ROUTING_CONTEXT)) {
          out.push({
            type: 'ABA_ROUTING_NUMBER',
            start: run.start,
            end: run.end,
            score: 0.9,
            rule: 'pii.aba-routing',
            priority: 5,
          });
          continue;
        }
      }
      // account numbers: bare digits, only with account words nearby
      if (run.groups.length > 1 || allSameChar(d)) continue;
      if (hasContext(ctx, run.start, run.end, ACCOUNT_CONTEXT, 40, 20)) {
        out.push({
          type: 'US_BANK_NUMBER',
          start: run.start,
          end: run.end,
          score: 0.5,
          rule: 'pii.us-bank-number',
          priority: 1,
        });
      }
    }
  },
};
