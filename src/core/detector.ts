import { LifeguardError } from './errors.js';
import type { Match, ViewKind } from './finding.js';
import type { EncodingKind } from './normalize/decode.js';
import { isRiskId, type RiskId } from './taxonomy.js';

/** Per-call options a detector may honour. */
export interface DetectOptions {
  /** Skip slow model-backed stages (the sequence tagger): patterns and validators only. */
  fast?: boolean;
  /** Only report these entity types (all when absent). */
  entities?: ReadonlySet<string>;
  /** Which view of the input this call reads (set by the scan engine). */
  view?: ViewKind;
  /** A decoded view's encoding (set by the scan engine with `view: 'decoded'`). */
  encoding?: EncodingKind;
}

/**
 * A detector: pure text in, matches out. It sees one view of the input (already normalised) and reports
 * offsets into that view; the scan engine maps them to the original text, so detectors never deal with
 * Unicode tricks or offset bookkeeping themselves.
 */
export interface Detector {
  readonly specificationVersion: 'v1';
  /** Registry id, e.g. `pii`, `secrets`. */
  readonly id: string;
  readonly description: string;
  /** Entity types this detector can emit. */
  readonly entityTypes: readonly string[];
  /** Risk attached to matches that do not set their own. */
  readonly risk: RiskId;
  /** Views worth scanning. Default: all (canonical, de-spaced runs, decoded segments). */
  readonly views?: readonly ViewKind[];
  detect(text: string, options: DetectOptions): Match[];
  /** Model-backed detectors may be asynchronous; the engine prefers this when present. */
  detectAsync?(text: string, options: DetectOptions): Promise<Match[]>;
}

export type DetectorDefinition = Omit<Detector, 'specificationVersion'>;

export function defineDetector(definition: DetectorDefinition): Detector {
  if (!/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/.test(definition.id)) {
    throw new LifeguardError('LG_ERR_CONFIG_INVALID', `detector id "${definition.id}" must be lower-case dotted words`);
  }
  if (!isRiskId(definition.risk)) {
    throw new LifeguardError('LG_ERR_CONFIG_INVALID', `detector ${definition.id}: unknown risk "${definition.risk}"`);
  }
  return { specificationVersion: 'v1', ...definition };
}

/** An explicit registry: unknown ids are errors that list the valid ones. */
export class DetectorRegistry {
  private readonly byId = new Map<string, Detector>();

  constructor(detectors: Iterable<Detector> = []) {
    for (const d of detectors) this.register(d);
  }

  register(detector: Detector): this {
    if (this.byId.has(detector.id)) {
      throw new LifeguardError('LG_ERR_CONFIG_INVALID', `detector "${detector.id}" is already registered`);
    }
    this.byId.set(detector.id, detector);
    return this;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): Detector {
    const d = this.byId.get(id);
    if (!d) {
      throw new LifeguardError(
        'LG_ERR_UNKNOWN_DETECTOR',
        `unknown detector "${id}"; valid detectors: ${this.ids().join(', ')}`,
      );
    }
    return d;
  }

  /** Resolves a comma-separated list such as `pii,secrets`. */
  resolve(ids: string | readonly string[]): Detector[] {
    const list = typeof ids === 'string' ? ids.split(',') : ids;
    return list
      .map((s) => s.trim())
      .filter(Boolean)
      .map((id) => this.get(id));
  }

  ids(): string[] {
    return [...this.byId.keys()].sort();
  }

  all(): Detector[] {
    return [...this.byId.values()];
  }
}
