import { createHash } from 'node:crypto';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { parseWithSchema, readYamlFile } from '../core/config.js';
import { LifeguardError } from '../core/errors.js';
import { AttackSpecSchema, buildAttacks } from './attacks/index.js';
import { chainSteps } from './converters/index.js';
import { GoalSpecSchema } from './goals/index.js';
import { JudgeConfigSchema } from './judges/index.js';
import { requestIdentity, stableJson, TargetSpecSchema } from './targets/index.js';

export const RateLimitSchema = z
  .object({
    requestsPerSecond: z.number().positive().optional().describe('token bucket refill rate for target requests'),
    burst: z.number().int().positive().optional().describe('bucket size (default: one second of requests)'),
    tokensPerMinute: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('reported tokens per minute; dispatch waits while the last minute used more'),
  })
  .strict();

export const RetrySchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(20).default(4).describe('attempts per request, the first included'),
    baseMs: z.number().int().min(0).default(500).describe('backoff base: attempt n waits up to base·2^(n-1)'),
    capMs: z.number().int().min(0).default(30_000).describe('largest backoff (full jitter below it)'),
    maxRetryAfterMs: z.number().int().min(0).default(120_000).describe('a Retry-After longer than this is cut to it'),
  })
  .strict();

export const RunnerSchema = z
  .object({
    concurrency: z.number().int().min(1).max(1024).default(8).describe('items in flight at once'),
    judgeConcurrency: z
      .number()
      .int()
      .min(1)
      .max(1024)
      .optional()
      .describe(
        'answers being judged at once (default: concurrency); judging runs beside the requests, so a slow LLM judge does not hold a request slot',
      ),
    rateLimit: RateLimitSchema.optional(),
    retries: RetrySchema.default(RetrySchema.parse({})),
    seed: z
      .number()
      .int()
      .min(0)
      .max(0xffffffff)
      .default(0)
      .describe('run seed: item keys, attack randomness, sampling seeds'),
    repeats: z.number().int().min(1).max(1000).default(1).describe('episodes per goal × attack (different seeds)'),
    cache: z
      .union([z.boolean(), z.string().min(1)])
      .default(true)
      .describe('response cache: true (.lifeguard/cache/redteam.sqlite), false, or a file path'),
    graceMs: z.number().int().min(0).default(10_000).describe('on Ctrl-C, wait this long for requests in flight'),
    resendUnanswered: z
      .boolean()
      .default(true)
      .describe('on resume, re-send requests a hard kill left sent but unanswered (false: fail those items)'),
  })
  .strict();

export const PricingSchema = z
  .object({
    promptPer1k: z.number().min(0).describe('USD per 1,000 prompt tokens'),
    completionPer1k: z.number().min(0).describe('USD per 1,000 completion tokens'),
  })
  .strict();

export const BudgetSchema = z
  .object({
    requests: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('most target + attacker requests sent (cache hits are free)'),
    tokens: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('most tokens (prompt + completion, as endpoints report them)'),
    costUsd: z.number().positive().optional().describe('most spend, priced with `pricing`'),
    pricing: PricingSchema.optional(),
  })
  .strict()
  .refine((b) => b.costUsd === undefined || b.pricing !== undefined, {
    message: 'costUsd needs pricing: { promptPer1k, completionPer1k }',
    path: ['pricing'],
  });

export const OutputSchema = z
  .object({
    dir: z.string().min(1).default('redteam-run').describe('the run directory (run.sqlite, results.jsonl, reports)'),
    formats: z
      .array(z.enum(['json', 'md', 'html', 'junit']))
      .default(['json', 'md', 'html'])
      .describe('reports written next to results.jsonl'),
  })
  .strict();

