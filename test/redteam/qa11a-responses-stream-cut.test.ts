/**
 * QA 11a: a Responses API stream lost its refusal: `response.refusal.delta` events were ignored, so the answer
 * was "" (judged as an empty answer, not by the refusal the model wrote). The refusal deltas are the answer
 * when the final response carries no text.
 *
 * QA 12b changed what a stream cut short (no `response.completed` / `response.incomplete`) is: QA 11a read it
 * from what came (refusal deltas, finished output items); it is now a retryable transport error, as a chat
 * stream cut before its `finish_reason` / `[DONE]` is (a refusal or a harmful answer cut short must not be
 * judged as complete). The tests that asserted an answer from a cut stream assert that error instead.
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
const completedWithoutText = ev({ type: 'response.completed', response: { status: 'completed', output: [] } });

describe('Responses stream refusals', () => {
  it('refusal deltas are the answer when the final response carries no text', () => {
    expect(parseResponsesSse('t', refusalDeltas + completedWithoutText).text).toBe(REFUSAL);
  });

  it('a stream cut short is a retryable error, not the refusal so far (QA 12b; was: the answer)', () => {
    expect(() => parseResponsesSse('t', refusalDeltas)).toThrow(/cut off before the answer finished/);
    try {
      parseResponsesSse('t', refusalDeltas);
    } catch (e) {
      expect((e as { retryable?: boolean }).retryable).toBe(true);
    }
  });

  it('the same as the complete stream and the JSON answer say', () => {
    const message = { type: 'message', role: 'assistant', content: [{ type: 'refusal', refusal: REFUSAL }] };
    const whole = { status: 'completed', output: [message] };
    const complete = refusalDeltas + ev({ type: 'response.completed', response: whole });
    expect(parseResponsesSse('t', complete).text).toBe(REFUSAL);
    expect(parseResponse('t', JSON.stringify(whole)).text).toBe(REFUSAL);
  });

  it('text deltas win over refusal deltas; a final response without its output list is read from the events', () => {
    const text = ev({ type: 'response.output_text.delta', delta: 'Here is the answer.' });
    expect(parseResponsesSse('t', refusalDeltas + text + completedWithoutText).text).toBe('Here is the answer.');
    const call = { type: 'function_call', name: 'lookup', arguments: '{"id":1}', call_id: 'c' };
    const bare = ev({ type: 'response.completed', response: { status: 'completed' } });
    const calls = parseResponsesSse('t', ev({ type: 'response.output_item.done', output_index: 0, item: call }) + bare);
    expect(calls.toolCalls).toEqual([{ name: 'lookup', arguments: '{"id":1}' }]);
    expect(calls.text).toBe('[tool call] lookup({"id":1})');
    expect(calls.finishReason).toBe('stop');
    // a refusal beside a tool call is the text, as in a complete answer
    const both = parseResponsesSse(
      't',
      ev({ type: 'response.output_item.done', output_index: 0, item: call }) + refusalDeltas + bare,
    );
    expect(both.text).toBe(REFUSAL);
    expect(both.toolCalls).toHaveLength(1);
    // finished items before a cut are not an answer either (QA 12b; was: kept)
    expect(() =>
      parseResponsesSse('t', ev({ type: 'response.output_item.done', output_index: 0, item: call })),
    ).toThrow(/cut off/);
  });

  it('a stream of only non-JSON or null data lines is still an error', () => {
    expect(() => parseResponsesSse('t', 'data: null\n\ndata: {oops\n\n')).toThrow(/no Responses events/);
  });
});
