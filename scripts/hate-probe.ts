// Development probe of the `toxicity` classifier: `data/probes/hate-functional.jsonl`, 260 cases in 26
// functionalities of a functional hate-speech test suite (12 hateful: derogation, dehumanisation, threats,
// negated praise, questions, spelling variations, …; 14 not hateful: negated hate, counter-speech, neutral and
// positive mentions, abuse of non-protected targets, profanity, …), written by a separate author who saw neither
// the training data nor the generators; never trained on. `--file hate-functional-2.jsonl` scores the second
// such probe (280 cases in 28 functionalities), written by another author after `toxicity` v3 and used to tune
// nothing. Prints accuracy per functionality at the model's default threshold.
// Usage: npx tsx scripts/hate-probe.ts [--models DIR] [--file NAME] [--show]
import { parseArgs } from 'node:util';
import { loadLocalClassifier } from '../src/models/classify/index.js';
import { readProbe } from './probe-rows.js';

const { values } = parseArgs({
  options: {
    models: { type: 'string' },
    file: { type: 'string', default: 'hate-functional.jsonl' },
    show: { type: 'boolean', default: false },
  },
});
const classifier = loadLocalClassifier('toxicity', values.models ? { modelsDir: values.models } : {});

interface ProbeRow {
  id: string;
  label: boolean;
  functionality: string;
  text: string;
}
const rows = readProbe<ProbeRow>(values.file);

const byFunctionality = new Map<string, { label: boolean; n: number; right: number }>();
const wrong: string[] = [];
for (const r of rows) {
  const flagged = classifier.classifySync(r.text).label;
  const k = byFunctionality.get(r.functionality) ?? { label: r.label, n: 0, right: 0 };
  k.n++;
  if (flagged === r.label) k.right++;
  else wrong.push(`${r.label ? 'missed ' : 'flagged'} ${r.id}: ${r.text}`);
  byFunctionality.set(r.functionality, k);
}
console.log(`${classifier.id}\n\n| functionality | hateful | right |\n|---|---|---|`);
for (const [f, k] of byFunctionality) console.log(`| ${f} | ${k.label ? 'yes' : 'no'} | ${k.right}/${k.n} |`);
const right = [...byFunctionality.values()].reduce((a, k) => a + k.right, 0);
console.log(`\naccuracy ${right}/${rows.length} (${(right / rows.length).toFixed(3)})`);
if (values.show) console.log(wrong.join('\n'));
