import { describe, expect, it } from 'vitest';
import { LifeguardError } from '../../../src/core/errors.js';
import { mulberry32 } from '../../../src/core/random.js';
import {
  createSketcher,
  DEDUP_DEFAULTS,
  DedupIndex,
  type DedupOptions,
  encodeSketch,
} from '../../../src/data/dedup/index.js';

/** Prose-like text: `words` words from a Zipf-like vocabulary of 3,000 pseudo-words. */
function makeVocabulary(seed: number): string[] {
  const rnd = mulberry32(seed);
  const vocab: string[] = [];
  const seen = new Set<string>();
  while (vocab.length < 3000) {
    let w = '';
    for (let s = 1 + Math.floor(rnd() * 3); s > 0; s--)
      w += 'bcdfglmnprstvw'[Math.floor(rnd() * 14)] + 'aeiou'[Math.floor(rnd() * 5)];
    if (!seen.has(w)) {
      seen.add(w);
      vocab.push(w);
    }
  }
  return vocab;
}
const VOCAB = makeVocabulary(1);
function zipfWord(rnd: () => number): string {
  // Inverse of a continuous 1/r density over ranks 1..3000.
  return VOCAB[Math.min(VOCAB.length - 1, Math.floor(Math.exp(rnd() * Math.log(VOCAB.length))) - 1)];
}
function words(seed: number, n: number): string[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: n }, () => zipfWord(rnd));
}

/** Edit `rate` of the words: insertions, deletions and substitutions in turn, at random places. */
function edited(text: string[], rate: number, seed: number): string[] {
  const rnd = mulberry32(seed);
  const out = [...text];
  const edits = Math.round(rate * text.length);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rnd() * out.length);
    if (e % 3 === 0) out.splice(at, 0, zipfWord(rnd));
    else if (e % 3 === 1) out.splice(at, 1);
    else out[at] = zipfWord(rnd);
  }
  return out;
}

