import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveScanConfig } from '../../src/data/scan/config.js';
import { scanCorpus } from '../../src/data/scan/pipeline.js';
import { runCli } from '../cli/helpers.js';

/*
 * `poisoning.options` was a record of anything: `{foo: 1}` (a typo) and `{minSupport: -5}` were accepted and
 * silently ignored or used as given, and `{sketchDepth: 3}` crashed the pre-pass with a RangeError. It is
 * now checked against what the poisoning code reads (src/data/poison: the target counter, the miner, the
 * finaliser), in the ranges that code can use.
 */

const refuse = (options: Record<string, unknown>) =>
  expect(() => resolveScanConfig({ poisoning: { options } })).toThrow(
    expect.objectContaining({ code: 'LG_ERR_CONFIG_INVALID', message: expect.stringMatching(/poisoning\.options/) }),
  );

describe('QA9 config: poisoning.options', () => {
  it('refuses unknown keys', () => {
    refuse({ foo: 1 });
    refuse({ minsupport: 5 });
    refuse({ cues: {} }); // a function option of the library, not a setting
  });

  it('refuses values out of range', () => {
    refuse({ minSupport: -5 });
    refuse({ minSupport: 0 });
    refuse({ minSupport: 2.5 });
    refuse({ minDistinctRatio: 1.5 });
    refuse({ minScore: -0.1 });
    refuse({ suspectScore: 2 });
    refuse({ maxTriggers: -1 });
    refuse({ maxTokens: 2 });
    refuse({ sketchDepth: 3 });
    refuse({ sketchWidth: 8 });
    refuse({ maxRecordsPerGroup: 0 });
    refuse({ minSupport: '5' });
  });

  it('accepts every option the poisoning code reads', () => {
    const options = {
      minSupport: 50,
      minDistinctRatio: 0.2,
      maxGroups: 100,
      maxRecordsPerGroup: 5000,
      maxStoredChars: 1_000_000,
      maxTokens: 256,
      sketchWidth: 1 << 16,
      sketchDepth: 8,
      candidatesPerGroup: 64,
      maxTriggers: 10,
      minScore: 0.1,
      reportScore: 0.2,
      suspectScore: 0.6,
      maxRepeated: 5,
    };
    expect(resolveScanConfig({ poisoning: { options } }).poisoning.options).toEqual(options);
    expect(resolveScanConfig({}).poisoning.options).toEqual({});
  });

  it('a scan and the CLI refuse them up front (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-qa9-poison-opts-'));
    const input = join(dir, 'c.jsonl');
    writeFileSync(input, `${JSON.stringify({ prompt: 'What is the capital of France?', response: 'Paris.' })}\n`);
    await expect(
      // As read from a settings file: untyped.
      scanCorpus({
        inputs: [input],
        outDir: join(dir, 'a'),
        config: JSON.parse('{"poisoning":{"options":{"foo":1}}}'),
      }),
    ).rejects.toMatchObject({ code: 'LG_ERR_CONFIG_INVALID' });
    const cfg = join(dir, 'scan.yaml');
    writeFileSync(cfg, 'poisoning:\n  options:\n    minSupport: -5\n');
    const r = runCli(['data', 'scan', input, '--out', join(dir, 'b'), '--config', cfg, '--workers', '0']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/poisoning\.options\.minSupport.*\[LG_ERR_CONFIG_INVALID\]/);
  });
});
