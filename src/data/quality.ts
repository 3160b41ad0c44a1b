/**
 * Document quality heuristics for training corpora: the Gopher quality and repetition filters (Rae et al.
 * 2021, "Scaling Language Models: Methods, Analysis & Insights from Training Gopher", appendix A — the
 * MassiveText filter), the C4 page filters (Raffel et al. 2020, section 2.2) and a few checks for clearly
 * broken text (mojibake, runaway character runs, kilobyte-long "words").
 *
 * Pure and linear-time: one `charCodeAt` pass over the text (no regular expression touches the text), then
 * passes over the lines, paragraphs and word hashes it collected. N-grams are never built as strings: each
 * word gets a 32-bit hash, an n-gram two 32-bit hashes chained from its words', counted in an
 * open-addressing table of typed arrays. A repeated (n+1)-gram always starts with a repeated n-gram, so
 * level n + 1 only revisits the positions whose n-gram repeated. Measured with bench/quality.bench.ts.
 *
 * ## Rules
 *
 * A rule fails when its measure is above its maximum (or below its minimum). A threshold of `null`, or the
 * rule's id in `disable`, turns the rule off. `failed` lists rule ids in the order below; `stats` holds the
 * measures by the names in the third column.
 *
 * | rule id | measure (`stats` key) | lenient (default) | gopher | c4 |
 * |---|---|---|---|---|
 * | `word_count` | words, whitespace-separated (`word_count`) | ≥ 1 | 50 – 100,000 | ≥ 1 |
 * | `mean_word_length` | mean length of words, edge punctuation trimmed (`mean_word_length`) | – | 3 – 10 | – |
 * | `symbol_ratio` | `#` per word, and `...`/`…` per word, the larger (`symbol_ratio`) | – | ≤ 0.1 | – |
 * | `bullet_lines` | fraction of lines starting with a bullet `•‣◦⁃●○▪■□·∙-*–—` (`bullet_line_frac`) | – | ≤ 0.9 | – |
 * | `ellipsis_lines` | fraction of lines ending with `...` or `…` (`ellipsis_line_frac`) | – | ≤ 0.3 | – |
 * | `alpha_words` | fraction of words with an alphabetic character (`alpha_word_frac`) | – | ≥ 0.8 | – |
 * | `stop_words` | occurrences of the stop words "the be to of and that have with" (`stop_word_count`) | – | ≥ 2 | – |
 * | `digit_ratio` | decimal digits / non-space characters (`digit_ratio`) | – | – | – |
 * | `non_alnum_ratio` | characters neither letter, mark nor number / non-space characters, emoji left out of both (Extended_Pictographic, skin tones, flags, tags, keycap, VS16, ZWJ) (`non_alnum_ratio`) | ≤ 0.7 | ≤ 0.7 | ≤ 0.7 |
 * | `dup_line_frac` | lines that repeat an earlier line / lines (`dup_line_frac`) | ≤ 0.7 | ≤ 0.30 | ≤ 0.7 |
 * | `dup_line_char_frac` | characters in repeated lines / characters (`dup_line_char_frac`) | – | ≤ 0.20 | – |
 * | `dup_para_frac` | paragraphs that repeat an earlier one / paragraphs (`dup_para_frac`) | – | ≤ 0.30 | – |
 * | `dup_para_char_frac` | characters in repeated paragraphs / characters (`dup_para_char_frac`) | – | ≤ 0.20 | – |
 * | `top_ngram_2` … `top_ngram_4` | word characters in the most frequent repeated n-gram (the longest among ties) × its count / word characters (`top_ngram_N`) | – | ≤ 0.20, 0.18, 0.16 | – |
 * | `dup_ngram_5` … `dup_ngram_10` | word characters covered by n-grams occurring twice or more / word characters (`dup_ngram_N`) | – | ≤ 0.15, 0.14, 0.13, 0.12, 0.11, 0.10 | – |
 * | `lorem_ipsum` | occurrences of "lorem ipsum", any case (`lorem_ipsum`) | – | – | ≤ 0 |
 * | `javascript` | lines containing "javascript", any case (`javascript_lines`) | – | – | ≤ 0 |
 * | `curly_brace` | `{` characters (`curly_braces`) | – | – | ≤ 0 |
 * | `sentence_count` | sentences: words ending in `.` `!` `?` `…` or another script's full stop (`。` `！` `？` `؟` `۔` `।` `॥` …; before closing quotes or brackets), a CJK `。` `！` `？` inside a word, plus unterminated text at the end (`sentence_count`) | – | – | ≥ 5 |
 * | `long_word` | longest word in characters, not counting characters of scripts written without spaces (`max_word_length`) | ≤ 1000 | ≤ 1000 | ≤ 1000 |
 * | `mojibake` | (U+FFFD + control characters + UTF-8-read-as-Latin-1 pairs such as `Ã©`, `â€`) / characters (`mojibake_ratio`) | ≤ 0.01 | ≤ 0.01 | ≤ 0.01 |
 * | `char_run` | longest run of one repeated character (code point) (`max_char_run`) | ≤ 200 | ≤ 200 | ≤ 200 |
 *
 * `lenient` only rejects clearly broken text and suits multilingual instruction data with short records;
 * `gopher` and `c4` add their paper's rules on top of it. Other `stats`: `char_count`, `line_count`,
 * `para_count`, `hash_word_ratio`, `ellipsis_word_ratio`, `replacement_chars`, `control_chars`.
 *
 * Definitions: characters are UTF-16 code units (a surrogate pair counts twice in ratios and once in
 * runs); a word is a maximal run of non-whitespace; a line is split on `\n` and blank lines are not
 * counted; paragraphs are separated by blank lines. Lines, paragraphs and n-grams are compared word by
 * word (case-sensitively; differences in whitespace do not count), and their lengths are taken without
 * surrounding whitespace. Letters, marks and numbers are Unicode's (`\p{L}`, `\p{M}`, `\p{N}`), so the
 * ratios work for any script; stop words are matched ASCII-case-insensitively after trimming edge
 * punctuation. A repeated n-gram counts all of its occurrences (the first included, overlaps once); the
 * most frequent n-gram only counts when it occurs at least twice. Ratios over an empty denominator are 0;
 * the per-word rules (`mean_word_length`, `symbol_ratio`, `alpha_words`) are skipped for text with no
 * words. Hash collisions can only make text look more repetitive, never less; with 64 bits per line and
 * n-gram they are negligible.
 */
import { LifeguardError } from '../core/errors.js';
import { isUnspacedScript, WORD_MUL_A, WORD_MUL_B, type WordSink } from './word-sink.js';

export type QualityPreset = 'lenient' | 'gopher' | 'c4';

/** Stable rule ids, in the order `failed` lists them. */
export const QUALITY_RULE_IDS = [
  'word_count',
  'mean_word_length',
  'symbol_ratio',
  'bullet_lines',
  'ellipsis_lines',
  'alpha_words',
  'stop_words',
  'digit_ratio',
  'non_alnum_ratio',
  'dup_line_frac',
  'dup_line_char_frac',
  'dup_para_frac',
  'dup_para_char_frac',
  'top_ngram_2',
  'top_ngram_3',
  'top_ngram_4',
  'dup_ngram_5',
  'dup_ngram_6',
  'dup_ngram_7',
  'dup_ngram_8',
  'dup_ngram_9',
  'dup_ngram_10',
  'lorem_ipsum',
  'javascript',
  'curly_brace',
  'sentence_count',
  'long_word',
  'mojibake',
  'char_run',
] as const;

export type QualityRuleId = (typeof QUALITY_RULE_IDS)[number];

