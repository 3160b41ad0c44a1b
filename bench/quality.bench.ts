/**
 * Throughput of the document quality heuristics (src/data/quality.ts) on one core, per preset, on
 * instruction records from the benchmark corpus generator, beside a bare `charCodeAt` loop over the
 * same text (the ceiling for any single pass on this machine), plus one-shot timings on hostile inputs.
 *
 *   npx tsx bench/quality.bench.ts [--mb 8] [--seed 1]
 *
 * Each task checks the records one by one (prompt and response as one text), as a data pipeline would.
 * MB are UTF-8 megabytes (2^20 bytes) of the checked text; the median of 7 timed runs is reported.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';
import { generateCorpus } from '../scripts/gen-corpus.js';
import { checkQuality, compileQualityOptions, type QualityPreset } from '../src/data/quality.js';

const { values } = parseArgs({
  options: { mb: { type: 'string', default: '8' }, seed: { type: 'string', default: '1' } },
});

const dir = mkdtempSync(join(tmpdir(), 'lg-quality-bench-'));
const t0 = performance.now();
const truth = await generateCorpus({ out: dir, size: `${values.mb}MB`, seed: Number(values.seed) });
const genSeconds = (performance.now() - t0) / 1000;
const docs: string[] = [];
for (const line of readFileSync(join(dir, 'corpus.jsonl'), 'utf8').split('\n')) {
  try {
    const r = JSON.parse(line) as { prompt: string; response: string };
    docs.push(`${r.prompt}\n\n${r.response}`);
  } catch {
    // blank last line and the planted malformed lines
  }
}
rmSync(dir, { recursive: true, force: true });
const mb = docs.reduce((a, d) => a + Buffer.byteLength(d), 0) / 1048576;

let sink = 0;
const tasks: Array<{ name: string; run: () => void }> = [
  {
    name: 'baseline: bare charCodeAt loop',
    run: () => {
      let x = 0;
      for (const d of docs) for (let i = 0; i < d.length; i++) x += d.charCodeAt(i);
      sink += x;
    },
  },
];
for (const preset of ['lenient', 'gopher', 'c4'] as QualityPreset[]) {
  const compiled = compileQualityOptions({ preset });
  tasks.push({
    name: `checkQuality ${preset}`,
    run: () => {
      for (const d of docs) sink += checkQuality(d, compiled).failed.length;
    },
  });
}

const bench = new Bench({ iterations: 7, time: 0, warmupIterations: 2, warmupTime: 0 });
for (const t of tasks) bench.add(t.name, t.run);
await bench.run();

const rows = tasks.map((t) => {
  const res = bench.getTask(t.name)!.result as { latency?: { p50?: number } } | undefined;
  const medianMs = res?.latency?.p50 ?? Number.NaN;
  return {
    task: t.name,
    MB: mb.toFixed(2),
    'median ms': medianMs.toFixed(0),
    'MB/s': (mb / (medianMs / 1000)).toFixed(1),
  };
});
console.log(
  `node ${process.version}, one thread, ${docs.length} records (${mb.toFixed(1)} MB) from gen-corpus ` +
    `(generated ${(truth.bytes / 1048576).toFixed(1)} MB in ${genSeconds.toFixed(2)} s, ${(truth.bytes / 1048576 / genSeconds).toFixed(1)} MB/s, chain building included)`,
);
console.table(rows);

// Hostile inputs: one 1 MB document each, median of 3 runs per preset.
const MB = 1 << 20;
let seed = 7;
const rand = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
};
const SYMBOLS = '!@#$%^&*(){}[]<>?/|\\~`.,;:\'"-_=+ \n';
const hostile: Record<string, string> = {
  '1 MB of one character': 'a'.repeat(MB),
  '1 MB without spaces': Array.from({ length: MB }, () => String.fromCharCode(97 + Math.floor(rand() * 26))).join(''),
  '1 MB of random symbols': Array.from({ length: MB }, () => SYMBOLS[Math.floor(rand() * SYMBOLS.length)]).join(''),
  '100k lines': Array.from({ length: 100_000 }, (_, i) => `line ${i % 100}`).join('\n'),
  '512k one-letter words': 'a '.repeat(MB / 2),
};
const hostileRows = Object.entries(hostile).map(([name, text]) => {
  const row: Record<string, string> = { input: name };
  for (const preset of ['lenient', 'gopher', 'c4'] as QualityPreset[]) {
    const compiled = compileQualityOptions({ preset });
    const times: number[] = [];
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      sink += checkQuality(text, compiled).failed.length;
      times.push(performance.now() - t);
    }
    row[`${preset} ms`] = times.sort((a, b) => a - b)[1].toFixed(1);
  }
  return row;
});
console.table(hostileRows);
if (sink === 42) console.log('');
