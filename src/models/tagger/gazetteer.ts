/**
 * Gazetteers for the PII tagger: word lists (first names, cities, street types …) loaded lazily from
 * `data/gazetteers/*.txt` (one lower-cased entry per line) into integer hash tables keyed by the same
 * FNV-1a hash the tokenizer computes, so a lookup costs one probe and allocates nothing.
 *
 * Multi-word entries (`new zealand`, `dairy scientist`) are matched as phrases over token hashes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LifeguardError } from '../../core/errors.js';
import { F_PUNCT, Tokens, tokenize } from './tokenize.js';

/** Gazetteer classes, one bit each. */
export const G_FIRST = 1 << 0;
export const G_LAST = 1 << 1;
export const G_CITY = 1 << 2;
export const G_COUNTRY = 1 << 3;
export const G_REGION = 1 << 4;
export const G_REGION_CODE = 1 << 5;
export const G_STREET = 1 << 6;
export const G_COMPANY_SUFFIX = 1 << 7;
export const G_COMPANY = 1 << 8;
export const G_NRP = 1 << 9;
export const G_JOB = 1 << 10;
export const G_HONORIFIC = 1 << 11;
export const G_COMMON = 1 << 12;
export const G_DATE = 1 << 13;
/** Token is covered by a multi-word gazetteer phrase. */
export const G_PHRASE = 1 << 14;
/** Last word of a job title (`scientist`, `clerk`). */
export const G_JOB_HEAD = 1 << 15;
/** Name particle (`van`, `de`, `al`). */
export const G_PARTICLE = 1 << 16;
export const G_BITS = 17;
/** Class bits of a word-table value (the bits above hold the longest phrase starting with the word). */
export const G_MASK = (1 << G_BITS) - 1;
const PHRASE_SHIFT = 24;

/** The files and the class each one feeds. `mode` says how multi-word entries are used. */
export const GAZETTEER_FILES: readonly { file: string; bit: number; words: 'none' | 'all' | 'job' }[] = [
  { file: 'first_names.txt', bit: G_FIRST, words: 'all' },
  { file: 'last_names.txt', bit: G_LAST, words: 'all' },
  { file: 'cities.txt', bit: G_CITY, words: 'none' },
  { file: 'countries.txt', bit: G_COUNTRY, words: 'none' },
  { file: 'regions.txt', bit: G_REGION, words: 'none' },
  { file: 'region_codes.txt', bit: G_REGION_CODE, words: 'none' },
  { file: 'street_types.txt', bit: G_STREET, words: 'none' },
  { file: 'company_suffixes.txt', bit: G_COMPANY_SUFFIX, words: 'none' },
  { file: 'companies.txt', bit: G_COMPANY, words: 'none' },
  { file: 'nrp.txt', bit: G_NRP, words: 'none' },
  { file: 'job_titles.txt', bit: G_JOB, words: 'job' },
  { file: 'honorifics.txt', bit: G_HONORIFIC, words: 'none' },
  { file: 'common_words.txt', bit: G_COMMON, words: 'none' },
  { file: 'date_words.txt', bit: G_DATE, words: 'none' },
  { file: 'name_particles.txt', bit: G_PARTICLE, words: 'none' },
];

const STOP = new Set(['of', 'and', 'the', 'a', 'an', 'for', 'in', 'to', '&', '-', ',', '/', '(', ')']);

/** Open-addressing int32 → int32 map (key 0 is reserved for "empty"). */
class IntMap {
  keys: Int32Array;
  vals: Int32Array;
  mask: number;
  size = 0;

  constructor(expected: number) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.keys = new Int32Array(cap);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
  }

  private slot(k: number): number {
    let i = Math.imul(k, 0x9e3779b1) >>> 0;
    i = (i ^ (i >>> 15)) & this.mask;
    for (;;) {
      const kk = this.keys[i];
      if (kk === k || kk === 0) return i;
      i = (i + 1) & this.mask;
    }
  }

  or(key: number, bits: number): void {
    const k = key === 0 ? 1 : key;
    if (this.size * 2 >= this.keys.length) this.rehash();
    const i = this.slot(k);
    if (this.keys[i] === 0) {
      this.keys[i] = k;
      this.size++;
    }
    this.vals[i] |= bits;
  }

  /** Replaces the bits at and above `shift` with `v`, keeping the lower bits. */
  setHigh(key: number, v: number, shift: number): void {
    const k = key === 0 ? 1 : key;
    if (this.size * 2 >= this.keys.length) this.rehash();
    const i = this.slot(k);
    if (this.keys[i] === 0) {
      this.keys[i] = k;
      this.size++;
    }
    this.vals[i] = (this.vals[i] & ((1 << shift) - 1)) | (v << shift);
  }

  get(key: number): number {
    const k = key === 0 ? 1 : key;
    let i = Math.imul(k, 0x9e3779b1) >>> 0;
    i = (i ^ (i >>> 15)) & this.mask;
    const keys = this.keys;
    for (;;) {
      const kk = keys[i];
      if (kk === k) return this.vals[i];
      if (kk === 0) return 0;
      i = (i + 1) & this.mask;
    }
  }

  private rehash(): void {
    const oldK = this.keys;
    const oldV = this.vals;
    const cap = oldK.length * 2;
    this.keys = new Int32Array(cap);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
    this.size = 0;
    for (let i = 0; i < oldK.length; i++) {
      if (oldK[i] !== 0) {
        const j = this.slot(oldK[i]);
        this.keys[j] = oldK[i];
        this.vals[j] = oldV[i];
        this.size++;
      }
    }
  }
}

