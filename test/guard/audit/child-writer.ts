// Child process for the kill -9 test: records events one after another (a few in flight at a time, each
// awaited) and prints the id of every event whose write was acknowledged. The parent kills it mid-stream.
// Run: node --import tsx test/guard/audit/child-writer.ts  (AUDIT_SQLITE_PATH, or AUDIT_DATABASE_URL + AUDIT_SCHEMA)
import { createAuditLog } from '../../../src/guard/audit/index.js';

const log = await createAuditLog({
  sqlitePath: process.env.AUDIT_SQLITE_PATH,
  databaseUrl: process.env.AUDIT_DATABASE_URL,
  schema: process.env.AUDIT_SCHEMA,
  batchMs: 1,
});
process.stdout.write('ready\n');

const IN_FLIGHT = 8;
let next = 0;
async function worker(): Promise<void> {
  while (next < 1_000_000) {
    const i = next++;
    const [stored] = await log.record({
      requestId: `kill-${i}`,
      stage: 'input',
      check: 'pii',
      action: i % 3 === 0 ? 'redact' : 'allow',
      latencyMs: i % 17,
      excerpt: `event ${i} from someone@example.com`,
    });
    // Printed only after the write resolved: every id on stdout is acknowledged.
    process.stdout.write(`${stored!.id}\n`);
  }
}
await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
await log.close();
