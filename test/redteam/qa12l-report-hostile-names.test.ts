/**
 * QA (report renderers, hostile names): an attack whose name holds U+0000 must stay one attack in
 * `summary.json`'s attack × category cells (it was split at its own U+0000 into another attack and
 * category), and the Markdown report's heading must show an id with `|` as written (a table-cell escape
 * outside a table shows its backslash).
 */
import { describe, expect, it } from 'vitest';
import { evaluateGate, renderHtml, renderMarkdown, summarize } from '../../src/redteam/report/index.js';
import { item, META, NOW } from './report/fixtures.js';

describe('attack × category cells with U+0000 in a name', () => {
  const results = [
    item({ attack: 'a\u0000b', category: 'c', outcome: 'jb' }),
    item({ attack: 'a\u0000b', category: 'd', outcome: 'ref' }),
    item({ attack: 'a', category: 'b\u0000c', outcome: 'ref' }),
    item({ attack: 'a', category: 'd', outcome: 'jb' }),
    item({ attack: 'x\u0001', category: '\u0001\u0002', outcome: 'jb' }),
  ];
  const summary = summarize(results, META, { now: NOW });

  it('keeps each cell under its own attack and category, none merged', () => {
    const cells = summary.by_attack_category.map((g) => [g.attack, g.category, g.items]);
    expect(cells).toHaveLength(5);
    expect(cells).toContainEqual(['a\u0000b', 'c', 1]);
    expect(cells).toContainEqual(['a\u0000b', 'd', 1]);
    expect(cells).toContainEqual(['a', 'b\u0000c', 1]);
    expect(cells).toContainEqual(['a', 'd', 1]);
    expect(cells).toContainEqual(['x\u0001', '\u0001\u0002', 1]);
    // every cell's attack and category are ones the run has
    const attacks = new Set(summary.by_attack.map((g) => g.attack));
    const cats = new Set(summary.by_category.map((g) => g.category));
    for (const g of summary.by_attack_category) {
      expect(attacks.has(g.attack)).toBe(true);
      expect(cats.has(g.category)).toBe(true);
    }
    // still sorted by attack, then category
    const plain = summarize(
      [item({ attack: 'b', category: 'x', outcome: 'jb' }), item({ attack: 'a', category: 'y', outcome: 'jb' })],
      META,
      { now: NOW },
    );
    expect(plain.by_attack_category.map((g) => `${g.attack}/${g.category}`)).toEqual(['a/y', 'b/x']);
  });

  it('the gate and the HTML heat table read the right cell', () => {
    const g = evaluateGate('asr[attack="a", category="d"] < 1', summary);
    expect(g.clauses[0].values).toContain('100.0% (1/1');
    const html = renderHtml(summary, results);
    const heat = /<table class="heat">[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
    const row = (name: string) => new RegExp(`<tr><td><code>${name}</code></td>(.*?)</tr>`).exec(heat)?.[1] ?? '';
    // attack `a`: category `d` jailbroken (100%), `b⟨U+0000⟩c` refused (0%)
    expect(row('a')).toContain('100.0%');
    expect(row('a')).toContain('0.0%');
    expect(row('a⟨U\\+0000⟩b')).toContain('100.0%');
  });
});

describe('report.md heading', () => {
  it('shows a run id with `|` without a backslash (it is not a table cell)', () => {
    const results = [item({ attack: 'a', outcome: 'jb' })];
    const md = renderMarkdown(summarize(results, { ...META, id: 'run|2' }, { now: NOW }), results);
    const lines = md.split('\n');
    expect(lines[0]).toBe('# Lifeguard red-team report: `run|2`');
    // in the meta table the pipe is still escaped, so the row keeps its two cells
    expect(lines).toContain('| run | `run\\|2` |');
  });
});
