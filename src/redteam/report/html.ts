/**
 * `report.html`: one self-contained page (inline CSS, inline SVG charts, one small inline script for the
 * items table) under a Content-Security-Policy that loads nothing and runs only that script (by hash).
 * Every string from the run (ids, categories, goals, answers, errors, meta) is hostile: shown through
 * `showText` (bounded, invisible characters made visible, HTML-escaped). Answers appear only as short
 * excerpts, and only when asked for.
 */
import { createHash } from 'node:crypto';
import { escapeHtml, showText } from '../../report/html/escape.js';
import { type GroupStats, type ItemOutcome, itemOutcome } from '../metrics/index.js';
import type { ItemResult } from '../types.js';
import { rateChartSvg } from './charts.js';
import { ci, intFmt, kn, knOffTopic, mostOverRefused, num, pct, rate, worstFirst } from './format.js';
import { type ReportOptions, resolved } from './options.js';
import { pairKey } from './summarize.js';
import type { RunSummary } from './types.js';

const COLORS = { asr: '#c2410c', refusal: '#3b6ea8', over: '#7c3aed' };

/** Sorting and filtering of the items table: reads and writes the DOM only, never HTML strings. */
const SCRIPT = `(function(){
var t=document.getElementById('items');if(!t)return;
var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows);
var q=document.getElementById('filter'),o=document.getElementById('outcome'),c=document.getElementById('shown');
function apply(){var s=(q.value||'').toLowerCase(),w=o.value,n=0;
for(var i=0;i<rows.length;i++){var r=rows[i];var ok=(!w||r.getAttribute('data-outcome')===w)&&(!s||r.textContent.toLowerCase().indexOf(s)>=0);
r.hidden=!ok;if(ok)n++;}c.textContent=String(n);}
q.addEventListener('input',apply);o.addEventListener('change',apply);
var ths=t.tHead.rows[0].cells;
for(var j=0;j<ths.length;j++){(function(col,th){th.addEventListener('click',function(){
var dir=th.getAttribute('aria-sort')==='ascending'?-1:1;
for(var k=0;k<ths.length;k++)ths[k].removeAttribute('aria-sort');
th.setAttribute('aria-sort',dir===1?'ascending':'descending');
var num=th.getAttribute('data-num')==='1';
rows.sort(function(a,b){var x=a.cells[col].getAttribute('data-v')||a.cells[col].textContent,y=b.cells[col].getAttribute('data-v')||b.cells[col].textContent;
if(num){return dir*((parseFloat(x)||0)-(parseFloat(y)||0));}return dir*(x<y?-1:x>y?1:0);});
for(var m=0;m<rows.length;m++)body.appendChild(rows[m]);});})(j,ths[j]);}
apply();})();`;

const SCRIPT_HASH = createHash('sha256').update(SCRIPT).digest('base64');

