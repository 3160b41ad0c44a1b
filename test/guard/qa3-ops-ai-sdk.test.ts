import type {
  LanguageModelV3CallOptions,
  LanguageModelV3Middleware,
  LanguageModelV3StreamPart,
} from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { createGuard, lifeguardMiddleware } from '../../src/guard/index.js';

const TOKEN = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
const guard = createGuard({ output: [{ check: 'secrets', action: 'block' }] });
const USAGE = {
  inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 1, text: 1, reasoning: 0 },
};

/** Runs the middleware's hooks by hand (as wrapLanguageModel does) over a scripted model stream. */
async function runStream(mw: LanguageModelV3Middleware, chunks: LanguageModelV3StreamPart[]) {
  const base = { prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] } as LanguageModelV3CallOptions;
  const params = await mw.transformParams!({ params: base, type: 'stream', model: {} as never });
  const { stream } = await mw.wrapStream!({
    params,
    model: {} as never,
    doGenerate: () => Promise.reject(new Error('no')),
    doStream: async () => ({
      stream: new ReadableStream<LanguageModelV3StreamPart>({
        start(c) {
          for (const p of chunks) c.enqueue(p);
          c.close();
        },
      }),
    }),
  });
  const out: LanguageModelV3StreamPart[] = [];
  for await (const p of stream as unknown as AsyncIterable<LanguageModelV3StreamPart>) out.push(p);
  return out;
}

/** Every started text/reasoning part is ended, once, before the finish part. */
function expectWellFormed(parts: LanguageModelV3StreamPart[]) {
  const open = new Set<string>();
  for (const p of parts) {
    if (p.type === 'text-start' || p.type === 'reasoning-start') open.add(`${p.type.split('-')[0]}:${p.id}`);
    if (p.type === 'text-end' || p.type === 'reasoning-end') {
      expect(open.delete(`${p.type.split('-')[0]}:${p.id}`)).toBe(true);
    }
  }
  expect([...open]).toEqual([]);
  expect(parts.at(-1)?.type).toBe('finish');
}

describe('qa3 ops: AI SDK middleware stops', () => {
  it('a block found when a text part ends still closes that part', async () => {
    const parts = await runStream(lifeguardMiddleware({ guard }), [
      { type: 'stream-start', warnings: [] },
      { type: 'text-start', id: 't1' },
      { type: 'text-delta', id: 't1', delta: `the key is ${TOKEN}` },
      { type: 'text-end', id: 't1' },
      { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: USAGE },
    ]);
    expect(JSON.stringify(parts)).not.toContain(TOKEN);
    expectWellFormed(parts);
  });
});

describe('qa3 ops: AI SDK middleware stops (more shapes)', () => {
  it('a block found when the stream finishes without text-end closes the part', async () => {
    const parts = await runStream(lifeguardMiddleware({ guard }), [
      { type: 'text-start', id: 't1' },
      { type: 'text-delta', id: 't1', delta: `the key is ${TOKEN}` },
      { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: USAGE },
    ]);
    expect(JSON.stringify(parts)).not.toContain(TOKEN);
    expectWellFormed(parts);
  });

  it('a block found when a reasoning part ends closes it, and throw mode too', async () => {
    for (const onBlock of ['refuse', 'throw'] as const) {
      const parts = await runStream(lifeguardMiddleware({ guard, onBlock }), [
        { type: 'reasoning-start', id: 'r1' },
        { type: 'reasoning-delta', id: 'r1', delta: `maybe ${TOKEN}` },
        { type: 'reasoning-end', id: 'r1' },
        { type: 'text-start', id: 't1' },
        { type: 'text-delta', id: 't1', delta: 'fine' },
        { type: 'text-end', id: 't1' },
        { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: USAGE },
      ]);
      expect(JSON.stringify(parts)).not.toContain(TOKEN);
      expect(JSON.stringify(parts)).not.toContain('fine');
      expectWellFormed(parts);
    }
  });
});
