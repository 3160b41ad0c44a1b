import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageInfo {
  version: string;
  license: string;
}

/**
 * The version and licence of an installed package, read from its package.json the way Node resolves
 * node_modules (some peers do not export their package.json, so `require.resolve` cannot reach it).
 */
export function packageInfo(name: string): PackageInfo {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(file)) {
      const json = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown; license?: unknown };
      return { version: String(json.version ?? 'unknown'), license: String(json.license ?? 'unknown') };
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`${name} is not installed (no node_modules/${name}/package.json above bench/peers).`);
    dir = parent;
  }
}
