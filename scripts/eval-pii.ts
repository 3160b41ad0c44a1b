/**
 * Per-entity precision / recall / F1 of the `pii` detector on a presidio-research style data set
 * (default: ../shared/data/pii/synth_dataset_v2.json). Match = same type and ≥ 50% character overlap.
 *
 *   npm run eval:pii -- [--fast] [--data FILE] [--split all|heldout|train] [--json OUT]
 *
 * `--split heldout` scores only the shared-set templates that the tagger in use never saw. The committed
 * tagger is trained on every template, so this needs the held-out model, trained without them:
 *
 *   npm run train:tagger -- --heldout-out .tmp/pii-tagger-heldout --out .tmp/pii-tagger-final
 *   LIFEGUARD_PII_TAGGER_DIR=.tmp/pii-tagger-heldout npm run eval:pii -- --split heldout
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { scanText } from '../src/core/scan.js';
import { piiDetector } from '../src/detect/pii/index.js';
import { modelDir } from '../src/models/tagger/index.js';
import { type Span, SpanEvaluator } from '../src/report/span-eval.js';

/** The data set's labels → Lifeguard's (Presidio's) entity names. */
const GOLD_ALIASES: Record<string, string> = { STREET_ADDRESS: 'ADDRESS', GPE: 'LOCATION' };

interface Sample {
  full_text: string;
  spans: Array<{ entity_type: string; start_position: number; end_position: number }>;
  template_id?: number;
}

const { values } = parseArgs({
  options: {
    fast: { type: 'boolean', default: false },
    data: { type: 'string', default: '../shared/data/pii/synth_dataset_v2.json' },
    split: { type: 'string', default: 'all' },
    json: { type: 'string' },
    'min-score': { type: 'string' },
  },
});

const samples = JSON.parse(readFileSync(values.data!, 'utf8')) as Sample[];
let selected = samples;
if (values.split !== 'all') {
  const card = JSON.parse(readFileSync(join(modelDir(), 'model.json'), 'utf8'));
  if (card.metrics?.trainedOnHeldOut !== false) {
    throw new Error(
      `the tagger in ${modelDir()} was trained on every template; set LIFEGUARD_PII_TAGGER_DIR to a held-out model (see the header of this script)`,
    );
  }
  const heldOut = new Set<number>(card.metrics.heldOutTemplateIds);
  selected = samples.filter((s) => heldOut.has(s.template_id ?? -1) === (values.split === 'heldout'));
}

const goldOf = (s: Sample): Span[] =>
  s.spans.map((g) => ({
    type: GOLD_ALIASES[g.entity_type] ?? g.entity_type,
    start: g.start_position,
    end: g.end_position,
  }));
const vocabulary = new Set(selected.flatMap((s) => goldOf(s).map((g) => g.type)));
const evaluator = new SpanEvaluator(vocabulary);
const minScore = values['min-score'] === undefined ? undefined : Number(values['min-score']);
const outOfVocabulary = new Map<string, number>();

const t0 = performance.now();
for (const s of selected) {
  const found = scanText(s.full_text, { detectors: [piiDetector], fast: values.fast, minScore });
  for (const f of found)
    if (!vocabulary.has(f.type)) outOfVocabulary.set(f.type, (outOfVocabulary.get(f.type) ?? 0) + 1);
  evaluator.add(goldOf(s), found);
}
const ms = performance.now() - t0;
const result = evaluator.result();

const pct = (x: number) => x.toFixed(3);
const rows = Object.entries(result.byType).map(
  ([type, r]) => `| ${type} | ${r.gold} | ${r.predicted} | ${pct(r.precision)} | ${pct(r.recall)} | ${pct(r.f1)} |`,
);
const o = result.overall;
console.log(
  `data: ${values.data} (${selected.length} samples, split ${values.split}, ${values.fast ? 'fast: no tagger' : 'with tagger'})\n`,
);
console.log('| entity | gold | predicted | precision | recall | F1 |\n|---|---|---|---|---|---|');
console.log(rows.join('\n'));
console.log(
  `| **overall (micro)** | ${o.gold} | ${o.predicted} | ${pct(o.precision)} | ${pct(o.recall)} | ${pct(o.f1)} |`,
);
if (outOfVocabulary.size) {
  console.log(
    `\nfindings of types the data set does not label (not scored): ${[...outOfVocabulary].map(([t, n]) => `${t} ${n}`).join(', ')}`,
  );
}
console.log(`\n${(ms / selected.length).toFixed(2)} ms per sample`);
if (values.json)
  writeFileSync(
    values.json,
    `${JSON.stringify({ data: values.data, split: values.split, fast: values.fast, ...result }, null, 2)}\n`,
  );
