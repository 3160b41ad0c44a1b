/**
 * Record ids by dedup ordinal, as UTF-8 bytes off the JavaScript heap: the scan needs any earlier
 * record's id when a later one turns out to duplicate it, and a million live id strings made every
 * major garbage collection of the main thread walk them. About (id length + 4) bytes an id.
 */
export class IdStore {
  private bytes = Buffer.allocUnsafe(1 << 16);
  private ends = new Uint32Array(1 << 12);
  private used = 0;
  /** 1 where the id is only the record's line number (it has no `id` of its own). */
  private fromLine = new Uint8Array(1 << 12);
  /** Ids held; the next `push` gets this ordinal. */
  length = 0;

  push(id: string, fromLine = false): number {
    const need = Buffer.byteLength(id);
    if (this.used + need > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + need));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    if (this.length === this.ends.length) {
      const grown = new Uint32Array(this.ends.length * 2);
      grown.set(this.ends);
      this.ends = grown;
      const flags = new Uint8Array(this.fromLine.length * 2);
      flags.set(this.fromLine);
      this.fromLine = flags;
    }
    this.fromLine[this.length] = fromLine ? 1 : 0;
    this.used += this.bytes.write(id, this.used);
    this.ends[this.length] = this.used;
    return this.length++;
  }

  get(ordinal: number): string {
    if (ordinal < 0 || ordinal >= this.length) throw new RangeError(`no id for ordinal ${ordinal}`);
    const start = ordinal === 0 ? 0 : (this.ends[ordinal - 1] as number);
    return this.bytes.toString('utf8', start, this.ends[ordinal]);
  }

  /** Whether the id at `ordinal` is only a line number (pushed with `fromLine`). */
  isFromLine(ordinal: number): boolean {
    if (ordinal < 0 || ordinal >= this.length) throw new RangeError(`no id for ordinal ${ordinal}`);
    return this.fromLine[ordinal] === 1;
  }
}
