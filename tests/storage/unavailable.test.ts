import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { UnavailableError } from '../../src/errors';
import { openStore, type Store } from '../../src/store/store';
import { PG_ADMIN_URL } from '../support/pg-probe';
import { startProxy } from '../support/tcp-proxy';
import { firstLineA, intake, makeService, supervisorE } from '../support/fixtures';

const pgAvailable = process.env.MADOGUCHI_PG_AVAILABLE === '1';
const describePg = pgAvailable ? describe : describe.skip;

describePg('PostgreSQL goes away for a while [postgres]', () => {
  const name = `madoguchi_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = async (q: string) => {
    const c = new Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    await c.query(q).finally(() => c.end());
  };
  let store: Store | undefined;

  beforeAll(() => admin(`CREATE DATABASE ${name}`));
  afterAll(async () => {
    await store?.close();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  test('the caller is told it is unavailable, nothing is half-written, and a retry works', async () => {
    const target = new URL(PG_ADMIN_URL);
    const proxy = await startProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const url = new URL(PG_ADMIN_URL);
    url.host = `127.0.0.1:${proxy.port}`;
    url.pathname = `/${name}`;
    store = await openStore({ databaseUrl: url.toString(), sqlitePath: '' });
    const svc = makeService(store);
    await svc.create(firstLineA, intake());

    await proxy.cut();
    const typed = intake({ subject: '停止中に入力した相談' });
    const err = await svc.create(firstLineA, typed).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err).toMatchObject({ status: 503, code: 'unavailable', details: { what: 'database' } });
    await expect(store.ping()).rejects.toBeDefined();

    await proxy.restore();
    const { consultation } = await svc.create(firstLineA, typed);
    expect(consultation).toMatchObject({ number: '2026-000002', subject: '停止中に入力した相談' });
    expect((await svc.list(supervisorE, {})).total).toBe(2);
    await proxy.cut();
  });
});

describe('SQLite is locked by another writer [sqlite]', () => {
  test('a write that cannot get the lock is unavailable, and a retry works', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'madoguchi-'));
    const path = `${dir}/locked.db`;
    const store = await openStore({ sqlitePath: path });
    const svc = makeService(store);
    const other = new Database(path);
    other.pragma('busy_timeout = 0');
    other.exec('BEGIN IMMEDIATE');
    try {
      const err = (await svc.create(firstLineA, intake()).catch((e: unknown) => e)) as Error;
      // Name, code and message together, so a failure says what came instead.
      expect({
        name: err.name,
        code: (err as { code?: string }).code,
        message: err.message,
      }).toEqual({
        name: 'UnavailableError',
        code: 'unavailable',
        message: expect.any(String),
      });
      expect(err).toBeInstanceOf(UnavailableError);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const { consultation } = await svc.create(firstLineA, intake());
    expect(consultation.number).toBe('2026-000001');
    await store.close();
  });
});
