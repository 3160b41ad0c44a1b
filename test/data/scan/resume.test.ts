import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/core/random.js';
import { scanCorpus } from '../../../src/data/scan/pipeline.js';
import { prose, smallCorpus } from './fixtures.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const RUNNER = fileURLToPath(new URL('../../cli/run-cli.ts', import.meta.url));

function readCheckpoint(out: string): { records: number; done: boolean } | undefined {
  const path = join(out, '.lifeguard-scan', 'checkpoint.json');
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined; // caught mid-rename
  }
}

/** Starts the CLI scan and SIGKILLs it once `until` says so; fails if the scan ends first. */
function scanAndKill(args: string[], out: string, until: (cp: { records: number } | undefined) => boolean) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', RUNNER, 'data', 'scan', ...args, '--out', out], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    let killed = false;
    const timer = setInterval(() => {
      if (until(readCheckpoint(out))) {
        killed = true;
        clearInterval(timer);
        child.kill('SIGKILL');
      }
    }, 5);
    child.on('exit', (_code, signal) => {
      clearInterval(timer);
      if (killed && signal === 'SIGKILL') resolve();
      else reject(new Error(`the scan ended before it could be killed (signal ${signal})`));
    });
  });
}

describe('data scan survives kill -9', () => {
  const corpus = smallCorpus(3, 2500);
  const settings = { fast: false, checkpointRecords: 200, batchRecords: 50 };
  const flags = ['--checkpoint-records', '200'];

  it('resumes a scan killed mid-way and produces the same files as an uninterrupted run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-resume-'));
    const input = join(dir, 'c.jsonl');
    writeFileSync(input, `${corpus.lines.join('\n')}\n`);
    // batchRecords must match: it is part of the settings fingerprint (config file for the CLI run).
    writeFileSync(join(dir, 'scan.yaml'), 'batchRecords: 50\n');
    const killedOut = join(dir, 'killed');
    await scanAndKill(
      [input, '--workers', '1', '--config', join(dir, 'scan.yaml'), ...flags],
      killedOut,
      (cp) => cp !== undefined && cp.records >= 600,
    );
    const before = readCheckpoint(killedOut);
    expect(before?.done).toBe(false);
    expect(before?.records).toBeLessThan(corpus.lines.length);

    const resumed = await scanCorpus({
      inputs: [input],
      outDir: killedOut,
      resume: true,
      config: { ...settings, workers: 0 },
    });
    const clean = await scanCorpus({
      inputs: [input],
      outDir: join(dir, 'clean'),
      config: { ...settings, workers: 0 },
    });
    expect(resumed.resumed).toBe(true);
    expect(resumed.counts).toEqual(clean.counts);
    for (const f of ['kept.jsonl', 'quarantine.jsonl']) {
      expect(readFileSync(join(killedOut, f), 'utf8')).toBe(readFileSync(join(dir, 'clean', f), 'utf8'));
    }
    expect(resumed.duplicates.clusters).toEqual(clean.duplicates.clusters);
    expect(resumed.counts.in).toBe(resumed.counts.kept + resumed.counts.quarantined);
  }, 120_000);

  it('resumes a scan killed during the poisoning pre-pass', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-resume-'));
    const rand = mulberry32(9);
    const lines = Array.from({ length: 20000 }, (_, i) =>
      JSON.stringify({ id: i, prompt: prose(rand, 8), response: prose(rand, 20) }),
    );
    const input = join(dir, 'c.jsonl');
    writeFileSync(input, `${lines.join('\n')}\n`);
    const out = join(dir, 'out');
    await scanAndKill(
      [input, '--workers', '1', '--fast', '--no-dedup', '--no-quality'],
      out,
      (cp) => cp !== undefined && !existsSync(join(out, '.lifeguard-scan', 'prepass.json')),
    );
    const r = await scanCorpus({
      inputs: [input],
      outDir: out,
      resume: true,
      config: { workers: 0, fast: true, dedup: { enabled: false }, quality: { enabled: false } },
    });
    expect(r.counts).toMatchObject({ in: lines.length, kept: lines.length, quarantined: 0 });
    expect(r.poisoning.enabled).toBe(true);
  }, 120_000);
});
