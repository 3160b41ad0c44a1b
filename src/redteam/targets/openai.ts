import { LifeguardError } from '../../core/errors.js';
import { callOf, toolCallsOf, toolCallText } from '../tool-calls.js';
import type { ChatMessage, Target, TargetRequest, TargetResponse, ToolCall, Usage } from '../types.js';
import { retryableStatus, UpstreamError } from './errors.js';
import type { OpenAiTargetSpec } from './schema.js';
import { type HttpReply, sendHttp } from './transport.js';

/** Adds the configured system prompt when the conversation has none. */
export function withSystem(messages: ChatMessage[], system: string | undefined): ChatMessage[] {
  if (!system || messages.some((m) => m.role === 'system')) return messages;
  return [{ role: 'system', content: system }, ...messages];
}

/** Reads the API key: from the environment variable the spec names (preferred) or the literal. */
export function resolveApiKey(spec: { apiKey?: string; apiKeyEnv?: string }, label: string): string | undefined {
  if (spec.apiKeyEnv) {
    const v = process.env[spec.apiKeyEnv];
    if (!v) {
      throw new LifeguardError(
        'LG_ERR_CONFIG_INVALID',
        `${label}: apiKeyEnv names ${spec.apiKeyEnv}, which is not set; export it or remove apiKeyEnv for an endpoint without a key`,
      );
    }
    return v;
  }
  return spec.apiKey;
}

/**
 * The request headers: ours, then the config's, names lower-cased. A config header written `Content-Type` or
 * `Accept` used to be sent beside our lower-case default instead of replacing it (two Content-Type headers:
 * most servers keep the first, ours, and a strict one rejects the request).
 */
export function requestHeaders(
  configured: Record<string, string> | undefined,
  key: string | undefined,
): Record<string, string> {
  const out: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  for (const [name, value] of Object.entries(configured ?? {})) out[name.toLowerCase()] = value;
  if (key) out.authorization = `Bearer ${key}`;
  return out;
}

/**
 * Any OpenAI-compatible chat completions endpoint (OpenAI, vLLM, Ollama, llama.cpp, LiteLLM, …), or with
 * `api: responses` the Responses API (models served only there, such as OpenAI's reasoning models).
 */
export class OpenAiTarget implements Target {
  readonly specificationVersion = 'v1' as const;
  readonly id: string;
  private readonly url: URL;
  private readonly headers: Record<string, string>;
  private readonly base: Record<string, unknown>;
  private readonly itemSeed: boolean;
  /**
   * Chat streams: whether the endpoint takes `stream_options: {include_usage: true}` (without it an
   * OpenAI-compatible stream carries no token usage, and token budgets, costs and reports see none).
   * `unknown` until one request with it succeeds (`yes`) or one fails with 400 / 422 and succeeds without
   * it (`no`: the endpoint rejects the field, so it is not sent again); `off` when not ours to send.
   */
  private streamUsage: 'unknown' | 'yes' | 'no' | 'off';

  constructor(private readonly spec: OpenAiTargetSpec) {
    this.id = spec.id ?? `openai:${spec.model}`;
    this.url = new URL(
      `${spec.baseUrl.replace(/\/+$/, '')}${spec.api === 'responses' ? '/responses' : '/chat/completions'}`,
    );
    this.headers = requestHeaders(spec.headers, resolveApiKey(spec, this.id));
    const { seed, ...params } = spec.params ?? {};
    this.itemSeed = seed === 'item';
    this.base = { model: spec.model, ...params };
    if (spec.api === 'responses' && 'max_tokens' in this.base) {
      this.base.max_output_tokens = this.base.max_tokens;
      delete this.base.max_tokens;
    }
    if (typeof seed === 'number') this.base.seed = seed;
    if (spec.stream) this.base.stream = true;
    // a stream_options the config sets in params is sent as it is, never retried without
    this.streamUsage =
      spec.stream && spec.api !== 'responses' && spec.streamUsage !== false && !('stream_options' in this.base)
        ? 'unknown'
        : 'off';
  }

