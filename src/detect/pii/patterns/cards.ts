/**
 * CREDIT_CARD: 12-19 digits, bare or in the usual groupings (4-4-4-4, 4-6-5, 4-6-4, ...), Luhn-valid.
 * A known brand prefix of the right length and context words (card, visa, cvv, ...) raise the score.
 */
import * as contextModule from './context.js';
import { dumpLines, startsInside } from './hexdump.js';
import * as scanModule from './scan.js';
import type { Candidate, NumberRun, Recognizer } from './types.js';
import * as typesModule from './types.js';
import * as validatorsModule from './validators.js';

// Local bindings: loaders that rewrite imports into module-namespace lookups (vitest, tsx) would
// otherwise pay a property access on every call in the hot loops below.
const { contextList, hasContext } = contextModule;
const { numericBoundaryOk, prefixDigits, uniformSep } = scanModule;
const { allSameChar, clamp01 } = typesModule;
const { gtin, luhn } = validatorsModule;

const CARD_CONTEXT = contextList(
  'card*',
  'credit',
  'debit',
  'visa',
  'mastercard',
  'master',
  'amex',
  'american express',
  'discover',
  'diners',
  'jcb',
  'maestro',
  'unionpay',
  'cc',
  'ccn',
  'cvv',
  'cvc',
  'expir*',
  'exp',
  'payment',
  'pay',
  'charge',
  'billing',
  'billed',
  'withdraw',
  'atm',
  'pan',
);

interface Brand {
  name: string;
  /** Prefix ranges as [low, high] on the first `digits` digits. */
  ranges: [number, number, number][];
  lengths: [number, number];
}

const BRANDS: Brand[] = [
  { name: 'visa', ranges: [[1, 4, 4]], lengths: [13, 19] },
  {
    name: 'mastercard',
    ranges: [
      [2, 51, 55],
      [4, 2221, 2720],
    ],
    lengths: [16, 16],
  },
  {
    name: 'amex',
    ranges: [
      [2, 34, 34],
      [2, 37, 37],
    ],
    lengths: [15, 15],
  },
  {
    name: 'discover',
    ranges: [
      [4, 6011, 6011],
      [3, 644, 649],
      [2, 65, 65],
    ],
    lengths: [16, 19],
  },
  {
    name: 'diners',
    ranges: [
      [3, 300, 305],
      [2, 36, 36],
      [2, 38, 39],
    ],
    lengths: [14, 19],
  },
  { name: 'jcb', ranges: [[2, 35, 35]], lengths: [15, 19] },
  {
    name: 'jcb15',
    ranges: [
      [4, 2131, 2131],
      [4, 1800, 1800],
    ],
    lengths: [15, 15],
  },
  {
    name: 'unionpay',
    ranges: [
      [2, 62, 62],
      [2, 81, 81],
    ],
    lengths: [16, 19],
  },
  {
    name: 'maestro',
    ranges: [
      [2, 50, 50],
      [2, 56, 69],
    ],
    lengths: [12, 19],
  },
  { name: 'mir', ranges: [[4, 2200, 2204]], lengths: [16, 19] },
];

export function cardBrand(digits: string): string | null {
  for (const b of BRANDS) {
    if (digits.length < b.lengths[0] || digits.length > b.lengths[1]) continue;
    for (const [n, lo, hi] of b.ranges) {
      const p = Number(digits.slice(0, n));
      if (p >= lo && p <= hi) return b.name;
    }
  }
  return null;
}

/** Common printed groupings: 4-4-4-4(-3), 4-6-5, 4-6-4, 4-4-4-(1..4). */
function cardGrouping(groups: readonly number[], j: number): boolean {
  if (j === 1) return true;
  const g = groups.slice(0, j).join('-');
  if (g === '4-6-5' || g === '4-6-4' || g === '4-6' || g === '6-6' || g === '4-4-5' || g === '4-4-4-4-3') return true;
  if (j < 3) return false;
  for (let i = 0; i < j - 1; i++) if (groups[i] !== 4) return false;
  return groups[j - 1] >= 1 && groups[j - 1] <= 4;
}

function cardFromRun(run: NumberRun, text: string): { end: number; digits: string; grouped: boolean } | null {
  if (run.plus || run.parens.length > 0) return null;
  for (let j = run.groups.length; j >= 1; j--) {
    const sep = uniformSep(run, j);
    if (sep === null || (j > 1 && sep !== ' ' && sep !== '-')) continue;
    if (!cardGrouping(run.groups, j)) continue;
    const digits = prefixDigits(run, j);
    if (digits.length < 12 || digits.length > 19) continue;
    const end = run.ends[j - 1];
    if (!numericBoundaryOk(text, run.start, end)) continue;
    return { end, digits, grouped: j > 1 };
  }
  return null;
}

export const cardRecognizer: Recognizer = {
  id: 'pii.credit-card',
  entityTypes: ['CREDIT_CARD'],
  find(ctx, out: Candidate[]) {
    const text = ctx.text;
    let dumps: number[] | null = null;
    for (const run of ctx.numberRuns()) {
      if (run.digits.length < 12) continue;
      const c = cardFromRun(run, text);
      if (!c || !luhn(c.digits) || allSameChar(c.digits)) continue;
      // the byte columns of a hexdump line ("00000020: 3637 206f 7220 2b34 3420 3230 2037 3934")
      dumps ??= dumpLines(text);
      if (startsInside(dumps, run.start)) continue;
      const context = hasContext(ctx, run.start, c.end, CARD_CONTEXT);
      // Thirteen bare digits with a valid EAN-13 check digit are a product barcode unless a card word says
      // otherwise: only Visa ever issued 13-digit numbers (long retired), German barcodes (400-440) start with
      // Visa's 4, and one barcode in ten passes Luhn by chance. Card groupings (4-4-4-1) still count as cards.
      if (c.digits.length === 13 && !c.grouped && !context && gtin(c.digits)) continue;
      const brand = cardBrand(c.digits);
      let score = brand ? (c.grouped ? 0.8 : 0.7) : 0.4;
      if (context) score += 0.25;
      out.push({
        type: 'CREDIT_CARD',
        start: run.start,
        end: c.end,
        score: clamp01(score),
        rule: 'pii.credit-card',
        priority: 6,
      });
    }
  },
};
