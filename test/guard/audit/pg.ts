// The PostgreSQL the audit tests use, and whether it answers. Tests that need it skip (with a note) when it does
// not, except under CI, where it must.
import pg from 'pg';

export const PG_URL = process.env.LIFEGUARD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function pgReachable(url = PG_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
