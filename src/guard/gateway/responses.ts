/**
 * The OpenAI Responses API (`POST /v1/responses`) through the guard: the same checks as chat completions,
 * on the Responses shapes — input items in, output items out, and its typed stream events.
 *
 * Input: user messages are checked as `input`, tool results (`function_call_output`) as `context`, earlier
 * function calls as `tool`; text is rewritten in place (PII pseudonymised). Output: every `output_text` part,
 * reasoning summary and reasoning text is checked and rewritten (placeholders restored), every function call's
 * arguments restored and checked, and so is every other item: built-in and client-executed tool calls through the
 * tool rules and the `tool` stage, their texts and unknown items' strings as output ({@link checkedItem}). A block
 * replaces the output with the refusal and marks the response `incomplete` for `content_filter`, as the API does
 * for its own filter.
 *
 * Streaming: text deltas are held by a {@link StreamGuard} per content part and released only once checked;
 * function-call arguments and reasoning text are released whole after their check; the final response object
 * carries the checked texts. Event types not known to carry no model text are dropped, so nothing unchecked
 * slips out in an event this code does not know.
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

const NO_KEYS: ReadonlySet<string> = new Set();
/** Fields of a citation that are no text: its kind and the ids of the file or container it cites. */
const ANNOTATION_FRAME: ReadonlySet<string> = new Set(['type', 'file_id', 'container_id']);
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
    // Other items (reasoning, item references, built-in tool calls) carry no text the input stage reads.
  }
  return {
    messages,
    apply: (checked) => {
      const next = [...input];
      for (const [i, b] of back.entries()) next[b.at] = b.write(input[b.at] as Json, checked[i]);
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
    if (next === undefined) {
      json.output = [refusalItem(ctx.requestId, ctx.guard.policy.refusal)];
      json.status = 'incomplete';
      json.incomplete_details = { reason: 'content_filter' };
      json.output_text = ctx.guard.policy.refusal;
      return { blocked: true, withheld: reader.withheld.header() };
    }
    checked.push(next);
  }
  json.output = checked;
  if ('output_text' in json) json.output_text = outputText(checked);
  const mark = reader.withheld.field();
  if (mark) json.lifeguard = mark;
  return { blocked: false, withheld: reader.withheld.header() };
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

/** Events passed on as they are: they carry no model text. */
const PASS_EVENTS = new Set(['rate_limits.updated']);
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
    if (!Array.isArray(part.annotations) || part.annotations.length === 0) return part;
    const annotations = await this.#annotations(outputIndex, contentIndex, part.annotations);
    return annotations === undefined ? undefined : { ...part, annotations };
  }

  async push(ev: Json): Promise<StreamStep> {
    const type = String(ev.type ?? '');
    if (isObj(ev.response)) {
      if (typeof ev.response.id === 'string') this.#responseId = ev.response.id;
      if (typeof ev.response.model === 'string') this.#model = ev.response.model;
    }
    if (PASS_EVENTS.has(type) || TOOL_STATUS.test(type)) return { send: [this.#out(ev)] };
    // A partial image of an image generation: nothing the checks read. Passed on only under `binaryParts: allow`
    // (or an output stage that enforces nothing); else the final item's image is withheld, and said so.
    if (type === 'response.image_generation_call.partial_image') return { send: this.#withhold ? [] : [this.#out(ev)] };
    switch (type) {
      case 'response.created':
      case 'response.in_progress':
      case 'response.queued':
        // Announcements: whatever output an upstream puts in them is not checked yet, so none goes out.
        return { send: [this.#out(isObj(ev.response) ? { ...ev, response: blankResponse(ev.response) } : ev)] };
      case 'response.output_item.added':
        if (isObj(ev.item)) {
          this.#added.set(Number(ev.output_index ?? 0), ev.item);
          if (typeof ev.item.name === 'string') this.#names.set(Number(ev.output_index ?? 0), ev.item.name);
        }
        return { send: [this.#out({ ...ev, item: blankItem(ev.item) })] };
      case 'response.content_part.added':
      case 'response.reasoning_summary_part.added':
        return { send: [this.#out({ ...ev, part: blankPart(ev.part) })] };
      case 'response.output_text.delta': {
        if (typeof ev.delta !== 'string') return { send: [] };
        const p = this.#part(ev);
        if (p.ended) return { send: [] };
        p.received = true;
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
        return { send: [this.#out({ type, ...ids, annotation: box.annotation })] };
      }
      case 'response.output_text.done': {
        const p = this.#part(ev);
        let early = '';
        if (!p.received && !p.ended && typeof ev.text === 'string' && ev.text) {
          // The text came whole, without deltas: it is checked like a stream that had one chunk.
          p.received = true;
          const r = await p.checker.push(ev.text);
          if (r.stopped) return this.#stopText(p);
          early = r.text;
        }
        const r = await this.#end(p);
        if (r.stopped) return this.#stopText(p);
        const send = early + r.text ? [this.#delta(ev, p, early + r.text)] : [];
        send.push(this.#out({ ...ev, text: p.released }));
        return { send };
      }
      case 'response.content_part.done': {
        if (isObj(ev.part) && ev.part.type === 'refusal') {
          const key = `${ev.output_index ?? 0}:refusal:${ev.content_index ?? 0}`;
          const text = typeof ev.part.refusal === 'string' ? ev.part.refusal : '';
          const checked = this.#whole.get(key) ?? (await this.#checkWhole(text));
          if (checked === undefined) return this.#stop('output');
          this.#whole.set(key, checked);
          return { send: [this.#out({ ...ev, part: { ...ev.part, refusal: checked } })] };
        }
        const p = this.#parts.get(`${ev.output_index ?? 0}:${ev.content_index ?? 0}`);
        if (!isObj(ev.part) || typeof ev.part.text !== 'string') return { send: [this.#out(ev)] };
        const part = await this.#withAnnotations(ev.part, Number(ev.output_index ?? 0), Number(ev.content_index ?? 0));
        if (part === undefined) return this.#stop('output');
        if (!p)
          return this.#wholePart({ ...ev, part }, `${ev.output_index ?? 0}:content:${ev.content_index ?? 0}`, true);
        return { send: [this.#out({ ...ev, part: { ...part, text: p.released } })] };
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
            this.#out({ ...ev, arguments: checked }),
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
            this.#out({ ...ev, [field]: checked }),
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
            this.#out({ ...ev, code: checked }),
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
        const deltaType = type.replace(/\.done$/, '.delta');
        const { text: _t, ...rest } = ev;
        return {
          send: [this.#out({ ...rest, type: deltaType, delta: checked }), this.#out({ ...ev, text: checked })],
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
            this.#out({ ...ev, refusal: checked }),
          ],
        };
      }
      case 'response.reasoning_summary_part.done': {
        if (!isObj(ev.part) || typeof ev.part.text !== 'string') return { send: [this.#out(ev)] };
        return this.#wholePart(ev, `${ev.output_index ?? 0}:summary:${ev.summary_index ?? 0}`);
      }
      case 'response.output_item.done': {
        if (!isObj(ev.item)) return { send: [this.#out(ev)] };
        const item = await this.checkedItem(ev.item, Number(ev.output_index ?? 0));
        if (item === undefined) return this.#stop(this.#blockedBy);
        return { send: [this.#out({ ...ev, item })] };
      }
      case 'response.completed':
      case 'response.incomplete':
      case 'response.failed': {
        if (!isObj(ev.response)) return { send: [this.#out(ev)], done: true, failed: type === 'response.failed' };
        const output = Array.isArray(ev.response.output) ? ev.response.output : [];
        const items: unknown[] = [];
        for (const [i, it] of output.entries()) {
          if (!isObj(it)) continue;
          const item = await this.checkedItem(it, i);
          if (item === undefined) return this.#stop(this.#blockedBy);
          items.push(item);
        }
        const response: Json = { ...ev.response, output: items };
        if ('output_text' in response) response.output_text = outputText(items);
        const mark = this.withheld.field();
        if (mark) response.lifeguard = mark;
        // The upstream's own failure: a stream error, as the chat route counts the upstream's error events.
        return { send: [this.#out({ ...ev, response })], done: true, failed: type === 'response.failed' };
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
    return { send: [this.#out({ ...ev, part: { ...part, text: checked } })] };
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
          out.push({ ...part, refusal });
          continue;
        }
        if (!isObj(part) || typeof part.text !== 'string') {
          out.push(part);
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
        const annotated = key === 'content' ? await this.#withAnnotations(part, outputIndex, i) : part;
        if (annotated === undefined) return undefined;
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
    return (await this.#otherItem(item, next, outputIndex)) ? next : undefined;
  }
}

interface TextPart {
  key: string;
  checker: StreamGuard;
  /** Text released to the client so far (checked, rewritten, placeholders restored). */
  released: string;
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

/** A content or summary part as first announced: no text (a refusal part: no refusal) yet. */
function blankPart(part: unknown): unknown {
  if (!isObj(part)) return part;
  const next: Json = { ...part, text: '' };
  // Citations arrive with their own events, checked.
  if (Array.isArray(part.annotations)) next.annotations = [];
  if (part.type === 'refusal') {
    delete next.text;
    next.refusal = '';
  }
  return next;
}

function blankResponse(response: Json): Json {
  const next: Json = { ...response, output: [] };
  if ('output_text' in next) next.output_text = '';
  return next;
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
