import { LifeguardError } from '../../core/errors.js';
import { isWhitespaceCode } from '../../core/normalize/unicode.js';
import { isUnspacedScript, WORD_MUL_A, WORD_MUL_B, WordSink } from '../word-sink.js';
import { bandKey, fmix32, fmix32b, murmurStep, splitmix32 } from './hash.js';
import { createMinhashKernel } from './minhash-wasm.js';
import {
  type DedupOptions,
  optionsFingerprint,
  type ResolvedDedupOptions,
  resolveDedupOptions,
  SKETCH_VERSION,
} from './options.js';
import { writePromptWords } from './prompt.js';

/*
 * Sketch layout (all integers little-endian), `16 + 4 * bands + bands * rows + 2 * promptWords` bytes:
 *
 *   0   u8   format version (4)
 *   1   u8   flags: bit 0 = empty text (no words; never a near duplicate);
 *                   bit 1 = multi-part record (a prompt part was given);
 *                   bit 2 = one shingle (no more words than `shingle`; a near duplicate only as an exact one)
 *   2   u8   distinct words in the prompt part (capped at 255)
 *   3   u8   reserved (0)
 *   4   u32  options fingerprint (shingle, bands, rows, seed, promptWords)
 *   8   u32  exact hash, high half (of the words; with the prompt part's word count for a multi-part record)
 *   12  u32  exact hash, low half
 *   16  u32 × bands           LSH band keys
 *   16 + 4 * bands  u8 × (bands * rows)   b-bit MinHash signature (low 8 bits of each minimum)
 *   then            u16 × promptWords     the prompt part's smallest word hashes, top 16 bits, ascending
 *                                         (prompt.ts; 0xffff when unused, zeros when there is no prompt part)
 */

/** Byte offset of the band keys in a sketch. */
export const SKETCH_HEADER_BYTES = 16;
/** Flag bit: the text had no words. */
export const SKETCH_FLAG_EMPTY = 1;
/** Flag bit: the record has a prompt part (prompt + response, chat, preference). */
export const SKETCH_FLAG_PROMPT = 2;
/**
 * Flag bit: the text is one shingle (`shingle` words or fewer). Its MinHash signature is one 32-bit hash seen
 * through every permutation, so two such texts match completely when those hashes collide (about 120 false
 * "near duplicates" in a million distinct two-word records); and a real match is an exact duplicate anyway.
 */
export const SKETCH_FLAG_ONE_SHINGLE = 4;

/** Byte length of a sketch made with these options (depends on `bands` and `rows` only). */
export function sketchLength(options: DedupOptions = {}): number {
  const o = resolveDedupOptions(options);
  return SKETCH_HEADER_BYTES + 4 * o.bands + o.bands * o.rows + 2 * o.promptWords;
}

/**
 * The text as deduplication sees it: Unicode NFKC, lower-cased, each character of a script written
 * without spaces (Chinese, Japanese, Thai, …) and each emoji (with its modifiers and zero-width-joined
 * parts) set apart as a word of its own, whitespace runs (JavaScript
 * `\s`) collapsed to one space, leading and trailing space removed. The exact hash is a hash of this
 * string (computed word by word, without building it; for a multi-part record also of where its prompt part
 * ends); the shingles are its space-separated words.
 */
export function normalizeForDedup(text: string): string {
  return normalizeWords(text).replace(UNSPACED_RE, ' $& ').replace(/\s+/g, ' ').trim();
}

