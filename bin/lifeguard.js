#!/usr/bin/env node
// Runs the compiled CLI (built by `npm ci` through the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('lifeguard: dist/ is missing; run `npm run build` (npm ci does it for you).\n');
  process.exitCode = 1;
} else {
  const { main } = await import(entry.href);
  await main(process.argv);
}
