import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanCorpus } from '../../src/data/scan/pipeline.js';

/*
 * The redaction key (LIFEGUARD_REDACT_KEY, for the hash and pseudonym operators) is not a setting, so the
 * checkpoint's settings fingerprint did not cover it: a scan resumed with another key silently wrote the
 * second key's hashes after the first key's in one output. The checkpoint now keeps a salted scrypt digest
 * of the key and a resume with another key is refused; a scan whose operators use no key resumes as before.
 */

const KEY_A = 'first-key-0123456789abcdef';
const KEY_B = 'other-key-0123456789abcdef';

function corpus(): { dir: string; input: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lg-qa9-key-'));
  const lines: string[] = [];
  for (let i = 0; i < 600; i++) {
    lines.push(
      JSON.stringify({ id: `r${i}`, text: `Record ${i} of the harbour log: write to person${i}@example.com today.` }),
    );
  }
  const input = join(dir, 'c.jsonl');
  writeFileSync(input, `${lines.join('\n')}\n`);
  return { dir, input };
}

const config = (operator: string) => ({
  workers: 0,
  fast: true,
  batchRecords: 50,
  checkpointRecords: 100,
  poisoning: { enabled: false },
  dedup: { enabled: false },
  redact: { operator },
});

const checkpointText = (out: string) => readFileSync(join(out, '.lifeguard-scan', 'checkpoint.json'), 'utf8');

/**
 * A scan stopped (by a throwing progress callback) at record 250, after its checkpoints at 100 and 200. The
 * one at 200 is still being written in the background when the scan rejects (a killed process would not
 * finish it): wait for it, so that a resume does not race it.
 */
async function interrupted(input: string, outDir: string, operator: string, redactKey?: string): Promise<void> {
  const stop = new Error('stopped');
  await expect(
    scanCorpus({
      inputs: [input],
      outDir,
      config: config(operator),
      redactKey,
      onProgress: (p) => {
        if (p.phase === 'scan' && p.records >= 250) throw stop;
      },
    }),
  ).rejects.toBe(stop);
  await expect.poll(() => JSON.parse(checkpointText(outDir)).records, { timeout: 10_000 }).toBe(200);
}

describe('QA9 config: resume refuses another redaction key', () => {
  it('refuses a different key, naming the problem and not the key; the same key resumes to the same output', async () => {
    const { dir, input } = corpus();
    const out = join(dir, 'out');
    await interrupted(input, out, 'hash', KEY_A);
    const saved = JSON.parse(checkpointText(out));
    expect(saved.done).toBe(false);
    expect(saved.redactKey).toEqual({ salt: expect.any(String), digest: expect.any(String) });
    expect(checkpointText(out)).not.toContain(KEY_A);

    const other = scanCorpus({ inputs: [input], outDir: out, config: config('hash'), redactKey: KEY_B, resume: true });
    await expect(other).rejects.toMatchObject({
      code: 'LG_ERR_CONFIG_INVALID',
      message: expect.stringMatching(/redaction key differs/),
    });
    await other.catch((e: Error) => {
      expect(e.message).not.toContain(KEY_A);
      expect(e.message).not.toContain(KEY_B);
    });

    const resumed = await scanCorpus({
      inputs: [input],
      outDir: out,
      config: config('hash'),
      redactKey: KEY_A,
      resume: true,
    });
    expect(resumed.resumed).toBe(true);
    const clean = join(dir, 'clean');
    await scanCorpus({ inputs: [input], outDir: clean, config: config('hash'), redactKey: KEY_A });
    expect(readFileSync(join(out, 'kept.jsonl'), 'utf8')).toBe(readFileSync(join(clean, 'kept.jsonl'), 'utf8'));
    // A finished scan is refused another key too: its report would speak for outputs the key did not make.
    await expect(
      scanCorpus({ inputs: [input], outDir: out, config: config('hash'), redactKey: KEY_B, resume: true }),
    ).rejects.toMatchObject({ code: 'LG_ERR_CONFIG_INVALID' });
  });

  it('salts each scan: two checkpoints of one key differ', async () => {
    const { dir, input } = corpus();
    await interrupted(input, join(dir, 'a'), 'pseudonym', KEY_A);
    await interrupted(input, join(dir, 'b'), 'pseudonym', KEY_A);
    const a = JSON.parse(checkpointText(join(dir, 'a'))).redactKey;
    const b = JSON.parse(checkpointText(join(dir, 'b'))).redactKey;
    expect(a.salt).not.toBe(b.salt);
    expect(a.digest).not.toBe(b.digest);
  });

  it('a scan with no key, or a key its operators do not use, resumes as before', async () => {
    const { dir, input } = corpus();
    const out = join(dir, 'plain');
    await interrupted(input, out, 'replace');
    expect(JSON.parse(checkpointText(out))).not.toHaveProperty('redactKey');
    const resumed = await scanCorpus({ inputs: [input], outDir: out, config: config('replace'), resume: true });
    expect(resumed.resumed).toBe(true);

    const unused = join(dir, 'unused');
    await interrupted(input, unused, 'replace', KEY_A);
    expect(JSON.parse(checkpointText(unused))).not.toHaveProperty('redactKey');
    const again = await scanCorpus({
      inputs: [input],
      outDir: unused,
      config: config('replace'),
      redactKey: KEY_B,
      resume: true,
    });
    expect(again.resumed).toBe(true);
  });
});
