/**
 * A transformed text that remembers where each of its UTF-16 units came from, so a span found in the
 * transformed text can be reported in the original. Views chain: a de-spaced view of a canonical view
 * maps through both to the input.
 */
export class MappedText {
  /** Set by `spanning`: every unit maps to [spanFrom, spanTo) in `parent`. -1 where `starts` and `ends` map. */
  private spanFrom = -1;
  private spanTo = -1;
  /** Set by `lazy`: computes `starts` and `ends` the first time a span is mapped. */
  private makeMap: (() => [Int32Array, Int32Array]) | null = null;

  /**
   * @param text the transformed text
   * @param starts for each unit of `text`, the start of its source range in `parent` (null: identity)
   * @param ends for each unit of `text`, the end of its source range in `parent` (null: identity)
   * @param parent the text this one was derived from (null: this is the original input)
   */
  constructor(
    readonly text: string,
    private starts: Int32Array | null = null,
    private ends: Int32Array | null = null,
    readonly parent: MappedText | null = null,
  ) {}

  static original(text: string): MappedText {
    return new MappedText(text);
  }

  /**
   * `text` in place of parent[from, to), every unit mapped to the whole range: a decoded segment. Maps as
   * `MappedTextBuilder.emit(text, from, to)` would, without two offsets per unit (hostile input decodes into
   * a hundred thousand small segments, and their maps cost more than the rest of normalisation).
   */
  static spanning(text: string, parent: MappedText, from: number, to: number): MappedText {
    if (text.length === 0) return new MappedText(text, new Int32Array(0), new Int32Array(0), parent);
    const view = new MappedText(text, null, null, parent);
    view.spanFrom = from;
    view.spanTo = to;
    return view;
  }

  /**
   * `text` derived from `parent` with one offset per unit, as the constructor takes them, computed by `map` only
   * when a span is first mapped: most decoded segments are read and dropped without one.
   */
  static lazy(text: string, parent: MappedText, map: () => [Int32Array, Int32Array]): MappedText {
    const view = new MappedText(text, null, null, parent);
    view.makeMap = map;
    return view;
  }

  /** The untransformed input at the root of the chain. */
  get source(): string {
    let t: MappedText = this;
    while (t.parent) t = t.parent;
    return t.text;
  }

  /**
   * True when this view is character-for-character the same as its source: identity offsets and the same text at
   * every step (a fold such as `withText` keeps the offsets and changes the text).
   */
  get isIdentity(): boolean {
    let t: MappedText = this;
    while (t.parent) {
      if (t.starts !== null || t.spanFrom >= 0 || t.makeMap !== null || t.text !== t.parent.text) return false;
      t = t.parent;
    }
    return true;
  }

  /** The same offset map over a same-length text (for unit-for-unit folds such as homoglyphs). */
  withText(text: string): MappedText {
    if (text.length !== this.text.length) throw new RangeError('withText needs a text of the same length');
    if (this.spanFrom >= 0) return MappedText.spanning(text, this.parent as MappedText, this.spanFrom, this.spanTo);
    if (this.makeMap) return MappedText.lazy(text, this.parent as MappedText, this.makeMap);
    if (this.starts === null) return new MappedText(text, null, null, this);
    return new MappedText(text, this.starts, this.ends, this.parent);
  }

  /** Maps [start, end) in this text to [start, end) in the original input. */
  toOriginal(start: number, end: number): [number, number] {
    let s = start;
    let e = end;
    let t: MappedText = this;
    while (t.parent) {
      if (t.makeMap) {
        [t.starts, t.ends] = t.makeMap();
        t.makeMap = null;
      }
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
      } else if (t.spanFrom >= 0) {
        // the same reads as above, from arrays holding spanFrom and spanTo at every unit
        const n = t.text.length;
        if (e <= s) {
          const p = s < n ? uniformAt(t.spanFrom, s, n) : t.parent.text.length;
          s = p;
          e = p;
        } else {
          const ns = uniformAt(t.spanFrom, Math.min(s, n - 1), n);
          e = uniformAt(t.spanTo, Math.min(e, n) - 1, n);
          s = ns;
        }
      }
      t = t.parent;
    }
    return [s, e];
  }
}

/** What element `i` of a length-`n` array holding `value` everywhere reads: undefined off its end, as there. */
function uniformAt(value: number, i: number, n: number): number {
  return (i >= 0 && i < n && Number.isInteger(i) ? value : undefined) as number;
}

/** Builds a MappedText unit by unit, each unit tied to the source range it came from. */
export class MappedTextBuilder {
  private codes: Uint16Array;
  private starts: Int32Array;
  private ends: Int32Array;
  private length = 0;
  private changed = false;

  constructor(
    private readonly parent: MappedText,
    capacity = parent.text.length,
  ) {
    const cap = Math.max(16, capacity);
    this.codes = new Uint16Array(cap);
    this.starts = new Int32Array(cap);
    this.ends = new Int32Array(cap);
  }

  private reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.starts.length) return;
    let cap = this.starts.length * 2;
    while (cap < need) cap *= 2;
    const grow = <T extends Uint16Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a.subarray(0, this.length));
      return b;
    };
    this.codes = grow(this.codes, (n) => new Uint16Array(n));
    this.starts = grow(this.starts, (n) => new Int32Array(n));
    this.ends = grow(this.ends, (n) => new Int32Array(n));
  }

  /** Copies source[from, to) unchanged. */
  copy(from: number, to: number): void {
    if (to <= from) return;
    this.reserve(to - from);
    const src = this.parent.text;
    for (let i = from; i < to; i++) {
      this.codes[this.length] = src.charCodeAt(i);
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
    for (let i = 0; i < out.length; i++) {
      this.codes[this.length] = out.charCodeAt(i);
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
    let text = '';
    const CHUNK = 8192;
    for (let k = 0; k < this.length; k += CHUNK) {
      const part = this.codes.subarray(k, Math.min(k + CHUNK, this.length));
      text += String.fromCharCode.apply(null, part as unknown as number[]);
    }
    return new MappedText(text, this.starts.slice(0, this.length), this.ends.slice(0, this.length), this.parent);
  }
}
