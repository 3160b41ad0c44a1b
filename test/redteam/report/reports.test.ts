import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  evaluateGate,
  loadRunDir,
  parseFormats,
  parseResultsJsonl,
  renderHtml,
  renderJunit,
  renderMarkdown,
  SUMMARY_SCHEMA,
  stripIllegalXml,
  summarize,
  writeReports,
} from '../../../src/redteam/report/index.js';
import type { ItemResult } from '../../../src/redteam/types.js';
import { item, META, NOW, referenceSet } from './fixtures.js';

const HOSTILE_ANSWER = `<script>alert(1)</script><img src="https://evil.example/x.png" onerror="alert(2)"> ${'A'.repeat(1000)}`;

function hostileSet(): ItemResult[] {
  return [
    ...referenceSet(),
    item({
      goalId: 'hostile-1',
      attack: 'tmpl:<b>bold</b>',
      category: '<i>cat</i>',
      outcome: 'jb',
      response: HOSTILE_ANSWER,
      goalText: 'see https://evil.example/page and <a href="http://evil.example">x</a>',
    }),
  ];
}

/**
 * A small well-formedness check for our XML: declaration, balanced tags, quoted attributes, only the five
 * predefined entities and numeric references, no characters XML 1.0 forbids.
 */
function checkXml(xml: string): { tags: string[] } {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  expect(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(xml)).toBe(false);
  expect(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(xml)).toBe(false);
  const body = xml.slice(xml.indexOf('?>') + 2);
  const stack: string[] = [];
  const tags: string[] = [];
  let i = 0;
  while (i < body.length) {
    const lt = body.indexOf('<', i);
    const text = body.slice(i, lt < 0 ? body.length : lt);
    expect(text.includes('>')).toBe(false);
    for (const m of text.matchAll(/&([^;]*);?/g)) expect(m[0]).toMatch(/^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);$/i);
    if (lt < 0) break;
    const gt = body.indexOf('>', lt);
    expect(gt).toBeGreaterThan(lt);
    const tag = body.slice(lt + 1, gt);
    if (tag.startsWith('/')) {
      expect(stack.pop()).toBe(tag.slice(1));
    } else {
      const m = /^([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)$/.exec(tag);
      expect(m, `bad tag <${tag.slice(0, 80)}>`).not.toBeNull();
      for (const a of m![2].matchAll(/="([^"]*)"/g)) {
        for (const e of a[1].matchAll(/&([^;]*);?/g))
          expect(e[0]).toMatch(/^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);$/i);
      }
      tags.push(m![1]);
      if (m![3] !== '/') stack.push(m![1]);
    }
    i = gt + 1;
  }
  expect(stack).toEqual([]);
  return { tags };
}

describe('report.html', () => {
  const results = hostileSet();
  const summary = summarize(results, META, { now: NOW });

  it('is self-contained: no external reference, no script but its own (allowed by hash)', () => {
    const html = renderHtml(summary, results, { excerpts: true });
    expect(html).not.toMatch(/\b(?:src|href|action|xlink:href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b|@import|url\(/i);
    const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)];
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0][1]).digest('base64');
    expect(html).toContain(`script-src 'sha256-${hash}'`);
    expect(() => new Function(scripts[0][1])).not.toThrow(); // compiles (not run: no DOM here)
    expect(html).toContain("default-src 'none'");
    expect((html.match(/<svg\b/g) ?? []).length).toBe(3);
  });

  it('escapes every model-produced string and truncates excerpts', () => {
    const html = renderHtml(summary, results, { excerpts: true });
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>bold</b>');
    expect(html).not.toContain('<i>cat</i>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('tmpl:&lt;b&gt;bold&lt;/b&gt;');
    expect(html).not.toContain('A'.repeat(300)); // excerpt cut at 200 characters
    expect(html).toContain('A'.repeat(50));
    // every data-v / title attribute value is quoted and holds no raw quote or angle bracket
    for (const m of html.matchAll(/ (?:data-v|title)="([^"]*)"/g)) expect(m[1]).not.toMatch(/[<>]/);
  });

  it('leaves answers out unless excerpts are asked for; has the charts and the items table', () => {
    const html = renderHtml(summary, results);
    expect(html).not.toContain('alert(1)');
    expect(html).not.toContain('answer to ');
    expect(html).toContain('Attack success rate by attack (95% Wilson interval)');
    expect(html).toContain('Refusal (harmful goals) vs over-refusal (benign look-alikes)');
    expect(html).toContain('<table id="items" class="sortable">');
    expect((html.match(/<tr data-outcome=/g) ?? []).length).toBe(results.length);
    // failures first
    expect(html.indexOf('data-outcome="jailbroken"')).toBeLessThan(html.indexOf('data-outcome="refused"'));
    const capped = renderHtml(summary, results, { maxItems: 3 });
    expect((capped.match(/<tr data-outcome=/g) ?? []).length).toBe(3);
    expect(capped).toContain(`Showing 3 of ${results.length} items`);
  });

  it('shows the gate result', () => {
    const gate = { expr: 'asr>0.05', ...evaluateGate('asr>0.05', summary) };
    const html = renderHtml(summary, results, { gate });
    expect(html).toContain(
      '<div class="gate fail"><strong>Gate FAILED</strong>: fail condition <code>asr&gt;0.05</code>',
    );
    expect(html).toContain('asr = 58.3% (7/12');
  });
});

