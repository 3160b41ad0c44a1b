import { LifeguardError } from '../../errors.js';
import { intOption, keyedDigest, requireKey } from '../keys.js';
import { defineOperator } from '../operator.js';
import { GENERATORS } from '../pseudonym/generators.js';
import { Prng } from '../pseudonym/prng.js';
import type { PseudonymOptions } from '../types.js';

/**
 * `pseudonym`: a realistic fake value shaped like the original (see docs/redaction.md for each type).
 * Seed = HMAC-SHA256(key, type + '\0' + value), expanded by a small PRNG: the same value, type and key
 * always give the same pseudonym. Within a session two values never share one: on a clash (or when the
 * fake equals the original) the next draw is seeded with HMAC(key, type + '\0' + value + '\0' + attempt).
 * Types without a generator get `<TYPE_hash>`.
 */
export const pseudonym = defineOperator<PseudonymOptions>({
  name: 'pseudonym',
  description: 'consistent, format-preserving fake values (names, emails, valid-checksum cards and IBANs, …)',
  check(options, env) {
    requireKey(env.key, 'pseudonym');
    intOption(options.hashLength, 12, 4, 64, 'pseudonym.hashLength');
    if (options.dateShiftDays !== undefined) {
      intOption(options.dateShiftDays, 0, -36_500, 36_500, 'pseudonym.dateShiftDays');
      if (options.dateShiftDays === 0) {
        throw new LifeguardError('LG_ERR_INPUT_INVALID', 'pseudonym option dateShiftDays must not be 0');
      }
    }
    if (options.dateOrder !== undefined && options.dateOrder !== 'mdy' && options.dateOrder !== 'dmy') {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', "pseudonym option dateOrder must be 'mdy' or 'dmy'");
    }
  },
  apply({ type, label, value, key, session }, options) {
    const secret = requireKey(key, 'pseudonym');
    const seed = keyedDigest(secret, type, value);
    const placeholder = () => `<${label}_${seed.toString('hex').slice(0, options.hashLength ?? 12)}>`;
    const generate = GENERATORS[label];
    if (generate === undefined) return placeholder();
    const first = generate(value, new Prng(seed), options);
    if (first === undefined) return placeholder(); // not shaped like this type (e.g. an unparseable date)
    return session.pseudonymFor(
      label,
      `${label}\0${seed.toString('base64')}`,
      (attempt) => {
        const fake =
          attempt === 0 ? first : generate(value, new Prng(keyedDigest(secret, type, value, String(attempt))), options);
        return fake === value ? undefined : fake;
      },
      placeholder,
    );
  },
});
