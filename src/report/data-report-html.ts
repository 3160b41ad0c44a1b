/**
 * `report.html` and a Markdown summary for `lifeguard data scan`, both built from the `DataScanReport`
 * (`report.json`). The HTML page is one self-contained file: inline CSS, inline SVG charts, no script, no
 * external resource, and a Content-Security-Policy that allows inline styles only. Every string taken from
 * the report is treated as hostile: shortened, invisible/bidi characters made visible, HTML-escaped.
 * Long lists (100k duplicate clusters, thousands of ids) are never inlined: every table is capped and says
 * how many rows it left out; the complete data stays in `report.json`.
 */
import type {
  DataScanReport,
  DuplicateCluster,
  PoisonCheck,
  PoisoningReport,
  SuspectedTrigger,
} from '../data/scan/report-types.js';
import { type BarDatum, barChartSvg } from './html/bar-chart.js';
import { escapeHtml, markdownCode, markdownSpan, showText, visibleText } from './html/escape.js';

export interface DataScanHtmlOptions {
  /** Page title; `Lifeguard data scan report` by default. */
  title?: string;
  /** Duplicate clusters listed (the first ones, in report order); 50 by default. */
  maxClusters?: number;
  /** Suspected triggers listed (highest score first); 100 by default. */
  maxTriggers?: number;
  /** Poisoning checks listed (most severe first); 100 by default. */
  maxChecks?: number;
  /** Rows in the other tables (inputs, types, reasons, rules); 100 by default. */
  maxRows?: number;
  /** Record ids shown per row; 10 by default. */
  maxIdsPerRow?: number;
  /** Bars per chart; 25 by default. */
  maxBars?: number;
  /** Characters of the effective configuration shown; 200,000 by default. */
  maxConfigChars?: number;
}

interface Limits {
  clusters: number;
  triggers: number;
  checks: number;
  rows: number;
  ids: number;
  bars: number;
  configChars: number;
}

/** The page's policy: nothing may load or run; only the inline `<style>` and style attributes apply. */
export const DATA_REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

// ---------------------------------------------------------------------------------------------------------
// Number and list formatting (all inputs may be missing or of the wrong type in a hand-edited report.json)

const intFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function fmtInt(v: unknown): string {
  return isNum(v) ? intFormat.format(v) : '—';
}

function fmtDec(v: unknown, digits = 2): string {
  if (!isNum(v)) return '—';
  return new Intl.NumberFormat('en-US', { minimumFractionDigits: 0, maximumFractionDigits: digits }).format(v);
}

function fmtBytes(v: unknown): string {
  if (!isNum(v)) return '—';
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let n = Math.abs(v);
  let u = 0;
  while (n >= 1000 && u < units.length - 1) {
    n /= 1000;
    u += 1;
  }
  const sign = v < 0 ? '-' : '';
  return u === 0 ? `${sign}${intFormat.format(n)} B` : `${sign}${fmtDec(n, n < 10 ? 2 : 1)} ${units[u]}`;
}

function fmtSeconds(v: unknown): string {
  if (!isNum(v)) return '—';
  if (v < 60) return `${fmtDec(v, v < 10 ? 2 : 1)} s`;
  const total = Math.round(v);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min ${String(s).padStart(2, '0')} s`;
}

/** `part` as a percentage of `whole`, one decimal; a non-zero part never shows as 0%. */
function fmtPct(part: unknown, whole: unknown): string {
  if (!isNum(part) || !isNum(whole) || whole <= 0) return '—';
  const pct = (100 * part) / whole;
  return pct > 0 && pct < 0.05 ? '<0.1%' : `${fmtDec(pct, 1)}%`;
}

function arr<T>(v: readonly T[] | undefined | null): readonly T[] {
  return Array.isArray(v) ? v : [];
}

/** Numeric entries of a `Record<string, number>`, largest first (ties by name). */
function sortedEntries(record: Record<string, number> | undefined | null): [string, number][] {
  if (record === null || typeof record !== 'object') return [];
  const out = Object.entries(record).filter((e): e is [string, number] => isNum(e[1]));
  out.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return out;
}

function sum(entries: readonly [string, number][]): number {
  let total = 0;
  for (const [, v] of entries) total += v;
  return total;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${fmtInt(n)} ${n === 1 ? one : many}`;
}

// ---------------------------------------------------------------------------------------------------------
// HTML building blocks

/** The first `max` ids (after skipping `skip`), then how many more there are. */
function idList(ids: readonly string[] | undefined, max: number, truncated = false, skip = 0): string {
  const list = arr(ids);
  const count = Math.max(0, list.length - skip);
  if (count === 0) return '<span class="muted">—</span>';
  const shown = list
    .slice(skip, skip + max)
    .map((id) => `<code>${showText(id, 80)}</code>`)
    .join(', ');
  const more = count - Math.min(count, max);
  const tail = more > 0 ? ` <span class="muted">+${fmtInt(more)} more</span>` : '';
  const cut = truncated ? ' <span class="muted">(list truncated in report)</span>' : '';
  return shown + tail + cut;
}

