import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { scanCorpus } from '../../src/data/scan/pipeline.js';

/*
 * A Parquet scan spools its kept records in OUT/.lifeguard-scan/kept.v8 and assembles kept.parquet at the
 * end. The spool was deleted as kept.parquet was written, before report.json, report.html (vega, the slow
 * part) and the final checkpoint: a scan killed in that window left a checkpoint that pointed at the
 * deleted spool, and --resume died of an unhandled ENOENT rejection (a raw stack trace) instead of
 * finishing. A --resume of a finished Parquet scan died the same way.
 */

const config = { workers: 0, fast: true, poisoning: { enabled: false } };
const OUTPUTS = ['kept.parquet', 'quarantine.jsonl'];

function writeInput(dir: string): string {
  const path = join(dir, 'in.parquet');
  const ids: string[] = [];
  const texts: (string | null)[] = [];
  for (let i = 0; i < 40; i++) {
    ids.push(`p${i}`);
    texts.push(
      i === 3 ? null : `Row ${i % 30} describes a ${['garden', 'harbour', 'library'][i % 3]} visited on day ${i % 30}.`,
    );
  }
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'id', data: ids, type: 'STRING' },
      { name: 'text', data: texts, type: 'STRING' },
    ],
  });
  writeFileSync(path, new Uint8Array(buffer));
  return path;
}

function files(out: string): Record<string, string> {
  return Object.fromEntries(OUTPUTS.map((f) => [f, readFileSync(join(out, f)).toString('base64')]));
}

describe('QA9 scan: resuming a Parquet scan at its very end', () => {
  it('finishes a scan interrupted after kept.parquet was written but before the final checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-qa9-pq-'));
    const input = writeInput(dir);
    const clean = await scanCorpus({ inputs: [input], outDir: join(dir, 'clean'), config });
    expect(clean.counts).toMatchObject({ in: 40, balanced: true });
    // Interrupted in that window: report.html cannot be written (a folder is in its place), as a kill there would.
    const out = join(dir, 'out');
    mkdirSync(join(out, 'report.html'), { recursive: true });
    await expect(scanCorpus({ inputs: [input], outDir: out, config })).rejects.toThrow(/EISDIR/);
    rmSync(join(out, 'report.html'), { recursive: true });
    const resumed = await scanCorpus({ inputs: [input], outDir: out, config, resume: true });
    expect(resumed.resumed).toBe(true);
    expect(resumed.counts).toEqual(clean.counts);
    expect(files(out)).toEqual(files(join(dir, 'clean')));
  }, 60_000);

  it('a --resume of a finished Parquet scan changes nothing and returns its report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-qa9-pq-'));
    const input = writeInput(dir);
    const out = join(dir, 'out');
    const clean = await scanCorpus({ inputs: [input], outDir: out, config });
    const before = files(out);
    const again = await scanCorpus({ inputs: [input], outDir: out, config, resume: true });
    expect(again.counts).toEqual(clean.counts);
    expect(files(out)).toEqual(before);
  }, 60_000);
});
