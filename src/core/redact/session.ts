import { createHmac, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { exactBytes } from './keys.js';
import { nextTag } from './tags.js';

/**
 * State shared by several `redact` calls: a stream's chunks or a chat's messages. Same value and type →
 * same tag (`<EMAIL_ADDRESS_1>`) and same pseudonym, and two values never share a tag or a pseudonym.
 *
 * The session does not keep original values: tags are indexed by an HMAC under a random per-session key,
 * pseudonyms by their (already keyed) seed. It lives in memory only; use a `Vault` to reverse tags later.
 */
export class RedactionSession {
  readonly #secret = randomBytes(32);
  /** value digest → tag */
  readonly #tags = new Map<string, string>();
  readonly #counters = new Map<string, number>();
  readonly #issued = new Set<string>();
  /** seed id → pseudonym */
  readonly #pseudonyms = new Map<string, string>();
  /** label + '\0' + pseudonym → seed id */
  readonly #owners = new Map<string, string>();

  /**
   * The tag for a value of this type: the one it already has, or the next free `<LABEL_n>`, skipping any
   * that `isReserved` rejects (tags already in the text, or held by a vault).
   */
  tagFor(label: string, value: string, isReserved: (tag: string) => boolean = () => false): string {
    const digest = createHmac('sha256', this.#secret)
      .update(label)
      .update('\0')
      .update(exactBytes(value)) // not `.update(value)`: every lone surrogate became U+FFFD, two values one tag
      .digest('base64');
    const known = this.#tags.get(digest);
    if (known !== undefined) return known;
    const tag = nextTag(label, this.#counters, (t) => this.#issued.has(t) || isReserved(t));
    this.#tags.set(digest, tag);
    this.#issued.add(tag);
    return tag;
  }

  /** Whether this session has handed out `tag` (by `tag` or by `vault`). */
  isIssued(tag: string): boolean {
    return this.#issued.has(tag);
  }

  /** Records a tag handed out elsewhere (the vault operator), so that `tagFor` never reuses it. */
  markIssued(tag: string): void {
    this.#issued.add(tag);
  }

  /**
   * The pseudonym for one seed: the one already chosen, or the first draw that no other seed of this label
   * holds. `draw(attempt)` returns a candidate, or `undefined` to reject it (e.g. equal to the original);
   * after `maxAttempts` rejected draws, `fallback` (expected unique) is used.
   * @internal used by the pseudonym operator
   */
  pseudonymFor(
    label: string,
    seedId: string,
    draw: (attempt: number) => string | undefined,
    fallback: () => string,
    maxAttempts = 32,
  ): string {
    const known = this.#pseudonyms.get(seedId);
    if (known !== undefined) return known;
    let chosen: string | undefined;
    for (let attempt = 0; attempt < maxAttempts && chosen === undefined; attempt++) {
      const candidate = draw(attempt);
      if (candidate !== undefined && !this.#owners.has(`${label}\0${candidate}`)) chosen = candidate;
    }
    chosen ??= fallback();
    this.#pseudonyms.set(seedId, chosen);
    this.#owners.set(`${label}\0${chosen}`, seedId);
    return chosen;
  }

  /** Forgets every tag and pseudonym. */
  clear(): void {
    this.#tags.clear();
    this.#counters.clear();
    this.#issued.clear();
    this.#pseudonyms.clear();
    this.#owners.clear();
  }

  [inspect.custom](): string {
    return `RedactionSession { tags: ${this.#tags.size}, pseudonyms: ${this.#pseudonyms.size} }`;
  }
}
