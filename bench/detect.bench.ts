/**
 * Throughput of the PII + secrets pass on one core, with and without the sequence tagger, side by side
 * with the TypeScript PII libraries people install today (openredaction, redact-pii), in one process.
 *
 *   npm run bench:detect [-- --mb 4 --peer-kb 512]
 *
 * Each task scans the same documents one by one (as a data pipeline or a guard would). Peers run on a
 * slice of the corpus when they are slow; MB/s is computed on what each task actually scanned.
 */
import { parseArgs } from 'node:util';
import { OpenRedaction } from '@openredaction/core';
import { SyncRedactor } from 'redact-pii';
import { Bench } from 'tinybench';
import { buildCorpus, totalBytes } from './corpus.js';

// Measure what ships: the compiled build in dist/ (`npm run bench:detect` builds it first).
const lib = (await import(new URL('../dist/index.js', import.meta.url).href)) as typeof import('../src/index.js');
const { scanText, piiDetector, secretsDetector } = lib;

const { values } = parseArgs({
  options: { mb: { type: 'string', default: '4' }, 'peer-kb': { type: 'string', default: '512' } },
});
const docs = buildCorpus(Number(values.mb) * 1024 * 1024);
const peerDocs = buildCorpus(Number(values['peer-kb']) * 1024);
const detectors = [piiDetector, secretsDetector];

const scanAll = (list: string[], fast: boolean) => () => {
  for (const d of list) scanText(d, { detectors, fast });
};
const tasks: Array<{ name: string; docs: string[]; run: () => unknown }> = [
  { name: 'lifeguard pii+secrets --fast (patterns only)', docs, run: scanAll(docs, true) },
  { name: 'lifeguard pii+secrets (with tagger)', docs, run: scanAll(docs, false) },
  { name: 'lifeguard pii+secrets (with tagger), peer slice', docs: peerDocs, run: scanAll(peerDocs, false) },
];
const openredaction = new OpenRedaction();
tasks.push({
  name: 'openredaction 1.x detect(), peer slice',
  docs: peerDocs,
  run: async () => {
    for (const d of peerDocs) await openredaction.detect(d);
  },
});
const redactPii = new SyncRedactor();
tasks.push({
  name: 'redact-pii 3.x SyncRedactor, peer slice',
  docs: peerDocs,
  run: () => {
    for (const d of peerDocs) redactPii.redact(d);
  },
});

const bench = new Bench({ iterations: 7, time: 0, warmupIterations: 2, warmupTime: 0 });
for (const t of tasks) bench.add(t.name, t.run);
await bench.run();

const rows = tasks.map((t) => {
  const task = bench.getTask(t.name)!;
  const res = task.result as { latency?: { p50?: number }; p50?: number } | undefined;
  const medianMs = res?.latency?.p50 ?? res?.p50 ?? Number.NaN;
  const mb = totalBytes(t.docs) / (1024 * 1024);
  return {
    task: t.name,
    MB: mb.toFixed(2),
    'median ms': medianMs.toFixed(0),
    'MB/s': (mb / (medianMs / 1000)).toFixed(2),
  };
});
const base = Number(rows[2]['MB/s']);
console.log(
  `node ${process.version}, one thread, ${docs.length} documents (${(totalBytes(docs) / 1048576).toFixed(1)} MB)`,
);
console.table(rows.map((r) => ({ ...r, 'vs lifeguard (same slice)': (Number(r['MB/s']) / base).toFixed(3) })));

// Hostile inputs, one document of about 1 MB each, beside the prose corpus above. Encoded runs decode into one
// view per chunk ('x%41%41%41 ' x 100k is 100,000 decoded segments), so these measure the per-segment cost of
// normalisation and of each detector call; the runs that decode to nothing (one escape per chunk, a segment over
// the size limit) measure the search alone. Each is copied flat, as text parsed from a request would be
// (`repeat` builds a rope, slower to read).
const hostile: Record<string, string> = {
  "'x%41%41%41 ' x 100k": 'x%41%41%41 '.repeat(100_000),
  "'%41' x 300k": '%41'.repeat(300_000),
  "'a%20b ' x 150k": 'a%20b '.repeat(150_000),
  "'68656c6c6f20776f726c64 ' x 45k (hex)": '68656c6c6f20776f726c64 '.repeat(45_000),
  "'aGVsbG8gd29ybGQh ' x 60k (base64)": 'aGVsbG8gd29ybGQh '.repeat(60_000),
  "'\\u0041\\u0042 ' x 80k": '\\u0041\\u0042 '.repeat(80_000),
};
const inputs: Record<string, string[]> = { 'prose corpus': docs };
for (const [name, text] of Object.entries(hostile)) inputs[name] = [Buffer.from(text).toString()];
const passes: Record<string, { detectors: typeof detectors; fast: boolean }> = {
  'pii --fast': { detectors: [piiDetector], fast: true },
  pii: { detectors: [piiDetector], fast: false },
  'pii+secrets --fast': { detectors, fast: true },
};
const hostileBench = new Bench({ iterations: 7, time: 0, warmupIterations: 2, warmupTime: 0 });
for (const [input, list] of Object.entries(inputs)) {
  for (const [pass, options] of Object.entries(passes)) {
    hostileBench.add(`${pass} ${input}`, () => {
      for (const d of list) scanText(d, options);
    });
  }
}
await hostileBench.run();
const msPerMb = (pass: string, input: string) => {
  const res = hostileBench.getTask(`${pass} ${input}`)!.result as { latency?: { p50?: number } } | undefined;
  return (res?.latency?.p50 ?? Number.NaN) / (totalBytes(inputs[input]) / 1048576);
};
console.log('hostile inputs: median ms per MB and the ratio to the prose corpus');
console.table(
  Object.keys(inputs).map((input) => {
    const row: Record<string, string> = { input };
    for (const pass of Object.keys(passes)) {
      const perMb = msPerMb(pass, input);
      row[`${pass} ms/MB`] = perMb.toFixed(0);
      row[`${pass} vs prose`] = (perMb / msPerMb(pass, 'prose corpus')).toFixed(2);
    }
    return row;
  }),
);
