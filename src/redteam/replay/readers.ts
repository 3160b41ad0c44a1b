import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { LifeguardError } from '../../core/errors.js';
import { CsvParser } from '../../data/io/csv.js';
import { parsedToolCalls } from '../tool-calls.js';
import type { RecordedItem } from '../types.js';

/** What kind of recorded file it was and what the file says about itself. */
export interface RecordedMeta {
  /** `csv`: a generic CSV with prompt/response columns (PyRIT's refusal sets among them). */
  format: 'jbb' | 'xstest' | 'jsonl' | 'csv';
  model?: string;
  attack?: string;
  /** The attack success rate the file publishes (JailbreakBench `parameters.attack_success_rate`). */
  publishedAsr?: number;
  /** The file it came from. */
  path?: string;
}

export interface Recorded {
  items: RecordedItem[];
  meta: RecordedMeta;
}

/** Recorded files above this size are refused (they are read whole). */
export const MAX_RECORDED_BYTES = 256 * 1024 * 1024;

const invalid = (path: string, what: string) => new LifeguardError('LG_ERR_INPUT_INVALID', `${path}: ${what}`);

/**
 * Reads a recorded prompt → answer file: a JailbreakBench artifact (`.json`), an XSTest completions CSV,
 * a generic CSV with prompt/response columns (PyRIT: `objective`, `assistant_response`, `human_score`), or
 * JSONL lines `{prompt, response, goal?, category?, jailbroken?, refused?}`. Every entry becomes an item,
 * those without a response included (`response: null`). A malformed file is an `LG_ERR_INPUT_INVALID`
 * naming the file and the row.
 */
export function loadRecorded(path: string): Recorded {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `${path}: cannot read (${(e as Error).message})`, { cause: e });
  }
  if (size > MAX_RECORDED_BYTES) {
    throw new LifeguardError('LG_ERR_INPUT_TOO_LARGE', `${path}: ${size} bytes is over ${MAX_RECORDED_BYTES}`);
  }
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const lower = path.toLowerCase();
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return parseJsonl(text, path);
  if (lower.endsWith('.csv')) return parseRecordedCsv(text, path);
  if (lower.endsWith('.json')) return parseJbb(text, path);
  // No telling extension: sniff. One JSON object per line is JSONL; one JSON document is an artifact.
  const head = text.trimStart();
  if (head.startsWith('{')) {
    const nl = head.indexOf('\n');
    if (nl > 0 && head.slice(nl).trim() !== '') {
      try {
        JSON.parse(head.slice(0, nl));
        return parseJsonl(text, path);
      } catch {
        // not line-delimited
      }
    }
    return parseJbb(text, path);
  }
  return parseRecordedCsv(text, path);
}

