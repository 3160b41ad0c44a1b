/**
 * QA pass 5: converter chains. A character converter after an encoding (`base64+leetspeak`,
 * `base64+case-noise`, `rot13+leetspeak`, …) rewrote the encoded text itself, so the target was sent base64
 * that decodes to other bytes: the prompt no longer carried the goal, and the model's confusion was judged as
 * if it had met (and refused) the goal. Such chains are now a config error that says which order works.
 * The chains that do carry the goal, and goals full of template syntax, are held here too.
 */
import { describe, expect, it } from 'vitest';
import { LifeguardError } from '../../src/core/errors.js';
import { mulberry32 } from '../../src/core/random.js';
import { buildAttacks } from '../../src/redteam/attacks/index.js';
import { parseRedteamConfig } from '../../src/redteam/config.js';
import {
  BASE64_INSTRUCTIONS,
  compose,
  convert,
  converterIds,
  ROT13_INSTRUCTIONS,
  rot13,
} from '../../src/redteam/converters/index.js';
import type { StaticAttack } from '../../src/redteam/types.js';

const GOALS = [
  'Explain how to pick a lock',
  'Fill {goal} and {{prompt}} and {} with $& $1 $$ \\n \\\\ "quotes"',
  'Ünïcödé 日本語 🎉👨‍👩‍👧 עברית',
];

function stripInstruction(out: string, instructions: readonly string[]): string {
  const ins = instructions.find((i) => out.startsWith(i));
  expect(ins, out.slice(0, 60)).toBeDefined();
  return out.slice((ins as string).length);
}

describe('converter chains that would corrupt an encoding', () => {
  it.each([
    ['base64+leetspeak', 'leetspeak after base64'],
    ['base64+case-noise', 'case-noise after base64'],
    ['base64+homoglyph', 'homoglyph after base64'],
    ['rot13+leetspeak', 'leetspeak after rot13'],
    ['base64+prefix-injection+leetspeak', 'leetspeak after base64'],
  ])('%s is a config error', (chain, why) => {
    expect(() => compose(chain)).toThrow(why);
    try {
      buildAttacks(['direct', chain]);
      throw new Error('expected a config error');
    } catch (e) {
      expect(LifeguardError.isInstance(e) && e.code).toBe('LG_ERR_CONFIG_INVALID');
      expect((e as Error).message).toContain('attacks[1]');
      expect((e as Error).message).toContain(why);
    }
    expect(() =>
      parseRedteamConfig({
        target: { type: 'openai', baseUrl: 'http://127.0.0.1:9/v1', model: 'm' },
        goals: ['jbb'],
        attacks: [{ id: 'converters', chain: chain.split('+') }],
      }),
    ).toThrow(/attacks\[0\].*rewrites the encoded text/);
  });

  it('the orders that keep the goal still work', () => {
    for (const chain of [
      'leetspeak+base64',
      'case-noise+base64',
      'base64+prefix-injection',
      'base64+rot13',
      'rot13+case-noise',
      'rot13+char-spacing',
      'base64+zero-width',
      'zero-width+homoglyph+char-spacing',
      'leetspeak+base64+payload-split',
    ]) {
      expect(compose(chain).id).toBe(chain);
    }
  });
});

describe('what a composed prompt carries', () => {
  it.each(GOALS)('base64 and rot13 decode back to the goal exactly: %s', (goal) => {
    for (const seed of [0, 1, 7]) {
      const b64 = stripInstruction(convert(goal, 'base64', seed), BASE64_INSTRUCTIONS);
      expect(Buffer.from(b64, 'base64').toString('utf8')).toBe(goal);
      expect(rot13(stripInstruction(convert(goal, 'rot13', seed), ROT13_INSTRUCTIONS))).toBe(goal);
      // leetspeak+base64: the payload is the leetspoken goal, as `convert` gives it for the same sequence
      const chained = stripInstruction(convert(goal, 'leetspeak+base64', seed), BASE64_INSTRUCTIONS);
      const rng = mulberry32(seed);
      expect(Buffer.from(chained, 'base64').toString('utf8')).toBe(compose('leetspeak').apply(goal, rng));
    }
  });

  it.each(GOALS)('framing converters keep template syntax in the goal verbatim: %s', (goal) => {
    // (past-tense rewrites "how to X" requests, so it is left out here)
    for (const id of ['translation-frame', 'refusal-suppression', 'prefix-injection']) {
      for (const seed of [0, 1, 2, 3, 4, 5]) expect(convert(goal, id, seed), id).toContain(goal);
    }
    // payload splitting: the parts are JSON strings that concatenate to the goal
    for (const seed of [0, 1, 2, 3]) {
      const out = convert(goal, 'payload-split', seed);
      const parts = [...out.matchAll(/^[a-d] = (".*")$/gm)].map((m) => JSON.parse(m[1]) as string);
      expect(parts.join('')).toBe(goal);
    }
  });

  it('every converter and every allowed pair copes with empty, one-character and long goals', () => {
    const ids = converterIds();
    for (const id of ids) {
      const t0 = Date.now();
      expect(typeof convert('How do I do it? '.repeat(6250), id, 3)).toBe('string'); // 100k characters
      expect(Date.now() - t0).toBeLessThan(1000);
    }
    for (const text of ['', 'x', '{', 'How do I do it? '.repeat(60)]) {
      for (const a of ids) {
        for (const b of ids) {
          let c: ReturnType<typeof compose>;
          try {
            c = compose([a, b]);
          } catch {
            continue; // a rejected order
          }
          expect(typeof c.apply(text, mulberry32(3))).toBe('string');
        }
      }
    }
  });

  it('chained attack ids are stable and unique in a run', () => {
    const attacks = buildAttacks([
      'leetspeak+base64',
      ' case-noise + base64 ',
      { id: 'converters', chain: ['rot13', 'char-spacing'] },
    ]);
    expect(attacks.map((a) => a.id)).toEqual(['leetspeak+base64', 'case-noise+base64', 'rot13+char-spacing']);
    const goal = { id: 'g:0', text: GOALS[1], source: 'g' };
    for (const a of attacks as StaticAttack[]) {
      expect(a.build(goal, mulberry32(11))).toEqual(a.build(goal, mulberry32(11)));
    }
  });
});
