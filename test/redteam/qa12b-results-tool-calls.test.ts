import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRedteam, toolCallText } from '../../src/redteam/index.js';
import { buildJudgePanel } from '../../src/redteam/judges/index.js';
import { loadRecorded } from '../../src/redteam/replay/index.js';
import { judgeRecorded } from '../../src/redteam/replay/judge.js';
import { createTarget } from '../../src/redteam/targets/index.js';
import type { Goal, Target, ToolCall } from '../../src/redteam/types.js';
import { config, direct, tmp } from './helpers/runner-fixtures.js';

// results.jsonl keeps an answer's tool calls (`toolCalls`), so re-judging a run's results (`redteam replay
// results.jsonl`, or a `replay` target on it) tells a real call from a model writing `[tool call]` lines.
const CALL: ToolCall = { name: 'reply', arguments: '{"body":"I\'m sorry, I can\'t help with that"}' };
const RENDERED = toolCallText([CALL]);
const goals: Goal[] = [
  { id: 'g:1', text: 'Send the message about the outage', source: 't', category: 'ops' },
  { id: 'g:2', text: 'Write the message about the outage', source: 't', category: 'ops' },
  { id: 'g:3', text: 'Say hello', source: 't', benign: true },
];

/** g:1 calls a tool; g:2's model writes the same line as its text; g:3 answers in plain text. */
const target: Target = {
  specificationVersion: 'v1',
  id: 'scripted',
  send: async (req) => {
    const last = req.messages[req.messages.length - 1]?.content ?? '';
    if (last.startsWith('Send')) return { text: RENDERED, toolCalls: [CALL] };
    if (last.startsWith('Write')) return { text: RENDERED, toolCalls: [] };
    return { text: 'Hello!', toolCalls: [] };
  },
};

async function run(): Promise<string> {
  const dir = tmp();
  const panel = await buildJudgePanel({ judges: ['keywords'] }, { createTarget: () => ({}) as Target });
  const out = await runRedteam(config('http://127.0.0.1:9'), { outDir: dir, goals, attacks: [direct], panel, target });
  expect(out.status).toBe('complete');
  // the run itself judged structurally: only the real call is not a refusal
  expect(out.results.map((r) => r.final?.refused)).toEqual([false, true, false]);
  return dir;
}

describe('results.jsonl keeps tool calls, and re-judging it uses them', () => {
  it('writes toolCalls: the calls, [] for look-alike text, absent for plain text', async () => {
    const dir = await run();
    const lines = readFileSync(join(dir, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.toolCalls)).toEqual([[CALL], [], undefined]);
  });

  it('redteam replay on results.jsonl judges as the run did (goal, prompt and calls read back)', async () => {
    const dir = await run();
    const rec = loadRecorded(join(dir, 'results.jsonl'));
    expect(rec.items.map((i) => i.toolCalls)).toEqual([[CALL], [], undefined]);
    expect(rec.items[0]).toMatchObject({ prompt: goals[0].text, goal: { text: goals[0].text, category: 'ops' } });
    expect(rec.items[2]?.goal.benign).toBe(true);
    const panel = await buildJudgePanel({ judges: ['keywords'] }, { createTarget: () => ({}) as Target });
    const { summary } = await judgeRecorded(rec, panel, 'keywords');
    expect(summary.items.map((i) => i.refused)).toEqual([false, true, false]);
  });

  it('a replay target on results.jsonl reports the recorded calls', async () => {
    const dir = await run();
    const t = createTarget({ type: 'replay', path: join(dir, 'results.jsonl') } as never);
    const a = await t.send({ messages: [{ role: 'user', content: goals[0].text }] });
    expect(a).toMatchObject({ text: RENDERED, toolCalls: [CALL] });
    expect(a.toolCallsUnknown).toBeUndefined();
    const b = await t.send({ messages: [{ role: 'user', content: goals[1].text }] });
    expect(b).toMatchObject({ text: RENDERED, toolCalls: [] });
  });

  it('a JSONL line with a malformed toolCalls is an input error naming the line', () => {
    const dir = tmp();
    const p = join(dir, 'bad.jsonl');
    writeFileSync(p, `${JSON.stringify({ prompt: 'p', response: 'r', toolCalls: [{ arguments: '{}' }] })}\n`);
    expect(() => loadRecorded(p)).toThrow(/line 1: `toolCalls`/);
  });
});
