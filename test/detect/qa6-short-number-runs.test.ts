/**
 * Text made of short digit fragments (`%4%4%4…`, `x%41%41%41 …`) cost several times what prose costs: the number
 * scanner kept a run object for every lone digit, and the tagger read each percent escape as two tokens. These
 * tests check the structure (what gets allocated, what the tagger is given), not the clock; the timed guards
 * for adversarial input are in adversarial.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { detectPiiPatterns } from '../../src/detect/pii/patterns/index.js';
import { createScanContext } from '../../src/detect/pii/patterns/scan.js';
import { proseOnly } from '../../src/detect/pii/prose.js';

const runs = (text: string) => createScanContext(text).numberRuns();

describe('number runs of fewer than four digits', () => {
  it.each([
    ['%4', '%4'.repeat(50_000)],
    ['x%41%41%41 ', 'x%41%41%41 '.repeat(10_000)],
    [';4', ';4'.repeat(50_000)],
    ['(4);', '(4);'.repeat(25_000)],
    ['1.2;', '1.2;'.repeat(25_000)],
  ])('between punctuation (%j repeated) are fragments: no run is kept', (_, text) => {
    expect(runs(text)).toHaveLength(0);
    expect(detectPiiPatterns(text)).toEqual([]);
  });

  it('next to a space, a colon, a dash or a unit they are still read as ages, days and times', () => {
    const found = (text: string) => detectPiiPatterns(text).map((m) => [m.type, text.slice(m.start, m.end)]);
    expect(found('aged 4;')).toEqual([['AGE', '4']]);
    expect(found('age:34;')).toEqual([['AGE', '34']]);
    expect(found('she is 34yo;')).toEqual([['AGE', '34']]);
    expect(found('(34 years old)')).toEqual([['AGE', '34']]);
    expect(found('she was 34.')).toEqual([['AGE', '34']]);
    expect(found('on March 3;')).toEqual([['DATE_TIME', 'March 3']]);
    expect(found('3-March')).toEqual([['DATE_TIME', '3-March']]);
    expect(found('at 3pm;')).toEqual([['DATE_TIME', '3pm']]);
    expect(found('at 10:30;')).toEqual([['DATE_TIME', '10:30']]);
  });

  it('longer numbers are kept wherever they stand', () => {
    expect(runs(';4155550100;').map((r) => r.digits)).toEqual(['4155550100']);
    expect(runs('%4;1234;4;12-34;4').map((r) => r.digits)).toEqual(['1234', '1234']);
  });
});

describe('the tagger is not given URL-encoded chunks', () => {
  it('a chunk made mostly of %XX escapes is blanked, offsets kept', () => {
    const text = 'x%41%41%41 '.repeat(1000);
    const prose = proseOnly(text);
    expect(prose).toHaveLength(text.length);
    expect(prose.trim()).toBe('');
  });

  it('a few escapes between words stay readable', () => {
    expect(proseOnly('name=John%20Smith&city=Paris')).toBe('name=John%20Smith&city=Paris');
    expect(proseOnly('Ask Maria about 50% of it')).toBe('Ask Maria about 50% of it');
  });
});
