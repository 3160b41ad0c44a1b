import { describe, expect, it } from 'vitest';
import { createGuard } from '../../src/guard/index.js';
import { allowFilter, listDetector, lowerCase } from '../../src/guard/lists.js';

// Deny-list spans are exact in the text as written. The canonical text was lower-cased with `toLowerCase`,
// which turns `İ` (U+0130) into two units (`i` + U+0307), while the offsets were mapped back through a map of the
// text before lower-casing: every finding after an `İ` was reported one unit too far to the right per `İ`.

describe('deny-list spans after characters whose lower case is longer', () => {
  it('the reported span slices the original text to exactly the term', async () => {
    const guard = createGuard({
      lists: { banned: { terms: ['Project Falcon'] } },
      input: [{ check: 'banned', action: 'block' }],
    });
    for (const text of [
      'İstanbul İİİ Project Falcon',
      'İstanbul İİİ then Project Falcon here',
      'İ project-falcon İ',
      'İİ PRÖJECT  FALCÖN launch',
      'İzmir, Ｐroject Falcon', // a fullwidth letter too: canonical and original differ in more than case
    ]) {
      const result = await guard.checkInput(text);
      expect(result.blocked, JSON.stringify(text)).toBe(true);
      const span = result.decisions.find((d) => d.fired)?.span;
      expect(span, JSON.stringify(text)).toBeDefined();
      const found = text.slice(span!.start, span!.end);
      expect(found.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase(), JSON.stringify(text)).toMatch(
        /^project[\s-]+falcon$/,
      );
    }
  });

  it('listDetector offsets are exact on the canonical text', () => {
    const d = listDetector('banned', ['bomb making']);
    const text = 'İstanbul İİİ bomb making';
    const [m] = d.detect(text, {});
    expect(m).toBeDefined();
    expect([m!.start, m!.end]).toEqual([text.indexOf('bomb'), text.length]);
    expect(text.slice(m!.start, m!.end)).toBe('bomb making');

    const accented = 'İİ x bómb-making y';
    const [a] = d.detect(accented, {});
    expect(accented.slice(a!.start, a!.end)).toBe('bómb-making');
  });

  it('a term with an İ matches it as before, with an exact span', () => {
    const d = listDetector('cities', ['İzmir']);
    for (const [text, term] of [
      ['İİ visit İZMİR now', 'İZMİR'],
      ['İİ visit izmir now', 'izmir'],
      ['İİ visit IZMIR now', 'IZMIR'],
      ['İİ visit İzmir', 'İzmir'],
    ] as const) {
      const found = d.detect(text, {}).map((m) => text.slice(m.start, m.end));
      expect(found, text).toEqual([term]);
    }
    // Still whole words only.
    expect(d.detect('İİ visit İzmirli now', {})).toEqual([]);
  });

  it('the de-spaced view maps back exactly too', async () => {
    const guard = createGuard({
      lists: { banned: { terms: ['falcon'] } },
      input: [{ check: 'banned', action: 'block' }],
    });
    const text = 'İİİ then f a l c o n here';
    const result = await guard.checkInput(text);
    expect(result.blocked).toBe(true);
    const span = result.decisions.find((d) => d.fired)?.span;
    expect(text.slice(span!.start, span!.end)).toBe('f a l c o n');
  });

  it('a Greek final sigma is read alike in the text and in the terms, with or without an İ', () => {
    const d = listDetector('greek', ['ΟΔΟΣ']);
    for (const [text, term] of [
      ['ΟΔΟΣ here', 'ΟΔΟΣ'],
      ['İ ΟΔΟΣ here', 'ΟΔΟΣ'],
      ['İİ οδος here', 'οδος'],
    ] as const) {
      const found = d.detect(text, {}).map((m) => text.slice(m.start, m.end));
      expect(found, text).toEqual([term]);
    }
    const allowed = allowFilter(['ΟΔΟΣ']);
    const text = 'İ ΟΔΟΣ here';
    expect(allowed(text, 2, 6)).toBe(true);
  });

  it('lowerCase keeps every code point the same length, and equals toLowerCase otherwise', () => {
    for (let c = 0; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCodePoint(c);
      const l = lowerCase(ch);
      if (l.length !== ch.length) throw new Error(`U+${c.toString(16)} changes length`);
      if (ch.toLowerCase().length === ch.length && l !== ch.toLowerCase()) throw new Error(`U+${c.toString(16)}`);
    }
    expect(lowerCase('İSTANBUL İİİ')).toBe('istanbul iii');
    expect(lowerCase('ΟΔΟΣ İ')).toBe('οδος i');
    expect(lowerCase('ΟΔΟΣİ')).toBe('οδοσi'); // Σ before a letter: not final, as toLowerCase reads it
    expect(lowerCase('Straße ẞ')).toBe('straße ß');
  });
});

describe('allow terms keep their exact spans next to an İ', () => {
  it('covers the occurrence after an İ and nothing more', () => {
    const allowed = allowFilter(['Café Lifeguard']);
    const text = 'İİİ cafe lifeguard, Lifeguard';
    const at = text.indexOf('cafe');
    expect(allowed(text, at + 5, at + 14)).toBe(true);
    expect(allowed(text, text.lastIndexOf('Lifeguard'), text.length)).toBe(false);
  });
});
