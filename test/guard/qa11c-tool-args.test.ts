/**
 * QA round 11c: placeholders restored in tool-call arguments. A tool reads its arguments as data, so a value
 * restored from an HTML-escaped form (`&lt;PERSON_1&gt;`) goes in HTML-escaped only where the text around it is
 * HTML itself; the arguments are scanned once; a placeholder split across many streamed argument pieces is
 * restored whole through the gateway.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseGatewayConfig, type RunningGateway, serveGateway } from '../../src/guard/gateway/index.js';
import { GuardSession } from '../../src/guard/index.js';
import { escapeHtml } from '../../src/report/html/escape.js';

/** A value that HTML escaping changes in every way (`&`, quotes, brackets) and JSON must escape too. */
const NAME = `O'Brien & "Sons" <Ltd>`;

function session(): { s: GuardSession; tag: string; name: string } {
  const s = new GuardSession();
  const tag = s.vault.tagFor('PERSON', NAME);
  return { s, tag, name: tag.slice(1, -1) };
}

describe('GuardSession.restoreArguments: HTML-escaped forms', () => {
  it('JSON data arguments get the value as written (JSON string content), not HTML-escaped', () => {
    const { s, name } = session();
    for (const form of [`&lt;${name}&gt;`, `&LT;${name.toLowerCase()}&GT;`, `&lt; ${name} >`, `<${name}&gt;`]) {
      const out = s.restoreArguments(`{"name":"${form}","n":1}`);
      expect(JSON.parse(out), form).toEqual({ name: NAME, n: 1 });
    }
  });

  it('a JSON string that is HTML itself gets the value HTML-escaped; the other strings of the call do not', () => {
    const { s, name } = session();
    const args = JSON.stringify({
      html: `<p>Dear &lt;${name}&gt;,</p>`,
      text: `Tom &amp; Jerry and &lt;${name}&gt;`,
      numeric: `&#169; &lt;${name}&gt;`,
      to: `&lt;${name}&gt;`,
    });
    expect(JSON.parse(s.restoreArguments(args))).toEqual({
      html: `<p>Dear ${escapeHtml(NAME)},</p>`,
      text: `Tom &amp; Jerry and ${escapeHtml(NAME)}`,
      numeric: `&#169; ${escapeHtml(NAME)}`,
      to: NAME,
    });
  });

  it('placeholder look-alikes, lone brackets and ampersands are not HTML', () => {
    const { s, name } = session();
    const args = JSON.stringify({
      a: `&lt;PERSON_9&gt; and &lt;${name}&gt;`,
      b: `x < y & z > w, &lt;${name}&gt;`,
      c: `AT&T; &lt;${name}&gt;`,
    });
    expect(JSON.parse(s.restoreArguments(args))).toEqual({
      a: `&lt;PERSON_9&gt; and ${NAME}`,
      b: `x < y & z > w, ${NAME}`,
      // `&T;` is shaped like a reference: read as HTML, the value goes in escaped (never as markup).
      c: `AT&T; ${escapeHtml(NAME)}`,
    });
  });

  it('arguments that are not JSON: the whole text decides', () => {
    const { s, name } = session();
    expect(s.restoreArguments(`send to &lt;${name}&gt; now`)).toBe(`send to ${NAME} now`);
    expect(s.restoreArguments(`<b>&lt;${name}&gt;</b>`)).toBe(`<b>${escapeHtml(NAME)}</b>`);
    expect(s.restoreArguments(`<!-- x --> &lt;${name}&gt;`)).toBe(`<!-- x --> ${escapeHtml(NAME)}`);
  });

  it('exact tags and URLs as before', () => {
    const { s, tag, name } = session();
    expect(JSON.parse(s.restoreArguments(JSON.stringify({ html: `<p>${tag}</p>` })))).toEqual({
      html: `<p>${NAME}</p>`,
    });
    const url = `https://x.example/?u=&lt;${name}&gt;`;
    expect(JSON.parse(s.restoreArguments(JSON.stringify({ url, to: `&lt;${name}&gt;` })))).toEqual({ url, to: NAME });
    const plain = `{"to":"&lt;${name}&gt;"`; // not JSON
    expect(s.restoreArguments(plain)).toBe(`{"to":"${NAME}"`);
  });

  it('reads the vault once per placeholder (one scan)', () => {
    const { s, tag, name } = session();
    const get = vi.spyOn(s.vault, 'get');
    const args = JSON.stringify({ a: tag, b: `&lt;${name}&gt;`, c: 'none' });
    expect(JSON.parse(s.restoreArguments(args))).toEqual({ a: NAME, b: NAME, c: 'none' });
    expect(get).toHaveBeenCalledTimes(2);
    get.mockClear();
    expect(s.restoreArguments(`to ${tag}`)).toBe(`to ${NAME}`);
    expect(get).toHaveBeenCalledTimes(1);
  });
});

describe('gateway: tool-call arguments streamed in small pieces', () => {
  let server: Server;
  let gw: RunningGateway;
  let handler: (body: Record<string, unknown>, res: ServerResponse) => void = (_b, res) => res.end();
  const EMAIL = 'jane.roe@example.com';

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      let raw = '';
      for await (const c of req) raw += c;
      handler(JSON.parse(raw || '{}'), res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const upstream = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    gw = await serveGateway(
      parseGatewayConfig({
        upstream: { baseUrl: upstream, timeoutMs: 3000 },
        server: { port: 0 },
        policy: { input: [{ check: 'pii', action: 'pseudonymise', entities: ['EMAIL_ADDRESS'] }] },
      }),
    );
  });
  afterAll(async () => {
    await gw.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('restores a placeholder (escaped brackets) split over one-character argument pieces, as JSON data', async () => {
    let sent = '';
    handler = (body, res) => {
      sent = JSON.stringify(body.messages);
      const tag = /<EMAIL_ADDRESS_\d+>/.exec(sent)?.[0] ?? '<NONE>';
      const args = JSON.stringify({ to: `&lt;${tag.slice(1, -1)}&gt;`, note: 'a "b"' });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const ev = (delta: Record<string, unknown>, finish: string | null = null) =>
        res.write(
          `data: ${JSON.stringify({ id: 'c', model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`,
        );
      ev({
        role: 'assistant',
        tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'send', arguments: '' } }],
      });
      for (const ch of args) ev({ tool_calls: [{ index: 0, function: { arguments: ch } }] });
      ev({}, 'tool_calls');
      res.end('data: [DONE]\n\n');
    };
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'm',
        stream: true,
        messages: [{ role: 'user', content: `Mail ${EMAIL} the file.` }],
      }),
    });
    const raw = await res.text();
    expect(sent).not.toContain(EMAIL);
    let args = '';
    for (const block of raw.split('\n\n')) {
      const data = block.replace(/^data: /, '').trim();
      if (!data || data === '[DONE]') continue;
      const ev = JSON.parse(data) as {
        choices?: { delta?: { tool_calls?: { function?: { arguments?: string } }[] } }[];
      };
      for (const tc of ev.choices?.[0]?.delta?.tool_calls ?? []) args += tc.function?.arguments ?? '';
    }
    expect(JSON.parse(args)).toEqual({ to: EMAIL, note: 'a "b"' });
  });
});
