import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REDTEAM_STARTER_CONFIG } from '../../../src/redteam/starter.js';
import { redteamCli } from '../helpers/cli.js';
import { startFakeOpenAi } from '../helpers/fake-openai.js';
import { tmp } from '../helpers/runner-fixtures.js';

describe('redteam run: missing input files fail fast, before the run store', () => {
  it('a missing goal file: one line, exit 2, no run.sqlite; a plain rerun works once the file exists', async () => {
    const server = await startFakeOpenAi({ answer: () => "I'm sorry, I can't help with that." });
    try {
      const dir = tmp();
      const cfg = join(dir, 'run.yaml');
      writeFileSync(
        cfg,
        `target: { type: openai, baseUrl: ${server.url}, model: fake }
goals: [{ file: data/goals.jsonl }]
attacks: [direct]
judges: { judges: [keywords] }
runner: { cache: false }
`,
      );
      const out = join(dir, 'run');
      const r = await redteamCli(['run', cfg, '--out', out, '--quiet']);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain(`goals[0]: goal file not found: ${join(dir, 'data', 'goals.jsonl')}`);
      expect(r.err).toContain(`resolved against its folder, ${dir}`);
      expect(existsSync(join(out, 'run.sqlite'))).toBe(false);

      const { mkdirSync } = await import('node:fs');
      mkdirSync(join(dir, 'data'));
      writeFileSync(join(dir, 'data', 'goals.jsonl'), `${JSON.stringify({ goal: 'synthetic goal' })}\n`);
      const again = await redteamCli(['run', cfg, '--out', out, '--quiet']);
      expect(again.err).toBe('');
      expect(again.code).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('a missing replay file: fails before anything is written', async () => {
    const dir = tmp();
    const cfg = join(dir, 'run.yaml');
    writeFileSync(
      cfg,
      `target: { type: replay, path: ../elsewhere/rec.json, onMiss: empty }
goals: [jbb]
attacks: [direct]
runner: { cache: false }
`,
    );
    const out = join(dir, 'run');
    const r = await redteamCli(['run', cfg, '--out', out, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`target.path: replay file not found: ${join(dir, '..', 'elsewhere', 'rec.json')}`);
    expect(existsSync(out)).toBe(false);
  });

  it('the starter explains that paths are relative to the config file and must point at your data', () => {
    expect(REDTEAM_STARTER_CONFIG).toMatch(/resolved against THIS FILE's folder/);
    expect(REDTEAM_STARTER_CONFIG).toMatch(/point "path" at your copy/);
  });
});

describe('redteam run: the gate fails when nothing was judged', () => {
  it('every request fails (closed port): exit 1, the gate says the metric has no data', async () => {
    const server = await startFakeOpenAi({ answer: () => 'x' });
    const url = server.url;
    await server.close(); // now a closed port
    const dir = tmp();
    const cfg = join(dir, 'run.yaml');
    writeFileSync(
      join(dir, 'goals.jsonl'),
      ['a', 'b'].map((g) => JSON.stringify({ goal: `synthetic ${g}` })).join('\n'),
    );
    writeFileSync(
      cfg,
      `target: { type: openai, baseUrl: ${url}, model: fake }
goals: [{ file: goals.jsonl }]
attacks: [direct]
judges: { judges: [keywords] }
runner: { cache: false, retries: { maxAttempts: 1, baseMs: 1, capMs: 1 } }
failIf: "asr>0.05"
`,
    );
    const r = await redteamCli(['run', cfg, '--out', join(dir, 'run'), '--quiet']);
    expect(JSON.parse(r.out.trim()).counts).toMatchObject({ items: 2, failed: 2, done: 0 });
    expect(r.err).toContain('gate failed: asr>0.05: asr = no data (n = 0): every item failed (2 errors)');
    expect(r.code).toBe(1);
  });
});
