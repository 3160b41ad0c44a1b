/**
 * QA: red-team and data-scan `report.html` built end to end (the CLI) from hostile inputs, then loaded in
 * headless Chromium. No payload may run (no `window.__pwned`, no dialog, no CSP violation logged), no
 * markup may become an element, and the hostile text must still be shown as text.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataScanReport } from '../../src/data/scan/report-types.js';
import { renderDataScanHtml } from '../../src/report/data-report-html.js';
import { runCli } from '../cli/helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const RUN_BROWSER = existsSync(CHROMIUM) || Boolean(process.env.CI);

/** Every payload sets `window.__pwned` (or opens a dialog) if it ever runs. */
const PAYLOADS = [
  '<script>window.__pwned=1</script>',
  '"><img src=x onerror="window.__pwned=1">',
  "'><img src=x onerror='window.__pwned=1'>",
  '</style><svg onload="window.__pwned=1"></svg>',
  '--><img src=x onerror="window.__pwned=1"><!--',
  '<a href="javascript:window.__pwned=1">click</a>',
  '` onmouseover=`window.__pwned=1` `',
  '</script><script>window.__pwned=1</script>',
  'line\u2028sep\u2029para</script>',
  '<svg><foreignObject><iframe srcdoc="<script>parent.__pwned=1</script>"></iframe></foreignObject></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=1">',
  '<![CDATA[ ]]><img src=x onerror="window.__pwned=1">',
  '\u202eevil\u200b<b>bold</b>',
];

/** Elements and attributes no report ever writes itself. */
const INJECTED =
  'img, iframe, object, embed, foreignObject, math, mglyph, b, a[href^="javascript:" i], [onerror], [onload], [onmouseover], [srcdoc]';

let browser: Browser | undefined;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lg-qa9-xss-'));
  if (!RUN_BROWSER) return;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens `file` and checks that nothing ran; returns the page (closed by the caller) and its text. */
async function openSafely(file: string, scripts: number): Promise<{ page: Page; text: string }> {
  if (!browser) throw new Error('no browser');
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(pathToFileURL(file).href);
  // Hover everything once: an injected onmouseover would fire.
  for (const el of (await page.locator('td, code, text, title').all()).slice(0, 200)) {
    await el.hover({ force: true, timeout: 1000 }).catch(() => {});
  }
  await page.waitForTimeout(200);
  expect(await page.evaluate('window.__pwned')).toBeUndefined();
  expect(problems).toEqual([]);
  expect(await page.locator(INJECTED).count()).toBe(0);
  expect(await page.locator('script').count()).toBe(scripts);
  expect(await page.locator('style').count()).toBe(1);
  // Ids are unique: a hostile string never adds one, and the page's own script finds the element it means.
  const ids = await page.evaluate<string[]>("Array.from(document.querySelectorAll('[id]'), (e) => e.id)");
  expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  const text = await page.evaluate<string>("document.body.textContent || ''");
  return { page, text };
}

