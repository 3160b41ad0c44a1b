/**
 * Rules that recognise a credential by its structure rather than a vendor prefix: PEM private keys,
 * JWTs, connection strings and URLs with a password, `Authorization` headers and the generic
 * `key = value` secret. Each finder looks at a bounded window after its anchor.
 */
import { decodeBase64 } from './checksums.js';
import * as E from './entropy.js';
import * as M from './matchers.js';
import type { ScanContext, SecretRule } from './types.js';

// Bound once: module namespaces may be getter-backed (test runners), and these run per character.
const { charClasses, entropyThreshold, hasTestMarker, isPlaceholder, looksRandom, shannonEntropy } = E;
const { clamp, classTable, customRule, isAlnum, isQuote, isSpace, matchAt, parseAssignment, runEnd, skipInsideRun } = M;

// ---------------------------------------------------------------------------------------------------
// PEM private keys

const PEM_HEADER = /-----BEGIN ((?:[A-Z0-9]{1,12} ){0,3})PRIVATE KEY(?: BLOCK)?-----/y;
const PEM_FOOTER = /-----END (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY(?: BLOCK)?-----/y;
const MAX_PEM_BODY = 64 * 1024;

/** Per scan: the next `-----END ` at or after some position (monotone, so all lookups cost O(n) in total). */
const footerCache = new WeakMap<ScanContext, { from: number; at: number }>();

function nextFooter(ctx: ScanContext, from: number): number {
  const cached = footerCache.get(ctx);
  if (cached && cached.from <= from && (cached.at < 0 || cached.at >= from)) return cached.at;
  const at = ctx.text.indexOf('-----END ', from);
  footerCache.set(ctx, { from, at });
  return at;
}

function isBase64Char(c: number): boolean {
  return isAlnum(c) || c === 43 || c === 47 || c === 61;
}

/** Body characters: base64, line breaks (also JSON-escaped `\n`), and header lines (`Proc-Type: 4,ENCRYPTED`). */
function isPemBodyChar(c: number): boolean {
  return isBase64Char(c) || c === 10 || c === 13 || c === 32 || c === 9 || c === 92 || c === 58 || c === 44 || c === 45;
}

export const privateKeyRule: SecretRule = customRule({
  id: 'secrets.private-key',
  type: 'PRIVATE_KEY',
  description: 'PEM private key block (RSA, EC, DSA, OPENSSH, PKCS#8, encrypted PKCS#8, PGP); the whole block',
  category: 'crypto',
  keywords: ['-----BEGIN '],
  score: 0.99,
  validation: 'BEGIN/END armour + base64 body ≥ 64 chars',
  find(ctx, start) {
    const text = ctx.text;
    const header = matchAt(PEM_HEADER, text, start);
    if (!header) return start + 1;
    const bodyStart = start + header[0].length;
    const footer = nextFooter(ctx, bodyStart);
    if (footer < 0) return text.length; // no END anywhere after: no later BEGIN can close either
    if (footer - bodyStart > MAX_PEM_BODY) return bodyStart;
    let base64 = 0;
    for (let i = bodyStart; i < footer; i++) {
      const c = text.charCodeAt(i);
      if (!isPemBodyChar(c)) return i;
      if (isBase64Char(c)) base64++;
    }
    const close = matchAt(PEM_FOOTER, text, footer);
    if (!close) return footer + 1;
    const end = footer + close[0].length;
    if (base64 < 64) return end;
    const body = text.slice(bodyStart, footer);
    if (/(?:\.\.\.|x{8}|X{8})/.test(body) || shannonEntropy(body) < 4) return end;
    const encrypted = /ENCRYPTED/.test(header[1] ?? '') || body.includes('ENCRYPTED');
    ctx.emit(privateKeyRule, start, end, encrypted ? 0.9 : base64 >= 200 ? 0.99 : 0.93);
    return end;
  },
});

// ---------------------------------------------------------------------------------------------------
// JSON Web Tokens

function isBase64UrlChar(c: number): boolean {
  return isAlnum(c) || c === 45 || c === 95;
}

/** Decodes a JWT header and returns its `alg`, or null when it is not a JSON object with a string `alg`. */
export function jwtAlgorithm(headerPart: string): string | null {
  const json = decodeBase64(headerPart);
  if (json === null || json.charCodeAt(0) !== 123) return null;
  try {
    const header: unknown = JSON.parse(json);
    if (typeof header !== 'object' || header === null) return null;
    const alg = (header as Record<string, unknown>).alg;
    return typeof alg === 'string' ? alg : null;
  } catch {
    return null;
  }
}

const JWT_BOUNDARY = classTable('A-Za-z0-9_.\\-');

/** Most spaces or tabs of indentation a wrapped JWT's continuation line may start with. */
const MAX_INDENT = 64;

/**
 * End of a line break (`\n`, `\r\n`, `\r`) at `i` and the indentation after it, or -1 when there is no
 * line break at `i`. One break only: a blank line ends a token.
 */
function lineGapEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c !== 10 && c !== 13) return -1;
  let j = i + (c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1);
  const limit = Math.min(text.length, j + MAX_INDENT);
  while (j < limit && isSpace(text.charCodeAt(j))) j++;
  return j;
}

