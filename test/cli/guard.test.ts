import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseGatewayConfig } from '../../src/guard/gateway/config.js';
import { startFakeUpstream } from '../guard/upstream.js';
import { runCli } from './helpers.js';

const RUNNER = fileURLToPath(new URL('./run-cli.ts', import.meta.url));

describe('lifeguard guard', () => {
  it('init writes a commented starter config that validates; it will not overwrite without --force', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-guard-'));
    const file = join(dir, 'guard.yaml');
    expect(runCli(['guard', 'init', file]).status).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/# Lifeguard gateway config/);
    expect(() => parseGatewayConfig(parseYaml(text))).not.toThrow();
    const again = runCli(['guard', 'init', file]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/--force/);
  });

  it('hash-key prints the SHA-256 the config stores', () => {
    const r = runCli(['guard', 'hash-key', 'sk-test']);
    expect(r.stdout.trim()).toBe(createHash('sha256').update('sk-test').digest('hex'));
    expect(r.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('serve refuses to start without an upstream, and prints its schema', () => {
    const r = runCli(['guard', 'serve']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no upstream/);
    const schema = JSON.parse(runCli(['guard', 'serve', '--print-schema']).stdout);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['upstream', 'policy', 'keys']));
  });

  it('serve starts on the given port and answers /health', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', RUNNER, 'guard', 'serve', '--upstream', 'http://127.0.0.1:9/v1', '--port', '0'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, LIFEGUARD_AUDIT: 'off' },
      },
    );
    try {
      const url = await gatewayUrl(child);
      const health = (await (await fetch(`${url}/health`)).json()) as { status: string };
      expect(health.status).toBe('ok');
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'hello' }] }),
      });
      expect(res.status).toBe(502); // nothing listens on port 9: an OpenAI-style upstream error, not a crash
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('upstream_unreachable');
    } finally {
      child.kill('SIGTERM');
    }
  }, 30_000);

  // Every decision reaches the audit log, also when the gateway is stopped right after the last answer:
  // one process, and a cluster whose workers send their decisions to the primary.
  for (const workers of [1, 2]) {
    it(`serve --workers ${workers} writes every decision to the audit log, flushed on SIGTERM`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'lg-guard-workers-'));
      const db = join(dir, 'audit.db');
      const up = await startFakeUpstream();
      up.script = { answer: 'Basil likes sun.' };
      const config = join(dir, 'guard.yaml');
      writeFileSync(config, `upstream: { baseUrl: "${up.url}" }\naudit: { sqlitePath: "${db}", batchMs: 200 }\n`);
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', RUNNER, 'guard', 'serve', '--config', config, '--port', '0', '--workers', String(workers)],
        { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DATABASE_URL: '' } },
      );
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      try {
        const url = await gatewayUrl(child);
        const pids = new Set<number>();
        for (let i = 0; i < 8; i++) pids.add(((await (await fetch(`${url}/health`)).json()) as { pid: number }).pid);
        expect(pids.size).toBe(workers);
        const n = 24;
        const answers = await Promise.all(
          Array.from({ length: n }, (_, i) =>
            fetch(`${url}/v1/chat/completions`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ messages: [{ role: 'user', content: `What grows well with tomatoes? (${i})` }] }),
            }).then((r) => r.status),
          ),
        );
        expect(answers.every((s) => s === 200)).toBe(true);
        // /metrics counts every worker's requests, whichever worker answers the scrape.
        for (let k = 0; k < 4; k++) {
          const text = await (await fetch(`${url}/metrics`)).text();
          const served = [...text.matchAll(/^lifeguard_requests_total\{([^}]*)\} (\d+)$/gm)]
            .filter((m) => m[1].includes('outcome="200"') && m[1].includes('route="chat"'))
            .reduce((a, m) => a + Number(m[2]), 0);
          expect(served).toBe(n);
        }
        // Stop at once: the decisions are still in batches (batchMs 200) and, with workers, in flight to the primary.
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
        const { default: Database } = await import('better-sqlite3');
        const d = new Database(db, { readonly: true });
        const row = d
          .prepare('select count(*) as events, count(distinct request_id) as requests from audit_events')
          .get() as { events: number; requests: number };
        const perStage = d.prepare("select count(*) as n from audit_events where stage = 'output'").get() as {
          n: number;
        };
        d.close();
        expect(row.requests).toBe(n);
        expect(perStage.n).toBe(n * 3); // the default policy's three output checks, for every answer
        expect(row.events).toBe(n * 7); // and its four input checks
      } finally {
        child.kill('SIGKILL');
        await up.close();
      }
    }, 60_000);
  }
});

/** The URL a spawned `guard serve` announces on stderr; rejects with its stderr if it exits first. */
function gatewayUrl(child: ChildProcessByStdio<null, null, Readable>): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
      const m = /gateway on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
}