/** Loads nothing; runs only the page's own script; inline styles only. */
export const REDTEAM_REPORT_CSP = `default-src 'none'; script-src 'sha256-${SCRIPT_HASH}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;

const CSS = `
:root{--fg:#1f2630;--muted:#5b6472;--line:#e3e7ee;--bg:#f4f6f9;--card:#fff;--accent:#3b6ea8;--bad:#b42318;--bad-bg:#fdecea;--good:#1d7a46;--good-bg:#e7f5ec;--warn:#8a5a00;--warn-bg:#fff4dc}
*{box-sizing:border-box}html{color-scheme:light}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:24px 20px 48px}
h1{font-size:24px;margin:2px 0 12px;font-weight:650}h2{font-size:18px;margin:0 0 14px;font-weight:650}h3{font-size:15px;margin:18px 0 8px;font-weight:600}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;background:#f1f3f7;border-radius:3px;padding:0 3px;overflow-wrap:anywhere}
.card,.page-header{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:20px 22px;margin:0 0 18px;box-shadow:0 1px 2px rgba(16,24,40,.04);overflow-x:auto}
.brand{font-size:12px;letter-spacing:.08em;text-transform:uppercase;color:var(--accent);font-weight:650}
.meta{display:flex;flex-wrap:wrap;gap:8px 28px;margin:0}.meta dt{font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}.meta dd{margin:0;font-weight:500;overflow-wrap:anywhere}
nav.toc{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 18px}nav.toc a{color:var(--accent);text-decoration:none;background:var(--card);border:1px solid var(--line);border-radius:999px;padding:3px 12px;font-size:13px}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:10px;margin:10px 0}
.tile{border:1px solid var(--line);border-radius:8px;padding:10px 12px;background:#fcfdfe}.tile-value{font-size:22px;font-weight:650;font-variant-numeric:tabular-nums}.tile-label{font-size:12px;color:var(--muted)}.tile-extra{font-size:11.5px;color:var(--muted)}
.tile.bad .tile-value{color:var(--bad)}
table{border-collapse:collapse;width:100%;margin:6px 0 4px;font-size:13px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:11.5px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:600;background:#fafbfc}
tbody tr:nth-child(even){background:#fbfcfd}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.sortable th{cursor:pointer;user-select:none}table.sortable th[aria-sort=ascending]::after{content:" ▲"}table.sortable th[aria-sort=descending]::after{content:" ▼"}
.badge{display:inline-block;border-radius:999px;padding:0 8px;font-size:11.5px;font-weight:600;white-space:nowrap;background:#eef0f4;color:#394150}
.badge.jailbroken,.badge.over-refused,.badge.fail{background:var(--bad-bg);color:var(--bad)}.badge.error,.badge.unjudged,.badge.skipped{background:var(--warn-bg);color:var(--warn)}.badge.refused,.badge.resisted,.badge.answered,.badge.pass{background:var(--good-bg);color:var(--good)}
.gate{border-radius:8px;padding:10px 14px;margin:0 0 10px}.gate.pass{background:var(--good-bg);border:1px solid #b7e1c6}.gate.fail{background:var(--bad-bg);border:1px solid #f4b8b1}
.gate ul{margin:6px 0 0;padding-left:20px}
figure.chart{margin:8px 0 14px;overflow-x:auto}figure.chart svg{max-width:100%;height:auto;display:block}
.heat td.cell{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.note{color:var(--muted);font-size:12.5px;margin:4px 0 10px}.empty{color:var(--muted);font-style:italic}
.controls{display:flex;gap:10px;align-items:center;flex-wrap:wrap;margin:0 0 8px}.controls input{padding:4px 8px;border:1px solid var(--line);border-radius:6px;min-width:260px}
.excerpt{white-space:pre-wrap;overflow-wrap:anywhere;font-size:12px;color:#394150;max-width:420px}
.goal{max-width:360px;overflow-wrap:anywhere}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:8px}
@media print{body{background:#fff}.card,.page-header{box-shadow:none;break-inside:avoid}nav.toc,.controls{display:none}}
`;

const td = (v: string, cls = '', sortValue?: string | number) =>
  `<td${cls ? ` class="${cls}"` : ''}${sortValue !== undefined ? ` data-v="${escapeHtml(sortValue)}"` : ''}>${v}</td>`;
const th = (v: string, numeric = false) => `<th${numeric ? ' class="num" data-num="1"' : ''}>${v}</th>`;

function section(id: string, title: string, body: string): string {
  return `<section class="card" id="${id}"><h2>${title}</h2>${body}</section>`;
}

function tile(label: string, value: string, extra: string, bad = false): string {
  return `<div class="tile${bad ? ' bad' : ''}"><div class="tile-value">${value}</div><div class="tile-label">${label}</div><div class="tile-extra">${extra}</div></div>`;
}

function groupTable(
  groups: readonly (GroupStats & { name: string })[],
  nameHead: string,
  interactive: boolean,
): string {
  if (groups.length === 0) return '<p class="empty">No items.</p>';
  const head = [
    th(nameHead),
    th('ASR', true),
    th('95% CI', true),
    th('jailbroken / judged', true),
    th('refusal', true),
    th('over-refusal', true),
    th('not judged', true),
    ...(interactive ? [th('turns / success', true), th('queries / success', true)] : []),
  ].join('');
  const rows = groups.map((g) =>
    [
      '<tr>',
      td(`<code>${showText(g.name, 120)}</code>`),
      td(rate(g.asr), 'num'),
      td(ci(g.asr), 'num'),
      td(kn(g.asr), 'num'),
      td(`${rate(g.refusal_rate)}`, 'num'),
      td(g.benign > 0 ? `${rate(g.over_refusal_rate)} (${kn(g.over_refusal_rate)})` : '—', 'num'),
      td(String(g.errors + g.unjudged + g.skipped), 'num'),
      ...(interactive ? [td(num(g.turns.mean_per_success), 'num'), td(num(g.turns.queries_per_success), 'num')] : []),
      '</tr>',
    ].join(''),
  );
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function heatColor(r: number): string {
  // white → orange-red with the rate; readable text on every shade.
  const a = Math.max(0, Math.min(1, r));
  const mix = (from: number, to: number) => Math.round(from + (to - from) * a);
  return `rgb(${mix(255, 220)},${mix(255, 80)},${mix(255, 40)})`;
}

function heatTable(summary: RunSummary): string {
  const attacks = worstFirst(summary.by_attack, (g) => g.attack)
    .filter((g) => g.judged > 0)
    .slice(0, 40);
  const cats = worstFirst(summary.by_category, (g) => g.category)
    .filter((g) => g.judged > 0)
    .slice(0, 20);
  if (attacks.length < 2 || cats.length < 2) return '';
  const cell = new Map(summary.by_attack_category.map((g) => [pairKey(g.attack, g.category), g]));
  const head = `<tr><th>attack \\ category</th>${cats.map((c) => `<th class="num">${showText(c.category, 28)}</th>`).join('')}</tr>`;
  const rows = attacks.map((a) => {
    const cells = cats.map((c) => {
      const g = cell.get(pairKey(a.attack, c.category));
      if (!g || g.judged === 0) return '<td class="cell">—</td>';
      return `<td class="cell" style="background:${heatColor(g.asr.rate)}" title="${escapeHtml(`${kn(g.asr)}, 95% CI ${ci(g.asr)}`)}">${rate(g.asr)}</td>`;
    });
    return `<tr><td><code>${showText(a.attack, 60)}</code></td>${cells.join('')}</tr>`;
  });
  const cut =
    summary.by_attack.length > attacks.length || summary.by_category.length > cats.length
      ? '<p class="note">Worst 40 attacks × worst 20 categories; every cell is in <code>summary.json</code>.</p>'
      : '';
  return `<h3>ASR by attack × category</h3><table class="heat"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>${cut}`;
}

const OUTCOMES: ItemOutcome[] = [
  'jailbroken',
  'over-refused',
  'error',
  'unjudged',
  'skipped',
  'refused',
  'resisted',
  'answered',
];

function itemsTable(results: readonly ItemResult[], o: ReturnType<typeof resolved>): string {
  if (results.length === 0) return '<p class="empty">No items.</p>';
  // Failures first, so a capped table still shows what matters.
  const rank = new Map(OUTCOMES.map((x, i) => [x, i]));
  const sorted = results
    .map((r) => ({ r, outcome: itemOutcome(r) }))
    .sort((a, b) => rank.get(a.outcome)! - rank.get(b.outcome)!);
  const shown = sorted.slice(0, o.maxItems);
  const head = [
    th('key'),
    th('attack'),
    th('goal'),
    th('category'),
    th('outcome'),
    th('score', true),
    th('judge'),
    th('turns', true),
    ...(o.excerpts ? [th('answer (excerpt)')] : []),
  ].join('');
  const rows = shown.map(({ r, outcome }) => {
    const goal = `<code>${showText(r.goal?.id, 60)}</code>${r.goal?.benign ? ' <span class="badge">benign</span>' : ''}<div class="goal">${showText(r.goal?.text, 140)}</div>`;
    const detail = r.error ? `<div class="excerpt">${showText(r.error, 200)}</div>` : '';
    return [
      `<tr data-outcome="${outcome}">`,
      td(`<code>${showText(r.key, 80)}</code>`),
      td(`<code>${showText(r.attack, 60)}</code>`),
      td(goal),
      td(showText(r.goal?.category ?? '', 60)),
      td(`<span class="badge ${outcome}">${outcome}</span>${detail}`),
      td(r.final ? num(r.final.score, 2) : '—', 'num', r.final ? r.final.score : -1),
      td(r.final ? `${showText(r.final.judge, 40)}${r.final.overridden ? ' (human)' : ''}` : '—'),
      td(String(r.turns ?? 0), 'num', r.turns ?? 0),
      ...(o.excerpts
        ? [
            td(
              typeof r.response === 'string'
                ? `<div class="excerpt">${showText(r.response, o.excerptChars)}</div>`
                : '—',
            ),
          ]
        : []),
      '</tr>',
    ].join('');
  });
  const options = ['<option value="">all outcomes</option>', ...OUTCOMES.map((x) => `<option>${x}</option>`)];
  const cut =
    results.length > shown.length
      ? `<p class="note">Showing ${intFmt.format(shown.length)} of ${intFmt.format(results.length)} items (failures first); the rest are in <code>results.jsonl</code>.</p>`
      : '';
  return `<div class="controls"><input id="filter" type="search" placeholder="filter: key, attack, goal, category…" aria-label="filter items"><select id="outcome" aria-label="outcome">${options.join('')}</select><span class="note"><span id="shown">${shown.length}</span> shown</span></div>${cut}<table id="items" class="sortable"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function gateHtml(o: ReturnType<typeof resolved>): string {
  if (!o.gate) return '';
  const g = o.gate;
  const items = g.clauses
    .map(
      (c) =>
        `<li><span class="badge ${c.failed ? 'fail' : 'pass'}">${c.failed ? 'FAIL' : 'pass'}</span> <code>${showText(c.expr, 300)}</code>: ${showText(c.values, 600)}</li>`,
    )
    .join('');
  return `<div class="gate ${g.pass ? 'pass' : 'fail'}"><strong>Gate ${g.pass ? 'passed' : 'FAILED'}</strong>: fail condition <code>${showText(g.expr, 300)}</code><ul>${items}</ul></div>`;
}

function metaHtml(summary: RunSummary): string {
  const m = summary.meta;
  const pairs: [string, string][] = [
    ['target', m.target],
    ['started', m.startedAt],
    ...(m.finishedAt ? ([['finished', m.finishedAt]] as [string, string][]) : []),
    ['seed', m.seed === undefined ? '—' : String(m.seed)],
    ['judges', m.judges.join(', ') || '—'],
    ...(m.attacker ? ([['attacker', m.attacker]] as [string, string][]) : []),
    ...(m.configHash ? ([['config hash', m.configHash]] as [string, string][]) : []),
  ];
  return `<dl class="meta">${pairs.map(([k, v]) => `<div><dt>${k}</dt><dd>${showText(v, 160)}</dd></div>`).join('')}</dl>${m.notes ? `<p class="note">${showText(m.notes, 600)}</p>` : ''}`;
}

function judgesHtml(summary: RunSummary): string {
  const ja = summary.judge_agreement;
  if (ja.judges.length < 2) return '';
  const per = `<table><thead><tr>${th('judge')}${th('verdicts', true)}${th('ASR', true)}${th('95% CI', true)}${th('refusal', true)}${th('over-refusal', true)}</tr></thead><tbody>${ja.judges
    .map(
      (j) =>
        `<tr>${td(`<code>${showText(j.judge, 60)}</code>`)}${td(String(j.verdicts), 'num')}${td(rate(j.asr), 'num')}${td(ci(j.asr), 'num')}${td(rate(j.refusal_rate), 'num')}${td(rate(j.over_refusal_rate), 'num')}</tr>`,
    )
    .join('')}</tbody></table>`;
  const pairs =
    ja.pairs.length === 0
      ? ''
      : `<h3>Agreement</h3><table><thead><tr>${th('judges')}${th('n (harmful)', true)}${th('agree: jailbroken', true)}${th('kappa', true)}${th('n (all)', true)}${th('agree: refused', true)}${th('kappa', true)}</tr></thead><tbody>${ja.pairs
          .map(
            (p) =>
              `<tr>${td(`<code>${showText(p.a, 50)}</code> vs <code>${showText(p.b, 50)}</code>`)}${td(String(p.jailbroken.n), 'num')}${td(p.jailbroken.n > 0 ? pct(p.jailbroken.agreement) : '—', 'num')}${td(num(p.jailbroken.kappa, 3), 'num')}${td(String(p.refused.n), 'num')}${td(pct(p.refused.agreement), 'num')}${td(num(p.refused.kappa, 3), 'num')}</tr>`,
          )
          .join('')}</tbody></table>`;
  return section('judges', 'Judges', per + pairs);
}

function usageHtml(summary: RunSummary): string {
  const u = summary.usage;
  const tiles = [
    tile('requests to the target', intFmt.format(u.requests), ''),
    tile('prompt tokens', intFmt.format(u.prompt_tokens), `${u.items_with_usage} items reported usage`),
    tile('completion tokens', intFmt.format(u.completion_tokens), ''),
  ];
  if (u.run?.requests !== undefined) tiles.push(tile('requests (all endpoints)', intFmt.format(u.run.requests), ''));
  if (u.run?.cost !== undefined) tiles.push(tile('cost', u.run.cost.toFixed(4), showText(u.run.currency ?? 'USD', 8)));
  const j = u.run?.judge;
  if (j?.requests !== undefined) {
    const tokens = `${intFmt.format(j.prompt_tokens ?? 0)} prompt / ${intFmt.format(j.completion_tokens ?? 0)} completion tokens`;
    const cost = j.cost !== undefined ? `; ${j.cost.toFixed(4)} ${j.currency ?? 'USD'}` : '';
    tiles.push(tile('of which LLM judge requests', intFmt.format(j.requests), showText(`${tokens}${cost}`, 120)));
  }
  return `<div class="tiles">${tiles.join('')}</div>`;
}

/** Renders the self-contained `report.html`. */
export function renderHtml(summary: RunSummary, results: readonly ItemResult[], options: ReportOptions = {}): string {
  const o = resolved(options);
  const t = summary.totals;
  const interactive = summary.by_attack.some((g) => g.turns.max > 1);
  const attacks = worstFirst(summary.by_attack, (g) => g.attack);
  const cats = worstFirst(summary.by_category, (g) => g.category);
  const judgedAttacks = attacks.filter((g) => g.judged > 0);
  const judgedCats = cats.filter((g) => g.judged > 0);

  const charts = [
    rateChartSvg({
      title: 'Attack success rate by attack (95% Wilson interval)',
      series: [{ name: 'ASR', color: COLORS.asr }],
      rows: judgedAttacks.map((g) => ({ label: g.attack, values: [g.asr] })),
    }),
    rateChartSvg({
      title: 'Attack success rate by category (95% Wilson interval)',
      series: [{ name: 'ASR', color: COLORS.asr }],
      rows: judgedCats.map((g) => ({ label: g.category, values: [g.asr] })),
    }),
  ];
  const refusalRows = [
    { label: 'all attacks', values: [summary.refusal_rate, summary.over_refusal_rate] },
    ...attacks.map((g) => ({ label: g.attack, values: [g.refusal_rate, g.over_refusal_rate] })),
  ];
  charts.push(
    rateChartSvg({
      title: 'Refusal (harmful goals) vs over-refusal (benign look-alikes)',
      series: [
        { name: 'refusal rate (harmful)', color: COLORS.refusal },
        { name: 'over-refusal rate (benign)', color: COLORS.over },
      ],
      rows: refusalRows,
    }),
  );
  const overCats = mostOverRefused(summary.by_category, (g) => g.category);

  const summaryBody = `<div class="tiles">${[
    tile(
      'attack success rate',
      rate(summary.asr),
      `95% CI ${ci(summary.asr)} · ${kn(summary.asr)} harmful judged`,
      summary.asr.rate > 0,
    ),
    tile(
      'refusal rate (harmful)',
      rate(summary.refusal_rate),
      `95% CI ${ci(summary.refusal_rate)} · ${knOffTopic(summary.refusal_rate, t.off_topic)}`,
    ),
    tile(
      'over-refusal rate (benign)',
      rate(summary.over_refusal_rate),
      t.benign > 0
        ? `95% CI ${ci(summary.over_refusal_rate)} · ${knOffTopic(summary.over_refusal_rate, t.benign_off_topic)}`
        : 'no benign goals in this run',
      summary.over_refusal_rate.rate > 0,
    ),
    tile(
      'not judged',
      intFmt.format(t.errors + t.unjudged + t.skipped),
      `${t.errors} errors · ${t.unjudged} no verdict · ${t.skipped} skipped`,
      t.errors + t.unjudged > 0,
    ),
  ].join(
    '',
  )}</div><p class="note">${intFmt.format(t.items)} items: ${intFmt.format(t.harmful)} harmful-goal, ${intFmt.format(t.benign)} benign look-alikes${t.overridden > 0 ? `, ${t.overridden} verdicts set by a human` : ''}${t.cut_short > 0 ? `, ${t.cut_short} cut short by a budget (their attack stopped early: judged on the best answer it got)` : ''}. Rates are over judged items only (n given); intervals are Wilson 95% score intervals.</p>${gateHtml(o)}`;

  const byAttack = groupTable(
    attacks.map((g) => ({ ...g, name: g.attack })),
    'attack',
    interactive,
  );
  const byCategory = groupTable(
    cats.map((g) => ({ ...g, name: g.category })),
    'category',
    false,
  );
  const overTable =
    overCats.length === 0
      ? ''
      : `<h3>Over-refusal by category</h3><table><thead><tr>${th('category')}${th('over-refusal', true)}${th('95% CI', true)}${th('refused / judged', true)}</tr></thead><tbody>${overCats
          .map(
            (g) =>
              `<tr>${td(`<code>${showText(g.category, 80)}</code>`)}${td(rate(g.over_refusal_rate), 'num')}${td(ci(g.over_refusal_rate), 'num')}${td(kn(g.over_refusal_rate), 'num')}</tr>`,
          )
          .join('')}</tbody></table>`;

  const title = `Lifeguard red-team report: ${summary.meta.id}`;
  const nav = [
    ['summary', 'Summary'],
    ['charts', 'Charts'],
    ['attacks', 'By attack'],
    ['categories', 'By category'],
    ...(summary.judge_agreement.judges.length > 1 ? [['judges', 'Judges']] : []),
    ['usage', 'Usage'],
    // Not `items`: that id is the items table's, which the page's script looks up.
    ['item-list', 'Items'],
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REDTEAM_REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${showText(title, 200)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header class="page-header"><div class="brand">Lifeguard · red team</div><h1>${showText(title, 200)}</h1>${metaHtml(summary)}</header>
<nav class="toc" aria-label="Sections">${nav.map(([id, name]) => `<a href="#${id}">${name}</a>`).join('')}</nav>
${section('summary', 'Summary', summaryBody)}
${section('charts', 'Charts', charts.map((c) => `<figure class="chart">${c}</figure>`).join(''))}
${section('attacks', 'By attack (worst first)', byAttack + heatTable(summary))}
${section('categories', 'By category (worst first)', byCategory + overTable)}
${judgesHtml(summary)}
${section('usage', 'Usage', usageHtml(summary))}
${section('item-list', 'Items', itemsTable(results, o))}
<footer>Generated by lifeguard at ${showText(summary.generated_at, 40)}. Self-contained: no external resources; the only script sorts and filters the items table. The complete data is in <code>summary.json</code> and <code>results.jsonl</code>.</footer>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
