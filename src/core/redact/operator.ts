import { LifeguardError } from '../errors.js';
import type { RedactionSession } from './session.js';
import type { Vault } from './vault.js';

const MARK = Symbol.for('lifeguard.redact.operator');

/** What every operator of one `redact` call shares. */
export interface OperatorEnv {
  /** The `key` option as bytes, when given. */
  readonly key?: Uint8Array;
  readonly vault?: Vault;
  readonly session: RedactionSession;
}

/** One span to replace. `value` is the original text: operators must never log it or put it in an error. */
export interface OperatorContext extends OperatorEnv {
  /** The finding's entity type as reported, e.g. `EMAIL_ADDRESS`. */
  readonly type: string;
  /** The type as it appears in placeholders: upper case, `[A-Z0-9_]` only. */
  readonly label: string;
  readonly value: string;
  /** The whole input text and the span's UTF-16 offsets in it. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Tag-shaped tokens (`<ABC_1>`) already present in the input; new tags must avoid them. */
  readonly existingTags: ReadonlySet<string>;
}

export interface OperatorDefinition<O = unknown> {
  /** Lower-case id, e.g. `mask`. */
  name: string;
  description: string;
  /** Called once per call and operator before anything is replaced; throw here for missing keys or bad options. */
  check?(options: O, env: OperatorEnv): void;
  /** Returns the replacement for one span. */
  apply(context: OperatorContext, options: O): string;
}

/** A redaction strategy. Create with `defineOperator`. */
export interface Operator<O = unknown> extends OperatorDefinition<O> {
  readonly [MARK]: true;
}

/** Defines an operator: a name, a description and `apply`, plus an optional up-front `check`. */
export function defineOperator<O = unknown>(definition: OperatorDefinition<O>): Operator<O> {
  if (!/^[a-z][a-z0-9-]*$/.test(definition.name)) {
    throw new LifeguardError(
      'LG_ERR_INPUT_INVALID',
      `operator name "${definition.name}" must be a lower-case word (letters, digits, dashes)`,
    );
  }
  if (typeof definition.apply !== 'function') {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `operator "${definition.name}" needs an apply(context, options)`);
  }
  return Object.freeze({ ...definition, [MARK]: true as const });
}

export function isOperator(value: unknown): value is Operator {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARK] === true;
}
