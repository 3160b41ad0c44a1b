/**
 * QA pass 7: LLM judge endpoints bypassed the runner's accounting. `LlmJudge` called its target directly, so
 * its requests and tokens were not in `usage.run` (documented as "target, attacker and judges"), the budgets
 * (`requests`, `tokens`, `costUsd`) never saw them, and a run with an LLM judge could spend far beyond its
 * budget on judging. Now judge requests go through the runner's run log and budget: they count in
 * `usage.run` (with a `judge` part), a spent budget stops the run with status `budget`, an answer whose
 * judging the budget refused is kept (`skipped: budget (answered, not judged)`) and judged on `--resume`,
 * and a judge answer already logged is never asked again.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseRedteamConfig, type RedteamConfig } from '../../src/redteam/config.js';
import { renderHtml, renderMarkdown } from '../../src/redteam/report/index.js';
import { runRedteam } from '../../src/redteam/runner/index.js';
import type { Attack, Goal, ItemResult } from '../../src/redteam/types.js';
import { type FakeOpenAi, startFakeOpenAi } from './helpers/fake-openai.js';
import { direct, tmp } from './helpers/runner-fixtures.js';

/** The fake server's token counts: characters / 4, at least 1. */
const enc = (s: string) => Math.max(1, Math.ceil(s.length / 4));
const RUBRIC = '{"refusal": 0, "specificity": 4, "convincingness": 4, "reason": "usable detail"}';

let judge: FakeOpenAi;
let target: FakeOpenAi;
let quiet: FakeOpenAi;
beforeAll(async () => {
  // the judge endpoint answers every request with a rubric and reports usage (characters / 4)
  judge = await startFakeOpenAi({ answer: () => RUBRIC });
  // the model under test: `target` reports usage, `quiet` does not (so only the judge's tokens count)
  target = await startFakeOpenAi({ answer: (p) => `Sure, here is how: ${p}` });
  quiet = await startFakeOpenAi({ answer: (p) => `Sure, here is how: ${p}`, usage: false });
});
afterAll(async () => {
  await Promise.all([judge.close(), target.close(), quiet.close()]);
});
beforeEach(() => {
  for (const s of [judge, target, quiet]) {
    s.requests.length = 0;
    s.count = 0;
  }
});

const goalsOf = (n: number): Goal[] =>
  Array.from({ length: n }, (_, i) => ({ id: `qa7:${i}`, text: `qa7 goal number ${i}`, source: 'qa7' }));

function runConfig(url: string, over: { budget?: Record<string, unknown>; runner?: Record<string, unknown> } = {}) {
  return parseRedteamConfig({
    target: { type: 'openai', baseUrl: url, model: 'under-test' },
    goals: ['jbb'],
    attacks: ['direct'],
    judges: { judges: [{ id: 'llm', name: 'gpt-judge', target: { type: 'openai', baseUrl: judge.url, model: 'j' } }] },
    runner: { cache: false, concurrency: 1, retries: { maxAttempts: 2, baseMs: 1, capMs: 2 }, ...over.runner },
    budget: over.budget ?? {},
    output: { formats: ['json'] },
  });
}

/** What the judge endpoint saw: requests and the tokens it reported (as the fake server counts them). */
function judgeSpend(): { requests: number; prompt: number; completion: number } {
  return {
    requests: judge.requests.length,
    prompt: judge.requests.reduce((n, r) => n + enc(r.prompt), 0),
    completion: judge.requests.length * enc(RUBRIC),
  };
}

const NOT_JUDGED = 'skipped: budget (answered, not judged)';

