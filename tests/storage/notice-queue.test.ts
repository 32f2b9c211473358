import {
  NOTICE_EXPIRES_MS,
  NOTICE_LEASE_MS,
  NoticeQueue,
} from '../../src/consultation/notice-queue';
import { NoticeRepository } from '../../src/consultation/notice.repository';
import { describeEachDialect } from '../support/dialects';
import { firstLineA, intake, makeService } from '../support/fixtures';

describeEachDialect('notices owed by changes', (db) => {
  async function oneOwed() {
    const store = db().store;
    const { consultation: c } = await makeService(store).create(firstLineA, intake());
    await store.db.transaction().execute((trx) =>
      new NoticeRepository().add(trx, {
        consultationId: c.id,
        kind: 'dispatched',
        recipientId: 'oid-specialist',
        by: { id: firstLineA.id, name: firstLineA.name },
        at: '2026-11-27T09:00:00.000Z',
        version: 3,
      }),
    );
    let now = Date.parse('2026-11-27T09:05:00Z');
    const clock = () => new Date(now);
    return {
      c,
      a: new NoticeQueue(store, clock),
      b: new NoticeQueue(store, clock),
      wait: (ms: number) => void (now += ms),
    };
  }

  test('two instances delivering at once: one takes it, the other leaves it', async () => {
    const { c, a, b } = await oneOwed();
    const [owed] = await a.owed({ consultationId: c.id });
    expect(owed).toMatchObject({ kind: 'dispatched', recipientId: 'oid-specialist', attempts: 0 });
    const taken = await Promise.all([a.take(owed!.id), b.take(owed!.id)]);
    expect(taken.filter(Boolean)).toHaveLength(1);
    // Taken: not offered to anyone while its delivery may still be going on.
    expect(await b.owed({ consultationId: c.id })).toEqual([]);
    expect(await b.owed({ olderThanMs: 60_000, limit: 10 })).toEqual([]);
  });

  test('a delivery that never finished is owed again when its lease ends', async () => {
    const { c, a, b, wait } = await oneOwed();
    const [owed] = await a.owed({ consultationId: c.id });
    expect(await a.take(owed!.id)).toBe(true);
    wait(NOTICE_LEASE_MS);
    expect(await b.owed({ olderThanMs: 60_000, limit: 10 })).toEqual([
      expect.objectContaining({ id: owed!.id, attempts: 1 }),
    ]);
    expect(await b.take(owed!.id)).toBe(true);
    await b.finish(owed!.id, 'sent');
    wait(NOTICE_LEASE_MS);
    expect(await a.owed({ olderThanMs: 0, limit: 10 })).toEqual([]);
    expect(await a.take(owed!.id)).toBe(false);
  });

  test('a failed delivery is released for the next try; a catch-up leaves fresh notices alone', async () => {
    const { c, a } = await oneOwed();
    const [owed] = await a.owed({ consultationId: c.id });
    expect(await a.take(owed!.id)).toBe(true);
    await a.release(owed!.id);
    expect(await a.owed({ olderThanMs: 60_000, limit: 10 })).toHaveLength(1);
    expect(await a.owed({ olderThanMs: 10 * 60_000, limit: 10 })).toEqual([]);
  });

  test('a notice not delivered within a day is too old to deliver', async () => {
    const { c, a, wait } = await oneOwed();
    const [owed] = await a.owed({ consultationId: c.id });
    // Written at 09:00, now 09:05.
    expect(a.expired(owed!)).toBe(false);
    wait(NOTICE_EXPIRES_MS - 5 * 60_000);
    expect(a.expired(owed!)).toBe(true);
  });
});
