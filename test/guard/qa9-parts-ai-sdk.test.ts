/**
 * The AI SDK middleware checks every part of the answer that carries model text (QA round 9): sources (title,
 * URL), text files (decoded), provider-executed tool results; binary files are withheld under an enforcing
 * output policy; and a string split across text parts is seen whole, streamed as in generate.
 */
import type {
  LanguageModelV3Content,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
} from '@ai-sdk/provider';
import { generateText, simulateReadableStream, streamText, wrapLanguageModel } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { createGuard, lifeguardMiddleware } from '../../src/guard/index.js';
import { USAGE } from './ai-sdk-fixtures.js';

const TOKEN = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
// Split where neither half alone looks like a token.
const [HEAD, TAIL] = [TOKEN.slice(0, 6), TOKEN.slice(6)];
const blocking = createGuard({ output: [{ check: 'secrets', action: 'block' }] });
const redacting = createGuard({ output: [{ check: 'secrets', action: 'redact' }] });
const FINISH: LanguageModelV3StreamPart = {
  type: 'finish',
  finishReason: { unified: 'stop', raw: 'stop' },
  usage: USAGE,
};

function answer(content: LanguageModelV3Content[]): LanguageModelV3GenerateResult {
  return { content, finishReason: { unified: 'stop', raw: 'stop' }, usage: USAGE, warnings: [] };
}
const generating = (guard: typeof blocking, content: LanguageModelV3Content[]) =>
  wrapLanguageModel({
    model: new MockLanguageModelV3({ doGenerate: async () => answer(content) }),
    middleware: lifeguardMiddleware({ guard }),
  });
const streaming = (guard: typeof blocking, parts: LanguageModelV3StreamPart[]) =>
  wrapLanguageModel({
    model: new MockLanguageModelV3({
      doStream: async () => ({
        stream: simulateReadableStream({ chunks: [{ type: 'stream-start', warnings: [] }, ...parts, FINISH] }),
      }),
    }),
    middleware: lifeguardMiddleware({ guard }),
  });
/** Everything the app gets from a stream, as text (files decoded). */
async function streamed(model: ReturnType<typeof streaming>) {
  const parts: unknown[] = [];
  const r = streamText({ model, prompt: 'hi' });
  for await (const p of r.fullStream) parts.push(p.type === 'file' ? { ...p, text: fileText(p.file) } : p);
  return { all: JSON.stringify(parts), parts, finish: await r.finishReason };
}
const fileText = (f: { uint8Array: Uint8Array }) => new TextDecoder().decode(f.uint8Array);
const b64 = (s: string) => Buffer.from(s).toString('base64');
const source = (title: string, url = 'https://example.com/a'): LanguageModelV3Content => ({
  type: 'source',
  sourceType: 'url',
  id: 's1',
  url,
  title,
});
/** The call of a provider-executed tool, as the provider sends it before the result. */
const toolCall: LanguageModelV3Content = {
  type: 'tool-call',
  toolCallId: 'c1',
  toolName: 'web_search',
  input: '{"query":"keys"}',
  providerExecuted: true,
};
const toolResult = (result: string): LanguageModelV3Content => ({
  type: 'tool-result',
  toolCallId: 'c1',
  toolName: 'web_search',
  result: { pages: [{ snippet: result }] },
});

