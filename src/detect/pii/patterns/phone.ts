/**
 * PHONE_NUMBER. A cheap scanner (scan.ts) groups digits into runs ("(37) 788-063", "+46 (0)8 928 571 38",
 * "0490 39 07 81"); only runs with 7-15 digits in a phone-like shape reach libphonenumber-js, whose
 * verdict (valid for the number's own country code, or for one of a default list of countries) raises the
 * score. Context words (phone, tel, call, mobile, fax, ...) raise it further. Numbers written without any
 * separator need context or a libphonenumber-valid shape, because bare digit strings are mostly not phones.
 */

import type { CountryCode } from 'libphonenumber-js/max';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import * as contextModule from './context.js';
import { byteStretches, dumpLines, spanInside, startsInside } from './hexdump.js';
import * as scanModule from './scan.js';
import type { Candidate, NumberRun, Recognizer, ScanContext } from './types.js';
import * as typesModule from './types.js';
import * as validatorsModule from './validators.js';

// Local bindings: loaders that rewrite imports into module-namespace lookups (vitest, tsx) would
// otherwise pay a property access on every call in the hot loops below.
const { containsContext, contextList, hasContext } = contextModule;
const { numericBoundaryOk, prefixDigits } = scanModule;
const { allSameChar, clamp01 } = typesModule;
const { isValidDate } = validatorsModule;

/** Countries tried, in order, for a number written without a country code. */
export const DEFAULT_PHONE_COUNTRIES: readonly CountryCode[] = [
  'US',
  'GB',
  'IN',
  'FR',
  'DE',
  'BR',
  'AU',
  'IT',
  'ES',
  'NL',
  'MX',
  'CN',
];

/** Words that say "phone" on their own. */
const PHONE_CONTEXT = contextList(
  'phone*',
  'telephone*',
  'tel',
  'tele',
  'mobile*',
  'mob',
  'cell*',
  'fax',
  'call*',
  'desk',
  'office',
  'home',
  'contact*',
  'whatsapp',
  'sms',
  'texting',
  'dial*',
  'landline',
  'reach',
  'ring',
  'hotline',
  'helpline',
  'ph',
  'tlf',
  'telefon*',
  'teléfono',
  'téléphone',
  'voicemail',
);
/** Weaker hints, enough for a grouped number ("my number is 467 3395") but not for a bare digit string. */
const WEAK_PHONE_CONTEXT = contextList(
  'number',
  'numbers',
  'no',
  'nr',
  'num',
  '#',
  'text',
  'work',
  'ext',
  'answering',
  'messages',
  'registered',
);
/** Phone words that outweigh "account" or "id" nearby ("account phone number"). */
const STRONG_PHONE_CONTEXT = contextList(
  'phone*',
  'telephone*',
  'tel',
  'mobile*',
  'cell*',
  'fax',
  'call*',
  'whatsapp',
  'sms',
  'landline',
);
/** Words right before a number that say it is something else (an amount, a count, an id). */
const NOT_PHONE_BEFORE = contextList(
  'version',
  'v',
  'isbn',
  'issn',
  'doi',
  'page',
  'pages',
  'pp',
  'order',
  'invoice',
  'ticket',
  'zip',
  'postal',
  'postcode',
  'usd',
  'eur',
  'gbp',
  'rs',
  'inr',
  'price',
  'total',
  'population',
);
/** Words a little further before that say whose number it is: an account, a card, an id. */
const OTHER_NUMBER_BEFORE = contextList(
  'account',
  'acct',
  'card',
  'iban',
  'routing',
  'ssn',
  'social security',
  'licence',
  'license',
  'passport',
  'policy',
  'member',
  'customer',
  'tracking',
  'serial',
  'invoice',
  'order',
  'reference',
  'ref',
  'id',
  'identification',
  'identity',
  'aadhaar',
  'aadhar',
  'pan',
  'case',
  'claim',
  'record',
  'patient',
  'employee',
  'student',
  'tax',
  'tin',
  'voter',
);

/** At most this many libphonenumber parses per text (they cost tens of microseconds each). */
const PARSE_BUDGET = 200;

