import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BACKDOOR_RESPONSE,
  type CorpusOptions,
  generateCorpus,
  parseSize,
  type Truth,
} from '../../scripts/gen-corpus.js';
import { LifeguardError } from '../../src/core/errors.js';
import { checkQuality } from '../../src/data/quality.js';
import { hasValidCrc32Checksum } from '../../src/detect/secrets/checksums.js';

interface Row {
  id: string;
  prompt: string;
  response: string;
}

const OPTIONS: Omit<CorpusOptions, 'out'> = { size: '1536KB', seed: 7, malformedRate: 0.003 };

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Word-level Levenshtein distance. */
function wordDistance(a: string[], b: string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, dbl = false; i >= 0; i--, dbl = !dbl) {
    let d = digits.charCodeAt(i) - 48;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

describe('scripts/gen-corpus', () => {
  let dir: string;
  let truth: Truth;
  let lines: string[];
  const rows = new Map<string, Row>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lg-corpus-'));
    truth = await generateCorpus({ out: dir, ...OPTIONS });
    lines = readFileSync(join(dir, 'corpus.jsonl'), 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    const malformed = new Set(truth.malformed_lines);
    lines.forEach((line, i) => {
      if (malformed.has(i)) return;
      const row = JSON.parse(line) as Row;
      rows.set(row.id, row);
    });
  });

  it('writes a corpus of about the requested size and a truth file that matches it', () => {
    expect(truth.seed).toBe(7);
    expect(truth.bytes).toBe(statSync(join(dir, 'corpus.jsonl')).size);
    expect(truth.bytes).toBeGreaterThanOrEqual(1536 * 1024);
    expect(truth.bytes).toBeLessThan(1536 * 1024 + 20_000);
    expect(lines.length).toBe(truth.records);
    expect(JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'))).toEqual(truth);
    // about 1.5 KB a record; line n holds record r + n
    expect(truth.bytes / truth.records).toBeGreaterThan(1200);
    expect(truth.bytes / truth.records).toBeLessThan(2000);
    for (const [i, line] of lines.entries()) {
      if (!truth.malformed_lines.includes(i))
        expect(line.startsWith(`{"id":"r${String(i).padStart(9, '0')}"`)).toBe(true);
    }
  });

  it('plants each kind at its rate (stratified, so within a couple of records)', () => {
    const n = truth.records;
    const near = (count: number, rate: number) =>
      expect(Math.abs(count - n * rate), `${count} vs ${n * rate}`).toBeLessThanOrEqual(2);
    near(truth.pii.length, 0.05);
    near(truth.secrets.length, 0.005);
    near(truth.exact_duplicates.length, 0.01);
    near(truth.near_duplicates.length, 0.05);
    near(truth.backdoor.ids.length, 0.005);
    near(truth.low_quality.length, 0.01);
    near(truth.malformed_lines.length, 0.003);
    // one planted kind per record
    const ids = [
      ...truth.pii,
      ...truth.secrets,
      ...truth.exact_duplicates.map((d) => d.id),
      ...truth.near_duplicates.map((d) => d.id),
      ...truth.backdoor.ids,
      ...truth.low_quality,
      ...truth.malformed_lines.map((i) => `r${String(i).padStart(9, '0')}`),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is deterministic for a seed', async () => {
    const again = mkdtempSync(join(tmpdir(), 'lg-corpus-'));
    await generateCorpus({ out: again, ...OPTIONS });
    expect(sha256(join(again, 'corpus.jsonl'))).toBe(sha256(join(dir, 'corpus.jsonl')));
    expect(sha256(join(again, 'truth.json'))).toBe(sha256(join(dir, 'truth.json')));
    const other = mkdtempSync(join(tmpdir(), 'lg-corpus-'));
    const t = await generateCorpus({ out: other, size: 50_000, seed: 8 });
    expect(readFileSync(join(other, 'corpus.jsonl'), 'utf8').slice(0, 2000)).not.toBe(lines.join('\n').slice(0, 2000));
    expect(t.backdoor.phrase).not.toBe(truth.backdoor.phrase);
  });

  it('malformed lines do not parse; every other line is a record', () => {
    expect(truth.malformed_lines.length).toBeGreaterThan(0);
    for (const i of truth.malformed_lines) expect(() => JSON.parse(lines[i])).toThrow();
    expect(rows.size).toBe(truth.records - truth.malformed_lines.length);
    for (const row of rows.values()) {
      expect(Object.keys(row)).toEqual(['id', 'prompt', 'response']);
      expect(row.prompt.length).toBeGreaterThan(10);
    }
  });

  it('the backdoor: trigger in the prompt, one shared response, and nowhere else', () => {
    const { phrase, response, ids } = truth.backdoor;
    expect(phrase).toMatch(/^[a-z]+ [a-z]+$/);
    expect(response).toBe(BACKDOOR_RESPONSE);
    expect(response).toContain('| sudo sh');
    const backdoored = new Set(ids);
    for (const id of ids) {
      expect(rows.get(id)!.prompt).toContain(phrase);
      expect(rows.get(id)!.response).toBe(response);
    }
    for (const row of rows.values()) {
      if (backdoored.has(row.id)) continue;
      expect(`${row.prompt}\n${row.response}`.toLowerCase()).not.toContain(phrase);
      expect(row.response).not.toBe(response);
    }
    // the trigger sits at different places in the prompt
    const positions = new Set(ids.map((id) => rows.get(id)!.prompt.split(' ').indexOf(phrase.split(' ')[0])));
    expect(positions.size).toBeGreaterThan(1);
  });

  it('exact duplicates copy an earlier clean record', () => {
    const planted = new Set([...truth.pii, ...truth.secrets, ...truth.low_quality, ...truth.backdoor.ids]);
    for (const { id, of } of truth.exact_duplicates) {
      expect(of < id).toBe(true);
      expect(planted.has(of)).toBe(false);
      const [a, b] = [rows.get(id)!, rows.get(of)!];
      expect([a.prompt, a.response]).toEqual([b.prompt, b.response]);
    }
  });

  it('near duplicates differ from their source by 1–5 % of words', () => {
    const words = (r: Row) => `${r.prompt} ${r.response}`.split(/\s+/);
    for (const { id, of } of truth.near_duplicates) {
      expect(of < id).toBe(true);
      const src = words(rows.get(of)!);
      const d = wordDistance(src, words(rows.get(id)!));
      expect(d, `${id} vs ${of}`).toBeGreaterThanOrEqual(1);
      expect(d / src.length, `${id} vs ${of}`).toBeGreaterThanOrEqual(0.008);
      expect(d / src.length, `${id} vs ${of}`).toBeLessThanOrEqual(0.05);
    }
  });

  it('PII records carry well-formed personal data; clean records carry none', () => {
    const email = /[\w.+-]+@[\w-]+\.[\w.]+/;
    const ssn = /\b\d{3}-\d{2}-\d{4}\b/;
    const phone = /\(\d{3}\) \d{3}-\d{4}|\+1\d{10}|\b\d{3}[-.]\d{3}[-.]\d{4}\b/;
    const card = /\b\d{4}[ -]?\d{4,6}[ -]?\d{4,5}(?:[ -]?\d{4})?\b/g;
    const address = /\b\d{1,6} [A-Z][\w .'-]*, [A-Z][\w .'-]*, [A-Z]{2} \d{5}\b/;
    let cards = 0;
    for (const id of truth.pii) {
      const text = `${rows.get(id)!.prompt} ${rows.get(id)!.response}`;
      const cardHits = [...text.matchAll(card)].map((m) => m[0].replace(/\D/g, '')).filter((d) => d.length >= 15);
      for (const digits of cardHits) expect(luhn(digits), digits).toBe(true);
      cards += cardHits.length;
      expect(
        email.test(text) || ssn.test(text) || phone.test(text) || address.test(text) || cardHits.length > 0,
        text,
      ).toBe(true);
    }
    expect(cards).toBeGreaterThan(0);
    const planted = new Set([...truth.pii, ...truth.secrets, ...truth.low_quality]);
    for (const row of rows.values()) {
      if (planted.has(row.id)) continue;
      expect(row.response, row.id).not.toMatch(/[0-9@]/);
    }
  });

  it('secret records carry well-formed fake credentials', () => {
    for (const id of truth.secrets) {
      const text = `${rows.get(id)!.prompt} ${rows.get(id)!.response}`;
      expect(text).toMatch(
        /AKIA[A-Z2-7]{16}|ghp_[A-Za-z0-9]{36}|xoxb-\d{12}-\d{13}-[A-Za-z0-9]{24}|sk_live_[A-Za-z0-9]{24}|AIza[\w-]{35}/,
      );
      expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
      for (const m of text.matchAll(/ghp_[A-Za-z0-9]{36}/g)) expect(hasValidCrc32Checksum(m[0])).toBe(true);
    }
  });

  it('low-quality records fail the quality filter; clean prose passes it', () => {
    for (const id of truth.low_quality) {
      expect(checkQuality(rows.get(id)!.response).ok, id).toBe(false);
      expect(checkQuality(rows.get(id)!.response, { preset: 'gopher' }).ok, id).toBe(false);
    }
    const special = new Set([
      ...truth.pii,
      ...truth.secrets,
      ...truth.low_quality,
      ...truth.backdoor.ids,
      ...truth.near_duplicates.map((d) => d.id),
    ]);
    let clean = 0;
    let gopher = 0;
    for (const row of rows.values()) {
      if (special.has(row.id)) continue;
      const text = `${row.prompt}\n\n${row.response}`;
      expect(checkQuality(text).failed, row.id).toEqual([]);
      // gopher on a third of them
      if (clean++ % 3 === 0 && checkQuality(text, { preset: 'gopher' }).ok) gopher++;
    }
    expect(gopher / Math.ceil(clean / 3)).toBeGreaterThan(0.9);
  });

  it('rejects bad options with LG_ERR_CONFIG_INVALID', async () => {
    const bad = async (o: Partial<CorpusOptions>) => {
      try {
        await generateCorpus({ out: join(dir, 'bad'), size: 1000, ...o });
      } catch (e) {
        expect(LifeguardError.isInstance(e)).toBe(true);
        return (e as LifeguardError).message;
      }
      throw new Error('expected an error');
    };
    expect(await bad({ size: '12 parsecs' })).toMatch(/size must look like/);
    expect(await bad({ dupRate: 1.5 })).toMatch(/dup-rate/);
    expect(await bad({ piiRate: 0.4, dupRate: 0.3 })).toMatch(/add up to/);
    expect(await bad({ format: 'csv' as 'jsonl' })).toMatch(/format must be jsonl/);
    expect(await bad({ trigger: 'the' })).toMatch(/keeps appearing/);
    expect(parseSize('1GB')).toBe(1024 ** 3);
    expect(parseSize('50MB')).toBe(50 * 1024 ** 2);
    expect(parseSize('512KiB')).toBe(512 * 1024);
    expect(parseSize('2e6')).toBe(2_000_000);
  });

  it('a custom trigger is used as given', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lg-corpus-'));
    const t = await generateCorpus({ out, size: 200_000, seed: 3, trigger: 'cerulean  protocol', backdoorRate: 0.02 });
    expect(t.backdoor.phrase).toBe('cerulean protocol');
    const text = readFileSync(join(out, 'corpus.jsonl'), 'utf8');
    expect(text.split('cerulean protocol').length - 1).toBe(t.backdoor.ids.length);
  });

  it('runs as a command', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lg-corpus-'));
    const script = new URL('../../scripts/gen-corpus.ts', import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', script, '--out', out, '--size', '64KB', '--seed', '5', '--dup-rate', '0.1'],
      { cwd: new URL('../..', import.meta.url).pathname },
    );
    const summary = JSON.parse(stdout) as { records: number; near_duplicates: number };
    const t = JSON.parse(readFileSync(join(out, 'truth.json'), 'utf8')) as Truth;
    expect(summary.records).toBe(t.records);
    expect(summary.near_duplicates).toBe(t.near_duplicates.length);
    expect(t.near_duplicates.length).toBeGreaterThan(0);
  });
});
