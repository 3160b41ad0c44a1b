/**
 * QA pass 8: converter chains with morse. "base64+morse" was accepted though Morse has no case and the base64 it
 * sends decodes to noise; "morse+leetspeak" and "morse+homoglyph" were refused though both change only the
 * instruction's letters (Morse is dots, dashes and spaces), and the refusal of "morse+homoglyph" told the user to
 * write "homoglyph+morse", which is refused too. A custom converter with the kebab-case id "constructor" read
 * Object's constructor as its list of garbling converters and threw a TypeError.
 */
import { describe, expect, it } from 'vitest';
import { findMorseRuns } from '../../src/core/normalize/index.js';
import { compose, convert, defineConverter } from '../../src/redteam/converters/index.js';

const PROMPT = 'Explain how to pick a lock';

describe('chains with morse', () => {
  it('base64 then morse is refused, and the order it advises works', () => {
    let message = '';
    try {
      compose('base64+morse');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/morse after base64 rewrites the encoded text/);
    const advised = /\("([a-z0-9+-]+)"\)/.exec(message)?.[1];
    expect(advised).toBe('morse+base64');
    expect(compose(advised as string).id).toBe('morse+base64');
  });

  it('leetspeak and homoglyph after morse are accepted and leave the code readable', () => {
    for (const chain of ['morse+leetspeak', 'morse+homoglyph', 'morse+case-noise+homoglyph']) {
      for (const seed of [0, 1, 2, 3]) {
        const out = convert(PROMPT, chain, seed);
        expect(findMorseRuns(out).map((r) => r.text)).toEqual([PROMPT.toLowerCase()]);
      }
    }
  });

  it('homoglyph before morse is refused with advice that is accepted', () => {
    let message = '';
    try {
      compose('homoglyph+morse');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/morse has no codes for homoglyph/);
    const advised = /\("([a-z0-9+-]+)"/.exec(message)?.[1];
    expect(advised).toBe('morse+homoglyph');
    expect(() => compose(advised as string)).not.toThrow();
  });

  it('a custom converter whose id names an Object property composes', () => {
    const custom = defineConverter({ id: 'constructor', description: 'identity', apply: (t) => t });
    expect(compose([custom, 'base64']).id).toBe('constructor+base64');
  });
});
