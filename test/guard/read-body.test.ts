import { describe, expect, it } from 'vitest';
import { readBounded } from '../../src/guard/read-body.js';

/** A stream of `chunks` byte arrays that records whether it was cancelled. */
function stream(chunks: number[]): {
  body: ReadableStream<Uint8Array>;
  cancelled: () => boolean;
  pulled: () => number;
} {
  let i = 0;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(ctrl) {
      if (i < chunks.length) ctrl.enqueue(new Uint8Array(chunks[i++]).fill(97));
      else ctrl.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  return { body, cancelled: () => cancelled, pulled: () => i };
}

describe('readBounded', () => {
  it('reads a body up to the limit whole, in order', async () => {
    const s = stream([3, 4, 3]);
    const read = await readBounded(s.body, 10);
    expect(read?.size).toBe(10);
    expect(Buffer.concat(read?.parts ?? []).toString()).toBe('a'.repeat(10));
    expect(s.cancelled()).toBe(false);
  });

  it('stops at the first chunk over the limit and cancels the stream, without reading the rest', async () => {
    const s = stream([6, 6, 6, 6]);
    expect(await readBounded(s.body, 10)).toBeUndefined();
    expect(s.cancelled()).toBe(true);
    expect(s.pulled()).toBeLessThan(4);
  });

  it('gives an empty body as no parts', async () => {
    expect(await readBounded(stream([]).body, 10)).toEqual({ parts: [], size: 0 });
  });
});
