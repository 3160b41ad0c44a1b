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
 * QA12n. (1) A run of emoji without spaces was one word, so one shingle, so an edited copy of it was never a
 * near duplicate: each emoji (with its modifiers and zero-width-joined parts) is now a word of its own.
 * (2) The exact hash ignored where the prompt part of a multi-part record ends: the same words split
 * otherwise between question and answer were an exact duplicate. (3) A record with a prompt part and a
 * plain text were compared without the prompt check, so a chat record was a near duplicate of a plain text
 * that is (most of) its answer: the two kinds are now never near duplicates of each other.
 */

const EMOJI = [
  '😀',
  '😂',
  '🥲',
  '😍',
  '🤔',
  '🙈',
  '🔥',
  '✨',
  '🎉',
  '🚀',
  '🌍',
  '🍕',
  '🐶',
  '🐱',
  '❤️',
  '👍🏽',
  '👩🏽‍💻',
  '👨‍👩‍👧',
  '🇫🇷',
  '🇯🇵',
  '⚽',
  '☕',
  '🌈',
  '🎵',
  '🦄',
  '🍀',
  '💡',
  '📚',
  '🧠',
  '🏳️‍🌈',
];

function emojiText(seed: number, n: number): string[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, () => EMOJI[Math.floor(rand() * EMOJI.length)] as string);
}

describe('QA12n: emoji are words', () => {
  const sketcher = createSketcher();

  it('an edited copy of an emoji-only text (no spaces) is a near duplicate, an unrelated one is not', () => {
    const list = emojiText(1, 300);
    const a = list.join('');
    const copy = list.map((e, i) => (i % 60 === 59 ? '🥶' : e)).join(''); // 5 of 300 changed
    const other = emojiText(2, 300).join('');
    expect(estimateSimilarity(sketcher.sketch(a), sketcher.sketch(copy))).toBeGreaterThan(0.8);
    const index = new DedupIndex();
    expect(index.add(0, sketcher.sketch(a)).kind).toBe('unique');
    expect(index.add(1, sketcher.sketch(copy))).toMatchObject({ kind: 'near', rep: 0 });
    expect(index.add(2, sketcher.sketch(other)).kind).toBe('unique');
  });

  it('keeps modifiers, zero-width joins and flags with their emoji; spaces between emoji do not matter', () => {
    const a = 'Hi😀👩🏽‍💻🇫🇷🇯🇵❤️ok1️⃣';
    expect(normalizeForDedup(a)).toBe('hi 😀 👩🏽‍💻 🇫🇷 🇯🇵 ❤️ ok1️⃣');
    const spaced = 'hi 😀 👩🏽‍💻 🇫🇷  🇯🇵\t❤️ OK1️⃣';
    expect(normalizeForDedup(spaced)).toBe(normalizeForDedup(a));
    expect(readSketch(sketcher.sketch(spaced)).exactHex).toBe(readSketch(sketcher.sketch(a)).exactHex);
    // A ZWJ sequence is one word: split at its joiner it is another text.
    expect(readSketch(sketcher.sketch('👩🏽 \u200d💻')).exactHex).not.toBe(
      readSketch(sketcher.sketch('👩🏽‍💻')).exactHex,
    );
    // The quality pass's word sink gives way to the sketcher's own walk for such text: the same bytes.
    const sink = sketcher.wordSink();
    checkQuality(a, undefined, sink);
    expect(sketcher.sketchWords(sink, a)).toEqual(sketcher.sketch(a));
  });
});

