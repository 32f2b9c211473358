import { Migrator, sql, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { migrations } from '../../src/store/migrations';
import type { Store } from '../../src/store/store';
import { describeEachDialect } from '../support/dialects';
import {
  firstLineA as A,
  supervisorE as E,
  outsider,
  intake,
  makeService,
  testClock,
} from '../support/fixtures';

const consulter = (organisation: string | null, email: string | null, phone: string | null) => ({
  consulter: { organisation, person: '担当者', email, phone },
});

describeEachDialect('the same consulter’s other consultations', (db, dialect) => {
  test('found by organisation (any legal form, width or spacing), email or phone; newest first', async () => {
    const store = db().store;
    const clock = testClock('2026-04-01T01:00:00.000Z');
    const svc = makeService(store, clock);
    const record = async (input: Record<string, unknown>) => {
      clock.advance(86_400_000);
      return (await svc.create(A, intake(input))).consultation;
    };
    const byName = await record(consulter('株式会社つづき', null, null));
    const byEmail = await record(consulter('別名義', 'IT@Tsuzuki.example.jp', null));
    const byPhone = await record(consulter(null, null, '03-1111-2222'));
    await record(consulter('株式会社べつ', 'it@betsu.example.jp', '03-9999-0000'));
    await record(consulter('株式会社', null, null));
    const now = await record(
      consulter('㈱ つづき', 'it@tsuzuki.example.jp', '０３（１１１１）２２２２'),
    );

    const related = await svc.related(E, now);
    expect(related.total).toBe(3);
    expect(related.records.map((r) => [r.consultation.number, r.matchedBy])).toEqual([
      [byPhone.number, ['phone']],
      [byEmail.number, ['email']],
      [byName.number, ['organisation']],
    ]);
    // At most `limit`, with the whole count.
    expect(await svc.related(E, now, 2)).toMatchObject({ total: 3 });
    expect((await svc.related(E, now, 2)).records).toHaveLength(2);
    // Each of them finds the others the same way it was found.
    expect((await svc.related(E, byName)).records.map((r) => r.consultation.id)).toEqual([now.id]);

    // A record that says nothing that identifies has none; an erased one is not among them.
    const { consultation: anonymous } = await svc.create(A, intake(consulter(null, null, null)));
    expect(await svc.related(E, anonymous)).toEqual({ records: [], total: 0 });
    await svc.close(E, byPhone.id, { reason: '重複' });
    await svc.erase(E, byPhone.id, { confirmNumber: byPhone.number });
    expect((await svc.related(E, now)).records.map((r) => r.consultation.id)).toEqual([
      byEmail.id,
      byName.id,
    ]);
    // Staff only.
    await expect(svc.related(outsider, now)).rejects.toMatchObject({ status: 403 });
  });

  test('an open case is among them even when later closed ones are more than the limit', async () => {
    const store = db().store;
    const clock = testClock('2026-04-01T01:00:00.000Z');
    const svc = makeService(store, clock);
    const record = async () => {
      clock.advance(86_400_000);
      return (await svc.create(A, intake(consulter('株式会社つづき', null, null)))).consultation;
    };
    const open = await record();
    const closed = [];
    for (let i = 0; i < 6; i++) {
      const c = await record();
      await svc.close(E, c.id, { reason: '重複' });
      closed.push(c);
    }
    const now = await record();
    const related = await svc.related(E, now, 5);
    expect(related.total).toBe(7);
    expect(related.records.map((r) => r.consultation.id)).toEqual([
      ...closed
        .slice(-4)
        .reverse()
        .map((c) => c.id),
      open.id,
    ]);
  });

  test('records kept before the keys were are given theirs by the migration', async () => {
    const store = db().store;
    const migrator = new Migrator({
      db: store.db,
      provider: { getMigrations: async () => migrations(dialect) },
    });
    const svc = makeService(store);
    const { consultation: older } = await svc.create(
      A,
      intake(consulter('有限会社むかし', null, null)),
    );
    const { consultation: newer } = await svc.create(
      A,
      intake(consulter('むかし', null, '03-2222-3333')),
    );
    expect((await migrator.migrateTo('2026-11-27-011-erasure')).error).toBeUndefined();
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const rows = await sql<{ id: number; organisation_key: string; phone_key: string | null }>`
      SELECT id, organisation_key, phone_key FROM consultation ORDER BY id`.execute(store.db);
    expect(rows.rows).toEqual([
      { id: older.id, organisation_key: 'むかし', phone_key: null },
      { id: newer.id, organisation_key: 'むかし', phone_key: '0322223333' },
    ]);
    expect((await svc.related(E, newer)).records.map((r) => r.consultation.id)).toEqual([older.id]);
  });
  test('found through the three keys’ own indexes, not by reading every record', async () => {
    const store = db().store;
    const svc = makeService(store);
    const { consultation: c } = await svc.create(
      A,
      intake(consulter('株式会社つづき', 'it@tsuzuki.example.jp', '03-1111-2222')),
    );
    const keys = { organisation: 'つづき', email: 'it@tsuzuki.example.jp', phone: '0311112222' };
    const plans = [
      await planOf(store, (s) => makeService(s).related(E, c)),
      // The ledger's list of the consulter's records: the record itself and the others.
      await planOf(store, (s) =>
        makeService(s).list(E, { sameConsulter: { id: c.id, keys }, limit: 50, offset: 0 }),
      ),
    ];
    for (const plan of plans) {
      for (const index of ['organisation_key', 'email_key', 'phone_key']) {
        expect(plan).toContain(`consultation_${index}`);
      }
    }
  });

  /** The plan of the first statement `run` sends, with sequential scans discouraged on PostgreSQL. */
  async function planOf(store: Store, run: (store: Store) => Promise<unknown>): Promise<string> {
    const seen: RootOperationNode[] = [];
    const catching: KyselyPlugin = {
      transformQuery: ({ node }) => (seen.push(node), node),
      transformResult: async ({ result }) => result,
    };
    await run({ ...store, db: store.db.withPlugin(catching) });
    const page = store.db.getExecutor().compileQuery(seen[0]!, { queryId: 'plan' });
    return store.db.transaction().execute(async (trx) => {
      if (dialect === 'postgres') await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      const explain = dialect === 'sqlite' ? 'EXPLAIN QUERY PLAN' : 'EXPLAIN';
      const { rows } = await trx.executeQuery<Record<string, string>>({
        ...page,
        sql: `${explain} ${page.sql}`,
      });
      return rows.map((r) => r.detail ?? r['QUERY PLAN']).join('\n');
    });
  }
});
