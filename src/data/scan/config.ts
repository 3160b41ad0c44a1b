import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { LifeguardError } from '../../core/errors.js';

/** What happens to a record with a finding of some type. Several findings: quarantine > redact > keep. */
export type FindingAction = 'keep' | 'redact' | 'quarantine';

/**
 * Entity types kept by default: useful context in training text (dates, places, organisations) that
 * identifies no one on its own. Everything else (names, contact data, ids, cards, secrets) is redacted.
 */
export const DEFAULT_KEEP_TYPES = [
  'DATE_TIME',
  'LOCATION',
  'ORGANIZATION',
  'NRP',
  'TITLE',
  'AGE',
  'ZIP_CODE',
  'URL',
  'DOMAIN_NAME',
] as const;

/**
 * Whole-record judgements from the classifiers: redacting a window of a toxic or poisoned record
 * would leave a broken record, so these go to quarantine unless configured otherwise.
 */
export const DEFAULT_QUARANTINE_TYPES = ['PROMPT_INJECTION', 'HARMFUL_REQUEST', 'TOXICITY'] as const;

const action = z.enum(['keep', 'redact', 'quarantine']);

/** The `lifeguard data scan` settings, as read from YAML (`--config`) and overridden by flags. */
export const ScanConfigSchema = z
  .object({
    /** Detector ids from the registry. */
    detectors: z.array(z.string().min(1)).default(['pii', 'secrets']),
    /** Patterns and validators only: skip the PII sequence tagger. */
    fast: z.boolean().default(false),
    /** Also scan decoded (base64/hex/URL) segments and de-spaced runs. */
    decode: z.boolean().default(true),
    minScore: z.number().min(0).max(1).optional(),
    thresholds: z.record(z.string(), z.number().min(0).max(1)).optional(),
    /** Field (dot path) with the text of plain-text records. */
    textField: z.string().min(1).default('text'),
    /** Field with the label of classification records (poisoning analysis). */
    labelField: z.string().min(1).default('label'),
    /** Action per entity type; `default` covers the rest. */
    actions: z.record(z.string(), action).default({}),
    redact: z
      .object({
        /** A `lifeguard redact` operator, or `TYPE=operator` pairs (e.g. `default=replace,PERSON=pseudonym`). */
        operator: z.string().min(1).default('replace'),
        /** Environment variable with the key for `hash` and `pseudonym`. */
        keyEnv: z.string().min(1).default('LIFEGUARD_REDACT_KEY'),
      })
      .prefault({}),
    quality: z
      .object({
        enabled: z.boolean().default(true),
        /** `quarantine` drops failing records; `keep` only counts them. */
        action: z.enum(['keep', 'quarantine']).default('quarantine'),
        /** Options of `checkQuality` (preset and per-rule thresholds). */
        options: z.record(z.string(), z.unknown()).default({}),
      })
      .prefault({}),
    dedup: z
      .object({
        enabled: z.boolean().default(true),
        /** Also find near-duplicates (MinHash + LSH); exact duplicates are always found when enabled. */
        near: z.boolean().default(true),
        action: z.enum(['keep', 'quarantine']).default('quarantine'),
        shingle: z.number().int().min(1).max(64).optional(),
        bands: z.number().int().min(1).max(256).optional(),
        rows: z.number().int().min(1).max(64).optional(),
        threshold: z.number().min(0).max(1).optional(),
        seed: z.number().int().optional(),
        /** Prompt words kept per multi-part record (0: near duplicates ignore prompts). */
        promptWords: z.number().int().min(0).max(255).optional(),
        /** Prompts of near duplicates differ in at most max(3, promptDiff × their size) words. */
        promptDiff: z.number().min(0).max(1).optional(),
      })
      .prefault({}),
    poisoning: z
      .object({
        /** `auto`: run when records carry a response, answer or label. */
        enabled: z.union([z.boolean(), z.literal('auto')]).default('auto'),
        /** Quarantine records flagged by a suspected trigger or a high-severity check. */
        quarantine: z.boolean().default(false),
        /** Options of the trigger miner (minimum support, score threshold, …). */
        options: z.record(z.string(), z.unknown()).default({}),
      })
      .prefault({}),
    /** Worker threads (default: all cores); 0 runs everything on the main thread. */
    workers: z.number().int().min(0).max(256).optional(),
    /** Records per task sent to a worker. */
    batchRecords: z.number().int().min(1).max(100_000).default(200),
    /** A checkpoint (and output segment) every this many input records… */
    checkpointRecords: z.number().int().min(100).default(50_000),
    /** …or this many input bytes, whichever comes first. */
    checkpointBytes: z
      .number()
      .int()
      .min(4096)
      .default(32 * 1024 * 1024),
    /**
     * Longest accepted line, row or text file (bytes); longer ones are quarantined as malformed. At most
     * 256 MiB: a line past V8's longest string (512 Mi characters) cannot even be decoded, and it failed the
     * whole scan (again on every --resume) instead of being quarantined.
     */
    maxRecordBytes: z
      .number()
      .int()
      .min(1024)
      .max(256 * 1024 * 1024)
      .default(64 * 1024 * 1024),
  })
  .strict();

export type ScanConfigInput = z.input<typeof ScanConfigSchema>;
export type ScanConfig = z.output<typeof ScanConfigSchema> & { workers: number };

/** Validates a config object (from YAML and flags) and fills in the defaults. */
export function resolveScanConfig(input: unknown = {}): ScanConfig {
  const parsed = ScanConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new LifeguardError('LG_ERR_CONFIG_INVALID', `invalid data scan config: ${issues}`);
  }
  const cfg = parsed.data;
  return { ...cfg, workers: cfg.workers ?? availableParallelism() };
}

/** The action for one entity type under a config (exact type, then `default`, then the built-in defaults). */
export function actionFor(actions: Readonly<Record<string, FindingAction>>, type: string): FindingAction {
  const explicit = actions[type];
  if (explicit) return explicit;
  // Context types stay kept unless named: a `default` meant for identifiers should not drop every dated record.
  if ((DEFAULT_KEEP_TYPES as readonly string[]).includes(type)) return 'keep';
  if ((DEFAULT_QUARANTINE_TYPES as readonly string[]).includes(type)) return 'quarantine';
  if (type === 'REFUSAL') return 'keep';
  return actions.default ?? 'redact';
}

/** JSON Schema of the config file, for editors and other tools. */
export function scanConfigJsonSchema(): unknown {
  return z.toJSONSchema(ScanConfigSchema, { io: 'input' });
}
