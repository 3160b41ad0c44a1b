import { CONVERTERS, compose } from '../converters/index.js';
import type { Converter } from '../converters/types.js';
import type { StaticAttack } from '../types.js';
import { defineAttack, userTurn } from './define.js';

/** The goal as written: the baseline every other attack is compared with. */
export function directAttack(): StaticAttack {
  return defineAttack({
    id: 'direct',
    kind: 'static',
    description: 'The goal sent as is, with no attack: the baseline.',
    build: (goal) => userTurn(goal.text),
  });
}

/** A converter (or a `+` chain of them) as a one-turn attack; the attack id is the converter id. */
export function converterAttack(converter: Converter | string | readonly string[]): StaticAttack {
  const c =
    typeof converter === 'object' && !Array.isArray(converter)
      ? (converter as Converter)
      : compose(converter as string | string[]);
  return defineAttack({
    id: c.id,
    kind: 'static',
    description: c.description,
    build: (goal, rng) => userTurn(c.apply(goal.text, rng)),
  });
}

/** The ids of the converters usable as attacks on their own. */
export function converterAttackIds(): string[] {
  return CONVERTERS.map((c) => c.id);
}
