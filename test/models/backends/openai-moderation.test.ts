import { describe, expect, it } from 'vitest';
import { LifeguardError } from '../../../src/core/errors.js';
import { createOpenAIModerationClassifier } from '../../../src/models/backends/index.js';
import { servePerTest } from './server.js';

const serve = servePerTest();

const NAMES = [
  'harassment',
  'harassment/threatening',
  'hate',
  'hate/threatening',
  'illicit',
  'illicit/violent',
  'self-harm',
  'self-harm/instructions',
  'self-harm/intent',
  'sexual',
  'sexual/minors',
  'violence',
  'violence/graphic',
] as const;

/** An `omni-moderation-latest` answer with the given scores (others tiny); flags at OpenAI-ish thresholds. */
function moderation(scores: Partial<Record<(typeof NAMES)[number], number>>): unknown {
  const categoryScores = Object.fromEntries(NAMES.map((n) => [n, scores[n] ?? 0.000_01]));
  const categories = Object.fromEntries(NAMES.map((n) => [n, (scores[n] ?? 0) > 0.4]));
  return {
    id: 'modr-0d9740456c391e43c445bf0f010940c7',
    model: 'omni-moderation-latest',
    results: [
      {
        flagged: Object.values(categories).some(Boolean),
        categories,
        category_scores: categoryScores,
        category_applied_input_types: Object.fromEntries(NAMES.map((n) => [n, ['text']])),
      },
    ],
  };
}

describe('createOpenAIModerationClassifier', () => {
  it('sends {input, model} to /v1/moderations and maps scores to toxicity categories', async () => {
    const s = await serve(() => ({
      json: moderation({ 'hate/threatening': 0.71, hate: 0.62, harassment: 0.3, illicit: 0.9 }),
    }));
    const mod = createOpenAIModerationClassifier({ baseUrl: `${s.url}/v1`, apiKey: 'sk-x', task: 'toxicity' });
    const result = await mod.classify('some text');

    const req = s.requests[0]!;
    expect(req.path).toBe('/v1/moderations');
    expect(req.headers.authorization).toBe('Bearer sk-x');
    expect(req.body).toEqual({ input: 'some text', model: 'omni-moderation-latest' });
    // `illicit` is not toxicity, so 0.9 does not count.
    expect(result.score).toBeCloseTo(0.71, 9);
    expect(result.label).toBe(true);
    expect(result.categories).toEqual(['hate', 'violence']);
    expect(result.categoryScores).toMatchObject({ hate: 0.71, harassment: 0.3, violence: 0.71 });
    expect(result.categoryScores?.['self-harm']).toBeCloseTo(0.000_01, 9);
    expect(result.source).toBe('openai-moderation:omni-moderation-latest');
    expect(result.upstream).toEqual({ flagged: true, categories: ['hate', 'hate/threatening', 'illicit'] });
  });

  it('maps scores to hazard codes for task harmful', async () => {
    const s = await serve(() => ({ json: moderation({ 'sexual/minors': 0.8, illicit: 0.55, harassment: 0.99 }) }));
    const mod = createOpenAIModerationClassifier({ baseUrl: s.url, task: 'harmful', model: 'text-moderation-stable' });
    const result = await mod.classify('x');
    expect(s.requests[0]!.path).toBe('/v1/moderations');
    expect(s.requests[0]!.body.model).toBe('text-moderation-stable');
    // harassment has no hazard code: 0.99 does not count.
    expect(result.score).toBeCloseTo(0.8, 9);
    expect(result.categories).toEqual(['S2', 'S4']);
    expect(Object.keys(result.categoryScores ?? {})).toEqual(['S1', 'S2', 'S4', 'S10', 'S11', 'S12']);
  });

  it('below the threshold: label false and no categories', async () => {
    const s = await serve(() => ({ json: moderation({ violence: 0.2 }) }));
    const mod = createOpenAIModerationClassifier({ baseUrl: s.url, task: 'toxicity', threshold: 0.3 });
    const result = await mod.classify('x');
    expect(result).toMatchObject({ label: false, categories: [], threshold: 0.3 });
    expect(result.score).toBeCloseTo(0.2, 9);
    expect(result.upstream.flagged).toBe(false);
  });

  it('accepts a custom category map (and then any task)', async () => {
    const s = await serve(() => ({ json: { results: [{ flagged: true, category_scores: { jailbreak: 0.88 } }] } }));
    const mod = createOpenAIModerationClassifier({
      baseUrl: s.url,
      task: 'injection',
      categoryMap: { jailbreak: ['jailbreak'] },
    });
    expect(await mod.classify('x')).toMatchObject({ task: 'injection', score: 0.88, categories: ['jailbreak'] });
  });

  it('503 then success: retried', async () => {
    const s = await serve((_, i) => (i === 0 ? { status: 503, raw: '' } : { json: moderation({ sexual: 0.6 }) }));
    const mod = createOpenAIModerationClassifier({ baseUrl: s.url, task: 'toxicity', retryDelayMs: 1 });
    expect((await mod.classify('x')).categories).toEqual(['sexual']);
    expect(s.requests).toHaveLength(2);
  });

  it.each([
    ['no results', { id: 'x' }, /results\[0\]\.category_scores/],
    ['empty results', { results: [] }, /results\[0\]\.category_scores/],
    ['a score that is not a number', { results: [{ category_scores: { hate: 'high' } }] }, /not a probability/],
    ['a score above 1', { results: [{ category_scores: { hate: 3 } }] }, /not a probability/],
    ['an unknown taxonomy', { results: [{ category_scores: { nsfw: 0.9, spam: 0.1 } }] }, /nsfw, spam.*categoryMap/],
  ])('%s is a clear upstream error', async (_, json, message) => {
    const s = await serve(() => ({ json }));
    const mod = createOpenAIModerationClassifier({ baseUrl: s.url, task: 'toxicity' });
    const error = await mod.classify('x').catch((e: unknown) => e);
    expect(LifeguardError.isInstance(error)).toBe(true);
    expect((error as LifeguardError).code).toBe('LG_ERR_UPSTREAM');
    expect((error as LifeguardError).message).toMatch(message);
  });

  it('times out', async () => {
    const s = await serve(() => ({ json: moderation({}), delayMs: 3000 }));
    const mod = createOpenAIModerationClassifier({ baseUrl: s.url, task: 'toxicity', timeoutMs: 150 });
    await expect(mod.classify('x')).rejects.toMatchObject({ code: 'LG_ERR_UPSTREAM', retryable: true });
  });

  it('refuses tasks the moderation categories do not cover', () => {
    expect(() => createOpenAIModerationClassifier({ baseUrl: 'http://127.0.0.1:9', task: 'refusal' })).toThrow(
      /categoryMap/,
    );
  });
});
