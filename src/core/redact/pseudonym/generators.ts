import type { PseudonymOptions } from '../types.js';
import { ibanCheckDigits, luhnCheckDigit } from './checksums.js';
import { shiftDate } from './date.js';
import {
  CALLING_CODES,
  CITIES,
  DOC_IPV4_PREFIXES,
  EXAMPLE_DOMAINS,
  FIRST_NAMES,
  LAST_NAMES,
  ORG_KINDS,
  ORG_NAMES,
  ORG_SUFFIXES,
  STREET_SUFFIXES,
  STREETS,
  WORDS,
} from './lists.js';
import type { Prng } from './prng.js';

/** Makes one fake value shaped like `value`, or `undefined` when `value` does not have the expected shape. */
export type Generator = (value: string, rng: Prng, options: PseudonymOptions) => string | undefined;

/** Copies the original's case when it is all upper or all lower case. */
function caseLike(original: string, fake: string): string {
  const upper = /\p{Lu}/u.test(original);
  const lower = /\p{Ll}/u.test(original);
  if (upper && !lower) return fake.toUpperCase();
  if (lower && !upper) return fake.toLowerCase();
  return fake;
}

/** Writes `digits` over the digits of `value`, leaving every other character in place. */
function overwriteDigits(value: string, digits: string): string {
  let i = 0;
  return value.replace(/\d/g, () => digits[i++] as string);
}

const person: Generator = (value, rng) => caseLike(value, `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`);
const firstName: Generator = (value, rng) => caseLike(value, rng.pick(FIRST_NAMES));
const lastName: Generator = (value, rng) => caseLike(value, rng.pick(LAST_NAMES));

const email: Generator = (_value, rng) => {
  const local = `${rng.pick(FIRST_NAMES)}.${rng.pick(LAST_NAMES)}`.toLowerCase();
  const suffix = rng.bool() ? String(rng.range(1, 99)) : '';
  return `${local}${suffix}@${rng.pick(EXAMPLE_DOMAINS)}`;
};

/** The country calling code at the start of `digits` (codes are prefix-free), or its first digit. */
function callingCode(digits: string): string {
  for (let n = 1; n <= 3; n++) {
    const code = digits.slice(0, n);
    if (CALLING_CODES.has(code)) return code;
  }
  return digits.slice(0, 1);
}

/** A trailing extension as the phone detector includes it in the span: ` x123`, `ext. 12`, `extension 4`, `#7`. */
const PHONE_EXTENSION = /\s?(?:x|ext\.?|extension|#)\s?\d{1,6}$/i;

const phone: Generator = (value, rng) => {
  // The extension is split off first: counted with the number, a North American number with one had 13 digits,
  // was not taken for one and got real-looking digits instead of the fictional 555-01XX range.
  const ext = PHONE_EXTENSION.exec(value);
  const fake = phoneNumber(ext ? value.slice(0, ext.index) : value, rng);
  return fake === undefined || ext === null ? fake : fake + ext[0].replace(/\d/g, () => rng.digit());
};

function phoneNumber(value: string, rng: Prng): string | undefined {
  const digits = value.replace(/\D/g, '');
  if (digits.length < 4) return undefined;
  const trimmed = value.trimStart();
  const intl = trimmed.startsWith('+') ? 0 : trimmed.startsWith('00') ? 2 : -1;
  let keep = 0;
  let code = '';
  if (intl >= 0) {
    code = callingCode(digits.slice(intl));
    keep = intl + code.length;
  } else if (digits.length === 11 && digits[0] === '1') {
    code = '1'; // 1-800-…: trunk prefix of the North American plan
    keep = 1;
  }
  const national = digits.slice(keep);
  const nanp = national.length === 10 && (code === '1' || (intl < 0 && /^[2-9]/.test(national)));
  let fresh = '';
  if (nanp) {
    // North American numbers: the fictional 555-0100…0199 range, never a real subscriber.
    let area: string;
    do area = `${rng.range(2, 9)}${rng.digit()}${rng.digit()}`;
    while (area[1] === '1' && area[2] === '1');
    fresh = `${area}55501${rng.digit()}${rng.digit()}`;
  } else {
    for (let i = 0; i < national.length; i++) {
      if (i === 0 && national[0] === '0')
        fresh += '0'; // trunk prefix
      else if (fresh === '' || fresh === '0') fresh += String(rng.range(2, 9));
      else fresh += rng.digit();
    }
  }
  return overwriteDigits(value, digits.slice(0, keep) + fresh);
}

const creditCard: Generator = (value, rng) => {
  const digits = value.replace(/\D/g, '');
  if (digits.length < 8 || digits.length > 19) return undefined;
  let payload = digits[0] as string;
  while (payload.length < digits.length - 1) payload += rng.digit();
  return overwriteDigits(value, payload + luhnCheckDigit(payload));
};

const iban: Generator = (value, rng) => {
  const compact = value.replace(/[\s-]/g, '');
  const m = /^([A-Za-z]{2})(\d{2})([A-Za-z0-9]{4,30})$/.exec(compact);
  if (!m) return undefined;
  const country = (m[1] as string).toUpperCase();
  let bban = '';
  for (const ch of m[3] as string) {
    if (/\d/.test(ch)) bban += rng.digit();
    else bban += String.fromCharCode(65 + rng.int(26));
  }
  const fake = `${country}${ibanCheckDigits(country, bban)}${bban}`;
  let i = 0;
  const out = value.replace(/[A-Za-z0-9]/g, (ch) => {
    const next = fake[i++] as string;
    return ch === ch.toLowerCase() && ch !== ch.toUpperCase() ? next.toLowerCase() : next;
  });
  return out;
};

const ssn: Generator = (value, rng) => {
  const digits = value.replace(/\D/g, '');
  if (digits.length !== 9) return undefined;
  let area: number;
  do area = rng.range(1, 899);
  while (area === 666);
  const group = rng.range(1, 99);
  const serial = rng.range(1, 9999);
  const fake = `${String(area).padStart(3, '0')}${String(group).padStart(2, '0')}${String(serial).padStart(4, '0')}`;
  return overwriteDigits(value, fake);
};

const ip: Generator = (value, rng) => {
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?!\d)([\s\S]*)$/.exec(value);
  if (v4) return `${rng.pick(DOC_IPV4_PREFIXES)}.${rng.range(1, 254)}${v4[2]}`;
  const v6 =
    /^(\[?)([0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\.\d{1,3}){0,3})(\]?)((?:%[\w.]+)?(?:\/\d{1,3})?(?::\d+)?)$/.exec(
      value,
    );
  if (v6) {
    const groups = ['2001', 'db8'];
    for (let i = 0; i < 6; i++) groups.push(rng.int(0x10000).toString(16));
    const address = groups.join(':');
    const upper = /[A-F]/.test(v6[2] as string) && !/[a-f]/.test(v6[2] as string);
    return `${v6[1]}${upper ? address.toUpperCase() : address}${v6[3]}${v6[4]}`;
  }
  return undefined;
};

