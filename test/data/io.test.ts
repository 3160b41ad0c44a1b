import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { afterAll, describe, expect, it } from 'vitest';
import { LifeguardError } from '../../src/core/errors.js';
import {
  CsvParser,
  detectFormat,
  detectShape,
  openRecordReader,
  openRecordWriter,
  type RawRecord,
  readColumns,
  recordId,
  textsOf,
  withTexts,
} from '../../src/data/io/index.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/data/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lifeguard-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const tmp = (name: string): string => join(dir, `${n++}-${name}`);

async function readAll(path: string, options?: Parameters<typeof openRecordReader>[1]): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const rec of openRecordReader(path, options)) out.push(rec);
  return out;
}

async function writeAll(
  path: string,
  records: Array<Record<string, unknown> | string>,
  format?: Parameters<typeof openRecordWriter>[1],
  options?: Parameters<typeof openRecordWriter>[2],
): Promise<void> {
  const w = openRecordWriter(path, format, options);
  for (const r of records) await w.write(r);
  await w.close();
}

const values = (recs: RawRecord[]) => recs.map((r) => r.value);

const SAMPLE: Record<string, unknown>[] = [
  { id: 'a', text: 'héllo wörld ✓', meta: { n: 1, tags: ['x', 'y'] } },
  { id: 2, text: 'line with "quotes", commas\nand a newline', meta: null },
  { text: '' },
];

describe('detectFormat', () => {
  it('reads format and compression from the name, with overrides', () => {
    expect(detectFormat('a/b.jsonl')).toEqual({ format: 'jsonl', compression: 'none' });
    expect(detectFormat('b.json')).toEqual({ format: 'jsonl', compression: 'none' });
    expect(detectFormat('b.JSONL.GZ')).toEqual({ format: 'jsonl', compression: 'gzip' });
    expect(detectFormat('b.jsonl.zst')).toEqual({ format: 'jsonl', compression: 'zstd' });
    expect(detectFormat('b.csv.gz')).toEqual({ format: 'csv', compression: 'gzip' });
    expect(detectFormat('b.parquet')).toEqual({ format: 'parquet', compression: 'none' });
    expect(detectFormat('corpus/')).toEqual({ format: 'text', compression: 'none' });
    expect(detectFormat('dump.txt', { format: 'jsonl' })).toEqual({ format: 'jsonl', compression: 'none' });
    expect(() => detectFormat('x.parquet.gz')).toThrow(/compression applies to JSONL and CSV/);
  });
});

