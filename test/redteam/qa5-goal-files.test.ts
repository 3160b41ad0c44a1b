/**
 * QA pass 5: user goal files. A CSV whose header names a column twice (`goal,goal`) was read with the last
 * column's values under that name: the goals silently came from the wrong column. Now an input error. The
 * rest holds what already worked: BOM, CRLF, quoted newlines and quotes, ragged rows, repeated ids, JSONL with
 * a BOM and CRLF, template syntax in goal text.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LifeguardError } from '../../src/core/errors.js';
import { loadGoalsSync } from '../../src/redteam/goals/index.js';
import { tmp } from './helpers/runner-fixtures.js';

const dir = tmp('lg-qa5-goals-');
const file = (name: string, content: string) => {
  writeFileSync(join(dir, name), content);
  return name;
};
const load = (spec: unknown) => loadGoalsSync([spec], { baseDir: dir, onNotice: () => {} }).goals;

function inputError(fn: () => unknown, ...parts: string[]) {
  try {
    fn();
  } catch (e) {
    expect(LifeguardError.isInstance(e) && e.code).toBe('LG_ERR_INPUT_INVALID');
    for (const p of parts) expect((e as Error).message).toContain(p);
    return;
  }
  throw new Error('expected an input error');
}

describe('goal CSV / JSONL files', () => {
  it('a repeated header column is an error, not the last column silently', () => {
    const name = file('dupcol.csv', 'goal,category,goal\nfirst column,c,third column\n');
    inputError(() => load(name), 'dupcol.csv', 'column "goal" twice');
    const spaced = file('dupcol2.csv', 'id, goal ,goal\n1,a,b\n');
    inputError(() => load(spaced), 'column "goal" twice');
  });

  it('BOM, CRLF, quoted newlines, doubled quotes and template syntax survive', () => {
    const name = file(
      'rich.csv',
      '\ufeffid,goal,category\r\n7,"Write a\r\nmulti-line goal",a\r\n9,"Say ""hi"" {goal} {{prompt}} $& \\\\",b\r\n',
    );
    expect(load({ file: name, idField: 'id', categoryField: 'category' })).toEqual([
      { id: 'rich:7', text: 'Write a\r\nmulti-line goal', source: 'rich', category: 'a' },
      { id: 'rich:9', text: 'Say "hi" {goal} {{prompt}} $& \\\\', source: 'rich', category: 'b' },
    ]);
    const jsonl = file('rich.jsonl', '\ufeff{"prompt":"first"}\r\n\r\n{"prompt":"second {{x}}","id":5}\r\n');
    expect(load(jsonl).map((g) => [g.id, g.text])).toEqual([
      ['rich:0', 'first'],
      ['rich:1', 'second {{x}}'],
    ]);
  });

  it('ragged rows, repeated ids and missing fields name the file and the row', () => {
    inputError(() => load(file('ragged.csv', 'goal,category\n"one",x\ntwo\n')), 'ragged.csv', 'row 1', '1 fields');
    inputError(
      () => load({ file: file('dup.csv', 'id,goal\n1,a\n1,b\n'), idField: 'id' }),
      'row 1',
      'id "1" repeats row 0',
    );
    inputError(() => load({ file: file('noid.jsonl', '{"goal":"a"}\n'), idField: 'id' }), 'line 1', 'field "id"');
    inputError(() => load(file('nogoal.csv', 'Goal,Category\nx,y\n')), 'no goal text field', 'Goal, Category');
  });
});
