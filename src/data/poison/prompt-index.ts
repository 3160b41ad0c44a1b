import { fmix32, nonZero } from './hash.js';
import type { InsertedPair } from './inserted.js';
import { MAX_INSERTED_TOKENS } from './inserted.js';
import { renderTokens, type Tokenized } from './text.js';

/**
 * Phrases inserted into near-identical prompts, for the streaming scan with bounded memory:
 *
 * - pass 1 (workers): each prompt of at most {@link PAIR_TOKENS} tokens gets a 64-bit key of its token
 *   sequence (`promptSequenceKey`); the main thread keeps key → target in a {@link PromptIndex}, 12 bytes
 *   a slot in a SharedArrayBuffer, so the workers can read it without a copy;
 * - pass 2 (workers, records whose target is repeated): every sequence left after deleting a run of 1–8
 *   tokens from the prompt is keyed the same way and looked up (`findInsertions`). A hit is a shorter
 *   prompt `a` somewhere in the input that is this prompt `b` minus a phrase: the pair goes to
 *   `InsertedPhraseCounter`, which asks whether the insertion switches many pairs to one target.
 *
 * Keys are polynomial hashes over the tokens' hashes in two 32-bit lanes, so the key of a sequence with
 * a run deleted comes from prefix sums in O(1). A false match needs both lanes to collide.
 */

/** Prompts up to this many tokens are paired (as in `analyzePoisoning`). */
export const PAIR_TOKENS = 128;
const BASE_A = 0x01000193;
const BASE_B = 0x5bd1e995;
const MAX_LOAD = 0.5;
/** Most slots (2^22: 48 MiB, about 2 million prompts); beyond, further prompts are not indexed. */
export const MAX_PROMPT_SLOTS = 1 << 22;

const laneB = (t: number): number => fmix32(t ^ 0x9e3779b9);

function finish(a: number, b: number, len: number): [number, number] {
  return [nonZero(fmix32(a ^ len)), fmix32((b + Math.imul(len, 0x27d4eb2f)) | 0)];
}

/** The key of a whole token sequence (token hashes as `tokenHashes` gives them). */
export function promptSequenceKey(th: ArrayLike<number>): [number, number] {
  let a = 0;
  let b = 0;
  for (let i = 0; i < th.length; i++) {
    a = (Math.imul(a, BASE_A) + (th[i] as number)) >>> 0;
    b = (Math.imul(b, BASE_B) + laneB(th[i] as number)) >>> 0;
  }
  return finish(a, b, th.length);
}

/**
 * Main thread (pass 1): prompt sequence key → the target key of its first record. Open addressing over
 * u32 triplets (key a, key b, target); a = 0 marks an empty slot. Grows by doubling up to
 * {@link MAX_PROMPT_SLOTS}; workers attach to the final buffer with {@link PromptIndex.attach}.
 */
export class PromptIndex {
  private slots: Uint32Array;
  private mask: number;
  /** Prompts held. */
  size = 0;
  /** Prompts not indexed because the index was full. */
  dropped = 0;

  private constructor(private buf: SharedArrayBuffer) {
    this.slots = new Uint32Array(buf);
    this.mask = this.slots.length / 3 - 1;
  }

  /** The shared memory to post to the workers (changes when the index grows). */
  get buffer(): SharedArrayBuffer {
    return this.buf;
  }

  static create(capacity = 1 << 16): PromptIndex {
    let n = 1 << 10;
    while (n < capacity && n < MAX_PROMPT_SLOTS) n *= 2;
    return new PromptIndex(new SharedArrayBuffer(n * 12));
  }

  /** A read-only view of an index built elsewhere (another thread). */
  static attach(buffer: SharedArrayBuffer): PromptIndex {
    return new PromptIndex(buffer);
  }

  get byteLength(): number {
    return this.slots.byteLength;
  }

