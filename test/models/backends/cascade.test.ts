import { afterEach, describe, expect, it, vi } from 'vitest';
import { LifeguardError } from '../../../src/core/errors.js';
import { createCascade, createLlamaGuardClassifier } from '../../../src/models/backends/index.js';
import type {
  Classifier,
  ClassifierTask,
  ClassifyOptions,
  ClassifyResult,
  LocalClassifier,
} from '../../../src/models/classify/types.js';
import { chatCompletion, startServer, type TestServer } from './server.js';

/** A local classifier whose score is looked up per text (default 0). */
class FakeLocal implements LocalClassifier {
  readonly id = 'local:fake@1';
  readonly threshold = 0.5;
  calls = 0;
  constructor(
    readonly task: ClassifierTask,
    private readonly scores: Record<string, number>,
  ) {}
  classifySync(text: string, options: ClassifyOptions = {}): ClassifyResult {
    this.calls++;
    const score = this.scores[text] ?? 0;
    const threshold = options.threshold ?? this.threshold;
    return { task: this.task, score, label: score >= threshold, threshold, source: this.id, categories: [] };
  }
  async classify(text: string, options?: ClassifyOptions): Promise<ClassifyResult> {
    return this.classifySync(text, options);
  }
}

/** An external classifier that answers a fixed score, or fails. */
class FakeExternal implements Classifier {
  readonly id = 'external:fake';
  readonly threshold = 0.5;
  calls: Array<{ text: string; options?: ClassifyOptions }> = [];
  constructor(
    readonly task: ClassifierTask,
    private readonly answer: number | Error,
  ) {}
  async classify(text: string, options?: ClassifyOptions): Promise<ClassifyResult> {
    this.calls.push({ text, options });
    if (this.answer instanceof Error) throw this.answer;
    return {
      task: this.task,
      score: this.answer,
      label: this.answer >= 0.5,
      categories: ['S1'],
      threshold: 0.5,
      source: this.id,
    };
  }
}

const SCORES = { low: 0.05, lo: 0.2, mid: 0.45, hi: 0.8, high: 0.95 };

