import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  configHash,
  loadRedteamConfig,
  parseRedteamConfig,
  redteamConfigJsonSchema,
} from '../../../src/redteam/config.js';
import { REDTEAM_STARTER_CONFIG, redteamStarterConfig } from '../../../src/redteam/starter.js';

const base = {
  target: { type: 'openai', baseUrl: 'http://127.0.0.1:8000/v1', model: 'm' },
  goals: ['jbb'],
  attacks: ['direct'],
};

describe('redteam config', () => {
  it('fills defaults', () => {
    const c = parseRedteamConfig(base);
    expect(c.runner).toMatchObject({
      concurrency: 8,
      seed: 0,
      repeats: 1,
      cache: true,
      graceMs: 10_000,
      resendUnanswered: true,
    });
    expect(c.runner.retries).toEqual({ maxAttempts: 4, baseMs: 500, capMs: 30_000, maxRetryAfterMs: 120_000 });
    expect(c.output).toEqual({ dir: 'redteam-run', formats: ['json', 'md', 'html'] });
    expect(c.budget).toEqual({});
  });

  it('errors name the path of the bad field', () => {
    const bad = (over: Record<string, unknown>) => () => parseRedteamConfig({ ...base, ...over }, 'cfg.yaml');
    expect(bad({ runner: { concurrency: 0 } })).toThrow(/cfg\.yaml: runner\.concurrency/);
    expect(bad({ target: { type: 'openai', model: 'm' } })).toThrow(/target\.baseUrl/);
    expect(bad({ target: { type: 'ftp' } })).toThrow(/target/);
    expect(bad({ budget: { costUsd: 1 } })).toThrow(/budget\.pricing: costUsd needs pricing/);
    expect(bad({ goals: [] })).toThrow(/goals/);
    expect(bad({ runner: { concurency: 3 } })).toThrow(/runner.*concurency/);
    expect(bad({ output: { formats: ['pdf'] } })).toThrow(/output\.formats\.0/);
    expect(bad({ judges: { judges: ['astrologer'] } })).toThrow(/judges/);
    // Attacks are built at validation time: an unknown id lists the valid ones, PAIR without an attacker fails.
    expect(bad({ attacks: ['direct', 'base46'] })).toThrow(/cfg\.yaml: attacks: .*base46.*direct/s);
    expect(bad({ attacks: ['pair'] })).toThrow(/cfg\.yaml: attacks: .*attacker/s);
  });

  it('the hash covers what decides the answers, not concurrency, budgets or outputs', () => {
    const h = configHash(parseRedteamConfig(base));
    expect(configHash(parseRedteamConfig({ ...base, runner: { concurrency: 64 }, budget: { requests: 5 } }))).toBe(h);
    expect(configHash(parseRedteamConfig({ ...base, target: { ...base.target, apiKey: 'other' } }))).toBe(h);
    expect(configHash(parseRedteamConfig({ ...base, runner: { seed: 1 } }))).not.toBe(h);
    expect(configHash(parseRedteamConfig({ ...base, attacks: ['direct', 'base64'] }))).not.toBe(h);
    expect(configHash(parseRedteamConfig({ ...base, target: { ...base.target, model: 'n' } }))).not.toBe(h);
    // The same converter chain however it is spaced (and the timeouts) do not change it.
    const chain = (c: string) => configHash(parseRedteamConfig({ ...base, attacks: ['direct', c] }));
    expect(chain('leetspeak + base64')).toBe(chain('leetspeak+base64'));
    expect(chain('rot13+base64')).not.toBe(chain('leetspeak+base64'));
    expect(configHash(parseRedteamConfig({ ...base, target: { ...base.target, deadlineMs: 5000 } }))).toBe(h);
  });

  it('relative replay and cache paths resolve against the config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-rt-cfg-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(
      file,
      'target: { type: replay, path: rec.jsonl }\ngoals: [jbb]\nattacks: [direct]\nrunner: { cache: c/cache.sqlite }\n',
    );
    const c = loadRedteamConfig(file);
    expect(c.target).toMatchObject({ type: 'replay', path: join(dir, 'rec.jsonl') });
    expect(c.runner.cache).toBe(join(dir, 'c/cache.sqlite'));
    expect(c.baseDir).toBe(dir);
    writeFileSync(file, 'target: [unclosed');
    expect(() => loadRedteamConfig(file)).toThrow(/not valid YAML/);
  });

  it('the starter parses, validates and is runnable offline as written', () => {
    const c = parseRedteamConfig(parseYaml(REDTEAM_STARTER_CONFIG), 'starter');
    expect(c.target.type).toBe('replay');
    expect(c.goals).toEqual(['jbb']);
    // every top-level section is explained by a comment
    for (const k of ['target', 'attacker', 'goals', 'attacks', 'judges', 'runner', 'budget', 'output', 'failIf']) {
      expect(REDTEAM_STARTER_CONFIG).toMatch(new RegExp(`^#? ?${k}:`, 'm'));
    }
  });

  it('the JSON Schema describes every section', () => {
    const s = redteamConfigJsonSchema() as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(s.properties).sort()).toEqual(
      ['attacker', 'attacks', 'budget', 'failIf', 'goals', 'judges', 'output', 'runner', 'target'].sort(),
    );
    expect(s.required).toEqual(expect.arrayContaining(['target', 'goals', 'attacks']));
    expect(JSON.stringify(s)).toContain('requestsPerSecond');
  });

  it('lifeguard redteam init writes the starter; refuses to overwrite without --force', async () => {
    const { main } = await import('../../../src/cli/main.js');
    const dir = mkdtempSync(join(tmpdir(), 'lg-rt-init-'));
    const file = join(dir, 'rt.yaml');
    const errs: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => {
      errs.push(String(s));
      return true;
    }) as typeof process.stderr.write;
    try {
      await main(['node', 'lifeguard', 'redteam', 'init', file]);
      expect(readFileSync(file, 'utf8')).toBe(redteamStarterConfig(file)); // its commands name rt.yaml
      process.exitCode = 0;
      await main(['node', 'lifeguard', 'redteam', 'init', file]);
      expect(process.exitCode).toBe(2);
      expect(errs.join('')).toMatch(/exists; pass --force/);
    } finally {
      process.stderr.write = write;
      process.exitCode = 0;
    }
  });
});
