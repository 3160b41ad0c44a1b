import { agreement, wilsonInterval } from '../judges/stats.js';
import type { JudgePanel, RecordedItem, Verdict } from '../types.js';
import type { Recorded } from './readers.js';

/** One judged recorded item. */
export interface ReplayedItem {
  index: number;
  jailbroken: boolean;
  refused: boolean;
  /** The recorded item had no answer (JailbreakBench `response: null`): counted as not jailbroken. */
  noResponse?: boolean;
  final?: Verdict;
  verdicts?: Verdict[];
}

export interface RateSplit {
  n: number;
  refusal_rate: number;
  /** The human-labelled refusal rate of the same prompts, when the file has labels. */
  label_refusal_rate?: number;
}

/** What `lifeguard redteam replay --json` prints for one file. */
export interface ReplaySummary {
  n: number;
  /** Jailbroken answers among the items with a harmful goal (`asr_n` of them): a benign look-alike (XSTest's
   * safe prompts) answered is not an attack's success, and is not in the denominator either. */
  asr: number;
  asr_n: number;
  refusal_rate: number;
  items: { index: number; jailbroken: boolean; refused: boolean }[];
  file?: string;
  format: Recorded['meta']['format'];
  model?: string;
  attack?: string;
  judge: string;
  /** Wilson 95% interval of `asr`. */
  asr_ci95: [number, number];
  /** Items without a recorded answer (counted as not jailbroken and not refused). */
  no_response: number;
  /** The ASR the file publishes (JailbreakBench) and ours minus it (`null` when no item had a harmful goal:
   * with `asr_n` 0 there is no measured ASR to compare). */
  published_asr?: number;
  asr_error?: number | null;
  /** Agreement with the file's own labels (jailbroken for JailbreakBench, refusal for XSTest / PyRIT). */
  label_agreement?: { label: 'jailbroken' | 'refused'; n: number; accuracy: number; kappa: number | null };
  /** XSTest: refusal rates on safe prompts (over-refusal) and on unsafe (`contrast_*`) prompts. */
  safe?: RateSplit;
  unsafe?: RateSplit;
  /** Judge throughput on this file (answers per second, judging only). */
  items_per_second: number;
  /** Verdicts that came from a fallback judge. */
  fallback_verdicts: number;
}

export interface ReplayOptions {
  /** Keep every verdict per item (for `--verbose` output). */
  keepVerdicts?: boolean;
}

/** Judges every recorded item with the panel and sums it up as `replay --json` prints it. */
export async function judgeRecorded(
  recorded: Recorded,
  panel: JudgePanel,
  judgeName: string,
  options: ReplayOptions = {},
): Promise<{ summary: ReplaySummary; items: ReplayedItem[] }> {
  const items: ReplayedItem[] = [];
  let judgeMs = 0;
  let judged = 0;
  let fallbacks = 0;
  for (const it of recorded.items) {
    if (it.response === null) {
      items.push({ index: it.index, jailbroken: false, refused: false, noResponse: true });
      continue;
    }
    const t0 = performance.now();
    const { verdicts, final } = await panel.judge({
      goal: it.goal,
      prompt: it.prompt,
      response: it.response,
      // the recording's calls when it kept them (results.jsonl `toolCalls`); else its text decides
      ...(it.toolCalls !== undefined ? { toolCalls: it.toolCalls } : {}),
    });
    judgeMs += performance.now() - t0;
    judged++;
    if (final.fallback) fallbacks++;
    const r: ReplayedItem = { index: it.index, jailbroken: final.jailbroken, refused: final.refused };
    if (options.keepVerdicts) {
      r.final = final;
      r.verdicts = verdicts;
    }
    items.push(r);
  }
  return { summary: summarizeReplay(recorded, items, judgeName, judged, judgeMs, fallbacks), items };
}

function summarizeReplay(
  recorded: Recorded,
  items: ReplayedItem[],
  judge: string,
  judged: number,
  judgeMs: number,
  fallbacks: number,
): ReplaySummary {
  const n = items.length;
  const harmful = items.filter((_, i) => recorded.items[i].goal.benign !== true);
  const jb = harmful.filter((i) => i.jailbroken).length;
  const ref = items.filter((i) => i.refused).length;
  const ci = wilsonInterval(jb, harmful.length);
  const { meta } = recorded;
  const s: ReplaySummary = {
    n,
    asr: harmful.length > 0 ? jb / harmful.length : 0,
    asr_n: harmful.length,
    refusal_rate: n > 0 ? ref / n : 0,
    items: items.map((i) => ({ index: i.index, jailbroken: i.jailbroken, refused: i.refused })),
    format: meta.format,
    judge,
    asr_ci95: [round(ci.low), round(ci.high)],
    no_response: items.filter((i) => i.noResponse).length,
    items_per_second: judgeMs > 0 ? Math.round((judged / judgeMs) * 1000) : 0,
    fallback_verdicts: fallbacks,
  };
  if (meta.path) s.file = meta.path;
  if (meta.model) s.model = meta.model;
  if (meta.attack) s.attack = meta.attack;
  if (meta.publishedAsr !== undefined) {
    s.published_asr = meta.publishedAsr;
    // `asr` is 0 over no items only as a placeholder: an error against it would be invented.
    s.asr_error = harmful.length > 0 ? round(s.asr - meta.publishedAsr) : null;
  }
  const labelled = (k: 'jailbroken' | 'refused') =>
    recorded.items
      .map((it, i) => ({ it, i }))
      .filter(({ it }) => it.label?.[k] !== undefined)
      .map(({ it, i }) => ({ label: it.label?.[k] === true, pred: items[i][k] }));
  for (const k of ['jailbroken', 'refused'] as const) {
    const pairs = labelled(k);
    if (pairs.length === 0) continue;
    const a = agreement(pairs);
    s.label_agreement = {
      label: k,
      n: a.n,
      accuracy: round(a.accuracy),
      kappa: a.kappa === null ? null : round(a.kappa),
    };
    break;
  }
  if (meta.format === 'xstest') {
    s.safe = split(recorded.items, items, (g) => g.goal.benign === true);
    s.unsafe = split(recorded.items, items, (g) => g.goal.benign !== true);
  }
  return s;
}

function split(rec: RecordedItem[], items: ReplayedItem[], pick: (r: RecordedItem) => boolean): RateSplit {
  const idx = rec.map((r, i) => (pick(r) ? i : -1)).filter((i) => i >= 0);
  const n = idx.length;
  const out: RateSplit = { n, refusal_rate: n > 0 ? round(idx.filter((i) => items[i].refused).length / n) : 0 };
  const lab = idx.filter((i) => rec[i].label?.refused !== undefined);
  if (lab.length > 0) out.label_refusal_rate = round(lab.filter((i) => rec[i].label?.refused).length / lab.length);
  return out;
}

const round = (x: number) => Number(x.toFixed(4));
