import { describe, expect, it } from 'vitest';
import { IdStore } from '../../../src/data/scan/id-store.js';

describe('IdStore', () => {
  it('gives back every id by its ordinal, multi-byte ids and growth included', () => {
    const store = new IdStore();
    const ids = Array.from({ length: 20_000 }, (_, i) => (i % 7 === 0 ? `rëcord-✓-${i}` : `r${i}`));
    ids.forEach((id, i) => {
      expect(store.push(id)).toBe(i);
    });
    expect(store.length).toBe(ids.length);
    for (const i of [0, 1, 6, 7, 4095, 4096, 19_999]) expect(store.get(i)).toBe(ids[i]);
    expect(store.push('')).toBe(ids.length);
    expect(store.get(ids.length)).toBe('');
    expect(() => store.get(ids.length + 1)).toThrow(RangeError);
  });
});
