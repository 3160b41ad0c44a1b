import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

/*
 * An empty field name was taken without a word: `data scan --text-field ''` ignored it (the default field was
 * read), and `classify` / `detect` / `redact --jsonl --text-field ''` failed on every line. Every field-name
 * flag now refuses an empty (or blank) name up front: a usage error, exit 2, LG_ERR_CONFIG_INVALID.
 */

const refused = (args: string[], flag: string, input = '') => {
  const r = runCli(args, input);
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr).toContain(`${flag} must name a field`);
  expect(r.stderr).toContain('[LG_ERR_CONFIG_INVALID]');
  expect(r.stdout).toBe('');
};

describe('QA9 config: field-name flags refuse an empty name', () => {
  const line = '{"id":1,"text":"Call me at 555-0100"}\n';

  it('classify, detect and redact --jsonl --text-field ""', () => {
    refused(['classify', '--task', 'injection', '--jsonl', '--text-field', ''], '--text-field', line);
    refused(['detect', '--jsonl', '--fast', '--text-field', ''], '--text-field', line);
    refused(['redact', '--jsonl', '--fast', '--text-field', '  '], '--text-field', line);
  });

  it('data scan --text-field "" and --label-field ""', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-qa9-field-'));
    const input = join(dir, 'c.jsonl');
    writeFileSync(input, line);
    refused(['data', 'scan', input, '--out', join(dir, 'out'), '--text-field', ''], '--text-field');
    refused(['data', 'scan', input, '--out', join(dir, 'out'), '--label-field', ''], '--label-field');
    refused(['data', 'canary', input, '-n', '1', '--out', join(dir, 'c'), '--text-field', ''], '--text-field');
  });

  it('models eval --text-field / --label-field / --source-field ""', () => {
    for (const flag of ['--text-field', '--label-field', '--source-field']) {
      refused(['models', 'eval', 'injection', '--input', 'missing.jsonl', flag, ''], flag);
    }
  });

  it('a named field still works', () => {
    const r = runCli(['detect', '--jsonl', '--fast', '--text-field', 'body'], '{"id":1,"body":"mail a@b.co"}\n');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('EMAIL_ADDRESS');
  });
});
