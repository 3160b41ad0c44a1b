import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { merkleRoot, readManifest, verifyManifest, writeManifest } from '../../src/data/integrity/index.js';
import { runCli } from '../cli/helpers.js';

function corpus(lines: string[]): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lg-manifest-'));
  const file = join(dir, 'corpus.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { dir, file };
}

const rows = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ id: `r${i}`, text: `record ${i}` }));

describe('data manifest and verify', () => {
  it('refuses to write the manifest over an input or into a missing folder, with a clear error and the input intact', async () => {
    const { dir, file } = corpus(rows(3));
    await expect(writeManifest([file], file)).rejects.toThrow(/is one of the inputs/);
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(3);
    await expect(writeManifest([file], join(dir, 'missing', 'm.jsonl'))).rejects.toThrow(/its folder does not exist/);
    const r = runCli(['data', 'manifest', file, '-o', join(dir, 'missing', 'm.jsonl')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^lifeguard: cannot write the manifest .* \[LG_ERR_INPUT_INVALID\]\n$/);
  });

  it('an unchanged corpus verifies; the summary has shard hashes and a Merkle root', async () => {
    const { dir, file } = corpus(rows(5));
    const summary = await writeManifest([file], join(dir, 'm.jsonl'));
    expect(summary.records).toBe(5);
    expect(summary.shards).toEqual([
      { file: 'corpus.jsonl', records: 5, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
    expect(summary.merkleRoot).toMatch(/^[0-9a-f]{64}$/);
    expect((await readManifest(join(dir, 'm.jsonl'))).hashes.size).toBe(5);
    expect(await verifyManifest(join(dir, 'm.jsonl'), [file])).toEqual({
      ok: true,
      modified: [],
      added: [],
      removed: [],
    });
  });

  it('catches every modified, added and removed record, malformed lines included', async () => {
    const base = [...rows(4), '{broken'];
    const { dir, file } = corpus(base);
    await writeManifest([file], join(dir, 'm.jsonl'));
    const changed = [...base];
    changed[1] = JSON.stringify({ id: 'r1', text: 'record 1 (poisoned)' });
    changed.splice(2, 1); // remove r2
    changed[3] = '{broken!'; // the malformed line (now at index 3) changes too
    changed.push(JSON.stringify({ id: 'new', text: 'added' }));
    writeFileSync(file, `${changed.join('\n')}\n`);
    const r = await verifyManifest(join(dir, 'm.jsonl'), [file]);
    expect(r.ok).toBe(false);
    expect(r.modified).toEqual(['r1']);
    expect(r.added.sort()).toEqual([3, 'new'].sort());
    expect(r.removed.sort()).toEqual([4, 'r2'].sort());
  });

  it('Merkle root changes with any leaf and with order', () => {
    const a = Buffer.from('a');
    const b = Buffer.from('b');
    const c = Buffer.from('c');
    expect(merkleRoot([a, b, c])).not.toBe(merkleRoot([a, c, b]));
    expect(merkleRoot([a, b, c])).toBe(merkleRoot([a, b, c]));
    expect(merkleRoot([a, b])).not.toBe(merkleRoot([a, b, c]));
  });

  it('CLI: verify --json prints the contract and exits non-zero on change', () => {
    const { dir, file } = corpus(rows(3));
    const manifest = join(dir, 'm.jsonl');
    expect(runCli(['data', 'manifest', file, '-o', manifest]).status).toBe(0);
    const same = runCli(['data', 'verify', manifest, file, '--json']);
    expect(same.status).toBe(0);
    expect(JSON.parse(same.stdout)).toEqual({ ok: true, modified: [], added: [], removed: [] });
    writeFileSync(file, `${rows(2).join('\n')}\n`);
    const diff = runCli(['data', 'verify', manifest, file, '--json']);
    expect(diff.status).toBe(1);
    expect(JSON.parse(diff.stdout)).toEqual({ ok: false, modified: [], added: [], removed: ['r2'] });
  });
});

describe('data canary', () => {
  it('inserts N unique canaries into N records, keeps every other record and malformed line as is', async () => {
    const { insertCanaries } = await import('../../src/data/canary.js');
    const lines = [...rows(20), '{broken'];
    const { dir, file } = corpus(lines);
    const out = join(dir, 'out');
    const placed = await insertCanaries(file, out, { count: 5, seed: 7 });
    expect(placed).toHaveLength(5);
    expect(new Set(placed.map((p) => p.canary)).size).toBe(5);
    const { readFileSync } = await import('node:fs');
    const written = readFileSync(join(out, 'corpus.jsonl'), 'utf8').trimEnd().split('\n');
    expect(written).toHaveLength(lines.length);
    expect(written[20]).toBe('{broken');
    const changed = written.filter((l, i) => l !== lines[i]);
    expect(changed).toHaveLength(5);
    for (const p of placed) expect(written.filter((l) => l.includes(p.canary))).toHaveLength(1);
    const listed = JSON.parse(readFileSync(join(out, 'canaries.json'), 'utf8'));
    expect(listed.canaries).toEqual(placed);
    // same seed, same canaries
    const again = await insertCanaries(file, join(dir, 'out2'), { count: 5, seed: 7 });
    expect(again).toEqual(placed);
    await expect(insertCanaries(file, join(dir, 'out3'), { count: 50 })).rejects.toThrow(/cannot place 50/);
  });
});
