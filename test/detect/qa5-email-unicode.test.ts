import { describe, expect, it } from 'vitest';
import { scanText } from '../../src/core/scan.js';
import { piiDetector } from '../../src/detect/index.js';

function emails(text: string): string[] {
  return scanText(text, { detectors: [piiDetector], fast: true })
    .filter((f) => f.type === 'EMAIL_ADDRESS')
    .map((f) => text.slice(f.start, f.end));
}

/**
 * The e-mail scanner stopped at the first non-ASCII letter, so an address with one (legal since RFC 6531, and
 * what `e` + a combining accent becomes after NFKC) was reported without the part before it: `müller@example.de`
 * as `ller@example.de`, and redaction left `mü` in clear.
 */
describe('e-mail addresses with letters beyond ASCII are reported whole', () => {
  it.each([
    ['müller@example.de', 'müller@example.de'],
    ['write to jöhn.doe@example.com today', 'jöhn.doe@example.com'],
    ['e\u0301mile@example.com', 'e\u0301mile@example.com'],
    ['😀 café@example.com.', 'café@example.com'],
    ['ж@example.com', 'ж@example.com'],
    ['bob@sub.exämple.com', 'bob@sub.exämple.com'],
  ])('%j', (text, expected) => {
    expect(emails(text)).toEqual([expected]);
  });

  it('percent-encoded UTF-8 in the local part stays inside the span', () => {
    expect(emails('https://x.io/?to=m%C3%BCller%40example.de&a=1')).toEqual(['m%C3%BCller%40example.de']);
    expect(emails('to=müller%40example.de')).toEqual(['müller%40example.de']);
  });

  it('ASCII addresses keep their exact spans', () => {
    expect(emails('Mail: john.doe@example.com, or (bob@example.org).')).toEqual([
      'john.doe@example.com',
      'bob@example.org',
    ]);
  });
});