interface PhoneShape {
  end: number;
  digits: string;
  j: number;
}

function looksLikeDate(run: NumberRun, j: number): boolean {
  if (j !== 3) return false;
  const sep = run.seps[0];
  if (sep !== run.seps[1] || (sep !== '.' && sep !== '/' && sep !== '-')) return false;
  const d = prefixDigits(run, 3);
  const [a, b, c] = run.groups;
  const n1 = Number(d.slice(0, a));
  const n2 = Number(d.slice(a, a + b));
  const n3 = Number(d.slice(a + b));
  if (a === 4) return isValidDate(n1, n2, n3);
  if (c === 4 || c === 2) return isValidDate(2000, n2, n1) || isValidDate(2000, n1, n2);
  return false;
}

/**
 * "2024.06.13.1200", "1999.12.31.2359", "2024.06.1200": dotted groups that open with a year (1900-2099) and a
 * month (01-12) are a timestamp, a build or a calendar version. A phone written with dots has a trunk 0 or an
 * area code before its first dot, not a year; "+" (a country code) is left to the phone rules.
 */
function looksLikeDottedYearMonth(run: NumberRun, j: number): boolean {
  if (j < 3 || run.plus || run.seps[0] !== '.' || run.seps[1] !== '.') return false;
  if (run.groups[0] !== 4 || run.groups[1] !== 2) return false;
  const year = Number(run.digits.slice(0, 4));
  const month = Number(run.digits.slice(4, 6));
  return year >= 1900 && year <= 2099 && month >= 1 && month <= 12;
}

/**
 * A number written with its country code: `+…`, or the `00` international prefix before a country code (never 0).
 * `000…` is zero padding (a hexdump offset `00000010`), not a dialling prefix.
 */
function international(run: NumberRun, digits: string): boolean {
  return run.plus || (digits.startsWith('00') && digits[2] !== '0');
}

