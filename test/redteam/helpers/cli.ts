/**
 * Runs `lifeguard redteam …` in this process and captures what it writes: faster than spawning the CLI, and
 * the exit code is read from `process.exitCode` (the CLI never calls `process.exit`).
 */
export async function redteamCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { main } = await import('../../../src/cli/main.js');
  const out: string[] = [];
  const err: string[] = [];
  const so = process.stdout.write.bind(process.stdout);
  const se = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => out.push(String(s)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => err.push(String(s)) > 0) as typeof process.stderr.write;
  process.exitCode = 0;
  try {
    await main(['node', 'lifeguard', 'redteam', ...args]);
  } finally {
    process.stdout.write = so;
    process.stderr.write = se;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, out: out.join(''), err: err.join('') };
}
