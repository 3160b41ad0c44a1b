import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { openRecordReader } from '../../../src/data/io/reader.js';
import { openRecordWriter } from '../../../src/data/io/writer.js';
import { scanCorpus } from '../../../src/data/scan/pipeline.js';
import type { DataScanReport } from '../../../src/data/scan/report-types.js';
import { type SmallCorpus, smallCorpus } from './fixtures.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lg-scan-'));

function lines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean);
}

interface QLine {
  id: string;
  reasons: string[];
  details: Record<string, unknown>;
  record: unknown;
}

describe('scanCorpus on a JSONL corpus (inline, no worker threads)', () => {
  let corpus: SmallCorpus;
  let out: string;
  let report: DataScanReport;
  let input: string;

  beforeAll(async () => {
    corpus = smallCorpus();
    const dir = tmp();
    input = join(dir, 'train.jsonl');
    writeFileSync(input, `${corpus.lines.join('\n')}\n`);
    out = join(dir, 'out');
    report = await scanCorpus({ inputs: [input], outDir: out, config: { workers: 0, fast: true } });
  }, 60_000);

  it('accounts for every record: in = kept + quarantined, on disk too', () => {
    const kept = lines(join(out, 'kept.jsonl'));
    const quarantined = lines(join(out, 'quarantine.jsonl'));
    expect(report.counts.in).toBe(corpus.lines.length);
    expect(report.counts.kept).toBe(kept.length);
    expect(report.counts.quarantined).toBe(quarantined.length);
    expect(kept.length + quarantined.length).toBe(corpus.lines.length);
    expect(report.counts.balanced).toBe(true);
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as DataScanReport;
    expect(json.counts).toEqual(report.counts);
  });

  it('quarantines malformed lines with their error and the raw line, under their line number', () => {
    const q = lines(join(out, 'quarantine.jsonl')).map((l) => JSON.parse(l) as QLine);
    const malformed = q.filter((x) => x.reasons.includes('malformed'));
    expect(malformed.map((m) => m.id)).toEqual(corpus.ids.malformedLines.map(String));
    expect(malformed[0]?.details.error).toMatch(/JSON/);
    expect(malformed[0]?.record).toBe('{"id": "broken", "prompt": "unterminated');
    expect(report.counts.malformed).toBe(corpus.ids.malformedLines.length);
  });

  it('redacts e-mail addresses and keys in kept records, and leaves other records byte for byte', () => {
    const kept = lines(join(out, 'kept.jsonl'));
    const byId = new Map(kept.map((l) => [(JSON.parse(l) as { id: string }).id, l]));
    for (const id of corpus.ids.email) {
      const line = byId.get(id) as string;
      expect(line).toContain('<EMAIL_ADDRESS>');
      expect(line).not.toContain('jane.doe@example.org');
    }
    for (const id of corpus.ids.secret) expect(byId.get(id)).not.toContain('AKIAZ7VRSQ2LMB4XK6PD');
    const original = new Map(corpus.lines.filter((l) => l.startsWith('{"id":"r')).map((l) => [JSON.parse(l).id, l]));
    const untouched = [...byId].filter(([id]) => !corpus.ids.email.includes(id) && !corpus.ids.secret.includes(id));
    expect(untouched.length).toBeGreaterThan(200);
    for (const [id, line] of untouched) expect(line).toBe(original.get(id));
    expect(report.counts.redacted).toBe(corpus.ids.email.length + corpus.ids.secret.length);
    expect(report.findings.by_type.EMAIL_ADDRESS).toBe(corpus.ids.email.length);
  });

  it('finds planted exact and near duplicates, keeps the first copy and clusters them', () => {
    const q = lines(join(out, 'quarantine.jsonl')).map((l) => JSON.parse(l) as QLine);
    const dupIds = new Set(q.filter((x) => x.reasons.some((r) => r.startsWith('duplicate:'))).map((x) => x.id));
    for (const d of [...corpus.ids.exactDup, ...corpus.ids.nearDup]) expect(dupIds.has(d.id)).toBe(true);
    expect(dupIds.size).toBe(corpus.ids.exactDup.length + corpus.ids.nearDup.length);
    for (const d of corpus.ids.exactDup) {
      const c = report.duplicates.clusters.find((x) => x.members.includes(d.id));
      expect(c?.representative).toBe(d.of);
      expect(c?.members[0]).toBe(d.of);
    }
    for (const d of corpus.ids.nearDup) {
      const line = q.find((x) => x.id === d.id) as QLine;
      expect(line.reasons).toEqual(['duplicate:near']);
      expect(line.details.duplicate_of).toBe(d.of);
    }
    expect(report.duplicates.removed).toBe(dupIds.size);
  });

  it('quarantines low-quality records with the failed rules', () => {
    const q = lines(join(out, 'quarantine.jsonl')).map((l) => JSON.parse(l) as QLine);
    for (const id of corpus.ids.lowQuality) {
      const line = q.find((x) => x.id === id) as QLine;
      expect(line.reasons.some((r) => r.startsWith('quality:'))).toBe(true);
    }
    expect(report.counts.low_quality).toBe(corpus.ids.lowQuality.length);
  });

  it('writes report.json with the contract fields and a self-contained report.html', async () => {
    const json = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as DataScanReport;
    expect(Object.keys(json.counts)).toEqual(expect.arrayContaining(['in', 'kept', 'quarantined', 'redacted']));
    expect(Array.isArray(json.duplicates.clusters)).toBe(true);
    expect(Array.isArray(json.poisoning.triggers)).toBe(true);
    expect(json.throughput.records_per_s).toBeGreaterThan(0);
    expect(json.throughput.mb_per_s).toBeGreaterThan(0);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toContain('<script');
  });
});