/** NFKC, lower case: the characters the word hashes read. */
function normalizeWords(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** The worker-side half: text → fixed-length sketch. Holds reusable scratch buffers; not thread-safe (one per worker). */
export interface Sketcher {
  /** The resolved options. */
  readonly options: ResolvedDedupOptions;
  /** Length of every sketch this sketcher makes, in bytes. */
  readonly bytes: number;
  /** Where the MinHash loop runs: WebAssembly SIMD when available, else JavaScript (same bytes either way). */
  readonly engine: 'wasm-simd' | 'js';
  /**
   * A fresh sketch of `text` in its own buffer (transferable with `postMessage`). For a multi-part record
   * pass its parts joined by line breaks, prompt first, and `promptLength`, the length of the prompt part
   * (its words are also sketched on their own); -1 (default) for a single text.
   */
  sketch(text: string, promptLength?: number): Uint8Array;
  /** Write the sketch of `text` into `out` at `offset` (for batching many sketches in one buffer). */
  sketchInto(text: string, out: Uint8Array, offset?: number, promptLength?: number): void;
  /**
   * The sketch of `text` from the words a character pass over it (`checkQuality(text, options, sink)`)
   * collected in `sink`, which must come from this sketcher's `wordSink()`: the same bytes as `sketch`,
   * without walking the text again (non-ASCII text is hashed from scratch).
   */
  sketchWords(sink: WordSink, text: string, promptLength?: number): Uint8Array;
  /** `sketchWords` into `out` at `offset`. */
  sketchWordsInto(sink: WordSink, text: string, out: Uint8Array, offset?: number, promptLength?: number): void;
  /** A sink for `checkQuality` seeded for this sketcher. */
  wordSink(): WordSink;
}

// JavaScript's `\s` beyond ASCII.

const WORD_A0 = 0x2f6b_1d53;
const WORD_B0 = 0x5a1e_c0f7;
const EXACT_A0 = 0x0ddb_1a5e;
const EXACT_B0 = 0x7e57_ab1e;
const SHINGLE0 = 0x5348_4e47;
/** Mixed into the exact hash lanes of a multi-part record with its prompt part's word count. */
const PROMPT_END_A = 0x7072_6d74;
const PROMPT_END_B = 0x9e37_79b1 | 0;
const MIN_INIT = 0x7fff_ffff;
/** `WORD_MUL_A` / `WORD_MUL_B` as literals for the hot loop (an imported binding is re-read at every use). */
const LANE_MUL_A = 0x01000193;
const LANE_MUL_B = 0x5bd1e995;
if (LANE_MUL_A !== WORD_MUL_A || LANE_MUL_B !== WORD_MUL_B)
  throw new Error('dedup: word-sink lane multipliers changed');

/**
 * Create a sketcher. Each sketch holds (a) a 64-bit hash of the normalised text (two independent 32-bit
 * lanes), (b) one 32-bit LSH key per band and (c) a b-bit MinHash signature. The text's word
 * `shingle`-grams are hashed once to 32 bits (a well-mixed value `x`); each of the `bands * rows`
 * permutations is the multiplicative bijection `x ↦ x · mᵢ mod 2³²` with an odd multiplier `mᵢ` drawn
 * from `seed` (minimum in signed order: one multiply and one compare per shingle and permutation). The
 * loop runs in a small WebAssembly SIMD kernel (minhash-wasm.ts) where available, else in JavaScript
 * (`engine: 'js'` forces that; both give the same bytes). Of each minimum the low 8 bits, after a final
 * mix, are kept. A band's key hashes its `rows` signature bytes. A text with fewer words than `shingle`
 * is one shingle; a text with no words is flagged empty. Deterministic across processes, threads and runs.
 */
export function createSketcher(options: DedupOptions = {}, engine: 'auto' | 'js' = 'auto'): Sketcher {
  const o = resolveDedupOptions(options);
  const { shingle, bands, rows, promptWords } = o;
  const perms = bands * rows;
  const bytes = SKETCH_HEADER_BYTES + 4 * bands + perms + 2 * promptWords;
  const fingerprint = optionsFingerprint(o);
  // One odd multiplier per permutation, from the seed.
  const mults = new Int32Array(((perms + 3) >> 2) * 4);
  const next = splitmix32(o.seed ^ 0x6d696e68);
  for (let i = 0; i < mults.length; i++) mults[i] = next() | 1;
  let words = new Int32Array(1024);
  // The WebAssembly kernel's memory: multipliers, then minima (16-byte aligned), then shingle hashes.
  const nVec = (perms + 3) >> 2;
  const outOffset = nVec * 16;
  const SH_OFFSET = 2 * outOffset;
  const kernel = engine === 'js' ? null : createMinhashKernel();
  let shingles: Int32Array;
  let kernelOut = new Int32Array(0);
  const jsMins = new Int32Array(perms);
  const mapKernel = (nSh: number) => {
    const memory = kernel!.memory;
    const need = SH_OFFSET + 4 * nSh;
    if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
    new Int32Array(memory.buffer, 0, nVec * 4).set(mults);
    kernelOut = new Int32Array(memory.buffer, outOffset, perms);
    shingles = new Int32Array(memory.buffer, SH_OFFSET, (memory.buffer.byteLength - SH_OFFSET) >> 2);
  };
  if (kernel) mapKernel(1024);
  else shingles = new Int32Array(1024);

  // Running exact-hash lanes of the last hashWords call, and how many words ended within `promptEnd`.
  const wordState = new Int32Array(3);

  /**
   * 1. Words: two independent 32-bit hashes per word into `words`; the exact hash chains both over the
   * words (left in `wordState`). Returns the word count, or -1 when `ascii` is set and `s` is not ASCII.
   */
  function hashWords(s: string, ascii: boolean, promptEnd: number): number {
    const n = s.length;
    let nWords = 0;
    let a = WORD_A0;
    let b = WORD_B0;
    let len = 0;
    let ea = EXACT_A0;
    let eb = EXACT_B0;
    let promptWords = 0;
    for (let i = 0; i <= n; i++) {
      let c = i < n ? s.charCodeAt(i) : 32;
      if (c > 32 && c < 128) {
        // The common case first, in as few tests as possible: a printable ASCII character of a word.
        // (Folding A–Z is a no-op on the lower-cased text of the non-ASCII path.)
        if (c <= 90 && c >= 65) c += 32;
        a = Math.imul(a ^ c, LANE_MUL_A);
        b = Math.imul(b ^ c, LANE_MUL_B);
        len++;
        continue;
      }
      if (ascii && c >= 128) return -1;
      if (c === 32 || (c <= 13 && c >= 9) || (c >= 0x85 && isWhitespaceCode(c))) {
        if (len > 0) {
          const wa = fmix32(a ^ len);
          if (nWords === words.length) words = grow(words);
          words[nWords++] = wa;
          if (i <= promptEnd) promptWords = nWords;
          ea = murmurStep(ea, wa);
          eb = murmurStep(eb, fmix32b(b ^ len));
          a = WORD_A0;
          b = WORD_B0;
          len = 0;
        }
        continue;
      }
      if (c >= 0xa9 && (c < 0x3300 || (c >= 0xd83c && c <= 0xd83f))) {
        // Emoji: each one (a pictographic character with its variation selector, skin tone, tags and
        // zero-width-joined parts; or a pair of regional indicators, a flag) is a word of its own, as in the
        // unspaced scripts below; else a run of emoji without spaces would be one word. Close the word before it.
        const m = emojiLength(s, i, n);
        if (m > 0) {
          if (len > 0) {
            const wa = fmix32(a ^ len);
            if (nWords === words.length) words = grow(words);
            words[nWords++] = wa;
            if (i <= promptEnd) promptWords = nWords;
            ea = murmurStep(ea, wa);
            eb = murmurStep(eb, fmix32b(b ^ len));
          }
          a = WORD_A0;
          b = WORD_B0;
          for (let j = i + m; i < j; i++) {
            const d = s.charCodeAt(i);
            a = Math.imul(a ^ d, LANE_MUL_A);
            b = Math.imul(b ^ d, LANE_MUL_B);
          }
          i--; // the emoji's last code unit
          const wa = fmix32(a ^ m);
          if (nWords === words.length) words = grow(words);
          words[nWords++] = wa;
          if (i + 1 <= promptEnd) promptWords = nWords;
          ea = murmurStep(ea, wa);
          eb = murmurStep(eb, fmix32b(b ^ m));
          a = WORD_A0;
          b = WORD_B0;
          len = 0;
          continue;
        }
      }
      if (c >= 0x0e00 && isUnspacedScript(c)) {
        // Scripts written without spaces (Chinese, Japanese, Thai, …): each character is a word of its own,
        // so that shingles are character pairs there; else a whole paragraph would be one word, one shingle,
        // and an edited copy of it never a near duplicate. Close the word before it first.
        if (len > 0) {
          const wa = fmix32(a ^ len);
          if (nWords === words.length) words = grow(words);
          words[nWords++] = wa;
          if (i <= promptEnd) promptWords = nWords;
          ea = murmurStep(ea, wa);
          eb = murmurStep(eb, fmix32b(b ^ len));
        }
        a = Math.imul(WORD_A0 ^ c, LANE_MUL_A);
        b = Math.imul(WORD_B0 ^ c, LANE_MUL_B);
        len = 1;
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
          // A CJK extension character (U+20000–U+2FFFF) is one word with its low surrogate.
          const d = s.charCodeAt(i + 1);
          if (d >= 0xdc00 && d <= 0xdfff) {
            a = Math.imul(a ^ d, LANE_MUL_A);
            b = Math.imul(b ^ d, LANE_MUL_B);
            len = 2;
            i++;
          }
        }
        const wa = fmix32(a ^ len);
        if (nWords === words.length) words = grow(words);
        words[nWords++] = wa;
        if (i + 1 <= promptEnd) promptWords = nWords;
        ea = murmurStep(ea, wa);
        eb = murmurStep(eb, fmix32b(b ^ len));
        a = WORD_A0;
        b = WORD_B0;
        len = 0;
        continue;
      }
      // Two FNV-1a style lanes (different offsets and multipliers), finalised per word above.
      a = Math.imul(a ^ c, LANE_MUL_A);
      b = Math.imul(b ^ c, LANE_MUL_B);
      len++;
    }
    wordState[0] = ea;
    wordState[1] = eb;
    wordState[2] = promptWords;
    return nWords;
  }

  function check(text: string, out: Uint8Array, offset: number, promptLength: number): void {
    if (typeof text !== 'string') {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', 'dedup: sketch() expects a string');
    }
    if (!Number.isInteger(offset) || offset < 0 || offset + bytes > out.length) {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', `dedup: no room for a ${bytes}-byte sketch at offset ${offset}`);
    }
    if (!Number.isInteger(promptLength) || promptLength < -1 || promptLength > text.length) {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', `dedup: promptLength ${promptLength} is outside the text`);
    }
  }

  function sketchInto(text: string, out: Uint8Array, offset = 0, promptLength = -1): void {
    check(text, out, offset, promptLength);
    // ASCII text is its own NFKC form and lower-cases A–Z only: hash it in place, without the two copies.
    let nWords = hashWords(text, true, promptLength);
    if (nWords < 0) {
      // Normalising does not act across the line break that ends the prompt part, so the prompt part's
      // normalised length is where it ends in the normalised text.
      const promptEnd = promptLength > 0 ? normalizeWords(text.slice(0, promptLength)).length : promptLength;
      nWords = hashWords(normalizeWords(text), false, promptEnd);
    }
    finish(nWords, wordState[0] as number, wordState[1] as number, wordState[2] as number, promptLength, out, offset);
  }

  /** The same sketch from the words a quality pass over `text` already hashed (word-sink.ts). */
  function sketchWordsInto(sink: WordSink, text: string, out: Uint8Array, offset = 0, promptLength = -1): void {
    if (!sink.ascii || sink.text !== text || sink.seedA !== WORD_A0 || sink.seedB !== WORD_B0) {
      sketchInto(text, out, offset, promptLength);
      return;
    }
    check(text, out, offset, promptLength);
    const n = sink.n;
    if (words.length < n) words = new Int32Array(Math.max(n, words.length * 2));
    let ea = EXACT_A0;
    let eb = EXACT_B0;
    let promptWords = 0;
    for (let i = 0; i < n; i++) {
      const len = sink.lens[i] as number;
      const wa = fmix32((sink.a[i] as number) ^ len);
      words[i] = wa;
      if ((sink.ends[i] as number) <= promptLength) promptWords = i + 1;
      ea = murmurStep(ea, wa);
      eb = murmurStep(eb, fmix32b((sink.b[i] as number) ^ len));
    }
    finish(n, ea, eb, promptWords, promptLength, out, offset);
  }

  /** Steps 2–4 from the words: exact hash, shingles, MinHash, band keys, the prompt part. */
  function finish(
    nWords: number,
    ea: number,
    eb: number,
    promptWordCount: number,
    promptLength: number,
    out: Uint8Array,
    offset: number,
  ): void {
    const nPrompt = promptLength >= 0 ? promptWordCount : 0;
    if (promptLength >= 0) {
      // Where the prompt part ends is part of a multi-part record's text: the same words split otherwise
      // between question and answer (or a plain text of those words) are another record. Plain texts keep
      // their hash.
      ea = murmurStep(ea, PROMPT_END_A ^ nPrompt);
      eb = murmurStep(eb, Math.imul(nPrompt + 1, PROMPT_END_B));
    }
    const exactHi = fmix32(ea ^ nWords);
    const exactLo = fmix32b(eb ^ Math.imul(nWords, 0x27d4eb2f));

    out.fill(0, offset, offset + bytes);
    out[offset] = SKETCH_VERSION;
    out[offset + 1] =
      (nWords === 0 ? SKETCH_FLAG_EMPTY : 0) |
      (promptLength >= 0 ? SKETCH_FLAG_PROMPT : 0) |
      (nWords > 0 && nWords <= shingle ? SKETCH_FLAG_ONE_SHINGLE : 0);
    writeU32(out, offset + 4, fingerprint);
    writeU32(out, offset + 8, exactHi);
    writeU32(out, offset + 12, exactLo);
    if (nWords === 0) return;
    if (promptLength >= 0 && promptWords > 0) {
      const distinct = writePromptWords(
        words,
        nPrompt,
        promptWords,
        out,
        offset + SKETCH_HEADER_BYTES + 4 * bands + perms,
      );
      out[offset + 2] = Math.min(255, distinct);
    }

    // 2. Shingles: one 32-bit hash per word n-gram (the whole text when it is shorter than an n-gram).
    const k = Math.min(nWords, shingle);
    const nSh = nWords - k + 1;
    if (shingles.length < nSh) {
      if (kernel) mapKernel(Math.max(nSh, shingles.length * 2));
      else shingles = new Int32Array(Math.max(nSh, shingles.length * 2));
    }
    for (let i = 0; i < nSh; i++) {
      let h = SHINGLE0;
      for (let j = 0; j < k; j++) h = murmurStep(h, words[i + j]);
      shingles[i] = fmix32(h ^ k);
    }

    // 3. MinHash: the minimum of each permutation.
    let mins: Int32Array;
    if (kernel) {
      kernel.run(SH_OFFSET, nSh, 0, outOffset, nVec);
      mins = kernelOut;
    } else {
      mins = jsMins;
      minhashJs(shingles, nSh, mults, perms, mins);
    }
    const sigOff = offset + SKETCH_HEADER_BYTES + 4 * bands;
    for (let p = 0; p < perms; p++) out[sigOff + p] = fmix32(mins[p] ^ p) & 0xff;
    for (let band = 0; band < bands; band++) {
      writeU32(out, offset + SKETCH_HEADER_BYTES + 4 * band, bandKey(band, out, sigOff + band * rows, rows));
    }
  }

  return {
    options: o,
    bytes,
    engine: kernel ? 'wasm-simd' : 'js',
    sketch(text: string, promptLength = -1): Uint8Array {
      const out = new Uint8Array(bytes);
      sketchInto(text, out, 0, promptLength);
      return out;
    },
    sketchInto,
    sketchWords(sink: WordSink, text: string, promptLength = -1): Uint8Array {
      const out = new Uint8Array(bytes);
      sketchWordsInto(sink, text, out, 0, promptLength);
      return out;
    },
    sketchWordsInto,
    wordSink: () => new WordSink(WORD_A0, WORD_B0),
  };
}

