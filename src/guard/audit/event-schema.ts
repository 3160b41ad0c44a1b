import { z } from 'zod';
import { LifeguardError } from '../../core/errors.js';
import { AUDIT_ID_PATTERN } from './id.js';
import { AUDIT_ACTIONS, AUDIT_STAGES, type AuditEventInput } from './types.js';

/**
 * PostgreSQL text cannot hold NUL; control characters only make the log harder to read, and C1 controls
 * (U+0080–U+009F: U+009B is a terminal's CSI) can drive a terminal that prints them. Free text keeps tab and
 * line breaks.
 */
export const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
/** Every C0 and C1 control, tab and line breaks included: an identifier is one line. */
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
/** A UTF-16 surrogate without its other half. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Lone surrogates become U+FFFD. Neither store can hold one: PostgreSQL's driver writes it as one U+FFFD,
 * while SQLite keeps the invalid bytes and reads them back as three U+FFFD (and matches a filter only
 * against the same lone surrogate). Replacing them before storing (and in filters) makes both stores, and
 * what `record()` returns, agree.
 */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd');
}

/** Free text (an excerpt, an error) as scanned: well-formed, control characters (NUL included) as spaces. */
export function plainText(text: string): string {
  return wellFormed(text).replace(CONTROL_CHARS, ' ');
}

/**
 * An identifier as stored (and a filter on one): well-formed, every control character as a space, line
 * breaks and tabs included. A request id holding `\n` printed a forged line in `lifeguard guard logs`.
 */
export function identifierText(text: string): string {
  return wellFormed(text).replace(ANY_CONTROL, ' ');
}

/**
 * Latest event time: 2^48 − 1 ms (year 10889), the most an id's 48-bit time holds, so id order stays time
 * order. A time past it (`ts: 1e20`) was stored as it came: SQLite kept a float, PostgreSQL refused it (bigint),
 * and reading it back broke `guard logs` and the dashboard (an invalid Date).
 */
export const MAX_EVENT_TS = 2 ** 48 - 1;

/** Longest stored identifier (request id, check, category, policy, model, route, API key id). */
export const FIELD_MAX_CHARS = 200;

const text = (max: number) => z.string().min(1).max(max);
/** zod 4 numbers are finite: NaN and ±Infinity are rejected. */
const finite = z.number();

/** What an audit event must look like; the reference for `isWellFormedEvent`. */
export const AuditEventSchema = z.object({
  id: z.string().regex(AUDIT_ID_PATTERN, 'expected a 26-character audit id (see newAuditId)').optional(),
  ts: finite.nonnegative().max(MAX_EVENT_TS).optional(),
  requestId: text(FIELD_MAX_CHARS),
  route: z.string().optional(),
  apiKeyId: z.string().optional(),
  policy: text(FIELD_MAX_CHARS).optional(),
  stage: z.enum(AUDIT_STAGES),
  check: text(FIELD_MAX_CHARS),
  category: text(FIELD_MAX_CHARS).optional(),
  score: finite.optional(),
  action: z.enum(AUDIT_ACTIONS),
  latencyMs: finite.nonnegative(),
  excerpt: z.string().optional(),
  model: text(FIELD_MAX_CHARS).optional(),
  error: z.string().optional(),
});

const STAGES: ReadonlySet<unknown> = new Set(AUDIT_STAGES);
const ACTIONS: ReadonlySet<unknown> = new Set(AUDIT_ACTIONS);

const isName = (v: unknown) => typeof v === 'string' && v.length >= 1 && v.length <= FIELD_MAX_CHARS;
const optional = (v: unknown, ok: (v: unknown) => boolean) => v === undefined || ok(v);
const isString = (v: unknown) => typeof v === 'string';
const isFiniteNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const isTime = (v: unknown) => isFiniteNumber(v) && (v as number) >= 0;
const isEventTime = (v: unknown) => isTime(v) && (v as number) <= MAX_EVENT_TS;

/**
 * True when `input` certainly passes `AuditEventSchema`: the same rules written out by hand, so the gateway's
 * events (7 a request) skip zod's generic parse. False sends the event through zod, which then accepts it or
 * names what is wrong, so it may only err towards false.
 */
export function isWellFormedEvent(input: unknown): input is AuditEventInput {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return false;
  const e = input as Record<string, unknown>;
  return (
    isName(e.requestId) &&
    STAGES.has(e.stage) &&
    isName(e.check) &&
    ACTIONS.has(e.action) &&
    isTime(e.latencyMs) &&
    optional(e.id, (v) => typeof v === 'string' && AUDIT_ID_PATTERN.test(v)) &&
    optional(e.ts, isEventTime) &&
    optional(e.route, isString) &&
    optional(e.apiKeyId, isString) &&
    optional(e.policy, isName) &&
    optional(e.category, isName) &&
    optional(e.score, isFiniteNumber) &&
    optional(e.excerpt, isString) &&
    optional(e.model, isName) &&
    optional(e.error, isString)
  );
}

/** The event's fields, checked; throws `LG_ERR_INPUT_INVALID` naming the bad field. */
export function parseEvent(input: AuditEventInput): AuditEventInput {
  if (isWellFormedEvent(input)) return input;
  const parsed = AuditEventSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ');
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `audit event: ${issues}`);
  }
  return parsed.data;
}
