import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ItemResult } from '../../../src/redteam/types.js';
import { runCli } from '../../cli/helpers.js';
import { CAT_A, item, META, referenceSet } from './fixtures.js';

function runDir(results: ItemResult[], meta: object | null, tail = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'lg-rt-cli-'));
  writeFileSync(join(dir, 'results.jsonl'), `${results.map((r) => JSON.stringify(r)).join('\n')}\n${tail}`);
  if (meta) writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
  return dir;
}

function paired(n: number, jailbroken: (i: number) => boolean): ItemResult[] {
  return Array.from({ length: n }, (_, i) =>
    item({ key: `g${i}|t`, goalId: `g${i}`, attack: 't', category: CAT_A, outcome: jailbroken(i) ? 'jb' : 'ref' }),
  );
}

describe('lifeguard redteam report / compare (CLI)', () => {
  it('report: re-renders every format from results.jsonl, --json on stdout, exit 1 when the gate fails', () => {
    const dir = runDir(referenceSet(), META, JSON.stringify(referenceSet()[0]).slice(0, 30)); // a killed run's partial line
    const out = join(dir, 'out');
    const r = runCli(['redteam', 'report', dir, '--out', out, '--fail-if', 'asr>0.05, error_rate>0.5', '--json']);
    expect(r.stderr).toMatch(/line 21 is incomplete/);
    expect(r.stderr).toContain('gate FAILED');
    expect(r.stderr).toContain('asr>0.05: asr = 54.5% (6/11');
    expect(r.status).toBe(1);
    const printed = JSON.parse(r.stdout) as {
      summary: { asr: { k: number; n: number }; meta: { id: string } };
      gate: { pass: boolean; failures: string[] };
      written: string[];
    };
    expect(printed.summary.asr).toMatchObject({ k: 6, n: 11 });
    expect(printed.summary.meta.id).toBe('run-test');
    expect(printed.gate.pass).toBe(false);
    expect(printed.gate.failures).toHaveLength(1);
    for (const f of ['summary.json', 'report.md', 'report.html', 'junit.xml'])
      expect(existsSync(join(out, f))).toBe(true);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('classname="redteam.gate"');

    const pass = runCli(['redteam', 'report', dir, '--format', 'md', '--fail-if', 'asr > 60%']);
    expect(pass.status).toBe(0);
    expect(pass.stdout).toBe('');
    expect(existsSync(join(dir, 'report.md'))).toBe(true);
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
  });

  it('report: bad input exits 2 with a clear message and writes nothing', () => {
    const dir = runDir(referenceSet(), META);
    const bad = runCli(['redteam', 'report', dir, '--fail-if', 'asr >> 0.05']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('LG_ERR_CONFIG_INVALID');
    expect(bad.stderr).toContain('position 6');
    expect(existsSync(join(dir, 'summary.json'))).toBe(false);

    const broken = mkdtempSync(join(tmpdir(), 'lg-rt-cli-'));
    const [a, b] = referenceSet();
    writeFileSync(join(broken, 'results.jsonl'), `${JSON.stringify(a)}\nnot json\n${JSON.stringify(b)}\n`);
    const r = runCli(['redteam', 'report', broken]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/results\.jsonl: line 2 is not valid JSON/);
    expect(r.stderr).toContain('LG_ERR_INPUT_INVALID');
  });

  it('compare: Markdown or JSON, --out file, the delta gate exits 1 on a regression', () => {
    const base = runDir(
      paired(20, (i) => i < 2),
      { ...META, id: 'base', target: 'fake:base' },
    );
    const cand = runDir(
      paired(20, (i) => i < 10),
      { ...META, id: 'cand', target: 'fake:tuned' },
    );
    const outFile = join(mkdtempSync(join(tmpdir(), 'lg-rt-cmp-')), 'cmp.json');
    const r = runCli(['redteam', 'compare', base, cand, '--json', '--fail-if', 'asr_delta>0.02', '--out', outFile]);
    expect(r.status).toBe(1);
    const c = JSON.parse(r.stdout) as {
      overall: { asr: { delta: number; mcnemar: { candidate_only: number } } };
      pairing: { by: string };
      regressions: unknown[];
      gate: { pass: boolean };
    };
    expect(c.overall.asr.delta).toBeCloseTo(0.4, 10);
    expect(c.overall.asr.mcnemar.candidate_only).toBe(8);
    expect(c.pairing.by).toBe('key');
    expect(c.regressions.length).toBeGreaterThan(0);
    expect(c.gate.pass).toBe(false);
    expect(JSON.parse(readFileSync(outFile, 'utf8'))).toEqual(c);
    expect(r.stderr).toContain('gate FAILED');

    const md = runCli(['redteam', 'compare', cand, base, '--fail-if', 'regressions>0']);
    expect(md.status).toBe(0); // the other way round it is an improvement
    expect(md.stdout).toContain('# Lifeguard red-team comparison: `cand` → `base`');
    expect(md.stdout).toContain('## Improvements');

    const missing = runCli(['redteam', 'compare', base, join(base, 'nope')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('does not exist');
    mkdirSync(join(base, 'empty'));
    expect(runCli(['redteam', 'compare', base, join(base, 'empty')]).stderr).toContain('has no results.jsonl');
  });
});