describe('scanCorpus keeps the input format', () => {
  const corpus = smallCorpus(11, 120);

  it('JSONL.gz in, kept.jsonl.gz out (valid gzip)', async () => {
    const dir = tmp();
    const input = join(dir, 'c.jsonl.gz');
    writeFileSync(input, gzipSync(`${corpus.lines.join('\n')}\n`));
    const r = await scanCorpus({
      inputs: [input],
      outDir: join(dir, 'out'),
      config: { workers: 0, fast: true, checkpointRecords: 100 },
    });
    const kept = gunzipSync(readFileSync(join(dir, 'out', 'kept.jsonl.gz')))
      .toString('utf8')
      .split('\n')
      .filter(Boolean);
    expect(kept.length).toBe(r.counts.kept);
    expect(r.counts.in).toBe(corpus.lines.length);
  }, 30_000);

  it('CSV in, kept.csv out with the same columns; Parquet in, kept.parquet out', async () => {
    const dir = tmp();
    const records = corpus.lines.filter((l) => l.startsWith('{"id":"r')).map((l) => JSON.parse(l));
    for (const ext of ['csv', 'parquet']) {
      const input = join(dir, `c.${ext}`);
      const w = openRecordWriter(input, undefined, { columns: ['id', 'prompt', 'response'] });
      for (const r of records) await w.write(r);
      await w.close();
      const out = join(dir, `out-${ext}`);
      const r = await scanCorpus({ inputs: [input], outDir: out, config: { workers: 0, fast: true } });
      const kept: Record<string, unknown>[] = [];
      for await (const rec of openRecordReader(join(out, `kept.${ext}`)))
        kept.push(rec.value as Record<string, unknown>);
      expect(kept.length).toBe(r.counts.kept);
      expect(Object.keys(kept[0] ?? {})).toEqual(['id', 'prompt', 'response']);
      expect(r.counts.in).toBe(records.length);
      expect(r.counts.kept + r.counts.quarantined).toBe(records.length);
    }
  }, 30_000);

  it('a text folder in, a kept/ folder of .txt files out', async () => {
    const dir = tmp();
    const docs = join(dir, 'docs');
    await mkdir(join(docs, 'sub'), { recursive: true });
    await writeFile(join(docs, 'a.txt'), 'A quiet morning in the valley. Mail me at x.y@example.com please.');
    await writeFile(join(docs, 'sub', 'b.txt'), 'The orchestra played in the harbour theatre during the festival.');
    const r = await scanCorpus({ inputs: [docs], outDir: join(dir, 'out'), config: { workers: 0, fast: true } });
    expect(r.counts).toMatchObject({ in: 2, kept: 2, redacted: 1 });
    expect(readFileSync(join(dir, 'out', 'kept', 'a.txt'), 'utf8')).toContain('<EMAIL_ADDRESS>');
    expect(readFileSync(join(dir, 'out', 'kept', 'sub', 'b.txt'), 'utf8')).toContain('orchestra');
  }, 30_000);

  it('several inputs: ids are prefixed by the file name', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.jsonl'), '{"text":"The harbour was quiet in the early morning light today."}\n');
    writeFileSync(join(dir, 'b.jsonl'), 'not json\n');
    const r = await scanCorpus({
      inputs: [join(dir, 'a.jsonl'), join(dir, 'b.jsonl')],
      outDir: join(dir, 'out'),
      config: { workers: 0, fast: true },
    });
    const q = lines(join(dir, 'out', 'quarantine.jsonl')).map((l) => JSON.parse(l) as QLine);
    expect(q.map((x) => x.id)).toEqual(['b.jsonl:0']);
    expect(r.inputs.map((i) => i.records)).toEqual([1, 1]);
  }, 30_000);
});

