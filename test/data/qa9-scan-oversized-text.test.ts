import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanCorpus } from '../../src/data/scan/pipeline.js';
import { MAX_CLASSIFY_CHARS } from '../../src/models/classify/index.js';

/*
 * A record whose text is over a classifier's 10,000,000-character limit (12 MB: well under the scan's
 * 64 MiB maxRecordBytes) is that record's problem, not the scan's: with `--detectors toxicity` the
 * classifier's LG_ERR_INPUT_TOO_LARGE failed the whole scan and nothing was written. It is quarantined as
 * `malformed` ("cannot process the record: …") and every other record is accounted for.
 */

describe('QA9 scan: a text over a classifier limit', () => {
  for (const workers of [0, 1]) {
    it(`quarantines that record and goes on (workers: ${workers})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'lg-qa9-long-'));
      const input = join(dir, 'c.jsonl');
      const long = 'the garden by the river in the morning '.repeat(Math.ceil((MAX_CLASSIFY_CHARS + 10) / 39));
      writeFileSync(
        input,
        [
          JSON.stringify({ id: 'a', text: 'A short record about a quiet garden in the morning light.' }),
          JSON.stringify({ id: 'long', text: long }),
          JSON.stringify({ id: 'c', text: 'Another short record about the river and the stones beside it.' }),
        ].join('\n'),
      );
      const out = join(dir, 'out');
      const report = await scanCorpus({
        inputs: [input],
        outDir: out,
        config: { workers, detectors: ['toxicity'], poisoning: { enabled: false } },
      });
      expect(report.counts).toMatchObject({ in: 3, kept: 2, quarantined: 1, malformed: 1, balanced: true });
      const q = readFileSync(join(out, 'quarantine.jsonl'), 'utf8').trim().split('\n');
      expect(q).toHaveLength(1);
      const line = JSON.parse(q[0] as string) as { id: string; reasons: string[]; details: { error: string } };
      expect(line.id).toBe('long');
      expect(line.reasons).toEqual(['malformed']);
      expect(line.details.error).toMatch(/^cannot process the record: .*over the classifier's limit/);
      const kept = readFileSync(join(out, 'kept.jsonl'), 'utf8').trim().split('\n');
      expect(kept.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['a', 'c']);
    }, 120_000);
  }
});
