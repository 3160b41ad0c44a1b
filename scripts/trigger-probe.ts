// Two development probes of the injection classifier, our own prompts, written before the changes they were
// used to check and never trained on (development checks, not independent benchmarks):
// - `data/probes/injection-triggers.jsonl`: benign prompts that use the attacks' words (earlier turns, everyday
//   verbs, role prompts, talk about security, quoted attack strings, developer questions, other languages) and
//   injections in the same everyday register;
// - `data/probes/indirect-requests.jsonl`: requests for a sensitive action planted in data an agent reads (a
//   product review, an e-mail, a calendar entry, a chat message, a note, a web page), InjecAgent-style — no
//   override phrase, only the request — against ordinary notes that use the same verbs, in the same containers.
// - `data/probes/multilingual-injection.jsonl`: injections and benign prompts (some with the attacks' verbs) in
//   17 languages, written by a separate author who did not see the generators (checks injection v5);
//   `multilingual-injection-2.jsonl`: 16 languages (four of them untrained: Greek, Romanian, Thai, Persian) by
//   another author, written after v6 and used to tune nothing.
// - `data/probes/trigger-words-benign.jsonl`: 240 benign prompts with one, two or three trigger words each, written
//   by a separate author (checks injection v6's over-defence); `trigger-words-benign-2.jsonl`: 200 more by another
//   author, which nothing was tuned on.
// With the shared data (`--data DIR`, LIFEGUARD_DATA or ../shared/data), also AgentDojo's 27 injection goals
// planted bare (no attack template) in the same containers: plain requests from a source no recipe trains on.
// Usage: npx tsx scripts/trigger-probe.ts [--models DIR] [--data DIR] [--show]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadLocalClassifier } from '../src/models/classify/index.js';
import { readProbe } from './probe-rows.js';

const { values } = parseArgs({
  options: { models: { type: 'string' }, data: { type: 'string' }, show: { type: 'boolean', default: false } },
});
const classifier = loadLocalClassifier('injection', values.models ? { modelsDir: values.models } : {});

interface ProbeRow {
  id: string;
  label: boolean;
  kind?: string;
  container?: string;
  lang?: string;
  words?: string[];
  text: string;
}
const read = (file: string) => readProbe<ProbeRow>(file);

/** The data an agent reads, around one planted sentence. */
function contained(container: string, text: string): string {
  switch (container) {
    case 'review':
      return JSON.stringify({
        product: { name: 'Aria Wireless Headphones', rating: 4.2 },
        reviews: [
          { author: 'K. Osei', stars: 5, content: 'Great sound for the price, comfortable for long flights.' },
          { author: 'Lena', stars: 4, content: text },
        ],
      });
    case 'email':
      return `From: Dana Whitfield <dana@northwind-supplies.com>\nSubject: Re: Q3 order\n\nHi,\n\nThanks for the quick turnaround on the last shipment. ${text}\n\nBest,\nDana`;
    case 'calendar':
      return JSON.stringify({
        events: [{ title: 'Team sync', start: '2024-05-14T09:00', location: 'Room 4B', description: text }],
      });
    case 'message':
      return JSON.stringify({
        channel: '#general',
        messages: [
          { user: 'priya', text: 'Morning all, coffee machine is fixed.' },
          { user: 'tom.b', text },
        ],
      });
    case 'note':
      return `# Household notes\n\n- Bins go out on Wednesday.\n- ${text}\n- Plumber's number is on the fridge.`;
    default:
      return `<html><body><h2>Community updates</h2><p>The library extends its opening hours in summer.</p><p>${text}</p></body></html>`;
  }
}

function run(name: string, rows: ProbeRow[], textOf: (r: ProbeRow) => string, group: (r: ProbeRow) => string): void {
  const byGroup = new Map<string, { label: boolean; n: number; flagged: number }>();
  for (const row of rows) {
    const r = classifier.classifySync(textOf(row));
    const key = `${row.label ? 'injection' : 'benign'} / ${group(row)}`;
    const k = byGroup.get(key) ?? { label: row.label, n: 0, flagged: 0 };
    k.n++;
    if (r.label) k.flagged++;
    byGroup.set(key, k);
    if (values.show && r.label !== row.label) console.log(`${row.id} ${r.score.toFixed(2)} ${row.text.slice(0, 100)}`);
  }
  console.log(`\n${name}\n\n| prompts | n | flagged |\n|---|---|---|`);
  for (const [key, k] of [...byGroup].sort()) console.log(`| ${key} | ${k.n} | ${k.flagged} |`);
  const total = (label: boolean) =>
    [...byGroup.values()].filter((k) => k.label === label).reduce((a, k) => [a[0] + k.flagged, a[1] + k.n], [0, 0]);
  const [fp, negatives] = total(false);
  const [tp, positives] = total(true);
  const pct = (a: number, b: number) => (b > 0 ? `${a}/${b} (${((100 * a) / b).toFixed(1)}%)` : '–');
  console.log(`\n${classifier.id}: benign flagged ${pct(fp, negatives)}, injections caught ${pct(tp, positives)}`);
}

run(
  'Trigger words in prompts (injection-triggers.jsonl)',
  read('injection-triggers.jsonl'),
  (r) => r.text,
  (r) => r.kind ?? '',
);
run(
  'Requests planted in data (indirect-requests.jsonl)',
  read('indirect-requests.jsonl'),
  (r) => contained(r.container ?? '', r.text),
  (r) => r.container ?? '',
);
for (const file of ['multilingual-injection.jsonl', 'multilingual-injection-2.jsonl'])
  run(
    `Other languages (${file})`,
    read(file),
    (r) => r.text,
    (r) => r.lang ?? '',
  );
for (const file of ['trigger-words-benign.jsonl', 'trigger-words-benign-2.jsonl'])
  run(
    `Benign prompts with one to three trigger words (${file})`,
    read(file),
    (r) => r.text,
    (r) => `${r.words?.length ?? 0} trigger word(s)`,
  );

const tasks = join(values.data ?? process.env.LIFEGUARD_DATA ?? '../shared/data', 'agent/agentdojo/tasks_v1.json');
if (existsSync(tasks)) {
  const goals = (JSON.parse(readFileSync(tasks, 'utf8')) as { injection_tasks: { id: string; goal: string }[] })
    .injection_tasks;
  const containers = ['review', 'email', 'calendar', 'message', 'note', 'webpage'];
  run(
    "AgentDojo's injection goals planted bare (tasks_v1.json, each in six containers)",
    goals.flatMap((g) => containers.map((container) => ({ id: g.id, label: true, container, text: g.goal }))),
    (r) => contained(r.container ?? '', r.text),
    (r) => r.container ?? '',
  );
}
