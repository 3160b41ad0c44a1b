import { describe, expect, it } from 'vitest';
import { LifeguardError } from '../../src/core/errors.js';
import {
  createCascade,
  createLlamaGuardClassifier,
  createOpenAIModerationClassifier,
  createTextClassificationClassifier,
} from '../../src/models/backends/index.js';
import type { Classifier, ClassifyResult } from '../../src/models/classify/types.js';
import { chatCompletion, type Handler, servePerTest } from './backends/server.js';

const serve = servePerTest();

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('moderation: category names from the answer are looked up as own keys', () => {
  it('a category named like an Object.prototype member is skipped as unknown, not a TypeError', async () => {
    const s = await serve(() => ({
      raw: '{"results":[{"category_scores":{"constructor":0.9,"toString":0.9,"__proto__":0.9,"hate":0.7}}]}',
    }));
    const mod = createOpenAIModerationClassifier({ baseUrl: s.url, task: 'toxicity', maxRetries: 0 });
    const r = await mod.classify('x');
    expect(r).toMatchObject({ score: 0.7, label: true, categories: ['hate'], categoryScores: { hate: 0.7 } });
  });

  it('an answer with only such names is the documented "not in the category map" upstream error', async () => {
    const s = await serve(() => ({ json: { results: [{ category_scores: { constructor: 0.9 } }] } }));
    const mod = createOpenAIModerationClassifier({ baseUrl: s.url, task: 'harmful', maxRetries: 0 });
    const e = await failure(mod.classify('x'));
    expect(LifeguardError.isInstance(e) && e.code).toBe('LG_ERR_UPSTREAM');
    expect((e as Error).message).toMatch(/category map/);
  });
});

describe('TEI: categoryMap matches labels case-insensitively, as positiveLabels do', () => {
  it('a server answering lower-case labels still gets the mapped categories', async () => {
    const s = await serve(() => ({
      json: [
        { label: 'jailbreak', score: 0.8 },
        { label: 'benign', score: 0.2 },
      ],
    }));
    const tei = createTextClassificationClassifier({
      baseUrl: s.url,
      task: 'injection',
      positiveLabels: ['JAILBREAK'],
      categoryMap: { JAILBREAK: ['jailbreak-attempt'] },
      maxRetries: 0,
    });
    const r = await tei.classify('x');
    expect(r).toMatchObject({ label: true, categories: ['jailbreak-attempt'] });
    expect(r.categoryScores).toEqual({ 'jailbreak-attempt': 0.8 });
  });

  it('a positive label named like an Object.prototype member with a categoryMap is not a TypeError', async () => {
    const s = await serve(() => ({ json: [{ label: 'constructor', score: 0.9 }] }));
    const tei = createTextClassificationClassifier({
      baseUrl: s.url,
      task: 'injection',
      positiveLabels: ['constructor'],
      categoryMap: { OTHER: ['x'] },
      maxRetries: 0,
    });
    expect(await tei.classify('x')).toMatchObject({ label: true, score: 0.9, categories: [] });
  });
});

describe('HTTP status errors say which backend failed', () => {
  const html: Handler = () => ({
    status: 502,
    headers: { 'content-type': 'text/html' },
    raw: '<html>Bad Gateway</html>',
  });

  it.each([
    ['Llama Guard', (url: string) => createLlamaGuardClassifier({ baseUrl: url, model: 'lg', maxRetries: 0 })],
    [
      'OpenAI moderation',
      (url: string) => createOpenAIModerationClassifier({ baseUrl: url, task: 'toxicity', maxRetries: 0 }),
    ],
    [
      'Text classification',
      (url: string) =>
        createTextClassificationClassifier({ baseUrl: url, task: 'injection', positiveLabels: ['X'], maxRetries: 0 }),
    ],
  ])('%s', async (name, make) => {
    const s = await serve(html);
    const e = await failure(make(s.url).classify('secret text'));
    expect(LifeguardError.isInstance(e) && e.code).toBe('LG_ERR_UPSTREAM');
    expect((e as Error).message.startsWith(`${name}: `)).toBe(true);
    expect((e as Error).message).toMatch(/HTTP 502/);
    expect((e as Error).message).not.toMatch(/secret text|Bad Gateway/);
  });
});

describe('Llama Guard: a code left out of the prompt does not count', () => {
  it('client mode, task toxicity: `unsafe\\nS2` scores 0 as in server mode (it scored 1)', async () => {
    const s = await serve(() => ({ json: chatCompletion('unsafe\nS2') }));
    for (const promptMode of ['server', 'client'] as const) {
      const guard = createLlamaGuardClassifier({
        baseUrl: s.url,
        model: 'lg',
        task: 'toxicity',
        promptMode,
        logprobs: false,
        maxRetries: 0,
      });
      const r = await guard.classify('x');
      expect(r, promptMode).toMatchObject({ score: 0, label: false, verdict: 'unsafe', guardCategories: ['S2'] });
    }
  });

  it('an excluded category named alone is not positive; with a listed one it is', async () => {
    let answer = 'unsafe\nS6';
    const s = await serve(() => ({ json: chatCompletion(answer) }));
    const guard = createLlamaGuardClassifier({
      baseUrl: s.url,
      model: 'lg',
      promptMode: 'client',
      excludeCategories: ['S6', 'S8'],
      logprobs: false,
      maxRetries: 0,
    });
    expect(await guard.classify('x')).toMatchObject({ score: 0, label: false, guardCategories: ['S6'] });
    answer = 'unsafe\nS6,S1';
    expect(await guard.classify('x')).toMatchObject({ score: 1, label: true, categories: ['S1'] });
  });
});

describe('cascade: the caller abort is honoured even when the external classifier ignores the signal', () => {
  it('rejects with the caller reason instead of waiting forever', async () => {
    const local: Classifier = {
      id: 'local',
      task: 'injection',
      threshold: 0.5,
      classify: async (): Promise<ClassifyResult> => ({
        task: 'injection',
        score: 0.5,
        label: true,
        threshold: 0.5,
        source: 'local',
      }),
    };
    const deaf: Classifier = {
      id: 'deaf',
      task: 'injection',
      threshold: 0.5,
      classify: () => new Promise<ClassifyResult>(() => {}),
    };
    const errors: unknown[] = [];
    const cascade = createCascade({ local, external: deaf, uncertain: [0.3, 0.8], onError: (e) => errors.push(e) });
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    setTimeout(() => controller.abort(reason), 20);
    await expect(cascade.classify('x', { signal: controller.signal })).rejects.toBe(reason);
    expect(errors).toEqual([]);
  }, 5_000);
});

describe('a timeoutMs beyond what a Node timer holds is refused at creation', () => {
  it('2^31 ms and more: LG_ERR_CONFIG_INVALID (it timed out every call at once, or threw a RangeError)', () => {
    for (const timeoutMs of [2 ** 31, 1e10]) {
      let code: string | undefined;
      try {
        createOpenAIModerationClassifier({ baseUrl: 'http://127.0.0.1:9', task: 'toxicity', timeoutMs });
      } catch (e) {
        code = LifeguardError.isInstance(e) ? e.code : 'not a LifeguardError';
      }
      expect(code, String(timeoutMs)).toBe('LG_ERR_CONFIG_INVALID');
    }
    expect(() =>
      createOpenAIModerationClassifier({ baseUrl: 'http://127.0.0.1:9', task: 'toxicity', timeoutMs: 2 ** 31 - 1 }),
    ).not.toThrow();
  });
});
