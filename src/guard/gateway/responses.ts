/**
 * The OpenAI Responses API (`POST /v1/responses`) through the guard: the same checks as chat completions,
 * on the Responses shapes — input items in, output items out, and its typed stream events.
 *
 * Input: user messages are checked as `input`, tool results (`function_call_output`) as `context`, earlier
 * function calls and built-in calls ({@link EARLIER_CALLS}) as `tool`; text is rewritten in place (PII
 * pseudonymised). Output: every `output_text` part, reasoning summary and reasoning text is checked and rewritten (placeholders restored), every function call's
 * arguments restored and checked, and so is every other item: built-in and client-executed tool calls through the
 * tool rules and the `tool` stage, their texts and unknown items' strings as output ({@link checkedItem}). A block
 * replaces the output with the refusal and marks the response `incomplete` for `content_filter`, as the API does
 * for its own filter.
 *
 * Streaming: text deltas are held by a {@link StreamGuard} per content part and released only once checked;
 * function-call arguments and reasoning text are released whole after their check; the final response object
 * carries the checked texts. Event types not known to carry no model text are dropped, so nothing unchecked
 * slips out in an event this code does not know, and every event that goes out is rebuilt from its type's known
 * fields (never spread from the upstream's): a field an upstream adds to an event goes nowhere. Items, parts and
 * the response object, which later API versions extend, have every string outside their known fields checked as
 * output instead ({@link ITEM_FIELDS}, {@link PART_FIELDS}, {@link RESPONSE_FIELDS}).
 */

import type { Guard, GuardSession, StreamGuard } from '../engine.js';
import { withholdsBinaryParts } from '../policy.js';
import type { ChatMessage, CheckDecision } from '../types.js';
import { contentProblem, RESPONSES_PARTS } from './content.js';
import { pacedStream, type Room } from './sse.js';
import { sanitiseUpstreamMessage, UpstreamFailure } from './upstream.js';
import { WithheldParts } from './withheld.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `ev` rebuilt from the listed fields alone (those it has): a field an upstream adds goes nowhere unread. */
function pick(ev: Json, keys: readonly string[]): Json {
  const out: Json = {};
  for (const k of keys) if (ev[k] !== undefined) out[k] = ev[k];
  return out;
}

/** The ids of a stream event, by what it addresses: an item, a content part, a summary part. */
const ITEM_IDS = ['type', 'item_id', 'output_index'] as const;
const CONTENT_IDS = [...ITEM_IDS, 'content_index'] as const;
const SUMMARY_IDS = [...ITEM_IDS, 'summary_index'] as const;

/**
 * Fields of an output item that carry no model text: ids, kinds, states, and opaque encrypted reasoning. Everything
 * else in an item the guard does not read field by field is checked as output ({@link stringSlots}).
 */
const FRAME_FIELDS = new Set([
  'id',
  'type',
  'status',
  'role',
  'call_id',
  'item_id',
  'approval_request_id',
  'created_by',
  'encrypted_content',
]);

const NESTED_FRAME: ReadonlySet<string> = new Set(['type']);

/**
 * The fields of each known kind of output item that {@link ResponsesStreamGuard.checkedItem} reads (or that hold
 * no text: a tool's name, an image's settings), besides {@link FRAME_FIELDS}. Any other field of such an item has
 * every string in it checked as output; an item of a kind not listed has all of them checked so.
 */
const ITEM_FIELDS: Readonly<Record<string, readonly string[]>> = {
  message: ['content', 'phase'],
  reasoning: ['summary', 'content'],
  function_call: ['name', 'arguments', 'caller', 'namespace'],
  custom_tool_call: ['name', 'input', 'caller', 'namespace'],
  compaction: [],
  mcp_list_tools: ['server_label', 'tools', 'error'],
  image_generation_call: ['result', 'revised_prompt', 'output_format', 'size', 'quality', 'background'],
  local_shell_call: ['action'],
  shell_call: ['action'],
  apply_patch_call: ['operation'],
  computer_call: ['action', 'actions', 'pending_safety_checks'],
  web_search_call: ['action'],
  mcp_call: ['server_label', 'name', 'arguments', 'output', 'error'],
  mcp_approval_request: ['server_label', 'name', 'arguments'],
  code_interpreter_call: ['code', 'container_id', 'outputs'],
};

const NO_KEYS: ReadonlySet<string> = new Set();
/** Fields of a citation that are no text: its kind and the ids of the file or container it cites. */
const ANNOTATION_FRAME: ReadonlySet<string> = new Set(['type', 'file_id', 'container_id']);
/** Fields of a content or summary part read on their own (or no text: `type`); any other is checked as output. */
const PART_FIELDS: ReadonlySet<string> = new Set(['type', 'text', 'annotations', 'logprobs', 'refusal']);
/** Fields of a computer call's pending safety check that are no text: its kind, id and code. */
const SAFETY_FRAME: ReadonlySet<string> = new Set(['type', 'id', 'code']);

/** Whether a string's path ends in a key that names a URL (`url`, `image_url`, `href`): no placeholder restored there. */
export function isUrlPath(path: string): boolean {
  return /(^|[/_])(url|uri|href)$/i.test(path);
}

/** A string inside an item, with where it sits (for a cache key) and how to write its checked text back. */
interface StringSlot {
  path: string;
  text: string;
  set(text: string): void;
}

/**
 * Every string inside `value` (objects and arrays, walked without recursion, so deep nesting cannot overflow the
 * stack), except under the keys in `skip` at the top level and in `nested` below it (`type`: a kind, not text).
 */
export function stringSlots(
  value: Json | unknown[],
  skip: ReadonlySet<string> = FRAME_FIELDS,
  nested: ReadonlySet<string> = NESTED_FRAME,
): StringSlot[] {
  const slots: StringSlot[] = [];
  const stack: { at: Json | unknown[]; path: string; top: boolean }[] = [{ at: value, path: '', top: true }];
  while (stack.length > 0) {
    const { at, path, top } = stack.pop() as { at: Json | unknown[]; path: string; top: boolean };
    const entries: [string | number, unknown][] = Array.isArray(at) ? [...at.entries()] : Object.entries(at);
    for (const [k, v] of entries) {
      if (typeof k === 'string' && (top ? skip : nested).has(k)) continue;
      const here = `${path}/${k}`;
      if (typeof v === 'string') {
        if (v)
          slots.push({
            path: here,
            text: v,
            set: (t) => {
              (at as Record<string | number, unknown>)[k] = t;
            },
          });
      } else if (Array.isArray(v) || isObj(v)) stack.push({ at: v, path: here, top: false });
    }
  }
  return slots;
}

/** Text part types whose text is checked (input and output side). */
const TEXT_PARTS = RESPONSES_PARTS.text;

function partsText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const texts = content
    .filter((p) => isObj(p) && TEXT_PARTS.has(String(p.type)) && typeof p.text === 'string')
    .map((p) => (p as { text: string }).text);
  return texts.length > 0 ? texts.join('\n') : undefined;
}

/** One rewritten text replaces the text parts (the first keeps its place); other parts are kept. */
function withPartsText(content: unknown, text: string): unknown {
  if (typeof content === 'string') return text;
  if (!Array.isArray(content)) return content;
  let done = false;
  return content.flatMap((p) => {
    if (isObj(p) && TEXT_PARTS.has(String(p.type)) && typeof p.text === 'string') {
      if (done) return [];
      done = true;
      return [{ ...p, text }];
    }
    return [p];
  });
}

/**
 * Content as `checkInput` reads it: a string as it is, an array as its text parts alone (`{type, text}`; the
 * engine reads any part with a string `text`, and only these are text here), undefined when there is no text.
 */
function textParts(content: unknown): ChatMessage['content'] {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const parts = content.filter((p) => isObj(p) && TEXT_PARTS.has(String(p.type)) && typeof p.text === 'string');
  return parts.length > 0
    ? (parts.map((p) => ({ type: 'text', text: (p as { text: string }).text })) as never)
    : undefined;
}

/** Content with the checked texts of `m` (one per text part, in order) written back; other parts are kept. */
function withParts(content: unknown, m: ChatMessage): unknown {
  if (typeof content === 'string') return typeof m.content === 'string' ? m.content : content;
  if (!Array.isArray(content) || !Array.isArray(m.content)) return content;
  const texts = (m.content as unknown[]).map((p) => (isObj(p) && typeof p.text === 'string' ? p.text : undefined));
  let k = 0;
  return content.map((p) => {
    if (!(isObj(p) && TEXT_PARTS.has(String(p.type)) && typeof p.text === 'string')) return p;
    const text = texts[k++];
    return text === undefined ? p : { ...p, text };
  });
}

/**
 * Input items that hold what a tool gave back, and the fields of each that do: checked as `context` (string by
 * string, as one text). A model's own earlier fields (a web search's `query`, a code interpreter's `code`) are
 * not read here; an image (`image_url`, a screenshot) and file ids are references, not text.
 */
const TOOL_RESULTS: Readonly<Record<string, readonly string[]>> = {
  local_shell_call_output: ['output'],
  shell_call_output: ['output'],
  apply_patch_call_output: ['output'],
  computer_call_output: ['output', 'acknowledged_safety_checks'],
  code_interpreter_call: ['outputs'],
  web_search_call: ['action.sources'],
  mcp_list_tools: ['tools', 'error'],
  mcp_call: ['output', 'error'],
};

