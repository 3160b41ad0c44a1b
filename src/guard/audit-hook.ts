import { type AuditEventInput, type AuditLog, createAuditLog } from './audit/index.js';
import type { RequestInfo } from './gateway/app.js';
import type { GatewayConfig } from './gateway/config.js';
import type { CheckDecision } from './types.js';

/** One audit event per decision: what ran, what it found, what the policy did. */
export function decisionToEvent(d: CheckDecision, info: RequestInfo, ts = Date.now()): AuditEventInput {
  return {
    ts,
    requestId: info.requestId,
    route: info.route,
    apiKeyId: info.apiKeyId,
    policy: info.policy,
    model: info.model,
    stage: d.stage,
    check: d.check,
    category: d.categories?.[0] ?? d.types?.[0],
    score: d.score,
    // Not enforced: shadow mode, or a check that failed open.
    action: !d.fired ? 'allow' : d.enforced ? d.action : 'shadow',
    latencyMs: d.latencyMs,
    excerpt: d.excerpt,
    error: d.error,
  };
}

export interface GatewayAudit {
  log: AuditLog;
  recordDecisions(decisions: readonly CheckDecision[], info: RequestInfo): void;
  /** Writes events already made (a cluster worker's, forwarded to the primary), counting a failed write. */
  recordEvents(events: readonly AuditEventInput[]): Promise<void>;
  /** Events that could not be written so far, and the last error: `/health` and `/metrics` report them. */
  failures(): AuditFailures;
  close(): Promise<void>;
}

export interface AuditFailures {
  events: number;
  lastError?: string;
}

/**
 * The gateway's audit hook: SQLite (WAL) by default, PostgreSQL when `DATABASE_URL` is a postgres URL.
 * Writes are batched and never block a response; a failed write is reported on stderr.
 */
export async function openGatewayAudit(config: GatewayConfig): Promise<GatewayAudit> {
  const log = await createAuditLog({
    sqlitePath: config.audit.sqlitePath,
    retentionDays: config.audit.retentionDays,
    batchMs: config.audit.batchMs,
    useEnv: true,
  });
  const failed: AuditFailures = { events: 0 };
  const write = (events: readonly AuditEventInput[]): Promise<void> =>
    log.record(events).then(
      () => undefined,
      (e: Error) => {
        // Counted, not only printed: an operator watching /health or /metrics sees the log is losing decisions.
        failed.events += events.length;
        failed.lastError = e.message;
        process.stderr.write(`lifeguard: audit write failed: ${e.message}\n`);
      },
    );
  return {
    log,
    recordDecisions(decisions, info) {
      if (decisions.length === 0) return;
      const ts = Date.now();
      void write(decisions.map((d) => decisionToEvent(d, info, ts)));
    },
    recordEvents: write,
    failures: () => ({ ...failed }),
    close: () => log.close(),
  };
}
