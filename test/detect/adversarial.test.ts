import { describe, expect, it } from 'vitest';
import { scanText } from '../../src/core/scan.js';
import { piiDetector, secretsDetector } from '../../src/detect/index.js';

/**
 * Inputs crafted to make regular expressions backtrack. Every detector, through the whole engine
 * (normalisation, views, decoding), must finish 1 MB in under 200 ms and grow linearly.
 * Medians of three runs with generous ratios, so a loaded machine does not flake.
 */
const MB = 1_000_000;
const attacks: Record<string, (n: number) => string> = {
  letters: (n) => 'a'.repeat(n),
  digits: (n) => '1'.repeat(n),
  'at-signs': (n) => 'a@'.repeat(n / 2),
  'digit-dash': (n) => '1-'.repeat(n / 2),
  'dotted-quads': (n) => '1.1.'.repeat(n / 4),
  colons: (n) => 'a:'.repeat(n / 2),
  'url-prefix': (n) => 'http://'.repeat(n / 7),
  'dotted-words': (n) => 'a.'.repeat(n / 2),
  'spaced-chars': (n) => 'a '.repeat(n / 2),
  'pem-headers': (n) => '-----BEGIN '.repeat(n / 11),
  assignments: (n) => `password=${'a'.repeat(n - 9)}`,
  'jwt-like': (n) => `eyJ${'a.'.repeat((n - 3) / 2)}`,
  base64ish: (n) => 'QUJDRA=='.repeat(n / 8),
  'zero-width': (n) => 'a\u200b'.repeat(n / 2),
  'capitalised-words': (n) => 'Aa '.repeat(n / 3),
};

function median3(fn: () => void): number {
  const t: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[1];
}

for (const detector of [piiDetector, secretsDetector]) {
  describe(`${detector.id}: linear time on hostile input`, () => {
    for (const [name, make] of Object.entries(attacks)) {
      it(name, () => {
        const half = make(MB / 2);
        const full = make(MB);
        // the tagger is a linear model over tokens; it is part of the budget for pii
        const run = (s: string) => () => scanText(s, { detectors: [detector] });
        run(make(50_000))();
        const tHalf = median3(run(half));
        const tFull = median3(run(full));
        expect(tFull, `${name}: ${tFull.toFixed(0)} ms for 1 MB`).toBeLessThan(200);
        expect(tFull / Math.max(tHalf, 5)).toBeLessThan(3);
      });
    }
  });
}