/**
 * Earlier built-in and client-executed tool calls in the input (the model's own calls, sent back as history), by
 * item type: the tool name their rules match and the fields that are their arguments, as the output side reads
 * them ({@link ResponsesStreamGuard.checkedItem}). `view`: what the checks read instead of the fields' JSON (a
 * command's argv joined into one line, a web search without the sources it found); `text`: one string field that is
 * the arguments as it is (a code interpreter's `code`, an MCP call's `arguments`).
 */
const EARLIER_CALLS: Readonly<
  Record<
    string,
    { name: (item: Json) => string; fields: readonly string[]; view?: (v: unknown) => unknown; text?: true }
  >
> = {
  code_interpreter_call: { name: () => 'code_interpreter', fields: ['code'], text: true },
  local_shell_call: { name: () => 'local_shell', fields: ['action'], view: (v) => argvJoined(v) },
  shell_call: { name: () => 'shell', fields: ['action'] },
  apply_patch_call: { name: () => 'apply_patch', fields: ['operation'] },
  computer_call: { name: () => 'computer', fields: ['action', 'actions'] },
  web_search_call: { name: () => 'web_search', fields: ['action'], view: (v) => withoutSources(v) },
  mcp_call: { name: (item) => mcpToolName(item), fields: ['arguments'], text: true },
  mcp_approval_request: { name: (item) => mcpToolName(item), fields: ['arguments'], text: true },
};

/**
 * An earlier built-in call's arguments as its checks read them (see {@link EARLIER_CALLS}); undefined when the
 * item has none.
 */
function earlierCallArgs(item: Json, type: string): string | undefined {
  const spec = EARLIER_CALLS[type];
  const present = spec.fields.filter((f) => item[f] !== undefined && item[f] !== null);
  if (present.length === 0) return undefined;
  if (spec.text) return typeof item[present[0]] === 'string' ? (item[present[0]] as string) : undefined;
  const value = present.length === 1 ? item[present[0]] : Object.fromEntries(present.map((f) => [f, item[f]]));
  return JSON.stringify(spec.view ? spec.view(value) : value);
}

/**
 * The item with the checked arguments of its earlier call written back (known values as their placeholders, as
 * `checkInput` rewrites an earlier function call's). A call whose checks read a view of its fields (a local shell's
 * joined argv) keeps its fields as they are: the view cannot be split back into them. A web search's `sources`
 * stay (they are its results, checked as context).
 */
function withEarlierCallArgs(item: Json, type: string, sent: string, checked: string): Json {
  if (checked === sent) return item;
  const spec = EARLIER_CALLS[type];
  if (spec.text) return { ...item, [spec.fields[0]]: checked };
  if (spec.view && type !== 'web_search_call') return item;
  let parsed: unknown;
  try {
    parsed = JSON.parse(checked);
  } catch {
    return item;
  }
  const present = spec.fields.filter((f) => item[f] !== undefined && item[f] !== null);
  const values = (present.length === 1 ? { [present[0]]: parsed } : parsed) as Json;
  if (!isObj(values)) return item;
  const next: Json = { ...item };
  for (const f of present) next[f] = values[f];
  if (type === 'web_search_call' && isObj(item.action) && 'sources' in item.action && isObj(next.action))
    next.action = { ...next.action, sources: item.action.sources };
  return next;
}

/** Keys below a tool result's fields that hold no text the tool returned: kinds, ids, binary references. */
const TOOL_RESULT_FRAME: ReadonlySet<string> = new Set(['type', 'id', 'call_id', 'file_id', 'image_url', 'name']);

/** The strings of an input item's tool-result fields ({@link TOOL_RESULTS}), in a stable order. */
function toolResultSlots(item: Json, type: string): StringSlot[] {
  const slots: StringSlot[] = [];
  for (const field of TOOL_RESULTS[type] ?? []) {
    const [top, sub] = field.split('.');
    const holder: Json | undefined = sub === undefined ? item : isObj(item[top]) ? (item[top] as Json) : undefined;
    const key = sub ?? top;
    if (!holder) continue;
    const v = holder[key];
    if (typeof v === 'string') {
      if (v)
        slots.push({
          path: `/${field}`,
          text: v,
          set: (t) => {
            holder[key] = t;
          },
        });
    } else if (Array.isArray(v) || isObj(v)) {
      // An `image_url` directly under the field (a screenshot's) is skipped too: a top-level key of the walk.
      slots.push(...stringSlots(v, TOOL_RESULT_FRAME, TOOL_RESULT_FRAME));
    }
  }
  return slots;
}

/** The request's input as chat messages for `checkInput`, and how to put the rewritten texts back. */
export interface ResponsesInput {
  messages: ChatMessage[];
  /** The request body with the checked messages' texts written back. */
  apply(checked: readonly ChatMessage[]): Json;
}

/** Reads `input` (and `instructions`) of a Responses request; a string says what is wrong with it. */
export function responsesInput(body: Json): ResponsesInput | string {
  const { input } = body;
  if (body.instructions !== undefined && typeof body.instructions !== 'string')
    return '`instructions` must be a string.';
  if (typeof input === 'string') {
    return {
      messages: [{ role: 'user', content: input }],
      apply: (checked) => ({ ...body, input: checked[0].content }),
    };
  }
  if (!Array.isArray(input)) return '`input` must be a string or an array of input items.';
  const messages: ChatMessage[] = [];
  /** For each message: the input item it came from and how to write its checked text back. */
  const back: { at: number; write: (item: Json, m: ChatMessage) => Json }[] = [];
  for (const [at, item] of input.entries()) {
    if (!isObj(item)) return `\`input[${at}]\` must be an object.`;
    const type = item.type === undefined ? 'message' : String(item.type);
    if (EARLIER_CALLS[type] !== undefined) {
      // The model's own earlier built-in call (code it ran, a search it made, a command, a click), sent back as
      // history: through its tool rules and the `tool` stage, as an earlier function call is.
      const args = earlierCallArgs(item, type);
      if (args !== undefined) {
        messages.push({
          role: 'assistant',
          tool_calls: [
            {
              id: typeof item.call_id === 'string' ? item.call_id : typeof item.id === 'string' ? item.id : undefined,
              type: 'function',
              function: { name: EARLIER_CALLS[type].name(item), arguments: args },
            },
          ],
        });
        back.push({
          at,
          write: (it, m) => {
            const checked = m.tool_calls?.[0]?.function?.arguments;
            return typeof checked === 'string' ? withEarlierCallArgs(it, type, args, checked) : it;
          },
        });
      }
    }
    if (type === 'message') {
      if (typeof item.role !== 'string') return `\`input[${at}].role\` must be a string.`;
      const problem = contentProblem(item.content, `input[${at}].content`, RESPONSES_PARTS, { optional: false });
      if (problem) return problem;
      const text = partsText(item.content);
      // System and developer messages are the application's own; checkInput reads user and assistant turns.
      const role = item.role === 'developer' ? 'system' : item.role;
      messages.push({ role, content: text });
      back.push({
        at,
        write: (it, m) => (text === undefined ? it : { ...it, content: withPartsText(it.content, String(m.content)) }),
      });
    } else if (type === 'function_call_output' || type === 'custom_tool_call_output') {
      const problem = contentProblem(item.output, `input[${at}].output`, RESPONSES_PARTS, { optional: false });
      if (problem) return problem;
      const text = partsText(item.output);
      messages.push({ role: 'tool', content: textParts(item.output) });
      back.push({ at, write: (it, m) => (text === undefined ? it : { ...it, output: withParts(it.output, m) }) });
    } else if (TOOL_RESULTS[type] !== undefined) {
      // What a tool gave back (a shell's output, a screenshot's text, a web search's sources, an MCP server's tool
      // list): where indirect prompt injection arrives. Every string in it is context, checked as one text (one
      // part per string) and rewritten in place.
      const texts = toolResultSlots(item, type).map((slot) => slot.text);
      if (texts.length === 0) continue;
      messages.push({ role: 'tool', content: texts.map((text) => ({ type: 'text', text })) });
      back.push({
        at,
        write: (it, m) => {
          const parts = Array.isArray(m.content) ? m.content : [];
          const next = structuredClone(it);
          for (const [k, slot] of toolResultSlots(next, type).entries()) {
            const part = parts[k] as { text?: unknown } | undefined;
            if (typeof part?.text === 'string') slot.set(part.text);
          }
          return next;
        },
      });
    } else if (type === 'function_call' || type === 'custom_tool_call') {
      const args = type === 'function_call' ? item.arguments : item.input;
      messages.push({
        role: 'assistant',
        tool_calls: [
          {
            id: typeof item.call_id === 'string' ? item.call_id : undefined,
            type: 'function',
            function: { name: String(item.name ?? ''), arguments: String(args ?? '') },
          },
        ],
      });
      // Known values in an earlier call's arguments come back as placeholders (`checkInput` rewrites history's calls).
      const field = type === 'function_call' ? 'arguments' : 'input';
      back.push({
        at,
        write: (it, m) => {
          const checked = m.tool_calls?.[0]?.function?.arguments;
          return typeof checked === 'string' && typeof it[field] === 'string' && checked !== it[field]
            ? { ...it, [field]: checked }
            : it;
        },
      });
    }
    // Other items (reasoning, item references) carry no text the input stage reads.
  }
  return {
    messages,
    apply: (checked) => {
      const next = [...input];
      // An item may hold two messages (a built-in call and what it returned): each write sees the one before.
      for (const [i, b] of back.entries()) next[b.at] = b.write(next[b.at] as Json, checked[i]);
      return { ...body, input: next };
    },
  };
}

