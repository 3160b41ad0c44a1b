import { isAbsolute, relative } from 'node:path';

/** Whether `path` lies strictly inside `folder` (both resolved): not the folder itself, nor beside it. */
export function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
