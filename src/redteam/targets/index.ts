/**
 * Targets: the model under test (and attacker / judge models) behind an endpoint. One registry: a spec's
 * `type` picks the class. Add a kind by writing a class that implements `Target`, a `…TargetSpecSchema`
 * with a literal `type`, and one case in `createTarget`.
 */
import { createHash } from 'node:crypto';
import { parseWithSchema } from '../../core/config.js';
import type { Target } from '../types.js';
import { HttpTarget } from './http.js';
import { OpenAiTarget } from './openai.js';
import { ReplayTarget } from './replay.js';
import { type TargetSpec, TargetSpecSchema } from './schema.js';

export { isRetryable, parseRetryAfter, retryAfterOf, UpstreamError } from './errors.js';
export { HttpTarget } from './http.js';
export { evalJsonPath, parseJsonPath } from './json-path.js';
export { OpenAiTarget, parseCompletion, parseSse, withSystem } from './openai.js';
export { normalisePrompt, ReplayTarget } from './replay.js';
export {
  type HttpTargetSpec,
  HttpTargetSpecSchema,
  type OpenAiTargetSpec,
  OpenAiTargetSpecSchema,
  type ReplayTargetSpec,
  ReplayTargetSpecSchema,
  SamplingParamsSchema,
  type TargetSpec,
  type TargetSpecInput,
  TargetSpecSchema,
} from './schema.js';
export { closeTargetConnections } from './transport.js';

/** The target kinds `type` may name. */
export const TARGET_TYPES = ['openai', 'http', 'replay'] as const;

/** Builds a target from a spec (validated here, so raw config objects are fine). */
export function createTarget(spec: unknown, origin = 'target'): Target {
  const s = parseWithSchema(TargetSpecSchema, spec, origin);
  switch (s.type) {
    case 'openai':
      return new OpenAiTarget(s);
    case 'http':
      return new HttpTarget(s);
    case 'replay':
      return new ReplayTarget(s);
  }
}

/**
 * What identifies a target's answers for the response cache: the spec without secrets or timeouts,
 * hashed. Two specs that would send the same request to the same place get the same fingerprint.
 */
export function targetFingerprint(spec: TargetSpec): string {
  return createHash('sha256')
    .update(stableJson(requestIdentity(spec)))
    .digest('hex')
    .slice(0, 32);
}

/**
 * A target spec without what does not change its answers: the API key (a secret, never hashed) and the
 * timeouts. What the response cache and the run's config hash both key on.
 */
export function requestIdentity<T extends object>(spec: T): Omit<T, 'apiKey' | 'timeoutMs' | 'deadlineMs'> {
  const {
    apiKey: _k,
    timeoutMs: _t,
    deadlineMs: _d,
    ...rest
  } = spec as T & { apiKey?: string; timeoutMs?: number; deadlineMs?: number };
  return rest;
}

/** JSON with object keys sorted, so equal values hash equally. */
export function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  const keys = Object.keys(v as object)
    .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
}