describe('LLM judge requests count in usage.run', () => {
  it('the summary, meta.json and the outcome carry the judge part; the totals include it', async () => {
    const dir = tmp('lg-qa7-');
    const out = await runRedteam(runConfig(target.url), { outDir: dir, goals: goalsOf(4), attacks: [direct] });
    expect(out.status).toBe('complete');
    expect(out.results.every((r) => r.final?.judge === 'gpt-judge')).toBe(true);
    const j = judgeSpend();
    expect(j.requests).toBe(4);
    const targetPrompt = target.requests.reduce((n, r) => n + enc(r.prompt), 0);
    const targetCompletion = out.results.reduce((n, r) => n + (r.usage.completionTokens ?? 0), 0);
    expect(out.summary.usage.prompt_tokens).toBe(targetPrompt); // the items' own usage stays the target's

    // Before the fix: usage.run was the target's alone ({requests: 4, …}) and had no judge part.
    expect(out.summary.usage.run).toEqual({
      requests: 4 + 4,
      prompt_tokens: targetPrompt + j.prompt,
      completion_tokens: targetCompletion + j.completion,
      judge: { requests: 4, prompt_tokens: j.prompt, completion_tokens: j.completion },
    });
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
    expect(meta.usage.judge).toEqual({ requests: 4, promptTokens: j.prompt, completionTokens: j.completion });
    expect(out.spent.judge).toEqual({
      requests: 4,
      promptTokens: j.prompt,
      completionTokens: j.completion,
      costUsd: 0,
    });
    expect(out.spent.requests).toBe(8);
    const json = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(json.usage.run.judge.requests).toBe(4);
    const md = renderMarkdown(out.summary, out.results);
    expect(md).toContain('| of which LLM judge requests | 4 |');
    expect(md).toContain(`| of which LLM judge tokens (prompt / completion) | ${j.prompt} / ${j.completion} |`);
    expect(renderHtml(out.summary, out.results)).toContain('of which LLM judge requests');
  });

  it('with prices, the judge part has its cost and the run cost includes it', async () => {
    const pricing = { promptPer1k: 1, completionPer1k: 2 };
    const out = await runRedteam(runConfig(quiet.url, { budget: { pricing } }), {
      outDir: tmp('lg-qa7-'),
      goals: goalsOf(2),
      attacks: [direct],
    });
    const j = judgeSpend();
    const cost = (j.prompt / 1000) * 1 + (j.completion / 1000) * 2;
    // the target reports no usage: every token and every cent is the judge's
    expect(out.summary.usage.run?.cost).toBeCloseTo(cost, 12);
    expect(out.summary.usage.run?.judge?.cost).toBeCloseTo(cost, 12);
    expect(out.summary.usage.run?.judge?.currency).toBe('USD');
  });

  it("an interactive attack's ctx.score goes through the judge endpoint and is counted too", async () => {
    const scored: Attack = {
      specificationVersion: 'v1',
      id: 'scored',
      kind: 'interactive',
      description: 'one turn, scored by the panel',
      run: async (goal, ctx) => {
        const messages = [{ role: 'user' as const, content: `scored: ${goal.text}` }];
        const r = await ctx.target.send({ messages });
        const score = (await ctx.score?.(goal, goal.text, r.text)) ?? -1;
        return { messages, response: r.text, turns: 1, trace: { score } };
      },
    };
    const out = await runRedteam(runConfig(quiet.url), {
      outDir: tmp('lg-qa7-'),
      goals: goalsOf(3),
      attacks: [scored],
    });
    expect(out.status).toBe('complete');
    expect(judge.requests).toHaveLength(6); // one score per item, one final judging per item
    expect(out.summary.usage.run?.judge?.requests).toBe(6);
    expect(out.summary.usage.run?.requests).toBe(3 + 6);
  });
});

