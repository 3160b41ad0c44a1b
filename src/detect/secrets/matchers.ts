/**
 * Rule builders and the scanning helpers they share. Every helper looks at a bounded window after an
 * anchor (bounded quantifiers only, sticky regexes that start with a look-behind boundary), so a rule
 * costs O(window) per keyword occurrence and hostile input cannot make it backtrack.
 */

import { isAsciiAlnum } from '../../core/normalize/unicode.js';
import * as E from './entropy.js';
import type { Assignment, RuleCategory, ScanContext, SecretRule } from './types.js';

// Bound once: module namespaces may be getter-backed (test runners), and these run per character.
const { hasTestMarker, isPlaceholder, shannonEntropy } = E;

// ---------------------------------------------------------------------------------------------------
// Character tests

export const isAlnum = isAsciiAlnum;

/** Letters, digits, `_`, `-`, `.`: what continues an identifier such as `DATADOG_API_KEY` or `db.password`. */
export function isIdentChar(c: number): boolean {
  return isAlnum(c) || c === 95 || c === 45 || c === 46;
}

export function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

export function isQuote(c: number): boolean {
  return c === 34 || c === 39 || c === 96;
}

/** Index just past the run of characters satisfying `test` starting at `from`, looking at most `max` chars. */
export function runEnd(text: string, from: number, max: number, test: (c: number) => boolean): number {
  const limit = Math.min(text.length, from + max);
  let i = from;
  while (i < limit && test(text.charCodeAt(i))) i++;
  return i;
}

// ---------------------------------------------------------------------------------------------------
// Assignments: `key = value`, `"key": "value"`, `KEY=value`, `<key>value`, `key => 'value'`, ...

const MAX_KEY = 48;

/**
 * Parses `<identifier containing the keyword> <closing quote?> <operator> <opening quote?>` around a
 * keyword occurrence at [start, start + keywordLength). When no assignment follows, returns the
 * position scanning reached (keyword occurrences before it need not be tried again).
 * Operators: `=`, `==`, `:`, `:=`, `::`, `=>`, `?=`, `||=`, `>` (XML), `,` (only after a quoted key).
 */
export function parseAssignment(text: string, start: number, keywordLength: number): Assignment | number {
  let keyStart = start;
  const backLimit = Math.max(0, start - MAX_KEY);
  while (keyStart > backLimit && isIdentChar(text.charCodeAt(keyStart - 1))) keyStart--;
  let i = start + keywordLength;
  const keyEnd = runEnd(text, i, MAX_KEY, isIdentChar);
  if (keyEnd - i >= MAX_KEY) return keyEnd;
  i = keyEnd;
  // Closing quote / bracket / spaces before the operator.
  let quotedKey = false;
  for (let k = 0; k < 3 && i < text.length; k++) {
    const c = text.charCodeAt(i);
    if (isQuote(c) || c === 93) quotedKey ||= isQuote(c);
    else if (!isSpace(c)) break;
    i++;
  }
  const c = text.charCodeAt(i);
  const c1 = text.charCodeAt(i + 1);
  if (c === 61) {
    i += c1 === 62 || c1 === 61 ? 2 : 1; // = => ==
  } else if (c === 58) {
    i += c1 === 61 || c1 === 58 ? 2 : 1; // : := ::
  } else if (c === 63 && c1 === 61) {
    i += 2; // ?=
  } else if (c === 124 && c1 === 124) {
    i += text.charCodeAt(i + 2) === 61 ? 3 : 2; // || ||=
  } else if (c === 62) {
    i += 1; // <password>value
  } else if (c === 44 && quotedKey) {
    i += 1; // ("password", "value")
  } else {
    return Math.max(i, start + 1);
  }
  let quote = 0;
  for (let k = 0; k < 5 && i < text.length; k++) {
    const d = text.charCodeAt(i);
    if (isQuote(d)) {
      quote = d;
      i++;
      break;
    }
    if (!isSpace(d)) break;
    i++;
  }
  return { keyStart, keyEnd, valueStart: i, quote };
}

// ---------------------------------------------------------------------------------------------------
// Sticky token patterns

/** Characters that may not touch a token by default (a character class body). */
export const DEFAULT_BOUNDARY = 'A-Za-z0-9_\\-';

