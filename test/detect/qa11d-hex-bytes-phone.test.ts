/**
 * QA pass 11d: hex bytes written with spaces (`41 42 43 44 45 46 47 48 49 50`, a hex dump) read as a phone number:
 * seven groups of two digits have a phone's shape. Two-digit groups among eight hex bytes or more (sixteen digits,
 * past any phone) are bytes now; a phone written in pairs (`06 12 34 56 78`) is still one.
 */
import { describe, expect, it } from 'vitest';
import { scanText } from '../../src/core/scan.js';
import { piiDetector } from '../../src/detect/index.js';
import { expectLinearTime } from '../helpers/linear-time.js';

const hex = (t: string) => [...Buffer.from(t)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
const phones = (text: string) =>
  scanText(text, { detectors: [piiDetector], fast: true })
    .filter((f) => f.type === 'PHONE_NUMBER')
    .map((f) => text.slice(f.start, f.end));

describe('spaced hex bytes are not phone numbers', () => {
  it.each([
    ['bytes', 'bytes: 41 42 43 44 45 46 47 48 49 50'],
    ['hex of text, digits after letters', `call me: ${hex('I am at 555')}`],
    ['hex of text', `${hex('hi there')} sent`],
    ['a hexdump line', '00000010  31 32 33 34 35 36 37 38  39 30 20 20 20 20 20 20  |1234567890      |'],
  ])('%s', (_name, text) => {
    expect(phones(text).filter((p) => / \d\d /.test(p))).toEqual([]);
  });

  it('phones written in pairs of digits are still found', () => {
    expect(phones('Appelez-moi au 06 12 34 56 78 merci')).toEqual(['06 12 34 56 78']);
    expect(phones('phone 06 12 34 56 78, fax 01 23 45 67 89')).toEqual(['06 12 34 56 78', '01 23 45 67 89']);
    expect(phones('call 41 42 43 44 45 46 47')).toEqual(['41 42 43 44 45 46 47']); // seven pairs: a phone's shape
    expect(phones('bytes 41 42 43 44 45 46 47\nphone 06 12 34 56 78')).toContain('06 12 34 56 78');
  });

  describe('linear time', () => {
    const cases: Record<string, (n: number) => string> = {
      'spaced bytes': (n) => '41 '.repeat(n / 3),
      'pairs of digits between hex bytes with letters': (n) => '6c 31 32 33 34 35 36 37 '.repeat(n / 24),
      'pairs of digits on short lines': (n) => '31 32 33 34 35 36 37 38\n'.repeat(n / 24),
    };
    for (const [name, make] of Object.entries(cases)) {
      it(`${name}: 1 MB in well under a second, growing linearly`, { retry: 2 }, () => {
        expectLinearTime(make, (s) => scanText(s, { detectors: [piiDetector], fast: true }), {
          limitMs: 3000,
          rounds: 3,
        });
      });
    }
  });
});
