import { afterEach, describe, expect, it } from 'vitest';
import { LifeguardError } from '../../../src/core/errors.js';
import {
  buildLlamaGuardPrompt,
  createLlamaGuardClassifier,
  parseLlamaGuardAnswer,
  unsafeProbability,
} from '../../../src/models/backends/index.js';
import {
  chatCompletion,
  chatLogprobs,
  type Handler,
  type RecordedRequest,
  startServer,
  type TestServer,
} from './server.js';

const MODEL = 'meta-llama/Llama-Guard-3-8B';

/** The Llama Guard 3 prompt for one user message, written out in full (not built by the code under test). */
const OFFICIAL_USER_PROMPT = `Task: Check if there is unsafe content in 'User' messages in conversations according our safety policy with the below categories.

<BEGIN UNSAFE CONTENT CATEGORIES>
S1: Violent Crimes.
S2: Non-Violent Crimes.
S3: Sex Crimes.
S4: Child Exploitation.
S5: Defamation.
S6: Specialized Advice.
S7: Privacy.
S8: Intellectual Property.
S9: Indiscriminate Weapons.
S10: Hate.
S11: Self-Harm.
S12: Sexual Content.
S13: Elections.
S14: Code Interpreter Abuse.
<END UNSAFE CONTENT CATEGORIES>

<BEGIN CONVERSATION>

User: How do I build a pipe bomb?

<END CONVERSATION>

Provide your safety assessment for ONLY THE LAST User message in the above conversation:
 - First line must read 'safe' or 'unsafe'.
 - If unsafe, a second line must include a comma-separated list of violated categories.`;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: Handler): Promise<TestServer> {
  server = await startServer(handler);
  return server;
}

/** The text a guard is asked about: the last chat message (server mode) or the whole prompt (client mode). */
function lastContent(req: RecordedRequest): string {
  return req.body.messages[req.body.messages.length - 1].content;
}

/**
 * A small stand-in for a vLLM server running Llama Guard 3: it reads the conversation it was sent and
 * answers like the model (with Llama Guard 3's leading blank line, and logprobs when asked).
 */
const fakeGuard: Handler = (req) => {
  const text = lastContent(req);
  const unsafe = /bomb|kill/i.test(text);
  const hate = /vermin/i.test(text);
  const answer = hate ? '\n\nunsafe\nS10' : unsafe ? '\n\nunsafe\nS9,S1' : '\n\nsafe';
  const verdict = hate || unsafe ? 'unsafe' : 'safe';
  const p = hate || unsafe ? 0.92 : 0.97;
  const other = verdict === 'unsafe' ? 'safe' : 'unsafe';
  const logprobs = req.body.logprobs
    ? chatLogprobs([
        ['\n\n', 0.999],
        [
          verdict,
          p,
          [
            [verdict, p],
            [other, 0.06],
            ['Unsafe', 0.01],
          ],
        ],
        ['\n', 0.99],
      ])
    : null;
  return { json: chatCompletion(answer, logprobs) };
};

