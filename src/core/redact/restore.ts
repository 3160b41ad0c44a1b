import { TransformStream } from 'node:stream/web';
import type { Vault } from './vault.js';

const TAG_TOKEN = /<[A-Z0-9_]+>/g;
/** A suffix that could still grow into a tag: `<` then tag characters, no `>` yet. */
const PARTIAL_TAG = /^<[A-Z0-9_]*$/;

/**
 * Replaces every tag recorded in `vault` with its original value. Unknown tags are left as they are.
 * `encode` writes the value as the text needs it (a JSON answer: as string content, so a value with a line
 * break or a quote keeps the JSON valid).
 */
export function restore(text: string, vault: Vault, encode?: (value: string) => string): string {
  if (vault.size === 0 || !text.includes('<')) return text;
  return text.replace(TAG_TOKEN, (token) => {
    const value = vault.get(token);
    if (value === undefined) return token;
    return encode ? encode(value) : value;
  });
}

/** A value as the content of a JSON string (no quotes around it). */
export function jsonStringContent(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/**
 * Restores tags in a text that arrives in chunks (an LLM stream). `push` returns what can be emitted now;
 * a possible partial tag at the end of a chunk (`…<EMAIL_ADDR`) is held back until the next chunk decides
 * it, so tags split across chunks are restored. At most `vault.maxTagLength - 1` characters are held
 * (plus, at the very end of a chunk, the high half of a split surrogate pair); `flush` returns the rest.
 */
export class StreamingRestorer {
  readonly vault: Vault;
  readonly #encode: ((value: string) => string) | undefined;
  #pending = '';

  constructor(vault: Vault, encode?: (value: string) => string) {
    this.vault = vault;
    this.#encode = encode;
  }

  /** Number of UTF-16 units held back. */
  get pending(): number {
    return this.#pending.length;
  }

  push(chunk: string): string {
    const buffer = this.#pending + chunk;
    const cut = this.#holdFrom(buffer);
    this.#pending = buffer.slice(cut);
    return restore(buffer.slice(0, cut), this.vault, this.#encode);
  }

  flush(): string {
    const rest = this.#pending;
    this.#pending = '';
    return restore(rest, this.vault, this.#encode);
  }

  #holdFrom(buffer: string): number {
    const open = buffer.lastIndexOf('<');
    if (open >= 0 && buffer.length - open < this.vault.maxTagLength && PARTIAL_TAG.test(buffer.slice(open))) {
      return open;
    }
    const last = buffer.charCodeAt(buffer.length - 1);
    return last >= 0xd800 && last <= 0xdbff ? buffer.length - 1 : buffer.length;
  }
}

/** A web `TransformStream` of strings that restores vault tags, including tags split across chunks. */
export function createRestoreStream(vault: Vault): TransformStream<string, string> {
  const restorer = new StreamingRestorer(vault);
  return new TransformStream<string, string>({
    transform(chunk, controller) {
      const out = restorer.push(chunk);
      if (out !== '') controller.enqueue(out);
    },
    flush(controller) {
      const out = restorer.flush();
      if (out !== '') controller.enqueue(out);
    },
  });
}

/** Restores an async iterable of chunks, e.g. the text deltas of an LLM SDK stream. */
export async function* restoreChunks(chunks: AsyncIterable<string>, vault: Vault): AsyncGenerator<string> {
  const restorer = new StreamingRestorer(vault);
  for await (const chunk of chunks) {
    const out = restorer.push(chunk);
    if (out !== '') yield out;
  }
  const out = restorer.flush();
  if (out !== '') yield out;
}
