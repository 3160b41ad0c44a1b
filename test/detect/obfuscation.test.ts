import { describe, expect, it } from 'vitest';
import { scanText } from '../../src/core/scan.js';
import { piiDetector, secretsDetector } from '../../src/detect/index.js';

const detectors = [piiDetector, secretsDetector];

/** Finds `type` in `text` and returns the original characters its span covers. */
function found(text: string, type: string): string[] {
  return scanText(text, { detectors, fast: true })
    .filter((f) => f.type === type)
    .map((f) => text.slice(f.start, f.end));
}

const zw = (s: string) => [...s].join('\u200b');
const fullWidth = (s: string) => s.replace(/[0-9A-Za-z@.]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const spaced = (s: string) => [...s].join(' ');
// An OpenAI-style project key shape, assembled here so no live-looking key sits in the source.
const KEY = `sk-proj-${'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z'.repeat(2)}T3BlbkFJ${'Zz7yXw0vUt3sRq6pOn9mLk2jIh5gFe8d'.repeat(1)}`;

describe('obfuscated values are still found, with offsets in the original text', () => {
  const cases: Array<[string, string, string]> = [
    ['EMAIL_ADDRESS', 'alice.smith@example.org', 'write to %s today'],
    ['CREDIT_CARD', '4111 1111 1111 1111', 'my card is %s, thanks'],
    ['US_SSN', '536-22-1847', 'my ssn is %s.'],
    ['IP_ADDRESS', '203.0.113.77', 'server at %s now'],
  ];
  for (const [type, value, template] of cases) {
    it(`${type} split by zero-width characters`, () => {
      const obf = zw(value);
      expect(found(template.replace('%s', obf), type)).toEqual([obf]);
    });
    it(`${type} in full-width characters`, () => {
      const obf = fullWidth(value);
      expect(found(template.replace('%s', obf), type)).toEqual([obf]);
    });
    it(`${type} spaced out`, () => {
      const obf = spaced(value.replace(/ /g, ''));
      expect(found(template.replace('%s', obf), type)).toEqual([obf]);
    });
  }

  it('an API key split by zero-width characters', () => {
    const obf = zw(KEY);
    const text = `OPENAI_API_KEY=${obf}\n`;
    const hits = scanText(text, { detectors: [secretsDetector] });
    expect(hits.some((f) => text.slice(f.start, f.end) === obf)).toBe(true);
  });

  it('an email hidden in base64 is reported on the encoded span', () => {
    const enc = Buffer.from('reach me at carol@example.net').toString('base64');
    const text = `payload: ${enc}`;
    const [f] = scanText(text, { detectors, fast: true }).filter((x) => x.type === 'EMAIL_ADDRESS');
    expect(f.via).toBe('decoded:base64');
    expect(text.slice(f.start, f.end)).toBe(enc);
  });
});

describe('spaced-out and full-width keys', () => {
  const fullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
  const spaced = (s: string) => [...s].join(' ');
  for (const [name, obf] of [
    ['full-width', fullWidth(KEY)],
    ['spaced out', spaced(KEY)],
  ] as const) {
    for (const template of ['OPENAI_API_KEY=%s', 'my key is %s thanks']) {
      it(`${name} in "${template}"`, () => {
        const text = template.replace('%s', obf);
        const hits = scanText(text, { detectors: [secretsDetector] }).filter((f) => f.type === 'OPENAI_API_KEY');
        const spans = hits.map((f) => text.slice(f.start, f.end));
        expect(spans).toContain(obf);
      });
    }
  }
});
