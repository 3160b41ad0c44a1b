/**
 * Binary file parts in the AI SDK middleware (QA round 10): withheld under an enforcing output stage with a
 * warning on the result and a `binaryParts` decision, passed on unchanged with `binaryParts: allow`, and passed
 * as before when the output stage enforces nothing.
 */
import type {
  LanguageModelV3Content,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
} from '@ai-sdk/provider';
import { generateText, simulateReadableStream, streamText, wrapLanguageModel } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuard, type Guard, lifeguardMiddleware, parsePolicy, policyJsonSchema } from '../../src/guard/index.js';
import type { PolicyInput } from '../../src/guard/policy.js';
import type { CheckDecision } from '../../src/guard/types.js';
import { USAGE } from './ai-sdk-fixtures.js';

const FINISH: LanguageModelV3StreamPart = {
  type: 'finish',
  finishReason: { unified: 'stop', raw: 'stop' },
  usage: USAGE,
};
const PNG: LanguageModelV3Content = {
  type: 'file',
  mediaType: 'image/png',
  data: Buffer.from('\x89PNG....').toString('base64'),
};
const WAV: LanguageModelV3Content = { type: 'file', mediaType: 'audio/wav; rate=16000', data: new Uint8Array([1, 2]) };
const TEXT: LanguageModelV3Content = { type: 'text', text: 'Here is the picture.' };
const PROVIDER_WARNING = { type: 'other' as const, message: 'provider says hi' };

const ENFORCING: PolicyInput = { output: [{ check: 'secrets', action: 'block' }] };

// The AI SDK logs warnings to the console; here they are collected instead.
type Logger = (o: { warnings: { type: string; message?: string }[] }) => void;
const g = globalThis as { AI_SDK_LOG_WARNINGS?: Logger | false };
const logged: string[] = [];
let before: Logger | false | undefined;
beforeAll(() => {
  before = g.AI_SDK_LOG_WARNINGS;
  g.AI_SDK_LOG_WARNINGS = (o) => {
    for (const w of o.warnings) if (w.message) logged.push(w.message);
  };
});
afterAll(() => {
  g.AI_SDK_LOG_WARNINGS = before;
});

function recording(policy: PolicyInput): { guard: Guard; decisions: CheckDecision[] } {
  const decisions: CheckDecision[] = [];
  const guard = createGuard(policy, { onDecision: (d) => decisions.push(...d) });
  return { guard, decisions };
}

function answer(content: LanguageModelV3Content[]): LanguageModelV3GenerateResult {
  return { content, finishReason: { unified: 'stop', raw: 'stop' }, usage: USAGE, warnings: [PROVIDER_WARNING] };
}
const generating = (guard: Guard, content: LanguageModelV3Content[]) =>
  wrapLanguageModel({
    model: new MockLanguageModelV3({ doGenerate: async () => answer(content) }),
    middleware: lifeguardMiddleware({ guard }),
  });
const streaming = (guard: Guard, parts: LanguageModelV3StreamPart[], start = true) =>
  wrapLanguageModel({
    model: new MockLanguageModelV3({
      doStream: async () => ({
        stream: simulateReadableStream({
          chunks: [
            ...(start ? [{ type: 'stream-start', warnings: [PROVIDER_WARNING] } as LanguageModelV3StreamPart] : []),
            ...parts,
            FINISH,
          ],
        }),
      }),
    }),
    middleware: lifeguardMiddleware({ guard }),
  });
const textParts = (id: string, text: string): LanguageModelV3StreamPart[] => [
  { type: 'text-start', id },
  { type: 'text-delta', id, delta: text },
  { type: 'text-end', id },
];
async function streamed(model: ReturnType<typeof streaming>) {
  const r = streamText({ model, prompt: 'hi' });
  const files: string[] = [];
  for await (const p of r.fullStream) if (p.type === 'file') files.push(p.file.mediaType);
  return {
    files,
    text: await r.text,
    warnings: (await r.warnings) ?? [],
    metadata: await r.providerMetadata,
    finish: await r.finishReason,
  };
}
const withheldDecisions = (decisions: readonly CheckDecision[]) => decisions.filter((d) => d.check === 'binaryParts');

describe('policy: binaryParts', () => {
  it('defaults to withhold, takes allow, refuses anything else, and is in the JSON Schema', () => {
    expect(parsePolicy({}).binaryParts).toBe('withhold');
    expect(parsePolicy({ binaryParts: 'allow' }).binaryParts).toBe('allow');
    expect(() => parsePolicy({ binaryParts: 'pass' })).toThrow(/binaryParts/);
    const schema = policyJsonSchema() as { properties: Record<string, { enum?: string[]; default?: string }> };
    expect(schema.properties.binaryParts).toMatchObject({ enum: ['withhold', 'allow'], default: 'withhold' });
  });
});

