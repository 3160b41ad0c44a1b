/**
 * QA: the `/admin` dashboard fed audit events whose every string field is hostile (excerpts, check and
 * category names, request ids, API key names, routes, policies, models, errors), shown in headless
 * Chromium: first from the events API, then over the live SSE feed. No payload may run, no markup may
 * become an element, the text must show as text, the CSP must hold, and the admin key must never appear
 * in anything the browser is sent.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createAuditLog } from '../../src/guard/audit/index.js';
import type { AuditEventInput } from '../../src/guard/audit/types.js';
import { mountDashboard } from '../../src/guard/dashboard/index.js';

const CHROMIUM = '/usr/bin/chromium';
const RUN_BROWSER = existsSync(CHROMIUM) || Boolean(process.env.CI);
const ADMIN_KEY = 'qa9-admin-key-<script>window.__pwned=1</script>-0123456789';

const PAYLOADS = [
  '<script>window.__pwned=1</script>',
  '"><img src=x onerror="window.__pwned=1">',
  "'><svg onload='window.__pwned=1'>",
  '</style><img src=x onerror=window.__pwned=1>',
  '--><img src=x onerror=window.__pwned=1><!--',
  'javascript:window.__pwned=1',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a payload for template-literal sinks, on purpose
  '`${window.__pwned=1}`',
  '</script>\u2028\u2029<script>window.__pwned=1</script>',
  '<svg><foreignObject><img src=x onerror=window.__pwned=1></foreignObject></svg>',
];
const INJECTED = 'img, iframe, object, embed, foreignObject, [onerror], [onload], a[href^="javascript:" i]';

function hostileEvent(i: number, requestId: string): AuditEventInput {
  const p = PAYLOADS[i % PAYLOADS.length];
  return {
    requestId: `${requestId}\u202e`,
    route: `/v1/${p}`,
    apiKeyId: `key-${p}`,
    policy: `policy-${p}`,
    model: `model-${p}`,
    stage: 'input',
    check: `chk${i}-${p}`,
    category: `cat-\u202e${p}`,
    action: i % 2 ? 'block' : 'warn',
    score: 0.5,
    latencyMs: 1 + i,
    excerpt: `\u202eexcerpt ${p} ${'<b>x</b>'.repeat(500)}`,
    error: `error ${p}`,
  };
}

describe.skipIf(!RUN_BROWSER)('dashboard with hostile audit events (headless Chromium)', () => {
  it('runs no payload, shows the text, sends the CSP and never the admin key', async () => {
    const { chromium } = await import('playwright-core');
    const dir = mkdtempSync(join(tmpdir(), 'lg-qa9-xss-dash-'));
    const audit = await createAuditLog({ sqlitePath: join(dir, 'audit.db') });
    await audit.record(PAYLOADS.map((_, i) => hostileEvent(i, `req-${PAYLOADS[i]}`)));
    await audit.flush();
    const app = new Hono();
    mountDashboard(app, { audit, adminKey: ADMIN_KEY, liveIntervalMs: 100 });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      const problems: string[] = [];
      const bodies: string[] = [];
      page.on('dialog', (d) => {
        problems.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('response', async (res) => {
        const type = res.headers()['content-type'] ?? '';
        if (type.includes('event-stream')) return; // read below, with fetch
        bodies.push(`${JSON.stringify(res.headers())}\n${await res.text().catch(() => '')}`);
      });

      await page.goto(`${base}/admin`);
      await page.fill('#key', ADMIN_KEY);
      const [pageRes] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/admin' && r.request().method() === 'GET'),
        page.click('button[type=submit]'),
      ]);
      const csp = pageRes.headers()['content-security-policy'] ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(pageRes.headers()['x-content-type-options']).toBe('nosniff');

      await page
        .locator('#events-body tr')
        .nth(PAYLOADS.length - 1)
        .waitFor();
      await page.locator('#live-status.live').waitFor();

      // Live: more hostile events arrive over SSE while the page is open.
      await audit.record(PAYLOADS.map((_, i) => hostileEvent(i + 100, `live-${PAYLOADS[i]}`)));
      await audit.flush();
      await page
        .locator('#events-body tr.fresh')
        .nth(PAYLOADS.length - 1)
        .waitFor({ timeout: 15_000 });
      await page.locator('#block-by-check svg g').first().waitFor();

      // Open every row's detail (fields and excerpt) and hover the charts' labels.
      const rows = await page.locator('#events-body tr').all();
      expect(rows.length).toBe(2 * PAYLOADS.length);
      for (const row of rows) {
        const id = await row.getAttribute('data-id');
        await row.click();
        await page.locator('#detail-fields dd', { hasText: id as string }).waitFor();
      }
      // Live events re-render the charts, so a label found here may be replaced (detached, or not visible) by the
      // time it is hovered; the checks below are what matter, the hover only shows each native <title> tooltip.
      for (const g of (await page.locator('.chart svg g').all()).slice(0, 40)) {
        await g.hover({ force: true, timeout: 2_000 }).catch(() => undefined);
      }
      await page.waitForTimeout(300);

      expect(await page.evaluate('window.__pwned')).toBeUndefined();
      expect(problems).toEqual([]);
      expect(await page.locator(INJECTED).count()).toBe(0);
      expect(await page.locator('script').count()).toBe(1);
      const text = await page.evaluate<string>("document.body.textContent || ''");
      // Identifiers are one line in the audit log: line and paragraph separators are stored as spaces (qa12j).
      for (const [i, p] of PAYLOADS.entries()) expect(text).toContain(`chk${i}-${p.replace(/[\u2028\u2029]/g, ' ')}`);
      const last = hostileEvent(0, ''); // the bottom row, clicked last
      for (const f of [last.route, last.apiKeyId, last.policy, last.model, last.error])
        expect(await page.locator('#detail-fields').textContent()).toContain(f);
      expect(await page.locator('#detail-excerpt').textContent()).toContain(`excerpt ${PAYLOADS[0]} <b>x</b>`);
      // A right-to-left override in a category shows as a code point, not reversing the label.
      expect(text).toContain('cat-⟨U+202E⟩');
      expect(text).not.toContain('\u202e');
      // So do the excerpt (it starts with one) and the request id's tooltip.
      expect(await page.locator('#detail-excerpt').textContent()).toMatch(/^⟨U\+202E⟩excerpt /);
      const titles = await page
        .locator('#events-body td[title]')
        .evaluateAll((tds) => tds.map((td) => td.getAttribute('title') ?? ''));
      expect(titles.join('')).toContain('⟨U+202E⟩');
      expect(titles.join('')).not.toContain('\u202e');

      // The admin key is nowhere in what the browser received: pages, scripts, API answers, headers.
      await page.reload();
      await page.locator('#events-body tr').first().waitFor();
      for (const b of bodies) expect(b).not.toContain(ADMIN_KEY);
      expect(await page.content()).not.toContain(ADMIN_KEY);
      const cookie = (await context.cookies()).map((c) => c.value).join(';');
      expect(cookie).not.toContain(ADMIN_KEY);
      // The SSE stream: hostile fields are JSON on one `data:` line each, the key is not there.
      const ctl = new AbortController();
      const live = await fetch(`${base}/admin/api/live?after=${'0'.repeat(26)}`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
        signal: ctl.signal,
      });
      const reader = (live.body as ReadableStream<Uint8Array>).getReader();
      let sse = '';
      while ((sse.match(/event: decision/g) ?? []).length < 2 * PAYLOADS.length) {
        const { value, done } = await reader.read();
        if (done) break;
        sse += new TextDecoder().decode(value);
      }
      ctl.abort();
      expect(sse).not.toContain(ADMIN_KEY);
      for (const line of sse.split('\n')) if (line.startsWith('data: {')) JSON.parse(line.slice(6));
      await context.close();
    } finally {
      await browser.close();
      server.close();
      await audit.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
