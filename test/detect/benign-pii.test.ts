import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scanText } from '../../src/core/scan.js';
import { piiDetector } from '../../src/detect/index.js';

/** Benign technical docs and Shakespeare: numbers, versions and ports must not read as personal data. */
const DIR = new URL('../fixtures/benign-docs/', import.meta.url);
const docs = [
  ...['fastchat_docs.jsonl', 'oasst_docs.jsonl'].flatMap((f) =>
    readFileSync(new URL(f, DIR), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { text: string }).text),
  ),
  readFileSync(new URL('tinyshakespeare.txt', DIR), 'utf8'),
];

const NUMERIC = new Set([
  'PHONE_NUMBER',
  'CREDIT_CARD',
  'US_SSN',
  'IBAN_CODE',
  'US_BANK_NUMBER',
  'CRYPTO',
  'IN_AADHAAR',
  'UK_NHS',
]);

describe('pii patterns on benign documents', () => {
  it('report no numeric identifiers', () => {
    const hits = docs.flatMap((d) =>
      scanText(d, { detectors: [piiDetector], fast: true })
        .filter((f) => NUMERIC.has(f.type))
        .map((f) => `${f.type} ${JSON.stringify(d.slice(f.start, f.end))}`),
    );
    expect(hits).toEqual([]);
  });
});
