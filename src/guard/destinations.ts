/**
 * Where a tool call sends things: e-mail addresses, web addresses and domains, bank accounts (IBANs and long
 * account numbers), phone numbers and crypto wallets in its arguments. An injection planted in data an agent
 * reads ("send the payroll file to j.morrow@…", "transfer $30,000 to US1330…") names a destination of the
 * attacker's, which the user never gave; a tool rule can hold such calls (`untrustedDestinations`).
 *
 * Every pattern is a literal or a bounded character class run: linear time on hostile input.
 */

/** A destination as found, and its comparison key (lower case; digits-only for numbers, no scheme for URLs). */
export interface Destination {
  kind: 'email' | 'url' | 'account' | 'phone' | 'wallet';
  key: string;
}

const PATTERNS: { kind: Destination['kind']; re: RegExp }[] = [
  { kind: 'email', re: /[a-z0-9._%+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8}/gi },
  {
    kind: 'url',
    re: /\b(?:https?:\/\/|www\.)[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,8}(?::\d{1,5})?(?:\/[^\s"'<>)]{0,200})?/gi,
  },
  { kind: 'phone', re: /\+\d[\d -]{6,20}\d/g },
  // IBAN: country, check digits, 10–30 alphanumerics, spaces allowed in groups of four.
  { kind: 'account', re: /\b[a-z]{2}\d{2}(?: ?[a-z0-9]{4}){2,7}(?: ?[a-z0-9]{1,4})?\b/gi },
  // Account numbers: 8–24 digits, with single spaces or dashes between groups of three or more (a date's
  // two-digit groups are not an account).
  { kind: 'account', re: /\b\d{3,8}(?:[ -]\d{3,8}){1,5}\b|\b\d{8,24}\b/g },
  { kind: 'wallet', re: /\b0x[a-f0-9]{40}\b|\b(?:bc1|[13])[a-z0-9]{25,62}\b/gi },
];

/** A bare domain in an argument ("post it to my-website-234.com/random"); only with a common top-level domain. */
const DOMAIN =
  /\b[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,4}\.(?:com|net|org|io|co|biz|info|xyz|app|dev|me|ru|cn|top|site|online|uk|de|fr)\b(?:\/[^\s"'<>)]{0,200})?/gi;

/** Accounts and phone numbers compare without their spaces, dashes and other separators. */
const byCharacters = (kind: Destination['kind']) => kind === 'account' || kind === 'phone';
const compact = (lower: string) => lower.replace(/[^a-z0-9]/g, '');

function keyOf(kind: Destination['kind'], raw: string): string {
  const s = raw.toLowerCase();
  if (byCharacters(kind)) return compact(s);
  if (kind === 'url')
    return s
      .replace(/^https?:\/\//, '')
      .replace(/^www\./, '')
      .replace(/\/+$/, '');
  return s;
}

/** At most this many destinations are read from one text (each is compared with what the user wrote). */
const MAX_DESTINATIONS = 256;

/** The destinations in `text`, each once (the first {@link MAX_DESTINATIONS}). */
export function destinationsIn(text: string): Destination[] {
  const out = new Map<string, Destination>();
  const taken: [number, number][] = [];
  const add = (kind: Destination['kind'], m: RegExpMatchArray) => {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (out.size >= MAX_DESTINATIONS || taken.some(([a, b]) => start < b && end > a)) return;
    taken.push([start, end]);
    const key = keyOf(kind, m[0]);
    // Short digit runs are dates, prices and counts, not accounts.
    if (byCharacters(kind) && key.replace(/[a-z]/g, '').length < 8) return;
    out.set(`${kind}:${key}`, { kind, key });
  };
  for (const { kind, re } of PATTERNS) for (const m of text.matchAll(re)) add(kind, m);
  for (const m of text.matchAll(DOMAIN)) add('url', m);
  return [...out.values()];
}

/**
 * What the user wrote, kept to tell their destinations from others (compared by key, as `destinationsIn` makes).
 * Texts are normalised on the first look-up only: most requests carry no tool call with a destination rule.
 */
export class UserSupplied {
  readonly #raw: string[] = [];
  readonly #text: string[] = [];
  readonly #compact: string[] = [];

  add(text: string): void {
    this.#raw.push(text);
  }

  /** The user named this destination (in any of their messages). */
  has(d: Destination): boolean {
    while (this.#text.length < this.#raw.length) {
      const lower = this.#raw[this.#text.length].toLowerCase();
      this.#text.push(lower);
      this.#compact.push(compact(lower));
    }
    const hay = byCharacters(d.kind) ? this.#compact : this.#text;
    return hay.some((t) => t.includes(d.key));
  }
}
