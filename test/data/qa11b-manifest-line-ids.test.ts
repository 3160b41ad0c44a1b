import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { insertCanaries } from '../../src/data/canary.js';
import { verifyManifest, writeManifest } from '../../src/data/integrity/index.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lg-qa11b-man-'));

describe('data manifest and verify: ids that are only a line number are marked', () => {
  it('manifest lines of unreadable and id-less records carry line and id_from_line; own ids do not', async () => {
    const dir = tmp();
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, ['{"id":2,"text":"own number id"}', '{broken', '', '{"text":"no id"}', '[1,2]'].join('\n'));
    const manifest = join(dir, 'm.jsonl');
    await writeManifest([input], manifest);
    const records = readFileSync(manifest, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((e) => e.type === 'record');
    expect(records.map((r) => [r.id, r.line, r.id_from_line])).toEqual([
      [2, undefined, undefined],
      [1, 1, true],
      [3, 3, true],
      [4, 4, true],
    ]);
    expect(await verifyManifest(manifest, [input])).toEqual({ ok: true, modified: [], added: [], removed: [] });
  });

  it('verify lists each changed line-number id with its file and line, apart from a real id 1', async () => {
    const dir = tmp();
    const input = join(dir, 'in.jsonl');
    writeFileSync(
      input,
      ['{"id":"a","text":"one"}', '{broken', '{"text":"no id"}', '{"id":"z","text":"last"}'].join('\n'),
    );
    const manifest = join(dir, 'm.jsonl');
    await writeManifest([input], manifest);
    // the broken line changes; the id-less record goes; a record with its own id 1 arrives
    writeFileSync(
      input,
      ['{"id":"a","text":"one"}', '{broken!', '{"id":1,"text":"new"}', '{"id":"z","text":"last"}'].join('\n'),
    );
    const r = await verifyManifest(manifest, [input]);
    // the real id 1 meets the broken line's id 1 and takes the first free suffix
    expect(r).toMatchObject({ ok: false, modified: [1], added: ['1#1'], removed: [2] });
    // the line-number ids are named with their file and line (the removed one: where it was)
    expect(r.lines).toEqual([
      { change: 'modified', id: 1, file: 'in.jsonl', line: 1, id_from_line: true },
      { change: 'removed', id: 2, file: 'in.jsonl', line: 2, id_from_line: true },
    ]);
  });
});

describe('data canary: a canary placed in an id-less record says its id is its line', () => {
  it('canaries.json entries carry line and id_from_line only for id-less records', async () => {
    const dir = tmp();
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, ['{"id":"own","text":"a record with an id"}', '{"text":"a record without an id"}'].join('\n'));
    const placed = await insertCanaries(input, join(dir, 'out'), { count: 2, seed: 1 });
    const byId = new Map(placed.map((p) => [p.id, p]));
    expect(byId.get('own')).not.toHaveProperty('id_from_line');
    expect(byId.get('own')).not.toHaveProperty('line');
    expect(byId.get(1)).toMatchObject({ line: 1, id_from_line: true, path: 'text' });
    const listed = JSON.parse(readFileSync(join(dir, 'out', 'canaries.json'), 'utf8'));
    expect(listed.canaries.find((c: { id: unknown }) => c.id === 1)).toMatchObject({ id_from_line: true });
  });
});
