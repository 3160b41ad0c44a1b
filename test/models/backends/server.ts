/**
 * A throwaway HTTP server on 127.0.0.1, port 0, for backend tests: it records every request (method,
 * path, headers, parsed JSON body) and answers with what the test's handler returns, so each test can
 * speak the real protocol of the endpoint it imitates.
 */

import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON request bodies
  body: any;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (takes precedence over `json`). */
  raw?: string;
  /** Wait this long before answering. */
  delayMs?: number;
}

export type Handler = (request: RecordedRequest, index: number) => Reply;

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = text;
      }
      const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      requests.push(recorded);
      let reply: Reply;
      try {
        reply = handler(recorded, requests.length - 1);
      } catch (err) {
        reply = { status: 599, raw: String(err) };
      }
      const send = () => respond(res, reply);
      if (reply.delayMs) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          send();
        }, reply.delayMs);
        timers.add(timer);
      } else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function respond(res: ServerResponse, reply: Reply): void {
  if (res.destroyed) return;
  const body = reply.raw ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
  res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
  res.end(body);
}

/** An OpenAI chat completion answer, as vLLM shapes it. */
export function chatCompletion(content: string, logprobs?: unknown): unknown {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'meta-llama/Llama-Guard-3-8B',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, tool_calls: [] },
        logprobs: logprobs ?? null,
        finish_reason: 'stop',
        stop_reason: null,
      },
    ],
    usage: { prompt_tokens: 212, total_tokens: 216, completion_tokens: 4 },
  };
}

/** `logprobs.content` for a token sequence; each token: [text, probability, alternatives]. */
export function chatLogprobs(tokens: Array<[string, number, Array<[string, number]>?]>): unknown {
  return {
    content: tokens.map(([token, p, alts]) => ({
      token,
      logprob: Math.log(p),
      bytes: [...Buffer.from(token)],
      top_logprobs: (alts ?? [[token, p]]).map(([t, q]) => ({
        token: t,
        logprob: Math.log(q),
        bytes: [...Buffer.from(t)],
      })),
    })),
  };
}

/**
 * `serve(handler)` for a test file: starts a fake server for the test that calls it and closes it after that
 * test (vitest's `afterEach`). Call once at the top of the file.
 */
export function servePerTest(): (handler: Handler) => Promise<TestServer> {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  return async (handler) => {
    server = await startServer(handler);
    return server;
  };
}
