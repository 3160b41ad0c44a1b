/**
 * National identifiers of non-US countries, each with its check digits or structural rules:
 * UK_NINO, UK_NHS, DE_TAX_ID, FR_INSEE, ES_NIF, ES_NIE, IT_FISCAL_CODE, IN_AADHAAR, IN_PAN, CN_RESIDENT_ID,
 * BR_CPF, CA_SIN, AU_TFN, SG_NRIC, PL_PESEL, NL_BSN, SE_PERSONNUMMER.
 * Alphanumeric formats are distinctive enough to report alone; all-digit formats whose checksum catches only
 * one typo in ten or eleven are reported only next to their context words.
 */
import type { ContextList } from './context.js';
import * as contextModule from './context.js';
import * as scanModule from './scan.js';
import type { Candidate, Recognizer, ScanContext } from './types.js';
import * as typesModule from './types.js';
import * as validatorsModule from './validators.js';

// Local bindings: loaders that rewrite imports into module-namespace lookups (vitest, tsx) would
// otherwise pay a property access on every call in the hot loops below.
const { contextList, hasContext } = contextModule;
const { numericBoundaryOk } = scanModule;
const { allSameChar, clamp01, isAlphaCode } = typesModule;
const {
  bsnElevenTest,
  cpf,
  inseeKey,
  isValidDate,
  iso7064Mod11_2,
  iso7064Mod11_10,
  italianFiscalCodeCheck,
  luhn,
  nhsMod11,
  nricCheck,
  peselChecksum,
  spanishIdLetter,
  tfnChecksum,
  verhoeff,
} = validatorsModule;

const CTX = {
  UK_NINO: contextList('national insurance', 'nino', 'ni number', 'ni no', 'nin', 'insurance number'),
  UK_NHS: contextList('nhs', 'national health', 'health service', 'chi number'),
  DE_TAX_ID: contextList(
    'steuer*',
    'idnr',
    'identifikationsnummer',
    'tax id',
    'tax identification',
    'tin',
    'steuernummer',
    'tax number',
    'tax',
  ),
  FR_INSEE: contextList(
    'insee',
    'nir',
    'sécurité sociale',
    'securite sociale',
    'sécu',
    'secu',
    'social security',
    'carte vitale',
    'numéro de sécurité',
  ),
  ES_NIF: contextList('dni', 'nif', 'nie', 'documento', 'identidad', 'tax id', 'id number', 'extranjero'),
  ES_NIE: contextList('nie', 'extranjero', 'extranjería', 'foreigner', 'dni', 'nif', 'documento', 'id number'),
  IT_FISCAL_CODE: contextList('codice fiscale', 'fiscal code', 'cf', 'tax code', 'codice'),
  IN_AADHAAR: contextList('aadhaar', 'aadhar', 'adhaar', 'uidai', 'uid'),
  IN_PAN: contextList('pan', 'permanent account number', 'income tax', 'pan card'),
  CN_RESIDENT_ID: contextList(
    '身份证',
    '身份证号',
    'resident id',
    'resident identity',
    'identity card',
    'id card',
    'citizen id',
    'id number',
  ),
  BR_CPF: contextList('cpf', 'cadastro de pessoas', 'cadastro', 'contribuinte'),
  CA_SIN: contextList('sin', 'social insurance', 'nas', 'assurance sociale'),
  AU_TFN: contextList('tfn', 'tax file number', 'tax file'),
  SG_NRIC: contextList('nric', 'fin', 'ic', 'identity card', 'ic number'),
  PL_PESEL: contextList('pesel', 'numer pesel'),
  NL_BSN: contextList('bsn', 'burgerservicenummer', 'sofinummer', 'sofi', 'citizen service number'),
  SE_PERSONNUMMER: contextList(
    'personnummer',
    'personnr',
    'personal identity number',
    'personal number',
    'samordningsnummer',
  ),
} satisfies Record<string, ContextList>;

type IdType = keyof typeof CTX;

function push(
  ctx: ScanContext,
  out: Candidate[],
  type: IdType,
  start: number,
  end: number,
  base: number,
  withContext: number,
): void {
  const context = hasContext(ctx, start, end, CTX[type]);
  if (base <= 0 && !context) return;
  const score = context ? withContext : base;
  out.push({
    type,
    start,
    end,
    score: clamp01(score),
    rule: `pii.${type.toLowerCase().replace(/_/g, '-')}`,
    priority: 5,
  });
}

/** Date of birth in YYMMDD with an unknown century: any valid month/day. */
function validYyMmDd(d: string, dayOffset = 0): boolean {
  const mm = Number(d.slice(2, 4));
  let dd = Number(d.slice(4, 6));
  if (dayOffset && dd > dayOffset) dd -= dayOffset;
  return isValidDate(2000 + Number(d.slice(0, 2)), mm, dd) || isValidDate(1900 + Number(d.slice(0, 2)), mm, dd);
}