/**
 * Compiles a token pattern into a sticky regex with boundaries: the token may not be preceded or
 * followed by a character of `boundary` (a character class body). Preceding boundary means an anchor
 * inside a longer run is rejected at once, which is what keeps repeated prefixes linear.
 */
export function tokenRegex(pattern: string, boundary = DEFAULT_BOUNDARY): RegExp {
  return new RegExp(`(?<![${leftBoundary(boundary)}])(?:${pattern})(?![${boundary}])`, 'y');
}

/** `=` only pads the end of base64 tokens; before a token it is the assignment in `KEY=token`. */
export function leftBoundary(boundary: string): string {
  return boundary.replace('=', '');
}

/** ASCII lookup table of a character class body: 1 where the character belongs to the class. */
export function classTable(classBody: string): Uint8Array {
  const re = new RegExp(`[${classBody}]`);
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) table[c] = re.test(String.fromCharCode(c)) ? 1 : 0;
  return table;
}

/**
 * When the character before `at` belongs to `table` (a boundary class), no token can start anywhere
 * in the rest of that run: returns the first index after the run whose predecessor is outside the
 * class. Otherwise returns -1 (a token may start at `at`).
 */
export function skipInsideRun(text: string, at: number, table: Uint8Array): number {
  if (at <= 0) return -1;
  const before = text.charCodeAt(at - 1);
  if (before >= 128 || table[before] === 0) return -1;
  let j = at;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c >= 128 || table[c] === 0) break;
    j++;
  }
  return j + 1;
}

export function matchAt(re: RegExp, text: string, at: number): RegExpExecArray | null {
  if (at < 0) return null;
  re.lastIndex = at;
  return re.exec(text);
}

/** Clamps a score into [lo, hi]. */
export function clamp(score: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, score));
}

const mentionCache = new WeakMap<ScanContext, Map<string, boolean>>();

/** Whether the (lower-cased) text mentions `word` anywhere; memoised per scan, so O(n) once per word. */
export function mentions(ctx: ScanContext, word: string): boolean {
  let cache = mentionCache.get(ctx);
  if (!cache) {
    cache = new Map();
    mentionCache.set(ctx, cache);
  }
  let hit = cache.get(word);
  if (hit === undefined) {
    hit = ctx.lower().includes(word);
    cache.set(word, hit);
  }
  return hit;
}

// ---------------------------------------------------------------------------------------------------
// Rule builders

interface BaseSpec {
  id: string;
  type: string;
  description: string;
  category: RuleCategory;
  score: number;
  priority?: number;
  validation?: string;
}

export interface PrefixSpec extends BaseSpec {
  /** Literal, case-sensitive prefixes (the anchors). */
  keywords: string[];
  /** Pattern of the whole token (prefix included), bounded quantifiers only. */
  pattern: string;
  /** Characters that may not touch the token (class body). */
  boundary?: string;
  /** Offset of the keyword inside the token when the token starts before it (default 0). */
  offset?: number;
  /** Leading characters of the match that are not part of the secret (e.g. `AccountKey=`); default 0. */
  skip?: number;
  /** Literals that, when they immediately precede the token, are included in the span (`https://`). */
  extendBack?: string[];
  /** Minimum Shannon entropy of the variable part; default 3. 0 disables. */
  minEntropy?: number;
  /** Final say: returns the score, or null to reject. Receives the token and its start. */
  validate?: (token: string, ctx: ScanContext, start: number) => number | null;
}

