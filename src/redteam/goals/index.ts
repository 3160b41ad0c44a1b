import { basename, extname, resolve } from 'node:path';
import { z } from 'zod';
import { parseWithSchema } from '../../core/config.js';
import { LifeguardError } from '../../core/errors.js';
import { fmix32 } from '../../core/hash.js';
import { mulberry32 } from '../../core/random.js';
import type { Goal, Rng } from '../types.js';
import { BUILTIN_SOURCES, type BuiltinSource, builtinSourceIds, type RawGoal, redteamDataDir } from './builtin.js';
import { formatOf, readTable } from './read.js';

export { BUILTIN_SOURCES, type BuiltinSource, builtinSourceIds, DNA_RISK_AREAS, redteamDataDir } from './builtin.js';

const BUILTIN_IDS = BUILTIN_SOURCES.map((s) => s.id) as [string, ...string[]];

/** Options every goal spec takes: how many, which, in what order. */
const selection = {
  limit: z.int().positive().optional().describe('at most this many goals from this spec'),
  sample: z
    .enum(['first', 'random'])
    .optional()
    .describe('which goals `limit` keeps: the first in file order (default) or a seeded random sample'),
  categories: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('keep only these categories (case-insensitive; a trailing * matches a prefix: "contrast_*")'),
  stratify: z.boolean().optional().describe('with `limit`: take goals round-robin across categories'),
  include: z
    .enum(['all', 'harmful', 'benign'])
    .optional()
    .describe('keep only harmful goals or only benign look-alikes (default all)'),
};

export const BuiltinGoalSpecSchema = z
  .object({
    source: z.enum(BUILTIN_IDS).describe('a goal set shipped with Lifeguard'),
    ...selection,
  })
  .strict();

export const FileGoalSpecSchema = z
  .object({
    file: z.string().min(1).describe('your own CSV (header row) or JSONL (one object per line) file'),
    format: z.enum(['csv', 'jsonl']).optional().describe('default: from the file extension'),
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*$/i)
      .optional()
      .describe('source name in goal ids and reports (default: the file name without extension)'),
    textField: z
      .string()
      .min(1)
      .optional()
      .describe(
        'column / key holding the request (default: the first of goal, prompt, text, forbidden_prompt, question)',
      ),
    categoryField: z.string().min(1).optional(),
    idField: z.string().min(1).optional().describe('column / key with a stable id (default: the 0-based row)'),
    targetField: z.string().min(1).optional().describe('column / key with the affirmative opening ("Sure, here is")'),
    benign: z
      .union([z.boolean(), z.string().min(1)])
      .optional()
      .describe('true: every goal is a benign look-alike; a field name: that field says (true/false, 1/0, yes/no)'),
    ...selection,
  })
  .strict();

/** One element of the config's `goals` list: a built-in set id, a file path, or an object with options. */
export const GoalSpecSchema = z.union(
  [
    z.string().min(1).describe('a built-in goal set id, or a path to a .csv / .jsonl file'),
    BuiltinGoalSpecSchema,
    FileGoalSpecSchema,
  ],
  {
    // Every branch failed: report the branch the object meant (by its "source" / "file" key), else what is accepted.
    error: (issue) => {
      if (issue.code !== 'invalid_union') return undefined;
      const input = issue.input;
      const branch =
        input !== null && typeof input === 'object' ? ('source' in input ? 1 : 'file' in input ? 2 : -1) : -1;
      const errs = branch > 0 ? issue.errors[branch] : undefined;
      if (errs && errs.length > 0) return errs.map((e) => `${e.path.join('.') || '(root)'}: ${e.message}`).join('; ');
      return `expected a built-in goal set id (${BUILTIN_IDS.join(', ')}), a path to a .csv / .jsonl file, or an object with "source" or "file"`;
    },
  },
);

export type GoalSpec = z.input<typeof GoalSpecSchema>;
export type BuiltinGoalSpec = z.infer<typeof BuiltinGoalSpecSchema>;
export type FileGoalSpec = z.infer<typeof FileGoalSpecSchema>;
type ResolvedSpec = BuiltinGoalSpec | FileGoalSpec;

