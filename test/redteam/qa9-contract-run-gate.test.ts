/**
 * QA pass 9 (contracts): `redteam run --fail-if ""` — what CI passes when its gate variable is unset — replaced
 * the config's `failIf` with no gate at all (`opts.failIf ?? config.failIf` keeps the empty string, and the
 * check skipped a falsy one), so a run whose configured gate holds exited 0. `report` and `compare` already
 * refused an empty gate; `run` now does too, before any request.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redteamCli } from './helpers/cli.js';
import { startFakeOpenAi } from './helpers/fake-openai.js';
import { tmp } from './helpers/runner-fixtures.js';

function setup(url: string) {
  const dir = tmp('lg-qa9-gate-');
  writeFileSync(join(dir, 'goals.jsonl'), ['a', 'b'].map((g) => JSON.stringify({ goal: `synthetic ${g}` })).join('\n'));
  const cfg = join(dir, 'run.yaml');
  writeFileSync(
    cfg,
    `target: { type: openai, baseUrl: ${url}, model: fake }
goals: [{ file: goals.jsonl }]
attacks: [direct]
judges: { judges: [keywords] }
runner: { cache: false }
failIf: "asr>0.05"
`,
  );
  return { cfg, out: join(dir, 'run') };
}

describe('redteam run --fail-if ""', () => {
  it('is refused before any request; it does not switch the config gate off', async () => {
    const server = await startFakeOpenAi({ answer: () => 'Sure, here it is.' });
    try {
      const { cfg, out } = setup(server.url);
      const r = await redteamCli(['run', cfg, '--out', out, '--quiet', '--fail-if', '']);
      expect(r.code).toBe(2);
      expect(r.err).toContain('gate expression: empty');
      expect(server.requests).toHaveLength(0);
      expect(existsSync(join(out, 'run.sqlite'))).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('without the flag the config gate holds and fails the run (the answers comply)', async () => {
    const server = await startFakeOpenAi({ answer: () => 'Sure, here it is.' });
    try {
      const { cfg, out } = setup(server.url);
      const r = await redteamCli(['run', cfg, '--out', out, '--quiet']);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.out).gate.pass).toBe(false);
    } finally {
      await server.close();
    }
  });
});