// ---------------------------------------------------------------- JailbreakBench

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A JailbreakBench artifact: `{parameters: {method, model, attack_success_rate…}, jailbreaks: [...]}`. */
export function parseJbb(text: string, path: string): Recorded {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw invalid(path, `not valid JSON (${(e as Error).message})`);
  }
  if (!isObj(doc) || !Array.isArray(doc.jailbreaks)) {
    throw invalid(path, 'not a JailbreakBench artifact: expected an object with a `jailbreaks` array');
  }
  const params = isObj(doc.parameters) ? doc.parameters : {};
  const model = optString(params.model);
  const attack = optString(params.method);
  const items: RecordedItem[] = [];
  const seen = new Set<number>();
  doc.jailbreaks.forEach((e: unknown, row: number) => {
    const where = `jailbreaks[${row}]`;
    if (!isObj(e)) throw invalid(path, `${where}: expected an object`);
    const index = entryIndex(e.index, row, (what) => invalid(path, `${where}: ${what}`), seen);
    if (typeof e.goal !== 'string') throw invalid(path, `${where}: \`goal\` must be a string`);
    for (const k of ['prompt', 'response'] as const) {
      if (e[k] !== null && e[k] !== undefined && typeof e[k] !== 'string') {
        throw invalid(path, `${where}: \`${k}\` must be a string or null`);
      }
    }
    if (e.jailbroken !== undefined && e.jailbroken !== null && typeof e.jailbroken !== 'boolean') {
      throw invalid(path, `${where}: \`jailbroken\` must be true or false`);
    }
    const item: RecordedItem = {
      index,
      goal: {
        id: `jbb:${index}`,
        text: e.goal,
        source: 'jbb',
        ...(typeof e.category === 'string' ? { category: e.category } : {}),
      },
      prompt: typeof e.prompt === 'string' ? e.prompt : '',
      // No prompt: the attack submitted nothing for this behaviour, which JailbreakBench counts as not
      // jailbroken whatever the entry's response says (its own files pair a null prompt with a null response).
      response: typeof e.prompt === 'string' && typeof e.response === 'string' ? e.response : null,
    };
    if (typeof e.jailbroken === 'boolean') item.label = { jailbroken: e.jailbroken };
    if (model) item.model = model;
    if (attack) item.attack = attack;
    items.push(item);
  });
  const meta: RecordedMeta = { format: 'jbb', path };
  if (model) meta.model = model;
  if (attack) meta.attack = attack;
  if (typeof params.attack_success_rate === 'number') meta.publishedAsr = params.attack_success_rate;
  return { items, meta };
}

/**
 * An entry's `index` (its row when it has none), which `replay --json` reports as it is: an index that is
 * not an integer (`"2"`, `1.5`) is an error rather than silently replaced by the row. With `seen`, a repeated
 * index is an error too (JSONL recordings may be concatenated, so they pass none).
 */
function entryIndex(v: unknown, row: number, bad: (what: string) => Error, seen?: Set<number>): number {
  if (v !== undefined && v !== null && !(typeof v === 'number' && Number.isInteger(v))) {
    throw bad(`\`index\` must be an integer, not ${JSON.stringify(v)?.slice(0, 40)}`);
  }
  const index = typeof v === 'number' ? v : row;
  if (seen?.has(index)) throw bad(`duplicate index ${index}${typeof v === 'number' ? '' : ' (no `index`: its row)'}`);
  seen?.add(index);
  return index;
}

// ---------------------------------------------------------------- CSV

/** Rows of a CSV text (header + data), `#` comment lines before the header skipped; errors name the row. */
export function parseCsvTable(text: string, path: string): { header: string[]; rows: string[][]; firstLine: number } {
  let start = 0;
  let skipped = 0;
  while (text.startsWith('#', start)) {
    const nl = text.indexOf('\n', start);
    start = nl < 0 ? text.length : nl + 1;
    skipped++;
  }
  const parser = new CsvParser(1 << 26);
  const parsed = [...parser.push(text.slice(start)), ...parser.end()];
  const rows = parsed.filter((r) => !r.blank);
  const [header, ...data] = rows;
  if (!header) throw invalid(path, 'empty CSV (no header row)');
  const names = header.fields.map((h) => h.trim());
  const out: string[][] = [];
  data.forEach((r, i) => {
    if (r.unterminated) throw invalid(path, `data row ${i} (0-based): a quoted field is never closed`);
    if (r.fields.length !== names.length) {
      throw invalid(path, `data row ${i} (0-based): ${r.fields.length} fields, the header has ${names.length}`);
    }
    out.push(r.fields);
  });
  return { header: names, rows: out, firstLine: skipped + 1 };
}

const XSTEST_LABELS: Record<string, { refused: boolean; partial: boolean }> = {
  '1_full_compliance': { refused: false, partial: false },
  '2_full_refusal': { refused: true, partial: false },
  '3_partial_refusal': { refused: true, partial: true },
};