const DEFAULT_TEXT_FIELDS = ['goal', 'prompt', 'text', 'forbidden_prompt', 'question'] as const;

export interface LoadGoalsOptions {
  /** Seeds `sample: random` (each spec draws from its own sequence, so adding a spec leaves the others as they were). */
  seed?: number;
  /** Relative `file` paths resolve against this (default: the working directory; the config loader passes its folder). */
  baseDir?: string;
  /** Where `data/redteam` is (default: the package's). */
  dataDir?: string;
  /** Drop goals whose normalised text was already taken (default true). */
  dedupe?: boolean;
  /** Told about dropped duplicates (default: `process.emitWarning`). */
  onNotice?: (message: string) => void;
}

/** A goal dropped as a duplicate of an earlier one. */
export interface DroppedGoal {
  id: string;
  duplicateOf: string;
}

/** Per spec: what it yielded. */
export interface SpecSummary {
  source: string;
  /** Goals after filters and sampling, before de-duplication. */
  selected: number;
  /** Of those, dropped as duplicates of goals taken earlier. */
  duplicates: number;
  /** Kept, by category (`(none)` for goals without one). */
  byCategory: Record<string, number>;
  benign: number;
}

export interface LoadedGoals {
  goals: Goal[];
  dropped: DroppedGoal[];
  specs: SpecSummary[];
}

/**
 * Text compared for duplicates: NFKC, lower case, runs of anything but letters and digits as one space. A text
 * with no letter or digit at all (emoji, symbols) is compared as it is, spacing folded: it used to fold to "",
 * so "😀😀" and "🔥🔥" were dropped as duplicates of each other.
 */
export function normaliseGoalText(text: string): string {
  const lower = text.normalize('NFKC').toLowerCase();
  const folded = lower.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return folded !== '' ? folded : lower.replace(/\s+/g, ' ').trim();
}

function resolveSpec(spec: unknown, index: number): ResolvedSpec {
  const parsed = parseWithSchema(GoalSpecSchema, spec, `goals[${index}]`);
  if (typeof parsed !== 'string') return parsed;
  if (BUILTIN_IDS.includes(parsed)) return { source: parsed };
  if (/\.(csv|jsonl|ndjson)$/i.test(parsed)) return { file: parsed };
  throw new LifeguardError(
    'LG_ERR_CONFIG_INVALID',
    `goals[${index}]: "${parsed}" is neither a built-in goal set (${builtinSourceIds().join(', ')}) nor a .csv / .jsonl file`,
  );
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h >>> 0);
}

function truthy(value: unknown, where: string, field: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && (value === 0 || value === 1)) return value === 1;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true' || v === '1' || v === 'yes') return true;
    if (v === 'false' || v === '0' || v === 'no') return false;
  }
  throw new LifeguardError(
    'LG_ERR_INPUT_INVALID',
    `${where}: field "${field}" must be true/false, 1/0 or yes/no, not ${JSON.stringify(value)}`,
  );
}

/** A non-string field value for an error message: `42 (a number)`, `an array`, `an object`. */
function describeValue(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  const shown = JSON.stringify(v) ?? String(v);
  return `${shown.length > 40 ? `${shown.slice(0, 39)}…` : shown} (a ${typeof v})`;
}

function optionalString(fields: Record<string, unknown>, field: string | undefined, where: string): string | undefined {
  if (field === undefined) return undefined;
  const v = fields[field];
  if (v === undefined || v === null || v === '') {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `${where}: field "${field}" is missing or empty`);
  }
  if (typeof v !== 'string' && typeof v !== 'number') {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `${where}: field "${field}" must be a string`);
  }
  return String(v);
}

