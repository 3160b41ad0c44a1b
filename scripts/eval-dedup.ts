/**
 * Pairwise precision / recall of near- and exact-duplicate detection (src/data/dedup) on a seeded
 * synthetic corpus with planted duplicates and hard negatives.
 *
 *   npx tsx scripts/eval-dedup.ts [--seed 7] [--originals 4000] [--shingle 2 --bands 16 --rows 8]
 *                                 [--thresholds 0.6,0.65,0.7,0.75,0.8,0.85] [--json OUT]
 *   npx tsx scripts/eval-dedup.ts --corpus DIR [--prompt-diff 0.1,0.2,0.3]
 *
 * Corpus: prose-like texts of 150–600 words drawn Zipf-like from a 4,000-word vocabulary, in sentences.
 * Planted: near duplicates (a copy of an original with 1–5 % of its words inserted, deleted or substituted,
 * and in half of them two sentences swapped), exact duplicates (case and whitespace changed only) and
 * hard negatives (texts that share one long template paragraph but have different bodies: ≈ 50 % of the
 * words in common, not duplicates). Records are shuffled; each is added to a `DedupIndex` in order.
 *
 * Scoring: a record "should be flagged" when an earlier record of the same planted cluster exists. A
 * predicted pair is (rep, member) for every exact / near decision; it is correct when both are in the same
 * cluster. precision = correct pairs / predicted pairs; recall = correct pairs / records that should be
 * flagged. Recall is also broken down by edit rate.
 *
 * `--corpus DIR` instead scores a `gen-corpus` folder (corpus.jsonl + truth.json) the way the scan sees
 * it: each record's texts joined with its prompt part marked, planted low-quality records left out (the
 * scan quarantines them before dedup), and precision / recall of the flagged records against the planted
 * exact and near duplicates, with and without the prompt-part check (`--prompt-diff` values to try).
 */
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { mulberry32 } from '../src/core/random.js';
import {
  createSketcher,
  DEDUP_DEFAULTS,
  DedupIndex,
  type DedupOptions,
  SKETCH_FLAG_PROMPT,
} from '../src/data/dedup/index.js';
import { detectShape, promptSlotCount, textsOf } from '../src/data/io/shapes.js';
import type { Truth } from './gen-corpus.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '7' },
    originals: { type: 'string', default: '4000' },
    shingle: { type: 'string' },
    bands: { type: 'string' },
    rows: { type: 'string' },
    thresholds: { type: 'string', default: '0.6,0.65,0.7,0.75,0.8,0.85' },
    json: { type: 'string' },
    corpus: { type: 'string' },
    'prompt-diff': { type: 'string' },
  },
});

if (values.corpus) await corpusEval(values.corpus);
else synthetic();