export type TopNgramSize = 2 | 3 | 4;
export type DupNgramSize = 5 | 6 | 7 | 8 | 9 | 10;

/** Thresholds: a number sets the rule's limit, `null` turns the rule off, omitted takes the preset's. */
export interface QualityOptions {
  /** Base thresholds (default `lenient`). */
  preset?: QualityPreset;
  /** Rules to turn off whatever their thresholds. */
  disable?: readonly QualityRuleId[];
  /** `word_count`: fewest words (lenient 1, gopher 50, c4 1). */
  minWords?: number | null;
  /** `word_count`: most words (gopher 100,000). */
  maxWords?: number | null;
  /** `mean_word_length` lower bound (gopher 3). */
  minMeanWordLength?: number | null;
  /** `mean_word_length` upper bound (gopher 10). */
  maxMeanWordLength?: number | null;
  /** `symbol_ratio`: `#` per word and `...`/`…` per word (gopher 0.1). */
  maxSymbolWordRatio?: number | null;
  /** `bullet_lines` (gopher 0.9). */
  maxBulletLineFrac?: number | null;
  /** `ellipsis_lines` (gopher 0.3). */
  maxEllipsisLineFrac?: number | null;
  /** `alpha_words` (gopher 0.8). */
  minAlphaWordFrac?: number | null;
  /** `stop_words`: fewest stop-word occurrences (gopher 2). */
  minStopWords?: number | null;
  /** The stop words `stop_words` counts (default the Gopher list: the, be, to, of, and, that, have, with). */
  stopWords?: readonly string[];
  /** `digit_ratio` (off in every preset). */
  maxDigitRatio?: number | null;
  /** `non_alnum_ratio` (0.7 in every preset). */
  maxNonAlnumRatio?: number | null;
  /** `dup_line_frac` (lenient and c4 0.7, gopher 0.30). */
  maxDupLineFrac?: number | null;
  /** `dup_line_char_frac` (gopher 0.20). */
  maxDupLineCharFrac?: number | null;
  /** `dup_para_frac` (gopher 0.30). */
  maxDupParaFrac?: number | null;
  /** `dup_para_char_frac` (gopher 0.20). */
  maxDupParaCharFrac?: number | null;
  /** `top_ngram_2..4` (gopher 0.20, 0.18, 0.16). */
  maxTopNgramCharFrac?: Partial<Record<TopNgramSize, number | null>>;
  /** `dup_ngram_5..10` (gopher 0.15, 0.14, 0.13, 0.12, 0.11, 0.10). */
  maxDupNgramCharFrac?: Partial<Record<DupNgramSize, number | null>>;
  /** `lorem_ipsum`: most occurrences (c4 0). */
  maxLoremIpsum?: number | null;
  /** `javascript`: most lines mentioning JavaScript (c4 0). */
  maxJavascriptLines?: number | null;
  /** `curly_brace`: most `{` characters (c4 0). */
  maxCurlyBraces?: number | null;
  /** `sentence_count`: fewest sentences (c4 5). */
  minSentences?: number | null;
  /** `long_word`: longest word in characters (1000 in every preset). */
  maxWordLength?: number | null;
  /** `mojibake` (0.01 in every preset). */
  maxMojibakeRatio?: number | null;
  /** `char_run`: longest run of one repeated character (200 in every preset). */
  maxCharRun?: number | null;
}

export interface QualityResult {
  /** No rule failed. */
  ok: boolean;
  /** Ids of the failed rules, in `QUALITY_RULE_IDS` order. */
  failed: QualityRuleId[];
  /** Measures by name; n-gram measures only when an n-gram rule is on. */
  stats: Record<string, number>;
}

type Threshold = number | null;

/** Resolved thresholds of every rule (`null` = off). */
export interface QualityThresholds {
  minWords: Threshold;
  maxWords: Threshold;
  minMeanWordLength: Threshold;
  maxMeanWordLength: Threshold;
  maxSymbolWordRatio: Threshold;
  maxBulletLineFrac: Threshold;
  maxEllipsisLineFrac: Threshold;
  minAlphaWordFrac: Threshold;
  minStopWords: Threshold;
  maxDigitRatio: Threshold;
  maxNonAlnumRatio: Threshold;
  maxDupLineFrac: Threshold;
  maxDupLineCharFrac: Threshold;
  maxDupParaFrac: Threshold;
  maxDupParaCharFrac: Threshold;
  /** Index n (2..4). */
  maxTopNgramCharFrac: readonly Threshold[];
  /** Index n (5..10). */
  maxDupNgramCharFrac: readonly Threshold[];
  maxLoremIpsum: Threshold;
  maxJavascriptLines: Threshold;
  maxCurlyBraces: Threshold;
  minSentences: Threshold;
  maxWordLength: Threshold;
  maxMojibakeRatio: Threshold;
  maxCharRun: Threshold;
}

/** Options validated once (`compileQualityOptions`), for the hot path. */
export interface CompiledQualityOptions {
  readonly [COMPILED]: true;
  readonly preset: QualityPreset;
  readonly thresholds: Readonly<QualityThresholds>;
  readonly stopWords: readonly string[];
  /** Smallest and largest n of an enabled n-gram rule (0 when none). */
  readonly ngramLo: number;
  readonly ngramHi: number;
}

const COMPILED = Symbol.for('lifeguard.quality.compiled');

const GOPHER_STOP_WORDS = ['the', 'be', 'to', 'of', 'and', 'that', 'have', 'with'] as const;

const LENIENT: QualityThresholds = {
  minWords: 1,
  maxWords: null,
  minMeanWordLength: null,
  maxMeanWordLength: null,
  maxSymbolWordRatio: null,
  maxBulletLineFrac: null,
  maxEllipsisLineFrac: null,
  minAlphaWordFrac: null,
  minStopWords: null,
  maxDigitRatio: null,
  maxNonAlnumRatio: 0.7,
  maxDupLineFrac: 0.7,
  maxDupLineCharFrac: null,
  maxDupParaFrac: null,
  maxDupParaCharFrac: null,
  maxTopNgramCharFrac: Object.freeze([null, null, null, null, null]),
  maxDupNgramCharFrac: Object.freeze([null, null, null, null, null, null, null, null, null, null, null]),
  maxLoremIpsum: null,
  maxJavascriptLines: null,
  maxCurlyBraces: null,
  minSentences: null,
  maxWordLength: 1000,
  maxMojibakeRatio: 0.01,
  maxCharRun: 200,
};

/** Thresholds of each preset (`null` = off). */
export const QUALITY_PRESETS: Readonly<Record<QualityPreset, Readonly<QualityThresholds>>> = Object.freeze({
  lenient: Object.freeze(LENIENT),
  gopher: Object.freeze({
    ...LENIENT,
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
    maxTopNgramCharFrac: Object.freeze([null, null, 0.2, 0.18, 0.16]),
    maxDupNgramCharFrac: Object.freeze([null, null, null, null, null, 0.15, 0.14, 0.13, 0.12, 0.11, 0.1]),
  }),
  c4: Object.freeze({
    ...LENIENT,
    maxLoremIpsum: 0,
    maxJavascriptLines: 0,
    maxCurlyBraces: 0,
    minSentences: 5,
  }),
});

// ---------------------------------------------------------------------------------------------------
// Validation

