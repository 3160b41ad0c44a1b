import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRecordReader } from '../../src/data/io/reader.js';
import { scanCorpus } from '../../src/data/scan/pipeline.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lg-qa3-txt-'));

async function readAll(path: string) {
  const out: { id?: unknown; error?: string }[] = [];
  for await (const r of openRecordReader(path)) out.push({ id: r.value?.id, error: r.error });
  return out;
}

describe('QA3: text folders', () => {
  it('follows symbolic links to files and folders, skips a link back up the tree, reports a broken link', async () => {
    const root = join(tmp(), 'corpus');
    mkdirSync(join(root, 'real'), { recursive: true });
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, 'a.txt'), 'first');
    writeFileSync(join(root, 'real', 'b.txt'), 'second');
    symlinkSync(join('..', 'real', 'b.txt'), join(root, 'sub', 'link.txt')); // like a download cache's snapshot
    symlinkSync('real', join(root, 'linked'));
    symlinkSync('..', join(root, 'real', 'up')); // a loop
    symlinkSync('/nonexistent/file.txt', join(root, 'z-dangling.txt'));
    const records = await readAll(root);
    expect(records).toEqual([
      { id: 'a.txt', error: undefined },
      { id: 'linked/b.txt', error: undefined },
      { id: 'real/b.txt', error: undefined },
      { id: 'sub/link.txt', error: undefined },
      { id: undefined, error: 'z-dangling.txt: broken symbolic link' },
    ]);
  });

  it('a fresh scan into the same folder removes kept files of the earlier scan', async () => {
    const dir = tmp();
    const root = join(dir, 'corpus');
    mkdirSync(root);
    writeFileSync(join(root, 'a.txt'), 'A quiet morning by the river with a cup of coffee and a novel.');
    writeFileSync(join(root, 'b.txt'), 'Please write to carol@example.com about the invoice for the boat.');
    const out = join(dir, 'out');
    const base = { workers: 0, fast: true } as const;
    await scanCorpus({ inputs: [root], outDir: out, config: { ...base, actions: { default: 'keep' } } });
    expect(readFileSync(join(out, 'kept', 'b.txt'), 'utf8')).toContain('carol@example.com');
    const report = await scanCorpus({
      inputs: [root],
      outDir: out,
      config: { ...base, actions: { EMAIL_ADDRESS: 'quarantine' } },
    });
    expect(report.counts.quarantined).toBe(1);
    expect(existsSync(join(out, 'kept', 'a.txt'))).toBe(true);
    expect(existsSync(join(out, 'kept', 'b.txt'))).toBe(false);
  });

  it("never reads the scan's own output through a link in the input folder", async () => {
    const dir = tmp();
    const root = join(dir, 'corpus');
    const out = join(dir, 'out');
    mkdirSync(root);
    mkdirSync(out);
    writeFileSync(join(root, 'a.txt'), 'A quiet morning by the river with a cup of coffee and a novel.');
    writeFileSync(join(out, 'notes.txt'), 'Anything in the output folder, such as kept files of an earlier scan.');
    symlinkSync(out, join(root, 'results')); // a link into the output folder
    symlinkSync(join(out, 'notes.txt'), join(root, 'notes.txt')); // and one to a file in it
    const report = await scanCorpus({
      inputs: [root],
      outDir: out,
      config: { workers: 0, fast: true, actions: { default: 'keep' } },
    });
    expect(report.counts.in).toBe(1);
  });
});
