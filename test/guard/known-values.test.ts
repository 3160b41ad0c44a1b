import { describe, expect, it } from 'vitest';
import { Vault } from '../../src/core/redact/vault.js';
import { responsesInput } from '../../src/guard/gateway/responses.js';
import { createGuard, GuardSession } from '../../src/guard/index.js';
import { replaceKnownValues } from '../../src/guard/known-values.js';

function vaultOf(entries: [string, string][]): { vault: Vault; tags: string[] } {
  const vault = new Vault();
  return { vault, tags: entries.map(([label, value]) => vault.tagFor(label, value)) };
}

describe('replaceKnownValues', () => {
  it('replaces every exact occurrence of a vault value by its tag', () => {
    const { vault, tags } = vaultOf([
      ['PERSON', 'Jane Roe'],
      ['EMAIL_ADDRESS', 'jane@example.com'],
    ]);
    expect(replaceKnownValues('Noted, Jane Roe. Mail jane@example.com or Jane Roe.', vault)).toBe(
      `Noted, ${tags[0]}. Mail ${tags[1]} or ${tags[0]}.`,
    );
  });

  it('matches on word boundaries, and a short single word only in its case', () => {
    const { vault, tags } = vaultOf([['PERSON', 'Ann']]);
    expect(replaceKnownValues('Anna and Joann met ann, then Ann.', vault)).toBe(
      `Anna and Joann met ann, then ${tags[0]}.`,
    );
    expect(replaceKnownValues('Ann2 xAnn Ann_ (Ann)', vault)).toBe(`Ann2 xAnn ${tags[0]}_ (${tags[0]})`);
  });

  it('reads letters beyond ASCII as part of a word', () => {
    const { vault, tags } = vaultOf([['PERSON', 'José']]);
    expect(replaceKnownValues('Josémaria, José.', vault)).toBe(`Josémaria, ${tags[0]}.`);
    expect(replaceKnownValues('éJosé', vault)).toBe('éJosé');
  });

  it('ignores case for longer values, several words, or values with digits and symbols', () => {
    const { vault, tags } = vaultOf([
      ['PERSON', 'Lovelace'],
      ['PERSON', 'Jo Ng'],
      ['EMAIL_ADDRESS', 'jo@x.io'],
    ]);
    expect(replaceKnownValues('LOVELACE, jo ng, JO@X.IO', vault)).toBe(`${tags[0]}, ${tags[1]}, ${tags[2]}`);
  });

  it('prefers the longest value at a position', () => {
    const { vault, tags } = vaultOf([
      ['PERSON', 'Jane'],
      ['PERSON', 'Jane Roe'],
    ]);
    expect(replaceKnownValues('Jane Roe and Jane', vault)).toBe(`${tags[1]} and ${tags[0]}`);
  });

  it('leaves short values, over-long values and literal tags to the detectors', () => {
    const vault = new Vault();
    vault.tagFor('PERSON', 'Al');
    vault.tagFor('ADDRESS', 'x'.repeat(129));
    vault.reserveLiteral('<PERSON_7>');
    const text = `Al at ${'x'.repeat(129)} wrote <PERSON_7>.`;
    expect(replaceKnownValues(text, vault)).toBe(text);
  });

  it('stays linear on text made to make every position walk far', () => {
    const value = `${'a '.repeat(63)}b`;
    const { vault } = vaultOf([['PERSON', value]]);
    const text = 'a '.repeat(500_000);
    const t = performance.now();
    expect(replaceKnownValues(text, vault)).toBe(text);
    expect(performance.now() - t).toBeLessThan(3000);
  });
});

