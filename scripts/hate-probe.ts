// Development probe of the `toxicity` classifier: `data/probes/hate-functional.jsonl`, 260 cases in 26
// functionalities of a functional hate-speech test suite (12 hateful: derogation, dehumanisation, threats,
// negated praise, questions, spelling variations, …; 14 not hateful: negated hate, counter-speech, neutral and
// positive mentions, abuse of non-protected targets, profanity, …), written by a separate author who saw neither
// the training data nor the generators; never trained on. `--file hate-functional-2.jsonl` scores the second
// such probe (280 cases in 28 functionalities), written by another author after `toxicity` v3 and used to tune
// nothing. Prints accuracy per functionality at the model's default threshold. `--spelling` also misspells the
// hateful rows the model catches (a functional suite's spelling variations: the longest word's letters swapped,
// one dropped, spaced out, in leetspeak; the first two words run together) and prints how many stay caught.
// Usage: npx tsx scripts/hate-probe.ts [--models DIR] [--file NAME] [--show] [--spelling]
import { parseArgs } from 'node:util';
import { loadLocalClassifier } from '../src/models/classify/index.js';
import { readProbe } from './probe-rows.js';

const { values } = parseArgs({
  options: {
    models: { type: 'string' },
    file: { type: 'string', default: 'hate-functional.jsonl' },
    show: { type: 'boolean', default: false },
    spelling: { type: 'boolean', default: false },
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

/** Misspellings of a word (k picks the position, deterministically). */
const MISSPELL: Record<string, (w: string, k: number) => string> = {
  'letters swapped': (w, k) => {
    const i = 1 + (k % (w.length - 2));
    return w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
  },
  'letter dropped': (w, k) => {
    const i = 1 + (k % (w.length - 2));
    return w.slice(0, i) + w.slice(i + 1);
  },
  'spaced out': (w) => w.split('').join(' '),
  leetspeak: (w) => w.replace(/a/g, '4').replace(/e/g, '3').replace(/i/g, '1').replace(/o/g, '0'),
};
if (values.spelling) {
  const caught = rows.filter((r) => r.label && classifier.classifySync(r.text).label);
  const kept = (variant: (text: string, k: number) => string) =>
    caught.filter((r, k) => classifier.classifySync(variant(r.text, k)).label).length;
  const line = (name: string, n: number) =>
    console.log(`| ${name} | ${n}/${caught.length} (${((100 * n) / caught.length).toFixed(1)}%) |`);
  console.log(`\nhateful rows caught clean: ${caught.length}\n\n| misspelling | still caught |\n|---|---|`);
  for (const [name, fn] of Object.entries(MISSPELL)) {
    line(
      name,
      kept((text, k) => {
        const words = text.match(/[A-Za-z]{5,}/g) ?? [];
        if (words.length === 0) return text;
        const w = words.reduce((a, b) => (b.length > a.length ? b : a));
        return text.replace(w, fn(w, k));
      }),
    );
  }
  line(
    'first two words run together',
    kept((text) => text.replace(/^(\S+) (\S+)/, '$1$2')),
  );
}
