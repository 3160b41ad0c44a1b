/**
 * `lifeguard data scan` end to end on a generated corpus with planted PII, secrets, duplicates, low-quality
 * records, malformed lines and a backdoor (scripts/gen-corpus.ts):
 *
 *   npm run bench:scan -- [--size 1GB] [--workers 1,2] [--modes fast,default] [--runs 1]
 *
 * Each configuration runs the compiled CLI in its own process (so peak memory is that run's own) and
 * reads its report.json. The baseline, measured in this process, is the bare cost of reading and parsing
 * the same file. Minute-long whole-pipeline runs do not suit tinybench's many-iteration model, so this
 * harness times whole runs and reports the median of `--runs`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCorpus } from '../scripts/gen-corpus.js';
import { openRecordReader } from '../src/data/io/reader.js';
import type { DataScanReport } from '../src/data/scan/report-types.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const size = arg('size', '50MB');
const workers = arg('workers', '1,2').split(',').map(Number);
const modes = arg('modes', 'fast,default').split(',');
const runs = Number(arg('runs', '1'));
const dir = join(ROOT, '.tmp', `bench-scan-${size}`);
const corpus = join(dir, 'corpus.jsonl');

interface Truth {
  near_duplicates: { id: string; of: string }[];
  exact_duplicates: { id: string; of: string }[];
  backdoor: { phrase: string; ids: string[] };
  records: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  if (!existsSync(corpus)) {
    await mkdir(dir, { recursive: true });
    process.stderr.write(`generating ${size} corpus in ${dir}…\n`);
    await generateCorpus({ out: dir, size, seed: 1 });
  }
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Truth;

  // Baseline: read and parse every line, in this process.
  const t0 = performance.now();
  let bytes = 0;
  for await (const rec of openRecordReader(corpus)) bytes += rec.bytes ?? 0;
  const baselineMBs = bytes / 1e6 / ((performance.now() - t0) / 1000);
  console.log(
    `corpus ${(bytes / 1e6).toFixed(0)} MB, ${truth.records} records; baseline read+parse ${baselineMBs.toFixed(1)} MB/s`,
  );

  const rows: Record<string, unknown>[] = [];
  for (const mode of modes) {
    for (const w of workers) {
      const reports: DataScanReport[] = [];
      for (let r = 0; r < runs; r++) {
        const out = join(dir, `out-${mode}-${w}`);
        await rm(out, { recursive: true, force: true });
        const args = ['bin/lifeguard.js', 'data', 'scan', corpus, '--out', out, '--workers', String(w)];
        if (mode === 'fast') args.push('--fast');
        const p = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        if (p.status !== 0) throw new Error(`scan failed: ${p.stderr}`);
        reports.push(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as DataScanReport);
      }
      const last = reports[reports.length - 1] as DataScanReport;
      const mbs = median(reports.map((x) => x.throughput.mb_per_s));
      const row = {
        mode,
        workers: w,
        mb_per_s: mbs,
        mb_per_s_per_worker: Math.round((mbs / w) * 1000) / 1000,
        vs_baseline: Math.round((mbs / baselineMBs) * 1000) / 1000,
        elapsed_s: median(reports.map((x) => x.throughput.elapsed_s)),
        // CPU time of the whole process per MB: steadier than MB/s on a shared machine.
        cpu_ms_per_mb: Math.round(
          median(reports.map((x) => ((x.throughput.cpu_s ?? 0) * 1000 * 1e6) / x.throughput.bytes)),
        ),
        prepass_s: median(reports.map((x) => x.throughput.prepass_s)),
        peak_rss_mb: Math.max(...reports.map((x) => x.memory.peak_rss_mb)),
        balanced: reports.every((x) => x.counts.balanced),
        ...quality(last, truth),
      };
      rows.push(row);
      console.log(JSON.stringify(row));
    }
  }
  writeFileSync(join(dir, 'results.json'), `${JSON.stringify({ size, baselineMBs, rows }, null, 2)}\n`);
  console.table(rows);
}

/** Near-dup precision/recall against the planted pairs, and how the planted trigger was found. */
function quality(report: DataScanReport, truth: Truth) {
  const planted = new Map([...truth.near_duplicates, ...truth.exact_duplicates].map((d) => [d.id, d.of]));
  const predicted = new Set<string>();
  for (const c of report.duplicates.clusters) for (const m of c.members.slice(1)) predicted.add(m);
  let tp = 0;
  for (const id of predicted) if (planted.has(id)) tp++;
  const backdoor = new Set(truth.backdoor.ids);
  const rank = report.poisoning.triggers.findIndex((t) => t.phrase === truth.backdoor.phrase) + 1;
  const flagged = new Set(report.poisoning.triggers[rank - 1]?.records ?? []);
  let hit = 0;
  for (const id of flagged) if (backdoor.has(id)) hit++;
  const clean = truth.records - backdoor.size;
  return {
    dup_precision: Math.round((tp / Math.max(1, predicted.size)) * 1000) / 1000,
    dup_recall: Math.round((tp / Math.max(1, planted.size)) * 1000) / 1000,
    trigger_rank: rank,
    trigger_recall: Math.round((hit / Math.max(1, backdoor.size)) * 1000) / 1000,
    trigger_clean_flagged: Math.round(((flagged.size - hit) / clean) * 1e5) / 1e5,
  };
}

await main();
