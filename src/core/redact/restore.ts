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
 * Restores a text that arrives in chunks (an LLM stream): `push` returns what can be emitted now; the end of a
 * chunk that may still grow into a tag (from {@link holdFrom}) is held back until the next chunk decides it, as is
 * the high half of a surrogate pair split at a chunk's end; `flush` returns the rest. Subclasses say what a tag
 * looks like and how a finished text is restored.
 */
export abstract class ChunkedRestorer {
  readonly vault: Vault;
  protected readonly encode: ((value: string) => string) | undefined;
  #pending = '';

  constructor(vault: Vault, encode?: (value: string) => string) {
    this.vault = vault;
    this.encode = encode;
  }

  /** Number of UTF-16 units held back. */
  get pending(): number {
    return this.#pending.length;
  }

  push(chunk: string): string {
    const buffer = this.#pending + chunk;
    let cut = this.holdFrom(buffer);
    if (cut === buffer.length) {
      const last = buffer.charCodeAt(buffer.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) cut--;
    }
    this.#pending = buffer.slice(cut);
    return this.restoreText(buffer.slice(0, cut));
  }

  flush(): string {
    const rest = this.#pending;
    this.#pending = '';
    return this.restoreText(rest);
  }

  /** Where an unfinished tag starts at the buffer's end, else `buffer.length`. */
  protected abstract holdFrom(buffer: string): number;
  /** Restores a text that holds no unfinished tag. */
  protected abstract restoreText(text: string): string;
}

/**
 * Restores exact tags in a text that arrives in chunks: a possible partial tag at the end of a chunk
 * (`…<EMAIL_ADDR`) is held back, at most `vault.maxTagLength - 1` characters.
 */
export class StreamingRestorer extends ChunkedRestorer {
  protected holdFrom(buffer: string): number {
    const open = buffer.lastIndexOf('<');
    if (open >= 0 && buffer.length - open < this.vault.maxTagLength && PARTIAL_TAG.test(buffer.slice(open))) {
      return open;
    }
    return buffer.length;
  }

  protected restoreText(text: string): string {
    return restore(text, this.vault, this.encode);
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
