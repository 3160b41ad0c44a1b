/**
 * Credentials and secrets detector: provider tokens (with checksum validation where the format has
 * one), private keys, JWTs, connection strings and URLs with passwords, and generic high-entropy
 * secrets assigned to secret-looking keys. Linear time on any input; see docs/detectors/secrets.md.
 */
import { defineDetector } from '../../core/detector.js';
import type { Match } from '../../core/finding.js';
import { PROVIDER_RULES, SECRET_RULES } from './rules.js';
import { compileRules, scanSecrets } from './scan.js';

export { base62Decode, base62Encode, crc32, hasValidCrc32Checksum, withCrc32Checksum } from './checksums.js';
export { isPlaceholder, shannonEntropy } from './entropy.js';
export type { RuleCategory, SecretRule } from './types.js';
export { PROVIDER_RULES, SECRET_RULES };

const COMPILED = compileRules(SECRET_RULES);

/** Every entity type the secrets detector can report. */
export const SECRET_ENTITY_TYPES: readonly string[] = [...new Set(SECRET_RULES.map((r) => r.type))].sort();

/** Finds secrets in `text`; offsets are string indices into `text`. Overlapping hits are resolved. */
export function detectSecrets(text: string): Match[] {
  return scanSecrets(text, COMPILED);
}

export const secretsDetector = defineDetector({
  id: 'secrets',
  risk: 'privacy.secret',
  entityTypes: SECRET_ENTITY_TYPES,
  description:
    'API keys and tokens of 100+ providers (checksum-validated where possible), private keys, JWTs, credentials in URLs and connection strings, generic high-entropy secrets',
  detect(text, options) {
    const matches = detectSecrets(text);
    const wanted = options.entities;
    return wanted ? matches.filter((m) => wanted.has(m.type)) : matches;
  },
});
