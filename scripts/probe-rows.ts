// Reads one of the development probes in data/probes (JSON Lines, one labelled prompt per line).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function readProbe<T>(file: string): T[] {
  return readFileSync(join(import.meta.dirname, '../data/probes', file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}
