import { randomFillSync } from 'node:crypto';

/** Crockford's base32: digits and upper-case letters without I, L, O, U; sorts the same as bytes. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_CHARS = 10;
const RANDOM_BYTES = 10;
const MAX_TIME = 2 ** 48 - 1;
export const AUDIT_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

let lastTime = -1;
let lastRandom: Uint8Array = new Uint8Array(RANDOM_BYTES);

/**
 * Random bytes drawn 4 KB at a time: one draw per id costs more (a crypto job per call) than the rest of
 * the id, and a gateway makes one per request. Each id still takes fresh bytes from the CSPRNG's output.
 */
const POOL_BYTES = 4096;
const pool = new Uint8Array(POOL_BYTES);
let poolAt = POOL_BYTES;

function freshRandom(): Uint8Array {
  if (poolAt + RANDOM_BYTES > POOL_BYTES) {
    randomFillSync(pool);
    poolAt = 0;
  }
  // A copy: increment() changes lastRandom in place.
  const bytes = pool.slice(poolAt, poolAt + RANDOM_BYTES);
  poolAt += RANDOM_BYTES;
  return bytes;
}

function encodeTime(ms: number): string {
  let out = '';
  let t = ms;
  for (let i = 0; i < TIME_CHARS; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

/** 80 bits as 16 base32 characters, five bits at a time, most significant first. */
function encodeRandom(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return out;
}

/** Adds one to the 80-bit big-endian number; false on overflow. */
function increment(bytes: Uint8Array): boolean {
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (bytes[i] !== 255) {
      bytes[i] = (bytes[i] as number) + 1;
      return true;
    }
    bytes[i] = 0;
  }
  return false;
}

/**
 * A new audit id in the ULID layout: 48 bits of epoch milliseconds, then 80 random bits, in 26 base32
 * characters. Ids made in the same millisecond by this process increase (the random part counts up), so
 * ordering by id orders by time and, within a millisecond, by creation.
 */
export function newAuditId(ms: number = Date.now()): string {
  const t = Math.min(Math.max(Math.floor(ms), 0), MAX_TIME);
  if (t !== lastTime || !increment(lastRandom)) {
    lastRandom = freshRandom();
    lastTime = t;
  }
  return encodeTime(t) + encodeRandom(lastRandom);
}

/** The milliseconds encoded in an audit id. */
export function auditIdTime(id: string): number {
  let t = 0;
  for (let i = 0; i < TIME_CHARS; i++) t = t * 32 + ALPHABET.indexOf(id[i] as string);
  return t;
}