/** One base64url part of a JWT, possibly wrapped over several lines. */
interface JwtPart {
  /** The part's characters without the line breaks. */
  value: string;
  /** Longer than the limit it was read with. */
  overflow: boolean;
  /** Where its last character ends in the text. */
  end: number;
  /** Where the character that ended it is (the `.` after a part may sit after a line break). */
  stop: number;
  /** Where its first line break starts, or -1 when it is on one line. */
  firstGap: number;
  /** Length so far and end offset after each of its lines (where a wrapped signature may end). */
  lines: { length: number; end: number }[];
}

/**
 * Reads a JWT part from `from`: base64url characters, continued over a line break (and indentation)
 * when the next line goes on with base64url characters or with the `.` that ends the part. A line that
 * starts with `eyJ` is never a continuation: another token starts there, and the rule keeps every line
 * read by a bounded number of anchors (linear time).
 */
function readJwtPart(text: string, from: number, max: number): JwtPart {
  let value = '';
  let i = from;
  let firstGap = -1;
  const lines: { length: number; end: number }[] = [];
  for (;;) {
    const segStart = i;
    i = runEnd(text, i, max + 1 - value.length, isBase64UrlChar);
    value += text.slice(segStart, i);
    lines.push({ length: value.length, end: i });
    if (value.length > max) return { value, overflow: true, end: i, stop: i, firstGap, lines };
    const gap = i > segStart ? lineGapEnd(text, i) : -1;
    const next = gap < 0 ? -1 : text.charCodeAt(gap);
    const goesOn = next === 46 || (isBase64UrlChar(next) && !text.startsWith('eyJ', gap));
    if (!goesOn) return { value, overflow: false, end: i, stop: i, firstGap, lines };
    if (firstGap < 0) firstGap = i;
    if (next === 46) return { value, overflow: false, end: i, stop: gap, firstGap, lines };
    i = gap;
  }
}

/** Base64url length of `bytes` bytes, unpadded. */
const b64Length = (bytes: number): number => Math.ceil((bytes * 4) / 3);

const HMAC_SIGS = { HS256: [32], HS384: [48], HS512: [64] };
const RSA_SIGS = [128, 256, 384, 512]; // 1024-, 2048-, 3072-, 4096-bit keys
const EC_SIGS = { ES256: [64], ES256K: [64], ES384: [96], ES512: [132], EdDSA: [64, 114], Ed25519: [64], Ed448: [114] };

