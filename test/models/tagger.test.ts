import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadGazetteer } from '../../src/models/tagger/gazetteer.js';
import { loadTagger, TAGGER_RULE, tagPii } from '../../src/models/tagger/index.js';
import {
  ENTITY_TYPES,
  goldLabels,
  labelNames,
  labelsToSpans,
  type TrainExample,
  trainPerceptron,
} from '../../src/models/tagger/perceptron.js';
import { tokenize, tokenSpans } from '../../src/models/tagger/tokenize.js';
import {
  decodeWeights,
  encodeWeights,
  loadModel,
  type ModelHeader,
  saveModel,
} from '../../src/models/tagger/weights.js';

const TINY: TrainExample[] = [
  { text: 'My name is Anna Berg.', spans: [{ type: 'PERSON', start: 11, end: 20 }] },
  { text: 'I live in Oslo.', spans: [{ type: 'LOCATION', start: 10, end: 14 }] },
  { text: 'Call Peter Olsen today.', spans: [{ type: 'PERSON', start: 5, end: 16 }] },
  { text: 'She works at Acme Inc.', spans: [{ type: 'ORGANIZATION', start: 13, end: 22 }] },
  { text: 'He is 42 years old.', spans: [{ type: 'AGE', start: 6, end: 8 }] },
  { text: 'Nothing to see here.', spans: [] },
];

function tinyModel(seed = 7) {
  return trainPerceptron(TINY, {
    types: ENTITY_TYPES,
    bucketBits: 12,
    epochs: 4,
    seed,
    gazetteerDropout: 0.2,
    gazetteer: loadGazetteer(),
  }).model;
}

function header(bits: number): Omit<ModelHeader, 'weightsSha256'> {
  return {
    format: 'lifeguard-pii-tagger',
    version: 1,
    labels: labelNames(ENTITY_TYPES),
    types: [...ENTITY_TYPES],
    feature: { version: 0, bucketBits: bits },
    quantisation: 'int8-row-scale',
    temperature: 1,
    training: { seed: 7, epochs: 4, dataHash: 'test', sentences: TINY.length, tokens: 0, gazetteerDropout: 0.2 },
  };
}

describe('tokenizer', () => {
  it('reports exact offsets, groups punctuation runs and counts line breaks', () => {
    const text = "Hi, Mr. O'Brien!!\r\n\r\n  Apt. 42\n3-4";
    const toks = tokenSpans(text);
    for (const t of toks) expect(text.slice(t.start, t.end)).toBe(t.text);
    expect(toks.map((t) => t.text)).toEqual([
      'Hi',
      ',',
      'Mr',
      '.',
      'O',
      "'",
      'Brien',
      '!!',
      'Apt',
      '.',
      '42',
      '3',
      '-',
      '4',
    ]);
    expect(toks.find((t) => t.text === 'Apt')?.newlinesBefore).toBe(2); // \r\n counts once
    expect(toks.find((t) => t.text === '3')?.newlinesBefore).toBe(1);
    expect(toks[0].newlinesBefore).toBe(0);
  });

  it('keeps non-ASCII words whole (accents, combining marks, Greek, Cyrillic)', () => {
    const text = 'Zoë Ødegård, Jiřího z Poděbrad 1874, ΠΑΦΟΣ, Дмитрий, Noe\u0301l';
    const words = tokenSpans(text)
      .filter((t) => /\p{L}|\d/u.test(t.text))
      .map((t) => t.text);
    expect(words).toEqual(['Zoë', 'Ødegård', 'Jiřího', 'z', 'Poděbrad', '1874', 'ΠΑΦΟΣ', 'Дмитрий', 'Noe\u0301l']);
  });

  it('hashes case-insensitively', () => {
    const a = tokenize('Berlin');
    const ha = a.hash[0];
    const b = tokenize('BERLIN');
    expect(b.hash[0]).toBe(ha);
  });
});

describe('labels', () => {
  it('maps character spans to BIO labels and back', () => {
    const text = 'Dr. Anna Berg lives in New York.';
    const t = tokenize(text);
    const labels = new Uint8Array(t.n);
    goldLabels(
      t,
      [
        { type: 'TITLE', start: 0, end: 3 },
        { type: 'PERSON', start: 4, end: 13 },
        { type: 'LOCATION', start: 23, end: 31 },
      ],
      ENTITY_TYPES,
      labels,
    );
    const spans = labelsToSpans(labels, 0, t.n).map((s) => ({
      type: ENTITY_TYPES[s.type],
      text: text.slice(t.start[s.start], t.end[s.end - 1]),
    }));
    expect(spans).toEqual([
      { type: 'TITLE', text: 'Dr.' },
      { type: 'PERSON', text: 'Anna Berg' },
      { type: 'LOCATION', text: 'New York' },
    ]);
  });
});

