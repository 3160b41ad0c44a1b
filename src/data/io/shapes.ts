import { LifeguardError } from '../../core/errors.js';

/** The record layouts the data stage knows how to scan. */
export type Shape = 'text' | 'chat' | 'instruction' | 'preference' | 'unknown';

/** One text to scan: where it sits in the record (dot path, array indices as numbers) and the text. */
export interface TextSlot {
  path: string;
  text: string;
}

export interface ShapeOptions {
  /** Field (or dot path, e.g. `meta.body`) holding the text of plain-text records (default `text`). */
  textField?: string;
}

const INSTRUCTION_FIELDS = ['instruction', 'input', 'output', 'prompt', 'response', 'completion'] as const;

/**
 * Which layout a record has, checked in this order: preference (`chosen` and `rejected`), chat
 * (`messages` array), instruction (`instruction`, or `prompt` with `response` / `completion`), plain
 * text (the text field is a string), else unknown.
 */
export function detectShape(value: Record<string, unknown>, options: ShapeOptions = {}): Shape {
  if ('chosen' in value && 'rejected' in value && isTextOrMessages(value.chosen) && isTextOrMessages(value.rejected)) {
    return 'preference';
  }
  if (Array.isArray(value.messages)) return 'chat';
  if (typeof value.instruction === 'string') return 'instruction';
  if (
    typeof value.prompt === 'string' &&
    (typeof value.response === 'string' || typeof value.completion === 'string')
  ) {
    return 'instruction';
  }
  if (typeof getPath(value, options.textField ?? 'text') === 'string') return 'text';
  return 'unknown';
}

/**
 * The texts to scan in a record of the given shape, in record order:
 * - text: the text field;
 * - chat: each message's `content` (`messages.2.content`), or each `{type: 'text', text}` part of an
 *   array content (`messages.2.content.0.text`); other parts (images, tool calls) are left alone;
 * - instruction: whichever of `instruction`, `input`, `output`, `prompt`, `response`, `completion` are strings;
 * - preference: `prompt`, `chosen`, `rejected`, each a string or a message array (`chosen.1.content`);
 * - unknown: none.
 */
export function textsOf(value: Record<string, unknown>, shape: Shape, options: ShapeOptions = {}): TextSlot[] {
  const out: TextSlot[] = [];
  switch (shape) {
    case 'text': {
      const field = options.textField ?? 'text';
      const text = getPath(value, field);
      if (typeof text === 'string') out.push({ path: field, text });
      break;
    }
    case 'chat':
      messageTexts(value.messages, 'messages', out);
      break;
    case 'instruction':
      for (const field of INSTRUCTION_FIELDS) {
        const text = value[field];
        if (typeof text === 'string') out.push({ path: field, text });
      }
      break;
    case 'preference':
      for (const field of ['prompt', 'chosen', 'rejected']) {
        const v = value[field];
        if (typeof v === 'string') out.push({ path: field, text: v });
        else messageTexts(v, field, out);
      }
      break;
    case 'unknown':
      break;
  }
  return out;
}

const PROMPT_FIELDS = new Set(['instruction', 'input', 'prompt']);

/**
 * How many of `textsOf`'s slots, from the first, form the record's prompt part, or -1 for a record
 * without one (plain text, a lone message, no answer): `instruction`/`input`/`prompt` before the answer
 * fields; every message but the last; a preference pair's `prompt`.
 */
export function promptSlotCount(shape: Shape, slots: readonly TextSlot[]): number {
  let n = 0;
  switch (shape) {
    case 'instruction':
      while (n < slots.length && PROMPT_FIELDS.has((slots[n] as TextSlot).path)) n++;
      break;
    case 'chat': {
      const last = messageIndex((slots[slots.length - 1] as TextSlot | undefined)?.path);
      while (n < slots.length && messageIndex((slots[n] as TextSlot).path) < last) n++;
      break;
    }
    case 'preference':
      while (n < slots.length && /^prompt(\.|$)/.test((slots[n] as TextSlot).path)) n++;
      break;
    default:
      return -1;
  }
  return n > 0 && n < slots.length ? n : -1;
}

/** The message number in a `messages.N…` path. */
function messageIndex(path: string | undefined): number {
  return path === undefined ? -1 : Number.parseInt(path.slice(path.indexOf('.') + 1), 10);
}

/**
 * A copy of the record with the texts at the given paths replaced. Only the objects and arrays on
 * those paths are copied; every other field is the original value, untouched. A path that does not
 * lead to a string in the record is an error.
 */
export function withTexts(value: Record<string, unknown>, replacements: Map<string, string>): Record<string, unknown> {
  let out: Record<string, unknown> = value;
  for (const [path, text] of replacements) {
    if (typeof getPath(value, path) !== 'string') {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', `withTexts: "${path}" is not a text in this record`);
    }
    out = setPath(out, value, path.split('.'), text) as Record<string, unknown>;
  }
  return out;
}

function isTextOrMessages(v: unknown): boolean {
  return typeof v === 'string' || Array.isArray(v);
}

function messageTexts(messages: unknown, prefix: string, out: TextSlot[]): void {
  if (!Array.isArray(messages)) return;
  messages.forEach((m, i) => {
    if (typeof m !== 'object' || m === null) return;
    const content = (m as Record<string, unknown>).content;
    if (typeof content === 'string') {
      out.push({ path: `${prefix}.${i}.content`, text: content });
    } else if (Array.isArray(content)) {
      content.forEach((part, j) => {
        if (typeof part !== 'object' || part === null) return;
        const p = part as Record<string, unknown>;
        if (p.type === 'text' && typeof p.text === 'string') {
          out.push({ path: `${prefix}.${i}.content.${j}.text`, text: p.text });
        }
      });
    }
  });
}

/** Follows a dot path through objects and arrays; a whole-key match wins over splitting at dots. */
export function getPath(value: unknown, path: string): unknown {
  if (typeof value === 'object' && value !== null && Object.hasOwn(value, path)) {
    return (value as Record<string, unknown>)[path];
  }
  let cur: unknown = value;
  for (const key of path.split('.')) {
    if (typeof cur !== 'object' || cur === null || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/**
 * Sets `keys` to `text`, copying each container on the way unless it is already a copy (i.e. not the
 * same object as in `original`), so several replacements share one copy.
 */
function setPath(cur: unknown, original: unknown, keys: string[], text: string): unknown {
  if (keys.length === 0) return text;
  const container = cur as Record<string, unknown> | unknown[];
  const orig = original as Record<string, unknown> | unknown[] | undefined;
  // A whole-key match (a top-level field with dots in its name) is set directly.
  const joined = keys.join('.');
  const [key, rest] =
    keys.length > 1 && Object.hasOwn(container, joined) ? [joined, [] as string[]] : [keys[0], keys.slice(1)];
  const copy = container === orig ? (Array.isArray(container) ? [...container] : { ...container }) : container;
  const child = (copy as Record<string, unknown>)[key];
  const origChild = orig === undefined ? undefined : (orig as Record<string, unknown>)[key];
  (copy as Record<string, unknown>)[key] = setPath(child, origChild, rest, text);
  return copy;
}
