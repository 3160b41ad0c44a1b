import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyManifest, writeManifest } from '../../src/data/integrity/index.js';
import { scanCorpus } from '../../src/data/scan/pipeline.js';

/** Two shards with one file name in two folders, as data sets are often laid out (`en/train.jsonl`, `de/…`). */
function twoShards(): { en: string; de: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lg-qa3-shards-'));
  const en = join(dir, 'en', 'train.jsonl');
  const de = join(dir, 'de', 'train.jsonl');
  mkdirSync(join(dir, 'en'));
  mkdirSync(join(dir, 'de'));
  const line = '{"text":"A shared sentence about the old lighthouse keeper and his loyal dog."}\n';
  writeFileSync(en, line);
  writeFileSync(de, `${line}{"text":"Ein anderer Satz über den Hafen am frühen Morgen und die Fischer."}\n`);
  return { en, de, dir };
}

describe('QA3: inputs that share a file name', () => {
  it('data scan tells their records apart in ids and duplicate clusters', async () => {
    const { en, de, dir } = twoShards();
    const out = join(dir, 'out');
    const report = await scanCorpus({ inputs: [en, de], outDir: out, config: { workers: 0, fast: true } });
    const q = JSON.parse(readFileSync(join(out, 'quarantine.jsonl'), 'utf8').trim());
    expect(q.id).toBe(`${de}:0`);
    expect(q.details.duplicate_of).toBe(`${en}:0`);
    expect(report.duplicates.clusters[0]?.members).toEqual([`${en}:0`, `${de}:0`]);
  });

  it('data manifest keeps one shard entry per input', async () => {
    const { en, de, dir } = twoShards();
    const manifest = join(dir, 'm.jsonl');
    const summary = await writeManifest([en, de], manifest);
    expect(summary.shards.map((s) => [s.file, s.records])).toEqual([
      [en, 1],
      [de, 2],
    ]);
    expect((await verifyManifest(manifest, [en, de])).ok).toBe(true);
  });
});
