/**
 * Guard overhead (issue 5's figures), measured as it will run:
 * 1. In process: `checkInput` with the default policy on ~1 KB prompts, steady state (a warm-up, then
 *    p50/p99 per pass, the median over passes), and the CPU time per call.
 * 2. Through the gateway: an instant OpenAI-compatible upstream in its own process
 *    (bench/guard/instant-upstream.mjs), the gateway as its own process (the built CLI, `lifeguard guard
 *    serve`, audit log on, SQLite), and the load generator here (an undici pool, one request in flight per
 *    connection, the same concurrency for every target). Each run measures the upstream directly and through
 *    each gateway in turn; the table gives the median over runs of requests/s, latency, CPU-ms per request
 *    (gateway processes, from /proc) and the load average during the run. At the end the gateways are
 *    stopped (SIGTERM) and their audit logs counted against the decisions they made.
 *
 * With `--floor`, two more targets show what proxying alone costs, the most any guarded gateway could reach:
 * our gateway with no checks and no audit log, and a bare Node proxy (bench/guard/bare-proxy.mjs: node:http in,
 * an undici pool out, nothing parsed).
 *
 *   npm run bench:guard [-- --n 2000 --passes 3 --seconds 5 --runs 3 --concurrency 16 --workers 1,2 --floor]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

// Measure what ships: the compiled build (`npm run bench:guard` builds it first).
const guardLib = (await import(
  new URL('../dist/guard/index.js', import.meta.url).href
)) as typeof import('../src/guard/index.js');

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '2000' },
    passes: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
    runs: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '16' },
    workers: { type: 'string', default: '1,2' },
    'skip-in-process': { type: 'boolean', default: false },
    floor: { type: 'boolean', default: false },
  },
});
const log = (s: string) => process.stderr.write(`${s}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

const SENTENCES = [
  'I am planning a small garden behind the house and want to grow tomatoes, basil and a few peppers.',
  'The soil is a bit clay-heavy and the spot gets about six hours of sun in the summer months.',
  'Could you suggest a planting schedule, how far apart to space things, and what to add to the soil?',
  'I would also like to know which of these plants do well together and which should be kept apart.',
  'We have a dog, so anything toxic to pets should be flagged, and I prefer organic fertilisers.',
];
/** A 1,024-character prompt (marker included: more would put it over harmful's window, read twice). */
function prompt(i: number): string {
  let s = '';
  let k = i;
  while (s.length < 1100) s += `${SENTENCES[k++ % SENTENCES.length]} `;
  const mark = ` (${i})`;
  return `${s.slice(0, 1024 - mark.length)}${mark}`;
}

console.log(
  `\n# Guard overhead — ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), load average at start ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ')}\n`,
);

// 1. In process.
if (!values['skip-in-process']) {
  const guard = guardLib.createGuard();
  const n = Number(values.n);
  const passes = Number(values.passes);
  log(`in process: warm-up, then ${passes} passes of ${n}`);
  for (let i = 0; i < 300; i++) await guard.checkInput([{ role: 'user', content: prompt(i) }]);
  const rows: { p50: number; p99: number; cpuUs: number; load: number }[] = [];
  for (let p = 0; p < passes; p++) {
    const times: number[] = [];
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await guard.checkInput([{ role: 'user', content: prompt(i) }]);
      times.push(performance.now() - t0);
    }
    const cpu = process.cpuUsage(cpu0);
    times.sort((a, b) => a - b);
    rows.push({
      p50: quantile(times, 0.5),
      p99: quantile(times, 0.99),
      cpuUs: (cpu.user + cpu.system) / n,
      load: loadavg()[0],
    });
  }
  console.log(`## In process (default policy, ~1 KB prompts, median of ${passes} passes of ${n})\n`);
  console.log('| | p50 ms | p99 ms | CPU µs / call | load average (1 min) |');
  console.log('|---|---|---|---|---|');
  console.log(
    `| checkInput | ${median(rows.map((r) => r.p50)).toFixed(3)} | ${median(rows.map((r) => r.p99)).toFixed(3)} | ${median(
      rows.map((r) => r.cpuUs),
    ).toFixed(0)} | ${median(rows.map((r) => r.load)).toFixed(2)} |`,
  );
}

