import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LifeguardError } from '../../src/core/errors.js';
import type { Finding } from '../../src/core/finding.js';
import {
  createRestoreStream,
  defineOperator,
  getOperator,
  operatorNames,
  RedactionSession,
  type RedactOptions,
  redact,
  resolveOverlaps,
  restore,
  StreamingRestorer,
  Vault,
} from '../../src/core/redact/index.js';

const KEY = 'test-key-0123456789abcdef-0123456789';
const OTHER_KEY = 'another-key-0123456789abcdef-987654';
const FAST = { cost: 2 ** 14 };

// ---------------------------------------------------------------------------------------------------------------
// Helpers and independent validators (deliberately not imported from the implementation).

function finding(type: string, start: number, end: number, score = 0.9, detector = 'test'): Finding {
  return { detector, type, start, end, score, risk: 'privacy.pii' };
}

/** Findings for each [type, value], located by their first occurrence at or after the previous one. */
function locate(text: string, items: ReadonlyArray<readonly [string, string]>): Finding[] {
  let from = 0;
  return items.map(([type, value]) => {
    const start = text.indexOf(value, from);
    if (start < 0) throw new Error(`test setup: ${value} not in text`);
    from = start + value.length;
    return finding(type, start, start + value.length);
  });
}

/** Redacts a single value of one type and returns the replacement. */
function one(type: string, value: string, options: Partial<RedactOptions> = {}): string {
  const text = `[${value}]`;
  return redact(text, [finding(type, 1, 1 + value.length)], { operator: 'pseudonym', key: KEY, ...options })
    .replacements[0]!.replacement;
}

function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function ibanRemainder(s: string): bigint {
  const numeric = s
    .toUpperCase()
    .split('')
    .map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c))
    .join('');
  return BigInt(numeric) % 97n;
}

function ibanValid(iban: string): boolean {
  const compact = iban.replace(/\s/g, '');
  return /^[A-Z]{2}\d{2}[A-Z0-9]+$/i.test(compact) && ibanRemainder(compact.slice(4) + compact.slice(0, 4)) === 1n;
}

/** A valid IBAN for a country and BBAN, computed here independently. */
function makeIban(country: string, bban: string): string {
  const check = 98n - ibanRemainder(`${bban}${country}00`);
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

function group4(s: string): string {
  return s.replace(/(.{4})(?=.)/g, '$1 ');
}

function shape(s: string): string {
  return s.replace(/\d/g, '9').replace(/[A-Za-z]/g, 'A');
}

function wellFormed(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

/** A tiny deterministic generator for test inputs. */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 0x1_0000_0000;
  };
}

function expectError(fn: () => unknown, code: string, pattern?: RegExp): LifeguardError {
  try {
    fn();
  } catch (error) {
    expect(LifeguardError.isInstance(error)).toBe(true);
    const e = error as LifeguardError;
    expect(e.code).toBe(code);
    if (pattern) expect(e.message).toMatch(pattern);
    return e;
  }
  throw new Error('expected an error');
}

async function expectRejection(promise: Promise<unknown>, code: string, pattern?: RegExp): Promise<LifeguardError> {
  try {
    await promise;
  } catch (error) {
    expect(LifeguardError.isInstance(error)).toBe(true);
    const e = error as LifeguardError;
    expect(e.code).toBe(code);
    if (pattern) expect(e.message).toMatch(pattern);
    return e;
  }
  throw new Error('expected a rejection');
}

const SAMPLE = 'Write to jane.roe@corp.io or call +1 415-555-2671; card 4111 1111 1111 1111 expires soon.';
const SAMPLE_FINDINGS = locate(SAMPLE, [
  ['EMAIL_ADDRESS', 'jane.roe@corp.io'],
  ['PHONE_NUMBER', '+1 415-555-2671'],
  ['CREDIT_CARD', '4111 1111 1111 1111'],
]);

// ---------------------------------------------------------------------------------------------------------------

describe('redact: offsets', () => {
  it('replaces right-to-left and reports input and output offsets', () => {
    const result = redact(SAMPLE, [...SAMPLE_FINDINGS].reverse(), { operator: 'replace' });
    expect(result.text).toBe('Write to <EMAIL_ADDRESS> or call <PHONE_NUMBER>; card <CREDIT_CARD> expires soon.');
    expect(result.replacements.map((r) => r.type)).toEqual(['EMAIL_ADDRESS', 'PHONE_NUMBER', 'CREDIT_CARD']);
    for (const r of result.replacements) {
      expect(result.text.slice(r.newStart, r.newEnd)).toBe(r.replacement);
      expect(r.operator).toBe('replace');
      expect(Object.values(r)).not.toContain(SAMPLE.slice(r.start, r.end));
    }
    // The text between replacements is unchanged.
    const [a, b, c] = result.replacements as [
      (typeof result.replacements)[0],
      (typeof result.replacements)[0],
      (typeof result.replacements)[0],
    ];
    expect(result.text.slice(0, a.newStart)).toBe(SAMPLE.slice(0, a.start));
    expect(result.text.slice(a.newEnd, b.newStart)).toBe(SAMPLE.slice(a.end, b.start));
    expect(result.text.slice(b.newEnd, c.newStart)).toBe(SAMPLE.slice(b.end, c.start));
    expect(result.text.slice(c.newEnd)).toBe(SAMPLE.slice(c.end));
  });

  it('returns the text unchanged without findings and ignores empty findings', () => {
    expect(redact('hello', [], { operator: 'tag' })).toEqual({ text: 'hello', replacements: [] });
    expect(redact('hello', [finding('PERSON', 2, 2)], { operator: 'tag' }).text).toBe('hello');
  });

  it('handles findings at the very start and end of the text', () => {
    const text = 'Alice met Bob';
    const out = redact(text, [finding('PERSON', 0, 5), finding('PERSON', 10, 13)], { operator: 'tag' });
    expect(out.text).toBe('<PERSON_1> met <PERSON_2>');
  });

  it('rejects invalid offsets without quoting the text', () => {
    const secret = 'my password is hunter2';
    for (const bad of [finding('X', -1, 3), finding('X', 3, 2), finding('X', 0, 99), finding('X', 0.5, 2)]) {
      const error = expectError(() => redact(secret, [bad], { operator: 'tag' }), 'LG_ERR_INPUT_INVALID', /offsets/);
      expect(error.message).not.toContain('hunter2');
    }
    expectError(() => redact(42 as unknown as string, [], { operator: 'tag' }), 'LG_ERR_INPUT_INVALID');
    expectError(() => redact('x', 'nope' as unknown as Finding[], { operator: 'tag' }), 'LG_ERR_INPUT_INVALID');
  });
});

