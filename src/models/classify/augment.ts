import { mulberry32 } from '../../core/random.js';
import { getConverter } from '../../redteam/converters/index.js';
import type { LabelledText } from './sources.js';

/**
 * Obfuscated copies of a share of the training positives (the red-team converters): normalisation
 * undoes most tricks, but the model should also see what it leaves behind (split words, wrapped payloads).
 */
export function augmentPositives(
  items: readonly LabelledText[],
  plan: readonly { converter: string; rate: number }[],
  seed: number,
): LabelledText[] {
  const out: LabelledText[] = [];
  const rand = mulberry32(seed ^ 0xa5a5a5);
  for (const step of plan) {
    const conv = getConverter(step.converter);
    for (const it of items) {
      if (!it.label || rand() >= step.rate) continue;
      out.push({ ...it, text: conv.apply(it.text, rand), source: `${it.source}+${conv.id}` });
    }
  }
  return out;
}
