import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRedteam } from '../../src/redteam/runner/index.js';
import type { ItemResult } from '../../src/redteam/types.js';
import { redteamCli } from './helpers/cli.js';
import { type FakeOpenAi, startFakeOpenAi } from './helpers/fake-openai.js';
import { config, direct, fakePanel, goals, tmp } from './helpers/runner-fixtures.js';

let srv: FakeOpenAi;
beforeAll(async () => {
  srv = await startFakeOpenAi();
});
afterAll(() => srv.close());

const results = (dir: string) =>
  readFileSync(join(dir, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ItemResult);

const junitFailures = (dir: string) => {
  const m = /<testsuites [^>]*failures="(\d+)"/.exec(readFileSync(join(dir, 'junit.xml'), 'utf8'));
  return Number(m?.[1]);
};

describe('redteam override re-renders every report the run directory holds', () => {
  it('junit.xml written by `run --format …,junit` (not in the config) is re-rendered, not left stale', async () => {
    const dir = tmp();
    // The config says formats: [json]; the run was asked for junit too (as `run --format json,junit` does).
    await runRedteam(config(srv.url), {
      outDir: dir,
      goals: goals(3),
      attacks: [direct],
      panel: fakePanel(),
      formats: ['json', 'junit'],
    });
    const before = results(dir);
    const jailbroken = before.filter((r) => r.final?.jailbroken).length;
    expect(jailbroken).toBeGreaterThan(0);
    expect(junitFailures(dir)).toBe(jailbroken);
    const key = before.find((r) => r.final?.jailbroken)!.key;

    const r = await redteamCli(['override', dir, key, '--jailbroken', 'false']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).files).toContain(join(dir, 'junit.xml'));
    expect(junitFailures(dir)).toBe(jailbroken - 1);
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).asr.k).toBe(jailbroken - 1);
  });

  it('a second override without --refused keeps the first override’s refused, not the judge’s', async () => {
    const dir = tmp();
    await runRedteam(config(srv.url), { outDir: dir, goals: goals(2), attacks: [direct], panel: fakePanel() });
    const item = results(dir).find((r) => r.final?.jailbroken && r.final.refused === false)!;
    let r = await redteamCli(['override', dir, item.key, '--jailbroken', 'false', '--refused', 'true']);
    expect(r.code).toBe(0);
    // The human changes their mind on jailbroken only; refused stays as they set it.
    r = await redteamCli(['override', dir, item.key, '--jailbroken', 'true']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ jailbroken: true, refused: true });
    const after = results(dir).find((x) => x.key === item.key)!;
    expect(after.final).toMatchObject({ jailbroken: true, refused: true, judge: 'human', overridden: true });
  });
});
