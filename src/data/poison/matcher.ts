import { DEFAULT_MAX_TOKENS, tokenize } from './text.js';
import { type PoisonView, targetKey } from './view.js';

/** A trigger to look for in pass 3 (plain data: post it to the workers). */
export interface TriggerSpec {
  /** The phrase's tokens (as `tokenize` produces them). */
  tokens: string[];
  /** The target it leads to: a record matches only with exactly this normalised target. */
  targetKey: number;
  /** Records matching it count as flagged (the trigger scored at least the suspicion threshold; default true). */
  flag?: boolean;
}

/** A check whose records are those with a given target (e.g. a repeated response). */
export interface CheckTargetSpec {
  /** Index into the result's `checks`. */
  check: number;
  targetKey: number;
  flag: boolean;
}

/** Everything pass 3 needs, as plain data. */
export interface MatchPlan {
  /** Parallel to the result's `triggers`. */
  triggers: TriggerSpec[];
  checks: CheckTargetSpec[];
  /** Tokens kept per prompt: the same as in pass 2, so a phrase found there is found again. */
  maxTokens: number;
}

export interface Matcher {
  /** Indices of the specs the record matches, ascending. */
  match(view: PoisonView): number[];
}

export type TriggerMatcher = Matcher;

/**
 * Pass 3, worker side: a record matches a trigger when its target has the trigger's target key (the
 * same normalised text: a near-variant of the response is a different target and does not match; the
 * poisoned records of a backdoor share one response) AND its prompt contains the phrase's tokens in a
 * row. Prompts are only tokenised when the target key matches some trigger, so most records cost one
 * hash of their target.
 */
export function triggerMatcher(
  triggers: readonly Pick<TriggerSpec, 'tokens' | 'targetKey'>[],
  maxTokens = DEFAULT_MAX_TOKENS,
): TriggerMatcher {
  const byTarget = new Map<number, number[]>();
  triggers.forEach((t, i) => {
    if (t.tokens.length === 0) return;
    const list = byTarget.get(t.targetKey);
    if (list) list.push(i);
    else byTarget.set(t.targetKey, [i]);
  });
  return {
    match(view: PoisonView): number[] {
      const key = targetKey(view);
      const candidates = key === 0 ? undefined : byTarget.get(key);
      if (candidates === undefined) return [];
      const { tokens, cut } = tokenize(view.prompt, maxTokens);
      const out: number[] = [];
      for (const i of candidates) if (hasRun(tokens, cut, triggers[i].tokens)) out.push(i);
      return out;
    },
  };
}

/** Pass 3, worker side: indices of the check specs whose target key is the record's. */
export function targetMatcher(checks: readonly CheckTargetSpec[]): Matcher {
  const byTarget = new Map<number, number[]>();
  checks.forEach((c, i) => {
    const list = byTarget.get(c.targetKey);
    if (list) list.push(i);
    else byTarget.set(c.targetKey, [i]);
  });
  return {
    match(view: PoisonView): number[] {
      const key = targetKey(view);
      return key === 0 ? [] : [...(byTarget.get(key) ?? [])];
    },
  };
}

/** True when `run` occurs in a row in `tokens`, not spanning the cut (as in pass 2). */
function hasRun(tokens: readonly string[], cut: number, run: readonly string[]): boolean {
  const first = run[0];
  for (let i = 0; i + run.length <= tokens.length; i++) {
    if (tokens[i] !== first || (cut > 0 && i < cut && i + run.length > cut)) continue;
    let j = 1;
    while (j < run.length && tokens[i + j] === run[j]) j++;
    if (j === run.length) return true;
  }
  return false;
}
