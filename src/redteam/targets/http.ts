import { createHash, randomUUID } from 'node:crypto';
import { toolCallsOf } from '../tool-calls.js';
import type { ChatMessage, Target, TargetRequest, TargetResponse, Usage } from '../types.js';
import { UpstreamError } from './errors.js';
import { evalJsonPath, type PathStep, parseJsonPath } from './json-path.js';
import { bodyError, requestHeaders, resolveApiKey, transientError, withSystem, withToolCalls } from './openai.js';
import type { HttpTargetSpec } from './schema.js';
import { fillStructured, fillText, type TemplateVars } from './template.js';
import { sendHttp } from './transport.js';

/** Server-kept sessions remembered at once (oldest forgotten first). */
const MAX_SESSIONS = 10_000;

/**
 * Any JSON-over-HTTP endpoint: a body template filled with the conversation, the answer read at a JSON
 * path. In `session: { mode: server }` the endpoint keeps the conversation by `{{session_id}}`: each
 * request carries only the last user turn, and the target finds the session by the conversation so far.
 */
export class HttpTarget implements Target {
  readonly specificationVersion = 'v1' as const;
  readonly id: string;
  /** The endpoint keeps state between requests: answers must not be served from a cache. */
  readonly stateful: boolean;
  private readonly url: string;
  private readonly headers: Record<string, string>;
  private readonly answerPath: PathStep[];
  private readonly promptTokensPath?: PathStep[];
  private readonly completionTokensPath?: PathStep[];
  private readonly sessionIdPath?: PathStep[];
  private readonly sessions = new Map<string, string>();
  /** Per session id: the key of the conversation the endpoint's session holds now (its latest turn). */
  private readonly heads = new Map<string, string>();

  constructor(private readonly spec: HttpTargetSpec) {
    this.id = spec.id ?? `http:${new URL(spec.url).host}`;
    this.url = spec.url;
    this.headers = requestHeaders(spec.headers, resolveApiKey(spec, this.id));
    this.answerPath = parseJsonPath(spec.responsePath);
    if (spec.usagePaths?.prompt) this.promptTokensPath = parseJsonPath(spec.usagePaths.prompt);
    if (spec.usagePaths?.completion) this.completionTokensPath = parseJsonPath(spec.usagePaths.completion);
    if (spec.session.idPath) this.sessionIdPath = parseJsonPath(spec.session.idPath);
    this.stateful = spec.session.mode === 'server';
  }

  async send(req: TargetRequest): Promise<TargetResponse> {
    const messages = withSystem(req.messages, this.spec.system);
    let lastUser = -1;
    for (let i = messages.length - 1; i >= 0; i--) {
      if (messages[i].role === 'user') {
        lastUser = i;
        break;
      }
    }
    const prompt = lastUser >= 0 ? messages[lastUser].content : '';
    const system = this.spec.system ?? messages.find((m) => m.role === 'system')?.content ?? '';
    let sessionKey: string | undefined;
    let sessionId: string | undefined;
    if (this.stateful) {
      // Keyed by the request's seed (the runner's per-item seed) too: two items whose conversations start
      // alike (repeats, a deterministic model) must not continue one endpoint session.
      sessionKey = conversationHash(messages.slice(0, Math.max(0, lastUser)), req.seed);
      sessionId = this.sessions.get(sessionKey);
      if (sessionId !== undefined && this.heads.get(sessionId) !== sessionKey) {
        // The session has already taken a later turn from this point (Crescendo dropping a refused exchange
        // and asking again): the endpoint still holds that turn, so the conversation we would record is not
        // the one it answers. Fail the item rather than report a backtrack that did not happen.
        throw new UpstreamError(
          `${this.id}: the server session already holds a later turn than this conversation; a server-side session cannot take back a turn (set backtracks: 0 for crescendo against this target)`,
        );
      }
      if (sessionId === undefined && messages.some((m, i) => i < lastUser && m.role === 'assistant')) {
        // A follow-up turn whose session we never got: sent alone, the endpoint would answer it without the
        // conversation before it, and the multi-turn attack would silently be judged as a single turn.
        throw new UpstreamError(
          `${this.id}: no server session for this conversation${this.sessionIdPath ? ` (did the earlier answer carry an id at ${this.spec.session.idPath}?)` : ''}; the endpoint would see this turn without the ones before it (turns it never answered, like many-shot's, cannot be sent in session mode)`,
        );
      }
      sessionId ??= this.sessionIdPath ? '' : randomUUID();
    }
    const vars: TemplateVars = {
      prompt,
      messages: this.stateful ? messages.slice(Math.max(lastUser, 0)) : messages,
      system,
      session_id: sessionId ?? '',
      seed: req.seed ?? null,
    };
    const body =
      this.spec.method === 'GET'
        ? undefined
        : typeof this.spec.body === 'string'
          ? fillText(this.spec.body, vars)
          : JSON.stringify(fillStructured(this.spec.body, vars));
    const url = this.url.includes('%7B%7B') || this.url.includes('{{') ? fillUrl(this.url, vars) : this.url;
    const reply = await sendHttp(this.id, new URL(url), {
      method: this.spec.method,
      headers: this.headers,
      body,
      timeoutMs: this.spec.timeoutMs,
      deadlineMs: this.spec.deadlineMs,
      signal: req.signal,
    });
    let j: unknown;
    try {
      j = JSON.parse(reply.body);
    } catch {
      // say what came instead (an HTML error page, plain text): "not JSON" alone sends the user to a packet capture
      throw new UpstreamError(`${this.id}: the answer is not JSON (${bodyExcerpt(reply.body)})`);
    }
    const v = evalJsonPath(j, this.answerPath);
    // JSON null at the answer path is an answer without text (an assistant message with `content: null` beside
    // its tool calls, or an endpoint's empty answer): "" as the openai target reads it, with the calls of the
    // object that holds it (`$.choices[0].message.content` → the message's `tool_calls` / `function_call`)
    // written as the answer's text. A path that is not there at all stays an error, and so does a null beside
    // the endpoint's error message (`{"answer": null, "error": {…}}`: no answer, a failure).
    const err = v === null || typeof v !== 'string' ? bodyError(j) : undefined;
    if (v === null && err === undefined) {
      return this.answered(j, req, messages, sessionKey, sessionId, nullAnswer(j, this.answerPath));
    }
    if (typeof v !== 'string') {
      // a number or boolean there is a wrong path (`$.ok`), not model text: judged, "false" would be an answer
      const found =
        v === undefined || v === null ? 'no answer text' : `a ${Array.isArray(v) ? 'list' : typeof v}, not text,`;
      // the endpoint's error, classified as the openai target classifies an error in a 2xx body: a rate limit or
      // server error is retried, an invalid request (or one that does not say) fails at once
      const retryable = err !== undefined && (transientError((j as { error?: unknown }).error) ?? false);
      throw new UpstreamError(
        `${this.id}: ${found} at ${this.spec.responsePath}${err !== undefined ? `; the endpoint answered with an error: ${err}` : ''}${retryable ? ' (will retry)' : ''}`,
        { retryable },
      );
    }
    return this.answered(j, req, messages, sessionKey, sessionId, { text: v });
  }

