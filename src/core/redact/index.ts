/**
 * Redaction: replace what detectors found with masks, tags, keyed hashes, realistic pseudonyms or
 * reversible vault tags. See docs/redaction.md.
 */
export { MIN_KEY_BYTES } from './keys.js';
export {
  defineOperator,
  isOperator,
  type Operator,
  type OperatorContext,
  type OperatorDefinition,
  type OperatorEnv,
} from './operator.js';
export { operatorsUsed, parseOperatorList } from './operator-list.js';
export { checkFindings, type ResolvedSpan, resolveOverlaps } from './overlap.js';
export { redact } from './redact.js';
export { getOperator, isOperatorName, OPERATORS, operatorNames } from './registry.js';
export { createRestoreStream, restore, restoreChunks, StreamingRestorer } from './restore.js';
export { RedactionSession } from './session.js';
export type {
  HashOptions,
  MaskOptions,
  NoOptions,
  OperatorChoice,
  OperatorMap,
  OperatorName,
  OperatorOptionsMap,
  OperatorSpec,
  PseudonymOptions,
  RedactOptions,
  RedactResult,
  Replacement,
  ReplaceOptions,
} from './types.js';
export {
  lockVaultFile,
  type ScryptParams,
  VAULT_VERSION,
  Vault,
  type VaultEnvelope,
  type VaultSealOptions,
} from './vault.js';
