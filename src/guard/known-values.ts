import { isAsciiAlnum, isLetter } from '../core/normalize/unicode.js';
import type { Vault } from '../core/redact/vault.js';

/**
 * Every value the vault holds, written out anywhere in `text`, replaced by its placeholder.
 *
 * Why: a conversation is sent whole with every request. An earlier answer holds the user's values restored (the
 * client saw "Dear Jane Roe"), and the detectors, which read each message on its own, can miss a name in a
 * sentence that gives no cue ("Noted, Jane Roe."). The value was found in the user's own message, so it is known:
 * wherever it is written again in the conversation it goes upstream as the same placeholder.
 *
 * Matching is on word boundaries (a value that starts or ends with a letter or digit is not matched inside a
 * longer word), and ignores case for a value of several words, or with a digit or symbol, or of 8 characters or
 * more ("ada lovelace", "JANE@EXAMPLE.COM"); a shorter single word must match its case ("May" is a name where
 * "may" is not). At each position the longest value wins. Values shorter than 3 or longer
 * than 128 characters are left to the detectors. One scan over a trie of the values: linear in the text (each
 * position walks at most 128 characters of it).
 */
export function replaceKnownValues(text: string, vault: Vault): string {
  return knownValues(vault)?.(text) ?? text;
}

/**
 * {@link replaceKnownValues} with the vault's values read once, for many texts (the messages of one request);
 * undefined when the vault holds no value to look for. Values the vault records later are not seen.
 */
export function knownValues(vault: Vault): ((text: string) => string) | undefined {
  const trie = knownValueTrie(vault);
  return trie === undefined ? undefined : (text) => replaceWith(trie, text);
}

function replaceWith(trie: TrieNode, text: string): string {
  if (text.length < MIN_VALUE) return text;
  let out = '';
  let last = 0;
  let i = 0;
  while (i < text.length) {
    // A value that begins with a letter or digit is never matched in the middle of a word.
    if (i > 0 && isWordCode(text.charCodeAt(i)) && isWordCode(text.charCodeAt(i - 1))) {
      i++;
      continue;
    }
    let node: TrieNode | undefined = trie;
    let end = -1;
    let tag = '';
    for (let j = i; j < text.length; j++) {
      node = node.next.get(lowerCode(text.charCodeAt(j)));
      if (node === undefined) break;
      if (
        node.tag !== undefined &&
        !(isWordCode(text.charCodeAt(j)) && isWordCode(text.charCodeAt(j + 1))) &&
        (node.exact === undefined || text.startsWith(node.exact, i))
      ) {
        end = j + 1;
        tag = node.tag;
      }
    }
    if (end < 0) {
      i++;
      continue;
    }
    out += text.slice(last, i) + tag;
    last = i = end;
  }
  return last === 0 ? text : out + text.slice(last);
}

const MIN_VALUE = 3;
const MAX_VALUE = 128;

interface TrieNode {
  next: Map<number, TrieNode>;
  tag?: string;
  /** The value as written, when it must match its case. */
  exact?: string;
}

/** The vault's values in a trie, or undefined when none qualifies. */
function knownValueTrie(vault: Vault): TrieNode | undefined {
  if (vault.size === 0) return undefined;
  const root: TrieNode = { next: new Map() };
  let any = false;
  for (const tag of vault.tags()) {
    const value = vault.get(tag);
    // A literal tag the vault holds as itself (`<PERSON_1>` in a template) stands for nothing.
    if (value === undefined || value === tag || value.length < MIN_VALUE || value.length > MAX_VALUE) continue;
    let node = root;
    for (let k = 0; k < value.length; k++) {
      const c = lowerCode(value.charCodeAt(k));
      let child = node.next.get(c);
      if (child === undefined) {
        child = { next: new Map() };
        node.next.set(c, child);
      }
      node = child;
    }
    // The first tag given to a value keeps it (a value found as two types has two tags; either restores it).
    if (node.tag === undefined) {
      node.tag = tag;
      if (value.length < 8 && /^\p{L}+$/u.test(value)) node.exact = value;
    } else if (node.exact !== undefined && node.exact !== value) node.exact = undefined;
    any = true;
  }
  return any ? root : undefined;
}

/** A letter or digit (NaN, past either end of the text, is not). */
function isWordCode(c: number): boolean {
  return isAsciiAlnum(c) || (c >= 0x80 && isLetter(c));
}

/** The code unit lower-cased where that keeps it one unit (ASCII fast). */
function lowerCode(c: number): number {
  if (c < 0x80) return c >= 65 && c <= 90 ? c + 32 : c;
  const lower = String.fromCharCode(c).toLowerCase();
  return lower.length === 1 ? lower.charCodeAt(0) : c;
}
