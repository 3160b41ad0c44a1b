import { getPath, type Shape } from '../io/shapes.js';
import { hashKey } from './hash.js';
import { normalizeKey } from './text.js';

/**
 * What the poisoning checks read from one record: the prompt a trigger would sit in, and what the
 * record teaches the model to produce for it (a response or a label); for preference pairs, the two
 * responses.
 */
export interface PoisonView {
  prompt: string;
  /** The response (instruction, chat) or the label as a string (labelled text). */
  target?: string;
  targetKind: 'response' | 'label';
  /** Preference pairs: the preferred and the dispreferred response. */
  chosen?: string;
  rejected?: string;
}

export interface PoisonViewOptions {
  /** Field (or dot path) holding the label of plain-text records (default `label`). */
  labelField?: string;
  /** Field (or dot path) holding the text of plain-text records (default `text`). */
  textField?: string;
}

const USER_ROLES = new Set(['user', 'human']);
const ASSISTANT_ROLES = new Set(['assistant', 'gpt', 'model', 'bot']);

/**
 * The poisoning view of a record of the given shape (see `detectShape`), or undefined when it has
 * nothing usable:
 * - instruction: prompt = `instruction` + `input` (or `prompt`); target = `output` / `response` / `completion`;
 * - chat: prompt = the user messages up to the last assistant message, joined; target = that message;
 * - preference: prompt (a string, or the user messages of a message array; derived from the shared
 *   `…\n\nAssistant:` prefix of HH-style string pairs when absent); chosen / rejected = the strings, or the
 *   last assistant message of message arrays; no target;
 * - text: prompt = the text field; target = `String(label)` when the label field is a string, number
 *   or boolean (kind `label`); no label, no view.
 */
export function poisonView(
  value: Record<string, unknown>,
  shape: Shape,
  options: PoisonViewOptions = {},
): PoisonView | undefined {
  switch (shape) {
    case 'instruction': {
      let prompt = '';
      if (typeof value.instruction === 'string') {
        prompt = value.instruction;
        if (typeof value.input === 'string' && value.input.trim() !== '') prompt += `\n${value.input}`;
      } else if (typeof value.prompt === 'string') {
        prompt = value.prompt;
      }
      const target = firstText(value.output, value.response, value.completion);
      if (prompt.trim() === '' && target === undefined) return undefined;
      return { prompt, target, targetKind: 'response' };
    }
    case 'chat': {
      const conv = conversation(value.messages);
      if (conv.prompt.trim() === '' && conv.reply === undefined) return undefined;
      return { prompt: conv.prompt, target: conv.reply, targetKind: 'response' };
    }
    case 'preference':
      return preferenceView(value);
    case 'text': {
      const text = getPath(value, options.textField ?? 'text');
      const label = getPath(value, options.labelField ?? 'label');
      if (typeof text !== 'string') return undefined;
      if (typeof label !== 'string' && typeof label !== 'number' && typeof label !== 'boolean') return undefined;
      const target = String(label).trim();
      if (target === '') return undefined;
      return { prompt: text, target, targetKind: 'label' };
    }
    default:
      return undefined;
  }
}

/** Key of the normalised target (lower-case, whitespace collapsed, trimmed); 0 when there is none. */
export function targetKey(view: PoisonView): number {
  if (view.target === undefined || view.target.trim() === '') return 0;
  return hashKey(view.target, view.targetKind === 'label' ? 0x1abe1 : 0, normalizeKey);
}

/** Key of the normalised prompt (same normalisation as the target). */
export function promptKey(view: PoisonView): number {
  return hashKey(view.prompt, 0x9707, normalizeKey);
}

function firstText(...values: unknown[]): string | undefined {
  for (const v of values) if (typeof v === 'string' && v.trim() !== '') return v;
  return undefined;
}

function messageText(m: unknown): string | undefined {
  if (typeof m !== 'object' || m === null) return undefined;
  const r = m as Record<string, unknown>;
  const content = r.content ?? r.value;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    const parts: string[] = [];
    for (const p of content) {
      if (typeof p === 'object' && p !== null) {
        const part = p as Record<string, unknown>;
        if (part.type === 'text' && typeof part.text === 'string') parts.push(part.text);
      }
    }
    return parts.length > 0 ? parts.join('\n') : undefined;
  }
  return undefined;
}

function roleOf(m: unknown): string {
  if (typeof m !== 'object' || m === null) return '';
  const r = m as Record<string, unknown>;
  const role = r.role ?? r.from;
  return typeof role === 'string' ? role.toLowerCase() : '';
}

/** User messages before the last assistant message, and that message. */
function conversation(messages: unknown): { prompt: string; reply?: string } {
  if (!Array.isArray(messages)) return { prompt: '' };
  let last = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (ASSISTANT_ROLES.has(roleOf(messages[i])) && messageText(messages[i]) !== undefined) {
      last = i;
      break;
    }
  }
  const end = last >= 0 ? last : messages.length;
  const users: string[] = [];
  for (let i = 0; i < end; i++) {
    if (USER_ROLES.has(roleOf(messages[i]))) {
      const t = messageText(messages[i]);
      if (t !== undefined) users.push(t);
    }
  }
  const reply = last >= 0 ? messageText(messages[last]) : undefined;
  return { prompt: users.join('\n'), reply: reply !== undefined && reply.trim() !== '' ? reply : undefined };
}

const HH_ASSISTANT = '\n\nAssistant:';

function preferenceView(value: Record<string, unknown>): PoisonView | undefined {
  let prompt: string | undefined;
  if (typeof value.prompt === 'string') prompt = value.prompt;
  else if (Array.isArray(value.prompt)) prompt = conversation(value.prompt).prompt;
  let chosen = responseOf(value.chosen);
  let rejected = responseOf(value.rejected);
  if (prompt === undefined && Array.isArray(value.chosen)) prompt = conversation(value.chosen).prompt;
  if (prompt === undefined && typeof value.chosen === 'string' && typeof value.rejected === 'string') {
    // HH-RLHF style: both strings hold the whole dialogue; the prompt is their shared prefix.
    const a = value.chosen.lastIndexOf(HH_ASSISTANT);
    const b = value.rejected.lastIndexOf(HH_ASSISTANT);
    if (a >= 0 && a === b && value.chosen.slice(0, a) === value.rejected.slice(0, b)) {
      prompt = value.chosen.slice(0, a);
      chosen = value.chosen.slice(a + HH_ASSISTANT.length).trim();
      rejected = value.rejected.slice(b + HH_ASSISTANT.length).trim();
    }
  }
  if (chosen === undefined || rejected === undefined) return undefined;
  return { prompt: prompt ?? '', targetKind: 'response', chosen, rejected };
}

function responseOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return conversation(v).reply;
  return undefined;
}
