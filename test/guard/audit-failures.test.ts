/** Audit writes that fail are counted and reported, not only printed. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openGatewayAudit } from '../../src/guard/audit-hook.js';
import { createGateway, parseGatewayConfig } from '../../src/guard/gateway/index.js';
import type { CheckDecision } from '../../src/guard/types.js';

const DECISION: CheckDecision = {
  stage: 'input',
  check: 'secrets',
  fired: false,
  action: 'allow',
  enforced: true,
  latencyMs: 1,
};
const INFO = { requestId: 'r1', route: 'chat', policy: 'default' };

describe('audit write failures', () => {
  it('are counted by the gateway audit hook', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-audit-fail-'));
    const audit = await openGatewayAudit(parseGatewayConfig({ audit: { sqlitePath: join(dir, 'a.db') } }));
    await audit.log.close(); // every later write fails
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      audit.recordDecisions([DECISION, DECISION], INFO as never);
      await vi.waitFor(() => expect(audit.failures().events).toBe(2));
      expect(audit.failures().lastError).toBeTruthy();
    } finally {
      stderr.mockRestore();
    }
  });

  it('make /health say degraded and /metrics count them', async () => {
    let failures = { events: 0 } as { events: number; lastError?: string };
    const gw = createGateway(parseGatewayConfig({ audit: { enabled: false } }), { auditFailures: () => failures });
    let health = (await (await gw.app.request('/health')).json()) as { status: string };
    expect(health.status).toBe('ok');
    expect(await (await gw.app.request('/metrics')).text()).toContain('lifeguard_audit_write_failures_total 0');
    failures = { events: 7, lastError: 'SQLITE_FULL: database or disk is full' };
    health = (await (await gw.app.request('/health')).json()) as { status: string };
    expect(health).toMatchObject({ status: 'degraded', audit: { failedEvents: 7, lastError: failures.lastError } });
    expect(await (await gw.app.request('/metrics')).text()).toContain('lifeguard_audit_write_failures_total 7');
  });
});

describe('audit write failures in a cluster', () => {
  it('the primary counts failed writes of events its workers forwarded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-audit-fail-events-'));
    const audit = await openGatewayAudit(parseGatewayConfig({ audit: { sqlitePath: join(dir, 'a.db') } }));
    await audit.log.close();
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await audit.recordEvents([
        { requestId: 'r', stage: 'input', check: 'secrets', action: 'allow', latencyMs: 1 },
        { requestId: 'r', stage: 'input', check: 'pii', action: 'allow', latencyMs: 1 },
      ]);
      expect(audit.failures().events).toBe(2);
    } finally {
      stderr.mockRestore();
    }
  });

  it('a worker reports what the primary told it it could not write, in /health and /metrics', async () => {
    const { AuditForwarder } = await import('../../src/guard/gateway/cluster.js');
    const forwarder = new AuditForwarder();
    expect(forwarder.failures()).toMatchObject({ events: 0 });
    process.emit('message', { lg: 'audit-failures', events: 3, lastError: 'SQLITE_FULL' }, undefined);
    expect(forwarder.failures()).toEqual({ events: 3, lastError: 'SQLITE_FULL' });
    const gw = createGateway(parseGatewayConfig({ audit: { enabled: false } }), { auditFailures: forwarder.failures });
    expect(await (await gw.app.request('/health')).json()).toMatchObject({
      status: 'degraded',
      audit: { failedEvents: 3 },
    });
    expect(await (await gw.app.request('/metrics')).text()).toContain('lifeguard_audit_write_failures_total 3');
  });
});
