import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { AuditLog } from '../audit/index.js';
import { mountDashboard } from '../dashboard/index.js';
import { createGuard, type Guard, GuardSession, messageText, toolKey } from '../engine.js';
import { DEFAULT_POLICY, type Policy, withholdsBinaryParts } from '../policy.js';
import { readBounded } from '../read-body.js';
import type { ChatMessage, CheckDecision } from '../types.js';
import type { GatewayConfig } from './config.js';
import { chatMessagesProblem } from './content.js';
import { counterText, GatewayMetrics } from './metrics.js';
import { errors, type OpenAIError } from './openai-errors.js';
import { RateLimiter } from './rate-limit.js';
import {
  blockedResponse,
  guardedResponsesStream,
  guardResponseOutput,
  isUrlPath,
  ResponseSessions,
  refusalStream,
  responsesInput,
  stringSlots,
  wantsJson,
} from './responses.js';
import { pacedStream, sseData, sseEvent } from './sse.js';
import {
  fetchUpstream,
  limitedBody,
  poolUpstream,
  readText,
  sanitiseUpstreamMessage,
  type UpstreamClient,
  UpstreamFailure,
  type UpstreamResponse,
} from './upstream.js';
import { dataUrlType, WITHHELD_HEADER, WithheldParts } from './withheld.js';

/** What the gateway knows about one request, passed to the audit hook with every decision. */
export interface RequestInfo {
  requestId: string;
  route: string;
  apiKeyId?: string;
  policy: string;
  model?: string;
}

export interface GatewayOptions {
  /** Records decisions (the audit log). Called once per stage with every check that ran. */
  onDecisions?: (decisions: readonly CheckDecision[], info: RequestInfo) => void;
  /**
   * Replaces the upstream client (tests, the in-process adapter): every upstream call then goes through
   * this fetch. Without it, chat and text completions use a keep-alive undici pool, other routes global fetch.
   */
  fetch?: typeof fetch;
  /** Folder of trained classifiers. */
  modelsDir?: string;
  /** Environment to read keys from (default process.env). */
  env?: Record<string, string | undefined>;
  /**
   * Send the client's own `Authorization` header upstream instead of the configured key (the in-process
   * fetch wrapper, where the client already holds the upstream key). Client keys are then not checked.
   */
  forwardAuthorization?: boolean;
  /** The audit log the dashboard (`/admin`, behind the admin key) reads. */
  audit?: AuditLog;
  /**
   * What `GET /metrics` answers instead of this process's own registry: `guard serve --workers N` sums
   * every worker's registry in the primary.
   */
  metricsText?: (local: GatewayMetrics) => Promise<string>;
  /**
   * Audit events this process could not write, and the last error: `/health` then says `degraded` and names
   * them, and `/metrics` counts them (`lifeguard_audit_write_failures_total`).
   */
  auditFailures?: () => { events: number; lastError?: string };
}

export interface Gateway {
  app: Hono;
  metrics: GatewayMetrics;
  guards: Map<string, Guard>;
  /** Closes the upstream connections. */
  close(): Promise<void>;
}

/** What `@hono/node-server` passes as `c.env`: the Node request and response (absent in `app.request()`). */
interface NodeBindings {
  incoming?: IncomingMessage;
  outgoing?: ServerResponse;
}
const nodeOf = (c: Context): NodeBindings => (c.env as NodeBindings | undefined) ?? {};

/**
 * A request header, read from the Node request when there is one: building the WHATWG `Headers` (what
 * `c.req.header()` does under node-server) costs more than the rest of a small request's handling.
 */
