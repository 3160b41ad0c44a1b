/**
 * The Vercel AI SDK adapter: a language-model middleware (AI SDK 6, `LanguageModelV3Middleware`) that runs
 * every call through the guard in process.
 *
 * ```ts
 * import { wrapLanguageModel } from 'ai';
 * const model = wrapLanguageModel({ model: openai('gpt-4o'), middleware: lifeguardMiddleware({ policy }) });
 * ```
 *
 * Only types come from `@ai-sdk/provider`: the middleware is a plain object, so lifeguard loads no AI SDK
 * code at run time.
 */
import type {
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3FinishReason,
  LanguageModelV3GenerateResult,
  LanguageModelV3Message,
  LanguageModelV3Middleware,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
  LanguageModelV3ToolResultOutput,
  LanguageModelV3Usage,
  SharedV3ProviderMetadata,
  SharedV3Warning,
} from '@ai-sdk/provider';
import { LifeguardError } from '../../core/errors.js';
import { type CheckContext, createGuard, type Guard, GuardSession, messageText, type StreamGuard } from '../engine.js';
import { type Policy, type PolicyInput, withholdsBinaryParts } from '../policy.js';
import type { ChatMessage, CheckDecision, GuardResult } from '../types.js';

export interface LifeguardMiddlewareOptions {
  /** A guard to share (one per app is enough); otherwise one is built from `policy`. */
  guard?: Guard;
  /** The policy (default: the default policy). Not together with `guard`. */
  policy?: PolicyInput | Policy;
  /**
   * What a block does. `refuse` (default): the call answers with the policy's refusal (a stopped stream
   * ends with the policy's stopped message), finish reason `content-filter`. `throw`: `generateText`
   * rejects with a {@link GuardBlockedError}; a stream gets it as an `error` part, then finishes with
   * `content-filter`.
   */
  onBlock?: 'throw' | 'refuse';
}

/** Where a block happened: the request (input and context checks), the answer, or a tool call in it. */
export type GuardBlockedStage = 'input' | 'output' | 'tool';

const BLOCKED = Symbol.for('lifeguard.guard-blocked');

/** A call the policy blocked (`onBlock: 'throw'`). Carries the decisions, never the checked text. */
export class GuardBlockedError extends Error {
  readonly [BLOCKED] = true;
  readonly stage: GuardBlockedStage;
  /** Every decision of the blocking check run; for the request, `message` indexes the AI SDK prompt. */
  readonly decisions: readonly CheckDecision[];
  /** The text a refusing guard would have answered with. */
  readonly refusal: string;

  constructor(stage: GuardBlockedStage, decisions: readonly CheckDecision[], refusal: string) {
    const fired = [...new Set(decisions.filter(isBlocking).map((d) => d.check))];
    super(`Lifeguard blocked the ${STAGE_WORDS[stage]} (${fired.join(', ') || 'policy'}).`);
    this.name = 'GuardBlockedError';
    this.stage = stage;
    this.decisions = decisions.map(withoutExcerpt);
    this.refusal = refusal;
  }

  /** Works across copies of the package, unlike `instanceof`. */
  static isInstance(value: unknown): value is GuardBlockedError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BLOCKED] === true;
  }
}

const STAGE_WORDS: Record<GuardBlockedStage, string> = { input: 'request', output: 'answer', tool: 'tool call' };

/**
 * A decision fit to hand the app: the engine's `excerpt` is raw checked text (meant for the audit log, which
 * redacts it), and an error is logged and shown far more often than it is read.
 */
function withoutExcerpt(d: CheckDecision): CheckDecision {
  if (d.excerpt === undefined) return d;
  const { excerpt: _, ...rest } = d;
  return rest;
}

function isBlocking(d: CheckDecision): boolean {
  return d.fired && d.enforced && d.action === 'block';
}

/** What `transformParams` hands to `wrapGenerate` / `wrapStream` for one call. */
interface CallState {
  /** The vault of this call's placeholders; never leaves the process. */
  session: GuardSession;
  /** The request's verdict when it blocked and the middleware refuses. */
  blocked?: GuardResult;
}

