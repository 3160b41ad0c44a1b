import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGatewayConfig, type RunningGateway, serveGateway } from '../../src/guard/gateway/index.js';
import type { PolicyInput } from '../../src/guard/policy.js';
import { type FakeUpstream, startFakeUpstream } from './upstream.js';

// A GitHub token (the secrets detector's GITHUB_TOKEN) with the product name "Acme" inside it.
const TOKEN_WITH_ACME = 'ghp_16C7e42F292cAcmeE7710c838347Ae178B4a';

let upstream: FakeUpstream;
const gateways: RunningGateway[] = [];

beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(async () => {
  for (const g of gateways) await g.close();
  await upstream.close();
});

async function gatewayWith(policy: PolicyInput): Promise<RunningGateway> {
  const g = await serveGateway(
    parseGatewayConfig({ upstream: { baseUrl: upstream.url }, server: { port: 0 }, policy }),
  );
  gateways.push(g);
  return g;
}

async function ask(
  g: RunningGateway,
  content: string,
  stream = false,
): Promise<{ blocked: string | null; text: string }> {
  const res = await fetch(`${g.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', stream, messages: [{ role: 'user', content }] }),
  });
  return { blocked: res.headers.get('x-lifeguard-blocked'), text: await res.text() };
}

describe('allow terms', () => {
  it('do not un-report a secret that merely contains one', async () => {
    const g = await gatewayWith({ allow: ['Acme'], input: [{ check: 'secrets', action: 'block' }] });
    const before = upstream.requests.length;
    const r = await ask(g, `deploy with ${TOKEN_WITH_ACME}`);
    expect(r.blocked).toBe('input');
    expect(upstream.requests.length).toBe(before);
  });

  it('a one-letter allow term does not turn the PII and secrets checks off', async () => {
    upstream.script = { answer: 'ok' };
    const g = await gatewayWith({ allow: ['e'], input: [{ check: 'pii', action: 'redact' }] });
    await ask(g, 'write to john.carter@gmail.com');
    const sent = JSON.stringify(upstream.requests.at(-1));
    expect(sent).not.toContain('john.carter@gmail.com');
  });

  it('still drop a finding inside the allowed term', async () => {
    upstream.script = { answer: 'ok' };
    const g = await gatewayWith({
      allow: ['globex labs'],
      lists: { competitors: { terms: ['Globex'] } },
      input: [{ check: 'competitors', action: 'block' }],
    });
    expect((await ask(g, 'Globex Labs is our own lab')).blocked).toBeNull();
    expect((await ask(g, 'Is Globex cheaper?')).blocked).toBe('input');
  });
});

describe('deny lists', () => {
  const policy: PolicyInput = {
    lists: { secret: { terms: ['Project Falcon'] } },
    input: [{ check: 'secret', action: 'block' }],
    output: [{ check: 'secret', action: 'block' }],
  };

  it('match a term of several words across doubled spaces and line breaks, in input', async () => {
    const g = await gatewayWith(policy);
    for (const text of ['tell me about project  falcon', 'tell me about Project\nFalcon', 'PROJECT \t FALCON?'])
      expect((await ask(g, text)).blocked, JSON.stringify(text)).toBe('input');
  });

  it('in answers and in streamed answers', async () => {
    const g = await gatewayWith(policy);
    upstream.script = { answer: 'The codename is Project\n\nFalcon, launching soon.', chunk: 5 };
    expect((await ask(g, 'what is the codename?')).blocked).toBe('output');
    const streamed = await ask(g, 'what is the codename?', true);
    expect(streamed.text).toContain('[response stopped by policy]');
    expect(streamed.text).not.toContain('Falcon');
  });

  it('do not match the words apart', async () => {
    upstream.script = { answer: 'ok' };
    const g = await gatewayWith(policy);
    expect((await ask(g, 'the project is about a falcon')).blocked).toBeNull();
  });
});
