import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFeatures, type SparseVector } from '../../../src/models/classify/features.js';
import { calibrated } from '../../../src/models/classify/linear.js';
import { LinearClassifier } from '../../../src/models/classify/local.js';
import { readModel, writeModel } from '../../../src/models/classify/model-io.js';
import { loadRecipe, parseRecipe, type Recipe } from '../../../src/models/classify/recipe.js';
import { type Example, trainLinear } from '../../../src/models/classify/train.js';
import { loadDataset, trainFromRecipe } from '../../../src/models/classify/trainer.js';
import { trainWideDeep, WideDeepModel } from '../../../src/models/classify/wide-deep.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/classify');
const linearRecipe = loadRecipe(join(FIXTURES, 'recipe.yaml'));
const recipe: Recipe = { ...linearRecipe, model: { kind: 'wide-deep', hidden: 8 } };

/** Two dense features (after 16 hashed slots) coded ±1, labelled by their XOR: no linear model separates it. */
const HASHED = 16;
function xorExamples(): Example[] {
  const out: Example[] = [];
  for (const a of [-1, 1])
    for (const b of [-1, 1]) {
      const x: SparseVector = { index: Int32Array.of(HASHED, HASHED + 1), value: Float32Array.of(a, b) };
      for (let k = 0; k < 5; k++) out.push({ x, y: Float32Array.of(a !== b ? 1 : 0), weight: 1 });
    }
  return out;
}
const OPTIONS = { epochs: 200, learningRate: 0.3, l2: 0, seed: 7, balance: true };

describe('wide-deep model', () => {
  it('reads an interaction of dense features that the linear model cannot', () => {
    const examples = xorExamples();
    const linear = trainLinear(examples, HASHED + 2, 1, OPTIONS);
    const deep = trainWideDeep(examples, HASHED + 2, HASHED, 1, { ...OPTIONS, hidden: 8 });
    const right = (z: (x: SparseVector) => number) =>
      examples.filter((e, i) => i % 5 === 0 && z(e.x) > 0 === e.y[0] > 0.5).length;
    expect(right((x) => deep.logit(x))).toBe(4);
    expect(right((x) => linear.logit(x))).toBeLessThan(4);
  });

  it('is deterministic and survives a byte round trip with identical logits', () => {
    const examples = xorExamples();
    const a = trainWideDeep(examples, HASHED + 2, HASHED, 1, { ...OPTIONS, hidden: 8 });
    const b = trainWideDeep(examples, HASHED + 2, HASHED, 1, { ...OPTIONS, hidden: 8 });
    expect(Buffer.from(a.layerBytes()).equals(Buffer.from(b.layerBytes()))).toBe(true);
    const c = trainWideDeep(examples, HASHED + 2, HASHED, 1, { ...OPTIONS, seed: 8, hidden: 8 });
    expect(Buffer.from(c.layerBytes()).equals(Buffer.from(a.layerBytes()))).toBe(false);
    const back = WideDeepModel.fromLayerBytes(a.linear, HASHED, 8, a.layerBytes(), []);
    for (const e of examples) expect(back.logit(e.x)).toBe(a.logit(e.x));
    expect(() => WideDeepModel.fromLayerBytes(a.linear, HASHED, 8, a.layerBytes().subarray(4), [])).toThrow(/bytes/);
  });
});

describe('wide-deep through the recipe pipeline', () => {
  it('parses the model kind with its defaults', () => {
    const base = 'task: harmful\nversion: 1\nsources: [{ id: x, path: a, label: true }]\n';
    expect(parseRecipe(`${base}model: { kind: wide-deep }\n`).model).toEqual({ kind: 'wide-deep', hidden: 32 });
    expect(() => parseRecipe(`${base}model: { kind: wide-deep, hidden: 0 }\n`)).toThrow(/hidden/);
  });

  it('trains reproducibly and scores from disk exactly what training measured', () => {
    const a = trainFromRecipe(recipe, FIXTURES);
    const b = trainFromRecipe(recipe, FIXTURES);
    expect(a.meta.format).toBe('lifeguard-wide-deep/1');
    expect(a.meta.model).toEqual({ kind: 'wide-deep', hidden: 8 });
    expect(a.meta.weightsSha256).toBe(b.meta.weightsSha256);
    expect(a.report.test.default.rocAuc).toBeGreaterThan(0.9);

    const dir = mkdtempSync(join(tmpdir(), 'lg-widedeep-'));
    writeModel(dir, a.meta, a.weights);
    const { meta, model } = readModel(dir);
    expect(model).toBeInstanceOf(WideDeepModel);
    const classifier = new LinearClassifier(meta, model);
    const data = loadDataset(recipe, FIXTURES);
    let checked = 0;
    let tp = 0;
    for (let i = 0; i < data.items.length; i++) {
      if (data.split[i] !== 'test') continue;
      const text = data.items[i].text;
      const z = (model as WideDeepModel).logit(extractFeatures(text, meta.features));
      expect(classifier.score(text).score).toBe(calibrated(z, meta.calibration));
      checked++;
      if (data.items[i].label && classifier.classifySync(text).label) tp++;
    }
    // The held-out figures the report counted are what the model read back from disk gives.
    expect(checked).toBe(a.report.counts.test);
    expect(tp).toBe(a.report.test.default.tp);
  });
});
