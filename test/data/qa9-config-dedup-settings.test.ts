import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DedupIndex } from '../../src/data/dedup/index.js';
import { resolveScanConfig } from '../../src/data/scan/config.js';
import { scanCorpus } from '../../src/data/scan/pipeline.js';
import { runCli } from '../cli/helpers.js';

/*
 * The dedup settings were checked twice, by rules that disagreed: the settings schema took bands up to 256 ×
 * rows up to 64 (16 384 permutations; the index takes at most 4096) and any seed (the index: an unsigned
 * 32-bit integer), and --dedup-threshold took 0 (the index: above 0). Such a value passed, a fresh scan
 * deleted the previous .lifeguard-scan state, and only then did the index refuse it, as LG_ERR_INPUT_INVALID.
 * The schema and flags now take exactly what the index takes (its own limits), and refuse the rest up front
 * as LG_ERR_CONFIG_INVALID.
 */

const settings = (dedup: Record<string, unknown>) => ({ workers: 0, fast: true, poisoning: { enabled: false }, dedup });

function corpusWithState(): { input: string; out: string; checkpoint: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lg-qa9-dedup-'));
  const input = join(dir, 'c.jsonl');
  writeFileSync(input, `${JSON.stringify({ text: 'The harbour committee met at dawn to review the budget.' })}\n`);
  return { input, out: join(dir, 'out'), checkpoint: join(dir, 'out', '.lifeguard-scan', 'checkpoint.json') };
}

describe('QA9 config: dedup settings match what the dedup index accepts', () => {
  const refused = [
    { bands: 256, rows: 64 },
    { bands: 513 },
    { rows: 65 },
    { threshold: 0 },
    { seed: -1 },
    { seed: 2 ** 32 },
    { seed: 1.5 },
    { shingle: 0 },
    { promptWords: 256 },
  ];

  it.each(refused)('the schema refuses %o, which the index refuses', (dedup) => {
    expect(() => new DedupIndex(dedup)).toThrow();
    expect(() => resolveScanConfig({ dedup })).toThrow(expect.objectContaining({ code: 'LG_ERR_CONFIG_INVALID' }));
  });

  it('the schema accepts the edges the index accepts', () => {
    for (const dedup of [
      { bands: 512, rows: 8 },
      { bands: 64, rows: 64 },
      { threshold: 1 },
      { threshold: 0.01 },
      { seed: 0 },
      { seed: 2 ** 32 - 1 },
    ]) {
      expect(() => new DedupIndex(dedup)).not.toThrow();
      expect(resolveScanConfig({ dedup }).dedup).toMatchObject(dedup);
    }
  });

  it('the error names bands × rows, counting the default of the one not given', () => {
    expect(() => resolveScanConfig({ dedup: { bands: 512 } })).not.toThrow(); // 512 × 5
    expect(() => resolveScanConfig({ dedup: { rows: 64, bands: 65 } })).toThrow(/dedup\.bands: bands × rows .* 4160/);
  });

  it('a bad value is refused before the previous scan state is touched', async () => {
    const { input, out, checkpoint } = corpusWithState();
    await scanCorpus({ inputs: [input], outDir: out, config: settings({}) });
    expect(existsSync(checkpoint)).toBe(true);
    for (const dedup of [{ bands: 256, rows: 64 }, { seed: -1 }, { threshold: 0 }]) {
      await expect(scanCorpus({ inputs: [input], outDir: out, config: settings(dedup) })).rejects.toMatchObject({
        code: 'LG_ERR_CONFIG_INVALID',
      });
      expect(existsSync(checkpoint)).toBe(true);
    }
  });

  it('the CLI refuses --dedup-threshold 0 and --bands 256 --rows 64 with exit 2, leaving the state alone', async () => {
    const { input, out, checkpoint } = corpusWithState();
    await scanCorpus({ inputs: [input], outDir: out, config: settings({}) });
    const base = ['data', 'scan', input, '--out', out, '--workers', '0', '--fast', '--no-poison'];
    const zero = runCli([...base, '--dedup-threshold', '0']);
    expect(zero.status).toBe(2);
    expect(zero.stderr).toMatch(/--dedup-threshold .*\[LG_ERR_CONFIG_INVALID\]/);
    const many = runCli([...base, '--bands', '256', '--rows', '64']);
    expect(many.status).toBe(2);
    expect(many.stderr).toMatch(/bands × rows .*\[LG_ERR_CONFIG_INVALID\]/);
    expect(existsSync(checkpoint)).toBe(true);
    expect(runCli([...base, '--bands', '512']).status).toBe(0); // the index takes up to 512 bands
  });
});

describe('QA9 config: unknown keys inside a section', () => {
  it('a misspelt key in dedup, quality, redact or poisoning is refused, not dropped', () => {
    for (const section of ['dedup', 'quality', 'redact', 'poisoning']) {
      expect(() => resolveScanConfig({ [section]: { treshold: 0.5 } } as never)).toThrow(
        expect.objectContaining({ code: 'LG_ERR_CONFIG_INVALID', message: expect.stringMatching(/treshold/) }),
      );
    }
  });
});