describe('report.md', () => {
  const results = hostileSet();
  const summary = summarize(results, META, { now: NOW });

  it('tables with intervals, worst attacks first, failures by key, no answers by default', () => {
    const md = renderMarkdown(summary, results);
    expect(md).toContain('| attack success rate (harmful goals) | 58.3% |');
    const order = ['`tmpl:<b>bold</b>`', '`base64`', '`pair`', '`none`'].map((a) => md.indexOf(`| ${a} |`));
    expect(order.every((x) => x > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(md).toContain('### Jailbroken (harmful goal answered): 7');
    expect(md).toContain('- `hostile-1|tmpl:<b>bold</b>|0`: attack `tmpl:<b>bold</b>`'); // code spans: inert
    expect(md).not.toContain('alert(1)');
    expect(md).toContain('turns / success'); // pair is interactive
    expect(md).toContain('### Errors and items without a verdict: 2');
    expect(md).toContain('1 item was skipped');
  });

  it('excerpts are optional, one line, code-spanned and cut at ~200 characters', () => {
    const md = renderMarkdown(summary, results, { excerpts: true });
    const line = md.split('\n').find((l) => l.includes('alert(1)'))!;
    expect(line).toMatch(/^ {2}- answer: `/);
    expect(line.length).toBeLessThan(260);
    expect(md).not.toContain('A'.repeat(250));
  });
});

describe('junit.xml', () => {
  it('one suite per attack, one case per item, gate cases; well-formed with illegal characters stripped', () => {
    const results = [
      ...hostileSet(),
      item({
        goalId: 'ctl\u0000\u0001\ud800\ufffe-goal',
        attack: 'base64',
        outcome: 'jb',
        response: 'bad \u0007 chars \udfff here',
      }),
    ];
    const summary = summarize(results, META, { now: NOW });
    const gate = { expr: 'asr>0.05, error_rate>0.5', ...evaluateGate('asr>0.05, error_rate>0.5', summary) };
    const xml = renderJunit(summary, results, { gate, excerpts: true });
    const { tags } = checkXml(xml);
    expect(tags.filter((t) => t === 'testsuite')).toHaveLength(5); // base64, none, pair, tmpl, gate
    expect(tags.filter((t) => t === 'testcase')).toHaveLength(results.length + 2);
    expect(xml).toContain('name="ctl-goal [');
    const base64 = /<testsuite name="attack:base64" tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)"/.exec(
      xml,
    )!;
    // base64: 7 harmful judged + 1 benign + error/skipped/unjudged + the control-character item
    expect(base64.slice(1).map(Number)).toEqual([12, 5, 2, 1]);
    const none = /<testsuite name="attack:none" tests="(\d+)" failures="(\d+)"/.exec(xml)!;
    expect(none.slice(1).map(Number)).toEqual([5, 1]); // the over-refused benign item fails
    expect(xml).toMatch(/<testcase classname="redteam.gate" name="fail if asr&gt;0.05" time="0"><failure/);
    expect(xml).toMatch(/<testcase classname="redteam.gate" name="fail if error_rate&gt;0.5" time="0"\/>/);
    expect(xml).toContain('&lt;script&gt;');
    expect(xml).not.toContain('<script>');
  });

  it('stripIllegalXml keeps tab, newlines, astral characters; drops controls and lone surrogates', () => {
    expect(stripIllegalXml('a\tb\nc\rd\u0000e\u001ff\ud83d\ude00g\ud800h\ufffei')).toBe('a\tb\nc\rdef\ud83d\ude00ghi');
  });
});

describe('writeReports, run directories', () => {
  it('writes the asked formats and returns their paths; summary.json is versioned snake_case', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-rt-report-'));
    const results = referenceSet();
    const summary = summarize(results, META, { now: NOW });
    const paths = await writeReports(dir, summary, results, parseFormats('md,json,html,junit'));
    expect(paths.map((p) => p.slice(dir.length + 1))).toEqual([
      'report.md',
      'summary.json',
      'report.html',
      'junit.xml',
    ]);
    const json = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(json.schema).toBe(SUMMARY_SCHEMA);
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining([
        'asr',
        'refusal_rate',
        'over_refusal_rate',
        'by_attack',
        'by_category',
        'by_attack_category',
        'judge_agreement',
        'usage',
      ]),
    );
    expect(json).toEqual(JSON.parse(JSON.stringify(summary)));
    expect(() => parseFormats('json,pdf')).toThrow(/unknown report format "pdf" \(valid: json, md, html, junit, all\)/);
    expect(parseFormats('all')).toEqual(['json', 'md', 'html', 'junit']);
  });

  it('results.jsonl: malformed line → error with its number; partial last line → warning, skipped', () => {
    const [a, b] = referenceSet();
    const good = `${JSON.stringify(a)}\n${JSON.stringify(b)}\n`;
    expect(parseResultsJsonl(good, 'r.jsonl')).toHaveLength(2);
    expect(() => parseResultsJsonl(`${JSON.stringify(a)}\n{"key": \n${JSON.stringify(b)}\n`, 'r.jsonl')).toThrow(
      /r\.jsonl: line 2 is not valid JSON/,
    );
    expect(() => parseResultsJsonl(`${JSON.stringify(a)}\n{"key": 1}\n`, 'r.jsonl')).toThrow(
      /line 2 is not an item result \(key:/,
    );
    const warnings: string[] = [];
    const partial = parseResultsJsonl(`${good}${JSON.stringify(a).slice(0, 40)}`, 'r.jsonl', {
      onWarning: (w) => warnings.push(w),
    });
    expect(partial).toHaveLength(2);
    expect(warnings[0]).toMatch(/line 3 is incomplete/);
    // a complete but broken last line (newline written) is an error, not a partial write
    expect(() => parseResultsJsonl(`${good}{oops}\n`, 'r.jsonl')).toThrow(/line 3/);
    // a repeated key: the later line wins, with a warning
    const again = { ...a, final: { ...a.final!, jailbroken: false } };
    const dup = parseResultsJsonl(`${good}${JSON.stringify(again)}\n`, 'r.jsonl', {
      onWarning: (w) => warnings.push(w),
    });
    expect(dup).toHaveLength(2);
    expect(dup[0].final!.jailbroken).toBe(false);
    expect(warnings[1]).toContain('repeat an earlier item key');
  });

  it('loadRunDir takes meta.json, else the summary meta, else reconstructs one (said so)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-rt-dir-'));
    const results = referenceSet();
    writeFileSync(join(dir, 'results.jsonl'), `${results.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const warnings: string[] = [];
    const bare = await loadRunDir(dir, { onWarning: (w) => warnings.push(w) });
    expect(bare.metaSource).toBe('results.jsonl');
    expect(bare.meta.judges).toEqual(['test-judge']);
    expect(bare.meta.startedAt).toBe('unknown');
    expect(warnings.join()).toContain('reconstructed');
    await writeReports(dir, summarize(results, META, { now: NOW }), results, ['json']);
    expect((await loadRunDir(dir)).meta).toEqual(META);
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ ...META, id: 'from-meta', started_at: undefined }));
    const fromMeta = await loadRunDir(dir);
    expect(fromMeta.metaSource).toBe('meta.json');
    expect(fromMeta.meta.id).toBe('from-meta');
    await expect(loadRunDir(join(dir, 'nope'))).rejects.toThrow(/does not exist/);
    const empty = mkdtempSync(join(tmpdir(), 'lg-rt-empty-'));
    await expect(loadRunDir(empty)).rejects.toThrow(/has no results\.jsonl/);
  });
});
