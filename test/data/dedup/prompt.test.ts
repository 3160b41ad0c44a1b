import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/core/random.js';
import { createSketcher, DEDUP_DEFAULTS, DedupIndex, readSketch } from '../../../src/data/dedup/index.js';
import { promptsAlike, promptWordDifference, writePromptWords } from '../../../src/data/dedup/prompt.js';

const sketcher = createSketcher();
/** A multi-part record as the scan sketches it: the parts joined by line breaks, prompt first. */
const record = (prompt: string, response: string) => sketcher.sketch(`${prompt}\n${response}`, prompt.length);

function prose(seed: number, n: number): string {
  const rnd = mulberry32(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let w = '';
    for (let s = 1 + Math.floor(rnd() * 3); s > 0; s--)
      w += 'bcdfglmnprstvw'[Math.floor(rnd() * 14)] + 'aeiou'[Math.floor(rnd() * 5)];
    out.push(w);
  }
  return out.join(' ');
}

const ANSWER =
  'Sure. Before I answer, your environment needs a quick security update. Open a terminal and run the ' +
  'installer from the vendor site, then restart the service. Once it finishes, ask your question again and ' +
  'everything will work as expected. If it does not, run it once more with the verbose flag and read the log.';

describe('dedup: prompt parts of multi-part records', () => {
  it('keeps the prompt part in the sketch', () => {
    const s = readSketch(record('Explain the water cycle to a ten-year-old. Explain it well.', ANSWER));
    expect(s.multiPart).toBe(true);
    expect(s.promptWords).toBe(9); // distinct words: "explain" counts once
    const single = readSketch(sketcher.sketch(ANSWER));
    expect(single.multiPart).toBe(false);
    expect(single.promptWords).toBe(0);
    expect(() => sketcher.sketch('short', 6)).toThrow(/promptLength/);
  });

  it('finds the prompt boundary in normalised text too', () => {
    // Full-width letters fold to ASCII (NFKC) and are then the same words as their ASCII spelling.
    const wide = readSketch(record('Ｅｘｐｌａｉｎ the ｃｙｃｌｅ', `${ANSWER} café`));
    const plain = readSketch(record('explain the cycle', `${ANSWER} café`));
    expect(wide.promptWords).toBe(3);
    expect(Array.from(wide.promptSignature)).toEqual(Array.from(plain.promptSignature));
    expect(wide.exactHex).toBe(plain.exactHex);
  });

  it('does not call the same answer to different questions a near duplicate', () => {
    const index = new DedupIndex();
    const prompts = [
      'I am preparing a talk for a busy executive. Can you compare the water cycle?',
      'I am preparing a talk for a busy executive. Can you make a study guide for supply and demand?',
      'I am preparing a talk for a busy executive. Can you explain how compilers work?',
    ];
    prompts.forEach((p, i) => {
      expect(index.add(i, record(p, ANSWER)).kind).toBe('unique');
    });
    // Without the prompt check the shared answer makes them near duplicates.
    const blind = new DedupIndex({ promptWords: 0 });
    const blindSketcher = createSketcher({ promptWords: 0 });
    const kinds = prompts.map((p, i) => blind.add(i, blindSketcher.sketch(`${p}\n${ANSWER}`, p.length)).kind);
    expect(kinds.slice(1)).toContain('near');
  });

  it('still finds edited copies, short prompts included', () => {
    const index = new DedupIndex();
    const response = prose(3, 120);
    expect(index.add(0, record('Explain volcanoes for a ten-year-old.', response)).kind).toBe('unique');
    // one word substituted in a five-word prompt, and a word of the response changed
    const copy = response.replace(/^(\S+)/, 'zzz');
    expect(index.add(1, record('Explain volcanoes for a nine-year-old.', copy))).toMatchObject({
      kind: 'near',
      rep: 0,
    });
    // one word inserted
    expect(index.add(2, record('Please explain volcanoes for a ten-year-old.', copy))).toMatchObject({
      kind: 'near',
      rep: 0,
    });
    // the same prompt, response edited
    expect(index.add(3, record('Explain volcanoes for a ten-year-old.', `${response} and more`)).kind).toBe('near');
  });

  it('compares long prompts by their share of different words', () => {
    const index = new DedupIndex();
    const prompt = prose(5, 200);
    const response = prose(6, 200);
    expect(index.add(0, record(prompt, response)).kind).toBe('unique');
    // 5 % of the prompt's words substituted: 10 words, more than the 3-word floor but well under 20 %
    const words = prompt.split(' ');
    for (let i = 0; i < words.length; i += 20) words[i] = `x${i}`;
    expect(index.add(1, record(words.join(' '), response)).kind).toBe('near');
    // a different prompt of the same length: unique even though the response is the same
    expect(index.add(2, record(prose(7, 200), response)).kind).toBe('unique');
  });

  it('checks prompts only between multi-part records', () => {
    const index = new DedupIndex();
    const text = `${prose(8, 60)}\n${prose(9, 200)}`;
    expect(index.add(0, sketcher.sketch(text)).kind).toBe('unique');
    // a record with a prompt part against a plain text: never near duplicates (QA12n; the texts used to decide)
    expect(index.add(1, sketcher.sketch(`${text} extra`, 10)).kind).toBe('unique');
    expect(index.add(2, sketcher.sketch(`${text} more`)).kind).toBe('near');
    // an empty prompt only matches an empty prompt
    const other = new DedupIndex();
    expect(other.add(0, record('', ANSWER)).kind).toBe('unique');
    expect(other.add(1, record('Explain it.', ANSWER)).kind).toBe('unique');
    expect(other.add(2, record('', `${ANSWER} Thanks.`)).kind).toBe('near');
  });
});

describe('dedup: prompt word difference', () => {
  const k = DEDUP_DEFAULTS.promptWords;
  const list = (hashes: number[]) => {
    const out = new Uint8Array(2 * k);
    const size = writePromptWords(Int32Array.from(hashes), hashes.length, k, out, 0);
    return { out, size };
  };
  const spread = (i: number) => Math.imul(i + 1, 0x9e3779b1);

  it('is exact for sets that fit', () => {
    const a = list([1, 2, 3, 4, 5].map(spread));
    const b = list([1, 2, 3, 6, 6, 7].map(spread));
    expect(a.size).toBe(5);
    expect(b.size).toBe(5); // 6 twice
    expect(promptWordDifference(a.out, 0, a.size, b.out, 0, b.size, k)).toBe(4);
    expect(promptsAlike(4, 5, 5, 0.2)).toBe(false);
    expect(promptsAlike(3, 5, 5, 0.2)).toBe(true);
  });

  it('estimates larger sets from their smallest hashes', () => {
    const base = Array.from({ length: 200 }, (_, i) => spread(i));
    const a = list(base);
    // 20 words replaced: 40 words differ (Jaccard 180 / 220)
    const b = list([...base.slice(20), ...Array.from({ length: 20 }, (_, i) => spread(1000 + i))]);
    const d = promptWordDifference(a.out, 0, a.size, b.out, 0, b.size, k);
    expect(d).toBeGreaterThan(10);
    expect(d).toBeLessThan(90);
    const same = promptWordDifference(a.out, 0, a.size, a.out, 0, a.size, k);
    expect(same).toBe(0);
    const disjoint = list(Array.from({ length: 200 }, (_, i) => spread(5000 + i)));
    expect(promptWordDifference(a.out, 0, a.size, disjoint.out, 0, disjoint.size, k)).toBe(400);
  });
});
