/** A value found in the percent-decoded view maps back to the escapes it decoded from, not the whole query string. */
import { describe, expect, it } from 'vitest';
import { buildViews } from '../../src/core/normalize/index.js';
import { redact } from '../../src/core/redact/index.js';
import { detect } from '../../src/index.js';

const spans = (text: string) => detect(text).map((f) => [f.type, text.slice(f.start, f.end), f.via]);

describe('URL-decoded findings map to the minimal encoded span', () => {
  // Before: the decoded view mapped every unit to the whole `q=…&x=1` run, so the finding (and the redaction)
  // covered `q=` and `&x=1` too.
  it('an address encoded escape by escape maps to its own escapes', () => {
    const enc = '%6A%6F%68%6E%40%65%78%61%6D%70%6C%65%2E%63%6F%6D'; // john@example.com
    const text = `q=${enc}&x=1`;
    expect(spans(text)).toEqual([['EMAIL_ADDRESS', enc, 'decoded:url']]);
    expect(redact(text, detect(text), { operator: 'tag' }).text).toBe('q=<EMAIL_ADDRESS_1>&x=1');
  });

  it('maps `+`, plain characters and multi-byte UTF-8 escapes unit by unit', () => {
    const text = 'see a+%C3%A9%F0%9F%98%80b%41 end';
    const seg = buildViews(text).decoded.find((d) => d.encoding === 'url');
    expect(seg?.view.text).toBe('a é😀bA');
    const at = (from: number, to: number) => {
      const [s, e] = seg?.view.toOriginal(from, to) ?? [0, 0];
      return text.slice(s, e);
    };
    expect(at(0, 1)).toBe('a');
    expect(at(1, 2)).toBe('+');
    expect(at(2, 3)).toBe('%C3%A9');
    expect(at(3, 5)).toBe('%F0%9F%98%80');
    expect(at(5, 7)).toBe('b%41');
    expect(at(0, seg?.view.text.length ?? 0)).toBe('a+%C3%A9%F0%9F%98%80b%41');
  });

  it('maps through a second level of decoding (base64 inside a percent-encoded run)', () => {
    const b64 = Buffer.from('mail bob@example.com now').toString('base64');
    const text = `q=%20%20%20${b64}&x=1`;
    const found = detect(text).filter((f) => f.type === 'EMAIL_ADDRESS');
    expect(found.map((f) => text.slice(f.start, f.end))).toEqual([b64]);
  });
});
