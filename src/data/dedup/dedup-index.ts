import { LifeguardError } from '../../core/errors.js';
import { bandKey } from './hash.js';
import {
  type DedupOptions,
  optionsFingerprint,
  type ResolvedDedupOptions,
  resolveDedupOptions,
  SKETCH_VERSION,
} from './options.js';
import { promptsAlike, promptWordDifference } from './prompt.js';
import {
  jaccardFromMatches,
  readU32,
  SKETCH_FLAG_EMPTY,
  SKETCH_FLAG_ONE_SHINGLE,
  SKETCH_FLAG_PROMPT,
  SKETCH_HEADER_BYTES,
} from './sketch.js';
import { MAX_SLOTS, RepStore, SlotTable } from './table.js';

/**
 * What `DedupIndex.add` decided for one record. `rep` (an ordinal in the caller's numbering) is always the
 * representative: the kept first record of the cluster. `similarity` is to `rep`.
 *
 * An `exact` duplicate has the same normalised text as an earlier record. Usually that is `rep` itself
 * (similarity 1); when the earliest identical record was a near duplicate of `rep`, `copyOf` names it and
 * the similarity is that of the (identical) text to `rep`.
 */
export type DedupDecision =
  | { kind: 'unique'; rep: number }
  | { kind: 'exact'; rep: number; similarity: number; copyOf?: number }
  | { kind: 'near'; rep: number; similarity: number };

/** Index options: the sketch options plus a sizing hint. */
export interface DedupIndexOptions extends DedupOptions {
  /** Expected number of representatives: tables are sized for it up front (they still grow past it). */
  expectedRepresentatives?: number;
  /** Also find near duplicates (default true). `false`: exact duplicates only, and no band tables are kept. */
  near?: boolean;
}

/** Tag bit of a representative with a prompt part; the low 8 bits hold its prompt's distinct words. */
const PROMPT_TAG = 0x100;

function promptTag(sketch: Uint8Array, offset: number): number {
  return (sketch[offset + 1] & SKETCH_FLAG_PROMPT) !== 0 ? PROMPT_TAG | sketch[offset + 2] : 0;
}

/** Most representatives kept per LSH bucket (band, key); later ones in a full bucket are not indexed in that band. */
export const BUCKET_CAP = 8;
const MAX_LOAD = 0.8;

/**
 * The main-thread half of deduplication: decides, record by record in input order, whether a sketch
 * (from `createSketcher(...).sketch`, made with the same shingle / bands / rows / seed) is unique, an
 * exact duplicate or a near duplicate of an earlier record.
 *
 * - **Ordinals.** `add(ordinal, sketch)` takes the caller's own record ordinal (a non-negative integer
 *   below 2³², strictly increasing from call to call; gaps are fine, so records that are not
 *   deduplicated — malformed, quarantined for other reasons — are simply not added). Every `rep` in a
 *   decision is such a caller ordinal. Adding out of order throws `LG_ERR_INPUT_INVALID`.
 * - **Exact first.** A record whose 64-bit exact hash equals a representative's is `exact` (similarity 1).
 *   An empty text (no words) can be an exact duplicate of an earlier empty text, never a near one.
 * - **Exact copies of near duplicates.** The exact hash of each near duplicate is kept too (the first of
 *   each text): a later record with the same text is `exact`, with `copyOf` naming that earliest
 *   identical record and `rep` still its representative (datatrove's exact-then-near order gives the
 *   same verdict). Beyond 16,777,215 such texts later ones are not remembered (their copies are `near`).
 * - **Near.** Representatives sharing at least one LSH band key are candidates; the estimated Jaccard
 *   (b-bit MinHash, `(f − 1/256) / (1 − 1/256)`) decides: at or above `threshold` it is `near`; among
 *   several, the highest similarity wins, ties going to the earliest representative.
 * - **Exact only.** With `near: false` no band tables or signatures are kept (about 25 bytes per
 *   representative) and every decision is `unique` or `exact`.
 * - **Stars.** Only `unique` records become representatives; a duplicate always points at a
 *   representative, never at another duplicate, so every cluster is its first record plus members.
 *
 * - **Prompt parts.** Two multi-part records (sketched with a prompt part) are near duplicates only when
 *   their prompt parts' word sets also differ in at most max(3, `promptDiff` × their size) words: the
 *   same answer to different questions is not a duplicate (prompt.ts). A multi-part record and a plain
 *   text are never near duplicates of each other (nor exact ones: a multi-part record's exact hash
 *   includes where its prompt part ends).
 *
 * Memory: typed arrays only — per representative its signature (`bands * rows` bytes), its prompt words
 * (`2 * promptWords` bytes) and 16 bytes (ordinal, exact hash, prompt size), per near duplicate with a new
 * text 21–26 bytes (ordinal, exact hash, representative, and its table entry), plus open-addressing tables
 * of 4-byte entries (one exact table and one per band, at most 80 % full, doubling when needed; a table
 * grows alone, so growing never holds more than one extra table). With the defaults that is 269–374
 * bytes per representative depending on where the tables are in their doubling (about 340 MB for
 * 1,000,000 representatives; `memoryBytes()` says exactly); pass
 * `expectedRepresentatives` to size the tables once. Band keys are not stored: a table entry holds the
 * slot and 8 bits of the key, and growing re-derives keys from the stored signatures. At most
 * 16,777,215 representatives (`LG_ERR_INPUT_TOO_LARGE` beyond).
 */
