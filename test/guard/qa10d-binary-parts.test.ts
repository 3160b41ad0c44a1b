/**
 * QA round 10d, binary answer parts in the AI SDK middleware.
 *
 * A check in shadow mode (`shadow: true` on the check) never enforces, but it counted as an enforcing output
 * stage: an app trialling a blocking check in shadow mode had every image withheld from its answers.
 *
 * A `file` answer part with a text media type is checked as its UTF-8 text. One in another encoding
 * (`text/plain; charset=utf-16le`, or UTF-16 bytes under a plain `text/plain`) decoded to text with a NUL between
 * every letter or U+FFFD, which no check reads: a secret in it went to the app unchecked and unchanged, past an
 * output stage that blocks secrets, where a binary file would have been withheld (`binaryParts`). Such a file is
 * now treated as one the checks cannot read: withheld under `withhold`, passed on under `allow`.
 */
import type { LanguageModelV3Content } from '@ai-sdk/provider';
import { generateText, wrapLanguageModel } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { createGuard, lifeguardMiddleware } from '../../src/guard/index.js';
import type { PolicyInput } from '../../src/guard/policy.js';
import type { CheckDecision } from '../../src/guard/types.js';
import { USAGE } from './ai-sdk-fixtures.js';

const SECRET = `deploy token ghp_${'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'}`;
const BLOCK_SECRETS: PolicyInput = { output: [{ check: 'secrets', action: 'block' }] };

function utf16le(s: string, bom = false): Uint8Array {
  const body = Buffer.from(s, 'utf16le');
  return new Uint8Array(bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body);
}

async function run(policy: PolicyInput, file: LanguageModelV3Content) {
  const decisions: CheckDecision[] = [];
  const guard = createGuard(policy, { onDecision: (d) => decisions.push(...d) });
  const model = wrapLanguageModel({
    model: new MockLanguageModelV3({
      doGenerate: async () => ({
        content: [{ type: 'text', text: 'Here is the file.' }, file],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: USAGE,
        warnings: [],
      }),
    }),
    middleware: lifeguardMiddleware({ guard }),
  });
  const r = await generateText({ model, prompt: 'hi' });
  return { r, files: r.files, decisions };
}

describe('text files the checks cannot read as UTF-8', () => {
  it('a UTF-8 text file with a secret is blocked (the baseline)', async () => {
    const { r } = await run(BLOCK_SECRETS, {
      type: 'file',
      mediaType: 'text/plain',
      data: Buffer.from(SECRET).toString('base64'),
    });
    expect(r.finishReason).toBe('content-filter');
  });

  const encoded: [string, LanguageModelV3Content][] = [
    ['charset=utf-16le', { type: 'file', mediaType: 'text/plain; charset=utf-16le', data: utf16le(SECRET) }],
    ['UTF-16 with a BOM, no charset', { type: 'file', mediaType: 'text/plain', data: utf16le(SECRET, true) }],
    ['UTF-16 without a BOM, no charset', { type: 'file', mediaType: 'text/csv', data: utf16le(SECRET) }],
    [
      'charset=UTF-16 on JSON, base64',
      {
        type: 'file',
        mediaType: 'application/json;charset="UTF-16"',
        data: Buffer.from(utf16le(JSON.stringify({ note: SECRET }))).toString('base64'),
      },
    ],
  ];
  for (const [how, file] of encoded) {
    it(`${how}: withheld, not passed on unchecked`, async () => {
      const { r, files, decisions } = await run(BLOCK_SECRETS, file);
      expect(r.text).toBe('Here is the file.');
      expect(files).toHaveLength(0);
      expect(decisions.filter((d) => d.check === 'binaryParts')).toHaveLength(1);
      expect(r.warnings?.map((w) => ('message' in w ? w.message : '')).join()).toMatch(/withheld 1/);
    });
  }

  it('binaryParts: allow passes such a file on unchanged, as a binary one', async () => {
    const [, file] = encoded[0] as [string, LanguageModelV3Content];
    const { files } = await run({ ...BLOCK_SECRETS, binaryParts: 'allow' }, file);
    expect(files).toHaveLength(1);
    expect(Buffer.from(files[0]?.uint8Array ?? []).equals(Buffer.from(utf16le(SECRET)))).toBe(true);
  });

  it('explicit UTF-8 and US-ASCII charsets are still read', async () => {
    for (const mediaType of [
      'text/plain; charset=UTF-8',
      'text/plain;charset="us-ascii"',
      'text/markdown; charset=utf8',
    ]) {
      const { r } = await run(BLOCK_SECRETS, { type: 'file', mediaType, data: new TextEncoder().encode(SECRET) });
      expect(r.finishReason, mediaType).toBe('content-filter');
    }
  });
});

describe('a check in shadow mode does not enforce, so binary files are not withheld for it', () => {
  const PNG: LanguageModelV3Content = { type: 'file', mediaType: 'image/png', data: new Uint8Array([0x89, 0x50]) };

  it('only shadow checks on the output stage: the image is passed on, as with the policy in shadow mode', async () => {
    const shadowCheck = await run({ output: [{ check: 'secrets', action: 'block', shadow: true }] }, PNG);
    expect(shadowCheck.files).toHaveLength(1);
    expect(shadowCheck.decisions.filter((d) => d.check === 'binaryParts')).toHaveLength(0);
    const shadowPolicy = await run({ ...BLOCK_SECRETS, shadow: true }, PNG);
    expect(shadowPolicy.files).toHaveLength(1);
  });

  it('one enforcing check beside it still withholds', async () => {
    const { files } = await run(
      {
        output: [
          { check: 'secrets', action: 'block', shadow: true },
          { check: 'pii', action: 'redact' },
        ],
      },
      PNG,
    );
    expect(files).toHaveLength(0);
  });
});