  add(a: number, b: number, target: number): void {
    if (a === 0) return;
    if (this.size + 1 > (this.mask + 1) * MAX_LOAD && !this.grow()) {
      if (this.find(a, b) < 0) this.dropped++;
      return;
    }
    let i = fmix32(a ^ b) & this.mask;
    const s = this.slots;
    for (;;) {
      const at = i * 3;
      if (s[at] === 0) {
        s[at] = a;
        s[at + 1] = b;
        s[at + 2] = target;
        this.size++;
        return;
      }
      if (s[at] === a && s[at + 1] === b) return; // the first record's target stays
      i = (i + 1) & this.mask;
    }
  }

  /** Slot index of a key, or -1. */
  find(a: number, b: number): number {
    const s = this.slots;
    let i = fmix32(a ^ b) & this.mask;
    for (;;) {
      const at = i * 3;
      if (s[at] === 0) return -1;
      if (s[at] === a && s[at + 1] === b) return i;
      i = (i + 1) & this.mask;
    }
  }

  targetAt(slot: number): number {
    return this.slots[slot * 3 + 2] as number;
  }

  private grow(): boolean {
    const n = (this.mask + 1) * 2;
    if (n > MAX_PROMPT_SLOTS) return false;
    const old = this.slots;
    const next = new PromptIndex(new SharedArrayBuffer(n * 12));
    for (let at = 0; at < old.length; at += 3) {
      if (old[at] !== 0) next.add(old[at] as number, old[at + 1] as number, old[at + 2] as number);
    }
    this.buf = next.buf;
    this.slots = next.slots;
    this.mask = next.mask;
    return true;
  }
}

/** Most pairs reported for one prompt (a prompt inside many others' insertions is one signal, not many). */
const MAX_PAIRS_PER_PROMPT = 8;

/**
 * Pass 2, worker side: the pairs in which `tokens` (a whole prompt, at most {@link PAIR_TOKENS} tokens)
 * is another indexed prompt with one run of 1–8 tokens inserted. O(8 · length) look-ups.
 */
export function findInsertions(
  tokens: Tokenized,
  th: ArrayLike<number>,
  index: PromptIndex,
  target: { key: number; text?: string },
): InsertedPair[] {
  const len = th.length;
  const out: InsertedPair[] = [];
  if (len < 2 || len > PAIR_TOKENS || tokens.cut >= 0) return out;
  const pa = new Uint32Array(len + 1);
  const pb = new Uint32Array(len + 1);
  const powA = new Uint32Array(len + 1);
  const powB = new Uint32Array(len + 1);
  powA[0] = 1;
  powB[0] = 1;
  for (let i = 0; i < len; i++) {
    pa[i + 1] = (Math.imul(pa[i] as number, BASE_A) + (th[i] as number)) >>> 0;
    pb[i + 1] = (Math.imul(pb[i] as number, BASE_B) + laneB(th[i] as number)) >>> 0;
    powA[i + 1] = Math.imul(powA[i] as number, BASE_A) >>> 0;
    powB[i + 1] = Math.imul(powB[i] as number, BASE_B) >>> 0;
  }
  const seen = new Set<number>();
  for (let k = 1; k <= Math.min(MAX_INSERTED_TOKENS, len - 1); k++) {
    for (let p = 0; p + k <= len; p++) {
      const tail = len - p - k;
      const a =
        (Math.imul(pa[p] as number, powA[tail] as number) +
          (pa[len] as number) -
          Math.imul(pa[p + k] as number, powA[tail] as number)) >>>
        0;
      const b =
        (Math.imul(pb[p] as number, powB[tail] as number) +
          (pb[len] as number) -
          Math.imul(pb[p + k] as number, powB[tail] as number)) >>>
        0;
      const [ka, kb] = finish(a, b, len - k);
      const slot = index.find(ka, kb);
      if (slot < 0 || seen.has(slot)) continue;
      seen.add(slot);
      out.push({
        phrase: renderTokens(tokens, p, p + k),
        tokens: tokens.tokens.slice(p, p + k),
        targetKeyA: index.targetAt(slot),
        targetKeyB: target.key,
        targetB: target.text?.slice(0, 200),
      });
      if (out.length >= MAX_PAIRS_PER_PROMPT) return out;
    }
  }
  return out;
}
