/** Pseudonym dates with a two-digit year stay in the year's century window (1950–2049). */
import { describe, expect, it } from 'vitest';
import { type RedactOptions, redact } from '../../src/core/redact/index.js';

const KEY = 'qa9 short-year key, 16+ bytes long';

function fake(value: string, options: Partial<RedactOptions> = {}): string {
  const text = `on ${value}.`;
  const finding = {
    detector: 'test',
    type: 'DATE_TIME',
    start: 3,
    end: 3 + value.length,
    score: 1,
    risk: 'privacy.pii' as const,
  };
  const out = redact(text, [finding], { operator: 'pseudonym', key: KEY, ...options }).text;
  return out.slice(3, -1);
}

/** A numeric m/d/yy date as the pseudonym operator reads it (00–49 → 2000s), in days since 1970. */
function readBack(mdy: string): number {
  const [m, d, yy] = mdy.split(/[/.-]/).map(Number) as [number, number, number];
  return Date.UTC(yy < 50 ? 2000 + yy : 1900 + yy, m - 1, d) / 86_400_000;
}

describe('pseudonym dates with a two-digit year', () => {
  // Before: `12/31/49` (2049) + 200 days was written `07/19/50`, which reads as 1950: a 100-year jump.
  it('a fixed shift that would leave the window goes the other way', () => {
    expect(fake('12/31/49', { pseudonym: { dateShiftDays: 200 } })).toBe('06/14/49');
    expect(fake('01/05/50', { pseudonym: { dateShiftDays: -30 } })).toBe('02/04/50');
    // inside the window nothing changes
    expect(fake('03/05/21', { pseudonym: { dateShiftDays: 30 } })).toBe('04/04/21');
    expect(fake('12/31/2049', { pseudonym: { dateShiftDays: 200 } })).toBe('07/19/2050');
  });

  it('a random shift always reads back as a date 1–365 days away', () => {
    for (const value of ['12/31/49', '12/01/49', '01/01/50', '06/30/50', '2/28/00', '12/31/99']) {
      for (let k = 0; k < 40; k++) {
        const out = fake(value, { key: `${KEY} ${k}` });
        const days = Math.abs(readBack(out) - readBack(value));
        expect(days, `${value} → ${out}`).toBeGreaterThanOrEqual(1);
        expect(days, `${value} → ${out}`).toBeLessThanOrEqual(365);
      }
    }
  });

  it('a fixed shift too large for the window falls back to the hash placeholder', () => {
    expect(fake('06/15/00', { pseudonym: { dateShiftDays: 30_000 } })).toMatch(/^<DATE_TIME_[0-9a-f]{12}>$/);
  });
});
