import { linkSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeManifest } from '../../src/data/integrity/index.js';
import { scanCorpus } from '../../src/data/scan/pipeline.js';

const CORPUS = `${[
  '{"id":"a","text":"A record about the quiet river and the stone bridge in the morning."}',
  '{"id":"b","text":"Another record about the orchard, the apples and the autumn harvest."}',
].join('\n')}\n`;

function setup(): { dir: string; input: string; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lg-qa11b-links-'));
  const input = join(dir, 'in.jsonl');
  writeFileSync(input, CORPUS);
  const out = join(dir, 'out');
  mkdirSync(out);
  return { dir, input, out };
}

describe('an existing output that is the input under another name is refused, the input intact', () => {
  for (const [name, how] of [
    ['quarantine.jsonl', 'symlink'],
    ['report.json', 'symlink'],
    ['quarantine.jsonl', 'hard link'],
  ] as const) {
    it(`data scan: OUT/${name} a ${how} to the input`, async () => {
      const { input, out } = setup();
      if (how === 'symlink') symlinkSync(input, join(out, name));
      else linkSync(input, join(out, name));
      await expect(
        scanCorpus({ inputs: [input], outDir: out, config: { workers: 0, fast: true, poisoning: { enabled: false } } }),
      ).rejects.toMatchObject({
        code: 'LG_ERR_INPUT_INVALID',
        message: expect.stringMatching(/is where this scan writes its output/),
      });
      expect(readFileSync(input, 'utf8')).toBe(CORPUS);
    }, 60_000);
  }

  for (const how of ['symlink', 'hard link'] as const) {
    it(`data manifest: -o a ${how} to an input`, async () => {
      const { dir, input } = setup();
      const out = join(dir, 'm.jsonl');
      if (how === 'symlink') symlinkSync(input, out);
      else linkSync(input, out);
      await expect(writeManifest([input], out)).rejects.toMatchObject({ code: 'LG_ERR_INPUT_INVALID' });
      expect(readFileSync(input, 'utf8')).toBe(CORPUS);
    });
  }

  it('an unrelated file already at OUT/quarantine.jsonl is simply replaced', async () => {
    const { input, out } = setup();
    writeFileSync(join(out, 'quarantine.jsonl'), 'old\n');
    const report = await scanCorpus({
      inputs: [input],
      outDir: out,
      config: { workers: 0, fast: true, poisoning: { enabled: false } },
    });
    expect(report.counts).toMatchObject({ in: 2, kept: 2, balanced: true });
    expect(readFileSync(join(out, 'quarantine.jsonl'), 'utf8')).toBe('');
  }, 60_000);
});
