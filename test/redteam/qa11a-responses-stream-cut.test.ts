/**
 * QA 11a: a Responses API stream cut short (no `response.completed`) lost its refusal: `response.refusal.delta`
 * events were ignored, so the answer was "" (judged as an empty answer, not by the refusal the model wrote).
 * The stream is now read from what came: refusal deltas, finished output items (tool calls too).
 */
import { describe, expect, it } from 'vitest';
import { parseResponse, parseResponsesSse } from '../../src/redteam/targets/openai.js';

const ev = (o: unknown) => `event: ${(o as { type: string }).type}\ndata: ${JSON.stringify(o)}\n\n`;
const REFUSAL = "I'm sorry, but I can't help with that.";
const refusalDeltas =
  ev({ type: 'response.created', response: { status: 'in_progress', output: [] } }) +
  ev({ type: 'response.refusal.delta', item_id: 'm', output_index: 0, content_index: 0, delta: "I'm sorry, " }) +
  ev({ type: 'response.refusal.delta', item_id: 'm', output_index: 0, content_index: 0, delta: "but I can't" }) +
  ev({ type: 'response.refusal.delta', item_id: 'm', output_index: 0, content_index: 0, delta: ' help with that.' });

describe('Responses stream cut short', () => {
  it('refusal deltas are the answer when no response.completed arrives', () => {
    expect(parseResponsesSse('t', refusalDeltas).text).toBe(REFUSAL);
  });

  it('the same as the complete stream and the JSON answer say', () => {
    const message = { type: 'message', role: 'assistant', content: [{ type: 'refusal', refusal: REFUSAL }] };
    const whole = { status: 'completed', output: [message] };
    const complete = refusalDeltas + ev({ type: 'response.completed', response: whole });
    expect(parseResponsesSse('t', complete).text).toBe(REFUSAL);
    expect(parseResponse('t', JSON.stringify(whole)).text).toBe(REFUSAL);
  });

  it('text deltas win over refusal deltas; tool calls finished before the cut are kept', () => {
    const text = ev({ type: 'response.output_text.delta', delta: 'Here is the answer.' });
    expect(parseResponsesSse('t', refusalDeltas + text).text).toBe('Here is the answer.');
    const call = { type: 'function_call', name: 'lookup', arguments: '{"id":1}', call_id: 'c' };
    const calls = parseResponsesSse('t', ev({ type: 'response.output_item.done', output_index: 0, item: call }));
    expect(calls.toolCalls).toEqual([{ name: 'lookup', arguments: '{"id":1}' }]);
    expect(calls.text).toBe('[tool call] lookup({"id":1})');
    // a refusal beside a tool call is the text, as in a complete answer
    const both = parseResponsesSse(
      't',
      ev({ type: 'response.output_item.done', output_index: 0, item: call }) + refusalDeltas,
    );
    expect(both.text).toBe(REFUSAL);
    expect(both.toolCalls).toHaveLength(1);
  });

  it('a stream of only non-JSON or null data lines is still an error', () => {
    expect(() => parseResponsesSse('t', 'data: null\n\ndata: {oops\n\n')).toThrow(/no Responses events/);
  });
});
