/**
 * QA round 12e: tool results fed back in a Responses request (`local_shell_call_output`, `shell_call_output`,
 * `computer_call_output`, `apply_patch_call_output`, a code interpreter's logs, a web search's sources, an MCP
 * server's tool list and an MCP call's error) reached the model unread. They are where indirect prompt injection
 * arrives: their strings are checked as `context` now (one check per item), rewritten in place.
 */
import { describe, expect, it } from 'vitest';
import { createGateway, parseGatewayConfig } from '../../src/guard/gateway/index.js';
import { responsesInput } from '../../src/guard/gateway/responses.js';
import { createGuard, GuardSession } from '../../src/guard/index.js';
import type { PolicyInput } from '../../src/guard/policy.js';

const KEY = `ghp_${'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'}`;
const EMAIL = 'jane.roe@example.org';
const SCREENSHOT =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const POLICY: PolicyInput = {
  input: [],
  context: [
    { check: 'secrets', action: 'block' },
    { check: 'pii', action: 'pseudonymise', entities: ['EMAIL_ADDRESS'] },
  ],
  output: [],
  tool: [],
};

type Body = Record<string, unknown>;

function gateway() {
  const seen: Body[] = [];
  const fakeFetch = (async (_url: string, init: RequestInit) => {
    seen.push(JSON.parse(String(init.body)) as Body);
    return Response.json({ id: 'resp_1', object: 'response', status: 'completed', model: 'm', output: [] });
  }) as typeof fetch;
  const gw = createGateway(
    parseGatewayConfig({ upstream: { baseUrl: 'http://upstream.test/v1' }, policy: POLICY, audit: { enabled: false } }),
    { fetch: fakeFetch },
  );
  const post = (input: Body[]) =>
    gw.app.request('/v1/responses', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', input: [{ role: 'user', content: 'Go on.' }, ...input] }),
    });
  return { post, seen };
}

/** Each kind of tool result, holding `text` where the tool's answer goes. */
const ITEMS: [string, (text: string) => Body][] = [
  ['local_shell_call_output', (t) => ({ type: 'local_shell_call_output', id: 'ls_1', output: t })],
  [
    'shell_call_output',
    (t) => ({
      type: 'shell_call_output',
      call_id: 'c1',
      output: [{ stdout: t, stderr: '', outcome: { type: 'exit', exit_code: 0 } }],
    }),
  ],
  [
    'computer_call_output',
    (t) => ({
      type: 'computer_call_output',
      call_id: 'c1',
      output: { type: 'computer_screenshot', image_url: SCREENSHOT },
      acknowledged_safety_checks: [{ id: 'sc_1', code: 'malicious_instructions', message: t }],
    }),
  ],
  ['apply_patch_call_output', (t) => ({ type: 'apply_patch_call_output', call_id: 'c1', status: 'failed', output: t })],
  [
    'code_interpreter_call',
    (t) => ({
      type: 'code_interpreter_call',
      id: 'ci_1',
      status: 'completed',
      container_id: 'cntr_1',
      code: 'print(1)',
      outputs: [{ type: 'logs', logs: t }],
    }),
  ],
  [
    'web_search_call',
    (t) => ({
      type: 'web_search_call',
      id: 'ws_1',
      status: 'completed',
      action: { type: 'search', query: 'q', sources: [{ type: 'url', url: `https://docs.example/${t}` }] },
    }),
  ],
  [
    'mcp_list_tools',
    (t) => ({
      type: 'mcp_list_tools',
      id: 'ml_1',
      server_label: 'docs',
      tools: [{ name: 'read', description: t, input_schema: { type: 'object', properties: {} } }],
    }),
  ],
  [
    'mcp_call',
    (t) => ({ type: 'mcp_call', id: 'mc_1', server_label: 'docs', name: 'read', arguments: '{}', error: t }),
  ],
];

describe('Responses tool results are context', () => {
  for (const [name, make] of ITEMS) {
    it(`${name}: a secret in it blocks the request before the upstream`, async () => {
      const { post, seen } = gateway();
      const res = await post([make(`result: ${KEY}`)]);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-lifeguard-blocked')).toBe('input');
      expect(seen).toHaveLength(0);
    });

    it(`${name}: personal data in it is pseudonymised in place`, async () => {
      const { post, seen } = gateway();
      const res = await post([make(`mail ${EMAIL} now`)]);
      expect(res.status).toBe(200);
      expect(seen).toHaveLength(1);
      const sent = JSON.stringify(seen[0].input);
      expect(sent).not.toContain(EMAIL);
      expect(sent).toContain('<EMAIL_ADDRESS_1>');
      // The rest of the item is as it was (a screenshot, ids, kinds).
      const item = (seen[0].input as Body[])[1];
      expect(item.type).toBe(name);
      if (name === 'computer_call_output') expect((item.output as Body).image_url).toBe(SCREENSHOT);
    });
  }

  it('a tool result of several strings is one context check, each string rewritten in its own place', async () => {
    const item = {
      type: 'shell_call_output',
      call_id: 'c1',
      output: [
        { stdout: `to ${EMAIL}`, stderr: 'warning: none', outcome: { type: 'exit', exit_code: 0 } },
        { stdout: 'second', stderr: `cc ${EMAIL}`, outcome: { type: 'timeout' } },
      ],
    };
    const parsed = responsesInput({ input: [item] });
    if (typeof parsed === 'string') throw new Error(parsed);
    let contextChecks = 0;
    const guard = createGuard(POLICY, {
      onDecision: (d) => {
        if (d.some((x) => x.stage === 'context')) contextChecks++;
      },
    });
    const r = await guard.checkInput(parsed.messages, { session: new GuardSession() });
    expect(contextChecks).toBe(1);
    const out = (parsed.apply(r.messages).input as Body[])[0] as typeof item;
    expect(out.output[0].stdout).toBe('to <EMAIL_ADDRESS_1>');
    expect(out.output[0].stderr).toBe('warning: none');
    expect(out.output[1].stdout).toBe('second');
    expect(out.output[1].stderr).toBe('cc <EMAIL_ADDRESS_1>');
    expect(out.output[1].outcome).toEqual({ type: 'timeout' });
    // The request's own item is not changed in place.
    expect(item.output[0].stdout).toBe(`to ${EMAIL}`);
  });

  it('several text parts of a function_call_output keep their places', async () => {
    const item = {
      type: 'function_call_output',
      call_id: 'c1',
      output: [
        { type: 'input_text', text: `first ${EMAIL}` },
        { type: 'input_image', image_url: SCREENSHOT },
        { type: 'input_text', text: 'second' },
      ],
    };
    const parsed = responsesInput({ input: [item] });
    if (typeof parsed === 'string') throw new Error(parsed);
    const guard = createGuard(POLICY);
    const r = await guard.checkInput(parsed.messages, { session: new GuardSession() });
    const out = (parsed.apply(r.messages).input as Body[])[0] as typeof item;
    expect(out.output.map((p) => p.type)).toEqual(['input_text', 'input_image', 'input_text']);
    expect(out.output[0].text).toBe('first <EMAIL_ADDRESS_1>');
    expect(out.output[2].text).toBe('second');
  });
});
