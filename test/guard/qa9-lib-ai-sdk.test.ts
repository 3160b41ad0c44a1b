/**
 * The guard as a demanding library user sees it (QA round 9): the AI SDK middleware's structured output, tool
 * policies and stream endings.
 */
import type {
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
} from '@ai-sdk/provider';
import { generateText, Output, simulateReadableStream, streamText, wrapLanguageModel } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createGuard, GuardSession, lifeguardMiddleware } from '../../src/guard/index.js';
import { USAGE } from './ai-sdk-fixtures.js';

/** A postal address over several lines: its vault value holds line breaks. */
const ADDRESS = '221B Baker Street\nLondon NW1 6XE\nUnited Kingdom';
const PROMPT = `Ship my order to:\n${ADDRESS}`;
const TAG = /<ADDRESS_\d+>/;

const guard = createGuard({ input: [{ check: 'pii', action: 'pseudonymise' }] });
const wrap = (model: MockLanguageModelV3) => wrapLanguageModel({ model, middleware: lifeguardMiddleware({ guard }) });
const tagIn = (options: LanguageModelV3CallOptions) => TAG.exec(JSON.stringify(options.prompt))?.[0] ?? 'NO-TAG';

function jsonAnswer(json: string): LanguageModelV3GenerateResult {
  return {
    content: [{ type: 'text', text: json }],
    finishReason: { unified: 'stop', raw: 'stop' },
    usage: USAGE,
    warnings: [],
  };
}

describe('structured output (JSON mode): restored placeholders keep the JSON valid', () => {
  it('the vault value really holds line breaks (the premise)', async () => {
    const session = new GuardSession();
    const r = await guard.checkInput([{ role: 'user', content: PROMPT }], { session });
    const tag = TAG.exec(r.messages[0].content as string)?.[0] ?? 'NO-TAG';
    expect(session.restore(tag)).toBe(ADDRESS);
  });

  it('generateText with Output.object: the object carries the address', async () => {
    const model = new MockLanguageModelV3({
      doGenerate: async (options) => jsonAnswer(JSON.stringify({ shipTo: tagIn(options), ok: true })),
    });
    const r = await generateText({
      model: wrap(model),
      prompt: PROMPT,
      output: Output.object({ schema: z.object({ shipTo: z.string(), ok: z.boolean() }) }),
    });
    expect(JSON.stringify(model.doGenerateCalls[0].prompt)).not.toContain('Baker Street');
    expect(r.output).toEqual({ shipTo: ADDRESS, ok: true });
    expect(JSON.parse(r.text)).toEqual({ shipTo: ADDRESS, ok: true });
  });

  it('streamText with Output.object: the streamed JSON parses, tag split across deltas', async () => {
    const model = new MockLanguageModelV3({
      doStream: async (options) => {
        const json = JSON.stringify({ shipTo: tagIn(options), ok: true });
        const pieces = json.match(/[\s\S]{1,5}/g) ?? [];
        return {
          stream: simulateReadableStream<LanguageModelV3StreamPart>({
            chunks: [
              { type: 'stream-start', warnings: [] },
              { type: 'text-start', id: 't1' },
              ...pieces.map((delta): LanguageModelV3StreamPart => ({ type: 'text-delta', id: 't1', delta })),
              { type: 'text-end', id: 't1' },
              { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: USAGE },
            ],
          }),
        };
      },
    });
    const r = streamText({
      model: wrap(model),
      prompt: PROMPT,
      output: Output.object({ schema: z.object({ shipTo: z.string(), ok: z.boolean() }) }),
    });
    let text = '';
    for await (const part of r.fullStream) if (part.type === 'text-delta') text += part.text;
    expect(JSON.parse(text)).toEqual({ shipTo: ADDRESS, ok: true });
    expect(await r.output).toEqual({ shipTo: ADDRESS, ok: true });
  });

  it('plain text answers still get the value as written (no JSON escaping outside JSON mode)', async () => {
    const model = new MockLanguageModelV3({
      doGenerate: async (options) => jsonAnswer(`I will ship to ${tagIn(options)}.`),
    });
    const r = await generateText({ model: wrap(model), prompt: PROMPT });
    expect(r.text).toBe(`I will ship to ${ADDRESS}.`);
  });
});

describe('tool-stage rewrites: a policy may not promise what no tool call gets', () => {
  it('redact or pseudonymise on the tool stage is refused, naming the stage and index', () => {
    expect(() => createGuard({ tool: [{ check: 'secrets', action: 'redact' }] })).toThrow(/tool\[0\].*redact/);
    expect(() =>
      createGuard({
        tool: [
          { check: 'pii', action: 'warn' },
          { check: 'pii', action: 'pseudonymise' },
        ],
      }),
    ).toThrow(/tool\[1\]/);
    expect(() =>
      createGuard({ tool: [{ check: 'secrets', action: 'block', categories: { GITHUB_TOKEN: 'redact' } }] }),
    ).toThrow(/tool\[0\]/);
    // block, warn and log stay valid (the default policy's tool stage among them).
    expect(() =>
      createGuard({
        tool: [
          { check: 'secrets', action: 'block' },
          { check: 'pii', action: 'warn' },
        ],
      }),
    ).not.toThrow();
    expect(() => createGuard()).not.toThrow();
  });
});
