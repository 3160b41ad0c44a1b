import { describe, expect, it } from 'vitest';
import { trainingWindowsOf, windowsOf } from '../../../src/models/classify/windows.js';

/** A deterministic text of `len` units: words of 1–9 letters, now and then a line break or a long unbroken run. */
function textOf(len: number, seed: number): string {
  let x = seed || 1;
  const rand = () => {
    x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
    return x / 0x7fffffff;
  };
  let s = '';
  while (s.length < len) {
    const r = rand();
    s += r < 0.02 ? 'x'.repeat(80) : 'abcdefghi'.slice(0, 1 + Math.floor(rand() * 9));
    s += rand() < 0.05 ? '\n' : ' ';
  }
  return s.slice(0, len);
}

describe('windowsOf', () => {
  it('a text no longer than the window is one window', () => {
    expect(windowsOf('short text', 512)).toEqual([{ start: 0, end: 10 }]);
    expect(windowsOf('', 512)).toEqual([{ start: 0, end: 0 }]);
  });

  it('a 1 KB text under 512-unit windows is three windows, edges on spaces, the last ending at the end', () => {
    const text = 'word '.repeat(205).slice(0, 1024);
    const spans = windowsOf(text, 512);
    expect(spans).toHaveLength(3);
    expect(spans[0].start).toBe(0);
    expect(spans[2].end).toBe(1024);
    for (const s of spans) {
      expect(s.end - s.start).toBeLessThanOrEqual(512);
      expect(s.start === 0 || text[s.start - 1] === ' ').toBe(true);
    }
  });

  it('windows cover the text, stay within the size, and are as few as a half-window stride allows', () => {
    for (let t = 0; t < 400; t++) {
      const size = t % 3 === 0 ? 1 + (t % 40) : 64 + ((t * 37) % 1100);
      const len = 1 + ((t * 7919) % 4000);
      const text = textOf(len, t + 1);
      const spans = windowsOf(text, size);
      const stride = Math.max(1, Math.floor(size / 2));
      expect(spans.length).toBe(len <= size ? 1 : Math.ceil((len - size) / stride) + 1);
      expect(spans[0].start).toBe(0);
      expect(spans[spans.length - 1].end).toBe(len);
      for (let i = 0; i < spans.length; i++) {
        const s = spans[i];
        expect(s.end).toBeGreaterThan(s.start);
        expect(s.end - s.start).toBeLessThanOrEqual(size);
        if (i + 1 < spans.length) {
          // Any passage of up to half a window less 64 units lies whole inside one window.
          const overlap = s.end - spans[i + 1].start;
          expect(overlap).toBeGreaterThanOrEqual(Math.floor(size / 2) - 2 * Math.min(32, Math.floor(size / 16)));
        }
      }
    }
  });

  it('an unbroken run (no whitespace) is cut at the exact positions', () => {
    const spans = windowsOf('a'.repeat(1024), 512);
    expect(spans).toEqual([
      { start: 0, end: 512 },
      { start: 256, end: 768 },
      { start: 512, end: 1024 },
    ]);
  });

  it('training keeps the stepped windows the shipped models were trained on (four for that 1 KB text)', () => {
    const text = 'word '.repeat(205).slice(0, 1024);
    const spans = trainingWindowsOf(text, 512);
    expect(spans).toHaveLength(4);
    expect(spans.map((s) => s.start)).toEqual([0, 255, 510, 765]);
    expect(spans[3].end).toBe(1024);
    expect(trainingWindowsOf('short', 512)).toEqual([{ start: 0, end: 5 }]);
  });
});
