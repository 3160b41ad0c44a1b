import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveScanConfig } from '../../src/data/scan/config.js';
import { scanCorpus } from '../../src/data/scan/pipeline.js';

/*
 * maxRecordBytes had no upper bound. A line longer than V8's longest string (0x1fffffe8 characters) cannot
 * be decoded, so with `maxRecordBytes: 1000000000` one 561 MB line failed the whole scan ("cannot read input:
 * Cannot create a string longer than 0x1fffffe8 characters") — and again on every --resume, which restarts
 * before that line — instead of being quarantined as malformed. The setting is capped where records can
 * still be decoded, parsed and quarantined whole (256 MiB), and refused up front beyond it.
 */

describe('QA9 scan options: maxRecordBytes', () => {
  it('accepts up to 256 MiB', () => {
    expect(resolveScanConfig({ maxRecordBytes: 256 * 1024 * 1024 }).maxRecordBytes).toBe(256 * 1024 * 1024);
    expect(resolveScanConfig({}).maxRecordBytes).toBe(64 * 1024 * 1024);
  });

  it('refuses more, before anything is read or written', async () => {
    expect(() => resolveScanConfig({ maxRecordBytes: 256 * 1024 * 1024 + 1 })).toThrow(
      expect.objectContaining({ code: 'LG_ERR_CONFIG_INVALID', message: expect.stringMatching(/maxRecordBytes/) }),
    );
    const dir = mkdtempSync(join(tmpdir(), 'lg-qa9-opt-'));
    const input = join(dir, 'c.jsonl');
    writeFileSync(input, `${JSON.stringify({ text: 'A short record about the harbour at dawn.' })}\n`);
    await expect(
      scanCorpus({ inputs: [input], outDir: join(dir, 'out'), config: { workers: 0, maxRecordBytes: 1e9 } }),
    ).rejects.toMatchObject({ code: 'LG_ERR_CONFIG_INVALID' });
  });
});

describe('QA9 scan options: --keep-duplicates', () => {
  it('reports the clusters but removes nothing: duplicates.removed is 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-qa9-keep-'));
    const input = join(dir, 'c.jsonl');
    const line = JSON.stringify({ text: 'The committee reviewed the harbour budget and agreed to fund two projects.' });
    writeFileSync(input, `${line}\n${line}\n${line}\n`);
    const kept = await scanCorpus({
      inputs: [input],
      outDir: join(dir, 'keep'),
      config: { workers: 0, dedup: { action: 'keep' } },
    });
    expect(kept.counts.kept).toBe(3);
    expect(kept.duplicates.clusters).toHaveLength(1);
    expect(kept.duplicates.removed).toBe(0);
    const removed = await scanCorpus({ inputs: [input], outDir: join(dir, 'drop'), config: { workers: 0 } });
    expect(removed.counts.kept).toBe(1);
    expect(removed.duplicates.removed).toBe(2);
  });
});
