/**
 * Network identifiers: URL, DOMAIN_NAME, IP_ADDRESS (v4 and v6, compressed forms and embedded IPv4
 * included) and MAC_ADDRESS. Each is anchored on a distinctive substring found with indexOf (`://`,
 * `www.`, `.`, `:`, `-`) or on a digit run, then parsed by hand within a bounded length.
 */
import * as contextModule from './context.js';
import * as tldsModule from './tlds.js';
import type { Candidate, Recognizer, ScanContext } from './types.js';
import * as typesModule from './types.js';

// Local bindings: loaders that rewrite imports into module-namespace lookups (vitest, tsx) would
// otherwise pay a property access on every call in the hot loops below.
const { contextList, hasContext } = contextModule;
const { TLDS, isCredibleBareDomain, parseHostname } = tldsModule;
const { NOT_HOST, clamp01, escapeEndsAt, isAlnumCode, isDigitCode, isHexCode, isWordCode, percentByteAt, skipRun } =
  typesModule;

const MAX_URL = 2048;

const IP_CONTEXT = contextList(
  'ip',
  'ips',
  'ipv4',
  'ipv6',
  'address',
  'addresses',
  'host',
  'server',
  'client',
  'client_ip',
  'remote',
  'gateway',
  'dns',
  'subnet',
  'router',
  'proxy',
  'login',
  'connect*',
  'ping',
  'firewall',
);
const IP_NEGATIVE = contextList(
  'version',
  'versions',
  'v',
  'release',
  'build',
  'oid',
  'section',
  'chapter',
  'figure',
  'table',
);
const MAC_CONTEXT = contextList(
  'mac',
  'ethernet',
  'hardware',
  'wifi',
  'wi-fi',
  'bssid',
  'nic',
  'device',
  'interface',
  'adapter',
);

function isHostCode(c: number): boolean {
  return isAlnumCode(c) || c === 46 || c === 45;
}

/** Characters that may appear in a URL path/query; everything else (spaces, quotes, angle brackets) ends it. */
function isUrlCode(c: number): boolean {
  if (c <= 32 || c === 127) return false;
  // " < > \ ^ ` { | }
  if (c === 34 || c === 60 || c === 62 || c === 92 || c === 94 || c === 96 || c === 123 || c === 124 || c === 125)
    return false;
  // no-break and other Unicode spaces
  if (c === 0xa0 || (c >= 0x2000 && c <= 0x200b) || c === 0x3000) return false;
  return true;
}

const IPV4_RE = /(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}/y;

/** End of a dotted-quad IPv4 address starting exactly at `i`, or -1 (no digit or `.digit` may follow it). */
export function ipv4At(text: string, i: number): number {
  IPV4_RE.lastIndex = i;
  if (!IPV4_RE.test(text)) return -1;
  const e = IPV4_RE.lastIndex;
  const c = text.charCodeAt(e);
  if (isDigitCode(c)) return -1;
  if (c === 46 && isDigitCode(text.charCodeAt(e + 1))) return -1;
  return e;
}

/**
 * Parses an IPv6 address starting at `s`: 1-4 hex digit groups, at most one `::`, an optional trailing
 * dotted IPv4. Returns the end offset or -1. Reads at most ~45 characters.
 */
export function ipv6At(text: string, s: number): number {
  const n = text.length;
  let i = s;
  let groups = 0;
  let compressed = false;
  let digits = false;
  if (text.charCodeAt(i) === 58 && text.charCodeAt(i + 1) === 58) {
    compressed = true;
    i += 2;
  }
  let end = i;
  for (;;) {
    let j = i;
    while (j < n && j - i < 5 && isHexCode(text.charCodeAt(j))) j++;
    if (j - i > 4) return -1;
    if (j === i) break;
    if (
      text.charCodeAt(j) === 46 &&
      isDigitCode(text.charCodeAt(j + 1)) &&
      j - i <= 3 &&
      /^\d+$/.test(text.slice(i, j))
    ) {
      // embedded IPv4 takes the place of the last two groups
      const e4 = ipv4At(text, i);
      if (e4 < 0 || groups > 6) return -1;
      groups += 2;
      digits = true;
      end = e4;
      i = e4;
      break;
    }
    for (let k = i; k < j; k++) if (isDigitCode(text.charCodeAt(k))) digits = true;
    groups++;
    end = j;
    if (groups > 8) return -1;
    if (text.charCodeAt(j) === 58) {
      if (text.charCodeAt(j + 1) === 58) {
        if (compressed) return -1;
        compressed = true;
        i = j + 2;
        end = i;
        continue;
      }
      if (isHexCode(text.charCodeAt(j + 1))) {
        i = j + 1;
        continue;
      }
    }
    break;
  }
  if (compressed ? groups > 7 : groups !== 8) return -1;
  if (!digits || groups < 2) return -1;
  const c = text.charCodeAt(end);
  if (isWordCode(c) || c === 58 || (c === 46 && isDigitCode(text.charCodeAt(end + 1)))) return -1;
  return end;
}