function header(c: Context, name: string): string | undefined {
  const incoming = nodeOf(c).incoming;
  if (!incoming) return c.req.header(name);
  const v = incoming.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** Aborts `ctrl` when the client goes away before its response is complete. */
function abortOnClientClose(c: Context, ctrl: AbortController): void {
  const { outgoing } = nodeOf(c);
  if (outgoing) {
    outgoing.once('close', () => {
      if (!outgoing.writableFinished) ctrl.abort();
    });
    return;
  }
  c.req.raw.signal.addEventListener('abort', () => ctrl.abort(), { once: true });
}

/**
 * The client's address as the socket saw it, for rate limits without keys. Not `X-Forwarded-For`: any
 * client can send one, and a new value per request would get a fresh bucket each time.
 */
function clientAddress(c: Context): string {
  return nodeOf(c).incoming?.socket?.remoteAddress ?? 'anonymous';
}

export const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');

/** The OpenAI-compatible guarding gateway as a Hono app (serve it with `serveGateway`). */
export function createGateway(config: GatewayConfig, options: GatewayOptions = {}): Gateway {
  const env = options.env ?? process.env;
  const doFetch = options.fetch ?? fetch;
  const upstream: UpstreamClient = options.fetch ? fetchUpstream(options.fetch) : poolUpstream();
  const metrics = new GatewayMetrics();
  const guards = new Map<string, Guard>();
  const policies: Record<string, Policy | undefined> = { ...config.policies };
  const guardFor = (name: string): Guard => {
    let g = guards.get(name);
    if (!g) {
      g = createGuard(name === 'default' ? (config.policy ?? DEFAULT_POLICY) : (policies[name] as Policy), {
        modelsDir: options.modelsDir,
      });
      guards.set(name, g);
    }
    return g;
  };
  guardFor('default'); // load models at start, not on the first request
  for (const name of Object.keys(policies)) guardFor(name);
  const keyByHash = new Map(config.keys.map((k) => [k.sha256, k]));
  const limiters = new Map<string, RateLimiter>();
  const limiterFor = (id: string, rl?: { rpm: number; burst?: number }) => {
    if (!rl) return undefined;
    let l = limiters.get(id);
    if (!l) {
      l = new RateLimiter(rl.rpm, rl.burst);
      limiters.set(id, l);
    }
    return l;
  };
  const upstreamBase = config.upstream.baseUrl?.replace(/\/+$/, '');
  const upstreamKey = env[config.upstream.apiKeyEnv];

  const app = new Hono();

  const fail = (c: Context, status: number, body: OpenAIError, route: string, headers?: Record<string, string>) => {
    metrics.requests.inc({ route, outcome: String(status) });
    for (const [k, v] of Object.entries(headers ?? {})) c.header(k, v);
    return c.json(body, status as 400);
  };
  /** A non-streamed upstream answer that could not be read: too large, too slow, or not JSON. */
  const failRead = (c: Context, e: unknown, route: string) =>
    e instanceof UpstreamFailure ? fail(c, e.status, e.error, route) : fail(c, 502, errors.invalidJson(), route);

  app.get('/health', (c) => {
    const audit = options.auditFailures?.();
    const lost = audit !== undefined && audit.events > 0;
    return c.json({
      status: lost ? 'degraded' : 'ok',
      policies: [...guards.keys()],
      upstream: Boolean(upstreamBase),
      pid: process.pid,
      ...(lost ? { audit: { failedEvents: audit.events, lastError: audit.lastError } } : {}),
    });
  });
  app.get('/metrics', async (c) => {
    const text = options.metricsText ? await options.metricsText(metrics) : metrics.render();
    const audit = options.auditFailures?.();
    const failures = audit
      ? `${counterText('lifeguard_audit_write_failures_total', 'Audit events that could not be written.', [['', audit.events]])}\n`
      : '';
    return c.text(text + failures, 200, { 'content-type': 'text/plain; version=0.0.4' });
  });

  /** Authenticates, picks the policy and applies the rate limit; a Response when the request must stop. */
  const admit = (c: Context, route: string): { info: RequestInfo; guard: Guard } | Response => {
    const auth = header(c, 'authorization') ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
    const key = token ? keyByHash.get(sha256Hex(token)) : undefined;
    if (config.keys.length > 0 && !key && !options.forwardAuthorization)
      return fail(c, 401, errors.unauthorized(), route);
    const routePolicy = config.routes.find((r) => onRoute(c.req.path, r.path))?.policy;
    const policy = key?.policy ?? routePolicy ?? 'default';
    const who = key?.id ?? clientAddress(c);
    const limiter = limiterFor(key?.id ?? 'global', key?.rateLimit ?? config.rateLimit);
    if (limiter && !limiter.take(who))
      return fail(c, 429, errors.rateLimited(), route, { 'retry-after': String(limiter.retryAfterSeconds(who)) });
    const requestId = randomUUID();
    // Every answer to an admitted request names it, streamed or not, so a client can find its audit events.
    c.header('x-lifeguard-request-id', requestId);
    return { info: { requestId, route, apiKeyId: key?.id, policy }, guard: guardFor(policy) };
  };

  const readJson = async (c: Context, route: string): Promise<Record<string, unknown> | Response> => {
    const max = config.server.maxBodyBytes;
    const declared = Number(header(c, 'content-length') ?? '0');
    if (declared > max) return fail(c, 413, errors.tooLarge(max), route);
    const incoming = nodeOf(c).incoming;
    let parts: Uint8Array[] = [];
    let size = 0;
    if (incoming) {
      // Straight from the Node stream: no WHATWG Request and web stream per request.
      for await (const value of incoming.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
        size += value.length;
        if (size > max) {
          // Stop reading; the connection closes after the answer instead of reading the rest.
          c.header('connection', 'close');
          return fail(c, 413, errors.tooLarge(max), route);
        }
        parts.push(value);
      }
    } else {
      const body = c.req.raw.body;
      if (!body) return fail(c, 400, errors.badRequest('Request body is empty; send JSON.'), route);
      const read = await readBounded(body, max);
      if (!read) return fail(c, 413, errors.tooLarge(max), route);
      ({ parts, size } = read);
    }
    if (size === 0) return fail(c, 400, errors.badRequest('Request body is empty; send JSON.'), route);
    let parsed: unknown;
    try {
      parsed = JSON.parse(
        parts.length === 1 ? Buffer.from(parts[0]).toString('utf8') : Buffer.concat(parts).toString('utf8'),
      );
    } catch {
      return fail(c, 400, errors.badRequest('Request body is not valid JSON.', 'invalid_json'), route);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return fail(c, 400, errors.badRequest('Request body must be a JSON object.'), route);
    }
    return parsed as Record<string, unknown>;
  };

  const upstreamHeaders = (c?: Context): Record<string, string> => {
    const h: Record<string, string> = { 'content-type': 'application/json' };
    const own = options.forwardAuthorization && c ? header(c, 'authorization') : undefined;
    if (own) h.authorization = own;
    else if (upstreamKey) h.authorization = `Bearer ${upstreamKey}`;
    return h;
  };

  /**
   * Calls the upstream; maps network errors, timeouts, 429 and 5xx to OpenAI-style errors. The answer's body
   * comes capped at `upstream.maxResponseBytes`. Non-streamed: one timer for the whole call, body included
   * (`done()` clears it). Streamed: the timer covers the wait for the headers, then each gap between chunks
   * has its own (an idle timeout); either limit ends the body with an {@link UpstreamFailure}.
   */
  const callUpstream = async (
    path: string,
    body: unknown,
    ctrl: AbortController,
    c?: Context,
    stream = false,
  ): Promise<
    | { res: UpstreamResponse; done: () => void }
    | { status: number; error: OpenAIError; headers?: Record<string, string> }
  > => {
    if (!upstreamBase)
      return { status: 502, error: errors.upstream('No upstream is configured (--upstream URL).', 'no_upstream') };
    const t0 = performance.now();
    const { timeoutMs, maxResponseBytes } = config.upstream;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctrl.abort();
    }, timeoutMs);
    timer.unref();
    const done = () => clearTimeout(timer);
    try {
      // The query goes on, as for passthrough routes: Azure OpenAI needs its `?api-version=`.
      const query = c ? new URL(c.req.url).search : '';
      const res = await upstream.request(`${upstreamBase}${path}${query}`, {
        method: 'POST',
        headers: upstreamHeaders(c),
        body: JSON.stringify(body),
        signal: ctrl.signal,
      });
      metrics.upstreamLatency.observe((performance.now() - t0) / 1000, { path });
      if (res.status < 200 || res.status >= 300) {
        const text = await readText(limitedBody(res, ctrl, { maxBytes: maxResponseBytes })).catch(() => '');
        done();
        const status = res.status === 429 ? 429 : res.status >= 500 ? 502 : res.status;
        const code = res.status === 429 ? 'upstream_rate_limited' : `upstream_${res.status}`;
        const retryAfter = res.status === 429 ? res.header('retry-after') : undefined;
        return {
          status,
          error: errors.upstream(`Upstream answered ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`, code),
          headers: retryAfter ? { 'retry-after': retryAfter } : undefined,
        };
      }
      // Streamed: the headers came; from here each gap between chunks has its own timer.
      if (stream) done();
      const limited = limitedBody(res, ctrl, { maxBytes: maxResponseBytes, idleMs: stream ? timeoutMs : undefined });
      const text = async () => {
        try {
          return await readText(limited);
        } catch (e) {
          if (timedOut) throw new UpstreamFailure(504, errors.timeout(), 'timeout');
          throw e;
        }
      };
      return { res: { ...res, body: limited, text }, done };
    } catch (e) {
      done();
      if (timedOut) return { status: 504, error: errors.timeout() };
      if (ctrl.signal.aborted)
        return { status: 499, error: errors.upstream('Client closed the request.', 'client_closed') };
      return {
        status: 502,
        error: errors.upstream(`Upstream unreachable: ${(e as Error).message}`, 'upstream_unreachable'),
      };
    }
  };

  const record = (decisions: readonly CheckDecision[], info: RequestInfo) => {
    const policy = guardFor(info.policy).policy;
    for (const d of decisions)
      metrics.decisions.inc({
        stage: d.stage,
        check: metricCheck(d.check, policy),
        action: d.fired ? d.action : 'allow',
        // A shadow check's (or a failed-open check's) "block" blocked nothing: dashboards and alerts must tell.
        enforced: d.enforced ? 'true' : 'false',
      });
    options.onDecisions?.(decisions, info);
  };

  /** A POST with a JSON body: admitted (key, rate limit) and read, or the error to answer with. */
  const admitJson = async (
    c: Context,
    route: string,
  ): Promise<{ info: RequestInfo; guard: Guard; body: Record<string, unknown> } | Response> => {
    const admitted = admit(c, route);
    if (admitted instanceof Response) return admitted;
    const body = await readJson(c, route);
    if (body instanceof Response) return body;
    // `stream` decides how the answer is read: a lenient upstream streams for "true" or 1, which the gateway
    // then read as JSON (502 after the model had written the whole answer) instead of refusing the request.
    if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean')
      return fail(c, 400, errors.badRequest('`stream` must be a boolean.', 'invalid_type'), route);
    return { ...admitted, body };
  };

  /**
   * The input stage of a request: checks, latency, decisions recorded; a block is counted and flagged in the
   * `x-lifeguard-blocked` header (the caller answers with its refusal). A guard that fails answers 503.
   */
  const checkRequest = async (
    c: Context,
    route: string,
    guard: Guard,
    info: RequestInfo,
    messages: readonly ChatMessage[] | string,
    session: GuardSession,
  ): Promise<Awaited<ReturnType<Guard['checkInput']>> | Response> => {
    const t0 = performance.now();
    let input: Awaited<ReturnType<Guard['checkInput']>>;
    try {
      input = await guard.checkInput(messages, { session, requestId: info.requestId });
    } catch {
      return fail(c, 503, errors.guard(), route);
    }
    metrics.guardLatency.observe((performance.now() - t0) / 1000, { stage: 'input' });
    record(input.decisions, info);
    if (input.blocked) {
      metrics.requests.inc({ route, outcome: 'blocked_input' });
      c.header('x-lifeguard-blocked', 'input');
    }
    return input;
  };

  app.post('/v1/chat/completions', async (c) => {
    const route = 'chat';
    const request = await admitJson(c, route);
    if (request instanceof Response) return request;
    const { info, guard, body } = request;
    const problem = chatMessagesProblem(body.messages);
    if (problem) return fail(c, 400, errors.badRequest(problem, 'invalid_messages'), route);
    info.model = typeof body.model === 'string' ? body.model : undefined;
    const session = new GuardSession();
    const input = await checkRequest(c, route, guard, info, body.messages as ChatMessage[], session);
    if (input instanceof Response) return input;
    const stream = body.stream === true;
    if (input.blocked) {
      return stream
        ? sseRefusal(c, info, guard.policy.refusal)
        : c.json(chatCompletion(info, guard.policy.refusal, 'content_filter'));
    }
    const upstreamBody = { ...body, messages: input.messages };
    const ctrl = new AbortController();
    abortOnClientClose(c, ctrl);
    const up = await callUpstream('/chat/completions', upstreamBody, ctrl, c, stream);
    if ('error' in up) return fail(c, up.status, up.error, route, up.headers);
    // JSON mode / structured output: restored values go in as JSON string content, so the JSON stays valid.
    const format = (body.response_format as { type?: unknown } | undefined)?.type;
    const jsonMode = format === 'json_object' || format === 'json_schema';
    if (stream) return streamChoices('chat', guard, session, info, up, ctrl, route, jsonMode);

    let json: { choices?: { message?: ChatMessage; finish_reason?: string; logprobs?: unknown }[] } & Record<
      string,
      unknown
    >;
    try {
      json = await readUpstreamJson(up);
    } catch (e) {
      return failRead(c, e, route);
    }
    type Choice = { message?: ChatMessage; finish_reason?: string; logprobs?: unknown };
    // Parts the checks cannot read (audio without a transcript, images): withheld, and said so, while the output
    // stage enforces anything, unless the policy's `binaryParts` is `allow`.
    const withhold = withholdsBinaryParts(guard.policy);
    const withheld = new WithheldParts((d) => record(d, info));
    /** Checks one choice's answer, thoughts and tool calls, rewriting them; false at the first block. */
    const release = async (choice: Choice, msg: ChatMessage): Promise<boolean> => {
      const check = async (text: string, answer = false) => {
        const out = await guard.checkOutput(text, { session, requestId: info.requestId, json: answer && jsonMode });
        record(out.decisions, info);
        return out;
      };
      const checkParts: CheckParts = async (parts) => {
        const out = await guard.checkOutputParts(parts, { session, requestId: info.requestId });
        record(out.decisions, info);
        return out;
      };
      const text = messageText(msg.content);
      // Content parts without text (an image, audio): nothing the checks read.
      const unread = Array.isArray(msg.content) ? msg.content.filter((p) => !hasText(p)) : [];
      let checked: string | undefined;
      if (text !== undefined) {
        const out = await check(text, true);
        if (out.blocked) return false;
        // Log-probabilities spell out the upstream's tokens: they go only with an answer released unchanged.
        if (out.text !== text) delete choice.logprobs;
        checked = out.text;
      }
      if (unread.length > 0 && !withhold) {
        msg.content = (checked === undefined ? unread : [{ type: 'text', text: checked }, ...unread]) as never;
      } else {
        for (const p of unread) withheld.add(partType(p));
        if (checked !== undefined) msg.content = checked;
        else if (unread.length > 0) msg.content = null;
      }
      // Every other text the model wrote is output too: reasoning models' thoughts (vLLM, DeepSeek, OpenRouter),
      // OpenAI's `refusal`, and any field a provider adds. Only the message's own framing is left unread.
      // Fields holding objects or arrays (`annotations`, a provider's `reasoning_details`) have every string in
      // them checked and rewritten in place; generated `images` follow `binaryParts` below.
      const fields = msg as unknown as Record<string, unknown>;
      for (const [field, value] of Object.entries(fields)) {
        if (UNREAD_FIELDS.has(field)) continue;
        if (typeof value === 'string') {
          if (!value) continue;
          const out = await check(value);
          if (out.blocked) return false;
          fields[field] = out.text;
        } else if (field !== 'images' && value !== null && typeof value === 'object') {
          if (!(await checkStrings(value as Record<string, unknown>, checkParts))) return false;
        }
      }
      // An audio answer's transcript is what it says; a transcript that had to be rewritten means the sound
      // holds what was removed, so the sound goes.
      const audio = fields.audio as { transcript?: unknown } | undefined;
      if (audio && typeof audio === 'object' && typeof audio.transcript === 'string' && audio.transcript) {
        const out = await check(audio.transcript);
        if (out.blocked) return false;
        if (out.text !== audio.transcript) {
          delete fields.audio;
          withheld.add('audio');
        }
      } else if (audio !== undefined && audio !== null && withhold) {
        // Audio without a transcript: nothing of it can be checked.
        delete fields.audio;
        withheld.add('audio');
      }
      // Generated images (`images: [{type: "image_url", image_url: {url: "data:image/png;base64,…"}}]`, OpenRouter).
      if (Array.isArray(fields.images) && fields.images.length > 0 && withhold) {
        for (const image of fields.images) withheld.add(partType(image));
        delete fields.images;
      }
      // The legacy `function_call` (the functions API) is a tool call like the others, and so is a custom tool's
      // call (`type: "custom"`, `custom: {name, input}`), whose input used to go out unchecked.
      const legacy = (msg as { function_call?: { name?: string; arguments?: string } }).function_call;
      type AnyCall = { function?: { name?: string; arguments?: string }; custom?: { name?: string; input?: string } };
      for (const call of [...(msg.tool_calls ?? []), ...(legacy ? [{ function: legacy }] : [])] as AnyCall[]) {
        // Restore placeholders first: rules such as denyArgs must see the real values the tool will get.
        if (typeof call.function?.arguments === 'string')
          call.function.arguments = session.restoreArguments(call.function.arguments);
        else if (typeof call.custom?.input === 'string')
          call.custom.input = session.restoreArguments(call.custom.input);
        const [name, args] = call.function
          ? [call.function.name, call.function.arguments]
          : [call.custom?.name, call.custom?.input];
        const r = await guard.checkToolCall(
          typeof name === 'string' ? name : '',
          typeof args === 'string' ? args : '',
          {
            session,
            requestId: info.requestId,
          },
        );
        record(r.decisions, info);
        if (r.blocked) return false;
      }
      return true;
    };
    /**
     * A choice without a message object (a provider's `text` or `delta` in a whole answer): every string in it
     * but its frame is checked as output, in place. False when blocked.
     */
    const releaseBare = async (choice: Choice): Promise<boolean> => {
      let changed = false;
      const ok = await checkStrings(
        choice as Record<string, unknown>,
        async (parts) => {
          const out = await guard.checkOutputParts(parts, { session, requestId: info.requestId });
          record(out.decisions, info);
          if (out.texts.some((t, k) => t !== parts[k].text)) changed = true;
          return out;
        },
        CHOICE_FRAME,
      );
      if (changed) delete choice.logprobs;
      return ok;
    };
    /**
     * The fields of a choice with a message besides its frame and message (one a provider adds): every string in
     * them is output, as a message's own. False when blocked.
     */
    const releaseChoiceFields = (choice: Choice): Promise<boolean> =>
      checkStrings(
        choice as Record<string, unknown>,
        async (parts) => {
          const out = await guard.checkOutputParts(parts, { session, requestId: info.requestId });
          record(out.decisions, info);
          return out;
        },
        MESSAGE_CHOICE_FRAME,
      );
    let blocked = false;
    for (const choice of (json.choices ?? []) as Choice[]) {
      if (!choice || typeof choice !== 'object') continue;
      const msg = choice.message;
      const isMessage = !!msg && typeof msg === 'object' && !Array.isArray(msg);
      if (isMessage ? (await release(choice, msg)) && (await releaseChoiceFields(choice)) : await releaseBare(choice))
        continue;
      // Blocked: the refusal is the whole answer; nothing of the model's (text, thoughts, calls, tokens) stays.
      blocked = true;
      const rest = choice as unknown as Record<string, unknown>;
      for (const field of Object.keys(rest)) if (field !== 'index') delete rest[field];
      const role = isMessage && typeof msg.role === 'string' ? msg.role : 'assistant';
      choice.message = { role, content: guard.policy.refusal } as ChatMessage;
      choice.finish_reason = 'content_filter';
    }
    // The completion's own fields a provider adds (Perplexity's `citations` and `search_results`, anything else
    // outside the known ones): every string in them is output too; a block there blocks every choice.
    const refusalMessage = { role: 'assistant', content: guard.policy.refusal } as ChatMessage;
    if (!(await checkCompletionFields(json, { message: refusalMessage }, guard, session, (d) => record(d, info), info)))
      blocked = true;
    if (blocked) c.header('x-lifeguard-blocked', 'output');
    const mark = withheld.field();
    if (mark) {
      json.lifeguard = mark;
      c.header(WITHHELD_HEADER, withheld.header());
    }
    metrics.requests.inc({ route, outcome: blocked ? 'blocked_output' : '200' });
    return c.json(json);
  });

  app.post('/v1/completions', async (c) => {
    const route = 'completions';
    const request = await admitJson(c, route);
    if (request instanceof Response) return request;
    const { info, guard, body } = request;
    const prompts =
      typeof body.prompt === 'string' ? [body.prompt] : Array.isArray(body.prompt) ? body.prompt : undefined;
    if (!prompts || prompts.some((p) => typeof p !== 'string')) {
      return fail(
        c,
        400,
        errors.badRequest('`prompt` must be a string or an array of strings.', 'invalid_prompt'),
        route,
      );
    }
    const stream = body.stream === true;
    const session = new GuardSession();
    const rewritten: string[] = [];
    for (const p of prompts as string[]) {
      const r = await checkRequest(c, route, guard, info, p, session);
      if (r instanceof Response) return r;
      if (r.blocked) {
        if (!stream) return c.json(textCompletion(info, guard.policy.refusal));
        return eventBody(c, `${sseEvent(textCompletion(info, guard.policy.refusal))}data: [DONE]\n\n`);
      }
      rewritten.push(messageText(r.messages[0].content) ?? '');
    }
    const ctrl = new AbortController();
    abortOnClientClose(c, ctrl);
    const up = await callUpstream(
      '/completions',
      { ...body, prompt: typeof body.prompt === 'string' ? rewritten[0] : rewritten },
      ctrl,
      c,
      stream,
    );
    if ('error' in up) return fail(c, up.status, up.error, route, up.headers);
    if (stream) return streamChoices('text', guard, session, info, up, ctrl, route);
    let json: { choices?: { text?: string; finish_reason?: string; logprobs?: unknown }[] };
    try {
      json = await readUpstreamJson(up);
    } catch (e) {
      return failRead(c, e, route);
    }
    let blocked = false;
    for (const choice of json.choices ?? []) {
      if (!choice || typeof choice !== 'object') continue;
      // Every string in the choice but its frame, as in a chat choice without a message: a `text` that is not a
      // string (an array, an object a provider sends) is read, not skipped, and so is any field a provider adds.
      let changed = false;
      const ok = await checkStrings(
        choice as Record<string, unknown>,
        async (parts) => {
          const out = await guard.checkOutputParts(parts, { session, requestId: info.requestId });
          record(out.decisions, info);
          if (out.texts.some((t, k) => t !== parts[k].text)) changed = true;
          return out;
        },
        CHOICE_FRAME,
      );
      if (changed) delete choice.logprobs;
      if (ok) continue;
      // Blocked: the refusal is the whole answer; nothing of the model's stays.
      const rest = choice as Record<string, unknown>;
      for (const field of Object.keys(rest)) if (field !== 'index') delete rest[field];
      choice.text = guard.policy.refusal;
      choice.finish_reason = 'content_filter';
      blocked = true;
    }
    // The completion's own fields a provider adds: every string in them is output too.
    if (
      !(await checkCompletionFields(json, { text: guard.policy.refusal }, guard, session, (d) => record(d, info), info))
    )
      blocked = true;
    if (blocked) c.header('x-lifeguard-blocked', 'output');
    metrics.requests.inc({ route, outcome: blocked ? 'blocked_output' : '200' });
    return c.json(json);
  });

  // The Responses API: the same checks on its input items, output items and typed stream events.
  const responseSessions = new ResponseSessions(
    config.responses.maxSessions,
    config.responses.sessionTtlSeconds * 1000,
  );
  app.post('/v1/responses', async (c) => {
    const route = 'responses';
    const request = await admitJson(c, route);
    if (request instanceof Response) return request;
    const { info, guard, body } = request;
    const parsed = responsesInput(body);
    if (typeof parsed === 'string') return fail(c, 400, errors.badRequest(parsed, 'invalid_input'), route);
    info.model = typeof body.model === 'string' ? body.model : undefined;
    // A turn that continues a stored response keeps its vault: the upstream's copy holds its placeholders.
    const previous = typeof body.previous_response_id === 'string' ? body.previous_response_id : undefined;
    // A stored vault belongs to whoever made it: the client key, else the upstream credential forwarded. Another
    // caller naming the same response id gets a fresh vault, so its placeholders are never filled with
    // someone else's personal data.
    const owner = info.apiKeyId ?? credentialDigest(c.req.header('authorization'));
    const session = (previous && responseSessions.get(previous, owner)) || new GuardSession();
    const keep = (id: unknown) => {
      if (typeof id === 'string' && body.store !== false) responseSessions.set(id, session, owner);
    };
    // The application's instructions name destinations a tool call may use (`untrustedDestinations`).
    if (typeof body.instructions === 'string') {
      session.supplied.add(body.instructions);
      // Tags they write (a template's `<PERSON_1>`) are theirs: never handed out, never filled when echoed.
      session.noteWritten(body.instructions);
    }
    const input = await checkRequest(c, route, guard, info, parsed.messages, session);
    if (input instanceof Response) return input;
    const stream = body.stream === true;
    if (input.blocked) {
      if (!stream) return c.json(blockedResponse(info.requestId, info.model, guard.policy.refusal));
      return eventBody(c, refusalStream(info.requestId, info.model, guard.policy.refusal));
    }
    const ctrl = new AbortController();
    abortOnClientClose(c, ctrl);
    const up = await callUpstream('/responses', parsed.apply(input.messages), ctrl, c, stream);
    if ('error' in up) return fail(c, up.status, up.error, route, up.headers);
    const ctx = {
      guard,
      session,
      requestId: info.requestId,
      record: (d: readonly CheckDecision[]) => record(d, info),
      json: wantsJson(body),
    };
    if (stream) {
      const out = guardedResponsesStream(
        (room) => sseData(up.res.body, ctrl.signal, room),
        ctx,
        ctrl,
        (outcome, id) => {
          up.done();
          if (outcome === '200') keep(id);
          metrics.requests.inc({ route, outcome });
        },
      );
      return eventStream(out, info.requestId);
    }
    let json: Record<string, unknown>;
    try {
      json = await readUpstreamJson(up);
    } catch (e) {
      return failRead(c, e, route);
    }
    const { blocked, withheld } = await guardResponseOutput(json, ctx);
    if (withheld) c.header(WITHHELD_HEADER, withheld);
    if (blocked) c.header('x-lifeguard-blocked', 'output');
    else keep(json.id);
    metrics.requests.inc({ route, outcome: blocked ? 'blocked_output' : '200' });
    return c.json(json);
  });

  app.get('/v1/models', async (c) => {
    const admitted = admit(c, 'models');
    if (admitted instanceof Response) return admitted;
    if (!upstreamBase) return c.json({ object: 'list', data: [] });
    try {
      const res = await doFetch(`${upstreamBase}/models`, {
        headers: upstreamHeaders(),
        signal: AbortSignal.timeout(config.upstream.timeoutMs),
      });
      return new Response(res.body, {
        status: res.status,
        headers: { 'content-type': res.headers.get('content-type') ?? 'application/json' },
      });
    } catch (e) {
      return fail(
        c,
        502,
        errors.upstream(`Upstream unreachable: ${(e as Error).message}`, 'upstream_unreachable'),
        'models',
      );
    }
  });

  mountDashboard(app, {
    audit: options.audit,
    adminKey: env[config.server.adminKeyEnv],
    adminKeyEnv: config.server.adminKeyEnv,
    metrics,
  });

  // Other routes under /v1 the config lets through (embeddings, files, …) go unchanged, with the client's key
  // replaced; the rest may return model output nobody checked, so they are refused.
  const passthrough = config.passthrough.map((p) => p.replace(/\/+$/, ''));
  const mayPass = (path: string) =>
    passthrough.includes('*') ||
    (!escapesItsPrefix(path) && passthrough.some((p) => path === p || path.startsWith(`${p}/`)));
  app.all('/v1/*', async (c) => {
    const admitted = admit(c, 'passthrough');
    if (admitted instanceof Response) return admitted;
    if (!mayPass(c.req.path))
      return fail(
        c,
        403,
        errors.badRequest(
          `${c.req.method} ${c.req.path} is not checked by this gateway and may return model output; list it under \`passthrough\` in the gateway config to forward it unchecked.`,
          'unguarded_route',
        ),
        'passthrough',
      );
    if (!upstreamBase) return fail(c, 502, errors.upstream('No upstream is configured.', 'no_upstream'), 'passthrough');
    const url = `${upstreamBase}${c.req.path.slice(3)}${new URL(c.req.url).search}`;
    // `content-length` stays: the body goes on byte for byte, and some servers refuse chunked uploads.
    const headers = withoutHopByHop(new Headers(c.req.raw.headers));
    headers.delete('host');
    if (!options.forwardAuthorization) {
      headers.delete('authorization');
      if (upstreamKey) headers.set('authorization', `Bearer ${upstreamKey}`);
    }
    const hasBody = !['GET', 'HEAD'].includes(c.req.method) && c.req.raw.body !== null;
    try {
      const res = await doFetch(url, {
        method: c.req.method,
        headers,
        // Streamed, not buffered: an unchecked upload (files) may be large, and must not sit in memory whole.
        body: hasBody ? c.req.raw.body : undefined,
        ...(hasBody ? { duplex: 'half' } : {}),
        signal: AbortSignal.timeout(config.upstream.timeoutMs),
      } as RequestInit);
      metrics.requests.inc({ route: 'passthrough', outcome: String(res.status) });
      return new Response(res.body, { status: res.status, headers: forwardedResponseHeaders(res.headers) });
    } catch (e) {
      if ((e as Error).name === 'TimeoutError') return fail(c, 504, errors.timeout(), 'passthrough');
      return fail(
        c,
        502,
        errors.upstream(`Upstream unreachable: ${(e as Error).message}`, 'upstream_unreachable'),
        'passthrough',
      );
    }
  });

  app.onError((err, c) => {
    metrics.requests.inc({ route: 'error', outcome: '500' });
    return c.json(errors.upstream(`Gateway error: ${err.message}`, 'gateway_error'), 500);
  });

  /**
   * The client's side of a streamed chat or text completion: every choice (`n` > 1, several prompts) has its
   * own checkers; text is released only once checked, tool calls whole after their check. A block in any
   * choice ends the whole stream: the stopped message in that choice, `content_filter` for every open one,
   * `[DONE]`, and the upstream request cancelled.
   */
  function streamChoices(
    kind: 'chat' | 'text',
    guard: Guard,
    session: GuardSession,
    info: RequestInfo,
    up: { res: UpstreamResponse; done: () => void },
    ctrl: AbortController,
    route: string,
    json = false,
  ): Response {
    const res = up.res;
    const encoder = new TextEncoder();
    const context = { session, requestId: info.requestId };
    let base: { id?: string; model?: string; created?: number } = {};
    let usage: unknown;
    const choices = new Map<number, StreamedChoice>();
    const withhold = withholdsBinaryParts(guard.policy);
    const withheld = new WithheldParts((d) => record(d, info));
    const choiceAt = (index: number): StreamedChoice => {
      let ch = choices.get(index);
      if (!ch) {
        ch = {
          checker: guard.stream({ ...context, json }),
          thoughts: new Map(),
          toolCalls: new Map(),
          extra: [],
          finish: null,
          roleSent: false,
        };
        choices.set(index, ch);
      }
      return ch;
    };
    const out = pacedStream(
      async (controller, room) => {
        const send = (data: unknown) => controller.enqueue(encoder.encode(sseEvent(data)));
        const chunk = (index: number, delta: Record<string, unknown>, finish: string | null = null) =>
          kind === 'chat'
            ? {
                id: base.id ?? `chatcmpl-${info.requestId}`,
                object: 'chat.completion.chunk',
                created: base.created ?? Math.floor(Date.now() / 1000),
                model: base.model ?? info.model ?? 'unknown',
                choices: [{ index, delta, finish_reason: finish }],
              }
            : {
                id: base.id ?? `cmpl-${info.requestId}`,
                object: 'text_completion',
                created: base.created ?? Math.floor(Date.now() / 1000),
                model: base.model ?? info.model ?? 'unknown',
                choices: [
                  { index, text: (delta.content as string | undefined) ?? '', logprobs: null, finish_reason: finish },
                ],
              };
        /** Each stream checker's decisions go to the audit log once, summed over the stream (`summary`). */
        const summarised = new Set<ReturnType<Guard['stream']>>();
        const recordSummary = (checker: ReturnType<Guard['stream']>) => {
          if (summarised.has(checker)) return;
          summarised.add(checker);
          const summary = checker.summary;
          if (summary.length > 0) record(summary, info);
        };
        /** Every checker's decisions, also when the stream breaks off (upstream error, timeout, client gone). */
        const recordAll = () => {
          for (const ch of choices.values()) for (const k of [ch.checker, ...ch.thoughts.values()]) recordSummary(k);
        };
        const stop = (why: 'output' | 'tool', index: number, by?: ReturnType<Guard['stream']>) => {
          // The whole stream's decisions, of every choice and its thoughts, not only the step that stopped it.
          if (by) recordSummary(by);
          recordAll();
          send(chunk(index, { content: guard.policy.stoppedMessage }, 'content_filter'));
          for (const other of choices.keys()) if (other !== index) send(chunk(other, {}, 'content_filter'));
          controller.enqueue(encoder.encode('data: [DONE]\n\n'));
          metrics.requests.inc({ route, outcome: `stopped_${why}` });
          ctrl.abort();
          controller.close();
        };
        try {
          // A plain JSON answer to a streamed request (some servers ignore `stream`) is checked as one event.
          const json = /^application\/json\b/i.test(res.contentType ?? '');
          const upstreamEvents = json ? jsonAsEvents(kind, res) : sseData(res.body, ctrl.signal, room);
          let sawDone = false;
          for await (const data of upstreamEvents) {
            if (data.trim() === '[DONE]') {
              sawDone = true;
              break;
            }
            let ev: {
              error?: unknown;
              id?: string;
              model?: string;
              created?: number;
              usage?: unknown;
              choices?: {
                index?: number;
                text?: string;
                delta?: Record<string, unknown>;
                finish_reason?: string | null;
              }[];
            };
            try {
              ev = JSON.parse(data);
            } catch {
              continue;
            }
            // An error the upstream reports mid-stream ends the stream as an error, not as a normal finish.
            if (ev && typeof ev === 'object' && ev.error !== undefined && ev.error !== null)
              throw new UpstreamFailure(
                502,
                errors.upstream(
                  `Upstream stream failed: ${sanitiseUpstreamMessage(ev.error)}`,
                  'upstream_stream_error',
                ),
                'stream_error',
              );
            base = { id: ev.id ?? base.id, model: ev.model ?? base.model, created: ev.created ?? base.created };
            if (ev.usage) usage = ev.usage; // `stream_options.include_usage`: sent on after the answer
            for (const choice of ev.choices ?? []) {
              const index = typeof choice.index === 'number' ? choice.index : 0;
              const ch = choiceAt(index);
              const delta = kind === 'chat' ? (choice.delta ?? {}) : { content: choice.text };
              // The role goes out once, on its own (vLLM sends it with `content: ""`, others with the first text).
              if (kind === 'chat' && typeof delta.role === 'string' && !ch.roleSent) {
                ch.roleSent = true;
                send(chunk(index, { role: delta.role }));
              }
              // Every other field of the delta is model output too, as in a whole answer's message: a string one
              // (thoughts, a refusal, any text field a provider adds) has its own checker; one holding objects or
              // arrays (`annotations`, a provider's `reasoning_details`) is gathered and released at the end, every
              // string in it checked; numbers and booleans carry no text.
              for (const [field, thought] of kind === 'chat' ? Object.entries(delta) : []) {
                if (STREAMED_DELTA_FIELDS.has(field) || thought === null || thought === undefined) continue;
                if (typeof thought === 'object') {
                  ch.extra.push({ field, value: thought });
                  continue;
                }
                if (typeof thought !== 'string') {
                  send(chunk(index, { [field]: thought }));
                  continue;
                }
                if (!thought) continue;
                let t = ch.thoughts.get(field);
                if (!t) {
                  t = guard.stream(context);
                  ch.thoughts.set(field, t);
                }
                const r = await t.push(thought);
                if (r.stopped) return stop('output', index, t);
                if (r.text) send(chunk(index, { [field]: r.text }));
              }
              // Content as an array of parts (Mistral and others stream it so): the text parts are the answer's text;
              // parts without text follow `binaryParts`, as in a whole answer.
              let content = delta.content;
              if (Array.isArray(content)) {
                let text = '';
                for (const p of content) {
                  if (hasText(p)) text += (p as { text: string }).text;
                  else if (withhold) withheld.add(partType(p));
                  else send(chunk(index, { content: [p] }));
                }
                content = text;
              }
              if (typeof content === 'string' && content) {
                const r = await ch.checker.push(content);
                if (r.stopped) return stop('output', index, ch.checker);
                if (r.text) send(chunk(index, { content: r.text }));
              }
              // Audio: gathered, and released at the end with its transcript checked (or withheld without one).
              const audio = delta.audio as Record<string, unknown> | undefined;
              if (kind === 'chat' && audio && typeof audio === 'object') {
                ch.audio ??= { data: [], transcript: '' };
                if (typeof audio.id === 'string') ch.audio.id = audio.id;
                if (audio.expires_at !== undefined) ch.audio.expires_at = audio.expires_at;
                if (typeof audio.data === 'string' && audio.data) ch.audio.data.push(audio.data);
                if (typeof audio.transcript === 'string') ch.audio.transcript += audio.transcript;
              }
              // Generated images: nothing the checks read.
              if (kind === 'chat' && Array.isArray(delta.images) && delta.images.length > 0) {
                if (withhold) for (const image of delta.images) withheld.add(partType(image));
                else send(chunk(index, { images: delta.images }));
              }
              for (const tc of (delta.tool_calls as {
                index?: number;
                id?: string;
                type?: string;
                function?: { name?: string; arguments?: string };
              }[]) ?? []) {
                const i = tc.index ?? 0;
                const custom = tc.type === 'custom' || (tc as { custom?: unknown }).custom !== undefined;
                const cur = ch.toolCalls.get(i) ?? {
                  id: tc.id,
                  type: tc.type ?? (custom ? 'custom' : 'function'),
                  ...(custom ? { custom: { name: '', input: '' } } : { function: { name: '', arguments: '' } }),
                };
                if (tc.id) cur.id = tc.id;
                const part = (custom ? (tc as { custom?: { name?: unknown; input?: unknown } }).custom : tc.function) as
                  | Record<string, unknown>
                  | undefined;
                appendCall(cur, part);
                ch.toolCalls.set(i, cur);
              }
              // The legacy functions API streams its one call as `function_call` deltas.
              const legacy = delta.function_call as Record<string, unknown> | undefined;
              if (legacy && typeof legacy === 'object') {
                const cur = ch.toolCalls.get(-1) ?? { function: { name: '', arguments: '' } };
                appendCall(cur, legacy);
                ch.toolCalls.set(-1, cur);
              }
              if (choice.finish_reason) ch.finish = choice.finish_reason;
            }
          }
          // A body that ends with neither [DONE] nor every choice finished was cut short (a proxy or a crashed
          // server closing cleanly): it ends as an error, never with a finish_reason the upstream did not send.
          const finished = choices.size > 0 && [...choices.values()].every((ch) => ch.finish !== null);
          if (!json && !sawDone && !finished)
            throw new UpstreamFailure(
              502,
              errors.upstream('The upstream stream ended before the answer was complete.', 'upstream_stream_error'),
              'stream_error',
            );
          // Every choice is checked to its end before any finishes: a block in one stops them all.
          const rest: unknown[] = [];
          for (const index of [...choices.keys()].sort((a, b) => a - b)) {
            const ch = choices.get(index) as StreamedChoice;
            for (const [field, t] of ch.thoughts) {
              const end = await t.end();
              if (end.stopped) return stop('output', index, t);
              recordSummary(t);
              if (end.text) rest.push(chunk(index, { [field]: end.text }));
            }
            const end = await ch.checker.end();
            if (end.stopped) return stop('output', index, ch.checker);
            recordSummary(ch.checker);
            if (end.text) rest.push(chunk(index, { content: end.text }));
            if (ch.extra.length > 0) {
              // The delta fields holding objects or arrays, every string in them checked together.
              const values = ch.extra.map((e) => ({ value: structuredClone(e.value) }));
              const ok = await checkStrings(values, async (parts) => {
                const out = await guard.checkOutputParts(parts, context);
                record(out.decisions, info);
                return out;
              });
              if (!ok) return stop('output', index);
              for (const [k, e] of ch.extra.entries()) rest.push(chunk(index, { [e.field]: values[k].value }));
            }
            if (ch.audio) {
              // As a whole answer's audio: its transcript is what it says, so a transcript that had to be rewritten
              // takes the sound with it; audio without one is withheld while the output stage enforces anything.
              const { id, expires_at, data, transcript } = ch.audio;
              let release = !withhold;
              if (transcript) {
                const r = await guard.checkOutput(transcript, context);
                record(r.decisions, info);
                if (r.blocked) return stop('output', index);
                release = r.text === transcript;
              }
              if (release) {
                rest.push(
                  chunk(index, { audio: { id, transcript, ...(expires_at !== undefined ? { expires_at } : {}) } }),
                );
                for (const piece of data) rest.push(chunk(index, { audio: { id, data: piece } }));
              } else withheld.add('audio');
            }
            // Tool calls are released whole, after their arguments were checked.
            for (const [i, call] of ch.toolCalls) {
              // Restore placeholders first: rules such as denyArgs must see the real values the tool will get.
              const f = call.function ?? { name: call.custom?.name ?? '', arguments: call.custom?.input ?? '' };
              const args = session.restoreArguments(f.arguments);
              const r = await guard.checkToolCall(f.name, args, context);
              record(r.decisions, info);
              if (r.blocked) return stop('tool', index);
              if (call.custom) call.custom.input = args;
              else f.arguments = args;
              rest.push(chunk(index, i < 0 ? { function_call: f } : { tool_calls: [{ index: i, ...call }] }));
            }
            rest.push(chunk(index, {}, ch.finish ?? 'stop'));
          }
          // The parts withheld are named on the last chunk of the answer.
          const mark = withheld.field();
          if (mark && rest.length > 0) (rest[rest.length - 1] as Record<string, unknown>).lifeguard = mark;
          for (const data of rest) send(data);
          if (usage) send({ ...chunk(0, {}), choices: [], usage });
          controller.enqueue(encoder.encode('data: [DONE]\n\n'));
          metrics.requests.inc({ route, outcome: '200' });
          controller.close();
        } catch (e) {
          // A timeout, an oversize answer or the upstream's error event: the stream ends with the error event.
          const failure = e instanceof UpstreamFailure ? e : undefined;
          if (!failure && ctrl.signal.aborted) {
            try {
              controller.close();
            } catch {}
            return;
          }
          send({
            error: (
              failure?.error ??
              errors.upstream(`Upstream stream failed: ${(e as Error).message}`, 'upstream_stream_error')
            ).error,
          });
          controller.enqueue(encoder.encode('data: [DONE]\n\n'));
          metrics.requests.inc({ route, outcome: failure?.outcome ?? 'stream_error' });
          if (failure) ctrl.abort(); // the upstream is not read further
          controller.close();
        } finally {
          recordAll();
          up.done();
        }
      },
      () => ctrl.abort(), // the client went away: stop the upstream too
    );
    return eventStream(out, info.requestId);
  }

  return { app, metrics, guards, close: () => upstream.close() };
}