export function isValidPesel(d: string): boolean {
  if (d.length !== 11 || !peselChecksum(d)) return false;
  let mm = Number(d.slice(2, 4));
  let year = Number(d.slice(0, 2));
  const century = Math.floor(mm / 20);
  mm -= century * 20;
  year += [1900, 2000, 2100, 2200, 1800][century] ?? 1900;
  return isValidDate(year, mm, Number(d.slice(4, 6)));
}

/** Steuer-IdNr: 11 digits, no leading 0, in the first ten one digit appears two or three times, check digit mod 11,10. */
export function isValidDeTaxId(d: string): boolean {
  if (d.length !== 11 || d[0] === '0' || !iso7064Mod11_10(d)) return false;
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < 10; i++) counts[d.charCodeAt(i) - 48]++;
  let multi = 0;
  for (const c of counts) {
    if (c > 3) return false;
    if (c >= 2) multi++;
  }
  return multi === 1;
}

export function isValidInsee(d: string): boolean {
  if (d.length !== 15 || !inseeKey(d)) return false;
  if (!'123478'.includes(d[0])) return false;
  const mm = Number(d.slice(3, 5));
  return (mm >= 1 && mm <= 12) || (mm >= 20 && mm <= 42) || (mm >= 50 && mm <= 99);
}

export function isValidAadhaar(d: string): boolean {
  return d.length === 12 && d[0] >= '2' && verhoeff(d) && !allSameChar(d);
}

export function isValidCnResidentId(id: string): boolean {
  if (id.length !== 18 || !iso7064Mod11_2(id)) return false;
  const region = id[0];
  if (region < '1' || region > '8') return false;
  const year = Number(id.slice(6, 10));
  return year >= 1900 && year <= 2099 && isValidDate(year, Number(id.slice(10, 12)), Number(id.slice(12, 14)));
}

export function isValidSin(d: string): boolean {
  return d.length === 9 && d[0] !== '0' && d[0] !== '8' && luhn(d);
}

export function isValidPersonnummer(d: string): boolean {
  const ten = d.length === 12 ? d.slice(2) : d;
  if (ten.length !== 10 || !luhn(ten)) return false;
  if (d.length === 12) {
    const year = Number(d.slice(0, 4));
    let dd = Number(d.slice(6, 8));
    if (dd > 60) dd -= 60;
    return year >= 1880 && isValidDate(year, Number(d.slice(4, 6)), dd);
  }
  return validYyMmDd(ten, 60);
}

const NINO_RE = /^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$/;
const NINO_BAD_PREFIX: ReadonlySet<string> = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);
const PAN_RE = /^[A-Z]{3}[ABCFGHLJPTK][A-Z]\d{4}[A-Z]$/;
const CF_RE = /^[A-Z]{6}[\dLMNP-V]{2}[ABCDEHLMPRST][\dLMNP-V]{2}[A-Z][\dLMNP-V]{3}[A-Z]$/;
const NIF_RE = /^\d{8}[A-Z]$/;
const NIE_RE = /^[XYZ]\d{7}[A-Z]$/;
const NRIC_RE = /^[STFGM]\d{7}[A-Z]$/;
const CN_RE = /^\d{17}[\dX]$/;

function findTokenIds(ctx: ScanContext, out: Candidate[]): void {
  const text = ctx.text;
  for (const t of ctx.digitTokens()) {
    const len = t.end - t.start;
    if (len !== 9 && len !== 10 && len !== 16 && len !== 18) continue;
    const tok = text.slice(t.start, t.end);
    const prev = text.charCodeAt(t.start - 1);
    const next = text.charCodeAt(t.end);
    // part of a longer identifier: "x-AB123456C", "AB123456C_x"
    if (prev === 45 || prev === 95 || prev === 47 || next === 95 || next === 45) continue;
    if (len === 9) {
      if (NINO_RE.test(tok) && !NINO_BAD_PREFIX.has(tok.slice(0, 2)))
        push(ctx, out, 'UK_NINO', t.start, t.end, 0.5, 0.85);
      else if (NIF_RE.test(tok) && spanishIdLetter(tok)) push(ctx, out, 'ES_NIF', t.start, t.end, 0.6, 0.95);
      else if (NIE_RE.test(tok) && spanishIdLetter(tok)) push(ctx, out, 'ES_NIE', t.start, t.end, 0.65, 0.95);
      else if (NRIC_RE.test(tok) && nricCheck(tok)) push(ctx, out, 'SG_NRIC', t.start, t.end, 0.7, 0.95);
    } else if (len === 10) {
      if (PAN_RE.test(tok)) push(ctx, out, 'IN_PAN', t.start, t.end, 0.45, 0.85);
    } else if (len === 16) {
      const up = tok.toUpperCase();
      if (CF_RE.test(up) && italianFiscalCodeCheck(up))
        push(ctx, out, 'IT_FISCAL_CODE', t.start, t.end, up === tok ? 0.8 : 0.6, 0.95);
    } else if (len === 18) {
      const up = tok.toUpperCase();
      if (CN_RE.test(up) && isValidCnResidentId(up)) push(ctx, out, 'CN_RESIDENT_ID', t.start, t.end, 0.7, 0.95);
    }
  }
}