describe('budgets count judge requests', () => {
  it('a tokens budget is spent by judge usage alone: the run stops with status budget, no item is lost', async () => {
    const dir = tmp('lg-qa7-');
    const cfg = runConfig(quiet.url, { budget: { tokens: 100 } });
    const first = await runRedteam(cfg, { outDir: dir, goals: goalsOf(10), attacks: [direct] });
    // Before the fix: the target reports no usage, so the run completed, judging all 10 answers.
    expect(first.status).toBe('budget');
    expect(first.budget).toBe('tokens (100)');
    const j = judgeSpend();
    expect(j.requests).toBeLessThan(10);
    expect(j.prompt + j.completion).toBeGreaterThanOrEqual(100);
    expect(first.summary.usage.run?.judge).toEqual({
      requests: j.requests,
      prompt_tokens: j.prompt,
      completion_tokens: j.completion,
    });
    // every item is accounted for: judged, answered but not judged (the budget refused the judge), or skipped
    expect(first.results).toHaveLength(10);
    const judged = first.results.filter((r) => r.final !== null);
    const unjudged = first.results.filter((r) => r.final === null && r.response !== null);
    const skipped = first.results.filter((r) => r.response === null);
    expect(judged.length).toBe(j.requests);
    expect(judged.length + unjudged.length + skipped.length).toBe(10);
    expect(unjudged.length).toBeGreaterThan(0);
    for (const r of unjudged) expect(r.error).toBe(NOT_JUDGED);
    for (const r of skipped) expect(r.error).toBe('skipped: budget');
    // a budget is not an error: those items are skipped in the reports
    expect(first.summary.totals).toMatchObject({ items: 10, errors: 0, unjudged: 0 });
    expect(first.summary.totals.skipped).toBe(unjudged.length + skipped.length);
    expect(first.counts.judgeSkipped).toBe(unjudged.length);
    expect(quiet.requests).toHaveLength(judged.length + unjudged.length);

    // Resume with the same budget: nothing can be sent; nothing is lost either, and the reasons stay.
    const targetSeen = quiet.requests.map((r) => r.prompt);
    const judgeSeen = judge.requests.map((r) => r.prompt);
    const same = await runRedteam(cfg, { outDir: dir, resume: true, goals: goalsOf(10), attacks: [direct] });
    expect(same.status).toBe('budget');
    expect(quiet.requests).toHaveLength(targetSeen.length);
    expect(judge.requests).toHaveLength(judgeSeen.length);
    expect(same.results.map((r) => [r.key, r.final, r.error])).toEqual(
      first.results.map((r) => [r.key, r.final, r.error]),
    );
    expect(same.counts.judgeSkipped).toBe(unjudged.length);

    // Resume with a larger budget: no target prompt is sent twice, no verdict is lost or asked for again.
    const before = new Map(judged.map((r) => [r.key, r.final]));
    const second = await runRedteam({ ...cfg, budget: { tokens: 100_000 } } as RedteamConfig, {
      outDir: dir,
      resume: true,
      goals: goalsOf(10),
      attacks: [direct],
    });
    expect(second.status).toBe('complete');
    expect(second.results.every((r: ItemResult) => r.final !== null && r.error === undefined)).toBe(true);
    for (const [key, final] of before) expect(second.results.find((r) => r.key === key)?.final).toEqual(final);
    const targetAll = quiet.requests.map((r) => r.prompt);
    expect(new Set(targetAll).size).toBe(10);
    expect(targetAll).toHaveLength(10);
    expect(targetAll.slice(0, targetSeen.length)).toEqual(targetSeen);
    const judgeAll = judge.requests.map((r) => r.prompt);
    expect(judgeAll).toHaveLength(10); // each answer judged once over both sessions
    expect(new Set(judgeAll).size).toBe(10);
    expect(judgeAll.slice(0, judgeSeen.length)).toEqual(judgeSeen);
    // the totals span both sessions
    const all = judgeSpend();
    expect(second.summary.usage.run?.judge).toEqual({
      requests: 10,
      prompt_tokens: all.prompt,
      completion_tokens: all.completion,
    });
  });

  it('a requests budget counts judge requests, and is never exceeded', async () => {
    const out = await runRedteam(runConfig(quiet.url, { budget: { requests: 5 } }), {
      outDir: tmp('lg-qa7-'),
      goals: goalsOf(6),
      attacks: [direct],
    });
    // Before the fix: 5 target requests and 5 judge requests were sent under a budget of 5.
    expect(out.status).toBe('budget');
    expect(out.budget).toBe('requests (5)');
    expect(quiet.requests.length + judge.requests.length).toBe(5);
    expect(out.summary.usage.run?.requests).toBe(5);
    expect(out.results).toHaveLength(6);
  });
});

describe('resume after a hard kill replays logged judge answers', () => {
  it('a verdict lost after its judge answered is rebuilt from the run log, nothing sent again', async () => {
    const dir = tmp('lg-qa7-');
    const cfg = runConfig(target.url);
    const first = await runRedteam(cfg, { outDir: dir, goals: goalsOf(4), attacks: [direct] });
    expect(judge.requests).toHaveLength(4);
    // What a kill leaves when it lands after the judge answered (logged) and before the verdict was committed.
    const db = new Database(join(dir, 'run.sqlite'));
    db.prepare('DELETE FROM verdicts').run();
    db.close();

    const second = await runRedteam(cfg, { outDir: dir, resume: true, goals: goalsOf(4), attacks: [direct] });
    expect(second.status).toBe('complete');
    // Before the fix: every answer was sent to the judge again (8 judge requests).
    expect(judge.requests).toHaveLength(4);
    expect(target.requests).toHaveLength(4);
    expect(second.results.map((r) => r.final)).toEqual(first.results.map((r) => r.final));
    expect(second.summary.usage.run?.judge?.requests).toBe(4);
  });

  it('judge requests a kill left unanswered are not "unanswered" target prompts: the answers are judged again', async () => {
    const dir = tmp('lg-qa7-');
    const cfg = runConfig(target.url, { runner: { resendUnanswered: false } });
    const first = await runRedteam(cfg, { outDir: dir, goals: goalsOf(3), attacks: [direct] });
    // A kill while every judge request was in flight: logged `sent`, no answer, no verdict.
    const db = new Database(join(dir, 'run.sqlite'));
    db.prepare("DELETE FROM requests WHERE role = 'judge' AND status != 'sent'").run();
    db.prepare('DELETE FROM verdicts').run();
    db.close();

    const second = await runRedteam(cfg, { outDir: dir, resume: true, goals: goalsOf(3), attacks: [direct] });
    expect(second.status).toBe('complete');
    expect(second.counts).toMatchObject({ unanswered: 0, notResent: 0, failed: 0, judgeSent: 3, sent: 0 });
    expect(target.requests).toHaveLength(3); // no target prompt sent twice
    expect(judge.requests).toHaveLength(6); // the judge's prompts, sent again (they were never answered)
    expect(second.results.map((r) => r.final)).toEqual(first.results.map((r) => r.final));
  });
});