describe('DedupIndex', () => {
  const sketcher = createSketcher();
  const sketch = (text: string | string[]) => sketcher.sketch(Array.isArray(text) ? text.join(' ') : text);

  it('finds exact duplicates that differ in case and whitespace', () => {
    const index = new DedupIndex();
    expect(index.add(0, sketch('The Quick brown fox jumps over the lazy dog.'))).toEqual({ kind: 'unique', rep: 0 });
    expect(index.add(1, sketch('the quick   BROWN fox\njumps over the lazy dog.  '))).toEqual({
      kind: 'exact',
      rep: 0,
      similarity: 1,
    });
    expect(index.add(2, sketch('The quick brown fox jumps over the lazy cat.')).kind).not.toBe('exact');
  });

  it('never calls two different one-shingle texts near duplicates, even when their 32-bit shingle hashes collide', () => {
    const index = new DedupIndex();
    const first = sketch('alpha beta');
    expect(index.add(0, first)).toEqual({ kind: 'unique', rep: 0 });
    // A collision, as 1 in 2^32 pairs of two-word texts have: the same band keys and signature, another text.
    const other = sketch('gamma delta');
    other.set(first.subarray(16), 16);
    expect(index.add(1, other)).toEqual({ kind: 'unique', rep: 1 });
    // The same two words (case and spacing aside) are still an exact duplicate.
    expect(index.add(2, sketch('Alpha  BETA'))).toEqual({ kind: 'exact', rep: 0, similarity: 1 });
  });

  it('finds 3–5 % word-edited copies of a 300-word text as near duplicates with similarity > 0.8', () => {
    // True bigram Jaccard ≈ 0.91 / 0.88 / 0.85 at 3 / 4 / 5 % edits; the 100-permutation estimate has a
    // standard deviation of ≈ 0.035, so single 5 % copies are checked against the threshold and the
    // mean of four against 0.8.
    const base = words(10, 300);
    for (const rate of [0.03, 0.04, 0.05]) {
      const index = new DedupIndex();
      expect(index.add(0, sketch(base)).kind).toBe('unique');
      const sims: number[] = [];
      for (let k = 1; k <= 4; k++) {
        const d = index.add(k, sketch(edited(base, rate, Math.round(rate * 1000) + k)));
        expect(d).toMatchObject({ kind: 'near', rep: 0 });
        const sim = d.kind === 'near' ? d.similarity : 0;
        expect(sim).toBeLessThan(1);
        expect(sim).toBeGreaterThan(rate <= 0.04 ? 0.8 : DEDUP_DEFAULTS.threshold);
        sims.push(sim);
      }
      expect(sims.reduce((a, b) => a + b) / sims.length).toBeGreaterThan(0.8);
    }
  });

  it('keeps unrelated texts and texts sharing only half their words apart', () => {
    const index = new DedupIndex();
    const template = words(20, 150);
    for (let i = 0; i < 30; i++) expect(index.add(i, sketch(words(100 + i, 300))).kind).toBe('unique');
    for (let i = 0; i < 5; i++) {
      expect(index.add(30 + i, sketch([...template, ...words(200 + i, 150)])).kind).toBe('unique');
    }
    expect(index.size).toBe(35);
    expect(index.counts).toEqual({ unique: 35, exact: 0, near: 0 });
  });

  it('takes the caller’s ordinals (gaps allowed) and answers in them; clusters are stars', () => {
    const index = new DedupIndex();
    const a = words(30, 200);
    const a1 = edited(a, 0.02, 31);
    expect(index.add(5, sketch(a))).toEqual({ kind: 'unique', rep: 5 });
    expect(index.add(9, sketch(a1))).toMatchObject({ kind: 'near', rep: 5 });
    // An exact copy of a member is exact, of that member (copyOf), and its rep is still the representative.
    expect(index.add(12, sketch(a1))).toMatchObject({ kind: 'exact', rep: 5, copyOf: 9 });
    expect(index.add(13, sketch(a.join('  ')))).toEqual({ kind: 'exact', rep: 5, similarity: 1 });
    expect(index.add(40, sketch(words(32, 200)))).toEqual({ kind: 'unique', rep: 40 });
    expect(index.size).toBe(2);
    expect(index.counts).toEqual({ unique: 2, exact: 2, near: 1 });

    expect(() => index.add(40, sketch('x'))).toThrow(/input order \(ordinal 40 after 40\)/);
    expect(() => index.add(3, sketch('x'))).toThrow(LifeguardError);
    expect(() => index.add(41.5, sketch('x'))).toThrow(/ordinal must be an integer/);
    expect(() => index.add(-1, sketch('x'))).toThrow(/ordinal/);
    // A rejected call does not consume the ordinal.
    expect(index.add(41, sketch('x'))).toEqual({ kind: 'unique', rep: 41 });
  });

  it('treats empty texts as exact duplicates of each other, never as near duplicates', () => {
    const index = new DedupIndex();
    expect(index.add(0, sketch(''))).toEqual({ kind: 'unique', rep: 0 });
    expect(index.add(1, sketch('word'))).toEqual({ kind: 'unique', rep: 1 });
    expect(index.add(2, sketch('  \n '))).toEqual({ kind: 'exact', rep: 0, similarity: 1 });
    expect(index.add(3, sketch('word other'))).toEqual({ kind: 'unique', rep: 3 });
  });

  it('can find exact duplicates only (near: false), without band tables or signatures', () => {
    const base = words(40, 300);
    const exactOnly = new DedupIndex({ near: false });
    const full = new DedupIndex();
    for (const index of [exactOnly, full]) {
      index.add(0, sketch(base));
      index.add(1, sketch(words(41, 300)));
    }
    expect(exactOnly.add(2, sketch(edited(base, 0.02, 42)))).toEqual({ kind: 'unique', rep: 2 });
    expect(full.add(2, sketch(edited(base, 0.02, 42)))).toMatchObject({ kind: 'near', rep: 0 });
    expect(exactOnly.add(3, sketch(base.join('\n')))).toEqual({ kind: 'exact', rep: 0, similarity: 1 });
    expect(exactOnly.memoryBytes()).toBeLessThan(full.memoryBytes() / 10);
    expect(() => new DedupIndex({ near: 'yes' as unknown as boolean })).toThrow(/"near" must be a boolean/);
  });

  it('picks the most similar candidate, the earliest on a tie', () => {
    const options: DedupOptions = { threshold: 0.85 };
    const perms = DEDUP_DEFAULTS.bands * DEDUP_DEFAULTS.rows;
    const rnd = mulberry32(3);
    const q = Uint8Array.from({ length: perms }, () => Math.floor(rnd() * 256));
    const variant = (from: number, count: number) => {
      const s = Uint8Array.from(q);
      for (let i = from; i < from + count; i++) s[i] ^= 0x5a;
      return s;
    };
    let hash = 1;
    const make = (signature: Uint8Array) => encodeSketch({ exactHi: 7, exactLo: hash++, signature }, options);
    const index = new DedupIndex(options);
    // Two representatives 10 positions away from q each (in different bands), 20 from each other.
    expect(index.add(0, make(variant(0, 10))).kind).toBe('unique');
    expect(index.add(1, make(variant(10, 10))).kind).toBe('unique');
    expect(index.add(2, make(q))).toMatchObject({ kind: 'near', rep: 0 });
    // A closer one added later wins.
    const index2 = new DedupIndex(options);
    index2.add(0, make(variant(0, 10)));
    index2.add(1, make(variant(30, 5)));
    expect(index2.add(2, make(q))).toMatchObject({
      kind: 'near',
      rep: 1,
      similarity: (0.95 - 1 / 256) / (1 - 1 / 256),
    });
  });

  it('refuses sketches made with other options', () => {
    const index = new DedupIndex({ threshold: 0.9 });
    expect(index.add(0, sketch('a b c')).kind).toBe('unique'); // the threshold is the index's own
    const other = createSketcher({ seed: 2 }).sketch('a b c');
    expect(() => index.add(1, other)).toThrow(/other options/);
    expect(() => index.add(1, new Uint8Array(10))).toThrow(/expected a \d+-byte sketch/);
    expect(() => new DedupIndex({ expectedRepresentatives: -1 })).toThrow(/expectedRepresentatives/);
    expect(() => new DedupIndex({ bands: 0 })).toThrow(/"bands"/);
  });

  it('keeps correct answers while its tables grow to 200,000 representatives', () => {
    // Fewer bands than the defaults keep this test fast; the tables are the same code.
    const N = 200_000;
    const options: DedupOptions = { bands: 8, rows: 4 };
    const perms = 32;
    const rnd = mulberry32(77);
    let x = 2463534242;
    const bytes = createSketcher(options).bytes;
    const all = new Uint8Array(N * bytes);
    const sig = new Uint8Array(perms);
    const words = new Uint32Array(sig.buffer, 0, perms >> 2);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < words.length; j++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        words[j] = x;
      }
      all.set(encodeSketch({ exactHi: i, exactLo: (i * 2654435761) >>> 0, signature: sig }, options), i * bytes);
    }
    const index = new DedupIndex(options);
    const start = index.memoryBytes();
    for (let i = 0; i < N; i++) {
      const d = index.add(i, all, i * bytes);
      if (d.kind !== 'unique') throw new Error(`record ${i}: ${JSON.stringify(d)}`);
    }
    expect(index.size).toBe(N);
    const perRep = (index.memoryBytes() - start) / N;
    // Signature and prompt words + 16 bytes + 9 tables of 4-byte entries, at most 80 % and at least 40 % full.
    const row = perms + 2 * DEDUP_DEFAULTS.promptWords;
    expect(perRep).toBeGreaterThan(row + 16 + (9 * 4) / 0.8);
    expect(perRep).toBeLessThan(row + 16 + (9 * 4) / 0.4 + 1);

    let ordinal = N;
    for (let k = 0; k < 300; k++) {
      const i = Math.floor(rnd() * N);
      const at = i * bytes;
      // Exact copy → exact, rep i.
      expect(index.add(ordinal++, all.slice(at, at + bytes))).toEqual({ kind: 'exact', rep: i, similarity: 1 });
      // Same signature with 5 of 32 positions changed and a new exact hash → near, rep i.
      const sigAt = at + 16 + 4 * 8; // header and 8 band keys
      const near = Uint8Array.from(all.subarray(sigAt, sigAt + perms));
      const from = Math.floor(rnd() * (perms - 5));
      for (let j = from; j < from + 5; j++) near[j] ^= 0xff;
      const d = index.add(ordinal++, encodeSketch({ exactHi: 0xdead, exactLo: ordinal, signature: near }, options));
      expect(d).toMatchObject({ kind: 'near', rep: i });
      // Fresh random → unique.
      for (let j = 0; j < perms; j++) sig[j] = (rnd() * 256) | 0;
      const u = index.add(ordinal, encodeSketch({ exactHi: 0xbeef, exactLo: ordinal, signature: sig }, options));
      expect(u).toEqual({ kind: 'unique', rep: ordinal++ });
    }
    expect(index.size).toBe(N + 300);
  });
});
