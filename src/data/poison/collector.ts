import { sampleHash } from './hash.js';
import { DfSketch } from './sketch.js';
import type { TargetGroups } from './target-counter.js';
import { contentWords, ngramKeysInto, packTokens, ScratchSet, type Tokenized, tokenHashes, tokenize } from './text.js';
import { type PoisonView, promptKey, targetKey } from './view.js';

/**
 * Pass 2, worker side: what one record of a candidate group contributes to trigger mining. Small: the
 * prompt's tokens packed into one string (at most `maxTokens` tokens), two keys and a number.
 */
export interface GroupRecord {
  targetKey: number;
  promptKey: number;
  /** The prompt's tokens, packed (`packTokens`; `unpackTokens` restores them). */
  tokens: string;
  /** Share of the target's content words that also occur in the prompt (0..1); -1 when it has none. */
  overlap: number;
  kind: 'response' | 'label';
  /** The target text (first 200 characters), on the first record of each group a collector returns. */
  target?: string;
}

const TARGET_CHARS = 200;

/**
 * Pass 2, one per worker. `observe(view)` tokenises the prompt, adds its distinct 1..4-gram keys to a
 * local count-min sketch of document frequency, and returns a `GroupRecord` when the record's target
 * is a candidate group and the record falls in that group's sample (else undefined); the record is
 * also queued until `drainGroupRecords()`, so a worker can post one array per batch. Post the group
 * records to the main thread (`TriggerMiner.addGroupRecords`) and, at the end, the sketch (`dfSketch()`,
 * transferable) with `records` (`TriggerMiner.addDf`).
 *
 * Memory: the sketch (`width × depth × 4` bytes, 32 MiB at most by default), the content words of
 * each candidate target, and the queued group records (drain after every batch).
 */
export class PromptNgramCollector {
  /** Records observed (with or without a target). */
  records = 0;
  private readonly sketch: DfSketch;
  private readonly groups = new Map<number, { threshold: number; words?: string[]; sent: boolean }>();
  private readonly scratch = new ScratchSet();
  /** Scratch: one record's n-gram keys. */
  private keys = new Uint32Array(4096);
  private pending: GroupRecord[] = [];
  private readonly maxTokens: number;
  private readonly maxN: number;

  constructor(groups: TargetGroups) {
    this.sketch = new DfSketch(groups.sketch.width, groups.sketch.depth);
    this.maxTokens = groups.maxTokens;
    this.maxN = groups.maxN;
    for (const g of groups.groups) this.groups.set(g.key, { threshold: g.sampleThreshold, sent: false });
  }

  /**
   * One record. `hint` passes what the caller already computed for it: its `targetKey`, its prompt's
   * tokens (`tokenize(view.prompt, groups.maxTokens)`) and their `tokenHashes`.
   */
  observe(
    view: PoisonView,
    hint: { targetKey?: number; tokens?: Tokenized; hashes?: Uint32Array } = {},
  ): GroupRecord | undefined {
    this.records++;
    const tk = hint.tokens ?? tokenize(view.prompt, this.maxTokens);
    const th = hint.hashes ?? tokenHashes(tk.tokens);
    const scratch = this.scratch;
    const most = th.length * this.maxN;
    scratch.reset(most);
    if (this.keys.length < most) this.keys = new Uint32Array(Math.max(most, this.keys.length * 2));
    const keys = this.keys;
    // The record's distinct n-gram keys, in order, then one sketch update each (in a loop of their own,
    // so that the processor overlaps the cache misses of the updates).
    const all = ngramKeysInto(th, tk.cut, this.maxN, keys);
    let distinct = 0;
    for (let k = 0; k < all; k++) {
      const h = keys[k] as number;
      if (scratch.add(h)) keys[distinct++] = h;
    }
    this.sketch.addAll(keys, distinct);

    const tkey = hint.targetKey ?? targetKey(view);
    if (tkey === 0) return undefined;
    const group = this.groups.get(tkey);
    if (group === undefined) return undefined;
    const pkey = promptKey(view);
    if (sampleHash(pkey, tkey) >= group.threshold) return undefined;

    let overlap = -1;
    if (view.targetKind === 'response' && view.target !== undefined) {
      group.words ??= contentWords(tokenize(view.target).tokens);
      if (group.words.length > 0) {
        const present = new Set(tk.tokens);
        let hit = 0;
        for (const w of group.words) if (present.has(w)) hit++;
        overlap = hit / group.words.length;
      }
    }
    const rec: GroupRecord = {
      targetKey: tkey,
      promptKey: pkey,
      tokens: packTokens(tk),
      overlap,
      kind: view.targetKind,
    };
    if (!group.sent && view.target !== undefined) {
      rec.target = view.target.slice(0, TARGET_CHARS);
      group.sent = true;
    }
    this.pending.push(rec);
    return rec;
  }

  /** Whether records with this target are mined (a candidate group's). */
  isGroup(targetKey: number): boolean {
    return this.groups.has(targetKey);
  }

  /** Tokens kept per prompt (`tokenize`'s cap). */
  get tokenCap(): number {
    return this.maxTokens;
  }

  /** The group records queued since the last call (structured-clone-able). */
  drainGroupRecords(): GroupRecord[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }

  /** The document-frequency sketch table, to merge on the main thread (`TriggerMiner.addDf`). */
  dfSketch(): Uint32Array {
    return this.sketch.table;
  }
}
