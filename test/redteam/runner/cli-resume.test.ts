import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ItemResult } from '../../../src/redteam/types.js';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.js';
import { tmp } from '../helpers/runner-fixtures.js';

const ROOT = join(import.meta.dirname, '../../..');
const CLI = join(ROOT, 'test/cli/run-cli.ts');

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function spawnCli(args: string[]): { child: ChildProcess; done: Promise<Exit> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'redteam', ...args], { cwd: ROOT, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c) => {
    stdout += c;
  });
  child.stderr?.on('data', (c) => {
    stderr += c;
  });
  const done = new Promise<Exit>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

async function until(cond: () => boolean, ms = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A run dir's config: `n` goals from a JSONL file, the direct attack, the keyword judge, no cache. */
function setup(srv: FakeOpenAi, n: number, concurrency: number): { cfg: string; out: string } {
  const dir = tmp('lg-rt-cli-');
  const goalsFile = join(dir, 'goals.jsonl');
  writeFileSync(
    goalsFile,
    `${Array.from({ length: n }, (_, i) => JSON.stringify({ goal: `cli goal ${i}` })).join('\n')}\n`,
  );
  const cfg = join(dir, 'run.yaml');
  writeFileSync(
    cfg,
    [
      'target: { type: openai, baseUrl: URL, model: fake }'.replace('URL', srv.url),
      'goals: [{ file: goals.jsonl }]',
      'attacks: [direct]',
      'judges: { judges: [keywords] }',
      `runner: { concurrency: ${concurrency}, cache: false, graceMs: 10000 }`,
      'output: { formats: [json] }',
    ].join('\n'),
  );
  return { cfg, out: join(dir, 'run') };
}

const results = (out: string): ItemResult[] =>
  readFileSync(join(out, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ItemResult);

let srv: FakeOpenAi | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});

describe('lifeguard redteam run: killed midway, resumed', () => {
  it('SIGTERM: stops, exits non-zero telling how to resume; the resume sends every prompt exactly once', async () => {
    srv = await startFakeOpenAi({
      latencyMs: 40,
      answer: (p) => (p.endsWith('3') ? "I'm sorry, I can't help." : `Sure: ${p}`),
    });
    const s = srv;
    const { cfg, out } = setup(s, 40, 4);
    const first = spawnCli(['run', cfg, '--out', out, '--quiet']);
    await until(() => s.count >= 10);
    first.child.kill('SIGTERM');
    const a = await first.done;
    expect(a.code).toBe(143);
    expect(a.stderr).toMatch(/SIGTERM: stopping/);
    expect(a.stderr).toContain(`--out ${out} --resume`);
    const sentBefore = s.count;
    expect(sentBefore).toBeLessThan(40);
    const before = results(out);
    expect(before.length).toBe(sentBefore);

    const second = spawnCli(['run', cfg, '--out', out, '--resume', '--quiet']);
    const b = await second.done;
    expect(b.code).toBe(0);
    const outcome = JSON.parse(b.stdout.trim());
    expect(outcome.status).toBe('complete');
    expect(outcome.counts).toMatchObject({ items: 40, fromLog: sentBefore, sent: 40 - sentBefore, unanswered: 0 });
    expect(s.requests).toHaveLength(40);
    const counts = s.promptCounts();
    expect(counts.size).toBe(40);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const all = results(out);
    expect(all).toHaveLength(40);
    expect(all.every((r) => r.final !== null && r.verdicts.length > 0)).toBe(true);
    expect(all.filter((r) => r.final?.refused)).toHaveLength(4);
  });

  it('SIGKILL: requests sent but unanswered are re-sent on resume and reported; no verdict is lost', async () => {
    srv = await startFakeOpenAi({ latencyMs: 250 });
    const s = srv;
    const { cfg, out } = setup(s, 32, 8);
    const first = spawnCli(['run', cfg, '--out', out, '--quiet']);
    await until(() => s.count >= 12);
    first.child.kill('SIGKILL');
    const a = await first.done;
    expect(a.signal).toBe('SIGKILL');

    const second = spawnCli(['run', cfg, '--out', out, '--resume', '--quiet']);
    const b = await second.done;
    expect(b.code).toBe(0);
    const outcome = JSON.parse(b.stdout.trim());
    const unanswered = outcome.counts.unanswered as number;
    expect(unanswered).toBeGreaterThan(0);
    expect(b.stderr).toMatch(/never answered \(\d+ sent before a hard kill\): sent again/);
    const counts = s.promptCounts();
    expect(counts.size).toBe(32);
    const duplicates = [...counts.values()].reduce((acc, n) => acc + n - 1, 0);
    // only requests the log recorded as sent-and-unanswered can reach the endpoint twice
    expect(duplicates).toBeLessThanOrEqual(unanswered);
    const all = results(out);
    expect(all).toHaveLength(32);
    expect(all.every((r) => r.final !== null)).toBe(true);
  });

  it('SIGKILL with --no-resend: nothing reaches the endpoint twice; those items are failed, not dropped', async () => {
    srv = await startFakeOpenAi({ latencyMs: 250 });
    const s = srv;
    const { cfg, out } = setup(s, 24, 8);
    const first = spawnCli(['run', cfg, '--out', out, '--quiet']);
    await until(() => s.count >= 8);
    first.child.kill('SIGKILL');
    await first.done;
    const b = await spawnCli(['run', cfg, '--out', out, '--resume', '--no-resend', '--quiet']).done;
    expect(b.code).toBe(0);
    const outcome = JSON.parse(b.stdout.trim());
    expect(outcome.counts.unanswered).toBeGreaterThan(0);
    expect([...s.promptCounts().values()].every((n) => n === 1)).toBe(true);
    const all = results(out);
    expect(all).toHaveLength(24);
    const failed = all.filter((r) => r.error);
    expect(failed).toHaveLength(outcome.counts.notResent);
    expect(outcome.counts.resent).toBe(0); // nothing was sent again
    expect(failed.every((r) => /hard kill/.test(r.error ?? ''))).toBe(true);
    expect(all.filter((r) => !r.error).every((r) => r.final !== null)).toBe(true);
  });
});
