import { describe, expect, it } from 'vitest';
import { scanText } from '../../src/core/scan.js';
import { piiDetector } from '../../src/detect/index.js';

function emails(text: string): string[] {
  return scanText(text, { detectors: [piiDetector], fast: true })
    .filter((f) => f.type === 'EMAIL_ADDRESS')
    .map((f) => text.slice(f.start, f.end));
}

/**
 * The '@' anchor only looked ahead for an ASCII label, and the TLD had to be ASCII letters, so an address at an
 * internationalised domain (IDNA, RFC 6531) was not reported at all: `bob@münchen.de` stayed in clear. Spans are
 * offsets into the original text, also where the canonical view composed or folded its letters.
 */
describe('e-mail addresses at internationalised domains', () => {
  it.each([
    ['bob@münchen.de', 'bob@münchen.de'],
    ['Schreib an bob@münchen.de, danke.', 'bob@münchen.de'],
    ['bob@ärzte.de', 'bob@ärzte.de'],
    ['info@bücher.example.com', 'info@bücher.example.com'],
    ['write to x@пример.рф today', 'x@пример.рф'],
    ['mail 連絡@例え.中国', '連絡@例え.中国'],
    ['a@b.xn--p1ai', 'a@b.xn--p1ai'],
    ['bob@xn--mnchen-3ya.de', 'bob@xn--mnchen-3ya.de'],
  ])('%j', (text, expected) => {
    expect(emails(text)).toEqual([expected]);
  });

  it('a decomposed ü (u + combining diaeresis) is reported on the original characters', () => {
    const text = 'Mail: bob@mu\u0308nchen.de.';
    expect(emails(text)).toEqual(['bob@mu\u0308nchen.de']);
  });

  it('an ASCII TLD ends where another script begins', () => {
    expect(emails('mail bob@example.comとか')).toEqual(['bob@example.com']);
  });

  it('still needs a dot and a TLD of letters', () => {
    expect(emails('bob@münchen')).toEqual([]);
    expect(emails('bob@münchen.1')).toEqual([]);
    expect(emails('bob@-münchen.de')).toEqual([]);
  });
});
