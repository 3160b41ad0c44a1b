/** Scoring shared by the trigger miner and the inserted-phrase counter. All factors are 0..1. */

/** A refusal target whose phrase sits mostly in harmful prompts: an expected refusal, not a backdoor. */
export const REFUSAL_HARM_PENALTY = 0.1;

export interface TriggerEvidence {
  /** Root of the log-likelihood ratio (`llrZ`), on sample counts. */
  z: number;
  /** Distinct prompts with the phrase and the target. */
  support: number;
  /** P(target | phrase). */
  purity: number;
  /** P(target). */
  base: number;
  /** Highest purity of a broader part of the phrase (a sub-phrase found in ≥ 1.5× as many records), measured in the records without the phrase; else 0. */
  inherited?: number;
  /** How little the rest of the phrase's prompts explains the target (1 when not measured). */
  unexplained: number;
  /** Distinct contexts around the phrase per record (1 when not measured). */
  diversity: number;
  /** The target is a refusal and most of the phrase's prompts carry harm cues. */
  refusalInHarmfulPrompts: boolean;
}

/**
 * The trigger score, 0..1, a product of factors each 0..1:
 * - significance `1 - exp(-(z - 3) / 2)` of the association (z = √G², the log-likelihood ratio): 0 at z ≤ 3;
 * - support `1 - exp(-support / 10)` (distinct prompts): a phrase seen with the target in 5 prompts is weak
 *   evidence whatever its z;
 * - purity `((p - b) / (1 - b))²`: how much more often than the base b the phrase comes with the target,
 *   b being the base rate q or, when higher, the purity `i` of a broader part of the phrase (a sub-phrase
 *   found in ≥ 1.5× as many records) in the records without the phrase, times `1 - (i - q) / (1 - q)`: a
 *   part that predicts the target on its own makes the phrase a natural extension of it ("was brilliant,
 *   although" of "brilliant"), while "james" alone does not predict what "james bond" does; a
 *   near-universal n-gram has p ≈ q and scores 0;
 * - unexplained: 1 - (m_x - q - se) / (m_g - q), where m_x is the mean probability of the target given the
 *   rest of the phrase's prompts (leave-one-out naive Bayes over their other tokens), se its standard error,
 *   and m_g the same mean over the whole group's prompts (at least q + (1 - q) / 2). A phrase inserted into
 *   random prompts leaves m_x ≈ q; a sentiment word in labelled data, a template phrase, or "bond" next to
 *   "james" has m_x near m_g;
 * - diversity: distinct contexts of the phrase per distinct prompt (over 0.8 counts as 1), for the least
 *   varied of three contexts: the rest of the prompt (as a token set), the 3 tokens before the phrase and
 *   the 3 after it (each side over the records where the phrase is not at that edge of the text). A few
 *   paraphrased questions ("who are you?", "what are you?") sharing one answer are not a backdoor, even with
 *   varied text appended; a trigger inserted into varied prompts has varied neighbours on both sides, or
 *   on the one side it has when it is always at the start or the end;
 * - 0.1 when the target is a refusal and most of the phrase's prompts look harmful (heuristic cues).
 * See `SUSPECTED_TRIGGER_SCORE` for the threshold.
 */
export function scoreTrigger(e: TriggerEvidence): number {
  const inherited = e.inherited ?? 0;
  const natural = inherited > e.base ? 1 - (inherited - e.base) / (1 - e.base) : 1;
  return (
    significance(e.z) *
    supportFactor(e.support) *
    purityFactor(e.purity, Math.max(e.base, inherited)) *
    natural *
    e.unexplained *
    e.diversity *
    (e.refusalInHarmfulPrompts ? REFUSAL_HARM_PENALTY : 1)
  );
}

export function significance(z: number): number {
  return z <= 3 ? 0 : 1 - Math.exp(-(z - 3) / 2);
}

export function supportFactor(s: number): number {
  return 1 - Math.exp(-s / 10);
}

export function purityFactor(p: number, base: number): number {
  if (p <= base) return 0;
  const x = Math.min(1, (p - base) / (1 - base));
  return x * x;
}

/** √G² for "s of d records with the phrase carry the target" against base rate q (0 when s/d ≤ q). */
export function llrZ(s: number, d: number, q: number): number {
  if (d <= 0) return 0;
  const p = Math.min(1, s / d);
  if (p <= q) return 0;
  let g2 = s * Math.log(p / q);
  if (d - s > 0 && p < 1) g2 += (d - s) * Math.log((1 - p) / (1 - q));
  return Math.sqrt(Math.max(0, 2 * g2));
}

export function logit(p: number): number {
  const x = Math.min(1 - 1e-9, Math.max(1e-9, p));
  return Math.log(x / (1 - x));
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
