import type { GroupRecord } from './collector.js';
import { defaultCues, type PoisonCues } from './cues.js';
import { sampleHash } from './hash.js';
import { llrZ, logit, purityFactor, scoreTrigger, sigmoid, significance, supportFactor } from './score.js';
import { DfSketch } from './sketch.js';
import type { TargetGroups } from './target-counter.js';
import {
  forEachNgram,
  ngramHash,
  renderTokens,
  ScratchSet,
  type Tokenized,
  tokenHashes,
  unpackTokens,
} from './text.js';

/** An n-gram of a group's prompts that predicts the group's target, with the evidence for it. */
export interface MinedTrigger {
  targetKey: number;
  kind: 'response-trigger' | 'label-trigger';
  /** As it appears in the (normalised) prompts. */
  phrase: string;
  tokens: string[];
  /** Records of the group containing the phrase (estimated from the sample when the group was sampled). */
  support: number;
  /** Records containing the phrase overall (count-min estimate: never below the truth). */
  df: number;
  groupSize: number;
  nRecords: number;
  /** P(target | phrase) = support / df. */
  purity: number;
  /** Highest purity, outside the phrase's records, of a broader part of it (a sub-phrase in ≥ 1.5× as many records), else 0. */
  inherited: number;
  /** P(target | phrase) / P(target). */
  lift: number;
  /** Signed root of the log-likelihood ratio of "phrase predicts target" vs independence. */
  z: number;
  /**
   * 1 - (how well the rest of the phrase's prompts predicts the target, relative to the group's prompts):
   * 1 for a phrase inserted into random prompts, near 0 for a feature of prompts that lead to the target anyway.
   */
  unexplained: number;
  /** Distinct prompt contexts around the phrase per distinct prompt (0..1, normalised). */
  diversity: number;
  /** Share of the phrase's records whose prompt has harm cues (only computed for refusal targets, else 0). */
  harmful: number;
  refusalTarget: boolean;
  /** The target text (first 200 characters). */
  target: string;
  /** 0..1; see `scoreTrigger`. */
  score: number;
}

/** One candidate group, for the repeated-response check. */
export interface GroupSummary {
  targetKey: number;
  kind: 'response' | 'label';
  target: string;
  /** Records with this target (pass 1). */
  count: number;
  distinctPrompts: number;
  /** Distinct prompts kept for mining. */
  sampled: number;
  /** Mean share of the target's content words found in the prompt (-1 when unknown). */
  meanOverlap: number;
  /** Share of sampled records with no target word in the prompt (-1 when unknown). */
  zeroOverlap: number;
  refusal: boolean;
  /** Tokens in the target (first 200 characters). */
  targetTokens: number;
}

export interface TriggerMinerOptions {
  /**
   * Budget for the stored group records, in UTF-16 units of packed tokens (default 32 M: at most
   * 64 MiB of strings). Over budget, the largest group's sample is halved (by hash, so it stays a
   * uniform sample and the support estimates scale).
   */
  maxStoredChars?: number;
  /** Records kept per group at most (default 20 000; a group's sample is halved beyond 1.25×). */
  maxRecordsPerGroup?: number;
}

export interface MineOptions {
  /** Triggers returned at most, best first (default 50). */
  maxTriggers?: number;
  /** Triggers scoring below this are dropped (default 0.05). */
  minScore?: number;
  /** Candidate n-grams per group scored in full (default 64). */
  candidatesPerGroup?: number;
  cues?: PoisonCues;
}

interface GroupState {
  key: number;
  count: number;
  distinct: number;
  threshold: number;
  kind: 'response' | 'label';
  target?: string;
  recs: string[];
  pkeys: number[];
  /** Copies of each stored prompt received (exact duplicates are stored once). */
  mult: number[];
  /** Prompt key → index in `recs`. */
  seen: Map<number, number>;
  chars: number;
  overlapSum: number;
  overlapN: number;
  overlapZero: number;
}

interface Candidate {
  hash: number;
  /** Records of the sample with the phrase, duplicates included. */
  c: number;
  /** Distinct prompts of the sample with the phrase. */
  distinct: number;
  dfEst: number;
  p: number;
  z: number;
  pre: number;
  /** Sum over its records of P(target | the rest of the prompt), and of its square. */
  ctxSum: number;
  ctxSq: number;
  harm: number;
  /** Distinct token sets around the phrase. */
  contexts: Set<number>;
  /** Distinct runs of up to 3 tokens just before / after it, and records where it is not at that edge. */
  before: Set<number>;
  after: Set<number>;
  beforeN: number;
  afterN: number;
  /** Highest purity of a broader part of the phrase (a sub-phrase in ≥ 1.5× as many records). */
  inherited: number;
  phrase?: string;
  tokens?: string[];
}