/** Longest prefix of the run's groups that has a phone shape. */
function phoneShape(run: NumberRun, text: string): PhoneShape | null {
  // zero padding ("00000010", a hexdump offset): "00" is followed by a country code and a trunk 0 by an area code,
  // neither of which starts with 0
  if (!run.plus && run.digits.startsWith('000')) return null;
  const k = run.groups.length;
  for (let j = k; j >= 1; j--) {
    const digits = prefixDigits(run, j);
    const n = digits.length;
    const intl = international(run, digits);
    if (n < 7 || n > 15 || (intl && n < 8)) continue;
    const end = run.ends[j - 1];
    const boundaryEnd = j === k && run.extEnd ? run.extEnd : end;
    if (!numericBoundaryOk(text, run.start, boundaryEnd)) continue;
    if (j > 1) {
      // national groups after the first have 2-10 digits, except a "(0)" trunk prefix and the group after it;
      // international numbers group freely ("+61 8 9751 1086", "+43-1-9751108")
      let ok = run.groups[0] <= 10;
      for (let i = 1; i < j && ok; i++) {
        const g = run.groups[i];
        const looseShort = intl || run.parens.includes(i) || run.seps[i - 1] === ')';
        if (g > 10 || (g < 2 && !looseShort)) ok = false;
      }
      if (!ok) continue;
      const seps = run.seps.slice(0, j - 1);
      // '/' only in "030/1234567" (trunk prefix, one slash) or after a country code
      if (seps.includes('/') && !intl && !(digits[0] === '0' && seps.filter((x) => x === '/').length === 1)) continue;
      if (!intl && j === 2 && seps[0] === '.') continue; // a decimal number
      if (looksLikeDate(run, j) || looksLikeDottedYearMonth(run, j)) continue;
      if (j === 2 && run.groups[0] === 4 && run.groups[1] === 4) {
        // "1990-1995": a range of years
        const y1 = Number(digits.slice(0, 4));
        const y2 = Number(digits.slice(4));
        if (y1 >= 1800 && y1 <= 2100 && y2 >= 1800 && y2 <= 2100) continue;
      }
    }
    if (allSameChar(digits.slice(intl ? 2 : 0))) continue;
    // "192.168.10.20" is an IP address; "20231002" a compact date
    if (j === 4 && !intl && run.seps.slice(0, 3).every((x) => x === '.') && run.groups.slice(0, 4).every((g) => g <= 3))
      continue;
    if (j === 1 && n === 8 && /^(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$/.test(digits)) continue;
    return { end, digits, j };
  }
  return null;
}

/** "Apt. 675 62314", "Suite 541 6343": the first group belongs to an address line. */
const ADDRESS_BEFORE_RE =
  /(?:^|[^A-Za-z])(?:apt|apartment|suite|ste|unit|box|no|flat|room|floor|bldg|building|po|p\.o)\.?#? ?$/i;
/** "17151 2450 Crown St": a house number followed by a (capitalised) street name. */
const WORD_AFTER_RE = /[ \t]{1,3}([A-Za-z\u00c0-\u024f]{2,})/y;
const STREET_WORDS = contextList(
  'st',
  'street',
  'rd',
  'road',
  'ave',
  'avenue',
  'blvd',
  'boulevard',
  'lane',
  'ln',
  'drive',
  'dr',
  'way',
  'court',
  'ct',
  'place',
  'pl',
  'square',
  'sq',
  'close',
  'crescent',
  'terrace',
  'highway',
  'hwy',
  'rue',
  'strasse',
  'straße',
  'calle',
  'via',
  'apt',
  'suite',
);

/** A two-group number that is really the start of an address line. */
function addressLike(ctx: ScanContext, run: NumberRun, shape: PhoneShape): boolean {
  const text = ctx.text;
  if (ADDRESS_BEFORE_RE.test(text.slice(Math.max(0, run.start - 12), run.start))) return true;
  WORD_AFTER_RE.lastIndex = shape.end;
  const m = WORD_AFTER_RE.exec(text);
  if (!m) return false;
  const word = m[1].toLowerCase();
  if (containsContext(word, PHONE_CONTEXT) || containsContext(word, WEAK_PHONE_CONTEXT) || PHONE_FOLLOWERS.has(word))
    return false;
  const c = m[1].charCodeAt(0);
  if (c >= 65 && c <= 90) return true;
  // lower-case text: a street word within the next three words
  return containsContext(text.slice(shape.end, shape.end + 40).toLowerCase(), STREET_WORDS);
}

/** Capitalised words that may follow a phone number without making it an address. */
const PHONE_FOLLOWERS: ReadonlySet<string> = new Set([
  'or',
  'and',
  'to',
  'for',
  'if',
  'at',
  'as',
  'in',
  'on',
  'is',
  'was',
  'but',
  'anytime',
  'today',
  'tomorrow',
  'please',
  'thanks',
  'thank',
  'between',
  'during',
  'after',
  'before',
  'ext',
  'extension',
  'x',
  'i',
  'we',
  'you',
  'he',
  'she',
  'they',
  'it',
  'the',
  'my',
  'our',
  'call',
  'when',
  'from',
  'until',
  'mon',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'weekdays',
  'am',
  'pm',
]);

class PhoneValidator {
  private budget = PARSE_BUDGET;
  private readonly cache = new Map<string, 'intl' | 'national' | 'none'>();

  /** 'intl': valid with its own country code; 'national': valid in a default country; 'none'. */
  check(raw: string, international: boolean): 'intl' | 'national' | 'none' | 'unknown' {
    const key = (international ? '+' : '') + raw;
    const hit = this.cache.get(key);
    if (hit) return hit;
    if (this.budget <= 0) return 'unknown';
    let verdict: 'intl' | 'national' | 'none' = 'none';
    if (international) {
      this.budget--;
      const p = parsePhoneNumberFromString(raw.startsWith('+') ? raw : `+${raw.replace(/^\D*00/, '')}`);
      if (p?.isValid()) verdict = 'intl';
    } else {
      for (const country of DEFAULT_PHONE_COUNTRIES) {
        if (this.budget <= 0) break;
        this.budget--;
        const p = parsePhoneNumberFromString(raw, country);
        if (p?.isValid()) {
          verdict = 'national';
          break;
        }
      }
    }
    this.cache.set(key, verdict);
    return verdict;
  }
}

function scorePhone(ctx: ScanContext, run: NumberRun, shape: PhoneShape, validator: PhoneValidator): number {
  const intl = international(run, shape.digits);
  const bare = shape.j === 1 && !intl;
  const strong = hasContext(ctx, run.start, shape.end, PHONE_CONTEXT, 50, 30);
  const context = strong || (!bare && hasContext(ctx, run.start, shape.end, WEAK_PHONE_CONTEXT, 50, 30));
  if (bare && !context && (shape.digits.length < 10 || shape.digits.length > 11)) return 0;
  let floor = 0;
  if (!intl && shape.j === 2) {
    if (addressLike(ctx, run, shape)) return 0;
    // two groups ("467 3395", "99 668472") are as often house numbers, ids or counts: context required,
    // unless an area code in parentheses or a trunk 0 says "phone"
    // (a trunk 0 is followed by an area code, never by another 0: "00000060 39" is a hexdump line)
    const areaCode =
      run.parens.includes(0) || (shape.digits[0] === '0' && shape.digits[1] !== '0' && shape.digits.length >= 9);
    if (!context && !areaCode) return 0;
    floor = areaCode ? 0.4 : 0;
  }
  const raw = ctx.text.slice(run.start, shape.end);
  // grouped national numbers next to a phone word need no second opinion
  const verdict = !intl && !bare && context ? 'none' : validator.check(raw, intl);
  let score: number;
  if (intl) score = verdict === 'intl' ? 0.75 : 0.55;
  else if (bare) score = verdict === 'national' ? 0.3 : context ? 0.25 : 0;
  else score = verdict === 'national' ? 0.5 : 0.45;
  if (score === 0) return 0;
  if (!intl && !context && shape.j === 2) score = Math.min(score, floor);
  if (context) score += 0.3;
  return clamp01(score);
}

/** Whether the first `j` groups of a run are all two digits apart by spaces, as hex bytes are written. */
function twoDigitGroups(run: NumberRun, j: number): boolean {
  if (run.plus || j < 2) return false;
  for (let i = 0; i < j; i++) if (run.groups[i] !== 2 || (i > 0 && run.seps[i - 1] !== ' ')) return false;
  return true;
}

export const phoneRecognizer: Recognizer = {
  id: 'pii.phone',
  entityTypes: ['PHONE_NUMBER'],
  find(ctx, out: Candidate[]) {
    const text = ctx.text;
    const validator = new PhoneValidator();
    let bytes: number[] | null = null;
    let dumps: number[] | null = null;
    for (const run of ctx.numberRuns()) {
      if (run.digits.length < 7) continue;
      const shape = phoneShape(run, text);
      if (!shape) continue;
      // the offset or byte columns of a hexdump line
      dumps ??= dumpLines(text);
      if (startsInside(dumps, run.start)) continue;
      // two-digit groups among eight hex bytes or more are bytes of a dump (byteStretches)
      if (twoDigitGroups(run, shape.j)) {
        bytes ??= byteStretches(text);
        if (spanInside(bytes, run.start, shape.end)) continue;
      }
      if (hasContext(ctx, run.start, shape.end, NOT_PHONE_BEFORE, 12, 0)) continue;
      if (
        hasContext(ctx, run.start, shape.end, OTHER_NUMBER_BEFORE, 30, 0) &&
        !hasContext(ctx, run.start, shape.end, STRONG_PHONE_CONTEXT, 30, 0)
      )
        continue;
      const prev = text.charCodeAt(run.start - 1);
      // currency symbols: $ £ € ¥ ₹
      if (prev === 36 || prev === 163 || prev === 8364 || prev === 165 || prev === 8377) continue;
      const score = scorePhone(ctx, run, shape, validator);
      if (score <= 0) continue;
      const end = shape.j === run.groups.length && run.extEnd ? run.extEnd : shape.end;
      out.push({ type: 'PHONE_NUMBER', start: run.start, end, score, rule: 'pii.phone', priority: 2 });
    }
  },
};
