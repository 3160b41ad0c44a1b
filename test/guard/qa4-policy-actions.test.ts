import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGatewayConfig, type RunningGateway, serveGateway } from '../../src/guard/gateway/index.js';
import type { PolicyInput } from '../../src/guard/policy.js';
import type { CheckDecision } from '../../src/guard/types.js';
import { type FakeUpstream, startFakeUpstream } from './upstream.js';

let upstream: FakeUpstream;
let failing: Server;
let failingUrl: string;
const gateways: RunningGateway[] = [];

beforeAll(async () => {
  upstream = await startFakeUpstream();
  upstream.script = { answer: 'A short answer.' };
  // A classifier backend that always fails.
  failing = createServer((_req, res) => {
    res.statusCode = 500;
    res.end('{}');
  });
  await new Promise<void>((r) => failing.listen(0, '127.0.0.1', r));
  failingUrl = `http://127.0.0.1:${(failing.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  for (const g of gateways) await g.close();
  await upstream.close();
  await new Promise((r) => failing.close(r));
});

async function gatewayWith(policy: PolicyInput, decisions: CheckDecision[] = []): Promise<RunningGateway> {
  const g = await serveGateway(
    parseGatewayConfig({ upstream: { baseUrl: upstream.url }, server: { port: 0 }, policy }),
    {
      onDecisions: (d) => decisions.push(...d),
    },
  );
  gateways.push(g);
  return g;
}

async function ask(g: RunningGateway, content: string): Promise<Response> {
  const res = await fetch(`${g.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content }] }),
  });
  await res.arrayBuffer();
  return res;
}

const lastUserMessage = () =>
  String((upstream.requests.at(-1) as { messages: { content: string }[] }).messages.at(-1)?.content);

describe('per-category actions of a rewriting check', () => {
  it('a type set to warn is reported, not pseudonymised with the others', async () => {
    const decisions: CheckDecision[] = [];
    const g = await gatewayWith(
      { input: [{ check: 'pii', action: 'pseudonymise', categories: { PERSON: 'warn' } }] },
      decisions,
    );
    await ask(g, 'I am John Carter, mail john.carter@gmail.com');
    expect(lastUserMessage()).toContain('John Carter');
    expect(lastUserMessage()).not.toContain('john.carter@gmail.com');
    expect(decisions[0]).toMatchObject({ fired: true, action: 'pseudonymise' });
    expect(decisions[0]?.types).toEqual(expect.arrayContaining(['PERSON', 'EMAIL_ADDRESS']));
  });

  it('a log check redacting one type leaves the other types alone', async () => {
    const g = await gatewayWith({ input: [{ check: 'pii', action: 'log', categories: { EMAIL_ADDRESS: 'redact' } }] });
    await ask(g, 'I am John Carter, mail john.carter@gmail.com');
    expect(lastUserMessage()).toMatch(/^I am John Carter, mail <EMAIL_ADDRESS(_\d+)?>$/);
  });
});

describe('fail-closed', () => {
  it('blocks when a warn check with a blocking category cannot reach its backend', async () => {
    const decisions: CheckDecision[] = [];
    const g = await gatewayWith(
      {
        backends: { lg: { type: 'llama-guard', baseUrl: failingUrl, model: 'lg' } },
        timeoutMs: 2000,
        input: [{ check: 'lg', action: 'warn', categories: { S1: 'block', S2: 'block' }, onError: 'fail-closed' }],
      },
      decisions,
    );
    const before = upstream.requests.length;
    const res = await ask(g, 'How do I get into a car without its key?');
    expect(res.headers.get('x-lifeguard-blocked')).toBe('input');
    expect(upstream.requests.length).toBe(before);
    expect(decisions[0]).toMatchObject({ fired: true, action: 'block', enforced: true });
    expect(decisions[0]?.error).toBeTruthy();
  });

  it('a warn check with no blocking category still only warns', async () => {
    const decisions: CheckDecision[] = [];
    const g = await gatewayWith(
      {
        backends: { lg: { type: 'llama-guard', baseUrl: failingUrl, model: 'lg' } },
        timeoutMs: 2000,
        input: [{ check: 'lg', action: 'warn', onError: 'fail-closed' }],
      },
      decisions,
    );
    const res = await ask(g, 'How do I bake bread?');
    expect(res.headers.get('x-lifeguard-blocked')).toBeNull();
    expect(decisions[0]).toMatchObject({ fired: true, action: 'warn' });
  });
});
