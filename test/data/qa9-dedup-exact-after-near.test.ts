import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/random.js';
import { createSketcher, DedupIndex } from '../../src/data/dedup/index.js';
import { scanCorpus } from '../../src/data/scan/pipeline.js';
import type { DataScanReport } from '../../src/data/scan/report-types.js';
import { edit, prose } from './scan/fixtures.js';

/*
 * A, then B (a near duplicate of A, removed as near), then C (an exact copy of B): C is an exact
 * duplicate — of B, the earliest identical record — even though B was itself removed; A stays the kept
 * representative of the one cluster.
 */

interface QLine {
  id: string;
  reasons: string[];
  details: Record<string, unknown>;
}

const rand = mulberry32(91);
const A = prose(rand, 200);
const B = edit(mulberry32(92), A, 0.03);
// The same text as B as dedup sees it (case and whitespace aside).
const C = `  ${B.toUpperCase().replace(/ /g, '   ')}\n`;
const fillers = Array.from({ length: 300 }, () => prose(rand, 60));
const C_AT = 2 + 240;

function corpusLines(): string[] {
  const lines = [JSON.stringify({ id: 'A', text: A }), JSON.stringify({ id: 'B', text: B })];
  for (const [i, t] of fillers.slice(0, C_AT - 2).entries()) lines.push(JSON.stringify({ id: `f${i}`, text: t }));
  lines.push(JSON.stringify({ id: 'C', text: C }));
  for (const [i, t] of fillers.slice(C_AT - 2).entries()) lines.push(JSON.stringify({ id: `g${i}`, text: t }));
  return lines;
}

function writeCorpus(): { dir: string; input: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lg-qa9-dedup-'));
  const input = join(dir, 'c.jsonl');
  writeFileSync(input, `${corpusLines().join('\n')}\n`);
  return { dir, input };
}

function quarantine(out: string): QLine[] {
  return readFileSync(join(out, 'quarantine.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as QLine);
}

function expectExactAfterNear(out: string, report: DataScanReport): void {
  const q = quarantine(out);
  expect(q.map((x) => x.id)).toEqual(['B', 'C']);
  const [b, c] = q as [QLine, QLine];
  expect(b.reasons).toEqual(['duplicate:near']);
  expect(b.details.duplicate_of).toBe('A');
  expect(b.details.exact_of).toBeUndefined();
  const sim = b.details.similarity as number;
  expect(sim).toBeGreaterThanOrEqual(0.7);
  expect(sim).toBeLessThan(1);

  // C: an exact duplicate of B; still in A's cluster, A the kept record.
  expect(c.reasons).toEqual(['duplicate:exact']);
  expect(c.details.exact_of).toBe('B');
  expect(c.details.duplicate_of).toBe('A');
  expect(c.details.cluster).toBe(b.details.cluster);
  // Similarity to the representative named by duplicate_of: C is B's text, so B's figure.
  expect(c.details.similarity).toBe(sim);

  const kept = readFileSync(join(out, 'kept.jsonl'), 'utf8');
  expect(kept).toContain('"id":"A"');
  expect(report.counts).toMatchObject({ duplicates_exact: 1, duplicates_near: 1, quarantined: 2 });
  expect(report.quarantine.reasons).toEqual({ 'duplicate:exact': 1, 'duplicate:near': 1 });
  expect(report.duplicates.clusters).toEqual([
    { id: b.details.cluster, kind: 'near', representative: 'A', members: ['A', 'B', 'C'] },
  ]);
  expect(report.duplicates.removed).toBe(2);
  expect(report.duplicates.cluster_sizes).toEqual({ '3': 1 });
  const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as DataScanReport;
  expect(json.counts).toEqual(report.counts);
  expect(json.duplicates).toEqual(report.duplicates);
}

describe('QA9: an exact copy of a record removed as a near duplicate', () => {
  it('DedupIndex calls it exact, names the identical record, and keeps the representative', () => {
    const sketcher = createSketcher();
    const index = new DedupIndex();
    expect(index.add(0, sketcher.sketch(A))).toEqual({ kind: 'unique', rep: 0 });
    const near = index.add(3, sketcher.sketch(B));
    expect(near).toMatchObject({ kind: 'near', rep: 0 });
    const exact = index.add(7, sketcher.sketch(C));
    expect(exact).toEqual({ kind: 'exact', rep: 0, copyOf: 3, similarity: near.kind === 'near' && near.similarity });
    // Another copy still points at B, the earliest identical record.
    expect(index.add(8, sketcher.sketch(B))).toMatchObject({ kind: 'exact', rep: 0, copyOf: 3 });
    // A copy of A itself names A.
    expect(index.add(9, sketcher.sketch(A))).toEqual({ kind: 'exact', rep: 0, similarity: 1 });
    expect(index.size).toBe(1);
    expect(index.counts).toEqual({ unique: 1, exact: 3, near: 1 });
  });

  it('exact-only indexes are unchanged (no near duplicates to remember)', () => {
    const sketcher = createSketcher();
    const index = new DedupIndex({ near: false });
    expect(index.add(0, sketcher.sketch(A)).kind).toBe('unique');
    expect(index.add(1, sketcher.sketch(B))).toEqual({ kind: 'unique', rep: 1 });
    expect(index.add(2, sketcher.sketch(C))).toEqual({ kind: 'exact', rep: 1, similarity: 1 });
  });

  for (const workers of [0, 1]) {
    it(`data scan reports it as duplicate:exact of B in A's cluster (workers: ${workers})`, async () => {
      const { dir, input } = writeCorpus();
      const out = join(dir, 'out');
      const report = await scanCorpus({ inputs: [input], outDir: out, config: { workers, fast: true } });
      expectExactAfterNear(out, report);
    }, 60_000);
  }

  it('a resumed scan (dedup index rebuilt from the logged sketches) says the same', async () => {
    const { dir, input } = writeCorpus();
    const out = join(dir, 'out');
    const config = { workers: 0, fast: true, batchRecords: 10, checkpointRecords: 100 };
    const cpPath = join(out, '.lifeguard-scan', 'checkpoint.json');
    const stop = new Error('stop');
    // Interrupt once a checkpoint past B but before C is on disk.
    await expect(
      scanCorpus({
        inputs: [input],
        outDir: out,
        config,
        onProgress: (p) => {
          if (p.phase !== 'scan' || !existsSync(cpPath)) return;
          const cp = JSON.parse(readFileSync(cpPath, 'utf8')) as { records: number };
          if (cp.records >= 100 && cp.records < C_AT) throw stop;
        },
      }),
    ).rejects.toBe(stop);
    await new Promise((r) => setTimeout(r, 200)); // let a checkpoint still being written finish
    const cp = JSON.parse(readFileSync(cpPath, 'utf8')) as { records: number; done: boolean };
    expect(cp.done).toBe(false);
    expect(cp.records).toBeGreaterThanOrEqual(2);
    expect(cp.records).toBeLessThan(C_AT);
    const report = await scanCorpus({ inputs: [input], outDir: out, resume: true, config });
    expect(report.resumed).toBe(true);
    expectExactAfterNear(out, report);
  }, 60_000);
});
