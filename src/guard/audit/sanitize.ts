import { createHash } from 'node:crypto';
import { redact } from '../../core/redact/index.js';
import { scanText } from '../../core/scan.js';
import { piiDetector, secretsDetector } from '../../detect/index.js';
import { FIELD_MAX_CHARS, identifierText, parseEvent, plainText } from './event-schema.js';
import { newAuditId } from './id.js';
import type { AuditEvent, AuditEventInput } from './types.js';

/** Longest stored excerpt, in UTF-16 code units, the trailing `…` included. */
export const EXCERPT_MAX_CHARS = 200;
/** Longest stored error message. */
export const ERROR_MAX_CHARS = 500;
export { FIELD_MAX_CHARS };

/** How much of a long text the detectors read; the stored part is taken well inside it (see `scrubText`). */
const SCAN_WINDOW = 4096;
const SCAN_MARGIN = 512;
const DETECTORS = [piiDetector, secretsDetector];
const ELLIPSIS = '…';
/** Recent results of scrubText, by digest of the input (no raw text kept). */
const RECENT_MAX = 256;
const recent = new Map<string, string>();
/**
 * Short texts that scrub to themselves (a route such as `chat`, an error with nothing to hide), by the text:
 * they are stored as they are, so keeping them here holds nothing the log does not, and a lookup costs no
 * digest. Every event of the gateway's carries its route.
 */
const unchanged = new Set<string>();

function cutAt(text: string, end: number): string {
  // Never split a surrogate pair.
  const code = text.charCodeAt(end - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? end - 1 : end);
}

/** Where original offset `p` lands in the redacted text. */
function outputOffset(
  p: number,
  replacements: readonly { start: number; end: number; newStart: number; newEnd: number }[],
) {
  let delta = 0;
  for (const r of replacements) {
    if (r.end <= p) delta = r.newEnd - r.end;
    else if (r.start < p) return r.newStart;
    else break;
  }
  return p + delta;
}

/**
 * Makes a text safe to store: personal data and secrets found by the PII and secrets detectors (patterns,
 * validators and the name tagger) become tags such as `<EMAIL_ADDRESS_1>`, then the result is cut to `max`
 * characters (ending in `…` when cut).
 *
 * Detection runs before the cut, so a value is never half-kept where the cut would have hidden it from the
 * detectors. A very long text is scanned over its first 4 096 characters only, and nothing read from its
 * last 512 scanned characters is kept, so a value that straddles the scan window never reaches the log.
 */
export function scrubText(text: string, max: number = EXCERPT_MAX_CHARS): string {
  const short = text.length <= max;
  if (short && unchanged.has(`${max}:${text}`)) return text;
  // Only the scan window matters (one character more tells that the text goes on).
  const head = text.length > SCAN_WINDOW ? text.slice(0, SCAN_WINDOW + 1) : text;
  // Several checks of one request usually log the same text: remember recent results, keyed by a digest
  // so the cache never holds the raw text.
  const key = `${max}:${createHash('sha256').update(head).digest('base64')}`;
  const hit = recent.get(key);
  if (hit !== undefined) return hit;
  const out = scrubUncached(head, max);
  if (short && out === text) {
    if (unchanged.size >= RECENT_MAX) unchanged.delete(unchanged.values().next().value as string);
    unchanged.add(`${max}:${text}`);
    return out;
  }
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value as string);
  recent.set(key, out);
  return out;
}

function scrubUncached(text: string, max: number): string {
  const clean = plainText(text);
  const windowed = clean.length > SCAN_WINDOW;
  const window = windowed ? cutAt(clean, SCAN_WINDOW) : clean;
  // Not fast mode: names are found by the PII tagger, as the guard's own PII check finds them (patterns
  // alone leave a pseudonymised name in the excerpt the log keeps).
  const findings = scanText(window, { detectors: DETECTORS, fast: false });
  const { text: redacted, replacements } = redact(window, findings, { operator: 'tag' });
  const keep = windowed ? Math.min(max, outputOffset(window.length - SCAN_MARGIN, replacements)) : max;
  if (redacted.length <= keep && !windowed) return redacted;
  let end = Math.max(0, Math.min(keep, max - ELLIPSIS.length));
  // Not inside a tag: `<EMAIL_ADDRESS_1>` whole or not at all.
  for (const r of replacements) if (r.newStart < end && end < r.newEnd) end = r.newStart;
  return cutAt(redacted, end) + ELLIPSIS;
}

/**
 * An API key id is a name for a key; when a caller passes what looks like the key itself, only a digest
 * of it is kept.
 */
export function scrubKeyId(id: string): string {
  const found = scanText(id, { detectors: [secretsDetector], fast: true });
  if (found.length === 0) return identifierText(id);
  return `sha256:${createHash('sha256').update(id).digest('hex').slice(0, 16)}`;
}

const plain = identifierText;
const clip = (s: string) => cutAt(s, FIELD_MAX_CHARS);

/**
 * Checks an event and makes it storable: id and time filled in, free text (excerpt, error, route) redacted
 * and cut, identifiers stripped of control characters. Throws `LG_ERR_INPUT_INVALID` naming the bad field.
 */
export function prepareEvent(input: AuditEventInput, now: number = Date.now()): AuditEvent {
  const e = parseEvent(input);
  const ts = Math.floor(e.ts ?? now);
  const out: AuditEvent = {
    id: e.id ?? newAuditId(ts),
    ts,
    requestId: clip(plain(e.requestId)),
    stage: e.stage,
    check: plain(e.check),
    action: e.action,
    latencyMs: e.latencyMs,
  };
  if (e.route !== undefined) out.route = clip(plain(scrubText(e.route, FIELD_MAX_CHARS)));
  if (e.apiKeyId !== undefined) out.apiKeyId = clip(scrubKeyId(e.apiKeyId));
  if (e.policy !== undefined) out.policy = plain(e.policy);
  if (e.category !== undefined) out.category = plain(e.category);
  if (e.score !== undefined) out.score = e.score;
  if (e.excerpt !== undefined) out.excerpt = scrubText(e.excerpt, EXCERPT_MAX_CHARS);
  if (e.model !== undefined) out.model = plain(e.model);
  if (e.error !== undefined) out.error = scrubText(e.error, ERROR_MAX_CHARS);
  return out;
}
