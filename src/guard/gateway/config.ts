import { z } from 'zod';
import { parseWithSchema, readYamlFile } from '../../core/config.js';
import { LifeguardError } from '../../core/errors.js';
import { PolicySchema } from '../policy.js';

const RateLimitSchema = z
  .object({
    /** Requests per minute (token bucket refilled continuously). */
    rpm: z.number().positive(),
    /**
     * Bucket size: how many requests may arrive at once (default: rpm / 6, at least 1). Below 1 the bucket
     * could never hold a whole request: every one would be refused.
     */
    burst: z.number().min(1).optional(),
  })
  .strict();

/**
 * Routes under `/v1` that pass to the upstream unchecked by default: none of them returns text a model
 * generated for the request. (`/v1/files` can hold a batch's output; the batches route itself is refused.)
 */
export const DEFAULT_PASSTHROUGH = [
  '/v1/embeddings',
  '/v1/moderations',
  '/v1/files',
  '/v1/uploads',
  '/v1/vector_stores',
  '/v1/fine_tuning',
  '/v1/rerank',
  '/v1/score',
  '/v1/tokenize',
  '/v1/detokenize',
];

/** `lifeguard guard serve --config FILE`: the gateway, its upstream, keys and policies. */
export const GatewayConfigSchema = z
  .object({
    upstream: z
      .object({
        /** OpenAI-compatible base URL including `/v1`, e.g. `http://127.0.0.1:8000/v1`. */
        baseUrl: z.string().url().optional(),
        /** Environment variable holding the upstream API key (default `LIFEGUARD_UPSTREAM_API_KEY`). */
        apiKeyEnv: z.string().default('LIFEGUARD_UPSTREAM_API_KEY'),
        /**
         * Milliseconds the upstream may take: a whole non-streamed answer; for a streamed one, the wait for its
         * response headers and then each gap between chunks (an idle timeout, not a cap on the generation).
         */
        timeoutMs: z.number().int().positive().default(120_000),
        /**
         * Largest upstream answer accepted (bytes, the body as received): a larger non-streamed answer is
         * refused with 502 `upstream_response_too_large` unchecked, a streamed one stopped with an error event.
         */
        maxResponseBytes: z
          .number()
          .int()
          .positive()
          .default(8 * 1024 * 1024),
      })
      .strict()
      .default({ apiKeyEnv: 'LIFEGUARD_UPSTREAM_API_KEY', timeoutMs: 120_000, maxResponseBytes: 8 * 1024 * 1024 }),
    server: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8787),
        /** Largest request body accepted (bytes). */
        maxBodyBytes: z
          .number()
          .int()
          .positive()
          .default(2 * 1024 * 1024),
        /** Environment variable holding the admin key for the dashboard and admin APIs. */
        adminKeyEnv: z.string().default('LIFEGUARD_ADMIN_KEY'),
        /**
         * Processes serving requests (`lifeguard guard serve`; node:cluster): 1 = one process, as a library
         * call runs; `auto` = one per available core. With several, the primary process owns the audit log.
         */
        workers: z.union([z.number().int().min(1).max(256), z.literal('auto')]).default(1),
      })
      .strict()
      .default({
        host: '127.0.0.1',
        port: 8787,
        maxBodyBytes: 2 * 1024 * 1024,
        adminKeyEnv: 'LIFEGUARD_ADMIN_KEY',
        workers: 1,
      }),
    /** The policy for requests no key or route names another for. */
    policy: PolicySchema.optional(),
    /** Named policies for keys and routes. */
    policies: z.record(z.string(), PolicySchema).default({}),
    /** Route (path prefix) → policy name. */
    routes: z.array(z.object({ path: z.string(), policy: z.string() }).strict()).default([]),
    /**
     * Client API keys, stored as SHA-256 hex digests (`lifeguard guard hash-key KEY`). When any is listed,
     * requests without a known key are refused.
     */
    keys: z
      .array(
        z
          .object({
            id: z.string(),
            sha256: z.string().regex(/^[0-9a-f]{64}$/),
            policy: z.string().optional(),
            rateLimit: RateLimitSchema.optional(),
          })
          .strict(),
      )
      .default([]),
    /**
     * Path prefixes under `/v1` the gateway forwards unchecked (its own routes — chat and text completions,
     * responses, models — are always checked). Anything else is refused with 403 `unguarded_route`, because it
     * may return model output the guard never saw: assistants and threads, batches, images, audio, stored
     * completions and responses (`GET /v1/responses/{id}`). `["*"]` forwards everything.
     */
    passthrough: z
      .array(
        // A prefix, not a pattern: `/v1/*` or `/v1/files/*` matched nothing (only `"*"` alone is a wildcard), and
        // whitespace never appears in a request path.
        z.string().regex(/^(\*|\/v1\/[^*\s]+)$/, 'a path prefix under /v1/ (no wildcards, no spaces), or "*" alone'),
      )
      .default(DEFAULT_PASSTHROUGH),
    /**
     * The Responses API's stored conversations: the PII vault of each response is kept (in memory, per
     * process) so that a turn continuing it with `previous_response_id` gets its placeholders restored.
     */
    responses: z
      .object({
        sessionTtlSeconds: z.number().positive().default(3600),
        maxSessions: z.number().int().positive().default(10_000),
      })
      .strict()
      .default({ sessionTtlSeconds: 3600, maxSessions: 10_000 }),
    /** Rate limit per client key (or per remote address without keys). */
    rateLimit: RateLimitSchema.optional(),
    audit: z
      .object({
        enabled: z.boolean().default(true),
        /** SQLite file (default `lifeguard-audit.db`); PostgreSQL when `DATABASE_URL` is set. */
        sqlitePath: z.string().optional(),
        retentionDays: z.number().positive().optional(),
        /**
         * Decisions are written in batches, one transaction (one fsync) each, at most this many ms after they
         * were made; a clean shutdown writes everything first.
         */
        batchMs: z.number().min(0).max(1000).default(25),
      })
      .strict()
      .default({ enabled: true, batchMs: 25 }),
  })
  .strict();
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;

