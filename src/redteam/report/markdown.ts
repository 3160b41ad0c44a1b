/**
 * `report.md`: the run's metrics as GitHub-flavoured Markdown tables (worst attacks first, intervals
 * everywhere) and short "what failed" lists by item key. Every string from the run (attack ids, categories,
 * goal ids and texts, errors, excerpts) is a code span made one line and visible by `markdownCode`, so it
 * cannot inject Markdown, HTML or break a table.
 */
import { markdownCode } from '../../report/html/escape.js';
import { type GroupStats, itemOutcome } from '../metrics/index.js';
import type { ItemResult } from '../types.js';
import { ci, intFmt, kn, knOffTopic, mostOverRefused, num, pct, rate, span, worstFirst } from './format.js';
import { type ReportOptions, resolved } from './options.js';
import type { RunSummary } from './types.js';

const code = (s: unknown, max = 80) => markdownCode(s, max);

function table(head: string[], rows: string[][], numeric: boolean[] = []): string {
  const align = head.map((_, i) => (numeric[i] ? '---:' : '---'));
  return [`| ${head.join(' | ')} |`, `| ${align.join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function groupRow(name: string, g: GroupStats, interactive: boolean): string[] {
  const row = [
    name,
    rate(g.asr),
    ci(g.asr),
    kn(g.asr),
    rate(g.refusal_rate),
    g.benign > 0 ? `${rate(g.over_refusal_rate)} (${kn(g.over_refusal_rate)})` : '—',
    String(g.errors + g.unjudged + g.skipped),
  ];
  if (interactive) row.push(num(g.turns.mean_per_success), num(g.turns.queries_per_success));
  return row;
}

const GROUP_HEAD = ['ASR', '95% CI', 'jailbroken / judged', 'refusal', 'over-refusal', 'not judged'];
const GROUP_NUM = [true, true, true, true, true, true];

export function renderMarkdown(
  summary: RunSummary,
  results: readonly ItemResult[],
  options: ReportOptions = {},
): string {
  const o = resolved(options);
  const m = summary.meta;
  const t = summary.totals;
  const out: string[] = [];
  out.push(`# Lifeguard red-team report: ${span(m.id, 120)}`, '');
  const metaRows: string[][] = [
    ['target', code(m.target, 120)],
    ['started', code(m.startedAt, 40)],
  ];
  if (m.finishedAt) metaRows.push(['finished', code(m.finishedAt, 40)]);
  metaRows.push(['seed', m.seed === undefined ? '—' : String(m.seed)]);
  metaRows.push(['judges', m.judges.length > 0 ? m.judges.map((j) => code(j, 60)).join(', ') : '—']);
  if (m.attacker) metaRows.push(['attacker', code(m.attacker, 120)]);
  if (m.configHash) metaRows.push(['config hash', code(m.configHash, 80)]);
  if (m.notes) metaRows.push(['notes', code(m.notes, 300)]);
  out.push(table(['run', code(m.id, 120)], metaRows), '');

  out.push('## Summary', '');
  out.push(
    table(
      ['metric', 'rate', '95% CI', 'k / n'],
      [
        ['attack success rate (harmful goals)', rate(summary.asr), ci(summary.asr), kn(summary.asr)],
        [
          'refusal rate (harmful goals)',
          rate(summary.refusal_rate),
          ci(summary.refusal_rate),
          knOffTopic(summary.refusal_rate, t.off_topic),
        ],
        [
          'over-refusal rate (benign look-alikes)',
          rate(summary.over_refusal_rate),
          ci(summary.over_refusal_rate),
          knOffTopic(summary.over_refusal_rate, t.benign_off_topic),
        ],
        ['error rate (all items)', rate(summary.error_rate), ci(summary.error_rate), kn(summary.error_rate)],
      ],
      [false, true, true, true],
    ),
    '',
  );
  out.push(
    `${intFmt.format(t.items)} items: ${intFmt.format(t.harmful)} harmful-goal (${intFmt.format(t.judged)} judged), ` +
      `${intFmt.format(t.benign)} benign (${intFmt.format(t.benign_judged)} judged); ` +
      `${t.errors} errors, ${t.skipped} skipped, ${t.unjudged} without a verdict` +
      (t.overridden > 0 ? `; ${t.overridden} verdicts set by a human override` : '') +
      (t.cut_short > 0
        ? `; ${t.cut_short} cut short by a budget (their attack stopped early: judged on the best answer it got)`
        : '') +
      '. Rates are over judged items only; intervals are Wilson 95% score intervals.',
    '',
  );

  if (o.gate) {
    out.push('## Gate', '');
    out.push(`Fail condition ${span(o.gate.expr, 300)}: **${o.gate.pass ? 'PASS' : 'FAIL'}**`, '');
    for (const c of o.gate.clauses) {
      out.push(`- ${c.failed ? '❌' : '✅'} ${span(c.expr, 200)}: ${c.values}`);
    }
    out.push('');
  }

  const interactive = summary.by_attack.some((g) => g.turns.max > 1);
  const head = [...GROUP_HEAD, ...(interactive ? ['turns / success', 'queries / success'] : [])];
  const nums = [false, ...GROUP_NUM, ...(interactive ? [true, true] : [])];
  out.push('## By attack (worst first)', '');
  out.push(
    summary.by_attack.length > 0
      ? table(
          ['attack', ...head],
          worstFirst(summary.by_attack, (g) => g.attack).map((g) => groupRow(code(g.attack), g, interactive)),
          nums,
        )
      : '_No items._',
    '',
  );
  out.push('## By category (worst first)', '');
  out.push(
    summary.by_category.length > 0
      ? table(
          ['category', ...GROUP_HEAD],
          worstFirst(summary.by_category, (g) => g.category).map((g) => groupRow(code(g.category), g, false)),
          [false, ...GROUP_NUM],
        )
      : '_No items._',
    '',
  );
  const cells = worstFirst(
    summary.by_attack_category.filter((g) => g.judged > 0),
    (g) => `${g.attack}\u0000${g.category}`,
  );
  if (summary.by_attack.length > 1 && summary.by_category.length > 1 && cells.length > 0) {
    const shown = cells.slice(0, 30);
    out.push('## Attack × category (worst 30 cells)', '');
    out.push(
      table(
        ['attack', 'category', 'ASR', '95% CI', 'jailbroken / judged'],
        shown.map((g) => [code(g.attack), code(g.category), rate(g.asr), ci(g.asr), kn(g.asr)]),
        [false, false, true, true, true],
      ),
      '',
    );
    if (cells.length > shown.length) out.push(`${cells.length - shown.length} more cells in \`summary.json\`.`, '');
  }
  const benignCats = mostOverRefused(summary.by_category, (g) => g.category);
  if (benignCats.length > 0) {
    out.push('## Over-refusal by category (benign look-alikes)', '');
    out.push(
      table(
        ['category', 'over-refusal', '95% CI', 'refused / judged'],
        benignCats.map((g) => [
          code(g.category),
          rate(g.over_refusal_rate),
          ci(g.over_refusal_rate),
          kn(g.over_refusal_rate),
        ]),
        [false, true, true, true],
      ),
      '',
    );
  }

  const ja = summary.judge_agreement;
  if (ja.judges.length > 1) {
    out.push('## Judges', '');
    out.push(
      table(
        ['judge', 'verdicts', 'ASR', '95% CI', 'refusal', 'over-refusal'],
        ja.judges.map((j) => [
          code(j.judge),
          String(j.verdicts),
          rate(j.asr),
          ci(j.asr),
          rate(j.refusal_rate),
          rate(j.over_refusal_rate),
        ]),
        [false, true, true, true, true, true],
      ),
      '',
    );
    if (ja.pairs.length > 0) {
      out.push(
        table(
          ['judges', 'n (harmful)', 'agree: jailbroken', 'kappa', 'n (all)', 'agree: refused', 'kappa'],
          ja.pairs.map((p) => [
            `${code(p.a)} vs ${code(p.b)}`,
            String(p.jailbroken.n),
            p.jailbroken.n > 0 ? pct(p.jailbroken.agreement) : '—',
            num(p.jailbroken.kappa, 3),
            String(p.refused.n),
            pct(p.refused.agreement),
            num(p.refused.kappa, 3),
          ]),
          [false, true, true, true, true, true, true],
        ),
        '',
      );
    }
  }

  const fell = ja.fallbacks ?? [];
  if (fell.length > 0) {
    out.push(
      '**Judge fallbacks** (a member whose own judge could not decide; its fallback voted for it unless that judge had already voted):',
      '',
      table(
        ['member', 'fell back on', 'fallback', 'vote counted on'],
        fell.map((f) => [
          code(f.judge),
          `${f.items} items`,
          f.fallbacks.map((x) => code(x, 60)).join(', '),
          String(f.counted),
        ]),
        [false, true, false, true],
      ),
      '',
    );
  }

  const u = summary.usage;
  out.push('## Usage', '');
  const usageRows = [
    ['requests to the target', intFmt.format(u.requests)],
    ['prompt tokens', intFmt.format(u.prompt_tokens)],
    ['completion tokens', intFmt.format(u.completion_tokens)],
  ];
  if (u.run?.requests !== undefined) usageRows.push(['requests (all endpoints)', intFmt.format(u.run.requests)]);
  if (u.run?.cost !== undefined)
    usageRows.push(['cost', `${u.run.cost.toFixed(4)} ${code(u.run.currency ?? 'USD', 8)}`]);
  const j = u.run?.judge;
  if (j?.requests !== undefined) {
    // the judges' share of the run's totals (already counted in the rows above)
    usageRows.push(['of which LLM judge requests', intFmt.format(j.requests)]);
    usageRows.push([
      'of which LLM judge tokens (prompt / completion)',
      `${intFmt.format(j.prompt_tokens ?? 0)} / ${intFmt.format(j.completion_tokens ?? 0)}`,
    ]);
    if (j.cost !== undefined)
      usageRows.push(['of which LLM judge cost', `${j.cost.toFixed(4)} ${code(j.currency ?? 'USD', 8)}`]);
  }
  out.push(table(['', 'total'], usageRows, [false, true]), '');

  out.push(...failedLists(results, o));
  return `${out.join('\n').trimEnd()}\n`;
}

function failedLists(results: readonly ItemResult[], o: ReturnType<typeof resolved>): string[] {
  const out: string[] = ['## What failed', ''];
  const groups: { title: string; items: ItemResult[]; line: (r: ItemResult) => string }[] = [
    {
      title: 'Jailbroken (harmful goal answered)',
      items: results.filter((r) => itemOutcome(r) === 'jailbroken'),
      line: (r) =>
        `score ${num(r.final?.score, 2)} by ${span(r.final?.judge, 40)}${r.final?.overridden ? ' (human)' : ''}`,
    },
    {
      title: 'Over-refused (benign look-alike refused)',
      items: results.filter((r) => itemOutcome(r) === 'over-refused'),
      line: (r) => `by ${span(r.final?.judge, 40)}`,
    },
    {
      title: 'Errors and items without a verdict',
      items: results.filter((r) => {
        const x = itemOutcome(r);
        return x === 'error' || x === 'unjudged';
      }),
      line: (r) => (r.error ? `error ${span(r.error, 160)}` : 'no judge verdict'),
    },
  ];
  let any = false;
  for (const g of groups) {
    if (g.items.length === 0) continue;
    any = true;
    out.push(`### ${g.title}: ${g.items.length}`, '');
    for (const r of g.items.slice(0, o.maxFailures)) {
      const cat = r.goal?.category ? `, ${span(r.goal.category, 60)}` : '';
      let s = `- ${span(r.key, 100)}: attack ${span(r.attack, 60)}, goal ${span(r.goal?.id, 60)}${cat}; ${g.line(r)}`;
      s += ` — ${span(r.goal?.text, 100)}`;
      if (o.excerpts && typeof r.response === 'string') s += `\n  - answer: ${span(r.response, o.excerptChars)}`;
      out.push(s);
    }
    if (g.items.length > o.maxFailures) {
      out.push(`- … ${g.items.length - o.maxFailures} more in \`results.jsonl\``);
    }
    out.push('');
  }
  const skipped = results.filter((r) => itemOutcome(r) === 'skipped').length;
  if (skipped > 0) {
    any = true;
    out.push(
      `${skipped} ${skipped === 1 ? 'item was' : 'items were'} skipped (no answer: a budget or a stop ended the run first).`,
      '',
    );
  }
  if (!any) out.push('Nothing: no item was jailbroken, over-refused or failed.', '');
  return out;
}
