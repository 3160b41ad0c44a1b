import { createGateway, type GatewayOptions } from '../gateway/app.js';
import { parseGatewayConfig } from '../gateway/config.js';
import type { Policy, PolicyInput } from '../policy.js';

export interface GuardedFetchOptions extends Omit<GatewayOptions, 'fetch' | 'forwardAuthorization'> {
  /** The policy (default: the default policy). */
  policy?: PolicyInput | Policy;
  /** The real fetch the upstream calls use (default global fetch). */
  fetch?: typeof fetch;
}

/**
 * A `fetch` for the OpenAI SDK (or anything that speaks its protocol) that runs every chat/completions
 * call through the guard in process — the gateway's logic without a server:
 *
 * ```ts
 * const openai = new OpenAI({ fetch: guardedFetch({ policy }) });
 * ```
 *
 * Requests to `…/chat/completions`, `…/completions` and `…/responses` are checked and rewritten, answers
 * checked (streamed ones chunk by chunk, nothing unchecked released); other calls pass through unchanged (the
 * app chooses them; the gateway's `passthrough` rule is for clients it does not control). The client's own
 * API key is forwarded.
 */
export function guardedFetch(options: GuardedFetchOptions = {}): typeof fetch {
  const realFetch = options.fetch ?? fetch;
  const gateways = new Map<string, ReturnType<typeof createGateway>>();
  const gatewayFor = (base: string) => {
    let g = gateways.get(base);
    if (!g) {
      g = createGateway(parseGatewayConfig({ upstream: { baseUrl: base }, policy: options.policy }), {
        ...options,
        fetch: realFetch,
        forwardAuthorization: true,
      });
      gateways.set(base, g);
    }
    return g;
  };
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const m = /^(.*?)(\/chat\/completions|\/completions|\/responses)$/.exec(url.pathname);
    if (!m || request.method !== 'POST') return realFetch(request);
    const base = `${url.origin}${m[1]}`;
    const local = new Request(`http://lifeguard.local/v1${m[2]}${url.search}`, request);
    return gatewayFor(base).app.fetch(local);
  };
}
