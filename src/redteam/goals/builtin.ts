import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LifeguardError } from '../../core/errors.js';
import { readTable, type TableRow } from './read.js';

/** `data/redteam/` in the package (from `src/redteam/goals` or `dist/redteam/goals`). */
export function redteamDataDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'data', 'redteam');
}

/** A goal as read from its file, before sampling and de-duplication. */
export interface RawGoal {
  /** The part after `<source>:` in the goal id. */
  key: string;
  text: string;
  category?: string;
  benign?: boolean;
  target?: string;
  /** `file: row 3` for messages. */
  where: string;
}

export interface BuiltinSource {
  id: string;
  title: string;
  /** Files under `data/redteam/goals/`, relative. */
  files: readonly string[];
  license: string;
  upstream: string;
  /** Rows as shipped (tests hold the loader to these). */
  rows: number;
  read(dataDir: string): RawGoal[];
}

function str(row: TableRow, field: string, file: string): string {
  const v = row.fields[field];
  if (typeof v !== 'string' || v.trim() === '') {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `${file}: ${row.where}: field "${field}" is missing or empty`);
  }
  return v;
}

function csvSource(
  path: string,
  map: (row: TableRow, file: string) => Omit<RawGoal, 'where' | 'key'> & { key?: string },
): (dataDir: string) => RawGoal[] {
  return (dataDir) => {
    const file = join(dataDir, 'goals', path);
    return readTable(file, 'csv').map((row) => {
      const g = map(row, file);
      return { ...g, key: g.key ?? String(row.row), where: `${file}: ${row.where}` };
    });
  };
}

/** Do-Not-Answer risk areas, in the order the upstream paper lists them, by file. */
export const DNA_RISK_AREAS: ReadonlyArray<[file: string, area: string]> = [
  ['information_hazard.jsonl', 'Information Hazards'],
  ['malicious_uses.jsonl', 'Malicious Uses'],
  [
    'discrimination_exclusion_toxicity_hateful_offensive.jsonl',
    'Discrimination, Exclusion, Toxicity, Hateful, Offensive',
  ],
  ['misinformation_harms.jsonl', 'Misinformation Harms'],
  ['human_chatbox.jsonl', 'Human-Chatbot Interaction Harms'],
];

/** The goal sets shipped in `data/redteam/goals/` (see the MANIFEST.md beside each). */
export const BUILTIN_SOURCES: readonly BuiltinSource[] = [
  {
    id: 'advbench',
    title: 'AdvBench harmful behaviours (goal, target)',
    files: ['advbench/advbench_behaviors.csv'],
    license: 'MIT',
    upstream: 'https://github.com/llm-attacks/llm-attacks',
    rows: 520,
    read: csvSource('advbench/advbench_behaviors.csv', (r, f) => ({
      text: str(r, 'goal', f),
      target: str(r, 'target', f),
    })),
  },
  {
    id: 'strongreject',
    title: 'StrongREJECT forbidden prompts (6 categories)',
    files: ['strongreject/strongreject.csv'],
    license: 'MIT',
    upstream: 'https://github.com/alexandrasouly/strongreject',
    rows: 313,
    read: csvSource('strongreject/strongreject.csv', (r, f) => ({
      text: str(r, 'forbidden_prompt', f),
      category: str(r, 'category', f),
    })),
  },
  {
    id: 'jbb',
    title: 'JBB-Behaviors, harmful half (10 categories)',
    files: ['jbb/jbb_harmful.csv'],
    license: 'MIT',
    upstream: 'https://github.com/JailbreakBench/jailbreakbench',
    rows: 100,
    read: csvSource('jbb/jbb_harmful.csv', (r, f) => ({
      key: str(r, 'index', f),
      text: str(r, 'goal', f),
      target: str(r, 'target', f),
      category: str(r, 'category', f),
    })),
  },
  {
    id: 'jbb-benign',
    title: 'JBB-Behaviors, benign half (topic-matched look-alikes)',
    files: ['jbb/jbb_benign.csv'],
    license: 'MIT',
    upstream: 'https://github.com/JailbreakBench/jailbreakbench',
    rows: 100,
    read: csvSource('jbb/jbb_benign.csv', (r, f) => ({
      key: str(r, 'index', f),
      text: str(r, 'goal', f),
      target: str(r, 'target', f),
      category: str(r, 'category', f),
      benign: true,
    })),
  },
  {
    id: 'donotanswer',
    title: 'Do-Not-Answer questions (5 risk areas)',
    files: DNA_RISK_AREAS.map(([f]) => `donotanswer/${f}`),
    license: 'Apache-2.0',
    upstream: 'https://github.com/Libr-AI/do-not-answer',
    rows: 939,
    read: (dataDir) => {
      const out: RawGoal[] = [];
      for (const [name, area] of DNA_RISK_AREAS) {
        const file = join(dataDir, 'goals', 'donotanswer', name);
        for (const row of readTable(file, 'jsonl')) {
          out.push({
            key: String(out.length),
            text: str(row, 'prompt', file),
            category: area,
            where: `${file}: ${row.where}`,
          });
        }
      }
      return out;
    },
  },
  {
    id: 'xstest',
    title: 'XSTest v2 prompts: 250 safe look-alikes (benign) and 200 contrast_* unsafe prompts',
    files: ['xstest/xstest_prompts.csv'],
    license: 'CC-BY-4.0',
    upstream: 'https://github.com/paul-rottger/exaggerated-safety',
    rows: 450,
    read: csvSource('xstest/xstest_prompts.csv', (r, f) => {
      const type = str(r, 'type', f);
      return { text: str(r, 'prompt', f), category: type, benign: !type.startsWith('contrast_') };
    }),
  },
];

export function builtinSourceIds(): string[] {
  return BUILTIN_SOURCES.map((s) => s.id);
}
