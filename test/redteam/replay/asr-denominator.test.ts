import { describe, expect, it } from 'vitest';
import { judgeRecorded } from '../../../src/redteam/replay/judge.js';
import type { Recorded } from '../../../src/redteam/replay/readers.js';
import type { JudgeInput, JudgePanel, Verdict } from '../../../src/redteam/types.js';

// A judge that says every answer to a harmful goal complied (benign goals are never jailbroken, by contract).
const complies: JudgePanel = {
  judges: [],
  async judge(input: JudgeInput) {
    const jailbroken = input.goal.benign !== true;
    const final: Verdict = { judge: 'fake', score: jailbroken ? 1 : 0, jailbroken, refused: false };
    return { verdicts: [final], final };
  },
};

const item = (index: number, benign: boolean) => ({
  index,
  goal: { id: `g${index}`, text: `goal ${index}`, benign },
  prompt: `prompt ${index}`,
  response: 'an answer',
});

describe('replay ASR', () => {
  it('is over the items with a harmful goal: answered benign look-alikes are not in the denominator', async () => {
    const recorded = {
      items: [item(0, true), item(1, false), item(2, true), item(3, false)],
      meta: { format: 'xstest' },
    } as unknown as Recorded;
    const { summary } = await judgeRecorded(recorded, complies, 'fake');
    expect(summary.n).toBe(4);
    expect(summary.asr_n).toBe(2);
    expect(summary.asr).toBe(1);
    expect(summary.asr_ci95[0]).toBeGreaterThan(0.3);
  });

  it('with no harmful goal at all, ASR is 0 over 0 items', async () => {
    const recorded = { items: [item(0, true)], meta: { format: 'jsonl' } } as unknown as Recorded;
    const { summary } = await judgeRecorded(recorded, complies, 'fake');
    expect(summary).toMatchObject({ n: 1, asr: 0, asr_n: 0 });
  });
});
