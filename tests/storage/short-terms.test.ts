import { Migrator, sql, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { migrations } from '../../src/store/migrations';
import { ConsultationRepository } from '../../src/consultation/consultation.repository';
import { COMMON_DOCS, isWordCharacter, searchKeys } from '../../src/store/pg-trigrams';
import { normalizeForSearch } from '../../src/store/search-text';
import { inTransaction, type Store } from '../../src/store/store';
import { describeEachDialect } from '../support/dialects';
import {
  EMPTY_SITUATION,
  firstLineA,
  intake,
  makeService,
  supervisorE,
  NO_CONSULTER,
} from '../support/fixtures';

/** A small alphabet, so that pairs recur: letters, kana, kanji, digits, and what separates words. */
const LETTERS = ['詐', '欺', '被', '害', 'p', 'c', 'ア', 'イ', '1', '2'];
const SEPARATORS = [' ', '、', '。', '\n', '-', '（', '）'];

/** A seeded generator, so a failure can be run again. */
function random(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describeEachDialect('one- and two-character terms find exactly what holds them', (db) => {
  test('every pair of a small alphabet, against a plain substring check', async () => {
    const store = db().store;
    const repo = new ConsultationRepository(store.dialect);
    const next = random(20261127);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
    const texts: string[] = [];
    await inTransaction(store, async (trx) => {
      for (let i = 0; i < 120; i++) {
        // Words of 1 to 4 characters between separators: pairs alone, at the edges, inside.
        let subject = '';
        for (let w = 0, n = 1 + Math.floor(next() * 4); w < n; w++) {
          for (let c = 0, k = 1 + Math.floor(next() * 4); c < k; c++) subject += pick(LETTERS);
          subject += pick(SEPARATORS);
        }
        texts.push(subject);
        const id = await repo.insert(trx, {
          number: `2026-${String(i + 1).padStart(6, '0')}`,
          fiscalYear: 2026,
          seq: i + 1,
          channel: 'phone',
          state: i % 3 === 0 ? 'closed' : 'received',
          receivedAt: new Date(Date.UTC(2026, 5, 1, 0, i)).toISOString(),
          consulter: NO_CONSULTER,
          categoryId: 'other',
          urgency: 'normal',
          subject,
          details: '',
          situation: EMPTY_SITUATION,
          firstLineOwner: null,
          specialist: null,
          coordinationNeeded: null,
          coordinationReason: null,
          tags: [],
          createdBy: { id: 'u', name: 'u' },
          createdAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
          version: 1,
        });
        await repo.reindex(trx, id);
      }
    });

    const terms = [...LETTERS, ...LETTERS.flatMap((a) => LETTERS.map((b) => a + b))];
    for (const term of terms) {
      // The number is in every record's search text too.
      const expected = texts
        .map((t, i) => `2026-${String(i + 1).padStart(6, '0')}\n${t}`)
        .filter((doc) => normalizeForSearch(doc).includes(term))
        .map((doc) => doc.slice(0, 11))
        .sort();
      const found = await repo.list(store.db, { text: term, limit: 200, offset: 0 });
      expect({ term, numbers: found.items.map((c) => c.number).sort() }).toEqual({
        term,
        numbers: expected,
      });
      expect(found.total).toBe(expected.length);
      // With a filter, and a page: the same records, in received order, counted exactly.
      const closed = expected.filter((n) => (Number(n.slice(5)) - 1) % 3 === 0);
      const page = await repo.list(store.db, {
        text: term,
        states: ['closed'],
        limit: 3,
        offset: 1,
      });
      expect({ term, numbers: page.items.map((c) => c.number), total: page.total }).toEqual({
        term,
        numbers: [...closed].reverse().slice(1, 4),
        total: closed.length,
      });
    }
  });

  test('a rare pair is found through the index, without reading every document', async () => {
    const store = db().store;
    const { svc, seen } = watched(store);
    await svc.create(firstLineA, intake({ subject: '鯖江市の工場', details: '取引先の鯖江 から' }));
    // Alone between non-word characters: found as a word of its own, with its neighbours.
    await svc.create(firstLineA, intake({ subject: '「鯖江」の眼鏡', details: '—' }));
    await svc.create(firstLineA, intake({ subject: '別件', details: '関係のない相談' }));

    seen.length = 0;
    const found = await svc.list(supervisorE, { text: '鯖江' });
    expect(found.items.map((c) => c.subject).sort()).toEqual(['「鯖江」の眼鏡', '鯖江市の工場']);
    // SQLite reads the FTS5 index's own term list (search-paging.test.ts); PostgreSQL:
    if (store.dialect !== 'postgres') return;
    await expectIndexed(store, seen);
  });

  test('a rare character is found through the index, alone, ending a word or inside one', async () => {
    const store = db().store;
    const { svc, seen } = watched(store);
    await svc.create(firstLineA, intake({ subject: '鯖江市の工場', details: '詐欺の電話' }));
    await svc.create(firstLineA, intake({ subject: '「鯖」の缶詰', details: '—' }));
    await svc.create(firstLineA, intake({ subject: '青鯖 の件', details: '詐欺メール' }));
    await svc.create(firstLineA, intake({ subject: '別件', details: '詐欺の相談' }));

    const subjects = async (text: string) =>
      (await svc.list(supervisorE, { text })).items.map((c) => c.subject).sort();
    seen.length = 0;
    expect(await subjects('鯖')).toEqual(['「鯖」の缶詰', '青鯖 の件', '鯖江市の工場']);
    if (store.dialect !== 'postgres') return;
    await expectIndexed(store, seen);

    // Keys that add up to more than a search counts, none of them common: a document
    // holds several keys of a character, so it is still looked up through them.
    const keys = await sql<{ n: number }>`
      UPDATE consultation_search_trigram SET docs = ${COMMON_DOCS - 1}
      WHERE strpos(trigram, '鯖') > 0 RETURNING 1 AS n`.execute(store.db);
    expect(keys.rows.length).toBeGreaterThan(1);
    seen.length = 0;
    expect(await subjects('鯖')).toEqual(['「鯖」の缶詰', '青鯖 の件', '鯖江市の工場']);
    await expectIndexed(store, seen);

    // A common character with a rare one: the rare one is looked up, the common one
    // checked on what it finds.
    await sql`UPDATE consultation_search_trigram SET docs = ${COMMON_DOCS}
      WHERE strpos(trigram, '詐') > 0`.execute(store.db);
    seen.length = 0;
    expect(await subjects('詐 鯖')).toEqual(['青鯖 の件', '鯖江市の工場']);
    await expectIndexed(store, seen);
  });

  test('the term list always counts what the documents hold, through notes and erasure', async () => {
    const store = db().store;
    const svc = makeService(store);
    const made = [];
    for (const [subject, details] of [
      ['鯖江の眼鏡', '「PC」が動かない'],
      ['鯖江市の工場', 'PCとサーバ'],
      ['無関係', 'メールの相談'],
    ]) {
      made.push((await svc.create(firstLineA, intake({ subject, details }))).consultation);
    }
    await svc.claim(firstLineA, made[2]!.id);
    await svc.addNote(firstLineA, made[2]!.id, { body: '鯖江から PC の件', source: 'card' });
    await svc.close(supervisorE, made[0]!.id, { reason: '重複' });
    await svc.erase(supervisorE, made[0]!.id, { confirmNumber: made[0]!.number });

    if (store.dialect === 'sqlite') {
      // FTS5 keeps the term list in its index: the erased document's terms left with it.
      const terms = await sql<{ term: string }>`
        SELECT term FROM consultation_fts_terms WHERE term IN ('の眼鏡', '鯖江市')`.execute(
        store.db,
      );
      expect(terms.rows.map((r) => r.term)).toEqual(['鯖江市']);
      return;
    }
    const kept = await sql<{ trigram: string; docs: number }>`
      SELECT trigram, docs FROM consultation_search_trigram ORDER BY trigram`.execute(store.db);
    // Counted again from the documents, as the migration does for a database that had none.
    const migrator = new Migrator({
      db: store.db,
      provider: { getMigrations: async () => migrations('postgres') },
    });
    // Down past the keys that find one character: what is left is the earlier keys (three
    // word characters, or a pair alone with its neighbours), as they were counted.
    expect((await migrator.migrateTo('2026-11-27-015-thread-lines')).error).toBeUndefined();
    const before = await sql<{ trigram: string; docs: number }>`
      SELECT trigram, docs FROM consultation_search_trigram ORDER BY trigram`.execute(store.db);
    expect(before.rows).toEqual(
      kept.rows.filter((r) => {
        const chars = [...r.trigram];
        return chars.length === 4 || chars.every(isWordCharacter);
      }),
    );
    expect(before.rows.length).toBeLessThan(kept.rows.length);
    expect((await migrator.migrateTo('2026-11-27-012-consulter-keys')).error).toBeUndefined();
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const migrated = await sql<{ trigram: string; docs: number }>`
      SELECT trigram, docs FROM consultation_search_trigram ORDER BY trigram`.execute(store.db);
    expect(migrated.rows).toEqual(kept.rows);
    const bodies = await sql<{ body: string }>`SELECT body FROM consultation_search`.execute(
      store.db,
    );
    const recount = new Map<string, number>();
    for (const { body } of bodies.rows) {
      for (const k of searchKeys(body)) recount.set(k, (recount.get(k) ?? 0) + 1);
    }
    expect(new Map(kept.rows.map((r) => [r.trigram, r.docs]))).toEqual(recount);
    // The erased record's own words left with it; a word two others hold stays.
    const keys = kept.rows.map((r) => r.trigram);
    expect(keys).not.toContain('の眼鏡');
    expect(keys).toContain(' pc ');
    expect(kept.rows.find((r) => r.trigram === ' pc ')!.docs).toBe(1);
  });
});

/** The statement that found the documents went through the trigram index, not a scan. */
async function expectIndexed(store: Store, seen: readonly RootOperationNode[]): Promise<void> {
  const matching = seen
    .map((node) => store.db.getExecutor().compileQuery(node, { queryId: 'q' }))
    .find((q) => q.sql.includes('LIKE ANY'));
  expect(matching).toBeDefined();
  const plan = await store.db.transaction().execute(async (trx) => {
    await sql`SET LOCAL enable_seqscan = off`.execute(trx);
    const { rows } = await trx.executeQuery<{ 'QUERY PLAN': string }>({
      ...matching!,
      sql: `EXPLAIN ${matching!.sql}`,
    });
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  });
  expect(plan).toContain('Bitmap Index Scan on consultation_search_trgm');
  expect(plan).not.toContain('Seq Scan');
}

/** The service over `store`, with every statement it sends kept in `seen`. */
function watched(store: Store) {
  const seen: RootOperationNode[] = [];
  const catching: KyselyPlugin = {
    transformQuery: ({ node }) => (seen.push(node), node),
    transformResult: async ({ result }) => result,
  };
  return { svc: makeService({ ...store, db: store.db.withPlugin(catching) }), seen };
}
