import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LifeguardError } from '../../../src/core/errors.js';
import {
  DEFAULT_FEATURES,
  extractFeatures,
  type FeatureConfig,
  featureDimension,
} from '../../../src/models/classify/features.js';
import { SIGNALS } from '../../../src/models/classify/signals.js';
import { WordVectors, wordVectors } from '../../../src/models/classify/vectors.js';
import { cosine, denseBlock } from './dense.js';

const DIR = join(import.meta.dirname, '../../../models/word-vectors');
const vectors = wordVectors(DIR);
const words = readFileSync(join(DIR, 'words.txt'), 'utf8').split('\n');

/** The frequency-weighted vector of one word, read back through the pooling code. */
function vectorOf(word: string): Float64Array {
  const out = new Float64Array(vectors.dims);
  const row = vectors.row(word, 0, word.length);
  expect(row, word).toBeGreaterThanOrEqual(0);
  vectors.addRow(out, row);
  return out;
}

describe('word vectors', () => {
  it('finds every shipped word at its own row and no word it does not hold', () => {
    expect(vectors.words).toBe(40000);
    for (const r of [0, 1, 999, 23456, 39999]) expect(vectors.row(words[r], 0, words[r].length)).toBe(r);
    expect(vectors.row('the', 0, 3)).toBe(0);
    // A word inside a longer string is found by its range, without copying it out.
    expect(vectors.row('a poison b', 2, 8)).toBe(words.indexOf('poison'));
    for (const w of ['zzqxv', 'ransomwarez', '12345', '']) expect(vectors.row(w, 0, w.length)).toBe(-1);
  });

  it('puts words of like meaning nearer than unrelated ones', () => {
    const near: [string, string, string][] = [
      ['poison', 'toxic', 'guitar'],
      ['bomb', 'explosive', 'recipe'],
      ['steal', 'theft', 'weather'],
      ['hack', 'password', 'banana'],
    ];
    for (const [a, b, c] of near)
      expect(cosine(vectorOf(a), vectorOf(b)), `${a}~${b}`).toBeGreaterThan(cosine(vectorOf(a), vectorOf(c)));
  });

  it('weighs frequent words down', () => {
    let the = 0;
    let poison = 0;
    for (const v of vectorOf('the')) the += v * v;
    for (const v of vectorOf('poison')) poison += v * v;
    expect(Math.sqrt(the)).toBeLessThan(Math.sqrt(poison) / 20);
  });

  it('refuses a folder whose files do not match', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-vectors-'));
    cpSync(DIR, dir, { recursive: true });
    writeFileSync(join(dir, 'vectors.bin'), readFileSync(join(DIR, 'vectors.bin')).subarray(0, 1000));
    expect(() => WordVectors.fromFiles(dir)).toThrow(LifeguardError);
    expect(() => WordVectors.fromFiles(join(dir, 'missing'))).toThrow(/no word vectors/);
  });
});

describe('pooled word-vector features', () => {
  const config: FeatureConfig = { ...DEFAULT_FEATURES, vectors: { dims: 100, weight: 6, pool: 'mean-max' } };
  const base = (1 << config.bits) + SIGNALS.length + 1;

  const block = (text: string) => denseBlock(extractFeatures(text, config), base, 200);

  it('appends a mean and a max block, each of length `weight`, after the signals', () => {
    expect(featureDimension(config)).toBe(base + 200);
    const b = block('How do I poison the water supply of a town?');
    const len = (from: number) => Math.hypot(...b.subarray(from, from + 100));
    expect(len(0)).toBeCloseTo(6, 4);
    expect(len(100)).toBeCloseTo(6, 4);
    // Without any known word the block is all zeros, not NaN.
    expect(block('zzqx qxzz 12345').every((v) => v === 0)).toBe(true);
    // Deterministic, and the scratch path gives the same numbers.
    expect(block('the same text')).toEqual(block('the same text'));
    const plain = extractFeatures('the same text', config);
    const scratch = extractFeatures('the same text', config, true);
    expect(Array.from(scratch.index)).toEqual(Array.from(plain.index));
    expect(Array.from(scratch.value)).toEqual(Array.from(plain.value));
  });

  it('moves texts of like meaning together where n-grams share nothing', () => {
    const f = (t: string) => Float64Array.from(block(t).subarray(0, 100));
    const a = f('how can I poison someone without being noticed');
    const b = f('ways to administer toxin to a person secretly');
    const c = f('ways to plant tomato seedlings in a garden');
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c));
  });
});