describe('scanCorpus settings', () => {
  const corpus = smallCorpus(5, 150);

  it('per-type actions: quarantine one type, keep another', async () => {
    const dir = tmp();
    const input = join(dir, 'c.jsonl');
    writeFileSync(input, `${corpus.lines.join('\n')}\n`);
    const r = await scanCorpus({
      inputs: [input],
      outDir: join(dir, 'out'),
      config: { workers: 0, fast: true, actions: { EMAIL_ADDRESS: 'quarantine', AWS_ACCESS_KEY_ID: 'keep' } },
    });
    const q = lines(join(dir, 'out', 'quarantine.jsonl')).map((l) => JSON.parse(l) as QLine);
    for (const id of corpus.ids.email) {
      expect(q.find((x) => x.id === id)?.reasons).toEqual(['finding:EMAIL_ADDRESS']);
    }
    expect(r.counts.findings_quarantined).toBe(corpus.ids.email.length);
  }, 30_000);

  it('rejects unknown settings and resumes only a matching checkpoint', async () => {
    const dir = tmp();
    const input = join(dir, 'c.jsonl');
    writeFileSync(input, `${corpus.lines.join('\n')}\n`);
    await expect(
      scanCorpus({ inputs: [input], outDir: join(dir, 'o'), config: { workers: 0, bogus: 1 } as never }),
    ).rejects.toThrow(/bogus/);
    await expect(scanCorpus({ inputs: [input], outDir: join(dir, 'o'), resume: true })).rejects.toThrow(
      /nothing to resume/,
    );
    await scanCorpus({ inputs: [input], outDir: join(dir, 'o'), config: { workers: 0, fast: true } });
    await expect(
      scanCorpus({ inputs: [input], outDir: join(dir, 'o'), resume: true, config: { workers: 0, fast: false } }),
    ).rejects.toThrow(/other settings/);
  }, 30_000);

  it('worker threads give the same output as the main thread', async () => {
    const dir = tmp();
    const input = join(dir, 'c.jsonl');
    writeFileSync(input, `${corpus.lines.join('\n')}\n`);
    await scanCorpus({ inputs: [input], outDir: join(dir, 'a'), config: { workers: 0, fast: true, batchRecords: 7 } });
    await scanCorpus({ inputs: [input], outDir: join(dir, 'b'), config: { workers: 2, fast: true, batchRecords: 7 } });
    for (const f of ['kept.jsonl', 'quarantine.jsonl']) {
      expect(readFileSync(join(dir, 'b', f), 'utf8')).toBe(readFileSync(join(dir, 'a', f), 'utf8'));
    }
  }, 60_000);
});