function readFileGoals(spec: FileGoalSpec, baseDir: string): { name: string; raw: RawGoal[] } {
  const file = resolve(baseDir, spec.file);
  const format = formatOf(file, spec.format);
  const rows = readTable(file, format);
  const name = spec.name ?? basename(file, extname(file));
  let textField = spec.textField;
  if (textField === undefined) {
    const first = rows[0]?.fields ?? {};
    textField = DEFAULT_TEXT_FIELDS.find((f) => f in first);
    if (textField === undefined) {
      if (rows.length === 0) return { name, raw: [] };
      throw new LifeguardError(
        'LG_ERR_INPUT_INVALID',
        `${file}: no goal text field; set textField to one of: ${Object.keys(first).join(', ') || '(no fields)'}`,
      );
    }
  }
  const seenIds = new Map<string, string>();
  const raw = rows.map((row): RawGoal => {
    const where = `${file}: ${row.where}`;
    const text = row.fields[textField];
    if (text !== undefined && text !== null && typeof text !== 'string') {
      // a number, boolean, array or object is not goal text (most likely the wrong field): say so, not "missing"
      throw new LifeguardError(
        'LG_ERR_INPUT_INVALID',
        `${where}: field "${textField}" must be a string (the goal's text), not ${describeValue(text)}`,
      );
    }
    if (typeof text !== 'string' || text.trim() === '') {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', `${where}: field "${textField}" is missing or empty`);
    }
    const key = optionalString(row.fields, spec.idField, where) ?? String(row.row);
    const earlier = seenIds.get(key);
    if (earlier !== undefined) {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', `${where}: id "${key}" repeats ${earlier}`);
    }
    seenIds.set(key, row.where);
    const goal: RawGoal = { key, text, where };
    const category = optionalString(row.fields, spec.categoryField, where);
    if (category !== undefined) goal.category = category;
    const target = optionalString(row.fields, spec.targetField, where);
    if (target !== undefined) goal.target = target;
    if (spec.benign === true) goal.benign = true;
    else if (typeof spec.benign === 'string') {
      if (!(spec.benign in row.fields)) {
        throw new LifeguardError('LG_ERR_INPUT_INVALID', `${where}: field "${spec.benign}" is missing`);
      }
      if (truthy(row.fields[spec.benign], where, spec.benign)) goal.benign = true;
    }
    return goal;
  });
  return { name, raw };
}

function categoryMatcher(patterns: readonly string[]): (category: string | undefined) => boolean {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const p of patterns) {
    const lower = p.toLowerCase();
    if (lower.endsWith('*')) prefixes.push(lower.slice(0, -1));
    else exact.add(lower);
  }
  return (category) => {
    if (category === undefined) return false;
    const c = category.toLowerCase();
    return exact.has(c) || prefixes.some((p) => c.startsWith(p));
  };
}

