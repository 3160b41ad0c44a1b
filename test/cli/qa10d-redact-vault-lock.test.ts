/**
 * QA round 10d: two `redact --operator vault` runs on one vault file at the same time. Each loaded the vault,
 * numbered its own values from the same counter and saved at the end, the last save replacing the first: run A
 * wrote `mail <EMAIL_ADDRESS_1>` for ann@…, run B the same tag for bob@…, and restoring A's output gave Bob's
 * address back (another person's data, silently). A run now holds `FILE.lock` from loading the vault to saving
 * it; a second run is refused while the first lives, and a lock left by a process that no longer runs is taken over.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type CliResult, runCli } from './helpers.js';

const ENV = { LIFEGUARD_VAULT_PASSPHRASE: 'qa10d vault passphrase' };
const VAULT = ['redact', '--fast', '--operator', 'vault', '--vault'];
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUNNER = fileURLToPath(new URL('./run-cli.ts', import.meta.url));

/** `runCli`, without waiting: several runs at once. */
function runCliAsync(args: string[], input: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', RUNNER, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...ENV },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

function freshVault(): { dir: string; vault: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lg-qa10d-lock-'));
  const vault = join(dir, 'v.json');
  expect(runCli([...VAULT, vault], 'nothing to redact\n', ENV).status).toBe(0);
  return { dir, vault };
}

describe('redact --operator vault: one run at a time per vault file', () => {
  it('concurrent runs never give one tag to two people', async () => {
    const { dir, vault } = freshVault();
    const inputs = ['mail ann@example.com\n', 'mail bob@example.com\n', 'mail cy@example.com\n'];
    const runs = await Promise.all(inputs.map((input) => runCliAsync([...VAULT, vault], input)));
    const done = runs.filter((r) => r.status === 0);
    expect(done.length).toBeGreaterThan(0);
    for (const [i, r] of runs.entries()) {
      if (r.status === 0) {
        // What a run printed restores to its own input with the vault as it was left.
        expect(runCli(['restore', '--vault', vault], r.stdout, ENV).stdout).toBe(inputs[i]);
      } else {
        expect(r.status).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(/in use by another run.*LG_ERR_VAULT/s);
      }
    }
    expect(readdirSync(dir)).toEqual(['v.json']);
  });

  it('refuses while another live process holds the lock, and leaves the vault as it was', () => {
    const { vault } = freshVault();
    const before = readFileSync(vault);
    writeFileSync(`${vault}.lock`, `${process.pid}\n`);
    const r = runCli([...VAULT, vault], 'mail ann@example.com\n', ENV);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${vault}.lock`);
    expect(readFileSync(vault).equals(before)).toBe(true);
    expect(existsSync(`${vault}.lock`)).toBe(true); // not ours to remove
  });

  it('takes over a lock left by a process that has ended, and removes it when done', () => {
    const { dir, vault } = freshVault();
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeFileSync(`${vault}.lock`, `${ended.stdout}\n`);
    const r = runCli([...VAULT, vault], 'mail ann@example.com\n', ENV);
    expect(r.status).toBe(0);
    expect(runCli(['restore', '--vault', vault], r.stdout, ENV).stdout).toBe('mail ann@example.com\n');
    expect(readdirSync(dir)).toEqual(['v.json']);
  });
});
