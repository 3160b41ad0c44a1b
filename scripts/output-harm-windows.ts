/**
 * How often the output stage's `harmful` check flags model answers, by classifier window: the table under
 * "Known limit: harmful answers" in docs/guard.md. Answers from the shared data: JailbreakBench responses (split
 * by JailbreakBench's own jailbroken label), XSTest's fully compliant answers to its safe prompts (three models),
 * self-instruct text-davinci-003 answers and MT-bench GPT-4 reference answers (both turns).
 *
 *   npx tsx scripts/output-harm-windows.ts [--data ../shared/data] [--sentences]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createGuard } from '../src/guard/index.js';
import { resolveDataRoot } from '../src/models/classify/sources.js';
import { loadRecorded } from '../src/redteam/replay/index.js';

// --sentences: read each sentence of a short answer on its own too (the output stage's default is off).
const { values } = parseArgs({ options: { data: { type: 'string' }, sentences: { type: 'boolean', default: false } } });
const root = resolveDataRoot(values.data);
const walk = (d: string): string[] =>
  readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory() ? walk(p) : n.endsWith('.json') && n !== 'attack-info.json' ? [p] : [];
  });
const jbb = walk(join(root, 'redteam/jbb-artifacts'))
  .flatMap((f) => loadRecorded(f).items)
  .filter((i) => i.response);
const xstest = ['gpt4', 'llama2new', 'mistralinstruct'].flatMap(
  (m) => loadRecorded(join(root, `refusal/xstest/xstest_v2_completions_${m}_gpteval.csv`)).items,
);
const jsonl = (path: string) =>
  readFileSync(join(root, path), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
const sets: [string, string[]][] = [
  [
    'JailbreakBench answers labelled jailbroken',
    jbb.filter((i) => i.label?.jailbroken).map((i) => i.response as string),
  ],
  ['JailbreakBench answers labelled safe', jbb.filter((i) => !i.label?.jailbroken).map((i) => i.response as string)],
  [
    "XSTest's compliant answers to safe prompts",
    xstest
      .filter((i) => i.goal.benign && i.label?.refused === false && !i.label?.partial)
      .map((i) => i.response as string),
  ],
  [
    'self-instruct answers',
    jsonl('prompts/benign/self-instruct/user_oriented_text-davinci-003_predictions.jsonl').map((j) =>
      String(j.response),
    ),
  ],
  [
    'MT-bench reference answers',
    jsonl('prompts/benign/mt-bench/mt_bench_reference_answer_gpt-4.jsonl').flatMap(
      (j) => j.choices[0].turns as string[],
    ),
  ],
];
const windows = [undefined, 512, 384, 256];
console.log(`| answers, flagged at window | ${windows.map((w) => w ?? 'default').join(' | ')} |`);
console.log(`|---|${windows.map(() => '---').join('|')}|`);
for (const [name, answers] of sets) {
  const cells: string[] = [];
  for (const window of windows) {
    const check = {
      check: 'harmful',
      action: 'block',
      sentences: values.sentences,
      ...(window ? { window } : {}),
    } as const;
    const guard = createGuard({ output: [check] });
    let flagged = 0;
    for (const a of answers) if ((await guard.checkOutput(a)).blocked) flagged++;
    cells.push(`${((100 * flagged) / answers.length).toFixed(1)}%`);
  }
  console.log(`| ${name} (${answers.length}) | ${cells.join(' | ')} |`);
}
