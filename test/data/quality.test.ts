import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LifeguardError } from '../../src/core/errors.js';
import {
  checkQuality,
  compileQualityOptions,
  QUALITY_PRESETS,
  QUALITY_RULE_IDS,
  type QualityOptions,
} from '../../src/data/quality.js';

const FIXTURES = new URL('../fixtures/benign-docs/', import.meta.url);

const PROSE = `The history of the printing press is a story of slow change followed by sudden acceleration. For centuries, books were copied by hand in monasteries, and each copy took months of careful work. When Johannes Gutenberg combined movable metal type with an oil-based ink and a modified wine press, the cost of producing a book fell sharply. Within fifty years, printing shops had opened in more than two hundred European cities.

Historians still argue about how much of this change was caused by the technology itself and how much by the social conditions that surrounded it. Literacy was already rising in the towns, merchants needed reliable records, and universities wanted standard editions of classical texts. The press did not create that demand, but it met it at a price that ordinary readers could afford.

Today the same questions are asked about digital media. New tools lower the cost of copying, yet the way people use them depends on habits, institutions and trust that change far more slowly.`;

const docsOf = (file: string): string[] =>
  readFileSync(new URL(file, FIXTURES), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { text: string }).text);

function invalidOption(options: unknown): LifeguardError {
  try {
    compileQualityOptions(options as QualityOptions);
  } catch (e) {
    expect(LifeguardError.isInstance(e)).toBe(true);
    expect((e as LifeguardError).code).toBe('LG_ERR_INPUT_INVALID');
    return e as LifeguardError;
  }
  throw new Error(`expected ${JSON.stringify(options)} to be rejected`);
}

describe('checkQuality: good text passes', () => {
  it('real prose passes every preset, with sensible stats', () => {
    for (const preset of ['lenient', 'gopher', 'c4'] as const) {
      const r = checkQuality(PROSE, { preset });
      expect(r, preset).toMatchObject({ ok: true, failed: [] });
    }
    const { stats } = checkQuality(PROSE, { preset: 'gopher' });
    expect(stats.word_count).toBe(PROSE.split(/\s+/).length);
    expect(stats.line_count).toBe(3);
    expect(stats.para_count).toBe(3);
    expect(stats.mean_word_length).toBeGreaterThan(4);
    expect(stats.mean_word_length).toBeLessThan(6);
    expect(stats.stop_word_count).toBeGreaterThan(10);
    expect(stats.alpha_word_frac).toBe(1);
    expect(stats.sentence_count).toBe(9);
    expect(stats.dup_line_frac).toBe(0);
    expect(stats.top_ngram_2).toBeLessThan(0.05);
    expect(stats.dup_ngram_5).toBe(0);
  });

  it('lenient is the default and accepts short instruction records', () => {
    expect(checkQuality('Translate "good morning" into French.')).toMatchObject({ ok: true });
    expect(checkQuality('Yes.')).toMatchObject({ ok: true });
    // gopher wants at least 50 words and two stop words
    expect(checkQuality('Yes.', { preset: 'gopher' }).failed).toEqual(['word_count', 'stop_words']);
  });

  it('lenient accepts every benign fixture document and multilingual text', () => {
    const docs = [...docsOf('oasst_docs.jsonl'), ...docsOf('fastchat_docs.jsonl')];
    const shakespeare = readFileSync(new URL('tinyshakespeare.txt', FIXTURES), 'utf8').split('\n\n');
    for (let i = 0; i + 40 < shakespeare.length; i += 400) docs.push(shakespeare.slice(i, i + 40).join('\n\n'));
    docs.push(
      '机器学习是人工智能的一个分支，它使计算机能够在没有明确编程的情况下从数据中学习。'.repeat(40),
      'Машинное обучение — это раздел искусственного интеллекта, изучающий методы построения алгоритмов.',
      'Great job!!! 🎉🎉🎉 See you tomorrow 👋',
      '{"name": "Ada", "languages": ["en", "fr"], "age": 36}',
    );
    for (const d of docs) expect(checkQuality(d).failed, d.slice(0, 80)).toEqual([]);
  });

  it('Shakespeare passes gopher when taken as prose paragraphs', () => {
    const text = readFileSync(new URL('tinyshakespeare.txt', FIXTURES), 'utf8').slice(20_000, 26_000);
    const r = checkQuality(text, { preset: 'gopher', disable: ['dup_line_frac', 'dup_line_char_frac'] });
    expect(r.failed).toEqual([]);
  });
});