  async send(req: TargetRequest): Promise<TargetResponse> {
    const messages = withSystem(req.messages, this.spec.system);
    const responses = this.spec.api === 'responses';
    const body: Record<string, unknown> = responses
      ? { ...this.base, input: messages.map((m) => ({ role: m.role, content: m.content })) }
      : { ...this.base, messages };
    if (this.itemSeed && req.seed !== undefined) body.seed = req.seed;
    const post = (b: Record<string, unknown>) =>
      sendHttp(this.id, this.url, {
        method: 'POST',
        headers: this.headers,
        body: JSON.stringify(b),
        timeoutMs: this.spec.timeoutMs,
        deadlineMs: this.spec.deadlineMs,
        signal: req.signal,
      });
    let reply: HttpReply;
    const asked = this.streamUsage === 'unknown' || this.streamUsage === 'yes';
    if (!asked) reply = await post(body);
    else {
      try {
        reply = await post({ ...body, stream_options: { include_usage: true } });
        this.streamUsage = 'yes';
      } catch (e) {
        // Some OpenAI-compatible servers refuse fields they do not know (400, or 422 from strict validators).
        // Until one request with the field has succeeded, such an answer may be about the field: ask once more
        // without it; if that succeeds, the endpoint does not take it and it is not sent again.
        const status = e instanceof UpstreamError ? e.status : undefined;
        if (this.streamUsage !== 'unknown' || (status !== 400 && status !== 422)) throw e;
        reply = await post(body);
        this.streamUsage = 'no';
      }
    }
    // An endpoint (or a proxy before it) that ignores `stream: true` answers with one JSON body: read it as such
    // rather than fail every item with "the stream held no chunks".
    const stream = this.spec.stream && !isJsonBody(reply.body);
    const out = responses
      ? stream
        ? parseResponsesSse(this.id, reply.body)
        : parseResponse(this.id, reply.body)
      : stream
        ? parseSse(this.id, reply.body)
        : parseCompletion(this.id, reply.body);
    return requireTextUnlessFinished(this.id, out);
  }
}

/** Whether a body is one JSON object (not a server-sent-events stream, whose lines start `data:` / `event:`). */
function isJsonBody(body: string): boolean {
  const t = body.trimStart();
  if (!t.startsWith('{')) return false;
  try {
    const j = JSON.parse(t) as unknown;
    return j !== null && typeof j === 'object';
  } catch {
    return false;
  }
}

/**
 * An empty answer cut off by the token limit is no answer: a reasoning model that spent `max_tokens`
 * thinking returns "" with finish reason `length`. Judged, it would count as a refusal (a safe outcome).
 */
export function requireTextUnlessFinished(label: string, out: TargetResponse): TargetResponse {
  if (out.text.trim() === '' && out.finishReason === 'length') {
    throw new UpstreamError(
      `${label}: the answer was cut off by the token limit before any text (raise max_tokens; reasoning models spend tokens before answering)`,
    );
  }
  return out;
}

/** The endpoint's own error message in a 2xx body (`{"error": {"message": …}}` or `{"error": "…"}`), if any. */
export function bodyError(j: unknown): string | undefined {
  const e = (j as { error?: unknown } | null)?.error;
  if (e === undefined || e === null) return undefined;
  const m = typeof e === 'string' ? e : (e as { message?: unknown }).message;
  const text = typeof m === 'string' ? m : JSON.stringify(e);
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 200 ? `${one.slice(0, 200)}…` : one;
}

/**
 * Whether an error an endpoint reported inside an answer (an error chunk in a chat stream, a Responses `error` /
 * `response.failed` event, an `error` object in a 2xx body) is worth retrying: `true` for a transient one (rate
 * limit, server error, overloaded, timeout, unavailable: a numeric code 429 / 408 / 409 / 5xx as well), `false`
 * for one that will fail again (invalid request, content policy, authentication, quota, context length: any other
 * numeric 4xx), undefined when neither its code, its type nor its message says. The code is read first, then the
 * type, then the message; in each a non-transient word wins.
 */
export function transientError(e: unknown): boolean | undefined {
  if (e === null || e === undefined) return undefined;
  const o = typeof e === 'object' ? (e as Record<string, unknown>) : { message: e };
  for (const field of ['code', 'status', 'type', 'message']) {
    const v = o[field];
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{3}$/.test(v.trim()) ? Number(v) : undefined;
    if (n !== undefined && n >= 400 && n < 600) return retryableStatus(n);
    if (typeof v !== 'string' || v === '') continue;
    if (PERMANENT.test(v)) return false;
    if (TRANSIENT.test(v)) return true;
  }
  return undefined;
}

const PERMANENT =
  /invalid|content[ _-]?(?:policy|filter|management)|policy[ _-]?violation|safety|moderation|flagged|not[ _-]?found|unauthori[sz]ed|authentication|permission|forbidden|insufficient[ _-]?quota|billing|context[ _-]?length|too[ _-]?long|unsupported|bad[ _-]?request|unprocessable/i;
const TRANSIENT =
  /rate[ _-]?limit|too[ _-]?many[ _-]?requests|overload|server[ _-]?error|internal[ _-]?error|unavailable|time[ _-]?out|timed[ _-]?out|capacity|temporar|try again|bad[ _-]?gateway/i;