const TWO32 = 2 ** 32;
/** Tokens on each side of a phrase that make its local context. */
const WINDOW = 3;

/**
 * Records beyond which more distinct contexts add no evidence of variety: a trigger in thousands of
 * templated prompts meets only as many neighbours as the templates have, and must not look less varied
 * than the same trigger in a hundred.
 */
const DIVERSITY_SATURATION = 50;

/**
 * Distinct contexts per distinct prompt: the rest of the prompt as a token set, and on each side the
 * runs of up to 3 neighbouring tokens, counted over the records where the phrase is not at that edge
 * (a side seen in fewer than 3 records or 30 % of them is left out). The least varied of these. Each
 * ratio's denominator saturates at {@link DIVERSITY_SATURATION}.
 */
function contextDiversity(c: Candidate): number {
  const ratio = (distinct: number, n: number) => distinct / Math.min(n, DIVERSITY_SATURATION);
  let d = ratio(c.contexts.size, c.distinct);
  const floor = Math.max(3, 0.3 * c.distinct);
  if (c.beforeN >= floor) d = Math.min(d, ratio(c.before.size, c.beforeN));
  if (c.afterN >= floor) d = Math.min(d, ratio(c.after.size, c.afterN));
  return Math.min(1, d);
}

/** Key of the tokens `[lo, hi)` (a phrase's local context); the start and end of the text count as tokens. */
function windowHash(th: Uint32Array, lo: number, hi: number): number {
  let h = lo === 0 ? 0x51ed27 : 0x2f1b3c;
  for (let i = lo; i < hi; i++) h = Math.imul(h ^ th[i], 0x9e3779b1) >>> 0;
  return (h ^ (hi === th.length ? 0x7a3 : 0)) >>> 0;
}

/**
 * Pass 2, main thread: merges the workers' document-frequency sketches and keeps a bounded, uniform
 * sample of each candidate group's prompts (exact duplicates stored once, with a count), then `mine()`
 * scores every frequent 1..4-gram of each group (`scoreTrigger`).
 *
 * Memory: the merged sketch, plus at most `maxStoredChars` UTF-16 units of packed tokens, at most
 * `maxRecordsPerGroup` (×1.25) distinct prompts per group, and two numbers per stored prompt; `mine()`
 * additionally holds one group's n-gram counts at a time.
 */
export class TriggerMiner {
  private readonly sketch: DfSketch;
  private readonly groups = new Map<number, GroupState>();
  private readonly minSupport: number;
  private readonly maxN: number;
  private readonly maxChars: number;
  private readonly maxPerGroup: number;
  private readonly fallbackN: number;
  private storedChars = 0;
  /** Records observed in pass 2 (the sum of `addDf`'s `records`). */
  nRecords = 0;

  constructor(groups: TargetGroups, options: TriggerMinerOptions = {}) {
    this.sketch = new DfSketch(groups.sketch.width, groups.sketch.depth);
    this.minSupport = groups.minSupport;
    this.maxN = groups.maxN;
    this.fallbackN = groups.nRecords;
    this.maxChars = options.maxStoredChars ?? 32_000_000;
    this.maxPerGroup = options.maxRecordsPerGroup ?? 20_000;
    for (const g of groups.groups) {
      this.groups.set(g.key, {
        key: g.key,
        count: g.count,
        distinct: g.distinctPrompts,
        threshold: g.sampleThreshold,
        kind: 'response',
        recs: [],
        pkeys: [],
        mult: [],
        seen: new Map(),
        chars: 0,
        overlapSum: 0,
        overlapN: 0,
        overlapZero: 0,
      });
    }
  }

  /**
   * A worker's sketch table and the number of records it observed (`PromptNgramCollector.records`);
   * without the counts, the base rates use `TargetGroups.nRecords`.
   */
  addDf(table: Uint32Array, records = 0): void {
    this.sketch.merge(table);
    this.nRecords += records;
  }

  addGroupRecords(records: readonly GroupRecord[]): void {
    for (const r of records) this.addGroupRecord(r);
  }

