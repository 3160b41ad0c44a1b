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

/** HMAC-SHA256(key, type + '\0' + value [+ '\0' + extra]): the seed of hashes and pseudonyms. */
export function keyedDigest(key: Uint8Array, type: string, value: string, extra?: string): Buffer {
  const mac = createHmac('sha256', key).update(type, 'utf8').update('\0').update(value, 'utf8');
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
