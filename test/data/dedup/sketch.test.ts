import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LifeguardError } from '../../../src/core/errors.js';
import { mulberry32 } from '../../../src/core/random.js';
import {
  createSketcher,
  DEDUP_DEFAULTS,
  encodeSketch,
  estimateSimilarity,
  normalizeForDedup,
  readSketch,
  resolveDedupOptions,
  sketchLength,
} from '../../../src/data/dedup/index.js';
import { checkQuality } from '../../../src/data/quality.js';

function prose(seed: number, words: number): string {
  const rnd = mulberry32(seed);
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    let w = '';
    const len = 2 + Math.floor(rnd() * 7);
    for (let j = 0; j < len; j++) w += String.fromCharCode(97 + Math.floor(rnd() * 26));
    out.push(w);
  }
  return out.join(' ');
}

describe('dedup sketch', () => {
  it('has a fixed length that depends only on bands, rows and promptWords', () => {
    const s = createSketcher();
    const { bands, rows, promptWords } = DEDUP_DEFAULTS;
    expect(s.bytes).toBe(16 + 4 * bands + bands * rows + 2 * promptWords);
    expect(sketchLength()).toBe(s.bytes);
    for (const text of ['', 'one', prose(1, 20), prose(2, 3000)]) expect(s.sketch(text).length).toBe(s.bytes);
    expect(s.sketch('a question\nan answer', 10).length).toBe(s.bytes);
    expect(createSketcher({ bands: 4, rows: 3, shingle: 7, seed: 9, promptWords: 0 }).bytes).toBe(16 + 16 + 12);
    expect(sketchLength({ bands: 4, rows: 3, promptWords: 8 })).toBe(44 + 16);
  });

  it('normalises case, NFKC and whitespace', () => {
    expect(normalizeForDedup('  Hello\u00a0\u00a0WORLD\n\tＡＢＣ ﬁne\u3000end  ')).toBe('hello world abc fine end');
  });

  it('gives the same exact hash to texts that differ only in case, width and whitespace', () => {
    const s = createSketcher();
    const a = readSketch(s.sketch('The quick brown fox.\nJumps over the lazy dog.'));
    const b = readSketch(s.sketch('  the QUICK  brown\tfox. jumps\u00a0over the ｌａｚｙ dog.  '));
    const c = readSketch(s.sketch('The quick brown fox jumps over the lazy dog.'));
    expect(a.exactHex).toMatch(/^[0-9a-f]{16}$/);
    expect(b.exactHex).toBe(a.exactHex);
    expect(c.exactHex).not.toBe(a.exactHex);
    expect(Array.from(b.signature)).toEqual(Array.from(a.signature));
  });

  it('flags empty texts; they share one exact hash', () => {
    const s = createSketcher();
    const e1 = readSketch(s.sketch(''));
    const e2 = readSketch(s.sketch(' \n\t\u3000 '));
    expect(e1.empty).toBe(true);
    expect(e2.empty).toBe(true);
    expect(e2.exactHex).toBe(e1.exactHex);
    expect(readSketch(s.sketch('x')).empty).toBe(false);
    expect(estimateSimilarity(s.sketch(''), s.sketch(''))).toBe(0);
  });

  it('sketches texts shorter than one shingle as a single shingle', () => {
    const s = createSketcher({ shingle: 5 });
    const o = { shingle: 5 };
    const a = s.sketch('just three words');
    expect(readSketch(a, o).empty).toBe(false);
    expect(estimateSimilarity(a, s.sketch('Just  three WORDS'), o)).toBe(1);
    expect(estimateSimilarity(a, s.sketch('just three birds'), o)).toBeLessThan(0.1);
  });

  it('is deterministic: two independent sketchers, and sketchInto at an offset, give the same bytes', () => {
    const texts = [prose(3, 300), prose(4, 40), 'a b', ''];
    const s1 = createSketcher({ seed: 42 });
    const s2 = createSketcher({ seed: 42 });
    const batch = new Uint8Array(7 + s1.bytes * texts.length);
    texts.forEach((t, i) => {
      s2.sketch(prose(99, 50)); // scratch state must not leak between texts
      const one = s1.sketch(t);
      expect(Array.from(s2.sketch(t))).toEqual(Array.from(one));
      s2.sketchInto(t, batch, 7 + i * s1.bytes);
      expect(Array.from(batch.subarray(7 + i * s1.bytes, 7 + (i + 1) * s1.bytes))).toEqual(Array.from(one));
    });
    const other = readSketch(createSketcher({ seed: 43 }).sketch(texts[0]), { seed: 43 });
    expect(Array.from(other.signature)).not.toEqual(
      Array.from(readSketch(s1.sketch(texts[0]), { seed: 42 }).signature),
    );
    expect(other.exactHex).toBe(readSketch(s1.sketch(texts[0]), { seed: 42 }).exactHex);
  });

  it('gives the same bytes from the WebAssembly kernel and the JavaScript loop', () => {
    const texts = [prose(9, 400), prose(10, 7), 'one', prose(11, 20_000)];
    for (const options of [{}, { bands: 7, rows: 3, shingle: 4, seed: 5 }, { bands: 1, rows: 1 }]) {
      const auto = createSketcher(options);
      const js = createSketcher(options, 'js');
      expect(js.engine).toBe('js');
      for (const t of texts) expect(Array.from(auto.sketch(t))).toEqual(Array.from(js.sketch(t)));
    }
    expect(createSketcher().engine).toBe('wasm-simd'); // Node 20 has WebAssembly SIMD
  });

  it('gives the same bytes in another process', () => {
    const text = prose(5, 120);
    const here = Buffer.from(createSketcher().sketch(text)).toString('hex');
    const code = [
      "import { createSketcher } from './src/data/dedup/index.ts';",
      `process.stdout.write(Buffer.from(createSketcher().sketch(${JSON.stringify(text)})).toString('hex'));`,
    ].join('\n');
    const there = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: new URL('../../../', import.meta.url),
      encoding: 'utf8',
    });
    expect(there).toBe(here);
  });

  it('estimates Jaccard: identical 1, lightly edited high, unrelated near 0', () => {
    const s = createSketcher();
    const base = prose(6, 300);
    const words = base.split(' ');
    words.splice(100, 1, 'changed');
    words.splice(200, 0, 'inserted');
    expect(estimateSimilarity(s.sketch(base), s.sketch(base))).toBe(1);
    expect(estimateSimilarity(s.sketch(base), s.sketch(words.join(' ')))).toBeGreaterThan(0.9);
    expect(estimateSimilarity(s.sketch(base), s.sketch(prose(7, 300)))).toBeLessThan(0.1);
  });

  it('round-trips through encodeSketch and readSketch', () => {
    const s = createSketcher();
    const view = readSketch(s.sketch(prose(8, 200)));
    const again = encodeSketch({ exactHi: view.exactHi, exactLo: view.exactLo, signature: view.signature });
    expect(Array.from(again)).toEqual(Array.from(s.sketch(prose(8, 200))));
  });

  it('rejects sketches made with other options or of the wrong length', () => {
    const sketch = createSketcher({ shingle: 3 }).sketch('some text here');
    expect(() => readSketch(sketch)).toThrow(/other options/);
    expect(() => readSketch(sketch.subarray(1), { shingle: 3 })).toThrow(LifeguardError);
    expect(() => createSketcher().sketch(42 as unknown as string)).toThrow(/expects a string/);
  });

  it('validates options with clear errors', () => {
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ shingle: 0 }, /"shingle" must be an integer from 1 to 64/],
      [{ bands: 1.5 }, /"bands" must be an integer/],
      [{ rows: 65 }, /"rows" must be an integer from 1 to 64/],
      [{ bands: 512, rows: 64 }, /bands \* rows must be at most 4096/],
      [{ threshold: 0 }, /"threshold" must be a number in \(0, 1\]/],
      [{ threshold: 1.5 }, /"threshold"/],
      [{ threshold: Number.NaN }, /"threshold"/],
      [{ seed: -1 }, /"seed" must be an integer from 0 to 4294967295/],
      [{ treshold: 0.5 }, /unknown option "treshold"/],
    ];
    for (const [options, message] of bad) {
      let error: unknown;
      try {
        createSketcher(options);
      } catch (e) {
        error = e;
      }
      expect(LifeguardError.isInstance(error)).toBe(true);
      expect((error as LifeguardError).code).toBe('LG_ERR_INPUT_INVALID');
      expect((error as LifeguardError).message).toMatch(message);
    }
    expect(resolveDedupOptions({ seed: 0xffff_ffff }).seed).toBe(0xffff_ffff);
  });
});

describe('dedup sketch from the quality pass', () => {
  it('gives the same bytes from the words checkQuality collected as from the text', () => {
    const s = createSketcher();
    const sink = s.wordSink();
    const texts = [
      '',
      '   ',
      'One',
      'The Quick  brown\tfox\r\njumps\u000bover\u000cthe lazy DOG.',
      `${prose(3, 40)}\n${prose(4, 400)}`,
      'control\u0001chars and DEL\u007f inside words',
      'café — non-ASCII text is hashed from scratch',
      'ＡＢＣ full width',
      'no\u00a0break space',
    ];
    for (const text of texts) {
      for (const promptLength of [-1, 0, Math.min(text.length, 7)]) {
        checkQuality(text, undefined, sink);
        expect(Array.from(s.sketchWords(sink, text, promptLength))).toEqual(Array.from(s.sketch(text, promptLength)));
      }
    }
    // words of another text are not used
    checkQuality('something else entirely', undefined, sink);
    expect(Array.from(s.sketchWords(sink, texts[4] as string))).toEqual(Array.from(s.sketch(texts[4] as string)));
  });
});