/** Records decisions (metrics and audit). */
export type RecordDecisions = (decisions: readonly CheckDecision[]) => void;

export interface ResponsesContext {
  guard: Guard;
  session: GuardSession;
  requestId: string;
  record: RecordDecisions;
  /**
   * The request asked for JSON output (`text.format` `json_schema` or `json_object`): placeholders restored in
   * `output_text` are written as JSON string content, so a value with a line break keeps the JSON valid.
   */
  json?: boolean;
}

/** Whether a Responses request asks for JSON output (`text.format.type` `json_schema` or `json_object`). */
export function wantsJson(body: Json): boolean {
  const format = isObj(body.text) && isObj(body.text.format) ? body.text.format.type : undefined;
  return format === 'json_schema' || format === 'json_object';
}

/** A refusal as a Responses output message. */
export function refusalItem(id: string, text: string): Json {
  return {
    type: 'message',
    id: `msg_${id}`,
    status: 'completed',
    role: 'assistant',
    content: [{ type: 'output_text', text, annotations: [] }],
  };
}

/** A whole Responses answer for a request the guard blocked (or a refusal it answers with). */
export function blockedResponse(id: string, model: string | undefined, text: string): Json {
  return {
    id: `resp_${id}`,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'incomplete',
    incomplete_details: { reason: 'content_filter' },
    model: model ?? 'lifeguard',
    output: [refusalItem(id, text)],
    output_text: text,
    usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
  };
}

/**
 * Checks every output item of a (non-streamed) Responses answer, as the stream checker checks a final
 * response. `blocked` when the answer was blocked: its output is then the refusal alone. `withheld`: the types
 * of the parts withheld (`binaryParts`), for the `x-lifeguard-withheld` header; the answer's `lifeguard` field
 * names them too.
 */
export async function guardResponseOutput(
  json: Json,
  ctx: ResponsesContext,
): Promise<{ blocked: boolean; withheld?: string }> {
  const output = Array.isArray(json.output) ? json.output : [];
  const reader = new ResponsesStreamGuard(ctx);
  const checked: unknown[] = [];
  for (const [i, item] of output.entries()) {
    const next = isObj(item) ? await reader.checkedItem(item, i) : item;
    if (next === undefined) return blockResponse(json, ctx, reader);
    checked.push(next);
  }
  // The response's own fields an upstream adds (outside the known ones): every string in them is output too.
  if (!(await reader.checkResponseFields(json))) return blockResponse(json, ctx, reader);
  json.output = checked;
  if ('output_text' in json) json.output_text = outputText(checked);
  const mark = reader.withheld.field();
  if (mark) json.lifeguard = mark;
  return { blocked: false, withheld: reader.withheld.header() };
}

/**
 * A blocked answer: the refusal as its output, and none of the fields an upstream added (unchecked when an item
 * blocked first, or what blocked).
 */
function blockResponse(
  json: Json,
  ctx: ResponsesContext,
  reader: ResponsesStreamGuard,
): { blocked: boolean; withheld?: string } {
  for (const k of Object.keys(json)) if (!RESPONSE_FIELDS.has(k)) delete json[k];
  json.output = [refusalItem(ctx.requestId, ctx.guard.policy.refusal)];
  json.status = 'incomplete';
  json.incomplete_details = { reason: 'content_filter' };
  json.output_text = ctx.guard.policy.refusal;
  return { blocked: true, withheld: reader.withheld.header() };
}

/** The concatenated `output_text` parts (what the SDKs expose as `response.output_text`). */
function outputText(output: unknown[]): string {
  let s = '';
  for (const item of output) {
    if (!isObj(item) || item.type !== 'message' || !Array.isArray(item.content)) continue;
    for (const p of item.content) if (isObj(p) && p.type === 'output_text' && typeof p.text === 'string') s += p.text;
  }
  return s;
}

/**
 * Fields of a response object (`response.*` events' `response`, a non-streamed answer) that carry no model text,
 * or the request's own settings echoed back; `output` and `output_text` are rebuilt from the checked items. Any
 * other field (one an upstream or a later API version adds) has every string in it checked as output.
 */
const RESPONSE_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'object',
  'created_at',
  'completed_at',
  'status',
  'background',
  'billing',
  'conversation',
  'error',
  'incomplete_details',
  'instructions',
  'max_output_tokens',
  'max_tool_calls',
  'metadata',
  'model',
  'moderation',
  'output',
  'output_text',
  'parallel_tool_calls',
  'previous_response_id',
  'prompt',
  'prompt_cache_key',
  'prompt_cache_options',
  'prompt_cache_retention',
  'reasoning',
  'safety_identifier',
  'service_tier',
  'store',
  'temperature',
  'text',
  'tool_choice',
  'tools',
  'top_logprobs',
  'top_p',
  'truncation',
  'usage',
  'user',
]);
/** Status events of built-in tool calls (`response.web_search_call.searching`, …): no text either. */
const TOOL_STATUS = /^response\.[a-z_]+_call\.(in_progress|searching|interpreting|generating|completed|failed)$/;

/** What the stream re-emitter hands back to its caller for each upstream event. */
export interface StreamStep {
  /** Events to send the client now, in order. */
  send: Json[];
  /** The guard stopped the answer: `send` ends with the final event; cancel the upstream. */
  stopped?: 'output' | 'tool';
  /** The stream is complete (a final response event was sent). */
  done?: boolean;
  /** It ended with the upstream's `error` or `response.failed` event: not a `200` outcome, and the vault is not kept. */
  failed?: boolean;
}

/**
 * Re-emits a Responses event stream with every piece of model text checked before it is released. Feed it
 * the upstream's events in order; send what each step returns.
 */
export class ResponsesStreamGuard {
  readonly #ctx: ResponsesContext;
  /** Per output text part (`output_index:content_index`): its checker and the text released so far. */
  readonly #parts = new Map<string, TextPart>();
  /** Function names by output index (from `output_item.added`; `.done` events may not repeat them). */
  readonly #names = new Map<number, string>();
  /** Checked whole texts of reasoning parts and function-call arguments, by `output_index:kind:index`. */
  readonly #whole = new Map<string, string>();
  /** Deltas of texts released whole (arguments, reasoning), gathered until their `.done`. */
  readonly #pending = new Map<string, string>();
  /** Checked groups of strings ({@link #slotsOnce}), by key and the texts checked. */
  readonly #wholeParts = new Map<string, string[]>();
  #seq = 0;
  #responseId?: string;
  #model?: string;
  /** Whether parts the checks cannot read (generated images) are withheld: the policy's `binaryParts`. */
  readonly #withhold: boolean;
  /** The parts withheld, reported once each (an item is checked at its `.done` and again in the final response). */
  readonly withheld: WithheldParts;
  readonly #withheldAt = new Set<number>();
  /** Items as announced (`output_item.added`), by output index: an MCP call's server, a tool's name. */
  readonly #added = new Map<number, Json>();
  /** What blocked last: a tool rule or the `tool` stage, or an output check. */
  #blockedBy: 'output' | 'tool' = 'output';

  constructor(ctx: ResponsesContext) {
    this.#ctx = ctx;
    this.#withhold = withholdsBinaryParts(ctx.guard.policy);
    this.withheld = new WithheldParts(ctx.record);
  }

  /**
   * The stream's last event when the upstream failed: an `error` event, numbered like the others, with the chat
   * route's codes (`upstream_timeout`, `upstream_response_too_large`, else `upstream_stream_error`).
   */
  upstreamError(message: string, code = 'upstream_stream_error'): Json {
    return this.#out({ type: 'error', code, message, param: null });
  }

  /** The upstream's id of this response, once an event named it. */
  get responseId(): string | undefined {
    return this.#responseId;
  }

  #out(ev: Json): Json {
    return { ...scrub(ev), sequence_number: this.#seq++ };
  }

