import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createAuditLog, parseTimeBound } from '../../src/guard/audit/index.js';
import { parseGatewayConfig, serveGateway } from '../../src/guard/gateway/index.js';

// Times written without a UTC offset are UTC, on every server and in every browser. `Date.parse` read
// `2026-11-29T10:00:00` and `2026-11-29 10:00` in the server's own time zone, so a dashboard query gave
// different answers on machines in different zones.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./qa6-tz-child.ts', import.meta.url));
const ADMIN_KEY = 'test-admin-key-0123456789abcdef';
const CHROMIUM = '/usr/bin/chromium';
const RUN_BROWSER = existsSync(CHROMIUM) || Boolean(process.env.CI);
const TEN_UTC = Date.UTC(2026, 10, 29, 10);

interface ChildReport {
  tz: string;
  offsetMinutes: number;
  parsed: number[];
  statsT: number;
  statsSpace: number;
  statsZ: number;
  events: string[];
  bad: { status: number; message?: string };
}

/**
 * The dashboard's API in a child process whose time zone is `tz`: a vitest worker is a thread, and setting
 * process.env.TZ in one does not change the time zone its Date uses.
 */
async function inTimeZone(tz: string): Promise<ChildReport> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: ROOT,
    env: { ...process.env, TZ: tz },
    timeout: 60_000,
  });
  return JSON.parse(stdout) as ChildReport;
}

describe('dashboard time ranges without an offset are UTC', () => {
  for (const tz of ['Asia/Kolkata', 'America/New_York']) {
    it(`on a server in ${tz}`, async () => {
      const r = await inTimeZone(tz);
      expect(r.tz).toBe(tz);
      expect(r.offsetMinutes).not.toBe(0); // the child really runs outside UTC
      expect(r.parsed).toEqual([TEN_UTC, TEN_UTC, TEN_UTC, Date.UTC(2026, 10, 29)]);
      // 10:00–11:00 UTC holds the one decision recorded at 10:30 UTC, however the range is written.
      expect({ t: r.statsT, space: r.statsSpace, z: r.statsZ }).toEqual({ t: 1, space: 1, z: 1 });
      expect(r.events).toEqual(['late', 'inside']);
      // A date that does not exist is refused, not rolled over into the next month.
      expect(r.bad.status).toBe(400);
      expect(r.bad.message).toMatch(/2026-02-30T10:00.*without an offset it is UTC/);
    }, 90_000);
  }
});

describe('parseTimeBound', () => {
  it('reads offset-less date-times as UTC and honours an explicit offset', () => {
    for (const v of ['2026-11-29T10:00:00', '2026-11-29T10:00', '2026-11-29 10:00', '2026-11-29t10:00:00.000z'])
      expect(parseTimeBound(v), v).toBe(TEN_UTC);
    expect(parseTimeBound('2026-11-29T12:00:00+02:00')).toBe(TEN_UTC);
    expect(parseTimeBound('2026-11-29T04:30:00-0530')).toBe(TEN_UTC);
    expect(parseTimeBound('2026-11-29T10:00:00.250')).toBe(TEN_UTC + 250);
    expect(parseTimeBound('2026-11-29T24:00')).toBe(Date.UTC(2026, 10, 30));
    expect(parseTimeBound('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
  });

  it('refuses dates and times that do not exist', () => {
    for (const bad of ['2026-02-29', '2026-04-31', '2026-11-29T25:00', '2026-11-29T10:60', '2026-11-29T10:00+25:00'])
      expect(() => parseTimeBound(bad), bad).toThrow(/without an offset it is UTC/);
  });
});

describe.skipIf(!RUN_BROWSER)('dashboard page in a browser outside UTC', () => {
  it('shows decision times in UTC and says so', async () => {
    const { chromium } = await import('playwright-core');
    const dir = mkdtempSync(join(tmpdir(), 'lg-qa6-utc-'));
    const audit = await createAuditLog({ sqlitePath: join(dir, 'audit.db') });
    await audit.record([
      { requestId: 'r1', stage: 'input', check: 'pii', action: 'block', latencyMs: 1, ts: TEN_UTC + 5_000 },
    ]);
    await audit.flush();
    const gw = await serveGateway(
      parseGatewayConfig({ upstream: { baseUrl: 'http://127.0.0.1:9' }, server: { port: 0 } }),
      { audit, env: { LIFEGUARD_ADMIN_KEY: ADMIN_KEY } },
    );
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const context = await browser.newContext({ timezoneId: 'Asia/Kolkata' });
      const page = await context.newPage();
      await page.goto(`${gw.url}/admin/login`);
      expect(await page.evaluate('new Date(2026, 10, 29).getTimezoneOffset()')).toBe(-330);
      await page.fill('#key', ADMIN_KEY);
      await Promise.all([page.waitForURL(`${gw.url}/admin`), page.click('button[type=submit]')]);
      const row = page.locator('#events-body tr', { hasText: 'pii' }).first();
      await row.waitFor();
      expect(await row.locator('td').first().textContent()).toBe('10:00:05'); // not 15:30:05, Kolkata's time
      expect(await page.locator('#events thead th').first().textContent()).toBe('time (UTC)');
      await context.close();
    } finally {
      await browser.close();
      await gw.close();
      await audit.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
