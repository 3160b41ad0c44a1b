/**
 * One classifier task, two trained versions, the same texts, one process (tinybench interleaves them): what a
 * retrain cost per text. `--old` is a models folder holding the earlier `<task>/` (for example the v4 harmful
 * model out of git: `mkdir -p /tmp/v4/harmful && for f in model.json weights.bin; do git show
 * 74c16bd:models/harmful/$f > /tmp/v4/harmful/$f; done`). Texts: ~1 KB and ~400 characters of multi-sentence
 * prose, deterministic.
 *
 *   npm run build && npx tsx bench/classifier-versions.bench.ts --task harmful --old /tmp/v4 [--time 2000]
 */
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';
import { sentenceTexts } from './texts.js';

// Measure what ships: the compiled build.
const cls = (await import(
  new URL('../dist/models/classify/index.js', import.meta.url).href
)) as typeof import('../src/models/classify/index.js');

const { values } = parseArgs({
  options: {
    task: { type: 'string', default: 'harmful' },
    old: { type: 'string' },
    time: { type: 'string', default: '2000' },
  },
});
if (!values.old) throw new Error('--old <models dir holding the earlier version> is required');
const task = values.task as import('../src/models/classify/index.js').ClassifierTask;
const current = cls.loadLocalClassifier(task);
const earlier = cls.loadLocalClassifier(task, { modelsDir: values.old });

const bench = new Bench({ time: Number(values.time), warmup: true });
for (const [label, set] of [
  ['1 KB', sentenceTexts(200, 1024)],
  ['400 chars', sentenceTexts(200, 400)],
] as const) {
  let i = 0;
  bench.add(`${label}, ${earlier.id} (${values.old})`, () => {
    earlier.classifySync(set[i++ % set.length]);
  });
  let j = 0;
  bench.add(`${label}, ${current.id} (shipped)`, () => {
    current.classifySync(set[j++ % set.length]);
  });
}
await bench.run();
console.log('| texts | model | p50 ms | p99 ms | samples |');
console.log('|---|---|---|---|---|');
const p50: number[] = [];
for (const t of bench.tasks) {
  const r = t.result as { latency?: { p50?: number; p99?: number; samplesCount?: number } } | undefined;
  p50.push(r?.latency?.p50 ?? Number.NaN);
  const [texts, model] = t.name.split(', ');
  console.log(
    `| ${texts} | ${model} | ${(r?.latency?.p50 ?? Number.NaN).toFixed(3)} | ${(r?.latency?.p99 ?? Number.NaN).toFixed(3)} | ${r?.latency?.samplesCount ?? 0} |`,
  );
}
console.log(
  `\nratio shipped / earlier: 1 KB ${(p50[1] / p50[0]).toFixed(2)}×, 400 chars ${(p50[3] / p50[2]).toFixed(2)}× (Node ${process.version})`,
);