describe('QA12n: prompt boundary in the exact hash', () => {
  const sketcher = createSketcher();
  const joined = (q: string, r: string) => [`${q}\n${r}`, q.length] as const;

  it('the same words split otherwise between prompt and answer are not an exact duplicate', () => {
    const q1 = 'What is the capital of France?';
    const r1 = 'Paris is the capital of France and its largest city.';
    const q2 = 'What is the capital of France? Paris';
    const r2 = 'is the capital of France and its largest city.';
    const a = sketcher.sketch(...joined(q1, r1));
    const b = sketcher.sketch(...joined(q2, r2));
    expect(readSketch(a).exactHex).not.toBe(readSketch(b).exactHex);
    const index = new DedupIndex();
    expect(index.add(0, a).kind).toBe('unique');
    expect(index.add(1, b).kind).not.toBe('exact');
    // The same split (case and spacing aside) still is.
    expect(index.add(2, sketcher.sketch(...joined('what is  the CAPITAL of france?', r1)))).toMatchObject({
      kind: 'exact',
      rep: 0,
    });
    // Non-ASCII text too (the other walk), and the word-sink path gives the same bytes.
    const c = sketcher.sketch(...joined('Qu’est-ce que Paris ?', 'La capitale.'));
    const d = sketcher.sketch(...joined('Qu’est-ce que', 'Paris ? La capitale.'));
    expect(readSketch(c).exactHex).not.toBe(readSketch(d).exactHex);
    const [t, len] = joined(q1, r1);
    const sink = sketcher.wordSink();
    checkQuality(t, undefined, sink);
    expect(sketcher.sketchWords(sink, t, len)).toEqual(a);
  });

  it('a plain text keeps its hash; a multi-part record of the same words is another text', () => {
    const plain = 'What is the capital of France?\nParis.';
    expect(readSketch(sketcher.sketch(plain)).exactHex).toBe('fffa191b71fcc3f4');
    expect(readSketch(sketcher.sketch(plain, 30)).exactHex).not.toBe(readSketch(sketcher.sketch(plain)).exactHex);
  });
});

describe('QA12n: a record with a prompt part and a plain text are never near duplicates', () => {
  const sketcher = createSketcher();
  const rand = mulberry32(7);
  const vocab = Array.from({ length: 400 }, (_, i) => `w${i.toString(36)}x`);
  const answer = Array.from({ length: 120 }, () => vocab[Math.floor(rand() * vocab.length)]).join(' ');
  const prompt = 'Please write a short note.';
  const chat = () => sketcher.sketch(`${prompt}\n${answer}`, prompt.length);

  it('chat record first, then a plain text equal to its answer: unique', () => {
    expect(estimateSimilarity(chat(), sketcher.sketch(answer))).toBeGreaterThan(0.8);
    const index = new DedupIndex();
    expect(index.add(0, chat()).kind).toBe('unique');
    expect(index.add(1, sketcher.sketch(answer)).kind).toBe('unique');
    // Each still finds its own kind.
    expect(index.add(2, sketcher.sketch(`${answer} extra`))).toMatchObject({ kind: 'near', rep: 1 });
    expect(index.add(3, sketcher.sketch(`${prompt}\n${answer} extra`, prompt.length))).toMatchObject({
      kind: 'near',
      rep: 0,
    });
  });

  it('plain text first, then the chat record (also with promptWords 0): unique', () => {
    for (const options of [{}, { promptWords: 0 }]) {
      const s = createSketcher(options);
      const index = new DedupIndex(options);
      expect(index.add(0, s.sketch(answer)).kind).toBe('unique');
      expect(index.add(1, s.sketch(`${prompt}\n${answer}`, prompt.length)).kind).toBe('unique');
    }
  });

  it('data scan keeps a chat record, its re-split copy and a plain text of its answer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-qa12n-'));
    const input = join(dir, 'c.jsonl');
    const [first, ...rest] = answer.split(' ');
    const lines = [
      { id: 'P', prompt, response: answer },
      { id: 'R', prompt: `${prompt} ${first}`, response: rest.join(' ') },
      { id: 'T', text: answer },
      { id: 'C', prompt, response: answer },
    ];
    writeFileSync(input, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const out = join(dir, 'out');
    const report = await scanCorpus({ inputs: [input], outDir: out, config: { workers: 0, fast: true } });
    const q = readFileSync(join(out, 'quarantine.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: string; reasons: string[]; details: Record<string, unknown> });
    // R is a near duplicate of P (alike prompts, nearly the same text), not an exact one; T is kept.
    expect(q.map((x) => [x.id, x.reasons])).toEqual([
      ['R', ['duplicate:near']],
      ['C', ['duplicate:exact']],
    ]);
    expect(report.counts).toMatchObject({ in: 4, kept: 2, duplicates_near: 1, duplicates_exact: 1 });
  }, 60_000);
});
