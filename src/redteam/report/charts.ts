/**
 * Rate charts as inline SVG strings, drawn directly (no chart library, no script, no font or network
 * reference, no `xmlns` URL: inline SVG in HTML needs none): horizontal bars for one or more series per
 * row, each with its Wilson interval as an error bar and a `<title>` tooltip. Every label goes through
 * `showText` (visible, bounded, escaped); the numbers are ours.
 */
import { showText } from '../../report/html/escape.js';
import type { Interval } from '../metrics/index.js';

export interface ChartSeries {
  name: string;
  color: string;
}

export interface ChartRow {
  label: string;
  /** One value per series; null where the row has no data for it. */
  values: (Interval | null)[];
}

export interface RateChartOptions {
  title: string;
  series: ChartSeries[];
  rows: ChartRow[];
  /** Rows drawn at most (the first); 40 by default. */
  maxRows?: number;
  /** Longest label in characters; 36 by default. */
  maxLabelChars?: number;
}

const FONT = 'system-ui,-apple-system,Segoe UI,Roboto,Helvetica Neue,Arial,sans-serif';
const LABEL_W = 230;
const PLOT_W = 440;
const VALUE_W = 150;
const BAR_H = 14;
const BAR_GAP = 3;
const ROW_PAD = 8;

const f1 = (x: number) => (Math.round(x * 10) / 10).toString();
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Renders a horizontal bar chart of rates in [0, 1] with error bars; returns an `<svg>` element string. */
export function rateChartSvg(options: RateChartOptions): string {
  const rows = options.rows.slice(0, options.maxRows ?? 40);
  const maxChars = options.maxLabelChars ?? 36;
  const nSeries = Math.max(1, options.series.length);
  const rowH = nSeries * BAR_H + (nSeries - 1) * BAR_GAP + ROW_PAD * 2;
  const legendH = nSeries > 1 ? 22 : 0;
  const top = 30 + legendH;
  const plotH = Math.max(1, rows.length) * rowH;
  const height = top + plotH + 30;
  const width = LABEL_W + PLOT_W + VALUE_W;
  const x = (v: number) => LABEL_W + Math.max(0, Math.min(1, v)) * PLOT_W;
  const parts: string[] = [];
  parts.push(
    `<svg role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="${FONT}" font-size="11">`,
  );
  parts.push(`<title>${showText(options.title, 160)}</title>`);
  parts.push(
    `<text x="0" y="16" font-size="14" font-weight="600" fill="#1f2630">${showText(options.title, 160)}</text>`,
  );
  if (nSeries > 1) {
    let lx = LABEL_W;
    for (const s of options.series) {
      parts.push(`<rect x="${lx}" y="28" width="12" height="12" fill="${s.color}"/>`);
      parts.push(`<text x="${lx + 16}" y="38" fill="#30363f">${showText(s.name, 40)}</text>`);
      lx += 24 + Math.min(40, s.name.length) * 6.5;
    }
  }
  // grid and axis
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    const gx = f1(x(t));
    parts.push(`<line x1="${gx}" y1="${top}" x2="${gx}" y2="${top + plotH}" stroke="#e8ebf0"/>`);
    parts.push(
      `<text x="${gx}" y="${top + plotH + 16}" text-anchor="middle" fill="#5b6472" font-size="10">${t * 100}%</text>`,
    );
  }
  if (rows.length === 0) {
    parts.push(`<text x="${LABEL_W + 8}" y="${top + rowH / 2 + 4}" fill="#5b6472" font-style="italic">no data</text>`);
  }
  rows.forEach((row, i) => {
    const y0 = top + i * rowH + ROW_PAD;
    const label = showText(row.label, maxChars) || '(empty)';
    parts.push(
      `<text x="${LABEL_W - 8}" y="${f1(y0 + (rowH - ROW_PAD * 2) / 2 + 4)}" text-anchor="end" fill="#30363f"><title>${showText(row.label, 300)}</title>${label}</text>`,
    );
    options.series.forEach((s, j) => {
      const iv = row.values[j] ?? null;
      const by = y0 + j * (BAR_H + BAR_GAP);
      const cy = f1(by + BAR_H / 2);
      if (!iv || iv.n === 0) {
        parts.push(`<text x="${LABEL_W + 4}" y="${f1(by + BAR_H - 3)}" fill="#8a919c" font-size="10">n = 0</text>`);
        return;
      }
      const tip = `${showText(row.label, 120)} · ${showText(s.name, 40)}: ${pct(iv.rate)} (95% CI ${pct(iv.low)}–${pct(iv.high)}; ${iv.k}/${iv.n})`;
      parts.push(`<g><title>${tip}</title>`);
      parts.push(
        `<rect x="${LABEL_W}" y="${f1(by)}" width="${f1(x(iv.rate) - LABEL_W)}" height="${BAR_H}" fill="${s.color}" rx="1.5"/>`,
      );
      const lo = f1(x(iv.low));
      const hi = f1(x(iv.high));
      parts.push(`<line x1="${lo}" y1="${cy}" x2="${hi}" y2="${cy}" stroke="#1f2630" stroke-width="1.2"/>`);
      parts.push(
        `<line x1="${lo}" y1="${f1(by + 2)}" x2="${lo}" y2="${f1(by + BAR_H - 2)}" stroke="#1f2630" stroke-width="1.2"/>`,
      );
      parts.push(
        `<line x1="${hi}" y1="${f1(by + 2)}" x2="${hi}" y2="${f1(by + BAR_H - 2)}" stroke="#1f2630" stroke-width="1.2"/>`,
      );
      parts.push(
        `<text x="${f1(Math.max(x(iv.rate), x(iv.high)) + 6)}" y="${f1(by + BAR_H - 3)}" fill="#30363f" font-size="10.5">${pct(iv.rate)} <tspan fill="#8a919c">n=${iv.n}</tspan></text>`,
      );
      parts.push('</g>');
    });
  });
  parts.push('</svg>');
  return parts.join('');
}