describe('redact: overlaps', () => {
  it('keeps the outer finding when one is nested in another', () => {
    const text = 'contact john.smith@example.org now';
    const email = locate(text, [['EMAIL_ADDRESS', 'john.smith@example.org']])[0]!;
    const person = { ...email, type: 'PERSON', end: email.start + 10, score: 0.99 };
    const out = redact(text, [person, email], { operator: 'replace' });
    expect(out.text).toBe('contact <EMAIL_ADDRESS> now');
    expect(out.replacements).toHaveLength(1);
  });

  it('prefers the higher score for identical spans', () => {
    const spans = resolveOverlaps([finding('LOCATION', 0, 5, 0.4), finding('PERSON', 0, 5, 0.8)]);
    expect(spans).toHaveLength(1);
    expect(spans[0]!.type).toBe('PERSON');
    expect(spans[0]!.merged).toBe(2);
  });

  it('merges partial overlaps into the union, typed after the longer finding', () => {
    const text = '0123456789abcdefghij';
    const out = redact(text, [finding('SHORT', 2, 8, 0.99), finding('LONG', 5, 15, 0.1)], { operator: 'replace' });
    expect(out.text).toBe('01<LONG>fghij');
    expect(out.replacements[0]).toMatchObject({ type: 'LONG', start: 2, end: 15 });
  });

  it('merges chains transitively and leaves touching findings apart', () => {
    const spans = resolveOverlaps([
      finding('A', 0, 4),
      finding('B', 3, 9),
      finding('C', 8, 10),
      finding('D', 10, 12),
      finding('E', 12, 20),
    ]);
    expect(spans.map((s) => [s.type, s.start, s.end])).toEqual([
      ['B', 0, 10],
      ['D', 10, 12],
      ['E', 12, 20],
    ]);
  });

  it('breaks full ties by position then type name, deterministically', () => {
    const a = resolveOverlaps([finding('ZETA', 0, 4, 0.5), finding('ALPHA', 0, 4, 0.5)]);
    const b = resolveOverlaps([finding('ALPHA', 0, 4, 0.5), finding('ZETA', 0, 4, 0.5)]);
    expect(a[0]!.type).toBe('ALPHA');
    expect(b[0]!.type).toBe('ALPHA');
  });
});

describe('operator registry and per-type choice', () => {
  it('lists every operator and rejects unknown names with the valid ones', () => {
    expect(operatorNames()).toEqual(['mask', 'tag', 'hash', 'pseudonym', 'vault', 'replace', 'remove']);
    expectError(
      () => getOperator('blur'),
      'LG_ERR_INPUT_INVALID',
      /mask, tag, hash, pseudonym, vault, replace, remove/,
    );
    expectError(
      () => redact(SAMPLE, SAMPLE_FINDINGS, { operator: 'blur' as 'mask' }),
      'LG_ERR_INPUT_INVALID',
      /unknown redaction operator "blur"; valid operators: mask, tag/,
    );
    // Checked up front, even for a type with no findings.
    expectError(
      () => redact(SAMPLE, SAMPLE_FINDINGS, { operator: { default: 'tag', US_SSN: 'scramble' as 'mask' } }),
      'LG_ERR_INPUT_INVALID',
      /valid operators/,
    );
    expectError(() => redact(SAMPLE, [], { operator: undefined as unknown as 'tag' }), 'LG_ERR_INPUT_INVALID');
  });

  it('chooses operators per type, with options laid over the defaults', () => {
    const out = redact(SAMPLE, SAMPLE_FINDINGS, {
      operator: {
        default: 'tag',
        credit_card: { operator: 'mask', options: { keepLast: 4 } },
        PHONE_NUMBER: 'replace',
      },
      mask: { preserve: ' ', char: '#' },
      replace: { with: '[{type} removed]' },
    });
    expect(out.text).toBe(
      'Write to <EMAIL_ADDRESS_1> or call [PHONE_NUMBER removed]; card #### #### #### 1111 expires soon.',
    );
    expect(out.replacements.map((r) => r.operator)).toEqual(['tag', 'replace', 'mask']);
  });

  it('defaults to tag when the map has no default', () => {
    const out = redact(SAMPLE, SAMPLE_FINDINGS, { operator: { CREDIT_CARD: 'remove' } });
    expect(out.text).toBe('Write to <EMAIL_ADDRESS_1> or call <PHONE_NUMBER_1>; card  expires soon.');
  });

  it('accepts custom operators made with defineOperator', () => {
    const initials = defineOperator({
      name: 'initials',
      description: 'first letters',
      apply: ({ value }) =>
        value
          .split(/\s+/)
          .map((w) => `${w[0]}.`)
          .join(''),
    });
    const text = 'by Ada Lovelace';
    const out = redact(text, [finding('PERSON', 3, 15)], { operator: { PERSON: initials } });
    expect(out.text).toBe('by A.L.');
    expect(out.replacements[0]!.operator).toBe('initials');
    expectError(() => defineOperator({ name: 'Bad Name', description: '', apply: () => '' }), 'LG_ERR_INPUT_INVALID');
  });
});

