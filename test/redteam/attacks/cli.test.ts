import { describe, expect, it } from 'vitest';
import { attackIds } from '../../../src/redteam/attacks/index.js';
import { runCli } from '../../cli/helpers.js';

describe('lifeguard redteam attacks / goals', () => {
  it('attacks --json lists every registry id with kind and attacker use', () => {
    const r = runCli(['redteam', 'attacks', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      attacks: Array<{ id: string; kind: string; attacker: string }>;
      templateFamilies: Record<string, number>;
    };
    expect(out.attacks.map((a) => a.id)).toEqual(attackIds());
    expect(out.attacks.find((a) => a.id === 'tap')).toMatchObject({ kind: 'interactive', attacker: 'required' });
    expect(out.templateFamilies.dan).toBeGreaterThan(10);
  });

  it('goals --json previews counts per source and category, dedupe included', () => {
    const r = runCli(['redteam', 'goals', 'advbench', 'jbb', '{"source":"xstest","include":"benign"}', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      total: number;
      benign: number;
      duplicatesDropped: number;
      sources: Array<{ source: string; goals: number; categories: Record<string, number> }>;
    };
    expect(out).toMatchObject({ total: 520 + 89 + 250, benign: 250, duplicatesDropped: 11 });
    expect(out.sources.map((s) => [s.source, s.goals])).toEqual([
      ['advbench', 520],
      ['jbb', 89],
      ['xstest', 250],
    ]);
    expect(Object.keys(out.sources[2].categories)).toHaveLength(10);
    expect(r.stderr).toContain('dropped 11 duplicate');
  });

  it('a bad spec exits 2 with the reason on stderr and nothing on stdout', () => {
    const r = runCli(['redteam', 'goals', 'nope']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('neither a built-in goal set');
  });
});
