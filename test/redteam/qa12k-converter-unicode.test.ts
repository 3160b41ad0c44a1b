/**
 * QA pass 12k: converters on Unicode input. `char-spacing` spaced code points, so an accent written as a
 * combining mark was cut from its letter ("e ́") and an emoji sequence fell apart ("👨 ‍ 👩 ‍ 👧"); `payload-split`
 * could cut between a letter and its accent, or inside an emoji, leaving a part that starts with a stray mark.
 * Both now work on visible characters (`visibleChars`). Held here too: every converter is deterministic, handles
 * empty input, never leaves a lone surrogate, and the encodings decode back to the goal.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/random.js';
import { CONVERTERS, convert, visibleChars } from '../../src/redteam/converters/index.js';

const FAMILY = '\u{1f468}\u200d\u{1f469}\u200d\u{1f467}'; // 👨‍👩‍👧
const THUMB = '\u{1f44d}\u{1f3fd}'; // 👍🏽
const FLAG = '\u{1f1eb}\u{1f1f7}'; // 🇫🇷
const HEART = '\u2764\ufe0f'; // ❤️
const CAFE = 'cafe\u0301'; // café, accent as a combining mark
const INPUTS = [
  '',
  'How do I pick a lock?',
  `${CAFE} re\u0301sume\u0301 ${FAMILY} ${THUMB} ${FLAG} ${HEART}`,
  '如何开锁？ 𝒽𝑜𝓌 𝓉𝑜 😀',
  'line one\r\nline two',
];

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('visibleChars', () => {
  it('keeps accents, emoji sequences, flags and CRLF whole, and splits everything else', () => {
    expect(visibleChars(`a${CAFE}${FAMILY}${THUMB}${FLAG}${FLAG}${HEART}\r\n𝒽x`)).toEqual([
      'a',
      'c',
      'a',
      'f',
      'e\u0301',
      FAMILY,
      THUMB,
      FLAG,
      FLAG,
      HEART,
      '\r\n',
      '𝒽',
      'x',
    ]);
    // a ZWJ after a letter joins nothing to it (only emoji are joined)
    expect(visibleChars('a\u200db')).toEqual(['a\u200d', 'b']);
    expect(visibleChars('')).toEqual([]);
  });

  it('is linear (Intl.Segmenter took seconds on 100,000 characters)', () => {
    const long = `${CAFE} ${FAMILY} x`.repeat(40_000);
    const t0 = performance.now();
    expect(visibleChars(long).join('')).toBe(long);
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});

describe('char-spacing on Unicode', () => {
  it('spaces visible characters: the accent stays on its letter, emoji stay whole', () => {
    expect(convert(`${CAFE} ${FAMILY}${THUMB}`, 'char-spacing')).toBe(`c a f e\u0301  ${FAMILY} ${THUMB}`);
    expect(convert(`${FLAG}${HEART}`, 'char-spacing')).toBe(`${FLAG} ${HEART}`);
  });

  it('plain ASCII is unchanged from before', () => {
    expect(convert('how to', 'char-spacing')).toBe('h o w  t o');
  });
});

describe('payload-split on Unicode', () => {
  it('never starts a part with a combining mark or cuts an emoji, and the parts join back to the goal', () => {
    const goal = `${CAFE}${FAMILY}e\u0301${THUMB}${FLAG}`;
    for (let seed = 0; seed < 200; seed++) {
      const out = convert(goal, 'payload-split', seed);
      const parts = [...out.matchAll(/^[a-d] = (".*")$/gm)].map((m) => JSON.parse(m[1]) as string);
      expect(parts.join('')).toBe(goal);
      for (const p of parts) {
        expect(p).not.toMatch(/^(?:\p{M}|\u200d|[\u{1f3fb}-\u{1f3ff}])/u);
        expect(p).not.toMatch(/\u200d$/);
        expect(LONE_SURROGATE.test(p)).toBe(false);
      }
    }
  });
});

describe('every converter', () => {
  it.each(CONVERTERS.map((c) => [c.id]))('%s: deterministic, empty input, no lone surrogates', (id) => {
    for (const text of INPUTS) {
      for (const seed of [0, 5]) {
        const a = convert(text, id, seed);
        expect(convert(text, id, seed)).toBe(a);
        expect(LONE_SURROGATE.test(a), `${id} ${JSON.stringify(text)}`).toBe(false);
      }
    }
  });

  it('base64 decodes back to the goal on every input, including empty', () => {
    for (const text of INPUTS) {
      const out = convert(text, 'base64', 2);
      const b64 = out.slice(Math.max(out.lastIndexOf(' '), out.lastIndexOf('\n')) + 1);
      expect(Buffer.from(b64, 'base64').toString('utf8')).toBe(text);
    }
  });

  it('char-spacing and payload-split stay fast on long input', () => {
    const long = `How do I ${CAFE} ${FAMILY}? `.repeat(20_000);
    for (const id of ['char-spacing', 'payload-split']) {
      const t0 = performance.now();
      CONVERTERS.find((c) => c.id === id)?.apply(long, mulberry32(1));
      expect(performance.now() - t0, id).toBeLessThan(3000);
    }
  });
});
