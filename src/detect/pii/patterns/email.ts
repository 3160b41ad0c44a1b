/**
 * EMAIL_ADDRESS. Finds each '@' (or its percent-encoded form `%40`, as in a URL query
 * `?to=john.doe%40example.com`) and extends left over the local part and right over the domain by hand
 * (bounded: 64 and 253 characters), so there is no regex to backtrack.
 */
import * as tldsModule from './tlds.js';
import type { Candidate, Recognizer } from './types.js';
import * as typesModule from './types.js';

// Local bindings: loaders that rewrite imports into module-namespace lookups (vitest, tsx) would
// otherwise pay a property access on every call in the hot loops below.
const { isKnownTld } = tldsModule;
const { isAlnumCode, isAlphaCode, percentByteAt } = typesModule;

const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;

function isLocalCode(c: number): boolean {
  // letters, digits and . _ % + - ' (the characters real addresses use; RFC 5322 allows more)
  return isAlnumCode(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
}

/**
 * Start of the local part that ends at `at` in percent-encoded text: letters, digits, `. _ -` and `%XX`
 * escapes of those, of `+` and of UTF-8 bytes. An escape of anything else (`%3A` ':', `%22` '"', `%3D` '=') ends it, and
 * so does a bare `+`, which is a space in a query string (`q=John+Smith+john%40example.com`).
 */
function encodedLocalStart(text: string, at: number): number {
  let s = at;
  while (s > 0 && at - s <= MAX_LOCAL) {
    const c = text.charCodeAt(s - 1);
    const decoded = percentByteAt(text, s - 3);
    if (decoded >= 0) {
      // bytes of 0x80 and up are UTF-8 for a non-ASCII letter (`m%C3%BCller`): stopping there cut the address
      if (decoded === 37 || !(isLocalCode(decoded) || decoded >= 0x80)) break;
      s -= 3;
    } else if (c !== 37 && c !== 43 && (isLocalCode(c) || isUnicodeWordCode(c))) {
      s--;
    } else break;
  }
  return s;
}

function isDomainCode(c: number): boolean {
  return isAlnumCode(c) || c === 46 || c === 45;
}

const UNICODE_WORD = /[\p{L}\p{M}\p{N}]/u;
/**
 * A letter, mark or digit beyond ASCII (`é`, `ü`, `ж`; surrogate halves never match). Internationalised
 * addresses (RFC 6531) use them in the local part and in domain labels: stopping at one reported
 * `müller@example.de` as `ller@example.de` and `bob@exämple.com` as `bob@ex`, so redaction left part of the
 * address in clear.
 */
function isUnicodeWordCode(c: number): boolean {
  return c >= 0x80 && UNICODE_WORD.test(String.fromCharCode(c));
}

const UNICODE_ALNUM = /[\p{L}\p{N}]/u;
const UNICODE_LETTER = /\p{L}/u;
const UNICODE_LETTER_OR_MARK = /[\p{L}\p{M}]/u;

/** A letter or digit beyond ASCII: what a domain label may start with (a combining mark may not). */
function isUnicodeAlnumCode(c: number): boolean {
  return c >= 0x80 && UNICODE_ALNUM.test(String.fromCharCode(c));
}

/**
 * A top-level domain: 2-24 letters, in ASCII (`de`) or any other script (`рф`, `中国`, `இந்தியா` with its marks;
 * the canonical view may have folded some of them to ASCII look-alikes, `pф`), or the ASCII form of such a name
 * (`xn--p1ai`).
 */
function tldOk(text: string, from: number, to: number): boolean {
  const len = to - from;
  if (len < 2 || len > 24) return false;
  if (text.startsWith('xn--', from)) {
    for (let i = from + 4; i < to; i++) {
      const c = text.charCodeAt(i);
      if (!isAlnumCode(c) && c !== 45) return false;
    }
    return len > 4;
  }
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    const ok = c < 0x80 ? isAlphaCode(c) : (i === from ? UNICODE_LETTER : UNICODE_LETTER_OR_MARK).test(text[i]);
    if (!ok) return false;
  }
  return true;
}

