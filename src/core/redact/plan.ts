import { LifeguardError } from '../errors.js';
import { typeLabel } from './keys.js';
import { isOperator, type Operator } from './operator.js';
import { getOperator } from './registry.js';
import type { OperatorChoice, OperatorMap, RedactOptions } from './types.js';

/** An operator with its effective options. */
export interface Plan {
  readonly operator: Operator;
  readonly options: unknown;
}

const OPTION_BAGS = ['mask', 'hash', 'replace', 'pseudonym'] as const;

function defaultsFor(name: string, options: RedactOptions): Record<string, unknown> {
  const bag = (OPTION_BAGS as readonly string[]).includes(name)
    ? options[name as (typeof OPTION_BAGS)[number]]
    : undefined;
  if (bag !== undefined && (typeof bag !== 'object' || bag === null)) {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `redact option \`${name}\` must be an object of ${name} options`);
  }
  return { ...(bag ?? {}) };
}

function isSpec(value: unknown): value is { operator: string | Operator; options?: unknown } {
  if (typeof value !== 'object' || value === null || isOperator(value) || !Object.hasOwn(value, 'operator')) {
    return false;
  }
  const spec = value as Record<string, unknown>;
  return (
    Object.keys(spec).every((k) => k === 'operator' || k === 'options') &&
    (typeof spec.operator === 'string' || isOperator(spec.operator))
  );
}

function resolveChoice(choice: unknown, options: RedactOptions, where: string): Plan {
  if (typeof choice === 'string') {
    return { operator: getOperator(choice), options: defaultsFor(choice, options) };
  }
  if (isOperator(choice)) return { operator: choice, options: {} };
  if (isSpec(choice)) {
    const extra = choice.options ?? {};
    if (typeof extra !== 'object' || extra === null) {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', `${where}: \`options\` must be an object`);
    }
    if (isOperator(choice.operator)) return { operator: choice.operator, options: extra };
    return { operator: getOperator(choice.operator), options: { ...defaultsFor(choice.operator, options), ...extra } };
  }
  throw new LifeguardError(
    'LG_ERR_INPUT_INVALID',
    `${where}: expected an operator name, { operator, options } or an operator made with defineOperator()`,
  );
}

/**
 * Turns `options.operator` into a function from entity type to plan. Every entry of a per-type map is
 * resolved up front, so an unknown operator name fails even if no finding of that type shows up.
 */
export function planner(options: RedactOptions): (type: string) => Plan {
  const choice = options.operator as unknown;
  if (choice === undefined || choice === null) {
    throw new LifeguardError(
      'LG_ERR_INPUT_INVALID',
      "redact needs `operator`: a name such as 'tag', or a per-type map such as { default: 'tag', CREDIT_CARD: 'mask' }",
    );
  }
  if (typeof choice === 'string' || isOperator(choice) || isSpec(choice)) {
    const plan = resolveChoice(choice, options, 'redact option `operator`');
    return () => plan;
  }
  if (typeof choice !== 'object' || Array.isArray(choice)) {
    throw new LifeguardError(
      'LG_ERR_INPUT_INVALID',
      'redact option `operator` must be a name, a spec or a per-type map',
    );
  }
  const map = choice as OperatorMap;
  const exact = new Map<string, Plan>();
  const byLabel = new Map<string, Plan>();
  for (const [type, entry] of Object.entries(map)) {
    if (type === 'default' || entry === undefined) continue;
    const plan = resolveChoice(entry as OperatorChoice, options, `operator for type ${JSON.stringify(type)}`);
    exact.set(type, plan);
    if (!byLabel.has(typeLabel(type))) byLabel.set(typeLabel(type), plan);
  }
  const fallback = resolveChoice(map.default ?? 'tag', options, 'operator for type "default"');
  return (type) => exact.get(type) ?? byLabel.get(typeLabel(type)) ?? fallback;
}