describe('mask', () => {
  it('keeps the length and masks every character by default', () => {
    expect(one('EMAIL_ADDRESS', 'a@b.co', { operator: 'mask' })).toBe('******');
  });

  it('supports a mask character, keepLast, keepFirst and preserved separators', () => {
    expect(one('CREDIT_CARD', '4111 1111 1111 1234', { operator: 'mask', mask: { keepLast: 4, preserve: ' -' } })).toBe(
      '**** **** **** 1234',
    );
    expect(one('CREDIT_CARD', '4111-1111-1111-1234', { operator: 'mask', mask: { keepLast: 4 } })).toBe(
      '***************1234',
    );
    expect(one('PHONE_NUMBER', '5550123', { operator: 'mask', mask: { char: 'x', keepFirst: 3 } })).toBe('555xxxx');
    expect(one('PERSON', 'Zoë', { operator: 'mask', mask: { char: '•' } })).toBe('•••');
  });

  it('never reveals a whole value through keepFirst/keepLast', () => {
    expect(one('PIN', '1234', { operator: 'mask', mask: { keepLast: 4 } })).toBe('****');
    expect(one('PIN', '12345', { operator: 'mask', mask: { keepLast: 2, keepFirst: 3 } })).toBe('*****');
  });

  it('counts surrogate pairs as one character', () => {
    expect(one('EMOJI', 'a😀b', { operator: 'mask' })).toBe('***');
    expect(one('EMOJI', 'a😀b', { operator: 'mask', mask: { keepLast: 2 } })).toBe('*😀b');
  });

  it('rejects bad options', () => {
    expectError(() => one('X', 'abc', { operator: 'mask', mask: { char: '**' } }), 'LG_ERR_INPUT_INVALID', /char/);
    expectError(
      () => one('X', 'abc', { operator: 'mask', mask: { keepLast: -1 } }),
      'LG_ERR_INPUT_INVALID',
      /keepLast/,
    );
  });
});

describe('replace and remove', () => {
  it('replaces with <TYPE> by default, a template otherwise, or removes', () => {
    expect(one('US_SSN', '123-45-6789', { operator: 'replace' })).toBe('<US_SSN>');
    expect(one('us-ssn', '123-45-6789', { operator: 'replace' })).toBe('<US_SSN>');
    expect(one('US_SSN', '123-45-6789', { operator: 'replace', replace: { with: '[REDACTED]' } })).toBe('[REDACTED]');
    const out = redact('a secret b', [finding('SECRET', 2, 8)], { operator: 'remove' });
    expect(out.text).toBe('a  b');
    expect(out.replacements[0]).toMatchObject({ replacement: '', newStart: 2, newEnd: 2 });
  });
});

describe('tag', () => {
  it('numbers values per type in reading order; the same value gets the same tag', () => {
    const text = 'Ann wrote to Bob, then Ann wrote to ann@x.io and Cy.';
    const findings = locate(text, [
      ['PERSON', 'Ann'],
      ['PERSON', 'Bob'],
      ['PERSON', 'Ann'],
      ['EMAIL_ADDRESS', 'ann@x.io'],
      ['PERSON', 'Cy'],
    ]);
    expect(redact(text, findings, { operator: 'tag' }).text).toBe(
      '<PERSON_1> wrote to <PERSON_2>, then <PERSON_1> wrote to <EMAIL_ADDRESS_1> and <PERSON_3>.',
    );
  });

  it('keeps numbering across calls that share a RedactionSession, and restarts without one', () => {
    const session = new RedactionSession();
    const m1 = 'I am Ann.';
    const m2 = 'Bob here, hi Ann.';
    const f1 = locate(m1, [['PERSON', 'Ann']]);
    const f2 = locate(m2, [
      ['PERSON', 'Bob'],
      ['PERSON', 'Ann'],
    ]);
    expect(redact(m1, f1, { operator: 'tag', session }).text).toBe('I am <PERSON_1>.');
    expect(redact(m2, f2, { operator: 'tag', session }).text).toBe('<PERSON_2> here, hi <PERSON_1>.');
    expect(redact(m2, f2, { operator: 'tag' }).text).toBe('<PERSON_1> here, hi <PERSON_2>.');
    expect(inspect(session)).not.toContain('Ann');
  });

  it('skips tag numbers already present in the input', () => {
    const text = 'literal <PERSON_1> and Eve';
    expect(redact(text, locate(text, [['PERSON', 'Eve']]), { operator: 'tag' }).text).toBe(
      'literal <PERSON_1> and <PERSON_2>',
    );
  });
});