// 2. Through the gateway, each part in its own process.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TICK_MS = 10; // Linux USER_HZ = 100

/** CPU ms used so far by a process and its live children (Linux /proc; NaN elsewhere). */
function cpuMs(pid: number): number {
  try {
    const stat = (p: number) => readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
    let ticks = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const f = stat(Number(entry));
        if (Number(entry) === pid || Number(f[1]) === pid) ticks += Number(f[11]) + Number(f[12]);
      } catch {}
    }
    return ticks * TICK_MS;
  } catch {
    return Number.NaN;
  }
}

/** Spawns a process and waits for `pattern` on its stdout or stderr. */
function start(
  args: string[],
  pattern: RegExp,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; match: string }> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      const m = pattern.exec(out);
      if (m) resolve({ child, match: m[1] });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${out}`)));
  });
}

interface LoadResult {
  rps: number;
  ok: number;
  errors: number;
  p50: number;
  p99: number;
  cpuPerReq: number;
  load: number;
}

/** Closed-loop load: `concurrency` connections, one request in flight on each, for `seconds`. */
async function load(baseUrl: string, seconds: number, cpuOf?: () => number): Promise<LoadResult> {
  const u = new URL(baseUrl);
  const concurrency = Number(values.concurrency);
  const pool = new Pool(u.origin, { connections: concurrency, pipelining: 1 });
  const path = `${u.pathname.replace(/\/$/, '')}/chat/completions`;
  const lat: number[] = [];
  let ok = 0;
  let errors = 0;
  let i = 0;
  const cpu0 = cpuOf?.() ?? Number.NaN;
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const s = performance.now();
      const res = await pool.request({
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'bench', messages: [{ role: 'user', content: prompt(i++) }] }),
      });
      await res.body.text();
      lat.push(performance.now() - s);
      if (res.statusCode === 200) ok++;
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = (cpuOf?.() ?? Number.NaN) - cpu0;
  await pool.close();
  lat.sort((a, b) => a - b);
  return {
    rps: ok / elapsed,
    ok,
    errors,
    p50: quantile(lat, 0.5),
    p99: quantile(lat, 0.99),
    cpuPerReq: cpu / (ok + errors),
    load: loadavg()[0],
  };
}

const seconds = Number(values.seconds);
const runs = Number(values.runs);
const workerCounts = values.workers.split(',').map((w) => Number(w.trim()));
const dir = mkdtempSync(join(tmpdir(), 'lg-guard-bench-'));

log('starting the instant upstream');
const upstream = await start(['bench/guard/instant-upstream.mjs'], /(http:\/\/\S+)\n/);
const upUrl = upstream.match;
const upPid = upstream.child.pid as number;

interface Target {
  name: string;
  url: string;
  pid: number;
  child?: ChildProcess;
  db?: string;
  sent: number;
}
const targets: Target[] = [{ name: 'direct to upstream', url: upUrl, pid: upPid, sent: 0 }];
for (const w of workerCounts) {
  const db = join(dir, `audit-w${w}.db`);
  const config = join(dir, `gateway-w${w}.yaml`);
  writeFileSync(
    config,
    `upstream: { baseUrl: "${upUrl}" }\nserver: { port: 0, workers: ${w} }\naudit: { sqlitePath: "${db}" }\n`,
  );
  log(`starting the gateway with ${w} worker(s)`);
  const gw = await start(['bin/lifeguard.js', 'guard', 'serve', '--config', config], /gateway on (http:\/\/\S+)/, {
    DATABASE_URL: '',
  });
  targets.push({
    name: `through the gateway, ${w} worker${w > 1 ? 's' : ''}`,
    url: `${gw.match}/v1`,
    pid: gw.child.pid as number,
    child: gw.child,
    db,
    sent: 0,
  });
}

if (values.floor) {
  const config = join(dir, 'gateway-floor.yaml');
  writeFileSync(
    config,
    `upstream: { baseUrl: "${upUrl}" }\nserver: { port: 0, workers: 1 }\naudit: { enabled: false }\npolicy: { input: [], context: [], output: [], tool: [] }\n`,
  );
  log('starting the gateway with no checks and no audit log (the floor)');
  const gw = await start(['bin/lifeguard.js', 'guard', 'serve', '--config', config], /gateway on (http:\/\/\S+)/, {
    DATABASE_URL: '',
  });
  const floorTarget = (name: string, started: { child: ChildProcess; match: string }): Target => ({
    name,
    url: `${started.match}/v1`,
    pid: started.child.pid as number,
    child: started.child,
    sent: 0,
  });
  targets.push(floorTarget('through the gateway, no checks, no audit (floor)', gw));
  log('starting a bare Node proxy (the floor of any proxy)');
  const bare = await start(['bench/guard/bare-proxy.mjs', upUrl], /proxy on (http:\/\/\S+)/);
  targets.push(floorTarget('through a bare Node proxy (no parsing, no checks)', bare));
}

const results = new Map<string, LoadResult[]>(targets.map((t) => [t.name, []]));
for (const t of targets) {
  const warm = await load(t.url, 1); // connections, JIT
  t.sent += warm.ok + warm.errors;
}
for (let r = 0; r < runs; r++) {
  for (const t of targets) {
    log(`run ${r + 1}/${runs}: ${t.name}`);
    const res = await load(t.url, seconds, () => cpuMs(t.pid));
    t.sent += res.ok + res.errors;
    results.get(t.name)?.push(res);
  }
}

const directRps = median(results.get(targets[0].name)?.map((x) => x.rps) ?? []);
console.log(
  `\n## Through the gateway (instant upstream and gateway in their own processes, load generator here; ${values.concurrency} connections, ${seconds} s per run, median of ${runs} runs)\n`,
);
console.log(
  '| target | requests/s | of direct | p50 ms | p99 ms | CPU ms / request (server side) | errors | load average (1 min) |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const t of targets) {
  const rs = results.get(t.name) ?? [];
  const rps = median(rs.map((x) => x.rps));
  console.log(
    `| ${t.name} | ${rps.toFixed(0)} | ${((rps / directRps) * 100).toFixed(1)}% | ${median(rs.map((x) => x.p50)).toFixed(2)} | ${median(
      rs.map((x) => x.p99),
    ).toFixed(
      2,
    )} | ${median(rs.map((x) => x.cpuPerReq)).toFixed(3)} | ${rs.reduce((a, x) => a + x.errors, 0)} | ${median(
      rs.map((x) => x.load),
    ).toFixed(2)} |`,
  );
}
console.log('\nCPU ms / request: the upstream process for "direct", the gateway processes (all workers) otherwise.');

// Stop the gateways and check their audit logs: every decision of every request is there.
const { default: Database } = await import('better-sqlite3');
const audits: string[] = [];
for (const t of targets) {
  if (!t.child) continue;
  if (!t.db) {
    t.child.kill('SIGTERM');
    continue;
  }
  const exited = new Promise((r) => t.child?.once('exit', r));
  t.child.kill('SIGTERM');
  await exited;
  const db = new Database(t.db, { readonly: true });
  const { events, requests } = db
    .prepare('select count(*) as events, count(distinct request_id) as requests from audit_events')
    .get() as { events: number; requests: number };
  db.close();
  audits.push(`| ${t.name} | ${t.sent} | ${requests} | ${events} |`);
}
console.log('\n## Audit log after SIGTERM\n');
console.log('| gateway | requests sent | requests in the log | decisions in the log |');
console.log('|---|---|---|---|');
for (const a of audits) console.log(a);
upstream.child.kill('SIGTERM');
rmSync(dir, { recursive: true, force: true });
