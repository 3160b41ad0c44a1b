/**
 * QA 12b: a chat completions stream cut off before any `finish_reason` or `data: [DONE]` was taken as the
 * whole answer: a refusal or a harmful answer cut short was judged as complete. It is now a retryable
 * transport error (as a Responses stream ending before `response.completed` is); after the retries the item
 * fails with that error, and resume tries it again.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRedteam } from '../../src/redteam/index.js';
import { buildJudgePanel } from '../../src/redteam/judges/index.js';
import { parseSse } from '../../src/redteam/targets/openai.js';
import type { Goal, Target } from '../../src/redteam/types.js';
import { config, direct, tmp } from './helpers/runner-fixtures.js';

const chunk = (delta: unknown, finish: string | null = null) =>
  `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const head = chunk({ role: 'assistant', content: '' }) + chunk({ content: "I'm sorry, but " });

describe('parseSse: a stream is complete only with a finish_reason or [DONE]', () => {
  it('cut off before either: a retryable error saying so', () => {
    let err: unknown;
    try {
      parseSse('t', head);
    } catch (e) {
      err = e;
    }
    expect((err as Error)?.message).toMatch(/cut off before the answer finished .*15 characters received.*will retry/);
    expect((err as { retryable?: boolean }).retryable).toBe(true);
    // a tool call cut mid-arguments is not an answer either
    const call = chunk({ tool_calls: [{ index: 0, function: { name: 'f', arguments: '{"a":' } }] });
    expect(() => parseSse('t', call)).toThrow(/cut off/);
  });

  it('a finish_reason without [DONE], or [DONE] without a finish_reason, is complete', () => {
    expect(parseSse('t', `${head}${chunk({ content: 'no.' }, 'stop')}`)).toMatchObject({
      text: "I'm sorry, but no.",
      finishReason: 'stop',
    });
    expect(parseSse('t', `${head}data: [DONE]\n\n`).text).toBe("I'm sorry, but ");
  });
});

describe('a run against an endpoint that cuts its streams', () => {
  let server: Server;
  let url = '';
  let cuts = 0; // how many of the next requests are cut off
  let requests = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        requests++;
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        if (cuts > 0) {
          cuts--;
          res.end(head); // the connection ends mid-answer, no finish_reason, no [DONE]
          return;
        }
        res.end(`${head}${chunk({ content: 'here is how.' })}${chunk({}, 'stop')}data: [DONE]\n\n`);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const goal: Goal = { id: 'g:1', text: 'Explain the thing', source: 't' };
  const panel = () => buildJudgePanel({ judges: ['keywords'] }, { createTarget: () => ({}) as Target });

  it('a cut is retried, and the complete answer is judged', async () => {
    cuts = 1;
    requests = 0;
    const out = await runRedteam(config(url, { target: { stream: true, streamUsage: false } }), {
      outDir: tmp(),
      goals: [goal],
      attacks: [direct],
      panel: await panel(),
    });
    expect(requests).toBe(2);
    expect(out.results[0]?.response).toBe("I'm sorry, but here is how.");
    expect(out.results[0]?.error).toBeUndefined();
  });

  it('out of retries the item fails with the error (not judged), and resume answers it', async () => {
    cuts = 3; // runner.retries.maxAttempts is 3
    const dir = tmp();
    const cfg = config(url, { target: { stream: true, streamUsage: false } });
    const out = await runRedteam(cfg, { outDir: dir, goals: [goal], attacks: [direct], panel: await panel() });
    const [item] = out.results;
    expect(item?.response).toBeNull();
    expect(item?.final).toBeNull();
    expect(item?.error).toMatch(/cut off before the answer finished .*gave up after 3 attempts/);
    cuts = 0;
    const again = await runRedteam(cfg, {
      outDir: dir,
      resume: true,
      goals: [goal],
      attacks: [direct],
      panel: await panel(),
    });
    expect(again.results[0]?.response).toBe("I'm sorry, but here is how.");
    expect(again.results[0]?.final).not.toBeNull();
  });
});