/**
 * A language-model middleware that guards every call of the wrapped model:
 *
 * - `transformParams` checks the prompt (user messages at the `input` stage, tool results at `context`,
 *   earlier tool calls at `tool`) and pseudonymises PII through a vault kept for this call only;
 * - `wrapGenerate` checks the answer's text, reasoning and tool-call arguments, sources, text files and
 *   provider-executed tool results ({@link checkedPart}), redacts what the policy says and restores the
 *   placeholders;
 * - `wrapStream` releases text only after the stream checker (one across the answer's text parts) covered it,
 *   and other parts only once checked; a violation ends the stream with a `finish` part (`content-filter`)
 *   and cancels the model's stream.
 */
export function lifeguardMiddleware(options: LifeguardMiddlewareOptions = {}): LanguageModelV3Middleware {
  if (options.guard && options.policy) {
    throw new LifeguardError(
      'LG_ERR_CONFIG_INVALID',
      'lifeguardMiddleware: pass either `guard` or `policy`, not both (a guard already has its policy).',
    );
  }
  const guard = options.guard ?? createGuard(options.policy);
  const onBlock = options.onBlock ?? 'refuse';
  if (onBlock !== 'refuse' && onBlock !== 'throw') {
    throw new LifeguardError('LG_ERR_CONFIG_INVALID', `lifeguardMiddleware: onBlock must be 'refuse' or 'throw'.`);
  }
  // Keyed by the params object transformParams returns: wrapLanguageModel hands that very object on.
  const calls = new WeakMap<LanguageModelV3CallOptions, CallState>();
  const stateOf = (params: LanguageModelV3CallOptions): CallState => {
    const state = calls.get(params);
    if (!state) {
      throw new LifeguardError(
        'LG_ERR_CONFIG_INVALID',
        'lifeguardMiddleware: the call reached the model without the middleware checking its prompt; pass the ' +
          'whole middleware to wrapLanguageModel (its transformParams must run).',
      );
    }
    return state;
  };

  return {
    specificationVersion: 'v3',

    async transformParams({ params }) {
      const session = new GuardSession();
      const context: CheckContext = { session, signal: params.abortSignal };
      const { messages, origin, apply } = toChatMessages(params.prompt);
      const r = await guard.checkInput(messages, context);
      const decisions = r.decisions.map((d) => (d.message === undefined ? d : { ...d, message: origin[d.message] }));
      const next: LanguageModelV3CallOptions = { ...params, prompt: r.blocked ? params.prompt : apply(r.messages) };
      if (r.blocked) {
        if (onBlock === 'throw') throw new GuardBlockedError('input', decisions, guard.policy.refusal);
        calls.set(next, { session, blocked: { ...r, decisions } });
      } else {
        calls.set(next, { session });
      }
      return next;
    },

    async wrapGenerate({ doGenerate, params }) {
      const state = stateOf(params);
      if (state.blocked) return refusalResult(guard.policy.refusal, state.blocked.decisions);
      const result = await doGenerate();
      const context = { session: state.session, signal: params.abortSignal, json: isJson(params) };
      const stop = (stage: GuardBlockedStage, r: GuardResult): LanguageModelV3GenerateResult => {
        if (onBlock === 'throw') throw new GuardBlockedError(stage, r.decisions, guard.policy.refusal);
        return {
          ...withoutRawBody(result),
          content: [{ type: 'text', text: guard.policy.refusal }],
          finishReason: contentFilter(stage),
          providerMetadata: {
            ...withoutLogprobs(result.providerMetadata),
            lifeguard: blockedMetadata(stage, r.decisions),
          },
        };
      };
      let content: LanguageModelV3Content[] = [];
      const texts = { text: [] as string[], reasoning: [] as string[] };
      let rewritten = false;
      const withhold = withholdsUnread(guard);
      /** Media types of the binary files withheld. */
      const withheld: string[] = [];
      for (const part of result.content) {
        if (part.type === 'text' || part.type === 'reasoning') {
          const r = await guard.checkOutput(part.text, context);
          if (r.blocked) return stop('output', r);
          texts[part.type].push(part.text);
          if (r.text !== part.text) rewritten = true;
          content.push({ ...part, text: r.text });
        } else if (part.type === 'tool-call') {
          const input = state.session.restoreArguments(part.input);
          const r = await guard.checkToolCall(part.toolName, input, context);
          if (r.blocked) return stop('tool', r);
          content.push({ ...part, input });
        } else {
          const r = await checkedPart(part, guard, context, withhold);
          if (r.blocked) return stop('output', r.blocked);
          if (r.part) content.push(r.part);
          else if (r.withheld) withheld.push(r.withheld);
        }
      }
      for (const kind of ['text', 'reasoning'] as const) {
        if (texts[kind].length < 2) continue;
        // An answer split over several parts is also checked whole, joined as the SDK joins them (`text`), so a
        // string split across parts is seen whole.
        const r = await guard.checkOutput(texts[kind].join(''), context);
        if (r.blocked) return stop('output', r);
        const parts = new Set(content.filter((p) => p.type === kind));
        if (r.text === [...parts].map((p) => (p.type === kind ? p.text : '')).join('')) continue;
        // The whole needed a rewrite the parts alone did not: its text replaces them, in the first one's place.
        rewritten = true;
        const [first] = parts;
        content = content.flatMap((p) => (p === first ? [{ ...p, text: r.text }] : parts.has(p) ? [] : [p]));
      }
      const checked = { ...withoutRawBody(result), content };
      // Log-probabilities spell out the model's tokens: they go only with an answer released unchanged.
      const released = rewritten ? { ...checked, providerMetadata: withoutLogprobs(result.providerMetadata) } : checked;
      if (withheld.length === 0) return released;
      return {
        ...released,
        warnings: [...(result.warnings ?? []), withheldWarning(withheld)],
        providerMetadata: withWithheld(released.providerMetadata, withheld),
      };
    },

    async wrapStream({ doStream, params }) {
      const state = stateOf(params);
      if (state.blocked) return { stream: refusalStream(guard.policy.refusal, state.blocked.decisions) };
      const result = await doStream();
      return {
        ...result,
        stream: guardStream(result.stream, guard, onBlock, {
          session: state.session,
          signal: params.abortSignal,
          json: isJson(params),
        }),
      };
    },
  };
}

