/** Types the external backends share on top of the classifier contract in `../classify/types.ts`. */

/** One chat turn of a transcript to check. `system` turns are not checked (guards judge users and agents). */
export interface ChatMessage {
  role: 'user' | 'assistant' | 'system';
  content: string;
}

/**
 * How an upstream taxonomy maps onto ours: upstream category (a moderation category such as
 * `hate/threatening`, a guard code such as `S10`, a model label) → the result categories it counts
 * for (hazard codes for `harmful`, toxicity categories for `toxicity`). An empty list means "not
 * relevant to this task".
 */
export type CategoryMap = Readonly<Record<string, readonly string[]>>;
