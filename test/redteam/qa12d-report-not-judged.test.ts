/**
 * QA 12d: `redteam report --fail-if` on the directory of a run made with `judges: false` failed the gate with
 * "no data" (exit 1), as if the model had failed: nothing in the run said it had no judges. The run's meta
 * (meta.json, summary.json's `meta`) now records `judged`; `report --fail-if` refuses a run recorded as not
 * judged (exit 2, "this run was not judged"). Older runs, without the field, keep the "no data" failure.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRedteam } from '../../src/redteam/runner/index.js';
import type { Target } from '../../src/redteam/types.js';
import { redteamCli } from './helpers/cli.js';
import { config, direct, fakePanel, goals, tmp } from './helpers/runner-fixtures.js';

const target: Target = {
  specificationVersion: 'v1',
  id: 'answering',
  async send() {
    return { text: 'an answer', toolCalls: [] };
  },
};

async function run(judged: boolean): Promise<string> {
  const dir = join(tmp(), 'run');
  const cfg = judged ? config('http://127.0.0.1:9') : { ...config('http://127.0.0.1:9'), judges: false as const };
  await runRedteam(cfg, {
    outDir: dir,
    goals: goals(3),
    attacks: [direct],
    target,
    ...(judged ? { panel: fakePanel() } : {}),
  });
  return dir;
}

const readJson = (p: string) =>
  JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown> & { meta?: Record<string, unknown> };

describe('a run records whether it was judged', () => {
  it('meta.json and summary.json say judged: false / true', async () => {
    const off = await run(false);
    expect(readJson(join(off, 'meta.json')).judged).toBe(false);
    expect(readJson(join(off, 'summary.json')).meta?.judged).toBe(false);
    const on = await run(true);
    expect(readJson(join(on, 'meta.json')).judged).toBe(true);
  });

  it('report --fail-if refuses a run that was not judged, saying so (exit 2)', async () => {
    const dir = await run(false);
    const r = await redteamCli(['report', dir, '--fail-if', 'asr>0.05', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/this run was not judged/);
    // without a gate the report is still written
    expect((await redteamCli(['report', dir, '--format', 'json'])).code).toBe(0);
  });

  it('a judged run gates as before; an old run without the field keeps the no-data failure', async () => {
    const judged = await run(true);
    expect((await redteamCli(['report', judged, '--fail-if', 'asr>1%', '--format', 'json'])).code).toBe(1);
    const old = await run(false);
    for (const f of ['meta.json', 'summary.json']) {
      const j = readJson(join(old, f));
      if (f === 'meta.json') delete j.judged;
      else delete j.meta?.judged;
      writeFileSync(join(old, f), JSON.stringify(j));
    }
    const r = await redteamCli(['report', old, '--fail-if', 'asr>0.05', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no data/);
  });
});
