import { open } from 'node:fs/promises';
import { idPrefix } from '../io/ids.js';
import type { Batch, BatchItem } from './batch.js';
import type { InputInfo } from './inputs.js';

/** Reads closer together than this are merged into one (cheaper than another read call). */
const MAX_GAP = 64 * 1024;
const MAX_READ = 1 << 20;
const CR = 0x0d;

/**
 * Where each record of pass 1 sits in its input (byte offset and length of its line), so that pass 2 can
 * read only the few records it wants instead of the whole input again. Only for uncompressed JSONL
 * inputs (other formats have no byte positions to seek to); `usable` says whether every record had one.
 * Memory: 16 bytes a record.
 */
export class RecordLocations {
  private offsets = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  private indexes = new Uint32Array(1024);
  /** Records located so far. */
  length = 0;
  /** First record of each input, in record order. */
  private readonly fileStarts: number[] = [];
  private lastFile: string | undefined;
  usable: boolean;

  constructor(inputs: readonly InputInfo[]) {
    this.usable = inputs.every((i) => i.format.format === 'jsonl' && i.format.compression === 'none');
  }

  append(batch: Batch): void {
    if (!this.usable) return;
    if (batch.file !== this.lastFile) {
      this.fileStarts.push(this.length);
      this.lastFile = batch.file;
    }
    const n = batch.items.length;
    if (this.length + n > this.offsets.length) this.grow(this.length + n);
    for (const item of batch.items) {
      if (item.offset === undefined) {
        this.usable = false;
        return;
      }
      this.offsets[this.length] = item.offset;
      // The line without its line break (`bytes` counts one).
      this.lengths[this.length] = Math.max(0, item.bytes - 1);
      this.indexes[this.length] = item.index;
      this.length++;
    }
  }

  /**
   * The records whose key in `keys` (pass 1's target keys, by record) passes `wanted`, read from their
   * files, as batches of at most `batchRecords` items (each with its target key), in input order.
   */
  async *read(
    inputs: readonly InputInfo[],
    keys: { slice(from: number, n: number): Uint32Array | undefined },
    wanted: (key: number) => boolean,
    batchRecords: number,
  ): AsyncGenerator<{ batch: Batch }> {
    const all = keys.slice(0, this.length);
    if (!all) return;
    const paths = inputs.map((i) => i.path);
    for (let f = 0; f < this.fileStarts.length; f++) {
      const input = inputs[f] as InputInfo;
      const prefix = idPrefix(input.path, inputs.length > 1, paths);
      const from = this.fileStarts[f] as number;
      const to = f + 1 < this.fileStarts.length ? (this.fileStarts[f + 1] as number) : this.length;
      const picked: number[] = [];
      for (let r = from; r < to; r++) if (wanted(all[r] as number)) picked.push(r);
      if (picked.length === 0) continue;
      const handle = await open(input.path, 'r');
      try {
        let items: BatchItem[] = [];
        let itemKeys: number[] = [];
        const flush = () => {
          const batch: Batch = { file: input.path, prefix, items, targetKeys: Uint32Array.from(itemKeys) };
          items = [];
          itemKeys = [];
          return { batch };
        };
        for (let p = 0; p < picked.length; ) {
          // One read for this record and the next ones close behind it.
          const first = picked[p] as number;
          const start = this.offsets[first] as number;
          let q = p + 1;
          let end = start + (this.lengths[first] as number);
          while (q < picked.length) {
            const r = picked[q] as number;
            const rEnd = (this.offsets[r] as number) + (this.lengths[r] as number);
            if ((this.offsets[r] as number) - end > MAX_GAP || rEnd - start > MAX_READ) break;
            end = rEnd;
            q++;
          }
          const buf = Buffer.allocUnsafe(end - start);
          const { bytesRead } = await handle.read(buf, 0, buf.length, start);
          for (let k = p; k < q; k++) {
            const r = picked[k] as number;
            const a = (this.offsets[r] as number) - start;
            let b = Math.min(bytesRead, a + (this.lengths[r] as number));
            if (b > a && buf[b - 1] === CR) b--; // as splitLines: one trailing CR dropped
            items.push({ index: this.indexes[r] as number, line: buf.toString('utf8', a, b), bytes: b - a + 1 });
            itemKeys.push(all[r] as number);
            if (items.length >= batchRecords) yield flush();
          }
          p = q;
        }
        if (items.length > 0) yield flush();
      } finally {
        await handle.close();
      }
    }
  }

  private grow(need: number): void {
    let cap = this.offsets.length * 2;
    while (cap < need) cap *= 2;
    const offsets = new Float64Array(cap);
    offsets.set(this.offsets.subarray(0, this.length));
    const lengths = new Uint32Array(cap);
    lengths.set(this.lengths.subarray(0, this.length));
    const indexes = new Uint32Array(cap);
    indexes.set(this.indexes.subarray(0, this.length));
    this.offsets = offsets;
    this.lengths = lengths;
    this.indexes = indexes;
  }
}
