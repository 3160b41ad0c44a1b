/**
 * Randomness and placeholder heuristics shared by the rules: Shannon entropy, character-class mix,
 * placeholder / template detection and test markers.
 */

const counts = new Uint32Array(128);

/** Shannon entropy of a string in bits per character (0 for the empty string). */
export function shannonEntropy(text: string): number {
  const n = text.length;
  if (n === 0) return 0;
  counts.fill(0);
  let other: Map<number, number> | undefined;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) counts[c]++;
    else {
      other ??= new Map();
      other.set(c, (other.get(c) ?? 0) + 1);
    }
  }
  let h = 0;
  for (let c = 0; c < 128; c++) {
    const k = counts[c];
    if (k > 0) {
      const p = k / n;
      h -= p * Math.log2(p);
    }
  }
  if (other) {
    for (const k of other.values()) {
      const p = k / n;
      h -= p * Math.log2(p);
    }
  }
  return h;
}

export interface CharClasses {
  lower: boolean;
  upper: boolean;
  digit: boolean;
  symbol: boolean;
  /** How many of the four classes are present. */
  count: number;
}

export function charClasses(text: string): CharClasses {
  let lower = false;
  let upper = false;
  let digit = false;
  let symbol = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = true;
    else if (c >= 65 && c <= 90) upper = true;
    else if (c >= 48 && c <= 57) digit = true;
    else symbol = true;
  }
  return { lower, upper, digit, symbol, count: +lower + +upper + +digit + +symbol };
}

/** The entropy a value of this length needs before it counts as random-looking. */
export function entropyThreshold(length: number): number {
  return Math.min(3.2, 0.85 * Math.log2(Math.max(2, length)));
}

/** Share of the string taken by its most frequent character. */
function dominantShare(text: string): number {
  counts.fill(0);
  let max = 0;
  let nonAscii = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      const k = ++counts[c];
      if (k > max) max = k;
    } else nonAscii++;
  }
  return Math.max(max, nonAscii) / text.length;
}

/** True when most neighbouring characters are consecutive (`abcdef`, `123456`, `fedcba`). */
function isSequential(text: string): boolean {
  if (text.length < 6) return false;
  let steps = 0;
  for (let i = 1; i < text.length; i++) {
    const d = text.charCodeAt(i) - text.charCodeAt(i - 1);
    if (d === 1 || d === -1 || d === 0) steps++;
  }
  return steps / (text.length - 1) >= 0.7;
}

const PLACEHOLDER_WORDS =
  /^(?:none|null|nil|undefined|true|false|empty|required|optional|string|str|int|bool|boolean|number|secret|secrets|password|passwd|pass|pwd|token|key|apikey|api_key|changeme|changeit|test|testing|sample|default|admin|root|user|username|guest|postgres|mysql|redis|example|foo|bar|foobar|hunter2|letmein|qwerty|welcome|dummy|fake|mock|redacted|hidden|removed|masked|todo|tbd|xxx|n\/a|na)$/i;

/** A stock word with a few digits or symbols: `password123`, `P@ssw0rd!`, `secret-1`, `admin2024`. */
const STOCK_WORD =
  /^(?:p[a@4]ss(?:w[o0]rd)?|secret|s3cr3t|token|key|admin|test|user|guest|root|welcome|letmein|qwerty|changeme|default)[\W_\d]{0,8}$/i;

const PLACEHOLDER_FRAGMENTS =
  /xxxx|\*\*\*|\.\.\.|…|<[^>]{0,64}>|\$\{|\{\{|\}\}|\$\(|%\(|your[_\- ]?|example|changeme|change[_-]me|placeholder|redacted|replace[_-]?(?:me|with|this)|insert[_-]|fixme|lorem|ipsum|process\.env|os\.environ|getenv|env\[|env\(|secrets\.|\[\.\.\.|_here\b|goes[_-]here|dummy|xxxxx|0{8}|1{8}|abcdef(?:gh|12)|12345678|qwertyui/i;

/**
 * True for values that are templates, variable references, masks or stock placeholders rather than a
 * real credential: `changeme`, `xxx…`, `<your-key>`, `${VAR}`, `$VAR`, `process.env.X`, `{{ secret }}`,
 * `%s`, repeated characters, sequences such as `abcdef123456`. `sigils: false` skips the leading
 * `$`, `%`, `@` … check.
 */
export function isPlaceholder(value: string, sigils = true): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  const first = v.charCodeAt(0);
  // $VAR, %VAR%, @VAR@, #{expr}, &ref, *anchor (YAML), !tag. Not for the body of a prefixed token,
  // which may start with anything (`sig=%2B…`).
  if (
    sigils &&
    (first === 36 || first === 37 || first === 64 || first === 35 || first === 38 || first === 42 || first === 33)
  ) {
    return true;
  }
  if (PLACEHOLDER_WORDS.test(v) || STOCK_WORD.test(v)) return true;
  if (PLACEHOLDER_FRAGMENTS.test(v)) return true;
  if (dominantShare(v) >= 0.5) return true;
  if (isSequential(v)) return true;
  return false;
}

const TEST_MARKERS = /test|dummy|sample|fake|mock|demo|local|dev(?:elop)?|staging|sandbox|debug/i;

/** Values (or key names) that say they are for testing; they lower a finding's score. */
export function hasTestMarker(text: string): boolean {
  return TEST_MARKERS.test(text);
}

/**
 * Whether a candidate token body looks machine-generated: long enough, not a placeholder, enough
 * entropy for its length and not dominated by one character.
 */
export function looksRandom(body: string, minEntropy = entropyThreshold(body.length)): boolean {
  if (body.length < 8) return false;
  if (isPlaceholder(body)) return false;
  return shannonEntropy(body) >= minEntropy;
}