/** Signature lengths (base64url characters) per `alg`; unknown algorithms accept any of them. */
const SIG_LENGTHS: Map<string, Set<number>> = (() => {
  const table = new Map<string, Set<number>>();
  const add = (alg: string, bytes: number[]) => table.set(alg, new Set(bytes.map(b64Length)));
  for (const [alg, bytes] of Object.entries({ ...HMAC_SIGS, ...EC_SIGS })) add(alg, bytes);
  for (const alg of ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']) add(alg, RSA_SIGS);
  table.set('', new Set([...table.values()].flatMap((s) => [...s])));
  return table;
})();

/**
 * Where the signature of a JWT ends when it was read over line breaks, given the signature lengths of its
 * `alg`: at the last line read when that fits (a wrapped RS256 signature, 342 characters over several
 * lines), else at the first line end that fits and is shorter than the line before it (the short last line
 * of a wrapped block, not an unrelated line after it, and not a full-width line end whose length fits by
 * chance: 512 = 8 × 64), else at the first line end that fits. Null when none fits.
 */
function wrappedSignatureEnd(sig: JwtPart, lengths: Set<number>): { length: number; end: number } | null {
  const lines = sig.lines;
  const last = lines[lines.length - 1];
  if (lengths.has(last.length)) return last;
  let first: { length: number; end: number } | null = null;
  for (let j = 0; j < lines.length; j++) {
    if (!lengths.has(lines[j].length)) continue;
    first ??= lines[j];
    const width = lines[j].length - (j > 0 ? lines[j - 1].length : 0);
    const previous = j > 0 ? lines[j - 1].length - (j > 1 ? lines[j - 2].length : 0) : 0;
    if (width < previous) return lines[j];
  }
  return first;
}

/** Whether a base64url JWT payload decodes to a JSON object. */
function isJsonObject(part: string): boolean {
  const json = decodeBase64(part);
  if (json === null || json.charCodeAt(0) !== 123) return false;
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

export const jwtRule: SecretRule = customRule({
  id: 'secrets.jwt',
  type: 'JWT',
  description:
    'JSON Web Token (JWS compact form): three base64url parts, header decodes to JSON with `alg`; also wrapped over lines',
  category: 'structural',
  keywords: ['eyJ'],
  keywordBoundary: 'A-Za-z0-9_.\\-',
  score: 0.95,
  priority: 2,
  validation:
    'header decodes to JSON with `alg`; payload is a JSON object; a wrapped signature has the length of an `alg` signature',
  find(ctx, start) {
    const text = ctx.text;
    const skip = skipInsideRun(text, start, JWT_BOUNDARY);
    if (skip >= 0) return skip;
    // Where the token first crosses a line break. On a rejection after one, scanning resumes after it:
    // later lines may hold the real token (continuation lines never start with `eyJ`, so little is re-read).
    let gapAt = -1;
    const fail = (pos: number): number => (gapAt >= 0 ? Math.min(pos, gapAt + 1) : pos);
    const header = readJwtPart(text, start, 2048);
    gapAt = header.firstGap;
    if (header.overflow || header.value.length < 10 || text.charCodeAt(header.stop) !== 46) return fail(header.stop);
    let payloadStart = header.stop + 1;
    const payloadGap = lineGapEnd(text, payloadStart); // `header.` / `eyJ…payload`
    if (payloadGap >= 0 && text.startsWith('eyJ', payloadGap)) {
      if (gapAt < 0) gapAt = payloadStart;
      payloadStart = payloadGap;
    }
    if (!text.startsWith('eyJ', payloadStart)) return fail(payloadStart);
    const payload = readJwtPart(text, payloadStart, 65536);
    if (gapAt < 0) gapAt = payload.firstGap;
    if (payload.overflow || text.charCodeAt(payload.stop) !== 46) return fail(payload.stop);
    let sigStart = payload.stop + 1;
    const sigGap = lineGapEnd(text, sigStart); // `payload.` / `signature`
    const sigOnNextLine = sigGap >= 0 && isBase64UrlChar(text.charCodeAt(sigGap)) && !text.startsWith('eyJ', sigGap);
    if (sigOnNextLine) sigStart = sigGap;
    const sig = readJwtPart(text, sigStart, 4096);
    if (sig.overflow) return fail(sig.end);
    const alg = jwtAlgorithm(header.value);
    if (alg === null) return fail(sig.end);
    let sigEnd = sig.lines[0].end;
    let sigLength = sig.lines[0].length;
    if (sigOnNextLine || sig.lines.length > 1) {
      // Wrapped: keep the first line unless it is not a whole signature and a later line end is.
      const first = sigOnNextLine ? null : sig.lines[0];
      const lengths = SIG_LENGTHS.get(alg) ?? (SIG_LENGTHS.get('') as Set<number>);
      const whole = first && lengths.has(first.length) ? first : wrappedSignatureEnd(sig, lengths);
      if (whole) {
        sigEnd = whole.end;
        sigLength = whole.length;
        if (whole !== first && gapAt < 0) gapAt = payload.stop + 1;
      } else if (!first) {
        sigEnd = payload.stop + 1; // the next line is not this token's signature
        sigLength = 0;
      }
    } else {
      const after = text.charCodeAt(sig.stop);
      if (after === 46 && isBase64UrlChar(text.charCodeAt(sig.stop + 1))) return sig.end; // JWE (5 parts)
    }
    const signed = sigLength >= 16;
    if (!signed && alg.toLowerCase() !== 'none') return fail(sigEnd);
    // Over several lines, the payload must decode too: a joined line that is not part of it breaks it.
    if (gapAt >= 0 && !isJsonObject(payload.value)) return fail(sigEnd);
    // The jwt.io sample token (sub 1234567890, "John Doe") is documentation, not a credential.
    const sample = payload.value.length < 512 && /1234567890|John Doe/.test(decodeBase64(payload.value) ?? '');
    ctx.emit(jwtRule, start, sigEnd, sample ? 0.5 : signed ? 0.95 : 0.8);
    return sigEnd;
  },
});

// ---------------------------------------------------------------------------------------------------
// URLs and connection strings with credentials

const DB_SCHEMES = [
  'postgres',
  'postgresql',
  'postgis',
  'mysql',
  'mysqlx',
  'mariadb',
  'mongodb',
  'mongodb+srv',
  'redis',
  'rediss',
  'valkey',
  'amqp',
  'amqps',
  'mssql',
  'sqlserver',
  'oracle',
  'db2',
  'clickhouse',
  'cockroachdb',
  'couchdb',
  'cassandra',
  'neo4j',
  'neo4j+s',
  'bolt',
  'snowflake',
  'memcached',
  'elasticsearch',
];
const DB_SCHEME_SET = new Set(DB_SCHEMES);

/** Passwords that are well-known defaults or documentation stand-ins, not leaked secrets. */
const DEFAULT_PASSWORDS = new Set([
  'password',
  'pass',
  'passwd',
  'pwd',
  'secret',
  'postgres',
  'mysql',
  'root',
  'admin',
  'guest',
  'test',
  'user',
  'changeme',
  'example',
  'mysecretpassword',
  'sa',
  'redis',
  'mongo',
  'rabbitmq',
  'default',
  'neo4j',
  'letmein',
]);

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isSchemeChar(c: number): boolean {
  return isAlnum(c) || c === 43 || c === 45 || c === 46;
}

/**
 * RFC 3986 userinfo characters (unreserved, pct-encoded, sub-delims, `:`), plus `#` and `^`, which
 * people leave unencoded in passwords (`postgres://u:Xk9#mP2@host`).
 */
function isUserinfoChar(c: number): boolean {
  return (
    isAlnum(c) ||
    c === 35 ||
    c === 94 ||
    c === 45 ||
    c === 46 ||
    c === 95 ||
    c === 126 ||
    c === 37 ||
    c === 33 ||
    c === 36 ||
    c === 38 ||
    c === 39 ||
    c === 40 ||
    c === 41 ||
    c === 42 ||
    c === 43 ||
    c === 44 ||
    c === 59 ||
    c === 61 ||
    c === 58
  );
}

function isHostChar(c: number): boolean {
  return isAlnum(c) || c === 45 || c === 46 || c === 95 || c === 58 || c === 91 || c === 93 || c === 44;
}

interface UrlCredentials {
  start: number;
  end: number;
  scheme: string;
  user: string;
  password: string;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Parses `scheme://user:password@host[:port]` around the `://` at `colon`. Returns the credentials, or
 * the position scanning reached when there are none.
 */
function parseUrlCredentials(text: string, colon: number): UrlCredentials | number {
  let schemeStart = colon;
  const limit = Math.max(0, colon - 32);
  while (schemeStart > limit && isSchemeChar(text.charCodeAt(schemeStart - 1))) schemeStart--;
  // A scheme starts with a letter.
  while (schemeStart < colon && !isLetter(text.charCodeAt(schemeStart))) schemeStart++;
  if (schemeStart === colon) return colon + 3;
  const userStart = colon + 3;
  const at = runEnd(text, userStart, 257, isUserinfoChar);
  if (text.charCodeAt(at) !== 64 || at - userStart > 256) return at;
  const userinfo = text.slice(userStart, at);
  const sep = userinfo.indexOf(':');
  if (sep <= 0 || sep === userinfo.length - 1) return at;
  const hostEnd = runEnd(text, at + 1, 256, isHostChar);
  if (hostEnd === at + 1 || !isAlnum(text.charCodeAt(at + 1))) return at + 1;
  let end = hostEnd;
  while (end > at + 1 && !isAlnum(text.charCodeAt(end - 1)) && text.charCodeAt(end - 1) !== 93) end--;
  let start = schemeStart;
  if (text.startsWith('jdbc:', start - 5)) start -= 5;
  return {
    start,
    end,
    scheme: text.slice(schemeStart, colon).toLowerCase(),
    user: safeDecode(userinfo.slice(0, sep)),
    password: safeDecode(userinfo.slice(sep + 1)),
  };
}

/** Documentation hosts (RFC 2606): credentials in their URLs are examples. */
const EXAMPLE_HOST = /@(?:[\w-]+\.)*(?:example\.(?:com|org|net)|example|test|invalid)(?::\d+)?$/i;

/** Per scan: the last parse (both URL rules read the same `://`). */
const urlParseCache = new WeakMap<ScanContext, { at: number; result: UrlCredentials | number }>();

function parseUrlCredentialsCached(ctx: ScanContext, colon: number): UrlCredentials | number {
  const cached = urlParseCache.get(ctx);
  if (cached && cached.at === colon) return cached.result;
  const result = parseUrlCredentials(ctx.text, colon);
  urlParseCache.set(ctx, { at: colon, result });
  return result;
}

/** Score of a password found in a URL; null when it is a placeholder or a stock default. */
function urlPasswordScore(user: string, password: string, strong: number, weak: number): number | null {
  if (password === user || DEFAULT_PASSWORDS.has(password.toLowerCase()) || isPlaceholder(password)) return null;
  if (password.length < 6 || /^\d+$/.test(password)) return null; // `abc:xyz@`, `host:port@` confusion
  if (/^[A-Za-z]+$/.test(password) && password.length < 12) return null; // `anonymous:flabada@`
  const random = password.length >= 8 && shannonEntropy(password) >= entropyThreshold(password.length);
  const score = random ? strong : weak;
  return hasTestMarker(password) ? score - 0.15 : score;
}

export const databaseUrlRule: SecretRule = customRule({
  id: 'secrets.database-url',
  type: 'DATABASE_URL',
  description:
    'Database / broker connection string with an inline password: postgres, mysql, mongodb(+srv), redis, amqp, mssql, jdbc `password=` …',
  category: 'structural',
  keywords: ['://', 'jdbc:'],
  score: 0.92,
  priority: 2,
  validation: 'URL userinfo parse; default and placeholder passwords rejected',
  find(ctx, start, keyword) {
    if (keyword === 'jdbc:') return findJdbcPassword(ctx, start);
    const parsed = parseUrlCredentialsCached(ctx, start);
    if (typeof parsed === 'number') return parsed;
    if (!DB_SCHEME_SET.has(parsed.scheme)) return parsed.end; // reported by secrets.url-credentials
    const score = urlPasswordScore(parsed.user, parsed.password, 0.92, 0.8);
    if (score !== null && !EXAMPLE_HOST.test(ctx.text.slice(parsed.start, parsed.end))) {
      ctx.emit(databaseUrlRule, parsed.start, parsed.end, score);
    }
    return parsed.end;
  },
});

const JDBC_PASSWORD = /[;&?:]password=([^;&\s'"`]{1,128})/i;

function isUrlChar(c: number): boolean {
  return c > 32 && c !== 34 && c !== 39 && c !== 96 && c !== 60 && c !== 62 && c < 127;
}

function findJdbcPassword(ctx: ScanContext, start: number): number {
  const text = ctx.text;
  const end = runEnd(text, start, 1024, isUrlChar);
  const url = text.slice(start, end);
  const m = JDBC_PASSWORD.exec(url);
  if (!m) return end;
  const score = urlPasswordScore('', safeDecode(m[1]), 0.9, 0.78);
  if (score !== null) ctx.emit(databaseUrlRule, start, end, score);
  return end;
}

export const urlCredentialsRule: SecretRule = customRule({
  id: 'secrets.url-credentials',
  type: 'URL_CREDENTIALS',
  description: 'Any other URL with `user:password@` (http, ftp, smtp, git, cloudinary …)',
  category: 'structural',
  keywords: ['://'],
  score: 0.85,
  priority: 1,
  validation: 'URL userinfo parse; default and placeholder passwords rejected',
  find(ctx, start) {
    const parsed = parseUrlCredentialsCached(ctx, start);
    if (typeof parsed === 'number') return parsed;
    if (DB_SCHEME_SET.has(parsed.scheme)) return parsed.end; // reported by secrets.database-url
    const score = urlPasswordScore(parsed.user, parsed.password, 0.85, 0.7);
    if (score !== null && !EXAMPLE_HOST.test(ctx.text.slice(parsed.start, parsed.end))) {
      ctx.emit(urlCredentialsRule, parsed.start, parsed.end, score);
    }
    return parsed.end;
  },
});

// ---------------------------------------------------------------------------------------------------
// Authorization headers

function isTokenChar(c: number): boolean {
  return isAlnum(c) || c === 45 || c === 46 || c === 95 || c === 126 || c === 43 || c === 47 || c === 61;
}

export const authHeaderRule: SecretRule = customRule({
  id: 'secrets.auth-header',
  type: 'GENERIC_SECRET',
  description: '`Authorization: Bearer <token>` / `Basic <base64 user:password>` credentials',
  category: 'generic',
  keywords: ['bearer', 'basic'],
  caseInsensitive: true,
  keywordBoundary: 'A-Za-z0-9',
  score: 0.8,
  priority: 0,
  validation: 'Bearer: entropy + not a placeholder; Basic: decodes to `user:password`',
  find(ctx, start, keyword) {
    const text = ctx.text;
    if (start > 0 && isAlnum(text.charCodeAt(start - 1))) return start + 1;
    let i = start + keyword.length;
    const spaces = runEnd(text, i, 4, isSpace);
    if (spaces === i || spaces - i > 3) return spaces;
    i = spaces;
    const end = runEnd(text, i, 4097, isTokenChar);
    const token = text.slice(i, end);
    if (token.length < 16 || token.length > 4096) return end;
    const authorization = ctx
      .lower()
      .slice(Math.max(0, start - 40), start)
      .includes('authorization');
    if (keyword === 'basic') {
      const decoded = decodeBase64(token);
      if (decoded === null || !/^[\x20-\x7e]+$/.test(decoded)) return end;
      const sep = decoded.indexOf(':');
      if (sep <= 0 || sep === decoded.length - 1) return end;
      const password = decoded.slice(sep + 1);
      if (isPlaceholder(password) || DEFAULT_PASSWORDS.has(password.toLowerCase())) return end;
      ctx.emit(authHeaderRule, i, end, authorization ? 0.8 : 0.75);
      return end;
    }
    if (!looksRandom(token) || charClasses(token).count < 2) return end;
    ctx.emit(authHeaderRule, i, end, authorization ? 0.8 : 0.7);
    return end;
  },
});

// ---------------------------------------------------------------------------------------------------
// Generic `key = value` secrets

/** Key names that contain a keyword but do not hold a secret (`max_tokens`, `primary_key`, `secret_name`). */
const NOT_A_SECRET_KEY = new RegExp(
  [
    'tokeniz',
    '(?:max|min|num|total|prompt|completion|input|output|eos|bos|pad|unk|sep|cls|mask|special|stop|start|end|new|context)_?tokens?(?![a-z])',
    'tokens?_?(?:num|count|len|length|limit|size|type|ids?|index|usage|budget|per|url|uri|endpoint|file|path|name|dir|expir|ttl|lifetime|header|prefix|field|param|map|level)',
    '(?:public|pub|primary|foreign|sort|partition|cache|idempotency|row|hash|unique|composite|natural|lookup|dict|map|object|group|shard|routing|cursor|next|prev|page|hot|short|monkey|tur|don|jockey|whis|host|gpg|pgp|ssh)_?key',
    'key_?(?:id|ids|name|names|file|path|length|len|size|type|code|word|board|ring|store|stroke|press|event|map|spec|alias|usage|format|frame|note|value_?pair|pair|s$|vault_?(?:id|name|url|uri))',
    '(?:secret|password|passwd|pass|pwd|token)_?(?:name|length|len|file|path|ref|id|field|policy|prompt|hint|reset|expir|min|max|rules?|strength|hash|salt|confirm|label|placeholder|input|manager|store|required|enabled|provider|type|version)',
    'passwordless|passport|passage|passive|passenger|passthrough|bypass|compass|surpass|trespass|pass_?(?:through|by|count|rate|fail)',
    'keyword|keystone|keynote|keyframe|keypress|keydown|keyup|keycode|keymap|keyring|keystore|keyspace|keychain|hotkey|turkey|donkey|monkey|jockey|whiskey',
    'credentials?_?(?:id|ids|name|type|file|path|provider|source|helper|mode)',
    'pwd_?(?:cmd|dir)|cwd|secretary',
  ].join('|'),
  'i',
);

const PUBLIC_QUALIFIER = /(?:public|gpg|pgp|ssh|host|signing|release|primary|foreign)[ _-]$/i;

/** Value characters when unquoted: stops at whitespace, quotes, separators and brackets. */
function isBareValueChar(c: number): boolean {
  return (
    c > 32 &&
    c < 127 &&
    !isQuote(c) &&
    c !== 44 && // ,
    c !== 59 && // ;
    c !== 38 && // &
    c !== 60 && // <
    c !== 62 && // >
    c !== 40 && // (
    c !== 41 &&
    c !== 91 && // [
    c !== 93 &&
    c !== 123 && // {
    c !== 125 &&
    c !== 124 // |
  );
}

/**
 * Code rather than a literal: member chains (`config.auth.secret`, `options?.password`), calls and
 * brackets, operators (`+x`, `i++`, `a => b`), paths, URLs and URNs.
 */
const CODE_REFERENCE =
  /^[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)+$|[()[\]{}]|\?\.|=>|::|\+\+$|\*$|^[?.+!~*&|^]|^(?:https?:|file:|urn:|\/|\.\.?\/|~\/)|:\/\/|:.*:/i;

/** CamelCase / snake_case splitter: words, acronyms and digit groups. */
const CHUNK = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;

/**
 * True for identifiers made of words (`getNonFormattedNationalNumber`, `OAuth2Client`, `babel7Compat`,
 * `asyncify-imports@env.await_promise_sync`): every chunk is a word of 3+ letters, a capitalised word,
 * a short acronym or a short number, and chunks are long on average. Random tokens split into many
 * one- and two-letter chunks.
 */
export function looksLikeIdentifier(value: string): boolean {
  // Password punctuation (`!`, `#`, `%`, `&`, `*`, `+`, `=`, `?`, `~` …) does not occur in identifiers.
  if (/[^A-Za-z0-9_.\-@/:$]/.test(value)) return false;
  let chunks = 0;
  let letters = 0;
  for (const m of value.matchAll(CHUNK)) {
    const w = m[0];
    chunks++;
    const c = w.charCodeAt(0);
    if (c >= 48 && c <= 57) {
      if (w.length > 4) return false;
      continue;
    }
    letters += w.length;
    const upper = c >= 65 && c <= 90;
    const allUpper = upper && w === w.toUpperCase();
    if (allUpper ? w.length > 5 : w.length < (upper ? 2 : 3)) return false;
  }
  return chunks > 0 && letters / chunks >= 2.5;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STRONG_KEY = /pass|secret|private|api_?key|access_?key|token|credential/i;

/** What a generic value is worth on its own: null when it does not look like a secret. */
interface ValueInfo {
  /** Score before the key and quoting adjustments. */
  base: number;
  /** The value says it is for testing. */
  test: boolean;
  uuid: boolean;
}

export function genericValueInfo(value: string): ValueInfo | null {
  const n = value.length;
  if (n < 8 || n > 200) return null;
  if (/\s/.test(value) || isPlaceholder(value) || CODE_REFERENCE.test(value)) return null;
  if (looksLikeIdentifier(value)) return null;
  const classes = charClasses(value);
  const entropy = shannonEntropy(value);
  if (entropy < entropyThreshold(n)) return null;
  // Words and identifiers (`MyPassword`, `AUTH_TOKEN`, `correct-horse`): letters only need to be long and random.
  if (/^[A-Za-z._/@:-]+$/.test(value) && (n < 24 || entropy < 4)) return null;
  if (classes.count < 2 && (n < 20 || entropy < 3.5)) return null;
  let base = 0.5;
  // High entropy for its length and alphabet (hex tops out at 4 bits per character).
  const alphabet = /^[0-9a-f]+$/i.test(value) ? 16 : 64;
  if (entropy >= Math.min(4, 0.95 * Math.log2(n), 0.9 * Math.log2(alphabet))) base += 0.1;
  if (classes.count >= 3) base += 0.1;
  return { base, test: hasTestMarker(value), uuid: UUID.test(value) };
}

/** Score of a generic value under a secret-looking key; null when it does not look like a secret. */
export function genericValueScore(value: string, keyName: string, quoted: boolean): number | null {
  const info = genericValueInfo(value);
  return info && combineScore(info, STRONG_KEY.test(keyName), hasTestMarker(keyName), quoted);
}

function combineScore(value: ValueInfo, strongKey: boolean, testKey: boolean, quoted: boolean): number {
  let score = value.base;
  if (quoted) score += 0.05;
  if (strongKey) score += 0.05;
  if (value.test || testKey) score -= 0.2;
  if (value.uuid) score = Math.min(score, 0.55);
  return clamp(score, 0.3, 0.8);
}

const valueMemo = new WeakMap<ScanContext, Map<string, ValueInfo | null>>();

/** `genericValueInfo`, memoised per scan: repeated values cost one evaluation. */
function memoValueInfo(ctx: ScanContext, value: string): ValueInfo | null {
  let memo = valueMemo.get(ctx);
  if (!memo) {
    memo = new Map();
    valueMemo.set(ctx, memo);
  }
  let info = memo.get(value);
  if (info === undefined) {
    info = genericValueInfo(value);
    memo.set(value, info);
  }
  return info;
}

interface KeyInfo {
  /** Keyword-context rules whose keywords occur in the key name. */
  keyed: SecretRule[];
  /** The key names a secret for the generic rule. */
  generic: boolean;
  /** Strongly secret key name (`password`, `api_key`, …) / key name with a test marker. */
  strong: boolean;
  test: boolean;
}

/** Key words that make a key name secret-looking for the generic rule. */
const GENERIC_KEY = /pass|pwd|secret|token|key|credential/;

/**
 * The assignment scanner and generic rule. Anchored on `pass`, `pwd`, `secret`, `token`, `key`,
 * `credential` (and `_pat`, for keyword-context rules only), it parses each `key <op> value` once, offers
 * it to the keyword-context rules whose keywords occur in the key name (`DATADOG_API_KEY` → Datadog),
 * and otherwise scores the value as a generic secret.
 */
export function createGenericSecretRule(keyedRules: readonly SecretRule[]): SecretRule {
  const keyed = keyedRules.filter((r) => r.onAssignment);
  const keyedWords = new RegExp(
    [...new Set(keyed.flatMap((r) => r.keywords))].map((k) => k.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|'),
  );
  const keyMemo = new WeakMap<ScanContext, Map<string, KeyInfo>>();
  /** What a key name leads to: the keyword-context rules it names, and whether it is a generic secret key. */
  const keyInfo = (ctx: ScanContext, keyName: string): KeyInfo => {
    let memo = keyMemo.get(ctx);
    if (!memo) {
      memo = new Map();
      keyMemo.set(ctx, memo);
    }
    let info = memo.get(keyName);
    if (!info) {
      const lower = keyName.toLowerCase();
      info = {
        keyed: keyedWords.test(lower) ? keyed.filter((r) => r.keywords.some((k) => lower.includes(k))) : [],
        generic: GENERIC_KEY.test(lower) && !NOT_A_SECRET_KEY.test(keyName),
        strong: STRONG_KEY.test(keyName),
        test: hasTestMarker(keyName),
      };
      memo.set(keyName, info);
    }
    return info;
  };
  const rule: SecretRule = customRule({
    id: 'secrets.generic',
    type: 'GENERIC_SECRET',
    description:
      'Assignment or key/value whose key names a secret (`password = "…"`, `api_key: …`, `"secret": "…"`, `FOO_TOKEN=…`) and whose value looks random',
    category: 'generic',
    keywords: ['pass', 'pwd', 'secret', 'token', 'key', 'credential', '_pat'],
    caseInsensitive: true,
    score: 0.8,
    priority: 0,
    validation: 'entropy + character-class mix; placeholders, code references and non-secret keys rejected',
    find(ctx, start, keyword) {
      const text = ctx.text;
      const a = parseAssignment(text, start, keyword.length);
      if (typeof a === 'number') return a;
      const keyName = text.slice(a.keyStart, a.keyEnd);
      const info = keyInfo(ctx, keyName);
      if (info.keyed.length > 0) {
        let reached = -1;
        for (const r of info.keyed) reached = Math.max(reached, r.onAssignment?.(ctx, a, keyName) ?? -1);
        if (reached >= 0) return reached;
      }
      if (!info.generic) return a.valueStart;
      // `Public key: …`, `GPG key ID: …`: a qualifying word before the key name.
      if (
        text.charCodeAt(a.keyStart - 1) === 32 &&
        PUBLIC_QUALIFIER.test(text.slice(Math.max(0, a.keyStart - 12), a.keyStart))
      ) {
        return a.valueStart;
      }
      let end: number;
      let valueEnd: number;
      if (a.quote) {
        valueEnd = a.valueStart;
        const limit = Math.min(text.length, a.valueStart + 257);
        while (valueEnd < limit) {
          const c = text.charCodeAt(valueEnd);
          if (c === a.quote || c === 10 || c === 13) break;
          valueEnd++;
        }
        if (text.charCodeAt(valueEnd) !== a.quote) return valueEnd;
        end = valueEnd + 1;
      } else {
        valueEnd = runEnd(text, a.valueStart, 257, isBareValueChar);
        end = valueEnd;
        // A sentence full stop or colon is not part of a bare value.
        while (valueEnd > a.valueStart && /[.:!?]/.test(text[valueEnd - 1])) valueEnd--;
      }
      if (valueEnd - a.valueStart > 256) return end;
      const value = memoValueInfo(ctx, text.slice(a.valueStart, valueEnd));
      if (value) ctx.emit(rule, a.valueStart, valueEnd, combineScore(value, info.strong, info.test, a.quote !== 0));
      return end;
    },
  });
  return rule;
}

/** The structural rules; the generic rule is built last, from the keyword-context rules. */
export const STRUCTURAL_RULES: readonly SecretRule[] = [
  privateKeyRule,
  jwtRule,
  databaseUrlRule,
  urlCredentialsRule,
  authHeaderRule,
];
