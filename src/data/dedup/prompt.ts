/**
 * The prompt part of multi-part records (prompt + response, chat, preference) in a sketch: the distinct
 * word hashes of the prompt, the `k` smallest kept (a bottom-k sketch; the whole word set of a prompt
 * with at most `k` distinct words), each stored as its top 16 bits (which keeps their order), ascending.
 *
 * Why a word set and a difference in words, not a Jaccard threshold: templated prompts ("I am preparing
 * a talk for a busy executive. Can you …?") share most of their words while asking different things,
 * and an edited copy of a ten-word prompt can lose a third of its Jaccard similarity with two edits.
 * Counting the words that differ tells them apart: edited copies differ in a few words, different
 * questions in their whole topic.
 */

let scratch = new Uint32Array(256);

/**
 * Writes the bottom-`k` of the first `n` word hashes into `out` at `at` (`2 * k` bytes, unused entries
 * 0xffff) and returns the number of distinct hashes.
 */
export function writePromptWords(words: Int32Array, n: number, k: number, out: Uint8Array, at: number): number {
  if (scratch.length < n) scratch = new Uint32Array(Math.max(n, scratch.length * 2));
  const s = scratch.subarray(0, n);
  for (let i = 0; i < n; i++) s[i] = words[i] >>> 0;
  s.sort();
  let distinct = 0;
  let kept = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && s[i] === s[i - 1]) continue;
    distinct++;
    if (kept < k) {
      const v = s[i] >>> 16;
      out[at + 2 * kept] = v & 0xff;
      out[at + 2 * kept + 1] = v >>> 8;
      kept++;
    }
  }
  for (let j = kept; j < k; j++) {
    out[at + 2 * j] = 0xff;
    out[at + 2 * j + 1] = 0xff;
  }
  return distinct;
}

function u16(buf: Uint8Array, at: number): number {
  return buf[at] | (buf[at + 1] << 8);
}

/**
 * How many words two prompt word sets differ in (symmetric difference), from their bottom-k lists and
 * distinct counts (`sizeA`, `sizeB`, capped at 255): exact when both sets fit in `k` (up to 16-bit
 * collisions), else estimated from the Jaccard similarity of the union's bottom k.
 */
export function promptWordDifference(
  a: Uint8Array,
  aAt: number,
  sizeA: number,
  b: Uint8Array,
  bAt: number,
  sizeB: number,
  k: number,
): number {
  const la = Math.min(k, sizeA);
  const lb = Math.min(k, sizeB);
  let i = 0;
  let j = 0;
  let both = 0;
  if (sizeA <= k && sizeB <= k) {
    while (i < la && j < lb) {
      const x = u16(a, aAt + 2 * i);
      const y = u16(b, bAt + 2 * j);
      if (x === y) {
        both++;
        i++;
        j++;
      } else if (x < y) i++;
      else j++;
    }
    return sizeA + sizeB - 2 * both;
  }
  // The k smallest of the union; the share found in both estimates the Jaccard similarity.
  let taken = 0;
  while (taken < k && (i < la || j < lb)) {
    const x = i < la ? u16(a, aAt + 2 * i) : 0x10000;
    const y = j < lb ? u16(b, bAt + 2 * j) : 0x10000;
    if (x === y) {
      both++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
    taken++;
  }
  const jaccard = taken === 0 ? 1 : both / taken;
  return ((sizeA + sizeB) * (1 - jaccard)) / (1 + jaccard);
}

/** Whether two prompt parts are alike: they differ in at most max(3, `diff` × their mean size) words. */
export function promptsAlike(difference: number, sizeA: number, sizeB: number, diff: number): boolean {
  return difference <= Math.max(3, (diff * (sizeA + sizeB)) / 2);
}