describe('JSONL', () => {
  it('round-trips plain, gzip and zstd files', async () => {
    for (const name of ['r.jsonl', 'r.jsonl.gz', 'r.jsonl.zst']) {
      const path = tmp(name);
      await writeAll(path, SAMPLE);
      const recs = await readAll(path);
      expect(values(recs)).toEqual(SAMPLE);
      expect(recs.map((r) => r.index)).toEqual([0, 1, 2]);
      expect(recs.every((r) => r.file === path)).toBe(true);
    }
  });

  it('gzip output is real gzip', async () => {
    const path = tmp('g.jsonl.gz');
    await writeAll(path, SAMPLE);
    const text = gunzipSync(readFileSync(path)).toString('utf8');
    expect(
      text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual(SAMPLE);
  });

  it('writes a valid zstd frame of Raw blocks that fzstd decompresses (multi-block)', async () => {
    const path = tmp('big.jsonl.zst');
    const records = Array.from({ length: 3000 }, (_, i) => ({ i, text: `record ${i} `.repeat(10) }));
    await writeAll(path, records, undefined, { zstdMode: 'raw' });
    const bytes = readFileSync(path);
    expect(bytes.readUInt32LE(0)).toBe(0xfd2fb528);
    expect(bytes[4]).toBe(0); // no checksum, no content size, single-segment off
    const expected = `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;
    expect(expected.length).toBeGreaterThan(128 * 1024 * 2);
    expect(Buffer.from(zstdDecompress(bytes)).toString('utf8')).toBe(expected);
    // First block: Raw type, not last, full 128 KiB.
    const header = bytes[6] | (bytes[7] << 8) | (bytes[8] << 16);
    expect(header & 1).toBe(0);
    expect((header >> 1) & 3).toBe(0);
    expect(header >>> 3).toBe(128 * 1024);
    expect(values(await readAll(path))).toEqual(records);
  });

  it('an empty zstd output is still a valid frame', async () => {
    const path = tmp('empty.jsonl.zst');
    await writeAll(path, [], undefined, { zstdMode: 'raw' });
    expect(zstdDecompress(readFileSync(path)).length).toBe(0);
    expect(await readAll(path)).toEqual([]);
  });

  it('the default zstd writer (native where Node has one) is readable by fzstd', async () => {
    const path = tmp('auto.jsonl.zst');
    await writeAll(path, SAMPLE);
    const text = Buffer.from(zstdDecompress(readFileSync(path))).toString('utf8');
    expect(
      text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual(SAMPLE);
  });

  it("a malformed line's reason never quotes the line (V8's parse message does)", async () => {
    const path = tmp('quoted.jsonl');
    writeFileSync(path, '{"ssn":SSN 123-45-6789}\n');
    const [rec] = await readAll(path);
    expect(rec.error).toMatch(/^invalid JSON: /);
    expect(rec.error).not.toContain('123-45');
  });

  it('malformed lines become error records with their line index; reading goes on', async () => {
    const path = tmp('bad.jsonl');
    writeFileSync(
      path,
      ['{"id":"a","text":"ok"}', '{not json', '[1,2]', '"just a string"', '', '   ', 'null', '{"text":"last"}'].join(
        '\n',
      ),
    );
    const recs = await readAll(path);
    expect(recs.map((r) => [r.index, r.error === undefined ? 'ok' : r.error.split(':')[0]])).toEqual([
      [0, 'ok'],
      [1, 'invalid JSON'],
      [2, 'line is not a JSON object'],
      [3, 'line is not a JSON object'],
      [6, 'line is not a JSON object'],
      [7, 'ok'],
    ]);
    expect(recs[1]).toMatchObject({ file: path, raw: '{not json' });
    expect(recs[1].value).toBeUndefined();
    expect(recs[5].value).toEqual({ text: 'last' });
  });

  it('handles CRLF, a BOM and a last line without a newline', async () => {
    const path = tmp('crlf.jsonl');
    writeFileSync(path, '\ufeff{"text":"one"}\r\n{"text":"two\\r\\n"}\r\n\r\n{"text":"three"}');
    const recs = await readAll(path);
    expect(recs.map((r) => [r.index, r.value])).toEqual([
      [0, { text: 'one' }],
      [1, { text: 'two\r\n' }],
      [3, { text: 'three' }],
    ]);
    // byte offsets of the lines, the BOM counted (pass 2 of the scan reads records back by offset)
    expect(recs.map((r) => r.offset)).toEqual([3, 19, 41]);
  });

  it('gives every line its byte offset, across read chunks', async () => {
    const path = tmp('offsets.jsonl');
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ i, text: 'é✓'.repeat(i % 700) }));
    const content = `${lines.join('\n')}\n`;
    writeFileSync(path, content);
    const bytes = Buffer.from(content);
    const recs = await readAll(path, { parse: false });
    expect(recs).toHaveLength(lines.length);
    for (const r of recs) {
      const start = r.offset as number;
      expect(bytes.toString('utf8', start, start + (r.bytes as number) - 1)).toBe(r.line);
    }
  });

  it('an over-long line is an error record with a preview, not unbounded memory', async () => {
    const path = tmp('long.jsonl');
    const long = JSON.stringify({ text: 'x'.repeat(5000) });
    writeFileSync(path, `{"text":"a"}\n${long}\n{"text":"b"}\n${long}`);
    const recs = await readAll(path, { maxRecordBytes: 1000 });
    expect(recs.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(recs[1].error).toMatch(/longer than 1000 bytes/);
    expect(recs[1].raw?.startsWith('{"text":"xxx')).toBe(true);
    expect(recs[1].raw?.length).toBeLessThanOrEqual(1000);
    expect(recs[3].error).toMatch(/longer than 1000 bytes/);
    expect(recs[2].value).toEqual({ text: 'b' });
  });

  it('multi-byte characters split across stream chunks decode intact', async () => {
    const path = tmp('utf8.jsonl');
    const text = '✓é😀'.repeat(40_000); // well over one 64 KiB read chunk
    writeFileSync(path, `${JSON.stringify({ text })}\n`);
    expect(values(await readAll(path))).toEqual([{ text }]);
  });

  it('a raw line written to a JSONL writer (quarantine) is kept as-is', async () => {
    const path = tmp('quarantine.jsonl');
    await writeAll(path, ['{not json', { id: 1, error: 'x' }]);
    expect(readFileSync(path, 'utf8')).toBe('{not json\n{"id":1,"error":"x"}\n');
  });

  it('corrupt compression and missing files throw LG_ERR_INPUT_INVALID', async () => {
    const path = tmp('corrupt.jsonl.gz');
    writeFileSync(path, Buffer.concat([gzipSync('{"a":1}\n').subarray(0, 12), Buffer.from('garbage')]));
    const err = await readAll(path).catch((e: unknown) => e);
    expect(LifeguardError.isInstance(err) && err.code).toBe('LG_ERR_INPUT_INVALID');
    const missing = await readAll(join(dir, 'nope.jsonl')).catch((e: unknown) => e);
    expect(LifeguardError.isInstance(missing) && missing.message).toMatch(/no such file/);
  });

  it('streams 50k records through a writer and a reader', async () => {
    const path = tmp('50k.jsonl.gz');
    const w = openRecordWriter(path);
    for (let i = 0; i < 50_000; i++) await w.write({ id: i, text: `record number ${i} with some padding text` });
    await w.close();
    let count = 0;
    let last = -1;
    for await (const rec of openRecordReader(path)) {
      expect(rec.index).toBe(last + 1);
      last = rec.index;
      count++;
    }
    expect(count).toBe(50_000);
  });
});

describe('CSV', () => {
  it('reads quoted fields, embedded newlines and quotes; bad rows are error records', async () => {
    const recs = await readAll(join(FIXTURES, 'quotes.csv'));
    expect(recs.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(recs[0].value).toEqual({ id: '1', text: 'Hello, world', note: 'says "hi"' });
    expect(recs[1].value).toEqual({ id: '2', text: 'line one\nline two', note: 'plain' });
    expect(recs[2]).toMatchObject({ index: 2, raw: '3,only two', error: 'row has 2 fields, the header has 3' });
    expect(recs[3].value).toEqual({ id: '4', text: 'ok', note: '' });
  });

  it('round-trips with the same header and proper quoting, also gzip-compressed', async () => {
    const rows = [
      { id: '1', text: 'comma, "quote" and\r\nCRLF', note: '' },
      { id: '2', text: '  spaces  ', note: 'x' },
      { id: '3', text: '', note: '' },
    ];
    for (const name of ['r.csv', 'r.csv.gz', 'r.csv.zst']) {
      const path = tmp(name);
      await writeAll(path, rows);
      expect(values(await readAll(path))).toEqual(rows);
      expect(await readColumns(path)).toEqual(['id', 'text', 'note']);
    }
  });

  it('keeps a given column order, writes non-strings as text and JSON, rejects unknown fields', async () => {
    const path = tmp('cols.csv');
    await writeAll(path, [{ b: 2, a: { x: [1] } }, { a: true }], 'csv', { columns: ['a', 'b'] });
    expect(readFileSync(path, 'utf8')).toBe('a,b\r\n"{""x"":[1]}",2\r\ntrue,\r\n');
    const w = openRecordWriter(tmp('bad.csv'));
    await w.write({ a: 1 });
    await expect(w.write({ a: 1, z: 2 })).rejects.toThrow(/not a CSV column/);
    await w.close();
  });

  it('a single empty column survives the round trip', async () => {
    const path = tmp('one.csv');
    await writeAll(path, [{ text: '' }, { text: 'b' }]);
    expect(values(await readAll(path))).toEqual([{ text: '' }, { text: 'b' }]);
  });

  it('handles CRLF, no final newline, an unclosed quote and an over-long row', async () => {
    const path = tmp('edge.csv');
    writeFileSync(path, `a,b\r\n1,2\r\n3,${'y'.repeat(500)}\r\n5,6\r\n7,"never closed\r\n8,9`);
    const recs = await readAll(path, { maxRecordBytes: 100 });
    expect(recs.map((r) => [r.index, r.error ?? r.value])).toEqual([
      [0, { a: '1', b: '2' }],
      [1, 'row is longer than 100 characters'],
      [2, { a: '5', b: '6' }],
      [3, 'quoted field is not closed before the end of the file'],
    ]);
    expect(recs[3].raw).toBe('7,"never closed\r\n8,9"');
  });

  it('parses the same rows however the input is cut into chunks', () => {
    const text = 'a,b\r\n"x ""q"", y","multi\r\nline"\r\nplain,"""\r\n"\r\n\r\nlast,row';
    const whole = new CsvParser(1000);
    const expected = [...whole.push(text), ...whole.end()];
    expect(expected.map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['x "q", y', 'multi\r\nline'],
      ['plain', '"\r\n'],
      [''],
      ['last', 'row'],
    ]);
    for (const size of [1, 2, 3, 5]) {
      const p = new CsvParser(1000);
      const rows = [];
      for (let i = 0; i < text.length; i += size) rows.push(...p.push(text.slice(i, i + size)));
      rows.push(...p.end());
      expect(rows, `chunks of ${size}`).toEqual(expected);
    }
  });

  it('a duplicate header name is an input error', async () => {
    const path = tmp('dup.csv');
    writeFileSync(path, 'a,a\n1,2\n');
    await expect(readAll(path)).rejects.toThrow(/column "a" twice/);
  });
});

