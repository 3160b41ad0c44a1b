import { createHmac } from 'node:crypto';
import { LifeguardError } from '../errors.js';

/** Shortest secret accepted for `hash` and `pseudonym`. */
export const MIN_KEY_BYTES = 16;

/** The `key` option as bytes; checks its type but not its presence. */
export function keyBytes(key: string | Uint8Array | undefined): Uint8Array | undefined {
  if (key === undefined) return undefined;
  if (typeof key === 'string') return Buffer.from(key, 'utf8');
  if (key instanceof Uint8Array) return key;
  throw new LifeguardError('LG_ERR_INPUT_INVALID', 'redact option `key` must be a string or a Uint8Array');
}

/** The key an operator needs, or an error that says how to pass one. Never echoes the key. */
export function requireKey(key: Uint8Array | undefined, operator: string): Uint8Array {
  if (key === undefined || key.length === 0) {
    throw new LifeguardError(
      'LG_ERR_INPUT_INVALID',
      `the "${operator}" operator needs a secret key: pass it as the \`key\` redact option, e.g. ` +
        `redact(text, findings, { operator: '${operator}', key: process.env.LIFEGUARD_REDACT_KEY }), ` +
        `with at least ${MIN_KEY_BYTES} random bytes (for instance crypto.randomBytes(32).toString('base64')); ` +
        'keep the same key to get the same outputs across runs',
    );
  }
  if (key.length < MIN_KEY_BYTES) {
    throw new LifeguardError(
      'LG_ERR_INPUT_INVALID',
      `the "${operator}" operator's key is ${key.length} bytes long; use at least ${MIN_KEY_BYTES} random bytes`,
    );
  }
  return key;
}

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * A string's UTF-8 bytes, with each lone surrogate written as its own three bytes (WTF-8) instead of the U+FFFD
 * that `Buffer.from(s, 'utf8')` puts for every one: with that, `'x\uD800'`, `'x\uDBFF'` and `'x\uFFFD'` were the
 * same bytes, so two different values got the same hash, pseudonym and session tag. A well-formed string gives
 * exactly its UTF-8 (so every existing hash and pseudonym stays as it was); an ill-formed one gives bytes no
 * well-formed string has (`ED A0..BF xx` is not UTF-8).
 */
export function exactBytes(value: string): Buffer {
  if (!LONE_SURROGATE.test(value)) return Buffer.from(value, 'utf8');
  const parts: Buffer[] = [];
  for (const piece of value.split(/(\p{Cs})/u)) {
    const code = piece.length === 1 ? piece.charCodeAt(0) : -1;
    if (code >= 0xd800 && code <= 0xdfff) {
      parts.push(Buffer.from([0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]));
    } else if (piece !== '') {
      parts.push(Buffer.from(piece, 'utf8'));
    }
  }
  return Buffer.concat(parts);
}

/** HMAC-SHA256(key, type + '\0' + value [+ '\0' + extra]): the seed of hashes and pseudonyms. */
export function keyedDigest(key: Uint8Array, type: string, value: string, extra?: string): Buffer {
  const mac = createHmac('sha256', key).update(exactBytes(type)).update('\0').update(exactBytes(value));
  if (extra !== undefined) mac.update('\0').update(extra, 'utf8');
  return mac.digest();
}

/** The type as it appears in placeholders: upper case letters, digits and `_` only. */
export function typeLabel(type: string): string {
  const label = type
    .toUpperCase()
    .replace(/[^A-Z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return label === '' ? 'ENTITY' : label;
}

/** An integer option in [min, max], or an error naming the option. */
export function intOption(value: number | undefined, fallback: number, min: number, max: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `redact option ${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}