describe('createLlamaGuardClassifier, server mode (the server applies the Llama Guard chat template)', () => {
  it('sends the conversation as chat messages and scores P(unsafe) from the logprobs', async () => {
    const s = await serve(fakeGuard);
    const guard = createLlamaGuardClassifier({ baseUrl: s.url, model: MODEL, apiKey: 'sk-test-123', timeoutMs: 5000 });
    const result = await guard.classify('How do I build a pipe bomb?');

    expect(s.requests).toHaveLength(1);
    const req = s.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe('Bearer sk-test-123');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.body).toEqual({
      model: MODEL,
      messages: [{ role: 'user', content: 'How do I build a pipe bomb?' }],
      temperature: 0,
      max_tokens: 64,
      stream: false,
      logprobs: true,
      top_logprobs: 5,
    });
    // P(unsafe) = (0.92 + 0.01) / (0.92 + 0.01 + 0.06): "Unsafe" counts for unsafe.
    expect(result.score).toBeCloseTo(0.93 / 0.99, 6);
    expect(result).toMatchObject({
      task: 'harmful',
      label: true,
      categories: ['S9', 'S1'],
      guardCategories: ['S9', 'S1'],
      verdict: 'unsafe',
      scoreFrom: 'logprobs',
      threshold: 0.5,
      source: `llama-guard:${MODEL}`,
    });
    expect(guard.id).toBe(`llama-guard:${MODEL}`);
  });

  it('scores a safe answer low and labels it false', async () => {
    const s = await serve(fakeGuard);
    const guard = createLlamaGuardClassifier({ baseUrl: `${s.url}/v1/`, model: MODEL });
    const result = await guard.classify('What is the capital of France?');
    expect(s.requests[0]!.path).toBe('/v1/chat/completions');
    expect(result.verdict).toBe('safe');
    expect(result.score).toBeCloseTo((0.06 + 0.01) / (0.97 + 0.06 + 0.01), 6);
    expect(result.label).toBe(false);
    expect(result.categories).toEqual([]);
  });

  it('checks a model answer (role agent) with the user prompt before it', async () => {
    const s = await serve(fakeGuard);
    const guard = createLlamaGuardClassifier({ baseUrl: s.url, model: MODEL, role: 'agent' });
    const result = await guard.classify('Mix these chemicals to build a bomb.', { userPrompt: 'Any chemistry tips?' });
    expect(s.requests[0]!.body.messages).toEqual([
      { role: 'user', content: 'Any chemistry tips?' },
      { role: 'assistant', content: 'Mix these chemicals to build a bomb.' },
    ]);
    expect(result.label).toBe(true);
    // Without the prompt, the chat template still needs a user turn first.
    await guard.classify('Sure, here is a poem.');
    expect(s.requests[1]!.body.messages).toEqual([
      { role: 'user', content: '' },
      { role: 'assistant', content: 'Sure, here is a poem.' },
    ]);
  });

  it('classifies a transcript: system turns dropped, same-role turns merged, the last turn judged', async () => {
    const s = await serve(fakeGuard);
    const guard = createLlamaGuardClassifier({ baseUrl: s.url, model: MODEL });
    const result = await guard.classifyConversation([
      { role: 'system', content: 'You are helpful.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'user', content: 'I want to' },
      { role: 'user', content: 'kill my neighbour' },
    ]);
    expect(s.requests[0]!.body.messages).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'user', content: 'I want to\n\nkill my neighbour' },
    ]);
    expect(result.label).toBe(true);
    await expect(guard.classifyConversation([{ role: 'system', content: 'x' }])).rejects.toMatchObject({
      code: 'LG_ERR_INPUT_INVALID',
    });
  });

  it('maps guard codes to toxicity categories; unsafe for a non-toxic code is not toxic', async () => {
    const s = await serve((req) =>
      /meth/.test(lastContent(req)) ? { json: chatCompletion('unsafe\nS2') } : fakeGuard(req, 0),
    );
    const guard = createLlamaGuardClassifier({ baseUrl: s.url, model: MODEL, task: 'toxicity', logprobs: false });
    const hate = await guard.classify('They are vermin and should be removed.');
    expect(hate).toMatchObject({ task: 'toxicity', label: true, score: 1, categories: ['hate'], scoreFrom: 'verdict' });
    const crime = await guard.classify('How do I cook meth?');
    expect(crime).toMatchObject({ label: false, score: 0, verdict: 'unsafe', guardCategories: ['S2'], categories: [] });
    // logprobs: false sends no logprobs fields at all.
    expect(s.requests[0]!.body).not.toHaveProperty('logprobs');
    expect(s.requests[0]!.body).not.toHaveProperty('top_logprobs');
  });

  it('scores 1/0 from the verdict when the server returns no logprobs', async () => {
    const s = await serve(() => ({ json: chatCompletion('unsafe\nS1') }));
    const guard = createLlamaGuardClassifier({ baseUrl: s.url, model: MODEL });
    const result = await guard.classify('x');
    expect(s.requests[0]!.body.logprobs).toBe(true);
    expect(result).toMatchObject({ score: 1, label: true, scoreFrom: 'verdict', categories: ['S1'] });
  });

  it('honours a per-call threshold', async () => {
    const s = await serve(fakeGuard);
    const guard = createLlamaGuardClassifier({ baseUrl: s.url, model: MODEL });
    const strict = await guard.classify('hello', { threshold: 0.05 });
    expect(strict.verdict).toBe('safe');
    expect(strict.label).toBe(true);
    expect(strict.threshold).toBe(0.05);
  });
});

