import { describe, expect, it } from 'vitest';
import { jsonLines, runCli } from './helpers.js';

// Line 1 is unreadable; line 3 is a real record whose id is 1 — the number the error line used to be told
// apart by alone. A consumer joining output to input by id could not tell the two apart.
const INPUT = [
  '{"id":"a","text":"hello there"}',
  '{"id": 7, "text": "unterminated',
  '',
  '{"id":1,"text":"a real record with id one"}',
  '[1,2]',
  '{"id":"n","body":"no text field"}',
  '{"body":"no id and no text"}',
].join('\n');

function check(out: Array<Record<string, unknown>>): void {
  expect(out).toHaveLength(6);
  // unreadable lines: the documented id (the 0-based line number), the line, and the mark that it is synthetic
  expect(out[1]).toMatchObject({ id: 1, line: 1, id_from_line: true });
  expect(out[3]).toMatchObject({ id: 4, line: 4, id_from_line: true });
  expect(out[5]).toMatchObject({ id: 6, line: 6, id_from_line: true });
  // a readable record whose text is missing keeps its real id, with no mark
  expect(out[4]).toMatchObject({ id: 'n', line: 5 });
  expect(out[4]).not.toHaveProperty('id_from_line');
  for (const i of [1, 3, 4, 5]) expect(out[i]).toHaveProperty('error');
  // the real record with id 1 is not an error line and carries no mark
  expect(out[2]).toMatchObject({ id: 1 });
  expect(out[2]).not.toHaveProperty('error');
  expect(out[2]).not.toHaveProperty('id_from_line');
  // so a join on (id, id_from_line) finds exactly one output for the real id 1
  expect(out.filter((o) => o.id === 1 && !o.id_from_line)).toHaveLength(1);
}

describe('--jsonl error lines are told apart from real ids', () => {
  it('classify', () => {
    const r = runCli(['classify', '--task', 'injection', '--jsonl'], INPUT);
    expect(r.status).toBe(1);
    const out = jsonLines(r.stdout);
    check(out);
    expect(out[2]).toHaveProperty('score');
  });

  it('detect', () => {
    const r = runCli(['detect', '--jsonl', '--fast', '--detectors', 'pii'], INPUT);
    expect(r.status).toBe(1);
    check(jsonLines(r.stdout));
  });

  it('redact (an invalid UTF-8 line keeps its real id, and says its line)', () => {
    const input = Buffer.concat([
      Buffer.from(`${INPUT}\n{"id":"bad","text":"caf`),
      Buffer.from([0xe9]),
      Buffer.from('"}\n{"text":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}\n'),
    ]);
    const r = runCli(['redact', '--jsonl', '--fast'], input as unknown as string);
    expect(r.status).toBe(1);
    const out = jsonLines(r.stdout);
    check(out.slice(0, 6));
    expect(out[6]).toMatchObject({ id: 'bad', line: 7 });
    expect(out[6]).not.toHaveProperty('id_from_line');
    expect(out[7]).toMatchObject({ id: 8, line: 8, id_from_line: true });
  });
});
