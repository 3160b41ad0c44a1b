import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRecipe } from '../../../src/models/classify/recipe.js';
import { loadDataset } from '../../../src/models/classify/trainer.js';

function recipeWith(sources: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'lg-load-checks-'));
  const data = join(dir, 'data');
  mkdirSync(data);
  const rows = [0, 1, 2].flatMap((i) => [
    JSON.stringify({ text: `I'm sorry, I cannot help with ${i}.`, label: 1 }),
    JSON.stringify({ text: `Sure, the answer to ${i} is ${i * 7}.`, label: 0 }),
  ]);
  writeFileSync(join(data, 'a.jsonl'), `${rows.join('\n')}\n`);
  const file = join(dir, 'recipe.yaml');
  writeFileSync(
    file,
    [
      'task: refusal',
      'version: 1',
      'seed: 7',
      'description: load checks',
      'window: 1024',
      'features: { bits: 12, wordNgrams: [1, 1], charNgrams: [3, 3], charWeight: 0.5, signalWeight: 1.0, decode: false, signals: [] }',
      'train: { epochs: 1, learningRate: 0.2, l2: 0.00001, balance: true, windows: false }',
      'sources:',
      ...sources.map((s) => `  - ${s}`),
      '',
    ].join('\n'),
  );
  return { recipe: loadRecipe(file), data };
}

describe('loadDataset refuses data no model can come from, before any feature is computed', () => {
  it('a source that gives no text', () => {
    const { recipe, data } = recipeWith([
      '{ id: ok, path: a.jsonl, text: text, labelField: label, positive: [1] }',
      '{ id: typo, path: a.jsonl, text: answer, labelField: label, positive: [1] }',
    ]);
    expect(() => loadDataset(recipe, data)).toThrow(/source\(s\) typo gave no texts/);
  });

  it('one class only', () => {
    const { recipe, data } = recipeWith(['{ id: s, path: a.jsonl, text: text, labelField: label, positive: [9] }']);
    expect(() => loadDataset(recipe, data)).toThrow(/0 positive and 6 negative texts/);
  });

  it('usable data loads', () => {
    const { recipe, data } = recipeWith(['{ id: s, path: a.jsonl, text: text, labelField: label, positive: [1] }']);
    expect(loadDataset(recipe, data).items).toHaveLength(6);
  });
});
