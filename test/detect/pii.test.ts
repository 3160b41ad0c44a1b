import { describe, expect, it } from 'vitest';
import { scanText } from '../../src/core/scan.js';
import { piiDetector } from '../../src/detect/index.js';
import { dropCovered } from '../../src/detect/pii/merge.js';
import { proseOnly } from '../../src/detect/pii/prose.js';

const types = (text: string) =>
  scanText(text, { detectors: [piiDetector] }).map((f) => `${f.type}:${text.slice(f.start, f.end)}`);

describe('pii detector: patterns and tagger together', () => {
  it('finds names, places and validated numbers in one text, offsets in the original', () => {
    const text =
      'Please forward the invoice to Jean-Luc Picard, 12 Rue de Rivoli, 75001 Paris, France, card 4111 1111 1111 1111.';
    const found = types(text);
    expect(found).toContain('PERSON:Jean-Luc Picard');
    expect(found).toContain('CREDIT_CARD:4111 1111 1111 1111');
    expect(found.some((f) => f.startsWith('ADDRESS:12 Rue de Rivoli'))).toBe(true);
  });

  it('does not call code a date', () => {
    const code = 'def main():\n    import os\n    print(os.environ["HOME"])';
    expect(types(code).filter((f) => f.startsWith('DATE_TIME'))).toEqual([]);
  });

  it('--fast reports only pattern types', () => {
    const text = 'Dr. Priya Raman, priya@example.org';
    const fast = scanText(text, { detectors: [piiDetector], fast: true }).map((f) => f.type);
    expect(fast).toEqual(['EMAIL_ADDRESS']);
  });
});

describe('dropCovered', () => {
  const m = (type: string, start: number, end: number) => ({ type, start, end, score: 0.5 });
  it('drops weak spans mostly inside strong ones and keeps the rest', () => {
    const weak = [m('PERSON', 0, 4), m('ADDRESS', 12, 32), m('PERSON', 40, 45)];
    const strong = [m('EMAIL_ADDRESS', 0, 20), m('PHONE_NUMBER', 25, 28)];
    expect(dropCovered(weak, strong)).toEqual([m('ADDRESS', 12, 32), m('PERSON', 40, 45)]);
  });
});

describe('proseOnly', () => {
  it('blanks blobs, punctuation runs and spaced-out runs, keeping offsets', () => {
    const text = `Hi Anna, key ${'x'.repeat(70)} and -----BEGIN a b c d e f g h i j done`;
    const out = proseOnly(text);
    expect(out).toHaveLength(text.length);
    expect(out.startsWith('Hi Anna, key ')).toBe(true);
    expect(out).not.toContain('xxx');
    expect(out).not.toContain('BEGIN');
    expect(out.endsWith(' done')).toBe(true);
    expect(proseOnly('plain prose stays')).toBe('plain prose stays');
  });
});
