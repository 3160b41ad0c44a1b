/**
 * Save / load of the tagger weights.
 *
 * `weights.bin` (little-endian):
 *   magic "LGPT", u32 format version, u32 nLabels, u32 bucketBits, u32 number of stored rows,
 *   f32 × (nLabels + 1) × nLabels transitions,
 *   row-presence bitset (one bit per bucket),
 *   for each present row in bucket order: u32 label mask, f32 scale, i8 × popcount(mask) values
 *   (value = i8 × scale).
 * `model.json` holds the header: labels, feature config, training seed, data hash, calibration, metrics.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LifeguardError } from '../../core/errors.js';
import type { FeatureConfig } from './features.js';
import { PerceptronModel } from './perceptron.js';

export const WEIGHTS_FORMAT = 1;
const MAGIC = 0x5450474c; // "LGPT" little-endian

export interface ModelHeader {
  format: 'lifeguard-pii-tagger';
  version: number;
  labels: string[];
  types: string[];
  feature: FeatureConfig;
  quantisation: 'int8-row-scale';
  /** Softmax temperature for span scores, fitted on held-out data. */
  temperature: number;
  /**
   * Platt scaling applied to the temperature-softmax span score s: `sigmoid(a * logit(s) + b)`,
   * fitted on held-out predictions (absent: identity).
   */
  calibration?: { a: number; b: number };
  training: {
    seed: number;
    epochs: number;
    /** sha256 of the training data (texts and spans, in order). */
    dataHash: string;
    sentences: number;
    tokens: number;
    gazetteerDropout: number;
  };
  /** sha256 of weights.bin. */
  weightsSha256: string;
  metrics?: Record<string, unknown>;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Serialises a model (quantising each row to int8 with its own scale). */
export function encodeWeights(model: PerceptronModel): Uint8Array {
  const L = model.nLabels;
  if (L > 32) throw new LifeguardError('LG_ERR_MODEL', 'at most 32 labels can be stored');
  const rows = 1 << model.bucketBits;
  const w = model.weights;
  const masks = new Uint32Array(rows);
  const scales = new Float32Array(rows);
  let nRows = 0;
  let valueBytes = 0;
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let l = 0; l < L; l++) max = Math.max(max, Math.abs(w[r * L + l]));
    if (max === 0) continue;
    const scale = Math.fround(max / 127);
    let m = 0;
    for (let l = 0; l < L; l++) if (Math.round(w[r * L + l] / scale) !== 0) m |= 1 << l;
    if (m === 0) continue;
    masks[r] = m >>> 0;
    scales[r] = scale;
    nRows++;
    valueBytes += popcount(m);
  }
  const bitsetBytes = rows >>> 3;
  const transBytes = (L + 1) * L * 4;
  const size = 20 + transBytes + bitsetBytes + nRows * 8 + valueBytes;
  const buf = new Uint8Array(size);
  const dv = new DataView(buf.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, WEIGHTS_FORMAT, true);
  dv.setUint32(8, L, true);
  dv.setUint32(12, model.bucketBits, true);
  dv.setUint32(16, nRows, true);
  let o = 20;
  for (let i = 0; i < (L + 1) * L; i++, o += 4) dv.setFloat32(o, model.trans[i], true);
  const bitsetAt = o;
  o += bitsetBytes;
  for (let r = 0; r < rows; r++) {
    const m = masks[r];
    if (m === 0) continue;
    buf[bitsetAt + (r >>> 3)] |= 1 << (r & 7);
    dv.setUint32(o, m, true);
    dv.setFloat32(o + 4, scales[r], true);
    o += 8;
    const s = scales[r];
    for (let l = 0; l < L; l++) {
      if (m & (1 << l)) {
        dv.setInt8(o, Math.max(-127, Math.min(127, Math.round(w[r * L + l] / s))));
        o++;
      }
    }
  }
  return buf;
}

