/**
 * Placeholders the model altered (QA round 10): case changed, spaces inside the brackets, HTML-escaped brackets.
 * Restored in every guard path (plain text, JSON answers, tool-call arguments, streams with the tag split across
 * chunks, the AI SDK middleware), only for tags the session's vault holds.
 */
import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart, LanguageModelV3Usage } from '@ai-sdk/provider';
import { generateText, simulateReadableStream, streamText, tool, wrapLanguageModel } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createGuard, GuardSession, lifeguardMiddleware } from '../../src/guard/index.js';
import { MAX_PAD, maxPlaceholderForm, PlaceholderRestorer, restorePlaceholders } from '../../src/guard/placeholders.js';
import { escapeHtml } from '../../src/report/html/escape.js';

const NAME = 'Ada Lovelace';
/** A value JSON must escape (a quote, a line break). */
const ADDRESS = 'Flat "B"\n12 Example Road';

/** The value a form restores to: escaped where the form's brackets were HTML-escaped (the text is HTML). */
const restored = (form: string, value: string) => (form.includes('&') ? escapeHtml(value) : value);

/** The forms a model turns `<NAME>` into. */
function altered(tag: string): Record<string, string> {
  const name = tag.slice(1, -1);
  const mixed = name.charAt(0) + name.slice(1).toLowerCase();
  return {
    'lower case': `<${name.toLowerCase()}>`,
    'mixed case': `<${mixed}>`,
    'spaces inside': `< ${name} >`,
    'space before >': `<${name} >`,
    'two spaces, lower case': `<  ${name.toLowerCase()} >`,
    'HTML-escaped': `&lt;${name}&gt;`,
    'HTML-escaped, upper-case entities, lower-case name': `&LT;${name.toLowerCase()}&GT;`,
    'HTML-escaped with spaces': `&lt; ${name} &gt;`,
    'only < escaped': `&lt;${name}>`,
    'only > escaped': `<${name}&gt;`,
  };
}

function session(): { s: GuardSession; person: string; address: string; literal: string } {
  const s = new GuardSession();
  const person = s.vault.tagFor('PERSON', NAME);
  const address = s.vault.tagFor('ADDRESS', ADDRESS);
  // A tag that was in the user's own text: it stands for itself.
  const literal = '<EMAIL_ADDRESS_7>';
  s.vault.reserveLiteral(literal);
  return { s, person, address, literal };
}

/** Tags the vault does not hold for a value: left exactly as written, whatever the form. */
const LOOK_ALIKES = [
  '<PERSON_9>',
  '<person_9>',
  '&lt;PERSON_9&gt;',
  '< PERSON_12 >',
  '<PERSON>',
  '&lt;CREDIT_CARD&gt;',
  `<${' '.repeat(MAX_PAD + 1)}PERSON_1>`,
  '<PERSON _1>',
  '<PERSON_1',
  'PERSON_1>',
  '&lt;PERSON_1',
  '&amp;lt;PERSON_1&amp;gt;',
  '<<PERSON_1',
];

