import type { Database, Statement } from 'better-sqlite3';
import type { EventsTable } from './database.js';
import { toRow } from './queries.js';
import type { AuditEvent } from './types.js';

/** The events table's columns, bound by name from `toRow` (queries.ts), the one mapping of an event to a row. */
const COLUMNS: readonly (keyof EventsTable)[] = [
  'id',
  'ts',
  'request_id',
  'route',
  'api_key_id',
  'policy',
  'stage',
  'check_name',
  'category',
  'score',
  'action',
  'latency_ms',
  'excerpt',
  'model',
  'error',
];

const INSERT_SQL = `insert into "audit_events" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) values (${COLUMNS.map(
  (c) => `@${c}`,
).join(', ')})`;

/**
 * Writes events to SQLite through one prepared single-row insert, run once per event. A query builder's
 * multi-row insert is compiled and prepared anew for every batch (its text changes with the row count), which
 * cost more than storing the rows. Same values, same table, inside the caller's transaction.
 */
export function sqliteEventWriter(raw: Database): (events: readonly AuditEvent[]) => void {
  // Prepared on first use: the table is made by the migrations, after the connection opens.
  let insert: Statement | undefined;
  return (events) => {
    if (!raw.inTransaction) throw new Error('audit log: events are inserted inside a write transaction only');
    insert ??= raw.prepare(INSERT_SQL);
    for (const e of events) insert.run(toRow(e));
  };
}
