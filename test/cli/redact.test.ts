import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, runCli } from './helpers.js';

const TEXT = 'Mail bob@example.com or alice@example.org, card 4111 1111 1111 1111, again bob@example.com.';

describe('lifeguard redact / restore', () => {
  it('tags: numbered per type, the same value gets the same tag', () => {
    const r = runCli(['redact', '--fast', '--operator', 'tag'], TEXT);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      'Mail <EMAIL_ADDRESS_1> or <EMAIL_ADDRESS_2>, card <CREDIT_CARD_1>, again <EMAIL_ADDRESS_1>.',
    );
  });

  it('per-type operators with mask --keep-last', () => {
    const r = runCli(['redact', '--fast', '--operator', 'default=tag,CREDIT_CARD=mask', '--keep-last', '4'], TEXT);
    expect(r.stdout).toContain('card ***************1111,');
  });

  it('hash and pseudonym need a key from the environment and are consistent', () => {
    const missing = runCli(['redact', '--fast', '--operator', 'hash'], TEXT, { LIFEGUARD_REDACT_KEY: '' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/LIFEGUARD_REDACT_KEY/);
    const env = { LIFEGUARD_REDACT_KEY: 'a-test-key-of-sufficient-length' };
    const a = runCli(['redact', '--fast', '--operator', 'pseudonym'], TEXT, env).stdout;
    const b = runCli(['redact', '--fast', '--operator', 'pseudonym'], TEXT, env).stdout;
    expect(a).toBe(b);
    expect(a).not.toContain('bob@example.com');
    const other = runCli(['redact', '--fast', '--operator', 'pseudonym'], TEXT, {
      LIFEGUARD_REDACT_KEY: 'another-key-that-is-long-enough',
    });
    expect(other.stdout).not.toBe(a);
  });

  it('vault: redact to an encrypted file, restore with the passphrase, refuse a wrong one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-vault-'));
    const vault = join(dir, 'vault.json');
    const env = { LIFEGUARD_VAULT_PASSPHRASE: 'correct horse battery staple' };
    const red = runCli(['redact', '--fast', '--operator', 'vault', '--vault', vault], TEXT, env);
    expect(red.status).toBe(0);
    expect(red.stdout).not.toContain('bob@example.com');
    expect(readFileSync(vault, 'utf8')).not.toContain('bob@example.com');
    const back = runCli(['restore', '--vault', vault], red.stdout, env);
    expect(back.stdout).toBe(TEXT);
    const wrong = runCli(['restore', '--vault', vault], red.stdout, { LIFEGUARD_VAULT_PASSPHRASE: 'wrong' });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/LG_ERR_VAULT/);
  });

  it('--jsonl keeps every other field and reports malformed lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-red-'));
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, `${JSON.stringify({ id: 'x', meta: { k: 1 }, text: 'bob@example.com' })}\nnot json\n`);
    const r = runCli(['redact', '--fast', '--jsonl', input]);
    const out = jsonLines(r.stdout);
    expect(out[0]).toEqual({ id: 'x', meta: { k: 1 }, text: '<EMAIL_ADDRESS_1>' });
    expect(out[1]).toEqual({ id: 1, error: expect.stringMatching(/invalid JSON/), line: 1, id_from_line: true });
    expect(r.status).toBe(1);
  });

  it('an unknown operator lists the valid ones', () => {
    const r = runCli(['redact', '--operator', 'shred'], TEXT);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown operator "shred"; valid operators: mask, tag/);
  });
});
