/**
 * Does a framing change what `harmful` says of a request? The probe's harmful requests and their benign
 * look-alikes (`data/probes/harmful-behaviours*.jsonl`, written apart from the generators, never trained on)
 * are scored bare and inside each framing: the red-team converters that wrap a request (refusal suppression,
 * prefix injection, past tense) and the shipped jailbreak templates (`data/redteam/templates`, a seeded sample
 * per family, the request in the template's slot). A framing should move neither class: the request decides
 * whether it asks for harm, and the injection classifier is the one that reads the jailbreak.
 *
 *   npx tsx scripts/framing-probe.ts [--models DIR] [--task harmful] [--per-family 6] [--files a.jsonl,b.jsonl]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mulberry32 } from '../src/core/random.js';
import { loadLocalClassifier } from '../src/models/classify/local.js';
import type { ClassifierTask } from '../src/models/classify/types.js';
import { fillPrepared, prepareTemplate } from '../src/redteam/attacks/placeholders.js';
import { loadTemplates } from '../src/redteam/attacks/templates.js';
import { getConverter } from '../src/redteam/converters/index.js';

const { values } = parseArgs({
  options: {
    models: { type: 'string' },
    task: { type: 'string', default: 'harmful' },
    'per-family': { type: 'string', default: '6' },
    /** Probe files (in data/probes) of `{text, label}` lines: the default, the two harm probes. */
    files: { type: 'string', default: 'harmful-behaviours.jsonl,harmful-behaviours-2.jsonl' },
  },
});
const classifier = loadLocalClassifier(
  values.task as ClassifierTask,
  values.models ? { modelsDir: values.models } : {},
);
const probes = String(values.files)
  .split(',')
  .flatMap((f) =>
    readFileSync(join(import.meta.dirname, '..', 'data', 'probes', f), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { text: string; label: boolean }),
  );

const rand = mulberry32(7);
const framings: [string, (t: string) => string][] = [['bare', (t) => t]];
for (const id of ['refusal-suppression', 'prefix-injection', 'past-tense']) {
  const c = getConverter(id);
  framings.push([id, (t) => c.apply(t, rand)]);
}
const byFamily = new Map<string, ReturnType<typeof loadTemplates>>();
for (const r of loadTemplates()) byFamily.set(r.family, [...(byFamily.get(r.family) ?? []), r]);
const perFamily = Number(values['per-family']);
for (const [family, records] of [...byFamily].sort()) {
  const pick = mulberry32(11);
  const chosen = [...records]
    .sort(() => pick() - 0.5)
    .slice(0, perFamily)
    .map((r) => prepareTemplate(r.text));
  framings.push([
    `template:${family} (${chosen.length})`,
    (t) => fillPrepared(chosen[Math.floor(rand() * chosen.length)], t).text,
  ]);
}

console.log(
  `${classifier.id} at its default threshold ${classifier.threshold.toFixed(3)}; ${probes.length} probe requests\n`,
);
console.log('| framing | positives flagged | negatives flagged |');
console.log('|---|---|---|');
for (const [name, frame] of framings) {
  let tp = 0;
  let fp = 0;
  let pos = 0;
  let neg = 0;
  for (const p of probes) {
    const flagged = classifier.classifySync(frame(p.text)).label;
    if (p.label) {
      pos++;
      if (flagged) tp++;
    } else {
      neg++;
      if (flagged) fp++;
    }
  }
  const pct = (k: number, n: number) => `${k}/${n} (${((100 * k) / n).toFixed(1)}%)`;
  console.log(`| ${name} | ${pct(tp, pos)} | ${pct(fp, neg)} |`);
}