/**
 * The MinHash loop in plain JavaScript (where WebAssembly SIMD is unavailable): for each multiplier the
 * signed minimum of `Math.imul(x, m)` over the shingle hashes, eight permutations per pass.
 */
function minhashJs(shingles: Int32Array, nSh: number, mults: Int32Array, perms: number, mins: Int32Array): void {
  const full = perms & ~7;
  for (let p = 0; p < full; p += 8) {
    const m0 = mults[p];
    const m1 = mults[p + 1];
    const m2 = mults[p + 2];
    const m3 = mults[p + 3];
    const m4 = mults[p + 4];
    const m5 = mults[p + 5];
    const m6 = mults[p + 6];
    const m7 = mults[p + 7];
    let n0 = MIN_INIT;
    let n1 = MIN_INIT;
    let n2 = MIN_INIT;
    let n3 = MIN_INIT;
    let n4 = MIN_INIT;
    let n5 = MIN_INIT;
    let n6 = MIN_INIT;
    let n7 = MIN_INIT;
    for (let i = 0; i < nSh; i++) {
      const x = shingles[i];
      const v0 = Math.imul(x, m0);
      const v1 = Math.imul(x, m1);
      const v2 = Math.imul(x, m2);
      const v3 = Math.imul(x, m3);
      const v4 = Math.imul(x, m4);
      const v5 = Math.imul(x, m5);
      const v6 = Math.imul(x, m6);
      const v7 = Math.imul(x, m7);
      if (v0 < n0) n0 = v0;
      if (v1 < n1) n1 = v1;
      if (v2 < n2) n2 = v2;
      if (v3 < n3) n3 = v3;
      if (v4 < n4) n4 = v4;
      if (v5 < n5) n5 = v5;
      if (v6 < n6) n6 = v6;
      if (v7 < n7) n7 = v7;
    }
    mins[p] = n0;
    mins[p + 1] = n1;
    mins[p + 2] = n2;
    mins[p + 3] = n3;
    mins[p + 4] = n4;
    mins[p + 5] = n5;
    mins[p + 6] = n6;
    mins[p + 7] = n7;
  }
  let p = full;
  for (; p + 4 <= perms; p += 4) {
    const m0 = mults[p];
    const m1 = mults[p + 1];
    const m2 = mults[p + 2];
    const m3 = mults[p + 3];
    let n0 = MIN_INIT;
    let n1 = MIN_INIT;
    let n2 = MIN_INIT;
    let n3 = MIN_INIT;
    for (let i = 0; i < nSh; i++) {
      const x = shingles[i];
      const v0 = Math.imul(x, m0);
      const v1 = Math.imul(x, m1);
      const v2 = Math.imul(x, m2);
      const v3 = Math.imul(x, m3);
      if (v0 < n0) n0 = v0;
      if (v1 < n1) n1 = v1;
      if (v2 < n2) n2 = v2;
      if (v3 < n3) n3 = v3;
    }
    mins[p] = n0;
    mins[p + 1] = n1;
    mins[p + 2] = n2;
    mins[p + 3] = n3;
  }
  for (; p < perms; p++) {
    const m0 = mults[p];
    let n0 = MIN_INIT;
    for (let i = 0; i < nSh; i++) {
      const v0 = Math.imul(shingles[i], m0);
      if (v0 < n0) n0 = v0;
    }
    mins[p] = n0;
  }
}