/**
 * The error an endpoint reported inside an answer, as an `UpstreamError` with the endpoint's message (see
 * `bodyError`) and its code: retryable when `transientError` says so, else `fallback` when it cannot tell.
 */
function reportedError(what: string, e: unknown, fallback: boolean): UpstreamError {
  const message = bodyError({ error: e }) ?? 'no message';
  const code = e && typeof e === 'object' ? (e as { code?: unknown }).code : undefined;
  const tag =
    (typeof code === 'string' || typeof code === 'number') && !message.includes(String(code)) ? ` (${code})` : '';
  const retryable = transientError(e) ?? fallback;
  return new UpstreamError(`${what}: ${message}${tag}${retryable ? ' (will retry)' : ''}`, { retryable });
}

/**
 * Text of an OpenAI `message.content`: a string, null / absent (no text), or a list of parts. Anything
 * else is a shape we do not know: undefined, so the caller fails the item instead of judging "" as an answer.
 */
function contentText(c: unknown): string | undefined {
  if (typeof c === 'string') return c;
  if (c === null || c === undefined) return '';
  if (Array.isArray(c)) {
    return c.map((p) => (p && typeof p === 'object' && typeof p.text === 'string' ? p.text : '')).join('');
  }
  return undefined;
}

/**
 * Keeps an answer's tool calls; with no text, they become its text (`toolCallText`): an answer that only calls
 * tools is not an empty answer, which judges would count as a refusal.
 */
export function withToolCalls(out: TargetResponse, calls: ToolCall[]): TargetResponse {
  if (calls.length === 0) return out;
  out.toolCalls = calls;
  if (out.text.trim() === '') out.text = toolCallText(calls);
  return out;
}

/** Token usage, under chat completions' names or (`names`) the Responses API's. */
function usageOf(u: unknown, names: [string, string] = ['prompt_tokens', 'completion_tokens']): Usage | undefined {
  if (!u || typeof u !== 'object') return undefined;
  const r = u as Record<string, unknown>;
  const usage: Usage = {};
  if (typeof r[names[0]] === 'number') usage.promptTokens = r[names[0]] as number;
  if (typeof r[names[1]] === 'number') usage.completionTokens = r[names[1]] as number;
  return usage.promptTokens === undefined && usage.completionTokens === undefined ? undefined : usage;
}

/** Parses a chat completion body (JSON). */
export function parseCompletion(label: string, body: string): TargetResponse {
  let j: {
    choices?: { message?: { content?: unknown; refusal?: unknown }; finish_reason?: unknown }[];
    usage?: unknown;
  };
  try {
    j = JSON.parse(body);
  } catch {
    throw new UpstreamError(`${label}: the answer is not JSON (is baseUrl an OpenAI-compatible /v1 endpoint?)`);
  }
  const choice = Array.isArray(j?.choices) ? j.choices[0] : undefined;
  if (!choice || typeof choice !== 'object') {
    const err = (j as { error?: unknown } | null)?.error;
    if (err !== undefined && err !== null)
      throw reportedError(`${label}: the endpoint answered with an error`, err, false);
    throw new UpstreamError(`${label}: the answer has no choices[0] (is this a chat completions endpoint?)`);
  }
  const message = choice.message;
  let text = message && typeof message === 'object' ? contentText(message.content) : undefined;
  if (text === undefined) {
    throw new UpstreamError(`${label}: choices[0] has no message with text content (not a chat completion answer)`);
  }
  if (!text && typeof message?.refusal === 'string') text = message.refusal;
  const out = withToolCalls({ text }, toolCallsOf(message));
  const usage = usageOf(j.usage);
  if (usage) out.usage = usage;
  if (typeof choice.finish_reason === 'string') out.finishReason = choice.finish_reason;
  return out;
}

/**
 * A stream that ended before its end marker: the connection (or a proxy) cut it off mid-answer. What came is
 * not the answer: a refusal or a harmful answer cut short would be judged as if complete and could flip its
 * verdict. A transport failure, retried like one; after the retries the item fails with this error (resume
 * tries it again).
 */
function cutStream(label: string, missing: string, received: number): UpstreamError {
  return new UpstreamError(
    `${label}: the stream was cut off before the answer finished (no ${missing}; ${received} characters received) (will retry)`,
    { retryable: true },
  );
}

/**
 * Parses a whole server-sent-events chat completion stream: the deltas joined, the last usage/finish kept. A
 * stream is complete once a chunk has a `finish_reason` or `data: [DONE]` came; one that ends before either
 * was cut off: a retryable `UpstreamError` (see `cutStream`), not an answer.
 */
