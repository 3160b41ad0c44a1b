import { describe, expect, it } from 'vitest';
import { LifeguardError } from '../../src/core/errors.js';
import {
  createCascade,
  createLlamaGuardClassifier,
  createOpenAIModerationClassifier,
  createTextClassificationClassifier,
} from '../../src/models/backends/index.js';
import type { Classifier } from '../../src/models/classify/types.js';
import { chatCompletion, servePerTest } from './backends/server.js';

const serve = servePerTest();

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('moderation: a flagged category without a score', () => {
  const partial = {
    results: [{ flagged: true, categories: { hate: true, violence: false }, category_scores: { violence: 0.01 } }],
  };

  it.each(['toxicity', 'harmful'] as const)('%s: an upstream error, not a 0.01 "safe" answer', async (task) => {
    const s = await serve(() => ({ json: partial }));
    const mod = createOpenAIModerationClassifier({ baseUrl: s.url, task, maxRetries: 0 });
    const e = await failure(mod.classify('x'));
    expect(LifeguardError.isInstance(e) && e.code).toBe('LG_ERR_UPSTREAM');
    expect((e as Error).message).toMatch(/'hate' is flagged but has no score/);
  });

  it('a flagged category that does not count for the task (or is unknown) still scores the rest', async () => {
    const s = await serve(() => ({
      json: {
        results: [
          { flagged: true, categories: { illicit: true, foo: true }, category_scores: { hate: 0.02, violence: 0.6 } },
        ],
      },
    }));
    const mod = createOpenAIModerationClassifier({ baseUrl: s.url, task: 'toxicity', maxRetries: 0 });
    expect(await mod.classify('x')).toMatchObject({ score: 0.6, label: true, categories: ['violence'] });
  });

  it('in a cascade the failure is reported (fail-open keeps the local answer and says so)', async () => {
    const s = await serve(() => ({ json: partial }));
    const external = createOpenAIModerationClassifier({ baseUrl: s.url, task: 'toxicity', maxRetries: 0 });
    const local: Classifier = {
      id: 'local',
      task: 'toxicity',
      threshold: 0.5,
      classify: async () => ({
        task: 'toxicity',
        score: 0.4,
        label: false,
        categories: [],
        threshold: 0.5,
        source: 'l',
      }),
    };
    const r = await createCascade({ local, external, uncertain: [0.3, 0.8] }).classify('x');
    expect(r.decidedBy).toBe('fail-open');
    expect(r.error?.message).toMatch(/flagged but has no score/);
    const closed = await createCascade({
      local,
      external,
      uncertain: [0.3, 0.8],
      onExternalError: 'fail-closed',
    }).classify('x');
    expect(closed).toMatchObject({ decidedBy: 'fail-closed', label: true });
  });
});

describe('text classification: with negativeLabels, a label in neither list', () => {
  const base = { task: 'injection' as const, positiveLabels: ['INJECTION'], negativeLabels: ['BENIGN'], maxRetries: 0 };

  it('is a configuration error naming it, not dropped (the unmapped JAILBREAK 0.9 scored 0.05)', async () => {
    const s = await serve(() => ({
      json: [
        { label: 'JAILBREAK', score: 0.9 },
        { label: 'BENIGN', score: 0.05 },
        { label: 'INJECTION', score: 0.05 },
      ],
    }));
    const pg = createTextClassificationClassifier({ baseUrl: s.url, ...base });
    const e = await failure(pg.classify('x'));
    expect(LifeguardError.isInstance(e) && e.code).toBe('LG_ERR_CONFIG_INVALID');
    expect((e as Error).message).toMatch(/label 'JAILBREAK', which is in neither positiveLabels/);
  });

  it('a top-label-only answer with an unmapped label fails the same way', async () => {
    const s = await serve(() => ({ json: [{ label: 'LABEL_1', score: 0.99 }] }));
    const pg = createTextClassificationClassifier({ baseUrl: s.url, ...base });
    expect(((await failure(pg.classify('x'))) as LifeguardError).code).toBe('LG_ERR_CONFIG_INVALID');
  });

  it('labels all listed (any case) score as before', async () => {
    const s = await serve(() => ({
      json: [
        { label: 'benign', score: 0.3 },
        { label: 'injection', score: 0.7 },
      ],
    }));
    const pg = createTextClassificationClassifier({ baseUrl: s.url, ...base });
    expect(await pg.classify('x')).toMatchObject({ score: 0.7, label: true });
  });

  it('without negativeLabels other labels are ignored, as documented', async () => {
    const s = await serve(() => ({
      json: [
        { label: 'JAILBREAK', score: 0.9 },
        { label: 'INJECTION', score: 0.1 },
      ],
    }));
    const pg = createTextClassificationClassifier({ baseUrl: s.url, task: 'injection', positiveLabels: ['INJECTION'] });
    expect(await pg.classify('x')).toMatchObject({ score: 0.1, label: false });
  });
});

describe('Llama Guard: odd answers are read or refused, never a silent pass', () => {
  it.each([
    ['unsafe\nS99', 'harmful', { score: 1, label: true, categories: [], guardCategories: [] }],
    ['unsafe\nS99', 'toxicity', { score: 1, label: true, categories: [], guardCategories: [] }],
    ['  \n\n UNSAFE \n s1 , s10 ', 'harmful', { label: true, categories: ['S1', 'S10'] }],
    ['Unsafe: S1,S2', 'toxicity', { label: true, categories: ['violence'], guardCategories: ['S1', 'S2'] }],
    ['**unsafe**\nS12', 'toxicity', { label: true, categories: ['sexual'] }],
    ['safe\n', 'harmful', { score: 0, label: false }],
  ] as const)('%j (%s)', async (content, task, expected) => {
    const s = await serve(() => ({ json: chatCompletion(content) }));
    const lg = createLlamaGuardClassifier({ baseUrl: s.url, model: 'lg', task, logprobs: false, maxRetries: 0 });
    expect(await lg.classify('x')).toMatchObject(expected);
  });

  it.each([
    ['an answer that is no verdict', { json: chatCompletion('I cannot help with that.') }, /does not start with/],
    ['a 200 with an HTML body', { raw: '<html>502 Bad Gateway</html>' }, /not JSON/],
    ['a null content', { json: { choices: [{ message: { content: null } }] } }, /no choices\[0\]\.message\.content/],
    ['a server slower than timeoutMs', { json: chatCompletion('safe'), delayMs: 2000 }, /within 300 ms/],
  ])('%s is an LG_ERR_UPSTREAM', async (_, reply, message) => {
    const s = await serve(() => reply);
    const lg = createLlamaGuardClassifier({
      baseUrl: s.url,
      model: 'lg',
      logprobs: false,
      maxRetries: 0,
      timeoutMs: 300,
    });
    const e = await failure(lg.classify('x'));
    expect(LifeguardError.isInstance(e) && e.code).toBe('LG_ERR_UPSTREAM');
    expect((e as Error).message).toMatch(message);
  });
});
