import { describe, expect, it } from 'vitest';
import {
  type CollectedWorker,
  MetricsCollector,
  resolveWorkers,
  scaleRateLimits,
} from '../../src/guard/gateway/cluster.js';
import { parseGatewayConfig } from '../../src/guard/gateway/config.js';
import { GatewayMetrics } from '../../src/guard/gateway/metrics.js';

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

describe('cluster-wide /metrics: the primary sums every worker', () => {
  /** A stand-in worker whose registry counted `n` chat requests; `answer` says whether it replies now. */
  function worker(id: number, n: number, collector: MetricsCollector) {
    const metrics = new GatewayMetrics();
    metrics.requests.inc({ route: 'chat', outcome: '200' }, n);
    const w = {
      id,
      answer: true,
      connected: true,
      isConnected: () => w.connected,
      send: (m: { id: number }) => {
        if (w.answer) setImmediate(() => collector.received(id, m.id, metrics.snapshot()));
        return true;
      },
    };
    return w;
  }
  const total = (text: string) =>
    Number(/lifeguard_requests_total\{outcome="200",route="chat"\} (\d+)/.exec(text)?.[1] ?? Number.NaN);

  it('a worker that does not answer in time counts with its last registry; an exited one keeps counting', async () => {
    const collector = new MetricsCollector(60);
    const a = worker(1, 5, collector);
    const b = worker(2, 7, collector);
    const workers = [a, b] as unknown as CollectedWorker[];
    expect(total(await collector.sum(workers))).toBe(12);
    b.answer = false;
    const t0 = performance.now();
    expect(total(await collector.sum(workers))).toBe(12); // counters never go backwards
    expect(performance.now() - t0).toBeGreaterThanOrEqual(50); // it waited for the silent worker
    b.connected = false;
    const t1 = performance.now();
    expect(total(await collector.sum(workers))).toBe(12);
    expect(performance.now() - t1).toBeLessThan(50); // nobody to wait for
  });
});
