/**
 * QA pass 3, runner: resuming an interrupted multi-turn item against a server-session endpoint restarts it
 * from its first turn (as docs/redteam-runner.md says) instead of sending its next turn into a fresh
 * session; and a judge config error (an unset apiKeyEnv) stops the run before a run log is created.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedteamConfig } from '../../src/redteam/config.js';
import { runRedteam } from '../../src/redteam/runner/index.js';
import { createTarget } from '../../src/redteam/targets/index.js';
import { type FakeOpenAi, startFakeOpenAi } from './helpers/fake-openai.js';
import { config, fakePanel, goals, tmp, twoTurn } from './helpers/runner-fixtures.js';

let srv: FakeOpenAi;
let onSecondTurn: (() => void) | undefined;
beforeAll(async () => {
  srv = await startFakeOpenAi({
    answer: (p) => {
      if (p.startsWith('now:')) onSecondTurn?.();
      return `Sure: ${p}`;
    },
  });
});
afterAll(() => srv.close());

describe('resume with a server-session target', () => {
  it('restarts an interrupted multi-turn item from its first turn, in one new session', async () => {
    const dir = tmp();
    const sessionTarget = () =>
      createTarget({
        type: 'http',
        url: `${srv.origin}/session`,
        body: { prompt: '{{prompt}}', session: '{{session_id}}' },
        responsePath: '$.reply',
        session: { mode: 'server', idPath: '$.session_id' },
      });
    const cfg = config(srv.url, { runner: { concurrency: 1, graceMs: 0 } });
    const parts = { outDir: dir, goals: goals(1), attacks: [twoTurn], panel: fakePanel() };

    // first session: cut off while the second turn is in flight (its first turn is logged as answered)
    const hard = new AbortController();
    onSecondTurn = () => hard.abort();
    const first = await runRedteam(cfg, { ...parts, target: sessionTarget(), abortSignal: hard.signal });
    onSecondTurn = undefined;
    expect(first.status).toBe('interrupted');

    const resumed = await runRedteam(cfg, { ...parts, target: sessionTarget(), resume: true });
    expect(resumed.status).toBe('complete');
    const item = resumed.results[0];
    expect(item.error).toBeUndefined();
    // both turns reached the same (new) server session: the second answer is its turn 2
    expect(item.response).toMatch(/^turn 2 of s\d+: Sure: now: /);
  });
});

describe('judge config errors', () => {
  it('an unset judge apiKeyEnv fails before run.sqlite exists, so a plain rerun works once it is set', async () => {
    const dir = tmp();
    delete process.env.QA3_UNSET_JUDGE_KEY;
    const cfg = parseRedteamConfig({
      target: { type: 'openai', baseUrl: srv.url, model: 'fake' },
      goals: ['jbb'],
      attacks: ['direct'],
      judges: {
        judges: [
          { id: 'llm', target: { type: 'openai', baseUrl: srv.url, model: 'j', apiKeyEnv: 'QA3_UNSET_JUDGE_KEY' } },
        ],
      },
      runner: { cache: false },
      output: { formats: ['json'] },
    });
    await expect(runRedteam(cfg, { outDir: dir, goals: goals(1) })).rejects.toThrow(/QA3_UNSET_JUDGE_KEY/);
    expect(existsSync(join(dir, 'run.sqlite'))).toBe(false);
  });
});
