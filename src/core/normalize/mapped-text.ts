/**
 * A transformed text that remembers where each of its UTF-16 units came from, so a span found in the
 * transformed text can be reported in the original. Views chain: a de-spaced view of a canonical view
 * maps through both to the input.
 */
export class MappedText {
  /**
   * @param text the transformed text
   * @param starts for each unit of `text`, the start of its source range in `parent` (null: identity)
   * @param ends for each unit of `text`, the end of its source range in `parent` (null: identity)
   * @param parent the text this one was derived from (null: this is the original input)
   */
  constructor(
    readonly text: string,
    private readonly starts: Int32Array | null = null,
    private readonly ends: Int32Array | null = null,
    readonly parent: MappedText | null = null,
  ) {}

  static original(text: string): MappedText {
    return new MappedText(text);
  }

  /** The untransformed input at the root of the chain. */
  get source(): string {
    let t: MappedText = this;
    while (t.parent) t = t.parent;
    return t.text;
  }

  /** True when this view is character-for-character the same as its source. */
  get isIdentity(): boolean {
    return this.starts === null && (this.parent === null || this.parent.isIdentity);
  }

  /** The same offset map over a same-length text (for unit-for-unit folds such as homoglyphs). */
  withText(text: string): MappedText {
    if (text.length !== this.text.length) throw new RangeError('withText needs a text of the same length');
    if (this.starts === null) return new MappedText(text, null, null, this);
    return new MappedText(text, this.starts, this.ends, this.parent);
  }

  /** Maps [start, end) in this text to [start, end) in the original input. */
  toOriginal(start: number, end: number): [number, number] {
    let s = start;
    let e = end;
    let t: MappedText = this;
    while (t.parent) {
      if (t.starts && t.ends) {
        const n = t.starts.length;
        if (e <= s) {
          const p = s < n ? t.starts[s] : t.parent.text.length;
          s = p;
          e = p;
        } else {
          const ns = t.starts[Math.min(s, n - 1)];
          e = t.ends[Math.min(e, n) - 1];
          s = ns;
        }
      }
      t = t.parent;
    }
    return [s, e];
  }
}

/** Builds a MappedText from chunks, each tied to the source range it replaces. */
export class MappedTextBuilder {
  private readonly parts: string[] = [];
  private starts: Int32Array;
  private ends: Int32Array;
  private length = 0;
  private changed = false;

  constructor(
    private readonly parent: MappedText,
    capacity = parent.text.length,
  ) {
    this.starts = new Int32Array(Math.max(16, capacity));
    this.ends = new Int32Array(Math.max(16, capacity));
  }

  private reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.starts.length) return;
    let cap = this.starts.length * 2;
    while (cap < need) cap *= 2;
    const s = new Int32Array(cap);
    s.set(this.starts.subarray(0, this.length));
    const e = new Int32Array(cap);
    e.set(this.ends.subarray(0, this.length));
    this.starts = s;
    this.ends = e;
  }

  /** Copies source[from, to) unchanged. */
  copy(from: number, to: number): void {
    if (to <= from) return;
    this.reserve(to - from);
    this.parts.push(this.parent.text.slice(from, to));
    for (let i = from; i < to; i++) {
      this.starts[this.length] = i;
      this.ends[this.length] = i + 1;
      this.length++;
    }
  }

  /** Emits `out` in place of source[from, to). Every unit of `out` maps to the whole range. */
  emit(out: string, from: number, to: number): void {
    this.changed = true;
    if (out.length === 0) return;
    this.reserve(out.length);
    this.parts.push(out);
    for (let i = 0; i < out.length; i++) {
      this.starts[this.length] = from;
      this.ends[this.length] = to;
      this.length++;
    }
  }

  /** Marks source[from, to) as dropped (e.g. zero-width characters). */
  drop(): void {
    this.changed = true;
  }

  build(): MappedText {
    if (!this.changed) return new MappedText(this.parent.text, null, null, this.parent);
    return new MappedText(
      this.parts.join(''),
      this.starts.slice(0, this.length),
      this.ends.slice(0, this.length),
      this.parent,
    );
  }
}