/** Structured output: the answer's text is JSON, so restored values are written as JSON string content. */
function isJson(params: LanguageModelV3CallOptions): boolean {
  return params.responseFormat?.type === 'json';
}

/**
 * Media types of files that are text (`text/*`, JSON, XML, YAML, …): the checks read them. Other files (images,
 * audio, PDFs) hold nothing the text checks can read.
 */
const TEXT_MEDIA = /^\s*(text\/|application\/(json|xml|yaml|x-yaml|javascript|x-ndjson|[\w.-]+\+(json|xml|yaml)))\b/i;
const JSON_MEDIA = /^\s*application\/([\w.-]+\+)?(json|x-ndjson)\b/i;

/**
 * Whether the output stage enforces anything (a block or a rewrite): then a file the checks cannot read as text
 * is withheld from the answer, as unchecked output must not reach the app, unless the policy's `binaryParts`
 * says `allow`.
 */
function withholdsUnread(guard: Guard): boolean {
  return withholdsBinaryParts(guard.policy);
}

type OtherPart = Extract<LanguageModelV3Content, { type: 'source' | 'file' | 'tool-result' }>;

/** A media type's `charset` parameter, lower case, unquoted; undefined when it names none. */
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;

/**
 * The text of a file with a text media type, or undefined when the checks cannot read it as text: a charset other
 * than UTF-8 (ASCII is UTF-8), bytes that are not UTF-8, or NUL characters (UTF-16 without a byte-order mark).
 * Decoded as UTF-8 anyway, a UTF-16 file read as letters with NULs between them (or U+FFFD) that no check reads,
 * and went to the app unchecked past an enforcing output stage; it is handled as a binary file instead.
 */
