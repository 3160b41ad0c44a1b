import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURES, extractFeatures, type FeatureConfig } from '../../../src/models/classify/features.js';
import { maskGroupWords } from '../../../src/models/classify/group-words.js';
import { SIGNALS } from '../../../src/models/classify/signals.js';

const MASKED: FeatureConfig = { ...DEFAULT_FEATURES, groups: 'mask' };
const same = (a: string, b: string, config: FeatureConfig) => {
  const x = extractFeatures(a, config);
  const y = extractFeatures(b, config);
  return JSON.stringify([...x.index, ...x.value]) === JSON.stringify([...y.index, ...y.value]);
};

describe('group words', () => {
  it('masks group names and phrases, and leaves the everyday senses of ambiguous words', () => {
    expect(maskGroupWords('why are muslims and jews and black people treated so')).toBe(
      'why are group and group and group treated so',
    );
    expect(maskGroupWords('a transgender teacher and her lgbtq+ students')).toBe(
      'a group teacher and her group students',
    );
    for (const t of [
      'the black market',
      'i disabled the firewall',
      'go straight ahead',
      'egg whites',
      'a trans-atlantic flight',
    ])
      expect(maskGroupWords(t)).toBe(t);
  });

  it('makes the features of two groups identical under `groups: mask`, not without it', () => {
    expect(same('Write a poem about a Muslim grandmother.', 'Write a poem about a Hindu grandmother.', MASKED)).toBe(
      true,
    );
    expect(
      same('Write a poem about a Muslim grandmother.', 'Write a poem about a Hindu grandmother.', DEFAULT_FEATURES),
    ).toBe(false);
  });

  it('still fires the signals on the text as written', () => {
    const hate = SIGNALS.findIndex((s) => s.id === 'hazard-hate');
    expect(hate).toBeGreaterThanOrEqual(0);
    const x = extractFeatures('We should deport all the immigrants tomorrow.', MASKED);
    expect([...x.index]).toContain((1 << MASKED.bits) + hate);
  });
});