/**
 * The response that carries a guarded event stream to the client. No `connection` header: Node sends
 * `keep-alive` itself when the client may reuse the connection, and one set here overrode a client's
 * `Connection: close`, whose socket then stayed open until the keep-alive timeout (about 6 s) after the answer.
 */
function eventStream(body: ReadableStream<Uint8Array>, requestId: string): Response {
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-lifeguard-request-id': requestId,
    },
  });
}

/** Adds a streamed tool-call delta (`{name?, arguments?}` or a custom tool's `{name?, input?}`) to the call. */
function appendCall(
  cur: { function?: { name: string; arguments: string }; custom?: { name: string; input: string } },
  part: Record<string, unknown> | undefined,
): void {
  if (!part || typeof part !== 'object') return;
  const target = cur.custom ?? cur.function;
  if (!target) return;
  if (typeof part.name === 'string') target.name += part.name;
  if (cur.custom && typeof part.input === 'string') cur.custom.input += part.input;
  if (cur.function && typeof part.arguments === 'string') cur.function.arguments += part.arguments;
}

/** One choice of a streamed answer: its checkers, the tool calls it is assembling, how it finished. */
interface StreamedChoice {
  checker: ReturnType<Guard['stream']>;
  /** Reasoning deltas (`reasoning_content`, `reasoning`): a checker each. */
  thoughts: Map<string, ReturnType<Guard['stream']>>;
  /**
   * Tool calls being assembled, by index: `function` ones, custom tools' (`custom: {name, input}`), and the
   * legacy functions API's `function_call` (index -1, sent back as `function_call`).
   */
  toolCalls: Map<
    number,
    {
      id?: string;
      type?: string;
      function?: { name: string; arguments: string };
      custom?: { name: string; input: string };
    }
  >;
  /** Delta fields a provider adds that hold objects or arrays, in order: released at the end, checked. */
  extra: { field: string; value: unknown }[];
  finish: string | null;
  /** Whether the `role` delta went out. */
  roleSent: boolean;
  /** Streamed audio (`delta.audio`), gathered: released at the end, once its transcript was checked. */
  audio?: { id?: string; expires_at?: unknown; data: string[]; transcript: string };
}

