import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/random.js';
import {
  createSketcher,
  DedupIndex,
  estimateSimilarity,
  normalizeForDedup,
  readSketch,
} from '../../src/data/dedup/index.js';
import { checkQuality } from '../../src/data/quality.js';
import { scanCorpus } from '../../src/data/scan/pipeline.js';

/*
 * Scripts written without spaces (Chinese, Japanese, Thai): a paragraph used to be one "word", so one
 * shingle, so an edited copy of it was never a near duplicate (similarity 0 after one changed character).
 * Each such character is now a word of its own: shingles are character pairs there.
 */

const HAN =
  '天气公园散步湖边喝茶聊天孩子放风筝太阳下山回家吃晚饭机器学习人工智能分支研究计算数据规律预测决策广泛应用领域';
const KANA = 'あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん';
const THAI = 'กขคฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮ';

function text(alphabet: string, seed: number, n: number): string {
  const rand = mulberry32(seed);
  const chars = [...alphabet];
  let out = '';
  for (let i = 0; i < n; i++) out += chars[Math.floor(rand() * chars.length)];
  return out;
}

/** `t` with every `every`-th character replaced by `by`. */
function edited(t: string, every: number, by: string): string {
  return [...t].map((c, i) => (i % every === every - 1 ? by : c)).join('');
}

describe('QA12g: near duplicates in scripts written without spaces', () => {
  const sketcher = createSketcher();
  for (const [name, alphabet, by] of [
    ['Chinese', HAN, '雨'],
    ['Japanese kana', KANA, 'ア'],
    ['Thai', THAI, 'ฤ'],
  ] as const) {
    it(`${name}: an edited copy is a near duplicate, an unrelated text is not`, () => {
      const a = text(alphabet, 1, 300);
      const copy = edited(a, 60, by); // 5 characters of 300 changed
      const other = text(alphabet, 2, 300);
      expect(estimateSimilarity(sketcher.sketch(a), sketcher.sketch(copy))).toBeGreaterThan(0.8);
      const index = new DedupIndex();
      expect(index.add(0, sketcher.sketch(a)).kind).toBe('unique');
      expect(index.add(1, sketcher.sketch(copy))).toMatchObject({ kind: 'near', rep: 0 });
      expect(index.add(2, sketcher.sketch(other)).kind).toBe('unique');
    });
  }

  it('spaces between such characters do not change the text dedup sees (exact hash, normalised form)', () => {
    const a = '今天天气很好我们去公园𠀀𠀁散步 hello World';
    const spaced = '今天 天气很好 我们去公园 𠀀 𠀁散步 HELLO world';
    expect(normalizeForDedup(a)).toBe('今 天 天 气 很 好 我 们 去 公 园 𠀀 𠀁 散 步 hello world');
    expect(normalizeForDedup(spaced)).toBe(normalizeForDedup(a));
    expect(readSketch(sketcher.sketch(spaced)).exactHex).toBe(readSketch(sketcher.sketch(a)).exactHex);
    // A mixed word keeps its Latin part as one word: 'ab' + 2 characters + 'cd' is 4 words, 3 shingles.
    const index = new DedupIndex();
    index.add(0, sketcher.sketch('ab天气cd'));
    expect(index.add(1, sketcher.sketch('AB 天 气 CD'))).toMatchObject({ kind: 'exact', rep: 0 });
    // The quality pass's word sink gives way to the sketcher's own walk for such text: the same bytes.
    const sink = sketcher.wordSink();
    checkQuality(a, undefined, sink);
    expect(sketcher.sketchWords(sink, a)).toEqual(sketcher.sketch(a));
  });

  it('the prompt part counts characters as words too (same Chinese question, edited answer: near)', () => {
    const q1 = '请解释一下机器学习和人工智能之间的关系';
    const q2 = '请介绍一下中国古代的丝绸之路历史文化';
    const answer = text(HAN, 3, 200);
    const copy = edited(answer, 50, '雨');
    const joined = (q: string, r: string) => [`${q}\n${r}`, q.length] as const;
    const index = new DedupIndex();
    expect(index.add(0, sketcher.sketch(...joined(q1, answer))).kind).toBe('unique');
    expect(index.add(1, sketcher.sketch(...joined(q1, copy)))).toMatchObject({ kind: 'near', rep: 0 });
    // The same answer to another question is not a duplicate record.
    expect(index.add(2, sketcher.sketch(...joined(q2, copy))).kind).toBe('unique');
    expect(readSketch(sketcher.sketch(...joined(q1, answer))).promptWords).toBe(new Set(q1).size);
  });

  it('data scan removes an edited copy of a Chinese record as duplicate:near', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-qa12g-cjk-'));
    const input = join(dir, 'c.jsonl');
    const a = text(HAN, 4, 400);
    const lines = [
      { id: 'A', text: a },
      ...Array.from({ length: 20 }, (_, i) => ({ id: `f${i}`, text: text(HAN, 100 + i, 300) })),
      { id: 'B', text: edited(a, 80, '雨') },
    ];
    writeFileSync(input, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const out = join(dir, 'out');
    const report = await scanCorpus({ inputs: [input], outDir: out, config: { workers: 0, fast: true } });
    const q = readFileSync(join(out, 'quarantine.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: string; reasons: string[]; details: Record<string, unknown> });
    expect(q.map((x) => [x.id, x.reasons])).toEqual([['B', ['duplicate:near']]]);
    expect(q[0]?.details.duplicate_of).toBe('A');
    expect(report.counts).toMatchObject({ in: 22, kept: 21, quarantined: 1, duplicates_near: 1, balanced: true });
  }, 60_000);
});
