import { markdownCode, visibleText } from '../../report/html/escape.js';
import type { Interval } from '../metrics/index.js';
import type { Comparison, GroupComparison, MetricComparison } from './compare.js';
import { span } from './format.js';
import type { GateResult } from './gate.js';

const code = (s: unknown, max = 80) => markdownCode(s, max);
const p1 = (x: number) => `${(x * 100).toFixed(1)}%`;
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${(Math.abs(x) * 100).toFixed(1)}`;
const rateN = (iv: Interval) => (iv.n === 0 ? '—' : `${p1(iv.rate)} (${iv.k}/${iv.n})`);

function deltaCell(m: MetricComparison): string {
  if (m.base.n === 0 || m.candidate.n === 0) return '—';
  return `${signed(m.delta)} pp [${signed(m.delta_low)}, ${signed(m.delta_high)}]`;
}

function flag(m: MetricComparison): string {
  if (m.regression) return '**worse**';
  if (m.improvement) return 'better';
  return '';
}

function pCell(m: MetricComparison): string {
  return m.mcnemar
    ? `${m.mcnemar.p < 0.001 ? m.mcnemar.p.toExponential(1) : m.mcnemar.p.toFixed(3)} (${m.mcnemar.base_only}/${m.mcnemar.candidate_only})`
    : '—';
}

const METRICS: [keyof GroupComparison, string][] = [
  ['asr', 'ASR'],
  ['refusal_rate', 'refusal'],
  ['over_refusal_rate', 'over-refusal'],
];

function table(rows: [string, GroupComparison][], nameHead: string): string[] {
  const out = [
    `| ${nameHead} | metric | base | candidate | Δ (95% CI) | McNemar p (base-only/cand-only) | |`,
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const [name, g] of rows) {
    for (const [key, label] of METRICS) {
      const m = g[key];
      if (m.base.n === 0 && m.candidate.n === 0) continue;
      out.push(
        `| ${name} | ${label} | ${rateN(m.base)} | ${rateN(m.candidate)} | ${deltaCell(m)} | ${pCell(m)} | ${flag(m)} |`,
      );
    }
  }
  return out;
}

/** The comparison as Markdown: overall, per attack, per category, regressions first. */
export function renderComparisonMarkdown(c: Comparison, gate?: GateResult & { expr: string }): string {
  const out: string[] = [];
  out.push(`# Lifeguard red-team comparison: ${span(c.base.meta.id, 80)} → ${span(c.candidate.meta.id, 80)}`, '');
  out.push(
    `Base: ${span(c.base.meta.target, 100)} (${c.base.totals.items} items). Candidate: ${span(c.candidate.meta.target, 100)} (${c.candidate.totals.items} items).`,
  );
  out.push(
    c.pairing.by
      ? `Paired ${c.pairing.pairs} items by ${c.pairing.by}; significance by McNemar's exact test (α = ${c.alpha}) where items pair up.`
      : `Items not paired; significance by Newcombe's 95% interval of the difference.`,
    'Δ is candidate − base in percentage points, with Newcombe’s hybrid score 95% interval.',
    '',
  );
  // Warnings name attacks from the runs (hostile strings): one visible line, every punctuation mark that
  // Markdown reads backslash-escaped, so a name like "x\n# heading" or "[link](…)" becomes no Markdown or HTML.
  for (const w of c.warnings) out.push(`> ⚠ ${visibleText(w, 2000).replace(/[\\`*_[\]<>|#!~&]/g, '\\$&')}`, '');
  if (gate) {
    out.push(`Gate ${span(gate.expr, 300)}: **${gate.pass ? 'PASS' : 'FAIL'}**`, '');
    for (const cl of gate.clauses) out.push(`- ${cl.failed ? '❌' : '✅'} ${span(cl.expr, 200)}: ${cl.values}`);
    out.push('');
  }
  out.push(`## Regressions: ${c.regressions.length}`, '');
  if (c.regressions.length === 0) out.push('No significant regression.', '');
  for (const r of c.regressions) {
    out.push(
      `- ${r.scope === 'overall' ? 'overall' : `${r.scope} ${span(r.name, 80)}`}: ${r.metric} ${p1(r.base)} → ${p1(r.candidate)} (${signed(r.delta)} pp, 95% CI [${signed(r.delta_low)}, ${signed(r.delta_high)}]${r.p !== undefined ? `, p = ${r.p.toPrecision(3)}` : ''})`,
    );
  }
  if (c.regressions.length > 0) out.push('');
  if (c.improvements.length > 0) {
    out.push(`## Improvements: ${c.improvements.length}`, '');
    for (const r of c.improvements) {
      out.push(
        `- ${r.scope === 'overall' ? 'overall' : `${r.scope} ${span(r.name, 80)}`}: ${r.metric} ${p1(r.base)} → ${p1(r.candidate)} (${signed(r.delta)} pp)`,
      );
    }
    out.push('');
  }
  out.push('## Overall', '', ...table([['all', c.overall]], ''), '');
  out.push(
    '## By attack',
    '',
    ...table(
      c.by_attack.map((g) => [code(g.attack), g]),
      'attack',
    ),
    '',
  );
  out.push(
    '## By category',
    '',
    ...table(
      c.by_category.map((g) => [code(g.category), g]),
      'category',
    ),
    '',
  );
  return `${out.join('\n').trimEnd()}\n`;
}
