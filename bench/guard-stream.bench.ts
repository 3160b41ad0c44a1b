/**
 * Cost of checking a long streamed answer: the default policy's stream checker fed an answer in 20-character
 * chunks. Baseline in the same process: the same checker reading the whole answer so far at every check (its
 * read-back set to infinity), as it did before the read-back was bounded. Median of `--runs` runs.
 *
 *   npm run bench:guard-stream [-- --runs 3]
 */
import { parseArgs } from 'node:util';

// Measure what ships: the compiled build (`npm run bench:guard-stream` builds it first).
const guardLib = (await import(
  new URL('../dist/guard/index.js', import.meta.url).href
)) as typeof import('../src/guard/index.js');

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const RUNS = Number(values.runs);
const SENTENCE =
  'The quarterly report shows steady growth in all regions, with particular strength in the northern markets. ';

async function streamOnce(guard: ReturnType<typeof guardLib.createGuard>, text: string): Promise<number> {
  const s = guard.stream({});
  const t0 = performance.now();
  for (let i = 0; i < text.length; i += 20) await s.push(text.slice(i, i + 20));
  await s.end();
  return performance.now() - t0;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const bounded = guardLib.createGuard();
const whole = guardLib.createGuard();
Object.defineProperty(whole, 'streamContextChars', { value: Number.POSITIVE_INFINITY });
await streamOnce(bounded, SENTENCE.repeat(40)); // warm-up

console.log('| answer | bounded read-back (ms, median) | whole answer at every check (ms, median) | ratio |');
console.log('|---|---|---|---|');
for (const kb of [4, 16, 64, 256]) {
  const text = SENTENCE.repeat(Math.ceil((kb * 1024) / SENTENCE.length));
  const b: number[] = [];
  for (let r = 0; r < RUNS; r++) b.push(await streamOnce(bounded, text));
  // The baseline is quadratic: 256 KB would take minutes per run, so it is measured up to 64 KB.
  const w: number[] = [];
  if (kb <= 64) for (let r = 0; r < RUNS; r++) w.push(await streamOnce(whole, text));
  const ratio = w.length ? `${(median(w) / median(b)).toFixed(1)}×` : '–';
  console.log(`| ${kb} KB | ${median(b).toFixed(0)} | ${w.length ? median(w).toFixed(0) : '–'} | ${ratio} |`);
}
console.log(`\n(Node ${process.version})`);
