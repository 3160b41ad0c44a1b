/**
 * QA (12j): the dashboard with rows the audit log would no longer accept, and live viewers that leave.
 *
 * - a row whose `ts` is no valid date (written by an older version, or by hand) made the page's script throw
 *   (`toISOString` of an invalid Date) while building the table: the table stayed empty and the live feed,
 *   started after the first page loads, never connected. It must show the number and go on.
 * - a live viewer that disconnects frees its place: with one place, five viewers in turn each get in.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuditLog, newAuditId } from '../../src/guard/audit/index.js';
import { mountDashboard } from '../../src/guard/dashboard/index.js';

const CHROMIUM = '/usr/bin/chromium';
const RUN_BROWSER = existsSync(CHROMIUM) || Boolean(process.env.CI);
const ADMIN_KEY = 'qa12j-admin-key-0123456789abcdef';
const dir = mkdtempSync(join(tmpdir(), 'lg-qa12j-dash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function dashboard(file: string, options: { maxLiveViewers?: number } = {}) {
  const audit = await createAuditLog({ sqlitePath: file });
  const app = new Hono();
  mountDashboard(app, { audit, adminKey: ADMIN_KEY, liveIntervalMs: 50, ...options });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as AddressInfo).port;
  return {
    audit,
    port,
    base: `http://127.0.0.1:${port}`,
    close: async () => {
      server.close();
      await audit.close();
    },
  };
}

describe('live viewers that leave', () => {
  it('free their place', async () => {
    const d = await dashboard(join(dir, 'live.db'), { maxLiveViewers: 1 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const req = await new Promise<http.ClientRequest>((resolve) => {
          const r = http.get(
            {
              host: '127.0.0.1',
              port: d.port,
              path: '/admin/api/live',
              headers: { authorization: `Bearer ${ADMIN_KEY}` },
            },
            (res) => {
              statuses.push(res.statusCode ?? 0);
              res.on('data', () => {});
              res.once('data', () => resolve(r));
            },
          );
          r.on('error', () => {});
        });
        req.destroy();
        // The server notices the closed socket and unsubscribes; give it a moment.
        await new Promise((r) => setTimeout(r, 150));
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
    } finally {
      await d.close();
    }
  });
});

describe.skipIf(!RUN_BROWSER)('dashboard with a row whose time is no date (headless Chromium)', () => {
  it('shows every row, the number for the bad time, and goes live', async () => {
    const { chromium } = await import('playwright-core');
    const file = join(dir, 'bad-ts.db');
    const now = Date.now();
    const seed = await createAuditLog({ sqlitePath: file });
    await seed.record({ requestId: 'good-row', stage: 'input', check: 'pii', action: 'allow', latencyMs: 1 });
    await seed.close();
    const raw = new Database(file);
    raw
      .prepare(
        'insert into audit_events (id, ts, request_id, stage, check_name, action, latency_ms) values (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(newAuditId(now + 1), 1e20, 'bad-ts-row', 'input', 'pii', 'block', 1);
    raw.close();

    const d = await dashboard(file);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      await page.goto(`${d.base}/admin`);
      await page.fill('#key', ADMIN_KEY);
      await page.click('button[type=submit]');
      await page.locator('#events-body tr').nth(1).waitFor({ timeout: 15_000 });
      const text = await page.locator('#events-body').textContent();
      expect(text).toContain('bad-ts-row');
      expect(text).toContain('good-row');
      expect(text).toContain('100000000000000000000');
      await page.locator('#live-status.live').waitFor({ timeout: 15_000 });
      await page.locator('#events-body tr', { hasText: 'bad-ts-row' }).click();
      await page.locator('#detail-fields dd', { hasText: '100000000000000000000' }).waitFor({ timeout: 5_000 });
      // A new decision arrives over the live feed.
      await d.audit.record({ requestId: 'live-row', stage: 'input', check: 'pii', action: 'allow', latencyMs: 1 });
      await page.locator('#events-body tr', { hasText: 'live-row' }).waitFor({ timeout: 15_000 });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      await d.close();
    }
  }, 120_000);
});
