import { LifeguardError } from '../../core/errors.js';

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;

/**
 * A time bound as people type it: a duration back from `now` (`90s`, `15m`, `1h`, `7d`, `2w`), an ISO 8601
 * date or date-time, or epoch milliseconds. Returns epoch milliseconds.
 */
export function parseTimeBound(value: string, now: number = Date.now()): number {
  const v = value.trim();
  const d = DURATION.exec(v);
  if (d) return Math.round(now - Number(d[1]) * (UNIT_MS[d[2] as string] as number));
  if (/^\d{10,}$/.test(v)) return Number(v);
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) {
    const ms = Date.parse(v);
    if (Number.isFinite(ms)) return ms;
  }
  throw new LifeguardError(
    'LG_ERR_INPUT_INVALID',
    `cannot read time "${value}": use a duration such as 30m, 1h, 7d, or an ISO date such as 2026-01-31T12:00:00Z`,
  );
}