describe('lifeguard redteam run with an LLM judge: SIGKILL midway, then --resume --no-resend', () => {
  it('no target prompt reaches the endpoint twice, and every answered item ends with a verdict', async () => {
    // the judge is slow, so the kill lands while judge requests are in flight
    const slowJudge = await startFakeOpenAi({ answer: () => RUBRIC, latencyMs: 150 });
    try {
      const dir = tmp('lg-qa7-cli-');
      writeFileSync(
        join(dir, 'goals.jsonl'),
        `${Array.from({ length: 16 }, (_, i) => JSON.stringify({ goal: `qa7 cli goal ${i}` })).join('\n')}\n`,
      );
      const cfg = join(dir, 'run.yaml');
      writeFileSync(
        cfg,
        [
          `target: { type: openai, baseUrl: ${target.url}, model: fake }`,
          'goals: [{ file: goals.jsonl }]',
          'attacks: [direct]',
          `judges: { judges: [{ id: llm, name: gpt-judge, target: { type: openai, baseUrl: ${slowJudge.url}, model: j } }] }`,
          'runner: { concurrency: 4, cache: false }',
          'budget: { tokens: 1000000 }',
          'output: { formats: [json] }',
        ].join('\n'),
      );
      const out = join(dir, 'run');
      const root = join(import.meta.dirname, '../..');
      const cli = (args: string[]) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', join(root, 'test/cli/run-cli.ts'), 'redteam', ...args],
          {
            cwd: root,
            stdio: 'pipe',
          },
        );
        let stdout = '';
        child.stdout?.on('data', (c) => {
          stdout += c;
        });
        child.stderr?.resume();
        const done = new Promise<{ code: number | null; stdout: string }>((resolve) =>
          child.on('close', (code) => resolve({ code, stdout })),
        );
        return { child, done };
      };
      const first = cli(['run', cfg, '--out', out, '--quiet']);
      const t0 = Date.now();
      while (slowJudge.count < 6) {
        if (Date.now() - t0 > 20_000) throw new Error('timed out waiting for judge requests');
        await new Promise((r) => setTimeout(r, 5));
      }
      first.child.kill('SIGKILL');
      await first.done;

      const b = await cli(['run', cfg, '--out', out, '--resume', '--no-resend', '--quiet']).done;
      expect(b.code).toBe(0);
      const outcome = JSON.parse(b.stdout.trim());
      expect(outcome.status).toBe('complete');
      // nothing reached the model under test twice
      expect([...target.promptCounts().values()].every((n) => n === 1)).toBe(true);
      const all = readFileSync(join(out, 'results.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as ItemResult);
      expect(all).toHaveLength(16);
      // an item is failed only for a target request the kill left unanswered (--no-resend), never for a judge's
      const failed = all.filter((r) => r.response === null);
      expect(failed).toHaveLength(outcome.counts.notResent);
      expect(failed.every((r) => /hard kill/.test(r.error ?? ''))).toBe(true);
      expect(all.filter((r) => r.response !== null).every((r) => r.final?.judge === 'gpt-judge')).toBe(true);
      // every judge request of both sessions is in usage.run; a request the kill caught after it was logged
      // `sent` may never have reached the endpoint, and counts (as the budget reserved it)
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
      expect(summary.usage.run.judge.requests).toBeGreaterThanOrEqual(slowJudge.count);
      expect(summary.usage.run.judge.requests).toBeLessThanOrEqual(slowJudge.count + 4);
    } finally {
      await slowJudge.close();
    }
  }, 60_000);
});
