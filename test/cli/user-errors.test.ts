import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliResult } from './helpers.js';

// User errors (a bad flag value, a missing file, a busy port) must end in one line on stderr,
// `lifeguard: <message> [<code>]`, exit status 2, never a stack trace.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUNNER = fileURLToPath(new URL('./run-cli.ts', import.meta.url));

/**
 * Runs the CLI in this process (the flag checks fail before any work starts, so this is quick). What it
 * prints is captured; an exception escaping `main` would become a stack trace, so it is reported as such.
 */
async function cli(args: string[]): Promise<CliResult> {
  const { main } = await import('../../src/cli/main.js');
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  process.exitCode = undefined;
  let status: number;
  try {
    await main(['node', 'lifeguard', ...args]);
    status = Number(process.exitCode ?? 0);
  } catch (e) {
    stderr += `UNCAUGHT ${(e as Error).stack}`;
    status = 1;
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = undefined;
  }
  return { status, stdout, stderr };
}

/** Runs the CLI as a child process, killed after `timeoutMs` (a gateway that starts by mistake never exits). */
function spawnCli(args: string[], timeoutMs = 20_000): CliResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', RUNNER, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, LIFEGUARD_AUDIT: 'off' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** One line, `lifeguard: … [CODE]`, status 2, and every pattern in the message. */
function expectUserError(r: CliResult, code: string, ...patterns: RegExp[]): void {
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^lifeguard: /);
  expect(lines[0].endsWith(`[${code}]`), r.stderr).toBe(true);
  for (const p of patterns) expect(lines[0]).toMatch(p);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.status).toBe(2);
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'lg-user-errors-'));
}

function jsonlFile(dir: string): string {
  const file = join(dir, 'in.jsonl');
  writeFileSync(file, `${JSON.stringify({ id: 1, text: 'mail bob@example.com' })}\n`);
  return file;
}

