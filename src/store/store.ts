import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  SqliteQueryCompiler,
  ValueNode,
  sql,
  type LimitNode,
  type QueryCompiler,
  type Transaction,
} from 'kysely';
import { Pool, types as pgTypes } from 'pg';
import { UnavailableError } from '../errors';
import { startCheckpointer } from './checkpointer';
import { migrations } from './migrations';
import type { Database } from './schema';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;

export interface Store {
  db: Db;
  dialect: Dialect;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** A PostgreSQL URL; when absent the SQLite file at `sqlitePath` is used. */
  databaseUrl?: string | null;
  sqlitePath: string;
  /** Connections in the PostgreSQL pool (default 10). */
  poolSize?: number;
}

const TIMESTAMPTZ_OID = 1184;
const INT8_OID = 20;

/** PostgreSQL values are read back in the same shapes SQLite gives: ISO strings and numbers. */
function pgTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (oid === TIMESTAMPTZ_OID) return (v: string) => new Date(v).toISOString();
  if (oid === INT8_OID) return (v: string) => Number(v);
  return pgTypes.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
}

/** Opens the database, brings its schema up to date, and returns it. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const store = options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10)
    : openSqlite(options.sqlitePath);
  try {
    await migrate(store);
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

function openSqlite(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new SQLite(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({
    dialect: new LiteralLimitSqliteDialect({ database: reusingStatements(database) }),
  });
  const checkpointer = path === ':memory:' ? null : startCheckpointer(database, path);
  return makeStore(db, 'sqlite', async () => checkpointer?.stop());
}

/** Prepared statements kept per connection; the desk runs a few dozen distinct ones. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The SQLite connection with each statement prepared once and reused. Kysely prepares
 * every query anew, and compiling the SQL is a good part of a short query's cost. The
 * least recently used statement goes when the cache is full; a statement still open
 * for iteration (a streamed query) is not shared.
 */
export function reusingStatements(
  database: SQLite.Database,
  max = STATEMENT_CACHE_SIZE,
): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = database.prepare.bind(database);
  const reusing = Object.create(database) as SQLite.Database;
  reusing.prepare = ((source: string) => {
    const cached = cache.get(source);
    if (cached && !cached.busy) {
      cache.delete(source);
      cache.set(source, cached);
      return cached;
    }
    const statement = prepare(source);
    if (cached) return statement;
    if (cache.size >= max) cache.delete(cache.keys().next().value!);
    cache.set(source, statement);
    return statement;
  }) as SQLite.Database['prepare'];
  return reusing;
}

/**
 * SQLite's planner reads the value bound to `LIMIT ?`, so a statement whose limit is a
 * parameter is compiled again every time it runs (about 20 µs, ten times a short
 * query's own cost). A limit that is a whole number goes into the SQL instead; the few
 * distinct limits the desk uses make a few distinct statements, each prepared once.
 */
export class LiteralLimitCompiler extends SqliteQueryCompiler {
  protected override visitLimit(node: LimitNode): void {
    const limit = node.limit;
    if (ValueNode.is(limit) && !limit.immediate && Number.isSafeInteger(limit.value)) {
      this.append(`limit ${limit.value as number}`);
    } else {
      super.visitLimit(node);
    }
  }
}

class LiteralLimitSqliteDialect extends SqliteDialect {
  override createQueryCompiler(): QueryCompiler {
    return new LiteralLimitCompiler();
  }
}

function openPostgres(url: string, max: number): Store {
  const pool = new Pool({
    connectionString: url,
    max,
    // Waiting for a free connection counts too: generous, so bursts queue instead of failing.
    connectionTimeoutMillis: 15_000,
    types: { getTypeParser: pgTypeParser as never },
  });
  // A client losing its server (a restart, a failover) must not crash the process: idle
  // ones report to the pool, and a checked-out one has no listener of its own unless
  // given one here. The query that was using it fails, and surfaces as unavailable.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return makeStore(db, 'postgres');
}

function makeStore(db: Db, dialect: Dialect, beforeClose?: () => Promise<void>): Store {
  return {
    db,
    dialect,
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await beforeClose?.();
      await db.destroy();
    },
  };
}

async function migrate(store: Store): Promise<void> {
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations(store.dialect) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`database migration failed${failed ? ` at ${failed}` : ''}`, { cause: error });
  }
}

const PG_UNAVAILABLE = /^(08|57P0|53)/; // connection exceptions, admin shutdown, resources
const NODE_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|READONLY)/;

/** Whether an error means the database is (for now) out of reach, rather than a bug. */
export function isUnavailable(err: unknown): boolean {
  // Not `instanceof Error`: better-sqlite3's native addon keeps the error class of the first
  // module context that loaded it, so in another context (each jest test file is one) its
  // errors are not instances of that context's Error.
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (NODE_UNAVAILABLE.has(code) || PG_UNAVAILABLE.test(code) || SQLITE_UNAVAILABLE.test(code)) {
      return true;
    }
  }
  // SQLite may roll a transaction back by itself on BUSY, FULL or IOERR; the ROLLBACK that
  // follows then fails with "no transaction is active", hiding the cause.
  return (
    typeof message === 'string' &&
    /Connection terminated|connection timeout|timeout exceeded when trying to connect|cannot rollback - no transaction is active|driver has already been destroyed|database connection is not open/i.test(
      message,
    )
  );
}

/**
 * Runs `fn` in one transaction. A database that is out of reach becomes an
 * `UnavailableError`, which surfaces tell the user as "try again"; nothing is half-written.
 */
export async function inTransaction<T>(store: Store, fn: (trx: Trx) => Promise<T>): Promise<T> {
  try {
    return await store.db.transaction().execute(fn);
  } catch (err) {
    if (isUnavailable(err)) throw new UnavailableError('database', err);
    throw err;
  }
}
