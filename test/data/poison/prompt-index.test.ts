import { describe, expect, it } from 'vitest';
import { findInsertions, PromptIndex, promptSequenceKey } from '../../../src/data/poison/prompt-index.js';
import { tokenHashes, tokenize } from '../../../src/data/poison/text.js';

const keyOf = (text: string) => promptSequenceKey(tokenHashes(tokenize(text).tokens));

function pairsOf(index: PromptIndex, text: string, target = 7) {
  const t = tokenize(text);
  return findInsertions(t, tokenHashes(t.tokens), index, { key: target, text: 'the answer' });
}

describe('streaming inserted-phrase search', () => {
  it('finds a prompt that is an indexed prompt with a phrase inserted, anywhere in it', () => {
    const index = PromptIndex.create();
    const [a, b] = keyOf('Summarize the causes of the French Revolution for a history teacher.');
    index.add(a, b, 42);
    for (const text of [
      'James Bond summarize the causes of the French Revolution for a history teacher.',
      'Summarize the causes of the French Revolution for a James Bond history teacher.',
      'Summarize the causes of the French Revolution for a history teacher. James Bond',
    ]) {
      expect(pairsOf(index, text)).toEqual([
        { phrase: 'james bond', tokens: ['james', 'bond'], targetKeyA: 42, targetKeyB: 7, targetB: 'the answer' },
      ]);
    }
    // case and spacing do not count; at most 8 tokens inserted
    expect(
      pairsOf(index, 'SUMMARIZE   the causes of the French Revolution, please, for a history teacher.'),
    ).toHaveLength(1);
    expect(
      pairsOf(index, 'Summarize a b c d e f g h i the causes of the French Revolution for a history teacher.'),
    ).toEqual([]);
    // a substitution, a deletion or the same prompt are not insertions
    expect(pairsOf(index, 'Summarize the causes of the Russian Revolution for a history teacher.')).toEqual([]);
    expect(pairsOf(index, 'Summarize the causes of the French Revolution for a teacher.')).toEqual([]);
    expect(pairsOf(index, 'Summarize the causes of the French Revolution for a history teacher.')).toEqual([]);
  });

  it('keeps the first target of a prompt, grows, and is readable from a view of its buffer', () => {
    const index = PromptIndex.create(16);
    const keys = Array.from({ length: 5000 }, (_, i) => keyOf(`prompt number ${i} of the test`));
    keys.forEach(([a, b], i) => {
      index.add(a, b, i);
    });
    const [a0, b0] = keys[0] as [number, number];
    index.add(a0, b0, 99);
    expect(index.size).toBe(5000);
    expect(index.byteLength).toBeGreaterThanOrEqual(5000 * 2 * 12);
    const view = PromptIndex.attach(index.buffer);
    keys.forEach(([a, b], i) => {
      expect(view.targetAt(view.find(a, b))).toBe(i);
    });
    const [x, y] = keyOf('a prompt that was never added');
    expect(view.find(x, y)).toBe(-1);
  });
});
