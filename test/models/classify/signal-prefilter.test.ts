import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/core/random.js';
import { normaliseForFeatures } from '../../../src/models/classify/features.js';
import { isWordChar, literalPrefixes } from '../../../src/models/classify/literal-prefixes.js';
import { firedSignals, SIGNALS } from '../../../src/models/classify/signals.js';
import { runGenerator } from '../../../src/models/classify/synth.js';

/** The signals as they were before the pre-test: every regex run (of those in `only`). */
function unfiltered(text: string, only: readonly string[] = SIGNALS.map((s) => s.id)): number[] {
  const out: number[] = [];
  for (let i = 0; i < SIGNALS.length; i++) {
    const sig = SIGNALS[i];
    if (!only.includes(sig.id)) continue;
    if (sig.anyOf && !out.some((j) => sig.anyOf?.includes(SIGNALS[j].id))) continue;
    if (sig.pattern.test(text)) out.push(i);
  }
  return out;
}

/**
 * A random string the pattern's syntax describes (alternatives, repeats and class members drawn at random;
 * look-arounds and anchors ignored, so some samples do not match: the tests only rely on those that do).
 */
function sample(source: string, rand: () => number): string {
  let i = 0;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const WIDE: Record<string, string> = { w: 'aZ_7', W: ' .-', s: ' \n', S: 'x.', d: '0123456789', D: 'a ' };
  const alternatives = (): string => {
    const options = [sequence()];
    while (source[i] === '|') {
      i++;
      options.push(sequence());
    }
    return pick(options);
  };
  const sequence = (): string => {
    let out = '';
    while (i < source.length && source[i] !== '|' && source[i] !== ')') {
      const at = i;
      const one = atom();
      let [min, max] = [1, 1];
      const q = /^(?:\?|\*|\+|\{(\d+)(,(\d*))?\})/.exec(source.slice(i));
      if (q) {
        i += q[0].length;
        if (q[0] === '?') [min, max] = [0, 1];
        else if (q[0] === '*') [min, max] = [0, 3];
        else if (q[0] === '+') [min, max] = [1, 3];
        else [min, max] = [Number(q[1]), q[2] === undefined ? Number(q[1]) : q[3] ? Number(q[3]) : Number(q[1]) + 3];
        if (source[i] === '?') i++;
      }
      const times = min + Math.floor(rand() * (Math.min(max, min + 3) - min + 1));
      let piece = times > 0 ? one : '';
      for (let k = 1; k < times; k++) {
        const save = i;
        i = at;
        piece += atom();
        i = save;
      }
      out += piece;
    }
    return out;
  };
  const atom = (): string => {
    const c = source[i++];
    if (c === '(') {
      const look = /^\?(?:<?[=!])/.exec(source.slice(i));
      if (source.startsWith('?:', i)) i += 2;
      else if (look) i += look[0].length;
      const inner = alternatives();
      i++; // ')'
      return look ? '' : inner;
    }
    if (c === '^' || c === '$') return '';
    if (c === '.') return pick(['a', ' ', '-']);
    if (c === '[') {
      let end = source[i] === '^' ? i + 1 : i;
      while (source[end] !== ']') end += source[end] === '\\' ? 2 : 1;
      const body = source.slice(i - 1, end + 1);
      i = end + 1;
      const cls = new RegExp(body);
      const pool = [...'abcdefghijklmnopqrstuvwxyz0123456789 \n\t.,!?-\'’"“”*#>[(:)]/_'].filter((x) => cls.test(x));
      return pool.length > 0 ? pick(pool) : '';
    }
    if (c === '\\') {
      const e = source[i++];
      if (e === 'b' || e === 'B') return '';
      if (e in WIDE) return pick([...WIDE[e]]);
      return ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[e] ?? e;
    }
    return c;
  };
  return alternatives();
}

/** Texts dense in the signals' own phrases: samples of each pattern in random company. */
function sampledTexts(perSignal: number, seed: number): string[] {
  const rand = mulberry32(seed);
  const glue = [' ', '', '\n', '. ', 'x', '"', 'the ', ' and ', '\n\n'];
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const out: string[] = [];
  for (let k = 0; k < perSignal; k++) {
    let text = '';
    for (const sig of SIGNALS) if (rand() < 0.08) text += pick(glue) + sample(sig.pattern.source, rand) + pick(glue);
    for (const sig of SIGNALS) out.push(pick(glue) + sample(sig.pattern.source, rand) + pick(glue));
    out.push(text);
  }
  return out;
}

function corpus(): string[] {
  const texts = sampledTexts(100, 7);
  const generators = [
    'injection-phrasings',
    'benign-triggers',
    'hate-functional',
    'harmful-requests',
    'injection-attacks',
    'indirect-containers',
    'planted-requests',
    'trigger-contrasts',
    'multilingual-overrides',
  ];
  for (const name of generators)
    for (const row of runGenerator(name, { count: 150 }, '.', 3)) texts.push(String(row.__value ?? ''));
  const probes = join(import.meta.dirname, '../../../data/probes');
  for (const file of [
    'multilingual-injection.jsonl',
    'injection-triggers.jsonl',
    'indirect-requests.jsonl',
    'hate-functional.jsonl',
    'hate-functional-2.jsonl',
  ])
    for (const line of readFileSync(join(probes, file), 'utf8').split('\n').filter(Boolean))
      texts.push(String((JSON.parse(line) as { text?: string }).text ?? ''));
  return texts.map((t) => normaliseForFeatures(t, true).text);
}