function fileText(mediaType: string, data: string | Uint8Array): string | undefined {
  const charset = CHARSET.exec(mediaType)?.[1]?.toLowerCase();
  if (charset !== undefined && !['utf-8', 'utf8', 'us-ascii', 'ascii'].includes(charset)) return undefined;
  const bytes = typeof data === 'string' ? Buffer.from(data, 'base64') : data;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  return text.includes('\0') ? undefined : text;
}

/** The check name of the decision a withheld binary file gets (after the policy option that allows them). */
const WITHHELD_CHECK = 'binaryParts';

/** A media type fit for a warning and the audit log: its essence (no parameters), printable, short. */
function mediaTypeLabel(mediaType: string): string {
  const essence = String(mediaType).split(';')[0].trim().toLowerCase();
  const label = essence.replace(/[^a-z0-9!#$&^_.+\-/*]/g, '').slice(0, 64);
  return label || 'unknown';
}

/** What the app is told when binary files were withheld: a warning on the call's result. */
function withheldWarning(mediaTypes: readonly string[]): SharedV3Warning {
  const types = [...new Set(mediaTypes)].join(', ');
  return {
    type: 'other',
    message:
      `lifeguard: withheld ${mediaTypes.length} binary file part(s) (media type ${types}) that cannot be checked ` +
      "as text; the policy's binaryParts: allow passes them on unchecked",
  };
}

/** `providerMetadata` with `lifeguard.withheld`: how many binary files were withheld, and their media types. */
function withWithheld(
  metadata: SharedV3ProviderMetadata | undefined,
  mediaTypes: readonly string[],
): SharedV3ProviderMetadata {
  const withheld = { files: mediaTypes.length, mediaTypes: [...new Set(mediaTypes)] };
  return { ...metadata, lifeguard: { ...metadata?.lifeguard, withheld } };
}

/**
 * A part of the answer other than text, reasoning and tool calls, checked at the `output` stage: a source's
 * title and file name (rewritten as the policy says) and URL (a URL is not rewritten: one that would be is
 * blocked), a text file's decoded text (re-encoded), a provider-executed tool's result (its JSON; a rewrite
 * that breaks the JSON blocks). A binary file is withheld (`part` undefined, `withheld` its media type) when
 * `withhold`, and a `binaryParts` decision reported so the audit log has it. Other parts (tool-approval requests)
 * carry no model text.
 */
async function checkedPart(
  part: LanguageModelV3Content,
  guard: Guard,
  context: CheckContext & { session: GuardSession },
  withhold: boolean,
): Promise<{ part?: LanguageModelV3Content; blocked?: GuardResult; withheld?: string }> {
  if (part.type !== 'source' && part.type !== 'file' && part.type !== 'tool-result') return { part };
  // JSON files and tool results are data a program reads: placeholders come back as in tool-call arguments.
  const check = async (text: string, json = false) => {
    const r = await guard.checkOutput(text, { ...context, json, data: json });
    return { r, blocked: r.blocked ? r : undefined };
  };
  const next: OtherPart = { ...part } as OtherPart;
  if (next.type === 'source') {
    for (const field of ['title', 'filename'] as const) {
      const text = (next as Record<string, unknown>)[field];
      if (typeof text !== 'string') continue;
      const { r, blocked } = await check(text);
      if (blocked) return { blocked };
      (next as Record<string, unknown>)[field] = r.text;
    }
    if (next.sourceType === 'url') {
      const { r, blocked } = await check(next.url);
      if (blocked) return { blocked };
      if (r.text !== context.session.restore(next.url)) return { blocked: r };
      next.url = r.text;
    }
    return { part: next };
  }
  if (next.type === 'file') {
    const text = TEXT_MEDIA.test(next.mediaType) ? fileText(next.mediaType, next.data) : undefined;
    if (text === undefined) {
      if (!withhold) return { part };
      const withheld = mediaTypeLabel(next.mediaType);
      guard.report(
        [
          {
            stage: 'output',
            check: WITHHELD_CHECK,
            fired: true,
            action: 'redact',
            enforced: true,
            types: [withheld],
            latencyMs: 0,
          },
        ],
        context,
      );
      return { withheld };
    }
    const { r, blocked } = await check(text, JSON_MEDIA.test(next.mediaType));
    if (blocked) return { blocked };
    if (r.text === text) return { part };
    const data = new TextEncoder().encode(r.text);
    next.data = typeof next.data === 'string' ? Buffer.from(data).toString('base64') : data;
    return { part: next };
  }
  const json = JSON.stringify(next.result);
  const { r, blocked } = await check(json, true);
  if (blocked) return { blocked };
  if (r.text === json) return { part };
  try {
    next.result = JSON.parse(r.text);
  } catch {
    return { blocked: r };
  }
  return { part: next };
}

type ContentItem = Extract<LanguageModelV3ToolResultOutput, { type: 'content' }>['value'][number];
type ToolResultLike = { type: 'tool-result'; toolCallId: string; output: LanguageModelV3ToolResultOutput };

/**
 * The prompt as the engine's chat messages (user messages keep their content parts; each tool result is
 * one `tool` message; tool calls become `tool_calls`), the prompt index of each, and a function that
 * writes the checked messages back into a copy of the prompt.
 */
function toChatMessages(prompt: LanguageModelV3Prompt): {
  messages: ChatMessage[];
  origin: number[];
  apply: (checked: readonly ChatMessage[]) => LanguageModelV3Prompt;
} {
  const messages: ChatMessage[] = [];
  const origin: number[] = [];
  /** Per chat message: how to write its checked text back. */
  const writers: ((m: LanguageModelV3Message, checked: ChatMessage) => LanguageModelV3Message)[] = [];
  const push = (index: number, m: ChatMessage, write: (typeof writers)[number]) => {
    messages.push(m);
    origin.push(index);
    writers.push(write);
  };
  const keep = (m: LanguageModelV3Message) => m;
  const toolResult = (index: number, part: ToolResultLike, partIndex: number) => {
    const text = outputText(part.output);
    if (text === undefined) return;
    push(index, { role: 'tool', content: text, tool_call_id: part.toolCallId }, (m, checked) => {
      const next = checked.content as string;
      if (next === text) return m;
      const content = [...(m.content as ToolResultLike[])];
      content[partIndex] = { ...part, output: withOutputText(part.output, next) };
      return { ...m, content } as LanguageModelV3Message;
    });
  };
  for (const [index, m] of prompt.entries()) {
    if (m.role === 'user') {
      push(index, { role: 'user', content: m.content }, (orig, checked) =>
        messageText(checked.content) === messageText(m.content)
          ? orig
          : ({ ...orig, content: checked.content } as LanguageModelV3Message),
      );
    } else if (m.role === 'tool') {
      m.content.forEach((part, i) => {
        if (part.type === 'tool-result') toolResult(index, part, i);
      });
    } else if (m.role === 'assistant') {
      const calls = m.content.flatMap((part) =>
        part.type === 'tool-call'
          ? [
              {
                id: part.toolCallId,
                type: 'function',
                function: {
                  name: part.toolName,
                  arguments: typeof part.input === 'string' ? part.input : JSON.stringify(part.input ?? {}),
                },
              },
            ]
          : [],
      );
      if (calls.length) push(index, { role: 'assistant', tool_calls: calls }, keep);
      // Results of tools the provider ran (web search, …) are context too.
      m.content.forEach((part, i) => {
        if (part.type === 'tool-result') toolResult(index, part, i);
      });
    }
  }
  const apply = (checked: readonly ChatMessage[]) => {
    const out = [...prompt];
    checked.forEach((c, i) => {
      out[origin[i]] = writers[i](out[origin[i]], c);
    });
    return out;
  };
  return { messages, origin, apply };
}

/** The text of a tool result the checks read; undefined for outputs without text. */
function outputText(output: LanguageModelV3ToolResultOutput): string | undefined {
  switch (output.type) {
    case 'text':
    case 'error-text':
      return output.value;
    case 'json':
    case 'error-json':
      return JSON.stringify(output.value);
    case 'content': {
      const texts = output.value.flatMap((v) => (v.type === 'text' ? [v.text] : []));
      return texts.length ? texts.join('\n') : undefined;
    }
    default:
      return undefined;
  }
}

/** A tool result with its text rewritten (JSON that no longer parses becomes text). */
function withOutputText(output: LanguageModelV3ToolResultOutput, text: string): LanguageModelV3ToolResultOutput {
  switch (output.type) {
    case 'text':
    case 'error-text':
      return { ...output, value: text };
    case 'json':
    case 'error-json':
      try {
        return { ...output, value: JSON.parse(text) };
      } catch {
        return { type: output.type === 'json' ? 'text' : 'error-text', value: text };
      }
    case 'content': {
      let done = false;
      const value = output.value.flatMap((v): ContentItem[] => {
        if (v.type !== 'text') return [v];
        if (done) return [];
        done = true;
        return [{ ...v, text }];
      });
      return { ...output, value };
    }
    default:
      return output;
  }
}

function contentFilter(stage: GuardBlockedStage): LanguageModelV3FinishReason {
  return { unified: 'content-filter', raw: `lifeguard:${stage}` };
}

/** What `providerMetadata.lifeguard` says about a block: where, and which checks (no text). */
function blockedMetadata(stage: GuardBlockedStage, decisions: readonly CheckDecision[]) {
  return { blocked: stage, checks: [...new Set(decisions.filter(isBlocking).map((d) => d.check))] };
}

/** Provider metadata without any provider's `logprobs` (OpenAI's spell out the raw answer's tokens). */
function withoutLogprobs<T extends Record<string, Record<string, unknown>> | undefined>(metadata: T): T {
  if (!metadata) return metadata;
  const out: Record<string, Record<string, unknown>> = {};
  for (const [provider, values] of Object.entries(metadata)) {
    if (values && typeof values === 'object' && 'logprobs' in values) {
      const { logprobs: _, ...rest } = values;
      out[provider] = rest;
    } else out[provider] = values;
  }
  return out as T;
}

/** The raw response body holds the unchecked answer: it does not reach the app. */
function withoutRawBody(result: LanguageModelV3GenerateResult): LanguageModelV3GenerateResult {
  if (!result.response || result.response.body === undefined) return result;
  const { body: _, ...response } = result.response;
  return { ...result, response };
}

function usage(tokens: number | undefined): LanguageModelV3Usage {
  return {
    inputTokens: { total: tokens, noCache: tokens, cacheRead: tokens, cacheWrite: tokens },
    outputTokens: { total: tokens, text: tokens, reasoning: tokens },
  };
}

/** The answer to a blocked request: the refusal, no model call (so no tokens). */
function refusalResult(refusal: string, decisions: readonly CheckDecision[]): LanguageModelV3GenerateResult {
  return {
    content: [{ type: 'text', text: refusal }],
    finishReason: contentFilter('input'),
    usage: usage(0),
    providerMetadata: { lifeguard: blockedMetadata('input', decisions) },
    warnings: [],
  };
}

function refusalStream(
  refusal: string,
  decisions: readonly CheckDecision[],
): ReadableStream<LanguageModelV3StreamPart> {
  const id = 'lifeguard-refusal';
  const parts: LanguageModelV3StreamPart[] = [
    { type: 'stream-start', warnings: [] },
    { type: 'text-start', id },
    { type: 'text-delta', id, delta: refusal },
    { type: 'text-end', id },
    {
      type: 'finish',
      finishReason: contentFilter('input'),
      usage: usage(0),
      providerMetadata: { lifeguard: blockedMetadata('input', decisions) },
    },
  ];
  return new ReadableStream({
    start(controller) {
      for (const p of parts) controller.enqueue(p);
      controller.close();
    },
  });
}

/**
 * The model's stream with its text parts passed through one {@link StreamGuard} (and its reasoning parts through
 * another; both share the call's vault), so a string split across parts is seen whole, as `wrapGenerate` and the
 * SDK's joined `text` see it. Released text goes out under the part open on the way out: a part's held-back
 * tail goes out with the next part of its kind or at the end, so a part's end waits for it. Tool calls are
 * checked whole and released with their placeholders restored; sources, files and provider-executed tool
 * results are checked whole before they go out ({@link checkedPart}); raw provider chunks are dropped (they
 * carry unchecked text). A block closes the open parts, answers the stopped message (or an `error` part with the
 * {@link GuardBlockedError}), finishes with `content-filter` and cancels the model's stream.
 */
function guardStream(
  source: ReadableStream<LanguageModelV3StreamPart>,
  guard: Guard,
  onBlock: 'throw' | 'refuse',
  context: CheckContext & { session: GuardSession },
): ReadableStream<LanguageModelV3StreamPart> {
  const reader = source.getReader();
  /** Per kind: the answer's checker, the part open on the way out, and the model's end of it (held back). */
  const lanes: Record<'text' | 'reasoning', Lane> = { text: {}, reasoning: {} };
  /** Streamed tool inputs are held back: the checked input is released whole with its tool call. */
  const toolInputs = new Map<string, Extract<LanguageModelV3StreamPart, { type: 'tool-input-start' }>>();
  const withhold = withholdsUnread(guard);
  /** Media types of the binary files withheld. */
  const withheld: string[] = [];
  /**
   * The warnings of the `stream-start` part as sent: a file withheld later adds its warning here. The AI SDK keeps
   * this array and reads it when the step ends (its result's `warnings`); no later part can carry a warning.
   */
  let warnings: SharedV3Warning[] | undefined;
  let warned: SharedV3Warning | undefined;
  let stopped = false;

  const checkerOf = (lane: Lane) => {
    lane.checker ??= guard.stream(context);
    return lane.checker;
  };

  /** Ends a kind's open part on the way out: its end, after the checked rest when `rest`. */
  const close = (kind: 'text' | 'reasoning', rest = ''): LanguageModelV3StreamPart[] => {
    const lane = lanes[kind];
    if (lane.out === undefined) return [];
    const parts: LanguageModelV3StreamPart[] = [];
    if (rest) parts.push({ type: `${kind}-delta`, id: lane.out, delta: rest });
    parts.push(lane.end ?? { type: `${kind}-end`, id: lane.out });
    lane.out = undefined;
    lane.end = undefined;
    return parts;
  };

  const stop = (stage: GuardBlockedStage, result: GuardResult): LanguageModelV3StreamPart[] => {
    stopped = true;
    const parts: LanguageModelV3StreamPart[] = [];
    if (lanes.reasoning.out !== undefined) parts.push({ type: 'reasoning-end', id: lanes.reasoning.out });
    let textId = lanes.text.out;
    if (onBlock === 'refuse') {
      if (!textId) {
        textId = 'lifeguard-stopped';
        parts.push({ type: 'text-start', id: textId });
      }
      parts.push({ type: 'text-delta', id: textId, delta: guard.policy.stoppedMessage });
    } else {
      parts.push({ type: 'error', error: new GuardBlockedError(stage, result.decisions, guard.policy.refusal) });
    }
    if (textId) parts.push({ type: 'text-end', id: textId });
    lanes.text = {};
    lanes.reasoning = {};
    parts.push({
      type: 'finish',
      finishReason: contentFilter(stage),
      usage: usage(undefined),
      providerMetadata: { lifeguard: blockedMetadata(stage, result.decisions) },
    });
    return parts;
  };

  /** The parts to send for one part of the model's stream. */
  const handle = async (part: LanguageModelV3StreamPart): Promise<LanguageModelV3StreamPart[]> => {
    switch (part.type) {
      case 'text-start':
      case 'reasoning-start': {
        const kind = part.type === 'text-start' ? 'text' : 'reasoning';
        const lane = lanes[kind];
        checkerOf(lane);
        // The previous part of this kind ends here; what it still held goes out in this one.
        const parts = lane.out !== undefined && lane.out !== part.id ? close(kind) : [];
        if (lane.out === part.id) return parts;
        lane.out = part.id;
        return [...parts, part];
      }
      case 'text-delta':
      case 'reasoning-delta': {
        const lane = lanes[part.type === 'text-delta' ? 'text' : 'reasoning'];
        const r = await checkerOf(lane).push(part.delta);
        if (r.stopped) return stop('output', r.stopped);
        lane.out ??= part.id;
        return r.text ? [{ ...part, id: lane.out, delta: r.text }] : [];
      }
      case 'text-end':
      case 'reasoning-end': {
        const lane = lanes[part.type === 'text-end' ? 'text' : 'reasoning'];
        if (lane.out === undefined && !lane.checker) return [part];
        // Held until the checker released the part's text (the next part of its kind, or the end).
        if (lane.out === part.id) lane.end = part;
        return [];
      }
      case 'tool-input-start':
        toolInputs.set(part.id, part);
        return [];
      case 'tool-input-delta':
      case 'tool-input-end':
        return [];
      case 'tool-call': {
        const input = context.session.restoreArguments(part.input);
        const r = await guard.checkToolCall(part.toolName, input, context);
        if (r.blocked) return stop('tool', r);
        const parts: LanguageModelV3StreamPart[] = [];
        const start = toolInputs.get(part.toolCallId);
        if (start) {
          toolInputs.delete(part.toolCallId);
          parts.push(
            start,
            { type: 'tool-input-delta', id: start.id, delta: input },
            { type: 'tool-input-end', id: start.id },
          );
        }
        parts.push({ ...part, input });
        return parts;
      }
      case 'stream-start':
        warnings = [...(part.warnings ?? [])];
        return [{ ...part, warnings }];
      case 'source':
      case 'file':
      case 'tool-result': {
        const r = await checkedPart(part, guard, context, withhold);
        if (r.blocked) return stop('output', r.blocked);
        if (r.withheld) {
          withheld.push(r.withheld);
          if (warnings) {
            // One warning for the answer, counting every file withheld so far.
            const next = withheldWarning(withheld);
            const at = warned ? warnings.indexOf(warned) : -1;
            if (at >= 0) warnings[at] = next;
            else warnings.push(next);
            warned = next;
          }
        }
        return r.part ? [r.part as LanguageModelV3StreamPart] : [];
      }
      case 'finish': {
        const parts = await flush();
        if (stopped) return parts;
        // The released text was re-cut (and maybe rewritten): the model's token log-probabilities do not go.
        const metadata = withoutLogprobs(part.providerMetadata);
        return [...parts, { ...part, providerMetadata: withheld.length ? withWithheld(metadata, withheld) : metadata }];
      }
      case 'raw':
        return [];
      default:
        return [part];
    }
  };

  /** The model's stream ended (or finished): checks and releases what the checkers still hold. */
  const flush = async (): Promise<LanguageModelV3StreamPart[]> => {
    const parts: LanguageModelV3StreamPart[] = [];
    for (const kind of ['reasoning', 'text'] as const) {
      const lane = lanes[kind];
      if (!lane.checker) continue;
      const r = await lane.checker.end();
      if (r.stopped) return stop('output', r.stopped);
      lane.checker = undefined;
      parts.push(...close(kind, r.text));
    }
    return parts;
  };

  const cancelSource = (reason: unknown) => {
    reader.cancel(reason).catch(() => {});
  };

  return new ReadableStream<LanguageModelV3StreamPart>({
    async pull(controller) {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          const parts = done ? await flush() : await handle(value);
          for (const p of parts) controller.enqueue(p);
          if (stopped) {
            controller.close();
            cancelSource('lifeguard: answer stopped by policy');
            return;
          }
          if (done) {
            controller.close();
            return;
          }
          if (parts.length) return;
        }
      } catch (e) {
        cancelSource(e);
        throw e;
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/** One kind of streamed text (text or reasoning) of the answer. */
interface Lane {
  /** The checker all parts of this kind go through, in order. */
  checker?: StreamGuard;
  /** The id of the part open on the way out: released text goes out in it. */
  out?: string;
  /** The model's end of that part, held until its text is released. */
  end?: LanguageModelV3StreamPart;
}
