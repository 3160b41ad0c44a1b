/** The stream's hold on suspicion: text a blocking classifier is close to flagging is held until a check decides. */
import { describe, expect, it } from 'vitest';
import { createGuard } from '../../src/guard/index.js';

/** Scores about 0.5 with `harmful` v9: over 0.15 × the test's threshold, under the threshold itself. */
const SUSPECT =
  "To get into your neighbour's house while they are away, first check the back windows, then use a crowbar on the latch. ";
const BENIGN = 'Water the tomatoes in the morning and mulch the beds so the soil stays moist through the afternoon. ';

async function streamed(holdAbove: number, text: string, threshold = 0.95) {
  // A threshold the answer never reaches: nothing is blocked, so only the hold decides what goes out early.
  const guard = createGuard({ output: [{ check: 'harmful', action: 'block', threshold }], stream: { holdAbove } });
  const s = guard.stream();
  let early = '';
  for (let i = 0; i < text.length; i += 20) early += (await s.push(text.slice(i, i + 20))).text;
  const end = await s.end();
  return { early, all: early + end.text, stopped: end.stopped !== undefined };
}

describe('stream.holdAbove', () => {
  it('holds an answer whose score nears the threshold until the end decides, then releases it whole', async () => {
    const text = SUSPECT.repeat(4);
    const held = await streamed(0.15, text);
    expect(held.early).toBe('');
    expect(held.stopped).toBe(false);
    expect(held.all).toBe(text);
    // Without the hold, most of it went out as it came.
    const open = await streamed(0, text);
    expect(open.early.length).toBeGreaterThan(text.length / 2);
    expect(open.all).toBe(text);
  });

  it('streams an ordinary answer as it comes', async () => {
    const text = BENIGN.repeat(8);
    const r = await streamed(0.15, text, undefined);
    expect(r.early.length).toBeGreaterThan(text.length - 300);
    expect(r.all).toBe(text);
  });

  it('reads a long held answer in linear time: a long hold is judged on its last stretch', async () => {
    const guard = createGuard({ output: [{ check: 'harmful', action: 'block', threshold: 0.95 }] });
    let read = 0;
    const checkText = guard.checkText.bind(guard);
    guard.checkText = (stage, text, ...rest) => {
      read += text.length;
      return checkText(stage, text, ...rest);
    };
    const text = SUSPECT.repeat(200); // 24 KB, held from start to end
    const s = guard.stream();
    let early = '';
    for (let i = 0; i < text.length; i += 20) early += (await s.push(text.slice(i, i + 20))).text;
    expect(early).toBe('');
    expect(early + (await s.end()).text).toBe(text);
    // Each check reads a bounded stretch (about 2 KB every 160 characters): some 13 characters read per
    // character. Reading the whole held part at every check read about 75.
    expect(read / text.length).toBeLessThan(20);
  });

  it('is refused outside [0, 1]', () => {
    expect(() => createGuard({ stream: { holdAbove: 1.5 } })).toThrow(/holdAbove/);
  });
});