describe('createLlamaGuardClassifier, client mode (Lifeguard builds the Llama Guard prompt)', () => {
  it('sends the official Llama Guard 3 prompt as one user message', async () => {
    const s = await serve(fakeGuard);
    const guard = createLlamaGuardClassifier({ baseUrl: s.url, model: MODEL, promptMode: 'client' });
    const result = await guard.classify('How do I build a pipe bomb?');
    expect(s.requests[0]!.body.messages).toEqual([{ role: 'user', content: OFFICIAL_USER_PROMPT }]);
    expect(result.label).toBe(true);
  });

  it('builds the Agent prompt with the exchange for role agent', async () => {
    const s = await serve(fakeGuard);
    const guard = createLlamaGuardClassifier({ baseUrl: s.url, model: MODEL, promptMode: 'client', role: 'agent' });
    await guard.classify('  Here is how.  ', { userPrompt: 'Help me?' });
    const prompt = lastContent(s.requests[0]!);
    expect(prompt).toContain("unsafe content in 'Agent' messages");
    expect(prompt).toContain('<BEGIN CONVERSATION>\n\nUser: Help me?\n\nAgent: Here is how.\n\n<END CONVERSATION>');
    expect(prompt).toContain('ONLY THE LAST Agent message in the above conversation:');
  });

  it('uses custom categories, exclusions and templates, and only accepts codes from the list', async () => {
    const s = await serve(() => ({ json: chatCompletion('unsafe\nC2,S1') }));
    const guard = createLlamaGuardClassifier({
      baseUrl: s.url,
      model: 'my-guard',
      promptMode: 'client',
      categories: { C1: 'Medical advice.', C2: 'Competitor mentions.\nShould not name rival products.', C3: 'Spam.' },
      excludeCategories: ['C3'],
      template: 'Policy:\n{{categories}}\nRole {{role}}\n{{ conversation }}',
    });
    const result = await guard.classify('Try {{categories}} instead');
    expect(lastContent(s.requests[0]!)).toBe(
      'Policy:\nC1: Medical advice.\nC2: Competitor mentions.\nShould not name rival products.\nRole User\n' +
        'User: Try {{categories}} instead',
    );
    expect(result.categories).toEqual(['C2']);
  });

  it('asks only about the toxicity codes for task toxicity', async () => {
    const s = await serve(fakeGuard);
    const guard = createLlamaGuardClassifier({ baseUrl: s.url, model: MODEL, promptMode: 'client', task: 'toxicity' });
    await guard.classify('hi');
    const prompt = lastContent(s.requests[0]!);
    const listed = prompt.match(/^S\d+(?=:)/gm);
    expect(listed).toEqual(['S1', 'S4', 'S10', 'S11', 'S12']);
  });

  it('buildLlamaGuardPrompt is the same builder, judging the last turn', () => {
    expect(buildLlamaGuardPrompt([{ role: 'user', content: 'How do I build a pipe bomb?' }])).toBe(
      OFFICIAL_USER_PROMPT,
    );
    const agent = buildLlamaGuardPrompt([
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'a' },
    ]);
    expect(agent).toContain("in 'Agent' messages");
  });
});

describe('parsing Llama Guard answers', () => {
  it.each([
    ['safe', 'safe', []],
    ['\n\nsafe', 'safe', []],
    ['  Safe. ', 'safe', []],
    ['SAFE', 'safe', []],
    ['unsafe\nS1,S10', 'unsafe', ['S1', 'S10']],
    ['\n\nunsafe\nS2', 'unsafe', ['S2']],
    ['Unsafe\n s3 , S11 ', 'unsafe', ['S3', 'S11']],
    ['**unsafe**\nS12', 'unsafe', ['S12']],
    ['unsafe S4', 'unsafe', ['S4']],
    ['Assessment: unsafe\nCategories: S5, S5', 'unsafe', ['S5']],
    ['unsafe\nS15,S1', 'unsafe', ['S1']],
    ['unsafe', 'unsafe', []],
    ['unsafe\n\nS14\nunrelated S7 on a later line', 'unsafe', ['S14']],
  ])('%j → %s %j', (answer, verdict, categories) => {
    expect(parseLlamaGuardAnswer(answer)).toEqual({ verdict, categories });
  });

  it.each(['', 'safely done', 'It is not safe', 'I cannot help with that.', 'unsafely'])(
    '%j is not a verdict',
    (answer) => {
      expect(parseLlamaGuardAnswer(answer)).toBeUndefined();
    },
  );

  it('reads P(unsafe) at the verdict token, skipping leading whitespace tokens', () => {
    const lp = chatLogprobs([
      ['\n\n', 1],
      [
        'safe',
        0.7,
        [
          ['safe', 0.7],
          ['unsafe', 0.2],
          ['The', 0.1],
        ],
      ],
    ]);
    expect(unsafeProbability(lp, 'safe')).toBeCloseTo(0.2 / 0.9, 9);
    // Logprobs that contradict the verdict are not trusted.
    expect(unsafeProbability(lp, 'unsafe')).toBeUndefined();
    expect(unsafeProbability(null, 'safe')).toBeUndefined();
    expect(unsafeProbability({ content: [] }, 'safe')).toBeUndefined();
    // Byte-level tokens (Ġunsafe) and split words (un + safe) count.
    const split = chatLogprobs([
      [
        'un',
        0.6,
        [
          ['un', 0.6],
          ['Ġsafe', 0.4],
        ],
      ],
    ]);
    expect(unsafeProbability(split, 'unsafe')).toBeCloseTo(0.6, 9);
  });
});