describe('generate: sources, files and provider tool results are checked', () => {
  it('a source title with a secret blocks; redacted under redact', async () => {
    const blocked = await generateText({ model: generating(blocking, [source(`Key ${TOKEN}`)]), prompt: 'hi' });
    expect(blocked.finishReason).toBe('content-filter');
    expect(JSON.stringify(blocked.content)).not.toContain(TOKEN);
    const redacted = await generateText({ model: generating(redacting, [source(`Key ${TOKEN}`)]), prompt: 'hi' });
    expect(redacted.sources).toHaveLength(1);
    expect(JSON.stringify(redacted.content)).not.toContain(TOKEN);
  });

  it('a source URL with a secret is blocked even under redact (a URL is not rewritten)', async () => {
    const r = await generateText({
      model: generating(redacting, [source('docs', `https://example.com/?k=${TOKEN}`)]),
      prompt: 'hi',
    });
    expect(r.finishReason).toBe('content-filter');
    expect(JSON.stringify(r.content)).not.toContain(TOKEN);
  });

  it('a text/plain file (base64 or bytes) is decoded and checked', async () => {
    const file = (data: string | Uint8Array): LanguageModelV3Content => ({
      type: 'file',
      mediaType: 'text/plain',
      data,
    });
    for (const data of [b64(`token=${TOKEN}`), new TextEncoder().encode(`token=${TOKEN}`)]) {
      const blocked = await generateText({ model: generating(blocking, [file(data)]), prompt: 'hi' });
      expect(blocked.finishReason).toBe('content-filter');
      expect(blocked.files).toHaveLength(0);
      const redacted = await generateText({ model: generating(redacting, [file(data)]), prompt: 'hi' });
      expect(redacted.files).toHaveLength(1);
      expect(redacted.files[0].mediaType).toBe('text/plain');
      expect(fileText(redacted.files[0])).not.toContain(TOKEN);
      expect(fileText(redacted.files[0])).toMatch(/^token=/);
    }
  });

  it('a provider-executed tool result is checked (its JSON rewritten under redact)', async () => {
    const blocked = await generateText({ model: generating(blocking, [toolCall, toolResult(TOKEN)]), prompt: 'hi' });
    expect(blocked.finishReason).toBe('content-filter');
    expect(JSON.stringify(blocked.content)).not.toContain(TOKEN);
    const redacted = await generateText({
      model: generating(redacting, [toolCall, toolResult(`see ${TOKEN}`)]),
      prompt: 'hi',
    });
    const part = redacted.content.find((p) => p.type === 'tool-result');
    expect(part).toBeDefined();
    expect(JSON.stringify(part)).not.toContain(TOKEN);
  });

  it('a binary file is withheld under an enforcing output policy, kept when the output stage only warns', async () => {
    const png: LanguageModelV3Content = { type: 'file', mediaType: 'image/png', data: b64('\x89PNG....') };
    const text: LanguageModelV3Content = { type: 'text', text: 'Here is the picture.' };
    const enforced = await generateText({ model: generating(blocking, [text, png]), prompt: 'hi' });
    expect(enforced.text).toBe('Here is the picture.');
    expect(enforced.files).toHaveLength(0);
    const warnOnly = createGuard({ output: [{ check: 'secrets', action: 'warn' }] });
    const kept = await generateText({ model: generating(warnOnly, [text, png]), prompt: 'hi' });
    expect(kept.files).toHaveLength(1);
  });

  it('a secret split across two text parts is seen whole (redacted, joined as the SDK joins text)', async () => {
    const r = await generateText({
      model: generating(redacting, [
        { type: 'text', text: `My key: ${HEAD}` },
        { type: 'text', text: `${TAIL} ok` },
      ]),
      prompt: 'hi',
    });
    expect(r.text).not.toContain(TOKEN);
    expect(r.text).not.toContain(TAIL);
    expect(r.text).toMatch(/^My key: .* ok$/);
  });
});

