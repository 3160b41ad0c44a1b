/**
 * QA round 12a: the AI SDK middleware restored a placeholder from its HTML-escaped form (`&lt;LIST_CLIENT_1&gt;`)
 * HTML-escaped in JSON files and provider-executed tool results, data a program reads (`O&#39;Brien &amp; Sons`),
 * while tool-call arguments get the value as data. Data parts now follow the tool-argument rule: escaped only
 * where the JSON string around the form is HTML itself. Text parts keep the escaped value (they are prose a page
 * may render).
 */
import type { LanguageModelV3Content, LanguageModelV3Prompt, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { simulateReadableStream, wrapLanguageModel } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { createGuard, lifeguardMiddleware } from '../../src/guard/index.js';
import { USAGE } from './ai-sdk-fixtures.js';

/** A value HTML escaping changes (`'` and `&`), pseudonymised by a list check. */
const NAME = "O'Brien & Sons";
const ESCAPED = 'O&#39;Brien &amp; Sons';
const guard = createGuard({
  lists: { client: { terms: [NAME] } },
  input: [{ check: 'client', action: 'pseudonymise' }],
});
const prompt: LanguageModelV3Prompt = [{ role: 'user', content: [{ type: 'text', text: `Write to ${NAME}.` }] }];
/** The placeholder the model saw, with its brackets HTML-escaped as a model may write it. */
const escapedTag = (p: unknown) => {
  const tag = /<LIST_CLIENT_\d+>/.exec(JSON.stringify(p))?.[0] ?? '<NO_TAG>';
  return `&lt;${tag.slice(1, -1)}&gt;`;
};
const b64 = (s: string) => Buffer.from(s).toString('base64');
const unb64 = (s: unknown) => Buffer.from(String(s), 'base64').toString('utf8');

function parts(tag: string): LanguageModelV3Content[] {
  return [
    { type: 'text', text: `Dear ${tag}` },
    { type: 'file', mediaType: 'application/json', data: b64(JSON.stringify({ to: tag, html: `<p>${tag}</p>` })) },
    {
      type: 'tool-call',
      toolCallId: 'c1',
      toolName: 'lookup',
      input: '{}',
      providerExecuted: true,
    },
    { type: 'tool-result', toolCallId: 'c1', toolName: 'lookup', result: { name: tag } },
  ];
}

function expectData(content: LanguageModelV3Content[]) {
  const file = content.find((p) => p.type === 'file') as { data: string };
  expect(JSON.parse(unb64(file.data))).toEqual({ to: NAME, html: `<p>${ESCAPED}</p>` });
  const result = content.find((p) => p.type === 'tool-result') as { result: unknown };
  expect(result.result).toEqual({ name: NAME });
}

describe('data parts get restored values as data', () => {
  it('generate: JSON file and provider tool result as data; the text part keeps the HTML-escaped value', async () => {
    const model = wrapLanguageModel({
      model: new MockLanguageModelV3({
        doGenerate: async (options) => ({
          content: parts(escapedTag(options.prompt)),
          finishReason: { unified: 'stop', raw: 'stop' },
          usage: USAGE,
          warnings: [],
        }),
      }),
      middleware: lifeguardMiddleware({ guard }),
    });
    const r = await model.doGenerate({ prompt });
    expectData(r.content);
    const text = r.content.find((p) => p.type === 'text') as { text: string };
    expect(text.text).toBe(`Dear ${ESCAPED}`);
  });

  it('stream: the same', async () => {
    const model = wrapLanguageModel({
      model: new MockLanguageModelV3({
        doStream: async (options) => ({
          stream: simulateReadableStream<LanguageModelV3StreamPart>({
            chunks: [
              { type: 'stream-start', warnings: [] },
              ...(parts(escapedTag(options.prompt)).filter((p) => p.type !== 'text') as LanguageModelV3StreamPart[]),
              { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: USAGE },
            ],
          }),
        }),
      }),
      middleware: lifeguardMiddleware({ guard }),
    });
    const { stream } = await model.doStream({ prompt });
    const out: LanguageModelV3StreamPart[] = [];
    for await (const p of stream as unknown as AsyncIterable<LanguageModelV3StreamPart>) out.push(p);
    expectData(out as LanguageModelV3Content[]);
  });
});
