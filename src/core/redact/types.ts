import type { Operator } from './operator.js';
import type { RedactionSession } from './session.js';
import type { Vault } from './vault.js';

/** Names of the built-in operators, as listed in the registry (`OPERATORS`). */
export type OperatorName = 'mask' | 'tag' | 'hash' | 'pseudonym' | 'vault' | 'replace' | 'remove';

/** `mask`: overwrite the value character by character (Unicode code points), keeping its length. */
export interface MaskOptions {
  /** The masking character, one code point (default `*`). */
  char?: string;
  /** Leave the last N maskable characters visible, e.g. `4` for the end of a card number (default 0). */
  keepLast?: number;
  /** Leave the first N maskable characters visible (default 0). */
  keepFirst?: number;
  /** Characters left as they are and not counted by keepFirst/keepLast, e.g. `' -'` (default none). */
  preserve?: string;
}

/** `hash`: keyed HMAC-SHA256 digest shown as `<TYPE:hex>`. */
export interface HashOptions {
  /** Hex characters of the digest to show, 4–64 (default 16). */
  length?: number;
}

/** `replace`: a fixed string. `{type}` in it becomes the entity type. */
export interface ReplaceOptions {
  /** The replacement (default `<{type}>`, e.g. `<EMAIL_ADDRESS>`). */
  with?: string;
}

/** `pseudonym`: consistent, realistic, format-preserving fake values. */
export interface PseudonymOptions {
  /** Shift every parsed DATE_TIME by exactly this many days (default: a per-value shift of 1–365 days either way). */
  dateShiftDays?: number;
  /** How to read ambiguous numeric dates such as `03/04/2021` (default `mdy`). */
  dateOrder?: 'mdy' | 'dmy';
  /** Hex characters in the `<TYPE_hash>` fallback used for types without a generator, 4–64 (default 12). */
  hashLength?: number;
}

/** Options type of operators that take none. */
export type NoOptions = Record<string, never>;

/** The options each built-in operator accepts. */
export interface OperatorOptionsMap {
  mask: MaskOptions;
  tag: NoOptions;
  hash: HashOptions;
  pseudonym: PseudonymOptions;
  vault: NoOptions;
  replace: ReplaceOptions;
  remove: NoOptions;
}

/** A built-in operator with options for one entity type, e.g. `{ operator: 'mask', options: { keepLast: 4 } }`. */
export type OperatorSpec =
  | { [K in OperatorName]: { operator: K; options?: OperatorOptionsMap[K] } }[OperatorName]
  | { operator: Operator; options?: unknown };

/** What can be chosen for a type: a built-in name, a name with options, or a custom `defineOperator(...)` operator. */
export type OperatorChoice = OperatorName | OperatorSpec | Operator;

/**
 * Per-type choice: `{ default: 'tag', CREDIT_CARD: { operator: 'mask', options: { keepLast: 4 } } }`.
 * Types are matched exactly first, then case-insensitively. Types not listed use `default` (itself `tag` when absent).
 */
export interface OperatorMap {
  default?: OperatorChoice;
  readonly [type: string]: OperatorChoice | undefined;
}

export interface RedactOptions {
  /** One operator for every finding, or a per-type map. */
  operator: OperatorChoice | OperatorMap;
  /** Secret for `hash` and `pseudonym`: at least 16 bytes (a string is UTF-8 encoded). */
  key?: string | Uint8Array;
  /** Shares tag numbers and pseudonyms across calls (a conversation, a stream). A fresh one per call when absent. */
  session?: RedactionSession;
  /** Where the `vault` operator records `tag → original`; required when that operator is used. */
  vault?: Vault;
  /**
   * With a vault: numbered tags already written in the input (`<EMAIL_ADDRESS_1>` in a template or pasted,
   * already redacted text) are kept as literals, so `restore` gives them back as written instead of whatever
   * value the vault holds under that tag. For redacting stored text (`lifeguard redact --operator vault`). Off
   * by default: the guard sends a model placeholders it echoes back, and those must be restored.
   */
  reserveLiteralTags?: boolean;
  /** Defaults for the built-in operators; a per-type `OperatorSpec.options` is laid over them. */
  mask?: MaskOptions;
  hash?: HashOptions;
  replace?: ReplaceOptions;
  pseudonym?: PseudonymOptions;
}

/** One applied replacement. Never carries the original value. */
export interface Replacement {
  /** The entity type of the finding that won the span (see `resolveOverlaps`). */
  type: string;
  /** The operator that produced the replacement. */
  operator: string;
  /** UTF-16 offsets of the replaced span in the input text. */
  start: number;
  end: number;
  replacement: string;
  /** UTF-16 offsets of the replacement in the output text. */
  newStart: number;
  newEnd: number;
}

export interface RedactResult {
  text: string;
  /** In text order. */
  replacements: Replacement[];
}