describe('hash', () => {
  it('is HMAC-SHA256(key, type \\0 value), truncated to 16 hex characters by default', () => {
    const expected = createHmac('sha256', KEY).update('EMAIL_ADDRESS\0jane.roe@corp.io').digest('hex').slice(0, 16);
    expect(one('EMAIL_ADDRESS', 'jane.roe@corp.io', { operator: 'hash' })).toBe(`<EMAIL_ADDRESS:${expected}>`);
    expect(one('EMAIL_ADDRESS', 'jane.roe@corp.io', { operator: 'hash', hash: { length: 8 } })).toMatch(
      /^<EMAIL_ADDRESS:[0-9a-f]{8}>$/,
    );
  });

  it('is consistent for a key and differs across keys', () => {
    const a = one('PERSON', 'Jane Roe', { operator: 'hash' });
    expect(one('PERSON', 'Jane Roe', { operator: 'hash' })).toBe(a);
    expect(one('PERSON', 'Jane Roe', { operator: 'hash', key: OTHER_KEY })).not.toBe(a);
    expect(one('PERSON', 'Jane Roes', { operator: 'hash' })).not.toBe(a);
    expect(one('PERSON', 'Jane Roe', { operator: 'hash', key: Buffer.from(KEY) })).toBe(a);
  });

  it('explains how to pass a key when it is missing or short', () => {
    const error = expectError(
      () => redact(SAMPLE, SAMPLE_FINDINGS, { operator: 'hash' }),
      'LG_ERR_INPUT_INVALID',
      /needs a secret key: pass it as the `key` redact option/,
    );
    expect(error.message).not.toContain('jane.roe');
    expectError(() => one('X', 'v', { operator: 'hash', key: 'short' }), 'LG_ERR_INPUT_INVALID', /at least 16/);
    expectError(() => one('X', 'v', { operator: 'hash', hash: { length: 2 } }), 'LG_ERR_INPUT_INVALID', /hash.length/);
  });
});

