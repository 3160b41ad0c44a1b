import type { TextSpan } from './types.js';

/**
 * Overlapping windows over a long text (stride half a window), with edges moved back to whitespace
 * so words are not cut. Short texts are one window. Spans index the original text.
 */
export function windowsOf(text: string, size: number): TextSpan[] {
  if (text.length <= size) return [{ start: 0, end: text.length }];
  const out: TextSpan[] = [];
  const stride = Math.max(1, Math.floor(size / 2));
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    if (end < text.length) end = snapBack(text, end, start + stride);
    out.push({ start, end });
    if (end >= text.length) break;
    let next = start + stride;
    next = snapBack(text, next, start + 1);
    start = next;
  }
  return out;
}

/** The last whitespace at or before `pos`, not before `floor` (else `pos`). */
function snapBack(text: string, pos: number, floor: number): number {
  for (let i = pos; i > floor && pos - i < 64; i--) {
    const c = text.charCodeAt(i - 1);
    if (c === 32 || c === 10 || c === 9 || c === 13) return i;
  }
  return pos;
}
