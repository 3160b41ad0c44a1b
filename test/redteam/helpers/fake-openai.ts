import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake server received. */
export interface LoggedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (`null` when it was not JSON). */
  body: Record<string, unknown> | null;
  /** The last user message (chat routes) or the `prompt` field (custom route). */
  prompt: string;
  /** Time it arrived, ms since the server started. */
  at: number;
}

/** A failure to inject: answer the next `count` requests (matching `prompt`, when set) with `status`. */
export interface InjectedFailure {
  status: number;
  count: number;
  /** `Retry-After` header value (seconds or an HTTP date). */
  retryAfter?: string;
  /** `retry-after-ms` header value. */
  retryAfterMs?: string;
  prompt?: string;
}

export interface FakeOpenAiOptions {
  /** The answer to a prompt (default: `Answer: <prompt>`). */
  answer?: (prompt: string, body: Record<string, unknown> | null) => string;
  /** Delay before answering, ms. */
  latencyMs?: number;
  /** Report token usage (default true): prompt = characters / 4 of the prompt, completion = of the answer. */
  usage?: boolean;
  /** Keep a log of requests (default true; the benchmark turns it off). */
  log?: boolean;
}

export interface FakeOpenAi {
  /** Base URL, ending in `/v1`. */
  url: string;
  /** Origin, `http://127.0.0.1:port`. */
  origin: string;
  options: FakeOpenAiOptions;
  requests: LoggedRequest[];
  /** Requests answered, whether logged or not. */
  count: number;
  failures: InjectedFailure[];
  fail(f: InjectedFailure): void;
  /** How many requests carried each prompt. */
  promptCounts(): Map<string, number>;
  close(): Promise<void>;
}

const enc = (s: string) => Math.max(1, Math.ceil(s.length / 4));

/**
 * A local server speaking the OpenAI chat completions protocol (JSON and, with `stream: true`, SSE) plus
 * two custom routes for the generic HTTP target:
 * - `POST /custom`: body `{prompt, session?}` → `{output: {text}, meta: {in, out}, session}`;
 * - `POST /session`: keeps conversations by `session` id, answers with the turn number.
 * Failures can be injected (429 / 500 with Retry-After), latency added, every request is logged.
 */
export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const t0 = Date.now();
  const sessions = new Map<string, number>();
  let nextSession = 1;
  const state: FakeOpenAi = {
    url: '',
    origin: '',
    options,
    requests: [],
    count: 0,
    failures: [],
    fail: (f) => state.failures.push({ ...f }),
    promptCounts: () => {
      const m = new Map<string, number>();
      for (const r of state.requests) m.set(r.prompt, (m.get(r.prompt) ?? 0) + 1);
      return m;
    },
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> | null = null;
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
      } catch {
        body = null;
      }
      const path = req.url ?? '/';
      let prompt = '';
      if (Array.isArray(body?.messages)) {
        const msgs = body.messages as { role?: string; content?: string }[];
        for (let i = msgs.length - 1; i >= 0; i--) {
          if (msgs[i]?.role === 'user') {
            prompt = String(msgs[i].content ?? '');
            break;
          }
        }
      } else if (typeof body?.prompt === 'string') prompt = body.prompt;
      state.count++;
      if (state.options.log !== false) {
        state.requests.push({ path, headers: req.headers, body, prompt, at: Date.now() - t0 });
      }
      const respond = () => {
        const fi = state.failures.findIndex((f) => f.count > 0 && (f.prompt === undefined || f.prompt === prompt));
        if (fi >= 0) {
          const f = state.failures[fi];
          f.count--;
          if (f.count <= 0) state.failures.splice(fi, 1);
          const h: Record<string, string> = { 'content-type': 'application/json' };
          if (f.retryAfter !== undefined) h['retry-after'] = f.retryAfter;
          if (f.retryAfterMs !== undefined) h['retry-after-ms'] = f.retryAfterMs;
          res.writeHead(f.status, h);
          res.end(JSON.stringify({ error: { message: `injected ${f.status}`, type: 'server_error' } }));
          return;
        }
        const answer = (state.options.answer ?? ((p) => `Answer: ${p}`))(prompt, body);
        if (path.endsWith('/custom')) {
          json(res, { output: { text: answer }, meta: { in: enc(prompt), out: enc(answer) }, session: body?.session });
          return;
        }
        if (path.endsWith('/session')) {
          let id = typeof body?.session === 'string' && body.session ? body.session : '';
          if (!id) id = `s${nextSession++}`;
          const turn = (sessions.get(id) ?? 0) + 1;
          sessions.set(id, turn);
          json(res, { reply: `turn ${turn} of ${id}: ${answer}`, session_id: id });
          return;
        }
        if (!path.endsWith('/chat/completions')) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end('{"error":{"message":"not found"}}');
          return;
        }
        const usage =
          state.options.usage === false
            ? undefined
            : { prompt_tokens: enc(prompt), completion_tokens: enc(answer), total_tokens: enc(prompt) + enc(answer) };
        if (body?.stream === true) {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          const chunk = (delta: unknown, finish: string | null = null, u?: unknown) =>
            `data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }], ...(u ? { usage: u } : {}) })}\n\n`;
          let out = chunk({ role: 'assistant' });
          for (let i = 0; i < answer.length; i += 5) out += chunk({ content: answer.slice(i, i + 5) });
          out += chunk({}, 'stop', usage);
          res.end(`${out}data: [DONE]\n\n`);
          return;
        }
        json(res, {
          id: 'chatcmpl-fake',
          object: 'chat.completion',
          model: String(body?.model ?? 'fake-model'),
          choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }],
          ...(usage ? { usage } : {}),
        });
      };
      const lat = state.options.latencyMs ?? 0;
      if (lat > 0) setTimeout(respond, lat);
      else respond();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.url = `${state.origin}/v1`;
  state.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}

function json(res: import('node:http').ServerResponse, v: unknown): void {
  const s = JSON.stringify(v);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(s) });
  res.end(s);
}
