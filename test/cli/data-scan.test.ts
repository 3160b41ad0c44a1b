import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

describe('lifeguard data scan (CLI)', () => {
  it('scans the README example: flags over a YAML file, --json summary on stdout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-cli-scan-'));
    writeFileSync(join(dir, 'scan.yaml'), 'fast: true\nactions:\n  US_SSN: quarantine\n');
    const out = join(dir, 'out');
    const r = runCli([
      'data',
      'scan',
      'examples/corpus.jsonl',
      '--out',
      out,
      '--config',
      join(dir, 'scan.yaml'),
      '--workers',
      '0',
      '--action',
      'EMAIL_ADDRESS=keep',
      '--json',
    ]);
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout) as { counts: Record<string, number> };
    expect(summary.counts.in).toBe(13);
    expect(summary.counts.in).toBe(summary.counts.kept + summary.counts.quarantined);
    const kept = readFileSync(join(out, 'kept.jsonl'), 'utf8');
    expect(kept).toContain('olivia.bennett@example.com'); // EMAIL_ADDRESS=keep from the flag
    const quarantine = readFileSync(join(out, 'quarantine.jsonl'), 'utf8');
    expect(quarantine).toContain('"finding:US_SSN"'); // from the YAML file
    expect(quarantine).toContain('"malformed"');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.config.fast).toBe(true);
  });

  it('explains bad settings and prints the config schema', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-cli-scan-'));
    writeFileSync(join(dir, 'bad.yaml'), 'dedup:\n  bands: many\n');
    const bad = runCli([
      'data',
      'scan',
      'examples/corpus.jsonl',
      '--out',
      join(dir, 'o'),
      '--config',
      join(dir, 'bad.yaml'),
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/dedup\.bands/);
    expect(bad.stderr).toContain('LG_ERR_CONFIG_INVALID');
    const noOut = runCli(['data', 'scan', 'examples/corpus.jsonl']);
    expect(noOut.stderr).toMatch(/--out/);
    const schema = runCli(['data', 'scan', '--print-schema']);
    expect(schema.status).toBe(0);
    const s = JSON.parse(schema.stdout) as { properties: Record<string, unknown> };
    expect(Object.keys(s.properties)).toEqual(expect.arrayContaining(['detectors', 'actions', 'dedup', 'poisoning']));
  });
});
