import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { LifeguardError } from '../../core/errors.js';
import { DEDUP_DEFAULTS, DEDUP_LIMITS } from '../dedup/options.js';

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

/** A whole number in one of the dedup index's ranges (`DEDUP_LIMITS`), so the index never refuses it later. */
const within = ([min, max]: readonly [number, number]) => z.number().int().min(min).max(max);

/** `bands * rows` (defaults filled in) within the index's permutation limit. */
function permutationsWithin(d: { bands?: number; rows?: number }, ctx: z.RefinementCtx): void {
  const bands = d.bands ?? DEDUP_DEFAULTS.bands;
  const rows = d.rows ?? DEDUP_DEFAULTS.rows;
  if (bands * rows > DEDUP_LIMITS.permutations) {
    ctx.addIssue({
      code: 'custom',
      path: ['bands'],
      message: `bands × rows must be at most ${DEDUP_LIMITS.permutations}, got ${bands} × ${rows} = ${bands * rows}`,
    });
  }
}

const count = (min: number) => z.number().int().min(min);
const share = z.number().min(0).max(1);

/**
 * `poisoning.options`: exactly what the pre-pass passes on (`TargetCounter.candidates`, `TriggerMiner` and
 * its `mine`, `finalizePoisoning`, src/data/poison), in the ranges that code can use; an unknown key was
 * silently ignored before. The function options there (`cues`, `redact`) cannot come from a settings file
 * nor cross to the worker threads.
 */
const PoisonOptionsSchema = z
  .object({
    /** Fewest records with one response or label for it to be mined (default max(5, 0.05 % of records)). */
    minSupport: count(1).optional(),
    /** Fewest distinct prompts of such a target, as a share of its records (default 0.1). */
    minDistinctRatio: share.optional(),
    /** Targets mined at most, most frequent first (default 256). */
    maxGroups: count(0).optional(),
    /** Records per target kept for mining (default 20 000; sampled beyond). */
    maxRecordsPerGroup: count(1).optional(),
    /** Budget of the stored records, in UTF-16 units (default 32 M). */
    maxStoredChars: count(1).optional(),
    /** Tokens kept per prompt (default 512); the tokenizer keeps at least 4. */
    maxTokens: count(4).optional(),
    /** Document-frequency sketch width, rounded up to a power of two (default from the input size, ≤ 2^21). */
    sketchWidth: count(16)
      .max(1 << 24)
      .optional(),
    /** Document-frequency sketch rows (default 4). */
    sketchDepth: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(8)]).optional(),
    /** Candidate n-grams scored in full per target (default 256). */
    candidatesPerGroup: count(0).optional(),
    /** Triggers mined (default 50) and reported (default 20) at most. */
    maxTriggers: count(0).optional(),
    /** Mined triggers scoring below this are dropped (default 0.05). */
    minScore: share.optional(),
    /** Triggers scoring below this are not reported (default 0.1). */
    reportScore: share.optional(),
    /** Score from which a trigger's records are flagged (default 0.5). */
    suspectScore: share.optional(),
    /** Repeated responses reported at most (default 10). */
    maxRepeated: count(0).optional(),
  })
  .strict();

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
      .strict()
      .prefault({}),
    quality: z
      .object({
        enabled: z.boolean().default(true),
        /** `quarantine` drops failing records; `keep` only counts them. */
        action: z.enum(['keep', 'quarantine']).default('quarantine'),
        /** Options of `checkQuality` (preset and per-rule thresholds). */
        options: z.record(z.string(), z.unknown()).default({}),
      })
      .strict()
      .prefault({}),
    dedup: z
      .object({
        enabled: z.boolean().default(true),
        /** Also find near-duplicates (MinHash + LSH); exact duplicates are always found when enabled. */
        near: z.boolean().default(true),
        action: z.enum(['keep', 'quarantine']).default('quarantine'),
        shingle: within(DEDUP_LIMITS.shingle).optional(),
        /** LSH bands; `bands × rows` at most 4096. */
        bands: within(DEDUP_LIMITS.bands).optional(),
        rows: within(DEDUP_LIMITS.rows).optional(),
        /** In (0, 1]: at 0 every candidate pair would be a near duplicate. */
        threshold: z.number().gt(0).max(1).optional(),
        /** An unsigned 32-bit integer. */
        seed: within(DEDUP_LIMITS.seed).optional(),
        /** Prompt words kept per multi-part record (0: near duplicates ignore prompts). */
        promptWords: within(DEDUP_LIMITS.promptWords).optional(),
        /** Prompts of near duplicates differ in at most max(3, promptDiff × their size) words. */
        promptDiff: z.number().min(0).max(1).optional(),
      })
      // Every section is strict like the top level: `dedup: { treshold: 0.5 }` was dropped silently.
      .strict()
      .superRefine(permutationsWithin)
      .prefault({}),
    poisoning: z
      .object({
        /** `auto`: run when records carry a response, answer or label. */
        enabled: z.union([z.boolean(), z.literal('auto')]).default('auto'),
        /** Quarantine records flagged by a suspected trigger or a high-severity check. */
        quarantine: z.boolean().default(false),
        /** Options of the trigger miner (minimum support, score thresholds, …). */
        options: PoisonOptionsSchema.default({}),
      })
      .strict()
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
