/**
 * Audit log write cost on SQLite: 10 000 events written as 100 sequential `record()` calls of 100 events, into a
 * fresh file, five times; prints each run's milliseconds, sorted. Used to price the listing indexes of schema
 * version 2 (run it on a checkout before and after; `docs/guard-audit.md`).
 *
 *   npm run bench:audit-write [-- --dir /tmp]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

// Measure what ships: the compiled build (`npm run bench:audit-write` builds it first).
const { createAuditLog } = (await import(
  new URL('../dist/guard/audit/index.js', import.meta.url).href
)) as typeof import('../src/guard/audit/index.js');

const { values } = parseArgs({ options: { dir: { type: 'string', default: tmpdir() } } });
const dir = mkdtempSync(join(values.dir, 'lg-audit-bench-'));
const checks = ['pii', 'injection', 'secrets'];
const event = (i: number) => ({
  requestId: `r${i}`,
  stage: 'input' as const,
  check: checks[i % 3],
  action: 'allow' as const,
  fired: false,
  enforced: true,
  latencyMs: 0.1,
});
const times: number[] = [];
try {
  for (let run = 0; run < 5; run++) {
    const log = await createAuditLog({ sqlitePath: join(dir, `audit-${run}.db`) });
    const t0 = performance.now();
    for (let b = 0; b < 100; b++) await log.record(Array.from({ length: 100 }, (_, k) => event(b * 100 + k)));
    await log.flush();
    times.push(performance.now() - t0);
    await log.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
times.sort((a, b) => a - b);
console.log(`10 000 events, batches of 100, ms per run (sorted): ${times.map((t) => t.toFixed(0)).join(' ')}`);
console.log(`median ${times[2].toFixed(0)} ms, ${(10_000 / (times[2] / 1000)).toFixed(0)} events/s`);
