import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/random.js';
import { scanCorpus } from '../../src/data/scan/pipeline.js';
import { prose } from './scan/fixtures.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lg-qa11b-resume-'));

/** Records with and without ids (number, string, none), a third of them copies of earlier ones. */
function corpus(n: number): string[] {
  const rand = mulberry32(11);
  const texts: string[] = [];
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const text = i > 10 && i % 3 === 0 ? (texts[Math.floor(rand() * texts.length)] as string) : prose(rand, 40);
    texts.push(text);
    const kind = i % 5;
    const record = kind === 0 ? { id: i, text } : kind === 1 ? { id: String(i), text } : { text };
    lines.push(JSON.stringify(record));
  }
  return lines;
}

const config = { workers: 1, fast: true, checkpointRecords: 100, batchRecords: 50, poisoning: { enabled: false } };

describe('data scan: resume keeps the line-number marks and refuses an older checkpoint', () => {
  it('an interrupted scan resumed gives the same files, marks included, every record once', async () => {
    const dir = tmp();
    const input = join(dir, 'in.jsonl');
    const lines = corpus(600);
    writeFileSync(input, `${lines.join('\n')}\n`);
    const whole = join(dir, 'whole');
    const full = await scanCorpus({ inputs: [input], outDir: whole, config });
    expect(full.duplicates.clusters.some((c) => c.members_id_from_line?.includes(true))).toBe(true);

    const cut = join(dir, 'cut');
    await expect(
      scanCorpus({
        inputs: [input],
        outDir: cut,
        config,
        onProgress: (p) => {
          if (p.phase === 'scan' && p.records >= 350) throw new Error('interrupted');
        },
      }),
    ).rejects.toThrow('interrupted');
    const resumed = await scanCorpus({ inputs: [input], outDir: cut, config, resume: true });
    for (const f of ['kept.jsonl', 'quarantine.jsonl']) {
      expect(readFileSync(join(cut, f), 'utf8')).toBe(readFileSync(join(whole, f), 'utf8'));
    }
    expect(resumed.resumed).toBe(true);
    expect(resumed.duplicates).toEqual(full.duplicates);
    expect(resumed.counts).toEqual(full.counts);
    // every record accounted for exactly once: each input line is kept or quarantined, no line twice
    const kept = readFileSync(join(cut, 'kept.jsonl'), 'utf8').trim().split('\n');
    const quarantined = readFileSync(join(cut, 'quarantine.jsonl'), 'utf8').trim().split('\n');
    expect(kept.length + quarantined.length).toBe(lines.length);
    expect(resumed.counts).toMatchObject({ in: 600, balanced: true });
    const lineOf = (q: { id: string; line?: number }) => q.line ?? Number(q.id);
    const seen = new Set([...quarantined.map((l) => lineOf(JSON.parse(l)))]);
    expect(seen.size).toBe(quarantined.length);
  }, 120_000);

  it('refuses to resume a checkpoint written by an older Lifeguard, saying what to do', async () => {
    const dir = tmp();
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, `${corpus(120).join('\n')}\n`);
    const out = join(dir, 'out');
    await scanCorpus({ inputs: [input], outDir: out, config });
    const cpPath = join(out, '.lifeguard-scan', 'checkpoint.json');
    const cp = JSON.parse(readFileSync(cpPath, 'utf8'));
    writeFileSync(cpPath, JSON.stringify({ ...cp, version: cp.version - 1, done: false }));
    const before = readFileSync(join(out, 'quarantine.jsonl'), 'utf8');
    await expect(scanCorpus({ inputs: [input], outDir: out, config, resume: true })).rejects.toMatchObject({
      code: 'LG_ERR_INPUT_INVALID',
      message: expect.stringMatching(/older Lifeguard.*run without --resume to start over/),
    });
    // nothing was touched
    expect(readFileSync(join(out, 'quarantine.jsonl'), 'utf8')).toBe(before);
  }, 60_000);
});
