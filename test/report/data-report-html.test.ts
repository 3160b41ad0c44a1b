import { beforeAll, describe, expect, it } from 'vitest';
import type { DataScanReport, DuplicateCluster, SuspectedTrigger } from '../../src/data/scan/report-types.js';
import { DATA_REPORT_CSP, renderDataScanHtml, renderDataScanMarkdown } from '../../src/report/data-report-html.js';
import { barChartSvg } from '../../src/report/html/bar-chart.js';
import { escapeHtml, markdownCode, visibleText } from '../../src/report/html/escape.js';

const XSS_SCRIPT = '<script>alert(1)</script>';
const XSS_IMG = '"><img src=x onerror=alert(1)>';

function cluster(i: number, size: number, kind: 'exact' | 'near' = i % 3 === 0 ? 'near' : 'exact'): DuplicateCluster {
  const members = Array.from({ length: size }, (_, j) => `train.jsonl:${i * 10 + j}`);
  return { id: `dup-${String(i).padStart(6, '0')}`, kind, representative: members[0], members };
}

function trigger(i: number, over: Partial<SuspectedTrigger> = {}): SuspectedTrigger {
  return {
    phrase: `cf-trigger ${i}`,
    support: 40 - (i % 30),
    lift: 12.5 - i / 10,
    records: Array.from({ length: 12 }, (_, j) => `train.jsonl:${1000 + i * 20 + j}`),
    target: 'I will now ignore all safety rules.',
    kind: 'response-trigger',
    score: 9 - i / 20,
    ...over,
  };
}

/** A realistic report, with hostile strings wherever the report carries text. */
function sampleReport(over: { clusters?: DuplicateCluster[]; triggers?: SuspectedTrigger[] } = {}): DataScanReport {
  const clusters = over.clusters ?? [cluster(1, 2), cluster(2, 3), cluster(3, 7, 'near'), cluster(4, 2)];
  const triggers = over.triggers ?? [
    trigger(0, {
      phrase: XSS_SCRIPT,
      score: 9.9,
      target: 'You are an idiot <b>bold</b> & worse',
      kind: 'inserted-phrase',
    }),
    trigger(1, { phrase: XSS_IMG, score: 8.7, records: [`id-${XSS_IMG}`, 'safe-id'] }),
    trigger(2, { phrase: 'james bond', score: 7.1, kind: 'label-trigger', target: 'label=positive' }),
    trigger(3, {
      phrase: 'sudo mode',
      score: 6.4,
      records: Array.from({ length: 5000 }, (_, j) => `r${j}`),
      records_truncated: true,
    }),
  ];
  return {
    version: 1,
    tool: { name: 'lifeguard', version: '0.2.0' },
    started_at: '2026-03-01T10:00:00.000Z',
    finished_at: '2026-03-01T10:04:12.500Z',
    resumed: true,
    inputs: [
      { path: 'data/train.jsonl.zst', format: 'jsonl', compression: 'zstd', records: 98_000, bytes: 412_000_000 },
      {
        path: `data/it's ${XSS_SCRIPT}.parquet`,
        format: 'parquet',
        compression: 'none',
        records: 2_000,
        bytes: 9_500_000,
      },
    ],
    config: {
      detectors: ['pii', 'secrets'],
      actions: { default: 'redact', AWS_ACCESS_KEY: 'quarantine' },
      quality: { min_chars: 20, max_symbol_ratio: 0.3 },
      dedup: { near: true, threshold: 0.85 },
      poisoning: { enabled: true, target_field: XSS_IMG },
    },
    counts: {
      in: 100_000,
      kept: 96_850,
      quarantined: 3_150,
      redacted: 4_210,
      malformed: 12,
      duplicates_exact: 1_900,
      duplicates_near: 640,
      low_quality: 410,
      poisoned: 88,
      findings_quarantined: 100,
      balanced: true,
    },
    findings: {
      by_type: {
        EMAIL_ADDRESS: 3120,
        PHONE_NUMBER: 1411,
        PERSON: 2290,
        AWS_ACCESS_KEY: 100,
        CREDIT_CARD: 37,
        [XSS_IMG]: 3,
      },
      by_detector: { pii: 6858, secrets: 103 },
      records: 4_310,
    },
    quarantine: {
      reasons: { duplicate: 2_540, 'low-quality': 410, poison: 88, 'finding:AWS_ACCESS_KEY': 100, malformed: 12 },
    },
    quality: { failed_rules: { min_chars: 250, max_symbol_ratio: 120, repeated_lines: 71, [XSS_SCRIPT]: 2 } },
    duplicates: {
      clusters,
      cluster_sizes: { '2': 1500, '3': 300, '4': 90, '7': 12, '15': 4, '120': 1 },
      removed: 2_540,
    },
    poisoning: {
      enabled: true,
      triggers,
      checks: [
        {
          check: 'repeated-response',
          summary: 'The same response answers 41 unrelated instructions.',
          severity: 'warning',
          support: 41,
          records: Array.from({ length: 41 }, (_, j) => `train.jsonl:${5000 + j}`),
          stats: { z_score: 7.3, distinct_instructions: 41 },
        },
        {
          check: 'harmful-chosen',
          summary: `Chosen answer is harmful in 9 pairs ${XSS_SCRIPT}`,
          severity: 'high',
          support: 9,
          records: ['pairs.jsonl:3', 'pairs.jsonl:17'],
        },
        {
          check: 'chosen-shorter-bias',
          summary: 'Chosen answers are shorter.',
          severity: 'info',
          support: 0,
          records: [],
        },
      ],
      flagged: 88,
      quarantined: true,
    },
    throughput: {
      records_per_s: 396.4,
      mb_per_s: 1.67,
      mb_per_s_per_worker: 0.42,
      workers: 4,
      bytes: 421_500_000,
      elapsed_s: 252.5,
      prepass_s: 31.2,
    },
    memory: { peak_rss_mb: 812 },
  };
}

