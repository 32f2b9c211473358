import SQLite from 'better-sqlite3';
import { reusingStatements } from '../../src/store/store';

function database() {
  const db = new SQLite(':memory:');
  db.exec('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3)');
  const prepared: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    prepared.push(source);
    return prepare(source);
  }) as SQLite.Database['prepare'];
  return { db, prepared };
}

describe('reusing prepared statements', () => {
  test('the same SQL is prepared once and gives the same answers', () => {
    const { db, prepared } = database();
    const reusing = reusingStatements(db);
    const a = reusing.prepare('SELECT x FROM t WHERE x >= ?');
    const b = reusing.prepare('SELECT x FROM t WHERE x >= ?');
    expect(b).toBe(a);
    expect(b.all(2)).toEqual([{ x: 2 }, { x: 3 }]);
    expect(a.all(3)).toEqual([{ x: 3 }]);
    expect(prepared).toEqual(['SELECT x FROM t WHERE x >= ?']);
  });

  test('the least recently used statement goes when the cache is full', () => {
    const { db, prepared } = database();
    const reusing = reusingStatements(db, 2);
    const a = reusing.prepare('SELECT 1');
    reusing.prepare('SELECT 2');
    reusing.prepare('SELECT 1');
    reusing.prepare('SELECT 3'); // evicts SELECT 2
    expect(reusing.prepare('SELECT 1')).toBe(a);
    reusing.prepare('SELECT 2');
    expect(prepared).toEqual(['SELECT 1', 'SELECT 2', 'SELECT 3', 'SELECT 2']);
  });

  test('a statement open for iteration is not handed out again', () => {
    const { db } = database();
    const reusing = reusingStatements(db);
    const first = reusing.prepare('SELECT x FROM t');
    const rows = first.iterate();
    rows.next();
    const second = reusing.prepare('SELECT x FROM t');
    expect(second).not.toBe(first);
    expect(second.all()).toHaveLength(3);
    rows.return?.();
    expect(reusing.prepare('SELECT x FROM t')).toBe(first);
  });

  test('everything else is the connection itself', () => {
    const { db } = database();
    const reusing = reusingStatements(db);
    reusing.exec('INSERT INTO t VALUES (4)');
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 4 });
    expect(reusing.inTransaction).toBe(false);
    reusing.close();
    expect(db.open).toBe(false);
  });
});
