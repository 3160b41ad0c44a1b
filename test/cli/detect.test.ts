import { describe, expect, it } from 'vitest';
import { jsonLines, runCli } from './helpers.js';

describe('lifeguard detect', () => {
  it('prints a table of findings for plain text', () => {
    const r = runCli(['detect', '--fast'], 'Contact alice.smith@example.org or 4111 1111 1111 1111.\n');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/EMAIL_ADDRESS\s+8-31/);
    expect(r.stdout).toContain('CREDIT_CARD');
  });

  it('--jsonl: one line per record, ids from the record else the 0-based line number, errors per line', () => {
    const input = [
      JSON.stringify({ id: 'a', text: 'mail bob@example.com' }),
      '{"text": "nothing to see here"}',
      '{not json',
      '',
      JSON.stringify({ id: 7, body: 'no text field' }),
      JSON.stringify({ id: 'z', text: 'ip 203.0.113.9 here' }),
    ].join('\n');
    const r = runCli(['detect', '--jsonl', '--fast'], input);
    const out = jsonLines(r.stdout);
    expect(out.map((o) => o.id)).toEqual(['a', 1, 2, 7, 'z']);
    expect(out[0].findings).toEqual([
      {
        detector: 'pii',
        type: 'EMAIL_ADDRESS',
        start: 5,
        end: 20,
        score: expect.any(Number),
        rule: expect.any(String),
      },
    ]);
    expect(out[1].findings).toEqual([]);
    expect(out[2].error).toMatch(/invalid JSON/);
    expect(out[3].error).toMatch(/no "text" field/);
    expect((out[4].findings as Array<{ type: string }>).map((f) => f.type)).toContain('IP_ADDRESS');
    expect(r.status).toBe(1);
  });

  it('--text-field reads another field', () => {
    const r = runCli(['detect', '--jsonl', '--fast', '--text-field', 'body'], '{"id":1,"body":"bob@example.com"}\n');
    expect(jsonLines(r.stdout)[0].findings).toHaveLength(1);
  });

  it('reports offsets in the original text when the value is split by zero-width characters', () => {
    const text = 'write to bo\u200bb@exa\u200dmple.com today';
    const r = runCli(['detect', '--jsonl', '--fast'], `${JSON.stringify({ id: 1, text })}\n`);
    const [f] = jsonLines(r.stdout)[0].findings as Array<{ type: string; start: number; end: number }>;
    expect(f.type).toBe('EMAIL_ADDRESS');
    expect(text.slice(f.start, f.end)).toBe('bo\u200bb@exa\u200dmple.com');
  });

  it('--min-score drops weaker findings', () => {
    const text = JSON.stringify({ id: 1, text: 'mail bob@example.com' });
    const all = jsonLines(runCli(['detect', '--jsonl', '--fast'], text).stdout)[0].findings as unknown[];
    const none = jsonLines(runCli(['detect', '--jsonl', '--fast', '--min-score', '1'], text).stdout)[0]
      .findings as unknown[];
    expect(all.length).toBeGreaterThan(0);
    expect(none).toEqual([]);
  });

  it('--thresholds sets a score floor per type', () => {
    const text = JSON.stringify({ id: 1, text: 'mail bob@example.com from 203.0.113.9' });
    const out = jsonLines(runCli(['detect', '--jsonl', '--fast', '--thresholds', 'EMAIL_ADDRESS=1'], text).stdout);
    expect((out[0].findings as Array<{ type: string }>).map((f) => f.type)).toEqual(['IP_ADDRESS']);
    const bad = runCli(['detect', '--thresholds', 'PERSON'], 'x');
    expect(bad.status).not.toBe(0);
  });

  it('an unknown detector is an error that lists the valid ones', () => {
    const r = runCli(['detect', '--detectors', 'pii,nope'], 'x');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown detector "nope"; valid detectors: .*pii.*secrets/);
  });

  it('a missing file is a clear error', () => {
    const r = runCli(['detect', 'no-such-file.txt']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/ENOENT|no such file/);
  });
});
