// placeholder — replaced by the lead shortly; signature is the contract.
import type { Detector, DetectOptions } from './detector.js';
import type { Finding } from './finding.js';

export interface ScanOptions extends DetectOptions {
  detectors: readonly Detector[];
  /** Drop findings below this score (default 0). */
  minScore?: number;
  /** Per-type thresholds that override minScore, e.g. `{ PERSON: 0.7 }`. */
  thresholds?: Readonly<Record<string, number>>;
  /** Also scan base64 / hex / URL-encoded segments after decoding them (default true). */
  decode?: boolean;
}

export declare function scanText(text: string, options: ScanOptions): Finding[];
