import { describe, expect, it } from 'vitest';
import { createGuard } from '../../src/guard/index.js';
import { allowFilter } from '../../src/guard/lists.js';

// Allow terms are read the way deny terms are: on the normalised text (NFKC, invisibles dropped, accents folded,
// case ignored, any white space or hyphens between words), with offsets mapped back to the text as written.

describe('allow terms match on the normalised text', () => {
  const guard = createGuard({
    lists: { competitors: { terms: ['Lifeguard'] } },
    input: [{ check: 'competitors', action: 'block' }],
    allow: ['Café Lifeguard'],
  });

  it('suppress a deny-list finding inside the term however the term is written', async () => {
    for (const text of [
      'we met at Café Lifeguard', // as written in the policy
      'we met at cafe lifeguard', // accents and case
      'we met at CAFÉ LIFEGUARD',
      'we met at cafe\u0301 lifeguard', // a combining accent
      'we met at Ｃafé Lifeguard', // a fullwidth letter
      'we met at Caf\u200Bé Life\u200Dguard', // zero-width characters
      'we met at Café\u00A0Lifeguard', // a non-breaking space
      'we met at Café  \n Lifeguard', // white space between the words
      'we met at café-lifeguard', // a hyphen
      'we met at C a f é   L i f e g u a r d', // spaced out
    ]) {
      expect((await guard.checkInput(text)).blocked, JSON.stringify(text)).toBe(false);
    }
  });

  it('still report the finding outside every occurrence of the term', async () => {
    for (const text of [
      'Lifeguard is a competitor',
      'cafe lifeguard is nice, Lifeguard is not',
      'Ｌifeguard alone', // the deny term, normalised, without the allow term around it
      'a café, Lifeguard next door', // the words apart: not the term
    ]) {
      expect((await guard.checkInput(text)).blocked, JSON.stringify(text)).toBe(true);
    }
  });

  it('suppress a detector finding written with a fullwidth character', async () => {
    const pii = createGuard({
      input: [{ check: 'pii', action: 'block', entities: ['EMAIL_ADDRESS'] }],
      allow: ['Support@Acme.com'],
    });
    expect((await pii.checkInput('write to SUPPORT＠acme.com please')).blocked).toBe(false);
    expect((await pii.checkInput('write to support@acme.com please')).blocked).toBe(false);
    // An address that merely contains the term is not covered by it.
    expect((await pii.checkInput('write to support@acme.com.evil.example please')).blocked).toBe(true);
    expect((await pii.checkInput('write to jane@acme.com please')).blocked).toBe(true);
  });
});

describe('allowFilter', () => {
  it('covers exactly the spans of the occurrences, in offsets of the original text', () => {
    const allowed = allowFilter(['Café Lifeguard']);
    const text = 'Lifeguard, then CAFE\u0301\u00A0Ｌifeguard!';
    const second = text.indexOf('CAFE');
    const end = text.indexOf('!');
    expect(allowed(text, 0, 9)).toBe(false); // the bare Lifeguard at the start
    expect(allowed(text, second, end)).toBe(true); // the whole occurrence
    expect(allowed(text, text.indexOf('Ｌ'), end)).toBe(true); // a finding inside it
    expect(allowed(text, second - 1, end)).toBe(false); // one character more
    expect(allowed(text, second, end + 1)).toBe(false);
    // Another text through the same filter (the occurrences are found once per text).
    expect(allowed('cafe lifeguard', 5, 14)).toBe(true);
    expect(allowed('lifeguard', 0, 9)).toBe(false);
  });

  it('stays linear on hostile input', () => {
    const allowed = allowFilter(['cafe cafe cafe x', 'é', 'a\u200Bb']);
    const text = 'cafe-'.repeat(200_000) + 'é\u0301'.repeat(100_000);
    const t0 = performance.now();
    for (let i = 0; i < 10_000; i++) allowed(text, i * 50, i * 50 + 4);
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});
