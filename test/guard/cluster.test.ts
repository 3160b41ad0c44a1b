import { describe, expect, it } from 'vitest';
import { resolveWorkers, scaleRateLimits } from '../../src/guard/gateway/cluster.js';
import { parseGatewayConfig } from '../../src/guard/gateway/config.js';

describe('gateway cluster settings', () => {
  it('resolves a worker count: 1 by default, a number, or one per core', () => {
    expect(resolveWorkers(undefined)).toBe(1);
    expect(resolveWorkers(3)).toBe(3);
    expect(resolveWorkers('auto')).toBeGreaterThanOrEqual(1);
    expect(parseGatewayConfig({}).server.workers).toBe(1);
    expect(parseGatewayConfig({ server: { workers: 'auto' } }).server.workers).toBe('auto');
    expect(() => parseGatewayConfig({ server: { workers: 0 } })).toThrow();
  });

  it('splits rate limits between workers, so a key keeps its budget whatever the count', () => {
    const config = parseGatewayConfig({
      rateLimit: { rpm: 600 },
      policies: { open: { name: 'open' } },
      keys: [{ id: 'a', sha256: 'a'.repeat(64), policy: 'open', rateLimit: { rpm: 60, burst: 10 } }],
    });
    expect(scaleRateLimits(config, 1)).toBe(config);
    const two = scaleRateLimits(config, 2);
    expect(two.rateLimit).toEqual({ rpm: 300, burst: undefined });
    expect(two.keys[0].rateLimit).toEqual({ rpm: 30, burst: 5 });
    expect(config.keys[0].rateLimit).toEqual({ rpm: 60, burst: 10 }); // the original is left alone
  });
});
