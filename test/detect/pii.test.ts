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

describe('pii detector: QA regressions', () => {
  const spans = (text: string) =>
    scanText(text, { detectors: [piiDetector] }).map(
      (f) => `${f.type}:${f.start}-${f.end}:${text.slice(f.start, f.end)}`,
    );

  it('finds an e-mail address with a percent-encoded @ in a URL query, and no bogus domain', () => {
    const text = 'q=john.doe%40example.com';
    expect(spans(text)).toEqual(['EMAIL_ADDRESS:2-24:john.doe%40example.com']);
  });

  it('a city or country the tagger calls a person is a place after words that point to one; a person stays a person', () => {
    expect(spans('The capital of France is Paris.')).toContain('LOCATION:25-30:Paris');
    expect(spans('I visited Paris and Berlin last year.')).not.toContainEqual(expect.stringMatching(/^PERSON/));
    expect(spans('Call Jordan tomorrow about the lease.')).toContain('PERSON:5-11:Jordan');
    expect(spans('Please write to my colleague Margaret Thompson about the budget.')).toContain(
      'PERSON:29-46:Margaret Thompson',
    );
  });

  it('a name does not absorb the local part of the next e-mail address', () => {
    const found = spans('hello John Smith john@example.com');
    expect(found).toContain('PERSON:6-16:John Smith');
    expect(found).toContain('EMAIL_ADDRESS:17-33:john@example.com');
    expect(found.filter((f) => f.startsWith('PERSON'))).toEqual(['PERSON:6-16:John Smith']);
  });

  it('no tagger span overlaps an e-mail address or URL', () => {
    for (const text of [
      'hello John Smith john@example.com',
      'Contact Mary Jones mary.jones@corp.example.org today',
      'ask Peter Parker https://example.com/peter for details',
    ]) {
      const found = scanText(text, { detectors: [piiDetector] });
      const hard = found.filter((f) => ['EMAIL_ADDRESS', 'URL', 'DOMAIN_NAME'].includes(f.type));
      for (const f of found.filter((x) => x.rule === 'pii.tagger'))
        for (const h of hard)
          expect(f.end <= h.start || h.end <= f.start, `${f.type} ${f.start}-${f.end} in ${text}`).toBe(true);
    }
  });

  it('a lone letter or short all-caps reply is not a person', () => {
    for (const reply of ['B', 'b', 'B.', ' B\n', 'A', 'C)', 'OK', 'NO', 'Option B', 'I pick B', 'B please']) {
      expect(
        spans(reply).filter((f) => f.startsWith('PERSON')),
        JSON.stringify(reply),
      ).toEqual([]);
    }
    // real names are still found, short ones too
    expect(spans('Hi Amy, call Roy')).toEqual(['PERSON:3-6:Amy', 'PERSON:13-16:Roy']);
    expect(spans('Please call John Smith tomorrow.')).toContain('PERSON:12-22:John Smith');
  });

  it('finds no age in random base64', () => {
    // a fixed pseudo-random stream, so the test is deterministic
    let x = 0x2545f491;
    const bytes = new Uint8Array(30_000);
    for (let i = 0; i < bytes.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      bytes[i] = x & 0xff;
    }
    const b64 = Buffer.from(bytes).toString('base64');
    expect(spans(b64.replace(/(.{76})/g, '$1\n')).filter((f) => f.startsWith('AGE'))).toEqual([]);
    // on its own, a short chunk (a token, a key) is read by the tagger too
    for (const len of [12, 24, 40]) {
      const ages: string[] = [];
      for (let i = 0; i < 120; i++)
        ages.push(...spans(b64.slice(i * len, (i + 1) * len)).filter((f) => f.startsWith('AGE')));
      expect(ages, `chunks of ${len}`).toEqual([]);
    }
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
