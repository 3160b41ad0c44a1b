import { LifeguardError } from '../../errors.js';
import { intOption } from '../keys.js';
import { defineOperator } from '../operator.js';
import type { MaskOptions } from '../types.js';

/**
 * `mask`: every character (code point) becomes `char`, so the length in characters is kept. `keepFirst` /
 * `keepLast` leave the ends visible, counting only maskable characters; when they would reveal the whole
 * value, everything is masked. `preserve` lists characters left as they are (e.g. `' -'`).
 */
export const mask = defineOperator<MaskOptions>({
  name: 'mask',
  description: 'replace each character with a mask character, optionally keeping the first/last N',
  check(options) {
    const char = options.char ?? '*';
    // A lone surrogate is one "character" to Array.from, and masked every value into ill-formed UTF-16.
    if (typeof char !== 'string' || Array.from(char).length !== 1 || /\p{Cs}/u.test(char)) {
      throw new LifeguardError(
        'LG_ERR_INPUT_INVALID',
        'mask option `char` must be exactly one character (a whole code point, not half of a surrogate pair)',
      );
    }
    intOption(options.keepLast, 0, 0, 1_000_000, 'mask.keepLast');
    intOption(options.keepFirst, 0, 0, 1_000_000, 'mask.keepFirst');
    if (options.preserve !== undefined && typeof options.preserve !== 'string') {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', 'mask option `preserve` must be a string of characters');
    }
  },
  apply({ value }, options) {
    const char = options.char ?? '*';
    const preserve = new Set(Array.from(options.preserve ?? ''));
    const chars = Array.from(value);
    const maskable = chars.filter((c) => !preserve.has(c)).length;
    let keepFirst = options.keepFirst ?? 0;
    let keepLast = options.keepLast ?? 0;
    if (keepFirst + keepLast >= maskable) {
      keepFirst = 0;
      keepLast = 0;
    }
    let seen = 0;
    return chars
      .map((c) => {
        if (preserve.has(c)) return c;
        seen += 1;
        return seen <= keepFirst || seen > maskable - keepLast ? c : char;
      })
      .join('');
  },
});