  addGroupRecord(rec: GroupRecord): void {
    const g = this.groups.get(rec.targetKey);
    if (g === undefined) return;
    g.kind = rec.kind;
    if (rec.target !== undefined && g.target === undefined) g.target = rec.target;
    if (sampleHash(rec.promptKey, g.key) >= g.threshold) return;
    const at = g.seen.get(rec.promptKey);
    if (at !== undefined) {
      g.mult[at]++;
      return;
    }
    g.seen.set(rec.promptKey, g.recs.length);
    g.recs.push(rec.tokens);
    g.pkeys.push(rec.promptKey);
    g.mult.push(1);
    g.chars += rec.tokens.length;
    this.storedChars += rec.tokens.length;
    if (rec.overlap >= 0) {
      g.overlapSum += rec.overlap;
      g.overlapN++;
      if (rec.overlap === 0) g.overlapZero++;
    }
    if (g.recs.length > this.maxPerGroup * 1.25) this.halve(g);
    while (this.storedChars > this.maxChars) {
      let largest: GroupState | undefined;
      for (const s of this.groups.values()) if (largest === undefined || s.chars > largest.chars) largest = s;
      if (largest === undefined || largest.recs.length === 0) break;
      this.halve(largest);
    }
  }

  /** UTF-16 units of packed tokens held. */
  get storedUnits(): number {
    return this.storedChars;
  }

  groupSummaries(cues: PoisonCues = defaultCues): GroupSummary[] {
    const out: GroupSummary[] = [];
    for (const g of this.groups.values()) {
      const target = g.target ?? '';
      out.push({
        targetKey: g.key,
        kind: g.kind,
        target,
        count: g.count,
        distinctPrompts: g.distinct,
        sampled: g.recs.length,
        meanOverlap: g.overlapN > 0 ? g.overlapSum / g.overlapN : -1,
        zeroOverlap: g.overlapN > 0 ? g.overlapZero / g.overlapN : -1,
        refusal: g.kind === 'response' && target !== '' && cues.isRefusal(target),
        targetTokens: target === '' ? 0 : target.trim().split(/\s+/).length,
      });
    }
    return out;
  }

  /** Scores the n-grams of every group; best first, overlapping n-grams of a group merged. */
  mine(options: MineOptions = {}): MinedTrigger[] {
    const cues = options.cues ?? defaultCues;
    const out: MinedTrigger[] = [];
    for (const g of this.groups.values()) out.push(...this.mineGroup(g, options, cues));
    out.sort(byScore);
    return out.filter((t) => t.score >= (options.minScore ?? 0.05)).slice(0, options.maxTriggers ?? 50);
  }