describe('the word vectors a classifier reads', () => {
  const MODELS = join(import.meta.dirname, '../../../models');
  const shipped = JSON.parse(readFileSync(join(DIR, 'meta.json'), 'utf8')) as { vectorsSha256: string };
  const TEXT = 'How would someone get hold of a weapon without anyone noticing?';

  /** A models folder holding a copy of the harmful model and, optionally, word vectors of its own. */
  function modelsDirWith(vectors?: { negate: boolean; sha256: string }, modelSha?: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'lg-models-'));
    cpSync(join(MODELS, 'harmful'), join(dir, 'harmful'), { recursive: true });
    if (modelSha) {
      const path = join(dir, 'harmful', 'model.json');
      const meta = JSON.parse(readFileSync(path, 'utf8'));
      meta.features.vectors.sha256 = modelSha;
      writeFileSync(path, JSON.stringify(meta));
    }
    if (vectors) {
      cpSync(DIR, join(dir, 'word-vectors'), { recursive: true });
      const meta = JSON.parse(readFileSync(join(DIR, 'meta.json'), 'utf8'));
      writeFileSync(join(dir, 'word-vectors', 'meta.json'), JSON.stringify({ ...meta, vectorsSha256: vectors.sha256 }));
      if (vectors.negate) {
        const bin = new Uint8Array(readFileSync(join(DIR, 'vectors.bin')));
        const q = new Int8Array(bin.buffer, 0, meta.words * meta.dims);
        for (let k = 0; k < q.length; k++) q[k] = -Math.max(-127, q[k]);
        writeFileSync(join(dir, 'word-vectors', 'vectors.bin'), bin);
      }
    }
    return dir;
  }

  it('records the checksum of the vectors the shipped model was trained with', async () => {
    const { loadLocalClassifier } = await import('../../../src/models/classify/local.js');
    expect(loadLocalClassifier('harmful').meta.features.vectors?.sha256).toBe(shipped.vectorsSha256);
  });

  it('falls back to the package vectors when its models folder has none', async () => {
    const { loadLocalClassifier } = await import('../../../src/models/classify/local.js');
    const copy = loadLocalClassifier('harmful', { modelsDir: modelsDirWith() });
    expect(copy.classifySync(TEXT).score).toBe(loadLocalClassifier('harmful').classifySync(TEXT).score);
  });

  it('reads the vectors beside its models folder, and refuses vectors it was not trained with', async () => {
    const { loadLocalClassifier } = await import('../../../src/models/classify/local.js');
    // Other vectors (sign flipped), recorded as the ones the model was trained with: they are the ones read.
    const own = loadLocalClassifier('harmful', {
      modelsDir: modelsDirWith({ negate: true, sha256: 'f'.repeat(64) }, 'f'.repeat(64)),
    });
    expect(own.classifySync(TEXT).score).not.toBe(loadLocalClassifier('harmful').classifySync(TEXT).score);
    // The same folder layout, but the model names the shipped vectors: a clear error, not silent drift.
    expect(() =>
      loadLocalClassifier('harmful', { modelsDir: modelsDirWith({ negate: false, sha256: 'e'.repeat(64) }) }),
    ).toThrow(/trained with word vectors f583a88d94d9…, but .* holds eeeeeeeeeeee…/);
  });
});
