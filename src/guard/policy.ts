import { z } from 'zod';
import { parseWithSchema, readYamlFile } from '../core/config.js';
import { LifeguardError } from '../core/errors.js';
import { MLCOMMONS_HAZARDS } from '../core/taxonomy.js';
import { BUILTIN_DETECTORS } from '../detect/index.js';
import { CLASSIFIER_TASKS, TOXICITY_CATEGORIES } from '../models/classify/types.js';

/**
 * What a check does when it fires. `block` refuses the request (or stops the answer); `redact` and
 * `pseudonymise` rewrite the text (pseudonymise is reversible: placeholders are restored in the answer);
 * `warn` tags the decision and lets the text through; `log` only records it.
 */
export const GUARD_ACTIONS = ['block', 'redact', 'pseudonymise', 'warn', 'log'] as const;
export type GuardAction = (typeof GUARD_ACTIONS)[number];

/** Where in a request/response a check runs. */
export const GUARD_STAGES = ['input', 'context', 'output', 'tool'] as const;
export type GuardStage = (typeof GUARD_STAGES)[number];

const action = z.enum(GUARD_ACTIONS);

/** An external model a check can consult (see docs/classifier-backends.md). */
export const BackendSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('llama-guard'),
      baseUrl: z.string().url(),
      model: z.string(),
      apiKeyEnv: z.string().optional(),
      timeoutMs: z.number().int().positive().optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('openai-moderation'),
      baseUrl: z.string().url(),
      model: z.string().optional(),
      apiKeyEnv: z.string().optional(),
      timeoutMs: z.number().int().positive().optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('text-classification'),
      baseUrl: z.string().url(),
      positiveLabels: z.array(z.string()).min(1),
      apiKeyEnv: z.string().optional(),
      timeoutMs: z.number().int().positive().optional(),
    })
    .strict(),
]);
export type BackendConfig = z.infer<typeof BackendSchema>;

/** One check of one stage. */
export const CheckSchema = z
  .object({
    /**
     * What runs: a detector or classifier id (`injection`, `harmful`, `toxicity`, `pii`, `secrets`), a list
     * id from `lists`, or a backend name from `backends`.
     */
    check: z.string().min(1),
    action,
    /** Score at or above which a classifier check fires (default: the model's operating point). */
    threshold: z.number().min(0).max(1).optional(),
    /**
     * Window of a local classifier, in characters (default: the model's own, 1,024 for `harmful`). Smaller windows
     * find a short harmful passage inside a long answer more often, and flag more benign text too.
     */
    window: z.number().int().min(128).max(1_000_000).optional(),
    /**
     * Local classifiers trained to (`harmful`): also read each sentence of a short text on its own, which
     * catches a request behind a wrapper ("Answer in French, as a poem: …"). Default: on for input, context
     * and tool stages, off for output (answers' sentences read alone flag twice as many safe answers).
     */
    sentences: z.boolean().optional(),
    /** Per-category (hazard code, toxicity kind, entity type) actions that override `action`. */
    categories: z.record(z.string(), action).optional(),
    /** Only these entity types (detectors such as `pii`). */
    entities: z.array(z.string()).optional(),
    /** Ask this backend when the local score falls in `uncertain` (a cascade), or always when `uncertain` is absent. */
    backend: z.string().optional(),
    uncertain: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]).optional(),
    timeoutMs: z.number().int().positive().optional(),
    /** On error or timeout: `fail-closed` treats the check as fired, `fail-open` as passed (and says so). */
    onError: z.enum(['fail-open', 'fail-closed']).optional(),
    /** Evaluate and record, never enforce. */
    shadow: z.boolean().default(false),
  })
  .strict();
export type CheckConfig = z.infer<typeof CheckSchema>;

/** A custom category: terms (matched whole-word, case- and Unicode-insensitive) with its own id. */
export const ListSchema = z
  .object({
    terms: z.array(z.string().min(1)).min(1),
    description: z.string().optional(),
  })
  .strict();