describe('restorePlaceholders', () => {
  const { s, person, address, literal } = session();

  it('restores each alteration of a vault tag, and the exact tag as before', () => {
    expect(restorePlaceholders(`Hi ${person}.`, s.vault)).toBe(`Hi ${NAME}.`);
    for (const [how, form] of Object.entries(altered(person))) {
      expect(restorePlaceholders(`Hi ${form}, bye ${form}.`, s.vault), how).toBe(`Hi ${NAME}, bye ${NAME}.`);
    }
    for (const [how, form] of Object.entries(altered(address))) {
      // A tag written with an HTML-escaped bracket sits in HTML: its value goes in escaped, never as markup.
      const value = restored(form, ADDRESS);
      expect(restorePlaceholders(`At ${form}`, s.vault, JSON.stringify), how).toBe(`At ${JSON.stringify(value)}`);
    }
  });

  it('escapes a value restored from an HTML-escaped tag', () => {
    const h = new GuardSession();
    const tag = h.vault.tagFor('PERSON', '<b>Tom & "Jerry"</b>');
    const name = tag.slice(1, -1);
    expect(restorePlaceholders(`<p>&lt;${name}&gt;</p>`, h.vault)).toBe(
      '<p>&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;</p>',
    );
    // The plain form is not HTML: the value comes back as it was.
    expect(restorePlaceholders(`Hi ${tag}`, h.vault)).toBe('Hi <b>Tom & "Jerry"</b>');
  });

  it('takes tabs as spaces (plain text; JSON escapes a tab)', () => {
    expect(restorePlaceholders(`Hi <\t${person.slice(1, -1)}\t\t>.`, s.vault)).toBe(`Hi ${NAME}.`);
  });

  it('leaves look-alikes the vault does not hold alone', () => {
    for (const text of LOOK_ALIKES) expect(restorePlaceholders(`x ${text} y`, s.vault), text).toBe(`x ${text} y`);
    // Next to a real tag, only the real one changes.
    expect(restorePlaceholders(`<<person_1> &lt;PERSON_9&gt;`, s.vault)).toBe(`<${NAME} &lt;PERSON_9&gt;`);
  });

  it('a literal the vault holds as itself comes back as written, exact or altered', () => {
    for (const form of [literal, ...Object.values(altered(literal))]) {
      expect(restorePlaceholders(`see ${form}`, s.vault), form).toBe(`see ${form}`);
    }
  });

  it('an empty vault restores nothing', () => {
    const empty = new GuardSession();
    expect(restorePlaceholders('&lt;person_1&gt; <PERSON_1>', empty.vault)).toBe('&lt;person_1&gt; <PERSON_1>');
  });

  it('runs in linear time on text built to make a scanner backtrack', () => {
    const n = 200_000;
    const texts = [
      '<'.repeat(n),
      '&'.repeat(n),
      '&lt;'.repeat(n / 4),
      `<${'a'.repeat(n)}`,
      '< a '.repeat(n / 4),
      '&lt;   PERSON_1   '.repeat(n / 16),
      '<PERSON_1 &g'.repeat(n / 12),
    ];
    for (const text of texts) {
      const t0 = performance.now();
      restorePlaceholders(text, s.vault);
      const r = new PlaceholderRestorer(s.vault);
      for (let i = 0; i < text.length; i += 7) r.push(text.slice(i, i + 7));
      r.flush();
      expect(performance.now() - t0, text.slice(0, 12)).toBeLessThan(1500);
    }
  });
});

describe('PlaceholderRestorer: tags split across chunks', () => {
  const { s, person, address } = session();
  const forms = [person, ...Object.values(altered(person)), ...Object.values(altered(address)), ...LOOK_ALIKES];

  it('gives what the whole text restores, at every split, holding at most the longest form', () => {
    const longest = maxPlaceholderForm(s.vault);
    expect(longest).toBeGreaterThan(s.vault.maxTagLength);
    for (const encode of [undefined, (v: string) => JSON.stringify(v).slice(1, -1)]) {
      for (const form of forms) {
        const text = `Dear ${form}, meet ${form}&`;
        const whole = restorePlaceholders(text, s.vault, encode);
        for (let a = 0; a <= text.length; a++) {
          for (const b of [a, Math.min(text.length, a + 1), Math.min(text.length, a + 3)]) {
            const r = new PlaceholderRestorer(s.vault, encode);
            let out = '';
            for (const piece of [text.slice(0, a), text.slice(a, b), text.slice(b)]) {
              out += r.push(piece);
              expect(r.pending).toBeLessThan(longest);
            }
            out += r.flush();
            expect(out, `${form} at ${a}/${b}`).toBe(whole);
          }
        }
      }
    }
  });
});

describe('guard paths', () => {
  const guard = createGuard({ output: [], stream: { holdChars: 0, checkEveryChars: 1 } });

  it('GuardSession.restore and checkOutput (plain and JSON)', async () => {
    const { s, person, address } = session();
    for (const form of Object.values(altered(person))) {
      expect(s.restore(`Hello ${form}!`)).toBe(`Hello ${NAME}!`);
      expect((await guard.checkOutput(`Hello ${form}!`, { session: s })).text).toBe(`Hello ${NAME}!`);
    }
    for (const form of Object.values(altered(address))) {
      const json = `{"to":"${form}"}`;
      const r = await guard.checkOutput(json, { session: s, json: true });
      expect(JSON.parse(r.text)).toEqual({ to: restored(form, ADDRESS) });
    }
    for (const text of LOOK_ALIKES) {
      expect((await guard.checkOutput(text, { session: s })).text).toBe(text);
      expect(s.restore(text)).toBe(text);
    }
  });

  it('restoreArguments: JSON arguments get JSON string content, other arguments text', () => {
    const { s, address } = session();
    for (const form of Object.values(altered(address))) {
      // Tool arguments are data: the value goes in as it is, whatever form the tag took (qa11c).
      expect(JSON.parse(s.restoreArguments(`{"to":"${form}","n":1}`))).toEqual({ to: ADDRESS, n: 1 });
      expect(s.restoreArguments(`to ${form}`)).toBe(`to ${ADDRESS}`);
    }
    const args = '{"to":"&lt;PERSON_9&gt;"}';
    expect(s.restoreArguments(args)).toBe(args);
  });

  it('the stream checker restores a form split across chunks, plain and JSON', async () => {
    const { s, person, address } = session();
    const cases: [string, string, boolean][] = [
      ...Object.values(altered(person)).map((f): [string, string, boolean] => [
        `Hi ${f} and ${f}.`,
        `Hi ${NAME} and ${NAME}.`,
        false,
      ]),
      ...Object.values(altered(address)).map((f): [string, string, boolean] => [
        `{"to":"${f}"}`,
        JSON.stringify({ to: restored(f, ADDRESS) }),
        true,
      ]),
    ];
    for (const [text, expected, json] of cases) {
      for (const size of [1, 2, 3, 5]) {
        const stream = guard.stream({ session: s, json });
        let out = '';
        for (let i = 0; i < text.length; i += size) {
          const r = await stream.push(text.slice(i, i + size));
          out += r.text;
        }
        out += (await stream.end()).text;
        expect(out, `${text} in ${size}-character chunks`).toBe(expected);
      }
    }
    // A look-alike streams out as written.
    const stream = guard.stream({ session: s });
    let out = '';
    for (const ch of 'x &lt;person_9&gt; y') out += (await stream.push(ch)).text;
    out += (await stream.end()).text;
    expect(out).toBe('x &lt;person_9&gt; y');
  });
});