function grow(words: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(words.length * 2);
  grown.set(words);
  return grown;
}

/**
 * The words `hashWords` sets apart, as a regular expression for `normalizeForDedup`: an emoji (as
 * `emojiLength` reads it) or a character of `isUnspacedScript` (with whole CJK extension characters).
 */
const UNSPACED_RE =
  /\p{Extended_Pictographic}(?:[\ufe0e\ufe0f\u20e3\u{1f3fb}-\u{1f3ff}\u{e0020}-\u{e007f}]|\u200d\p{Extended_Pictographic})*|[\u{1f1e6}-\u{1f1ff}]{1,2}|[\u0e00-\u109f\u1780-\u17ff\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u{20000}-\u{2ffff}]/gu;

/**
 * Extended_Pictographic code points below U+3300 and in U+1F000–U+1FFFF (where Unicode puts all of them),
 * one bit each: BMP code points at their own index, U+1Fxxx at 0x3300 + xxx. Built once, in one regex pass.
 */
const PICTOGRAPHIC = (() => {
  const bits = new Uint8Array((0x3300 + 0x1000) >> 3);
  let all = '';
  for (let c = 0xa9; c < 0x3300; c++) all += String.fromCharCode(c);
  for (let c = 0x1f000; c <= 0x1ffff; c++) all += String.fromCodePoint(c);
  for (const m of all.matchAll(/\p{Extended_Pictographic}/gu)) {
    const cp = m[0].codePointAt(0) as number;
    const at = cp < 0x3300 ? cp : 0x3300 + (cp - 0x1f000);
    bits[at >> 3] |= 1 << (at & 7);
  }
  return bits;
})();