const HEX_COLON_RUN = /[0-9A-Fa-f:.]*/y;
const HEX_DASH_RUN = /[0-9A-Fa-f-]*/y;

const MAC_RE = /[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}/y;

function macAt(text: string, s: number): number {
  if (isWordCode(text.charCodeAt(s - 1)) || text.charCodeAt(s - 1) === 58 || text.charCodeAt(s - 1) === 45) return -1;
  MAC_RE.lastIndex = s;
  if (!MAC_RE.test(text)) return -1;
  const e = MAC_RE.lastIndex;
  const c = text.charCodeAt(e);
  if (isWordCode(c) || ((c === 58 || c === 45) && isHexCode(text.charCodeAt(e + 1)))) return -1;
  return e;
}

function ipScore(ctx: ScanContext, start: number, end: number, base: number): number {
  let score = base;
  if (hasContext(ctx, start, end, IP_CONTEXT)) score += 0.3;
  else if (hasContext(ctx, start, end, IP_NEGATIVE, 20, 10)) score -= 0.25;
  return clamp01(score);
}

function findIps(ctx: ScanContext, out: Candidate[]): void {
  const text = ctx.text;
  // IPv4 from digit runs: the scanner already grouped "192.168.0.1"
  for (const run of ctx.numberRuns()) {
    if (run.plus || run.groups.length < 4 || run.seps[0] !== '.') continue;
    const s = run.start;
    if (text.charCodeAt(s) === 40) continue;
    const before = text.charCodeAt(s - 1);
    if (!escapeEndsAt(text, s) && (isWordCode(before) || before === 46 || before === 58)) continue;
    const e = ipv4At(text, s);
    if (e < 0) continue;
    // unspecified, loopback and broadcast addresses identify no one
    const ip = text.slice(s, e);
    if (ip === '0.0.0.0' || ip === '255.255.255.255' || ip.startsWith('127.')) continue;
    out.push({ type: 'IP_ADDRESS', start: s, end: e, score: ipScore(ctx, s, e, 0.6), rule: 'pii.ipv4', priority: 4 });
  }
  // IPv6 and MAC from ':' (and MAC from '-')
  const n = text.length;
  let from = 0;
  while (from < n) {
    const p = text.indexOf(':', from);
    if (p < 0) break;
    // only the first position of a run of hex digits, ':' and '.' can start an address (the boundary rule
    // rejects the others), so a failed anchor skips the whole run
    const c1 = text.charCodeAt(p + 1);
    if (isHexCode(c1) || c1 === 58 || c1 === 46) {
      HEX_COLON_RUN.lastIndex = p;
      HEX_COLON_RUN.test(text);
      from = Math.max(p + 1, HEX_COLON_RUN.lastIndex);
    } else {
      from = p + 1;
    }
    let s = p;
    while (s > 0 && p - s < 5 && isHexCode(text.charCodeAt(s - 1))) s--;
    if (p - s > 4) continue;
    const prev = text.charCodeAt(s - 1);
    if (isWordCode(prev) || prev === 58 || prev === 46) continue;
    if (p - s === 2) {
      const me = macAt(text, s);
      if (me > 0) {
        const score = clamp01(0.6 + (hasContext(ctx, s, me, MAC_CONTEXT) ? 0.3 : 0));
        out.push({ type: 'MAC_ADDRESS', start: s, end: me, score, rule: 'pii.mac', priority: 4 });
        from = me;
        continue;
      }
    }
    if (p === s && text.charCodeAt(p + 1) !== 58) continue;
    const e = ipv6At(text, s);
    if (e < 0) continue;
    const full = !text.slice(s, e).includes('::');
    out.push({
      type: 'IP_ADDRESS',
      start: s,
      end: e,
      score: ipScore(ctx, s, e, full ? 0.65 : 0.5),
      rule: 'pii.ipv6',
      priority: 4,
    });
    from = e;
  }
  from = 0;
  while (from < n) {
    const p = text.indexOf('-', from);
    if (p < 0) break;
    HEX_DASH_RUN.lastIndex = p;
    HEX_DASH_RUN.test(text);
    from = Math.max(p + 1, HEX_DASH_RUN.lastIndex);
    if (p < 2 || !isHexCode(text.charCodeAt(p - 1)) || !isHexCode(text.charCodeAt(p - 2))) continue;
    if (!isHexCode(text.charCodeAt(p + 1)) || !isHexCode(text.charCodeAt(p + 2))) continue;
    const me = macAt(text, p - 2);
    if (me < 0) continue;
    const score = clamp01(0.55 + (hasContext(ctx, p - 2, me, MAC_CONTEXT) ? 0.35 : 0));
    out.push({ type: 'MAC_ADDRESS', start: p - 2, end: me, score, rule: 'pii.mac', priority: 4 });
    from = me;
  }
}