describe('createCascade', () => {
  it('answers locally outside the band and asks the external classifier inside it (ends included)', async () => {
    const local = new FakeLocal('harmful', SCORES);
    const external = new FakeExternal('harmful', 0.9);
    const cascade = createCascade({ local, external, uncertain: [0.2, 0.8] });
    expect(cascade).toMatchObject({ id: 'cascade(local:fake@1→external:fake)', task: 'harmful', threshold: 0.5 });

    const low = await cascade.classify('low');
    expect(low).toMatchObject({
      score: 0.05,
      label: false,
      decidedBy: 'local',
      source: 'cascade(local:fake@1)',
    });
    expect(low.local.score).toBe(0.05);
    expect(low.external).toBeUndefined();
    const high = await cascade.classify('high');
    expect(high).toMatchObject({ score: 0.95, label: true, decidedBy: 'local' });
    expect(external.calls).toHaveLength(0);

    for (const text of ['lo', 'mid', 'hi']) {
      const r = await cascade.classify(text);
      expect(r).toMatchObject({
        score: 0.9,
        label: true,
        categories: ['S1'],
        decidedBy: 'external',
        source: 'cascade(local:fake@1→external:fake)',
      });
      expect(r.local.score).toBe(SCORES[text as keyof typeof SCORES]);
      expect(r.external?.score).toBe(0.9);
    }
    expect(external.calls.map((c) => c.text)).toEqual(['lo', 'mid', 'hi']);
    expect(local.calls).toBe(5);
  });

  it('passes the caller options (signal, threshold) to both classifiers', async () => {
    const local = new FakeLocal('harmful', SCORES);
    const external = new FakeExternal('harmful', 0.6);
    const cascade = createCascade({ local, external, uncertain: [0.3, 0.7] });
    const signal = new AbortController().signal;
    const r = await cascade.classify('mid', { signal, threshold: 0.7 });
    expect(external.calls[0]!.options).toEqual({ signal, threshold: 0.7 });
    expect(r.local.threshold).toBe(0.7);
  });

  it('fail-open: an external failure keeps the local answer and reports the error', async () => {
    const local = new FakeLocal('injection', SCORES);
    const failure = new LifeguardError('LG_ERR_UPSTREAM', 'Llama Guard: no answer within 100 ms', { retryable: true });
    const external = new FakeExternal('injection', failure);
    const onError = vi.fn();
    const cascade = createCascade({ local, external, uncertain: [0.2, 0.8], onError });
    const r = await cascade.classify('mid');
    expect(r).toMatchObject({
      score: 0.45,
      label: false,
      decidedBy: 'fail-open',
      source: 'cascade(local:fake@1→external:fake failed, fail-open)',
      error: { code: 'LG_ERR_UPSTREAM', message: 'Llama Guard: no answer within 100 ms', retryable: true },
    });
    expect(onError).toHaveBeenCalledWith(failure);
  });

  it('fail-closed: an external failure labels the text positive', async () => {
    const local = new FakeLocal('injection', SCORES);
    const external = new FakeExternal('injection', new Error('socket hang up'));
    const cascade = createCascade({ local, external, uncertain: [0.2, 0.8], onExternalError: 'fail-closed' });
    const r = await cascade.classify('mid');
    expect(r).toMatchObject({
      score: 0.45,
      label: true,
      decidedBy: 'fail-closed',
      error: { code: 'LG_ERR_UPSTREAM', message: 'socket hang up', retryable: false },
    });
    // Outside the band the external classifier is not asked, so nothing fails.
    expect(await cascade.classify('low')).toMatchObject({ label: false, decidedBy: 'local' });
    expect((await cascade.classify('low')).error).toBeUndefined();
  });

  it("does not swallow the caller's abort", async () => {
    const local = new FakeLocal('harmful', SCORES);
    const controller = new AbortController();
    const reason = new Error('cancelled by caller');
    const external: Classifier = {
      id: 'x',
      task: 'harmful',
      threshold: 0.5,
      classify: async () => {
        controller.abort(reason);
        throw reason;
      },
    };
    const cascade = createCascade({ local, external, uncertain: [0, 1], onExternalError: 'fail-closed' });
    await expect(cascade.classify('mid', { signal: controller.signal })).rejects.toBe(reason);
  });

  it.each([
    [[0.8, 0.2], /0 ≤ lo ≤ hi ≤ 1/],
    [[-0.1, 0.5], /0 ≤ lo ≤ hi ≤ 1/],
    [[0.2, 1.5], /0 ≤ lo ≤ hi ≤ 1/],
    [[Number.NaN, 0.5], /0 ≤ lo ≤ hi ≤ 1/],
  ])('rejects the band %j', (uncertain, message) => {
    const local = new FakeLocal('harmful', {});
    const external = new FakeExternal('harmful', 0.5);
    expect(() => createCascade({ local, external, uncertain: uncertain as [number, number] })).toThrow(message);
  });

  it('rejects classifiers of different tasks', () => {
    expect(() =>
      createCascade({
        local: new FakeLocal('injection', {}),
        external: new FakeExternal('harmful', 0.5),
        uncertain: [0.2, 0.8],
      }),
    ).toThrow(/differ in task/);
  });
});

describe('createCascade with a Llama Guard endpoint', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it('sends only the uncertain texts to the guard, and fails open on a dead guard', async () => {
    server = await startServer(() => ({ json: chatCompletion('unsafe\nS2') }));
    const local = new FakeLocal('harmful', { 'how to pick a lock': 0.5, 'hello there': 0.01 });
    const guard = createLlamaGuardClassifier({ baseUrl: server.url, model: 'llama-guard3:1b', timeoutMs: 2000 });
    const cascade = createCascade({ local, external: guard, uncertain: [0.3, 0.7] });

    expect((await cascade.classify('hello there')).decidedBy).toBe('local');
    expect(server.requests).toHaveLength(0);
    const r = await cascade.classify('how to pick a lock');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body.messages).toEqual([{ role: 'user', content: 'how to pick a lock' }]);
    expect(r).toMatchObject({
      decidedBy: 'external',
      label: true,
      categories: ['S2'],
      source: 'cascade(local:fake@1→llama-guard:llama-guard3:1b)',
    });

    const url = server.url;
    await server.close();
    server = undefined;
    const dead = createLlamaGuardClassifier({ baseUrl: url, model: 'm', maxRetries: 0 });
    const down = await createCascade({ local, external: dead, uncertain: [0.3, 0.7] }).classify('how to pick a lock');
    expect(down).toMatchObject({ decidedBy: 'fail-open', label: true, score: 0.5 });
    expect(down.error).toMatchObject({ code: 'LG_ERR_UPSTREAM', retryable: true });
    expect(down.error?.message).toMatch(/could not reach http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions/);
  });
});