/**
 * A whole JSON answer to a streamed request, as the events a stream would have carried: one chunk per choice
 * (role, thoughts, text, tool calls, finish) and the usage; an error answer as an error event.
 */
async function* jsonAsEvents(kind: 'chat' | 'text', res: UpstreamResponse): AsyncGenerator<string> {
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UpstreamFailure(502, errors.invalidJson(), 'stream_error');
  }
  if (!json || typeof json !== 'object' || json.error !== undefined) {
    yield JSON.stringify({ error: json?.error ?? 'not a completion' });
    return;
  }
  type Choice = { index?: number; message?: Record<string, unknown>; text?: string; finish_reason?: string | null };
  const choices = ((Array.isArray(json.choices) ? json.choices : []) as Choice[]).map((ch, i) => {
    const index = typeof ch.index === 'number' ? ch.index : i;
    if (kind === 'text') return { index, text: ch.text, finish_reason: ch.finish_reason ?? null };
    const { tool_calls, ...msg } = ch.message ?? {};
    const delta: Record<string, unknown> = { ...msg };
    if (Array.isArray(tool_calls)) delta.tool_calls = tool_calls.map((t, k) => ({ index: k, ...t }));
    return { index, delta, finish_reason: ch.finish_reason ?? null };
  });
  yield JSON.stringify({ ...json, choices });
}

