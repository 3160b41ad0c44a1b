/**
 * Our classifiers against the TypeScript detectors people install today, in one process, on the same
 * texts: speed (per-text latency p50/p99 on ~1 KB texts, texts/s on one core) and quality (TPR/FPR on
 * each task's held-out test split from the shared data, at each detector's default setting).
 *
 *   npm run bench:classify [-- --n 2000 --data ../shared/data --no-quality]
 */
import { parseArgs } from 'node:util';
import { loadPeers, type PeerDetector, type PeerTask } from './peers/index.js';
import { sentenceTexts } from './texts.js';

// Measure what ships: the compiled build in dist/ (`npm run bench:classify` builds it first).
const cls = (await import(
  new URL('../dist/models/classify/index.js', import.meta.url).href
)) as typeof import('../src/models/classify/index.js');
const { loadLocalClassifier, loadRecipe, loadDataset, resolveDataRoot, CLASSIFIER_TASKS, defaultModelsDir } = cls;

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '2000' },
    data: { type: 'string' },
    'no-quality': { type: 'boolean', default: false },
    /** hai-guardrails' heuristic takes 0.2–2.4 s per text: keep the peer sample small. */
    'peer-n': { type: 'string', default: '30' },
    /** Texts per task in the quality table; every detector sees the same seeded sample. */
    'quality-n': { type: 'string', default: '600' },
    /** Comma list of peer package names to run (default: all); `none` for our classifiers only. */
    peers: { type: 'string' },
    /** Skip our own classifiers (to time a slow peer on its own). */
    'no-lifeguard': { type: 'boolean', default: false },
  },
});
const N = Number(values.n);

/** ~1 KB texts: prose-like sentences mixed with instruction-like ones, deterministic. */
function texts(n: number): string[] {
  return sentenceTexts(n, 1024, 1000);
}

/** A seeded sample, so every detector (and every run) sees the same texts. */
function sample<T>(items: T[], n: number): T[] {
  let x = 0x9e3779b9;
  const rand = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * Per-text latency in steady state: a warm-up pass (JIT, buffers), then `ROUNDS` timed passes; p50 / p99
 * are the medians over the rounds, so one pause from a neighbouring process does not set the figure.
 */
const ROUNDS = 3;
async function latency(name: string, fn: (t: string) => unknown | Promise<unknown>, list: string[]) {
  for (const t of list.slice(0, Math.min(list.length, 300))) await fn(t); // warm-up
  const p50s: number[] = [];
  const p99s: number[] = [];
  let total = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const times: number[] = [];
    const t0 = performance.now();
    for (const t of list) {
      const s = performance.now();
      await fn(t);
      times.push(performance.now() - s);
    }
    total += (performance.now() - t0) / 1000;
    times.sort((a, b) => a - b);
    p50s.push(quantile(times, 0.5));
    p99s.push(quantile(times, 0.99));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  process.stderr.write(`  ${name}: done\n`);
  return { name, n: list.length, p50: median(p50s), p99: median(p99s), perSec: (list.length * ROUNDS) / total };
}

const corpus = texts(N);
const speed = [];
for (const task of values['no-lifeguard'] ? [] : CLASSIFIER_TASKS) {
  const c = loadLocalClassifier(task);
  speed.push({ task, ...(await latency(`lifeguard ${task}`, (t) => c.classifySync(t), corpus)) });
}
const wanted = values.peers?.split(',').map((p) => p.trim());
const peers = (await loadPeers()).filter((p) => !wanted || wanted.includes(p.name));
const peerCorpus = corpus.slice(0, Number(values['peer-n']));
for (const p of peers) {
  for (const task of p.tasks)
    speed.push({ task, ...(await latency(`${p.name} ${task}`, (t) => p.check(task, t), peerCorpus)) });
}
console.log(`\n## Speed: ~1 KB texts, one core (${process.version}; models in ${defaultModelsDir()})\n`);
console.log(
  `Steady state: a 300-text warm-up, then ${ROUNDS} timed passes; p50 and p99 are the medians over the passes.\n`,
);
console.log('| task | detector | texts | p50 ms | p99 ms | texts/s |');
console.log('|---|---|---|---|---|---|');
for (const r of speed) {
  console.log(
    `| ${r.task} | ${r.name} | ${r.n} | ${r.p50.toFixed(3)} | ${r.p99.toFixed(3)} | ${r.perSec.toFixed(0)} |`,
  );
}

if (!values['no-quality']) {
  const root = resolveDataRoot(values.data);
  console.log(
    `\n## Quality: each task’s held-out test split (shared data; the same seeded sample of ≤ ${values['quality-n']} texts for every detector), default settings\n`,
  );
  console.log('| task | detector | positives | TPR | negatives | FPR |');
  console.log('|---|---|---|---|---|---|');
  for (const task of CLASSIFIER_TASKS) {
    const recipe = loadRecipe(`${defaultModelsDir()}/${task}/recipe.yaml`);
    const data = loadDataset(recipe, root);
    const items = sample(
      data.items.filter((_, i) => data.split[i] === 'test'),
      Number(values['quality-n']),
    );
    const c = loadLocalClassifier(task);
    const rows: { name: string; flag: (t: string) => Promise<boolean> }[] = [
      { name: `lifeguard ${task}`, flag: async (t) => c.classifySync(t).label },
    ];
    for (const p of peers as PeerDetector[]) {
      if ((p.tasks as readonly string[]).includes(task)) {
        rows.push({ name: p.name, flag: async (t) => (await p.check(task as PeerTask, t)).flagged });
      }
    }
    for (const r of rows) {
      let tp = 0;
      let pos = 0;
      let fp = 0;
      let neg = 0;
      for (const it of items) {
        const f = await r.flag(it.text);
        if (it.label) {
          pos++;
          if (f) tp++;
        } else {
          neg++;
          if (f) fp++;
        }
      }
      // A sample with one class (a small --quality-n) printed NaN for the other's rate.
      const rate = (k: number, n: number) => (n > 0 ? (k / n).toFixed(3) : '–');
      console.log(`| ${task} | ${r.name} | ${pos} | ${rate(tp, pos)} | ${neg} | ${rate(fp, neg)} |`);
    }
  }
}
