/**
 * QA pass 3 on the guard library: the check cache, tool rules, tool-call arguments, legacy and custom tool-call
 * formats in a request, malformed arguments, long secrets in a stream, and backend timeouts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LifeguardError } from '../../src/core/errors.js';
import { createGuard, GuardSession } from '../../src/guard/index.js';

const TOKEN = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
const fired = (r: { decisions: { fired: boolean; check: string }[] }) =>
  r.decisions.filter((d) => d.fired).map((d) => d.check);

describe('the check cache', () => {
  it('keeps each check of a stage apart when two run the same detector with different settings', async () => {
    const guard = createGuard({
      input: [
        { check: 'secrets', action: 'log' },
        { check: 'secrets', action: 'block', entities: ['GITHUB_TOKEN'] },
      ],
    });
    // The second check read the first's cached result: the block became a log, on the very first call.
    for (let turn = 0; turn < 2; turn++) {
      const r = await guard.checkInput(`my token ${TOKEN}`, { session: new GuardSession() });
      expect(r.blocked).toBe(true);
      expect(r.decisions.map((d) => d.action)).toEqual(['log', 'block']);
    }
  });
});

describe('tool rules', () => {
  const guard = createGuard({
    tools: { delete_file: { deny: true }, shell: { denyArgs: ['rm -rf'] }, send: { untrustedDestinations: 'block' } },
    tool: [{ check: 'secrets', action: 'block' }],
  });

  it('do not crash on tool names that are Object.prototype keys', async () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const r = await guard.checkToolCall(name, '{}');
      expect(r.blocked).toBe(false);
    }
  });

  it('refuse a policy whose check or backend is only an Object.prototype key', () => {
    expect(() => createGuard({ input: [{ check: 'toString', action: 'block' }] })).toThrow(/unknown check/);
    expect(() => createGuard({ input: [{ check: 'secrets', action: 'block', backend: 'constructor' }] })).toThrow(
      /unknown backend/,
    );
  });

  it('match a denied tool whatever its case, spaces or invisible characters', async () => {
    for (const name of ['Delete_File', ' delete_file', 'delete_file\n', 'delete\u200b_file', 'ｄｅｌｅｔｅ_file']) {
      expect((await guard.checkToolCall(name, '{}')).blocked, JSON.stringify(name)).toBe(true);
    }
    expect((await guard.checkToolCall('read_file', '{}')).blocked).toBe(false);
  });

  it('read the decoded JSON of the arguments: escapes hide neither denied strings, secrets nor destinations', async () => {
    expect((await guard.checkToolCall('shell', '{"cmd":"rm \\u002drf /"}')).blocked).toBe(true);
    const escapedToken = `{"t":"\\u0067${TOKEN.slice(1)}"}`;
    expect(fired(await guard.checkToolCall('other', escapedToken))).toContain('secrets');
    const r = await guard.checkToolCall('send', '{"to":"mallory\\u0040evil.example"}');
    expect(fired(r)).toContain('tool:send:destinations');
    // Plain arguments are read as before.
    expect((await guard.checkToolCall('shell', '{"cmd":"ls -la"}')).blocked).toBe(false);
  });

  it('walks deeply nested arguments without overflowing the stack', async () => {
    const deep = `${'['.repeat(5000)}"\\u0072m -rf"${']'.repeat(5000)}`;
    expect((await guard.checkToolCall('shell', deep)).blocked).toBe(true);
  });
});

describe('checkInput and the tool-call formats of a conversation', () => {
  const guard = createGuard({
    context: [{ check: 'secrets', action: 'block' }],
    tools: { delete_file: { deny: true } },
  });

  it('checks a legacy `function` message as a tool result (context)', async () => {
    const r = await guard.checkInput([
      { role: 'user', content: 'What does the page say?' },
      { role: 'function', name: 'fetch', content: `the key is ${TOKEN}` },
    ]);
    expect(r.blocked).toBe(true);
  });

  it('checks earlier legacy `function_call`s and custom tool calls like tool calls', async () => {
    const legacy = await guard.checkInput([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: null, function_call: { name: 'delete_file', arguments: '{}' } } as never,
    ]);
    expect(legacy.blocked).toBe(true);
    const custom = await guard.checkInput([
      { role: 'user', content: 'hi' },
      {
        role: 'assistant',
        tool_calls: [{ id: 'c1', type: 'custom', custom: { name: 'delete_file', input: '/' } }] as never,
      },
    ]);
    expect(custom.blocked).toBe(true);
  });

  it('refuses what it cannot read with LG_ERR_INPUT_INVALID instead of passing it on unchecked', async () => {
    const bad: unknown[] = [
      [{ role: 'user', content: { text: `the key is ${TOKEN}` } }],
      [{ role: 'user', content: [{ type: 'text', text: 42 }] }],
      [{ role: 'assistant', tool_calls: {} }],
      [null],
      [{ content: 'no role' }],
    ];
    for (const messages of bad) {
      const e = await guard.checkInput(messages as never).catch((x: unknown) => x);
      expect(LifeguardError.isInstance(e) && e.code, JSON.stringify(messages)).toBe('LG_ERR_INPUT_INVALID');
    }
    for (const text of [undefined, 42, null]) {
      const e = await guard.checkOutput(text as never).catch((x: unknown) => x);
      expect(LifeguardError.isInstance(e) && e.code).toBe('LG_ERR_INPUT_INVALID');
      const s = await guard
        .stream()
        .push(text as never)
        .catch((x: unknown) => x);
      expect(LifeguardError.isInstance(s) && s.code).toBe('LG_ERR_INPUT_INVALID');
    }
  });
});

describe('a streamed answer with a long secret', () => {
  const guard = createGuard({ output: [{ check: 'secrets', action: 'block' }] });

  async function released(text: string, size: number): Promise<{ out: string; stopped: boolean }> {
    const s = guard.stream();
    let out = '';
    for (let i = 0; i < text.length; i += size) {
      const r = await s.push(text.slice(i, i + size));
      out += r.text;
      if (r.stopped) return { out, stopped: true };
    }
    const end = await s.end();
    return { out: out + end.text, stopped: end.stopped !== undefined };
  }

  it('releases no line of a private key before the check that sees it whole stops the answer', async () => {
    const body = 'MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi8Zt9kGfR1BbQ5bJm0o2Kx5fQ7\n'.repeat(25);
    const pem = `Here is the key:\n-----BEGIN RSA PRIVATE KEY-----\n${body}-----END RSA PRIVATE KEY-----\nDone.`;
    for (const size of [1, 7, 200]) {
      const r = await released(pem, size);
      expect(r.stopped).toBe(true);
      expect(r.out).not.toContain('MIIEpAIBAAKCAQEA');
    }
  });

  it('releases no part of a JWT before it is complete', async () => {
    const jwt = `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.${'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ'.repeat(4)}.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c`;
    const r = await released(`${'Some words before it. '.repeat(10)}${jwt} end`, 1);
    expect(r.stopped).toBe(true);
    expect(r.out).not.toContain('eyJhbGci');
  });

  it('still releases ordinary text as it comes, and a long answer whole', async () => {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(200);
    const s = guard.stream();
    let early = '';
    for (let i = 0; i < text.length; i += 20) early += (await s.push(text.slice(i, i + 20))).text;
    expect(early.length).toBeGreaterThan(text.length - 400);
    expect(early + (await s.end()).text).toBe(text);
  });

  it('streams text written without spaces (Chinese) as it comes, not held back as one long run', async () => {
    const text = '今天天气很好，我们去公园散步吧。'.repeat(150);
    const s = guard.stream();
    let early = '';
    for (let i = 0; i < text.length; i += 20) early += (await s.push(text.slice(i, i + 20))).text;
    expect(early.length).toBeGreaterThan(text.length - 400);
    expect(early + (await s.end()).text).toBe(text);
  });
});

describe('an external backend that does not answer in time', () => {
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    server = createServer(() => {}); // never answers
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('says so in the decision (not "This operation was aborted")', async () => {
    const guard = createGuard({
      backends: { lg: { type: 'llama-guard', baseUrl, model: 'lg' } },
      input: [{ check: 'lg', action: 'block', timeoutMs: 150 }],
    });
    const r = await guard.checkInput('hello');
    expect(r.blocked).toBe(true);
    expect(r.decisions[0].error).toBe('check lg: no answer from its backend within 150 ms (timeoutMs)');
  });
});
