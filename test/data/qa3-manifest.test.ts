import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyManifest, writeManifest } from '../../src/data/integrity/index.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lg-qa3-man-'));

describe('QA3: data manifest', () => {
  it('gives a repeated id a suffix no other record has, so an unchanged input verifies', async () => {
    const dir = tmp();
    const input = join(dir, 'in.jsonl');
    writeFileSync(
      input,
      ['{"id":"a","text":"one"}', '{"id":"a","text":"two"}', '{"id":"a#1","text":"three"}'].join('\n'),
    );
    const manifest = join(dir, 'm.jsonl');
    await writeManifest([input], manifest);
    expect(await verifyManifest(manifest, [input])).toEqual({ ok: true, modified: [], added: [], removed: [] });
  });

  it.runIf(existsSync('/dev/full'))('reports a full disk as an input error', async () => {
    const dir = tmp();
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, '{"text":"hello"}\n');
    await expect(writeManifest([input], '/dev/full')).rejects.toMatchObject({
      code: 'LG_ERR_INPUT_INVALID',
      message: expect.stringMatching(/cannot write the manifest to \/dev\/full/),
    });
  });
});
