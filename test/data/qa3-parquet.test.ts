import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { verifyManifest, writeManifest } from '../../src/data/integrity/index.js';
import { readColumns } from '../../src/data/io/reader.js';
import { scanCorpus } from '../../src/data/scan/pipeline.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lg-qa3-pq-'));

/**
 * A Parquet file with an INT64 `id`, a text column and an INT64 `score` that is null in the first
 * `nulls` rows (more than the kept writer's 1000-row group, so its first group sees only nulls).
 */
function writeInt64Parquet(path: string, rows = 6, nulls = 3): void {
  const ids: bigint[] = [];
  const texts: string[] = [];
  const scores: (bigint | null)[] = [];
  for (let i = 0; i < rows; i++) {
    ids.push(BigInt(1000 + i));
    texts.push(`Row ${i} describes a ${['garden', 'harbour', 'library'][i % 3]} visited on day ${i * 37}.`);
    scores.push(i < nulls ? null : BigInt(i));
  }
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'id', data: ids, type: 'INT64' },
      { name: 'text', data: texts, type: 'STRING' },
      { name: 'score', data: scores, type: 'INT64' },
    ],
    rowGroupSize: 500,
  });
  writeFileSync(path, new Uint8Array(buffer));
}

describe('QA3: Parquet inputs', () => {
  it('writes kept.parquet when a column is null in its first 1000 rows and INT64 later', async () => {
    const dir = tmp();
    const input = join(dir, 'in.parquet');
    writeInt64Parquet(input, 1100, 1050);
    const out = join(dir, 'out');
    const report = await scanCorpus({
      inputs: [input],
      outDir: out,
      config: { workers: 0, fast: true, dedup: { enabled: false }, poisoning: { enabled: false } },
    });
    expect(report.counts.kept).toBe(1100);
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(join(out, 'kept.parquet')) });
    expect(rows.slice(1048, 1052).map((r) => r.score)).toEqual([null, null, 1050n, 1051n]);
  });

  it("uses an INT64 id column as the records' ids (quarantine ids and duplicate_of)", async () => {
    const dir = tmp();
    const input = join(dir, 'dup.parquet');
    const text = 'The same sentence about a quiet harbour at dawn, written twice in this file.';
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'id', data: [7001n, 7002n], type: 'INT64' },
        { name: 'text', data: [text, text], type: 'STRING' },
      ],
    });
    writeFileSync(input, new Uint8Array(buffer));
    const out = join(dir, 'out');
    await scanCorpus({ inputs: [input], outDir: out, config: { workers: 0, fast: true } });
    const q = JSON.parse((await readFile(join(out, 'quarantine.jsonl'), 'utf8')).trim());
    expect(q.id).toBe('7002');
    expect(q.details.duplicate_of).toBe('7001');
  });

  it('writes and verifies a manifest of a file with INT64 columns', async () => {
    const dir = tmp();
    const input = join(dir, 'in.parquet');
    writeInt64Parquet(input);
    const manifest = join(dir, 'manifest.jsonl');
    const summary = await writeManifest([input], manifest);
    expect(summary.records).toBe(6);
    const lines = (await readFile(manifest, 'utf8')).trim().split('\n');
    expect(JSON.parse(lines[0] as string).id).toBe(1000);
    expect((await verifyManifest(manifest, [input])).ok).toBe(true);
  });

  it('reports a truncated or empty Parquet file as an input error, not a crash', async () => {
    const dir = tmp();
    const good = join(dir, 'good.parquet');
    writeInt64Parquet(good);
    const bytes = await readFile(good);
    const truncated = join(dir, 'truncated.parquet');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 20));
    const empty = join(dir, 'empty.parquet');
    writeFileSync(empty, '');
    for (const input of [truncated, empty]) {
      await expect(readColumns(input)).rejects.toMatchObject({ code: 'LG_ERR_INPUT_INVALID' });
      await expect(
        scanCorpus({ inputs: [input], outDir: join(dir, 'out'), config: { workers: 0, fast: true } }),
      ).rejects.toMatchObject({
        code: 'LG_ERR_INPUT_INVALID',
        message: expect.stringMatching(/not a readable Parquet/),
      });
    }
  });
});