export class DedupIndex {
  /** The resolved options (the threshold is the index's; the rest must match the sketches'). */
  readonly options: ResolvedDedupOptions;
  private readonly perms: number;
  private readonly promptWords: number;
  private readonly sketchBytes: number;
  private readonly sigStart: number;
  private readonly fingerprint: number;
  private readonly near: boolean;
  private readonly minMatches: number;
  private readonly store: RepStore;
  private readonly exact: SlotTable;
  /** Near duplicates' exact hashes (the first record of each text): ordinal, hash, and the rep's slot as tag. */
  private readonly nearStore = new RepStore(0);
  private readonly nearExact = new SlotTable(0, MAX_LOAD);
  private readonly bandTables: SlotTable[] = [];
  private readonly bandPos: Int32Array;
  private readonly bandFull: Uint8Array;
  private cand: Int32Array;
  private readonly found = new Int32Array(BUCKET_CAP + 1);
  private last = -1;
  private queryHi = 0;
  private queryLo = 0;
  private readonly sameExact = (slot: number): boolean =>
    this.store.exactLo(slot) === this.queryLo && this.store.exactHi(slot) === this.queryHi;
  private readonly sameNearExact = (slot: number): boolean =>
    this.nearStore.exactLo(slot) === this.queryLo && this.nearStore.exactHi(slot) === this.queryHi;
  private readonly tally = { unique: 0, exact: 0, near: 0 };

  constructor(options: DedupIndexOptions = {}) {
    const { expectedRepresentatives, near, ...sketchOptions } = options;
    this.options = resolveDedupOptions(sketchOptions);
    if (near !== undefined && typeof near !== 'boolean') {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', `dedup: option "near" must be a boolean, got ${String(near)}`);
    }
    this.near = near ?? true;
    const expected = expectedRepresentatives ?? 0;
    if (!Number.isInteger(expected) || expected < 0 || expected > MAX_SLOTS) {
      throw new LifeguardError(
        'LG_ERR_INPUT_INVALID',
        `dedup: option "expectedRepresentatives" must be an integer from 0 to ${MAX_SLOTS}, got ${String(expected)}`,
      );
    }
    const { bands, rows, threshold } = this.options;
    this.perms = bands * rows;
    this.promptWords = this.options.promptWords;
    this.sigStart = SKETCH_HEADER_BYTES + 4 * bands;
    this.sketchBytes = this.sigStart + this.perms + 2 * this.promptWords;
    this.fingerprint = optionsFingerprint(this.options);
    let m = 0;
    while (m < this.perms && jaccardFromMatches(m, this.perms) < threshold) m++;
    this.minMatches = m;
    // Representatives keep the signature and the prompt part's words (they follow each other in a sketch).
    this.store = new RepStore(this.near ? this.perms + 2 * this.promptWords : 0);
    const capacity = Math.ceil(expected / MAX_LOAD) + 1;
    this.exact = new SlotTable(capacity, MAX_LOAD);
    if (this.near) for (let b = 0; b < bands; b++) this.bandTables.push(new SlotTable(capacity, MAX_LOAD));
    this.bandPos = new Int32Array(bands);
    this.bandFull = new Uint8Array(bands);
    this.cand = new Int32Array(bands * BUCKET_CAP);
  }

