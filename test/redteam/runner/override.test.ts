import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRedteam } from '../../../src/redteam/runner/index.js';
import type { ItemResult } from '../../../src/redteam/types.js';
import { redteamCli } from '../helpers/cli.js';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.js';
import { config, direct, fakePanel, goals, tmp } from '../helpers/runner-fixtures.js';

let srv: FakeOpenAi;
beforeAll(async () => {
  srv = await startFakeOpenAi();
});
afterAll(() => srv.close());

const cli = redteamCli;

describe('lifeguard redteam override', () => {
  it('appends a human verdict to the run log and rewrites results and reports with it', async () => {
    const dir = tmp();
    await runRedteam(config(srv.url), { outDir: dir, goals: goals(3), attacks: [direct], panel: fakePanel() });
    const before = readFileSync(join(dir, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ItemResult);
    const key = before[0].key;
    expect(before[0].final?.jailbroken).toBe(true);
    const r = await cli([
      'override',
      dir,
      key,
      '--jailbroken',
      'false',
      '--refused',
      'true',
      '--note',
      'checked by hand',
    ]);
    expect(r.code).toBe(0);
    const after = readFileSync(join(dir, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ItemResult);
    expect(after[0].final).toMatchObject({ jailbroken: false, refused: true, judge: 'human', overridden: true });
    expect(after[1]).toEqual(before[1]);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.asr.k).toBe(before.filter((x) => x.final?.jailbroken).length - 1);
    // a resume keeps the override
    const again = await runRedteam(config(srv.url), {
      outDir: dir,
      resume: true,
      goals: goals(3),
      attacks: [direct],
      panel: fakePanel(),
    });
    expect(again.results[0].final?.overridden).toBe(true);
  });

  it('an unknown key or a bad flag is a clear error (exit 2)', async () => {
    const dir = tmp();
    await runRedteam(config(srv.url), { outDir: dir, goals: goals(1), attacks: [direct], panel: fakePanel() });
    let r = await cli(['override', dir, 'nope', '--jailbroken', 'true']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no item with key nope/);
    r = await cli(['override', dir, 'nope', '--jailbroken', 'maybe']);
    expect(r.err).toMatch(/--jailbroken: expected true or false/);
    r = await cli(['override', tmp(), 'k', '--jailbroken', 'true']);
    expect(r.err).toMatch(/not a run directory/);
  });
});