  #record(decisions: readonly CheckDecision[]): void {
    this.#ctx.record(decisions);
  }

  /** The final event when the guard stops the answer: the response so far, incomplete for content_filter. */
  #stop(why: 'output' | 'tool', before: Json[] = []): StreamStep {
    const text = this.#ctx.guard.policy.stoppedMessage;
    const released = [...this.#parts.values()].map((p) => p.released).join('');
    const response = {
      ...blockedResponse(this.#ctx.requestId, this.#model, released + text),
      id: this.#responseId ?? `resp_${this.#ctx.requestId}`,
    };
    return {
      send: [...before, this.#out({ type: 'response.incomplete', response })],
      stopped: why,
      done: true,
    };
  }

  #part(ev: Json): TextPart {
    const key = `${ev.output_index ?? 0}:${ev.content_index ?? 0}`;
    let p = this.#parts.get(key);
    if (!p) {
      p = {
        key,
        checker: this.#ctx.guard.stream({
          session: this.#ctx.session,
          requestId: this.#ctx.requestId,
          json: this.#ctx.json,
        }),
        released: '',
        raw: '',
        annotations: [],
        received: false,
        ended: false,
      };
      this.#parts.set(key, p);
    }
    if (typeof ev.item_id === 'string') p.itemId = ev.item_id;
    return p;
  }

  /** Checks a text released whole (reasoning, or an answer text when `json`); undefined when blocked. */
  async #checkWhole(text: string, json = false): Promise<string | undefined> {
    const r = await this.#ctx.guard.checkOutput(text, {
      session: this.#ctx.session,
      requestId: this.#ctx.requestId,
      json: json && this.#ctx.json,
    });
    this.#record(r.decisions);
    if (r.blocked) this.#blockedBy = 'output';
    return r.blocked ? undefined : r.text;
  }

  /** A text checked as output once per `key` (a stream's `.done` and the final response read it again). */
  async #textOnce(key: string, text: string): Promise<string | undefined> {
    const known = this.#whole.get(key);
    if (known !== undefined) return known;
    const checked = await this.#checkWhole(text);
    if (checked !== undefined) this.#whole.set(key, checked);
    return checked;
  }

  /**
   * Checks groups of strings as output, writing the checked texts back (`slot.set`); false when blocked. A group
   * already checked with the same texts under its `key` (a citation at its stream event, then in the final
   * response) is not checked again; all the others go through the output stage together, in one run of its
   * checks ({@link Guard.checkOutputParts}), however many strings an item holds. A slot whose key names a URL
   * (`url`, `image_url`, …) never has a placeholder restored in it.
   */
  async #slotsOnce(groups: readonly { key: string; slots: readonly StringSlot[] }[]): Promise<boolean> {
    const todo: { key: string; slots: readonly StringSlot[] }[] = [];
    for (const g of groups) {
      if (g.slots.length === 0) continue;
      const key = `${g.key}\u0000${JSON.stringify(g.slots.map((x) => x.text))}`;
      const known = this.#wholeParts.get(key);
      if (!known) {
        todo.push({ key, slots: g.slots });
        continue;
      }
      for (const [k, slot] of g.slots.entries()) slot.set(known[k]);
    }
    if (todo.length === 0) return true;
    const all = todo.flatMap((g) => g.slots);
    const r = await this.#ctx.guard.checkOutputParts(
      all.map((x) => ({ text: x.text, url: isUrlPath(x.path) })),
      { session: this.#ctx.session, requestId: this.#ctx.requestId },
    );
    this.#record(r.decisions);
    if (r.blocked) {
      this.#blockedBy = 'output';
      return false;
    }
    let at = 0;
    for (const g of todo) {
      const texts = r.texts.slice(at, at + g.slots.length);
      at += g.slots.length;
      this.#wholeParts.set(g.key, texts);
      for (const [k, slot] of g.slots.entries()) slot.set(texts[k]);
    }
    return true;
  }

  /**
   * A text part's annotations (URL and file citations: a `title`, a `url`, a `filename`), checked as output: a
   * copy with the checked texts, or undefined when blocked. Each is kept under its own key, so a citation checked
   * at its `annotation.added` event is not checked again in the part's `.done` or the final response.
   */
  async #annotations(
    outputIndex: number,
    contentIndex: number,
    annotations: unknown[],
  ): Promise<unknown[] | undefined> {
    const boxes = annotations.map((a) => ({ annotation: structuredClone(a) }));
    const ok = await this.#slotsOnce(
      boxes.map((box, k) => ({
        key: `${outputIndex}:annot:${contentIndex}:${k}`,
        slots: stringSlots(box, NO_KEYS, ANNOTATION_FRAME),
      })),
    );
    return ok ? boxes.map((b) => b.annotation) : undefined;
  }

  /** A content part with its annotations checked (a copy), or undefined when blocked; the part when it has none. */
  async #withAnnotations(part: Json, outputIndex: number, contentIndex: number): Promise<Json | undefined> {
    if (!Array.isArray(part.annotations) || part.annotations.length === 0) return { ...part };
    const annotations = await this.#annotations(outputIndex, contentIndex, part.annotations);
    return annotations === undefined ? undefined : { ...part, annotations };
  }

  async push(ev: Json): Promise<StreamStep> {
    const type = String(ev.type ?? '');
    if (isObj(ev.response)) {
      if (typeof ev.response.id === 'string') this.#responseId = ev.response.id;
      if (typeof ev.response.model === 'string') this.#model = ev.response.model;
    }
    // Every event that goes out is rebuilt from its known fields (`pick`), never spread from the upstream's: a field
    // an upstream adds to an event may hold model text nobody checked.
    // Rate limits: numbers, and the limit's name.
    if (type === 'rate_limits.updated') return { send: [this.#out({ type, rate_limits: rateLimits(ev.rate_limits) })] };
    // Status events of built-in tool calls: ids alone.
    if (TOOL_STATUS.test(type)) return { send: [this.#out(pick(ev, ITEM_IDS))] };
    // A partial image of an image generation: nothing the checks read. Passed on only under `binaryParts: allow`
    // (or an output stage that enforces nothing); else the final item's image is withheld, and said so.
    if (type === 'response.image_generation_call.partial_image')
      return { send: this.#withhold ? [] : [this.#out(pick(ev, PARTIAL_IMAGE_FIELDS))] };
    switch (type) {
      case 'response.created':
      case 'response.in_progress':
      case 'response.queued':
        // Announcements: whatever output an upstream puts in them is not checked yet, so none goes out.
        return { send: [this.#out(isObj(ev.response) ? { type, response: blankResponse(ev.response) } : { type })] };
      case 'response.output_item.added':
        if (isObj(ev.item)) {
          this.#added.set(Number(ev.output_index ?? 0), ev.item);
          if (typeof ev.item.name === 'string') this.#names.set(Number(ev.output_index ?? 0), ev.item.name);
        }
        return { send: [this.#out({ type, output_index: ev.output_index, item: blankItem(ev.item) })] };
      case 'response.content_part.added':
        return { send: [this.#out({ ...pick(ev, CONTENT_IDS), part: blankPart(ev.part) })] };
      case 'response.reasoning_summary_part.added':
        return { send: [this.#out({ ...pick(ev, SUMMARY_IDS), part: blankPart(ev.part) })] };
      case 'response.output_text.delta': {
        if (typeof ev.delta !== 'string') return { send: [] };
        const p = this.#part(ev);
        if (p.ended) return { send: [] };
        p.received = true;
        p.raw += ev.delta;
        const r = await p.checker.push(ev.delta);
        if (r.stopped) return this.#stopText(p);
        return { send: r.text ? [this.#delta(ev, p, r.text)] : [] };
      }
      case 'response.output_text.annotation.added': {
        // A citation (a URL's `title` and `url`, a file's name): text the client shows or follows, checked as output
        // and rebuilt from the known fields alone.
        const ids = {
          item_id: ev.item_id,
          output_index: ev.output_index,
          content_index: ev.content_index,
          annotation_index: ev.annotation_index,
        };
        const index = typeof ev.annotation_index === 'number' ? ev.annotation_index : 0;
        const box = { annotation: structuredClone(ev.annotation) };
        const ok = await this.#slotsOnce([
          {
            key: `${ev.output_index ?? 0}:annot:${ev.content_index ?? 0}:${index}`,
            slots: stringSlots(box, NO_KEYS, ANNOTATION_FRAME),
          },
        ]);
        if (!ok) return this.#stop('output');
        // Its offsets (`start_index`, `end_index`) count in the upstream's text, which may be rewritten: held until
        // the part's text is done, when they can be moved ({@link reindexCitations}).
        const p = this.#parts.get(`${ev.output_index ?? 0}:${ev.content_index ?? 0}`);
        if (p && !p.ended) {
          p.annotations.push({ type, ...ids, annotation: box.annotation });
          return { send: [] };
        }
        const annotation = p ? reindexCitations([box.annotation], p.raw, p.released)[0] : box.annotation;
        return { send: [this.#out({ type, ...ids, annotation })] };
      }
      case 'response.output_text.done': {
        const p = this.#part(ev);
        let early = '';
        if (!p.received && !p.ended && typeof ev.text === 'string' && ev.text) {
          // The text came whole, without deltas: it is checked like a stream that had one chunk.
          p.received = true;
          p.raw = ev.text;
          const r = await p.checker.push(ev.text);
          if (r.stopped) return this.#stopText(p);
          early = r.text;
        }
        const r = await this.#end(p);
        if (r.stopped) return this.#stopText(p);
        const send = early + r.text ? [this.#delta(ev, p, early + r.text)] : [];
        // The citations held back, their offsets moved to the released text (or dropped where it was rewritten).
        const raw = typeof ev.text === 'string' ? ev.text : p.raw;
        for (const a of p.annotations.splice(0))
          send.push(this.#out({ ...a, annotation: reindexCitations([a.annotation], raw, p.released)[0] }));
        send.push(this.#out({ ...pick(ev, CONTENT_IDS), text: p.released }));
        return { send };
      }
      case 'response.content_part.done': {
        if (isObj(ev.part) && ev.part.type === 'refusal') {
          const key = `${ev.output_index ?? 0}:refusal:${ev.content_index ?? 0}`;
          const text = typeof ev.part.refusal === 'string' ? ev.part.refusal : '';
          const checked = this.#whole.get(key) ?? (await this.#checkWhole(text));
          if (checked === undefined) return this.#stop('output');
          this.#whole.set(key, checked);
          return { send: [this.#out({ ...pick(ev, CONTENT_IDS), part: { type: 'refusal', refusal: checked } })] };
        }
        const p = this.#parts.get(`${ev.output_index ?? 0}:${ev.content_index ?? 0}`);
        // A part without a text (a kind this code does not know): announced empty; its item's `.done` carries it checked.
        if (!isObj(ev.part) || typeof ev.part.text !== 'string')
          return { send: [this.#out({ ...pick(ev, CONTENT_IDS), part: blankPart(ev.part) })] };
        const part = await this.#withAnnotations(ev.part, Number(ev.output_index ?? 0), Number(ev.content_index ?? 0));
        if (part === undefined) return this.#stop('output');
        if (!p)
          return this.#wholePart(
            { ...pick(ev, CONTENT_IDS), part },
            `${ev.output_index ?? 0}:content:${ev.content_index ?? 0}`,
            true,
          );
        const moved = Array.isArray(part.annotations)
          ? { ...part, annotations: reindexCitations(part.annotations, String(ev.part.text), p.released) }
          : part;
        return { send: [this.#out({ ...pick(ev, CONTENT_IDS), part: textPart(moved, p.released) })] };
      }
      case 'response.function_call_arguments.delta':
      case 'response.mcp_call_arguments.delta':
      case 'response.custom_tool_call_input.delta':
      case 'response.code_interpreter_call_code.delta':
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
      case 'response.refusal.delta': {
        if (typeof ev.delta !== 'string') return { send: [] };
        const key = wholeKey(ev);
        this.#pending.set(key, (this.#pending.get(key) ?? '') + ev.delta);
        return { send: [] };
      }
      case 'response.function_call_arguments.done': {
        const key = wholeKey(ev);
        const args = typeof ev.arguments === 'string' ? ev.arguments : (this.#pending.get(key) ?? '');
        const name = typeof ev.name === 'string' ? ev.name : (this.#names.get(Number(ev.output_index ?? 0)) ?? '');
        const checked = await this.#checkCall(name, args);
        if (checked === undefined) return this.#stop('tool');
        this.#whole.set(key, checked);
        return {
          send: [
            this.#out({
              type: 'response.function_call_arguments.delta',
              item_id: ev.item_id,
              output_index: ev.output_index,
              delta: checked,
            }),
            this.#out({ ...pick(ev, [...ITEM_IDS, 'name']), arguments: checked }),
          ],
        };
      }
      case 'response.mcp_call_arguments.done':
      case 'response.custom_tool_call_input.done': {
        // An MCP call's arguments (the provider calls the server), a custom tool's free-form input (the client's
        // tool reads it): checked whole as tool calls, released after their check.
        const key = wholeKey(ev);
        const field = type === 'response.mcp_call_arguments.done' ? 'arguments' : 'input';
        const at = Number(ev.output_index ?? 0);
        const args = typeof ev[field] === 'string' ? (ev[field] as string) : (this.#pending.get(key) ?? '');
        const announced = this.#added.get(at);
        const name =
          field === 'arguments'
            ? mcpToolName(announced ?? {})
            : typeof ev.name === 'string'
              ? ev.name
              : (this.#names.get(at) ?? '');
        const checked = this.#whole.get(key) ?? (await this.#checkCall(name, args));
        if (checked === undefined) return this.#stop('tool');
        this.#whole.set(key, checked);
        const ids = { item_id: ev.item_id, output_index: ev.output_index };
        return {
          send: [
            this.#out({ type: type.replace(/\.done$/, '.delta'), ...ids, delta: checked }),
            this.#out({ ...pick(ev, ITEM_IDS), [field]: checked }),
          ],
        };
      }
      case 'response.code_interpreter_call_code.done': {
        const key = wholeKey(ev);
        const code = typeof ev.code === 'string' ? ev.code : (this.#pending.get(key) ?? '');
        const checked = await this.#code(Number(ev.output_index ?? 0), code);
        if (checked === undefined) return this.#stop(this.#blockedBy);
        const ids = { item_id: ev.item_id, output_index: ev.output_index };
        return {
          send: [
            this.#out({ type: 'response.code_interpreter_call_code.delta', ...ids, delta: checked }),
            this.#out({ ...pick(ev, ITEM_IDS), code: checked }),
          ],
        };
      }
      case 'response.reasoning_summary_text.done':
      case 'response.reasoning_text.done': {
        const key = wholeKey(ev);
        const text = typeof ev.text === 'string' ? ev.text : (this.#pending.get(key) ?? '');
        const checked = await this.#checkWhole(text);
        if (checked === undefined) return this.#stop('output');
        this.#whole.set(key, checked);
        const ids = pick(ev, type === 'response.reasoning_text.done' ? CONTENT_IDS : SUMMARY_IDS);
        return {
          send: [
            this.#out({ ...ids, type: type.replace(/\.done$/, '.delta'), delta: checked }),
            this.#out({ ...ids, text: checked }),
          ],
        };
      }
      case 'response.refusal.done': {
        // The model's refusal is its text too: checked whole, released after its check.
        const key = wholeKey(ev);
        const text = typeof ev.refusal === 'string' ? ev.refusal : (this.#pending.get(key) ?? '');
        const checked = this.#whole.get(key) ?? (await this.#checkWhole(text));
        if (checked === undefined) return this.#stop('output');
        this.#whole.set(key, checked);
        const ids = { item_id: ev.item_id, output_index: ev.output_index, content_index: ev.content_index };
        return {
          send: [
            this.#out({ type: 'response.refusal.delta', ...ids, delta: checked }),
            this.#out({ ...pick(ev, CONTENT_IDS), refusal: checked }),
          ],
        };
      }
      case 'response.reasoning_summary_part.done': {
        const ids = pick(ev, SUMMARY_IDS);
        if (!isObj(ev.part) || typeof ev.part.text !== 'string')
          return { send: [this.#out({ ...ids, part: blankPart(ev.part) })] };
        return this.#wholePart({ ...ids, part: ev.part }, `${ev.output_index ?? 0}:summary:${ev.summary_index ?? 0}`);
      }
      case 'response.output_item.done': {
        if (!isObj(ev.item)) return { send: [] }; // no item: nothing to say, and nothing unread goes out
        const item = await this.checkedItem(ev.item, Number(ev.output_index ?? 0));
        if (item === undefined) return this.#stop(this.#blockedBy);
        return { send: [this.#out({ type, output_index: ev.output_index, item })] };
      }
      case 'response.completed':
      case 'response.incomplete':
      case 'response.failed': {
        if (!isObj(ev.response)) return { send: [this.#out({ type })], done: true, failed: type === 'response.failed' };
        const output = Array.isArray(ev.response.output) ? ev.response.output : [];
        const items: unknown[] = [];
        for (const [i, it] of output.entries()) {
          if (!isObj(it)) continue;
          const item = await this.checkedItem(it, i);
          if (item === undefined) return this.#stop(this.#blockedBy);
          items.push(item);
        }
        const response: Json = { ...ev.response, output: items };
        if (!(await this.checkResponseFields(response))) return this.#stop('output');
        if ('output_text' in response) response.output_text = outputText(items);
        const mark = this.withheld.field();
        if (mark) response.lifeguard = mark;
        // The upstream's own failure: a stream error, as the chat route counts the upstream's error events.
        return { send: [this.#out({ type, response })], done: true, failed: type === 'response.failed' };
      }
      case 'error':
        // Rebuilt, never passed on: an upstream's error event may carry any field (text nobody checked), and its
        // message is cleaned and cut as the chat route does.
        return {
          send: [this.upstreamError(`Upstream stream failed: ${sanitiseUpstreamMessage(ev)}`)],
          done: true,
          failed: true,
        };
      default:
        return { send: [] }; // unknown event: it may carry model text nobody checked
    }
  }

  #delta(ev: Json, p: { released: string }, text: string): Json {
    p.released += text;
    // Built from the ids alone: the event it answers (a delta, or a `.done` with the whole raw text) may carry
    // fields of unchecked text.
    return this.#out({
      type: 'response.output_text.delta',
      item_id: ev.item_id,
      output_index: ev.output_index,
      content_index: ev.content_index,
      delta: text,
    });
  }

  /** Ends a part's checker (once); the decisions of all its checks are recorded then. */
  async #end(p: TextPart): Promise<{ text: string; stopped?: unknown }> {
    if (p.ended) return { text: '' };
    p.ended = true;
    const r = await p.checker.end();
    this.#record(p.checker.summary);
    return r;
  }

  /**
   * Records the checks of every part not ended yet: a stream that breaks off (upstream error or timeout, client
   * gone, a stop in another part) had released checked text, and its decisions must reach the audit log too.
   */
  recordOpen(): void {
    for (const p of this.#parts.values()) {
      if (p.ended) continue;
      p.ended = true;
      const summary = p.checker.summary;
      if (summary.length > 0) this.#record(summary);
    }
  }

  /** Stopped inside a text part: its last released text is followed by the stopped message. */
  #stopText(p: TextPart): StreamStep {
    if (!p.ended) {
      p.ended = true;
      this.#record(p.checker.summary);
    }
    const msg = this.#ctx.guard.policy.stoppedMessage;
    const [outputIndex, contentIndex] = p.key.split(':').map(Number);
    const delta = this.#out({
      type: 'response.output_text.delta',
      item_id: p.itemId,
      output_index: outputIndex,
      content_index: contentIndex,
      delta: msg,
    });
    return this.#stop('output', [delta]);
  }

  /** A part whose text arrived only whole (no deltas seen): checked now. */
  async #wholePart(ev: Json, key: string, answer = false): Promise<StreamStep> {
    const part = ev.part as Json;
    const known = this.#whole.get(key);
    const checked = known ?? (await this.#checkWhole(String(part.text), answer && part.type === 'output_text'));
    if (checked === undefined) return this.#stop('output');
    this.#whole.set(key, checked);
    const moved = Array.isArray(part.annotations)
      ? { ...part, annotations: reindexCitations(part.annotations, String(part.text), checked) }
      : part;
    return { send: [this.#out({ ...ev, part: textPart(moved, checked) })] };
  }

  async #checkCall(name: string, args: string): Promise<string | undefined> {
    // Restore placeholders first: rules such as denyArgs must see the real values the tool will get.
    const restored = this.#ctx.session.restoreArguments(args);
    const r = await this.#ctx.guard.checkToolCall(name, restored, {
      session: this.#ctx.session,
      requestId: this.#ctx.requestId,
    });
    this.#record(r.decisions);
    if (r.blocked) this.#blockedBy = 'tool';
    return r.blocked ? undefined : restored;
  }

  /**
   * A call whose arguments are structured fields of its item (`action`, `operation`): their JSON, placeholders
   * restored, goes through the tool rules and the `tool` stage as the call's arguments, and the restored values
   * are written back (the client executes them with the user's real values, as a function call's). `view` is
   * what the checks read instead of the restored JSON (a command's argv joined into one line). False when blocked.
   */
  async #callFields(
    next: Json,
    fields: readonly string[],
    name: string,
    at: number,
    view?: (value: unknown) => unknown,
  ): Promise<boolean> {
    const present = fields.filter((f) => next[f] !== undefined && next[f] !== null);
    if (present.length === 0) return true;
    const key = `${at}:call:0`;
    const known = this.#whole.get(key);
    let restored: Json;
    if (known !== undefined) restored = JSON.parse(known) as Json;
    else {
      const value = Object.fromEntries(present.map((f) => [f, next[f]]));
      const args = this.#ctx.session.restoreArguments(JSON.stringify(value));
      try {
        restored = JSON.parse(args) as Json;
      } catch {
        restored = value;
      }
      // One field: its value is the arguments (`{"type":"exec","command":…}`); several: an object of them.
      const args1 = present.length === 1 ? restored[present[0]] : restored;
      const seen = JSON.stringify(view ? view(args1) : args1) ?? '';
      const r = await this.#ctx.guard.checkToolCall(name, seen, {
        session: this.#ctx.session,
        requestId: this.#ctx.requestId,
      });
      this.#record(r.decisions);
      if (r.blocked) {
        this.#blockedBy = 'tool';
        return false;
      }
      this.#whole.set(key, JSON.stringify(restored));
    }
    for (const f of present) next[f] = restored[f];
    return true;
  }

  /**
   * A code interpreter's code: the model wrote it, the provider runs it. Its tool rules and the `tool` stage read
   * it (`code_interpreter`), and it is checked as output, as the client shows it. Undefined when blocked.
   */
  async #code(at: number, code: string): Promise<string | undefined> {
    if (!this.#whole.has(`${at}:codecall:0`)) {
      const ok = await this.#checkCall('code_interpreter', code);
      if (ok === undefined) return undefined;
      this.#whole.set(`${at}:codecall:0`, '');
    }
    return this.#textOnce(`${at}:code:0`, code);
  }

  /**
   * The items other than messages, reasoning, function and custom tool calls (read in {@link checkedItem}). What
   * the client or the provider executes goes through the tool rules and the `tool` stage: a local shell's and a
   * shell tool's `action`, an apply-patch `operation`, a computer's `action`/`actions`, a web search's `action`
   * (its `sources` are the search's results, not the model's), an MCP call's or approval request's `arguments`,
   * a code interpreter's `code`. Text that reaches the client is checked as output: an image's `revised_prompt`,
   * an MCP call's `output` and `error`, a code interpreter's `code` and `logs`. An item of a type not listed here
   * has every string in it checked as output (ids, kinds and states excepted). False when blocked.
   */
  async #otherItem(item: Json, next: Json, at: number): Promise<boolean> {
    const text = async (field: string): Promise<boolean> => {
      const v = next[field];
      if (typeof v !== 'string' || !v) return true;
      const out = await this.#textOnce(`${at}:${field}:0`, v);
      if (out === undefined) return false;
      next[field] = out;
      return true;
    };
    switch (item.type) {
      case 'message':
      case 'reasoning':
      case 'function_call':
      case 'custom_tool_call':
      case 'compaction': // opaque, encrypted
      case 'mcp_list_tools': // the MCP server's list of its tools: no model text
        return true;
      case 'image_generation_call':
        return text('revised_prompt');
      case 'local_shell_call':
        return this.#callFields(next, ['action'], 'local_shell', at, argvJoined);
      case 'shell_call':
        return this.#callFields(next, ['action'], 'shell', at);
      case 'apply_patch_call':
        return this.#callFields(next, ['operation'], 'apply_patch', at);
      case 'computer_call': {
        if (!(await this.#callFields(next, ['action', 'actions'], 'computer', at))) return false;
        // The provider's safety checks the client shows the user to acknowledge: their `message` is text too.
        if (!Array.isArray(next.pending_safety_checks)) return true;
        const box = { checks: structuredClone(next.pending_safety_checks) };
        if (!(await this.#slotsOnce([{ key: `${at}:safety`, slots: stringSlots(box, NO_KEYS, SAFETY_FRAME) }])))
          return false;
        next.pending_safety_checks = box.checks;
        return true;
      }
      case 'web_search_call':
        return this.#callFields(next, ['action'], 'web_search', at, withoutSources);
      case 'mcp_call':
      case 'mcp_approval_request': {
        if (typeof item.arguments === 'string') {
          const key = `${at}:args:0`;
          const args = this.#whole.get(key) ?? (await this.#checkCall(mcpToolName(item), item.arguments));
          if (args === undefined) return false;
          this.#whole.set(key, args);
          next.arguments = args;
        }
        return (await text('output')) && text('error');
      }
      case 'code_interpreter_call': {
        if (typeof item.code === 'string' && item.code) {
          const code = await this.#code(at, item.code);
          if (code === undefined) return false;
          next.code = code;
        }
        if (Array.isArray(item.outputs)) {
          const outputs: unknown[] = [];
          for (const [j, o] of item.outputs.entries()) {
            if (!isObj(o) || typeof o.logs !== 'string' || !o.logs) {
              outputs.push(o);
              continue;
            }
            const logs = await this.#textOnce(`${at}:logs:${j}`, o.logs);
            if (logs === undefined) return false;
            outputs.push({ ...o, logs });
          }
          next.outputs = outputs;
        }
        return true;
      }
      default: {
        // A kind this code does not know: any string in it may be model text, so every one is checked as output.
        const skip = new Set(FRAME_FIELDS);
        for (const key of ['content', 'summary']) if (Array.isArray(item[key])) skip.add(key); // read above
        for (const [k, v] of Object.entries(next))
          if (!skip.has(k) && typeof v === 'object') next[k] = structuredClone(v);
        return this.#slotsOnce([{ key: `${at}:any`, slots: stringSlots(next, skip) }]);
      }
    }
  }

  /**
   * A response object's fields outside {@link RESPONSE_FIELDS} (one an upstream or a later API version adds): every
   * string in them checked as output and rewritten in place (`response` is the caller's copy; values under those
   * fields are copied before they are written). False when blocked.
   */
  async checkResponseFields(response: Json): Promise<boolean> {
    for (const [k, v] of Object.entries(response))
      if (!RESPONSE_FIELDS.has(k) && typeof v === 'object' && v !== null) response[k] = structuredClone(v);
    return this.#slotsOnce([{ key: 'response', slots: stringSlots(response, RESPONSE_FIELDS, NO_KEYS) }]);
  }

  /**
   * A content or summary part's fields besides the ones read above (`type`, `text`, `annotations`, `logprobs`,
   * `refusal`), in `next` (a copy): every string in them checked as output. A part of a kind this code does not
   * know, with no `text`, has every string but its `type` checked so. False when blocked.
   */
  async #partFields(next: Json, key: string): Promise<boolean> {
    for (const [k, v] of Object.entries(next))
      if (!PART_FIELDS.has(k) && typeof v === 'object' && v !== null) next[k] = structuredClone(v);
    return this.#slotsOnce([{ key: `${key}:extra`, slots: stringSlots(next, PART_FIELDS, NO_KEYS) }]);
  }

  /**
   * An output item with every text replaced by its checked version (log-probabilities kept only with a text
   * released unchanged); undefined when a check blocks.
   */
  async checkedItem(item: Json, outputIndex: number): Promise<Json | undefined> {
    const next: Json = { ...item };
    for (const key of ['content', 'summary'] as const) {
      const parts = item[key];
      if (!Array.isArray(parts)) continue;
      const out: unknown[] = [];
      for (const [i, part] of parts.entries()) {
        if (key === 'content' && isObj(part) && part.type === 'refusal' && typeof part.refusal === 'string') {
          // A refusal part's text (`refusal`), checked like the answer's.
          const whole = `${outputIndex}:refusal:${i}`;
          const refusal = this.#whole.get(whole) ?? (await this.#checkWhole(part.refusal));
          if (refusal === undefined) return undefined;
          this.#whole.set(whole, refusal);
          const copy: Json = { ...part, refusal };
          if (!(await this.#partFields(copy, whole))) return undefined;
          out.push(copy);
          continue;
        }
        if (!isObj(part)) {
          out.push(part);
          continue;
        }
        if (typeof part.text !== 'string') {
          // A part with no text this code reads (a kind added later): every string in it but its kind is output.
          const copy: Json = { ...part };
          if (!(await this.#partFields(copy, `${outputIndex}:${key}:${i}`))) return undefined;
          out.push(copy);
          continue;
        }
        const streamed = key === 'content' ? this.#parts.get(`${outputIndex}:${i}`) : undefined;
        if (streamed && !streamed.ended) {
          // The upstream skipped the part's `.done`: what it still held back is checked now and goes out here.
          const r = await this.#end(streamed);
          if (r.stopped) return undefined;
          streamed.released += r.text;
        }
        let text = streamed?.released ?? this.#whole.get(`${outputIndex}:${key}:${i}`);
        if (text === undefined) {
          // Only a message's answer text is the JSON asked for; reasoning is prose.
          text = await this.#checkWhole(part.text, item.type === 'message' && part.type === 'output_text');
          if (text === undefined) return undefined;
          this.#whole.set(`${outputIndex}:${key}:${i}`, text);
        }
        const annotated = key === 'content' ? await this.#withAnnotations(part, outputIndex, i) : { ...part };
        if (annotated === undefined) return undefined;
        if (!(await this.#partFields(annotated, `${outputIndex}:${key}:${i}`))) return undefined;
        if (Array.isArray(annotated.annotations))
          annotated.annotations = reindexCitations(annotated.annotations, part.text, text);
        if (text === part.text) out.push({ ...annotated, text });
        else {
          // Log-probabilities spell out the upstream's tokens: they go only with a text released unchanged.
          const { logprobs: _l, ...rest } = annotated;
          out.push({ ...rest, text });
        }
      }
      next[key] = out;
    }
    // A generated image (`image_generation_call`'s base64 `result`): nothing the checks read.
    if (item.type === 'image_generation_call' && typeof item.result === 'string' && item.result && this.#withhold) {
      next.result = null;
      if (!this.#withheldAt.has(outputIndex)) {
        this.#withheldAt.add(outputIndex);
        this.withheld.add(typeof item.output_format === 'string' ? `image/${item.output_format}` : 'image');
      }
    }
    // A function call's JSON `arguments`, and a custom tool's free-form `input`, checked the same way.
    const field = item.type === 'function_call' ? 'arguments' : item.type === 'custom_tool_call' ? 'input' : undefined;
    if (field !== undefined && typeof item[field] === 'string') {
      // The key the streamed deltas of this field were kept under (`#deltaKey`), so a checked stream is not redone.
      const key = `${outputIndex}:${field === 'arguments' ? 'args' : field}:0`;
      let value = this.#whole.get(key);
      if (value === undefined) {
        value = await this.#checkCall(String(item.name ?? ''), item[field] as string);
        if (value === undefined) return undefined;
        this.#whole.set(key, value);
      }
      next[field] = value;
    }
    if (!(await this.#otherItem(item, next, outputIndex))) return undefined;
    // The fields of a known kind this code does not read (one an upstream adds): every string in them is output.
    const known = ITEM_FIELDS[String(item.type)];
    if (known) {
      const skip = new Set([...FRAME_FIELDS, ...known]);
      for (const [k, v] of Object.entries(next))
        if (!skip.has(k) && typeof v === 'object' && v !== null) next[k] = structuredClone(v);
      if (!(await this.#slotsOnce([{ key: `${outputIndex}:extra`, slots: stringSlots(next, skip) }]))) return undefined;
    }
    return next;
  }
}

interface TextPart {
  key: string;
  checker: StreamGuard;
  /** Text released to the client so far (checked, rewritten, placeholders restored). */
  released: string;
  /** The upstream's text received so far, as it came (what its citations' offsets count in). */
  raw: string;
  /** Checked `annotation.added` events held until the text is done, when their offsets can be moved. */
  annotations: Json[];
  itemId?: string;
  /** A delta (or a whole text) arrived. */
  received: boolean;
  ended: boolean;
}

/** Fields an announced item keeps as they are: its frame, a tool's name and server, an image's settings. */
const ANNOUNCED_FIELDS = new Set([
  ...FRAME_FIELDS,
  'name',
  'server_label',
  'container_id',
  'phase',
  'output_format',
  'size',
  'quality',
  'background',
]);

/**
 * An item as first announced: no text yet (what arrives later is released once checked). Every other field is
 * emptied, whatever the item's kind: strings to `""`, arrays to `[]`, objects to their `type` alone (a local
 * shell call's `action` to `{type: "exec"}`).
 */
function blankItem(item: unknown): unknown {
  if (!isObj(item)) return item;
  const next: Json = { ...item };
  for (const [k, v] of Object.entries(item)) {
    if (ANNOUNCED_FIELDS.has(k)) continue;
    if (typeof v === 'string') next[k] = '';
    else if (Array.isArray(v)) next[k] = [];
    else if (isObj(v)) next[k] = typeof v.type === 'string' ? { type: v.type } : {};
  }
  return next;
}

/** The name an MCP call's tool rules match: `mcp:<server_label>.<name>`. */
function mcpToolName(item: Json): string {
  return `mcp:${String(item.server_label ?? '')}.${String(item.name ?? '')}`;
}

/** A local shell call's action as its rules read it: the argv joined into one command line (`rm -rf /`). */
function argvJoined(action: unknown): unknown {
  if (!isObj(action) || !Array.isArray(action.command)) return action;
  return { ...action, command: action.command.map(String).join(' ') };
}

/** A web search's action without the `sources` it found (URLs the search returned, not ones the model chose). */
function withoutSources(action: unknown): unknown {
  if (!isObj(action) || !('sources' in action)) return action;
  const { sources: _s, ...rest } = action;
  return rest;
}

/**
 * Without log-probabilities: their tokens spell out the raw, unchecked text. (`obfuscation` is random padding
 * that OpenAI adds to deltas against length side channels; it says nothing and is dropped with them.)
 */
function scrub(ev: Json): Json {
  const { logprobs: _l, obfuscation: _o, ...rest } = ev;
  const part = (p: unknown) => {
    if (!isObj(p) || !('logprobs' in p)) return p;
    const { logprobs: _pl, ...keep } = p;
    return keep;
  };
  const item = (it: unknown) =>
    isObj(it) && Array.isArray(it.content) ? { ...it, content: it.content.map(part) } : it;
  if (isObj(rest.part)) rest.part = part(rest.part);
  if (isObj(rest.item)) rest.item = item(rest.item);
  if (isObj(rest.response) && Array.isArray(rest.response.output))
    rest.response = { ...rest.response, output: rest.response.output.map(item) };
  return rest;
}

/**
 * A content or summary part as first announced: its `type` alone and every other field emptied (strings to `""`,
 * arrays to `[]`, objects to their `type`), whatever its kind: an `output_text` part's text and citations (they
 * arrive with their own events, checked), a refusal's `refusal`, and any field an upstream adds.
 */
function blankPart(part: unknown): Json {
  if (!isObj(part)) return { type: 'output_text', text: '', annotations: [] };
  const next: Json = { type: part.type };
  for (const [k, v] of Object.entries(part)) {
    if (k === 'type' || k === 'logprobs') continue;
    if (typeof v === 'string') next[k] = '';
    else if (Array.isArray(v)) next[k] = [];
    else if (isObj(v)) next[k] = typeof v.type === 'string' ? { type: v.type } : {};
    else next[k] = v; // numbers, booleans, null: no text
  }
  if (part.type === 'output_text') {
    next.text = '';
    next.annotations = [];
  }
  return next;
}

/**
 * A text part as a stream event carries it once checked: its kind, the checked `text`, and for an answer's text
 * its checked citations; nothing else of the upstream's part (the part in the item's `.done` and in the final
 * response is checked whole, {@link ResponsesStreamGuard.checkedItem}).
 */
function textPart(part: Json, text: string): Json {
  const next: Json = { type: part.type, text };
  if (part.type === 'output_text') next.annotations = Array.isArray(part.annotations) ? part.annotations : [];
  return next;
}

/** A response as announced: its known fields ({@link RESPONSE_FIELDS}) alone, with no output yet. */
function blankResponse(response: Json): Json {
  const next = pick(response, [...RESPONSE_FIELDS]);
  next.output = [];
  if ('output_text' in next) next.output_text = '';
  return next;
}

/**
 * Citations with their offsets into a part's text (`start_index`/`end_index`, a file citation's `index`) moved from
 * the upstream's text `raw` to the `text` released for it. A rewrite (a redaction, placeholders restored) changes
 * only what lies between the texts' common prefix and common suffix: an offset before that stretch stays, one after
 * it moves by the change in length, and a citation whose range reaches into it has its offsets dropped (the cited
 * text was rewritten; its title and URL stay). Unchanged text: the citations as they are.
 */
export function reindexCitations(annotations: unknown[], raw: string, text: string): unknown[] {
  if (raw === text) return annotations;
  const min = Math.min(raw.length, text.length);
  let head = 0;
  while (head < min && raw[head] === text[head]) head++;
  let tail = 0;
  while (tail < min - head && raw[raw.length - 1 - tail] === text[text.length - 1 - tail]) tail++;
  const editEnd = raw.length - tail;
  const shift = text.length - raw.length;
  const fields = ['start_index', 'end_index', 'index'] as const;
  return annotations.map((a) => {
    if (!isObj(a) || !fields.some((f) => typeof a[f] === 'number')) return a;
    const at = fields.filter((f) => typeof a[f] === 'number').map((f) => a[f] as number);
    const from = Math.min(...at);
    const to = Math.max(...at);
    const next: Json = { ...a };
    if (to <= head) return next;
    if (from >= editEnd) {
      for (const f of fields) if (typeof a[f] === 'number') next[f] = (a[f] as number) + shift;
      return next;
    }
    for (const f of fields) if (typeof a[f] === 'number') delete next[f];
    return next;
  });
}

/** An image generation's partial image event: ids, the image and its settings. */
const PARTIAL_IMAGE_FIELDS = [
  ...ITEM_IDS,
  'partial_image_index',
  'partial_image_b64',
  'output_format',
  'size',
  'quality',
  'background',
] as const;

/** A `rate_limits.updated` event's limits: each one's name (`requests`, `tokens`) and its numbers. */
function rateLimits(limits: unknown): unknown[] {
  if (!Array.isArray(limits)) return [];
  return limits.filter(isObj).map((l) => {
    const out = pick(l, ['limit', 'remaining', 'reset_seconds']);
    for (const k of Object.keys(out)) if (typeof out[k] !== 'number') delete out[k];
    if (typeof l.name === 'string' && /^[a-z_]{1,40}$/.test(l.name)) out.name = l.name;
    return out;
  });
}

/** Key of a text released whole: function-call arguments, a reasoning summary or a reasoning text. */
function wholeKey(ev: Json): string {
  const type = String(ev.type);
  const at = ev.output_index ?? 0;
  if (type.startsWith('response.function_call_arguments') || type.startsWith('response.mcp_call_arguments'))
    return `${at}:args:0`;
  if (type.startsWith('response.custom_tool_call_input')) return `${at}:input:0`;
  if (type.startsWith('response.code_interpreter_call_code')) return `${at}:code:0`;
  if (type.startsWith('response.reasoning_summary_text')) return `${at}:summary:${ev.summary_index ?? 0}`;
  if (type.startsWith('response.refusal')) return `${at}:refusal:${ev.content_index ?? 0}`;
  return `${at}:content:${ev.content_index ?? 0}`;
}

/** One server-sent event in the Responses format (`event:` line named by the payload's type). */
export function responsesEvent(ev: Json): string {
  return `event: ${String(ev.type)}\ndata: ${JSON.stringify(ev)}\n\n`;
}

/** The whole stream of a refusal (the input was blocked), as the API streams a short answer. */
export function refusalStream(id: string, model: string | undefined, text: string): string {
  const response = blockedResponse(id, model, text);
  const item = refusalItem(id, text);
  const inProgress = { ...response, status: 'in_progress', output: [], output_text: '', incomplete_details: null };
  const events: Json[] = [
    { type: 'response.created', response: inProgress },
    { type: 'response.output_item.added', output_index: 0, item: { ...item, status: 'in_progress', content: [] } },
    {
      type: 'response.content_part.added',
      item_id: item.id,
      output_index: 0,
      content_index: 0,
      part: { type: 'output_text', text: '', annotations: [] },
    },
    { type: 'response.output_text.delta', item_id: item.id, output_index: 0, content_index: 0, delta: text },
    { type: 'response.output_text.done', item_id: item.id, output_index: 0, content_index: 0, text },
    {
      type: 'response.content_part.done',
      item_id: item.id,
      output_index: 0,
      content_index: 0,
      part: { type: 'output_text', text, annotations: [] },
    },
    { type: 'response.output_item.done', output_index: 0, item },
    { type: 'response.incomplete', response },
  ];
  return events.map((ev, i) => responsesEvent({ ...ev, sequence_number: i })).join('');
}

/**
 * The vault of each stored response, for the next turn that continues it with `previous_response_id`: the
 * upstream holds that conversation with placeholders in it, so the next answer may use them. In memory, per
 * process, for `ttlMs` after the response and at most `max` conversations (the oldest go first).
 */
export class ResponseSessions {
  readonly #byId = new Map<string, { session: GuardSession; expires: number }>();
  constructor(
    readonly max = 10_000,
    readonly ttlMs = 3_600_000,
  ) {}

  /** The vault `owner` stored under `id`; another owner's, or an expired one, is not found. */
  get(id: string, owner = ''): GuardSession | undefined {
    const key = `${owner}\u0000${id}`;
    const hit = this.#byId.get(key);
    if (!hit) return undefined;
    if (hit.expires < Date.now()) {
      this.#byId.delete(key);
      return undefined;
    }
    return hit.session;
  }

  /** Keeps `session` for `owner`'s next turn after response `id` (each owner has its own, whatever the ids). */
  set(id: string, session: GuardSession, owner = ''): void {
    const key = `${owner}\u0000${id}`;
    this.#byId.delete(key);
    this.#byId.set(key, { session, expires: Date.now() + this.ttlMs });
    while (this.#byId.size > this.max) {
      const oldest = this.#byId.keys().next().value as string;
      this.#byId.delete(oldest);
    }
  }

  get size(): number {
    return this.#byId.size;
  }
}

/** How a guarded Responses stream ended, for metrics. */
export type StreamOutcome =
  | '200'
  | 'stopped_output'
  | 'stopped_tool'
  | 'stream_error'
  | 'stream_timeout'
  | 'stream_too_large';

/**
 * The client's side of a streamed Responses call: the upstream's events re-emitted through a
 * {@link ResponsesStreamGuard}. A stop ends the stream with `response.incomplete` and aborts `ctrl` (the
 * upstream request); a client that goes away aborts it too.
 */
export function guardedResponsesStream(
  events: (room: Room) => AsyncIterable<string>,
  ctx: ResponsesContext,
  ctrl: AbortController,
  onEnd: (outcome: StreamOutcome, responseId: string | undefined) => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const guard = new ResponsesStreamGuard(ctx);
  return pacedStream(
    async (controller, room) => {
      const send = (evs: Json[]) => {
        for (const ev of evs) controller.enqueue(encoder.encode(responsesEvent(ev)));
      };
      let outcome: StreamOutcome = '200';
      try {
        let done = false;
        for await (const data of events(room)) {
          if (data.trim() === '[DONE]') break;
          let ev: unknown;
          try {
            ev = JSON.parse(data);
          } catch {
            continue;
          }
          if (!isObj(ev)) continue;
          const step = await guard.push(ev);
          send(step.send);
          if (step.stopped) {
            outcome = step.stopped === 'tool' ? 'stopped_tool' : 'stopped_output';
            ctrl.abort();
            done = true;
            break;
          }
          if (step.done) {
            if (step.failed) outcome = 'stream_error';
            done = true;
            break;
          }
        }
        if (!done && !ctrl.signal.aborted) {
          outcome = 'stream_error';
          send([guard.upstreamError('The upstream stream ended before the response was complete.')]);
        }
      } catch (e) {
        // A timeout or an oversize answer (`limitedBody`) aborted the request itself: still an error event.
        if (e instanceof UpstreamFailure) {
          outcome = e.outcome as StreamOutcome;
          send([guard.upstreamError(e.error.error.message, e.error.error.code ?? undefined)]);
        } else if (!ctrl.signal.aborted) {
          outcome = 'stream_error';
          send([guard.upstreamError(`Upstream stream failed: ${(e as Error).message}`)]);
        }
      } finally {
        guard.recordOpen();
        onEnd(outcome, guard.responseId);
        try {
          controller.close();
        } catch {}
      }
    },
    () => ctrl.abort(), // the client went away: stop the upstream too
  );
}