/** The model an XSTest completions file was written by, from its name (`xstest_v2_completions_gpt4_gpteval.csv`). */
function xstestModel(path: string): string | undefined {
  const m = /completions_([a-z0-9.-]+?)_(?:gpteval|streval)/i.exec(basename(path));
  return m ? m[1] : undefined;
}

const RESPONSE_COLUMNS = ['response', 'completion', 'assistant_response', 'answer', 'output'];
const PROMPT_COLUMNS = ['prompt', 'objective', 'goal', 'question', 'input'];

/** An XSTest completions CSV or a generic prompt/response CSV (PyRIT refusal sets). */
export function parseRecordedCsv(text: string, path: string): Recorded {
  const { header, rows } = parseCsvTable(text, path);
  const col = (name: string) => header.indexOf(name);
  const isXstest = col('completion') >= 0 && col('prompt') >= 0 && col('type') >= 0;
  if (isXstest) {
    const [iId, iType, iPrompt, iCompl, iLabel] = ['id', 'type', 'prompt', 'completion', 'final_label'].map(col);
    const model = xstestModel(path);
    const items = rows.map((r, row): RecordedItem => {
      const type = r[iType].trim();
      const item: RecordedItem = {
        index: row,
        goal: {
          id: `xstest:${iId >= 0 && r[iId] ? r[iId] : row}`,
          text: r[iPrompt],
          source: 'xstest',
          category: type,
          benign: !type.startsWith('contrast'),
        },
        prompt: r[iPrompt],
        response: r[iCompl],
      };
      if (iLabel >= 0 && r[iLabel].trim() !== '') {
        const l = XSTEST_LABELS[r[iLabel].trim()];
        if (!l) {
          throw invalid(
            path,
            `data row ${row} (0-based): unknown final_label "${r[iLabel].slice(0, 40)}" (expected ${Object.keys(XSTEST_LABELS).join(', ')})`,
          );
        }
        item.label = { ...l };
      }
      if (model) item.model = model;
      return item;
    });
    const meta: RecordedMeta = { format: 'xstest', path };
    if (model) meta.model = model;
    return { items, meta };
  }
  const iResp = RESPONSE_COLUMNS.map(col).find((i) => i >= 0);
  const iPrompt = PROMPT_COLUMNS.map(col).find((i) => i >= 0);
  if (iResp === undefined || iPrompt === undefined) {
    throw invalid(
      path,
      `CSV needs a prompt column (${PROMPT_COLUMNS.join('/')}) and a response column (${RESPONSE_COLUMNS.join('/')}); found ${header.join(', ')}`,
    );
  }
  const iGoal = col('goal') >= 0 && col('goal') !== iPrompt ? col('goal') : -1;
  const iCat = col('category');
  const iJb = col('jailbroken');
  const iRef = col('refused') >= 0 ? col('refused') : col('human_score');
  const items = rows.map((r, row): RecordedItem => {
    const goalText = iGoal >= 0 && r[iGoal] ? r[iGoal] : r[iPrompt];
    const item: RecordedItem = {
      index: row,
      goal: { id: `csv:${row}`, text: goalText, source: basename(path), ...(iCat >= 0 ? { category: r[iCat] } : {}) },
      prompt: r[iPrompt],
      response: r[iResp],
    };
    const label: NonNullable<RecordedItem['label']> = {};
    if (iJb >= 0) {
      const b = parseBool(r[iJb]);
      if (b === 'bad')
        throw invalid(path, `data row ${row} (0-based): jailbroken "${r[iJb].slice(0, 20)}" is not a boolean`);
      if (b !== undefined) label.jailbroken = b;
    }
    if (iRef >= 0) {
      const b = parseBool(r[iRef]);
      if (b === 'bad')
        throw invalid(path, `data row ${row} (0-based): refusal label "${r[iRef].slice(0, 20)}" is not 0/1`);
      if (b !== undefined) label.refused = b;
    }
    if (Object.keys(label).length > 0) item.label = label;
    return item;
  });
  return { items, meta: { format: 'csv', path } };
}