describe('AI SDK middleware', () => {
  const EMAIL = 'jane.roe@example.com';
  const TAG = /<EMAIL_ADDRESS_\d+>/;
  const USAGE: LanguageModelV3Usage = {
    inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: 20, text: 20, reasoning: 0 },
  };
  const pii = createGuard({ input: [{ check: 'pii', action: 'pseudonymise' }] });
  const tagOf = (options: LanguageModelV3CallOptions) => TAG.exec(JSON.stringify(options.prompt))?.[0] ?? 'NO-TAG';
  const wrap = (model: MockLanguageModelV3) =>
    wrapLanguageModel({ model, middleware: lifeguardMiddleware({ guard: pii }) });
  const prompt = `Write to ${EMAIL} please.`;
  const forms = (tag: string) => Object.entries(altered(tag));

  it('generate: the answer text and tool-call arguments', async () => {
    for (let k = 0; k < forms('<EMAIL_ADDRESS_1>').length; k++) {
      const model = new MockLanguageModelV3({
        doGenerate: async (options) => {
          const [, form] = forms(tagOf(options))[k];
          return {
            content: [
              { type: 'text', text: `Done: ${form}.` },
              { type: 'tool-call', toolCallId: 'c1', toolName: 'send', input: JSON.stringify({ to: form }) },
            ],
            finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
            usage: USAGE,
            warnings: [],
          };
        },
      });
      const tools = { send: tool({ inputSchema: z.object({ to: z.string() }) }) };
      const r = await generateText({ model: wrap(model), prompt, tools });
      expect(r.text).toBe(`Done: ${EMAIL}.`);
      expect(r.toolCalls[0].input).toEqual({ to: EMAIL });
    }
  });

  it('stream: a form split across text deltas', async () => {
    for (let k = 0; k < forms('<EMAIL_ADDRESS_1>').length; k++) {
      const model = new MockLanguageModelV3({
        doStream: async (options) => {
          const [, form] = forms(tagOf(options))[k];
          const text = `Sent to ${form}. Anything else?`;
          const deltas: string[] = [];
          for (let i = 0; i < text.length; i += 3) deltas.push(text.slice(i, i + 3));
          return {
            stream: simulateReadableStream<LanguageModelV3StreamPart>({
              chunks: [
                { type: 'stream-start', warnings: [] },
                { type: 'text-start', id: 't1' },
                ...deltas.map((delta): LanguageModelV3StreamPart => ({ type: 'text-delta', id: 't1', delta })),
                { type: 'text-end', id: 't1' },
                { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: USAGE },
              ],
            }),
          };
        },
      });
      const r = streamText({ model: wrap(model), prompt });
      expect(await r.text, forms('<EMAIL_ADDRESS_1>')[k][0]).toBe(`Sent to ${EMAIL}. Anything else?`);
    }
  });

  it('a look-alike tag the vault does not hold is left alone', async () => {
    const model = new MockLanguageModelV3({
      doGenerate: async () => ({
        content: [{ type: 'text', text: 'Also &lt;email_address_9&gt; and <PERSON_1>.' }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: USAGE,
        warnings: [],
      }),
    });
    const r = await generateText({ model: wrap(model), prompt });
    expect(r.text).toBe('Also &lt;email_address_9&gt; and <PERSON_1>.');
  });
});
