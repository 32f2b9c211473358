import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openStore, type Dialect, type Store } from '../../src/store/store';
import { PG_ADMIN_URL } from './pg-probe';

/** The dialects every storage suite runs on. */
export const DIALECTS: readonly Dialect[] = ['sqlite', 'postgres'];

const pgAvailable = () => process.env.MADOGUCHI_PG_AVAILABLE === '1';

export interface TestDatabase {
  store: Store;
  /** Closes the store and removes the database. */
  drop(): Promise<void>;
}

/** A fresh, migrated, empty database of the given dialect. */
export async function openTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const store = await openStore({ sqlitePath: ':memory:' });
    return { store, drop: () => store.close() };
  }
  const name = `madoguchi_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const store = await openStore({ databaseUrl: url.toString(), sqlitePath: '', poolSize: 20 });
  return {
    store,
    async drop() {
      await store.close();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function admin(fn: (c: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * `describe` once per dialect. A dialect whose server is unreachable gets one skipped
 * test that says why, so it never disappears silently from the summary.
 */
export function describeEachDialect(
  title: string,
  body: (db: () => TestDatabase, dialect: Dialect) => void,
): void {
  for (const dialect of DIALECTS) {
    if (dialect === 'postgres' && !pgAvailable()) {
      describe(`${title} [postgres]`, () => {
        test.skip(`skipped: PostgreSQL not reachable (${process.env.MADOGUCHI_PG_SKIP_REASON ?? 'unknown'})`, () =>
          undefined);
      });
      continue;
    }
    describe(`${title} [${dialect}]`, () => {
      let current: TestDatabase | undefined;
      beforeEach(async () => {
        current = await openTestDatabase(dialect);
      });
      afterEach(async () => {
        await current?.drop();
        current = undefined;
      });
      body(() => {
        if (!current) throw new Error('no test database open');
        return current;
      }, dialect);
    });
  }
}