export function parseGatewayConfig(input: unknown, origin = 'gateway config'): GatewayConfig {
  const cfg = parseWithSchema(GatewayConfigSchema, input ?? {}, origin);
  const names = new Set(Object.keys(cfg.policies));
  // `default` always means the top-level `policy`: a named one of that name would be silently ignored.
  if (names.has('default'))
    throw new LifeguardError(
      'LG_ERR_CONFIG_INVALID',
      `${origin}: policies.default would never be used; put the default policy under \`policy\` or rename it`,
    );
  refuseDuplicateKeys(cfg.keys, origin);
  for (const k of cfg.keys) {
    if (k.policy && !names.has(k.policy))
      throw new LifeguardError('LG_ERR_CONFIG_INVALID', `${origin}: key ${k.id}: unknown policy "${k.policy}"`);
  }
  for (const r of cfg.routes) {
    if (!names.has(r.policy))
      throw new LifeguardError('LG_ERR_CONFIG_INVALID', `${origin}: route ${r.path}: unknown policy "${r.policy}"`);
  }
  return cfg;
}

/**
 * Two entries for one key digest would leave only the last one's policy and limit in force, silently; two
 * entries with one id would share a rate limit and be told apart nowhere (metrics, audit log).
 */
function refuseDuplicateKeys(keys: readonly { id: string; sha256: string }[], origin: string): void {
  const ids = new Set<string>();
  const digests = new Set<string>();
  for (const k of keys) {
    if (digests.has(k.sha256))
      throw new LifeguardError('LG_ERR_CONFIG_INVALID', `${origin}: key ${k.id}: the same key is listed twice`);
    if (ids.has(k.id))
      throw new LifeguardError('LG_ERR_CONFIG_INVALID', `${origin}: key id "${k.id}" is used by two keys`);
    digests.add(k.sha256);
    ids.add(k.id);
  }
}

export function loadGatewayConfig(path: string): GatewayConfig {
  return parseGatewayConfig(readYamlFile(path), path);
}

export function gatewayConfigJsonSchema(): unknown {
  return z.toJSONSchema(GatewayConfigSchema, { io: 'input' });
}
