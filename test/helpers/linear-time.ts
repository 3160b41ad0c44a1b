import { expect } from 'vitest';

/**
 * Asserts that `run` takes linear time on inputs `make(n)` builds: 1 MB in under `limitMs`, and four times the
 * input in under 9× the time (linear work takes about 4×, quadratic 16×; 2× with a bound of 4× failed now and
 * then on a noisy VM with no super-linear work in it). Each size is timed best of `rounds`: a garbage collection
 * inside one run is noise, not growth. Use it inside an `it(…, { retry: 2 })`.
 */
export function expectLinearTime(
  make: (n: number) => string,
  run: (input: string) => unknown,
  { limitMs = 1000, rounds = 5 }: { limitMs?: number; rounds?: number } = {},
): void {
  const time = (n: number) => {
    const s = make(n);
    let best = Number.POSITIVE_INFINITY;
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      run(s);
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  };
  time(100_000); // warm up
  const small = time(250_000);
  const big = time(1_000_000);
  expect(big).toBeLessThan(limitMs);
  expect(big / Math.max(small, 1)).toBeLessThan(9);
}
