/**
 * QA (data-scan report renderers): chart labels stay unique even when a label is itself a suffixed copy
 * (`a`, `a (2)`, `a` put two bars in one band), and the Markdown summary shows `|` in a version, a date or
 * a skip reason as written outside tables (a table-cell escape there shows its backslash).
 */
import { describe, expect, it } from 'vitest';
import type { DataScanReport } from '../../src/data/scan/report-types.js';
import { renderDataScanMarkdown } from '../../src/report/data-report-html.js';
import { barChartSvg } from '../../src/report/html/bar-chart.js';
import { markdownCode, markdownSpan } from '../../src/report/html/escape.js';

const bandLabels = (svg: string) =>
  ([...svg.matchAll(/role-axis-label[\s\S]*?<\/g>/g)][1]?.[0].match(/>[^<]+</g) ?? []).map((s) => s.slice(1, -1));

describe('barChartSvg labels', () => {
  it('gives every bar its own band when a label already looks like a numbered copy', async () => {
    const svg = await barChartSvg({
      title: 't',
      data: [
        { label: 'a', value: 1 },
        { label: 'a (2)', value: 2 },
        { label: 'a', value: 3 },
        { label: 'a', value: 4 },
        { label: 'a (2)', value: 5 },
      ],
    });
    const labels = bandLabels(svg);
    expect(labels).toHaveLength(5);
    expect(new Set(labels).size).toBe(5);
    expect(labels.slice(0, 2)).toEqual(['a', 'a (2)']);
  });
});

describe('Markdown code spans outside tables', () => {
  it('markdownSpan keeps `|`; markdownCode (table cells) escapes it', () => {
    expect(markdownSpan('a|b')).toBe('`a|b`');
    expect(markdownCode('a|b')).toBe('`a\\|b`');
    expect(markdownSpan('x`y\nz')).toBe('``x`y z``');
  });

  it('the data-scan summary line shows the version and dates as written', () => {
    const report = {
      tool: { name: 'lifeguard', version: '1.0|beta' },
      started_at: 'start|0',
      finished_at: 'end|1',
      inputs: [],
      counts: { in: 0, kept: 0, quarantined: 0, balanced: true },
      poisoning: { enabled: false, skipped: 'too|small' },
      findings: { by_type: { 'a|b': 1 } },
    } as unknown as DataScanReport;
    const md = renderDataScanMarkdown(report);
    expect(md).toContain('lifeguard `1.0|beta` · 0 inputs · `start|0` → `end|1`');
    expect(md).toContain('Poisoning checks skipped: `too|small`');
    // in a table row the pipe stays escaped
    expect(md).toContain('| `a\\|b` | 1 |');
  });
});