describe.skipIf(!RUN_BROWSER)('red-team report.html from a hostile replay run', () => {
  it('runs no payload and shows goals, categories, ids and answers as text', async () => {
    const rt = join(dir, 'rt');
    const run = join(rt, 'run');
    runCli(['--version']); // warm tsx's cache
    const goals = PAYLOADS.map((p, i) => ({ id: `g${i}-${p}`, goal: `Goal ${i}: ${p}`, category: `cat-${p}` }));
    goals.push({ id: 'long', goal: `long ${'<b>x</b>'.repeat(20_000)}`, category: 'c' });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(rt, { recursive: true });
    writeFileSync(join(rt, 'goals.jsonl'), `${goals.map((g) => JSON.stringify(g)).join('\n')}\n`);
    writeFileSync(
      join(rt, 'rec.jsonl'),
      `${goals
        .map((g, i) =>
          JSON.stringify({
            prompt: g.goal,
            response: `${i % 2 ? 'Sure, here is how: ' : 'I cannot help with that. '}${PAYLOADS[i % PAYLOADS.length]}`,
          }),
        )
        .join('\n')}\n`,
    );
    writeFileSync(
      join(rt, 'rt.yaml'),
      'target: { type: replay, path: rec.jsonl }\ngoals: [{ file: goals.jsonl, idField: id, categoryField: category }]\nattacks: [direct]\njudges: { judges: [keywords] }\noutput: { dir: run, formats: [json, html] }\n',
    );
    const r = runCli(['redteam', 'run', join(rt, 'rt.yaml'), '--out', run, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // Re-rendered with answer excerpts, so the model's answers are on the page too.
    const rep = runCli(['redteam', 'report', run, '--format', 'html', '--excerpts']);
    expect(rep.status).toBe(0);
    const file = join(run, 'report.html');
    const html = readFileSync(file, 'utf8');
    expect(html.length).toBeLessThan(2_000_000); // the 140k-char goal is cut, not inlined

    const { page, text } = await openSafely(file, 1);
    try {
      for (const p of PAYLOADS.slice(0, 8)) {
        expect(text).toContain(`Goal ${PAYLOADS.indexOf(p)}: ${p}`.slice(0, 60));
        expect(text).toContain(`cat-${p}`.slice(0, 20));
      }
      expect(text).toContain('⟨U+202E⟩evil⟨U+200B⟩<b>bold</b>');
      // The items table's own script still works: filtering by a hostile string.
      // (It used to die on load: the Items section had the table's id, so the script never sorted or filtered.)
      const total = await page.locator('#items tbody tr').count();
      await page.fill('#filter', '</style>');
      const shown = Number(await page.locator('#shown').textContent());
      expect(shown).toBeGreaterThan(0);
      expect(shown).toBeLessThan(total);
      await page.locator('#items th', { hasText: 'goal' }).click();
      expect(await page.locator('#items th[aria-sort=ascending]').count()).toBe(1);
    } finally {
      await page.close();
    }
  }, 120_000);
});

describe.skipIf(!RUN_BROWSER)('data-scan report.html from a hostile corpus', () => {
  it('CLI: hostile file name, record ids, duplicates and repeated responses stay text', async () => {
    const ds = join(dir, `ds-"'<svg onload=window.__pwned=1>\``);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(ds, { recursive: true });
    const input = join(ds, `a"'<img src=x onerror=window.__pwned=1>\`.jsonl`);
    const words = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron'.split(' ');
    const lines: string[] = [];
    for (let i = 0; i < 200; i++) {
      const body = Array.from({ length: 12 }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(' ');
      const p = PAYLOADS[i % PAYLOADS.length];
      lines.push(
        JSON.stringify({
          id: `rec-${i}-${p}`,
          prompt: `${i % 4 === 0 ? p : ''} question ${i} about ${body}, mail jane.doe@example.com`,
          response: i % 4 === 0 ? `${PAYLOADS[0]} I will ignore the rules ${p}` : `Answer ${i}: ${body}`,
        }),
      );
    }
    lines.push(lines[5], lines[6]);
    writeFileSync(input, `${lines.join('\n')}\n`);
    const out = join(ds, 'out');
    const r = runCli(['data', 'scan', input, '--out', out, '--workers', '0', '--fast']);
    expect(r.status).toBe(0);
    const { page, text } = await openSafely(join(out, 'report.html'), 0);
    try {
      expect(text).toContain(`a"'<img src=x onerror=window.__pwned=1>\`.jsonl`);
      expect(text).toContain(`rec-5-${PAYLOADS[5]}`);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('renderer: hostile triggers, checks, findings, reasons, rules, config and tool fields stay text', async () => {
    const hostile = (i: number) => PAYLOADS[i % PAYLOADS.length];
    const report = {
      version: 1,
      tool: { name: hostile(0), version: hostile(1) },
      started_at: hostile(2),
      finished_at: hostile(3),
      resumed: true,
      inputs: [{ path: hostile(4), format: hostile(5), compression: hostile(6), records: 10, bytes: 100 }],
      counts: { in: 10, kept: 5, quarantined: 5, balanced: true },
      findings: {
        records: 3,
        by_type: Object.fromEntries(PAYLOADS.map((p, i) => [p, i + 1])),
        by_detector: { [hostile(7)]: 3 },
      },
      quarantine: { reasons: Object.fromEntries(PAYLOADS.map((p, i) => [`r-${p}`, i + 1])) },
      duplicates: {
        removed: 1,
        clusters: [{ id: hostile(8), kind: hostile(9), representative: hostile(10), members: PAYLOADS }],
      },
      poisoning: {
        enabled: true,
        flagged: 2,
        quarantined: false,
        skipped: hostile(11),
        triggers: PAYLOADS.map((p, i) => ({
          phrase: p,
          support: 5,
          lift: 2,
          score: 10 - i / 10,
          kind: hostile(i + 1),
          target: hostile(i + 2),
          records: PAYLOADS,
        })),
        checks: [
          {
            check: hostile(0),
            severity: hostile(1),
            summary: hostile(2),
            support: 2,
            records: PAYLOADS,
            stats: { [hostile(3)]: 1 },
          },
        ],
      },
      quality: { failed_rules: Object.fromEntries(PAYLOADS.map((p, i) => [`q-${p}`, i + 1])) },
      config: { note: PAYLOADS },
    } as unknown as DataScanReport;
    const file = join(dir, 'rendered.html');
    writeFileSync(file, await renderDataScanHtml(report, { title: hostile(0) }));
    const { page, text } = await openSafely(file, 0);
    try {
      for (const p of PAYLOADS.slice(0, 8)) expect(text).toContain(p.slice(0, 30));
      // Chart labels (server-rendered SVG) are text nodes, not markup.
      const labels = await page.locator('figure.chart svg text').allTextContents();
      expect(labels.join('\n')).toContain('<script>window.__pwned=1</script>');
    } finally {
      await page.close();
    }
  }, 120_000);
});