function leftOut(shown: number, total: number, what: string, where = 'report.json'): string {
  if (total <= shown) return '';
  return `<p class="note">Showing ${fmtInt(shown)} of ${fmtInt(total)} ${escapeHtml(what)}; ${fmtInt(total - shown)} left out here (all are in <code>${escapeHtml(where)}</code>).</p>`;
}

function tile(label: string, value: string, extra = '', cls = ''): string {
  return `<div class="tile${cls ? ` ${cls}` : ''}"><div class="tile-value">${value}</div><div class="tile-label">${label}</div>${extra ? `<div class="tile-extra">${extra}</div>` : ''}</div>`;
}

function section(id: string, title: string, body: string): string {
  return `<section id="${id}" class="card"><h2>${escapeHtml(title)}</h2>${body}</section>`;
}

function none(text: string): string {
  return `<p class="empty">${escapeHtml(text)}</p>`;
}

async function chart(
  title: string,
  data: BarDatum[],
  limits: Limits,
  extra: Partial<Parameters<typeof barChartSvg>[0]> = {},
) {
  const svg = await barChartSvg({ title, data, maxBars: limits.bars, ...extra });
  const note =
    data.length > limits.bars
      ? `<p class="note">Chart shows the first ${fmtInt(limits.bars)} of ${fmtInt(data.length)} bars.</p>`
      : '';
  return `<figure class="chart">${svg}</figure>${note}`;
}

function countTable(
  entries: [string, number][],
  limits: Limits,
  heads: [string, string],
  what: string,
  share?: number,
): string {
  const rows = entries
    .slice(0, limits.rows)
    .map(
      ([k, v]) =>
        `<tr><td><code>${showText(k, 120)}</code></td><td class="num">${fmtInt(v)}</td>${
          share !== undefined ? `<td class="num">${escapeHtml(fmtPct(v, share))}</td>` : ''
        }</tr>`,
    )
    .join('');
  const shareHead = share !== undefined ? '<th class="num">share</th>' : '';
  return `<table class="compact"><thead><tr><th>${escapeHtml(heads[0])}</th><th class="num">${escapeHtml(heads[1])}</th>${shareHead}</tr></thead><tbody>${rows}</tbody></table>${leftOut(Math.min(limits.rows, entries.length), entries.length, what)}`;
}

// ---------------------------------------------------------------------------------------------------------
// Sections

function headerHtml(report: DataScanReport, title: string, limits: Limits): string {
  const tool = report.tool ?? { name: 'lifeguard', version: '?' };
  const started = Date.parse(String(report.started_at));
  const finished = Date.parse(String(report.finished_at));
  const wall = Number.isFinite(started) && Number.isFinite(finished) ? (finished - started) / 1000 : undefined;
  const resumed = report.resumed === true ? '<span class="badge warn">resumed run</span>' : '';
  const inputs = arr(report.inputs);
  const totalRecords = inputs.reduce((s, i) => s + (isNum(i.records) ? i.records : 0), 0);
  const totalBytes = inputs.reduce((s, i) => s + (isNum(i.bytes) ? i.bytes : 0), 0);
  const rows = inputs
    .slice(0, limits.rows)
    .map(
      (i) =>
        `<tr><td class="path"><code>${showText(i.path, 240)}</code></td><td>${showText(i.format, 40)}</td><td>${showText(i.compression, 40)}</td><td class="num">${fmtInt(i.records)}</td><td class="num">${fmtBytes(i.bytes)}</td></tr>`,
    )
    .join('');
  const foot =
    inputs.length > 1
      ? `<tfoot><tr><td colspan="3">${plural(inputs.length, 'input')}</td><td class="num">${fmtInt(totalRecords)}</td><td class="num">${fmtBytes(totalBytes)}</td></tr></tfoot>`
      : '';
  return `<header class="page-header">
<div class="brand">Lifeguard · data scan</div>
<h1>${escapeHtml(title)}</h1>
<dl class="meta">
<div><dt>Tool</dt><dd>${showText(tool.name, 40)} ${showText(tool.version, 40)}</dd></div>
<div><dt>Started</dt><dd>${showText(report.started_at, 64)}</dd></div>
<div><dt>Finished</dt><dd>${showText(report.finished_at, 64)}</dd></div>
<div><dt>Wall time</dt><dd>${wall !== undefined ? fmtSeconds(wall) : '—'}</dd></div>
<div><dt>Resumed</dt><dd>${report.resumed === true ? 'yes' : 'no'} ${resumed}</dd></div>
</dl>
<h3>Inputs</h3>
${
  inputs.length === 0
    ? none('No inputs recorded.')
    : `<table><thead><tr><th>path</th><th>format</th><th>compression</th><th class="num">records</th><th class="num">bytes</th></tr></thead><tbody>${rows}</tbody>${foot}</table>${leftOut(Math.min(limits.rows, inputs.length), inputs.length, 'inputs')}`
}
</header>`;
}

