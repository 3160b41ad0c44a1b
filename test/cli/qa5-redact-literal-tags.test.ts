import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/finding.js';
import { RedactionSession, redact, restore, Vault } from '../../src/core/redact/index.js';
import { jsonLines, runCli } from './helpers.js';

function email(text: string, value: string): Finding[] {
  const out: Finding[] = [];
  for (let i = text.indexOf(value); i >= 0; i = text.indexOf(value, i + 1)) {
    out.push({
      detector: 'pii',
      type: 'EMAIL_ADDRESS',
      start: i,
      end: i + value.length,
      score: 0.9,
      risk: 'privacy.pii',
    });
  }
  return out;
}

/**
 * A text that already holds a tag-shaped literal (`<EMAIL_ADDRESS_1>`, a template, a pasted redacted text) came back
 * from `restore` with the literal replaced by whatever value the vault holds under that tag: another record's
 * address, so the round trip was not byte for byte (and leaked one record's value into another). With
 * `reserveLiteralTags` (what `lifeguard redact --operator vault` sets) literals are kept; the guard leaves it off.
 */
describe('vault: literal tags in the input survive redact → restore', () => {
  it('a literal tag the vault already holds (from an earlier call) is not restored to the value', () => {
    const vault = new Vault();
    const session = new RedactionSession();
    const t1 = 'mail bob@example.com';
    const r1 = redact(t1, email(t1, 'bob@example.com'), {
      operator: 'vault',
      vault,
      session,
      reserveLiteralTags: true,
    });
    expect(r1.text).toBe('mail <EMAIL_ADDRESS_1>');
    const t2 = 'the template says <EMAIL_ADDRESS_1>, write to bob@example.com';
    const r2 = redact(t2, email(t2, 'bob@example.com'), {
      operator: 'vault',
      vault,
      session,
      reserveLiteralTags: true,
    });
    expect(r2.text).not.toContain('<EMAIL_ADDRESS_1>,'); // held for bob: the literal gets a tag of its own
    expect(restore(r2.text, vault)).toBe(t2);
    expect(restore(r1.text, vault)).toBe(t1);
  });

  it('a call that fails its operator checks leaves the vault untouched', () => {
    const vault = new Vault();
    const t = 'literal <PERSON_4>, bob@example.com';
    expect(() =>
      redact(t, email(t, 'bob@example.com'), {
        operator: { default: 'vault', EMAIL_ADDRESS: 'hash' },
        vault,
        reserveLiteralTags: true,
      }),
    ).toThrow(/key/);
    expect(vault.size).toBe(0);
  });

  it('a literal tag in a text with no findings is protected against tags handed out later', () => {
    const vault = new Vault();
    const t1 = 'placeholder <EMAIL_ADDRESS_1> only';
    const r1 = redact(t1, [], { operator: 'vault', vault, reserveLiteralTags: true });
    expect(r1.text).toBe(t1); // a literal the vault does not hold is reserved, and left as written
    const t2 = 'mail carol@example.com';
    const r2 = redact(t2, email(t2, 'carol@example.com'), { operator: 'vault', vault, reserveLiteralTags: true });
    expect(restore(r1.text, vault)).toBe(t1);
    expect(restore(r2.text, vault)).toBe(t2);
    // the replacement list still describes the output exactly
    for (const r of r1.replacements) expect(r1.text.slice(r.newStart, r.newEnd)).toBe(r.replacement);
  });

  it('the tag operator without a vault leaves literal tags as they are', () => {
    const t = 'literal <PERSON_1> and <EMAIL_ADDRESS_1> kept, bob@example.com';
    expect(redact(t, email(t, 'bob@example.com'), { operator: 'tag' }).text).toBe(
      'literal <PERSON_1> and <EMAIL_ADDRESS_1> kept, <EMAIL_ADDRESS_2>',
    );
  });

  it('CLI: redact --jsonl --operator vault then restore gives every record back byte for byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-qa5-lit-'));
    const input = join(dir, 'in.jsonl');
    const vault = join(dir, 'v.vault');
    const records = [
      { id: 'a', text: 'mail john.doe@example.com' },
      { id: 'b', text: 'a literal <EMAIL_ADDRESS_1> and <EMAIL_ADDRESS_2>, then john.doe@example.com' },
      { id: 'c', text: 'new one: jane.roe@example.org' },
    ];
    writeFileSync(input, `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const env = { LIFEGUARD_VAULT_PASSPHRASE: 'correct horse battery staple' };
    const red = runCli(['redact', '--fast', '--jsonl', '--operator', 'vault', '--vault', vault, input], '', env);
    expect(red.status).toBe(0);
    expect(red.stdout).not.toContain('john.doe@example.com');
    const back = runCli(['restore', '--jsonl', '--vault', vault], red.stdout, env);
    expect(back.status).toBe(0);
    expect(jsonLines(back.stdout)).toEqual(records);
  });
});

describe('vault: placeholders a model echoes back (the guard) are still restored', () => {
  it('without reserveLiteralTags a tag the vault holds is restored to its value', () => {
    const vault = new Vault();
    const t1 = 'mail bob@example.com';
    redact(t1, email(t1, 'bob@example.com'), { operator: 'vault', vault });
    const answer = 'I will write to <EMAIL_ADDRESS_1> now, and to carol@example.com';
    const r = redact(answer, email(answer, 'carol@example.com'), { operator: 'vault', vault });
    expect(r.text).toContain('<EMAIL_ADDRESS_1> now');
    expect(restore(r.text, vault)).toBe('I will write to bob@example.com now, and to carol@example.com');
  });
});