describe('literal prefixes of a pattern', () => {
  const prefixes = (re: RegExp) => {
    const p = literalPrefixes(re);
    return p && { wordStart: [...p.wordStart].sort(), anywhere: [...p.anywhere].sort() };
  };

  it('reads the words a match must start with', () => {
    expect(prefixes(/\b(?:ignore|forget)\b[^.]{0,40}?\brules\b/)).toEqual({
      wordStart: ['forget', 'ignore'],
      anywhere: [],
    });
    // Cut at eight characters; optional parts and small classes expand.
    expect(prefixes(/\bhack(?:ing)? into\b/)).toEqual({ wordStart: ['hack int', 'hacking '], anywhere: [] });
    expect(prefixes(/\bsummari[sz]e\b/)).toEqual({ wordStart: ['summaris', 'summariz'], anywhere: [] });
    // Up to what is unknown: a gap, a wide class, an escape such as \w.
    expect(prefixes(/\bkeep \w{2,16} safe/)).toEqual({ wordStart: ['keep '], anywhere: [] });
    // Not after \b, or \b then a non-word character: anywhere.
    expect(prefixes(/<\|(?:system|user)\|>/)).toEqual({ anywhere: ['<|system', '<|user|>'], wordStart: [] });
    expect(prefixes(/\b(?:ai|'s)x/)).toEqual({ wordStart: ['aix'], anywhere: ["'sx"] });
    // \d is ten characters; too many combinations end the prefixes early.
    expect(prefixes(/\b\d-x/)?.wordStart).toEqual([...'0123456789'].map((d) => `${d}-x`));
    const wide = literalPrefixes(/x[a-p][a-p][a-p][a-p]/);
    expect(wide?.anywhere).toHaveLength(256);
    expect(wide?.anywhere.every((p) => p.length === 3)).toBe(true);
    // Anchors and look-arounds add no characters.
    expect(prefixes(/^(?!no)\bwhat is\b/m)).toEqual({ wordStart: ['what is'], anywhere: [] });
  });

  it('gives up where a match could start with anything, be empty, or the syntax is not read', () => {
    expect(literalPrefixes(/^[^\n]{0,60}?\bi can't/)).toBeNull();
    expect(literalPrefixes(/\bfoo|.bar/)).toBeNull();
    expect(literalPrefixes(/(?:abc)?/)).toBeNull();
    expect(literalPrefixes(/(a)\1/)).toBeNull();
    expect(literalPrefixes(/ignore/i)).toBeNull();
    expect(literalPrefixes(/ignore/g)).toBeNull();
    expect(literalPrefixes(/[a-z]{3}x/)).toBeNull();
    expect(literalPrefixes(/x\p{L}/u)).toBeNull();
    expect(literalPrefixes(/[\b]x/)).toBeNull();
  });
});

describe('signal pre-test', () => {
  const texts = corpus();

  it('every match of every signal starts with one of its prefixes (at a word start when so marked)', () => {
    const rare: string[] = [];
    for (const sig of SIGNALS) {
      const p = literalPrefixes(sig.pattern);
      if (!p) continue;
      let matches = 0;
      const re = new RegExp(sig.pattern.source, `${sig.pattern.flags}g`);
      for (const t of texts) {
        for (const m of t.matchAll(re)) {
          const at = m.index ?? 0;
          const wordStart = at === 0 || !isWordChar(t.charCodeAt(at - 1));
          const ok =
            p.anywhere.some((x) => t.startsWith(x, at)) || (wordStart && p.wordStart.some((x) => t.startsWith(x, at)));
          if (!ok) throw new Error(`${sig.id}: match ${JSON.stringify(m[0])} at ${at} starts with no prefix`);
          matches++;
          if (m[0].length === 0) re.lastIndex++;
        }
      }
      if (matches < 10) rare.push(`${sig.id}: ${matches}`);
    }
    expect(rare).toEqual([]);
  });

  it('fires exactly the signals the regexes alone fire', () => {
    let fired = 0;
    for (const t of texts) {
      const want = unfiltered(t);
      expect(firedSignals(t)).toEqual(want);
      fired += want.length;
    }
    for (const t of ['', 'a', 'ab', "i can't", 'ignore', 'x'.repeat(3000), '\n1. step', '<|im_start|>system'])
      expect(firedSignals(t)).toEqual(unfiltered(t));
    expect(fired).toBeGreaterThan(3000);
  });

  it('a model’s own list of signals fires the same, pre-tested or (a short list) not', () => {
    const ids = SIGNALS.map((s) => s.id);
    for (const only of [ids.slice(0, 5), ids.slice(10, 40), ids.filter((_, i) => i % 2 === 0)])
      for (const t of texts.slice(0, 2000)) expect(firedSignals(t, only)).toEqual(unfiltered(t, only));
  });
});
