// The injection classifier on benign prompts that use the attacks' words (earlier turns, everyday verbs,
// role prompts, talk about security, quoted attack strings, developer questions, other languages) and on
// injections in the same everyday register: `data/probes/injection-triggers.jsonl`, our own prompts, written
// before the changes they were used to check and never trained on. A dev probe, not an independent benchmark.
// Usage: npx tsx scripts/trigger-probe.ts [--models DIR] [--show]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadLocalClassifier } from '../src/models/classify/index.js';

const { values } = parseArgs({ options: { models: { type: 'string' }, show: { type: 'boolean', default: false } } });
const classifier = loadLocalClassifier('injection', values.models ? { modelsDir: values.models } : {});
const rows = readFileSync(join(import.meta.dirname, '../data/probes/injection-triggers.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { id: string; label: boolean; kind: string; text: string });

const byKind = new Map<string, { label: boolean; n: number; flagged: number }>();
for (const row of rows) {
  const r = classifier.classifySync(row.text);
  const key = `${row.label ? 'injection' : 'benign'} / ${row.kind}`;
  const k = byKind.get(key) ?? { label: row.label, n: 0, flagged: 0 };
  k.n++;
  if (r.label) k.flagged++;
  byKind.set(key, k);
  if (values.show && r.label !== row.label) console.log(`${row.id} ${r.score.toFixed(2)} ${row.text.slice(0, 100)}`);
}
console.log(`| prompts | n | flagged |\n|---|---|---|`);
for (const [key, k] of [...byKind].sort()) console.log(`| ${key} | ${k.n} | ${k.flagged} |`);
const total = (label: boolean) =>
  [...byKind.values()].filter((k) => k.label === label).reduce((a, k) => [a[0] + k.flagged, a[1] + k.n], [0, 0]);
const [fp, negatives] = total(false);
const [tp, positives] = total(true);
console.log(
  `\n${classifier.id}: benign flagged ${fp}/${negatives} (${((100 * fp) / negatives).toFixed(1)}%), injections caught ${tp}/${positives} (${((100 * tp) / positives).toFixed(1)}%)`,
);
