import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LifeguardError } from '../../core/errors.js';
import { hashRange, WORD_SEED } from './hash.js';
import { defaultModelsDir } from './models-dir.js';

/**
 * Pre-trained word vectors (GloVe 6B, 100 dimensions, the most frequent words; see
 * `models/word-vectors/MODEL_CARD.md`). They carry what n-grams cannot: that an unseen word means nearly what a
 * trained one does ("ricin" near "poison"), so a request in words no training source used still lands
 * near the requests it resembles. Looked up by the same polynomial hash the n-gram features use, so a
 * word is never copied out of the text.
 */
export class WordVectors {
  private constructor(
    /** The folder the vectors were read from. */
    readonly dir: string,
    /** `vectorsSha256` of its meta.json: a model records it, so it is never read with other vectors. */
    readonly sha256: string | undefined,
    readonly dims: number,
    readonly words: number,
    /** Word hash → row + 1 (0: unknown). An open-addressing table keyed by the hash. */
    private readonly keys: Int32Array,
    private readonly rows: Int32Array,
    /** int8 values, row-major (4 MB for 40,000 × 100: a quarter of float32's cache footprint). */
    private readonly q: Int8Array,
    /** Per row: the scale; a value is `Math.fround(q × scale)`, the float32 the vectors were trained with. */
    private readonly scales: Float32Array,
  ) {}

  static fromFiles(dir: string): WordVectors {
    const metaPath = join(dir, 'meta.json');
    if (!existsSync(metaPath))
      throw new LifeguardError('LG_ERR_MODEL', `no word vectors in ${dir} (see scripts/build-word-vectors.ts)`);
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as {
      format: string;
      words: number;
      dims: number;
      vectorsSha256?: string;
    };
    if (meta.format !== 'lifeguard-word-vectors/1')
      throw new LifeguardError('LG_ERR_MODEL', `${metaPath}: unknown format ${meta.format}`);
    const list = readFileSync(join(dir, 'words.txt'), 'utf8').split('\n', meta.words);
    const bin = readFileSync(join(dir, 'vectors.bin'));
    const { words, dims } = meta;
    if (list.length !== words || bin.length !== words * dims + words * 4)
      throw new LifeguardError('LG_ERR_MODEL', `${dir}: vectors.bin or words.txt does not match meta.json`);
    const buf = new Uint8Array(bin.length);
    buf.set(bin);
    const q = new Int8Array(buf.buffer, 0, words * dims);
    const scales = new Float32Array(buf.buffer, words * dims, words);
    let size = 1;
    while (size < words * 2) size <<= 1;
    const keys = new Int32Array(size);
    const rows = new Int32Array(size);
    const mask = size - 1;
    for (let r = 0; r < words; r++) {
      const w = list[r];
      const h = hashRange(w, 0, w.length, WORD_SEED);
      let e = slotOf(h, mask);
      // A hash two words share keeps the more frequent word (the first one in).
      while (rows[e] !== 0 && keys[e] !== h) e = (e + 1) & mask;
      if (rows[e] !== 0) continue;
      keys[e] = h;
      rows[e] = r + 1;
    }
    return new WordVectors(dir, meta.vectorsSha256, dims, words, keys, rows, q, scales);
  }

  /** Row of the word `s[start, end)`, or -1. */
  row(s: string, start: number, end: number): number {
    return this.rowOfHash(hashRange(s, start, end, WORD_SEED));
  }

  /** Row of the word whose hash (seed {@link WORD_SEED}) is `h`, or -1. */
  rowOfHash(h: number): number {
    const mask = this.keys.length - 1;
    let e = slotOf(h, mask);
    for (;;) {
      const r = this.rows[e];
      if (r === 0) return -1;
      if (this.keys[e] === h) return r - 1;
      e = (e + 1) & mask;
    }
  }

  /**
   * Adds `weight ×` the vector of `row` into `acc`. The weight of a word falls with its frequency
   * (rank / (rank + 75): "the" ~0.01, rank 1000 ~0.93), as in smooth inverse frequency averaging, so
   * function words do not drown the content words. `times`: how often the word occurred.
   */
  addRow(acc: Float64Array, row: number, times = 1): number {
    const w = ((row + 1) / (row + 76)) * times;
    const base = row * this.dims;
    const q = this.q;
    const scale = this.scales[row];
    for (let d = 0; d < this.dims; d++) acc[d] += Math.fround(q[base + d] * scale) * w;
    return w;
  }

  /** {@link addRow} (`times` occurrences) into `sum`, and the word's unweighted vector into the running maximum `max`. */
  addRowWithMax(sum: Float64Array, max: Float64Array, row: number, times = 1): void {
    const w = ((row + 1) / (row + 76)) * times;
    const base = row * this.dims;
    const q = this.q;
    const scale = this.scales[row];
    for (let d = 0; d < this.dims; d++) {
      const v = Math.fround(q[base + d] * scale);
      sum[d] += v * w;
      if (v > max[d]) max[d] = v;
    }
  }
}

function slotOf(h: number, mask: number): number {
  return (Math.imul(h, 0x9e3779b1) >>> 7) & mask;
}

const loaded = new Map<string, WordVectors>();

/**
 * The word vectors a model in `modelsDir` reads: `<modelsDir>/word-vectors` when that folder has its own,
 * else the package's. When the model recorded the checksum of the vectors it was trained with, other
 * vectors are refused: the pooled block would be numbers the weights were not fitted to.
 */
export function wordVectorsFor(modelsDir: string, expectedSha256?: string): WordVectors {
  const own = join(modelsDir, 'word-vectors');
  const v = wordVectors(existsSync(join(own, 'meta.json')) ? own : join(defaultModelsDir(), 'word-vectors'));
  if (expectedSha256 !== undefined && v.sha256 !== expectedSha256)
    throw new LifeguardError(
      'LG_ERR_MODEL',
      `the model was trained with word vectors ${expectedSha256.slice(0, 12)}…, but ${v.dir} holds ${
        v.sha256?.slice(0, 12) ?? 'vectors without a checksum'
      }…; put the vectors it was trained with in ${own}`,
    );
  return v;
}

/** The word vectors in `dir`, read once per process. */
export function wordVectors(dir: string): WordVectors {
  let v = loaded.get(dir);
  if (!v) {
    v = WordVectors.fromFiles(dir);
    loaded.set(dir, v);
  }
  return v;
}
