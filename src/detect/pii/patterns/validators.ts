/**
 * Checksum validators. Every function takes the bare identifier (separators already removed) and returns
 * true when its check digits are right. They never throw and run in time linear in their input.
 */
import { createHash } from 'node:crypto';
import { keccak256Hex } from './keccak.js';

function digitAt(s: string, i: number): number {
  return s.charCodeAt(i) - 48;
}

export function isAllDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Luhn (mod 10), used by payment cards, Canadian SIN, Swedish personnummer, IMEI. */
export function luhn(digits: string): boolean {
  if (!isAllDigits(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digitAt(digits, i);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** GTIN check digit (EAN-13, UPC-A, EAN-8): digits weighted 3 and 1 alternately from the right of the check digit. */
export function gtin(digits: string): boolean {
  if (!isAllDigits(digits) || digits.length < 8) return false;
  let sum = 0;
  for (let i = digits.length - 2, w = 3; i >= 0; i--, w = 4 - w) sum += digitAt(digits, i) * w;
  return (10 - (sum % 10)) % 10 === digitAt(digits, digits.length - 1);
}

/** Remainder of a decimal string (possibly long) modulo m. */
export function mod(decimal: string, m: number): number {
  let r = 0;
  for (let i = 0; i < decimal.length; i++) r = (r * 10 + digitAt(decimal, i)) % m;
  return r;
}

/** ISO 7064 mod 97-10 as IBANs use it: move the first four characters to the end, letters → 10..35, result mod 97 = 1. */
export function ibanMod97(iban: string): boolean {
  const s = iban.toUpperCase();
  if (s.length < 5) return false;
  const rearranged = s.slice(4) + s.slice(0, 4);
  let r = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    if (c >= 48 && c <= 57) r = (r * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) r = (r * 100 + (c - 55)) % 97;
    else return false;
  }
  return r === 1;
}

const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** Verhoeff (dihedral group D5), used by Aadhaar. The last digit is the check digit. */
export function verhoeff(digits: string): boolean {
  if (!isAllDigits(digits)) return false;
  let c = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = digitAt(digits, digits.length - 1 - i);
    c = VERHOEFF_D[c][VERHOEFF_P[i % 8][d]];
  }
  return c === 0;
}

/** Verhoeff check digit to append to `digits` (used by tests to build valid numbers). */
export function verhoeffCheckDigit(digits: string): number {
  for (let d = 0; d <= 9; d++) if (verhoeff(digits + d)) return d;
  return -1;
}

/** ISO 7064 mod 11,10 (German Steuer-IdNr): the last digit checks the others. */
export function iso7064Mod11_10(digits: string): boolean {
  if (!isAllDigits(digits) || digits.length < 2) return false;
  let product = 10;
  for (let i = 0; i < digits.length - 1; i++) {
    let sum = (digitAt(digits, i) + product) % 10;
    if (sum === 0) sum = 10;
    product = (2 * sum) % 11;
  }
  let check = 11 - product;
  if (check === 10) check = 0;
  return check === digitAt(digits, digits.length - 1);
}

/** ISO 7064 mod 11-2 (Chinese resident identity card): 17 digits and a check character 0-9 or X. */
export function iso7064Mod11_2(id: string): boolean {
  if (id.length < 2 || !isAllDigits(id.slice(0, -1))) return false;
  let sum = 0;
  let weight = 1;
  // weights are 2^k mod 11, k counted from the right starting at 1 for the rightmost data digit
  for (let i = id.length - 2; i >= 0; i--) {
    weight = (weight * 2) % 11;
    sum += digitAt(id, i) * weight;
  }
  const check = (12 - (sum % 11)) % 11;
  const last = id[id.length - 1].toUpperCase();
  return check === 10 ? last === 'X' : last === String(check);
}

/** ABA routing transit number: 3-7-1 weighted sum mod 10. */
export function abaRouting(digits: string): boolean {
  if (digits.length !== 9 || !isAllDigits(digits)) return false;
  const d = (i: number) => digitAt(digits, i);
  const sum = 3 * (d(0) + d(3) + d(6)) + 7 * (d(1) + d(4) + d(7)) + (d(2) + d(5) + d(8));
  return sum % 10 === 0 && sum !== 0;
}

/** Weighted sum of digits with the given weights (weights[i] applies to digit i). */
export function weightedSum(digits: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += digitAt(digits, i) * weights[i];
  return sum;
}

/** UK NHS number: 10 digits, weights 10..2, check = 11 - (sum mod 11), 11 → 0, 10 → invalid. */
export function nhsMod11(digits: string): boolean {
  if (digits.length !== 10 || !isAllDigits(digits)) return false;
  let check = 11 - (weightedSum(digits, [10, 9, 8, 7, 6, 5, 4, 3, 2]) % 11);
  if (check === 11) check = 0;
  if (check === 10) return false;
  return check === digitAt(digits, 9);
}

/** Brazilian CPF: two mod-11 check digits. */
export function cpf(digits: string): boolean {
  if (digits.length !== 11 || !isAllDigits(digits)) return false;
  const dv = (n: number) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += digitAt(digits, i) * (n + 1 - i);
    const r = (sum * 10) % 11;
    return r === 10 ? 0 : r;
  };
  return dv(9) === digitAt(digits, 9) && dv(10) === digitAt(digits, 10);
}