/** A token recognised by a distinctive literal prefix: `ghp_…`, `AKIA…`, `xoxb-…`. */
export function prefixRule(spec: PrefixSpec): SecretRule {
  const boundary = spec.boundary ?? DEFAULT_BOUNDARY;
  const re = tokenRegex(spec.pattern, boundary);
  const table = classTable(leftBoundary(boundary));
  const offset = spec.offset ?? 0;
  const minEntropy = spec.minEntropy ?? 3;
  const rule: SecretRule = {
    id: spec.id,
    type: spec.type,
    description: spec.description,
    category: spec.category,
    keywords: spec.keywords,
    keywordBoundary: offset === 0 ? leftBoundary(boundary) : undefined,
    score: spec.score,
    priority: spec.priority ?? 3,
    validation: spec.validation ?? (minEntropy > 0 ? 'prefix + format + entropy' : 'prefix + format'),
    find(ctx, start, keyword) {
      const at = start - offset;
      if (at < 0) return start + 1;
      const skip = skipInsideRun(ctx.text, at, table);
      if (skip >= 0) return skip + offset;
      const m = matchAt(re, ctx.text, at);
      if (!m) return start + 1;
      const token = m[0];
      const end = at + token.length;
      // Entropy is measured on what the keyword does not fix.
      const variable = token.slice(0, offset) + token.slice(offset + keyword.length);
      if (minEntropy > 0 && (shannonEntropy(variable) < minEntropy || isPlaceholder(variable, false))) return end;
      const score = spec.validate ? spec.validate(token, ctx, at) : spec.score;
      if (score === null) return end;
      let from = at + (spec.skip ?? 0);
      for (const lead of spec.extendBack ?? []) {
        if (ctx.text.startsWith(lead, at - lead.length)) {
          from = at - lead.length;
          break;
        }
      }
      ctx.emit(rule, from, end, score);
      return end;
    },
  };
  return rule;
}

export interface ContextSpec extends BaseSpec {
  /** Lower-case words of which one must occur in the key name, e.g. `datadog`, `dd_api_key`. */
  keywords: string[];
  /** Pattern of the value, bounded quantifiers only. */
  value: string;
  boundary?: string;
  /** Minimum Shannon entropy of the value; default 3. */
  minEntropy?: number;
}

/**
 * A credential without a distinctive shape, recognised by the key it is assigned to: a keyword inside
 * the key (`DATADOG_API_KEY = …`, `"cohere_key": "…"`), an assignment operator, then a value of the
 * provider's format.
 */
export function contextRule(spec: ContextSpec): SecretRule {
  const re = tokenRegex(spec.value, spec.boundary);
  const minEntropy = spec.minEntropy ?? 3;
  const onAssignment = (ctx: ScanContext, a: Assignment, keyName: string): number => {
    const m = matchAt(re, ctx.text, a.valueStart);
    if (!m) return -1;
    const value = m[0];
    if (shannonEntropy(value) < minEntropy || isPlaceholder(value)) return -1;
    const end = a.valueStart + value.length;
    ctx.emit(rule, a.valueStart, end, hasTestMarker(keyName) ? spec.score - 0.15 : spec.score);
    return end;
  };
  const rule: SecretRule = {
    id: spec.id,
    type: spec.type,
    description: spec.description,
    category: spec.category,
    keywords: spec.keywords,
    caseInsensitive: true,
    score: spec.score,
    priority: spec.priority ?? 2,
    validation: spec.validation ?? 'keyword in the key name + assignment + format + entropy',
    // Reached through the assignment scanner; also usable on its own, anchored on its keywords.
    find(ctx, start, keyword) {
      const a = parseAssignment(ctx.text, start, keyword.length);
      if (typeof a === 'number') return a;
      const end = onAssignment(ctx, a, ctx.text.slice(a.keyStart, a.keyEnd));
      return end >= 0 ? end : a.valueStart;
    },
    onAssignment,
  };
  return rule;
}

export interface CustomSpec extends BaseSpec {
  keywords: string[];
  caseInsensitive?: boolean;
  keywordBoundary?: string;
  find: SecretRule['find'];
}

/** A rule with its own finder (PEM blocks, JWTs, URLs, the generic assignment rule, ...). */
export function customRule(spec: CustomSpec): SecretRule {
  return {
    id: spec.id,
    type: spec.type,
    description: spec.description,
    category: spec.category,
    keywords: spec.keywords,
    caseInsensitive: spec.caseInsensitive,
    keywordBoundary: spec.keywordBoundary,
    score: spec.score,
    priority: spec.priority ?? 3,
    validation: spec.validation ?? 'custom',
    find: spec.find,
  };
}

/**
 * Runs a whole-text scan once, the first time any of the rule's keywords occurs (for formats without a
 * usable prefix, e.g. Discord bot tokens when `discord` is mentioned). The regex must be global and
 * linear: a look-behind boundary first, bounded quantifiers after.
 */
export function gatedGlobalFinder(
  re: RegExp,
  onMatch: (ctx: ScanContext, m: RegExpExecArray) => void,
): SecretRule['find'] {
  return (ctx) => {
    const text = ctx.text;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m[0].length === 0) re.lastIndex++;
      onMatch(ctx, m);
    }
    return text.length;
  };
}