describe('pseudonym', () => {
  it('needs a key', () => {
    expectError(() => redact(SAMPLE, SAMPLE_FINDINGS, { operator: 'pseudonym' }), 'LG_ERR_INPUT_INVALID', /`key`/);
  });

  it('gives the same output for the same input and key, and another for another key', () => {
    const a = redact(SAMPLE, SAMPLE_FINDINGS, { operator: 'pseudonym', key: KEY }).text;
    const b = redact(SAMPLE, SAMPLE_FINDINGS, { operator: 'pseudonym', key: KEY }).text;
    const c = redact(SAMPLE, SAMPLE_FINDINGS, { operator: 'pseudonym', key: OTHER_KEY }).text;
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    for (const value of ['jane.roe@corp.io', '415-555-2671', '4111 1111 1111 1111']) {
      expect(a).not.toContain(value);
      expect(c).not.toContain(value);
    }
  });

  it('repeats a pseudonym within a text and across a session', () => {
    const text = 'Jane Roe met Jane Roe';
    const out = redact(
      text,
      locate(text, [
        ['PERSON', 'Jane Roe'],
        ['PERSON', 'Jane Roe'],
      ]),
      {
        operator: 'pseudonym',
        key: KEY,
      },
    );
    const [x, y] = out.replacements;
    expect(x!.replacement).toBe(y!.replacement);
    const session = new RedactionSession();
    expect(one('PERSON', 'Jane Roe', { session })).toBe(x!.replacement);
    expect(one('PERSON', 'Jane Roe', { session })).toBe(x!.replacement);
  });

  it('makes plausible names, case-matched', () => {
    expect(one('PERSON', 'Jane Roe')).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    expect(one('PERSON', 'JANE ROE')).toMatch(/^[A-Z]+ [A-Z]+$/);
    expect(one('FIRST_NAME', 'Jane')).toMatch(/^[A-Z][a-z]+$/);
  });

  it('makes emails on reserved example domains', () => {
    expect(one('EMAIL_ADDRESS', 'jane.roe@corp.io')).toMatch(/^[a-z]+\.[a-z]+\d{0,2}@example\.(com|org|net)$/);
  });

  it('keeps the layout and country code of phone numbers', () => {
    for (const value of [
      '+1 415-555-2671',
      '+1 (415) 555-2671',
      '(415) 555-2671',
      '1-800-555-0100',
      '+44 20 7946 0958',
      '020 7946 0958',
      '+4915112345678',
      '+33 6 12 34 56 78',
      '0049 30 1234567',
      '555 0123',
    ]) {
      const fake = one('PHONE_NUMBER', value);
      expect(shape(fake), value).toBe(shape(value));
      expect(fake).not.toBe(value);
    }
    expect(one('PHONE_NUMBER', '+44 20 7946 0958')).toMatch(/^\+44 /);
    expect(one('PHONE_NUMBER', '+4915112345678')).toMatch(/^\+49[2-9]/);
    expect(one('PHONE_NUMBER', '+1 415-555-2671')).toMatch(/^\+1 [2-9]\d\d-555-01\d\d$/);
    expect(one('PHONE_NUMBER', '020 7946 0958')).toMatch(/^0[2-9]/);
    expect(one('PHONE_NUMBER', '0049 30 1234567')).toMatch(/^0049 /);
  });

  it('makes credit card numbers with the same grouping and a valid Luhn digit', () => {
    const next = lcg(7);
    const layouts = [
      '4444 4444 4444 4444',
      '4444-4444-4444-4444',
      '4444444444444444',
      '3444 444444 44444',
      '4444444444444',
      '6444 4444 4444 4444 444',
    ];
    for (let i = 0; i < 300; i++) {
      const layout = layouts[i % layouts.length]!;
      let payload = layout
        .replace(/\D/g, '')
        .slice(0, -1)
        .replace(/\d/g, () => String(Math.floor(next() * 10)));
      payload = layout[0] + payload.slice(1);
      let check = 0;
      while (!luhnValid(payload + check)) check++;
      let k = 0;
      const digits = payload + check;
      const value = layout.replace(/\d/g, () => digits[k++]!);
      expect(luhnValid(value.replace(/\D/g, ''))).toBe(true);
      const fake = one('CREDIT_CARD', value);
      expect(shape(fake)).toBe(shape(value));
      expect(fake[0]).toBe(value[0]);
      expect(fake).not.toBe(value);
      expect(luhnValid(fake.replace(/\D/g, '')), fake).toBe(true);
    }
  });

  it('makes IBANs with the same country, length and grouping and valid mod-97 check digits', () => {
    const samples = [
      'DE89 3704 0044 0532 0130 00',
      'GB82 WEST 1234 5698 7654 32',
      'FR14 2004 1010 0505 0001 3M02 606',
      'NL91ABNA0417164300',
      'IT60 X054 2811 1010 0000 0123 456',
      'ES91 2100 0418 4502 0005 1332',
      'CH93 0076 2011 6238 5295 7',
      'BE68 5390 0754 7034',
      'NO93 8601 1117 947',
      'MT84 MALT 0110 0001 2345 MTLC AST0 01S',
    ];
    const next = lcg(11);
    const inputs = [...samples];
    for (let i = 0; i < 200; i++) {
      const sample = samples[i % samples.length]!.replace(/\s/g, '');
      const bban = sample.slice(4).replace(/\d/g, () => String(Math.floor(next() * 10)));
      const iban = makeIban(sample.slice(0, 2), bban);
      inputs.push(i % 2 === 0 ? group4(iban) : iban);
    }
    for (const value of inputs) {
      expect(ibanValid(value), value).toBe(true);
      const fake = one('IBAN_CODE', value);
      expect(fake.slice(0, 2)).toBe(value.slice(0, 2));
      expect(shape(fake), value).toBe(shape(value));
      expect(fake).not.toBe(value);
      expect(ibanValid(fake), fake).toBe(true);
    }
  });

  it('makes valid-looking SSNs in the same format', () => {
    for (let i = 0; i < 200; i++) {
      const value = ['123-45-6789', '123 45 6789', '123456789'][i % 3]!.replace('6789', String(1000 + i));
      const fake = one('US_SSN', value);
      expect(shape(fake)).toBe(shape(value));
      const digits = fake.replace(/\D/g, '');
      const area = digits.slice(0, 3);
      expect(area).not.toBe('000');
      expect(area).not.toBe('666');
      expect(area[0]).not.toBe('9');
      expect(digits.slice(3, 5)).not.toBe('00');
      expect(digits.slice(5)).not.toBe('0000');
    }
  });

  it('uses documentation address ranges for IPs', () => {
    for (let i = 0; i < 50; i++) {
      expect(one('IP_ADDRESS', `10.0.${i}.7`)).toMatch(
        /^(192\.0\.2|198\.51\.100|203\.0\.113)\.([1-9]\d?|1\d\d|2[0-4]\d|25[0-4])$/,
      );
    }
    expect(one('IP_ADDRESS', '10.0.0.0/8')).toMatch(/^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+\/8$/);
    expect(one('IP_ADDRESS', 'fe80::1ff:fe23:4567:890a')).toMatch(/^2001:db8(:[0-9a-f]{1,4}){6}$/);
    expect(one('IP_ADDRESS', '2a00:1450:4001:82b::200e/64')).toMatch(/^2001:db8(:[0-9a-f]{1,4}){6}\/64$/);
  });

  it('uses example domains for URLs and domain names', () => {
    expect(one('URL', 'https://acme.io/users/jane?id=42#top')).toMatch(
      /^https:\/\/[a-z]+-[a-z]+\.example\.(com|org|net)\/[a-z]+\/[a-z]+\?ref=[a-z]+#[a-z]+$/,
    );
    expect(one('URL', 'www.acme.io')).toMatch(/^www\.[a-z]+-[a-z]+\.example\.(com|org|net)$/);
    expect(one('DOMAIN_NAME', 'acme.co.uk')).toMatch(/^[a-z]+-[a-z]+\.example\.(com|org|net)$/);
  });

  it('makes locations, addresses and organisations from lists', () => {
    expect(one('LOCATION', 'Paris')).toMatch(/^[A-Z][a-z]+( [A-Z][a-z]+)?$/);
    expect(one('ADDRESS', '12 High St, London')).toMatch(
      /^\d{1,4} [A-Z][a-z]+ [A-Z][a-z]+, [A-Z][a-z]+( [A-Z][a-z]+)?$/,
    );
    expect(one('ORGANIZATION', 'Acme Corp')).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ [A-Za-z.]+$/);
  });

  it('shifts dates and keeps their format', () => {
    const day = 86_400_000;
    const iso = one('DATE_TIME', '2021-03-05');
    expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const diff = Math.abs(Date.parse(iso) - Date.parse('2021-03-05')) / day;
    expect(diff).toBeGreaterThanOrEqual(1);
    expect(diff).toBeLessThanOrEqual(365);
    expect(one('DATE_TIME', '2021-03-05T10:30:00Z', { pseudonym: { dateShiftDays: 10 } })).toBe('2021-03-15T10:30:00Z');
    expect(one('DATE_TIME', '03/05/2021', { pseudonym: { dateShiftDays: 30 } })).toBe('04/04/2021');
    expect(one('DATE_TIME', '03/05/2021', { pseudonym: { dateShiftDays: 30, dateOrder: 'dmy' } })).toBe('02/06/2021');
    expect(one('DATE_TIME', '25.12.2020', { pseudonym: { dateShiftDays: 7 } })).toBe('01.01.2021');
    expect(one('DATE_TIME', '3/5/21', { pseudonym: { dateShiftDays: -5 } })).toBe('2/28/21');
    expect(one('DATE_TIME', 'March 5, 2021', { pseudonym: { dateShiftDays: 1 } })).toBe('March 6, 2021');
    expect(one('DATE_TIME', 'Sept 30th, 2021', { pseudonym: { dateShiftDays: 2 } })).toBe('Oct 2nd, 2021');
    expect(one('DATE_TIME', '5 Mar 2021', { pseudonym: { dateShiftDays: -5 } })).toBe('28 Feb 2021');
    expect(one('DATE_TIME', '31 DECEMBER 1999', { pseudonym: { dateShiftDays: 1 } })).toBe('1 JANUARY 2000');
    expect(one('DATE_TIME', 'March 5, 2021')).toMatch(/^[A-Z][a-z]+ \d{1,2}, \d{4}$/);
    expect(one('DATE_TIME', 'next Tuesday')).toMatch(/^<DATE_TIME_[0-9a-f]{12}>$/);
  });

  it('falls back to <TYPE_hash> for other types', () => {
    expect(one('API_KEY', 'sk-live-abc123')).toMatch(/^<API_KEY_[0-9a-f]{12}>$/);
    expect(one('API_KEY', 'sk-live-abc123', { pseudonym: { hashLength: 8 } })).toMatch(/^<API_KEY_[0-9a-f]{8}>$/);
  });

  it('gives distinct pseudonyms to distinct values within a call', () => {
    const cases: Array<[string, (i: number) => string, number]> = [
      ['EMAIL_ADDRESS', (i) => `user${i}@corp.io`, 2000],
      ['PERSON', (i) => `Person Number${i}`, 1500],
      ['IP_ADDRESS', (i) => `10.${i >> 8}.${i & 255}.1`, 700],
      ['CREDIT_CARD', (i) => `4000 0000 0000 ${String(i).padStart(4, '0')}`, 1000],
    ];
    for (const [type, make, n] of cases) {
      const values = Array.from({ length: n }, (_, i) => make(i));
      const text = values.join('\n');
      const out = redact(
        text,
        locate(
          text,
          values.map((v) => [type, v] as const),
        ),
        { operator: 'pseudonym', key: KEY },
      );
      const fakes = new Set(out.replacements.map((r) => r.replacement));
      expect(fakes.size, type).toBe(n);
    }
  });

  it('handles pseudonymising the same value as different types independently', () => {
    const a = one('PERSON', 'Jordan');
    const b = one('LOCATION', 'Jordan');
    expect(a).not.toBe(b);
  });
});

