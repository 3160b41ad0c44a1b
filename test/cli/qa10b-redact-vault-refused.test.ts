import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, runCli } from './helpers.js';

const ENV = { LIFEGUARD_VAULT_PASSPHRASE: 'qa10b vault passphrase' };
const VAULT = ['--fast', '--operator', 'vault', '--vault'];
const NOT_UTF8 = Buffer.concat([Buffer.from('mail bob@example.com from the caf'), Buffer.from([0xe9])]);
// runCli passes its input to spawnSync, which takes bytes as well as text
const bytes = (b: Buffer) => b as unknown as string;

/** Inputs `redact` refuses: a missing file (2), invalid UTF-8 (2), an invalid UTF-8 line in JSONL (1). */
function refusedInputs(dir: string, vault: string) {
  return [
    runCli(['redact', ...VAULT, vault, join(dir, 'missing.txt')], '', ENV),
    runCli(['redact', ...VAULT, vault], bytes(NOT_UTF8), ENV),
    runCli(
      ['redact', ...VAULT, vault, '--jsonl'],
      bytes(Buffer.concat([Buffer.from('{"text":"'), NOT_UTF8, Buffer.from('"}\n')])),
      ENV,
    ),
  ];
}

describe('redact --operator vault: a refused input leaves the vault alone', () => {
  it('creates no vault file when the input is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-qa10b-vault-'));
    const vault = join(dir, 'vault.json');
    const refusals = [
      ...refusedInputs(dir, vault),
      runCli(['redact', ...VAULT, vault, '--keep-last', '4'], 'mail bob@example.com', ENV),
    ];
    expect(refusals.map((r) => r.status)).toEqual([2, 2, 1, 2]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves an existing vault byte for byte as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-qa10b-vault-'));
    const vault = join(dir, 'vault.json');
    const first = runCli(['redact', ...VAULT, vault], 'mail ann@example.com please', ENV);
    expect(first.status).toBe(0);
    const before = readFileSync(vault);
    const runs = [
      ...refusedInputs(dir, vault),
      // accepted, but nothing new to record: no reason to rewrite it either
      runCli(['redact', ...VAULT, vault], 'nothing personal here', ENV),
    ];
    expect(runs.map((r) => r.status)).toEqual([2, 2, 1, 0]);
    expect(readFileSync(vault).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['vault.json']);
    const back = runCli(['restore', '--vault', vault], first.stdout, ENV);
    expect(back.stdout).toBe('mail ann@example.com please');
  });

  it('still creates the vault on an accepted run, and saves what a partly refused --jsonl run recorded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-qa10b-vault-'));
    const clean = join(dir, 'clean.json');
    expect(runCli(['redact', ...VAULT, clean], 'nothing personal here', ENV).status).toBe(0);
    expect(runCli(['restore', '--vault', clean], 'nothing personal here', ENV).status).toBe(0);

    const mixed = join(dir, 'mixed.json');
    const input = Buffer.concat([
      Buffer.from('{"id":"bad","text":"'),
      NOT_UTF8,
      Buffer.from('"}\n{"id":"ok","text":"write to cat@example.com"}\n'),
    ]);
    const r = runCli(['redact', ...VAULT, mixed, '--jsonl'], bytes(input), ENV);
    expect(r.status).toBe(1);
    const ok = jsonLines(r.stdout)[1] as { text: string };
    expect(ok.text).toBe('write to <EMAIL_ADDRESS_1>');
    const back = runCli(['restore', '--vault', mixed], ok.text, ENV);
    expect(back.stdout).toBe('write to cat@example.com');
  });
});
