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
  /**
   * A reasoning model's thoughts before the answer: `reasoning_content` in chat (as vLLM sends them), a
   * reasoning item's summary in the Responses API.
   */
  reasoning?: string;
  /** Chat streaming with several choices (`n` > 1): one answer per choice, instead of `answer`. */
  answers?: string[];
  /** Responses streaming: end the stream without its final `response.completed` (a broken upstream). */
  truncate?: boolean;
  /** More fields of a non-streamed chat answer's message (e.g. `refusal`, `audio`). */
  messageExtra?: Record<string, unknown>;
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

/** Whether the client cut the stream off (the gateway cancelled it); counted in `state.cancelled`. */
function cutOff(res: import('node:http').ServerResponse, state: FakeUpstream): () => boolean {
  let closed = false;
  res.on('close', () => {
    if (!res.writableFinished) {
      closed = true;
      state.cancelled++;
    }
  });
  return () => closed;
}

/** Token log-probabilities as OpenAI returns them (here: one "token" per word). */
function logprobsOf(text: string): { content: { token: string; logprob: number }[] } {
  return { content: text.split(/(?<= )/).map((token) => ({ token, logprob: -0.1 })) };
}

/** The Responses API's answer (non-streamed) or its typed event stream, as OpenAI sends them. */
async function answerResponses(
  s: UpstreamScript,
  body: Record<string, unknown>,
  res: import('node:http').ServerResponse,
  state: FakeUpstream,
): Promise<void> {
  const message = {
    type: 'message',
    id: 'msg_fake',
    status: 'completed',
    role: 'assistant',
    content: [
      {
        type: 'output_text',
        text: s.answer,
        annotations: [],
        ...(Array.isArray(body.include) && body.include.includes('message.output_text.logprobs')
          ? { logprobs: logprobsOf(s.answer).content }
          : {}),
      },
    ],
  };
  const reasoning = s.reasoning
    ? { type: 'reasoning', id: 'rs_fake', summary: [{ type: 'summary_text', text: s.reasoning }] }
    : undefined;
  const call = s.toolCall
    ? { type: 'function_call', id: 'fc_fake', call_id: 'call_1', status: 'completed', ...s.toolCall }
    : undefined;
  const output = [reasoning, message, call].filter((x) => x !== undefined);
  const response = {
    id: 'resp_fake',
    object: 'response',
    created_at: 1,
    status: 'completed',
    model: 'fake-model',
    output,
    output_text: s.answer,
    usage: { input_tokens: 5, output_tokens: 5, total_tokens: 10 },
  };
  if (body.stream !== true) {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(response));
    return;
  }
  res.setHeader('content-type', 'text/event-stream');
  const cut = cutOff(res, state);
  let seq = 0;
  const send = (ev: Record<string, unknown>) =>
    res.write(`event: ${ev.type}\ndata: ${JSON.stringify({ ...ev, sequence_number: seq++ })}\n\n`);
  const pause = () => (s.delayMs ? new Promise((r) => setTimeout(r, s.delayMs)) : Promise.resolve());
  const n = s.chunk ?? 8;
  send({ type: 'response.created', response: { ...response, status: 'in_progress', output: [] } });
  send({ type: 'response.in_progress', response: { ...response, status: 'in_progress', output: [] } });
  for (const [i, item] of output.entries()) {
    if (cut()) return;
    if (item.type === 'reasoning') {
      send({ type: 'response.output_item.added', output_index: i, item: { ...item, summary: [] } });
      const text = (item as typeof reasoning & {}).summary[0].text;
      const part = { type: 'summary_text', text: '' };
      send({
        type: 'response.reasoning_summary_part.added',
        item_id: item.id,
        output_index: i,
        summary_index: 0,
        part,
      });
      for (let k = 0; k < text.length && !cut(); k += n) {
        send({
          type: 'response.reasoning_summary_text.delta',
          item_id: item.id,
          output_index: i,
          summary_index: 0,
          delta: text.slice(k, k + n),
        });
        await pause();
      }
      send({ type: 'response.reasoning_summary_text.done', item_id: item.id, output_index: i, summary_index: 0, text });
      send({
        type: 'response.reasoning_summary_part.done',
        item_id: item.id,
        output_index: i,
        summary_index: 0,
        part: { ...part, text },
      });
    } else if (item.type === 'message') {
      send({
        type: 'response.output_item.added',
        output_index: i,
        item: { ...item, status: 'in_progress', content: [] },
      });
      const ids = { item_id: item.id, output_index: i, content_index: 0 };
      send({ type: 'response.content_part.added', ...ids, part: { type: 'output_text', text: '', annotations: [] } });
      for (let k = 0; k < s.answer.length && !cut(); k += n) {
        send({ type: 'response.output_text.delta', ...ids, delta: s.answer.slice(k, k + n), logprobs: [] });
        await pause();
      }
      if (cut()) return;
      send({ type: 'response.output_text.done', ...ids, text: s.answer });
      send({
        type: 'response.content_part.done',
        ...ids,
        part: { type: 'output_text', text: s.answer, annotations: [] },
      });
    } else {
      const args = String((item as { arguments: string }).arguments);
      send({
        type: 'response.output_item.added',
        output_index: i,
        item: { ...item, status: 'in_progress', arguments: '' },
      });
      for (let k = 0; k < args.length && !cut(); k += n)
        send({
          type: 'response.function_call_arguments.delta',
          item_id: item.id,
          output_index: i,
          delta: args.slice(k, k + n),
        });
      send({ type: 'response.function_call_arguments.done', item_id: item.id, output_index: i, arguments: args });
    }
    send({ type: 'response.output_item.done', output_index: i, item });
  }
  if (cut()) return;
  if (!s.truncate) send({ type: 'response.completed', response });
  res.end();
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
    if (req.url?.endsWith('/responses')) return answerResponses(s, body, res, state);
    const id = 'chatcmpl-fake';
    if (req.url?.endsWith('/completions') && !req.url.includes('chat') && body.stream === true) {
      res.setHeader('content-type', 'text/event-stream');
      const n = s.chunk ?? 8;
      const send = (text: string, finish: string | null = null) =>
        res.write(
          `data: ${JSON.stringify({ id: 'cmpl-fake', object: 'text_completion', model: 'fake-model', choices: [{ index: 0, text, logprobs: null, finish_reason: finish }] })}\n\n`,
        );
      for (let i = 0; i < s.answer.length && !res.destroyed; i += n) {
        send(s.answer.slice(i, i + n));
        if (s.delayMs) await new Promise((r) => setTimeout(r, s.delayMs));
      }
      if (res.destroyed) {
        state.cancelled++;
        return;
      }
      send('', 'stop');
      res.end('data: [DONE]\n\n');
      return;
    }
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
      if (s.reasoning) message.reasoning_content = s.reasoning;
      Object.assign(message, s.messageExtra);
      if (s.toolCall && body.functions)
        message.function_call = s.toolCall; // the legacy functions API
      else if (s.toolCall) message.tool_calls = [{ id: 'call_1', type: 'function', function: s.toolCall }];
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          model: 'fake-model',
          choices: [
            { index: 0, message, finish_reason: 'stop', ...(body.logprobs ? { logprobs: logprobsOf(s.answer) } : {}) },
          ],
        }),
      );
      return;
    }
    res.setHeader('content-type', 'text/event-stream');
    const cut = cutOff(res, state);
    const send = (delta: unknown, finish: string | null = null, index = 0) =>
      res.write(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', model: 'fake-model', choices: [{ index, delta, finish_reason: finish }] })}\n\n`,
      );
    // `n` > 1: the choices' chunks interleave, as servers send them; choice k answers `answers[k]`.
    const answers = s.answers ?? [s.answer];
    answers.forEach((_, k) => {
      send({ role: 'assistant' }, null, k);
    });
    const n = s.chunk ?? 8;
    for (let i = 0; s.reasoning && i < s.reasoning.length && !cut(); i += n) {
      send({ reasoning_content: s.reasoning.slice(i, i + n) });
      if (s.delayMs) await new Promise((r) => setTimeout(r, s.delayMs));
    }
    const longest = Math.max(...answers.map((a) => a.length));
    for (let i = 0; i < longest && !cut(); i += n) {
      answers.forEach((a, k) => {
        if (i < a.length) send({ content: a.slice(i, i + n) }, null, k);
      });
      if (s.delayMs) await new Promise((r) => setTimeout(r, s.delayMs));
    }
    if (cut()) return;
    if (s.toolCall) send({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: s.toolCall }] });
    answers.forEach((_, k) => {
      send({}, 'stop', k);
    });
    if ((body.stream_options as { include_usage?: boolean } | undefined)?.include_usage)
      res.write(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', model: 'fake-model', choices: [], usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 } })}\n\n`,
      );
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