type Kind = 'fraction' | 'ratio' | 'count' | 'length';
const SCALAR_OPTIONS: Record<string, Kind> = {
  minWords: 'count',
  maxWords: 'count',
  minMeanWordLength: 'ratio',
  maxMeanWordLength: 'ratio',
  maxSymbolWordRatio: 'ratio',
  maxBulletLineFrac: 'fraction',
  maxEllipsisLineFrac: 'fraction',
  minAlphaWordFrac: 'fraction',
  minStopWords: 'count',
  maxDigitRatio: 'fraction',
  maxNonAlnumRatio: 'fraction',
  maxDupLineFrac: 'fraction',
  maxDupLineCharFrac: 'fraction',
  maxDupParaFrac: 'fraction',
  maxDupParaCharFrac: 'fraction',
  maxLoremIpsum: 'count',
  maxJavascriptLines: 'count',
  maxCurlyBraces: 'count',
  minSentences: 'count',
  maxWordLength: 'length',
  maxMojibakeRatio: 'fraction',
  maxCharRun: 'length',
};
const OTHER_OPTIONS = new Set(['preset', 'disable', 'stopWords', 'maxTopNgramCharFrac', 'maxDupNgramCharFrac']);
const PRESETS: readonly QualityPreset[] = ['lenient', 'gopher', 'c4'];

function invalid(message: string): never {
  throw new LifeguardError('LG_ERR_INPUT_INVALID', `invalid quality option: ${message}`);
}

function checkThreshold(name: string, value: unknown, kind: Kind): Threshold {
  if (value === null) return null;
  const what = {
    fraction: 'a number from 0 to 1',
    ratio: 'a non-negative number',
    count: 'a non-negative integer',
    length: 'a positive integer',
  }[kind];
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= 0 &&
    (kind !== 'fraction' || value <= 1) &&
    (kind === 'fraction' || kind === 'ratio' || Number.isInteger(value)) &&
    (kind !== 'length' || value >= 1);
  if (!ok) invalid(`${name} must be ${what} or null (off), got ${describe(value)}`);
  return value as number;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  return String(value);
}

function checkNgramMap(
  name: string,
  value: unknown,
  sizes: readonly number[],
  base: readonly Threshold[],
): Threshold[] {
  const out = [...base];
  if (value === undefined) return out;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalid(`${name} must be an object keyed by n-gram size (${sizes.join(', ')}), got ${describe(value)}`);
  }
  for (const [key, v] of Object.entries(value)) {
    const n = Number(key);
    if (!sizes.includes(n)) invalid(`${name} has n-gram size ${key}; allowed sizes are ${sizes.join(', ')}`);
    if (v !== undefined) out[n] = checkThreshold(`${name}[${key}]`, v, 'fraction');
  }
  return out;
}

/**
 * Validates options once and resolves them against their preset. Throws `LG_ERR_INPUT_INVALID` naming
 * the offending option. Pass the result to `checkQuality` in loops.
 */