  /** The answer's usage and, in session mode, the endpoint's session for the conversation it continues. */
  private answered(
    j: unknown,
    req: TargetRequest,
    messages: ChatMessage[],
    sessionKey: string | undefined,
    sessionId: string | undefined,
    out: TargetResponse,
  ): TargetResponse {
    const text = out.text;
    const usage: Usage = {};
    const pt = this.promptTokensPath && evalJsonPath(j, this.promptTokensPath);
    const ct = this.completionTokensPath && evalJsonPath(j, this.completionTokensPath);
    if (typeof pt === 'number') usage.promptTokens = pt;
    if (typeof ct === 'number') usage.completionTokens = ct;
    if (usage.promptTokens !== undefined || usage.completionTokens !== undefined) out.usage = usage;
    if (this.stateful && sessionKey !== undefined) {
      const fromServer = this.sessionIdPath ? evalJsonPath(j, this.sessionIdPath) : undefined;
      const id = typeof fromServer === 'string' || typeof fromServer === 'number' ? String(fromServer) : sessionId;
      if (id) this.remember(conversationHash([...messages, { role: 'assistant', content: text }], req.seed), id);
    }
    return out;
  }

  private remember(key: string, id: string): void {
    if (this.sessions.size >= MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
    this.sessions.set(key, id);
    this.heads.delete(id); // re-inserted last: the oldest sessions are forgotten first
    this.heads.set(id, key);
    if (this.heads.size > MAX_SESSIONS) {
      const oldest = this.heads.keys().next().value;
      if (oldest !== undefined) this.heads.delete(oldest);
    }
  }
}

/**
 * The answer when its path holds null, read as the openai target reads a message whose `content` is null: the
 * holding object's `refusal` text when it has one, its tool calls (written as the text when there is none),
 * else no text ("", judged as an empty answer).
 */
function nullAnswer(j: unknown, path: readonly PathStep[]): TargetResponse {
  if (typeof path[path.length - 1] !== 'string') return { text: '' };
  const holder = evalJsonPath(j, path.slice(0, -1));
  const refusal = (holder as { refusal?: unknown } | null)?.refusal;
  return withToolCalls({ text: typeof refusal === 'string' ? refusal : '' }, toolCallsOf(holder));
}

function conversationHash(messages: ChatMessage[], seed: number | undefined): string {
  const h = createHash('sha256');
  h.update(`${seed ?? ''}\u0002`);
  for (const m of messages) h.update(`${m.role}\u0000${m.content}\u0001`);
  return h.digest('hex');
}

function fillUrl(url: string, vars: TemplateVars): string {
  return url.replace(/(?:\{\{|%7B%7B)\s*([a-z_]+)\s*(?:\}\}|%7D%7D)/g, (_, name: string) => {
    const v = vars[name];
    return encodeURIComponent(v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));
  });
}

/** The start of a body that is not JSON, on one line, for an error message. */
function bodyExcerpt(body: string): string {
  const one = body.replace(/\s+/g, ' ').trim();
  if (one === '') return 'an empty body';
  return `it starts ${JSON.stringify(one.length > 80 ? `${one.slice(0, 80)}…` : one)}`;
}
