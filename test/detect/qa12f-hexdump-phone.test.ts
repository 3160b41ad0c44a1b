/**
 * QA pass 12f: hexdump offsets (`00000010`) were phone numbers at 0.55: `scorePhone` read any `00…` as the
 * international prefix (phoneShape already required a country code after it, never 0), and libphonenumber's "invalid"
 * still scores 0.55 for an international number. The byte columns of `xxd` / `hexdump` / `od -x` lines (`3132 3334
 * 3536`, `0000000 3231 3433`) read as grouped national numbers or cards.
 */
import { describe, expect, it } from 'vitest';
import { scanText } from '../../src/core/scan.js';
import { piiDetector } from '../../src/detect/index.js';
import { expectLinearTime } from '../helpers/linear-time.js';

/** Findings of `type` in the text itself, not in a decoded view of the byte columns. */
const found = (text: string, type = 'PHONE_NUMBER') =>
  scanText(text, { detectors: [piiDetector], fast: true, decode: false })
    .filter((f) => f.type === type)
    .map((f) => text.slice(f.start, f.end));

describe('hexdump offsets and byte columns are not phone numbers', () => {
  it.each([
    ['an offset alone', '00000010'],
    ['an offset after a word', 'at offset 00000010 the header ends'],
    ['an offset next to a phone word', 'call stack\n00000010'],
    ['the last offset of hexdump -C', '00000061'],
    ['od / hexdump offset', '0000020'],
    ['hexdump -C line', '00000010  31 32 33 34 35 36 37 38  39 30 20 20 20 20 20 20  |..........      |'],
    ['a short last line', '00000060  39                                                |9|'],
    ['xxd line', '00000000: 3132 3334 3536 3738 3930 2063 616c 6c20  .......... call '],
    ['xxd last line', '00000060: 39                                       9'],
    ['hexdump line', '0000000 3231 3433 3635 3837 3039 6320 6c61 206c'],
    ['od -A x -t x1z line', '000020 36 37 20 6f 72 20 2b 34 34 20 32 30 20 37 39 34  >67 or +44 20 794<'],
  ])('%s', (_name, text) => {
    expect(found(text)).toEqual([]);
  });

  it('byte columns are not card numbers', () => {
    expect(found('00000020: 3637 206f 7220 2b34 3420 3230 2037 3934  67 or +44 20 794', 'CREDIT_CARD')).toEqual([]);
    expect(found('0000020 3736 6f20 2072 342b 2034 3032 3720 3439', 'CREDIT_CARD')).toEqual([]);
    expect(found('card 4111 1111 1111 1111')).toEqual([]);
    expect(found('card 4111 1111 1111 1111', 'CREDIT_CARD')).toEqual(['4111 1111 1111 1111']);
  });

  it('real phone numbers are still found', () => {
    expect(found('call 0044 20 7946 0958')).toEqual(['0044 20 7946 0958']);
    expect(found('tel 00 44 20 7946 0958')).toEqual(['00 44 20 7946 0958']);
    expect(found('call me on 001 415 555 0100')).toEqual(['001 415 555 0100']);
    expect(found('+44 20 7946 0958')).toEqual(['+44 20 7946 0958']);
    expect(found('(020) 7946 0958')).toEqual(['(020) 7946 0958']);
    expect(found('030 1234567')).toEqual(['030 1234567']);
    expect(found('Appelez 06 12 34 56 78')).toEqual(['06 12 34 56 78']);
    expect(found('my phone: 0612345678')).toEqual(['0612345678']);
    // a phone on the line after a dump, and one in its text column
    expect(
      found('00000010  31 32 33 34 35 36 37 38  39 30 20 20 20 20 20 20  |..........|\nphone 020 7946 0958'),
    ).toEqual(['020 7946 0958']);
  });

  it('hexdump lines in linear time', { retry: 2 }, () => {
    const line = '00000010: 3132 3334 3536 3738 3930 2063 616c 6c20  1234567890 call \n';
    expectLinearTime(
      (n) => line.repeat(Math.ceil(n / line.length)),
      (s) => scanText(s, { detectors: [piiDetector], fast: true }),
      { limitMs: 3000, rounds: 3 },
    );
  });
});
