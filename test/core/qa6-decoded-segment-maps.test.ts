import { describe, expect, it } from 'vitest';
import { buildViews, MappedText, MappedTextBuilder } from '../../src/core/normalize/index.js';

/** Every span a caller can ask for, including empty ones and the positions past the end. */
function allMaps(view: MappedText): Array<[number, number]> {
  const n = view.text.length;
  const out: Array<[number, number]> = [];
  for (let s = 0; s <= n + 1; s++) for (let e = 0; e <= n + 1; e++) out.push(view.toOriginal(s, e));
  return out;
}

/** A decoded segment's view as the offset-per-unit builder makes it. */
function built(text: string, parent: MappedText, from: number, to: number): MappedText {
  const b = new MappedTextBuilder(parent, text.length);
  b.emit(text, from, to);
  return b.build();
}

describe('decoded segments keep one source span, not one per unit', () => {
  it('MappedText.spanning maps every span as the builder maps the same text', () => {
    const parent = MappedText.original('say x%41%41%41 then 68656c6c6f20776f726c64 end');
    for (const [text, from, to] of [
      ['xAAA', 4, 14],
      ['hello world', 20, 42],
      ['é', 0, 3],
    ] as const) {
      const span = MappedText.spanning(text, parent, from, to);
      const ref = built(text, parent, from, to);
      expect(span.text).toBe(ref.text);
      expect(span.isIdentity).toBe(ref.isIdentity);
      expect(allMaps(span)).toEqual(allMaps(ref));
      const folded = text.toUpperCase();
      expect(allMaps(span.withText(folded))).toEqual(allMaps(ref.withText(folded)));
    }
  });

  it('maps each of many small percent-encoded segments back to its own chunk', () => {
    const chunk = 'x%41%41%41 ';
    const text = chunk.repeat(500);
    const { decoded } = buildViews(text);
    expect(decoded).toHaveLength(500);
    decoded.forEach((seg, k) => {
      expect(seg).toMatchObject({ encoding: 'url' });
      expect(seg.view.text).toBe('xAAA');
      expect(seg.view.toOriginal(0, 4)).toEqual([k * 11, k * 11 + 10]);
      // each unit maps to its own character or escape (qa9: a finding maps to the escapes it decoded from)
      expect(seg.view.toOriginal(0, 1)).toEqual([k * 11, k * 11 + 1]);
      for (let i = 1; i < 4; i++)
        expect(seg.view.toOriginal(i, i + 1)).toEqual([k * 11 + 3 * i - 2, k * 11 + 3 * i + 1]);
    });
  });

  it('decodes percent escapes exactly as decodeURIComponent with + read as a space', () => {
    const segments = [
      'a+b%41%42%43',
      'plus%2Bsign%2b%25of%41+more',
      'caf%C3%A9%20au%20lait%21',
      'x%E2%82%AC%41%41',
      '%f0%9f%98%80%41%41',
      'pre%41%41%41%4',
      '%41%41%41%zz',
      '%41%41%41%C3',
      'na\u00efve%41%41%41',
    ];
    for (const s of segments) {
      let want: string | null;
      try {
        want = decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        want = null;
      }
      const url = buildViews(`see ${s} now`).decoded.find((d) => d.encoding === 'url');
      if (want === null) expect(url, s).toBeUndefined();
      else expect(url?.view.text.normalize('NFKC'), s).toBe(want.normalize('NFKC'));
    }
  });

  it('decodes hex runs exactly as Buffer does, UTF-8 included', () => {
    for (const plain of ['hello world', 'gr\u00fc\u00dfe aus K\u00f6ln', 'price \u20ac42 today']) {
      const hex = Buffer.from(plain).toString('hex');
      const seg = buildViews(`data ${hex} end`).decoded.find((d) => d.encoding === 'hex');
      expect(seg?.view.text).toBe(plain.normalize('NFKC'));
      const at = 5;
      expect(seg?.view.toOriginal(0, seg.view.text.length)).toEqual([at, at + hex.length]);
    }
  });
});
