import { describe, expect, it } from 'vitest';
import { scanText } from '../../src/core/scan.js';
import { piiDetector } from '../../src/detect/index.js';

function found(text: string): Array<[string, string]> {
  return scanText(text, { detectors: [piiDetector], fast: true }).map((f) => [f.type, text.slice(f.start, f.end)]);
}

/**
 * NFKC folds full-width digits and thin spaces, but not the Unicode dashes (non-breaking hyphen U+2011, en dash
 * U+2013, minus sign U+2212, …): a phone, card or SSN grouped with them was not a number run at all and went
 * unreported, an easy way around redaction.
 */
describe('Unicode dashes separate digit groups like "-"', () => {
  it.each([
    ['tel: +1\u2011415\u2011555\u20112671', 'PHONE_NUMBER', '+1\u2011415\u2011555\u20112671'],
    ['tel: +1\u2013415\u2013555\u20132671', 'PHONE_NUMBER', '+1\u2013415\u2013555\u20132671'],
    ['tel: +1\u2212415\u2212555\u22122671', 'PHONE_NUMBER', '+1\u2212415\u2212555\u22122671'],
    ['card 4111\u20131111\u20131111\u20131111', 'CREDIT_CARD', '4111\u20131111\u20131111\u20131111'],
    ['card 4111\u20101111\u20101111\u20101111', 'CREDIT_CARD', '4111\u20101111\u20101111\u20101111'],
    ['SSN: 536\u201322\u20138410', 'US_SSN', '536\u201322\u20138410'],
  ])('%j', (text, type, value) => {
    expect(found(text)).toContainEqual([type, value]);
  });

  it('ranges and dates written with en dashes stay what they were', () => {
    expect(found('years 1990\u20132000 and pages 123\u2013456, range 10\u201320 km')).toEqual([]);
  });
});
