import { intOption, keyedDigest, requireKey } from '../keys.js';
import { defineOperator } from '../operator.js';
import type { HashOptions } from '../types.js';

/**
 * `hash`: `<TYPE:hex>` where hex is the first `length` hex characters of
 * HMAC-SHA256(key, type + '\0' + value). Same key and value → same hash, so records stay joinable;
 * without the key the value cannot be confirmed by guessing.
 */
export const hash = defineOperator<HashOptions>({
  name: 'hash',
  description: 'keyed HMAC-SHA256 digest, <TYPE:3f2a9c1b5e6d7a80>',
  check(options, env) {
    requireKey(env.key, 'hash');
    intOption(options.length, 16, 4, 64, 'hash.length');
  },
  apply({ type, label, value, key }, options) {
    const digest = keyedDigest(requireKey(key, 'hash'), type, value).toString('hex');
    return `<${label}:${digest.slice(0, options.length ?? 16)}>`;
  },
});