/** Trims trailing punctuation and unbalanced closing brackets from a URL end (one pass over the URL). */
function trimUrlEnd(text: string, start: number, end: number): number {
  let parens = 0;
  let brackets = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 40) parens++;
    else if (c === 41) parens--;
    else if (c === 91) brackets++;
    else if (c === 93) brackets--;
  }
  let e = end;
  while (e > start) {
    const c = text.charCodeAt(e - 1);
    // . , ; : ! ? ' * and unbalanced ) ]
    if (c === 46 || c === 44 || c === 59 || c === 58 || c === 33 || c === 63 || c === 39 || c === 42) e--;
    else if (c === 41 && parens < 0) {
      parens++;
      e--;
    } else if (c === 93 && brackets < 0) {
      brackets++;
      e--;
    } else break;
  }
  return e;
}

interface Host {
  end: number;
  kind: 'name' | 'ip' | 'localhost';
}

function hostAt(text: string, h: number): Host | null {
  const n = text.length;
  if (text.charCodeAt(h) === 91 /* [ */) {
    const e = ipv6At(text, h + 1);
    if (e < 0 || text.charCodeAt(e) !== 93) return null;
    return { end: e + 1, kind: 'ip' };
  }
  let e = h;
  let dot = false;
  while (e < n && e - h <= 253) {
    const c = text.charCodeAt(e);
    if (!isHostCode(c)) break;
    if (c === 46) dot = true;
    e++;
  }
  if (e - h > 253 || (!dot && e - h !== 9)) return null;
  while (e > h && (text.charCodeAt(e - 1) === 46 || text.charCodeAt(e - 1) === 45)) e--;
  if (e === h) return null;
  if (ipv4At(text, h) === e) return { end: e, kind: 'ip' };
  if (e - h === 9 && text.slice(h, e).toLowerCase() === 'localhost') return { end: e, kind: 'localhost' };
  if (!parseHostname(text, h, e)) return null;
  return { end: e, kind: 'name' };
}

/** Parses host, port and path from `h`; returns the URL end and whether it has a path beyond `/`. */
function urlRest(text: string, start: number, h: number): { end: number; host: Host; path: boolean } | null {
  const host = hostAt(text, h);
  if (!host) return null;
  let e = host.end;
  if (text.charCodeAt(e) === 58 && isDigitCode(text.charCodeAt(e + 1))) {
    let q = e + 1;
    while (q < text.length && q - e <= 6 && isDigitCode(text.charCodeAt(q))) q++;
    if (q - e <= 6) e = q;
  }
  const c = text.charCodeAt(e);
  if (isWordCode(c) || c === 64 /* @ userinfo: left to the secrets detector */) return null;
  const hostEnd = e;
  if (c === 47 || c === 63 || c === 35) {
    let q = e;
    while (q < text.length && q - start < MAX_URL && isUrlCode(text.charCodeAt(q))) q++;
    e = trimUrlEnd(text, start, q);
  }
  const path = text.slice(hostEnd, e);
  return { end: e, host, path: path !== '' && path !== '/' };
}

function pushUrl(out: Candidate[], start: number, end: number, host: Host, path: boolean, score: number): void {
  const isDomain = !path && host.kind === 'name';
  out.push({
    type: isDomain ? 'DOMAIN_NAME' : 'URL',
    start,
    end,
    score: host.kind === 'localhost' ? 0.3 : score,
    rule: isDomain ? 'pii.domain' : 'pii.url',
    priority: 3,
  });
}