describe('checkQuality: bad text fails the right rules', () => {
  it('repeated-line spam', () => {
    const spam = 'Click here to claim your free prize now!\n'.repeat(30);
    expect(checkQuality(spam).failed).toEqual(['dup_line_frac']);
    const g = checkQuality(spam, { preset: 'gopher' });
    expect(g.failed).toEqual(
      expect.arrayContaining(['dup_line_frac', 'dup_line_char_frac', 'top_ngram_2', 'top_ngram_4', 'dup_ngram_10']),
    );
    expect(g.stats.dup_line_frac).toBeCloseTo(29 / 30, 10);
  });

  it('repeated paragraphs', () => {
    const para = 'We value your privacy and use cookies to improve the site.\nRead our policy to learn more.';
    const text = `${PROSE}\n\n${[para, para, para, para].join('\n\n')}`;
    const r = checkQuality(text, { preset: 'gopher' });
    expect(r.failed).toEqual(expect.arrayContaining(['dup_para_frac']));
    expect(r.stats.dup_para_frac).toBeCloseTo(3 / 7, 10);
    expect(r.stats.dup_para_char_frac).toBeCloseTo((3 * para.length) / text.length, 10);
  });

  it('symbol soup', () => {
    const soup = '@#$%^&*()_+{}|:"<>?~ =-[];,./ !'.repeat(40);
    expect(checkQuality(soup).failed).toContain('non_alnum_ratio');
    expect(checkQuality(soup, { preset: 'gopher' }).failed).toEqual(
      expect.arrayContaining(['symbol_ratio', 'alpha_words', 'stop_words', 'non_alnum_ratio']),
    );
    expect(checkQuality(soup, { preset: 'c4' }).failed).toEqual(expect.arrayContaining(['curly_brace']));
  });

  it('digit tables', () => {
    const rows: string[] = [];
    for (let i = 0; i < 40; i++) rows.push(`${1000 + i * 17} ${(i * 31) % 97} ${i * 7}.${i % 10} ${20000 - i * 3}`);
    const table = rows.join('\n');
    expect(checkQuality(table).ok).toBe(true); // not broken, just not prose
    expect(checkQuality(table, { preset: 'gopher' }).failed).toEqual(
      expect.arrayContaining(['alpha_words', 'stop_words']),
    );
    const r = checkQuality(table, { maxDigitRatio: 0.5 });
    expect(r.failed).toEqual(['digit_ratio']);
    expect(r.stats.digit_ratio).toBeGreaterThan(0.9);
  });

  it('lorem ipsum, JavaScript warnings and code fail c4 only', () => {
    const lorem = `${PROSE}\n\nLorem Ipsum dolor sit amet, consectetur adipiscing elit.`;
    expect(checkQuality(lorem).ok).toBe(true);
    expect(checkQuality(lorem, { preset: 'c4' }).failed).toEqual(['lorem_ipsum']);
    const js = `${PROSE}\nPlease enable JavaScript in your browser to view this page.`;
    const r = checkQuality(js, { preset: 'c4' });
    expect(r.failed).toEqual(['javascript']);
    expect(r.stats.javascript_lines).toBe(1);
    expect(checkQuality(`${PROSE}\nfunction f() { return 1; }`, { preset: 'c4' }).failed).toEqual(['curly_brace']);
    expect(checkQuality('One sentence only. Two.', { preset: 'c4' }).failed).toEqual(['sentence_count']);
  });

  it('hash tags, ellipses and bullets (gopher)', () => {
    const tags = `${PROSE} ${'#news #today #viral '.repeat(10)}`;
    expect(checkQuality(tags, { preset: 'gopher' }).failed).toContain('symbol_ratio');
    const trailing = `${PROSE}\n${'and then the story goes on and on...\n'.repeat(3)}`;
    const t = checkQuality(trailing, { preset: 'gopher', disable: ['dup_line_frac', 'dup_line_char_frac'] });
    expect(t.stats.ellipsis_line_frac).toBeCloseTo(3 / 6, 10);
    expect(t.failed).toContain('ellipsis_lines');
    const bullets = Array.from({ length: 60 }, (_, i) => `• item number ${i} of the list`).join('\n');
    expect(checkQuality(bullets, { preset: 'gopher' }).failed).toContain('bullet_lines');
  });

  it('mean word length and missing stop words (gopher)', () => {
    const long = 'internationalization standardization '.repeat(40);
    expect(checkQuality(long, { preset: 'gopher' }).failed).toEqual(
      expect.arrayContaining(['mean_word_length', 'stop_words']),
    );
    const noStop = 'Cats sleep. Dogs bark loudly. Birds sing songs. '.repeat(10);
    const r = checkQuality(noStop, { preset: 'gopher', disable: ['top_ngram_2'] });
    expect(r.stats.stop_word_count).toBe(0);
    expect(r.failed).toContain('stop_words');
  });

  it('mojibake, control characters, replacement characters', () => {
    const moji = 'The cafÃ© opened in 2019 and itâ€™s been busy ever since â€” locals love it.';
    const r = checkQuality(moji);
    expect(r.failed).toEqual(['mojibake']);
    expect(checkQuality('The caf\uFFFD opened in 2019 and it\uFFFDs busy.').failed).toEqual(['mojibake']);
    expect(checkQuality('binary\u0000\u0001\u0002 junk in a sentence').failed).toEqual(['mojibake']);
    expect(checkQuality('PriceÂ\u00a0list:Â\u00a010Â\u00a0EUR').failed).toEqual(['mojibake']);
    expect(checkQuality('Prix\u00a0: 10\u00a0€ la chambre.').ok).toBe(true);
    // a single stray character in long text is tolerated
    expect(checkQuality(`${PROSE}\uFFFD`).ok).toBe(true);
    // accented text is not mojibake
    expect(checkQuality('José’s café served crème brûlée and “Ça va?” — très bien.').ok).toBe(true);
  });

  it('character runs and kilobyte words', () => {
    expect(checkQuality(`${PROSE} ${'!'.repeat(300)}`).failed).toEqual(['char_run']);
    expect(checkQuality(`${PROSE} ${'='.repeat(80)}`).ok).toBe(true);
    const blob = Array.from({ length: 2000 }, (_, i) => 'QWERTYUIOPASDFGHJKLZXCVBNM0123456789'[(i * 7) % 36]).join('');
    const r = checkQuality(`Decode this: ${blob}`);
    expect(r.failed).toEqual(['long_word']);
    expect(r.stats.max_word_length).toBe(2000);
    expect(checkQuality('😀'.repeat(250)).stats.max_char_run).toBe(250);
  });

  it('empty and whitespace-only text fails word_count only', () => {
    for (const t of ['', '  \n\n\t ']) {
      expect(checkQuality(t).failed).toEqual(['word_count']);
      expect(checkQuality(t, { preset: 'c4' }).failed).toEqual(['word_count', 'sentence_count']);
    }
  });
});

