/**
 * Deduplication speed and memory: sketching throughput on one core (the worker side) and the index's
 * add rate and memory per representative (the main-thread side).
 *
 *   npx tsx bench/dedup.bench.ts [--mb 8] [--reps 1000000]
 *
 * Sketching runs over the shared benchmark corpus (bench/corpus.ts; MB = 2^20 bytes of UTF-8), one
 * document at a time: the defaults (WebAssembly SIMD MinHash kernel), the same with the JavaScript loop,
 * and the 16 × 8 / 5-word-shingle settings for comparison.
 * The index part adds `--reps` synthetic distinct sketches (random signatures) and reports
 * `memoryBytes()` per representative, with the tables growing from their initial size.
 */
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';
import {
  createSketcher,
  DEDUP_DEFAULTS,
  DedupIndex,
  type DedupOptions,
  encodeSketch,
} from '../src/data/dedup/index.js';
import { buildCorpus, totalBytes } from './corpus.js';

const { values } = parseArgs({
  options: { mb: { type: 'string', default: '8' }, reps: { type: 'string', default: '1000000' } },
});
const docs = buildCorpus(Number(values.mb) * 1024 * 1024);
const mb = totalBytes(docs) / (1024 * 1024);

const configs: Array<{ name: string; options: DedupOptions; engine?: 'js' }> = [
  {
    name: `sketch, defaults (shingle ${DEDUP_DEFAULTS.shingle}, ${DEDUP_DEFAULTS.bands} × ${DEDUP_DEFAULTS.rows})`,
    options: {},
  },
  { name: 'sketch, defaults, JavaScript MinHash loop', options: {}, engine: 'js' },
  { name: 'sketch, shingle 5, 16 × 8', options: { shingle: 5, bands: 16, rows: 8 } },
];
const bench = new Bench({ iterations: 7, time: 0, warmupIterations: 2, warmupTime: 0 });
for (const c of configs) {
  const sketcher = createSketcher(c.options, c.engine);
  const out = new Uint8Array(sketcher.bytes);
  bench.add(c.name, () => {
    for (const d of docs) sketcher.sketchInto(d, out);
  });
}
await bench.run();
console.log(`node ${process.version}, one thread, ${docs.length} documents (${mb.toFixed(1)} MB)`);
console.table(
  configs.map((c) => {
    const res = bench.getTask(c.name)!.result as { latency?: { p50?: number; min?: number } } | undefined;
    const median = res?.latency?.p50 ?? Number.NaN;
    const best = res?.latency?.min ?? Number.NaN;
    return {
      task: c.name,
      'median ms': median.toFixed(0),
      'MB/s (median)': (mb / (median / 1000)).toFixed(1),
      'MB/s (best)': (mb / (best / 1000)).toFixed(1),
    };
  }),
);

// ---- index: memory per representative and add rate -------------------------------------------------------
const reps = Number(values.reps);
const perms = DEDUP_DEFAULTS.bands * DEDUP_DEFAULTS.rows;
const sig = new Uint8Array(perms);
let x = 2463534242;
const index = new DedupIndex();
let addMs = 0;
for (let i = 0; i < reps; i++) {
  for (let j = 0; j < perms; j++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    sig[j] = x & 0xff;
  }
  const sketch = encodeSketch({ exactHi: i, exactLo: Math.imul(i, 0x9e3779b1) >>> 0, signature: sig });
  const t = performance.now();
  index.add(i, sketch);
  addMs += performance.now() - t;
}
const bytes = index.memoryBytes();
console.table([
  {
    representatives: index.size,
    'memoryBytes() MB': (bytes / 1e6).toFixed(1),
    'bytes / representative': (bytes / index.size).toFixed(1),
    'adds / s': Math.round(reps / (addMs / 1000)),
    'heap used MB': (process.memoryUsage().heapUsed / 1e6).toFixed(1),
  },
]);
