/**
 * QA pass 12k: goals with no letter or digit (emoji, symbols) all normalised to "", so every such goal after the
 * first was dropped as its "duplicate" ("🔥🔥" as a copy of "😀😀"). They are now compared as written (NFKC,
 * lower case, spacing folded); the same emoji goal twice is still one goal.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadGoalsSync, normaliseGoalText } from '../../src/redteam/goals/index.js';

describe('goals made of symbols only', () => {
  it('are not duplicates of each other; real repeats still are', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-qa12k-'));
    try {
      const file = join(dir, 'emoji.jsonl');
      const rows = ['😀😀', '🔥🔥', '!!!', '😀  😀', '🔥🔥', 'How to X?', 'how to x'];
      writeFileSync(file, `${rows.map((goal) => JSON.stringify({ goal })).join('\n')}\n`);
      const notices: string[] = [];
      const r = loadGoalsSync([file], { onNotice: (m) => notices.push(m) });
      expect(r.goals.map((g) => g.text)).toEqual(['😀😀', '🔥🔥', '!!!', '😀  😀', 'How to X?']);
      expect(r.dropped).toEqual([
        { id: 'emoji:4', duplicateOf: 'emoji:1' },
        { id: 'emoji:6', duplicateOf: 'emoji:5' },
      ]);
      expect(notices).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('normaliseGoalText is unchanged for text with letters', () => {
    expect(normaliseGoalText('  How  to X?!  ')).toBe('how to x');
    expect(normaliseGoalText('😀 😀')).toBe('😀 😀');
    expect(normaliseGoalText('😀\t 😀')).toBe('😀 😀');
  });
});
