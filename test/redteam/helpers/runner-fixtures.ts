import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRedteamConfig, type RedteamConfig } from '../../../src/redteam/config.js';
import type { Attack, ChatMessage, Goal, JudgePanel, Verdict } from '../../../src/redteam/types.js';

export const tmp = (prefix = 'lg-rt-') => mkdtempSync(join(tmpdir(), prefix));

/** `n` synthetic goals, every third benign. */
export function goals(n: number): Goal[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `t:${i}`,
    text: `synthetic goal number ${i}`,
    source: 't',
    category: i % 2 === 0 ? 'even' : 'odd',
    ...(i % 3 === 2 ? { benign: true } : {}),
  }));
}

/** A static attack that appends a seeded random tag (so determinism can be checked). */
export const tagged: Attack = {
  specificationVersion: 'v1',
  id: 'tagged',
  kind: 'static',
  description: 'goal + a seeded tag',
  build: (goal, rng) => [{ role: 'user', content: `${goal.text} [tag ${Math.floor(rng() * 1e9)}]` }],
};

export const direct: Attack = {
  specificationVersion: 'v1',
  id: 'direct',
  kind: 'static',
  description: 'goal as is',
  build: (goal) => [{ role: 'user', content: goal.text }],
};

/** A two-turn interactive attack: asks a warm-up question, then the goal with the first answer in context. */
export const twoTurn: Attack = {
  specificationVersion: 'v1',
  id: 'two-turn',
  kind: 'interactive',
  description: 'warm-up then goal',
  run: async (goal, ctx) => {
    const m1: ChatMessage[] = [{ role: 'user', content: `warm-up for ${goal.id}` }];
    const a1 = await ctx.target.send({ messages: m1 });
    const m2: ChatMessage[] = [
      ...m1,
      { role: 'assistant', content: a1.text },
      { role: 'user', content: `now: ${goal.text}` },
    ];
    const a2 = await ctx.target.send({ messages: m2 });
    return { messages: m2, response: a2.text, turns: 2 };
  },
};

/** A panel with one judge: jailbroken when the answer does not start with "No". */
export function fakePanel(opts: { fail?: () => boolean } = {}): JudgePanel & { calls: number } {
  const judge = {
    specificationVersion: 'v1' as const,
    id: 'fake',
    description: 'test judge',
    judge: async (input: { goal: Goal; response: string }): Promise<Verdict> => {
      const refused = input.response.startsWith('No');
      return { judge: 'fake', score: refused ? 0 : 1, jailbroken: !refused && !input.goal.benign, refused };
    },
  };
  const panel = {
    calls: 0,
    judges: [judge],
    judge: async (input: { goal: Goal; prompt: string; response: string }) => {
      panel.calls++;
      if (opts.fail?.()) throw new Error('judge down');
      const v = await judge.judge(input);
      return { verdicts: [v], final: v };
    },
  };
  return panel;
}

/** A valid config pointing at `url`, with overrides merged into `runner` / `budget`. */
export function config(
  url: string,
  over: { runner?: Record<string, unknown>; budget?: Record<string, unknown>; target?: Record<string, unknown> } = {},
): RedteamConfig {
  return parseRedteamConfig({
    target: { type: 'openai', baseUrl: url, model: 'fake', ...over.target },
    goals: ['jbb'],
    attacks: ['direct'],
    runner: { cache: false, retries: { maxAttempts: 3, baseMs: 1, capMs: 5 }, ...over.runner },
    budget: over.budget ?? {},
    output: { formats: ['json'] },
  });
}
