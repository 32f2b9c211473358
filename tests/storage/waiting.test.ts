import { describeEachDialect } from '../support/dialects';
import {
  firstLineA as A,
  specialistC as C,
  supervisorE as E,
  outsider,
  intake,
  makeService,
  testClock,
} from '../support/fixtures';

describeEachDialect('what is waiting at the desk', (db) => {
  test('for each open state: how many, and those received longest ago first', async () => {
    const clock = testClock('2026-11-20T00:00:00.000Z');
    const svc = makeService(db().store, clock);
    const record = async (subject: string, receivedAt: string) =>
      (await svc.create(A, intake({ subject, receivedAt }))).consultation;
    // Received out of order: the oldest by received time comes first, not by number.
    const later = await record('後から受付', '2026-11-19T09:00:00.000Z');
    const earliest = await record('最初に受付', '2026-11-18T09:00:00.000Z');
    const middle = await record('二番目', '2026-11-18T12:00:00.000Z');
    const fourth = await record('四番目', '2026-11-19T12:00:00.000Z');
    const claimed = await record('担当済み', '2026-11-17T09:00:00.000Z');
    await svc.claim(A, claimed.id);
    const dispatched = await record('依頼済み', '2026-11-16T09:00:00.000Z');
    await svc.claim(A, dispatched.id);
    await svc.dispatch(A, dispatched.id, {
      specialistId: C.id,
      specialistName: C.name,
      coordinationNeeded: false,
    });
    const closed = await record('完了済み', '2026-11-10T09:00:00.000Z');
    await svc.close(E, closed.id, { reason: '重複' });

    const groups = await svc.waiting(A);
    const shape = groups.map((g) => ({
      state: g.state,
      total: g.total,
      oldest: g.oldest.map((c) => c.id),
    }));
    expect(shape).toEqual([
      { state: 'received', total: 4, oldest: [earliest.id, middle.id, later.id] },
      { state: 'claimed', total: 1, oldest: [claimed.id] },
      { state: 'dispatched', total: 1, oldest: [dispatched.id] },
      { state: 'answered', total: 0, oldest: [] },
    ]);
    expect((await svc.waiting(A, 4))[0]!.oldest.map((c) => c.id)).toEqual([
      earliest.id,
      middle.id,
      later.id,
      fourth.id,
    ]);
    await expect(svc.waiting(outsider)).rejects.toMatchObject({ status: 403 });
  });
});