function balanceHtml(report: DataScanReport): string {
  const c = report.counts;
  const inN = c?.in;
  const kept = c?.kept;
  const quarantined = c?.quarantined;
  const arithmetic = isNum(inN) && isNum(kept) && isNum(quarantined) && inN === kept + quarantined;
  const ok = c?.balanced === true && arithmetic;
  const equation = `in <strong>${fmtInt(inN)}</strong> ${arithmetic ? '=' : '≠'} kept <strong>${fmtInt(kept)}</strong> + quarantined <strong>${fmtInt(quarantined)}</strong>`;
  if (ok) {
    return `<p class="balance ok" data-balanced="true"><span class="mark" aria-hidden="true">✓</span> Balanced: ${equation}. Every record read is either kept or quarantined.</p>`;
  }
  let why: string;
  if (!arithmetic && isNum(inN) && isNum(kept) && isNum(quarantined)) {
    const diff = inN - (kept + quarantined);
    why = `${fmtInt(Math.abs(diff))} ${Math.abs(diff) === 1 ? 'record' : 'records'} ${diff > 0 ? 'unaccounted for' : 'counted twice'}.`;
  } else if (!arithmetic) {
    why = 'The counts are missing or not numbers.';
  } else {
    why = 'The scan marked the run as unbalanced.';
  }
  return `<p class="balance bad" data-balanced="false" role="alert"><span class="mark" aria-hidden="true">⚠</span> Not balanced: ${equation}. ${why} Do not use the output before this is explained.</p>`;
}

function summaryHtml(report: DataScanReport): string {
  const c = report.counts ?? ({} as DataScanReport['counts']);
  const pct = (v: unknown) => (isNum(v) && isNum(c.in) && c.in > 0 ? `${escapeHtml(fmtPct(v, c.in))} of in` : '');
  const tiles = [
    tile('records in', fmtInt(c.in), '', 'primary'),
    tile('kept', fmtInt(c.kept), pct(c.kept), 'good'),
    tile(
      'quarantined',
      fmtInt(c.quarantined),
      pct(c.quarantined),
      isNum(c.quarantined) && c.quarantined > 0 ? 'bad' : '',
    ),
    tile('redacted (kept)', fmtInt(c.redacted), pct(c.redacted)),
    tile('malformed', fmtInt(c.malformed), pct(c.malformed)),
    tile('exact duplicates', fmtInt(c.duplicates_exact), pct(c.duplicates_exact)),
    tile('near duplicates', fmtInt(c.duplicates_near), pct(c.duplicates_near)),
    tile('low quality', fmtInt(c.low_quality), pct(c.low_quality)),
    tile('poisoned', fmtInt(c.poisoned), pct(c.poisoned)),
    tile('quarantined by findings', fmtInt(c.findings_quarantined), pct(c.findings_quarantined)),
    tile('records with findings', fmtInt(report.findings?.records), pct(report.findings?.records)),
  ];
  return `${balanceHtml(report)}<div class="tiles">${tiles.join('')}</div>`;
}

async function findingsHtml(report: DataScanReport, limits: Limits): Promise<string> {
  const byType = sortedEntries(report.findings?.by_type);
  const byDetector = sortedEntries(report.findings?.by_detector);
  const total = sum(byType);
  if (byType.length === 0 && byDetector.length === 0) return none('No findings.');
  const parts = [
    `<p class="lead">${plural(total, 'finding')} of ${plural(byType.length, 'type')} in ${plural(report.findings?.records ?? 0, 'record')}.</p>`,
  ];
  if (byType.length > 0) {
    parts.push(
      await chart(
        'Findings by type',
        byType.map(([label, value]) => ({ label, value })),
        limits,
        { valueTitle: 'findings' },
      ),
    );
  }
  const tables: string[] = [];
  if (byType.length > 0) tables.push(`<div>${countTable(byType, limits, ['type', 'findings'], 'types', total)}</div>`);
  if (byDetector.length > 0) {
    tables.push(`<div>${countTable(byDetector, limits, ['detector', 'findings'], 'detectors', sum(byDetector))}</div>`);
  }
  parts.push(`<div class="two-col">${tables.join('')}</div>`);
  return parts.join('');
}

async function quarantineHtml(report: DataScanReport, limits: Limits): Promise<string> {
  const reasons = sortedEntries(report.quarantine?.reasons);
  if (reasons.length === 0) return none('No record was quarantined.');
  return [
    `<p class="lead">${plural(report.counts?.quarantined ?? 0, 'record')} quarantined. A record may have several reasons; each is listed in <code>quarantine.jsonl</code>.</p>`,
    await chart(
      'Quarantine reasons',
      reasons.map(([label, value]) => ({ label, value })),
      limits,
      { valueTitle: 'records', color: '#b4543a' },
    ),
    countTable(reasons, limits, ['reason', 'records'], 'reasons'),
  ].join('');
}