function synthetic(): void {
  const rnd = mulberry32(Number(values.seed));
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));

  // ---- vocabulary and Zipf sampling ---------------------------------------------------------------------
  const ONSETS = [
    'b',
    'c',
    'd',
    'f',
    'g',
    'h',
    'j',
    'k',
    'l',
    'm',
    'n',
    'p',
    'r',
    's',
    't',
    'v',
    'w',
    'br',
    'st',
    'tr',
  ];
  const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ea', 'ou', 'ai'];
  const CODAS = ['', '', '', 'n', 'r', 's', 't', 'l', 'nd', 'st'];
  const VOCAB_SIZE = 4000;
  const vocab: string[] = [];
  {
    const seen = new Set<string>();
    while (vocab.length < VOCAB_SIZE) {
      // Frequent words are short, as in real text.
      const syllables = vocab.length < 100 ? int(1, 2) : int(1, 4);
      let w = '';
      for (let s = 0; s < syllables; s++) {
        w += ONSETS[int(0, ONSETS.length - 1)] + VOWELS[int(0, VOWELS.length - 1)] + CODAS[int(0, CODAS.length - 1)];
      }
      if (!seen.has(w)) {
        seen.add(w);
        vocab.push(w);
      }
    }
  }
  const cumulative = new Float64Array(VOCAB_SIZE);
  {
    let sum = 0;
    for (let r = 0; r < VOCAB_SIZE; r++) {
      sum += 1 / (r + 1) ** 1.07;
      cumulative[r] = sum;
    }
    for (let r = 0; r < VOCAB_SIZE; r++) cumulative[r] /= sum;
  }
  function word(): string {
    const u = rnd();
    let lo = 0;
    let hi = VOCAB_SIZE - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return vocab[lo];
  }

  // ---- documents as sentences of words ------------------------------------------------------------------
  type Doc = string[][];

  function sentences(words: number): Doc {
    const doc: Doc = [];
    let n = 0;
    while (n < words) {
      const len = Math.min(int(5, 24), words - n);
      const s: string[] = [];
      for (let i = 0; i < len; i++) s.push(i > 0 && i < len - 1 && rnd() < 0.08 ? `${word()},` : word());
      doc.push(s);
      n += len;
    }
    return doc;
  }

  function render(doc: Doc): string {
    return doc
      .map((s) => {
        const text = s.join(' ');
        return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
      })
      .join(' ');
  }

  const wordCount = (doc: Doc): number => doc.reduce((n, s) => n + s.length, 0);

  /** A copy with `rate` of its words edited (insert / delete / substitute) and maybe two sentences swapped. */
  function nearCopy(doc: Doc, rate: number, swap: boolean): Doc {
    const copy = doc.map((s) => [...s]);
    const edits = Math.max(1, Math.round(rate * wordCount(doc)));
    for (let e = 0; e < edits; e++) {
      const s = copy[int(0, copy.length - 1)];
      const at = int(0, s.length - 1);
      const op = int(0, 2);
      if (op === 0) s.splice(at, 0, word());
      else if (op === 1 && s.length > 1) s.splice(at, 1);
      else s[at] = word();
    }
    if (swap && copy.length > 1) {
      const i = int(0, copy.length - 1);
      let j = int(0, copy.length - 1);
      if (j === i) j = (i + 1) % copy.length;
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }

  /** Same normalised text: case and whitespace changed only. */
  function exactCopy(text: string): string {
    const parts = text.split(' ');
    return `  ${parts.map((w, i) => (i % 5 === 0 ? w.toUpperCase() : w)).join(i2ws())}\n`;
  }
  function i2ws(): string {
    return ['  ', '\n', '\t', ' \n '][int(0, 3)];
  }

  // ---- the corpus ---------------------------------------------------------------------------------------
  interface Rec {
    text: string;
    cluster: number;
    /** Edit rate for planted near copies; 0 for originals, -1 for exact copies, -2 for hard negatives. */
    kind: 'original' | 'near' | 'exact' | 'hard-negative';
    rate: number;
  }
  const records: Rec[] = [];
  const ORIGINALS = Number(values.originals);
  let cluster = 0;
  for (let o = 0; o < ORIGINALS; o++) {
    const doc = sentences(int(150, 600));
    const text = render(doc);
    const id = cluster++;
    records.push({ text, cluster: id, kind: 'original', rate: 0 });
    const u = rnd();
    if (u < 0.4) {
      for (let c = int(1, 3); c > 0; c--) {
        const rate = 0.01 + rnd() * 0.04;
        records.push({ text: render(nearCopy(doc, rate, rnd() < 0.5)), cluster: id, kind: 'near', rate });
      }
    } else if (u < 0.5) {
      records.push({ text: exactCopy(text), cluster: id, kind: 'exact', rate: 0 });
    }
  }
  for (let t = 0; t < Math.round(ORIGINALS / 40); t++) {
    const template = sentences(int(100, 300));
    const size = wordCount(template);
    for (let k = int(4, 6); k > 0; k--) {
      const body = sentences(Math.round(size * (0.8 + rnd() * 0.4)));
      const doc = rnd() < 0.5 ? [...template, ...body] : [...body, ...template];
      records.push({ text: render(doc), cluster: cluster++, kind: 'hard-negative', rate: 0 });
    }
  }
  for (let i = records.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [records[i], records[j]] = [records[j], records[i]];
  }

  // ---- sketch once, decide for each threshold -------------------------------------------------------------
  const sketchOptions: DedupOptions = {
    shingle: values.shingle ? Number(values.shingle) : DEDUP_DEFAULTS.shingle,
    bands: values.bands ? Number(values.bands) : DEDUP_DEFAULTS.bands,
    rows: values.rows ? Number(values.rows) : DEDUP_DEFAULTS.rows,
  };
  const sketcher = createSketcher(sketchOptions);
  const bytes = records.reduce((n, r) => n + Buffer.byteLength(r.text), 0);
  const t0 = performance.now();
  const sketches = records.map((r) => sketcher.sketch(r.text));
  const sketchSeconds = (performance.now() - t0) / 1000;

  const shouldFlag: boolean[] = [];
  {
    const seen = new Set<number>();
    for (const r of records) {
      shouldFlag.push(seen.has(r.cluster));
      seen.add(r.cluster);
    }
  }
  const positives = shouldFlag.filter(Boolean).length;
  const BUCKETS = [0.01, 0.02, 0.03, 0.04, 0.05];
  const bucketOf = (rate: number): number => Math.min(3, Math.floor((rate - 0.01) / 0.01));

  interface Row {
    threshold: number;
    predicted: number;
    correct: number;
    precision: number;
    recall: number;
    exactRecall: number;
    nearRecallByRate: number[];
    hardNegativeFalsePositives: number;
    addSeconds: number;
  }
  const rows: Row[] = [];
  for (const threshold of values.thresholds!.split(',').map(Number)) {
    const index = new DedupIndex({ ...sketchOptions, threshold });
    let predicted = 0;
    let correct = 0;
    let exactHits = 0;
    let exactTotal = 0;
    let hardFp = 0;
    const nearHits = [0, 0, 0, 0];
    const nearTotal = [0, 0, 0, 0];
    const t = performance.now();
    const decisions = sketches.map((s, i) => index.add(i, s));
    const addSeconds = (performance.now() - t) / 1000;
    decisions.forEach((d, i) => {
      const r = records[i];
      const ok = d.kind !== 'unique' && records[d.rep].cluster === r.cluster;
      if (d.kind !== 'unique') {
        predicted++;
        if (ok) correct++;
        else if (r.kind === 'hard-negative' || records[d.rep].kind === 'hard-negative') hardFp++;
      }
      if (!shouldFlag[i]) return;
      if (r.kind === 'exact') {
        exactTotal++;
        if (ok && d.kind === 'exact') exactHits++;
      } else if (r.kind === 'near') {
        const b = bucketOf(r.rate);
        nearTotal[b]++;
        if (ok) nearHits[b]++;
      }
    });
    rows.push({
      threshold,
      predicted,
      correct,
      precision: predicted ? correct / predicted : 1,
      recall: positives ? correct / positives : 1,
      exactRecall: exactTotal ? exactHits / exactTotal : 1,
      nearRecallByRate: nearHits.map((h, b) => (nearTotal[b] ? h / nearTotal[b] : 1)),
      hardNegativeFalsePositives: hardFp,
      addSeconds,
    });
  }

  const counts = { records: records.length, positives, bytes };
  console.log(
    `dedup eval: ${records.length} records (${(bytes / 1e6).toFixed(1)} MB), ${positives} should be flagged; ` +
      `shingle ${sketchOptions.shingle}, bands ${sketchOptions.bands}, rows ${sketchOptions.rows}; ` +
      `sketching ${(bytes / 1e6 / sketchSeconds).toFixed(1)} MB/s`,
  );
  const head = [
    'threshold',
    'precision',
    'recall',
    'exact',
    ...BUCKETS.slice(0, 4).map((b, i) => `near ${b * 100}-${BUCKETS[i + 1] * 100}%`),
    'hard-neg FP',
  ];
  console.log(head.map((h) => h.padEnd(12)).join(''));
  for (const r of rows) {
    const cells = [
      r.threshold.toFixed(2),
      r.precision.toFixed(4),
      r.recall.toFixed(4),
      r.exactRecall.toFixed(4),
      ...r.nearRecallByRate.map((x) => x.toFixed(4)),
      String(r.hardNegativeFalsePositives),
    ];
    console.log(cells.map((c) => c.padEnd(12)).join(''));
  }
  if (values.json) writeFileSync(values.json, `${JSON.stringify({ options: sketchOptions, counts, rows }, null, 2)}\n`);
}

