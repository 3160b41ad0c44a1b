import { describe, expect, it } from 'vitest';
import { decodeSegments, MappedText } from '../../src/core/normalize/index.js';
import { scanText } from '../../src/core/scan.js';
import { piiDetector, secretsDetector } from '../../src/detect/index.js';

const opts = { detectors: [piiDetector, secretsDetector], fast: true };

/** Personal data that is mostly digits: too few letters for the old "readable text" test. */
const CASES: Array<[string, string]> = [
  ['CREDIT_CARD', 'card 4111 1111 1111 1111'],
  ['US_SSN', 'SSN: 536-22-8410'],
  ['PHONE_NUMBER', 'phone +44 20 7946 0958'],
  ['IP_ADDRESS', 'ip 192.168.10.45 port 8080'],
];

describe('encoded personal data made mostly of digits', () => {
  for (const [type, payload] of CASES) {
    for (const encoding of ['base64', 'hex'] as const) {
      it(`finds ${type} in ${encoding}, on the encoded run of the original text`, () => {
        const encoded = Buffer.from(payload).toString(encoding);
        const text = `😀 decode this: ${encoded} please`;
        const hit = scanText(text, opts).find((f) => f.type === type);
        expect(hit).toMatchObject({ via: `decoded:${encoding}` });
        expect(text.slice(hit?.start, hit?.end)).toBe(encoded);
      });
    }
  }

  it('finds each line of line-wrapped (MIME-style) base64, digit-heavy lines included', () => {
    const payload =
      'Dear team, please contact maria.gonzalez@example.com or call +44 20 7946 0958 about the card 4111 1111 1111 1111. Thanks.';
    const wrapped = (
      Buffer.from(payload)
        .toString('base64')
        .match(/.{1,76}/g) as string[]
    ).join('\r\n');
    const types = scanText(`data:\r\n${wrapped}\r\nend`, opts).map((f) => f.type);
    expect(types).toEqual(expect.arrayContaining(['EMAIL_ADDRESS', 'PHONE_NUMBER', 'CREDIT_CARD']));
  });

  it('leaves the classifier features’ default (letter-rich segments only) unchanged', () => {
    const view = MappedText.original(`x ${Buffer.from('card 4111 1111 1111 1111').toString('base64')} y`);
    expect(decodeSegments(view, 2)).toHaveLength(0);
    expect(decodeSegments(view, 2, { numeric: true })).toHaveLength(1);
  });
});
