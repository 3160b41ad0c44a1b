/**
 * The keyword prefilter. Every rule's keywords are compiled into two native regular expressions (one
 * case-sensitive, one case-insensitive) that find all keyword occurrences in one pass each, instead of
 * one `includes()` / regex scan per rule.
 *
 * Each keyword is found through its *pivot*: its rarest character in ordinary text (a symbol, a digit,
 * a capital, else the least frequent English letter: `k` in `token`, `w` in `password`). The regex
 * consumes only pivot characters and checks the neighbouring part of the keyword with a look-behind or
 * look-ahead (behind a one-character class gate), so prose is skipped at native speed. The scan loop
 * then confirms the whole keyword from a small bucket keyed by the pivot and its neighbour.
 *
 * A rule therefore only ever runs at positions where one of its keywords occurs (the gitleaks
 * approach), and a text without any keyword costs two regex passes.
 */

export interface AnchorEntry {
  /** The keyword as declared (lower-cased when case-insensitive). */
  readonly keyword: string;
  /** Index of the pivot character inside the keyword. */
  readonly pivot: number;
  /** Indices of the rules that declared this keyword. */
  readonly rules: number[];
  /**
   * ASCII characters that none of those rules accept before the keyword (intersection of their
   * `keywordBoundary` classes); null when some rule accepts anything there.
   */
  boundary: Uint8Array | null;
}

export type Bucket = AnchorEntry[] | undefined;

/** One compiled keyword set. */
export interface AnchorSet {
  /** Matches exactly one character, the pivot of a keyword occurrence: its index is `lastIndex - 1`. */
  readonly regex: RegExp;
  readonly caseInsensitive: boolean;
  /** `pairKey(pivot, char before it)` → keywords whose pivot is not their first character. */
  readonly behind: Bucket[];
  /** `pairKey(pivot, char after it)` → keywords whose pivot is their first character. */
  readonly ahead: Bucket[];
}

export interface AnchorIndex {
  readonly sets: readonly AnchorSet[];
}

/** Size of the bucket tables: keywords are ASCII, so a pair of 7-bit codes indexes them. */
export const BUCKETS = 128 * 128;

/** Bucket index of two code units, or BUCKETS (an always-empty slot) when either is not ASCII. */
export const pairKey = (a: number, b: number): number => (a < 128 && b < 128 ? (a << 7) | b : BUCKETS);

/** ASCII lower case of one code unit. */
export const lowerCode = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);

/** ASCII membership table of a regex character class body. */
function asciiTable(classBody: string): Uint8Array {
  const re = new RegExp(`[${classBody}]`);
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) table[c] = re.test(String.fromCharCode(c)) ? 1 : 0;
  return table;
}

/** A character class listing the members of an ASCII table. */
function classOf(table: Uint8Array): string {
  let body = '';
  for (let c = 0; c < 128; c++) if (table[c]) body += escapeRegExp(String.fromCharCode(c));
  return `[${body}]`;
}

const escapeRegExp = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/** English letters from most to least frequent. */
const LETTER_FREQUENCY = 'etaoinshrdlcumwfgypbvkjxqz';

/**
 * Higher is rarer in ordinary text. Case-sensitive keywords prefer symbols, digits and capitals;
 * case-insensitive ones symbols, digits and then rare letters.
 */
function rarity(code: number, caseInsensitive: boolean): number {
  if (code >= 48 && code <= 57) return 90;
  if (code >= 65 && code <= 90) {
    return caseInsensitive ? 40 + LETTER_FREQUENCY.indexOf(String.fromCharCode(code + 32)) : 80;
  }
  if (code >= 97 && code <= 122) return 40 + LETTER_FREQUENCY.indexOf(String.fromCharCode(code));
  return 100;
}

function choosePivot(keyword: string, caseInsensitive: boolean): number {
  let best = 0;
  for (let i = 1; i < keyword.length; i++) {
    if (rarity(keyword.charCodeAt(i), caseInsensitive) > rarity(keyword.charCodeAt(best), caseInsensitive)) best = i;
  }
  return best;
}

/** A character class holding each distinct character of `chars`. */
function charClass(chars: Iterable<string>): string {
  return `[${[...new Set(chars)].map(escapeRegExp).join('')}]`;
}