/** Code units of the pictographic code point at `i` of `s` (`c` its first unit), 0 when there is none. */
function pictographicAt(s: string, i: number, n: number, c: number): number {
  if (c < 0x3300) return (PICTOGRAPHIC[c >> 3] >> (c & 7)) & 1;
  if (c < 0xd83c || c > 0xd83f || i + 1 >= n) return 0;
  const d = s.charCodeAt(i + 1);
  if (d < 0xdc00 || d > 0xdfff) return 0;
  const at = 0x3300 + (((c - 0xd83c) << 10) | (d - 0xdc00));
  return ((PICTOGRAPHIC[at >> 3] >> (at & 7)) & 1) * 2;
}

/**
 * Code units of the emoji starting at `i` of `s` (0 when none starts there): a pictographic code point
 * (Extended_Pictographic) followed by any variation selectors (U+FE0E/F), keycap marks (U+20E3), skin tones
 * (U+1F3FB–U+1F3FF), tag characters (U+E0020–U+E007F) and zero-width-joined (U+200D) pictographic code
 * points, as in 👩🏽‍💻 or 🏴󠁧󠁢󠁳󠁣󠁴󠁿; or one or two regional indicators (a flag, 🇫🇷). Linear in its length.
 */
function emojiLength(s: string, i: number, n: number): number {
  const c = s.charCodeAt(i);
  if (c === 0xd83c && i + 1 < n) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdde6 && d <= 0xddff) {
      // A regional indicator, with the next one if there is one.
      if (i + 3 < n && s.charCodeAt(i + 2) === 0xd83c) {
        const e = s.charCodeAt(i + 3);
        if (e >= 0xdde6 && e <= 0xddff) return 4;
      }
      return 2;
    }
  }
  const first = pictographicAt(s, i, n, c);
  if (first === 0) return 0;
  let j = i + first;
  while (j < n) {
    const d = s.charCodeAt(j);
    if (d === 0xfe0e || d === 0xfe0f || d === 0x20e3) j++;
    else if (d === 0xd83c && j + 1 < n && s.charCodeAt(j + 1) >= 0xdffb && s.charCodeAt(j + 1) <= 0xdfff) j += 2;
    else if (d === 0xdb40 && j + 1 < n && s.charCodeAt(j + 1) >= 0xdc20 && s.charCodeAt(j + 1) <= 0xdc7f) j += 2;
    else if (d === 0x200d && j + 1 < n) {
      const next = pictographicAt(s, j + 1, n, s.charCodeAt(j + 1));
      if (next === 0) break;
      j += 1 + next;
    } else break;
  }
  return j - i;
}

