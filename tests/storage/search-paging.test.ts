import { EMPTY_SITUATION, NO_CONSULTER } from '../support/fixtures';
import { describeEachDialect } from '../support/dialects';
import {
  ConsultationRepository,
  SEARCH_COUNT_LIMIT,
  type ListQuery,
} from '../../src/consultation/consultation.repository';
import type { State } from '../../src/consultation/types';
import { inTransaction } from '../../src/store/store';

const BASE = Date.UTC(2026, 0, 5, 0, 0, 0);
const minutes = (m: number) => new Date(BASE + m * 60_000).toISOString();
const N = SEARCH_COUNT_LIMIT + 120;
/** Writing N records takes a while on a busy machine. */
const SLOW = 120_000;

interface Made {
  id: number;
  receivedAt: string;
  state: State;
  subject: string;
}

/**
 * More matches than a search counts, written straight through the repository (the
 * service's rules are not the point here). Ids follow received time except for two
 * kinds of record a search must still place right: one written first but received last,
 * and a batch written last but received before everything else.
 */
function received(i: number): string {
  if (i === 0) return minutes(100_000);
  if (i >= N - 40) return minutes(-10 * (i - (N - 40) + 1));
  return minutes(i * 3);
}

describeEachDialect('text search over many matches', (db) => {
  let made: Made[];
  let repo: ConsultationRepository;

  beforeEach(async () => {
    const store = db().store;
    repo = new ConsultationRepository(store.dialect);
    made = [];
    await inTransaction(store, async (trx) => {
      for (let i = 0; i < N; i++) {
        const state: State = i % 5 === 0 ? 'closed' : 'received';
        // Every record says 詐欺; every seventh also names a ward; record 17 alone has 鯖江.
        const subject = `詐欺の相談 ${i}${i % 7 === 0 ? ' 世田谷区' : ''}${i === 17 ? ' 鯖江' : ''}`;
        const receivedAt = received(i);
        const id = await repo.insert(trx, {
          number: `2025-${String(i + 1).padStart(6, '0')}`,
          fiscalYear: 2025,
          seq: i + 1,
          channel: 'phone',
          state,
          receivedAt,
          consulter: NO_CONSULTER,
          categoryId: 'phishing',
          urgency: 'normal',
          subject,
          details: '不審な電話があった。',
          situation: EMPTY_SITUATION,
          firstLineOwner: null,
          specialist: null,
          coordinationNeeded: null,
          coordinationReason: null,
          tags: [],
          createdBy: { id: 'oid-fl-a', name: '受付担当A' },
          createdAt: receivedAt,
          updatedAt: receivedAt,
          version: 1,
        });
        await repo.reindex(trx, id);
        made.push({ id, receivedAt, state, subject });
      }
    });
  }, SLOW);

  /** What a list must return: every match, newest received first, then the higher id. */
  const expected = (keep: (m: Made) => boolean, q: Pick<ListQuery, 'limit' | 'offset'>) =>
    made
      .filter(keep)
      .sort((a, b) =>
        a.receivedAt === b.receivedAt ? b.id - a.id : a.receivedAt < b.receivedAt ? 1 : -1,
      )
      .slice(q.offset, q.offset + q.limit)
      .map((m) => m.id);

  const list = (q: Omit<ListQuery, 'limit' | 'offset'> & Partial<ListQuery>) =>
    repo.list(db().store.db, { limit: 50, offset: 0, ...q });

  test(
    'pages are exact and in received order, whatever the ids say',
    async () => {
      const r = await list({ text: '詐欺' });
      expect(r.items.map((c) => c.id)).toEqual(expected(() => true, { limit: 50, offset: 0 }));
      // Written first, received last: still first.
      expect(r.items[0]!.id).toBe(made[0]!.id);
      // Exact, or "at least" once past the count limit.
      if (r.totalIsLowerBound) expect(r.total).toBeGreaterThan(SEARCH_COUNT_LIMIT);
      else expect(r.total).toBe(N);

      // Deep pages, down to the records written last but received first.
      for (const offset of [950, SEARCH_COUNT_LIMIT + 40, N - 30]) {
        const page = await list({ text: '詐欺', offset, limit: 50 });
        expect(page.items.map((c) => c.id)).toEqual(expected(() => true, { offset, limit: 50 }));
      }

      const closed = (m: Made) => m.state === 'closed';
      const f = await list({ text: '詐欺', states: ['closed'], offset: 100 });
      expect(f.items.map((c) => c.id)).toEqual(expected(closed, { limit: 50, offset: 100 }));

      const ward = (m: Made) => m.subject.includes('世田谷区');
      const w = await list({ text: '世田谷区 詐欺', offset: 20, limit: 30 });
      expect(w.items.map((c) => c.id)).toEqual(expected(ward, { limit: 30, offset: 20 }));
    },
    SLOW,
  );

  test(
    'totals are exact up to the count limit, and "at least" past it',
    async () => {
      const before = minutes(50_000);
      const many = await list({ text: '詐欺', receivedBefore: before });
      const keep = (m: Made) => m.receivedAt < before;
      expect(many.items.map((c) => c.id)).toEqual(expected(keep, { limit: 50, offset: 0 }));
      expect(many.totalIsLowerBound).toBe(true);
      expect(many.total).toBeGreaterThan(SEARCH_COUNT_LIMIT);
      expect(many.total).toBeLessThanOrEqual(made.filter(keep).length);

      const closed = await list({ text: '詐欺', states: ['closed'] });
      expect(closed.total).toBe(made.filter((m) => m.state === 'closed').length);
      expect(closed.totalIsLowerBound).toBeUndefined();

      const inRange = (m: Made) => m.receivedAt >= minutes(300) && m.receivedAt < minutes(600);
      const range = await list({
        text: '詐欺',
        receivedFrom: minutes(300),
        receivedBefore: minutes(600),
      });
      expect(range.items.map((c) => c.id)).toEqual(expected(inRange, { limit: 50, offset: 0 }));
      expect(range.total).toBe(made.filter(inRange).length);

      const rare = await list({ text: '鯖江' });
      expect(rare.items.map((c) => c.id)).toEqual([made[17]!.id]);
      expect(rare.total).toBe(1);
      expect(rare.totalIsLowerBound).toBeUndefined();
    },
    SLOW,
  );
});
