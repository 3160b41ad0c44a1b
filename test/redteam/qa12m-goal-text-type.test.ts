/**
 * QA pass 12m: a JSONL goal whose text is not a string (`{"goal": 42}`, `true`, an object) was reported as
 * "missing or empty", which sent the user looking for a field that is there. Goal text must be a string (a
 * number there is most likely the wrong field, so it is not taken as text): the message now says so and shows
 * the value. A missing, null or blank field still reads "missing or empty".
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LifeguardError } from '../../src/core/errors.js';
import { loadGoalsSync } from '../../src/redteam/goals/index.js';
import { tmp } from './helpers/runner-fixtures.js';

const dir = tmp('lg-qa12m-goals-');
const load = (name: string, content: string) => {
  writeFileSync(join(dir, name), content);
  return loadGoalsSync([name], { baseDir: dir, onNotice: () => {} }).goals;
};

function inputMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(LifeguardError.isInstance(e) && e.code).toBe('LG_ERR_INPUT_INVALID');
    return (e as Error).message;
  }
  throw new Error('expected an input error');
}

describe('goal text that is not a string', () => {
  it.each([
    ['a number', '{"goal": "fine"}\n{"goal": 42}\n', '42 (a number)'],
    ['a boolean', '{"goal": "fine"}\n{"goal": true}\n', 'true (a boolean)'],
    ['an object', '{"goal": "fine"}\n{"goal": {"text": "x"}}\n', 'an object'],
    ['an array', '{"goal": "fine"}\n{"goal": ["x"]}\n', 'an array'],
  ])('%s: says the field must be a string', (_kind, content, shown) => {
    const msg = inputMessage(() => load(`t${_kind.replace(/\W/g, '')}.jsonl`, content));
    expect(msg).toContain('line 2');
    expect(msg).toContain('field "goal" must be a string');
    expect(msg).toContain(shown);
    expect(msg).not.toContain('missing or empty');
  });

  it('the first row a number is reported the same way', () => {
    const msg = inputMessage(() => load('first.jsonl', '{"goal": 42}\n'));
    expect(msg).toContain('field "goal" must be a string');
  });

  it('missing, null and blank text still read "missing or empty"', () => {
    for (const [i, row] of ['{"goal": null}', '{"goal": "  "}', '{"id": "x"}'].entries()) {
      const msg = inputMessage(() => load(`empty${i}.jsonl`, `{"goal": "fine"}\n${row}\n`));
      expect(msg).toContain('field "goal" is missing or empty');
    }
  });

  it('string text loads as before', () => {
    expect(load('ok.jsonl', '{"goal": "42"}\n').map((g) => g.text)).toEqual(['42']);
  });
});
