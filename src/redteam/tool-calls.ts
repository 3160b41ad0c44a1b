/**
 * Tool calls in an answer. An answer made only of tool calls has no text, and judges read an empty text as a
 * refusal; a model that calls tools did not refuse. Targets therefore write such an answer's calls as its
 * text, one `[tool call] name(arguments)` line per call: that text is what the run log, the cache, reports
 * and harm judges see, and refusal judges recognise it with {@link isToolCallText}.
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

/** Whether an answer's text is only tool calls as {@link toolCallText} writes them (so: not a refusal). */
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
