import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { startCheckpointer, type CheckpointReport } from '../../src/store/checkpointer';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'madoguchi-checkpoint-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function walDatabase(): SQLite.Database {
  const db = new SQLite(join(dir, 'desk.db'));
  db.pragma('journal_mode = WAL');
  db.exec('create table t (id integer primary key, body text)');
  return db;
}

const autocheckpoint = (db: SQLite.Database) => db.pragma('wal_autocheckpoint', { simple: true });

describe('checkpoints in a worker thread', () => {
  test('copy the log into the database while the app’s connection never does', async () => {
    const db = walDatabase();
    const reports: CheckpointReport[] = [];
    const checkpointer = startCheckpointer(db, join(dir, 'desk.db'), {
      everyMs: 10,
      onReport: (r) => reports.push(r),
    });
    expect(autocheckpoint(db)).toBe(0);

    const insert = db.prepare('insert into t (body) values (?)');
    for (let i = 0; i < 2_000; i++) insert.run('x'.repeat(500));
    await new Promise((r) => setTimeout(r, 200));

    // The worker has copied everything the log held.
    const last = reports.at(-1)!;
    expect(last.log).toBeGreaterThan(0);
    expect(last.copied).toBe(last.log);

    await checkpointer.stop();
    expect(autocheckpoint(db)).toBe(1000);
    db.close();
  });

  test('a worker that dies leaves the checkpoints to SQLite again', async () => {
    const db = walDatabase();
    rmSync(join(dir, 'desk.db-wal'), { force: true });
    // The worker opens its own connection to a file that must exist: here it does not.
    const checkpointer = startCheckpointer(db, join(dir, 'missing.db'), { everyMs: 10 });
    expect(autocheckpoint(db)).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(autocheckpoint(db)).toBe(1000);
    await checkpointer.stop();
    db.close();
  });
});
