import { statSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';

/** Whether `path` lies strictly inside `folder` (both resolved): not the folder itself, nor beside it. */
export function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** Whether two paths name one existing file (links followed; hard links too). */
export function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.isFile() && y.isFile() && x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}
