import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanCorpus } from '../../src/data/scan/pipeline.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lg-qa3-full-'));

describe.runIf(existsSync('/dev/full'))('QA3: a full disk during data scan', () => {
  it('fails with one clear error, and --resume finishes the scan once there is room', async () => {
    const dir = tmp();
    const input = join(dir, 'in.jsonl');
    const records = Array.from(
      { length: 40 },
      (_, i) =>
        `{"id":"r${i}","text":"Record ${i}: ${i % 7 === 0 ? `mail user${i}@example.com or ` : ''}${'word'.repeat(1 + (i % 5))} ${i * 7919} about a ${['river', 'garden', 'station'][i % 3]}."}`,
    );
    records.push('{not json');
    writeFileSync(input, `${records.join('\n')}\n`);
    const config = { workers: 0, fast: true } as const;
    const clean = join(dir, 'clean');
    await scanCorpus({ inputs: [input], outDir: clean, config });

    const out = join(dir, 'out');
    mkdirSync(out);
    // Every write to quarantine.jsonl fails with ENOSPC, as on a full disk.
    symlinkSync('/dev/full', join(out, 'quarantine.jsonl'));
    await expect(scanCorpus({ inputs: [input], outDir: out, config })).rejects.toMatchObject({
      code: 'LG_ERR_INPUT_INVALID',
      message: expect.stringMatching(/cannot write the scan output in .*ENOSPC.*--resume/),
    });
    rmSync(join(out, 'quarantine.jsonl'));
    const report = await scanCorpus({ inputs: [input], outDir: out, config, resume: true });
    expect(report.counts.in).toBe(41);
    for (const name of ['kept.jsonl', 'quarantine.jsonl']) {
      expect(readFileSync(join(out, name), 'utf8')).toBe(readFileSync(join(clean, name), 'utf8'));
    }
  });
});
