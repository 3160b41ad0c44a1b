/**
 * Text helpers for reports built from hostile strings (phrases, record ids, excerpts, file paths). Every
 * string that reaches HTML goes through `escapeHtml`; `visibleText` first makes invisible and
 * direction-changing characters visible and bounds the length, so a record id cannot hide itself, reorder
 * the text around it, or blow up the page.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes `& < > " '`; safe in element content and in quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

// Controls (Cc), format characters (Cf: soft hyphen, zero-width characters, bidi embeddings/overrides/
// isolates and marks, the BOM, Unicode tag characters), lone surrogates (Cs), Hangul and Khmer fillers
// and variation selectors. Tab, CR and LF pass; so do the ordinary variation selectors U+FE00–U+FE0F
// (emoji presentation) — the supplementary ones, used to smuggle bytes, are shown.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Variation_Selector}\u115f\u1160\u17b4\u17b5\u3164\uffa0]/gu;

function codePointLabel(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp === 0x09 || cp === 0x0a || cp === 0x0d || (cp >= 0xfe00 && cp <= 0xfe0f)) return ch;
  return `⟨U+${cp.toString(16).toUpperCase().padStart(4, '0')}⟩`;
}

/**
 * Returns `value` as display text: at most `maxChars` UTF-16 units (an ellipsis marks the cut; surrogate
 * pairs are not split) with invisible and bidi-control characters shown as `⟨U+202E⟩`. Not escaped.
 */
export function visibleText(value: unknown, maxChars = 200, keepNewlines = false): string {
  let s = typeof value === 'string' ? value : String(value ?? '');
  let cut = false;
  if (s.length > maxChars) {
    let end = maxChars;
    const code = s.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) end -= 1;
    s = s.slice(0, end);
    cut = true;
  }
  s = s.replace(INVISIBLE, codePointLabel);
  if (!keepNewlines) s = s.replace(/\r\n?|[\t\n]/g, ' ');
  return cut ? `${s}…` : s;
}

/** `visibleText` then `escapeHtml`: the one call for a hostile string going into HTML. */
export function showText(value: unknown, maxChars = 200, keepNewlines = false): string {
  return escapeHtml(visibleText(value, maxChars, keepNewlines));
}

/**
 * A hostile string as a Markdown code span outside a table (a heading, a list item, a paragraph): one line,
 * invisible characters made visible, a backtick fence longer than any backtick run inside. `|` stays as it
 * is: outside a table cell GFM would show the backslash of `\|` (backslash escapes do not work in code spans).
 */
export function markdownSpan(value: unknown, maxChars = 80): string {
  return fenced(visibleText(value, maxChars));
}

/**
 * A hostile string as a Markdown code span, safe in a GFM table cell: one line, invisible characters made
 * visible, a backtick fence longer than any backtick run inside, and `|` escaped (GFM unescapes it inside
 * the span). Nothing inside a code span is read as Markdown or HTML. Outside a table use `markdownSpan`.
 */
export function markdownCode(value: unknown, maxChars = 80): string {
  return fenced(visibleText(value, maxChars).replace(/\|/g, '\\|'));
}

function fenced(s: string): string {
  let longest = 0;
  for (const run of s.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') || s.startsWith(' ') ? ' ' : '';
  return s === '' ? '` `' : `${fence}${pad}${s}${pad}${fence}`;
}
