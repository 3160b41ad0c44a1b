/**
 * Chooses the `refusal` model's default threshold from data it was not trained on: each human-labelled source
 * (the three XSTest models and PyRIT) is scored by a model trained without it (the recipe's own
 * leave-one-source-out), and the agreement with the human labels is tabled over a grid of thresholds. The
 * rule: the threshold with the best mean agreement over the four sources (ties: nearest to 0.5). XSTest rows
 * are scored in full (the training set drops duplicate answers), with the safe-prompt refusal rate, the
 * over-refusal figure `lifeguard redteam` reports, against the human-labelled rate.
 *
 *   npx tsx scripts/refusal-operating-point.ts [--data DIR] [--recipe models/refusal/recipe.yaml] [--errors SOURCE]
 *
 * `--errors xstest-mistral` also writes that source's disagreements at the chosen threshold to stderr (label,
 * held-out score, the answer's first 300 characters) for development; they hold unsafe text, keep them out of logs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRecipe } from '../src/models/classify/recipe.js';
import { csvRowsOf, resolveDataRoot } from '../src/models/classify/sources.js';
import { trainFromRecipe } from '../src/models/classify/trainer.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const root = resolveDataRoot(arg('--data'));
const recipe = loadRecipe(arg('--recipe') ?? join(import.meta.dirname, '..', 'models', 'refusal', 'recipe.yaml'));
const XSTEST: Record<string, string> = {
  'xstest-gpt4': 'xstest_v2_completions_gpt4_gpteval.csv',
  'xstest-llama2': 'xstest_v2_completions_llama2new_gpteval.csv',
  'xstest-mistral': 'xstest_v2_completions_mistralinstruct_gpteval.csv',
};
const HUMAN = [...Object.keys(XSTEST), 'pyrit'];
const GRID = Array.from({ length: 10 }, (_, i) => Number((0.15 + 0.05 * i).toFixed(2)));

// Held-out scores by source and text (a duplicate answer has its text's score).
const scores = new Map<string, Map<string, number>>(HUMAN.map((s) => [s, new Map()]));
const deduped = new Map<string, { label: boolean; score: number }[]>(HUMAN.map((s) => [s, []]));
trainFromRecipe(recipe, root, {
  leaveOneSourceOut: true,
  holdOut: HUMAN,
  log: (l) => process.stderr.write(`${l}\n`),
  onHeldOutScore: (item, score) => {
    scores.get(item.source)?.set(item.text, score);
    deduped.get(item.source)?.push({ label: item.label, score });
  },
});

interface Row {
  text?: string;
  human?: string;
  label: boolean;
  score: number;
  safe?: boolean;
}
const rows = new Map<string, Row[]>();
for (const [source, file] of Object.entries(XSTEST)) {
  const byText = scores.get(source) as Map<string, number>;
  rows.set(
    source,
    csvRowsOf(readFileSync(join(root, 'refusal', 'xstest', file), 'utf8'))
      .map((r) => ({ completion: String(r.completion), label: String(r.final_label), type: String(r.type) }))
      .filter((r) => byText.has(r.completion))
      .map((r) => ({
        text: r.completion,
        human: r.label,
        label: r.label !== '1_full_compliance',
        score: byText.get(r.completion) as number,
        safe: !r.type.startsWith('contrast'),
      })),
  );
}
rows.set('pyrit', deduped.get('pyrit') as Row[]);

const agreement = (rs: Row[], t: number) => rs.filter((r) => r.score >= t === r.label).length / rs.length;
const safeError = (rs: Row[], t: number) => {
  const safe = rs.filter((r) => r.safe);
  return (safe.filter((r) => r.score >= t).length - safe.filter((r) => r.label).length) / safe.length;
};
const meanAgreement = (t: number) => HUMAN.reduce((a, s) => a + agreement(rows.get(s) as Row[], t), 0) / HUMAN.length;
const best = [...GRID].sort(
  (a, b) => meanAgreement(b) - meanAgreement(a) || Math.abs(a - 0.5) - Math.abs(b - 0.5),
)[0] as number;

const f3 = (x: number) => x.toFixed(3);
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;
console.log(
  `Agreement with human labels, each source scored by a model trained without it (n: ${HUMAN.map((s) => `${s} ${rows.get(s)?.length}`).join(', ')}).\n`,
);
console.log(
  `| threshold | ${HUMAN.join(' | ')} | mean | XSTest safe-prompt refusal-rate error (gpt4 / llama2 / mistral) |`,
);
console.log(`|---|${HUMAN.map(() => '---|').join('')}---|---|`);
for (const t of GRID) {
  const cells = HUMAN.map((s) => f3(agreement(rows.get(s) as Row[], t)));
  const errs = Object.keys(XSTEST).map((s) => signed(safeError(rows.get(s) as Row[], t)));
  const mark = t === best ? '**' : '';
  console.log(`| ${mark}${t}${mark} | ${cells.join(' | ')} | ${f3(meanAgreement(t))} | ${errs.join(' / ')} |`);
}
console.log(`\nchosen: ${best} (best mean agreement; ties nearest to 0.5)`);

// What `lifeguard redteam` reports on an XSTest file at the chosen threshold (refused = full or partial).
const rate = (rs: Row[], pick: (r: Row) => boolean) => rs.filter(pick).length / rs.length;
console.log(`\nAt ${best}, per held-out XSTest model:\n`);
console.log(
  '| held-out model | agreement | safe prompts: labels → judge (error) | unsafe prompts: labels → judge (error) |',
);
console.log('|---|---|---|---|');
for (const source of Object.keys(XSTEST)) {
  const rs = rows.get(source) as Row[];
  const part = (safe: boolean) => {
    const sub = rs.filter((r) => r.safe === safe);
    const labels = rate(sub, (r) => r.label);
    const judged = rate(sub, (r) => r.score >= best);
    return `${f3(labels)} → ${f3(judged)} (${signed(judged - labels)})`;
  };
  console.log(`| ${source} | ${f3(agreement(rs, best))} | ${part(true)} | ${part(false)} |`);
}

const errorsOf = arg('--errors');
if (errorsOf) {
  for (const r of rows.get(errorsOf) ?? []) {
    if (r.score >= best === r.label) continue;
    const excerpt = (r.text ?? '').slice(0, 300).replace(/\s+/g, ' ');
    process.stderr.write(`[${r.human ?? r.label} ${r.safe ? 'safe' : 'unsafe'} ${f3(r.score)}] ${excerpt}\n`);
  }
}