/** A scheme followed by something that can be a host: "[v6]", "localhost", or a label and a dot. */
const SCHEME_RE = /(?:https?|ftps?|sftp|wss?):\/\/(?=\[|localhost|[A-Za-z0-9-]{1,63}\.[A-Za-z0-9])/gi;

function findUrls(ctx: ScanContext, out: Candidate[], covered: [number, number][]): void {
  const text = ctx.text;
  SCHEME_RE.lastIndex = 0;
  for (;;) {
    const m = SCHEME_RE.exec(text);
    if (!m) break;
    const s = m.index;
    const h = s + m[0].length;
    if (s > 0 && isAlnumCode(text.charCodeAt(s - 1))) continue;
    const rest = urlRest(text, s, h);
    if (!rest) continue;
    pushUrl(out, s, rest.end, rest.host, rest.path, 0.85);
    covered.push([s, rest.end]);
    SCHEME_RE.lastIndex = Math.max(h, rest.end);
  }
  const schemeUrls = covered.length;
  let ci = 0;
  const www = /www\./gi;
  for (;;) {
    const m = www.exec(text);
    if (!m) break;
    const p = m.index;
    // scheme URLs are in order: skip a `www.` inside one
    while (ci < schemeUrls && covered[ci][1] <= p) ci++;
    if (ci < schemeUrls && covered[ci][0] <= p) {
      www.lastIndex = covered[ci][1];
      continue;
    }
    const prev = text.charCodeAt(p - 1);
    if (isWordCode(prev) || prev === 46 || prev === 47 || prev === 64 || prev === 45) continue;
    const rest = urlRest(text, p, p);
    if (!rest) continue;
    pushUrl(out, p, rest.end, rest.host, rest.path, 0.7);
    covered.push([p, rest.end]);
    www.lastIndex = Math.max(www.lastIndex, rest.end);
  }
}

/** Bare `example.com` names (and `example.com/path` URLs): anchored on a '.' between a word character and a letter. */
function findBareDomains(ctx: ScanContext, out: Candidate[], covered: [number, number][]): void {
  const text = ctx.text;
  const n = text.length;
  covered.sort((a, b) => a[0] - b[0]);
  let ci = 0;
  let from = 0;
  let floor = 0;
  for (;;) {
    const p = text.indexOf('.', from);
    if (p < 0) break;
    from = p + 1;
    if (p === 0 || !isAlnumCode(text.charCodeAt(p - 1)) || !isAlnumCode(text.charCodeAt(p + 1))) continue;
    while (ci < covered.length && covered[ci][1] <= p) ci++;
    if (ci < covered.length && covered[ci][0] <= p) {
      from = covered[ci][1];
      continue;
    }
    let s = p;
    while (s > floor && p - s <= 253 && isHostCode(text.charCodeAt(s - 1))) s--;
    let e = p + 1;
    while (e < n && e - s <= 254 && isHostCode(text.charCodeAt(e))) e++;
    if (e - s > 253) {
      // an over-long dotted token: skip all of it
      e = skipRun(text, e, isHostCode, NOT_HOST);
      from = floor = e;
      continue;
    }
    from = floor = e;
    let before = text.charCodeAt(s - 1);
    // a %XX escape is not part of a name ("%40example.com" is "@example.com"): judge its decoded character
    const escaped = p - s > 2 ? percentByteAt(text, s - 1) : -1;
    if (escaped >= 0) {
      before = escaped;
      s += 2;
    }
    // '@' email, '/' path, ':' scheme or port, '\' path, '_' identifier, '$' variable
    if (isWordCode(before) || before === 64 || before === 47 || before === 58 || before === 92 || before === 36)
      continue;
    if (text.charCodeAt(e) === 64 || text.charCodeAt(e) === 95) continue;
    while (e > s && (text.charCodeAt(e - 1) === 46 || text.charCodeAt(e - 1) === 45)) e--;
    while (s < e && (text.charCodeAt(s) === 45 || text.charCodeAt(s) === 46)) s++;
    // cheap test first: is the last label a TLD at all?
    const lastDot = text.lastIndexOf('.', e - 1);
    if (lastDot < s || e - lastDot > 25 || !TLDS.has(text.slice(lastDot + 1, e))) continue;
    const host = parseHostname(text, s, e);
    if (!host || !isCredibleBareDomain(host)) continue;
    if (isWordCode(text.charCodeAt(e)) || text.charCodeAt(e) === 40 /* call: `foo.com(` */) continue;
    const rest = urlRest(text, s, s);
    if (!rest) continue;
    pushUrl(out, s, rest.end, rest.host, rest.path, 0.55);
    from = floor = Math.max(from, rest.end);
  }
}

export const networkRecognizer: Recognizer = {
  id: 'pii.network',
  entityTypes: ['IP_ADDRESS', 'MAC_ADDRESS', 'URL', 'DOMAIN_NAME'],
  precheck: (text) => text.includes('.') || text.includes(':') || text.includes('-'),
  find(ctx, out) {
    findIps(ctx, out);
    const covered: [number, number][] = [];
    findUrls(ctx, out, covered);
    findBareDomains(ctx, out, covered);
  },
};
