import type { RiskId } from './taxonomy.js';

/** How the text that a finding was found in relates to the original input. */
export type ViewKind = 'canonical' | 'despaced' | 'decoded';

/**
 * One thing a detector found. Offsets are JavaScript string indices (UTF-16 code units) into the
 * original, un-normalised input, whatever view the detector actually read.
 */
export interface Finding {
  /** Detector id, e.g. `pii` or `secrets`. */
  detector: string;
  /** Entity or rule type, e.g. `EMAIL_ADDRESS`, `GITHUB_TOKEN`. */
  type: string;
  start: number;
  end: number;
  /** Calibrated confidence in [0, 1]. */
  score: number;
  /** Taxonomy risk id. */
  risk: RiskId;
  /** The precise rule or recogniser that fired, e.g. `secrets.github-pat` or `pii.tagger`. */
  rule?: string;
  /** Set when the match was only visible after normalisation (`despaced`) or decoding (`decoded:base64`). */
  via?: string;
}

/** A match as a detector reports it: offsets into the text it was given. The engine maps them back. */
export type Match = Omit<Finding, 'detector' | 'risk' | 'via'> & { risk?: RiskId };

/** What a policy decided about a text, the shared currency of the guard, the data stage and judges. */
export interface Verdict {
  action: 'allow' | 'block' | 'redact' | 'warn';
  findings: Finding[];
  reasons: string[];
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.start - b.start || b.end - a.end || a.type.localeCompare(b.type);
}