describe('stream: sources, files and provider tool results are checked before they go out', () => {
  const cases: [string, LanguageModelV3StreamPart][] = [
    ['source title', source(`Key ${TOKEN}`) as LanguageModelV3StreamPart],
    ['source url', source('docs', `https://example.com/?k=${TOKEN}`) as LanguageModelV3StreamPart],
    ['text/plain file', { type: 'file', mediaType: 'text/plain', data: b64(TOKEN) }],
    ['application/json file', { type: 'file', mediaType: 'application/json', data: b64(`{"k":"${TOKEN}"}`) }],
    ['provider tool result', toolResult(TOKEN) as LanguageModelV3StreamPart],
  ];
  for (const [name, part] of cases) {
    const before = part.type === 'tool-result' ? [toolCall as LanguageModelV3StreamPart] : [];
    it(`${name}: stopped, the secret never streamed`, async () => {
      const r = await streamed(
        streaming(blocking, [
          { type: 'text-start', id: 't1' },
          { type: 'text-delta', id: 't1', delta: 'Found it.' },
          { type: 'text-end', id: 't1' },
          ...before,
          part,
        ]),
      );
      expect(r.all).not.toContain(TOKEN);
      expect(r.all).not.toContain(b64(TOKEN));
      expect(r.finish).toBe('content-filter');
    });
  }

  it('redact: a text file and a source title go out rewritten; a binary file is withheld', async () => {
    const r = await streamed(
      streaming(redacting, [
        { type: 'file', mediaType: 'text/markdown', data: b64(`# Key\n${TOKEN}`) },
        source(`Key ${TOKEN}`) as LanguageModelV3StreamPart,
        { type: 'file', mediaType: 'image/png', data: b64('\x89PNG....') },
      ]),
    );
    expect(r.all).not.toContain(TOKEN);
    expect(r.finish).toBe('stop');
    const files = r.parts.filter((p) => (p as { type: string }).type === 'file') as { text: string }[];
    expect(files).toHaveLength(1);
    expect(files[0].text).toMatch(/^# Key\n/);
    expect(r.parts.filter((p) => (p as { type: string }).type === 'source')).toHaveLength(1);
  });
});

describe('stream: text is checked across part boundaries', () => {
  const split: LanguageModelV3StreamPart[] = [
    { type: 'text-start', id: 'a' },
    { type: 'text-delta', id: 'a', delta: 'My key: ' },
    { type: 'text-delta', id: 'a', delta: HEAD },
    { type: 'text-end', id: 'a' },
    { type: 'text-start', id: 'b' },
    { type: 'text-delta', id: 'b', delta: TAIL },
    { type: 'text-delta', id: 'b', delta: ' - keep it safe.' },
    { type: 'text-end', id: 'b' },
  ];
  /** The text parts well formed: each id started once before its deltas, ended once after them. */
  function wellFormed(parts: unknown[]) {
    const state = new Map<string, 'open' | 'closed'>();
    for (const p of parts as { type: string; id?: string }[]) {
      if (p.type === 'text-start') {
        expect(state.has(p.id as string)).toBe(false);
        state.set(p.id as string, 'open');
      } else if (p.type === 'text-delta') expect(state.get(p.id as string)).toBe('open');
      else if (p.type === 'text-end') {
        expect(state.get(p.id as string)).toBe('open');
        state.set(p.id as string, 'closed');
      }
    }
    expect([...state.values()].every((s) => s === 'closed')).toBe(true);
  }
  const text = (parts: unknown[]) =>
    (parts as { type: string; text?: string }[])
      .filter((p) => p.type === 'text-delta')
      .map((p) => p.text)
      .join('');

  it('block: a secret split across two text parts stops the stream', async () => {
    const r = await streamed(streaming(blocking, split));
    expect(text(r.parts)).not.toContain(TOKEN);
    expect(r.finish).toBe('content-filter');
    wellFormed(r.parts);
  });

  it('redact: the split secret is redacted, the parts stay well formed and the rest is intact', async () => {
    const r = await streamed(streaming(redacting, split));
    const out = text(r.parts);
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain(TAIL);
    expect(out).toMatch(/^My key: .* - keep it safe\.$/);
    expect(r.finish).toBe('stop');
    wellFormed(r.parts);
  });

  it('clean text over several parts goes out whole, part by part', async () => {
    const r = await streamed(
      streaming(redacting, [
        { type: 'text-start', id: 'a' },
        { type: 'text-delta', id: 'a', delta: 'Hello ' },
        { type: 'text-end', id: 'a' },
        { type: 'text-start', id: 'b' },
        { type: 'text-delta', id: 'b', delta: 'world.' },
        { type: 'text-end', id: 'b' },
      ]),
    );
    expect(text(r.parts)).toBe('Hello world.');
    wellFormed(r.parts);
    const result = streamText({ model: streaming(redacting, []), prompt: 'hi' });
    expect(await result.text).toBe('');
  });
});
