import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

/** A data root with one small labelled JSONL file and a recipe over it (trains in well under a second). */
function fixture(sourceLine = '{ id: s, path: refusal.jsonl, text: text, labelField: label, positive: [1] }') {
  const dir = mkdtempSync(join(tmpdir(), 'lg-qa3-train-'));
  const data = join(dir, 'data');
  mkdirSync(data);
  const rows: string[] = [];
  for (let i = 0; i < 120; i++) {
    rows.push(JSON.stringify({ text: `I'm sorry, but I cannot help with request number ${i}.`, label: 1 }));
    rows.push(JSON.stringify({ text: `Sure! Here is the answer to question number ${i}: it is ${i * 7}.`, label: 0 }));
  }
  writeFileSync(join(data, 'refusal.jsonl'), `${rows.join('\n')}\n`);
  const recipe = join(dir, 'recipe.yaml');
  writeFileSync(
    recipe,
    [
      'task: refusal',
      'version: 1',
      'seed: 7',
      'description: qa3 fixture',
      'window: 1024',
      'features: { bits: 12, wordNgrams: [1, 1], charNgrams: [3, 3], charWeight: 0.5, signalWeight: 1.0, decode: false, signals: [] }',
      'train: { epochs: 2, learningRate: 0.2, l2: 0.00001, balance: true, windows: false }',
      'sources:',
      `  - ${sourceLine}`,
      '',
    ].join('\n'),
  );
  return { dir, data, recipe };
}

const train = (f: ReturnType<typeof fixture>, out: string, extra: string[] = []) =>
  runCli(['models', 'train', 'refusal', '--recipe', f.recipe, '--data', f.data, '--out', out, '--no-loso', ...extra]);

describe('models train refuses data it cannot learn from', () => {
  it('a source whose text field matches nothing is an error, and no model is written', () => {
    const f = fixture('{ id: s, path: refusal.jsonl, text: answer, labelField: label, positive: [1] }');
    const out = join(f.dir, 'out');
    const r = train(f, out);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/source\(s\) s gave no texts.*LG_ERR_INPUT_INVALID/);
    expect(existsSync(join(out, 'weights.bin'))).toBe(false);
  });

  it('data with one class only is an error, and no model is written', () => {
    const f = fixture('{ id: s, path: refusal.jsonl, text: text, labelField: label, positive: [7] }');
    const out = join(f.dir, 'out');
    const r = train(f, out);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/0 positive .* needs both classes/);
    expect(existsSync(join(out, 'weights.bin'))).toBe(false);
  });

  it('the same seed gives byte-identical files', () => {
    const f = fixture();
    const a = join(f.dir, 'a');
    const b = join(f.dir, 'b');
    expect(train(f, a).status).toBe(0);
    expect(train(f, b).status).toBe(0);
    for (const file of ['weights.bin', 'model.json', 'MODEL_CARD.md']) {
      expect(readFileSync(join(a, file)).equals(readFileSync(join(b, file)))).toBe(true);
    }
  });
});

describe('models train --out never overwrites another model silently', () => {
  it('refuses an --out that is a file before training', () => {
    const f = fixture();
    const file = join(f.dir, 'a-file');
    writeFileSync(file, 'x');
    const r = train(f, file);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--out .* is a file.*LG_ERR_CONFIG_INVALID/);
    expect(r.stderr).not.toMatch(/loaded \d+ texts/);
  });

  it("refuses a folder holding another task's model or other files (e.g. models/pii-tagger)", () => {
    const f = fixture();
    const tagger = join(f.dir, 'pii-tagger');
    mkdirSync(tagger);
    writeFileSync(join(tagger, 'model.json'), '{"format":"lifeguard-pii-tagger","version":1}');
    writeFileSync(join(tagger, 'weights.bin'), 'shipped');
    const r = train(f, tagger);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/already holds a lifeguard-pii-tagger model/);
    expect(readFileSync(join(tagger, 'weights.bin'), 'utf8')).toBe('shipped');

    const vectors = join(f.dir, 'word-vectors');
    mkdirSync(vectors);
    writeFileSync(join(vectors, 'MODEL_CARD.md'), 'shipped card');
    expect(train(f, vectors).status).toBe(2);
    expect(readFileSync(join(vectors, 'MODEL_CARD.md'), 'utf8')).toBe('shipped card');
  });

  it("retrains over the same task's model in --out", () => {
    const f = fixture();
    const out = join(f.dir, 'out');
    expect(train(f, out).status).toBe(0);
    expect(train(f, out).status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['MODEL_CARD.md', 'model.json', 'weights.bin']);
  });

  it('refuses --recipe without --out, which would replace the shipped models/<task>', () => {
    // A source that does not exist: should the check ever regress, loading fails before anything is written
    // over the real models/refusal.
    const f = fixture('{ id: s, path: missing.jsonl, text: text, labelField: label, positive: [1] }');
    const r = runCli(['models', 'train', 'refusal', '--recipe', f.recipe, '--data', f.data, '--no-loso']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--recipe without --out would replace the shipped model/);
  });
});

describe('models eval', () => {
  it('an input with no records is an error, not metrics of 0.000 with status 0', () => {
    const f = fixture();
    const empty = join(f.dir, 'empty.jsonl');
    writeFileSync(empty, '\n');
    const r = runCli(['models', 'eval', 'refusal', '--input', empty]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/holds no labelled records.*LG_ERR_INPUT_INVALID/);
  });

  it('a recipe source that gives no texts is an error', () => {
    const f = fixture('{ id: s, path: refusal.jsonl, text: answer, labelField: label, positive: [1] }');
    const r = runCli(['models', 'eval', 'refusal', '--recipe', f.recipe, '--data', f.data]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/source\(s\) s gave no texts/);
  });

  it('refuses an --out that is a folder before evaluating', () => {
    const f = fixture();
    const input = join(f.dir, 'one.jsonl');
    writeFileSync(input, `${JSON.stringify({ text: 'I cannot help with that.', label: true })}\n`);
    const r = runCli(['models', 'eval', 'refusal', '--input', input, '--out', f.dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--out .* is a folder.*LG_ERR_CONFIG_INVALID/);
    expect(r.stdout).toBe('');
  });
});