/**
 * Fields of a streamed delta read on their own: the role, the answer's `content`, tool calls, audio and images.
 * Every other string field has its own checker (a reasoning model's thoughts, `reasoning_content` or `reasoning`:
 * vLLM, DeepSeek, OpenRouter; OpenAI's `refusal`; any text field a provider adds).
 */
const STREAMED_DELTA_FIELDS: ReadonlySet<string> = new Set([
  'role',
  'content',
  'tool_calls',
  'function_call',
  'audio',
  'images',
]);

/** Whether a content part carries text (`{type: 'text', text}` and any other part with a string `text`). */
function hasText(p: unknown): boolean {
  return !!p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string';
}

/** What a part without text is, for the withheld mark: an image's media type, `audio`, else its `type`. */
function partType(p: unknown): string {
  const part = (p && typeof p === 'object' ? p : {}) as { type?: unknown; image_url?: { url?: unknown } };
  if (part.type === 'image_url') return dataUrlType(part.image_url?.url, 'image');
  if (part.type === 'input_audio' || part.type === 'audio') return 'audio';
  return typeof part.type === 'string' ? part.type : 'unknown';
}
/** Fields of a chat choice with a message that are not model text, or are read on their own (the message). */
const MESSAGE_CHOICE_FRAME: ReadonlySet<string> = new Set(['index', 'finish_reason', 'logprobs', 'message']);