function shuffle<T>(items: T[], rng: Rng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Round-robin over categories (in order of first appearance), each in its own order, until `limit`. */
function stratified(items: RawGoal[], limit: number): RawGoal[] {
  const groups = new Map<string, RawGoal[]>();
  for (const g of items) {
    const k = g.category ?? '';
    const list = groups.get(k);
    if (list) list.push(g);
    else groups.set(k, [g]);
  }
  const lists = [...groups.values()];
  const out: RawGoal[] = [];
  for (let round = 0; out.length < limit; round++) {
    let any = false;
    for (const list of lists) {
      if (round < list.length && out.length < limit) {
        out.push(list[round]);
        any = true;
      }
    }
    if (!any) break;
  }
  return out;
}

function select(raw: RawGoal[], spec: ResolvedSpec, source: string, seed: number): RawGoal[] {
  let items = raw;
  if (spec.categories) {
    const match = categoryMatcher(spec.categories);
    items = items.filter((g) => match(g.category));
    if (items.length === 0) {
      const known = [...new Set(raw.map((g) => g.category).filter((c) => c !== undefined))];
      throw new LifeguardError(
        'LG_ERR_CONFIG_INVALID',
        `goals from ${source}: no goal is in categories ${spec.categories.join(', ')}; its categories are: ${known.join(', ') || '(none)'}`,
      );
    }
  }
  if (spec.include === 'harmful') items = items.filter((g) => !g.benign);
  else if (spec.include === 'benign') items = items.filter((g) => g.benign === true);
  if (spec.sample === 'random') items = shuffle(items, mulberry32((seed ^ hashString(source)) >>> 0));
  if (spec.limit !== undefined) items = spec.stratify ? stratified(items, spec.limit) : items.slice(0, spec.limit);
  return items;
}

/** Reads, filters and samples every spec; duplicates (by normalised text) are dropped, the first kept. */
export function loadGoalsSync(specs: readonly unknown[], options: LoadGoalsOptions = {}): LoadedGoals {
  const seed = options.seed ?? 0;
  const baseDir = options.baseDir ?? process.cwd();
  const dataDir = options.dataDir ?? redteamDataDir();
  const dedupe = options.dedupe ?? true;
  const byText = new Map<string, string>();
  const byId = new Map<string, string>();
  const goals: Goal[] = [];
  const dropped: DroppedGoal[] = [];
  const summaries: SpecSummary[] = [];
  specs.forEach((input, index) => {
    const spec = resolveSpec(input, index);
    let source: string;
    let raw: RawGoal[];
    if ('source' in spec) {
      const builtin = BUILTIN_SOURCES.find((s) => s.id === spec.source) as BuiltinSource;
      source = builtin.id;
      raw = builtin.read(dataDir);
    } else {
      ({ name: source, raw } = readFileGoals(spec, baseDir));
    }
    const chosen = select(raw, spec, source, seed);
    const summary: SpecSummary = { source, selected: chosen.length, duplicates: 0, byCategory: {}, benign: 0 };
    for (const r of chosen) {
      const id = `${source}:${r.key}`;
      const norm = normaliseGoalText(r.text);
      const first = dedupe ? byText.get(norm) : undefined;
      if (first !== undefined) {
        dropped.push({ id, duplicateOf: first });
        summary.duplicates++;
        continue;
      }
      const clash = byId.get(id);
      if (clash !== undefined) {
        if (normaliseGoalText(clash) === norm) continue; // the same goal named twice (dedupe off)
        throw new LifeguardError(
          'LG_ERR_CONFIG_INVALID',
          `goals[${index}]: goal id "${id}" is already taken by another goal with different text; set "name" on this spec to tell the sources apart`,
        );
      }
      byText.set(norm, id);
      byId.set(id, r.text);
      const goal: Goal = { id, text: r.text, source };
      if (r.category !== undefined) goal.category = r.category;
      if (r.benign) goal.benign = true;
      if (r.target !== undefined) goal.target = r.target;
      goals.push(goal);
      const cat = r.category ?? '(none)';
      summary.byCategory[cat] = (summary.byCategory[cat] ?? 0) + 1;
      if (r.benign) summary.benign++;
    }
    summaries.push(summary);
  });
  if (dropped.length > 0) {
    const examples = dropped
      .slice(0, 3)
      .map((d) => `${d.id} = ${d.duplicateOf}`)
      .join(', ');
    const message = `goals: dropped ${dropped.length} duplicate goal(s) (same text as an earlier one, the first kept): ${examples}${dropped.length > 3 ? ', …' : ''}`;
    if (options.onNotice) options.onNotice(message);
    else process.emitWarning(message, { code: 'LG_GOALS_DEDUPED' });
  }
  return { goals, dropped, specs: summaries };
}

/**
 * The goals the config's `goals` list names, in spec order: built-in sets (`advbench`, `strongreject`, `jbb`,
 * `jbb-benign`, `donotanswer`, `xstest`) and the user's CSV / JSONL files. Bad input throws
 * `LG_ERR_INPUT_INVALID` naming the file and row; a bad spec `LG_ERR_CONFIG_INVALID`.
 */
export async function loadGoals(specs: readonly unknown[], options: LoadGoalsOptions = {}): Promise<Goal[]> {
  return loadGoalsSync(specs, options).goals;
}