  /**
   * Decide record `ordinal` (strictly greater than the previous call's) from its sketch, read at `offset`
   * of `sketch` (so a buffer of appended sketches can be passed as is). A `unique` record becomes a
   * representative.
   */
  add(ordinal: number, sketch: Uint8Array, offset = 0): DedupDecision {
    if (!Number.isInteger(ordinal) || ordinal < 0 || ordinal > 0xffff_ffff) {
      throw new LifeguardError(
        'LG_ERR_INPUT_INVALID',
        `dedup: ordinal must be an integer from 0 to 2^32-1, got ${ordinal}`,
      );
    }
    if (ordinal <= this.last) {
      throw new LifeguardError(
        'LG_ERR_INPUT_INVALID',
        `dedup: records must be added in input order (ordinal ${ordinal} after ${this.last})`,
      );
    }
    this.checkSketch(sketch, offset);
    this.last = ordinal;
    const store = this.store;
    const exactHi = readU32(sketch, offset + 8);
    const exactLo = readU32(sketch, offset + 12);

    // 1. Exact duplicate of a representative?
    const exact = this.exact;
    if (!exact.hasRoom()) exact.grow((slot) => store.exactLo(slot));
    this.queryHi = exactHi;
    this.queryLo = exactLo;
    const hit = exact.find(exactLo, this.sameExact);
    if (hit >= 0) {
      this.tally.exact++;
      return { kind: 'exact', rep: store.ordinal(hit), similarity: 1 };
    }
    const exactPos = exact.lastEmpty;

    // 1b. Exact duplicate of an earlier near duplicate? Then exact, of that record, in its representative's cluster.
    const nearExact = this.nearExact;
    let nearExactPos = -1;
    if (this.near) {
      const nearStore = this.nearStore;
      if (!nearExact.hasRoom()) nearExact.grow((slot) => nearStore.exactLo(slot));
      const copy = nearExact.find(exactLo, this.sameNearExact);
      if (copy >= 0) {
        const repSlot = nearStore.tag(copy);
        this.tally.exact++;
        return {
          kind: 'exact',
          rep: store.ordinal(repSlot),
          similarity: jaccardFromMatches(this.signatureMatches(repSlot, sketch, offset), this.perms),
          copyOf: nearStore.ordinal(copy),
        };
      }
      nearExactPos = nearExact.lastEmpty;
    }

    // 2. Near duplicate: candidates from the band tables, verified on the signatures.
    // Empty texts are never near duplicates (nor candidates); nor are one-shingle texts, whose only near match
    // is an exact one (found above) or a 32-bit hash collision.
    const skipNear = !this.near || (sketch[offset + 1] & (SKETCH_FLAG_EMPTY | SKETCH_FLAG_ONE_SHINGLE)) !== 0;
    const { bands } = this.options;
    let best = -1;
    let bestMatches = -1;
    if (!skipNear) {
      let nCand = 0;
      for (let b = 0; b < bands; b++) {
        const table = this.bandTables[b];
        if (!table.hasRoom()) this.growBand(b);
        const key = readU32(sketch, offset + SKETCH_HEADER_BYTES + 4 * b);
        const n = table.probe(key, this.found, 0, this.found.length);
        this.bandFull[b] = n >= BUCKET_CAP ? 1 : 0;
        this.bandPos[b] = table.lastEmpty;
        for (let i = 0; i < n; i++) {
          const slot = this.found[i];
          let seen = false;
          for (let j = 0; j < nCand; j++) {
            if (this.cand[j] === slot) {
              seen = true;
              break;
            }
          }
          if (seen) continue;
          if (nCand === this.cand.length) {
            const grown = new Int32Array(this.cand.length * 2);
            grown.set(this.cand);
            this.cand = grown;
          }
          this.cand[nCand++] = slot;
        }
      }
      const need = this.minMatches;
      for (let c = 0; c < nCand; c++) {
        const slot = this.cand[c];
        const m = this.signatureMatches(slot, sketch, offset, need);
        if (m < need || m < bestMatches || (m === bestMatches && slot > best)) continue;
        if (!this.promptsAlike(slot, sketch, offset)) continue;
        best = slot;
        bestMatches = m;
      }
    }
    if (best >= 0) {
      // Remember its text, so that a later exact copy of it is an exact duplicate (of this record).
      if (nearExactPos >= 0 && this.nearStore.count < MAX_SLOTS) {
        const copy = this.nearStore.push(ordinal, exactHi, exactLo, sketch, offset, best);
        nearExact.insertAt(nearExactPos, exactLo, copy);
      }
      this.tally.near++;
      return { kind: 'near', rep: store.ordinal(best), similarity: jaccardFromMatches(bestMatches, this.perms) };
    }

    // 3. A new representative.
    if (store.count >= MAX_SLOTS) {
      throw new LifeguardError('LG_ERR_INPUT_TOO_LARGE', `dedup: more than ${MAX_SLOTS} distinct records`);
    }
    const slot = store.push(ordinal, exactHi, exactLo, sketch, offset + this.sigStart, promptTag(sketch, offset));
    exact.insertAt(exactPos, exactLo, slot);
    if (!skipNear) {
      for (let b = 0; b < bands; b++) {
        if (this.bandFull[b]) continue;
        this.bandTables[b].insertAt(this.bandPos[b], readU32(sketch, offset + SKETCH_HEADER_BYTES + 4 * b), slot);
      }
    }
    this.tally.unique++;
    return { kind: 'unique', rep: ordinal };
  }