function writeU32(out: Uint8Array, at: number, v: number): void {
  out[at] = v & 0xff;
  out[at + 1] = (v >>> 8) & 0xff;
  out[at + 2] = (v >>> 16) & 0xff;
  out[at + 3] = v >>> 24;
}

/** Read an unsigned little-endian 32-bit integer. */
export function readU32(buf: Uint8Array, at: number): number {
  return (buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16) | (buf[at + 3] << 24)) >>> 0;
}

/** A decoded sketch: views into the sketch's bytes, no copies. */
export interface SketchView {
  version: number;
  /** The text had no words. */
  empty: boolean;
  /** Fingerprint of the options the sketch was made with. */
  fingerprint: number;
  /** High and low halves of the 64-bit exact hash (unsigned). */
  exactHi: number;
  exactLo: number;
  /** The 64-bit exact hash as 16 hex digits. */
  exactHex: string;
  /** One LSH key per band. */
  bandKeys: number[];
  /** `bands * rows` signature bytes (a view, not a copy). */
  signature: Uint8Array;
  /** The record had a prompt part (multi-part record). */
  multiPart: boolean;
  /** Distinct words in the prompt part (capped at 255). */
  promptWords: number;
  /** `2 * promptWords` bytes: the prompt part's smallest word hashes (a view; see prompt.ts). */
  promptSignature: Uint8Array;
}

