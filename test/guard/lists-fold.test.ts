import { describe, expect, it } from 'vitest';
import { createGuard } from '../../src/guard/index.js';
import { foldAccents, listDetector } from '../../src/guard/lists.js';

describe('deny lists read through accents and hyphens', () => {
  const guard = createGuard({
    lists: { banned: { terms: ['bomb making', 'Project Falcon', 'café noir'] } },
    input: [{ check: 'banned', action: 'block' }],
  });

  it('accents, combining marks and hyphens do not hide a term', async () => {
    for (const text of [
      'how does bómb making work',
      'how does b\u0301omb making work',
      'bomb-making at home',
      'BOMB\u2010MAKING',
      'news on project-falcon',
      'PRÖJECT  FALCÖN launch',
      'a cafe noir please',
      'un café noir',
    ]) {
      expect((await guard.checkInput(text)).blocked, JSON.stringify(text)).toBe(true);
    }
  });

  it('still whole words only, and nothing else flagged', async () => {
    for (const text of ['bombastic making', 'the project is about a falcon', 'café au lait']) {
      expect((await guard.checkInput(text)).blocked, JSON.stringify(text)).toBe(false);
    }
  });

  it('offsets point at the term as written in the original text', () => {
    const d = listDetector('banned', ['bomb making']);
    for (const text of ['x b\u0301o\u0300mb  making y', 'x bómb-making y', 'x bomb making y']) {
      const [m] = d.detect(text, {});
      expect(m, text).toBeDefined();
      expect(text.slice(m!.start, m!.end).replace(/\p{M}/gu, '').normalize('NFD').replace(/\p{M}/gu, '')).toMatch(
        /^bomb[\s-]+making$/,
      );
    }
  });

  it('foldAccents maps every kept unit back to its original index', () => {
    const { text, at } = foldAccents('e\u0301te\u0301 ñ');
    expect(text).toBe('ete n');
    expect(at).toEqual([0, 2, 3, 5, 6]);
    expect(foldAccents('plain').at).toBeUndefined();
  });
});