describe('checkQuality: n-gram measures', () => {
  it('top n-gram character fraction counts the most frequent repeated n-gram', () => {
    // x y x y z w: "x y" occurs twice, 2 × 2 characters of 6 word characters
    expect(checkQuality('x y x y z w', { preset: 'gopher' }).stats.top_ngram_2).toBeCloseTo(4 / 6, 10);
    // n-grams occurring once are not repetition
    expect(checkQuality('a b c d e f', { preset: 'gopher' }).stats.top_ngram_2).toBe(0);
  });

  it('duplicate n-gram fraction counts every occurrence, overlaps once', () => {
    const s = checkQuality('a b c d e f a b c d e g', { preset: 'gopher' }).stats;
    expect(s.dup_ngram_5).toBeCloseTo(10 / 12, 10);
    expect(s.dup_ngram_6).toBe(0);
    const t = checkQuality('one two three four five six seven one two three four five six seven', {
      preset: 'gopher',
    }).stats;
    for (const n of [5, 6, 7]) expect(t[`dup_ngram_${n}`]).toBe(1);
    expect(t.dup_ngram_8).toBe(0);
  });

  it('hashed measures match a naive string-based reference on random repetitive text', () => {
    let seed = 11;
    const rand = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const vocab = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'Cat', 'mat.', 'and'];
    for (let doc = 0; doc < 150; doc++) {
      let text = '';
      const n = 20 + Math.floor(rand() * 200);
      for (let i = 0; i < n; i++) {
        text += vocab[Math.floor(rand() * (3 + (doc % 7)))];
        const r = rand();
        text += r < 0.08 ? '\n' : r < 0.1 ? '\n\n' : r < 0.12 ? '  ' : ' ';
      }
      const words = text.split(/\s+/).filter(Boolean);
      const total = words.reduce((a, w) => a + w.length, 0);
      const expected: Record<string, number> = {};
      for (let g = 2; g <= 10; g++) {
        const counts = new Map<string, number>();
        for (let i = 0; i + g <= words.length; i++) {
          const key = words.slice(i, i + g).join(' ');
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        if (g <= 4) {
          let best = 0;
          let chars = 0;
          for (const [key, c] of counts) {
            if (c > best || (c === best && key.length - (g - 1) > chars)) {
              best = c;
              chars = key.length - (g - 1);
            }
          }
          expected[`top_ngram_${g}`] = best >= 2 ? (best * chars) / total : 0;
        } else {
          const covered = new Array<boolean>(words.length).fill(false);
          for (let i = 0; i + g <= words.length; i++) {
            if (counts.get(words.slice(i, i + g).join(' '))! >= 2) covered.fill(true, i, i + g);
          }
          expected[`dup_ngram_${g}`] = words.reduce((a, w, i) => a + (covered[i] ? w.length : 0), 0) / total;
        }
      }
      const lines = text.split('\n').filter((l) => l.trim());
      const seen = new Set<string>();
      let dupLines = 0;
      let dupLineChars = 0;
      for (const l of lines) {
        const key = l.trim().split(/\s+/).join(' ');
        if (seen.has(key)) {
          dupLines++;
          dupLineChars += l.trim().length;
        } else seen.add(key);
      }
      expected.dup_line_frac = dupLines / lines.length;
      expected.dup_line_char_frac = dupLineChars / text.length;
      expected.word_count = words.length;
      const { stats } = checkQuality(text, { preset: 'gopher' });
      for (const [k, v] of Object.entries(expected)) expect(stats[k], `doc ${doc} ${k}`).toBeCloseTo(v, 10);
    }
  });

  it('n-gram stats are only computed when an n-gram rule is on', () => {
    expect(checkQuality(PROSE).stats.top_ngram_2).toBeUndefined();
    const only = checkQuality(PROSE, { maxDupNgramCharFrac: { 7: 0.5 } }).stats;
    expect(Object.keys(only).filter((k) => k.includes('gram'))).toEqual(['dup_ngram_7']);
  });
});

