import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerGuardLogs } from '../../../src/cli/commands/guard-logs.js';
import { type AuditEvent, type AuditStats, createAuditLog } from '../../../src/guard/audit/index.js';
import { EMAIL, event } from './suite.js';

const dir = mkdtempSync(join(tmpdir(), 'lifeguard-audit-cli-'));
const db = join(dir, 'audit.db');
const now = Date.now();

beforeAll(async () => {
  const log = await createAuditLog({ sqlitePath: db });
  await log.record([
    event({ ts: now - 3 * 3_600_000, requestId: 'old', check: 'pii', action: 'redact', excerpt: `mail ${EMAIL}` }),
    event({ ts: now - 60_000, requestId: 'r1', check: 'injection', action: 'block', score: 0.97, category: 'S14' }),
    event({ ts: now - 30_000, requestId: 'r1', check: 'pii', stage: 'output', action: 'allow', latencyMs: 4 }),
    event({ ts: now - 10_000, requestId: 'r2', check: 'secrets', stage: 'tool', action: 'redact', error: 'timeout' }),
  ]);
  await log.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `guard logs ARGS` in process; returns what it wrote to stdout. */
async function logs(...args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  const guard = program.command('guard').exitOverride();
  registerGuardLogs(guard).exitOverride();
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += chunk.toString();
    return true;
  });
  try {
    await program.parseAsync(['guard', 'logs', ...args], { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return out;
}

const lines = (out: string) =>
  out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditEvent);

describe('lifeguard guard logs', () => {
  it('prints a table, newest first', async () => {
    const out = await logs('--db', db);
    const rows = out.trim().split('\n');
    expect(rows[0]).toMatch(/^TIME\s+REQUEST\s+STAGE\s+CHECK\s+CATEGORY\s+ACTION\s+SCORE\s+MS\s+EXCERPT$/);
    expect(rows[1]).toMatch(/^-+ {2}-+/);
    expect(rows.slice(2).map((r) => r.split(/\s+/)[1])).toEqual(['r2', 'r1', 'r1', 'old']);
    expect(out).toContain('error: timeout');
    expect(out).toContain('mail <EMAIL_ADDRESS_1>');
    expect(out).not.toContain(EMAIL);
  });

  it('prints JSON Lines and applies every filter', async () => {
    expect(lines(await logs('--db', db, '--json')).map((e) => e.requestId)).toEqual(['r2', 'r1', 'r1', 'old']);
    const ids = async (...f: string[]) =>
      lines(await logs('--db', db, '--json', ...f)).map((e) => `${e.requestId}:${e.check}`);
    expect(await ids('--since', '1h')).toEqual(['r2:secrets', 'r1:pii', 'r1:injection']);
    expect(await ids('--since', new Date(now - 45_000).toISOString())).toEqual(['r2:secrets', 'r1:pii']);
    expect(await ids('--until', '20s')).toEqual(['r1:pii', 'r1:injection', 'old:pii']);
    expect(await ids('--check', 'pii')).toEqual(['r1:pii', 'old:pii']);
    expect(await ids('--action', 'redact')).toEqual(['r2:secrets', 'old:pii']);
    expect(await ids('--stage', 'tool')).toEqual(['r2:secrets']);
    expect(await ids('--request', 'r1')).toEqual(['r1:pii', 'r1:injection']);
    expect(await ids('--limit', '2')).toEqual(['r2:secrets', 'r1:pii']);
    const [first] = lines(await logs('--db', db, '--json', '--limit', '1'));
    expect(await ids('--before', first!.id, '--limit', '1')).toEqual(['r1:pii']);
  });

  it('prints aggregates with --stats, as a table or one JSON object', async () => {
    const stats = JSON.parse(await logs('--db', db, '--stats', '--json')) as AuditStats;
    expect(stats.total).toBe(4);
    expect(stats.blockRateByCheck.find((c) => c.check === 'injection')).toEqual({
      check: 'injection',
      total: 1,
      blocked: 1,
      rate: 1,
    });
    const table = await logs('--db', db, '--stats', '--since', '1h');
    expect(table).toMatch(/^3 decisions\n/);
    expect(table).toMatch(/injection\s+1\s+1\s+100\.0%/);
    expect(table).toContain('TOP RULES');
  });

  it('refuses bad flags with the valid choices, and a missing file without creating it', async () => {
    await expect(logs('--db', db, '--action', 'explode')).rejects.toThrow(
      /--action: "explode" is not one of: allow, block/,
    );
    await expect(logs('--db', db, '--stage', 'middle')).rejects.toThrow(/input, context, output, tool/);
    await expect(logs('--db', db, '--since', 'yesterday')).rejects.toThrow(/cannot read time/);
    await expect(logs('--db', db, '--limit', '0')).rejects.toThrow(/--limit/);
    await expect(logs('--db', join(dir, 'missing.db'))).rejects.toThrow(/no audit log at/);
    await expect(logs('--db', db, '--database-url', 'postgres://x/y')).rejects.toThrow(/either --db or --database-url/);
  });

  it('opens only audit logs, read-only: other files, empty files and folders are refused and left as they were', async () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'x');
    await expect(logs('--db', text)).rejects.toThrow(/notes\.txt is not a Lifeguard audit log/);
    expect(readFileSync(text, 'utf8')).toBe('x');
    const empty = join(dir, 'empty.db');
    writeFileSync(empty, '');
    await expect(logs('--db', empty)).rejects.toThrow(/no audit_events table/);
    expect(statSync(empty).size).toBe(0);
    const big = join(dir, 'big.bin');
    writeFileSync(big, Buffer.alloc(8192, 7));
    await expect(logs('--db', big)).rejects.toThrow(/not a SQLite database/);
    await expect(logs('--db', dir)).rejects.toThrow(/it is a folder/);
  });
});
