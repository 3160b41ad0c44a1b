import { type Detector, defineDetector } from '../core/detector.js';
import type { Match } from '../core/finding.js';
import type { HazardCode, RiskId } from '../core/taxonomy.js';
import { type LinearClassifier, loadLocalClassifier } from '../models/classify/local.js';
import type { ClassifierTask } from '../models/classify/types.js';

/** Finding type and default risk each classifier reports. */
const TYPES: Record<ClassifierTask, { type: string; risk: RiskId; description: string }> = {
  injection: {
    type: 'PROMPT_INJECTION',
    risk: 'security.prompt-injection',
    description: 'prompt injection and jailbreak attempts (our trained classifier; the span is the worst window)',
  },
  harmful: {
    type: 'HARMFUL_REQUEST',
    risk: 'content.harmful',
    description: 'requests for harmful content, with MLCommons hazard categories (our trained classifier)',
  },
  toxicity: {
    type: 'TOXICITY',
    risk: 'content.toxicity',
    description: 'toxic, hateful or harassing text (our trained classifier)',
  },
  refusal: {
    type: 'REFUSAL',
    risk: 'behavior.refusal',
    description: 'a model answer that refuses or partly refuses (our trained classifier)',
  },
};

const HAZARD_RISK: Partial<Record<HazardCode, RiskId>> = {
  S1: 'content.violent-crimes',
  S2: 'content.non-violent-crimes',
  S3: 'content.sex-crimes',
  S4: 'content.child-exploitation',
  S5: 'content.defamation',
  S6: 'content.specialized-advice',
  S7: 'privacy.pii',
  S8: 'content.intellectual-property',
  S9: 'content.weapons',
  S10: 'content.hate',
  S11: 'content.self-harm',
  S12: 'content.sexual',
  S13: 'content.elections',
  S14: 'security.excessive-agency',
};

/** Shorter tag-smuggled texts are not classified on their own (as `decodedPayloads` skips short payloads). */
const MIN_TAG_PAYLOAD = 12;

/**
 * A classifier as a Detector: one finding when the text is over the operating point, spanning the
 * worst window (the whole text when it fits one window). The model loads on first use.
 */
export function classifierDetector(task: ClassifierTask, options: { modelsDir?: string } = {}): Detector {
  const t = TYPES[task];
  let classifier: LinearClassifier | undefined;
  return defineDetector({
    id: task,
    description: t.description,
    entityTypes: [t.type],
    risk: t.risk,
    // Features normalise by themselves (and read decoded payloads); the canonical view is enough, but for text
    // hidden in Unicode tag characters: canonicalisation drops them, so `detect` missed a tag-smuggled injection
    // that `classify` flagged. Other decoded views are skipped: their encoded runs survive in the canonical view.
    views: ['canonical', 'decoded'],
    detect(text, opts): Match[] {
      if (opts.view === 'decoded' && (opts.encoding !== 'unicode-tags' || text.trim().length < MIN_TAG_PAYLOAD))
        return [];
      classifier ??= loadLocalClassifier(task, options);
      const r = classifier.classifySync(text);
      if (!r.label) return [];
      const span = r.span ?? { start: 0, end: text.length };
      const m: Match = { type: t.type, start: span.start, end: span.end, score: r.score, rule: `${task}.${r.source}` };
      const first = r.categories?.[0] as HazardCode | undefined;
      if (task === 'harmful' && first && HAZARD_RISK[first]) m.risk = HAZARD_RISK[first];
      if (task === 'refusal' && r.partial) m.rule = `${m.rule}.partial`;
      return [m];
    },
  });
}

export const injectionDetector = classifierDetector('injection');
export const harmfulDetector = classifierDetector('harmful');
export const toxicityDetector = classifierDetector('toxicity');
export const refusalDetector = classifierDetector('refusal');