export const RedteamConfigSchema = z
  .object({
    target: TargetSpecSchema.describe('the model under test'),
    attacker: TargetSpecSchema.optional().describe('the attacker model for PAIR / TAP / Crescendo'),
    goals: z.array(GoalSpecSchema).min(1).describe('goal sources: built-in sets or your own files'),
    attacks: z.array(AttackSpecSchema).min(1).describe('attack strategies, each tried on every goal'),
    judges: z
      .union([z.literal(false), JudgeConfigSchema])
      .optional()
      .describe('how answers are judged (default: the offline classifiers); false: answers only, no verdicts'),
    runner: RunnerSchema.default(RunnerSchema.parse({})),
    budget: BudgetSchema.default({}),
    output: OutputSchema.default(OutputSchema.parse({})),
    failIf: z.string().min(1).optional().describe('CI gate, e.g. "asr>0.05" (the exit code is 1 when it holds)'),
  })
  .strict();

export type RedteamConfig = z.infer<typeof RedteamConfigSchema>;
export type RedteamConfigInput = z.input<typeof RedteamConfigSchema>;

/** Validates a config object; errors name the path (`runner.concurrency: …`). */
export function parseRedteamConfig(input: unknown, origin = 'redteam config', baseDir?: string): RedteamConfig {
  const config = parseWithSchema(RedteamConfigSchema, input, origin);
  // Build the attacks once now, so an unknown id or an attack that needs a missing attacker is a config
  // error before anything runs, not a failure after the run has started. `baseDir`: the config file's folder,
  // which relative files in attack options (template `file`, many-shot `pool`) are resolved against.
  try {
    buildAttacks(config.attacks, { seed: config.runner.seed, hasAttacker: config.attacker !== undefined, baseDir });
  } catch (e) {
    if (LifeguardError.isInstance(e)) throw new LifeguardError(e.code, `${origin}: attacks: ${e.message}`);
    throw e;
  }
  return config;
}

/**
 * Reads and validates a config file. Relative file paths inside it (replay files, goal files, a cache
 * path, a template `file` or many-shot `pool` file in `attacks`) are resolved against the file's folder;
 * `output.dir` stays relative to the working directory.
 */
export function loadRedteamConfig(path: string): RedteamConfig & { baseDir: string } {
  const baseDir = dirname(resolve(path));
  const config = parseRedteamConfig(readYamlFile(path), path, baseDir);
  return { ...resolvePaths(config, baseDir), baseDir };
}

/** Makes the target's / attacker's file paths absolute against `baseDir`. */
export function resolvePaths(config: RedteamConfig, baseDir: string): RedteamConfig {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const fix = <T extends RedteamConfig['target'] | undefined>(t: T): T => {
    if (t?.type !== 'replay') return t;
    return { ...t, path: Array.isArray(t.path) ? t.path.map(abs) : abs(t.path) } as T;
  };
  const cache = typeof config.runner.cache === 'string' ? abs(config.runner.cache) : config.runner.cache;
  return { ...config, target: fix(config.target), attacker: fix(config.attacker), runner: { ...config.runner, cache } };
}

/** The config's JSON Schema (for editors: `lifeguard redteam init --print-schema`). */
export function redteamConfigJsonSchema(): unknown {
  return z.toJSONSchema(RedteamConfigSchema, { io: 'input', unrepresentable: 'any' });
}

/**
 * Hash of what decides the run's items and answers: target, attacker, goals, attacks, judges, seed and
 * repeats. Concurrency, rate limits, retries, cache, budgets, outputs and the gate are left out, so a
 * run can be resumed with a larger budget or another concurrency without `--force`.
 */
export function configHash(config: RedteamConfig): string {
  const { target, attacker, goals, attacks, judges, runner } = config;
  const strip = (t: RedteamConfig['target'] | undefined) => (t ? requestIdentity(t) : t);
  const payload = stableJson({
    target: strip(target),
    attacker: strip(attacker),
    goals,
    // A converter chain is the same attack however it is spaced ("leetspeak + base64", "leetspeak+base64"):
    // the attack ids are built from the trimmed names, so the hash must not tell them apart either.
    attacks: attacks.map((a) => (typeof a === 'string' ? chainSteps(a).join('+') : a)),
    judges,
    seed: runner.seed,
    repeats: runner.repeats,
  });
  return createHash('sha256').update(payload).digest('hex').slice(0, 16);
}