/** Precision / recall on a generated corpus, records sketched as the scan sketches them. */
async function corpusEval(dir: string): Promise<void> {
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Truth;
  const skip = new Set(truth.low_quality);
  const planted = new Set([...truth.near_duplicates, ...truth.exact_duplicates].map((d) => d.id));
  const backdoor = new Set(truth.backdoor.ids);
  const sketcher = createSketcher();
  const sketches: Uint8Array[] = [];
  const ids: string[] = [];
  const input = createInterface({ input: createReadStream(join(dir, 'corpus.jsonl')), crlfDelay: Infinity });
  for await (const line of input) {
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue; // the planted malformed lines
    }
    if (skip.has(String(value.id))) continue;
    const shape = detectShape(value);
    const slots = textsOf(value, shape);
    const n = promptSlotCount(shape, slots);
    let promptLength = -1;
    if (n > 0) promptLength = n - 1 + slots.slice(0, n).reduce((a, s) => a + s.text.length, 0);
    sketches.push(sketcher.sketch(slots.map((s) => s.text).join('\n'), promptLength));
    ids.push(String(value.id));
  }
  console.log(`${dir}: ${ids.length} records sketched, ${planted.size} planted duplicates`);
  const diffs = [-1, ...(values['prompt-diff'] ?? String(DEDUP_DEFAULTS.promptDiff)).split(',').map(Number)];
  for (const promptDiff of diffs) {
    // -1: prompts ignored (the index treats every pair of prompts as alike)
    const index = new DedupIndex({ promptDiff: Math.max(0, promptDiff), expectedRepresentatives: ids.length });
    let predicted = 0;
    let correct = 0;
    let backdoorFp = 0;
    for (let i = 0; i < sketches.length; i++) {
      let s = sketches[i];
      if (promptDiff < 0) {
        s = Uint8Array.from(s);
        s[1] &= ~SKETCH_FLAG_PROMPT;
      }
      const d = index.add(i, s);
      if (d.kind === 'unique') continue;
      predicted++;
      if (planted.has(ids[i])) correct++;
      else if (backdoor.has(ids[i])) backdoorFp++;
    }
    console.log(
      JSON.stringify({
        prompts: promptDiff < 0 ? 'ignored' : `promptDiff ${promptDiff}`,
        flagged: predicted,
        precision: Number((correct / Math.max(1, predicted)).toFixed(4)),
        recall: Number((correct / Math.max(1, planted.size)).toFixed(4)),
        false_positives: predicted - correct,
        of_them_backdoor_records: backdoorFp,
      }),
    );
  }
}