describe('training and weights', () => {
  it('is deterministic for a given seed', () => {
    const a = encodeWeights(tinyModel(7));
    const b = encodeWeights(tinyModel(7));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const c = encodeWeights(tinyModel(8));
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  });

  it('round-trips through the binary format (quantised within 1/127 of each row maximum)', () => {
    const model = tinyModel();
    const bin = encodeWeights(model);
    const back = decodeWeights(bin);
    expect(back.nLabels).toBe(model.nLabels);
    expect(back.bucketBits).toBe(model.bucketBits);
    expect(Array.from(back.trans)).toEqual(Array.from(model.trans));
    const L = model.nLabels;
    const w = model.weights;
    const v = back.weights;
    let worst = 0;
    for (let r = 0; r < w.length / L; r++) {
      let max = 0;
      for (let l = 0; l < L; l++) max = Math.max(max, Math.abs(w[r * L + l]));
      for (let l = 0; l < L; l++) worst = Math.max(worst, Math.abs(w[r * L + l] - v[r * L + l]) - max / 127);
    }
    expect(worst).toBeLessThanOrEqual(1e-6);
    // re-encoding the decoded model is byte-identical
    expect(Buffer.from(encodeWeights(back)).equals(Buffer.from(bin))).toBe(true);
  });

  it('saves and loads a model directory and rejects a corrupted weights file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-tagger-'));
    try {
      const model = tinyModel();
      const { header: written } = saveModel(dir, model, header(model.bucketBits));
      const { header: h, model: m } = loadModel(dir);
      expect(h.weightsSha256).toBe(written.weightsSha256);
      expect(m.nLabels).toBe(model.nLabels);
      const bin = readFileSync(join(dir, 'weights.bin'));
      bin[bin.length - 1] ^= 0xff;
      writeFileSync(join(dir, 'weights.bin'), bin);
      expect(() => loadModel(dir)).toThrow(/checksum/);
      expect(() => decodeWeights(new Uint8Array([1, 2, 3, 4]))).toThrow(/magic/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('committed model', () => {
  const find = (text: string) => tagPii(text).map((m) => ({ type: m.type, text: text.slice(m.start, m.end) }));

  it('finds obvious people, places and organisations in unseen sentences', () => {
    expect(find('Yesterday Margaret Thompson flew from Chicago to meet the board of Siemens.')).toEqual(
      expect.arrayContaining([
        { type: 'PERSON', text: 'Margaret Thompson' },
        { type: 'LOCATION', text: 'Chicago' },
        { type: 'ORGANIZATION', text: 'Siemens' },
      ]),
    );
    expect(find('Please ask Dr. Hiroshi Tanaka to call me back.')).toEqual(
      expect.arrayContaining([
        { type: 'TITLE', text: 'Dr.' },
        { type: 'PERSON', text: 'Hiroshi Tanaka' },
      ]),
    );
    expect(find('Our new branch manager, Fatima Haddad, moved here from Lisbon.')).toEqual(
      expect.arrayContaining([
        { type: 'PERSON', text: 'Fatima Haddad' },
        { type: 'LOCATION', text: 'Lisbon' },
      ]),
    );
  });

  it('finds ages and addresses', () => {
    const found = find('The patient is a 67 year old man living at 221 Baker Street, London NW1 6XE.');
    expect(found).toEqual(expect.arrayContaining([{ type: 'AGE', text: '67' }]));
    expect(found.some((f) => f.type === 'ADDRESS' && f.text.startsWith('221 Baker Street'))).toBe(true);
  });

  it('stays quiet on plain prose', () => {
    expect(find('The quick brown fox jumps over the lazy dog, and then it rests for a while.')).toEqual([]);
  });

  it('reports correct offsets on text with newlines and non-ASCII names', () => {
    const text = 'Dear team,\r\n\r\nplease welcome Søren Kierkegård-Ødegaard from København.\nThanks, Zoë';
    const matches = tagPii(text);
    for (const m of matches) {
      expect(m.rule).toBe(TAGGER_RULE);
      expect(m.score).toBeGreaterThan(0);
      expect(m.score).toBeLessThanOrEqual(1);
      expect(m.end).toBeGreaterThan(m.start);
      // spans start and end on token boundaries
      expect(/^\s/.test(text.slice(m.start, m.end))).toBe(false);
      expect(/\s$/.test(text.slice(m.start, m.end))).toBe(false);
    }
    const found = matches.map((m) => ({ type: m.type, text: text.slice(m.start, m.end) }));
    expect(found).toEqual(
      expect.arrayContaining([
        { type: 'PERSON', text: 'Søren Kierkegård-Ødegaard' },
        { type: 'LOCATION', text: 'København' },
      ]),
    );
  });

  it('is a cached singleton and carries its header', () => {
    const t = loadTagger();
    expect(loadTagger()).toBe(t);
    expect(t.header.labels).toEqual(labelNames(ENTITY_TYPES));
    expect(t.header.temperature).toBeGreaterThan(0);
  });
});