describe('non-ASCII text and surrogate pairs', () => {
  const text = 'Grüße 👋🏽 от Иван Петров — 📧ivan@пример.рф😀 and 😀Zoë😀!';
  const findings = locate(text, [
    ['PERSON', 'Иван Петров'],
    ['EMAIL_ADDRESS', 'ivan@пример.рф'],
    ['PERSON', 'Zoë'],
  ]);

  it('keeps the surrounding text intact for every operator', () => {
    for (const operator of ['mask', 'tag', 'hash', 'pseudonym', 'replace', 'remove'] as const) {
      const out = redact(text, findings, { operator, key: KEY });
      expect(wellFormed(out.text), operator).toBe(true);
      expect(out.text.startsWith('Grüße 👋🏽 от '), operator).toBe(true);
      expect(out.text.endsWith('😀!'), operator).toBe(true);
      expect(out.text).toContain(' — 📧');
      for (const r of out.replacements) expect(out.text.slice(r.newStart, r.newEnd)).toBe(r.replacement);
    }
    expect(redact(text, findings, { operator: 'tag' }).text).toBe(
      'Grüße 👋🏽 от <PERSON_1> — 📧<EMAIL_ADDRESS_1>😀 and 😀<PERSON_2>😀!',
    );
    expect(redact(text, findings, { operator: 'mask' }).text).toBe(
      'Grüße 👋🏽 от *********** — 📧**************😀 and 😀***😀!',
    );
  });

  it('widens findings that would split a surrogate pair', () => {
    const emoji = text.indexOf('😀');
    // Starts in the middle of 😀 and ends in the middle of another one.
    const start = emoji + 1;
    const end = text.indexOf('😀', emoji + 2) + 1;
    const out = redact(text, [finding('ODD', start, end)], { operator: 'replace' });
    expect(wellFormed(out.text)).toBe(true);
    expect(out.replacements[0]).toMatchObject({ start: emoji, end: end + 1 });
    expect(out.text).toBe('Grüße 👋🏽 от Иван Петров — 📧ivan@пример.рф<ODD>Zoë😀!');
  });
});

describe('vault operator and restore', () => {
  it('replaces with tags, records them and restores the original', () => {
    const vault = new Vault();
    const out = redact(SAMPLE, SAMPLE_FINDINGS, { operator: 'vault', vault });
    expect(out.text).toBe('Write to <EMAIL_ADDRESS_1> or call <PHONE_NUMBER_1>; card <CREDIT_CARD_1> expires soon.');
    expect(vault.size).toBe(3);
    expect(vault.get('<PHONE_NUMBER_1>')).toBe('+1 415-555-2671');
    expect(restore(out.text, vault)).toBe(SAMPLE);
    expect(restore('Reply to <EMAIL_ADDRESS_1> about <EMAIL_ADDRESS_9>.', vault)).toBe(
      'Reply to jane.roe@corp.io about <EMAIL_ADDRESS_9>.',
    );
  });

  it('needs a vault', () => {
    expectError(() => redact(SAMPLE, SAMPLE_FINDINGS, { operator: 'vault' }), 'LG_ERR_VAULT', /new Vault\(\)/);
  });

  it('restores values containing replacement patterns literally', () => {
    const vault = new Vault();
    const text = 'pw: a$&b$1c$$ ok';
    const out = redact(text, [finding('PASSWORD', 4, 13)], { operator: 'vault', vault });
    expect(out.text).toBe('pw: <PASSWORD_1> ok');
    expect(restore(out.text, vault)).toBe(text);
  });

  it('keeps tags consistent and unique across calls sharing a vault, with or without a session', () => {
    const vault = new Vault();
    const m1 = 'Ann and Bob';
    const m2 = 'Cy and Ann';
    const r1 = redact(
      m1,
      locate(m1, [
        ['PERSON', 'Ann'],
        ['PERSON', 'Bob'],
      ]),
      { operator: 'vault', vault },
    );
    const r2 = redact(
      m2,
      locate(m2, [
        ['PERSON', 'Cy'],
        ['PERSON', 'Ann'],
      ]),
      { operator: 'vault', vault },
    );
    expect(r1.text).toBe('<PERSON_1> and <PERSON_2>');
    expect(r2.text).toBe('<PERSON_3> and <PERSON_1>');
    expect(restore(`${r1.text} / ${r2.text}`, vault)).toBe(`${m1} / ${m2}`);
  });

  it('does not let tag and vault operators hand out the same tag in one session', () => {
    const vault = new Vault();
    const session = new RedactionSession();
    const m1 = 'Ann';
    const m2 = 'Bob';
    expect(redact(m1, [finding('PERSON', 0, 3)], { operator: 'tag', session, vault }).text).toBe('<PERSON_1>');
    expect(redact(m2, [finding('PERSON', 0, 3)], { operator: 'vault', session, vault }).text).toBe('<PERSON_2>');
    expect(redact(m1, [finding('PERSON', 0, 3)], { operator: 'tag', session, vault }).text).toBe('<PERSON_1>');
    expect(restore('<PERSON_1> <PERSON_2>', vault)).toBe('<PERSON_1> Bob');
  });

  it('never shows originals when printed or serialised', () => {
    const vault = new Vault();
    redact(SAMPLE, SAMPLE_FINDINGS, { operator: 'vault', vault });
    expect(inspect(vault)).toBe('Vault { size: 3 }');
    expect(JSON.stringify({ vault })).toBe('{"vault":{"size":3}}');
  });
});