function host(rng: Prng, www: boolean): string {
  return `${www ? 'www.' : ''}${rng.pick(WORDS)}-${rng.pick(WORDS)}.${rng.pick(EXAMPLE_DOMAINS)}`;
}

const url: Generator = (value, rng) => {
  // The path starts at a `/`: written `([^?#\s]*)`, it could also take the end of the host, and a value that
  // failed late (a space at its end) was retried at every host/path split: quadratic, minutes for 1 MB.
  const m = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)?([^/?#\s]+)(\/[^?#\s]*)?(\?[^#\s]*)?(#\S*)?$/.exec(value);
  if (!m) return undefined;
  const authority = (m[2] as string).replace(/^.*@/, '');
  let out = `${m[1] ?? ''}${host(rng, /^www\./i.test(authority))}`;
  const path = m[3] ?? '';
  if (path !== '') out += path.replace(/[^/]+/g, () => rng.pick(WORDS));
  if (m[4] !== undefined) out += `?ref=${rng.pick(WORDS)}`;
  if (m[5] !== undefined) out += `#${rng.pick(WORDS)}`;
  return out;
};

const domain: Generator = (value, rng) => host(rng, /^www\./i.test(value));

const location: Generator = (value, rng) => caseLike(value, rng.pick(CITIES));

const address: Generator = (value, rng) => {
  let out = `${rng.range(1, 9999)} ${rng.pick(STREETS)} ${rng.pick(STREET_SUFFIXES)}`;
  if (value.includes(',')) out += `, ${rng.pick(CITIES)}`;
  return caseLike(value, out);
};

const organization: Generator = (value, rng) =>
  caseLike(value, `${rng.pick(ORG_NAMES)} ${rng.pick(ORG_KINDS)} ${rng.pick(ORG_SUFFIXES)}`);

const date: Generator = (value, rng, options) => {
  const days = options.dateShiftDays ?? (rng.bool() ? 1 : -1) * rng.range(1, 365);
  return shiftDate(value, days, options.dateOrder ?? 'mdy');
};

/** Generators by entity type label, with common aliases. Other types get `<TYPE_hash>`. */
export const GENERATORS: Readonly<Record<string, Generator>> = Object.freeze({
  PERSON: person,
  PER: person,
  NAME: person,
  FULL_NAME: person,
  PERSON_NAME: person,
  FIRST_NAME: firstName,
  GIVEN_NAME: firstName,
  LAST_NAME: lastName,
  SURNAME: lastName,
  FAMILY_NAME: lastName,
  EMAIL_ADDRESS: email,
  EMAIL: email,
  PHONE_NUMBER: phone,
  PHONE: phone,
  CREDIT_CARD: creditCard,
  CREDIT_CARD_NUMBER: creditCard,
  IBAN_CODE: iban,
  IBAN: iban,
  US_SSN: ssn,
  SSN: ssn,
  IP_ADDRESS: ip,
  IP: ip,
  URL: url,
  DOMAIN_NAME: domain,
  DOMAIN: domain,
  HOSTNAME: domain,
  LOCATION: location,
  LOC: location,
  GPE: location,
  CITY: location,
  ADDRESS: address,
  STREET_ADDRESS: address,
  ORGANIZATION: organization,
  ORG: organization,
  COMPANY: organization,
  DATE_TIME: date,
  DATE: date,
  DATE_OF_BIRTH: date,
  DOB: date,
});
