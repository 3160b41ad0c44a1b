/**
 * Red-team harness overhead: requests/s through the whole harness (plan, run log, retries/budget checks,
 * judging, results.jsonl and summary) against a local endpoint that answers at once, at concurrency 64,
 * side by side with promptfoo (bench/peers/promptfoo, pinned 0.121.20: the last release that runs on
 * Node 20) on the same static prompts and the same endpoint.
 *
 * The endpoint runs in its own process (test/redteam/helpers/fake-openai.ts via bench/redteam-endpoint.ts)
 * so its CPU is not charged to the harness; both harnesses are timed around their library call (ours:
 * runRedteam, promptfoo: evaluate()), startup excluded. Reported: median requests/s over RUNS runs after a
 * warm-up, CPU-ms per request of the harness process, and the load average (the machine may be shared).
 *
 * npm run bench:redteam                      (N=5000 prompts, RUNS=5; PF_N=1000 prompts for promptfoo)
 * N=2000 RUNS=3 PF_N=500 npm run bench:redteam
 * Install promptfoo first: npm install --prefix bench/peers/promptfoo  (skipped with a note when missing)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAttacks } from '../src/redteam/attacks/index.js';
import { parseRedteamConfig } from '../src/redteam/config.js';
import { buildJudgePanel } from '../src/redteam/judges/index.js';
import { runRedteam } from '../src/redteam/runner/index.js';
import { closeTargetConnections, createTarget } from '../src/redteam/targets/index.js';
import type { Goal, JudgePanel } from '../src/redteam/types.js';

const N = Number(process.env.N ?? 5000);
const RUNS = Number(process.env.RUNS ?? 5);
const PF_N = Number(process.env.PF_N ?? 1000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 64);
const ROOT = join(import.meta.dirname, '..');
const log = (s: string) => process.stderr.write(`${s}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function startEndpoint(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/redteam-endpoint.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout?.once('data', (d: Buffer) => resolve({ url: d.toString().trim(), child }));
  });
}

interface Measure {
  wall_ms: number;
  cpu_ms: number;
  n: number;
  load1: number;
}

function summarise(name: string, runs: Measure[]) {
  const rps = runs.map((r) => (r.n * 1000) / r.wall_ms);
  const cpuPer = runs.map((r) => r.cpu_ms / r.n);
  return {
    harness: name,
    prompts: runs[0]?.n ?? 0,
    runs: runs.length,
    rps_median: Math.round(median(rps)),
    rps_all: rps.map((x) => Math.round(x)),
    cpu_ms_per_request_median: Number(median(cpuPer).toFixed(3)),
    load1_during: runs.map((r) => Number(r.load1.toFixed(2))),
  };
}

const prompts = Array.from(
  { length: Math.max(N, PF_N) },
  (_, i) => `Benchmark prompt ${i}: describe the water cycle in two sentences.`,
);
const goals: Goal[] = prompts.slice(0, N).map((text, i) => ({ id: `bench:${i}`, text, source: 'bench' }));

const { url, child } = await startEndpoint();
log(
  `endpoint ${url} (separate process); ${cpus().length} CPUs; load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
const out: Record<string, unknown>[] = [];
try {
  const config = parseRedteamConfig({
    target: { type: 'openai', baseUrl: url, model: 'fake-model' },
    goals: ['jbb'],
    attacks: ['direct'],
    runner: { concurrency: CONCURRENCY, cache: false },
    output: { formats: ['json'] },
  });
  const attacks = buildAttacks(['direct']);
  const panels: [string, JudgePanel | null][] = [
    ['lifeguard (judges off)', null],
    ['lifeguard (keywords judge)', await buildJudgePanel({ judges: ['keywords'] }, { createTarget })],
    ['lifeguard (default offline judges)', await buildJudgePanel({}, { createTarget })],
  ];
  for (const [name, panel] of panels) {
    const runs: Measure[] = [];
    for (let r = -1; r < RUNS; r++) {
      const dir = mkdtempSync(join(tmpdir(), 'lg-rt-bench-'));
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const res = await runRedteam(config, { outDir: dir, goals, attacks, panel });
      const wall = performance.now() - t0;
      const c = process.cpuUsage(c0);
      rmSync(dir, { recursive: true, force: true });
      if (res.counts.done !== N)
        throw new Error(`${name}: ${res.counts.done}/${N} answered (${res.counts.failed} failed)`);
      if (r >= 0) runs.push({ wall_ms: wall, cpu_ms: (c.user + c.system) / 1000, n: N, load1: loadavg()[0] });
    }
    const s = summarise(name, runs);
    out.push(s);
    log(
      `${name}: ${s.rps_median} req/s (median of ${RUNS}: ${s.rps_all.join(', ')}), ${s.cpu_ms_per_request_median} CPU-ms/request`,
    );
  }
  await closeTargetConnections();

  const pfDir = join(ROOT, 'bench/peers/promptfoo');
  if (PF_N <= 0) {
    out.push({ harness: 'promptfoo 0.121.20', skipped: 'PF_N=0' });
  } else if (!existsSync(join(pfDir, 'node_modules/promptfoo'))) {
    log('promptfoo: not installed (npm install --prefix bench/peers/promptfoo): skipped');
    out.push({ harness: 'promptfoo 0.121.20', skipped: 'not installed' });
  } else {
    const file = join(mkdtempSync(join(tmpdir(), 'lg-rt-bench-')), 'prompts.json');
    writeFileSync(file, JSON.stringify(prompts.slice(0, PF_N)));
    const lines: string[] = await new Promise((resolve, reject) => {
      const p = spawn(process.execPath, [join(pfDir, 'run.mjs'), url, file, String(CONCURRENCY), String(RUNS + 1)], {
        stdio: ['ignore', 'pipe', 'ignore'],
        env: { ...process.env, NODE_NO_WARNINGS: '1' },
      });
      let buf = '';
      p.stdout?.on('data', (d) => {
        buf += d;
      });
      p.on('error', reject);
      p.on('close', (code) =>
        code === 0 ? resolve(buf.trim().split('\n')) : reject(new Error(`promptfoo exited ${code}`)),
      );
    });
    const pf = lines.map((l) => JSON.parse(l) as { wall_ms: number; cpu_ms: number; n: number; ok: number }).slice(1);
    for (const r of pf) if (r.ok !== r.n) throw new Error(`promptfoo: ${r.ok}/${r.n} answered`);
    const s = summarise(
      'promptfoo 0.121.20 (evaluate, no asserts)',
      pf.map((r) => ({ ...r, load1: loadavg()[0] })),
    );
    out.push(s);
    log(
      `${s.harness}: ${s.rps_median} req/s (median of ${RUNS}: ${s.rps_all.join(', ')}), ${s.cpu_ms_per_request_median} CPU-ms/request`,
    );
  }
} finally {
  child.kill('SIGTERM');
}
process.stdout.write(
  `${JSON.stringify({ concurrency: CONCURRENCY, cpus: cpus().length, node: process.version, load_after: loadavg(), results: out }, null, 2)}\n`,
);
