import { describe, expect, it } from 'vitest';
import { gtin, luhn } from '../../src/detect/pii/patterns/validators.js';
import { detect } from '../../src/index.js';

const cards = (text: string) =>
  detect(text)
    .filter((f) => f.type === 'CREDIT_CARD')
    .map((f) => text.slice(f.start, f.end));

/**
 * One EAN-13 barcode in ten passes Luhn by chance, and German ones (prefix 400-440) start with Visa's 4, so
 * product codes on receipts and order lines were reported as payment cards.
 */
describe('EAN-13 barcodes are not payment cards', () => {
  // same manufacturer as the well-known 4006381333931 (which fails Luhn), with a check digit that passes both
  const germanEan = '4006381333924';
  const gs1Example = '5901234123457';

  it('the examples are valid barcodes and pass Luhn', () => {
    for (const d of [germanEan, gs1Example]) {
      expect(gtin(d)).toBe(true);
      expect(luhn(d)).toBe(true);
    }
    expect(gtin('4006381333931')).toBe(true);
  });

  it.each([germanEan, gs1Example, `Barcode: ${germanEan}`, `EAN ${gs1Example}, 2 pcs`, '4006381333931'])(
    '%j has no card',
    (text) => {
      expect(cards(text)).toEqual([]);
    },
  );

  it('a card word nearby, or a card grouping, still makes it a card', () => {
    expect(cards(`card number ${germanEan}`)).toEqual([germanEan]);
    expect(cards('4006 3813 3392 4')).toEqual(['4006 3813 3392 4']);
  });

  it('13-digit Visa numbers that are not barcodes are still cards', () => {
    expect(gtin('4222222222222')).toBe(false);
    expect(cards('4222222222222')).toEqual(['4222222222222']);
  });

  it('gtin checks EAN-13, UPC-A and EAN-8 check digits', () => {
    expect(gtin('036000291452')).toBe(true);
    expect(gtin('96385074')).toBe(true);
    expect(gtin('4006381333932')).toBe(false);
    expect(gtin('1234567')).toBe(false);
  });
});