/**
 * Fields of a whole completion (chat or text) that carry no model text, or are read on their own (`choices`):
 * ids, the model, token counts, the serving tier. Any other field has every string in it checked as output.
 */
const COMPLETION_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'object',
  'created',
  'model',
  'choices',
  'usage',
  'system_fingerprint',
  'service_tier',
  'prompt_logprobs',
  'prompt_token_ids',
  'kv_transfer_params',
]);

/**
 * Checks every string of a chat or text completion outside its known top-level fields (`COMPLETION_FIELDS`) as
 * output, rewriting it in place (values under those keys are copied first). False when blocked: then those fields
 * are removed and every choice becomes `refusal` (`{message}` for chat, `{text}` for text completions) with
 * `finish_reason: "content_filter"`.
 */
async function checkCompletionFields(
  completion: { choices?: unknown[] },
  refusal: Record<string, unknown>,
  guard: Guard,
  session: GuardSession,
  record: (d: readonly CheckDecision[]) => void,
  { requestId }: { requestId?: string },
): Promise<boolean> {
  const json = completion as Record<string, unknown>;
  const known = COMPLETION_FIELDS;
  for (const [k, v] of Object.entries(json))
    if (!known.has(k) && typeof v === 'object' && v !== null) json[k] = structuredClone(v);
  const ok = await checkStrings(
    json,
    async (parts) => {
      const out = await guard.checkOutputParts(parts, { session, requestId });
      record(out.decisions);
      return out;
    },
    known,
  );
  if (ok) return true;
  // Blocked: the fields that held it go too, and the refusal is the whole answer.
  for (const k of Object.keys(json)) if (!known.has(k)) delete json[k];
  completion.choices = (completion.choices ?? []).map((_, index) => ({
    index,
    ...refusal,
    finish_reason: 'content_filter',
  }));
  return false;
}

