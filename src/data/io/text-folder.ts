import { mkdir, open, readdir, realpath, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { LifeguardError } from '../../core/errors.js';
import { isInside } from './paths.js';
import { RAW_PREVIEW_CHARS, type RawRecord } from './types.js';

/**
 * Reads a folder of `.txt` files, recursively and in sorted order: each file is one record
 * `{id: <path relative to the folder, with '/'>, text}`. A file over `maxBytes` becomes an error
 * record. A single file (not a folder) is one record whose id is its base name.
 */
export async function* textFolderRecords(root: string, maxBytes: number, avoid?: string): AsyncGenerator<RawRecord> {
  const info = await stat(root);
  if (!info.isDirectory()) {
    yield await readOne(root, basename(root), 0, root, maxBytes);
    return;
  }
  let index = 0;
  for await (const { path, broken } of textFiles(root, avoid)) {
    const id = relative(root, path).split(sep).join('/');
    if (broken) yield { index: index++, file: root, raw: '', error: `${id}: broken symbolic link` };
    else yield await readOne(path, id, index++, root, maxBytes);
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

/**
 * The `.txt` files under `root`, recursively, in sorted order. Symbolic links are followed (corpus folders
 * are often links into a download cache), except a link to a folder that holds it, which would loop; a
 * `.txt` link to nothing comes back `broken`, so that it is reported rather than silently left out.
 */
export async function* textFiles(root: string, avoid?: string): AsyncGenerator<{ path: string; broken: boolean }> {
  const skip = avoid === undefined ? undefined : await realpath(avoid).catch(() => undefined);
  yield* walk(root, new Set([await realpath(root)]), skip);
}

async function* walk(
  dir: string,
  ancestors: Set<string>,
  avoid: string | undefined,
): AsyncGenerator<{ path: string; broken: boolean }> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const kind = entry.isSymbolicLink() ? await linkTarget(path) : kindOf(entry);
    if (kind === 'folder') {
      const real = await realpath(path);
      if (ancestors.has(real) || (avoid !== undefined && (real === avoid || isInside(real, avoid)))) continue;
      ancestors.add(real);
      yield* walk(path, ancestors, avoid);
      ancestors.delete(real);
    } else if (entry.name.toLowerCase().endsWith('.txt') && (kind === 'file' || kind === 'broken')) {
      if (avoid !== undefined && kind === 'file' && isInside(await realpath(path), avoid)) continue;
      yield { path, broken: kind === 'broken' };
    }
  }
}

type EntryKind = 'folder' | 'file' | 'other' | 'broken';

function kindOf(info: { isDirectory(): boolean; isFile(): boolean }): EntryKind {
  return info.isDirectory() ? 'folder' : info.isFile() ? 'file' : 'other';
}

/** What a symbolic link leads to: a folder, a file, something else, or nothing (dangling or a loop). */
async function linkTarget(path: string): Promise<EntryKind> {
  try {
    return kindOf(await stat(path));
  } catch {
    return 'broken';
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