/** Dutch BSN "11-proef": 9 digits, weights 9..2 and -1, sum divisible by 11. */
export function bsnElevenTest(digits: string): boolean {
  if (digits.length !== 9 || !isAllDigits(digits)) return false;
  const sum = weightedSum(digits, [9, 8, 7, 6, 5, 4, 3, 2]) - digitAt(digits, 8);
  return sum % 11 === 0 && sum > 0;
}

/** Polish PESEL: weights 1,3,7,9 repeating; check = (10 - sum mod 10) mod 10. */
export function peselChecksum(digits: string): boolean {
  if (digits.length !== 11 || !isAllDigits(digits)) return false;
  const sum = weightedSum(digits, [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]);
  return (10 - (sum % 10)) % 10 === digitAt(digits, 10);
}

/** Australian TFN: 9 digits, weights 1,4,3,7,5,8,6,9,10, sum divisible by 11 (8-digit legacy: 10,7,8,4,6,3,5,1). */
export function tfnChecksum(digits: string): boolean {
  if (!isAllDigits(digits)) return false;
  if (digits.length === 9) return weightedSum(digits, [1, 4, 3, 7, 5, 8, 6, 9, 10]) % 11 === 0;
  if (digits.length === 8) return weightedSum(digits, [10, 7, 8, 4, 6, 3, 5, 1]) % 11 === 0;
  return false;
}

const NIF_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** Spanish DNI/NIF (8 digits + letter) and NIE (X/Y/Z + 7 digits + letter): the letter is number mod 23. */
export function spanishIdLetter(id: string): boolean {
  const s = id.toUpperCase();
  if (s.length !== 9) return false;
  let num = s.slice(0, 8);
  const lead = 'XYZ'.indexOf(num[0]);
  if (lead >= 0) num = String(lead) + num.slice(1);
  if (!isAllDigits(num)) return false;
  return NIF_LETTERS[mod(num, 23)] === s[8];
}

// Italian codice fiscale: values of characters in odd (1st, 3rd, ...) positions; digits share the letters' values.
const CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

function cfIndex(c: string): number {
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 90) return code - 65;
  return -1;
}

/** Italian fiscal code: the 16th character is a check letter over the first 15. */
export function italianFiscalCodeCheck(code: string): boolean {
  const s = code.toUpperCase();
  if (s.length !== 16) return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const v = cfIndex(s[i]);
    if (v < 0) return false;
    sum += i % 2 === 0 ? CF_ODD[v] : v;
  }
  return String.fromCharCode(65 + (sum % 26)) === s[15];
}

/** French INSEE/NIR: 13 characters (Corsica 2A/2B allowed) and a two-digit key = 97 - (number mod 97). */
export function inseeKey(nir: string): boolean {
  const s = nir.toUpperCase();
  if (s.length !== 15) return false;
  let body = s.slice(0, 13);
  if (body.slice(5, 7) === '2A') body = body.slice(0, 5) + '19' + body.slice(7);
  else if (body.slice(5, 7) === '2B') body = body.slice(0, 5) + '18' + body.slice(7);
  const key = s.slice(13);
  if (!isAllDigits(body) || !isAllDigits(key)) return false;
  return 97 - mod(body, 97) === Number(key);
}

