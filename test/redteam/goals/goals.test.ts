import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LifeguardError } from '../../../src/core/errors.js';
import {
  BUILTIN_SOURCES,
  GoalSpecSchema,
  loadGoals,
  loadGoalsSync,
  normaliseGoalText,
  redteamDataDir,
} from '../../../src/redteam/goals/index.js';

const dir = mkdtempSync(join(tmpdir(), 'lg-goals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const quiet = { onNotice: () => {} };

function expectError(fn: () => unknown, code: string, ...parts: string[]): void {
  try {
    fn();
  } catch (e) {
    expect(LifeguardError.isInstance(e)).toBe(true);
    expect((e as LifeguardError).code).toBe(code);
    for (const p of parts) expect((e as Error).message).toContain(p);
    return;
  }
  throw new Error('expected an error');
}

describe('built-in goal sets', () => {
  const expected: Record<string, { n: number; categories: number; benign: number }> = {
    advbench: { n: 520, categories: 0, benign: 0 },
    strongreject: { n: 313, categories: 6, benign: 0 },
    jbb: { n: 100, categories: 10, benign: 0 },
    'jbb-benign': { n: 100, categories: 10, benign: 100 },
    donotanswer: { n: 939, categories: 5, benign: 0 },
    xstest: { n: 450, categories: 18, benign: 250 },
  };

  it('covers every shipped source; each file sits beside its LICENSE and a MANIFEST naming the upstream', () => {
    expect(BUILTIN_SOURCES.map((s) => s.id).sort()).toEqual(Object.keys(expected).sort());
    for (const s of BUILTIN_SOURCES) {
      for (const f of s.files) {
        const path = join(redteamDataDir(), 'goals', f);
        expect(existsSync(path)).toBe(true);
        expect(existsSync(join(dirname(path), 'LICENSE'))).toBe(true);
        const manifest = readFileSync(join(dirname(path), 'MANIFEST.md'), 'utf8');
        expect(manifest).toContain(s.upstream);
        expect(manifest).toContain(String(s.rows));
      }
    }
  });

  for (const [source, want] of Object.entries(expected)) {
    it(`${source}: ${want.n} goals, ${want.categories} categories, ${want.benign} benign, ids <source>:<row>`, () => {
      const { goals } = loadGoalsSync([source], { ...quiet, dedupe: false });
      expect(goals).toHaveLength(want.n);
      expect(BUILTIN_SOURCES.find((s) => s.id === source)?.rows).toBe(want.n);
      const cats = new Set(goals.map((g) => g.category).filter((c) => c !== undefined));
      expect(cats.size).toBe(want.categories);
      expect(goals.filter((g) => g.benign).length).toBe(want.benign);
      expect(new Set(goals.map((g) => g.id)).size).toBe(want.n);
      goals.forEach((g, row) => {
        expect(g.id).toBe(`${source}:${row}`);
        expect(g.source).toBe(source);
        expect(g.text.trim().length).toBeGreaterThan(0);
      });
    });
  }

  it('keeps AdvBench / JBB targets and XSTest types', () => {
    const [adv] = loadGoalsSync([{ source: 'advbench', limit: 1 }], quiet).goals;
    expect(adv.target).toMatch(/^Sure, here is/);
    const xs = loadGoalsSync(['xstest'], quiet).goals;
    expect(xs.filter((g) => g.category?.startsWith('contrast_')).every((g) => !g.benign)).toBe(true);
    expect(xs.filter((g) => !g.category?.startsWith('contrast_')).every((g) => g.benign)).toBe(true);
    const dna = loadGoalsSync(['donotanswer'], quiet).goals;
    expect(new Set(dna.map((g) => g.category))).toContain('Malicious Uses');
  });
});

describe('selection', () => {
  it('limit takes the first rows; sample: random is seeded and reproducible', () => {
    const first = loadGoalsSync([{ source: 'advbench', limit: 5 }], quiet).goals.map((g) => g.id);
    expect(first).toEqual(['advbench:0', 'advbench:1', 'advbench:2', 'advbench:3', 'advbench:4']);
    const spec = { source: 'advbench', limit: 10, sample: 'random' };
    const a = loadGoalsSync([spec], { ...quiet, seed: 7 }).goals.map((g) => g.id);
    const b = loadGoalsSync([spec], { ...quiet, seed: 7 }).goals.map((g) => g.id);
    const c = loadGoalsSync([spec], { ...quiet, seed: 8 }).goals.map((g) => g.id);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(first.concat(['advbench:5', 'advbench:6', 'advbench:7', 'advbench:8', 'advbench:9']));
  });

  it("adding a spec does not change another spec's random sample", () => {
    const spec = { source: 'jbb', limit: 8, sample: 'random' };
    const alone = loadGoalsSync([spec], { ...quiet, seed: 3 }).goals.map((g) => g.id);
    const withOther = loadGoalsSync([{ source: 'xstest', limit: 3, sample: 'random' }, spec], { ...quiet, seed: 3 })
      .goals.filter((g) => g.source === 'jbb')
      .map((g) => g.id);
    expect(withOther).toEqual(alone);
  });

  it('filters categories (case-insensitive, prefix*) and stratifies', () => {
    const unsafe = loadGoalsSync([{ source: 'xstest', categories: ['contrast_*'] }], quiet).goals;
    expect(unsafe).toHaveLength(200);
    const two = loadGoalsSync([{ source: 'jbb', categories: ['privacy', 'Malware/Hacking'] }], quiet).goals;
    expect(new Set(two.map((g) => g.category))).toEqual(new Set(['Privacy', 'Malware/Hacking']));
    const strat = loadGoalsSync([{ source: 'strongreject', limit: 12, stratify: true }], quiet).goals;
    const counts: Record<string, number> = {};
    for (const g of strat) counts[g.category ?? ''] = (counts[g.category ?? ''] ?? 0) + 1;
    expect(Object.values(counts)).toEqual([2, 2, 2, 2, 2, 2]);
    const notStrat = loadGoalsSync([{ source: 'strongreject', limit: 12 }], quiet).goals;
    expect(new Set(notStrat.map((g) => g.category)).size).toBeLessThan(6);
  });

  it('include: benign | harmful', () => {
    expect(loadGoalsSync([{ source: 'xstest', include: 'benign' }], quiet).goals).toHaveLength(250);
    expect(loadGoalsSync([{ source: 'xstest', include: 'harmful' }], quiet).goals).toHaveLength(200);
  });

  it('an unknown category lists the real ones', () => {
    expectError(
      () => loadGoalsSync([{ source: 'jbb', categories: ['nope'] }], quiet),
      'LG_ERR_CONFIG_INVALID',
      'nope',
      'Privacy',
    );
  });
});

describe('de-duplication', () => {
  it('drops goals whose normalised text was taken, keeps the first, says so', async () => {
    const notices: string[] = [];
    const r = loadGoalsSync(['advbench', 'jbb'], { onNotice: (m) => notices.push(m) });
    expect(r.specs[1].duplicates).toBe(11);
    expect(r.goals.filter((g) => g.source === 'jbb')).toHaveLength(89);
    expect(r.dropped).toHaveLength(11);
    for (const d of r.dropped) expect(d.duplicateOf).toMatch(/^advbench:/);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('dropped 11 duplicate');
    // The same spec twice yields each goal once.
    const twice = await loadGoals(['jbb', 'jbb'], quiet);
    expect(twice).toHaveLength(100);
    expect(loadGoalsSync(['advbench', 'jbb'], { ...quiet, dedupe: false }).goals).toHaveLength(620);
  });

  it('normalises case, punctuation and spacing', () => {
    expect(normaliseGoalText('  How  do I, pick a LOCK?! ')).toBe(normaliseGoalText('how do i pick a lock'));
  });
});

describe("the user's own files", () => {
  it('CSV with field mapping: text, category, id, benign field, target', () => {
    const path = file(
      'mine.csv',
      'key,request,kind,is_safe,opening\nA1,"Tell me, please, about X",alpha,no,Sure\nA2,How to bake bread,beta,yes,Sure thing\n',
    );
    const goals = loadGoalsSync(
      [
        {
          file: path,
          textField: 'request',
          categoryField: 'kind',
          idField: 'key',
          benign: 'is_safe',
          targetField: 'opening',
        },
      ],
      quiet,
    ).goals;
    expect(goals).toEqual([
      { id: 'mine:A1', text: 'Tell me, please, about X', source: 'mine', category: 'alpha', target: 'Sure' },
      {
        id: 'mine:A2',
        text: 'How to bake bread',
        source: 'mine',
        category: 'beta',
        benign: true,
        target: 'Sure thing',
      },
    ]);
  });

  it('JSONL with defaults (goal/prompt field auto-detected, row ids), benign: true, a name, a relative path', () => {
    file('set.jsonl', '{"prompt": "first"}\n\n{"prompt": "second", "extra": 1}\n');
    const goals = loadGoalsSync([{ file: 'set.jsonl', name: 'probe', benign: true }], { ...quiet, baseDir: dir }).goals;
    expect(goals).toEqual([
      { id: 'probe:0', text: 'first', source: 'probe', benign: true },
      { id: 'probe:1', text: 'second', source: 'probe', benign: true },
    ]);
    expect(GoalSpecSchema.safeParse('set.jsonl').success).toBe(true);
    expect(loadGoalsSync([join(dir, 'set.jsonl')], quiet).goals.map((g) => g.id)).toEqual(['set:0', 'set:1']);
  });

  it('a missing field names the file and row', () => {
    const path = file('gap.csv', 'goal,cat\none,a\n,b\n');
    expectError(
      () => loadGoalsSync([{ file: path, categoryField: 'cat' }], quiet),
      'LG_ERR_INPUT_INVALID',
      path,
      'row 1',
      '"goal"',
    );
    const j = file('gap.jsonl', '{"goal": "a", "c": "x"}\n{"goal": "b"}\n');
    expectError(
      () => loadGoalsSync([{ file: j, categoryField: 'c' }], quiet),
      'LG_ERR_INPUT_INVALID',
      j,
      'line 2',
      '"c"',
    );
  });

  it('malformed files name the row: bad JSON, a non-object line, ragged CSV, an open quote, a bad benign value', () => {
    const bad = file('bad.jsonl', '{"goal": "a"}\n{"goal": "b"\n');
    expectError(() => loadGoalsSync([bad], quiet), 'LG_ERR_INPUT_INVALID', bad, 'line 2', 'not valid JSON');
    const arr = file('arr.jsonl', '["x"]\n');
    expectError(() => loadGoalsSync([arr], quiet), 'LG_ERR_INPUT_INVALID', 'line 1', 'JSON object');
    const ragged = file('ragged.csv', 'goal,b\nx,y\nz\n');
    expectError(() => loadGoalsSync([ragged], quiet), 'LG_ERR_INPUT_INVALID', ragged, 'row 1', '1 fields');
    const open = file('open.csv', 'goal\n"never closed\n');
    expectError(() => loadGoalsSync([open], quiet), 'LG_ERR_INPUT_INVALID', 'row 0', 'never closed');
    const benign = file('benign.csv', 'goal,safe\na,true\nb,maybe\n');
    expectError(
      () => loadGoalsSync([{ file: benign, benign: 'safe' }], quiet),
      'LG_ERR_INPUT_INVALID',
      'row 1',
      'maybe',
    );
    const dup = file('dup.csv', 'id,goal\n1,a\n1,b\n');
    expectError(() => loadGoalsSync([{ file: dup, idField: 'id' }], quiet), 'LG_ERR_INPUT_INVALID', 'row 1', 'repeats');
    expectError(
      () => loadGoalsSync([join(dir, 'missing.csv')], quiet),
      'LG_ERR_INPUT_INVALID',
      'missing.csv',
      'ENOENT',
    );
    const nofield = file('nofield.csv', 'a,b\n1,2\n');
    expectError(() => loadGoalsSync([nofield], quiet), 'LG_ERR_INPUT_INVALID', 'textField', 'a, b');
  });

  it('bad specs are config errors', () => {
    expectError(() => loadGoalsSync(['nonsense'], quiet), 'LG_ERR_CONFIG_INVALID', 'advbench', 'xstest');
    expectError(() => loadGoalsSync([{ source: 'advbench', limit: 0 }], quiet), 'LG_ERR_CONFIG_INVALID', 'goals[0]');
    expectError(() => loadGoalsSync([{ source: 'advbench', bogus: 1 }], quiet), 'LG_ERR_CONFIG_INVALID', 'goals[0]');
  });
});