  /** Number of representatives (unique records) held. */
  get size(): number {
    return this.store.count;
  }

  /** Decisions so far, by kind. */
  get counts(): { unique: number; exact: number; near: number } {
    return { ...this.tally };
  }

  /** Bytes held in typed arrays (signatures, per-representative data, hash tables). */
  memoryBytes(): number {
    let n = this.store.byteLength + this.exact.byteLength + this.cand.byteLength;
    n += this.nearStore.byteLength + this.nearExact.byteLength;
    for (const t of this.bandTables) n += t.byteLength;
    return n + this.bandPos.byteLength + this.bandFull.byteLength + this.found.byteLength;
  }

  private checkSketch(sketch: Uint8Array, offset: number): void {
    if (
      !(sketch instanceof Uint8Array) ||
      !Number.isInteger(offset) ||
      offset < 0 ||
      offset + this.sketchBytes > sketch.length
    ) {
      throw new LifeguardError(
        'LG_ERR_INPUT_INVALID',
        `dedup: expected a ${this.sketchBytes}-byte sketch at offset ${offset} (bands ${this.options.bands}, rows ${this.options.rows})`,
      );
    }
    if (sketch[offset] !== SKETCH_VERSION || readU32(sketch, offset + 4) !== this.fingerprint) {
      throw new LifeguardError(
        'LG_ERR_INPUT_INVALID',
        'dedup: the sketch was made with other options than the index (shingle, bands, rows or seed differ)',
      );
    }
  }

  /**
   * Signature positions on which the sketch at `offset` agrees with representative `slot`. With `need`, the
   * count stops as soon as it can no longer reach `need` (and is then below it).
   */
  private signatureMatches(slot: number, sketch: Uint8Array, offset: number, need = 0): number {
    const sig = this.store.sigChunk(slot);
    const at = this.store.sigOffset(slot);
    const sigAt = offset + this.sigStart;
    const perms = this.perms;
    let m = 0;
    for (let i = 0; i < perms; i++) {
      if (sig[at + i] === sketch[sigAt + i]) m++;
      else if (m + (perms - i - 1) < need) break;
    }
    return m;
  }

  /**
   * Multi-part records (prompt + response, chat, preference) are near duplicates only when their prompt
   * parts are alike too: the same answer to different questions is not a duplicate record (prompt.ts). A
   * multi-part record and a plain text are never alike (whatever `promptWords`).
   */
  private promptsAlike(slot: number, sketch: Uint8Array, offset: number): boolean {
    const tag = this.store.tag(slot);
    const repHasPrompt = (tag & PROMPT_TAG) !== 0;
    // A record with a prompt part and one without (a plain text) are different kinds of record, never near
    // duplicates: else a chat record would be removed as a copy of a plain text that is most of its answer.
    if (repHasPrompt !== ((sketch[offset + 1] & SKETCH_FLAG_PROMPT) !== 0)) return false;
    if (this.promptWords === 0 || !repHasPrompt) return true;
    const sizeA = tag & 0xff;
    const sizeB = sketch[offset + 2];
    if (sizeA === 0 || sizeB === 0) return sizeA === sizeB;
    const d = promptWordDifference(
      this.store.sigChunk(slot),
      this.store.sigOffset(slot) + this.perms,
      sizeA,
      sketch,
      offset + this.sigStart + this.perms,
      sizeB,
      this.promptWords,
    );
    return promptsAlike(d, sizeA, sizeB, this.options.promptDiff);
  }

  private growBand(b: number): void {
    const { rows } = this.options;
    const store = this.store;
    this.bandTables[b].grow((slot) => bandKey(b, store.sigChunk(slot), store.sigOffset(slot) + b * rows, rows));
  }
}
