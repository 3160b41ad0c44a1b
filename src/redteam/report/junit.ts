/**
 * `junit.xml` for CI systems: one `<testsuite>` per attack, one `<testcase>` per item (a failure when a
 * harmful goal was jailbroken or a benign look-alike refused; an error when the item failed or got no
 * verdict; skipped when a budget skipped it), and a `gate` suite with one test case per gate clause.
 * Text is made valid XML 1.0: characters XML forbids (most C0 controls, lone surrogates, U+FFFE/U+FFFF)
 * are removed, then `& < > " '` are escaped.
 */
import { type ItemOutcome, itemOutcome } from '../metrics/index.js';
import type { ItemResult } from '../types.js';
import { pct } from './format.js';
import { type ReportOptions, resolved } from './options.js';
import type { RunSummary } from './types.js';

// Everything outside XML 1.0's Char production. With the `u` flag a lone surrogate is one code point in
// D800–DFFF, outside every allowed range, so it is removed too.
const ILLEGAL_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Removes characters that XML 1.0 does not allow anywhere in a document. */
export function stripIllegalXml(s: string): string {
  return s.replace(ILLEGAL_XML, '');
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Valid XML text or attribute value: illegal characters removed, markup escaped, length bounded. */
export function xmlText(value: unknown, maxChars = 2000): string {
  let s = stripIllegalXml(typeof value === 'string' ? value : String(value ?? ''));
  if (s.length > maxChars) {
    let end = maxChars;
    const c = s.charCodeAt(end - 1);
    if (c >= 0xd800 && c <= 0xdbff) end -= 1;
    s = `${s.slice(0, end)}…`;
  }
  return s.replace(/[&<>"']/g, (ch) => XML_ESCAPES[ch]);
}

/** Attribute values also get their line breaks and tabs encoded, so they survive attribute normalisation. */
const attr = (value: unknown, maxChars = 500) =>
  xmlText(value, maxChars).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');

function caseXml(r: ItemResult, outcome: ItemOutcome, o: ReturnType<typeof resolved>): string {
  const name = `${r.goal?.id ?? '?'} [${r.key}]`;
  const open = `<testcase classname="${attr(`redteam.${r.attack}`)}" name="${attr(name)}" time="0"`;
  const goal = `goal ${r.goal?.id ?? '?'}${r.goal?.category ? ` (${r.goal.category})` : ''}${r.goal?.benign ? ', benign' : ''}: ${r.goal?.text ?? ''}`;
  const excerpt = o.excerpts && typeof r.response === 'string' ? `\nanswer (excerpt): ${r.response}` : '';
  const body = (text: string) => xmlText(text, 600 + o.excerptChars);
  switch (outcome) {
    case 'jailbroken':
      return `${open}><failure type="jailbroken" message="${attr(`jailbroken: score ${r.final?.score?.toFixed?.(2) ?? '?'} by ${r.final?.judge ?? '?'}${r.final?.overridden ? ' (human override)' : ''}`)}">${body(`${goal.slice(0, 300)}${excerpt.slice(0, o.excerptChars + 20)}`)}</failure></testcase>`;
    case 'over-refused':
      return `${open}><failure type="over-refusal" message="${attr(`benign look-alike refused (judge ${r.final?.judge ?? '?'})`)}">${body(`${goal.slice(0, 300)}${excerpt.slice(0, o.excerptChars + 20)}`)}</failure></testcase>`;
    case 'error':
      return `${open}><error type="error" message="${attr(r.error ?? 'error', 300)}"/></testcase>`;
    case 'unjudged':
      return `${open}><error type="unjudged" message="the item has an answer but no judge verdict"/></testcase>`;
    case 'skipped':
      return `${open}><skipped message="no answer: skipped (budget or stop)"/></testcase>`;
    default:
      return `${open}/>`;
  }
}

/** Renders `junit.xml`. */
export function renderJunit(summary: RunSummary, results: readonly ItemResult[], options: ReportOptions = {}): string {
  const o = resolved(options);
  const byAttack = new Map<string, ItemResult[]>();
  for (const r of results) {
    const list = byAttack.get(r.attack);
    if (list) list.push(r);
    else byAttack.set(r.attack, [r]);
  }
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  const stats = new Map(summary.by_attack.map((g) => [g.attack, g]));
  for (const attack of [...byAttack.keys()].sort()) {
    const items = byAttack.get(attack)!;
    let f = 0;
    let e = 0;
    let s = 0;
    const cases = items.map((r) => {
      const outcome = itemOutcome(r);
      if (outcome === 'jailbroken' || outcome === 'over-refused') f++;
      else if (outcome === 'error' || outcome === 'unjudged') e++;
      else if (outcome === 'skipped') s++;
      return caseXml(r, outcome, o);
    });
    tests += items.length;
    failures += f;
    errors += e;
    skipped += s;
    const g = stats.get(attack);
    const props = g
      ? `<properties><property name="asr" value="${g.asr.rate}"/><property name="asr_low" value="${g.asr.low}"/><property name="asr_high" value="${g.asr.high}"/><property name="judged" value="${g.judged}"/><property name="refusal_rate" value="${g.refusal_rate.rate}"/><property name="over_refusal_rate" value="${g.over_refusal_rate.rate}"/></properties>`
      : '';
    suites.push(
      `<testsuite name="${attr(`attack:${attack}`)}" tests="${items.length}" failures="${f}" errors="${e}" skipped="${s}" time="0">${props}\n${cases.join('\n')}\n</testsuite>`,
    );
  }
  if (o.gate) {
    const g = o.gate;
    const cases = g.clauses.map((c) => {
      const open = `<testcase classname="redteam.gate" name="${attr(`fail if ${c.expr}`)}" time="0"`;
      return c.failed
        ? `${open}><failure type="gate" message="${attr(`${c.expr}: ${c.values}`, 1000)}"/></testcase>`
        : `${open}/>`;
    });
    const f = g.clauses.filter((c) => c.failed).length;
    tests += cases.length;
    failures += f;
    suites.push(
      `<testsuite name="gate" tests="${cases.length}" failures="${f}" errors="0" skipped="0" time="0"><properties><property name="expression" value="${attr(g.expr, 1000)}"/></properties>\n${cases.join('\n')}\n</testsuite>`,
    );
  }
  // Without a judged harmful item there is no ASR: "ASR 0.0%" on an all-errored run would read as safe.
  const asr = summary.asr.n > 0 ? `ASR ${pct(summary.asr.rate)}` : 'ASR: no data, nothing judged';
  const name = `lifeguard redteam ${summary.meta.id} (${asr})`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${attr(name)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="0">\n${suites.join('\n')}\n</testsuites>\n`;
}
