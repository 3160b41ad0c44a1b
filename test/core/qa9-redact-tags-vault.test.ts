import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/finding.js';
import { RedactionSession, redact, restore, Vault } from '../../src/core/redact/index.js';

const PASS = 'qa9 vault passphrase';
const FAST = { cost: 2 ** 14 };
const KEY = 'qa9-key-0123456789abcdef-0123456789';

function emails(text: string): Finding[] {
  return [...text.matchAll(/[a-z]+@[a-z]+\.io/g)].map((m) => ({
    detector: 'test',
    type: 'EMAIL_ADDRESS',
    start: m.index,
    end: m.index + m[0].length,
    score: 0.9,
    risk: 'privacy.pii',
  }));
}

function whole(value: string, type: string): Finding[] {
  return [{ detector: 'test', type, start: 0, end: value.length, score: 0.9, risk: 'privacy.pii' }];
}

describe('vault: a reserved literal tag with a huge number', () => {
  // Before: loading a vault that had reserved `<EMAIL_ADDRESS_99999999999999999999>` (a literal in an input)
  // set the label's counter to 1e20, past 2^53: the first new value got `<EMAIL_ADDRESS_100000000000000000000>`
  // and the second made the numbering loop forever (n + 1 === n), hanging every later run on that vault.
  it('does not move the numbering, before or after a save and load', async () => {
    const vault = new Vault();
    const first = 'template <EMAIL_ADDRESS_99999999999999999999> for ann@corp.io';
    const r1 = redact(first, emails(first), { operator: 'vault', vault, reserveLiteralTags: true });
    expect(r1.text).toBe('template <EMAIL_ADDRESS_99999999999999999999> for <EMAIL_ADDRESS_1>');

    const loaded = await Vault.open(await vault.seal(PASS, FAST), PASS);
    // One new value per call, checked before the next: the second one used to hang.
    const [r2, r3] = ['bob@corp.io', 'cat@corp.io'].map((t) => {
      const r = redact(t, emails(t), { operator: 'vault', vault: loaded, reserveLiteralTags: true });
      expect(r.text).toMatch(/^<EMAIL_ADDRESS_\d{1,2}>$/);
      return r;
    });
    expect([r2?.text, r3?.text]).toEqual(['<EMAIL_ADDRESS_2>', '<EMAIL_ADDRESS_3>']);
    expect(restore(r1.text, loaded)).toBe(first);
    expect(restore(`${r2?.text} ${r3?.text}`, loaded)).toBe('bob@corp.io cat@corp.io');
  });

  it('still skips a reserved literal with a small number after loading', async () => {
    const vault = new Vault();
    const first = 'see <EMAIL_ADDRESS_2> and ann@corp.io';
    redact(first, emails(first), { operator: 'vault', vault, reserveLiteralTags: true });
    const loaded = await Vault.open(await vault.seal(PASS, FAST), PASS);
    const second = 'bob@corp.io';
    const r2 = redact(second, emails(second), { operator: 'vault', vault: loaded, reserveLiteralTags: true });
    expect(r2.text).toBe('<EMAIL_ADDRESS_3>');
    expect(loaded.get('<EMAIL_ADDRESS_2>')).toBe('<EMAIL_ADDRESS_2>');
  });
});

describe('tag: literal tags across the calls of a session', () => {
  // Before: each call skipped only the tags written in its own text, so a literal `<EMAIL_ADDRESS_1>` in one
  // JSONL record and the first address of a later record came out as the same tag in one run's output.
  it('never hands out a tag written literally in an earlier input', () => {
    const session = new RedactionSession();
    const texts = ['template <EMAIL_ADDRESS_1> here', 'mail bob@corp.io', 'again bob@corp.io and <EMAIL_ADDRESS_1>'];
    const out = texts.map((t) => redact(t, emails(t), { operator: 'tag', session }).text);
    expect(out).toEqual([
      'template <EMAIL_ADDRESS_1> here',
      'mail <EMAIL_ADDRESS_2>',
      'again <EMAIL_ADDRESS_2> and <EMAIL_ADDRESS_1>',
    ]);
  });

  it('keeps a value’s tag when its own tag later shows up in the text', () => {
    const session = new RedactionSession();
    const a = redact('mail bob@corp.io', emails('mail bob@corp.io'), { operator: 'tag', session }).text;
    const t = 'from <EMAIL_ADDRESS_1> to bob@corp.io and ann@corp.io';
    const b = redact(t, emails(t), { operator: 'tag', session }).text;
    expect(a).toBe('mail <EMAIL_ADDRESS_1>');
    expect(b).toBe('from <EMAIL_ADDRESS_1> to <EMAIL_ADDRESS_1> and <EMAIL_ADDRESS_2>');
  });
});

describe('pseudonym: North American phone numbers with an extension', () => {
  // Before: the extension's digits counted with the number's (13 digits), so it was not read as North American
  // and got random, real-looking digits (`(485) 611-9544 ext. 15`) instead of the fictional 555-01XX range.
  const fake = (value: string) => redact(value, whole(value, 'PHONE_NUMBER'), { operator: 'pseudonym', key: KEY }).text;

  it.each([
    ['(415) 555-2671 ext. 12', /^\(\d{3}\) 555-01\d\d ext\. \d\d$/],
    ['+1 415 555 2671 x7', /^\+1 \d{3} 555 01\d\d x\d$/],
    ['415-555-2671x123', /^\d{3}-555-01\d\dx\d{3}$/],
    ['1-800-555-0199 extension 4', /^1-\d{3}-555-01\d\d extension \d$/],
    ['415.555.2671 #42', /^\d{3}\.555\.01\d\d #\d\d$/],
  ])('%s keeps its layout and uses 555-01XX', (value, shape) => {
    const out = fake(value);
    expect(out).toMatch(shape);
    expect(out).not.toBe(value);
    expect(fake(value)).toBe(out);
  });

  it('leaves numbers without an extension as they were', () => {
    expect(fake('(415) 555-2671')).toMatch(/^\(\d{3}\) 555-01\d\d$/);
    expect(fake('+44 20 7946 0958')).toMatch(/^\+44 [2-9]\d \d{4} \d{4}$/);
    expect(fake('+44 20 7946 0958 ext 5')).toMatch(/^\+44 [2-9]\d \d{4} \d{4} ext \d$/);
  });
});
