/**
 * Where a jailbreak template wants the request. Community templates spell the slot many ways
 * (`[INSERT PROMPT HERE]`, `{prompt}`, `<QUERY>`, `[insert x]`, `{INSERT_YOUR_PROMPT_HERE}`, …); this finds
 * them all with a bounded scan (no backtracking regex over the template: each candidate slot is at most
 * {@link MAX_SLOT} characters and is matched as a whole).
 */

/** Longest placeholder we look at, brackets included. */
const MAX_SLOT = 64;

const OPEN_TO_CLOSE: Readonly<Record<string, string>> = { '[': ']', '{': '}', '<': '>' };

/**
 * The words inside a slot, after lower-casing, dropping `*` and `\`, turning `_` into spaces and collapsing
 * spaces: an optional verb, an optional determiner, the noun, an optional "here".
 */
const SLOT_WORDS =
  /^(?:(?:insert|put|enter|write|type|paste|add)\s)?(?:(?:your|any|the|a|user|user's)\s)?(?:prompt|question|request|query|input|input string|user prompt|user input|goal|query without spaces|prompt here|question here)(?:\s(?:here|on here|goes here))?$/;

/**
 * `[insert x]` (and `{x}`, `[insert ×]`, …) is not a request slot. In the DAN and AIM prompts it stands for the
 * words the model must never say ("none of your responses should include [insert x], but instead, make up the
 * information"), so filling it told the model not to say the goal, and in DAN 6.0, DAN 8.0 and the AIM copies
 * whose only "slot" it was, the goal was never asked at all. The curation that made the shipped file counted it
 * as a slot, so `curateTemplates` still does (`withInsertX`), and the shipped file stays exactly its output.
 */
const X_WORDS =
  /^(?:(?:insert|put|enter|write|type|paste|add)\s)?(?:(?:your|any|the|a|user|user's)\s)?(?:x|×)(?:\s(?:here|on here|goes here))?$/;

/** A slot found in a template: `[start, end)` in the template text. */
export interface Slot {
  start: number;
  end: number;
  /** The slot as written (`[INSERT PROMPT HERE]`). */
  text: string;
}

function slotWords(inner: string): string {
  let s = '';
  for (const ch of inner.toLowerCase()) {
    if (ch === '*' || ch === '\\' || ch === '"' || ch === "'" || ch === '“' || ch === '”') continue;
    s += ch === '_' || ch === '-' || ch === '\t' || ch === '\n' ? ' ' : ch;
  }
  s = s.trim();
  while (s.includes('  ')) s = s.replaceAll('  ', ' ');
  // "your question…." / "prompt..." → drop trailing dots and ellipses
  while (s.endsWith('.') || s.endsWith('…') || s.endsWith(':')) s = s.slice(0, -1).trimEnd();
  return s;
}

/**
 * Every request slot in `template`, left to right, non-overlapping. `withInsertX`: also `[insert x]` and its
 * spellings (only for the template curation, see {@link X_WORDS}).
 */
export function findSlots(template: string, options: { withInsertX?: boolean } = {}): Slot[] {
  const slots: Slot[] = [];
  let i = 0;
  const n = template.length;
  while (i < n) {
    const open = template[i];
    const close = OPEN_TO_CLOSE[open];
    if (close === undefined) {
      i++;
      continue;
    }
    // `{{prompt}}` / `[[prompt]]`: a doubled opener needs a doubled closer.
    const doubled = template[i + 1] === open;
    const innerStart = i + (doubled ? 2 : 1);
    const limit = Math.min(n, i + MAX_SLOT);
    let j = innerStart;
    while (j < limit && template[j] !== close && template[j] !== open && template[j] !== '\n') j++;
    if (j < limit && template[j] === close && (!doubled || template[j + 1] === close)) {
      const end = j + (doubled ? 2 : 1);
      const words = slotWords(template.slice(innerStart, j));
      if (SLOT_WORDS.test(words) || (options.withInsertX === true && X_WORDS.test(words))) {
        slots.push({ start: i, end, text: template.slice(i, end) });
        i = end;
        continue;
      }
    }
    i++;
  }
  return slots;
}

/** Garak writes the model's name as `{generator.name}`; we fill it in. */
const MODEL_NAME_SLOT = '{generator.name}';

/** How a template was filled. */
export interface FilledTemplate {
  text: string;
  /** True when the goal went into one or more slots; false when it was appended. */
  inserted: boolean;
  slots: number;
}

/** A template split once at its slots, so filling it per goal is a join. */
export interface PreparedTemplate {
  /** The text around the slots (`slots + 1` pieces); one piece when there is no slot. */
  pieces: string[];
}

/** Splits a template at its request slots (after filling `{generator.name}` with `modelName`). */
export function prepareTemplate(template: string, modelName = 'ChatGPT'): PreparedTemplate {
  const named = template.includes(MODEL_NAME_SLOT) ? template.replaceAll(MODEL_NAME_SLOT, modelName) : template;
  const slots = findSlots(named);
  if (slots.length === 0) return { pieces: [named.trimEnd()] };
  const pieces: string[] = [];
  let at = 0;
  for (const s of slots) {
    pieces.push(named.slice(at, s.start));
    at = s.end;
  }
  pieces.push(named.slice(at));
  return { pieces };
}

/** A prepared template filled with `goal` (in every slot, or appended after a blank line). */
export function fillPrepared(t: PreparedTemplate, goal: string): FilledTemplate {
  if (t.pieces.length === 1) return { text: `${t.pieces[0]}\n\n${goal}`, inserted: false, slots: 0 };
  return { text: t.pieces.join(goal), inserted: true, slots: t.pieces.length - 1 };
}

/**
 * The template with every request slot replaced by `goal` (and `{generator.name}` by `modelName`); a
 * template with no slot gets the goal appended after a blank line.
 */
export function fillTemplate(template: string, goal: string, modelName = 'ChatGPT'): FilledTemplate {
  return fillPrepared(prepareTemplate(template, modelName), goal);
}
