import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareRuns, renderComparisonMarkdown, renderJunit, summarize } from '../../src/redteam/report/index.js';
import type { ItemResult } from '../../src/redteam/types.js';
import { redteamCli } from './helpers/cli.js';
import { item, META, NOW } from './report/fixtures.js';

describe('junit.xml without judged items', () => {
  it('does not claim "ASR 0.0%" when every item errored or was skipped', () => {
    const results = [
      item({ attack: 'a', outcome: 'error' }),
      item({ attack: 'a', outcome: 'error' }),
      item({ attack: 'b', outcome: 'skipped' }),
    ];
    const xml = renderJunit(summarize(results, META, { now: NOW }), results);
    const name = /<testsuites name="([^"]*)"/.exec(xml)?.[1] ?? '';
    expect(name).not.toContain('0.0%');
    expect(name).toContain('no data');
    expect(xml).toMatch(/<testsuites [^>]*tests="3" failures="0" errors="2" skipped="1"/);
  });

  it('still states the ASR when something was judged', () => {
    const results = [item({ attack: 'a', outcome: 'jb' }), item({ attack: 'a', outcome: 'ref' })];
    const xml = renderJunit(summarize(results, META, { now: NOW }), results);
    expect(/<testsuites name="([^"]*)"/.exec(xml)?.[1]).toContain('(ASR 50.0%)');
  });
});

describe('comparison Markdown warnings', () => {
  it('an attack name from one run cannot inject Markdown or HTML through the warnings', () => {
    const hostile = 'x\n# Injected heading [click](javascript:alert(1)) <img src=x onerror=alert(1)> `t` |';
    const base = [item({ attack: 'direct', outcome: 'jb' }), item({ attack: hostile, outcome: 'ref' })];
    const cand = [item({ attack: 'direct', outcome: 'ref' })];
    const c = compareRuns(
      { ...summarize(base, { ...META, id: 'base' }, { now: NOW }), results: base },
      { ...summarize(cand, { ...META, id: 'cand' }, { now: NOW }), results: cand },
      { now: NOW },
    );
    expect(c.warnings.join('\n')).toContain('attacks only in the base run');
    const md = renderComparisonMarkdown(c);
    const lines = md.split('\n');
    // No line of the document starts a heading from the attack name, no raw tag or link survives.
    expect(lines.some((l) => l.startsWith('# Injected'))).toBe(false);
    const warning = lines.find((l) => l.includes('attacks only in the base run')) ?? '';
    expect(warning.startsWith('> ⚠ ')).toBe(true);
    expect(warning).not.toMatch(/[^\\]<img/);
    expect(warning).not.toMatch(/[^\\]\[click\]/);
    expect(warning).toContain('\\<img');
    expect(warning).toContain('\\`t\\`');
  });
});

describe('redteam report CLI line with nothing judged', () => {
  it('says "refusal —" rather than "refusal 0.0%"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-qa5-'));
    mkdirSync(dir, { recursive: true });
    const results: ItemResult[] = [item({ attack: 'a', outcome: 'error' }), item({ attack: 'a', outcome: 'skipped' })];
    writeFileSync(join(dir, 'results.jsonl'), `${results.map((r) => JSON.stringify(r)).join('\n')}\n`);
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(META));
    const r = await redteamCli(['report', dir, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('ASR — (no judged items)');
    expect(r.err).toContain('refusal —');
    expect(r.err).not.toContain('refusal 0.0%');
  });
});
