import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

// In --jsonl mode exit status 1 means "ran, some lines failed"; a usage error must not read the same.
describe('classify: usage errors exit 2, like every other user error', () => {
  const line = '{"id":1,"text":"hello"}\n';

  it('a missing --task, an unknown option and an extra argument exit 2 with nothing on stdout', () => {
    for (const args of [
      ['classify', '--jsonl'],
      ['classify', '--task', 'injection', '--jsonl', '--thresold', '0.5'],
      ['classify', '--task', 'injection', '--jsonl', '-', 'extra'],
    ]) {
      const r = runCli(args, line);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/error: /);
    }
  });

  it('--help still exits 0', () => {
    expect(runCli(['classify', '--help']).status).toBe(0);
  });
});
