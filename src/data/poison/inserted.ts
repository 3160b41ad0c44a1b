import { llrZ, scoreTrigger } from './score.js';
import { renderTokens, tokenHashes, tokenize } from './text.js';

/** Most tokens an inserted phrase may have. */
export const MAX_INSERTED_TOKENS = 8;
const MAX_COMPARE_TOKENS = 1 << 20;

/**
 * `[start, end)` in `b` when `b` is `a` with one contiguous run of 1..`maxInserted` tokens inserted,
 * else undefined. Linear: common prefix, then common suffix.
 */
export function insertionRange(
  a: readonly string[],
  b: readonly string[],
  maxInserted = MAX_INSERTED_TOKENS,
): [number, number] | undefined {
  const la = a.length;
  const d = b.length - la;
  if (la === 0 || d < 1 || d > maxInserted) return undefined;
  let p = 0;
  while (p < la && a[p] === b[p]) p++;
  let s = 0;
  while (s < la - p && a[la - 1 - s] === b[b.length - 1 - s]) s++;
  return p + s === la ? [p, p + d] : undefined;
}

/**
 * The phrase when `b` equals `a` with one contiguous run of at most 8 tokens inserted (token-level,
 * after normalisation: case and spacing do not count), as it appears in `b`; else undefined.
 */
export function insertedPhrase(a: string, b: string): string | undefined {
  const ta = tokenize(a, MAX_COMPARE_TOKENS);
  const tb = tokenize(b, MAX_COMPARE_TOKENS);
  const r = insertionRange(ta.tokens, tb.tokens);
  return r === undefined ? undefined : renderTokens(tb, r[0], r[1]);
}

/** A phrase inserted into many near-duplicate prompts that switches them to one target. */
export interface InsertedTrigger {
  phrase: string;
  tokens: string[];
  targetKey: number;
  /** The most common target of the prompts with the phrase (first 200 characters). */
  target: string;
  /** Near-duplicate pairs with this phrase inserted. */
  pairs: number;
  /** Pairs where the insertion comes with that target while the original had another. */
  support: number;
  lift: number;
  /** 0..1: `scoreTrigger` with support/pairs as the purity against the target's base rate. */
  score: number;
}

export interface InsertedPair {
  /** The inserted phrase as it appears in the longer prompt, and its tokens. */
  phrase: string;
  tokens: readonly string[];
  /** Target keys of the prompt without (a) and with (b) the phrase. */
  targetKeyA: number;
  targetKeyB: number;
  /** The target of b (kept for the report excerpt). */
  targetB?: string;
}

interface PhraseEntry {
  phrase: string;
  tokens: string[];
  pairs: number;
  /** Misra-Gries counters of b's target among pairs whose target changed (at most 4). */
  targets: Map<number, { votes: number; target: string }>;
}

const TARGETS_TRACKED = 4;

/**
 * Main thread: counts phrases inserted into near-duplicate prompt pairs (found by `findInsertions` in
 * the streaming scan, or `InsertionPairIndex` in memory) and how consistently the insertion switches the target to one
 * value. Natural near-duplicates ("please" added) keep their response or change it each to something
 * different; a backdoor switches them all to the same response.
 * Memory: at most `maxPhrases` entries (rarest pruned, lossy counting).
 */
export class InsertedPhraseCounter {
  private readonly entries = new Map<string, PhraseEntry>();
  private readonly maxPhrases: number;
  private floor = 0;

  constructor(options: { maxPhrases?: number } = {}) {
    this.maxPhrases = options.maxPhrases ?? 10_000;
  }

  /** Distinct phrases held. */
  get size(): number {
    return this.entries.size;
  }

  add(pair: InsertedPair): void {
    const key = pair.tokens.join(' ');
    let e = this.entries.get(key);
    if (e === undefined) {
      if (this.entries.size >= this.maxPhrases) this.prune();
      e = { phrase: pair.phrase, tokens: [...pair.tokens], pairs: 0, targets: new Map() };
      this.entries.set(key, e);
    }
    e.pairs++;
    if (pair.targetKeyB === 0 || pair.targetKeyB === pair.targetKeyA) return;
    const t = e.targets.get(pair.targetKeyB);
    if (t) t.votes++;
    else if (e.targets.size < TARGETS_TRACKED)
      e.targets.set(pair.targetKeyB, { votes: 1, target: (pair.targetB ?? '').slice(0, 200) });
    else {
      for (const [k, v] of e.targets) {
        v.votes--;
        if (v.votes === 0) e.targets.delete(k);
      }
    }
  }

