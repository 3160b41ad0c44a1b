import { describe, expect, it } from 'vitest';
import { scanText } from '../../src/core/scan.js';
import { piiDetector, secretsDetector } from '../../src/detect/index.js';

/**
 * Inputs crafted to make regular expressions backtrack. Every detector, through the whole engine
 * (normalisation, views, decoding), must finish 1 MB in under 200 ms and grow linearly.
 * Best of five runs, generous ratios and two retries, so a loaded machine does not flake while a real
 * blow-up (quadratic time) still fails every time.
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
};

/**
 * Not a backtracking attack but the tagger's worst case: every token is a capitalised word, so every
 * token is decoded. Its cost is the tagger's throughput, so only linear growth is asserted here.
 */
const denseNames = (n: number) => 'Aa '.repeat(n / 3);

/** Best of five: other test files run in parallel on the same cores, and only the floor is meaningful. */
function best5(fn: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

for (const detector of [piiDetector, secretsDetector]) {
  describe(`${detector.id}: linear time on hostile input`, () => {
    for (const [name, make] of Object.entries(attacks)) {
      it(name, { retry: 2 }, () => {
        const half = make(MB / 2);
        const full = make(MB);
        // the tagger is a linear model over tokens; it is part of the budget for pii
        const run = (s: string) => () => scanText(s, { detectors: [detector] });
        run(make(50_000))();
        const tHalf = best5(run(half));
        const tFull = best5(run(full));
        expect(tFull, `${name}: ${tFull.toFixed(0)} ms for 1 MB`).toBeLessThan(200);
        expect(tFull / Math.max(tHalf, 10)).toBeLessThan(3);
      });
    }
  });
}

describe('pii with the tagger on a text of nothing but capitalised words', () => {
  it('grows linearly', { retry: 2 }, () => {
    const run = (s: string) => () => scanText(s, { detectors: [piiDetector] });
    run(denseNames(50_000))();
    const tHalf = best5(run(denseNames(MB / 2)));
    const tFull = best5(run(denseNames(MB)));
    expect(tFull / Math.max(tHalf, 10)).toBeLessThan(3);
  });
  it('patterns alone (--fast) stay under 200 ms', { retry: 2 }, () => {
    const s = denseNames(MB);
    scanText(s, { detectors: [piiDetector], fast: true });
    expect(best5(() => scanText(s, { detectors: [piiDetector], fast: true }))).toBeLessThan(200);
  });
});
