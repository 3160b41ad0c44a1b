import { describe, expect, it } from 'vitest';
import { jsonLine, rawTopLevelNumber } from '../../src/cli/io.js';
import { runCli } from './helpers.js';

describe('numeric ids beyond 2^53 come back as written', () => {
  it('classify --jsonl echoes a large integer id digit for digit (it was rounded: …567890 → …567000)', () => {
    const input = [
      '{"id":12345678901234567890,"text":"hi"}',
      '{"meta":{"id":1},"text":"x","id":98765432109876543210}',
      '{"id":-99999999999999999999,"body":"no text"}',
      '{"id":42,"text":"small ids are untouched"}',
    ].join('\n');
    const r = runCli(['classify', '--task', 'injection', '--jsonl'], input);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^\{"id":12345678901234567890,"score":/);
    expect(lines[1]).toMatch(/^\{"id":98765432109876543210,"score":/);
    expect(lines[2]).toMatch(/^\{"id":-99999999999999999999,"error":/);
    expect(lines[3]).toMatch(/^\{"id":42,"score":/);
    for (const l of lines) JSON.parse(l);
  });

  it('rawTopLevelNumber reads the top-level key only, the last duplicate, never inside strings', () => {
    expect(rawTopLevelNumber('{"a":{"id":1},"id":123456789012345678901}', 'id')).toBe('123456789012345678901');
    expect(rawTopLevelNumber('{"x":"\\"id\\":5","id" : 77777777777777777777 }', 'id')).toBe('77777777777777777777');
    expect(rawTopLevelNumber('{"id":1,"id":2e30}', 'id')).toBe('2e30');
    expect(rawTopLevelNumber('{"id":"12"}', 'id')).toBeUndefined();
    expect(jsonLine({ id: 12345678901234567000, score: 1 }, '12345678901234567890')).toBe(
      '{"id":12345678901234567890,"score":1}',
    );
    expect(jsonLine({ score: 1, id: 5 }, '12345678901234567890')).toBe('{"score":1,"id":5}');
  });
});