/** Fields of a chat choice that are not model text (`logprobs` goes with a rewritten answer). */
const CHOICE_FRAME: ReadonlySet<string> = new Set(['index', 'finish_reason', 'logprobs']);

/**
 * Checks every string inside `value` (but under the top-level keys in `skip`) as output and writes the checked
 * text back in place; false at the first block.
 */
async function checkStrings(
  value: Record<string, unknown> | unknown[],
  check: CheckParts,
  skip: ReadonlySet<string> = new Set(),
): Promise<boolean> {
  const slots = stringSlots(value, skip);
  if (slots.length === 0) return true;
  // One run of the output checks for all of them (`checkOutputParts`), each text then rewritten on its own; a
  // URL (a citation's `url`) never gets a placeholder restored.
  const out = await check(slots.map((slot) => ({ text: slot.text, url: isUrlPath(slot.path) })));
  if (out.blocked) return false;
  for (const [k, slot] of slots.entries()) slot.set(out.texts[k]);
  return true;
}

/** Checks texts of an answer together as output (`Guard.checkOutputParts`), recording the decisions. */
type CheckParts = (parts: { text: string; url: boolean }[]) => Promise<{ blocked: boolean; texts: string[] }>;

/** Fields of an answer's message that are not model text, or are checked on their own (content, tool calls, audio). */
const UNREAD_FIELDS = new Set(['role', 'content', 'name', 'tool_calls', 'function_call', 'tool_call_id', 'audio']);