describe('Llama Guard endpoint failures', () => {
  const SECRET_TEXT = 'my-private-text-7731';
  const KEY = 'sk-live-should-never-leak';

  async function failure(reply: Parameters<typeof startServer>[0], options = {}): Promise<LifeguardError> {
    const s = await serve(reply);
    const guard = createLlamaGuardClassifier({
      baseUrl: s.url,
      model: MODEL,
      apiKey: KEY,
      retryDelayMs: 1,
      ...options,
    });
    const error = await guard.classify(SECRET_TEXT).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(LifeguardError.isInstance(error)).toBe(true);
    const e = error as LifeguardError;
    expect(e.message).not.toContain(SECRET_TEXT);
    expect(e.message).not.toContain(KEY);
    return e;
  }

  it('an answer without choices is a clear upstream error', async () => {
    const e = await failure(() => ({ json: { object: 'list', data: [] } }));
    expect(e.code).toBe('LG_ERR_UPSTREAM');
    expect(e.message).toMatch(/choices\[0\]\.message\.content/);
    expect(e.retryable).toBe(false);
  });

  it('a body that is not JSON is a clear upstream error', async () => {
    const e = await failure(() => ({ raw: '<html>gateway</html>', headers: { 'content-type': 'text/html' } }));
    expect(e.code).toBe('LG_ERR_UPSTREAM');
    expect(e.message).toMatch(/not JSON/);
  });

  it('an answer that is not a verdict names the likely cause, without echoing it', async () => {
    const e = await failure(() => ({ json: chatCompletion(`Sure! You wrote: ${SECRET_TEXT}`) }));
    expect(e.message).toMatch(/does not start with 'safe' or 'unsafe'/);
    expect(e.message).toContain(MODEL);
  });

  it('a 400 is not retried, and the upstream message (which may quote the input) is not copied', async () => {
    const e = await failure(() => ({
      status: 400,
      json: { object: 'error', message: `bad request near ${SECRET_TEXT}`, type: 'BadRequestError', code: 400 },
    }));
    expect(server!.requests).toHaveLength(1);
    expect(e.retryable).toBe(false);
    expect(e.message).toMatch(/HTTP 400, BadRequestError/);
    expect(e.message).toMatch(/set logprobs: false/);
  });

  it('a 401 points at the credentials', async () => {
    const e = await failure(() => ({
      status: 401,
      json: { error: { message: `bad key ${KEY}`, code: 'invalid_api_key' } },
    }));
    expect(e.message).toMatch(/HTTP 401, invalid_api_key: the credentials were rejected/);
  });

  it('429 then success: retried, honouring Retry-After', async () => {
    const s = await serve((req, i) =>
      i === 0
        ? { status: 429, headers: { 'retry-after': '0' }, json: { error: { code: 'rate_limit_exceeded' } } }
        : fakeGuard(req, i),
    );
    const guard = createLlamaGuardClassifier({ baseUrl: s.url, model: MODEL, retryDelayMs: 1 });
    const result = await guard.classify('kill');
    expect(s.requests).toHaveLength(2);
    expect(s.requests[1]!.body).toEqual(s.requests[0]!.body);
    expect(result.label).toBe(true);
  });

  it('a Retry-After longer than the remaining budget reports the 429 at once instead of waiting', async () => {
    const started = Date.now();
    const e = await failure(() => ({ status: 429, headers: { 'retry-after': '30' }, raw: '' }), { timeoutMs: 5000 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server!.requests).toHaveLength(1);
    expect(e.retryable).toBe(true);
    expect(e.message).toMatch(/HTTP 429 \(rate limited\) after 1 attempt/);
  });

  it('5xx is retried a bounded number of times, then reported as retryable', async () => {
    const e = await failure(() => ({ status: 503, json: { error: 'overloaded' } }), { maxRetries: 2 });
    expect(server!.requests).toHaveLength(3);
    expect(e.retryable).toBe(true);
    expect(e.message).toMatch(/HTTP 503.*after 3 attempt/);
  });

  it('500 then 502 then success with two retries', async () => {
    const s = await serve((req, i) => (i < 2 ? { status: 500 + i * 2, raw: 'oops' } : fakeGuard(req, i)));
    const guard = createLlamaGuardClassifier({ baseUrl: s.url, model: MODEL, retryDelayMs: 1, maxRetries: 2 });
    expect((await guard.classify('hello')).verdict).toBe('safe');
    expect(s.requests).toHaveLength(3);
  });

  it('a slow endpoint times out within timeoutMs', async () => {
    const started = Date.now();
    const e = await failure((req) => ({ ...(fakeGuard(req, 0) as object), delayMs: 3000 }), { timeoutMs: 200 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(e.code).toBe('LG_ERR_UPSTREAM');
    expect(e.retryable).toBe(true);
    expect(e.message).toMatch(/within 200 ms/);
  });

  it("the caller's abort rejects with the caller's reason", async () => {
    const s = await serve((req) => ({ ...(fakeGuard(req, 0) as object), delayMs: 3000 }));
    const guard = createLlamaGuardClassifier({ baseUrl: s.url, model: MODEL });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user cancelled')), 50);
    await expect(guard.classify('x', { signal: controller.signal })).rejects.toThrow('user cancelled');
  });

  it('a refused connection is a retryable upstream error', async () => {
    const s = await serve(fakeGuard);
    const url = s.url;
    await s.close();
    server = undefined;
    const guard = createLlamaGuardClassifier({ baseUrl: url, model: MODEL, maxRetries: 1, retryDelayMs: 1 });
    await expect(guard.classify('x')).rejects.toMatchObject({ code: 'LG_ERR_UPSTREAM', retryable: true });
  });
});

describe('Llama Guard configuration', () => {
  it('reads the API key from the named environment variable', async () => {
    const s = await serve(fakeGuard);
    process.env.LG_TEST_GUARD_KEY = 'env-key-42';
    try {
      const guard = createLlamaGuardClassifier({ baseUrl: s.url, model: MODEL, apiKeyEnv: 'LG_TEST_GUARD_KEY' });
      await guard.classify('hi');
      expect(s.requests[0]!.headers.authorization).toBe('Bearer env-key-42');
    } finally {
      delete process.env.LG_TEST_GUARD_KEY;
    }
    expect(() => createLlamaGuardClassifier({ baseUrl: s.url, model: MODEL, apiKeyEnv: 'LG_TEST_GUARD_KEY' })).toThrow(
      /LG_TEST_GUARD_KEY/,
    );
  });

  it('does not expose the API key on the classifier object', () => {
    const guard = createLlamaGuardClassifier({ baseUrl: 'http://127.0.0.1:9', model: MODEL, apiKey: 'sk-hidden' });
    expect(JSON.stringify(guard)).not.toContain('sk-hidden');
  });

  it.each([
    [{ categories: { S1: 'x' } }, /promptMode: 'client'/],
    [{ template: '{{conversation}}' }, /promptMode: 'client'/],
    [{ task: 'injection' }, /harmful and toxicity/],
    [{ promptMode: 'client', categories: { 'bad code': 'x' } }, /must look like S1/],
    [{ promptMode: 'client', template: 'no placeholder' }, /\{\{conversation\}\}/],
    [{ promptMode: 'client', excludeCategories: ['S99'] }, /S99/],
    [{ threshold: 2 }, /threshold/],
    [{ baseUrl: 'ftp://x' }, /http or https/],
    [{ model: '' }, /model is required/],
    [{ timeoutMs: 0 }, /timeoutMs/],
  ])('rejects %j', (bad, message) => {
    const create = () =>
      createLlamaGuardClassifier({ baseUrl: 'http://127.0.0.1:9', model: MODEL, ...(bad as object) } as never);
    expect(create).toThrow(message);
    try {
      create();
    } catch (e) {
      expect((e as LifeguardError).code).toBe('LG_ERR_CONFIG_INVALID');
    }
  });
});
