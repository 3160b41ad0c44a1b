import { DetectorRegistry } from '../core/detector.js';
import { harmfulDetector, injectionDetector, refusalDetector, toxicityDetector } from './classifiers.js';
import { piiDetector } from './pii/index.js';
import { secretsDetector } from './secrets/index.js';

export {
  classifierDetector,
  harmfulDetector,
  injectionDetector,
  refusalDetector,
  toxicityDetector,
} from './classifiers.js';
export { piiDetector } from './pii/index.js';
export { secretsDetector } from './secrets/index.js';

/** The detectors that ship with Lifeguard, by id. */
export const BUILTIN_DETECTORS = [
  piiDetector,
  secretsDetector,
  injectionDetector,
  harmfulDetector,
  toxicityDetector,
  refusalDetector,
] as const;

/** A fresh registry holding the built-in detectors; register your own on it. */
export function createDefaultRegistry(): DetectorRegistry {
  return new DetectorRegistry(BUILTIN_DETECTORS);
}

/** Detectors `lifeguard detect` runs when none are named. */
export const DEFAULT_DETECTOR_IDS = ['pii', 'secrets'];
