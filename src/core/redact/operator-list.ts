import { LifeguardError } from '../errors.js';
import { isOperatorName } from './registry.js';
import type { OperatorChoice, OperatorMap } from './types.js';

/**
 * `tag`, or `default=tag,CREDIT_CARD=mask,PERSON=pseudonym`. `keepLast` (`--keep-last`) goes to every `mask`
 * in the list; a list without one is refused, since nothing else could honour it.
 */
export function parseOperatorList(value: string, keepLast?: number): OperatorChoice | OperatorMap {
  const parsed = parseList(value, keepLast);
  if (keepLast !== undefined && !operatorsUsed(parsed).has('mask')) {
    throw new LifeguardError(
      'LG_ERR_CONFIG_INVALID',
      `--keep-last works with the mask operator only, and --operator "${value}" uses none; use --operator mask, or TYPE=mask for the types to mask`,
    );
  }
  return parsed;
}

function parseList(value: string, keepLast?: number): OperatorChoice | OperatorMap {
  const choice = (name: string): OperatorChoice => {
    if (!isOperatorName(name)) {
      throw new LifeguardError(
        'LG_ERR_CONFIG_INVALID',
        `unknown operator "${name}"; valid operators: mask, tag, hash, pseudonym, vault, replace, remove`,
      );
    }
    return name === 'mask' && keepLast ? { operator: 'mask', options: { keepLast } } : name;
  };
  if (!value.includes('=')) return choice(value.trim());
  const map: Record<string, OperatorChoice> = {};
  for (const part of value.split(',')) {
    const [type, name] = part.split('=').map((s) => s.trim());
    if (!type || !name)
      throw new LifeguardError('LG_ERR_CONFIG_INVALID', `operator list: cannot read "${part}"; use TYPE=operator`);
    map[type] = choice(name);
  }
  return map;
}

/** Names of the built-in operators a parsed --operator value uses. */
export function operatorsUsed(op: OperatorChoice | OperatorMap): Set<string> {
  const name = (c: unknown) => (typeof c === 'string' ? c : ((c as { operator?: unknown }).operator as string));
  if (typeof op === 'string' || 'operator' in op) return new Set([name(op)]);
  return new Set(Object.values(op).map(name));
}
