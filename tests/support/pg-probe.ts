import { Client } from 'pg';

export const PG_ADMIN_URL =
  process.env.MADOGUCHI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Jest global setup: finds out once whether PostgreSQL is reachable, so the storage
 * suites know whether to run their PostgreSQL half. The answer, and the reason when
 * it is no, is printed; with MADOGUCHI_REQUIRE_PG=1 an unreachable server fails the run.
 */
export default async function probePostgres(): Promise<void> {
  const client = new Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    process.env.MADOGUCHI_PG_AVAILABLE = '1';
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    process.env.MADOGUCHI_PG_AVAILABLE = '0';
    process.env.MADOGUCHI_PG_SKIP_REASON = reason;
    const where = PG_ADMIN_URL.replace(/\/\/[^@]*@/, '//');
    if (process.env.MADOGUCHI_REQUIRE_PG === '1') {
      throw new Error(
        `PostgreSQL is required (MADOGUCHI_REQUIRE_PG=1) but ${where} is not reachable: ${reason}`,
      );
    }
    console.warn(`\n[storage] PostgreSQL tests SKIPPED: ${where} is not reachable (${reason}).\n`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