const SIZE_BUCKETS: [number, number, string][] = [
  [2, 2, '2'],
  [3, 3, '3'],
  [4, 4, '4'],
  [5, 5, '5'],
  [6, 10, '6–10'],
  [11, 20, '11–20'],
  [21, 50, '21–50'],
  [51, 100, '51–100'],
  [101, 1000, '101–1,000'],
  [1001, Number.POSITIVE_INFINITY, '> 1,000'],
];

function clusterSizeBuckets(report: DataScanReport, clusters: readonly DuplicateCluster[]): BarDatum[] {
  const counts = new Array<number>(SIZE_BUCKETS.length).fill(0);
  const add = (size: number, n: number) => {
    const i = SIZE_BUCKETS.findIndex(([lo, hi]) => size >= lo && size <= hi);
    if (i >= 0) counts[i] += n;
  };
  const sizes = sortedEntries(report.duplicates?.cluster_sizes);
  if (sizes.length > 0) {
    for (const [size, n] of sizes) {
      const s = Number(size);
      if (Number.isInteger(s)) add(s, n);
    }
  } else {
    for (const c of clusters) add(arr(c.members).length, 1);
  }
  let last = -1;
  counts.forEach((n, i) => {
    if (n > 0) last = i;
  });
  return SIZE_BUCKETS.slice(0, last + 1).map(([, , label], i) => ({ label, value: counts[i] }));
}

async function duplicatesHtml(report: DataScanReport, limits: Limits): Promise<string> {
  const clusters = arr(report.duplicates?.clusters);
  let exact = 0;
  let near = 0;
  for (const c of clusters) {
    if (c?.kind === 'exact') exact += 1;
    else if (c?.kind === 'near') near += 1;
  }
  const tiles = `<div class="tiles small">${[
    tile('clusters', fmtInt(clusters.length)),
    tile('exact clusters', fmtInt(exact)),
    tile('near clusters', fmtInt(near)),
    tile('records removed', fmtInt(report.duplicates?.removed)),
  ].join('')}</div>`;
  if (clusters.length === 0 && sortedEntries(report.duplicates?.cluster_sizes).length === 0) {
    return tiles + none('No duplicate clusters.');
  }
  const buckets = clusterSizeBuckets(report, clusters);
  const parts = [tiles];
  if (buckets.length > 0) {
    parts.push(
      await chart('Duplicate clusters by size (records per cluster)', buckets, limits, {
        valueTitle: 'clusters',
        color: '#6b5ca5',
        maxLabelChars: 16,
      }),
    );
  }
  const shown = clusters.slice(0, limits.clusters);
  const rows = shown
    .map((c) => {
      const members = arr(c.members);
      const skip = members[0] === c.representative ? 1 : 0;
      return `<tr><td><code>${showText(c.id, 40)}</code></td><td><span class="badge ${c.kind === 'exact' ? 'neutral' : 'info'}">${showText(c.kind, 12)}</span></td><td class="num">${fmtInt(members.length)}</td><td><code>${showText(c.representative, 80)}</code></td><td class="ids">${idList(members, limits.ids, false, skip)}</td></tr>`;
    })
    .join('');
  if (shown.length > 0) {
    parts.push(
      `<h3>Clusters</h3><p class="note">The first ${fmtInt(shown.length)} clusters in report order. Representatives are kept; the other members were removed.</p>`,
      `<table><thead><tr><th>cluster</th><th>kind</th><th class="num">size</th><th>representative (kept)</th><th>other members (first ${fmtInt(limits.ids)})</th></tr></thead><tbody>${rows}</tbody></table>`,
      leftOut(shown.length, clusters.length, 'clusters'),
    );
  }
  return parts.join('');
}

function excerptHtml(text: unknown): string {
  const s = typeof text === 'string' ? text : String(text ?? '');
  if (s === '') return '<span class="muted">—</span>';
  return `<details class="excerpt"><summary>show <span class="muted">(${fmtInt(s.length)} chars, may be offensive)</span></summary><div class="excerpt-text">${showText(s, 600, true)}</div></details>`;
}