describe('numeric flags are checked and errors name the flag and its range', () => {
  it('classify --threshold rejects empty, blank, non-numeric and out-of-range values', async () => {
    const file = jsonlFile(tmp());
    for (const v of ['', ' ', 'abc', '1.5', '-0.1', '0.5x']) {
      const r = await cli(['classify', '--task', 'injection', '--jsonl', '--threshold', v, file]);
      expectUserError(r, 'LG_ERR_CONFIG_INVALID', /--threshold/, /0 to 1/);
      expect(r.stderr).not.toMatch(/--min-score/);
      expect(r.stdout).toBe('');
    }
  });

  it('--thresholds and --dedup-threshold name themselves, not --min-score', async () => {
    const dir = tmp();
    const file = jsonlFile(dir);
    const t = await cli(['detect', '--fast', '--thresholds', 'PERSON=abc', file]);
    expectUserError(t, 'LG_ERR_CONFIG_INVALID', /--thresholds/, /PERSON/, /0 to 1/);
    expect(t.stderr).not.toMatch(/--min-score/);
    const empty = await cli(['detect', '--fast', '--thresholds', 'PERSON=', file]);
    expectUserError(empty, 'LG_ERR_CONFIG_INVALID', /--thresholds/);
    const d = await cli(['data', 'scan', file, '--out', join(dir, 'out'), '--dedup-threshold', '5']);
    expectUserError(d, 'LG_ERR_CONFIG_INVALID', /--dedup-threshold/, /0 to 1/);
    expect(d.stderr).not.toMatch(/--min-score/);
    const m = await cli(['detect', '--fast', '--min-score', '', file]);
    expectUserError(m, 'LG_ERR_CONFIG_INVALID', /--min-score/, /0 to 1/);
  });

  it('--max-bytes takes a positive whole number of bytes only', async () => {
    const file = jsonlFile(tmp());
    for (const v of ['abc', '-5', '1e3', '0', '', '2.5', '10abc']) {
      const r = await cli(['detect', '--fast', '--jsonl', '--max-bytes', v, file]);
      expectUserError(r, 'LG_ERR_CONFIG_INVALID', /--max-bytes/, /positive whole number/);
    }
    const ok = await cli(['detect', '--fast', '--jsonl', '--max-bytes', '1000', file]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('EMAIL_ADDRESS');
  });

  it('whole-number flags of other commands reject what is not one', async () => {
    const dir = tmp();
    const file = jsonlFile(dir);
    const keep = await cli(['redact', '--operator', 'mask', '--keep-last', 'abc', file]);
    expectUserError(keep, 'LG_ERR_CONFIG_INVALID', /--keep-last/);
    expect(keep.stdout).toBe('');
    const workers = await cli(['data', 'scan', file, '--out', join(dir, 'o'), '--workers', '']);
    expectUserError(workers, 'LG_ERR_CONFIG_INVALID', /--workers/);
    const shingle = await cli(['data', 'scan', file, '--out', join(dir, 'o'), '--shingle', '0']);
    expectUserError(shingle, 'LG_ERR_CONFIG_INVALID', /--shingle/, /1 to 64/);
    const count = await cli(['data', 'canary', file, '-n', 'x', '--out', join(dir, 'c')]);
    expectUserError(count, 'LG_ERR_CONFIG_INVALID', /--count/);
    const seed = await cli(['data', 'canary', file, '-n', '1', '--seed', '', '--out', join(dir, 'c')]);
    expectUserError(seed, 'LG_ERR_CONFIG_INVALID', /--seed/);
  });
});

describe('list flags are checked', () => {
  it('detect --detectors with no ids is refused, not a silent "No findings."', async () => {
    const file = jsonlFile(tmp());
    for (const v of ['', ' , ']) {
      const r = await cli(['detect', '--detectors', v, file]);
      expectUserError(r, 'LG_ERR_CONFIG_INVALID', /--detectors/, /pii/);
      expect(r.stdout).not.toMatch(/No findings/);
    }
  });

  it('unknown entity types in --thresholds and data scan --action are refused with the known types', async () => {
    const dir = tmp();
    const file = jsonlFile(dir);
    const t = await cli(['detect', '--fast', '--thresholds', 'FOO=0.5', file]);
    expectUserError(t, 'LG_ERR_CONFIG_INVALID', /--thresholds/, /FOO/, /PERSON/, /EMAIL_ADDRESS/, /AWS_ACCESS_KEY_ID/);
    const a = await cli(['data', 'scan', file, '--out', join(dir, 'o'), '--action', 'FOO=redact']);
    expectUserError(a, 'LG_ERR_CONFIG_INVALID', /--action/, /FOO/, /PERSON/, /US_SSN/);
    const s = await cli(['data', 'scan', file, '--out', join(dir, 'o'), '--thresholds', 'PERSN=0.5']);
    expectUserError(s, 'LG_ERR_CONFIG_INVALID', /--thresholds/, /PERSN/);
  });

  it('data scan --action still takes default= and known types', async () => {
    const dir = tmp();
    const file = jsonlFile(dir);
    const r = await cli([
      'data',
      'scan',
      file,
      '--out',
      join(dir, 'o'),
      '--fast',
      '--workers',
      '0',
      '--thresholds',
      'EMAIL_ADDRESS=0.5',
      '--action',
      'default=redact,US_SSN=quarantine,TOXICITY=keep',
    ]);
    expect(r.stderr).toMatch(/1 records: 1 kept \(1 redacted\)/);
    expect(r.status).toBe(0);
  });
});

describe('files and folders named on the command line', () => {
  it('a missing or folder input gives "cannot read FILE" with a code, for every command that reads one', async () => {
    const dir = tmp();
    const missing = join(dir, 'missing.jsonl');
    const runs: Array<(f: string) => string[]> = [
      (f) => ['classify', '--task', 'injection', f],
      (f) => ['classify', '--task', 'injection', '--jsonl', f],
      (f) => ['detect', '--fast', f],
      (f) => ['detect', '--fast', '--jsonl', f],
      (f) => ['redact', f],
      (f) => ['redteam', 'run', f],
      (f) => ['guard', 'serve', '--config', f],
      (f) => ['models', 'eval', 'injection', '--input', f],
    ];
    for (const args of runs) {
      expectUserError(await cli(args(missing)), 'LG_ERR_INPUT_INVALID', /cannot read .*missing\.jsonl: no such file/);
      expectUserError(await cli(args(dir)), 'LG_ERR_INPUT_INVALID', /cannot read .*: it is a folder, not a file/);
    }
  });

  it('data scan and data canary: --out must be a folder', async () => {
    const dir = tmp();
    const file = jsonlFile(dir);
    const other = join(dir, 'other.txt');
    writeFileSync(other, 'x\n');
    expectUserError(
      await cli(['data', 'scan', file, '--out', other]),
      'LG_ERR_CONFIG_INVALID',
      /--out/,
      /must be a folder/,
    );
    expectUserError(
      await cli(['data', 'canary', file, '-n', '1', '--out', other]),
      'LG_ERR_CONFIG_INVALID',
      /--out/,
      /must be a folder/,
    );
  });

  it('models list --models must be an existing folder', async () => {
    const dir = tmp();
    expectUserError(
      await cli(['models', 'list', '--models', join(dir, 'nope')]),
      'LG_ERR_CONFIG_INVALID',
      /--models/,
      /does not exist/,
    );
    const file = join(dir, 'f');
    writeFileSync(file, '');
    expectUserError(await cli(['models', 'list', '--models', file]), 'LG_ERR_CONFIG_INVALID', /--models/, /folder/);
    mkdirSync(join(dir, 'empty'));
    const empty = await cli(['models', 'list', '--models', join(dir, 'empty'), '--json']);
    expect(empty.status).toBe(0);
    expect(JSON.parse(empty.stdout)).toEqual([]);
  });
});

describe('guard serve: listen problems and a bad upstream are one-line errors', () => {
  it('--upstream must be an http(s) URL; --port must be a port', () => {
    expectUserError(
      spawnCli(['guard', 'serve', '--upstream', 'notaurl', '--port', '0']),
      'LG_ERR_CONFIG_INVALID',
      /--upstream/,
      /http/,
    );
    expectUserError(
      spawnCli(['guard', 'serve', '--upstream', 'ftp://example.com/v1', '--port', '0']),
      'LG_ERR_CONFIG_INVALID',
      /--upstream/,
    );
    expectUserError(
      spawnCli(['guard', 'serve', '--upstream', 'http://127.0.0.1:9/v1', '--port', '']),
      'LG_ERR_CONFIG_INVALID',
      /--port/,
      /0 to 65535/,
    );
  }, 60_000);

  it('a port already in use names the port (one process and a cluster)', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      for (const workers of ['1', '2']) {
        const r = spawnCli([
          'guard',
          'serve',
          '--upstream',
          'http://127.0.0.1:9999/v1',
          '--port',
          String(port),
          '--workers',
          workers,
        ]);
        expectUserError(r, 'LG_ERR_CONFIG_INVALID', new RegExp(`port ${port}`), /already in use/, /--port/);
      }
    } finally {
      busy.close();
    }
  }, 60_000);

  it('a host that does not resolve is named', () => {
    expectUserError(
      spawnCli(['guard', 'serve', '--host', '999.1.1.1', '--upstream', 'http://x/v1', '--port', '0']),
      'LG_ERR_CONFIG_INVALID',
      /999\.1\.1\.1/,
      /--host/,
    );
  }, 30_000);
});

describe('file system failures the commands did not check for', () => {
  it.skipIf(!existsSync('/dev/full'))('a full disk is one line, not a stack trace', async () => {
    expectUserError(await cli(['guard', 'init', '/dev/full', '--force']), 'LG_ERR_INPUT_INVALID', /no space left/);
  });
});