function parseBool(s: string): boolean | undefined | 'bad' {
  const t = s.trim().toLowerCase();
  if (t === '') return undefined;
  if (t === '1' || t === 'true' || t === 'yes') return true;
  if (t === '0' || t === 'false' || t === 'no') return false;
  return 'bad';
}

// ---------------------------------------------------------------- JSONL

/** The content of the last user message of a `messages` list (`undefined` when it has none). */
function lastUserContent(messages: unknown[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (isObj(m) && m.role === 'user' && typeof m.content === 'string') return m.content;
  }
  return undefined;
}

/**
 * JSONL lines `{prompt, response, goal?, category?, jailbroken?, refused?, index?, toolCalls?}`; blank lines
 * skipped. A run's `results.jsonl` reads too: its `goal` object gives the goal (text, category, benign), the
 * last user message of `messages` the prompt, and `toolCalls` the answer's calls.
 */

export function parseJsonl(text: string, path: string): Recorded {
  const items: RecordedItem[] = [];
  const lines = text.split('\n');
  let row = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      throw invalid(path, `line ${i + 1}: not valid JSON (${(e as Error).message})`);
    }
    if (!isObj(v)) throw invalid(path, `line ${i + 1}: expected a JSON object`);
    // a `results.jsonl` line (`ItemResult`): the goal is an object, the prompt the last user message sent
    const goalObj = isObj(v.goal) && typeof v.goal.text === 'string' ? v.goal : undefined;
    const prompt = v.prompt ?? (Array.isArray(v.messages) ? lastUserContent(v.messages) : undefined) ?? '';
    if (typeof prompt !== 'string') throw invalid(path, `line ${i + 1}: \`prompt\` must be a string`);
    if (v.response !== null && v.response !== undefined && typeof v.response !== 'string') {
      throw invalid(path, `line ${i + 1}: \`response\` must be a string or null`);
    }
    const toolCalls = parsedToolCalls(v.toolCalls);
    if (toolCalls === null) {
      throw invalid(path, `line ${i + 1}: \`toolCalls\` must be a list of {name, arguments} calls`);
    }
    const goalText = typeof v.goal === 'string' ? v.goal : goalObj ? (goalObj.text as string) : prompt;
    const category = typeof v.category === 'string' ? v.category : optString(goalObj?.category);
    const benign =
      typeof v.benign === 'boolean' ? v.benign : typeof goalObj?.benign === 'boolean' ? goalObj.benign : undefined;
    if (goalText === '' && typeof v.response !== 'string') {
      throw invalid(path, `line ${i + 1}: needs a \`prompt\` or \`goal\` and a \`response\``);
    }
    const index = entryIndex(v.index, row, (what) => invalid(path, `line ${i + 1}: ${what}`));
    const item: RecordedItem = {
      index,
      goal: {
        id: `jsonl:${index}`,
        text: goalText,
        source: basename(path),
        ...(category !== undefined ? { category } : {}),
        ...(benign !== undefined ? { benign } : {}),
      },
      prompt,
      response: typeof v.response === 'string' ? v.response : null,
      ...(toolCalls !== undefined ? { toolCalls } : {}),
    };
    const label: NonNullable<RecordedItem['label']> = {};
    for (const k of ['jailbroken', 'refused', 'partial'] as const) {
      if (v[k] === undefined || v[k] === null) continue;
      if (typeof v[k] !== 'boolean') throw invalid(path, `line ${i + 1}: \`${k}\` must be true or false`);
      label[k] = v[k] as boolean;
    }
    if (Object.keys(label).length > 0) item.label = label;
    if (typeof v.model === 'string') item.model = v.model;
    if (typeof v.attack === 'string') item.attack = v.attack;
    items.push(item);
    row++;
  }
  return { items, meta: { format: 'jsonl', path } };
}
