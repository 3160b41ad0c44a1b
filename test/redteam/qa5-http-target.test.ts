/**
 * QA pass 5: the generic HTTP and OpenAI targets.
 * - A string body with a placeholder inside a longer JSON string (`{"q": "User says: {{prompt}}"}`) was sent
 *   as `{"q": "User says: "…""}`: invalid JSON (the placeholder became a quoted JSON string inside a string).
 * - Config headers written in the usual case (`Content-Type`, `Accept`) were sent beside our lower-case
 *   defaults instead of replacing them: two Content-Type headers, of which Node keeps the first (ours).
 * - A body that is not JSON failed with "the answer is not JSON" and nothing else; it now says how it starts.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTargetConnections, createTarget } from '../../src/redteam/targets/index.js';
import { fillText } from '../../src/redteam/targets/template.js';

interface Seen {
  raw: string;
  rawHeaders: string[];
}

let url = '';
let reply: { status?: number; body: string } = { body: '{"a":"ok"}' };
const seen: Seen[] = [];
const server = createServer((req: IncomingMessage, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    seen.push({ raw: Buffer.concat(chunks).toString('utf8'), rawHeaders: req.rawHeaders });
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
    res.end(reply.body);
  });
});

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await closeTargetConnections();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const PROMPT = 'Say "hi" \\ {{system}} $& \n ünï 🎉';

describe('string body templates', () => {
  it('a placeholder inside a longer JSON string is escaped text, and the body stays valid JSON', async () => {
    reply = { body: '{"a":"ok"}' };
    const t = createTarget({
      type: 'http',
      url: `${url}/x`,
      body: '{"q": "User says: {{prompt}} (seed {{seed}})", "whole": "{{prompt}}", "bare": {{seed}}, "m": {{messages}}, "sys": "[{{system}}]"}',
      system: 'Be "nice"',
      responsePath: '$.a',
    });
    await t.send({ messages: [{ role: 'user', content: PROMPT }], seed: 7 });
    const body = JSON.parse(seen.at(-1)?.raw ?? '');
    expect(body).toEqual({
      q: `User says: ${PROMPT} (seed 7)`,
      whole: PROMPT,
      bare: 7,
      m: [
        { role: 'system', content: 'Be "nice"' },
        { role: 'user', content: PROMPT },
      ],
      sys: '[Be "nice"]',
    });
  });

  it('fillText: escaped quotes, several placeholders in one string, a whole-string value that is a list', () => {
    const vars = { prompt: 'a "b"', messages: [{ role: 'user', content: 'x' }], seed: 3, system: '' };
    expect(JSON.parse(fillText('{"k": "say \\"{{prompt}}\\" now", "two": "{{prompt}}{{seed}}"}', vars))).toEqual({
      k: 'say "a "b"" now',
      two: 'a "b"3',
    });
    expect(JSON.parse(fillText('{"m": "{{messages}}", "n": "all: {{messages}}"}', vars))).toEqual({
      m: [{ role: 'user', content: 'x' }],
      n: 'all: [{"role":"user","content":"x"}]',
    });
    expect(JSON.parse(fillText('{"q": {{prompt}}, "s": "{{session_id}}"}', vars))).toEqual({ q: 'a "b"', s: null });
    expect(fillText('{"no": "placeholders"}', vars)).toBe('{"no": "placeholders"}');
  });
});

describe('request headers', () => {
  const count = (h: string[], name: string) => h.filter((x, i) => i % 2 === 0 && x.toLowerCase() === name).length;
  const value = (h: string[], name: string) => h[h.findIndex((x, i) => i % 2 === 0 && x.toLowerCase() === name) + 1];

  it('config headers in any case replace the defaults, once each (http and openai targets)', async () => {
    process.env.QA5_KEY = 'sk-qa5';
    try {
      const headers = {
        'Content-Type': 'application/json; charset=utf-8',
        Accept: 'application/json, text/plain',
        'X-Team': 'red',
      };
      reply = { body: '{"a":"ok"}' };
      await createTarget({ type: 'http', url: `${url}/x`, headers, responsePath: '$.a', apiKeyEnv: 'QA5_KEY' }).send({
        messages: [{ role: 'user', content: 'hi' }],
      });
      reply = { body: JSON.stringify({ choices: [{ message: { role: 'assistant', content: 'ok' } }] }) };
      await createTarget({
        type: 'openai',
        baseUrl: `${url}/v1`,
        model: 'm',
        headers: { ...headers, Authorization: 'Bearer from-headers' },
        apiKeyEnv: 'QA5_KEY',
      }).send({ messages: [{ role: 'user', content: 'hi' }] });
      for (const s of seen.slice(-2)) {
        expect(count(s.rawHeaders, 'content-type')).toBe(1);
        expect(value(s.rawHeaders, 'content-type')).toBe('application/json; charset=utf-8');
        expect(count(s.rawHeaders, 'accept')).toBe(1);
        expect(value(s.rawHeaders, 'accept')).toBe('application/json, text/plain');
        expect(count(s.rawHeaders, 'authorization')).toBe(1);
        expect(value(s.rawHeaders, 'authorization')).toBe('Bearer sk-qa5');
        expect(value(s.rawHeaders, 'x-team')).toBe('red');
      }
    } finally {
      delete process.env.QA5_KEY;
    }
  });
});

describe('answers that are not JSON, and paths that miss', () => {
  const target = (responsePath: string) => createTarget({ type: 'http', url: `${url}/x`, responsePath });
  const send = (responsePath: string) => target(responsePath).send({ messages: [{ role: 'user', content: 'hi' }] });

  it('a non-JSON body says how it starts', async () => {
    reply = { body: '<html>\n<body>Bad gateway</body></html>' };
    await expect(send('$.a')).rejects.toThrow(
      'the answer is not JSON (it starts "<html> <body>Bad gateway</body></html>")',
    );
    reply = { body: '' };
    await expect(send('$.a')).rejects.toThrow('the answer is not JSON (an empty body)');
    reply = { body: 'x'.repeat(500) };
    await expect(send('$.a')).rejects.toThrow(`(it starts "${'x'.repeat(80)}…")`);
  });

  it('arrays, negative indexes and misses', async () => {
    reply = { body: JSON.stringify([{ generated_text: 'hf' }]) };
    await expect(send('$[0].generated_text')).resolves.toMatchObject({ text: 'hf' });
    reply = { body: JSON.stringify({ out: ['a', 'b'] }) };
    await expect(send('$.out[-1]')).resolves.toMatchObject({ text: 'b' });
    await expect(send('$.out[5]')).rejects.toThrow('no answer text at $.out[5]');
    await expect(send('$.out')).rejects.toThrow('a list, not text,');
    reply = { body: JSON.stringify({ a: null, error: { message: 'quota exceeded' } }) };
    await expect(send('$.a')).rejects.toThrow('the endpoint answered with an error: quota exceeded');
  });
});
