import { fmix32 } from './hash.js';

/** Largest number of representatives an index can hold (slot numbers use 24 bits of a table entry). */
export const MAX_SLOTS = 0xff_ffff;

/**
 * Open-addressing hash multimap (linear probing) from a 32-bit key to representative slots, in one
 * `Uint32Array`. Each entry packs `(slot + 1) << 8 | tag`, where `tag` is 8 bits of the key; 0 is an empty
 * entry. Keys themselves are not stored: a probe reports every entry whose tag matches, and the caller
 * confirms (or verifies) through the slot. To grow, the caller re-derives each slot's key
 * (`rehash(slot)`), so the table can double without keeping keys around. No deletions.
 */
export class SlotTable {
  table: Uint32Array;
  /** Occupied entries. */
  count = 0;
  private mask: number;
  private shift: number;
  private limit: number;
  /** Position of the empty entry that ended the last `probe` (where `insertAt` puts a new entry). */
  lastEmpty = 0;

  constructor(
    capacity: number,
    private readonly maxLoad: number,
  ) {
    let bits = 10;
    while (1 << bits < capacity && bits < 30) bits++;
    this.table = new Uint32Array(1 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
    this.limit = Math.floor((1 << bits) * maxLoad);
  }

  /** Whether one more entry fits under the load limit. */
  hasRoom(): boolean {
    return this.count < this.limit;
  }

  /** Home position of a key. */
  home(key: number): number {
    return (fmix32(key) >>> this.shift) & this.mask;
  }

  /**
   * Scan the probe run of `key`: write up to `max - n` matching slots into `out` from index `n` and
   * return the new `n`. Sets `lastEmpty`. Entries are checked by tag only.
   */
  probe(key: number, out: Int32Array, n: number, max: number): number {
    const table = this.table;
    const mask = this.mask;
    const tag = key & 0xff;
    let pos = this.home(key);
    for (;;) {
      const e = table[pos];
      if (e === 0) break;
      if ((e & 0xff) === tag && n < max) out[n++] = (e >>> 8) - 1;
      pos = (pos + 1) & mask;
    }
    this.lastEmpty = pos;
    return n;
  }

  /**
   * The first slot in the probe run of `key` whose tag matches and for which `isMatch(slot)` holds, else
   * -1 (then `lastEmpty` is where to insert it). For tables with unique keys.
   */
  find(key: number, isMatch: (slot: number) => boolean): number {
    const table = this.table;
    const mask = this.mask;
    const tag = key & 0xff;
    let pos = this.home(key);
    for (;;) {
      const e = table[pos];
      if (e === 0) break;
      if ((e & 0xff) === tag && isMatch((e >>> 8) - 1)) return (e >>> 8) - 1;
      pos = (pos + 1) & mask;
    }
    this.lastEmpty = pos;
    return -1;
  }

  /** Put `slot` under `key` at `pos` (the `lastEmpty` of a probe of that key, with no change since). */
  insertAt(pos: number, key: number, slot: number): void {
    this.table[pos] = (((slot + 1) << 8) | (key & 0xff)) >>> 0;
    this.count++;
  }

  /** Double the capacity; `rehash(slot)` gives back the key each slot was inserted under. */
  grow(rehash: (slot: number) => number): void {
    const old = this.table;
    const bits = 32 - this.shift + 1;
    const table = new Uint32Array(1 << bits);
    const mask = (1 << bits) - 1;
    const shift = 32 - bits;
    for (let i = 0; i < old.length; i++) {
      const e = old[i];
      if (e === 0) continue;
      const key = rehash((e >>> 8) - 1);
      let pos = (fmix32(key) >>> shift) & mask;
      while (table[pos] !== 0) pos = (pos + 1) & mask;
      table[pos] = e;
    }
    this.table = table;
    this.mask = mask;
    this.shift = shift;
    this.limit = Math.floor(table.length * this.maxLoad);
  }

  get byteLength(): number {
    return this.table.byteLength;
  }
}

/**
 * Per-representative storage in fixed-size chunks (no copy of everything when it grows, at most one
 * partly used chunk): `rowBytes` signature bytes, and four u32 per slot (caller ordinal, exact hash high,
 * low, and a caller's tag). The first chunk starts small and doubles up to the full chunk size.
 */
export class RepStore {
  static readonly CHUNK_BITS = 14;
  static readonly CHUNK = 1 << RepStore.CHUNK_BITS;
  readonly sigChunks: Uint8Array[] = [];
  readonly metaChunks: Uint32Array[] = [];
  count = 0;
  private chunkCap = 256;

  constructor(readonly rowBytes: number) {}

  /** Append a representative; returns its slot. `rowBytes` bytes of `sig` are read at `sigOffset`. */
  push(ordinal: number, exactHi: number, exactLo: number, sig: Uint8Array, sigOffset: number, tag = 0): number {
    const slot = this.count;
    const c = slot >>> RepStore.CHUNK_BITS;
    const i = slot & (RepStore.CHUNK - 1);
    if (c === this.sigChunks.length) {
      this.chunkCap = c === 0 ? 256 : RepStore.CHUNK;
      this.sigChunks.push(new Uint8Array(this.chunkCap * this.rowBytes));
      this.metaChunks.push(new Uint32Array(this.chunkCap * 4));
    } else if (c === 0 && i === this.chunkCap) {
      this.chunkCap *= 2;
      const sigs = new Uint8Array(this.chunkCap * this.rowBytes);
      sigs.set(this.sigChunks[0]);
      this.sigChunks[0] = sigs;
      const meta = new Uint32Array(this.chunkCap * 4);
      meta.set(this.metaChunks[0]);
      this.metaChunks[0] = meta;
    }
    this.sigChunks[c].set(sig.subarray(sigOffset, sigOffset + this.rowBytes), i * this.rowBytes);
    const m = this.metaChunks[c];
    m[i * 4] = ordinal;
    m[i * 4 + 1] = exactHi;
    m[i * 4 + 2] = exactLo;
    m[i * 4 + 3] = tag;
    this.count++;
    return slot;
  }

  ordinal(slot: number): number {
    return this.metaChunks[slot >>> RepStore.CHUNK_BITS][(slot & (RepStore.CHUNK - 1)) * 4];
  }

  exactHi(slot: number): number {
    return this.metaChunks[slot >>> RepStore.CHUNK_BITS][(slot & (RepStore.CHUNK - 1)) * 4 + 1];
  }

  exactLo(slot: number): number {
    return this.metaChunks[slot >>> RepStore.CHUNK_BITS][(slot & (RepStore.CHUNK - 1)) * 4 + 2];
  }

  tag(slot: number): number {
    return this.metaChunks[slot >>> RepStore.CHUNK_BITS][(slot & (RepStore.CHUNK - 1)) * 4 + 3];
  }

  /** The chunk holding `slot`'s signature; the signature starts at `sigOffset(slot)`. */
  sigChunk(slot: number): Uint8Array {
    return this.sigChunks[slot >>> RepStore.CHUNK_BITS];
  }

  sigOffset(slot: number): number {
    return (slot & (RepStore.CHUNK - 1)) * this.rowBytes;
  }

  get byteLength(): number {
    let n = 0;
    for (const c of this.sigChunks) n += c.byteLength;
    for (const c of this.metaChunks) n += c.byteLength;
    return n;
  }
}
