import { LifeguardError } from '../errors.js';
import type { Operator } from './operator.js';
import { hash } from './operators/hash.js';
import { mask } from './operators/mask.js';
import { pseudonym } from './operators/pseudonym.js';
import { remove, replace } from './operators/replace.js';
import { tag } from './operators/tag.js';
import { vault } from './operators/vault.js';
import type { OperatorName, OperatorOptionsMap } from './types.js';

/** Every built-in operator, by name. */
export const OPERATORS: { readonly [K in OperatorName]: Operator<OperatorOptionsMap[K]> } = Object.freeze({
  mask,
  tag,
  hash,
  pseudonym,
  vault,
  replace,
  remove,
});

/** The built-in operator names. */
export function operatorNames(): OperatorName[] {
  return Object.keys(OPERATORS) as OperatorName[];
}

export function isOperatorName(name: unknown): name is OperatorName {
  return typeof name === 'string' && Object.hasOwn(OPERATORS, name);
}

/** A built-in operator by name; an unknown name is an error listing the valid ones. */
export function getOperator<K extends OperatorName>(name: K): Operator<OperatorOptionsMap[K]>;
export function getOperator(name: string): Operator;
export function getOperator(name: string): Operator {
  if (!isOperatorName(name)) {
    throw new LifeguardError(
      'LG_ERR_INPUT_INVALID',
      `unknown redaction operator ${JSON.stringify(name)}; valid operators: ${operatorNames().join(', ')}`,
    );
  }
  return OPERATORS[name] as Operator;
}
