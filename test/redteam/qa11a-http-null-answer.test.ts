/**
 * QA 11a: the generic `http` target failed the item when its answer path held JSON null ("no answer text at
 * …"). An assistant message with `content: null` and tool calls, or an endpoint's null for an empty answer, is
 * an answer: read as the openai target reads `content: null` (its refusal, its tool calls, else ""). A path
 * that is not there at all, or a null beside the endpoint's error message, is still an error.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTargetConnections, createTarget } from '../../src/redteam/targets/index.js';
import { parseCompletion } from '../../src/redteam/targets/openai.js';

let url = '';
let body = '';
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
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

const send = (responsePath: string, reply: unknown) => {
  body = JSON.stringify(reply);
  return createTarget({ type: 'http', url: `${url}/x`, responsePath }).send({
    messages: [{ role: 'user', content: 'hi' }],
  });
};
const completion = (message: Record<string, unknown>) => ({
  choices: [{ message: { role: 'assistant', ...message }, finish_reason: 'tool_calls' }],
});

describe('http target: a null answer', () => {
  it('null content with tool calls: the tool calls, as the openai target gives them', async () => {
    const reply = completion({
      content: null,
      tool_calls: [{ id: 'c1', type: 'function', function: { name: 'search', arguments: '{"q": "x"}' } }],
    });
    const got = await send('$.choices[0].message.content', reply);
    const openai = parseCompletion('openai', JSON.stringify(reply));
    expect(got.text).toBe(openai.text);
    expect(got.text).toBe('[tool call] search({"q":"x"})');
    expect(got.toolCalls).toEqual([{ name: 'search', arguments: '{"q": "x"}' }]);
  });

  it('null content with a refusal: the refusal text, as the openai target reads it', async () => {
    const reply = completion({ content: null, refusal: 'I cannot help with that.' });
    const got = await send('$.choices[0].message.content', reply);
    expect(got.text).toBe('I cannot help with that.');
    expect(got.text).toBe(parseCompletion('openai', JSON.stringify(reply)).text);
  });

  it('a plain null answer is an empty answer, not a failure', async () => {
    const got = await send('$.output', { output: null });
    expect(got.text).toBe('');
    expect(got.toolCalls).toBeUndefined();
    // an index step: nothing holds tool calls, still an empty answer
    await expect(send('$.out[0]', { out: [null] })).resolves.toMatchObject({ text: '' });
  });

  it('a missing key is still a clear error, and a null beside an error message too', async () => {
    await expect(send('$.output', { other: 'x' })).rejects.toThrow('no answer text at $.output');
    await expect(send('$.output', { output: null, error: { message: 'quota exceeded' } })).rejects.toThrow(
      'the endpoint answered with an error: quota exceeded',
    );
  });
});
