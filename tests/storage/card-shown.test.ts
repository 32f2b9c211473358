import { Migrator, sql, type KyselyPlugin, type RootOperationNode } from 'kysely';
import type { ConsultationService } from '../../src/consultation/consultation.service';
import type { Dialect, Store } from '../../src/store/store';
import { migrations } from '../../src/store/migrations';
import { describeEachDialect } from '../support/dialects';
import {
  CARD_POSTING_GRACE_MS,
  CARD_POSTING_LEASE_MS,
} from '../../src/consultation/consultation.service';
import { firstLineA as A, intake, makeService, supervisorE, testClock } from '../support/fixtures';

describeEachDialect('which version each channel card shows', (db, dialect) => {
  test('cards posted before it was kept are taken to be up to date', async () => {
    const store = db().store;
    const migrator = new Migrator({
      db: store.db,
      provider: { getMigrations: async () => migrations(dialect) },
    });
    const svc = makeService(store);
    const { consultation: shown } = await svc.create(A, intake());
    await svc.claim(A, shown.id);
    const { consultation: never } = await svc.create(A, intake());

    // As before the migration: cards linked, no version kept.
    expect((await migrator.migrateTo('2026-11-27-007-history-version')).error).toBeUndefined();
    await sql`UPDATE consultation SET card_conversation_id = '19:desk', card_activity_id = '1'
      WHERE id = ${shown.id}`.execute(store.db);
    expect((await migrator.migrateToLatest()).error).toBeUndefined();

    const rows = await store.db
      .selectFrom('consultation')
      .select(['id', 'version', 'card_version'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: shown.id, version: 2, card_version: 2 },
      { id: never.id, version: 1, card_version: null },
    ]);
    expect(await svc.cardsBehind(10)).toEqual([]);
  });

  test('open records without a card: after their own posting had its chance, one poster at a time', async () => {
    const store = db().store;
    const clock = testClock();
    const svc = makeService(store, clock);
    const { consultation: open } = await svc.create(A, intake());
    const { consultation: closed } = await svc.create(A, intake());
    await svc.claim(A, closed.id);
    await svc.close(supervisorE, closed.id, { reason: '重複' });
    const { consultation: carded } = await svc.create(A, intake());
    await svc.linkCard(carded.id, { conversationId: '19:desk', activityId: '1' }, A);
    expect(await svc.cardsMissing(10)).toEqual([]); // too fresh

    clock.advance(CARD_POSTING_GRACE_MS + 1);
    expect(await svc.cardsMissing(10)).toEqual([open.id]);
    expect(await svc.takeCardPosting(carded.id)).toBe(false);
    expect(await svc.takeCardPosting(open.id)).toBe(true);
    expect(await svc.takeCardPosting(open.id)).toBe(false); // someone is posting it
    expect(await svc.cardsMissing(10)).toEqual([]);

    // The posting failed (Teams down): once its lease is over, it is due again.
    clock.advance(CARD_POSTING_LEASE_MS + 1);
    expect(await svc.cardsMissing(10)).toEqual([open.id]);
    expect(await svc.takeCardPosting(open.id)).toBe(true);
    // The lease changes nothing a person sees: no version, no history.
    const row = await store.db
      .selectFrom('consultation')
      .select(['version', 'updated_at'])
      .where('id', '=', open.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ version: open.version, updated_at: open.updatedAt });
  });

  test('a deleted channel takes the cards of its open records with it, not those of closed ones', async () => {
    const store = db().store;
    const clock = testClock();
    const svc = makeService(store, clock);
    const card = (activityId: string) => ({ conversationId: '19:gone', activityId });
    const { consultation: open } = await svc.create(A, intake());
    await svc.linkCard(open.id, card('1'), A);
    const { consultation: closed } = await svc.create(A, intake());
    await svc.linkCard(closed.id, card('2'), A);
    await svc.claim(A, closed.id);
    await svc.close(supervisorE, closed.id, { reason: '重複' });
    const { consultation: elsewhere } = await svc.create(A, intake());
    await svc.linkCard(elsewhere.id, { conversationId: '19:desk', activityId: '3' }, A);

    expect(await svc.cardsGoneWith('19:gone')).toBe(1);
    const rows = await store.db
      .selectFrom('consultation')
      .select(['id', 'card_conversation_id', 'card_activity_id'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: open.id, card_conversation_id: null, card_activity_id: null },
      { id: closed.id, card_conversation_id: '19:gone', card_activity_id: '2' },
      { id: elsewhere.id, card_conversation_id: '19:desk', card_activity_id: '3' },
    ]);
    clock.advance(CARD_POSTING_GRACE_MS + 1);
    expect(await svc.cardsMissing(10)).toEqual([open.id]);
  });

  test('the records without a card are found through an index, not by reading every record', async () => {
    expect(await planOf(db().store, dialect, (svc) => svc.cardsMissing(50))).toMatch(
      /consultation_card\b/,
    );
  });

  test('the cards behind are found through their own small index, not by reading every record', async () => {
    expect(await planOf(db().store, dialect, (svc) => svc.cardsBehind(50))).toContain(
      'consultation_card_behind',
    );
  });
});

/**
 * The query plan of the one statement `run` has the service send, caught on its way to
 * the database. On a table this small PostgreSQL would rather read it all: it is asked not to.
 */
async function planOf(
  store: Store,
  dialect: Dialect,
  run: (svc: ConsultationService) => Promise<unknown>,
): Promise<string> {
  const seen: RootOperationNode[] = [];
  const catching: KyselyPlugin = {
    transformQuery: ({ node }) => (seen.push(node), node),
    transformResult: async ({ result }) => result,
  };
  await run(makeService({ ...store, db: store.db.withPlugin(catching) }));
  expect(seen).toHaveLength(1);
  const query = store.db.getExecutor().compileQuery(seen[0]!, { queryId: 'plan' });
  return store.db.transaction().execute(async (trx) => {
    if (dialect === 'postgres') await sql`SET LOCAL enable_seqscan = off`.execute(trx);
    const explain = dialect === 'sqlite' ? 'EXPLAIN QUERY PLAN' : 'EXPLAIN';
    const { rows } = await trx.executeQuery<Record<string, string>>({
      ...query,
      sql: `${explain} ${query.sql}`,
    });
    return rows.map((r) => r.detail ?? r['QUERY PLAN']).join('\n');
  });
}
