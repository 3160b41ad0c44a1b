import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanCorpus } from '../../src/data/scan/pipeline.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lg-qa3-rec-'));
const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean);

describe('QA3: one record the pipeline cannot handle', () => {
  it('is quarantined as malformed and the scan goes on (JSON nested 20 000 deep, redacted)', async () => {
    const dir = tmp();
    const input = join(dir, 'in.jsonl');
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    writeFileSync(
      input,
      [
        '{"id":"a","text":"A normal sentence about rivers, hills and the weather in spring."}',
        // Redacting this record re-serialises it: JSON.stringify overflows the stack.
        `{"id":"deep","text":"write to frank@example.com about the lake trip","meta":${deep}}`,
        '{"id":"b","text":"Another normal sentence about flowers, bees and a summer garden."}',
        '{"id":"c","text":"Mail grace@example.com about the concert tickets for the orchestra."}',
      ].join('\n'),
    );
    const out = join(dir, 'out');
    const report = await scanCorpus({ inputs: [input], outDir: out, config: { workers: 0, fast: true } });
    expect(report.counts).toMatchObject({ in: 4, kept: 3, quarantined: 1, malformed: 1, redacted: 1 });
    const q = lines(join(out, 'quarantine.jsonl')).map((l) => JSON.parse(l));
    expect(q).toHaveLength(1);
    expect(q[0]).toMatchObject({ id: 'deep', reasons: ['malformed'] });
    expect(q[0].details.error).toMatch(/cannot process the record: Maximum call stack/);
    expect(q[0].record.startsWith('{"id":"deep"')).toBe(true);
    const kept = lines(join(out, 'kept.jsonl')).map((l) => JSON.parse(l).id);
    expect(kept).toEqual(['a', 'b', 'c']);
    expect(report.duplicates.clusters).toEqual([]);
  });

  it('a redaction setting that cannot work fails the scan up front, never as malformed records', async () => {
    const dir = tmp();
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, '{"id":"a","text":"Mail grace@example.com about the concert tickets."}\n');
    for (const operator of ['default=hash', 'EMAIL_ADDRESS=pseudonym', 'default=vault']) {
      const out = join(dir, `out-${operator}`);
      await expect(
        scanCorpus({
          inputs: [input],
          outDir: out,
          config: { workers: 0, fast: true, redact: { operator, keyEnv: 'LG_QA3_UNSET_KEY' } },
        }),
      ).rejects.toMatchObject({ code: 'LG_ERR_CONFIG_INVALID' });
    }
    const short = scanCorpus({
      inputs: [input],
      outDir: join(dir, 'out-short'),
      redactKey: 'too short',
      config: { workers: 0, fast: true, redact: { operator: 'default=hash' } },
    });
    await expect(short).rejects.toMatchObject({ code: 'LG_ERR_CONFIG_INVALID' });
  });
});