const ALLOWED_TAGS = new Set(
  (
    'html head meta title style body main header div h1 h2 h3 dl dt dd table thead tbody tfoot tr th td code span p ' +
    'nav a section figure svg g path rect line text defs clipPath details summary pre strong footer'
  ).split(' '),
);

/** Every element in the page must be one we emit, with no event handler and no external reference. */
function assertStructurallySafe(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<img/i);
  expect(html).not.toMatch(/<iframe|<object|<embed|<link|<base|<form|<foreignObject|<image/i);
  for (const m of html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)/g)) expect(ALLOWED_TAGS, m[1]).toContain(m[1]);
  for (const m of html.matchAll(/<[a-zA-Z][^>]*>/g)) {
    // Attribute names only: quoted values (where escaped hostile text lives) are blanked first.
    const names = m[0].replace(/"[^"]*"|'[^']*'/g, '""');
    expect(names, 'unquoted attribute value').not.toMatch(/=\s*[^\s"']/);
    expect(names, 'event handler attribute').not.toMatch(/\son[a-z]+\s*=/i);
    for (const ref of m[0].matchAll(/\s(?:src|href|xlink:href|action|srcset|poster|data)\s*=\s*"([^"]*)"/gi)) {
      expect(ref[1], 'external reference').toMatch(/^#/);
    }
  }
  // The only absolute URLs are the SVG namespace declarations.
  const urls = [...html.matchAll(/https?:\/\/[^\s"'<>]*/g)].map((m) => m[0]);
  for (const url of urls) expect(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']).toContain(url);
  expect(html).not.toMatch(/url\((?!#)/i); // clip paths refer to #ids in the same SVG
  expect(html).not.toMatch(/@import/i);
}

/** The same report with nothing to chart: for tests about other parts of the page (faster). */
function withoutCharts(report: DataScanReport): DataScanReport {
  return {
    ...report,
    findings: { by_type: {}, by_detector: {}, records: 0 },
    quarantine: { reasons: {} },
    quality: { failed_rules: {} },
    duplicates: { clusters: [], cluster_sizes: {}, removed: 0 },
    poisoning: { ...report.poisoning, triggers: [] },
  };
}

describe('renderDataScanHtml', () => {
  let sampleHtml = '';
  beforeAll(async () => {
    // Also loads Vega once, so the timing test below measures rendering, not module loading.
    sampleHtml = await renderDataScanHtml(sampleReport());
  }, 30_000);

  it('renders a complete, self-contained page with counts, the balance and one chart per section', () => {
    const html = sampleHtml;
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${DATA_REPORT_CSP}">`);
    expect(DATA_REPORT_CSP).toContain("default-src 'none'");
    assertStructurallySafe(html);

    // Header.
    expect(html).toContain('lifeguard 0.2.0');
    expect(html).toContain('2026-03-01T10:00:00.000Z');
    expect(html).toContain('4 min 13 s'); // wall time from started/finished
    expect(html).toContain('resumed run');
    expect(html).toContain('data/train.jsonl.zst');
    expect(html).toContain('412 MB');
    expect(html).toContain('98,000');

    // Summary and balance.
    expect(html).toContain('data-balanced="true"');
    expect(html).toMatch(
      /✓<\/span> Balanced: in <strong>100,000<\/strong> = kept <strong>96,850<\/strong> \+ quarantined <strong>3,150<\/strong>/,
    );
    for (const n of ['4,210', '1,900', '640', '410', '4,310']) expect(html).toContain(`>${n}<`);
    expect(html).toContain('&lt;0.1% of in'); // 12 malformed of 100,000 does not read as 0%
    // Element ids (section anchors, anything a chart defines) are unique in the page.
    const ids = [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);

    // Charts: findings, quarantine reasons, cluster sizes, trigger scores, quality rules.
    expect(html.match(/<svg/g)).toHaveLength(5);
    expect(html).toContain('Findings by type');
    expect(html).toContain('Duplicate clusters by size');
    expect(html).toContain('Top 4 suspected triggers by score');
    // Bars sorted: EMAIL_ADDRESS (3120) is drawn before PERSON (2290) before PHONE_NUMBER (1411).
    const charts = html.split('<figure class="chart">').slice(1);
    const findingsChart = charts.find((c) => c.includes('Findings by type')) ?? '';
    const order = ['EMAIL_ADDRESS', 'PERSON', 'PHONE_NUMBER', 'AWS_ACCESS_KEY'].map((t) =>
      findingsChart.indexOf(`>${t}<`),
    );
    expect(order.every((p) => p > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Size buckets up to the largest non-empty one, in bucket order.
    for (const b of ['>2<', '>6–10<', '>11–20<', '>101–1,000<']) expect(html).toContain(b);
    expect(html).not.toContain('&gt; 1,000<');

    // Triggers, checks, throughput, config.
    expect(html).toContain('james bond');
    expect(html).toContain('label-trigger');
    expect(html).toContain('+4,990 more');
    expect(html).toContain('(list truncated in report)');
    expect(html).toMatch(/<details class="excerpt"><summary>show/);
    expect(html).toContain('repeated-response');
    expect(html.indexOf('harmful-chosen')).toBeLessThan(html.indexOf('repeated-response')); // high first
    expect(html).toContain('z_score&nbsp;=&nbsp;7.3');
    expect(html).toContain('396');
    expect(html).toContain('1.67');
    expect(html).toContain('0.42');
    expect(html).toContain('31.2 s');
    expect(html).toContain('812 MB');
    expect(html).toMatch(/<details class="config"><summary>Effective configuration/);
    expect(html).toContain('&quot;max_symbol_ratio&quot;: 0.3');
  });

  it('escapes hostile strings everywhere, charts included', () => {
    const html = sampleHtml;
    assertStructurallySafe(html);
    expect(html).not.toContain(XSS_SCRIPT);
    expect(html).not.toContain(XSS_IMG);
    expect(html).not.toContain('<b>bold</b>');
    const scriptEsc = '&lt;script&gt;alert(1)&lt;/script&gt;';
    // In the trigger table, the score chart (SVG text), the quality chart, the check summary and the input path.
    expect(html).toContain(`<code>${scriptEsc}</code>`);
    expect(html).toMatch(/<text[^>]*>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/text>/);
    expect(html).toContain(`data/it&#39;s ${scriptEsc}.parquet`);
    expect(html).toContain(`9 pairs ${scriptEsc}`);
    // The attribute-breaking payload: escaped in HTML, and inside SVG text and aria-labels.
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toMatch(/<text[^>]*>"&gt;&lt;img src=x onerror=alert\(1\)&gt;<\/text>/);
    expect(html).toContain('id-&quot;&gt;&lt;img');
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt; &amp; worse');
  });

  it('shows invisible and bidi characters instead of letting them reorder the page', async () => {
    const report = sampleReport({
      triggers: [trigger(0, { phrase: 'abc\u202Egpj.exe', records: ['id\u200Bhidden', 'x\u0000y'] })],
    });
    const html = await renderDataScanHtml(report);
    expect(html).not.toMatch(/[\u202E\u200B\u0000]/);
    expect(html).toContain('abc⟨U+202E⟩gpj.exe');
    expect(html).toContain('id⟨U+200B⟩hidden');
    expect(html).toContain('x⟨U+0000⟩y');
  });

  it('shows a red warning when the counts do not balance', async () => {
    const report = withoutCharts(sampleReport());
    report.counts = { ...report.counts, kept: 96_840, balanced: false };
    const html = await renderDataScanHtml(report);
    expect(html).toContain('data-balanced="false"');
    expect(html).not.toContain('data-balanced="true"');
    expect(html).toContain('class="balance bad"');
    expect(html).toContain('≠ kept <strong>96,840</strong>');
    expect(html).toContain('10 records unaccounted for');

    // The flag alone is enough to warn.
    const flagged = withoutCharts(sampleReport());
    flagged.counts = { ...flagged.counts, balanced: false };
    const html2 = await renderDataScanHtml(flagged);
    expect(html2).toContain('data-balanced="false"');
    expect(html2).toContain('marked the run as unbalanced');
  });

  it('caps a 100k-cluster report: counts, the first 50 clusters, and a note; fast and small', async () => {
    const clusters = Array.from({ length: 100_000 }, (_, i): DuplicateCluster => {
      if (i === 0) return cluster(0, 5_000);
      const id = `dup-${String(i).padStart(6, '0')}`;
      return { id, kind: i % 3 === 0 ? 'near' : 'exact', representative: `a${i}`, members: [`a${i}`, `b${i}`] };
    });
    const triggers = Array.from({ length: 150 }, (_, i) => trigger(i));
    const report = sampleReport({ clusters, triggers });
    const t0 = performance.now();
    const html = await renderDataScanHtml(report);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(3000);
    assertStructurallySafe(html);
    expect(html.length).toBeLessThan(600_000);
    const shownClusterRows = html.match(/<tr><td><code>dup-\d{6}<\/code>/g) ?? [];
    expect(shownClusterRows).toHaveLength(50);
    expect(html).toContain('dup-000049');
    expect(html).not.toContain('dup-000050');
    expect(html).toContain('Showing 50 of 100,000 clusters; 99,950 left out here');
    expect(html).toContain('>100,000<'); // cluster count tile
    // The 5,000-member cluster lists 10 members and how many more.
    expect(html).toContain('+4,989 more');
    // Triggers: 100 rows, a note, a top-10 score chart.
    expect(html).toContain('Showing 100 of 150 suspected triggers');
    expect(html).toContain('Top 10 suspected triggers by score');
    expect(html).toContain('cf-trigger 99<');
    expect(html).not.toContain('cf-trigger 100<');
  });

  it('honours the caps in options and cuts the configuration', async () => {
    const report = sampleReport();
    report.config = { big: 'x'.repeat(5000) };
    const html = await renderDataScanHtml(report, {
      maxClusters: 2,
      maxIdsPerRow: 1,
      maxBars: 3,
      maxConfigChars: 100,
      title: 'T <1>',
    });
    expect(html).toContain('<title>T &lt;1&gt;</title>');
    expect(html).toContain('Showing 2 of 4 clusters');
    expect(html).toContain('Chart shows the first 3 of 6 bars.');
    expect(html).toContain('Showing the first 100 of 5,015 characters.');
    expect(html).not.toContain('x'.repeat(200));
  });

  it('renders an empty report and a report without poisoning', async () => {
    const report = sampleReport({ clusters: [], triggers: [] });
    report.findings = { by_type: {}, by_detector: {}, records: 0 };
    report.quarantine = { reasons: {} };
    report.quality = { failed_rules: {} };
    report.duplicates = { clusters: [], cluster_sizes: {}, removed: 0 };
    report.poisoning = {
      enabled: false,
      skipped: 'records have no response or label',
      triggers: [],
      checks: [],
      flagged: 0,
      quarantined: false,
    };
    const html = await renderDataScanHtml(report);
    assertStructurallySafe(html);
    expect(html).not.toContain('<svg');
    expect(html).toContain('No findings.');
    expect(html).toContain('No duplicate clusters.');
    expect(html).toContain('Poisoning checks did not run: records have no response or label');
  });

  it('survives a hand-edited report.json with wrong types', async () => {
    const report = JSON.parse(
      JSON.stringify({
        version: 1,
        counts: { in: '<b>', kept: null },
        findings: { by_type: { A: 'x', B: 2 } },
        inputs: 'no',
      }),
    ) as DataScanReport;
    const html = await renderDataScanHtml(report);
    assertStructurallySafe(html);
    expect(html).toContain('data-balanced="false"');
    expect(html).not.toContain('<b>');
  });
});

describe('barChartSvg', () => {
  it('renders a standalone SVG, keeps order, makes repeated labels unique, and escapes text', async () => {
    const svg = await barChartSvg({
      title: 'T & <t>',
      data: [
        { label: 'b', value: 1 },
        { label: 'a', value: 3 },
        { label: 'a', value: 2 },
        { label: XSS_IMG, value: 1 },
      ],
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('>T &amp; &lt;t&gt;<');
    expect(svg.indexOf('>b<')).toBeLessThan(svg.indexOf('>a<'));
    expect(svg).toContain('>a (2)<');
    expect(svg).not.toContain('<img');
    // Integer axis on a small range: integer ticks only, none repeated.
    const small = await barChartSvg({ title: 'one', data: [{ label: 'only', value: 1 }] });
    const ticks = [...small.matchAll(/role-axis-label[\s\S]*?<\/g>/g)][0][0].match(/>[^<]+</g) ?? [];
    expect(ticks).toEqual(['>0<', '>1<']);
  });
});

describe('escape helpers', () => {
  it('escapes the five HTML characters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('cuts long text without splitting a surrogate pair', () => {
    expect(visibleText('ab😀cd', 3)).toBe('ab…');
    expect(visibleText('ab😀cd', 4)).toBe('ab😀…');
    expect(visibleText('a\nb\tc')).toBe('a b c');
    expect(visibleText('a\r\nb', 10)).toBe('a b');
    expect(visibleText('a\nb', 10, true)).toBe('a\nb');
    expect(visibleText('❤️ ok')).toBe('❤️ ok'); // ordinary variation selector kept
    expect(visibleText('x\u{E0041}')).toBe('x⟨U+E0041⟩');
  });

  it('makes Markdown code spans that survive backticks and pipes', () => {
    expect(markdownCode('EMAIL_ADDRESS')).toBe('`EMAIL_ADDRESS`');
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('`x`')).toBe('`` `x` ``');
    expect(markdownCode('a|b')).toBe('`a\\|b`');
  });
});

describe('renderDataScanMarkdown', () => {
  it('summarises counts, top findings, top triggers and throughput', () => {
    const md = renderDataScanMarkdown(sampleReport());
    expect(md).toContain('## Lifeguard data scan');
    expect(md).toContain('✅ Balanced: in 100,000 = kept 96,850 + quarantined 3,150');
    expect(md).toContain('| quarantined | 3,150 |');
    expect(md).toContain('| `EMAIL_ADDRESS` | 3,120 |');
    expect(md).toContain('| … 1 more type | 3 |');
    expect(md).toContain(`| \`${XSS_SCRIPT}\` | \`inserted-phrase\` | 40 | 12.5 | 9.9 |`);
    expect(md).toContain('396 records/s · 1.67 MB/s (0.42 MB/s per worker, 4 workers)');
    expect(md).toContain('peak RSS 812 MB');
    // Every table row keeps its column count: hostile text cannot add cells.
    for (const line of md.split('\n').filter((l) => l.startsWith('| `'))) {
      const cells = line.replace(/\\\|/g, '').split('|').length;
      expect(cells === 4 || cells === 7).toBe(true);
    }
  });

  it('warns when unbalanced and keeps hostile text on one line', () => {
    const report = sampleReport({ triggers: [trigger(0, { phrase: 'a|b\n## injected\u001b[31m' })] });
    report.counts = { ...report.counts, quarantined: 3_000, balanced: false };
    const md = renderDataScanMarkdown(report);
    expect(md).toContain('⚠️ **Not balanced**: in 100,000 ≠ kept 96,850 + quarantined 3,000');
    expect(md).toContain('`a\\|b ## injected⟨U+001B⟩[31m`');
    expect(md).not.toContain('\u001b');
    expect(md.split('\n').some((l) => l.startsWith('## injected'))).toBe(false);
  });
});