describe('checkInput: a value known from one message is pseudonymised in every message', () => {
  const guard = createGuard({ input: [{ check: 'pii', action: 'pseudonymise', entities: ['PERSON'] }] });

  it('an earlier answer that writes the name where the detectors miss it', async () => {
    // The detectors find "Ada Lovelace" after "my name is", not "ada lovelace" in a lower-case reply.
    const alone = await guard.checkInput([{ role: 'user', content: 'ok ada lovelace' }]);
    expect(alone.messages[0].content).toBe('ok ada lovelace');
    const session = new GuardSession();
    const r = await guard.checkInput(
      [
        { role: 'user', content: 'Hello, my name is Ada Lovelace and I need help.' },
        { role: 'assistant', content: 'ok ada lovelace' },
        { role: 'user', content: 'Thanks.' },
      ],
      { session },
    );
    const tag = /<PERSON_\d+>/.exec(r.messages[0].content as string)?.[0] as string;
    expect(tag).toBeDefined();
    expect(r.messages[1].content).toBe(`ok ${tag}`);
    expect(JSON.stringify(r.messages).toLowerCase()).not.toContain('lovelace');
  });

  it('a later user turn, and the prompt an external judge reads', async () => {
    const session = new GuardSession();
    const r = await guard.checkInput(
      [
        { role: 'user', content: 'Hello, my name is Ada Lovelace and I need help.' },
        { role: 'assistant', content: 'How can I help?' },
        { role: 'user', content: 'ok ada lovelace here again' },
      ],
      { session },
    );
    expect(r.messages[2].content).toMatch(/^ok <PERSON_\d+> here again$/);
    expect(session.userPrompt).toBe(r.messages[2].content);
  });

  it("an earlier tool call's arguments, as a JSON string and as an object", async () => {
    const email = createGuard({ input: [{ check: 'pii', action: 'pseudonymise', entities: ['EMAIL_ADDRESS'] }] });
    const r = await email.checkInput([
      { role: 'user', content: 'Mail the invoice to jane.roe@example.com please.' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'c1',
            type: 'function',
            function: { name: 'send_mail', arguments: '{"to":"jane.roe@example.com","cc":["JANE.ROE@EXAMPLE.COM"]}' },
          },
          { id: 'c2', type: 'function', function: { name: 'log', arguments: { who: 'jane.roe@example.com', n: 2 } } },
        ],
      } as never,
      { role: 'tool', tool_call_id: 'c1', content: 'sent' },
      { role: 'user', content: 'Thanks.' },
    ]);
    const tag = /<EMAIL_ADDRESS_\d+>/.exec(r.messages[0].content as string)?.[0] as string;
    expect(tag).toBeDefined();
    const calls = (r.messages[1] as { tool_calls: { function: { arguments: unknown } }[] }).tool_calls;
    expect(JSON.parse(calls[0].function.arguments as string)).toEqual({ to: tag, cc: [tag] });
    expect(calls[1].function.arguments).toEqual({ who: tag, n: 2 });
    expect(JSON.stringify(r.messages).toLowerCase()).not.toContain('jane.roe');
  });

  it('leaves system messages as the operator wrote them', async () => {
    const r = await guard.checkInput([
      { role: 'system', content: 'You assist Ada Lovelace.' },
      { role: 'user', content: 'Hello, my name is Ada Lovelace.' },
    ]);
    expect(r.messages[0].content).toBe('You assist Ada Lovelace.');
  });
});

describe('Responses input: known values in earlier function calls', () => {
  it('writes the pseudonymised arguments back into the function_call item', async () => {
    const guard = createGuard({ input: [{ check: 'pii', action: 'pseudonymise', entities: ['EMAIL_ADDRESS'] }] });
    const body = {
      input: [
        { role: 'user', content: 'Mail jane.roe@example.com the invoice.' },
        { type: 'function_call', call_id: 'c1', name: 'send', arguments: '{"to":"jane.roe@example.com"}' },
        { type: 'custom_tool_call', call_id: 'c2', name: 'note', input: 'wrote to jane.roe@example.com' },
        { type: 'function_call_output', call_id: 'c1', output: 'sent' },
      ],
    };
    const r = responsesInput(body);
    if (typeof r === 'string') throw new Error(r);
    const checked = await guard.checkInput(r.messages);
    const next = r.apply(checked.messages).input as Record<string, unknown>[];
    const tag = /<EMAIL_ADDRESS_\d+>/.exec(String(checked.messages[0].content))?.[0] as string;
    expect(tag).toBeDefined();
    expect(JSON.parse(next[1].arguments as string)).toEqual({ to: tag });
    expect(next[2].input).toBe(`wrote to ${tag}`);
    expect(JSON.stringify(next)).not.toContain('jane.roe');
  });
});