function triggersTable(triggers: readonly SuspectedTrigger[], limits: Limits): string {
  const shown = triggers.slice(0, limits.triggers);
  const rows = shown
    .map(
      (t, i) =>
        `<tr><td class="num">${i + 1}</td><td class="phrase"><code>${showText(t.phrase, 160)}</code></td><td class="num">${fmtInt(t.support)}</td><td class="num">${fmtDec(t.lift, 2)}</td><td class="num">${fmtDec(t.score, 3)}</td><td><span class="badge neutral">${showText(t.kind, 24)}</span>${insertedNote(t)}</td><td>${excerptHtml(t.target)}</td><td class="ids">${idList(t.records, limits.ids, t.records_truncated === true)}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th class="num">#</th><th>phrase</th><th class="num">support</th><th class="num">lift</th><th class="num">score</th><th>kind</th><th>target excerpt</th><th>records (first ${fmtInt(limits.ids)})</th></tr></thead><tbody>${rows}</tbody></table>${leftOut(shown.length, triggers.length, 'suspected triggers')}`;
}

/** "inserted in N pairs" under the kind, when the inserted-phrase search found the phrase too. */
function insertedNote(t: SuspectedTrigger): string {
  return isNum(t.inserted_pairs) ? `<br><span class="muted">inserted in ${fmtInt(t.inserted_pairs)} pairs</span>` : '';
}

/** One sentence on the search for phrases inserted into near-identical prompts. */
function insertedSearch(p: PoisoningReport): string {
  const s = p.inserted;
  if (!s || !isNum(s.pairs)) return '';
  const dropped =
    isNum(s.prompts_dropped) && s.prompts_dropped > 0 ? `, ${fmtInt(s.prompts_dropped)} left out (memory bound)` : '';
  return `<p class="note">Inserted phrases: ${fmtInt(s.prompts_indexed)} prompts indexed${dropped}; ${plural(s.pairs, 'near-identical pair')} where one prompt is the other with a phrase of 1–8 tokens inserted (${plural(s.phrases, 'distinct phrase')}). A phrase is reported when its insertion switches at least 3 pairs to one target (kind <code>inserted-phrase</code>, or "inserted in N pairs" when the n-gram miner found it too).</p>`;
}

const SEVERITY_ORDER: Record<string, number> = { high: 0, warning: 1, info: 2 };

function checksTable(checks: readonly PoisonCheck[], limits: Limits): string {
  const sorted = [...checks].sort(
    (a, b) =>
      (SEVERITY_ORDER[a.severity] ?? 3) - (SEVERITY_ORDER[b.severity] ?? 3) ||
      (isNum(b.support) ? b.support : 0) - (isNum(a.support) ? a.support : 0),
  );
  const shown = sorted.slice(0, limits.checks);
  const rows = shown
    .map((c) => {
      const sev = SEVERITY_ORDER[c.severity] !== undefined ? c.severity : 'info';
      const cls = sev === 'high' ? 'bad' : sev === 'warning' ? 'warn' : 'info';
      const stats = sortedEntries(c.stats).slice(0, 8);
      const statsHtml =
        stats.length === 0
          ? '<span class="muted">—</span>'
          : stats.map(([k, v]) => `<span class="stat">${showText(k, 40)}&nbsp;=&nbsp;${fmtDec(v, 4)}</span>`).join(' ');
      return `<tr><td><code>${showText(c.check, 60)}</code></td><td><span class="badge ${cls}">${showText(c.severity, 12)}</span></td><td>${showText(c.summary, 400)}</td><td class="num">${fmtInt(c.support)}</td><td>${statsHtml}</td><td class="ids">${idList(c.records, limits.ids)}</td></tr>`;
    })
    .join('');
  return `<table><thead><tr><th>check</th><th>severity</th><th>summary</th><th class="num">support</th><th>stats</th><th>records (first ${fmtInt(limits.ids)})</th></tr></thead><tbody>${rows}</tbody></table>${leftOut(shown.length, sorted.length, 'checks')}`;
}

function sortTriggers(p: PoisoningReport | undefined): SuspectedTrigger[] {
  // Stable: equal scores keep the report's ranking.
  return [...arr(p?.triggers)].sort((a, b) => (isNum(b.score) ? b.score : 0) - (isNum(a.score) ? a.score : 0));
}

async function poisoningHtml(report: DataScanReport, limits: Limits): Promise<string> {
  const p = report.poisoning;
  if (p?.enabled !== true) {
    return none(`Poisoning checks did not run${p?.skipped ? `: ${visibleText(p.skipped, 300)}` : '.'}`);
  }
  const triggers = sortTriggers(p);
  const checks = arr(p.checks);
  const parts = [
    `<div class="tiles small">${[
      tile('records flagged', fmtInt(p.flagged), '', isNum(p.flagged) && p.flagged > 0 ? 'bad' : ''),
      tile('suspected triggers', fmtInt(triggers.length)),
      tile('checks reporting', fmtInt(checks.length)),
      tile('flagged quarantined', p.quarantined === true ? 'yes' : 'no'),
      ...(p.inserted && isNum(p.inserted.pairs) ? [tile('inserted-phrase pairs', fmtInt(p.inserted.pairs))] : []),
    ].join('')}</div>`,
  ];
  if (p.skipped) parts.push(`<p class="note">Partly skipped: ${showText(p.skipped, 300)}</p>`);
  parts.push('<h3 id="triggers">Suspected triggers</h3>');
  if (triggers.length === 0) {
    parts.push(none('No suspected trigger phrase.'));
  } else {
    const top = triggers.slice(0, 10);
    parts.push(
      await chart(
        `Top ${top.length} suspected triggers by score`,
        top.map((t) => ({ label: t.phrase, value: isNum(t.score) ? t.score : 0 })),
        limits,
        { valueTitle: 'score', format: '.3~f', color: '#b4543a', maxBars: 10 },
      ),
      '<p class="note">Ranked by score (higher is more suspicious). Support: records with the phrase that carry the target; lift: P(target | phrase) / P(target). Target excerpts are collapsed because they may be offensive.</p>',
      triggersTable(triggers, limits),
    );
  }
  parts.push(insertedSearch(p));
  parts.push('<h3 id="checks">Poisoning checks</h3>');
  parts.push(checks.length === 0 ? none('No poisoning check reported anything.') : checksTable(checks, limits));
  return parts.join('');
}

async function qualityHtml(report: DataScanReport, limits: Limits): Promise<string> {
  const rules = sortedEntries(report.quality?.failed_rules);
  if (rules.length === 0) return none('No record failed a quality rule.');
  return [
    `<p class="lead">${plural(report.counts?.low_quality ?? 0, 'record')} below the quality bar. A record may fail several rules.</p>`,
    await chart(
      'Quality rule failures',
      rules.map(([label, value]) => ({ label, value })),
      limits,
      { valueTitle: 'records', color: '#a07a1e' },
    ),
    countTable(rules, limits, ['rule', 'records'], 'rules'),
  ].join('');
}

function throughputHtml(report: DataScanReport): string {
  const t = report.throughput ?? ({} as DataScanReport['throughput']);
  const prepassShare =
    isNum(t.prepass_s) && isNum(t.elapsed_s) && t.elapsed_s > 0
      ? `${escapeHtml(fmtPct(t.prepass_s, t.elapsed_s))} of elapsed`
      : '';
  return `<div class="tiles">${[
    tile('records / s', fmtDec(t.records_per_s, 0), '', 'primary'),
    tile('MB / s', fmtDec(t.mb_per_s, 2), '', 'primary'),
    tile('MB / s per worker', fmtDec(t.mb_per_s_per_worker, 2)),
    tile('workers', fmtInt(t.workers)),
    tile('elapsed', fmtSeconds(t.elapsed_s)),
    tile('pre-pass', fmtSeconds(t.prepass_s), prepassShare),
    tile('bytes scanned', fmtBytes(t.bytes)),
    tile('peak memory (RSS)', isNum(report.memory?.peak_rss_mb) ? `${fmtInt(report.memory.peak_rss_mb)} MB` : '—'),
  ].join('')}</div>`;
}

function safeJson(value: unknown): string {
  const seen = new WeakSet<object>();
  try {
    return (
      JSON.stringify(
        value ?? {},
        (_key, v: unknown) => {
          if (typeof v === 'bigint') return v.toString();
          if (typeof v === 'function' || typeof v === 'symbol') return undefined;
          if (v !== null && typeof v === 'object') {
            if (seen.has(v)) return '[circular]';
            seen.add(v);
          }
          return v;
        },
        2,
      ) ?? '{}'
    );
  } catch {
    return '"(configuration could not be serialised)"';
  }
}

function configHtml(report: DataScanReport, limits: Limits): string {
  const json = safeJson(report.config);
  const cut =
    json.length > limits.configChars
      ? `<p class="note">Showing the first ${fmtInt(limits.configChars)} of ${fmtInt(json.length)} characters.</p>`
      : '';
  return `<details class="config"><summary>Effective configuration (${fmtInt(json.length)} chars of JSON)</summary><pre>${showText(json, limits.configChars, true)}</pre>${cut}</details>`;
}

// ---------------------------------------------------------------------------------------------------------
// Page

const CSS = `
:root{--fg:#1f2630;--muted:#5b6472;--line:#e3e7ee;--bg:#f4f6f9;--card:#fff;--accent:#3b6ea8;--good:#1d7a46;--good-bg:#e7f5ec;--bad:#b42318;--bad-bg:#fdecea;--warn:#8a5a00;--warn-bg:#fff4dc;--info:#2a5a8c;--info-bg:#e8f0fa}
*{box-sizing:border-box}
html{color-scheme:light}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:24px 20px 48px}
h1{font-size:24px;margin:2px 0 12px;font-weight:650}
h2{font-size:18px;margin:0 0 14px;font-weight:650}
h3{font-size:15px;margin:22px 0 8px;font-weight:600}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12.5px}
code{background:#f1f3f7;border-radius:3px;padding:0 3px;overflow-wrap:anywhere}
.card{overflow-x:auto}
.page-header,.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:20px 22px;margin:0 0 18px;box-shadow:0 1px 2px rgba(16,24,40,.04)}
.brand{font-size:12px;letter-spacing:.08em;text-transform:uppercase;color:var(--accent);font-weight:650}
.meta{display:flex;flex-wrap:wrap;gap:8px 28px;margin:0 0 6px}
.meta div{min-width:120px}.meta dt{font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}.meta dd{margin:0;font-weight:500}
nav.toc{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 18px}
nav.toc a{color:var(--accent);text-decoration:none;background:var(--card);border:1px solid var(--line);border-radius:999px;padding:3px 12px;font-size:13px}
table{border-collapse:collapse;width:100%;margin:6px 0 4px;font-size:13px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:11.5px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:600;background:#fafbfc}
tbody tr:nth-child(even){background:#fbfcfd}
tfoot td{font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.ids{max-width:320px;font-size:12px}
td.path{overflow-wrap:anywhere}
td.phrase{min-width:140px}
table.compact{width:auto;min-width:320px}
.two-col{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:0 28px}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:10px;margin:10px 0}
.tiles.small{grid-template-columns:repeat(auto-fill,minmax(150px,1fr))}
.tile{border:1px solid var(--line);border-radius:8px;padding:10px 12px;background:#fcfdfe}
.tile-value{font-size:22px;font-weight:650;font-variant-numeric:tabular-nums}
.tile-label{font-size:12px;color:var(--muted)}
.tile-extra{font-size:11.5px;color:var(--muted)}
.tile.primary .tile-value{color:var(--accent)}.tile.good .tile-value{color:var(--good)}.tile.bad .tile-value{color:var(--bad)}
.balance{border-radius:8px;padding:10px 14px;margin:0 0 10px;font-size:14px}
.balance.ok{background:var(--good-bg);color:var(--good);border:1px solid #b7e1c6}
.balance.bad{background:var(--bad-bg);color:var(--bad);border:1px solid #f4b8b1;font-weight:600}
.balance .mark{font-weight:700;margin-right:4px}
.badge{display:inline-block;border-radius:999px;padding:0 8px;font-size:11.5px;font-weight:600;white-space:nowrap;background:#eef0f4;color:#394150}
.badge.bad{background:var(--bad-bg);color:var(--bad)}.badge.warn{background:var(--warn-bg);color:var(--warn)}.badge.info{background:var(--info-bg);color:var(--info)}
.stat{display:inline-block;white-space:nowrap;font-size:12px;color:var(--muted);margin-right:6px}
.muted{color:var(--muted)}
.lead{margin:0 0 8px}
.note{color:var(--muted);font-size:12.5px;margin:4px 0 10px}
.empty{color:var(--muted);font-style:italic;margin:4px 0}
figure.chart{margin:8px 0 6px;overflow-x:auto}
figure.chart svg{max-width:100%;height:auto;display:block}
details.excerpt summary{cursor:pointer;color:var(--accent);font-size:12px}
.excerpt-text{white-space:pre-wrap;overflow-wrap:anywhere;font-size:12.5px;background:#fafbfc;border:1px solid var(--line);border-radius:6px;padding:6px 8px;margin-top:4px;max-width:360px}
details.config summary{cursor:pointer;font-weight:600}
details.config pre{background:#f7f8fa;border:1px solid var(--line);border-radius:6px;padding:12px;overflow:auto;max-height:640px;white-space:pre-wrap;overflow-wrap:anywhere}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:8px}
@media print{body{background:#fff}.card,.page-header{box-shadow:none;break-inside:avoid}nav.toc{display:none}}
`;

const SECTIONS: [string, string][] = [
  ['summary', 'Summary'],
  ['findings', 'Findings'],
  ['quarantine', 'Quarantine'],
  ['duplicates', 'Duplicates'],
  ['poisoning', 'Poisoning'],
  ['quality', 'Quality'],
  ['throughput', 'Throughput'],
  ['config', 'Configuration'],
];

function limitsFrom(options: DataScanHtmlOptions): Limits {
  const pick = (v: number | undefined, d: number) => (isNum(v) && v >= 0 ? Math.floor(v) : d);
  return {
    clusters: pick(options.maxClusters, 50),
    triggers: pick(options.maxTriggers, 100),
    checks: pick(options.maxChecks, 100),
    rows: pick(options.maxRows, 100),
    ids: pick(options.maxIdsPerRow, 10),
    bars: Math.max(1, pick(options.maxBars, 25)),
    configChars: pick(options.maxConfigChars, 200_000),
  };
}

/** Renders the self-contained `report.html` of `lifeguard data scan`. */
export async function renderDataScanHtml(report: DataScanReport, options: DataScanHtmlOptions = {}): Promise<string> {
  const limits = limitsFrom(options);
  const title = visibleText(options.title ?? 'Lifeguard data scan report', 160);
  // Sequential on purpose: chart rendering is CPU-bound and Vega's views are independent.
  const findings = await findingsHtml(report, limits);
  const quarantine = await quarantineHtml(report, limits);
  const duplicates = await duplicatesHtml(report, limits);
  const poisoning = await poisoningHtml(report, limits);
  const quality = await qualityHtml(report, limits);
  const version = showText(report.tool?.version, 40);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${DATA_REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="lifeguard ${version}">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${headerHtml(report, title, limits)}
<nav class="toc" aria-label="Sections">${SECTIONS.map(([id, name]) => `<a href="#${id}">${name}</a>`).join('')}</nav>
${section('summary', 'Summary', summaryHtml(report))}
${section('findings', 'Findings', findings)}
${section('quarantine', 'Quarantine', quarantine)}
${section('duplicates', 'Duplicates', duplicates)}
${section('poisoning', 'Poisoning', poisoning)}
${section('quality', 'Quality', quality)}
${section('throughput', 'Throughput', throughputHtml(report))}
${section('config', 'Configuration', configHtml(report, limits))}
<footer>Generated by lifeguard ${version}. This page is self-contained: no scripts, no external resources. The complete data is in <code>report.json</code>.</footer>
</main>
</body>
</html>
`;
}

// ---------------------------------------------------------------------------------------------------------
// Markdown

/** A short Markdown summary of a scan (counts, top findings, top triggers, throughput) for terminals and CI logs. */
export function renderDataScanMarkdown(report: DataScanReport): string {
  const c = report.counts ?? ({} as DataScanReport['counts']);
  const t = report.throughput ?? ({} as DataScanReport['throughput']);
  const inputs = arr(report.inputs);
  const lines: string[] = [];
  lines.push('## Lifeguard data scan', '');
  lines.push(
    `lifeguard ${markdownSpan(report.tool?.version, 40)} · ${plural(inputs.length, 'input')} · ${markdownSpan(report.started_at, 40)} → ${markdownSpan(report.finished_at, 40)}${report.resumed === true ? ' · **resumed**' : ''}`,
    '',
  );
  const arithmetic = isNum(c.in) && isNum(c.kept) && isNum(c.quarantined) && c.in === c.kept + c.quarantined;
  const ok = c.balanced === true && arithmetic;
  lines.push(
    ok
      ? `✅ Balanced: in ${fmtInt(c.in)} = kept ${fmtInt(c.kept)} + quarantined ${fmtInt(c.quarantined)}`
      : `⚠️ **Not balanced**: in ${fmtInt(c.in)} ${arithmetic ? '=' : '≠'} kept ${fmtInt(c.kept)} + quarantined ${fmtInt(c.quarantined)}`,
    '',
  );
  lines.push('| count | records |', '|---|---:|');
  const rows: [string, unknown][] = [
    ['in', c.in],
    ['kept', c.kept],
    ['quarantined', c.quarantined],
    ['redacted', c.redacted],
    ['malformed', c.malformed],
    ['exact duplicates', c.duplicates_exact],
    ['near duplicates', c.duplicates_near],
    ['low quality', c.low_quality],
    ['poisoned', c.poisoned],
    ['quarantined by findings', c.findings_quarantined],
    ['with findings', report.findings?.records],
  ];
  for (const [name, v] of rows) lines.push(`| ${name} | ${fmtInt(v)} |`);
  lines.push('');

  const byType = sortedEntries(report.findings?.by_type);
  if (byType.length > 0) {
    lines.push(`### Top findings (${plural(sum(byType), 'finding')})`, '', '| type | findings |', '|---|---:|');
    for (const [type, n] of byType.slice(0, 5)) lines.push(`| ${markdownCode(type, 60)} | ${fmtInt(n)} |`);
    if (byType.length > 5)
      lines.push(`| … ${plural(byType.length - 5, 'more type')} | ${fmtInt(sum(byType.slice(5)))} |`);
    lines.push('');
  }

  const p = report.poisoning;
  if (p?.enabled === true) {
    const triggers = sortTriggers(p);
    if (triggers.length > 0) {
      lines.push(
        `### Top suspected triggers (${fmtInt(triggers.length)}; ${plural(p.flagged ?? 0, 'record')} flagged)`,
        '',
        '| phrase | kind | support | lift | score |',
        '|---|---|---:|---:|---:|',
      );
      for (const tr of triggers.slice(0, 5)) {
        lines.push(
          `| ${markdownCode(tr.phrase, 60)} | ${markdownCode(tr.kind, 24)} | ${fmtInt(tr.support)} | ${fmtDec(tr.lift, 2)} | ${fmtDec(tr.score, 3)} |`,
        );
      }
      lines.push('');
    } else {
      lines.push(`Poisoning: no suspected trigger; ${plural(p.flagged ?? 0, 'record')} flagged.`, '');
    }
  } else if (p?.skipped) {
    lines.push(`Poisoning checks skipped: ${markdownSpan(p.skipped, 160)}`, '');
  }

  lines.push(
    `**Throughput**: ${fmtDec(t.records_per_s, 0)} records/s · ${fmtDec(t.mb_per_s, 2)} MB/s (${fmtDec(t.mb_per_s_per_worker, 2)} MB/s per worker, ${fmtInt(t.workers)} workers) · elapsed ${fmtSeconds(t.elapsed_s)} (pre-pass ${fmtSeconds(t.prepass_s)}) · peak RSS ${isNum(report.memory?.peak_rss_mb) ? `${fmtInt(report.memory.peak_rss_mb)} MB` : '—'}`,
    '',
  );
  return lines.join('\n');
}
