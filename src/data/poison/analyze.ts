import { detectShape, type Shape } from '../io/shapes.js';
import type { PoisonCheck, SuspectedTrigger } from '../scan/report-types.js';
import { PromptNgramCollector } from './collector.js';
import { defaultCues, type PoisonCues } from './cues.js';
import { type FinalizeOptions, finalizePoisoning, PoisonRecords } from './finalize.js';
import { InsertedPhraseCounter, InsertionPairIndex } from './inserted.js';
import { targetMatcher, triggerMatcher } from './matcher.js';
import { type MineOptions, TriggerMiner, type TriggerMinerOptions } from './miner.js';
import { PreferenceAccumulator, preferenceSignals } from './preference.js';
import { type CandidateOptions, TargetCounter } from './target-counter.js';
import { renderTokens, type Tokenized, tokenize } from './text.js';
import { type PoisonView, type PoisonViewOptions, poisonView, promptKey, targetKey } from './view.js';

export interface AnalyzeOptions
  extends PoisonViewOptions,
    CandidateOptions,
    TriggerMinerOptions,
    Omit<MineOptions, 'cues' | 'maxTriggers'>,
    Omit<FinalizeOptions, 'maxTokens'> {
  /** The records' shape; default: `detectShape` per record. */
  shape?: Shape;
  /** Refusal / harm cues (default: the heuristic lists of `cues.ts`). */
  cues?: PoisonCues;
  /** Look for phrases inserted into near-duplicate prompts (default true). */
  insertedPhrases?: boolean;
}

/** Prompts up to this many tokens are compared for inserted phrases. */
const PAIR_TOKENS = 128;

export interface AnalyzeResult {
  triggers: SuspectedTrigger[];
  checks: PoisonCheck[];
  /** Ids of the flagged records. */
  flagged: Set<string>;
}

/**
 * Every poisoning pass in memory, in this thread: for tests and small inputs (the records and their
 * views are held). The streaming scan runs the same steps with the per-record parts in workers:
 * pass 1 `targetKey`/`promptKey` → `TargetCounter`; pass 2 `PromptNgramCollector` (+ `preferenceSignals`)
 * → `TriggerMiner` (+ `PreferenceAccumulator`, `InsertedPhraseCounter` from near-duplicate pairs);
 * `finalizePoisoning`; pass 3 `triggerMatcher`/`targetMatcher` → `PoisonRecords`.
 */
export function analyzePoisoning(
  records: Iterable<{ id: string; value: Record<string, unknown> }>,
  options: AnalyzeOptions = {},
): AnalyzeResult {
  const cues = options.cues ?? defaultCues;
  const items: { id: string; view: PoisonView }[] = [];
  for (const r of records) {
    const shape = options.shape ?? detectShape(r.value, { textField: options.textField });
    const view = poisonView(r.value, shape, options);
    if (view !== undefined) items.push({ id: r.id, view });
  }

  // Pass 1: targets.
  const counter = new TargetCounter();
  const keys = items.map(({ view }) => targetKey(view));
  items.forEach(({ view }, i) => {
    counter.add(keys[i], promptKey(view));
  });
  const groups = counter.candidates(items.length, options);

  // Pass 2: n-grams, document frequencies, group samples; preference signals.
  const collector = new PromptNgramCollector(groups);
  const miner = new TriggerMiner(groups, options);
  const preference = new PreferenceAccumulator();
  const findPairs = options.insertedPhrases !== false;
  const index = findPairs ? new InsertionPairIndex(PAIR_TOKENS) : undefined;
  const toks: Tokenized[] = [];
  let pairs = 0;
  items.forEach(({ id, view }, i) => {
    const tokens = tokenize(view.prompt, groups.maxTokens);
    collector.observe(view, { targetKey: keys[i], tokens });
    miner.addGroupRecords(collector.drainGroupRecords());
    if (index !== undefined) {
      toks.push(tokens);
      if (tokens.total <= PAIR_TOKENS) index.add(i, tokens.tokens);
    }
    const signals = preferenceSignals(view, cues);
    if (signals !== undefined) {
      preference.add(id, signals, i);
      pairs++;
    }
  });
  miner.addDf(collector.dfSketch(), collector.records);

  // Phrases inserted into near-duplicate prompts.
  const inserted = new InsertedPhraseCounter();
  if (index !== undefined) {
    for (const [a, b, start, end] of index.pairs()) {
      inserted.add({
        phrase: renderTokens(toks[b], start, end),
        tokens: toks[b].tokens.slice(start, end),
        targetKeyA: keys[a],
        targetKeyB: keys[b],
        targetB: items[b].view.target,
      });
    }
  }

  const result = finalizePoisoning(
    {
      nRecords: miner.nRecords,
      mined: miner.mine({ ...options, cues }),
      inserted: inserted.results(items.length, (k) => counter.count(k)),
      groups: items.length > pairs ? miner.groupSummaries(cues) : [],
      preference,
    },
    { ...options, maxTokens: groups.maxTokens },
  );

  // Pass 3: the records of each trigger and check.
  const byTrigger = triggerMatcher(result.plan.triggers, result.plan.maxTokens);
  const byTarget = targetMatcher(result.plan.checks);
  const collect = new PoisonRecords(result);
  const flagged = new Set<string>();
  items.forEach(({ id, view }, i) => {
    if (collect.add(id, byTrigger.match(view), byTarget.match(view), i)) flagged.add(id);
  });
  return { ...collect.finish(), flagged };
}
