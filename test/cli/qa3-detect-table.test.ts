import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

describe('detect table output with hostile characters inside a finding', () => {
  it('shows bidi controls, zero-width characters and escapes as <U+XXXX>, never raw', () => {
    const r = runCli(['detect', '--fast', '--detectors', 'pii'], 'x b\u202Eob@ex\u200Bample.com y\n');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('b<U+202E>ob@ex<U+200B>ample.com');
    expect(r.stdout).not.toMatch(/[\u202E\u200B]/);
    // The span is still the original text's: 2-19 covers both invisible characters.
    expect(r.stdout).toMatch(/EMAIL_ADDRESS\s+2-19\s/);
  });
});
