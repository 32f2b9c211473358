import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { LiteralLimitCompiler, reusingStatements } from '../../src/store/store';

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

describe('limits written into the SQL', () => {
  interface Db {
    t: { x: number };
  }
  class Dialect extends SqliteDialect {
    override createQueryCompiler() {
      return new LiteralLimitCompiler();
    }
  }
  function kysely() {
    const { db, prepared } = database();
    return { k: new Kysely<Db>({ dialect: new Dialect({ database: db }) }), prepared };
  }

  test('a whole-number limit is a literal, the offset and the rest stay parameters', async () => {
    const { k, prepared } = kysely();
    const q = k.selectFrom('t').select('x').where('x', '>=', 1).orderBy('x').limit(2).offset(1);
    const compiled = q.compile();
    expect(compiled.sql).toBe('select "x" from "t" where "x" >= ? order by "x" limit 2 offset ?');
    expect(compiled.parameters).toEqual([1, 1]);
    expect(await q.execute()).toEqual([{ x: 2 }, { x: 3 }]);
    expect(await k.selectFrom('t').select('x').orderBy('x').limit(2).execute()).toEqual([
      { x: 1 },
      { x: 2 },
    ]);
    expect(prepared.filter((s) => s.includes('limit 2'))).toHaveLength(2);
  });

  test('a limit that is not a whole number, or is an expression, is left as it is', () => {
    const { k } = kysely();
    const fraction = k.selectFrom('t').select('x').limit(1.5).compile();
    expect(fraction.sql).toBe('select "x" from "t" limit ?');
    expect(fraction.parameters).toEqual([1.5]);
    const expression = k
      .selectFrom('t')
      .select('x')
      .limit(sql<number>`(select count(*) from t)`)
      .compile();
    expect(expression.sql).toBe('select "x" from "t" limit (select count(*) from t)');
    const subquery = k
      .selectFrom('t')
      .select('x')
      .where('x', 'in', (eb) => eb.selectFrom('t as u').select('u.x').limit(1))
      .compile();
    expect(subquery.sql).toContain('limit 1)');
    expect(subquery.parameters).toEqual([]);
  });
});