describe('scanCorpus near duplicates of multi-part records', () => {
  it('needs the prompts to be alike too: one answer to different questions is not a duplicate', async () => {
    const dir = tmp();
    const input = join(dir, 'c.jsonl');
    const answer =
      'Open a terminal and run the installer from the vendor site, then restart the service. Once it ' +
      'finishes, ask your question again and everything will work as expected. If it does not, run it once ' +
      'more with the verbose flag, read the log and send it to the administrators of the machine.';
    const topics = ['the water cycle', 'supply and demand', 'how compilers work', 'medieval castles'];
    const recs = topics.map((t, i) => ({
      id: `t${i}`,
      prompt: `I am preparing a talk for a busy executive. Can you explain ${t}?`,
      response: answer,
    }));
    // an edited copy: one prompt word and one answer word changed
    recs.push({
      id: 'copy',
      prompt: 'I am preparing a talk for a busy manager. Can you explain the water cycle?',
      response: answer.replace('terminal', 'shell'),
    });
    writeFileSync(input, `${recs.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const r = await scanCorpus({
      inputs: [input],
      outDir: join(dir, 'out'),
      config: { workers: 0, fast: true, poisoning: { enabled: false } },
    });
    expect(r.duplicates.clusters).toEqual([
      expect.objectContaining({ kind: 'near', representative: 't0', members: ['t0', 'copy'] }),
    ]);
    expect(lines(join(dir, 'out', 'kept.jsonl')).map((l) => (JSON.parse(l) as { id: string }).id)).toEqual([
      't0',
      't1',
      't2',
      't3',
    ]);
  }, 30_000);
});

describe('scanCorpus refuses inputs it would overwrite or read back', () => {
  const lines3 = '{"id":"a","text":"one"}\n{"id":"b","text":"two"}\n{"id":"c","text":"three"}\n';

  it('an input that is the kept file of its own --out folder is refused and left untouched', async () => {
    const out = tmp();
    const input = join(out, 'kept.jsonl');
    writeFileSync(input, lines3);
    await expect(scanCorpus({ inputs: [input], outDir: out, config: { workers: 0, fast: true } })).rejects.toThrow(
      /where this scan writes its output/,
    );
    expect(readFileSync(input, 'utf8')).toBe(lines3);
  });

  it('the same through a symbolic link, and the quarantine and report files too', async () => {
    const out = tmp();
    for (const name of ['quarantine.jsonl', 'report.json']) {
      const input = join(out, name);
      writeFileSync(input, lines3);
      await expect(scanCorpus({ inputs: [input], outDir: out, config: { workers: 0, fast: true } })).rejects.toThrow(
        /where this scan writes/,
      );
      expect(readFileSync(input, 'utf8')).toBe(lines3);
    }
    const link = join(tmp(), 'out-link');
    symlinkSync(out, link);
    const input = join(out, 'kept.jsonl');
    writeFileSync(input, lines3);
    await expect(
      scanCorpus({ inputs: [join(link, 'kept.jsonl')], outDir: out, config: { workers: 0, fast: true } }),
    ).rejects.toThrow(/where this scan writes/);
    expect(readFileSync(input, 'utf8')).toBe(lines3);
  });

  it('an input beside the outputs in the same folder is fine', async () => {
    const out = tmp();
    const input = join(out, 'corpus.jsonl');
    writeFileSync(input, lines3);
    const report = await scanCorpus({ inputs: [input], outDir: out, config: { workers: 0, fast: true } });
    expect(report.counts.in).toBe(3);
    expect(readFileSync(input, 'utf8')).toBe(lines3);
  });
});