function checkSketch(sketch: Uint8Array, offset: number, o: ResolvedDedupOptions): void {
  const bytes = SKETCH_HEADER_BYTES + 4 * o.bands + o.bands * o.rows + 2 * o.promptWords;
  if (!(sketch instanceof Uint8Array) || !Number.isInteger(offset) || offset < 0 || offset + bytes > sketch.length) {
    throw new LifeguardError(
      'LG_ERR_INPUT_INVALID',
      `dedup: expected a ${bytes}-byte sketch at offset ${offset} (bands ${o.bands}, rows ${o.rows})`,
    );
  }
  if (sketch[offset] !== SKETCH_VERSION) {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `dedup: unknown sketch version ${sketch[offset]}`);
  }
  if (readU32(sketch, offset + 4) !== optionsFingerprint(o)) {
    throw new LifeguardError(
      'LG_ERR_INPUT_INVALID',
      'dedup: the sketch was made with other options (shingle, bands, rows, seed or promptWords differ)',
    );
  }
}

/**
 * Decode the sketch at `offset` of `buffer` (a file of appended sketches, or one sketch). `options` must
 * be those the sketch was made with (they fix its length); a mismatch throws `LG_ERR_INPUT_INVALID`.
 */
export function readSketch(buffer: Uint8Array, options: DedupOptions = {}, offset = 0): SketchView {
  const o = resolveDedupOptions(options);
  checkSketch(buffer, offset, o);
  const exactHi = readU32(buffer, offset + 8);
  const exactLo = readU32(buffer, offset + 12);
  const bandKeys: number[] = [];
  for (let b = 0; b < o.bands; b++) bandKeys.push(readU32(buffer, offset + SKETCH_HEADER_BYTES + 4 * b));
  const sigOff = offset + SKETCH_HEADER_BYTES + 4 * o.bands;
  return {
    version: buffer[offset],
    empty: (buffer[offset + 1] & SKETCH_FLAG_EMPTY) !== 0,
    fingerprint: readU32(buffer, offset + 4),
    exactHi,
    exactLo,
    exactHex: exactHi.toString(16).padStart(8, '0') + exactLo.toString(16).padStart(8, '0'),
    bandKeys,
    signature: buffer.subarray(sigOff, sigOff + o.bands * o.rows),
    multiPart: (buffer[offset + 1] & SKETCH_FLAG_PROMPT) !== 0,
    promptWords: buffer[offset + 2],
    promptSignature: buffer.subarray(sigOff + o.bands * o.rows, sigOff + o.bands * o.rows + 2 * o.promptWords),
  };
}