/** Combines token hashes into a phrase hash. */
export function phraseStep(acc: number, tokenHash: number): number {
  let h = Math.imul(acc ^ tokenHash, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
const PHRASE_SEED = 0x27d4eb2f;
const MAX_PHRASE = 6;

export class Gazetteer {
  /** token hash → class bits */
  readonly words: IntMap;
  /** phrase hash → class bits */
  readonly phrases: IntMap;
  /** Entry counts per file, for the model card. */
  readonly counts: Record<string, number> = {};

  constructor(lists: Record<string, readonly string[]>) {
    let total = 0;
    for (const l of Object.values(lists)) total += l.length;
    this.words = new IntMap(total);
    this.phrases = new IntMap(total / 4);
    const tok = new Tokens(32);
    for (const spec of GAZETTEER_FILES) {
      const entries = lists[spec.file] ?? [];
      this.counts[spec.file] = entries.length;
      for (const entry of entries) this.add(entry, spec.bit, spec.words, tok);
    }
  }

  private add(entry: string, bit: number, words: 'none' | 'all' | 'job', tok: Tokens): void {
    const t = tokenize(entry, tok, false);
    if (t.n === 0) return;
    if (t.n === 1) {
      this.words.or(t.hash[0], bit);
      if (bit === G_JOB) this.words.or(t.hash[0], G_JOB_HEAD);
      return;
    }
    if (t.n > MAX_PHRASE) return;
    let h = PHRASE_SEED;
    for (let i = 0; i < t.n; i++) h = phraseStep(h, t.hash[i]);
    this.phrases.or(h, bit);
    // longest phrase starting with this word, kept in the word's value above the class bits
    if (t.n > this.words.get(t.hash[0]) >>> PHRASE_SHIFT) this.words.setHigh(t.hash[0], t.n, PHRASE_SHIFT);
    if (words === 'none') return;
    const text = entry;
    for (let i = 0; i < t.n; i++) {
      if (t.flags[i] & F_PUNCT) continue;
      const w = text.slice(t.start[i], t.end[i]);
      if (STOP.has(w) || w.length < 2) continue;
      if (words === 'all') this.words.or(t.hash[i], bit);
      else {
        this.words.or(t.hash[i], G_JOB);
        if (i === t.n - 1) this.words.or(t.hash[i], G_JOB_HEAD);
      }
    }
  }

  /** Class bits of a single token hash. */
  word(hash: number): number {
    return this.words.get(hash) & G_MASK;
  }

  /**
   * Fills `out[i]` with the class bits of every token, including multi-word phrase matches (longest
   * match wins; all tokens of a matched phrase get the phrase's bits and `G_PHRASE`).
   */
  annotate(tokens: Tokens, out: Int32Array, from = 0, to = tokens.n): void {
    const hash = tokens.hash;
    for (let i = from; i < to; i++) out[i] = this.words.get(hash[i]);
    for (let i = from; i < to; i++) {
      const maxLen = out[i] >>> PHRASE_SHIFT;
      if (maxLen === 0) continue;
      let h = phraseStep(PHRASE_SEED, hash[i]);
      let bestEnd = -1;
      let bestBits = 0;
      const lim = Math.min(to, i + maxLen);
      for (let j = i + 1; j < lim; j++) {
        h = phraseStep(h, hash[j]);
        const b = this.phrases.get(h);
        if (b !== 0) {
          bestEnd = j;
          bestBits = b;
        }
      }
      if (bestEnd > 0) {
        for (let j = i; j <= bestEnd; j++) out[j] |= bestBits | G_PHRASE;
      }
    }
    for (let i = from; i < to; i++) out[i] &= G_MASK;
  }
}

/** Directory of the gazetteer files: `<package root>/data/gazetteers/`. */
export function gazetteerDir(): string {
  return fileURLToPath(new URL('../../../data/gazetteers/', import.meta.url));
}

/** Reads one gazetteer file: one entry per line, `#` comments and blank lines ignored. */
export function readGazetteerFile(path: string): string[] {
  if (!existsSync(path)) return [];
  const out: string[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const s = line.trim();
    if (s && !s.startsWith('#')) out.push(s);
  }
  return out;
}

let cached: Gazetteer | undefined;

/** The gazetteer loaded from `data/gazetteers/` (cached). */
export function loadGazetteer(dir = gazetteerDir()): Gazetteer {
  if (cached && dir === gazetteerDir()) return cached;
  if (!existsSync(dir)) {
    throw new LifeguardError('LG_ERR_MODEL', `PII tagger gazetteers not found in ${dir}; reinstall the package`);
  }
  const lists: Record<string, string[]> = {};
  for (const spec of GAZETTEER_FILES) lists[spec.file] = readGazetteerFile(`${dir}${spec.file}`);
  const g = new Gazetteer(lists);
  if (dir === gazetteerDir()) cached = g;
  return g;
}
