/**
 * QA round 10d: OpenAI's refusal field. A non-streamed chat completion whose `message.refusal` holds the model's
 * refusal (structured outputs) is judged by that text; streamed, the same refusal arrives as `delta.refusal`
 * chunks, which were dropped: the answer was "" (reports showed an empty answer instead of the refusal, and a
 * refusal next to tool calls became an answer of tool calls, which no judge counts as refused).
 */
import { describe, expect, it } from 'vitest';
import { parseCompletion, parseSse } from '../../src/redteam/targets/openai.js';

const ev = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
const REFUSAL = "I'm sorry, I can't help with that.";

describe('a streamed refusal is the answer, as a non-streamed one is', () => {
  it('delta.refusal chunks are joined into the answer text', () => {
    const body =
      ev({ choices: [{ delta: { role: 'assistant', content: null, refusal: '' } }] }) +
      ev({ choices: [{ delta: { refusal: "I'm sorry, " } }] }) +
      ev({ choices: [{ delta: { refusal: "I can't help with that." } }] }) +
      ev({ choices: [{ delta: {}, finish_reason: 'stop' }] }) +
      'data: [DONE]\n\n';
    const whole = parseCompletion(
      't',
      JSON.stringify({ choices: [{ message: { content: null, refusal: REFUSAL }, finish_reason: 'stop' }] }),
    );
    expect(whole.text).toBe(REFUSAL);
    expect(parseSse('t', body)).toEqual(whole);
  });

  it('with tool calls beside it, the refusal is the text (as parseCompletion has it)', () => {
    const call = { index: 0, id: 'c', type: 'function', function: { name: 'search', arguments: '{}' } };
    const body =
      ev({ choices: [{ delta: { tool_calls: [call] } }] }) +
      ev({ choices: [{ delta: { refusal: REFUSAL }, finish_reason: 'stop' }] });
    const r = parseSse('t', body);
    expect(r.text).toBe(REFUSAL);
    expect(r.toolCalls).toEqual([{ name: 'search', arguments: '{}' }]);
  });

  it('content wins over a refusal, as in parseCompletion', () => {
    const body =
      ev({ choices: [{ delta: { content: 'Here it is.' } }] }) +
      ev({ choices: [{ delta: { refusal: 'x' } }] }) +
      // complete: a stream cut off before its finish_reason / [DONE] is an error since QA 12b
      'data: [DONE]\n\n';
    expect(parseSse('t', body).text).toBe('Here it is.');
  });
});
