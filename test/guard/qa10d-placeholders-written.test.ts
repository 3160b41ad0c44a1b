/**
 * QA round 10d: placeholder forms the conversation itself wrote. Since altered forms are restored (`<person_1>`,
 * `&lt;PERSON_1&gt;`), a user's own XML element `<person_1>` or HTML source `&lt;PERSON_1&gt;` — which the vault
 * never handed out — read as the vault's `<PERSON_1>`, and the model echoing the user's markup got someone's
 * name put in its place. Tags written literally in a message without findings were not reserved either, so a
 * later message's value took the same tag and the echoed literal came back as that value.
 */
import { describe, expect, it } from 'vitest';
import { createGuard, GuardSession } from '../../src/guard/index.js';

const guard = createGuard({ input: [{ check: 'pii', action: 'pseudonymise' }], output: [] });
const NAME = 'Alice Smith';
const MAIL = 'alice@example.com';

/** The placeholder the vault gave `value`. */
function tagOf(s: GuardSession, value: string): string {
  for (const tag of s.vault.tags()) if (s.vault.get(tag) === value) return tag;
  throw new Error(`no tag for ${value}`);
}

async function textOut(s: GuardSession, answer: string, json = false): Promise<string> {
  return (await guard.checkOutput(answer, { session: s, json })).text;
}

async function streamed(s: GuardSession, answer: string): Promise<string> {
  const sg = guard.stream({ session: s });
  let out = '';
  for (const ch of answer) out += (await sg.push(ch)).text;
  return out + (await sg.end()).text;
}

describe('placeholder forms the user wrote are not the vault’s placeholders', () => {
  it('an XML element <person_1> in the user’s text is echoed as written, not as a name', async () => {
    const s = new GuardSession();
    const user = `Fix this XML: <person_1><name>${NAME}</name></person_1>`;
    const r = await guard.checkInput([{ role: 'user', content: user }], { session: s });
    const tag = tagOf(s, NAME);
    const sent = r.messages[0]?.content as string;
    expect(sent).toContain(`<name>${tag}</name>`);
    // The model fixes the XML and sends it back: the user's markup stays, the name comes back in its place.
    const answer = sent.replace('Fix this XML: ', '');
    const expected = `<person_1><name>${NAME}</name></person_1>`;
    expect(await textOut(s, answer)).toBe(expected);
    expect(await streamed(s, answer)).toBe(expected);
    expect(s.restore(answer)).toBe(expected);
  });

  it('HTML source with &lt;PERSON_1&gt; and a tag in an earlier message without findings stay literals', async () => {
    const s = new GuardSession();
    await guard.checkInput(
      [
        { role: 'system', content: 'Templates use &lt;PERSON_1&gt; and <PERSON_2> as slots.' },
        { role: 'user', content: `My name is ${NAME}.` },
      ],
      { session: s },
    );
    const tag = tagOf(s, NAME);
    expect(['<PERSON_1>', '<PERSON_2>']).not.toContain(tag);
    const answer = `Use &lt;PERSON_1&gt; or <PERSON_2>, ${tag}.`;
    expect(await textOut(s, answer)).toBe(`Use &lt;PERSON_1&gt; or <PERSON_2>, ${NAME}.`);
  });

  it('a later turn of the same conversation (the vault already holds the tag) keeps the user’s form', async () => {
    const s = new GuardSession();
    await guard.checkInput([{ role: 'user', content: `I am ${NAME}, mail ${MAIL}.` }], { session: s });
    const tag = tagOf(s, NAME);
    const mail = tagOf(s, MAIL);
    const lower = tag.toLowerCase();
    // Turn 2 (a Responses API turn continuing the stored vault): the user pastes markup named like the tag.
    await guard.checkInput([{ role: 'user', content: `Rename ${lower} in <root>${lower}</root>` }], { session: s });
    expect(await textOut(s, `Renamed ${lower}; ${tag} is fine.`)).toBe(`Renamed ${lower}; ${NAME} is fine.`);
    expect(s.restoreArguments(JSON.stringify({ el: lower, who: tag }))).toBe(JSON.stringify({ el: lower, who: NAME }));
    // Any altered form of that tag is now ambiguous (the model may have escaped the user's markup): only the exact
    // tag is restored. Another tag's altered form still is.
    expect(await textOut(s, `Hi &lt;${tag.slice(1, -1)}&gt;`)).toBe(`Hi &lt;${tag.slice(1, -1)}&gt;`);
    expect(await textOut(s, `Mail ${mail.toLowerCase()}`)).toBe(`Mail ${MAIL}`);
  });
});
