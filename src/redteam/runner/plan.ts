import { createHash } from 'node:crypto';
import { LifeguardError } from '../../core/errors.js';
import type { Attack, ChatMessage, Goal } from '../types.js';

/** One episode to run: an attack on a goal, one repeat. */
export interface PlannedItem {
  /** Position in item order (goal, then attack, then repeat). */
  seq: number;
  /** Stable across resumes: hash of goal id, attack id, run seed and repeat. */
  key: string;
  goal: Goal;
  attack: Attack;
  repeat: number;
  /** The item's own seed (attack randomness, sampling seed), from the run seed and the key. */
  seed: number;
}

/** `sha256(goal id, attack id, seed, repeat)`, 20 hex digits. */
export function itemKey(goalId: string, attackId: string, seed: number, repeat: number): string {
  return createHash('sha256')
    .update(`${goalId}\u0000${attackId}\u0000${seed}\u0000${repeat}`)
    .digest('hex')
    .slice(0, 20);
}

/** A 32-bit seed derived from the run seed and an item key. */
export function itemSeed(runSeed: number, key: string): number {
  return createHash('sha256').update(`${runSeed}:${key}`).digest().readUInt32BE(0);
}

/** Goals × attacks × repeats, in that order. Duplicate goal or attack ids are an error (keys would collide). */
export function planItems(
  goals: readonly Goal[],
  attacks: readonly Attack[],
  seed: number,
  repeats: number,
): PlannedItem[] {
  const dup = (ids: string[], what: string) => {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) {
        throw new LifeguardError('LG_ERR_CONFIG_INVALID', `two ${what} share the id "${id}": item keys would collide`);
      }
      seen.add(id);
    }
  };
  dup(
    goals.map((g) => g.id),
    'goals',
  );
  dup(
    attacks.map((a) => a.id),
    'attacks',
  );
  const out: PlannedItem[] = [];
  for (const goal of goals) {
    for (const attack of attacks) {
      for (let r = 0; r < repeats; r++) {
        const key = itemKey(goal.id, attack.id, seed, r);
        out.push({ seq: out.length, key, goal, attack, repeat: r, seed: itemSeed(seed, key) });
      }
    }
  }
  return out;
}

/** The request hash the cache and the run log key answers by. */
export function requestHash(fingerprint: string, role: string, messages: readonly ChatMessage[], seed: number): string {
  return createHash('sha256')
    .update(fingerprint)
    .update('\u0000')
    .update(role)
    .update('\u0000')
    .update(String(seed))
    .update('\u0000')
    .update(JSON.stringify(messages.map((m) => [m.role, m.content])))
    .digest('hex');
}
