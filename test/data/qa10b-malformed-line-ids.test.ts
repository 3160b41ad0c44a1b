import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanCorpus } from '../../src/data/scan/pipeline.js';

type QLine = { id: string; line?: number; id_from_line?: boolean; reasons: string[] };

describe('data scan: a malformed line is told apart from a record with the same id', () => {
  for (const workers of [0, 1]) {
    it(`quarantine lines say the line and mark a line-number id (workers: ${workers})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'lg-qa10b-ids-'));
      const input = join(dir, 'in.jsonl');
      writeFileSync(
        input,
        [
          '{"id":"a","text":"A short record about a quiet garden in the morning light."}',
          '{"id": "broken", "text": "unterminated',
          '',
          // a real record whose id is the broken line's number, quarantined for a finding
          '{"id":1,"text":"Write to grace@example.com about the river and the stones beside it."}',
          '"just a string"',
        ].join('\n'),
      );
      const out = join(dir, 'out');
      const report = await scanCorpus({
        inputs: [input],
        outDir: out,
        config: { workers, fast: true, actions: { EMAIL_ADDRESS: 'quarantine' }, poisoning: { enabled: false } },
      });
      expect(report.counts).toMatchObject({ in: 4, malformed: 2, balanced: true });
      const q = readFileSync(join(out, 'quarantine.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as QLine);
      const malformed = q.filter((x) => x.reasons.includes('malformed'));
      // the documented id (the 0-based line number) is kept; `line` and `id_from_line` are added
      expect(malformed).toMatchObject([
        { id: '1', line: 1, id_from_line: true },
        { id: '4', line: 4, id_from_line: true },
      ]);
      const real = q.find((x) => !x.reasons.includes('malformed'));
      expect(real).toMatchObject({ id: '1', reasons: ['finding:EMAIL_ADDRESS'] });
      expect(real).not.toHaveProperty('id_from_line');
    }, 60_000);
  }
});
