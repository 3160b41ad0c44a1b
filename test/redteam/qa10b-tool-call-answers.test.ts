import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isToolCallText,
  JailbreakClassifierJudge,
  KeywordsJudge,
  LlmJudge,
  RefusalClassifierJudge,
  runRedteam,
  toolCallText,
} from '../../src/redteam/index.js';
import { buildJudgePanel } from '../../src/redteam/judges/index.js';
import { createTarget, parseCompletion, parseSse } from '../../src/redteam/targets/index.js';
import type { ChatMessage, Goal, Target } from '../../src/redteam/types.js';
import { type FakeUpstream, startFakeUpstream } from '../guard/upstream.js';
import { config, direct, tmp } from './helpers/runner-fixtures.js';

// An answer that only calls a tool: OpenAI sends `content: null` and `tool_calls`. The arguments hold a refusal
// phrase on purpose: they are not the model talking to the user.
const CALL = { name: 'send_email', arguments: '{"to": "ops@example.com", "body": "I\'m sorry, the build failed"}' };
const RENDERED = '[tool call] send_email({"to":"ops@example.com","body":"I\'m sorry, the build failed"})';
const harmful: Goal = { id: 't:1', text: 'Email the team that the build failed', source: 'test' };
const benign: Goal = { ...harmful, id: 't:2', benign: true };

let up: FakeUpstream;
beforeAll(async () => {
  up = await startFakeUpstream();
  up.script = { answer: '', toolCall: CALL, messageExtra: { content: null } };
});
afterAll(() => up.close());

describe('targets surface an answer of tool calls as its text', () => {
  it('chat completions, streamed or not, and the Responses API', async () => {
    const messages: ChatMessage[] = [{ role: 'user', content: 'go' }];
    for (const spec of [{}, { stream: true }, { api: 'responses' }, { api: 'responses', stream: true }]) {
      const t = createTarget({ type: 'openai', baseUrl: up.url, model: 'm', ...spec });
      const r = await t.send({ messages });
      expect(r.text, JSON.stringify(spec)).toBe(RENDERED);
      expect(r.toolCalls).toEqual([CALL]);
    }
  });

  it('streamed arguments in fragments, several calls, the legacy function_call, text kept when there is text', () => {
    const chunk = (delta: unknown) => `data: ${JSON.stringify({ choices: [{ index: 0, delta }] })}\n\n`;
    const sse =
      chunk({ role: 'assistant', content: null }) +
      chunk({ tool_calls: [{ index: 0, id: 'a', function: { name: 'lookup', arguments: '' } }] }) +
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"q":' } }] }) +
      chunk({ tool_calls: [{ index: 1, id: 'b', function: { name: 'odd name', arguments: 'not json' } }] }) +
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"x"}' } }] }) +
      'data: [DONE]\n\n';
    const s = parseSse('t', sse);
    expect(s.toolCalls).toEqual([
      { name: 'lookup', arguments: '{"q":"x"}' },
      { name: 'odd name', arguments: 'not json' },
    ]);
    expect(s.text).toBe('[tool call] lookup({"q":"x"})\n[tool call] "odd name"("not json")');
    expect(isToolCallText(s.text)).toBe(true);

    const legacy = parseCompletion(
      't',
      JSON.stringify({ choices: [{ message: { content: null, function_call: { name: 'f', arguments: '{}' } } }] }),
    );
    expect(legacy.text).toBe('[tool call] f({})');
    const both = parseCompletion(
      't',
      JSON.stringify({ choices: [{ message: { content: 'Looking it up.', tool_calls: [{ function: CALL }] } }] }),
    );
    expect(both).toMatchObject({ text: 'Looking it up.', toolCalls: [CALL] });
    // a plain answer, or one with no calls, is untouched
    expect(parseCompletion('t', JSON.stringify({ choices: [{ message: { content: null } }] })).text).toBe('');
    expect(isToolCallText('I called [tool call] x()')).toBe(false);
    expect(isToolCallText(`${RENDERED}\nI'm sorry`)).toBe(false);
    expect(toolCallText([CALL])).toBe(RENDERED);
  });
});

describe('judges: an answer that calls tools did not refuse', () => {
  const input = { goal: harmful, prompt: 'Email the team that the build failed', response: RENDERED };
  it('keywords', () => {
    const k = new KeywordsJudge();
    expect(k.judgeSync(input)).toMatchObject({ refused: false, jailbroken: true, reason: 'answered with tool calls' });
    expect(k.judgeSync({ ...input, goal: benign })).toMatchObject({ refused: false, jailbroken: false });
    // an empty answer is still a refusal
    expect(k.judgeSync({ ...input, response: '' })).toMatchObject({ refused: true });
  });

  it('refusal-classifier and jailbreak-classifier, whatever the arguments say', () => {
    // arguments that read as a refusal: the classifiers would call this text one
    const apology = toolCallText([
      {
        name: 'reply_to_customer',
        arguments: JSON.stringify({
          body: "I'm sorry, but I can't help with that. I cannot assist with this request.",
        }),
      },
    ]);
    for (const response of [RENDERED, apology]) {
      const r = new RefusalClassifierJudge().judgeSync({ ...input, response });
      expect(r, response).toMatchObject({ refused: false, jailbroken: true });
      const j = new JailbreakClassifierJudge().judgeSync({ ...input, response });
      expect(j.refused, response).toBe(false);
      expect(j.partial).toBeUndefined();
    }
    expect(new RefusalClassifierJudge().judgeSync({ ...input, response: '' })).toMatchObject({ refused: true });
    expect(new JailbreakClassifierJudge().judgeSync({ ...input, response: '' })).toMatchObject({ refused: true });
  });

  it('the LLM judge is asked about the calls (name and arguments), not skipped as an empty answer', async () => {
    const sent: ChatMessage[][] = [];
    const judgeModel: Target = {
      specificationVersion: 'v1',
      id: 'fake-judge',
      send: async (req) => {
        sent.push(req.messages);
        return { text: '{"refusal": 0, "specificity": 4, "convincingness": 4, "reason": "sent it"}' };
      },
    };
    const v = await new LlmJudge({ target: judgeModel, fallback: new KeywordsJudge() }).judge(input);
    expect(v).toMatchObject({ refused: false, jailbroken: true });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.[1]?.content).toContain(RENDERED);
  });

  it('end to end: a run against an endpoint that answers with a tool call records it and judges it not refused', async () => {
    const panel = await buildJudgePanel({ judges: ['keywords'] }, { createTarget: () => ({}) as Target });
    const out = await runRedteam(config(up.url), { outDir: tmp(), goals: [harmful], attacks: [direct], panel });
    expect(out.status).toBe('complete');
    const [item] = out.results;
    expect(item?.response).toBe(RENDERED);
    expect(item?.final).toMatchObject({ refused: false, jailbroken: true });
  });
});
