// promptfoo's side of bench/redteam.bench.ts: the same static prompts against the same local endpoint,
// through promptfoo's own evaluate() (library API, in this process), no assertions, cache off. Prints one
// JSON line per run: { wall_ms, cpu_ms, n, ok }.
// Usage: node bench/peers/promptfoo/run.mjs <baseUrl> <prompts.json> <concurrency> <runs>
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// local only: no telemetry, no update checks, no sharing, state in a throw-away folder
process.env.PROMPTFOO_DISABLE_TELEMETRY = '1';
process.env.PROMPTFOO_DISABLE_UPDATE = '1';
process.env.PROMPTFOO_DISABLE_SHARING = '1';
process.env.PROMPTFOO_CACHE_ENABLED = 'false';
process.env.PROMPTFOO_DISABLE_REMOTE_GENERATION = 'true';
process.env.PROMPTFOO_CONFIG_DIR ??= mkdtempSync(join(tmpdir(), 'promptfoo-bench-'));
process.env.LOG_LEVEL ??= 'error';

const [url, promptsFile, concurrency = '64', runs = '5'] = process.argv.slice(2);
const prompts = JSON.parse(readFileSync(promptsFile, 'utf8'));
const { evaluate } = await import('promptfoo');

for (let r = 0; r < Number(runs); r++) {
  const suite = {
    prompts: ['{{prompt}}'],
    providers: [{ id: 'openai:chat:fake-model', config: { apiBaseUrl: url, apiKey: 'sk-bench' } }],
    tests: prompts.map((p) => ({ vars: { prompt: p } })),
    writeLatestResults: false,
    sharing: false,
  };
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const res = await evaluate(suite, { maxConcurrency: Number(concurrency), showProgressBar: false, cache: false });
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const summary = typeof res.toEvaluateSummary === 'function' ? await res.toEvaluateSummary() : res;
  const rows = summary.results ?? [];
  const ok = rows.filter((x) => x.response && !x.error && typeof x.response.output === 'string').length;
  process.stdout.write(
    `${JSON.stringify({ wall_ms: wall, cpu_ms: (c.user + c.system) / 1000, n: prompts.length, ok })}\n`,
  );
}
process.exit(0);
