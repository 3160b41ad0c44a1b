import { describe, expect, it } from 'vitest';
import { detect } from '../../src/index.js';

const phones = (text: string) =>
  detect(text)
    .filter((f) => f.type === 'PHONE_NUMBER')
    .map((f) => text.slice(f.start, f.end));

/** A dotted timestamp or calendar version has the digit count and dots of a phone number, and was reported as one. */
describe('dotted groups that open with a year and a month are not phone numbers', () => {
  it.each(['2024.06.13.1200', 'build 2024.06.13.1200 done', '1999.12.31.2359', 'release 2024.06.1200'])(
    '%j',
    (text) => {
      expect(phones(text)).toEqual([]);
    },
  );

  it('dotted phone numbers stay phones', () => {
    expect(phones('call 0208.555.1234')).toEqual(['0208.555.1234']);
    expect(phones('555.123.4567')).toEqual(['555.123.4567']);
    expect(phones('call 06.12.34.56.78')).toEqual(['06.12.34.56.78']);
    // a year-like first group without a month after it
    expect(phones('phone 2024.555.1234')).toEqual(['2024.555.1234']);
  });
});