/** Reads weights written by `encodeWeights`. */
export function decodeWeights(buf: Uint8Array): PerceptronModel {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.byteLength < 20 || dv.getUint32(0, true) !== MAGIC) {
    throw new LifeguardError('LG_ERR_MODEL', 'not a Lifeguard tagger weights file (bad magic)');
  }
  const version = dv.getUint32(4, true);
  if (version !== WEIGHTS_FORMAT) {
    throw new LifeguardError(
      'LG_ERR_MODEL',
      `tagger weights format ${version} is not supported (want ${WEIGHTS_FORMAT})`,
    );
  }
  const L = dv.getUint32(8, true);
  const bits = dv.getUint32(12, true);
  const nRows = dv.getUint32(16, true);
  if (L > 32 || bits > 24) throw new LifeguardError('LG_ERR_MODEL', 'tagger weights header is corrupt');
  const rows = 1 << bits;
  const trans = new Float32Array((L + 1) * L);
  let o = 20;
  for (let i = 0; i < trans.length; i++, o += 4) trans[i] = dv.getFloat32(o, true);
  const bitsetAt = o;
  o += rows >>> 3;
  // sparse rows straight from the file (no dense buckets × labels array needed for inference)
  const rowPtr = new Int32Array(rows + 1);
  const cap = Math.max(0, buf.byteLength - o);
  const cols = new Uint8Array(cap);
  const vals = new Float32Array(cap);
  let k = 0;
  let seen = 0;
  for (let r = 0; r < rows; r++) {
    rowPtr[r] = k;
    if (!(buf[bitsetAt + (r >>> 3)] & (1 << (r & 7)))) continue;
    if (o + 8 > buf.byteLength) throw new LifeguardError('LG_ERR_MODEL', 'tagger weights file is truncated');
    const m = dv.getUint32(o, true);
    const s = dv.getFloat32(o + 4, true);
    o += 8;
    for (let l = 0; l < L; l++) {
      if (m & (1 << l)) {
        if (o >= buf.byteLength) throw new LifeguardError('LG_ERR_MODEL', 'tagger weights file is truncated');
        cols[k] = l;
        vals[k] = dv.getInt8(o) * s;
        k++;
        o++;
      }
    }
    seen++;
  }
  rowPtr[rows] = k;
  if (seen !== nRows || o !== buf.byteLength) {
    throw new LifeguardError('LG_ERR_MODEL', 'tagger weights file is corrupt (row count or length mismatch)');
  }
  return new PerceptronModel(L, bits, undefined, trans, {
    rowPtr,
    cols: cols.slice(0, k),
    vals: vals.slice(0, k),
  });
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Writes `weights.bin` and `model.json` into `dir`; returns the header actually written. */
export function saveModel(
  dir: string,
  model: PerceptronModel,
  header: Omit<ModelHeader, 'weightsSha256'>,
): { header: ModelHeader; bytes: number } {
  mkdirSync(dir, { recursive: true });
  const bin = encodeWeights(model);
  const full: ModelHeader = { ...header, weightsSha256: sha256(bin) };
  writeFileSync(join(dir, 'weights.bin'), bin);
  writeFileSync(join(dir, 'model.json'), `${JSON.stringify(full, null, 2)}\n`);
  return { header: full, bytes: bin.byteLength };
}

/** Loads `model.json` + `weights.bin` from `dir`, checking the format and the weights checksum. */
export function loadModel(dir: string): { header: ModelHeader; model: PerceptronModel } {
  const headerPath = join(dir, 'model.json');
  const binPath = join(dir, 'weights.bin');
  if (!existsSync(headerPath) || !existsSync(binPath)) {
    throw new LifeguardError('LG_ERR_MODEL', `PII tagger model not found in ${dir} (run npm run train:tagger)`);
  }
  const header = JSON.parse(readFileSync(headerPath, 'utf8')) as ModelHeader;
  if (header.format !== 'lifeguard-pii-tagger') {
    throw new LifeguardError('LG_ERR_MODEL', `${headerPath} is not a Lifeguard PII tagger header`);
  }
  const bin = new Uint8Array(readFileSync(binPath));
  if (header.weightsSha256 && sha256(bin) !== header.weightsSha256) {
    throw new LifeguardError('LG_ERR_MODEL', `${binPath} does not match the checksum in model.json`);
  }
  const model = decodeWeights(bin);
  if (model.nLabels !== header.labels.length || model.bucketBits !== header.feature.bucketBits) {
    throw new LifeguardError('LG_ERR_MODEL', 'tagger weights do not match model.json (labels or buckets)');
  }
  return { header, model };
}