describe('options', () => {
  it('thresholds change outcomes; null and disable turn rules off', () => {
    const spam = 'Subscribe to our newsletter for more great content!\n'.repeat(10);
    expect(checkQuality(spam).failed).toEqual(['dup_line_frac']);
    expect(checkQuality(spam, { maxDupLineFrac: 0.95 }).ok).toBe(true);
    expect(checkQuality(spam, { maxDupLineFrac: null }).ok).toBe(true);
    expect(checkQuality(spam, { disable: ['dup_line_frac'] }).ok).toBe(true);
    expect(checkQuality(PROSE, { minWords: 500 }).failed).toEqual(['word_count']);
    expect(checkQuality(PROSE, { preset: 'gopher', maxWords: 100 }).failed).toEqual(['word_count']);
    expect(checkQuality(PROSE, { preset: 'gopher', maxTopNgramCharFrac: { 2: 0.001 } }).failed).toEqual([
      'top_ngram_2',
    ]);
    expect(checkQuality(PROSE, { preset: 'gopher', disable: ['top_ngram_2'] }).stats.top_ngram_2).toBeUndefined();
    // stop words are configurable (ASCII-case-insensitive)
    const de = 'Der Hund und die Katze schlafen in der Sonne und der Garten ist still.';
    expect(checkQuality(de, { minStopWords: 2 }).failed).toEqual(['stop_words']);
    const r = checkQuality(de, { minStopWords: 2, stopWords: ['der', 'die', 'und'] });
    expect(r.ok).toBe(true);
    expect(r.stats.stop_word_count).toBe(6);
  });

  it('presets document their thresholds and every rule id is stable', () => {
    expect(QUALITY_RULE_IDS).toContain('dup_ngram_10');
    expect(QUALITY_PRESETS.gopher).toMatchObject({
      minWords: 50,
      maxWords: 100_000,
      minMeanWordLength: 3,
      maxMeanWordLength: 10,
      maxSymbolWordRatio: 0.1,
      maxBulletLineFrac: 0.9,
      maxEllipsisLineFrac: 0.3,
      minAlphaWordFrac: 0.8,
      minStopWords: 2,
      maxDupLineFrac: 0.3,
      maxDupLineCharFrac: 0.2,
      maxDupParaFrac: 0.3,
      maxDupParaCharFrac: 0.2,
    });
    expect(QUALITY_PRESETS.gopher.maxTopNgramCharFrac.slice(2)).toEqual([0.2, 0.18, 0.16]);
    expect(QUALITY_PRESETS.gopher.maxDupNgramCharFrac.slice(5)).toEqual([0.15, 0.14, 0.13, 0.12, 0.11, 0.1]);
    expect(QUALITY_PRESETS.lenient.minStopWords).toBeNull();
    expect(QUALITY_PRESETS.c4).toMatchObject({ maxLoremIpsum: 0, maxJavascriptLines: 0, maxCurlyBraces: 0 });
  });

  it('compiled options are frozen, reusable and accepted as is', () => {
    const compiled = compileQualityOptions({ preset: 'gopher', maxDupLineFrac: 0.5 });
    expect(Object.isFrozen(compiled)).toBe(true);
    expect(Object.isFrozen(compiled.thresholds)).toBe(true);
    expect(compiled.thresholds.maxDupLineFrac).toBe(0.5);
    expect(compileQualityOptions(compiled)).toBe(compiled);
    expect(checkQuality(PROSE, compiled)).toEqual(checkQuality(PROSE, { preset: 'gopher', maxDupLineFrac: 0.5 }));
  });

  it('validation errors name the bad option', () => {
    expect(invalidOption({ preset: 'strict' }).message).toMatch(/preset must be one of lenient, gopher, c4/);
    expect(invalidOption({ maxDupLineFraction: 0.2 }).message).toMatch(/unknown option "maxDupLineFraction"/);
    expect(invalidOption({ maxDupLineFrac: 1.5 }).message).toMatch(/maxDupLineFrac must be a number from 0 to 1/);
    expect(invalidOption({ maxDupLineFrac: Number.NaN }).message).toMatch(/maxDupLineFrac/);
    expect(invalidOption({ minWords: -1 }).message).toMatch(/minWords must be a non-negative integer/);
    expect(invalidOption({ minWords: 2.5 }).message).toMatch(/minWords/);
    expect(invalidOption({ maxCharRun: 0 }).message).toMatch(/maxCharRun must be a positive integer/);
    expect(invalidOption({ maxSymbolWordRatio: '0.1' }).message).toMatch(/maxSymbolWordRatio .* got "0.1"/);
    expect(invalidOption({ minWords: 10, maxWords: 5 }).message).toMatch(/minWords \(10\) is above maxWords \(5\)/);
    expect(invalidOption({ minMeanWordLength: 8, maxMeanWordLength: 4 }).message).toMatch(/minMeanWordLength/);
    expect(invalidOption({ maxTopNgramCharFrac: { 5: 0.1 } }).message).toMatch(/maxTopNgramCharFrac .* size 5/);
    expect(invalidOption({ maxDupNgramCharFrac: { 7: 2 } }).message).toMatch(/maxDupNgramCharFrac\[7\]/);
    expect(invalidOption({ disable: ['dup_lines'] }).message).toMatch(/disable lists unknown rule "dup_lines"/);
    expect(invalidOption({ stopWords: [] }).message).toMatch(/stopWords/);
    expect(invalidOption({ stopWords: ['the end'] }).message).toMatch(/stopWords/);
    expect(invalidOption('gopher').message).toMatch(/options must be an object/);
    expect(() => checkQuality(42 as unknown as string)).toThrow(/expects a string/);
  });
});

