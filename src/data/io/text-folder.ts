import { mkdir, open, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { LifeguardError } from '../../core/errors.js';
import { RAW_PREVIEW_CHARS, type RawRecord } from './types.js';

/**
 * Reads a folder of `.txt` files, recursively and in sorted order: each file is one record
 * `{id: <path relative to the folder, with '/'>, text}`. A file over `maxBytes` becomes an error
 * record. A single file (not a folder) is one record whose id is its base name.
 */
export async function* textFolderRecords(root: string, maxBytes: number): AsyncGenerator<RawRecord> {
  const info = await stat(root);
  if (!info.isDirectory()) {
    yield await readOne(root, basename(root), 0, root, maxBytes);
    return;
  }
  let index = 0;
  for await (const path of walk(root)) {
    const id = relative(root, path).split(sep).join('/');
    yield await readOne(path, id, index++, root, maxBytes);
  }
}

async function readOne(path: string, id: string, index: number, file: string, maxBytes: number): Promise<RawRecord> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) {
      const head = Buffer.alloc(Math.min(size, RAW_PREVIEW_CHARS * 4));
      await handle.read(head, 0, head.length, 0);
      return {
        index,
        file,
        raw: head.toString('utf8').slice(0, RAW_PREVIEW_CHARS),
        error: `${id}: file is ${size} bytes, over the ${maxBytes}-byte limit`,
      };
    }
    let text = (await handle.readFile()).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { index, file, value: { id, text } };
  } finally {
    await handle.close();
  }
}

async function* walk(dir: string): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile() && entry.name.toLowerCase().endsWith('.txt')) yield path;
  }
}

/**
 * Writes records as one `.txt` file each under `root`. The file name is the record's `id` (a relative
 * path; `.txt` is appended when missing), else its 0-based write order. Only the text is stored.
 */
export class TextFolderWriter {
  private count = 0;

  constructor(
    readonly root: string,
    private readonly textField = 'text',
  ) {}

  async write(record: Record<string, unknown> | string): Promise<void> {
    if (typeof record === 'string') {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', `${this.root}: a text folder cannot hold a raw line`);
    }
    const n = this.count++;
    const text = record[this.textField];
    if (typeof text !== 'string') {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', `${this.root}: record ${n} has no string "${this.textField}"`);
    }
    const id = record.id;
    let name = typeof id === 'string' || typeof id === 'number' ? String(id) : String(n);
    if (!name.toLowerCase().endsWith('.txt')) name += '.txt';
    const parts = name.split(/[\\/]/);
    if (name.startsWith('/') || /^[a-zA-Z]:/.test(name) || parts.some((p) => p === '..' || p === '')) {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', `${this.root}: record id "${name}" is not a safe relative path`);
    }
    const path = join(this.root, ...parts);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text, 'utf8');
  }

  async close(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }
}