describe('generate', () => {
  it('withholds binary files by default, with a warning and a decision', async () => {
    const { guard, decisions } = recording(ENFORCING);
    const r = await generateText({ model: generating(guard, [TEXT, PNG, WAV, PNG]), prompt: 'hi' });
    expect(r.text).toBe('Here is the picture.');
    expect(r.files).toHaveLength(0);
    expect(r.warnings).toContainEqual(PROVIDER_WARNING);
    const ours = r.warnings?.filter((w) => w.type === 'other' && w.message.startsWith('lifeguard:'));
    expect(ours).toEqual([
      {
        type: 'other',
        message: expect.stringMatching(
          /^lifeguard: withheld 3 binary file part\(s\) \(media type image\/png, audio\/wav\)/,
        ),
      },
    ]);
    expect(r.providerMetadata?.lifeguard).toEqual({ withheld: { files: 3, mediaTypes: ['image/png', 'audio/wav'] } });
    const withheld = withheldDecisions(decisions);
    expect(withheld).toHaveLength(3);
    expect(withheld[0]).toMatchObject({
      stage: 'output',
      fired: true,
      action: 'redact',
      enforced: true,
      types: ['image/png'],
    });
    expect(withheld[1].types).toEqual(['audio/wav']);
  });

  it('binaryParts: allow passes the file on unchanged, with no warning or decision', async () => {
    const { guard, decisions } = recording({ ...ENFORCING, binaryParts: 'allow' });
    const r = await generateText({ model: generating(guard, [TEXT, PNG]), prompt: 'hi' });
    expect(r.files).toHaveLength(1);
    expect(r.files[0].mediaType).toBe('image/png');
    expect(r.files[0].base64).toBe((PNG as { data: string }).data);
    expect(r.warnings).toEqual([PROVIDER_WARNING]);
    expect(r.providerMetadata?.lifeguard).toBeUndefined();
    expect(withheldDecisions(decisions)).toEqual([]);
  });

  it('an output stage that enforces nothing passes the file as before', async () => {
    for (const policy of [{}, { output: [{ check: 'secrets', action: 'warn' }] }] as PolicyInput[]) {
      const { guard, decisions } = recording(policy);
      const r = await generateText({ model: generating(guard, [TEXT, PNG]), prompt: 'hi' });
      expect(r.files).toHaveLength(1);
      expect(r.warnings).toEqual([PROVIDER_WARNING]);
      expect(withheldDecisions(decisions)).toEqual([]);
    }
  });

  it('an answer without binary files gets no warning', async () => {
    const { guard } = recording(ENFORCING);
    const r = await generateText({ model: generating(guard, [TEXT]), prompt: 'hi' });
    expect(r.warnings).toEqual([PROVIDER_WARNING]);
    expect(r.providerMetadata?.lifeguard).toBeUndefined();
  });
});

describe('stream', () => {
  it("withholds binary files by default: a warning in the stream-start's warnings, the finish's metadata, a decision", async () => {
    const { guard, decisions } = recording(ENFORCING);
    const r = await streamed(
      streaming(guard, [
        ...textParts('t1', 'Here is the picture.'),
        PNG as LanguageModelV3StreamPart,
        WAV as LanguageModelV3StreamPart,
      ]),
    );
    expect(r.text).toBe('Here is the picture.');
    expect(r.files).toEqual([]);
    expect(r.finish).toBe('stop');
    expect(r.warnings[0]).toEqual(PROVIDER_WARNING);
    const ours = r.warnings.filter((w) => w.type === 'other' && w.message.startsWith('lifeguard:'));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({
      message: expect.stringMatching(
        /^lifeguard: withheld 2 binary file part\(s\) \(media type image\/png, audio\/wav\)/,
      ),
    });
    expect(r.metadata?.lifeguard).toEqual({ withheld: { files: 2, mediaTypes: ['image/png', 'audio/wav'] } });
    expect(withheldDecisions(decisions).map((d) => d.types)).toEqual([['image/png'], ['audio/wav']]);
    // The AI SDK's own warning log reports it at the step's end.
    expect(logged.some((m) => m.startsWith('lifeguard: withheld 2 binary file part(s)'))).toBe(true);
  });

  it('the model stream has no stream-start: the finish metadata and the decision still say so', async () => {
    const { guard, decisions } = recording(ENFORCING);
    const model = streaming(guard, [...textParts('t1', 'Here.'), PNG as LanguageModelV3StreamPart], false);
    const r = await streamed(model);
    expect(r.files).toEqual([]);
    expect(r.metadata?.lifeguard).toEqual({ withheld: { files: 1, mediaTypes: ['image/png'] } });
    expect(withheldDecisions(decisions)).toHaveLength(1);
  });

  it('binaryParts: allow passes the file on, with no warning or decision', async () => {
    const { guard, decisions } = recording({ ...ENFORCING, binaryParts: 'allow' });
    const r = await streamed(streaming(guard, [...textParts('t1', 'Here.'), PNG as LanguageModelV3StreamPart]));
    expect(r.files).toEqual(['image/png']);
    expect(r.warnings).toEqual([PROVIDER_WARNING]);
    expect(r.metadata?.lifeguard).toBeUndefined();
    expect(withheldDecisions(decisions)).toEqual([]);
  });

  it('an output stage that enforces nothing, or a shadow policy, passes the file as before', async () => {
    const policies: PolicyInput[] = [
      {},
      { output: [{ check: 'secrets', action: 'log' }] },
      { ...ENFORCING, shadow: true },
    ];
    for (const policy of policies) {
      const { guard, decisions } = recording(policy);
      const r = await streamed(streaming(guard, [...textParts('t1', 'Here.'), PNG as LanguageModelV3StreamPart]));
      expect(r.files).toEqual(['image/png']);
      expect(r.warnings).toEqual([PROVIDER_WARNING]);
      expect(withheldDecisions(decisions)).toEqual([]);
    }
  });
});