/**
 * Build a sketch from its parts (band keys are derived from the signature). For tests, synthetic
 * benchmarks and tools that store the parts elsewhere; `signature` must hold `bands * rows` bytes and
 * `promptSignature`, when given (a multi-part record), `2 * promptWords` bytes.
 */
export function encodeSketch(
  parts: {
    exactHi: number;
    exactLo: number;
    signature: Uint8Array;
    empty?: boolean;
    promptSignature?: Uint8Array;
    promptWords?: number;
  },
  options: DedupOptions = {},
): Uint8Array {
  const o = resolveDedupOptions(options);
  const perms = o.bands * o.rows;
  if (parts.signature.length !== perms) {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `dedup: signature must hold ${perms} bytes`);
  }
  if (parts.promptSignature !== undefined && parts.promptSignature.length !== 2 * o.promptWords) {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `dedup: promptSignature must hold ${2 * o.promptWords} bytes`);
  }
  const out = new Uint8Array(SKETCH_HEADER_BYTES + 4 * o.bands + perms + 2 * o.promptWords);
  out[0] = SKETCH_VERSION;
  out[1] = (parts.empty ? SKETCH_FLAG_EMPTY : 0) | (parts.promptSignature ? SKETCH_FLAG_PROMPT : 0);
  out[2] = Math.min(255, Math.max(0, parts.promptWords ?? (parts.promptSignature ? 1 : 0)));
  writeU32(out, 4, optionsFingerprint(o));
  writeU32(out, 8, parts.exactHi);
  writeU32(out, 12, parts.exactLo);
  const sigOff = SKETCH_HEADER_BYTES + 4 * o.bands;
  if (!parts.empty) {
    out.set(parts.signature, sigOff);
    for (let b = 0; b < o.bands; b++)
      writeU32(out, SKETCH_HEADER_BYTES + 4 * b, bandKey(b, out, sigOff + b * o.rows, o.rows));
    if (parts.promptSignature) out.set(parts.promptSignature, sigOff + perms);
  }
  return out;
}

/** Jaccard estimate from the fraction `f` of equal 8-bit minima: `(f − 1/256) / (1 − 1/256)`, clamped to [0, 1]. */
export function jaccardFromMatches(matches: number, perms: number): number {
  const j = (matches / perms - 1 / 256) / (1 - 1 / 256);
  return Math.max(0, Math.min(1, j));
}

/** Estimated Jaccard similarity of the texts behind two sketches (0 when either is empty). */
export function estimateSimilarity(a: Uint8Array, b: Uint8Array, options: DedupOptions = {}): number {
  const o = resolveDedupOptions(options);
  checkSketch(a, 0, o);
  checkSketch(b, 0, o);
  if ((a[1] | b[1]) & SKETCH_FLAG_EMPTY) return 0;
  const off = SKETCH_HEADER_BYTES + 4 * o.bands;
  const perms = o.bands * o.rows;
  let m = 0;
  for (let i = 0; i < perms; i++) if (a[off + i] === b[off + i]) m++;
  return jaccardFromMatches(m, perms);
}
