import { NOTICE_EXPIRES_MS, NOTICE_LEASE_MS } from '../../src/consultation/notice-queue';
import { ThreadLineQueue } from '../../src/teams/thread-line-queue';
import { describeEachDialect } from '../support/dialects';
import { firstLineA, intake, makeService } from '../support/fixtures';

describeEachDialect('thread lines Teams refused', (db) => {
  async function oneKept() {
    const store = db().store;
    const { consultation: c } = await makeService(store).create(firstLineA, intake());
    let now = Date.parse('2026-11-27T09:00:00Z');
    const clock = () => new Date(now);
    const a = new ThreadLineQueue(store, clock);
    await a.keep(c.id, '受付担当Aさんが担当しました 2026/11/27 17:59', '2026-11-27T08:59:30.000Z');
    now += 5 * 60_000;
    return {
      c,
      a,
      b: new ThreadLineQueue(store, clock),
      wait: (ms: number) => void (now += ms),
      rows: () => store.db.selectFrom('thread_line').selectAll().execute(),
    };
  }

  test('kept as it would have been sent; a catch-up leaves fresh ones alone', async () => {
    const { c, a } = await oneKept();
    expect(await a.owed({ olderThanMs: 60_000, limit: 10 })).toEqual([
      {
        id: expect.any(Number) as number,
        consultationId: c.id,
        text: '受付担当Aさんが担当しました 2026/11/27 17:59',
        saidAt: '2026-11-27T08:59:30.000Z',
        attempts: 0,
      },
    ]);
    expect(await a.owed({ olderThanMs: 10 * 60_000, limit: 10 })).toEqual([]);
  });

  test('a record holds lines until the last of them is done; another record holds none', async () => {
    const { c, a, b } = await oneKept();
    const { consultation: other } = await makeService(db().store).create(firstLineA, intake());
    expect(await b.holds(c.id)).toBe(true);
    expect(await b.holds(other.id)).toBe(false);
    const [owed] = await a.owed({ olderThanMs: 0, limit: 10 });
    expect(await a.take(owed!.id)).toBe(true);
    expect(await b.holds(c.id)).toBe(true); // taken, not yet said
    await a.done(owed!.id);
    expect(await b.holds(c.id)).toBe(false);
  });

  test('oldest first, at most `limit`', async () => {
    const { c, a } = await oneKept();
    await a.keep(c.id, 'two', '2026-11-27T09:04:00.000Z');
    await a.keep(c.id, 'three', '2026-11-27T09:04:30.000Z');
    const owed = await a.owed({ olderThanMs: 0, limit: 2 });
    expect(owed.map((l) => l.text)).toEqual([
      '受付担当Aさんが担当しました 2026/11/27 17:59',
      'two',
    ]);
  });

  test('two instances saying it at once: one takes it, the other leaves it', async () => {
    const { a, b } = await oneKept();
    const [owed] = await a.owed({ olderThanMs: 60_000, limit: 10 });
    const taken = await Promise.all([a.take(owed!.id), b.take(owed!.id)]);
    expect(taken.filter(Boolean)).toHaveLength(1);
    // Taken: not offered to anyone while it may still be on its way.
    expect(await b.owed({ olderThanMs: 0, limit: 10 })).toEqual([]);
  });

  test('one taken and never done is owed again when its lease ends; done, it is gone', async () => {
    const { a, b, wait, rows } = await oneKept();
    const [owed] = await a.owed({ olderThanMs: 60_000, limit: 10 });
    expect(await a.take(owed!.id)).toBe(true);
    wait(NOTICE_LEASE_MS - 1);
    expect(await b.take(owed!.id)).toBe(false);
    wait(1);
    expect(await b.owed({ olderThanMs: 60_000, limit: 10 })).toEqual([
      expect.objectContaining({ id: owed!.id, attempts: 1 }),
    ]);
    expect(await b.take(owed!.id)).toBe(true);
    await b.done(owed!.id);
    expect(await rows()).toEqual([]);
    wait(NOTICE_LEASE_MS);
    expect(await a.take(owed!.id)).toBe(false);
  });

  test('a failed try is released: owed again at once', async () => {
    const { a, b } = await oneKept();
    const [owed] = await a.owed({ olderThanMs: 60_000, limit: 10 });
    expect(await a.take(owed!.id)).toBe(true);
    await a.release(owed!.id);
    expect(await b.owed({ olderThanMs: 60_000, limit: 10 })).toEqual([
      expect.objectContaining({ id: owed!.id, attempts: 1 }),
    ]);
    expect(await b.take(owed!.id)).toBe(true);
  });

  test('a day after it was said, a line is too old to say', async () => {
    const { a, wait } = await oneKept();
    const [owed] = await a.owed({ olderThanMs: 60_000, limit: 10 });
    // Said at 08:59:30, now 09:05.
    expect(a.expired(owed!)).toBe(false);
    wait(NOTICE_EXPIRES_MS - 5.5 * 60_000);
    expect(a.expired(owed!)).toBe(true);
  });
});
