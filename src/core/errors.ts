/** Stable error codes, documented in docs/errors.md. */
export type ErrorCode =
  | 'LG_ERR_CONFIG_INVALID'
  | 'LG_ERR_UNKNOWN_DETECTOR'
  | 'LG_ERR_INPUT_INVALID'
  | 'LG_ERR_INPUT_TOO_LARGE'
  | 'LG_ERR_VAULT'
  | 'LG_ERR_MODEL'
  | 'LG_ERR_UPSTREAM';

const MARK = Symbol.for('lifeguard.error');

/** One error family for the whole toolkit; the message says how to fix it. */
export class LifeguardError extends Error {
  readonly [MARK] = true;
  readonly code: ErrorCode;
  /** Whether retrying the same call may succeed (upstream errors only). */
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.name = 'LifeguardError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }

  /** Works across copies of the package, unlike `instanceof`. */
  static isInstance(value: unknown): value is LifeguardError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARK] === true;
  }
}

/**
 * Why `JSON.parse` failed, without the input: V8 quotes up to ten characters of it (`Unexpected token 'b',
 * "{"a":bob@exampl"... is not valid JSON`), so an error line of `redact --jsonl` (or a quarantine reason) printed the start of the
 * unredacted value it could not read. The quoted text and the token are dropped; positions are kept.
 */
export function jsonErrorMessage(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (/^Unexpected token\b/.test(message) || /" is not valid JSON$|"\.\.\. is not valid JSON$/.test(message)) {
    const at = /at position (\d+)/.exec(message);
    return `unexpected token${at ? ` at position ${at[1]}` : ''}: the line is not valid JSON`;
  }
  return message;
}