  private mineGroup(g: GroupState, options: MineOptions, cues: PoisonCues): MinedTrigger[] {
    const n = this.nRecords > 0 ? this.nRecords : this.fallbackN;
    if (g.recs.length < 3 || n === 0) return [];
    const rate = g.threshold / TWO32;
    let copies = 0;
    for (const m of g.mult) copies += m;
    const groupSize = copies / rate;
    const q = Math.min(groupSize / n, 0.999);
    if (q >= 0.9) return [];
    const docs: Tokenized[] = [];
    const hashes: Uint32Array[] = [];
    for (const packed of g.recs) {
      const t = unpackTokens(packed);
      docs.push(t);
      hashes.push(tokenHashes(t.tokens));
    }

    // Support of every n-gram in the sample: records containing it, duplicates included.
    const counts = new Map<number, number>();
    const scratch = new ScratchSet();
    for (let r = 0; r < docs.length; r++) {
      const m = g.mult[r];
      scratch.reset(hashes[r].length * this.maxN);
      forEachNgram(hashes[r], docs[r].cut, this.maxN, (h) => {
        if (scratch.add(h)) counts.set(h, (counts.get(h) ?? 0) + m);
      });
    }

    const minS = Math.max(3, Math.ceil(this.minSupport * rate));
    let cands: Candidate[] = [];
    for (const [hash, c] of counts) {
      if (c < minS) continue;
      const dfEst = Math.max(c / rate, this.sketch.estimate(hash));
      const p = c / rate / dfEst;
      const pf = purityFactor(p, q);
      if (pf < 0.2) continue;
      const z = llrZ(c, dfEst * rate, q);
      if (z < 3) continue;
      cands.push({
        hash,
        c,
        distinct: 0,
        dfEst,
        p,
        z,
        pre: significance(z) * supportFactor(c) * pf,
        ctxSum: 0,
        ctxSq: 0,
        harm: 0,
        contexts: new Set(),
        before: new Set(),
        after: new Set(),
        beforeN: 0,
        afterN: 0,
        inherited: 0,
      });
    }
    if (cands.length === 0) return [];
    cands.sort((a, b) => b.pre - a.pre || b.c - a.c);
    cands = cands.slice(0, options.candidatesPerGroup ?? 256);
    const byHash = new Map(cands.map((c) => [c.hash, c]));

    const refusal = g.kind === 'response' && g.target !== undefined && cues.isRefusal(g.target);
    const logitQ = logit(q);
    const kappa = Math.max(10, 2 / q);
    // Evidence that a token alone predicts the target, leaving the record itself out.
    const evidence = new Map<number, number>();
    const evidenceOf = (uk: number, m: number): number => {
      let a = evidence.get(uk);
      if (a === undefined) {
        const supp = counts.get(uk) ?? m;
        const suppOthers = (supp - m) / rate;
        const dfOthers = Math.max(supp / rate, this.sketch.estimate(uk)) - m;
        a = 0;
        if (dfOthers >= 1) {
          const pHat = (suppOthers + kappa * q) / (dfOthers + kappa);
          a = Math.max(-4, Math.min(4, logit(pHat) - logitQ));
        }
        if (m === 1) evidence.set(uk, a);
      }
      return a;
    };
    // Purity of the phrase's broader parts: "boring" in "was boring, although" already predicts the label.
    // Measured outside the phrase's own records: "james" owes its tie to the target to "james bond".
    const inheritedPurity = (th: Uint32Array, start: number, len: number, cand: Candidate): number => {
      let best = 0;
      const sx = cand.c / rate;
      for (let k = 1; k < len; k++) {
        for (let o = start; o + k <= start + len; o++) {
          const h = ngramHash(th, o, k);
          const s = (counts.get(h) ?? 0) / rate;
          const d = Math.max(s, this.sketch.estimate(h));
          if (d < 1.5 * cand.dfEst) continue;
          const outside = Math.max(0, s - sx) / (d - cand.dfEst);
          if (outside > best) best = outside;
        }
      }
      return best;
    };

    const seenTok = new ScratchSet();
    const xKeys: number[] = [];
    let groupCtx = 0; // sum over the group's records of P(target | whole prompt)
    for (let r = 0; r < docs.length; r++) {
      const th = hashes[r];
      const m = g.mult[r];
      const uks = new Uint32Array(th.length);
      const ev = new Float64Array(th.length);
      let total = 0;
      let sigSum = 0;
      seenTok.reset(th.length);
      for (let i = 0; i < th.length; i++) {
        const uk = ngramHash(th, i, 1);
        uks[i] = uk;
        ev[i] = evidenceOf(uk, m);
        if (seenTok.add(uk)) {
          total += ev[i];
          sigSum = (sigSum + uk) >>> 0;
        }
      }
      groupCtx += m * sigmoid(logitQ + total);
      let harmful: boolean | undefined;
      scratch.reset(th.length * this.maxN);
      forEachNgram(th, docs[r].cut, this.maxN, (h, start, len) => {
        const cand = byHash.get(h);
        if (cand === undefined || !scratch.add(h)) return;
        xKeys.length = 0;
        let ctx = total;
        let ctxSig = sigSum;
        for (let k = start; k < start + len; k++) {
          const uk = uks[k];
          if (xKeys.includes(uk)) continue;
          xKeys.push(uk);
          ctx -= ev[k];
          ctxSig = (ctxSig - uk) >>> 0;
        }
        const pc = sigmoid(logitQ + ctx);
        cand.ctxSum += m * pc;
        cand.ctxSq += m * pc * pc;
        cand.distinct++;
        cand.contexts.add(ctxSig);
        // Local context on each side, not reaching across the cut of a long prompt.
        const cut = docs[r].cut;
        const end = start + len;
        const lo = Math.max(0, start - WINDOW, cut > 0 && start >= cut ? cut : 0);
        const hi = Math.min(th.length, end + WINDOW, cut > 0 && end <= cut ? cut : th.length);
        if (lo < start) {
          cand.beforeN++;
          cand.before.add(windowHash(th, lo, start));
        }
        if (hi > end) {
          cand.afterN++;
          cand.after.add(windowHash(th, end, hi));
        }
        if (refusal) {
          harmful ??= cues.isHarmful(renderTokens(docs[r]));
          if (harmful) cand.harm += m;
        }
        if (cand.phrase === undefined) {
          cand.phrase = renderTokens(docs[r], start, start + len);
          cand.tokens = docs[r].tokens.slice(start, start + len);
          cand.inherited = inheritedPurity(th, start, len, cand);
        }
      });
    }

    // How well the rest of a prompt predicts the target, on average over the group (at least halfway to 1).
    const explainedSpan = Math.max(groupCtx / copies - q, 0.5 * (1 - q));
    const found: MinedTrigger[] = [];
    for (const c of cands) {
      if (c.phrase === undefined || c.tokens === undefined || c.distinct < 3) continue;
      // One standard error of slack: 50 random prompts' mean wanders by ±0.06 in balanced labelled data.
      const mean = c.ctxSum / c.c;
      const se = Math.sqrt(Math.max(0, c.ctxSq / c.c - mean * mean) / c.distinct);
      const unexplained = 1 - Math.min(1, Math.max(0, (mean - q - se) / explainedSpan));
      const diversity = Math.min(1, contextDiversity(c) / 0.8);
      const harmful = c.harm / c.c;
      const score = scoreTrigger({
        z: c.z,
        support: c.distinct,
        purity: c.p,
        base: q,
        inherited: c.inherited,
        unexplained,
        diversity,
        refusalInHarmfulPrompts: refusal && harmful >= 0.5,
      });
      found.push({
        targetKey: g.key,
        kind: g.kind === 'label' ? 'label-trigger' : 'response-trigger',
        phrase: c.phrase,
        tokens: c.tokens,
        support: Math.round(c.c / rate),
        df: Math.round(c.dfEst),
        groupSize: Math.round(groupSize),
        nRecords: n,
        purity: c.p,
        inherited: c.inherited,
        lift: c.p / q,
        z: c.z,
        unexplained,
        diversity,
        harmful,
        refusalTarget: refusal,
        target: g.target ?? '',
        score,
      });
    }
    return mergeOverlapping(found);
  }

