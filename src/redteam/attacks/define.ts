import type {
  AttackContext,
  AttackOutcome,
  ChatMessage,
  Goal,
  InteractiveAttack,
  Rng,
  StaticAttack,
} from '../types.js';

/** `base64`, `template:dan-11-0`, `leetspeak+base64`, `translation:zulu`. */
const ATTACK_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\+[a-z0-9]+(?:-[a-z0-9]+)*)*(?::[a-z0-9]+(?:[-.][a-z0-9]+)*)?$/;

export type StaticAttackSpec = Omit<StaticAttack, 'specificationVersion' | 'kind'> & { kind: 'static' };
export type InteractiveAttackSpec = Omit<InteractiveAttack, 'specificationVersion' | 'kind'> & {
  kind: 'interactive';
};

/**
 * The one place attacks are made: checks the id (kebab-case, `+` between chained converters, `:variant`) and
 * freezes the result with `specificationVersion: 'v1'`.
 */
export function defineAttack(spec: StaticAttackSpec): StaticAttack;
export function defineAttack(spec: InteractiveAttackSpec): InteractiveAttack;
export function defineAttack(spec: StaticAttackSpec | InteractiveAttackSpec): StaticAttack | InteractiveAttack {
  if (!ATTACK_ID.test(spec.id)) {
    throw new Error(
      `Attack id "${spec.id}" must be kebab-case, optionally chained with "+" and a ":variant" (e.g. "template:dan-11-0").`,
    );
  }
  if (spec.kind === 'static') {
    const build = spec.build;
    return Object.freeze({
      specificationVersion: 'v1',
      kind: 'static',
      id: spec.id,
      description: spec.description,
      build: (goal: Goal, rng: Rng): ChatMessage[] => build(goal, rng),
    });
  }
  const run = spec.run;
  return Object.freeze({
    specificationVersion: 'v1',
    kind: 'interactive',
    id: spec.id,
    description: spec.description,
    run: (goal: Goal, ctx: AttackContext): Promise<AttackOutcome> => run(goal, ctx),
  });
}

/** A single user turn. */
export function userTurn(content: string): ChatMessage[] {
  return [{ role: 'user', content }];
}
