/**
 * Tool calls in an answer. An answer made only of tool calls has no text, and judges read an empty text as a
 * refusal; a model that calls tools did not refuse. Targets therefore write such an answer's calls as its
 * text, one `[tool call] name(arguments)` line per call: that text is what the run log, the cache, reports
 * and harm judges see. Which answers are tool calls only is structural: the target reports the calls
 * (`TargetResponse.toolCalls`), the runner passes them to the judges (`JudgeInput.toolCalls`) and keeps them in
 * the run log and the cache, and {@link isToolCallAnswer} holds when the text is their rendering. A model
 * that writes such lines as its own text made no call: its text is judged like any other.
 */
import type { ToolCall } from './types.js';

const PREFIX = '[tool call] ';
const PLAIN_NAME = /^[A-Za-z0-9_.:-]+$/;
// One rendered call: a plain or JSON-quoted name, then the arguments in parentheses, on one line.
const CALL_LINE = /^\[tool call\] (?:[A-Za-z0-9_.:-]+|"(?:[^"\\\n]|\\.)*")\([^\n]*\)$/;

/** Arguments on one line: compact JSON when they parse, else quoted as a JSON string. */
function oneLineArguments(args: string): string {
  if (args.trim() === '') return '';
  try {
    return JSON.stringify(JSON.parse(args));
  } catch {
    return JSON.stringify(args);
  }
}

/** The text an answer of tool calls is given: one `[tool call] name(arguments)` line per call. */
export function toolCallText(calls: readonly ToolCall[]): string {
  return calls
    .map(
      (c) => `${PREFIX}${PLAIN_NAME.test(c.name) ? c.name : JSON.stringify(c.name)}(${oneLineArguments(c.arguments)})`,
    )
    .join('\n');
}

/**
 * Whether an answer's text reads as tool calls as {@link toolCallText} writes them. Text alone cannot tell a
 * target's rendering from a model writing the same lines: judges decide with {@link isToolCallAnswer}.
 */
export function isToolCallText(text: string): boolean {
  if (!text.startsWith(PREFIX)) return false;
  return text.split('\n').every((line) => CALL_LINE.test(line));
}

/** The tool calls of a chat completion message: `tool_calls` (`function` or `custom`) and the legacy `function_call`. */
export function toolCallsOf(message: unknown): ToolCall[] {
  const out: ToolCall[] = [];
  const m = message as { tool_calls?: unknown; function_call?: unknown } | null;
  if (!m || typeof m !== 'object') return out;
  if (Array.isArray(m.tool_calls)) {
    for (const c of m.tool_calls as { function?: unknown; custom?: unknown }[]) {
      const call = callOf(c?.function) ?? callOf(c?.custom);
      if (call) out.push(call);
    }
  }
  const legacy = callOf(m.function_call);
  if (legacy) out.push(legacy);
  return out;
}

/**
 * One call from `{name, arguments}` (chat `function`, Responses `function_call`) or `{name, input}` (custom tools);
 * arguments given as an object (some servers) are written as JSON.
 */
export function callOf(f: unknown): ToolCall | undefined {
  const fn = f as { name?: unknown; arguments?: unknown; input?: unknown } | null | undefined;
  if (!fn || typeof fn !== 'object' || typeof fn.name !== 'string' || fn.name === '') return undefined;
  const a = fn.arguments ?? fn.input;
  return {
    name: fn.name,
    arguments: typeof a === 'string' ? a : a === undefined || a === null ? '' : JSON.stringify(a),
  };
}

/**
 * Whether a judged answer is tool calls only (so: not a refusal). With the calls known (`toolCalls`, `[]` for
 * none), structural: the answer made calls and its text is their rendering ({@link toolCallText}), so text that
 * merely reads as `[tool call]` lines is the model's own text. Unknown (`undefined`: a caller outside a run,
 * an answer logged or cached before the calls were kept), the text decides, as it did then.
 */
export function isToolCallAnswer(input: { response: string; toolCalls?: readonly ToolCall[] }): boolean {
  if (input.toolCalls === undefined) return isToolCallText(input.response);
  return input.toolCalls.length > 0 && input.response === toolCallText(input.toolCalls);
}

/**
 * How a run log row or a cache entry keeps an answer's tool calls: their JSON when it made some, or when its
 * text reads as tool-call lines (`[]`: a model's own text, which must not load as calls); else `null` (which
 * loads as "none", and which rows written before the calls were kept hold too). `undefined` (not known) → `null`.
 */
export function storedToolCalls(text: string, calls: readonly ToolCall[] | undefined): string | null {
  if (calls === undefined) return null;
  return calls.length > 0 || isToolCallText(text)
    ? JSON.stringify(calls.map((c) => ({ name: c.name, arguments: c.arguments })))
    : null;
}

/**
 * The tool calls a stored answer had (see {@link storedToolCalls}). `null` on an answer whose text reads as
 * tool-call lines is a row from before the calls were kept: `undefined` (not known), so it is judged by its
 * text as it was then; on any other answer, `[]`. Unreadable JSON is not known either.
 */
export function loadedToolCalls(text: string, stored: unknown): ToolCall[] | undefined {
  if (stored === null || stored === undefined) return isToolCallText(text) ? undefined : [];
  if (typeof stored !== 'string') return undefined;
  try {
    const list = JSON.parse(stored) as unknown;
    if (!Array.isArray(list)) return undefined;
    const out: ToolCall[] = [];
    for (const c of list) {
      const call = callOf(c);
      if (!call) return undefined;
      out.push(call);
    }
    return out;
  } catch {
    return undefined;
  }
}

/**
 * The `toolCalls` a `results.jsonl` item (`ItemResult`) carries for its answer: the calls when it made some;
 * `[]` when it made none but its text reads as tool-call lines (the model's own text: a re-judge must not take
 * them as calls); else absent (`undefined`), as on every line written before the field, and on an answer whose
 * calls were not known.
 */
export function resultToolCalls(text: string, calls: readonly ToolCall[] | undefined): ToolCall[] | undefined {
  if (calls === undefined) return undefined;
  if (calls.length === 0) return isToolCallText(text) ? [] : undefined;
  return calls.map((c) => ({ name: c.name, arguments: c.arguments }));
}

/**
 * The tool calls a re-judge gives the judges for an answer read back from a JSON line (`results.jsonl`'s
 * `toolCalls`, see {@link resultToolCalls}, or a recorded JSONL line's): the listed calls (`[]` for none); absent,
 * `undefined` (not known: `[tool call]` lines in the text are judged by the text, as before the field existed).
 * `null` when the field is there but is not a list of `{name, arguments}` calls.
 */
export function parsedToolCalls(field: unknown): ToolCall[] | undefined | null {
  if (field === undefined || field === null) return undefined;
  if (!Array.isArray(field)) return null;
  const out: ToolCall[] = [];
  for (const c of field) {
    const call = callOf(c);
    if (!call) return null;
    out.push(call);
  }
  return out;
}
