/**
 * What the guard's known-value pass costs per message (`src/guard/known-values.ts`): every value the vault holds,
 * replaced wherever a message writes it again. Baseline in the same process: the PII patterns alone
 * (`scanText` with the `pii` detector, `fast`) on the same ~1 KB texts, which `checkInput` runs on every user
 * message anyway. The vault holds five values (two names, an e-mail, a phone number, a town).
 *
 *   npm run bench:known-values [-- --time 3000]
 */
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';
import { buildCorpus } from './corpus.js';

// Measure what ships: the compiled build (`npm run bench:known-values` builds it first).
const lib = (await import(new URL('../dist/index.js', import.meta.url).href)) as typeof import('../src/index.js');
const { knownValues, replaceKnownValues } = (await import(
  new URL('../dist/guard/known-values.js', import.meta.url).href
)) as typeof import('../src/guard/known-values.js');

const { values } = parseArgs({ options: { time: { type: 'string', default: '3000' } } });
const texts = buildCorpus(512 * 1024)
  .map((d) => d.slice(0, 1024))
  .filter((d) => d.length === 1024);
const vault = new lib.Vault();
for (const [label, value] of [
  ['PERSON', 'Ada Lovelace'],
  ['PERSON', 'Bob Marsh'],
  ['EMAIL_ADDRESS', 'ada@example.com'],
  ['PHONE_NUMBER', '+44 20 7946 0958'],
  ['LOCATION', 'Leeds'],
]) {
  vault.tagFor(label, value);
}
const replace = knownValues(vault) as (text: string) => string;
let i = 0;
const next = () => texts[i++ % texts.length];
const bench = new Bench({ time: Number(values.time), warmup: true });
bench
  .add('pii patterns on a 1 KB message (baseline)', () => {
    lib.scanText(next(), { detectors: [lib.piiDetector], fast: true });
  })
  .add('known values on a 1 KB message, the values read per call (replaceKnownValues)', () => {
    replaceKnownValues(next(), vault);
  })
  .add('known values on a 1 KB message, the values read once per request (knownValues, as checkInput does)', () => {
    replace(next());
  });
await bench.run();
const p50 = bench.tasks.map(
  (t) => (t.result as { latency?: { p50?: number } } | undefined)?.latency?.p50 ?? Number.NaN,
);
const p99 = bench.tasks.map(
  (t) => (t.result as { latency?: { p99?: number } } | undefined)?.latency?.p99 ?? Number.NaN,
);
console.log('| task | p50 ms | p99 ms |\n|---|---|---|');
for (const [k, t] of bench.tasks.entries()) console.log(`| ${t.name} | ${p50[k].toFixed(4)} | ${p99[k].toFixed(4)} |`);
console.log(
  `known values / baseline, p50: ${(p50[1] / p50[0]).toFixed(2)}× per call, ${(p50[2] / p50[0]).toFixed(2)}× read once`,
);
