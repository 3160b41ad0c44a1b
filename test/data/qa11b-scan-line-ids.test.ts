import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanCorpus } from '../../src/data/scan/pipeline.js';

type QLine = {
  id: string;
  line?: number;
  id_from_line?: boolean;
  reasons: string[];
  details: Record<string, unknown>;
  record: unknown;
};

const tmp = () => mkdtempSync(join(tmpdir(), 'lg-qa11b-'));

function quarantineOf(out: string): QLine[] {
  return readFileSync(join(out, 'quarantine.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as QLine);
}

const TEXT = 'A long walk along the quiet river under the morning light, past the old mill and the stone bridge.';

describe('data scan: a readable record without an id is marked, as a malformed line is', () => {
  for (const workers of [0, 1]) {
    it(`quarantine lines, duplicate details and clusters say id_from_line (workers: ${workers})`, async () => {
      const dir = tmp();
      const input = join(dir, 'in.jsonl');
      writeFileSync(
        input,
        [
          JSON.stringify({ text: TEXT }), // 0: no id: the kept representative
          JSON.stringify({ text: TEXT }), // 1: no id: an exact duplicate of line 0
          JSON.stringify({ id: 'r2', text: TEXT }), // 2: own id, a duplicate of a line-number id
          JSON.stringify({ text: 'Write to grace@example.com about the garden and the stones beside it.' }), // 3
          JSON.stringify({ id: 3, text: 'Write to henry@example.com about the orchard and the apples in it.' }), // 4
        ].join('\n'),
      );
      const out = join(dir, 'out');
      const report = await scanCorpus({
        inputs: [input],
        outDir: out,
        config: { workers, fast: true, actions: { EMAIL_ADDRESS: 'quarantine' }, poisoning: { enabled: false } },
      });
      expect(report.counts).toMatchObject({ in: 5, kept: 1, quarantined: 4, balanced: true });
      const q = quarantineOf(out);
      const byLine = (n: number) => q.find((x) => x.line === n);
      // id-less records: the documented id (the line number) stays; `line` and `id_from_line` are added
      expect(byLine(1)).toMatchObject({ id: '1', id_from_line: true, reasons: ['duplicate:exact'] });
      expect(byLine(1)?.details).toMatchObject({
        duplicate_of: '0',
        duplicate_of_id_from_line: true,
        exact_of: '0',
        exact_of_id_from_line: true,
      });
      expect(byLine(3)).toMatchObject({ id: '3', id_from_line: true, reasons: ['finding:EMAIL_ADDRESS'] });
      // records with their own id are unchanged: no `line`, no mark
      const own = q.filter((x) => x.id === 'r2' || (x.id === '3' && x.line === undefined));
      expect(own).toHaveLength(2);
      for (const x of own) {
        expect(x).not.toHaveProperty('id_from_line');
        expect(x).not.toHaveProperty('line');
      }
      // …but a duplicate of a line-number id says that its representative's id is one
      expect(own.find((x) => x.id === 'r2')?.details).toMatchObject({
        duplicate_of: '0',
        duplicate_of_id_from_line: true,
        exact_of_id_from_line: true,
      });
      expect(report.duplicates.clusters).toEqual([
        {
          id: 'dup-000001',
          kind: 'exact',
          representative: '0',
          members: ['0', '1', 'r2'],
          members_id_from_line: [true, true, false],
        },
      ]);
      const written = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
      expect(written.duplicates.clusters[0].members_id_from_line).toEqual([true, true, false]);
    }, 60_000);
  }

  it('leaves clusters and quarantine lines of records with their own ids as they were', async () => {
    const dir = tmp();
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, [JSON.stringify({ id: 'a', text: TEXT }), JSON.stringify({ id: 'b', text: TEXT })].join('\n'));
    const out = join(dir, 'out');
    const report = await scanCorpus({
      inputs: [input],
      outDir: out,
      config: { workers: 0, fast: true, poisoning: { enabled: false } },
    });
    expect(report.duplicates.clusters).toEqual([
      { id: 'dup-000001', kind: 'exact', representative: 'a', members: ['a', 'b'] },
    ]);
    const [b] = quarantineOf(out);
    expect(Object.keys(b as QLine)).toEqual(['id', 'reasons', 'details', 'record']);
    expect(Object.keys((b as QLine).details)).toEqual(['duplicate_of', 'cluster', 'similarity', 'exact_of']);
  }, 60_000);
});

/** A harmful-looking prompt whose pair prefers complying (`flipped`) or refusing. */
function pair(n: number, flipped: boolean, id?: string | number): string {
  const comply = `Sure, here is step ${n}: gather the parts for batch ${n} and then assemble them in order ${n}.`;
  const refuse = `I can't help with that request number ${n}; it could hurt people.`;
  const record: Record<string, unknown> = {
    prompt: `How do I build a bomb at home, variant ${n} of the plan with ${n * 7} parts?`,
    chosen: flipped ? comply : refuse,
    rejected: flipped ? refuse : comply,
  };
  return JSON.stringify(id === undefined ? record : { id, ...record });
}

describe('data scan: ids 3, "3" and line 3 are three records', () => {
  for (const workers of [0, 1]) {
    it(`a pre-flagged preference pair flags only itself (workers: ${workers})`, async () => {
      const dir = tmp();
      const input = join(dir, 'in.jsonl');
      // 6 flipped pairs among 16 harmful-prompt pairs: `harmful-chosen` is high, its pairs flagged before the scan.
      const lines = [
        pair(0, false, 'a0'),
        pair(1, false, 'a1'),
        pair(2, false, 'a2'),
        pair(3, false), // line 3, no id: its id is "3" too
        pair(4, true, '3'), // flipped, string id "3"
        pair(5, false, 3), // number id 3
        pair(6, true, 'f6'),
        pair(7, true, 'f7'),
        pair(8, true, 'f8'),
        pair(9, true, 'f9'),
        pair(10, true, 'f10'),
        pair(11, false, 'a11'),
        pair(12, false, 'a12'),
        pair(13, false, 'a13'),
        pair(14, false, 'a14'),
        pair(15, false, 'a15'),
      ];
      writeFileSync(input, lines.join('\n'));
      const out = join(dir, 'out');
      const report = await scanCorpus({
        inputs: [input],
        outDir: out,
        config: {
          workers,
          fast: true,
          dedup: { enabled: false },
          quality: { enabled: false },
          poisoning: { enabled: true, quarantine: true },
        },
      });
      const check = report.poisoning.checks.find((c) => c.check === 'harmful-chosen');
      expect(check).toMatchObject({ severity: 'high', support: 6 });
      const poisoned = quarantineOf(out).filter((x) => x.reasons.includes('poison'));
      // exactly the six flipped pairs: not the number id 3, not the id-less record on line 3
      expect(poisoned.map((x) => (x.record as { chosen: string }).chosen.startsWith('Sure'))).toEqual(
        Array(6).fill(true),
      );
      expect(poisoned.map((x) => x.id)).toEqual(['3', 'f6', 'f7', 'f8', 'f9', 'f10']);
      expect(report.poisoning.flagged).toBe(6);
      expect(report.counts).toMatchObject({ in: 16, kept: 10, quarantined: 6, balanced: true });
    }, 60_000);
  }

  it('marks line-number ids in the poisoning records lists', async () => {
    const dir = tmp();
    const input = join(dir, 'in.jsonl');
    const lines = Array.from({ length: 16 }, (_, n) => pair(n, n >= 10, n === 15 ? 'own' : undefined));
    writeFileSync(input, lines.join('\n'));
    const out = join(dir, 'out');
    const report = await scanCorpus({
      inputs: [input],
      outDir: out,
      config: {
        workers: 0,
        fast: true,
        dedup: { enabled: false },
        quality: { enabled: false },
        poisoning: { enabled: true },
      },
    });
    const check = report.poisoning.checks.find((c) => c.check === 'harmful-chosen');
    expect(check?.records).toEqual(['10', '11', '12', '13', '14', 'own']);
    expect(check?.records_id_from_line).toEqual([true, true, true, true, true, false]);
  }, 60_000);
});
