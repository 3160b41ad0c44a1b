/**
 * Lifeguard's library surface. Apps that only need one stage can import a subpath instead
 * (`lifeguard/core`, `lifeguard/detect`), which loads less.
 */
export * from './core/index.js';
export * from './detect/index.js';
export {
  CLASSIFIER_TASKS,
  type Classifier,
  type ClassifierTask,
  type ClassifyOptions,
  type ClassifyResult,
  type LocalClassifier,
  loadLocalClassifier,
} from './models/classify/index.js';
export { loadTagger, tagPii } from './models/tagger/index.js';

import { loadLocalClassifier as loadClassifierForTask } from './models/classify/local.js';
import type { ClassifyOptions, ClassifyResult as Result, ClassifierTask as Task } from './models/classify/types.js';

/** The one-call classifier API: `classify('injection', text)` scores with the shipped model. */
export function classify(
  task: Task,
  text: string,
  options: Pick<ClassifyOptions, 'threshold' | 'window' | 'sentences'> = {},
): Result {
  return loadClassifierForTask(task).classifySync(text, options);
}

import type { Finding } from './core/finding.js';
import { type ScanOptions, scanText } from './core/scan.js';
import { createDefaultRegistry, DEFAULT_DETECTOR_IDS } from './detect/index.js';

/**
 * The one-call API: `detect(text)` runs the default detectors (pii, secrets);
 * `detect(text, { detectors: ['secrets'], minScore: 0.5 })` picks them by id.
 */
export function detect(
  text: string,
  options: Omit<ScanOptions, 'detectors'> & { detectors?: readonly string[] } = {},
): Finding[] {
  const detectors = createDefaultRegistry().resolve(options.detectors ?? DEFAULT_DETECTOR_IDS);
  return scanText(text, { ...options, detectors });
}