/**
 * Validates the domain text[from, to) in place (labels of 1-63 characters, no label starting or ending with
 * '-', a TLD as `tldOk` says). Labels may hold letters beyond ASCII (`münchen.de`, RFC 6531 / IDNA). Returns its
 * end after trailing dots/hyphens are dropped, or -1. A TLD that opens with ASCII letters ends where another
 * script begins: in `bob@example.comです` the address is `bob@example.com` and `です` the sentence after it.
 */
export function emailDomainEnd(text: string, from: number, to: number): number {
  let end = to;
  const tldStart = text.lastIndexOf('.', end - 1) + 1;
  if (tldStart > from) {
    let i = tldStart;
    while (i < end && isAlphaCode(text.charCodeAt(i))) i++;
    if (i - tldStart >= 2 && i < end && text.charCodeAt(i) >= 0x80) end = i;
  }
  while (end > from && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end--;
  let labelStart = from;
  let lastDot = -1;
  for (let i = from; i <= end; i++) {
    if (i < end && text.charCodeAt(i) !== 46) continue;
    const len = i - labelStart;
    if (len === 0 || len > 63) return -1;
    if (text.charCodeAt(labelStart) === 45 || text.charCodeAt(i - 1) === 45) return -1;
    if (i < end) lastDot = i;
    labelStart = i + 1;
  }
  if (lastDot < 0 || !tldOk(text, lastDot + 1, end)) return -1;
  return end;
}

export const emailRecognizer: Recognizer = {
  id: 'pii.email',
  entityTypes: ['EMAIL_ADDRESS'],
  precheck: (text) => text.includes('@') || text.includes('%40'),
  find(ctx, out: Candidate[]) {
    const text = ctx.text;
    const n = text.length;
    // '@' or '%40' followed by a label and a dot: the regex engine skips the hopeless ones ("a@a@a@") natively.
    // Labels and TLD may be in any script (`bob@münchen.de`, `x@пример.рф`) or in their ASCII form (`xn--p1ai`).
    const anchor = /(?:@|%40)(?=[\p{L}\p{M}\p{N}-]{1,63}(?:\.[\p{L}\p{M}\p{N}-]{1,63}){0,8}\.(?:\p{L}{2}|xn--))/gu;
    for (;;) {
      const m = anchor.exec(text);
      if (!m) break;
      const at = m.index;
      const domainStart = anchor.lastIndex;
      const encoded = domainStart - at > 1;
      // local part
      let s = at;
      let dots = false;
      if (encoded) {
        s = encodedLocalStart(text, at);
        dots = true;
      } else {
        while (s > 0 && at - s < MAX_LOCAL + 1) {
          const c = text.charCodeAt(s - 1);
          if (!isLocalCode(c) && !isUnicodeWordCode(c)) break;
          if (c === 46) dots = true;
          s--;
        }
      }
      const first = text.charCodeAt(domainStart);
      if (at - s > MAX_LOCAL || s === at || !(isAlnumCode(first) || isUnicodeAlnumCode(first))) continue;
      while (s < at && (text.charCodeAt(s) === 46 || text.charCodeAt(s) === 45)) s++;
      if (s === at || text.charCodeAt(at - 1) === 46) continue;
      if (dots && text.slice(s, at).includes('..')) continue;
      // domain: needs a dot
      let e = domainStart;
      let domainDot = false;
      while (e < n && e - domainStart <= MAX_DOMAIN) {
        const c = text.charCodeAt(e);
        if (!isDomainCode(c) && !isUnicodeWordCode(c)) break;
        if (c === 46) domainDot = true;
        e++;
      }
      if (!domainDot || e - domainStart > MAX_DOMAIN) continue;
      const end = emailDomainEnd(text, domainStart, e);
      if (end < 0) continue;
      const knownTld = isKnownTld(text.slice(text.lastIndexOf('.', end - 1) + 1, end));
      out.push({
        type: 'EMAIL_ADDRESS',
        start: s,
        end,
        score: knownTld ? 0.9 : 0.5,
        rule: 'pii.email',
        priority: 5,
      });
      anchor.lastIndex = end;
    }
  },
};