function pushAt(table: Bucket[], key: number, entry: AnchorEntry): void {
  if (key >= BUCKETS) throw new Error(`secrets: keyword "${entry.keyword}" must be ASCII`);
  const list = table[key];
  if (list) list.push(entry);
  else table[key] = [entry];
}

const emptyTable = (): Bucket[] => new Array<Bucket>(BUCKETS + 1).fill(undefined);

function compileSet(entries: readonly AnchorEntry[], caseInsensitive: boolean): AnchorSet | null {
  if (entries.length === 0) return null;
  const byPivot = new Map<string, AnchorEntry[]>();
  for (const entry of entries) {
    const c = entry.keyword[entry.pivot];
    const list = byPivot.get(c);
    if (list) list.push(entry);
    else byPivot.set(c, [entry]);
  }
  const groups: string[] = [];
  const behind = emptyTable();
  const ahead = emptyTable();
  for (const [c, list] of byPivot) {
    const code = c.charCodeAt(0);
    const pivot = escapeRegExp(c);
    const befores: string[] = [];
    const afters: string[] = [];
    for (const e of list) {
      if (e.pivot > 0) {
        // A bounded keyword must not follow one of its boundary characters: checked inside the look-behind.
        const before = escapeRegExp(e.keyword.slice(0, e.pivot));
        befores.push(e.boundary ? `(?<!${classOf(e.boundary)})${before}` : before);
        pushAt(behind, pairKey(code, e.keyword.charCodeAt(e.pivot - 1)), e);
      } else {
        const after = `(?=${escapeRegExp(e.keyword.slice(1))})`;
        afters.push(e.boundary ? `(?<!${classOf(e.boundary)}${pivot})${after}` : after);
        pushAt(ahead, pairKey(code, e.keyword.charCodeAt(1)), e);
      }
    }
    const parts: string[] = [];
    if (befores.length > 0) {
      // A one-character class first rejects most pivots before the alternation is tried.
      const last = charClass(list.filter((e) => e.pivot > 0).map((e) => e.keyword[e.pivot - 1]));
      parts.push(`(?<=${last}${pivot})(?<=(?:${befores.join('|')})${pivot})`);
    }
    if (afters.length > 0) {
      const first = charClass(list.filter((e) => e.pivot === 0).map((e) => e.keyword[1]));
      parts.push(`(?=${first})(?:${afters.join('|')})`);
    }
    groups.push(`${pivot}(?:${parts.join('|')})`);
  }
  return { regex: new RegExp(groups.join('|'), caseInsensitive ? 'gi' : 'g'), caseInsensitive, behind, ahead };
}

export function buildAnchorIndex(
  rules: readonly {
    keywords: readonly string[];
    caseInsensitive?: boolean;
    keywordBoundary?: string;
    onAssignment?: unknown;
  }[],
): AnchorIndex {
  const sensitive = new Map<string, AnchorEntry>();
  const insensitive = new Map<string, AnchorEntry>();
  rules.forEach((rule, index) => {
    // Keyword-context rules are reached through the assignment scanner, not anchored themselves.
    if (rule.onAssignment) return;
    const ci = rule.caseInsensitive === true;
    for (const raw of rule.keywords) {
      if (raw.length < 2) throw new Error(`secrets: keyword "${raw}" is too short to anchor on`);
      const keyword = ci ? raw.toLowerCase() : raw;
      const table = ci ? insensitive : sensitive;
      let entry = table.get(keyword);
      const boundary = rule.keywordBoundary === undefined ? null : asciiTable(rule.keywordBoundary);
      if (!entry) {
        entry = { keyword, pivot: choosePivot(keyword, ci), rules: [], boundary };
        table.set(keyword, entry);
      } else if (entry.boundary) {
        const mine = entry.boundary;
        entry.boundary = boundary && mine.map((v, c) => v & boundary[c]);
      }
      if (!entry.rules.includes(index)) entry.rules.push(index);
    }
  });
  const sets = [compileSet([...sensitive.values()], false), compileSet([...insensitive.values()], true)];
  return { sets: sets.filter((s): s is AnchorSet => s !== null) };
}