describe('Parquet', () => {
  it('round-trips records across several row groups, nested values included', async () => {
    const path = tmp('r.parquet');
    const rows = Array.from({ length: 10 }, (_, i) => ({
      id: `r${i}`,
      text: i === 3 ? null : `text ${i} “quoted”`,
      score: i / 4,
      flag: i % 2 === 0,
      messages: [{ role: 'user', content: `m${i}` }],
    }));
    await writeAll(path, rows, undefined, { rowGroupSize: 3 });
    const recs = await readAll(path);
    expect(recs.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(values(recs)).toEqual(rows);
    expect(await readColumns(path)).toEqual(['id', 'text', 'score', 'flag', 'messages']);
  });

  it('reads row groups one at a time (a consumer can stop early)', async () => {
    const path = tmp('groups.parquet');
    await writeAll(
      path,
      Array.from({ length: 25 }, (_, i) => ({ i, text: `t${i}` })),
      'parquet',
      { rowGroupSize: 10 },
    );
    const seen: number[] = [];
    for await (const rec of openRecordReader(path)) {
      seen.push(rec.index);
      if (rec.index === 12) break;
    }
    expect(seen).toHaveLength(13);
  });

  it('an empty output and a missing column are both handled', async () => {
    const empty = tmp('empty.parquet');
    await writeAll(empty, [], 'parquet', { columns: ['text'] });
    expect(await readAll(empty)).toEqual([]);
    const sparse = tmp('sparse.parquet');
    await writeAll(sparse, [{ a: 'x' }, { b: 'y' }], 'parquet', { columns: ['a', 'b'] });
    expect(values(await readAll(sparse))).toEqual([
      { a: 'x', b: null },
      { a: null, b: 'y' },
    ]);
  });

  it('a value that does not fit its column is an error, not a silent null', async () => {
    const w = openRecordWriter(tmp('mixed.parquet'), undefined, { rowGroupSize: 1 });
    await w.write({ n: 1 });
    await expect(w.write({ n: 'one' })).rejects.toThrow(/column "n" holds DOUBLE/);
    await expect(w.write('{"raw":1}')).rejects.toThrow(/raw line/);
  });

  it('a file that is not Parquet is an input error', async () => {
    const path = tmp('fake.parquet');
    writeFileSync(path, 'not parquet at all');
    const err = await readAll(path).catch((e: unknown) => e);
    expect(LifeguardError.isInstance(err) && err.code).toBe('LG_ERR_INPUT_INVALID');
  });
});

describe('text folders', () => {
  it('reads each .txt file (recursively, sorted) as {id: relative path, text} and round-trips', async () => {
    const root = tmp('corpus');
    mkdirSync(join(root, 'sub'), { recursive: true });
    writeFileSync(join(root, 'b.txt'), 'second\nfile');
    writeFileSync(join(root, 'a.txt'), '\ufefffirst');
    writeFileSync(join(root, 'sub', 'c.txt'), 'nested');
    writeFileSync(join(root, 'skip.md'), 'not text');
    const recs = await readAll(root);
    expect(recs.map((r) => [r.index, r.file, r.value])).toEqual([
      [0, root, { id: 'a.txt', text: 'first' }],
      [1, root, { id: 'b.txt', text: 'second\nfile' }],
      [2, root, { id: 'sub/c.txt', text: 'nested' }],
    ]);
    const out = tmp('corpus-out');
    await writeAll(out, values(recs) as Record<string, unknown>[], { format: 'text', compression: 'none' });
    expect(values(await readAll(out))).toEqual(values(recs));
  });

  it('names files by write order without an id and refuses unsafe ids', async () => {
    const out = tmp('folder-out');
    await writeAll(out, [{ text: 'x' }, { id: 7, text: 'y' }], 'text');
    expect(values(await readAll(out))).toEqual([
      { id: '0.txt', text: 'x' },
      { id: '7.txt', text: 'y' },
    ]);
    const w = openRecordWriter(tmp('unsafe'), 'text');
    await expect(w.write({ id: '../escape', text: 'x' })).rejects.toThrow(/not a safe relative path/);
  });

  it('an over-large file is an error record', async () => {
    const root = tmp('big-folder');
    mkdirSync(root);
    writeFileSync(join(root, 'big.txt'), 'z'.repeat(300));
    writeFileSync(join(root, 'ok.txt'), 'fine');
    const recs = await readAll(root, { maxRecordBytes: 100 });
    expect(recs[0]).toMatchObject({ index: 0, error: expect.stringMatching(/big\.txt: file is 300 bytes/) });
    expect(recs[1].value).toEqual({ id: 'ok.txt', text: 'fine' });
  });
});

describe('record shapes', () => {
  const fixtures = async () => {
    const recs = await readAll(join(FIXTURES, 'shapes.jsonl'));
    return new Map(recs.map((r) => [r.value?.id as string, r.value as Record<string, unknown>]));
  };

  it('detects each shape', async () => {
    const byId = await fixtures();
    expect([...byId].map(([id, v]) => [id, detectShape(v)])).toEqual([
      ['t1', 'text'],
      ['c1', 'chat'],
      ['i1', 'instruction'],
      ['i2', 'instruction'],
      ['i3', 'instruction'],
      ['p1', 'preference'],
      ['p2', 'preference'],
      ['u1', 'unknown'],
    ]);
    expect(detectShape({ body: 'x' }, { textField: 'body' })).toBe('text');
  });

  it('textsOf lists the texts to scan with their paths', async () => {
    const byId = await fixtures();
    const texts = (id: string) => {
      const v = byId.get(id)!;
      return textsOf(v, detectShape(v));
    };
    expect(texts('t1')).toEqual([{ path: 'text', text: 'plain text record' }]);
    expect(texts('c1')).toEqual([
      { path: 'messages.0.content', text: 'be nice' },
      { path: 'messages.1.content.0.text', text: 'hello' },
      { path: 'messages.2.content', text: 'hi there' },
    ]);
    expect(texts('i1').map((t) => t.path)).toEqual(['instruction', 'input', 'output']);
    expect(texts('i2').map((t) => t.path)).toEqual(['prompt', 'completion']);
    expect(texts('i3').map((t) => t.path)).toEqual(['prompt', 'response']);
    expect(texts('p1')).toEqual([
      { path: 'prompt', text: 'Which?' },
      { path: 'chosen', text: 'good answer' },
      { path: 'rejected', text: 'bad answer' },
    ]);
    expect(texts('p2').map((t) => t.path)).toEqual([
      'chosen.0.content',
      'chosen.1.content',
      'rejected.0.content',
      'rejected.1.content',
    ]);
    expect(texts('u1')).toEqual([]);
    expect(textsOf({ meta: { body: 'deep' } }, 'text', { textField: 'meta.body' })).toEqual([
      { path: 'meta.body', text: 'deep' },
    ]);
  });

  it('withTexts replaces exactly those texts and keeps every other field deep-equal', async () => {
    const byId = await fixtures();
    for (const [id, value] of byId) {
      const before = structuredClone(value);
      const slots = textsOf(value, detectShape(value));
      const out = withTexts(value, new Map(slots.map((s) => [s.path, `[${s.text}]`])));
      expect(value, `${id} not mutated`).toEqual(before);
      const after = textsOf(out, detectShape(out));
      expect(after).toEqual(slots.map((s) => ({ path: s.path, text: `[${s.text}]` })));
      // Put the originals back: the record must equal the input again, deeply.
      expect(withTexts(out, new Map(slots.map((s) => [s.path, s.text])))).toEqual(before);
    }
    const chat = byId.get('c1')!;
    const out = withTexts(chat, new Map([['messages.1.content.0.text', 'HELLO']]));
    const msgs = (m: Record<string, unknown>) => m.messages as Array<Record<string, unknown>>;
    expect(msgs(out)[1].content).toEqual([
      { type: 'text', text: 'HELLO' },
      { type: 'image_url', image_url: { url: 'http://x' } },
    ]);
    expect(out.meta).toBe(chat.meta); // untouched subtrees are shared, not copied
    expect(msgs(out)[0]).toBe(msgs(chat)[0]);
    expect(() => withTexts(chat, new Map([['meta.turns', 'x']]))).toThrow(/not a text/);
  });
});

describe('recordId', () => {
  it('uses the id field, else the index, prefixed by the base name with several inputs', () => {
    const file = '/data/train.jsonl';
    expect(recordId({ index: 4, file, value: { id: 'abc' } })).toBe('abc');
    expect(recordId({ index: 4, file, value: { id: 17 } })).toBe(17);
    expect(recordId({ index: 4, file, value: { id: { nested: 1 } } })).toBe(4);
    expect(recordId({ index: 12, file, value: { text: 'x' } })).toBe(12);
    expect(recordId({ index: 12, file, raw: '{', error: 'invalid JSON' })).toBe(12);
    expect(recordId({ index: 12, file, value: { text: 'x' } }, { multipleInputs: true })).toBe('train.jsonl:12');
    expect(recordId({ index: 0, file, value: { id: 'abc' } }, { multipleInputs: true })).toBe('train.jsonl:abc');
  });
});
