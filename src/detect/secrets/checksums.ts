/**
 * Checksums and encodings used to validate token formats: CRC32 (IEEE, as in zlib), base62 (the
 * `0-9A-Za-z` alphabet GitHub and npm use for their token checksums) and tolerant base64 decoding.
 */

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC32 (IEEE 802.3 polynomial) of a string's UTF-16 code units taken as bytes; tokens are ASCII. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    crc = (crc >>> 8) ^ CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff];
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Base62-encodes a non-negative integer, left-padded with `0` to `width` characters. */
export function base62Encode(value: number, width = 0): string {
  let n = Math.floor(value);
  let out = '';
  do {
    out = BASE62_ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  } while (n > 0);
  return out.padStart(width, '0');
}

function base62Digit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 90) return code - 55;
  if (code >= 97 && code <= 122) return code - 61;
  return -1;
}

/** Decodes a base62 string (at most 8 characters, so the result stays exact); NaN when invalid. */
export function base62Decode(text: string): number {
  if (text.length === 0 || text.length > 8) return Number.NaN;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const d = base62Digit(text.charCodeAt(i));
    if (d < 0) return Number.NaN;
    n = n * 62 + d;
  }
  return n;
}

/**
 * GitHub (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and npm (`npm_`) tokens: `prefix_` + 30 random base62
 * characters + the 6-character base62 CRC32 of those 30 characters.
 */
export function hasValidCrc32Checksum(token: string): boolean {
  const underscore = token.indexOf('_');
  const body = token.slice(underscore + 1);
  if (body.length !== 36) return false;
  const expected = base62Decode(body.slice(30));
  return expected === crc32(body.slice(0, 30));
}

/** Appends the checksum that makes `prefix + random30` a well-formed GitHub / npm style token. */
export function withCrc32Checksum(prefix: string, random30: string): string {
  return prefix + random30 + base62Encode(crc32(random30), 6);
}

/**
 * Decodes standard or URL-safe base64 (padding optional) to a binary string (one char per byte).
 * Returns null when the input is not base64.
 */
export function decodeBase64(text: string): string | null {
  let s = text.replace(/-/g, '+').replace(/_/g, '/');
  const rem = s.length % 4;
  if (rem === 1) return null;
  if (rem > 0) s += '='.repeat(4 - rem);
  try {
    return atob(s);
  } catch {
    return null;
  }
}