export const PolicySchema = z
  .object({
    version: z.literal(1).default(1),
    name: z.string().default('default'),
    /** The refusal a blocked request gets (as the assistant's answer). */
    refusal: z.string().default("I can't help with that request."),
    /** The message that ends an answer stopped mid-stream. */
    stoppedMessage: z.string().default('[response stopped by policy]'),
    input: z.array(CheckSchema).default([]),
    context: z.array(CheckSchema).default([]),
    output: z.array(CheckSchema).default([]),
    tool: z.array(CheckSchema).default([]),
    /** Custom categories and deny lists, referenced by id from checks. */
    lists: z.record(z.string(), ListSchema).default({}),
    /** Terms that never count as findings (e.g. your own product names caught as PERSON). */
    allow: z.array(z.string()).default([]),
    /**
     * Per-tool rules, by tool name (`'*'`: every tool): `deny: true` blocks calls to the tool; `denyArgs` blocks
     * calls whose arguments contain one of the strings; `untrustedDestinations` acts on a call whose arguments
     * name a destination (e-mail address, web address or domain, bank account, phone number, crypto wallet)
     * that no user or system message of the conversation named: where an injection planted in a tool result
     * sends things.
     */
    tools: z
      .record(
        z.string(),
        z
          .object({
            deny: z.boolean().default(false),
            /** Non-empty: an empty string is in every call's arguments (it blocked every call; use `deny: true`). */
            denyArgs: z.array(z.string().min(1)).default([]),
            untrustedDestinations: z.enum(['block', 'warn', 'log']).optional(),
          })
          .strict(),
      )
      .default({}),
    backends: z.record(z.string(), BackendSchema).default({}),
    /** Defaults for every check. */
    timeoutMs: z.number().int().positive().default(200),
    onError: z.enum(['fail-open', 'fail-closed']).default('fail-closed'),
    /** Latency budget of the streaming hold-back, in characters released per check. */
    stream: z
      .object({
        /** Hold back at least this many characters before releasing (a phrase is checked whole). */
        holdChars: z.number().int().min(0).default(64),
        /** Check at most every this many new characters (bigger = less CPU, more latency). */
        checkEveryChars: z.number().int().min(1).default(160),
        /**
         * Release nothing more while a blocking classifier's score is at or above this share of its threshold:
         * an answer that turns harmful is held until its score decides (block, or fall back), instead of being
         * released until the score crosses. 0 turns it off; 1 holds only what already fired.
         */
        holdAbove: z.number().min(0).max(1).default(0.15),
      })
      .strict()
      .default({ holdChars: 64, checkEveryChars: 160, holdAbove: 0.15 }),
    /**
     * Output stage, AI SDK middleware and gateway: answer parts the checks cannot read as text (binary files:
     * images, audio, PDFs) while the output stage enforces anything. `withhold` drops them, with a visible mark
     * (a warning on the result, the gateway's `x-lifeguard-withheld` header or `lifeguard.withheld` field) and a
     * `binaryParts` decision; `allow` passes them on unchanged and unchecked.
     */
    binaryParts: z.enum(['withhold', 'allow']).default('withhold'),
    /** Record and report, never enforce (the whole policy in shadow mode). */
    shadow: z.boolean().default(false),
  })
  .strict();
export type Policy = z.infer<typeof PolicySchema>;
export type PolicyInput = z.input<typeof PolicySchema>;

/**
 * Whether answer parts the checks cannot read (binary files, images, audio without a transcript) are withheld:
 * the output stage enforces something (a check or category that blocks, redacts or pseudonymises, outside shadow
 * mode) and `binaryParts` is not `allow`. The AI SDK middleware and the gateway both ask this.
 */
export function withholdsBinaryParts(policy: Policy): boolean {
  if (policy.shadow || policy.binaryParts === 'allow') return false;
  // A check in shadow mode records and never enforces: it does not make the stage enforce anything.
  return policy.output.some(
    (c) => !c.shadow && [c.action, ...Object.values(c.categories ?? {})].some((a) => a !== 'warn' && a !== 'log'),
  );
}

/**
 * The policy `lifeguard guard serve` runs without a config: block injection, jailbreak and harmful
 * requests; pseudonymise PII in input (restored in the answer); block harmful output; redact secrets, and
 * PII the user did not supply, in output.
 */
export const DEFAULT_POLICY: PolicyInput = {
  name: 'default',
  input: [
    { check: 'injection', action: 'block' },
    { check: 'harmful', action: 'block' },
    { check: 'secrets', action: 'redact' },
    { check: 'pii', action: 'pseudonymise' },
  ],
  context: [{ check: 'injection', action: 'block' }],
  output: [
    { check: 'harmful', action: 'block' },
    { check: 'secrets', action: 'redact' },
    { check: 'pii', action: 'redact' },
  ],
  tool: [
    { check: 'secrets', action: 'block' },
    { check: 'pii', action: 'warn' },
  ],
};

/** Hazard codes (MLCommons S1–S14) and toxicity kinds a classifier check's `categories` may name. */
const CLASSIFIER_CATEGORIES: Record<string, readonly string[]> = {
  harmful: Object.keys(MLCOMMONS_HAZARDS),
  toxicity: TOXICITY_CATEGORIES,
  injection: [],
  refusal: [],
};

/**
 * `record[key]` when the record itself holds it. Tool names, check names and backend names come from models and
 * configs: a plain lookup of `toString` or `constructor` found Object.prototype's functions (a tool call named
 * `constructor` crashed the tool check; a check named `toString` passed validation as a backend).
 */
export function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export function parsePolicy(input: unknown, origin = 'policy'): Policy {
  const p = parseWithSchema(PolicySchema, input ?? {}, origin);
  checkNames(p, origin);
  for (const stage of GUARD_STAGES) {
    for (const [i, c] of p[stage].entries()) {
      checkCheck(p, c, stage, `${origin}: ${stage}[${i}] (check ${c.check})`);
    }
  }
  return p;
}

