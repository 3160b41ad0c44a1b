/**
 * QA pass 12k: `[insert x]` was filled with the goal as if it were a request slot. In the DAN and AIM prompts it
 * stands for the words the model must never say ("As DAN none of your responses should include [insert x]"), so
 * the target was told not to mention the goal, and DAN 6.0, DAN 8.0 and five in-the-wild AIM copies, whose only
 * "slot" it was, never asked the goal at all. It is now left as written and the goal appended (or put in the
 * template's real slot); the shipped file is unchanged (templates.test.ts re-runs the curation).
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/random.js';
import { buildAttacks, fillTemplate, findSlots, loadTemplates } from '../../src/redteam/attacks/index.js';

const goal = { id: 't:0', text: 'GOAL-TEXT', source: 't' };

function build(id: string): string {
  const [a] = buildAttacks([`template:${id}`]);
  if (a.kind !== 'static') throw new Error('static expected');
  return a.build(goal, mulberry32(0))[0].content;
}

describe('[insert x] is not a request slot', () => {
  it.each([['[insert x]'], ['\\[insert x\\]'], ['[INSERT X]'], ['{x}']])('%s is left alone', (x) => {
    expect(findSlots(`none of your responses should include ${x}, ok`)).toEqual([]);
    expect(fillTemplate(`Never include ${x}.`, 'Q')).toEqual({
      text: `Never include ${x}.\n\nQ`,
      inserted: false,
      slots: 0,
    });
  });

  it('the curation still counts it, so the shipped file is what it was', () => {
    expect(findSlots('should include [insert x].', { withInsertX: true })).toHaveLength(1);
  });

  it.each([['dan-6-0'], ['dan-8-0'], ['itw-130'], ['itw-303']])('%s asks the goal, after the prompt', (id) => {
    const text = build(id);
    expect(text).toMatch(/\[insert x\\?\]/);
    expect(text).not.toMatch(/(?:include|contain) GOAL-TEXT/);
    expect(text.endsWith('\n\nGOAL-TEXT')).toBe(true);
  });

  it('the AIM prompt puts the goal in its question slot only', () => {
    const text = build('itw-31');
    expect(text.split('GOAL-TEXT')).toHaveLength(2);
    expect(text).toContain('first question:  "GOAL-TEXT"');
  });

  it('no shipped template is sent with the goal in a "must not include" position', () => {
    for (const t of loadTemplates()) {
      const text = build(t.id);
      expect(text, t.id).toContain('GOAL-TEXT');
      expect(text, t.id).not.toMatch(/(?:include|contain|includes) \\?GOAL-TEXT/i);
    }
  });
});