interface RunSpec {
  type: IdType;
  /** Allowed group layouts, e.g. "3-3-4" (a bare number is its digit count, "10"). */
  layouts: readonly string[];
  /** Allowed separators for grouped layouts. */
  seps: readonly string[];
  validate(d: string): boolean;
  /** Score without context for [bare, grouped] forms; 0 = context required. */
  base: [number, number];
  withContext: number;
}

const RUN_SPECS: readonly RunSpec[] = [
  {
    type: 'BR_CPF',
    layouts: ['3-3-3-2', '11'],
    seps: ['.', '-'],
    validate: (d) => cpf(d) && !allSameChar(d),
    base: [0, 0.8],
    withContext: 0.95,
  },
  {
    type: 'FR_INSEE',
    layouts: ['15', '1-2-2-2-3-3-2'],
    seps: [' '],
    validate: isValidInsee,
    base: [0.55, 0.65],
    withContext: 0.95,
  },
  {
    type: 'UK_NHS',
    layouts: ['10', '3-3-4'],
    seps: [' ', '-'],
    validate: (d) => nhsMod11(d) && !allSameChar(d),
    base: [0, 0],
    withContext: 0.9,
  },
  {
    type: 'DE_TAX_ID',
    layouts: ['11', '2-3-3-3'],
    seps: [' '],
    validate: isValidDeTaxId,
    base: [0, 0],
    withContext: 0.9,
  },
  {
    type: 'IN_AADHAAR',
    layouts: ['12', '4-4-4'],
    seps: [' ', '-'],
    validate: isValidAadhaar,
    base: [0, 0],
    withContext: 0.95,
  },
  { type: 'CA_SIN', layouts: ['9', '3-3-3'], seps: [' ', '-'], validate: isValidSin, base: [0, 0], withContext: 0.9 },
  {
    type: 'AU_TFN',
    layouts: ['9', '3-3-3', '8'],
    seps: [' '],
    validate: (d) => tfnChecksum(d) && !allSameChar(d),
    base: [0, 0],
    withContext: 0.9,
  },
  { type: 'PL_PESEL', layouts: ['11'], seps: [], validate: isValidPesel, base: [0, 0], withContext: 0.9 },
  {
    type: 'NL_BSN',
    layouts: ['9', '4-2-3', '3-3-3'],
    seps: ['.', ' ', '-'],
    validate: bsnElevenTest,
    base: [0, 0],
    withContext: 0.9,
  },
  {
    type: 'SE_PERSONNUMMER',
    layouts: ['6-4', '8-4', '10', '12'],
    seps: ['-'],
    validate: isValidPersonnummer,
    base: [0, 0.45],
    withContext: 0.9,
  },
];

function findRunIds(ctx: ScanContext, out: Candidate[]): void {
  const text = ctx.text;
  for (const run of ctx.numberRuns()) {
    // "AB 12 34 56 C": a national insurance number written in pairs
    if (run.groups.length === 3 && run.digits.length === 6 && run.seps[0] === ' ' && run.seps[1] === ' ') {
      const s = run.start - 3;
      const e = run.end + 2;
      if (s < 0 || text[run.start - 1] !== ' ' || text[run.end] !== ' ') continue;
      const tok = text.slice(s, s + 2) + run.digits + text[run.end + 1];
      if (
        !isAlphaCode(text.charCodeAt(s - 1)) &&
        !isAlphaCode(text.charCodeAt(e)) &&
        NINO_RE.test(tok) &&
        !NINO_BAD_PREFIX.has(tok.slice(0, 2))
      ) {
        push(ctx, out, 'UK_NINO', s, e, 0.5, 0.85);
      }
    }
    const n = run.digits.length;
    if (n < 8 || n > 15 || run.plus || run.parens.length > 0) continue;
    const layout = run.groups.join('-');
    const grouped = run.groups.length > 1;
    let boundaryChecked = false;
    for (const spec of RUN_SPECS) {
      if (!spec.layouts.includes(layout)) continue;
      if (grouped && !run.seps.every((s) => spec.seps.includes(s))) continue;
      if (
        spec.type === 'BR_CPF' &&
        grouped &&
        layout === '3-3-3-2' &&
        !(run.seps[0] === '.' && run.seps[1] === '.' && run.seps[2] === '-')
      )
        continue;
      if (!spec.validate(run.digits)) continue;
      if (!boundaryChecked) {
        if (!numericBoundaryOk(text, run.start, run.end)) break;
        boundaryChecked = true;
      }
      push(ctx, out, spec.type, run.start, run.end, spec.base[grouped ? 1 : 0], spec.withContext);
    }
  }
}

export const NATIONAL_ID_TYPES: readonly string[] = Object.keys(CTX);

export const nationalIdRecognizer: Recognizer = {
  id: 'pii.national-id',
  entityTypes: NATIONAL_ID_TYPES,
  find(ctx, out) {
    findTokenIds(ctx, out);
    findRunIds(ctx, out);
  },
};