  private halve(g: GroupState): void {
    g.threshold = Math.floor(g.threshold / 2);
    const recs: string[] = [];
    const pkeys: number[] = [];
    const mult: number[] = [];
    let chars = 0;
    g.seen.clear();
    for (let i = 0; i < g.recs.length; i++) {
      if (sampleHash(g.pkeys[i], g.key) < g.threshold) {
        g.seen.set(g.pkeys[i], recs.length);
        recs.push(g.recs[i]);
        pkeys.push(g.pkeys[i]);
        mult.push(g.mult[i]);
        chars += g.recs[i].length;
      }
    }
    this.storedChars -= g.chars - chars;
    g.recs = recs;
    g.pkeys = pkeys;
    g.mult = mult;
    g.chars = chars;
  }
}

function byScore(a: MinedTrigger, b: MinedTrigger): number {
  return b.score - a.score || b.z - a.z || b.tokens.length - a.tokens.length;
}

/** True when `inner` occurs as a contiguous run in `outer`. */
export function containsRun(outer: readonly string[], inner: readonly string[]): boolean {
  if (inner.length === 0 || inner.length > outer.length) return false;
  for (let i = 0; i + inner.length <= outer.length; i++) {
    let j = 0;
    while (j < inner.length && outer[i + j] === inner[j]) j++;
    if (j === inner.length) return true;
  }
  return false;
}

/**
 * Keeps one n-gram per family of overlapping ones (one inside the other): the best scoring, or a longer
 * one with about the same support (≥ 90 %) and score (≥ 80 %), so "james bond" wins over "bond".
 */
function mergeOverlapping(found: MinedTrigger[]): MinedTrigger[] {
  found.sort(byScore);
  const kept: MinedTrigger[] = [];
  for (const t of found) {
    const i = kept.findIndex((k) => containsRun(k.tokens, t.tokens) || containsRun(t.tokens, k.tokens));
    if (i < 0) {
      kept.push(t);
      continue;
    }
    const k = kept[i];
    if (t.tokens.length > k.tokens.length && t.support >= 0.9 * k.support && t.score >= 0.8 * k.score) kept[i] = t;
  }
  return kept.sort(byScore);
}