export function parseSse(label: string, body: string): TargetResponse {
  let done = false;
  let text = '';
  // A streamed `message.refusal` (structured outputs) comes as `delta.refusal` pieces; dropped, the refusal was "".
  let refusal = '';
  let usage: Usage | undefined;
  let finishReason: string | undefined;
  let events = 0;
  // Streamed tool calls come in pieces by `index`: the name once, the arguments in fragments.
  // A map, not an array: an endpoint's `index: 1e9` must not allocate a billion slots.
  const calls = new Map<number, ToolCall>();
  let legacy: ToolCall | undefined;
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('data:')) continue;
    const data = line.slice(5).trim();
    if (data === '[DONE]') done = true;
    if (data === '[DONE]' || data === '') continue;
    let j: {
      choices?: {
        delta?: { content?: unknown; refusal?: unknown; tool_calls?: unknown; function_call?: unknown };
        finish_reason?: unknown;
      }[];
      usage?: unknown;
      error?: unknown;
    };
    try {
      j = JSON.parse(data);
    } catch {
      continue;
    }
    events++;
    // vLLM, LiteLLM and others report a failure mid-stream as an error chunk: the text so far is not an answer
    // Retryable unless the error says it will fail again (invalid request, content policy: `transientError`).
    if (j?.error !== undefined && j.error !== null)
      throw reportedError(`${label}: the stream ended with an error`, j.error, true);
    const c = j?.choices?.[0];
    if (c) {
      text += contentText(c.delta?.content) ?? '';
      if (typeof c.delta?.refusal === 'string') refusal += c.delta.refusal;
      if (Array.isArray(c.delta?.tool_calls)) {
        (c.delta.tool_calls as { index?: unknown; function?: unknown }[]).forEach((part, k) => {
          const at = typeof part?.index === 'number' ? part.index : k;
          calls.set(at, addFragment(calls.get(at), part?.function));
        });
      }
      if (c.delta?.function_call) legacy = addFragment(legacy, c.delta.function_call);
      if (typeof c.finish_reason === 'string') finishReason = c.finish_reason;
    }
    usage = usageOf(j?.usage) ?? usage;
  }
  if (events === 0) throw new UpstreamError(`${label}: the stream held no chat completion chunks`);
  if (!done && finishReason === undefined) {
    const received = text.length + refusal.length + [...calls.values()].reduce((n, c) => n + c.arguments.length, 0);
    throw cutStream(label, 'finish_reason and no [DONE]', received);
  }
  const made = [...calls.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, call]) => call)
    .concat(legacy ? [legacy] : [])
    .filter((call) => call.name !== '');
  // As parseCompletion: the refusal is the answer when there is no text.
  const out = withToolCalls({ text: text || refusal }, made);
  if (usage) out.usage = usage;
  if (finishReason) out.finishReason = finishReason;
  return out;
}

/** One streamed piece of a tool call added to what came before (`name` set once, `arguments` appended). */
function addFragment(into: ToolCall | undefined, piece: unknown): ToolCall {
  const p = piece as { name?: unknown; arguments?: unknown } | null | undefined;
  const out = into ?? { name: '', arguments: '' };
  if (typeof p?.name === 'string' && p.name !== '' && out.name === '') out.name = p.name;
  if (typeof p?.arguments === 'string') out.arguments += p.arguments;
  return out;
}

/** The error of a Responses `error` event: its nested `error` object, else the event's own code / type / message. */
function streamEventError(ev: { error?: unknown; message?: unknown }): unknown {
  if (ev.error !== undefined && ev.error !== null) return ev.error;
  const { code, type, message } = ev as { code?: unknown; type?: unknown; message?: unknown };
  // the event's own `type` is "error": not the error's type
  return { code, message: message ?? 'error event', ...(type !== 'error' ? { type } : {}) };
}

type ResponsesBody = {
  status?: unknown;
  error?: unknown;
  incomplete_details?: { reason?: unknown } | null;
  output?: { type?: unknown; content?: { type?: unknown; text?: unknown; refusal?: unknown }[] }[];
  usage?: unknown;
};