/** The upstream's whole JSON answer; the call's timer ends with it. */
async function readUpstreamJson<T>(up: { res: UpstreamResponse; done: () => void }): Promise<T> {
  try {
    return JSON.parse(await up.res.text()) as T;
  } finally {
    up.done();
  }
}

function chatCompletion(info: RequestInfo, content: string, finish: string) {
  return {
    id: `chatcmpl-${info.requestId}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: info.model ?? 'lifeguard',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finish }],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };
}

function textCompletion(info: RequestInfo, text: string) {
  return {
    id: `cmpl-${info.requestId}`,
    object: 'text_completion',
    created: Math.floor(Date.now() / 1000),
    model: info.model ?? 'lifeguard',
    choices: [{ index: 0, text, finish_reason: 'content_filter' }],
  };
}

function sseRefusal(c: Context, info: RequestInfo, refusal: string): Response {
  const base = {
    id: `chatcmpl-${info.requestId}`,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: info.model ?? 'lifeguard',
  };
  const body =
    sseEvent({
      ...base,
      choices: [{ index: 0, delta: { role: 'assistant', content: refusal }, finish_reason: null }],
    }) +
    sseEvent({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'content_filter' }] }) +
    'data: [DONE]\n\n';
  return eventBody(c, body);
}

/** A whole event stream made here (a refusal), answered at once; `checkRequest` set `x-lifeguard-blocked`. */
function eventBody(c: Context, body: string): Response {
  return c.body(body, 200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
}

/**
 * A decision's `check` label in /metrics. A tool rule's decision names the tool, which the model or the client
 * chose: a tool the policy names keeps a series of its own, any other counts as `tool:*`, so nobody can grow
 * the registry (and every scrape) by one series per made-up name.
 */
function metricCheck(check: string, policy: Policy): string {
  if (!check.startsWith('tool:')) return check;
  const suffix = check.endsWith(':destinations') ? ':destinations' : '';
  const key = toolKey(check.slice('tool:'.length, check.length - suffix.length));
  const named = Object.keys(policy.tools).find((n) => n !== '*' && toolKey(n) === key);
  return `tool:${named ?? '*'}${suffix}`;
}

/** Whether `path` is the route `prefix` or under it, segment by segment (`/v1/chat` is not `/v1/chatty`). */
function onRoute(path: string, prefix: string): boolean {
  const p = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return path === p || path.startsWith(`${p}/`) || p === '';
}

/**
 * A path that could leave the allowed prefix once an upstream or a proxy decodes or normalises it:
 * `/v1/embeddings/..%2Fchat%2Fcompletions` matched `/v1/embeddings` here and could reach the chat route
 * unchecked there. Dot segments (plain or escaped), escaped slashes and backslashes are refused.
 */
function escapesItsPrefix(path: string): boolean {
  if (/%2f|%5c|\\/i.test(path)) return true;
  return path.split('/').some((seg) => /^(?:\.|%2e){1,2}$/i.test(seg));
}

/** Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection, so a proxy never forwards them. */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

/** The headers without hop-by-hop ones, including those the `Connection` header names. */
function withoutHopByHop(headers: Headers): Headers {
  const named = (headers.get('connection') ?? '').split(',').map((h) => h.trim().toLowerCase());
  for (const h of [...HOP_BY_HOP, ...named]) if (h) headers.delete(h);
  return headers;
}

/**
 * An upstream answer's headers for the client. `fetch` has already decoded a compressed body, so its
 * `content-encoding` and `content-length` describe bytes the client will not get: sent on, the client would
 * try to gunzip plain JSON.
 */
function forwardedResponseHeaders(upstream: Headers): Headers {
  const headers = withoutHopByHop(new Headers(upstream));
  headers.delete('content-encoding');
  headers.delete('content-length');
  return headers;
}

/** A stand-in for a forwarded credential (never the credential itself), or '' when there is none. */
function credentialDigest(header: string | undefined): string {
  return header ? `auth:${createHash('sha256').update(header).digest('base64url')}` : '';
}
