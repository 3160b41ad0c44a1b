/** URL-encoded text around personal data: the escapes bound a value, they are not part of it or of a second span. */
import { describe, expect, it } from 'vitest';
import { detect } from '../../src/index.js';

const spans = (text: string) => detect(text).map((f) => [f.type, text.slice(f.start, f.end)]);

describe('percent escapes next to personal data', () => {
  it('a %XX escape before a number bounds it: an IP address, not a phone number that swallowed "20"', () => {
    expect(spans('x%20192.168.10.45%20y')).toEqual([['IP_ADDRESS', '192.168.10.45']]);
    expect(spans('x%2F192.168.10.45')).toEqual([['IP_ADDRESS', '192.168.10.45']]);
    expect(spans('tel%3A4155550100')).toEqual([['PHONE_NUMBER', '4155550100']]);
  });

  it('an address seen in the plain text is not reported again as the whole decoded segment', () => {
    expect(spans('mail%20bob%40example.com%20now')).toEqual([['EMAIL_ADDRESS', 'bob%40example.com']]);
  });

  it('a value only the decoding reveals is still reported', () => {
    // base64 of "mail bob@example.com now"
    const text = 'bWFpbCBib2JAZXhhbXBsZS5jb20gbm93';
    expect(spans(text)).toEqual([['EMAIL_ADDRESS', text]]);
  });
});
