/**
 * Reading a run directory back: `results.jsonl` (one `ItemResult` per line, appended by the runner) and
 * the run's meta (`meta.json`, else the meta inside `summary.json`, else reconstructed from the results).
 * A malformed line is an error naming the line; a malformed LAST line without a trailing newline is what a
 * killed run leaves behind, so it is skipped with a warning.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { LifeguardError } from '../../core/errors.js';
import type { ItemResult } from '../types.js';
import { type RunMeta, type RunSummary, SUMMARY_SCHEMA } from './types.js';

const UsageSchema = z
  .object({ promptTokens: z.number().optional(), completionTokens: z.number().optional() })
  .loose()
  .nullish();

const VerdictSchema = z
  .object({ judge: z.string(), score: z.number(), jailbroken: z.boolean(), refused: z.boolean() })
  .loose();

/** The fields every metric reads; anything else on a line is kept as it is. */
export const ItemResultLineSchema = z
  .object({
    key: z.string(),
    goal: z
      .object({
        id: z.string(),
        text: z.string(),
        source: z.string().optional(),
        category: z.string().nullish(),
        benign: z.boolean().nullish(),
      })
      .loose(),
    attack: z.string(),
    messages: z.array(z.unknown()).optional(),
    response: z.string().nullable(),
    error: z.string().nullish(),
    turns: z.number().optional(),
    usage: UsageSchema,
    verdicts: z.array(VerdictSchema).optional(),
    final: z
      .object({
        jailbroken: z.boolean(),
        refused: z.boolean(),
        score: z.number(),
        judge: z.string(),
        overridden: z.boolean().optional(),
      })
      .loose()
      .nullable(),
  })
  .loose();

export interface ReadOptions {
  /** Called with each warning (a skipped partial last line, duplicate keys). */
  onWarning?: (message: string) => void;
}

function issueText(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`)
    .join('; ');
}

/** Parses the text of a `results.jsonl`; `file` names it in errors. */
export function parseResultsJsonl(text: string, file: string, options: ReadOptions = {}): ItemResult[] {
  const out: ItemResult[] = [];
  const lines = text.split('\n');
  const endsWithNewline = text.endsWith('\n');
  const index = new Map<string, number>();
  let duplicates = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (raw.trim() === '') continue;
    const isLast = i === lines.length - 1 && !endsWithNewline;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      if (isLast) {
        options.onWarning?.(
          `${file}: line ${i + 1} is incomplete (the run was probably stopped while writing it); skipped`,
        );
        continue;
      }
      throw new LifeguardError(
        'LG_ERR_INPUT_INVALID',
        `${file}: line ${i + 1} is not valid JSON (${(e as Error).message})`,
      );
    }
    const parsed = ItemResultLineSchema.safeParse(value);
    if (!parsed.success) {
      throw new LifeguardError(
        'LG_ERR_INPUT_INVALID',
        `${file}: line ${i + 1} is not an item result (${issueText(parsed.error)})`,
      );
    }
    const item = parsed.data as unknown as ItemResult;
    item.turns ??= 0;
    item.usage ??= {};
    item.verdicts ??= [];
    item.messages ??= [];
    if (item.goal.category === null) delete item.goal.category;
    if (item.error === null) delete item.error;
    const seen = index.get(item.key);
    if (seen !== undefined) {
      duplicates++;
      out[seen] = item; // the later line wins (a re-judged or overridden item)
    } else {
      index.set(item.key, out.length);
      out.push(item);
    }
  }
  if (duplicates > 0) {
    options.onWarning?.(`${file}: ${duplicates} lines repeat an earlier item key; the last line of each key is used`);
  }
  return out;
}

/** Reads `results.jsonl` (see `parseResultsJsonl`). */
export async function readResultsJsonl(path: string, options: ReadOptions = {}): Promise<ItemResult[]> {
  const text = await readFile(path, 'utf8');
  return parseResultsJsonl(text, path, options);
}

async function readJson(path: string): Promise<unknown | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `${path} is not valid JSON (${(e as Error).message})`);
  }
}

const RunMetaSchema = z
  .object({
    id: z.string(),
    target: z.string(),
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    seed: z.number().optional(),
    configHash: z.string().optional(),
    judges: z.array(z.string()),
    attacker: z.string().optional(),
    notes: z.string().optional(),
  })
  .loose();

/** Accepts the meta as written (camelCase) or with snake_case keys; undefined when it is not a meta. */
function asMeta(value: unknown): RunMeta | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  const camel: Record<string, unknown> = {
    ...v,
    startedAt: v.startedAt ?? v.started_at,
    finishedAt: v.finishedAt ?? v.finished_at,
    configHash: v.configHash ?? v.config_hash,
    judges: v.judges ?? [],
  };
  for (const k of ['started_at', 'finished_at', 'config_hash']) delete camel[k];
  for (const k of Object.keys(camel)) if (camel[k] === undefined) delete camel[k];
  if (typeof camel.target === 'object' && camel.target !== null) {
    const t = camel.target as Record<string, unknown>;
    camel.target = typeof t.id === 'string' ? t.id : JSON.stringify(t).slice(0, 200);
  }
  const parsed = RunMetaSchema.safeParse(camel);
  return parsed.success ? (parsed.data as RunMeta) : undefined;
}

export interface RunDir {
  dir: string;
  results: ItemResult[];
  meta: RunMeta;
  /** Where the meta came from. */
  metaSource: 'meta.json' | 'summary.json' | 'results.jsonl';
  /** `summary.json` as found (not recomputed), when present. */
  storedSummary?: RunSummary;
}

/**
 * Loads a run directory: its items and its meta. Missing `results.jsonl` is `LG_ERR_INPUT_INVALID` naming
 * the directory.
 */
export async function loadRunDir(dir: string, options: ReadOptions = {}): Promise<RunDir> {
  const abs = resolve(dir);
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(abs);
  } catch {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `run directory ${dir} does not exist`);
  }
  if (!st.isDirectory())
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `${dir} is not a directory (pass a run directory)`);
  const resultsPath = join(abs, 'results.jsonl');
  let results: ItemResult[];
  try {
    results = await readResultsJsonl(resultsPath, options);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', `${dir} has no results.jsonl (is it a red-team run directory?)`);
    }
    throw e;
  }
  const summaryJson = await readJson(join(abs, 'summary.json'));
  const storedSummary =
    summaryJson && typeof summaryJson === 'object' && (summaryJson as { schema?: unknown }).schema === SUMMARY_SCHEMA
      ? (summaryJson as RunSummary)
      : undefined;
  const fromMetaFile = asMeta(await readJson(join(abs, 'meta.json')));
  if (fromMetaFile) return { dir: abs, results, meta: fromMetaFile, metaSource: 'meta.json', storedSummary };
  const fromSummary = asMeta(storedSummary?.meta);
  if (fromSummary) return { dir: abs, results, meta: fromSummary, metaSource: 'summary.json', storedSummary };
  const judges = new Set<string>();
  for (const r of results) for (const v of r.verdicts) judges.add(v.judge);
  options.onWarning?.(`${dir}: no meta.json or summary.json; the run's meta is reconstructed from results.jsonl`);
  return {
    dir: abs,
    results,
    meta: {
      id: basename(abs),
      target: 'unknown',
      startedAt: 'unknown',
      judges: [...judges].sort(),
      notes: 'meta reconstructed from results.jsonl (no meta.json or summary.json in the run directory)',
    },
    metaSource: 'results.jsonl',
    storedSummary,
  };
}