/** Singapore NRIC/FIN: prefix letter, 7 digits, check letter. */
export function nricCheck(id: string): boolean {
  const s = id.toUpperCase();
  if (s.length !== 9) return false;
  const prefix = s[0];
  const digits = s.slice(1, 8);
  if (!isAllDigits(digits)) return false;
  let sum = weightedSum(digits, [2, 7, 6, 5, 4, 3, 2]);
  if (prefix === 'T' || prefix === 'G') sum += 4;
  else if (prefix === 'M') sum += 3;
  const r = sum % 11;
  let table: string;
  if (prefix === 'S' || prefix === 'T') table = 'JZIHGFEDCBA';
  else if (prefix === 'F' || prefix === 'G') table = 'XWUTRQPNMLK';
  else if (prefix === 'M') table = 'KLJNPQRTUWX';
  else return false;
  // M series counts from the other end of its table
  const idx = prefix === 'M' ? 10 - r : r;
  return table[idx] === s[8];
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Decodes base58 (Bitcoin alphabet); null when a character is outside it. Quadratic, so callers bound the length. */
export function base58Decode(s: string): Uint8Array | null {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let carry = BASE58.indexOf(s[i]);
    if (carry < 0) return null;
    for (let j = 0; j < bytes.length; j++) {
      carry += bytes[j] * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  for (let i = 0; i < s.length && s[i] === '1'; i++) bytes.push(0);
  return Uint8Array.from(bytes.reverse());
}

function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}

/** Base58Check: payload + first 4 bytes of double SHA-256. Returns the payload (version byte first) or null. */
export function base58CheckDecode(s: string): Uint8Array | null {
  if (s.length > 64) return null;
  const bytes = base58Decode(s);
  if (!bytes || bytes.length < 5) return null;
  const payload = bytes.subarray(0, bytes.length - 4);
  const check = sha256(sha256(payload));
  for (let i = 0; i < 4; i++) if (check[i] !== bytes[bytes.length - 4 + i]) return null;
  return payload;
}

const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BECH32_GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function bech32Polymod(values: readonly number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= BECH32_GEN[i];
  }
  return chk >>> 0;
}

/** Decodes a bech32 / bech32m string: its human-readable part, data (5-bit words, checksum removed) and variant. */
export function bech32Decode(s: string): { hrp: string; data: number[]; variant: 'bech32' | 'bech32m' } | null {
  if (s.length < 8 || s.length > 90) return null;
  const lower = s.toLowerCase();
  if (s !== lower && s !== s.toUpperCase()) return null;
  const sep = lower.lastIndexOf('1');
  if (sep < 1 || sep + 7 > lower.length) return null;
  const hrp = lower.slice(0, sep);
  const data: number[] = [];
  for (let i = sep + 1; i < lower.length; i++) {
    const v = BECH32_CHARSET.indexOf(lower[i]);
    if (v < 0) return null;
    data.push(v);
  }
  const expanded: number[] = [];
  for (let i = 0; i < hrp.length; i++) expanded.push(hrp.charCodeAt(i) >> 5);
  expanded.push(0);
  for (let i = 0; i < hrp.length; i++) expanded.push(hrp.charCodeAt(i) & 31);
  const pm = bech32Polymod([...expanded, ...data]);
  const variant = pm === 1 ? 'bech32' : pm === 0x2bc830a3 ? 'bech32m' : null;
  if (!variant) return null;
  return { hrp, data: data.slice(0, -6), variant };
}

/** A valid segwit address for the given human-readable part (`bc` mainnet, `tb` testnet), BIP-173/BIP-350. */
export function segwitAddress(s: string, hrps: readonly string[] = ['bc', 'tb']): boolean {
  const d = bech32Decode(s);
  if (!d || !hrps.includes(d.hrp) || d.data.length < 1) return false;
  const version = d.data[0];
  if (version > 16) return false;
  if ((version === 0) !== (d.variant === 'bech32')) return false;
  // convert the 5-bit program to 8-bit bytes; the leftover padding must be under 5 bits and zero
  let acc = 0;
  let bits = 0;
  let len = 0;
  for (const v of d.data.slice(1)) {
    acc = ((acc << 5) | v) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      len++;
    }
  }
  if (bits >= 5 || ((acc << (8 - bits)) & 0xff) !== 0) return false;
  if (len < 2 || len > 40) return false;
  if (version === 0 && len !== 20 && len !== 32) return false;
  return true;
}

/** EIP-55 mixed-case checksum of an Ethereum address (`0x` + 40 hex digits). */
export function eip55(address: string): boolean {
  const hex = address.slice(2);
  if (hex.length !== 40 || !/^[0-9a-fA-F]{40}$/.test(hex)) return false;
  const hash = keccak256Hex(hex.toLowerCase());
  for (let i = 0; i < 40; i++) {
    const c = hex[i];
    if (c >= '0' && c <= '9') continue;
    const upper = Number.parseInt(hash[i], 16) >= 8;
    if (upper !== (c >= 'A' && c <= 'F')) return false;
  }
  return true;
}

/** Applies EIP-55 casing to a lower-case address (tests build valid checksummed addresses with it). */
export function toEip55(address: string): string {
  const hex = address.slice(2).toLowerCase();
  const hash = keccak256Hex(hex);
  let out = '0x';
  for (let i = 0; i < hex.length; i++) out += Number.parseInt(hash[i], 16) >= 8 ? hex[i].toUpperCase() : hex[i];
  return out;
}

/** Gregorian date check (month 1-12, day within the month). */
export function isValidDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = [
    31,
    (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  return day <= days[month - 1];
}