describe('vault file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lifeguard-vault-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function sealedSample(
    passphrase = 'correct horse battery staple',
  ): Promise<{ path: string; redacted: string }> {
    const vault = new Vault();
    const redacted = redact(SAMPLE, SAMPLE_FINDINGS, { operator: 'vault', vault }).text;
    const path = join(dir, `vault-${Math.random().toString(36).slice(2)}.json`);
    await vault.save(path, passphrase, FAST);
    return { path, redacted };
  }

  it('round-trips through an encrypted 0600 file', async () => {
    const vault = new Vault();
    const redacted = redact(SAMPLE, SAMPLE_FINDINGS, { operator: 'vault', vault }).text;
    const path = join(dir, 'chat.vault');
    await vault.save(path, 'correct horse battery staple'); // default cost
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
    const raw = await readFile(path, 'utf8');
    for (const value of ['jane.roe', '415-555', '4111', 'EMAIL_ADDRESS']) expect(raw).not.toContain(value);
    const envelope = JSON.parse(raw);
    expect(Object.keys(envelope)).toEqual(['version', 'kdf', 'salt', 'iv', 'tag', 'data']);
    expect(envelope.version).toBe(1);
    expect(envelope.kdf).toEqual({ name: 'scrypt', N: 2 ** 15, r: 8, p: 1, keyLength: 32 });
    expect(Buffer.from(envelope.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(envelope.tag, 'base64')).toHaveLength(16);
    expect(Buffer.from(envelope.salt, 'base64')).toHaveLength(16);

    const loaded = await Vault.load(path, 'correct horse battery staple');
    expect(loaded.size).toBe(3);
    expect(restore(redacted, loaded)).toBe(SAMPLE);

    // Saving again uses a fresh salt and IV; overwriting keeps mode 0600.
    await vault.save(path, 'correct horse battery staple', FAST);
    const again = JSON.parse(await readFile(path, 'utf8'));
    expect(again.salt).not.toBe(envelope.salt);
    expect(again.iv).not.toBe(envelope.iv);
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('continues numbering after a reload without reusing tags', async () => {
    const { path } = await sealedSample();
    const loaded = await Vault.load(path, 'correct horse battery staple');
    const text = 'jane.roe@corp.io and bo@corp.io';
    const out = redact(
      text,
      locate(text, [
        ['EMAIL_ADDRESS', 'jane.roe@corp.io'],
        ['EMAIL_ADDRESS', 'bo@corp.io'],
      ]),
      {
        operator: 'vault',
        vault: loaded,
      },
    );
    expect(out.text).toBe('<EMAIL_ADDRESS_1> and <EMAIL_ADDRESS_2>');
  });

  it('fails clearly on a wrong passphrase', async () => {
    const { path } = await sealedSample();
    const error = await expectRejection(Vault.load(path, 'wrong passphrase'), 'LG_ERR_VAULT', /passphrase is wrong/);
    expect(error.message).not.toContain('jane.roe');
  });

  it('fails clearly on any tampering', async () => {
    const { path } = await sealedSample();
    const original = JSON.parse(await readFile(path, 'utf8'));
    const flip = (b64: string, at = 0) => {
      const buf = Buffer.from(b64, 'base64');
      buf[at] = buf[at]! ^ 0x01;
      return buf.toString('base64');
    };
    const tampered: Array<Record<string, unknown>> = [
      { ...original, data: flip(original.data) },
      { ...original, data: flip(original.data, 20) },
      { ...original, tag: flip(original.tag) },
      { ...original, iv: flip(original.iv) },
      { ...original, salt: flip(original.salt) },
      { ...original, kdf: { ...original.kdf, N: 2 ** 15 } },
      { ...original, data: Buffer.from(original.data, 'base64').subarray(0, 10).toString('base64') },
    ];
    for (const envelope of tampered) {
      const target = join(dir, 'tampered.json');
      await writeFile(target, JSON.stringify(envelope));
      await expectRejection(
        Vault.load(target, 'correct horse battery staple'),
        'LG_ERR_VAULT',
        /modified or corrupted/,
      );
    }
    const invalid: Array<[string, RegExp]> = [
      ['not json at all', /not JSON/],
      [JSON.stringify({ ...original, version: 2 }), /unsupported vault version/],
      [JSON.stringify({ ...original, kdf: { ...original.kdf, N: 2 ** 30 } }), /key derivation/],
      [JSON.stringify({ ...original, tag: 'AAAA' }), /"tag" must be 16 bytes/],
      [JSON.stringify({ ...original, iv: undefined }), /"iv"/],
      ['[]', /JSON object/],
    ];
    for (const [content, pattern] of invalid) {
      const target = join(dir, 'invalid.json');
      await writeFile(target, content);
      await expectRejection(Vault.load(target, 'correct horse battery staple'), 'LG_ERR_VAULT', pattern);
    }
  });

  it('reports missing files and empty passphrases as vault errors', async () => {
    await expectRejection(Vault.load(join(dir, 'missing.json'), 'x'), 'LG_ERR_VAULT', /could not read.*ENOENT/);
    await expectRejection(new Vault().save(join(dir, 'x.json'), ''), 'LG_ERR_VAULT', /passphrase/);
    await expectRejection(new Vault().save(join(dir, 'no', 'such', 'dir.json'), 'pw', FAST), 'LG_ERR_VAULT', /ENOENT/);
  });

  it('seals and opens in memory, with a Uint8Array passphrase', async () => {
    const vault = new Vault();
    redact(SAMPLE, SAMPLE_FINDINGS, { operator: 'vault', vault });
    const pass = new Uint8Array([1, 2, 3, 4, 5]);
    const sealed = await vault.seal(pass, FAST);
    expect([...pass]).toEqual([1, 2, 3, 4, 5]); // the caller's buffer is not wiped
    const opened = await Vault.open(sealed, pass);
    expect([...opened.tags()]).toEqual([...vault.tags()]);
  });
});

describe('streaming restore', () => {
  const vault = new Vault();
  const source = 'Hi Jane Roe, mail jane.roe@corp.io or +1 415-555-2671. Bye Jane Roe! a<b, <x>, <EMAIL_ADDRESS_7>.';
  const redacted = redact(
    source,
    locate(source, [
      ['PERSON', 'Jane Roe'],
      ['EMAIL_ADDRESS', 'jane.roe@corp.io'],
      ['PHONE_NUMBER', '+1 415-555-2671'],
      ['PERSON', 'Jane Roe'],
    ]),
    { operator: 'vault', vault },
  ).text;
  // Adjacent tags and a stray "<" right before a tag.
  const stream = `${redacted} <<PERSON_1><EMAIL_ADDRESS_1>>`;
  const expected = restore(stream, vault);

  function run(chunks: string[]): string {
    const restorer = new StreamingRestorer(vault);
    let out = '';
    for (const chunk of chunks) {
      out += restorer.push(chunk);
      expect(restorer.pending).toBeLessThan(vault.maxTagLength);
    }
    return out + restorer.flush();
  }

  it('sets up as expected', () => {
    expect(redacted).toBe(
      'Hi <PERSON_1>, mail <EMAIL_ADDRESS_1> or <PHONE_NUMBER_1>. Bye <PERSON_1>! a<b, <x>, <EMAIL_ADDRESS_7>.',
    );
    expect(expected).toBe(`${source} <Jane Roejane.roe@corp.io>`);
    expect(vault.maxTagLength).toBe('<EMAIL_ADDRESS_1>'.length);
  });

  it('restores tags split at every position of two chunks', () => {
    for (let i = 0; i <= stream.length; i++) {
      expect(run([stream.slice(0, i), stream.slice(i)]), `split at ${i}`).toBe(expected);
    }
  });

  it('restores tags split at every pair of positions', () => {
    const part = stream.slice(0, 60);
    const want = restore(part, vault);
    for (let i = 0; i <= part.length; i++) {
      for (let j = i; j <= part.length; j++) {
        expect(run([part.slice(0, i), part.slice(i, j), part.slice(j)])).toBe(want);
      }
    }
  });

  it('restores one character at a time, and emits text that cannot be a tag at once', () => {
    expect(run(Array.from(stream))).toBe(expected);
    const restorer = new StreamingRestorer(vault);
    expect(restorer.push('plain text, a < b and <html> ')).toBe('plain text, a < b and <html> ');
    expect(restorer.push('see <EMAIL_ADD')).toBe('see ');
    expect(restorer.pending).toBe('<EMAIL_ADD'.length);
    expect(restorer.push('RESS_1> ok')).toBe('jane.roe@corp.io ok');
    expect(restorer.push('<EMAIL_ADDRESS_12345678')).toBe('<EMAIL_ADDRESS_12345678'); // longer than any tag
    expect(restorer.push('<lower')).toBe('<lower');
    expect(restorer.flush()).toBe('');
  });

  it('flushes a dangling partial tag unchanged', () => {
    const restorer = new StreamingRestorer(vault);
    expect(restorer.push('end <PERS')).toBe('end ');
    expect(restorer.flush()).toBe('<PERS');
  });

  it('holds back a split surrogate pair and nothing when the vault is empty', () => {
    const empty = new StreamingRestorer(new Vault());
    expect(empty.push('a <PERSON_1')).toBe('a <PERSON_1');
    const restorer = new StreamingRestorer(vault);
    const emoji = '😀';
    expect(restorer.push(`x${emoji[0]}`)).toBe('x');
    expect(restorer.push(`${emoji[1]}y`)).toBe(`${emoji}y`);
  });

  it('works as a web TransformStream', async () => {
    const chunks = ['Hi <PER', 'SON_1>, mail <EMAIL', '_ADDRESS_1', '> now <PHONE_NUMBER_', '1>'];
    const readable = new ReadableStream<string>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    }).pipeThrough(createRestoreStream(vault));
    let out = '';
    for await (const part of readable) out += part;
    expect(out).toBe('Hi Jane Roe, mail jane.roe@corp.io now +1 415-555-2671');
  });
});
