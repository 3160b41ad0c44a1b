import { sql } from 'kysely';
import { LifeguardError } from '../../core/errors.js';
import type { AuditTx, OpenDatabase } from './database.js';
import type { AuditBackend } from './types.js';

interface Migration {
  version: number;
  up(tx: AuditTx, backend: AuditBackend): Promise<void>;
}

/**
 * Schema changes, in order. Each runs once per database, in the same transaction that records its version
 * in `audit_schema_version`; never edit one that has shipped, append a new one.
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    async up(tx, backend) {
      // Ids sort by time; PostgreSQL must compare them byte-wise, whatever the database's collation.
      const idType = backend === 'postgres' ? sql`text collate "C"` : sql`text`;
      await tx.schema
        .createTable('audit_events')
        .ifNotExists()
        .addColumn('id', idType, (c) => c.primaryKey())
        .addColumn('ts', 'bigint', (c) => c.notNull())
        .addColumn('request_id', 'text', (c) => c.notNull())
        .addColumn('route', 'text')
        .addColumn('api_key_id', 'text')
        .addColumn('policy', 'text')
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('check_name', 'text', (c) => c.notNull())
        .addColumn('category', 'text')
        .addColumn('score', 'double precision')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('latency_ms', 'double precision', (c) => c.notNull())
        .addColumn('excerpt', 'text')
        .addColumn('model', 'text')
        .addColumn('error', 'text')
        .execute();
      const indexes: [string, string[]][] = [
        ['audit_events_ts', ['ts']],
        ['audit_events_check_ts', ['check_name', 'ts']],
        ['audit_events_request', ['request_id']],
        ['audit_events_key_ts', ['api_key_id', 'ts']],
      ];
      for (const [name, columns] of indexes) {
        await tx.schema.createIndex(name).ifNotExists().on('audit_events').columns(columns).execute();
      }
    },
  },
  {
    // Listings are newest first by id, filtered by a check, a key, a stage or an action. With indexes on
    // (name, ts) only, SQLite read every matching row and sorted them (200 000 rows for one check of a
    // 1M-row log) or, for a stage or an action, scanned the whole table; (name, id) serves the filter and the
    // order at once and stops after `limit` rows. The (name, ts) indexes stay: the statistics use them.
    version: 2,
    async up(tx) {
      const indexes: [string, string][] = [
        ['audit_events_check_id', 'check_name'],
        ['audit_events_key_id', 'api_key_id'],
        ['audit_events_stage_id', 'stage'],
        ['audit_events_action_id', 'action'],
      ];
      for (const [name, column] of indexes) {
        await tx.schema.createIndex(name).ifNotExists().on('audit_events').columns([column, 'id']).execute();
      }
    },
  },
];

export const AUDIT_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings the schema up to date, under the write lock so two processes opening a new database at once
 * apply each migration once. Returns the version now in place. A database newer than this code is refused.
 */
export async function migrate(store: OpenDatabase, schema?: string): Promise<number> {
  return store.write(async (tx) => {
    if (schema && store.backend === 'postgres') await tx.schema.createSchema(schema).ifNotExists().execute();
    await tx.schema
      .createTable('audit_schema_version')
      .ifNotExists()
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('applied_at', 'bigint', (c) => c.notNull())
      .execute();
    const row = await tx
      .selectFrom('audit_schema_version')
      .select((eb) => eb.fn.max('version').as('v'))
      .executeTakeFirst();
    const current = Number(row?.v ?? 0);
    if (current > AUDIT_SCHEMA_VERSION) {
      throw new LifeguardError(
        'LG_ERR_CONFIG_INVALID',
        `audit log at ${store.location} has schema version ${current}, newer than this Lifeguard's ${AUDIT_SCHEMA_VERSION}; upgrade Lifeguard`,
      );
    }
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      await m.up(tx, store.backend);
      await tx.insertInto('audit_schema_version').values({ version: m.version, applied_at: Date.now() }).execute();
    }
    return AUDIT_SCHEMA_VERSION;
  }, true);
}