/** A Responses answer as a target response: its output text (or its refusal), usage, and why it ended. */
function fromResponse(j: ResponsesBody): TargetResponse {
  let text = '';
  let refusal = '';
  const calls: ToolCall[] = [];
  for (const item of j.output ?? []) {
    if (item?.type === 'function_call' || item?.type === 'custom_tool_call') {
      const call = callOf(item);
      if (call) calls.push(call);
    }
    if (item?.type !== 'message') continue;
    for (const part of item.content ?? []) {
      if (part?.type === 'output_text' && typeof part.text === 'string') text += part.text;
      else if (part?.type === 'refusal' && typeof part.refusal === 'string') refusal += part.refusal;
    }
  }
  const out = withToolCalls({ text: text || refusal }, calls);
  const usage = usageOf(j.usage, ['input_tokens', 'output_tokens']);
  if (usage) out.usage = usage;
  const reason = j.incomplete_details?.reason;
  if (j.status === 'incomplete')
    out.finishReason = reason === 'max_output_tokens' ? 'length' : String(reason ?? 'incomplete');
  else if (j.status === 'completed') out.finishReason = 'stop';
  return out;
}

/** Parses a Responses API answer (JSON). */
export function parseResponse(label: string, body: string): TargetResponse {
  let j: ResponsesBody;
  try {
    j = JSON.parse(body);
  } catch {
    throw new UpstreamError(`${label}: the answer is not JSON (is baseUrl an OpenAI-compatible /v1 endpoint?)`);
  }
  // A 2xx body that is an error, or a response that failed: the endpoint's message, never an empty answer.
  if (j && typeof j === 'object' && j.error !== undefined && j.error !== null)
    throw reportedError(`${label}: the endpoint answered with an error`, j.error, j.status === 'failed');
  if (j && typeof j === 'object' && j.status === 'failed')
    throw reportedError(`${label}: the response failed`, { message: 'status failed, no error given' }, true);
  if (!j || typeof j !== 'object' || !Array.isArray(j.output)) {
    throw new UpstreamError(`${label}: the answer has no output list (is this a Responses API endpoint?)`);
  }
  return fromResponse(j);
}

/**
 * Parses a whole Responses event stream: the final response (`response.completed` / `response.incomplete`),
 * whose text, when it has none, is the text deltas joined, else the refusal deltas (`response.refusal.delta`)
 * joined. A final response without its output list is read from the events: the output items finished
 * (`response.output_item.done`: messages, tool calls), the text or refusal streamed. A stream that ends before
 * its final response was cut off: a retryable `UpstreamError` (see `cutStream`), as a chat stream ending
 * before its `finish_reason` / `[DONE]` is; what came before the cut (finished items included) is not an answer.
 */
export function parseResponsesSse(label: string, body: string): TargetResponse {
  let text = '';
  let refusal = '';
  let final: ResponsesBody | undefined;
  const items: NonNullable<ResponsesBody['output']> = [];
  let events = 0;
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('data:')) continue;
    let ev: {
      type?: unknown;
      delta?: unknown;
      response?: ResponsesBody;
      message?: unknown;
      item?: unknown;
      error?: unknown;
    };
    try {
      ev = JSON.parse(line.slice(5).trim());
    } catch {
      continue;
    }
    if (!ev || typeof ev !== 'object') continue;
    events++;
    if (ev.type === 'response.output_text.delta' && typeof ev.delta === 'string') text += ev.delta;
    else if (ev.type === 'response.refusal.delta' && typeof ev.delta === 'string') refusal += ev.delta;
    else if (ev.type === 'response.output_item.done' && ev.item && typeof ev.item === 'object')
      items.push(ev.item as NonNullable<ResponsesBody['output']>[number]);
    else if (ev.type === 'response.completed' || ev.type === 'response.incomplete') final = ev.response;
    // `error` carries code and message itself (some servers nest them in `error`); `response.failed` in its
    // response's `error`. Retried as a chat stream's error chunk is, unless the error will fail again.
    else if (ev.type === 'error') throw reportedError(`${label}: the stream failed`, streamEventError(ev), true);
    else if (ev.type === 'response.failed')
      throw reportedError(`${label}: the stream failed`, ev.response?.error ?? { message: 'response.failed' }, true);
  }
  if (events === 0) throw new UpstreamError(`${label}: the stream held no Responses events`);
  if (!final || typeof final !== 'object') {
    const received = text.length + refusal.length;
    throw cutStream(label, 'response.completed or response.incomplete', received);
  }
  if (Array.isArray(final.output)) {
    const out = fromResponse(final);
    if (!out.text) out.text = text || refusal;
    return out;
  }
  // A final response without its output list: the tool calls of the finished items; the text streamed, else
  // the finished messages' text or refusal, else the refusal streamed. Usage and status from the final.
  const out = fromResponse({ ...final, output: items.filter((i) => i.type !== 'message') });
  const said = text || fromResponse({ output: items.filter((i) => i.type === 'message') }).text || refusal;
  if (said !== '') out.text = said;
  return out;
}