/**
 * A check names a classifier, a detector, a list or a backend; the engine looks them up in that order for
 * classifiers, and backend, list, detector otherwise. A list or backend named like a built-in check (`pii`)
 * silently replaced it (validation read the built-in's entity types, the engine ran the list), and two lists whose
 * ids fold to one detector id (`Foo`, `foo`) failed only when the guard started, as `detector "list.foo" is
 * already registered`.
 */
function checkNames(p: Policy, origin: string): void {
  const bad = (why: string) => new LifeguardError('LG_ERR_CONFIG_INVALID', `${origin}: ${why}`);
  const builtin = new Set<string>([...CLASSIFIER_TASKS, ...BUILTIN_DETECTORS.map((d) => d.id)]);
  for (const [kind, ids] of [
    ['lists', Object.keys(p.lists)],
    ['backends', Object.keys(p.backends)],
  ] as const) {
    for (const id of ids)
      if (builtin.has(id))
        throw bad(`${kind}.${id}: "${id}" is a built-in check; give the ${kind.slice(0, -1)} another name`);
  }
  for (const id of Object.keys(p.lists))
    if (own(p.backends, id)) throw bad(`lists.${id}: a backend has the same name; a check could name only one of them`);
  const folded = new Map<string, string>();
  for (const id of Object.keys(p.lists)) {
    const key = id.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
    const other = folded.get(key);
    if (other !== undefined)
      throw bad(`lists.${id}: too like lists.${other} (list ids are compared ignoring case and punctuation)`);
    folded.set(key, id);
  }
}

/**
 * What the schema cannot see: a check, entity type or category that does not exist, or a setting the check
 * ignores. Each would load and silently check less than the policy says (an `entities` list with a typo
 * turned pseudonymisation off for the types it misspelled).
 */
function checkCheck(p: Policy, c: CheckConfig, stage: GuardStage, where: string): void {
  const bad = (why: string) => new LifeguardError('LG_ERR_CONFIG_INVALID', `${where}: ${why}`);
  if (c.backend && !own(p.backends, c.backend)) throw bad(`unknown backend "${c.backend}"`);
  const classifier = (CLASSIFIER_TASKS as readonly string[]).includes(c.check);
  // The classifiers are detectors in the registry too; as checks they report categories, not entity types.
  const detector = classifier ? undefined : BUILTIN_DETECTORS.find((d) => d.id === c.check);
  const backend = own(p.backends, c.check);
  const list = own(p.lists, c.check);
  if (!classifier && !detector && !backend && !list) {
    const known = [...CLASSIFIER_TASKS, ...BUILTIN_DETECTORS.map((d) => d.id), ...Object.keys(p.lists)];
    throw bad(`unknown check; use a classifier, a detector, a list or a backend: ${known.join(', ')}`);
  }
  if (c.threshold !== undefined && !classifier && !backend)
    throw bad('`threshold` applies to classifiers and backends; detectors and lists report findings, not a score');
  if ((c.window !== undefined || c.sentences !== undefined) && !classifier)
    throw bad('`window` and `sentences` apply to the local classifiers only');
  if (c.uncertain && c.uncertain[0] > c.uncertain[1]) throw bad('`uncertain` is [low, high] with low ≤ high');
  // Nothing rewrites a tool call's arguments (the call goes out as the model wrote it, or not at all): a
  // `redact` there was reported as done while the tool got the secret.
  if (stage === 'tool') {
    const rewrites = [c.action, ...Object.values(c.categories ?? {})].filter(
      (a) => a === 'redact' || a === 'pseudonymise',
    );
    if (rewrites.length)
      throw bad(
        `\`${rewrites[0]}\` does not apply to tool calls (their arguments are not rewritten); use block, warn or log`,
      );
  }
  // A list reports one entity type, LIST_<ID> (see listDetector).
  const types = detector
    ? detector.entityTypes
    : classifier
      ? (CLASSIFIER_CATEGORIES[c.check] ?? [])
      : list
        ? [`LIST_${c.check.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`]
        : undefined;
  if (c.entities) {
    if (!detector) throw bad('`entities` applies to detectors that report entity types (pii, secrets, …)');
    const unknown = c.entities.filter((e) => !detector.entityTypes.includes(e));
    if (unknown.length)
      throw bad(`unknown entity types ${unknown.join(', ')}; ${c.check} reports ${types?.join(', ')}`);
  }
  // Without a backend (whose labels, e.g. Prompt Guard's JAILBREAK, are its categories), injection and refusal
  // report no categories: the overrides a check named were accepted and never applied.
  if (c.categories && Object.keys(c.categories).length > 0 && types && types.length === 0 && !c.backend)
    throw bad(`\`categories\` does not apply: ${c.check} reports no categories; set \`action\``);
  if (c.categories && types && types.length > 0) {
    const unknown = Object.keys(c.categories).filter((k) => !types.includes(k));
    if (unknown.length) throw bad(`unknown categories ${unknown.join(', ')}; ${c.check} reports ${types.join(', ')}`);
  }
}

export function loadPolicy(path: string): Policy {
  return parsePolicy(readYamlFile(path), path);
}

export function policyJsonSchema(): unknown {
  return z.toJSONSchema(PolicySchema, { io: 'input' });
}
