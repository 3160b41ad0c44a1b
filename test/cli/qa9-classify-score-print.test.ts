import { describe, expect, it } from 'vitest';
import { classifyRecord } from '../../src/cli/commands/classify.js';
import type { ClassifyResult } from '../../src/models/classify/types.js';

const result = (score: number, threshold: number): ClassifyResult => ({
  task: 'injection',
  score,
  label: score >= threshold,
  threshold,
  source: 'local:injection@9',
});

describe('classify --jsonl: the printed score', () => {
  it('stays on the label’s side of the threshold when rounding to four decimals would cross it', () => {
    // 0.28297 rounds to 0.2830, at the threshold, though the text was not flagged.
    expect(classifyRecord('a', result(0.28297, 0.283))).toMatchObject({ score: 0.2829, label: false });
    // 0.28304 rounds to 0.2830, under a threshold of 0.28301, though the text was flagged.
    expect(classifyRecord('b', result(0.28304, 0.28301))).toMatchObject({ score: 0.2831, label: true });
  });

  it('is rounded to the nearest otherwise', () => {
    expect(classifyRecord('c', result(0.71236, 0.283))).toMatchObject({ score: 0.7124, label: true });
    expect(classifyRecord('d', result(0.12344, 0.283))).toMatchObject({ score: 0.1234, label: false });
    expect(classifyRecord('e', result(1, 0.283)).score).toBe(1);
    expect(classifyRecord('f', result(0, 0.283)).score).toBe(0);
  });
});