describe('hostile input', () => {
  const MB = 1 << 20;
  let seed = 7;
  const rand = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const SYMBOLS = '!@#$%^&*(){}[]<>?/|\\~`.,;:\'"-_=+ \n';
  const inputs: Record<string, string> = {
    'one repeated character': 'a'.repeat(MB),
    'no spaces': Array.from({ length: MB }, () => String.fromCharCode(97 + Math.floor(rand() * 26))).join(''),
    'random symbols': Array.from({ length: MB }, () => SYMBOLS[Math.floor(rand() * SYMBOLS.length)]).join(''),
    '100k lines': Array.from({ length: 100_000 }, (_, i) => `line ${i % 100}`).join('\n'),
    'one-letter words': 'a '.repeat(MB / 2),
  };

  for (const [name, text] of Object.entries(inputs)) {
    it(`${name}: every preset in well under 2 s`, () => {
      for (const preset of ['lenient', 'gopher', 'c4'] as const) {
        const t0 = performance.now();
        const r = checkQuality(text, { preset });
        const ms = performance.now() - t0;
        expect(ms, `${name} / ${preset}`).toBeLessThan(2000);
        if (preset === 'gopher') expect(r.ok, name).toBe(false);
      }
    });
  }

  it('surrogate pairs and lone surrogates: fast, and counted as broken', () => {
    const t0 = performance.now();
    const r = checkQuality('😀\uD800x'.repeat(MB / 4));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(r.stats.replacement_chars).toBe(MB / 4);
    expect(r.failed).toEqual(expect.arrayContaining(['mojibake', 'long_word']));
  });

  it('n-gram work grows linearly with the input', () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `row ${i % 50} of the table`).join('\n');
    const small = lines(5_000);
    const big = lines(20_000);
    const time = (t: string) => {
      let best = Number.POSITIVE_INFINITY;
      for (let k = 0; k < 3; k++) {
        const t0 = performance.now();
        checkQuality(t, { preset: 'gopher' });
        best = Math.min(best, performance.now() - t0);
      }
      return best;
    };
    time(small);
    // 4× the input: allow up to 16× the time (generous, the machine may be loaded), not 16× squared
    expect(time(big)).toBeLessThan(16 * time(small) + 100);
  });
});
