/** `lifeguard redact` refuses invalid UTF-8 instead of silently turning it into U+FFFD. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8 } from '../../src/data/io/lines.js';
import { jsonLines, runCli } from './helpers.js';

const ENV = { LIFEGUARD_VAULT_PASSPHRASE: 'qa9 utf-8 passphrase' };

function file(name: string, bytes: Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lg-qa9-utf8-')), name);
  writeFileSync(path, bytes);
  return path;
}

describe('lifeguard redact: invalid UTF-8', () => {
  // Before: `caf\xe9` (Latin-1) was read as `caf\ufffd`, redacted and printed with exit 0: redact then restore no
  // longer gave the input back, and nothing said so.
  it('refuses a plain-text input, naming the byte offset', () => {
    const path = file(
      'in.txt',
      Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from(' jo@example.com\n')]),
    );
    const r = runCli(['redact', '--fast', path]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('LG_ERR_INPUT_INVALID');
    expect(r.stderr).toContain('not valid UTF-8');
    expect(r.stderr).toContain('byte offset 3');
  });

  it('gives a bad --jsonl line an error record and redacts the others (exit 1)', () => {
    const lines = [
      Buffer.from('{"id":"a","text":"mail jo@example.com"}\n'),
      Buffer.concat([
        Buffer.from('{"id":"b","text":"x'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from(' jo@example.com"}\n'),
      ]),
      Buffer.from('{"id":"c","text":"ok"}\n'),
    ];
    const r = runCli(['redact', '--fast', '--jsonl', file('in.jsonl', Buffer.concat(lines))]);
    expect(r.status).toBe(1);
    const out = jsonLines(r.stdout);
    expect(out[0]).toEqual({ id: 'a', text: 'mail <EMAIL_ADDRESS_1>' });
    expect(out[1]?.id).toBe('b');
    expect(out[1]?.error).toMatch(/not valid UTF-8 .*byte offset 19 of the line, 59 of the input/);
    expect(out[2]).toEqual({ id: 'c', text: 'ok' });
  });

  it('still takes valid UTF-8 (accents, emoji, a literal U+FFFD) and restores it byte for byte', () => {
    const input = Buffer.from('café 😀 \ufffd mail jo@example.com\n');
    const dir = mkdtempSync(join(tmpdir(), 'lg-qa9-utf8-'));
    const vault = join(dir, 'run.vault');
    const r = runCli(['redact', '--fast', '--operator', 'vault', '--vault', vault, file('in.txt', input)], '', ENV);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('café 😀 \ufffd mail <EMAIL_ADDRESS_1>\n');
    const back = runCli(['restore', '--vault', vault, '-'], r.stdout, ENV);
    expect(Buffer.from(back.stdout)).toEqual(input);
  });
});

describe('firstInvalidUtf8', () => {
  it('agrees with a fatal TextDecoder and points at the first bad sequence', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true });
    const valid = (b: Uint8Array) => {
      try {
        fatal.decode(b);
        return true;
      } catch {
        return false;
      }
    };
    const cases: number[][] = [
      [0x61],
      [0xff],
      [0x61, 0x80],
      [0xc0, 0xaf], // overlong
      [0xe0, 0x80, 0xaf], // overlong
      [0xed, 0xa0, 0x80], // surrogate
      [0xf4, 0x90, 0x80, 0x80], // over U+10FFFF
      [0x61, 0xe2, 0x82], // truncated
      [0xf0, 0x9f, 0x98, 0x80, 0x62],
      [0xc3, 0xa9, 0x61, 0xc3],
    ];
    let seed = 7;
    for (let k = 0; k < 2000; k++) {
      const n = k % 9;
      const bytes: number[] = [];
      for (let i = 0; i < n; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        bytes.push([0x41, 0x80, 0xbf, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0x9f, 0xa0][seed % 13] as number);
      }
      cases.push(bytes);
    }
    for (const c of cases) {
      const b = Uint8Array.from(c);
      const at = firstInvalidUtf8(b);
      expect(at === -1, c.join(',')).toBe(valid(b));
      if (at >= 0) {
        expect(valid(b.subarray(0, at)), c.join(',')).toBe(true);
        // the sequence starting there is bad however the rest goes on
        expect(valid(b.subarray(0, Math.min(at + 4, b.length))), c.join(',')).toBe(false);
      }
    }
  });
});
