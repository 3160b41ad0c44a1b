import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readJsonl } from '../../src/cli/io.js';
import { jsonLines, runCli } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUNNER = fileURLToPath(new URL('./run-cli.ts', import.meta.url));

describe('JSONL line splitting in detect/classify --jsonl', () => {
  it('a lone CR between JSON tokens does not split a record (nor shift later line-number ids)', () => {
    const input = '{"id":"a",\r"text":"mail bob@example.com"}\nnot json\n{"text":"plain"}\n';
    const r = runCli(['detect', '--jsonl', '--fast', '--detectors', 'pii'], input);
    const out = jsonLines(r.stdout);
    expect(out).toHaveLength(3);
    expect(out[0]).toMatchObject({ id: 'a', findings: [{ type: 'EMAIL_ADDRESS', start: 5, end: 20 }] });
    expect(out[1]).toMatchObject({ id: 1 });
    expect(out[1]?.error).toMatch(/invalid JSON/);
    expect(out[2]).toEqual({ id: 2, findings: [] });
    expect(r.status).toBe(1);
  });

  it('a line longer than the largest JS string is an error record, and the records after it are read', async () => {
    // 70 × 8 MiB = 560 MiB of one line: over V8's ~512 Mi-character string limit, which crashed readline.
    const chunk = Buffer.alloc(8 * 1024 * 1024, 0x61);
    async function* source() {
      yield Buffer.from('{"id":"big","text":"');
      for (let i = 0; i < 70; i++) yield chunk;
      yield Buffer.from('"}\n{"id":"next","text":"hello"}\n');
    }
    const got = [];
    for await (const rec of readJsonl(Readable.from(source()), 'text', 64 * 1024 * 1024)) got.push(rec);
    expect(got).toHaveLength(2);
    expect(got[0]).toMatchObject({ line: 0, id: 0 });
    expect((got[0] as { error: string }).error).toMatch(/line is \d+ bytes, over the --max-bytes limit/);
    expect(got[1]).toMatchObject({ line: 1, id: 'next', text: 'hello' });
  }, 60_000);
});

describe('standard output closed early (`lifeguard detect --jsonl … | head -1`)', () => {
  it('stops quietly: no unhandled EPIPE stack trace, status 0', async () => {
    const line = `${JSON.stringify({ text: 'mail bob@example.com '.repeat(20) })}\n`;
    const child = spawn(process.execPath, ['--import', 'tsx', RUNNER, 'detect', '--jsonl', '--fast'], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    child.stdin.on('error', () => {}); // the child may be gone before all input is written
    child.stdin.end(line.repeat(20_000));
    // Like `head -1`: read the first chunk, then close the pipe.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect(stderr).not.toMatch(/EPIPE|Unhandled 'error'/);
    expect(status).toBe(0);
  }, 60_000);
});
