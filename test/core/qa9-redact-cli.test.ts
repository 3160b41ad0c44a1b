import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../cli/helpers.js';

const ENV = { LIFEGUARD_VAULT_PASSPHRASE: 'qa9 cli passphrase' };

describe('lifeguard redact --operator vault: a vault file that cannot be written', () => {
  // Before: the whole input was redacted and printed, then saving the vault failed (ENOENT): exit 2, with the
  // redacted text already out and its tags restorable by nothing.
  it('fails before printing anything', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lg-qa9-')), 'missing', 'run.vault');
    const r = runCli(['redact', '--fast', '--operator', 'vault', '--vault', path, '-'], 'mail jo@example.com\n', ENV);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('LG_ERR_VAULT');
    expect(r.stderr).toContain('cannot create the vault file');
    expect(existsSync(path)).toBe(false);
  });

  it('still creates a new vault in a folder that exists', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lg-qa9-')), 'run.vault');
    const r = runCli(['redact', '--fast', '--operator', 'vault', '--vault', path, '-'], 'mail jo@example.com\n', ENV);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('mail <EMAIL_ADDRESS_1>\n');
    const back = runCli(['restore', '--vault', path, '-'], r.stdout, ENV);
    expect(back.stdout).toBe('mail jo@example.com\n');
  });
});

describe('lifeguard redact --jsonl: a literal tag in an earlier record', () => {
  // Before: record 1 wrote `<EMAIL_ADDRESS_1>` literally and record 2's address was tagged `<EMAIL_ADDRESS_1>`
  // too, so one tag meant two things in the run's output.
  it('is never handed to a value later in the run', () => {
    const input = [
      '{"id":1,"text":"template <EMAIL_ADDRESS_1> here"}',
      '{"id":2,"text":"mail bob@example.com"}',
      '{"id":3,"text":"again bob@example.com"}',
    ].join('\n');
    const r = runCli(['redact', '--jsonl', '--fast', '-'], `${input}\n`);
    expect(r.status).toBe(0);
    expect(jsonLines(r.stdout).map((o) => o.text)).toEqual([
      'template <EMAIL_ADDRESS_1> here',
      'mail <EMAIL_ADDRESS_2>',
      'again <EMAIL_ADDRESS_2>',
    ]);
  });
});
