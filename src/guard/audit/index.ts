/**
 * The guard's audit log: every decision (check, score, action, latency, a redacted excerpt) in SQLite or
 * PostgreSQL, with retention, queries and aggregates. See docs/guard-audit.md.
 */
export { createAuditLog } from './audit-log.js';
export { DEFAULT_SQLITE_PATH } from './database.js';
export { AUDIT_ID_PATTERN, auditIdTime, newAuditId } from './id.js';
export { AUDIT_SCHEMA_VERSION } from './migrations.js';
export { DEFAULT_QUERY_LIMIT, MAX_QUERY_LIMIT } from './queries.js';
export { EXCERPT_MAX_CHARS, prepareEvent, scrubText } from './sanitize.js';
export { parseTimeBound } from './time.js';
export {
  AUDIT_ACTIONS,
  AUDIT_STAGES,
  type AuditAction,
  type AuditBackend,
  type AuditBlockRate,
  type AuditCount,
  type AuditEvent,
  type AuditEventInput,
  type AuditFilter,
  type AuditLatency,
  type AuditLog,
  type AuditLogOptions,
  type AuditRule,
  type AuditStage,
  type AuditStats,
  type AuditStatsRange,
  type AuditTime,
} from './types.js';