export function compileQualityOptions(options: QualityOptions = {}): CompiledQualityOptions {
  if (isCompiled(options)) return options;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    invalid(`options must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!(key in SCALAR_OPTIONS) && !OTHER_OPTIONS.has(key)) {
      invalid(`unknown option ${JSON.stringify(key)}`);
    }
  }
  const preset = options.preset ?? 'lenient';
  if (!PRESETS.includes(preset)) invalid(`preset must be one of ${PRESETS.join(', ')}, got ${describe(preset)}`);
  const base = QUALITY_PRESETS[preset];
  const t: QualityThresholds = { ...base };
  const record = t as unknown as Record<string, Threshold>;
  const given = options as Record<string, unknown>;
  for (const [name, kind] of Object.entries(SCALAR_OPTIONS)) {
    if (given[name] !== undefined) record[name] = checkThreshold(name, given[name], kind);
  }
  t.maxTopNgramCharFrac = checkNgramMap(
    'maxTopNgramCharFrac',
    options.maxTopNgramCharFrac,
    [2, 3, 4],
    base.maxTopNgramCharFrac,
  );
  t.maxDupNgramCharFrac = checkNgramMap(
    'maxDupNgramCharFrac',
    options.maxDupNgramCharFrac,
    [5, 6, 7, 8, 9, 10],
    base.maxDupNgramCharFrac,
  );
  if (t.minWords !== null && t.maxWords !== null && t.minWords > t.maxWords) {
    invalid(`minWords (${t.minWords}) is above maxWords (${t.maxWords})`);
  }
  if (t.minMeanWordLength !== null && t.maxMeanWordLength !== null && t.minMeanWordLength > t.maxMeanWordLength) {
    invalid(`minMeanWordLength (${t.minMeanWordLength}) is above maxMeanWordLength (${t.maxMeanWordLength})`);
  }

  let stopWords: readonly string[] = GOPHER_STOP_WORDS;
  if (options.stopWords !== undefined) {
    if (!Array.isArray(options.stopWords) || options.stopWords.length === 0) {
      invalid(`stopWords must be a non-empty array of words, got ${describe(options.stopWords)}`);
    }
    for (const w of options.stopWords) {
      if (typeof w !== 'string' || w.length === 0 || w.length > 64 || /\s/.test(w)) {
        invalid(`stopWords must hold single words of 1 to 64 characters without spaces, got ${describe(w)}`);
      }
    }
    stopWords = [...new Set(options.stopWords.map(asciiLower))];
  }

  if (options.disable !== undefined) {
    if (!Array.isArray(options.disable))
      invalid(`disable must be an array of rule ids, got ${describe(options.disable)}`);
    for (const id of options.disable) {
      if (!(QUALITY_RULE_IDS as readonly string[]).includes(id)) {
        invalid(`disable lists unknown rule ${describe(id)}; rule ids are ${QUALITY_RULE_IDS.join(', ')}`);
      }
      disableRule(t, id);
    }
  }

  let ngramLo = 0;
  let ngramHi = 0;
  for (let n = 2; n <= 10; n++) {
    const th = n <= 4 ? t.maxTopNgramCharFrac[n] : t.maxDupNgramCharFrac[n];
    if (th !== null && th !== undefined) {
      if (ngramLo === 0) ngramLo = n;
      ngramHi = n;
    }
  }
  Object.freeze(t.maxTopNgramCharFrac);
  Object.freeze(t.maxDupNgramCharFrac);
  return Object.freeze({
    [COMPILED]: true as const,
    preset,
    thresholds: Object.freeze(t),
    stopWords: Object.freeze([...stopWords]),
    ngramLo,
    ngramHi,
  });
}

function disableRule(t: QualityThresholds, id: QualityRuleId): void {
  const top = id.match(/^top_ngram_(\d+)$/);
  if (top) {
    (t.maxTopNgramCharFrac as Threshold[])[Number(top[1])] = null;
    return;
  }
  const dup = id.match(/^dup_ngram_(\d+)$/);
  if (dup) {
    (t.maxDupNgramCharFrac as Threshold[])[Number(dup[1])] = null;
    return;
  }
  const keys: Record<string, Array<keyof QualityThresholds>> = {
    word_count: ['minWords', 'maxWords'],
    mean_word_length: ['minMeanWordLength', 'maxMeanWordLength'],
    symbol_ratio: ['maxSymbolWordRatio'],
    bullet_lines: ['maxBulletLineFrac'],
    ellipsis_lines: ['maxEllipsisLineFrac'],
    alpha_words: ['minAlphaWordFrac'],
    stop_words: ['minStopWords'],
    digit_ratio: ['maxDigitRatio'],
    non_alnum_ratio: ['maxNonAlnumRatio'],
    dup_line_frac: ['maxDupLineFrac'],
    dup_line_char_frac: ['maxDupLineCharFrac'],
    dup_para_frac: ['maxDupParaFrac'],
    dup_para_char_frac: ['maxDupParaCharFrac'],
    lorem_ipsum: ['maxLoremIpsum'],
    javascript: ['maxJavascriptLines'],
    curly_brace: ['maxCurlyBraces'],
    sentence_count: ['minSentences'],
    long_word: ['maxWordLength'],
    mojibake: ['maxMojibakeRatio'],
    char_run: ['maxCharRun'],
  };
  for (const k of keys[id]) (t as unknown as Record<string, Threshold>)[k] = null;
}

function isCompiled(options: unknown): options is CompiledQualityOptions {
  return typeof options === 'object' && options !== null && (options as Record<symbol, unknown>)[COMPILED] === true;
}

function asciiLower(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 65 && c <= 90 ? String.fromCharCode(c | 32) : s[i];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Character classes

const SPACE = 1;
const LETTER = 2;
const DIGIT = 3;
/** Alphanumeric but not alphabetic: combining marks, non-decimal numbers (`²`, `Ⅻ`). */
const ALNUM = 4;
const SYMBOL = 5;
const CONTROL = 6;
const REPLACEMENT = 7;
const HIGH_SURROGATE = 9;
const LOW_SURROGATE = 10;
/**
 * Emoji: Extended_Pictographic, skin tones, regional indicators, tags, the keycap mark, VS16 and the zero-width
 * joiner. Symbols everywhere except `non_alnum_ratio`, which leaves them out (chat with emoji is not symbol soup).
 */
const EMOJI = 8;

/** Classes of the BMP, filled lazily (0 = not looked up yet). */
const CLASS = new Uint8Array(65536);
for (let c = 0; c < 128; c++) {
  CLASS[c] =
    c === 9 || c === 10 || c === 11 || c === 12 || c === 13 || c === 32
      ? SPACE
      : c < 32 || c === 127
        ? CONTROL
        : (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
          ? LETTER
          : c >= 48 && c <= 57
            ? DIGIT
            : SYMBOL;
}
const RE_SPACE = /^\s$/u;
const RE_LETTER = /^\p{L}$/u;
const RE_DIGIT = /^\p{Nd}$/u;
const RE_ALNUM = /^[\p{M}\p{N}]$/u;
const RE_CONTROL = /^\p{Cc}$/u;
const RE_EMOJI = /^\p{Extended_Pictographic}$/u;
/** Direct-mapped cache of astral code point classes (key −1 = empty). */
const ASTRAL_KEY = new Int32Array(4096).fill(-1);
const ASTRAL_CLASS = new Uint8Array(4096);

function classifyCodePoint(cp: number): number {
  if (cp === 0xfffd) return REPLACEMENT;
  if (cp >= 0xd800 && cp <= 0xdbff) return HIGH_SURROGATE;
  if (cp >= 0xdc00 && cp <= 0xdfff) return LOW_SURROGATE;
  if (
    cp === 0x200d ||
    cp === 0xfe0f ||
    cp === 0x20e3 ||
    (cp >= 0x1f3fb && cp <= 0x1f3ff) ||
    (cp >= 0x1f1e6 && cp <= 0x1f1ff) ||
    (cp >= 0xe0020 && cp <= 0xe007f)
  ) {
    return EMOJI;
  }
  const s = String.fromCodePoint(cp);
  if (RE_EMOJI.test(s)) return EMOJI;
  if (RE_SPACE.test(s)) return SPACE;
  if (RE_LETTER.test(s)) return LETTER;
  if (RE_DIGIT.test(s)) return DIGIT;
  if (RE_ALNUM.test(s)) return ALNUM;
  if (RE_CONTROL.test(s)) return CONTROL;
  return SYMBOL;
}

function classOf(c: number): number {
  let k = CLASS[c];
  if (k === 0) {
    k = classifyCodePoint(c);
    CLASS[c] = k;
  }
  return k;
}

function astralClass(cp: number): number {
  const slot = cp & 4095;
  if (ASTRAL_KEY[slot] === cp) return ASTRAL_CLASS[slot];
  const k = classifyCodePoint(cp);
  ASTRAL_KEY[slot] = cp;
  ASTRAL_CLASS[slot] = k;
  return k;
}

function isBullet(c: number): boolean {
  return (
    c === 45 || // -
    c === 42 || // *
    c === 0x2022 || // •
    c === 0x2023 || // ‣
    c === 0x25e6 || // ◦
    c === 0x2043 || // ⁃
    c === 0x25cf || // ●
    c === 0x25cb || // ○
    c === 0x25aa || // ▪
    c === 0x25a0 || // ■
    c === 0x25a1 || // □
    c === 0xb7 || // ·
    c === 0x2219 || // ∙
    c === 0x2013 || // –
    c === 0x2014 // —
  );
}

/** Closing quotes and brackets that may follow a sentence's last punctuation mark. */
function isCloser(c: number): boolean {
  return (
    c === 34 || // "
    c === 39 || // '
    c === 41 || // )
    c === 93 || // ]
    c === 0x201d || // ”
    c === 0x2019 || // ’
    c === 0xbb || // »
    c === 0x300d || // 」
    c === 0x300f || // 』
    c === 0x3011 || // 】
    c === 0x300b || // 》
    c === 0x3009 || // 〉
    c === 0xff09 || // ）
    c === 0xff3d // ］
  );
}

/**
 * Sentence-ending marks of other scripts (besides `.` `!` `?` `…`): Armenian `։`, Arabic and Urdu `؟` `۔`,
 * Devanagari `।` `॥`, Myanmar `။`, Ethiopic `።` `፧`, `‼` `⁇` `⁈` `⁉`, CJK `。` and full-width `！` `？` `．`.
 */
function isSentenceStop(c: number): boolean {
  return (
    c === 0x589 ||
    c === 0x61f ||
    c === 0x6d4 ||
    c === 0x964 ||
    c === 0x965 ||
    c === 0x104b ||
    c === 0x1362 ||
    c === 0x1367 ||
    c === 0x203c ||
    (c >= 0x2047 && c <= 0x2049) ||
    c === 0x3002 ||
    c === 0xff01 ||
    c === 0xff0e ||
    c === 0xff1f
  );
}

/**
 * A CJK `。` `！` `？` just before `at` ends a sentence inside its word: the run of marks ends there and, after at
 * most four closing quotes or brackets, the word goes on (at the word's end the end-of-word test counts it).
 */
function innerSentenceEnd(text: string, at: number, n: number): boolean {
  let c = at < n ? text.charCodeAt(at) : 32;
  if (isSentenceStop(c) || c === 46 || c === 33 || c === 63 || c === 0x2026) return false; // not the run's last
  let j = at;
  while (j < n && j < at + 4 && isCloser(c)) c = ++j < n ? text.charCodeAt(j) : 32;
  return j < n && classOf(c) !== SPACE;
}

/** Windows-1252 characters that stand for bytes 0x80–0x9F when UTF-8 is read as Windows-1252. */
function isCp1252High(c: number): boolean {
  return (
    c === 0x20ac ||
    c === 0x201a ||
    c === 0x192 ||
    c === 0x201e ||
    c === 0x2026 ||
    c === 0x2020 ||
    c === 0x2021 ||
    c === 0x2c6 ||
    c === 0x2030 ||
    c === 0x160 ||
    c === 0x2039 ||
    c === 0x152 ||
    c === 0x17d ||
    c === 0x2018 ||
    c === 0x2019 ||
    c === 0x201c ||
    c === 0x201d ||
    c === 0x2022 ||
    c === 0x2013 ||
    c === 0x2014 ||
    c === 0x2dc ||
    c === 0x2122 ||
    c === 0x161 ||
    c === 0x203a ||
    c === 0x153 ||
    c === 0x17e ||
    c === 0x178
  );
}

/** `prev c` looks like UTF-8 bytes decoded one by one: `Ã©` (é), `Â ` (nbsp), `â€™` (’), `ðŸ` (emoji). */
function isMojibakePair(prev: number, c: number): boolean {
  if (prev === 0xc3 || prev === 0xc2) return (c >= 0x80 && c <= 0xbf) || isCp1252High(c);
  if (prev === 0xe2) return c === 0x20ac || c === 0x201e || c === 0x2020;
  if (prev === 0xf0) return c === 0x178;
  return false;
}

/** The text at `at` reads `word` (given in lower case), ASCII-case-insensitively. */
function matchesLower(text: string, at: number, word: string): boolean {
  if (at + word.length > text.length) return false;
  for (let k = 0; k < word.length; k++) {
    const c = text.charCodeAt(at + k);
    if ((c >= 65 && c <= 90 ? c | 32 : c) !== word.charCodeAt(k)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------
// Scratch buffers, reused across calls (checkQuality is synchronous, so one set suffices)

class IntBuf {
  a = new Int32Array(256);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
}

function ensure(a: Int32Array, n: number): Int32Array {
  return a.length >= n ? a : new Int32Array(Math.max(n, a.length * 2));
}

/**
 * Open-addressing counter keyed by two 32-bit hashes, cleared in O(1) by a generation stamp. One slot is
 * four adjacent ints (key a, key b, count, stamp), so a probe touches one cache line.
 */
class HashCounter {
  slots = new Int32Array(0);
  generation = 0;
  slotMask = 0;
  indexShift = 0;

  reset(items: number): void {
    let bits = 6;
    while (1 << bits < items * 2) bits++;
    const cap = 1 << bits;
    if (cap * 4 > this.slots.length) {
      this.slots = new Int32Array(cap * 4);
      this.generation = 0;
    }
    this.slotMask = cap - 1;
    this.indexShift = 32 - bits;
    this.generation++;
    if (this.generation === 0x7fffffff) {
      this.slots.fill(0);
      this.generation = 1;
    }
  }

  /** Counts one occurrence of key (a, b); returns its slot's offset (`slots[offset + 2]` is its count so far). */
  add(a: number, b: number): number {
    const t = this.slots;
    const gen = this.generation;
    const mask = this.slotMask;
    let s = Math.imul(a ^ (b >>> 7), 0x9e3779b1) >>> this.indexShift;
    for (;;) {
      const o = s << 2;
      if (t[o + 3] !== gen) {
        t[o] = a;
        t[o + 1] = b;
        t[o + 2] = 1;
        t[o + 3] = gen;
        return o;
      }
      if (t[o] === a && t[o + 1] === b) {
        t[o + 2]++;
        return o;
      }
      s = (s + 1) & mask;
    }
  }
}

/** Per word: hash and length (only kept when an n-gram rule is on). */
const words = { h: new IntBuf(), len: new IntBuf() };
/** Per line and per paragraph: two hashes and the trimmed length. */
const lines = { ha: new IntBuf(), hb: new IntBuf(), len: new IntBuf() };
const paras = { ha: new IntBuf(), hb: new IntBuf(), len: new IntBuf() };
const table = new HashCounter();
let wordChars: Int32Array = new Int32Array(256);
let cand: Int32Array = new Int32Array(256);
let curA: Int32Array = new Int32Array(256);
let curB: Int32Array = new Int32Array(256);
let slotOf: Int32Array = new Int32Array(256);

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Two different ways to fold a word hash into a running n-gram hash; a false match needs both 32-bit
 * hashes to collide. (Collisions can only make text look more repetitive than it is, never less.)
 */
function mixA(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x01000193);
  return h ^ (h >>> 15);
}
function mixB(h: number, v: number): number {
  return (Math.imul(h, 0x5bd1e995) + v) | 0;
}

const SEED_A = 0x811c9dc5 | 0;
const SEED_B = 0x9747b28c | 0;
/**
 * `WORD_MUL_A` and `WORD_MUL_B` as literals: V8 reads an imported binding from its module cell (with a
 * hole check) at every use, which cost a tenth of the character loop. Checked equal below.
 */
const LANE_MUL_A = 0x01000193;
const LANE_MUL_B = 0x5bd1e995;
if (LANE_MUL_A !== WORD_MUL_A || LANE_MUL_B !== WORD_MUL_B)
  throw new Error('quality: word-sink lane multipliers changed');

interface StopIndex {
  byHash: Map<number, string[]>;
  min: number;
  max: number;
  /** 1 for each ASCII character (either case) a stop word starts with, 1 for all others (non-ASCII). */
  first: Uint8Array;
}
const STOP_CACHE = new WeakMap<readonly string[], StopIndex>();

function stopHash(h: number, c: number): number {
  return Math.imul(h ^ (c >= 65 && c <= 90 ? c | 32 : c), 0x01000193);
}

function stopIndex(stopWords: readonly string[]): StopIndex {
  let idx = STOP_CACHE.get(stopWords);
  if (!idx) {
    const byHash = new Map<number, string[]>();
    let min = Number.POSITIVE_INFINITY;
    let max = 0;
    const first = new Uint8Array(65536);
    first.fill(1, 128);
    for (const w of stopWords) {
      const c = w.charCodeAt(0);
      first[c] = 1;
      if (c >= 97 && c <= 122) first[c - 32] = 1;
      let h = SEED_A;
      for (let k = 0; k < w.length; k++) h = stopHash(h, w.charCodeAt(k));
      const list = byHash.get(h) ?? [];
      list.push(w);
      byHash.set(h, list);
      min = Math.min(min, w.length);
      max = Math.max(max, w.length);
    }
    idx = { byHash, min, max, first };
    STOP_CACHE.set(stopWords, idx);
  }
  return idx;
}

function isStopWord(text: string, from: number, to: number, idx: StopIndex): boolean {
  const len = to - from;
  if (len < idx.min || len > idx.max || idx.first[text.charCodeAt(from)] === 0) return false;
  let h = SEED_A;
  for (let k = from; k < to; k++) h = stopHash(h, text.charCodeAt(k));
  const list = idx.byHash.get(h);
  if (!list) return false;
  for (const w of list) if (w.length === len && matchesLower(text, from, w)) return true;
  return false;
}

/** Class of the character at `i` for the word-edge scans (surrogates: the pair's class). */
function classAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 128) return CLASS[c];
  const k = classOf(c);
  if (k === HIGH_SURROGATE) {
    const d = text.charCodeAt(i + 1);
    return d >= 0xdc00 && d <= 0xdfff ? astralClass(0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00)) : REPLACEMENT;
  }
  if (k === LOW_SURROGATE) {
    const d = text.charCodeAt(i - 1);
    return d >= 0xd800 && d <= 0xdbff ? astralClass(0x10000 + ((d - 0xd800) << 10) + (c - 0xdc00)) : REPLACEMENT;
  }
  return k;
}

/** Characters that do not count towards a word's length or stop-word match when at its edges. */
function isEdge(k: number): boolean {
  return k === SYMBOL || k === CONTROL || k === REPLACEMENT || k === EMOJI;
}

/** Counts "javascript" and "lorem ipsum" (ASCII-case-insensitive) starting inside [from, to). */
function scanPhrases(text: string, from: number, to: number, out: { js: number; lorem: number }): void {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) | 32;
    if (c === 106 && matchesLower(text, i + 1, 'avascript')) out.js++;
    else if (c === 108 && matchesLower(text, i + 1, 'orem ipsum')) out.lorem++;
  }
}

/** Counters of the main pass (one reused object). */
const scanOut = {
  letters: 0,
  digits: 0,
  alnumOther: 0,
  symbols: 0,
  emoji: 0,
  controls: 0,
  replacements: 0,
  mojibakePairs: 0,
  hashes: 0,
  ellipses: 0,
  curly: 0,
  lorem: 0,
  maxRun: 0,
  wordCount: 0,
  alphaWords: 0,
  trimmedChars: 0,
  trimmedWords: 0,
  maxWordLen: 0,
  stopCount: 0,
  sentences: 0,
  lineCount: 0,
  bulletLines: 0,
  ellipsisLines: 0,
  jsLines: 0,
};

/**
 * The single pass over the characters: class counts, words (hashes into `words` when n-grams are
 * wanted), lines and paragraphs (hashes into `lines` and `paras`). Written without closures so that
 * the counters stay in registers; per-word work (edges, stop words, sentence ends) happens once per
 * word, on the few characters at its ends.
 */
function scanText(
  text: string,
  wantPhrases: boolean,
  stop: StopIndex | null,
  wantNgrams: boolean,
  sink: WordSink | null,
): typeof scanOut {
  const n = text.length;
  const sinkA = sink === null ? 0 : sink.seedA | 0;
  const sinkB = sink === null ? 0 : sink.seedB | 0;
  sink?.reset(text);
  words.h.n = words.len.n = 0;
  lines.ha.n = lines.hb.n = lines.len.n = 0;
  paras.ha.n = paras.hb.n = paras.len.n = 0;
  const phrases = { js: 0, lorem: 0 };

  let letters = 0;
  let digits = 0;
  let alnumOther = 0;
  let symbols = 0;
  let emoji = 0;
  let controls = 0;
  let replacements = 0;
  let mojibakePairs = 0;
  let hashes = 0;
  let ellipses = 0;
  let curly = 0;
  let prev = -1;
  let run = 0;
  let maxRun = 0;
  // words
  let wordCount = 0;
  let alphaWords = 0;
  let trimmedChars = 0;
  let trimmedWords = 0;
  let maxWordLen = 0;
  let stopCount = 0;
  let sentences = 0;
  let openSentence = false;
  // the current line and paragraph
  let lineWords = 0;
  let lineStart = 0;
  let lineEnd = 0;
  let la = 0;
  let lb = 0;
  let lineJs = 0;
  let paraLines = 0;
  let paraStart = 0;
  let paraEnd = 0;
  let pa = 0;
  let pb = 0;
  // line totals
  let lineCount = 0;
  let bulletLines = 0;
  let ellipsisLines = 0;
  let jsLines = 0;

  let i = 0;
  // i === n acts as a final newline that closes the last line and paragraph
  while (i <= n) {
    const c = i < n ? text.charCodeAt(i) : 10;
    let k = CLASS[c];
    if (k === 0) k = classOf(c);
    if (k !== SPACE) {
      // ---- a word: [wordStart, i)
      const wordStart = i;
      let segStart = i;
      const letters0 = letters;
      const symbols0 = symbols;
      let h = SEED_A;
      // The sink's lanes (lower-cased word hashes for the dedup sketch), when one is passed.
      let wa = sinkA;
      let wb = sinkB;
      for (;;) {
        const d = text.charCodeAt(i);
        let q = CLASS[d];
        if (q === SPACE) break;
        if (q === LETTER && d < 128) {
          // An ASCII letter, most of any prose: the same steps as below with the fewest tests. The
          // sink's lanes are computed whether or not there is a sink (cheaper than testing for one).
          const lc = d | 32;
          wa = Math.imul(wa ^ lc, LANE_MUL_A);
          wb = Math.imul(wb ^ lc, LANE_MUL_B);
          h = Math.imul(h ^ d, 0x01000193);
          if (d === prev) run++;
          else {
            run = 1;
            prev = d;
          }
          if (run > maxRun) maxRun = run;
          letters++;
          if (++i >= n) break;
          continue;
        }
        const lc = d <= 90 && d >= 65 ? d + 32 : d;
        wa = Math.imul(wa ^ lc, LANE_MUL_A);
        wb = Math.imul(wb ^ lc, LANE_MUL_B);
        if (d >= 128) {
          if (sink !== null) sink.ascii = false;
          if (q === 0) {
            q = classOf(d);
            if (q === SPACE) break;
          }
          if (prev >= 0xc2 && isMojibakePair(prev, d)) mojibakePairs++;
          if (d >= 0x0e00 && isUnspacedScript(d)) {
            // scripts written without spaces: each character ends a segment for `long_word`
            if (i - segStart > maxWordLen) maxWordLen = i - segStart;
            segStart = i + 1;
            // and a full stop inside a "word" ends a sentence: `今天很好。明天也好。` is two
            if ((d === 0x3002 || d === 0xff01 || d === 0xff1f) && innerSentenceEnd(text, i + 1, n)) sentences++;
          }
          if (q >= HIGH_SURROGATE) {
            // (surrogates are the highest classes)
            const e = i + 1 < n ? text.charCodeAt(i + 1) : 0;
            if (q === HIGH_SURROGATE && e >= 0xdc00 && e <= 0xdfff) {
              // a pair: one code point for runs, two characters of its class for the ratios
              const cp = 0x10000 + ((d - 0xd800) << 10) + (e - 0xdc00);
              q = astralClass(cp);
              h = Math.imul(Math.imul(h ^ d, 0x01000193) ^ e, 0x01000193);
              if (cp === prev) run++;
              else {
                run = 1;
                prev = cp;
              }
              if (run > maxRun) maxRun = run;
              if (q === LETTER) letters += 2;
              else if (q === DIGIT) digits += 2;
              else if (q === ALNUM) alnumOther += 2;
              else {
                symbols += 2;
                if (q === EMOJI) emoji += 2;
              }
              i += 2;
              if (i >= n) break;
              continue;
            } else q = REPLACEMENT;
          }
        }
        h = Math.imul(h ^ d, 0x01000193);
        if (d === prev) run++;
        else {
          run = 1;
          prev = d;
        }
        if (run > maxRun) maxRun = run;
        if (q === LETTER) letters++;
        else if (q === SYMBOL) {
          symbols++;
          if (d === 46) {
            if (run % 3 === 0) ellipses++;
          } else if (d === 35) hashes++;
          else if (d === 123) curly++;
          else if (d === 0x2026) ellipses++;
        } else if (q === DIGIT) digits++;
        else if (q === ALNUM) alnumOther++;
        else if (q === EMOJI) {
          symbols++;
          emoji++;
        } else {
          symbols++;
          if (q === CONTROL) controls++;
          else replacements++;
        }
        if (++i >= n) break;
      }
      // ---- end of the word
      const end = i;
      const len = end - wordStart;
      wordCount++;
      if (end - segStart > maxWordLen) maxWordLen = end - segStart;
      if (letters > letters0) alphaWords++;
      let first = wordStart;
      let last = end - 1;
      if (symbols > symbols0) {
        // trim punctuation at the edges (only words that hold some)
        while (first < end && isEdge(classAt(text, first))) first++;
        if (first < end) while (isEdge(classAt(text, last))) last--;
      }
      if (first < end) {
        trimmedChars += last - first + 1;
        trimmedWords++;
        if (stop !== null && isStopWord(text, first, last + 1, stop)) stopCount++;
      }
      // a sentence ends with . ! ? … at the word's end, before closing quotes or brackets
      let e = end - 1;
      const floor = Math.max(wordStart, end - 4);
      let d = text.charCodeAt(e);
      while (e > floor && isCloser(d)) d = text.charCodeAt(--e);
      if (d === 46 || d === 33 || d === 63 || d === 0x2026 || (d >= 0x589 && isSentenceStop(d))) {
        sentences++;
        openSentence = false;
      } else openSentence = true;
      if (wantPhrases && len >= 5) {
        const js = phrases.js;
        scanPhrases(text, wordStart, end, phrases);
        if (phrases.js > js) lineJs++;
      }
      if (sink !== null) sink.push(wa, wb, len, end);
      const wh = h ^ len;
      if (wantNgrams) {
        words.h.push(wh);
        words.len.push(len);
      }
      if (lineWords === 0) {
        lineStart = wordStart;
        la = SEED_A;
        lb = SEED_B;
      }
      lineWords++;
      lineEnd = end;
      la = Math.imul(la ^ wh, 0x01000193);
      lb = Math.imul(lb + wh, 0x5bd1e995) ^ (lb >>> 15);
      continue; // i is at the whitespace (or n)
    }

    // ---- whitespace
    if (i < n) {
      if (c >= 128 && sink !== null) sink.ascii = false;
      if (c >= 128 && prev >= 0xc2 && isMojibakePair(prev, c)) mojibakePairs++; // `Â` + no-break space
      if (c === prev) run++;
      else {
        run = 1;
        prev = c;
      }
      if (run > maxRun) maxRun = run;
    }
    i++;
    if (c !== 10) continue;

    // ---- end of a line
    if (lineWords === 0) {
      // a blank line ends the paragraph
      if (paraLines > 0) {
        paras.ha.push(fmix(pa ^ paraLines));
        paras.hb.push(fmix(pb + paraLines));
        paras.len.push(paraEnd - paraStart);
        paraLines = 0;
      }
      continue;
    }
    lineCount++;
    const lh = fmix(la ^ lineWords);
    const lhb = fmix(lb + lineWords);
    lines.ha.push(lh);
    lines.hb.push(lhb);
    lines.len.push(lineEnd - lineStart);
    if (isBullet(text.charCodeAt(lineStart))) bulletLines++;
    const last = text.charCodeAt(lineEnd - 1);
    if (
      last === 0x2026 ||
      (last === 46 &&
        lineEnd - lineStart >= 3 &&
        text.charCodeAt(lineEnd - 2) === 46 &&
        text.charCodeAt(lineEnd - 3) === 46)
    ) {
      ellipsisLines++;
    }
    if (lineJs > 0) jsLines++;
    lineJs = 0;
    if (paraLines === 0) {
      paraStart = lineStart;
      pa = SEED_A;
      pb = SEED_B;
    }
    paraLines++;
    paraEnd = lineEnd;
    pa = Math.imul(pa ^ lh, 0x01000193);
    pb = Math.imul(pb + lhb, 0x5bd1e995) ^ (pb >>> 15);
    lineWords = 0;
  }
  if (paraLines > 0) {
    paras.ha.push(fmix(pa ^ paraLines));
    paras.hb.push(fmix(pb + paraLines));
    paras.len.push(paraEnd - paraStart);
  }
  if (openSentence) sentences++;

  const o = scanOut;
  o.letters = letters;
  o.digits = digits;
  o.alnumOther = alnumOther;
  o.symbols = symbols;
  o.emoji = emoji;
  o.controls = controls;
  o.replacements = replacements;
  o.mojibakePairs = mojibakePairs;
  o.hashes = hashes;
  o.ellipses = ellipses;
  o.curly = curly;
  o.lorem = phrases.lorem;
  o.maxRun = maxRun;
  o.wordCount = wordCount;
  o.alphaWords = alphaWords;
  o.trimmedChars = trimmedChars;
  o.trimmedWords = trimmedWords;
  o.maxWordLen = maxWordLen;
  o.stopCount = stopCount;
  o.sentences = sentences;
  o.lineCount = lineCount;
  o.bulletLines = bulletLines;
  o.ellipsisLines = ellipsisLines;
  o.jsLines = jsLines;
  return o;
}

const DEFAULT_COMPILED = compileQualityOptions();
const COMPILE_CACHE = new WeakMap<object, CompiledQualityOptions>();

// ---------------------------------------------------------------------------------------------------
// The check

/**
 * Checks one document against the quality rules. `options` may be plain options (validated and cached
 * per object) or the result of `compileQualityOptions`. `words`, when given, also receives the text's
 * lower-cased word hashes (see word-sink.ts), for the dedup sketch.
 */
export function checkQuality(
  text: string,
  options?: QualityOptions | CompiledQualityOptions,
  words?: WordSink,
): QualityResult {
  let opts: CompiledQualityOptions;
  if (options === undefined) opts = DEFAULT_COMPILED;
  else if (isCompiled(options)) opts = options;
  else {
    let c = COMPILE_CACHE.get(options);
    if (!c) {
      c = compileQualityOptions(options);
      COMPILE_CACHE.set(options, c);
    }
    opts = c;
  }
  if (typeof text !== 'string') {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `checkQuality expects a string, got ${typeof text}`);
  }
  const t = opts.thresholds;
  const stop = t.minStopWords !== null ? stopIndex(opts.stopWords) : null;
  const wantNgrams = opts.ngramLo > 0;

  const n = text.length;
  const s = scanText(text, t.maxLoremIpsum !== null || t.maxJavascriptLines !== null, stop, wantNgrams, words ?? null);
  const { letters, digits, alnumOther, symbols, emoji, controls, replacements, mojibakePairs, hashes, ellipses } = s;
  const { curly, lorem, maxRun, wordCount, alphaWords, trimmedChars, trimmedWords, maxWordLen } = s;
  const { stopCount, sentences, lineCount, bulletLines, ellipsisLines, jsLines } = s;

  // ---- duplicate lines and paragraphs
  countDuplicates(lines);
  const dupLines = dupItems;
  const dupLineChars = dupChars;
  const paraCount = paras.len.n;
  countDuplicates(paras);

  const nonSpace = letters + digits + alnumOther + symbols;
  const stats: Record<string, number> = {
    char_count: n,
    word_count: wordCount,
    line_count: lineCount,
    para_count: paraCount,
    mean_word_length: ratio(trimmedChars, trimmedWords),
    hash_word_ratio: ratio(hashes, wordCount),
    ellipsis_word_ratio: ratio(ellipses, wordCount),
    symbol_ratio: ratio(Math.max(hashes, ellipses), wordCount),
    bullet_line_frac: ratio(bulletLines, lineCount),
    ellipsis_line_frac: ratio(ellipsisLines, lineCount),
    alpha_word_frac: ratio(alphaWords, wordCount),
    stop_word_count: stopCount,
    digit_ratio: ratio(digits, nonSpace),
    non_alnum_ratio: ratio(symbols - emoji, nonSpace - emoji),
    dup_line_frac: ratio(dupLines, lineCount),
    dup_line_char_frac: ratio(dupLineChars, n),
    dup_para_frac: ratio(dupItems, paraCount),
    dup_para_char_frac: ratio(dupChars, n),
    lorem_ipsum: lorem,
    javascript_lines: jsLines,
    curly_braces: curly,
    sentence_count: sentences,
    max_word_length: maxWordLen,
    replacement_chars: replacements,
    control_chars: controls,
    mojibake_ratio: ratio(replacements + controls + mojibakePairs, n),
    max_char_run: maxRun,
  };
  if (wantNgrams) ngramStats(opts.ngramLo, opts.ngramHi, stats);

  // ---- decide
  const failed: QualityRuleId[] = [];
  if (below(wordCount, t.minWords) || above(wordCount, t.maxWords)) failed.push('word_count');
  if (wordCount > 0) {
    const mwl = stats.mean_word_length;
    if (below(mwl, t.minMeanWordLength) || above(mwl, t.maxMeanWordLength)) failed.push('mean_word_length');
    if (above(stats.symbol_ratio, t.maxSymbolWordRatio)) failed.push('symbol_ratio');
  }
  if (above(stats.bullet_line_frac, t.maxBulletLineFrac)) failed.push('bullet_lines');
  if (above(stats.ellipsis_line_frac, t.maxEllipsisLineFrac)) failed.push('ellipsis_lines');
  if (wordCount > 0 && below(stats.alpha_word_frac, t.minAlphaWordFrac)) failed.push('alpha_words');
  if (below(stopCount, t.minStopWords)) failed.push('stop_words');
  if (above(stats.digit_ratio, t.maxDigitRatio)) failed.push('digit_ratio');
  if (above(stats.non_alnum_ratio, t.maxNonAlnumRatio)) failed.push('non_alnum_ratio');
  if (above(stats.dup_line_frac, t.maxDupLineFrac)) failed.push('dup_line_frac');
  if (above(stats.dup_line_char_frac, t.maxDupLineCharFrac)) failed.push('dup_line_char_frac');
  if (above(stats.dup_para_frac, t.maxDupParaFrac)) failed.push('dup_para_frac');
  if (above(stats.dup_para_char_frac, t.maxDupParaCharFrac)) failed.push('dup_para_char_frac');
  if (wantNgrams) {
    for (let g = opts.ngramLo; g <= opts.ngramHi; g++) {
      const max = g <= 4 ? t.maxTopNgramCharFrac[g] : t.maxDupNgramCharFrac[g];
      if (above(stats[NGRAM_KEYS[g]], max)) failed.push(NGRAM_KEYS[g]);
    }
  }
  if (above(lorem, t.maxLoremIpsum)) failed.push('lorem_ipsum');
  if (above(jsLines, t.maxJavascriptLines)) failed.push('javascript');
  if (above(curly, t.maxCurlyBraces)) failed.push('curly_brace');
  if (below(sentences, t.minSentences)) failed.push('sentence_count');
  if (above(maxWordLen, t.maxWordLength)) failed.push('long_word');
  if (above(stats.mojibake_ratio, t.maxMojibakeRatio)) failed.push('mojibake');
  if (above(maxRun, t.maxCharRun)) failed.push('char_run');
  return { ok: failed.length === 0, failed, stats };
}

/** Output of `countDuplicates` (module-level, to spare an allocation per call). */
let dupItems = 0;
let dupChars = 0;

/** Items (and their characters) that repeat an earlier item with the same hashes, into `dupItems`/`dupChars`. */
function countDuplicates(items: { ha: IntBuf; hb: IntBuf; len: IntBuf }): void {
  dupItems = 0;
  dupChars = 0;
  const m = items.len.n;
  if (m < 2) return;
  table.reset(m);
  const ha = items.ha.a;
  const hb = items.hb.a;
  const len = items.len.a;
  const slots = table.slots;
  for (let i = 0; i < m; i++) {
    const s = table.add(ha[i], hb[i]);
    if (slots[s + 2] > 1) {
      dupItems++;
      dupChars += len[i];
    }
  }
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);
const above = (v: number, max: Threshold): boolean => max !== null && v > max;
const below = (v: number, min: Threshold): boolean => min !== null && v < min;
/** Rule id (and `stats` key) of each n-gram size. */
const NGRAM_KEYS = [
  '',
  '',
  'top_ngram_2',
  'top_ngram_3',
  'top_ngram_4',
  'dup_ngram_5',
  'dup_ngram_6',
  'dup_ngram_7',
  'dup_ngram_8',
  'dup_ngram_9',
  'dup_ngram_10',
] as const as readonly QualityRuleId[];

/**
 * Top n-gram (2..4) and duplicate n-gram (5..10) character fractions for n in [lo, hi], over the words
 * collected by the main pass. Level n hashes each candidate position's (n−1)-gram hash with one more
 * word, and only positions whose n-gram repeated go on to level n + 1.
 */
function ngramStats(lo: number, hi: number, stats: Record<string, number>): void {
  const w = words.len.n;
  const wh = words.h.a;
  const len = words.len.a;
  wordChars = ensure(wordChars, w + 1);
  cand = ensure(cand, w);
  curA = ensure(curA, w);
  curB = ensure(curB, w);
  slotOf = ensure(slotOf, w);
  const wc = wordChars;
  const pos = cand;
  const ka = curA;
  const kb = curB;
  const at = slotOf;
  wc[0] = 0;
  for (let i = 0; i < w; i++) wc[i + 1] = wc[i] + len[i];
  const total = wc[w];
  let m = 0;
  if (lo === 2) {
    // bigrams are keyed by their two word hashes as they are; chained hashes start at level 3
    for (let i = 0; i + 2 <= w; i++) {
      pos[m] = i;
      ka[m] = wh[i];
      kb[m] = wh[i + 1];
      m++;
    }
  } else {
    for (let i = 0; i + lo <= w; i++) {
      let a = SEED_A;
      let b = SEED_B;
      for (let j = i; j < i + lo; j++) {
        a = mixA(a, wh[j]);
        b = mixB(b, wh[j]);
      }
      pos[m] = i;
      ka[m] = a;
      kb[m] = b;
      m++;
    }
  }
  for (let g = lo; g <= hi; g++) {
    if (m === 0 || total === 0) {
      stats[NGRAM_KEYS[g]] = 0;
      m = 0;
      continue;
    }
    // count the g-grams at the candidate positions (open addressing, inlined)
    table.reset(m);
    const t = table.slots;
    const gen = table.generation;
    const mask = table.slotMask;
    const shift = table.indexShift;
    // the most frequent g-gram; among ties, the longest in characters
    let best = 0;
    let bestChars = 0;
    for (let j = 0; j < m; j++) {
      const a = ka[j];
      const b = kb[j];
      let s = Math.imul(a ^ (b >>> 7), 0x9e3779b1) >>> shift;
      let o = s << 2;
      while (t[o + 3] === gen && (t[o] !== a || t[o + 1] !== b)) {
        s = (s + 1) & mask;
        o = s << 2;
      }
      let c = 1;
      if (t[o + 3] === gen) c = ++t[o + 2];
      else {
        t[o] = a;
        t[o + 1] = b;
        t[o + 2] = 1;
        t[o + 3] = gen;
      }
      at[j] = o;
      if (c >= best) {
        const chars = wc[pos[j] + g] - wc[pos[j]];
        if (c > best || chars > bestChars) {
          best = c;
          bestChars = chars;
        }
      }
    }
    // measure, and keep the positions whose g-gram repeated (and have room for one more word)
    let covered = 0;
    let dup = 0;
    let next = 0;
    for (let j = 0; j < m; j++) {
      if (t[at[j] + 2] < 2) continue;
      const i = pos[j];
      const to = i + g;
      if (to > covered) {
        dup += wc[to] - wc[Math.max(i, covered)];
        covered = to;
      }
      if (to < w) {
        pos[next] = i;
        if (g === 2) {
          ka[next] = mixA(mixA(mixA(SEED_A, wh[i]), wh[i + 1]), wh[to]);
          kb[next] = mixB(mixB(mixB(SEED_B, wh[i]), wh[i + 1]), wh[to]);
        } else {
          ka[next] = mixA(ka[j], wh[to]);
          kb[next] = mixB(kb[j], wh[to]);
        }
        next++;
      }
    }
    if (g <= 4) stats[NGRAM_KEYS[g]] = best >= 2 ? (best * bestChars) / total : 0;
    else stats[NGRAM_KEYS[g]] = dup / total;
    m = next;
  }
}
