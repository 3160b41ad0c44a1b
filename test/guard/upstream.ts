import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake upstream should answer next (tests set it per case). */
export interface UpstreamScript {
  /** The assistant's answer text. */
  answer: string;
  /** Stream it in chunks of this many characters (when the request asks for streaming). */
  chunk?: number;
  /** Delay between chunks, ms. */
  delayMs?: number;
  /** Answer with this HTTP status and an error body instead. */
  status?: number;
  toolCall?: { name: string; arguments: string };
}

export interface FakeUpstream {
  url: string;
  script: UpstreamScript;
  /** Bodies of the requests it received. */
  requests: Record<string, unknown>[];
  /** Set when a streaming response was cut off by the client (the gateway cancelled it). */
  cancelled: number;
  close(): Promise<void>;
}

/** A local server that speaks the OpenAI chat completions protocol, streaming and not. */
export async function startFakeUpstream(): Promise<FakeUpstream> {
  const state: FakeUpstream = {
    url: '',
    script: { answer: 'Hello!' },
    requests: [],
    cancelled: 0,
    close: async () => {},
  };
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    let raw = '';
    for await (const c of req) raw += c;
    if (req.url?.endsWith('/models')) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'fake-model', object: 'model' }] }));
      return;
    }
    const body = JSON.parse(raw || '{}') as Record<string, unknown>;
    state.requests.push(body);
    const s = state.script;
    if (s.status) {
      res.statusCode = s.status;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ error: { message: 'upstream says no', type: 'server_error' } }));
      return;
    }
    const id = 'chatcmpl-fake';
    if (req.url?.endsWith('/completions') && !req.url.includes('chat')) {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          id: 'cmpl-fake',
          object: 'text_completion',
          choices: [{ index: 0, text: s.answer, finish_reason: 'stop' }],
        }),
      );
      return;
    }
    if (body.stream !== true) {
      const message: Record<string, unknown> = { role: 'assistant', content: s.answer };
      if (s.toolCall) message.tool_calls = [{ id: 'call_1', type: 'function', function: s.toolCall }];
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          model: 'fake-model',
          choices: [{ index: 0, message, finish_reason: 'stop' }],
        }),
      );
      return;
    }
    res.setHeader('content-type', 'text/event-stream');
    let closed = false;
    res.on('close', () => {
      if (!res.writableFinished) {
        closed = true;
        state.cancelled++;
      }
    });
    const send = (delta: unknown, finish: string | null = null) =>
      res.write(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', model: 'fake-model', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`,
      );
    send({ role: 'assistant' });
    const n = s.chunk ?? 8;
    for (let i = 0; i < s.answer.length && !closed; i += n) {
      send({ content: s.answer.slice(i, i + n) });
      if (s.delayMs) await new Promise((r) => setTimeout(r, s.delayMs));
    }
    if (closed) return;
    if (s.toolCall) send({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: s.toolCall }] });
    send({}, 'stop');
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}