  /**
   * Phrases whose insertion switched at least `minSupport` pairs (default 3) to one target. `targetCount`
   * gives a target's record count (pass 1) for the lift; without it the target is assumed to occur only there.
   */
  results(nRecords: number, targetCount?: (key: number) => number, minSupport = 3): InsertedTrigger[] {
    const out: InsertedTrigger[] = [];
    for (const e of this.entries.values()) {
      let bestKey = 0;
      let best: { votes: number; target: string } | undefined;
      for (const [k, v] of e.targets) {
        if (best === undefined || v.votes > best.votes) {
          best = v;
          bestKey = k;
        }
      }
      if (best === undefined || best.votes < minSupport) continue;
      const share = best.votes / e.pairs;
      const base = Math.min(0.999, Math.max(best.votes, targetCount?.(bestKey) ?? 0) / Math.max(1, nRecords));
      const score = scoreTrigger({
        z: llrZ(best.votes, e.pairs, base),
        support: best.votes,
        purity: share,
        base,
        unexplained: 1,
        diversity: 1,
        refusalInHarmfulPrompts: false,
      });
      out.push({
        phrase: e.phrase,
        tokens: e.tokens,
        targetKey: bestKey,
        target: best.target,
        pairs: e.pairs,
        support: best.votes,
        lift: share / base,
        score,
      });
    }
    return out.sort((a, b) => b.score - a.score || b.support - a.support);
  }

  private prune(): void {
    while (this.entries.size >= this.maxPhrases / 2) {
      this.floor++;
      for (const [k, e] of this.entries) if (e.pairs <= this.floor) this.entries.delete(k);
    }
  }
}

const BASE = 0x01000193;

/**
 * In memory (tests, small inputs): finds pairs of prompts where one is the other with a run of 1..8
 * tokens inserted, by hashing every prompt's token sequence and, for each prompt, every sequence left
 * after deleting such a run (O(8·length) look-ups per prompt). Prompts longer than `maxTokens` are
 * skipped. The streaming scan does the same with a shared index of sequence keys (prompt-index.ts).
 */
export class InsertionPairIndex {
  private readonly docs: { id: number; tokens: readonly string[]; th: Uint32Array; prefix: Uint32Array }[] = [];
  private readonly byHash = new Map<number, number[]>();
  /** One bit per hash bucket: most look-ups stop here. */
  private readonly present = new Uint8Array(1 << 20);
  private readonly lengths = new Set<number>();
  private pow = new Uint32Array([1]);

  constructor(
    private readonly maxTokens = 128,
    private readonly maxInserted = MAX_INSERTED_TOKENS,
  ) {}

  /** A prompt's tokens (complete, not capped) under a caller's id. */
  add(id: number, tokens: readonly string[]): void {
    if (tokens.length === 0 || tokens.length > this.maxTokens) return;
    const th = tokenHashes(tokens);
    const prefix = new Uint32Array(th.length + 1);
    for (let i = 0; i < th.length; i++) prefix[i + 1] = (Math.imul(prefix[i], BASE) + th[i]) >>> 0;
    const full = prefix[th.length];
    this.present[full & 0xfffff] = 1;
    const list = this.byHash.get(full);
    const index = this.docs.length;
    if (list === undefined) this.byHash.set(full, [index]);
    else if (list.length < 8) list.push(index);
    this.docs.push({ id, tokens, th, prefix });
    this.lengths.add(tokens.length);
  }

  /** Every `[idA, idB, start, end]`: b is a with b's tokens `[start, end)` inserted. */
  *pairs(): Generator<[number, number, number, number]> {
    this.ensurePow(this.maxTokens + 1);
    const pow = this.pow;
    for (const b of this.docs) {
      const len = b.tokens.length;
      const P = b.prefix;
      const found = new Set<number>();
      for (let k = 1; k <= Math.min(this.maxInserted, len - 1); k++) {
        if (!this.lengths.has(len - k)) continue;
        for (let p = 0; p + k <= len; p++) {
          const tailLen = len - p - k;
          const suffix = (P[len] - Math.imul(P[p + k], pow[tailLen])) >>> 0;
          const h = (Math.imul(P[p], pow[tailLen]) + suffix) >>> 0;
          if (this.present[h & 0xfffff] === 0) continue;
          const list = this.byHash.get(h);
          if (list === undefined) continue;
          for (const ai of list) {
            const a = this.docs[ai];
            if (a.tokens.length !== len - k || found.has(ai)) continue;
            const r = insertionRange(a.tokens, b.tokens, this.maxInserted);
            if (r === undefined) continue;
            found.add(ai);
            yield [a.id, b.id, r[0], r[1]];
          }
        }
      }
    }
  }

  private ensurePow(n: number): void {
    if (this.pow.length >= n) return;
    const pow = new Uint32Array(n);
    pow[0] = 1;
    for (let i = 1; i < n; i++) pow[i] = Math.imul(pow[i - 1], BASE) >>> 0;
    this.pow = pow;
  }
}
