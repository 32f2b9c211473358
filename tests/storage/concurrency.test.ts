import { ConsultationRepository } from '../../src/consultation/consultation.repository';
import { ConflictError } from '../../src/errors';
import { describeEachDialect } from '../support/dialects';
import { ACTORS, firstLineA, intake, makeService, supervisorE } from '../support/fixtures';
import type { Actor } from '../../src/consultation/types';

describeEachDialect('two people at once', (db) => {
  test('50 concurrent claims: exactly one wins, 49 are told who has it', async () => {
    const svc = makeService(db().store);
    const { consultation: c } = await svc.create(firstLineA, intake());
    const claimants: Actor[] = Array.from({ length: 50 }, (_, i) => ({
      id: `oid-claimant-${i}`,
      name: `受付担当${i}`,
      roles: ['first-line'],
    }));

    const results = await Promise.allSettled(
      claimants.map((a) => svc.claim(a, c.id, { expectedVersion: c.version })),
    );

    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(49);
    const winner = (await svc.get(supervisorE, c.id)).firstLineOwner;
    expect(winner).not.toBeNull();
    for (const r of lost) {
      expect(r.reason).toBeInstanceOf(ConflictError);
      expect(r.reason).toMatchObject({
        code: 'conflict',
        lastChange: { action: 'claim', by: winner },
      });
      expect((r.reason as ConflictError).localized.ja).toContain(`${winner!.name}さん`);
    }
    const { history } = await svc.details(supervisorE, c.id);
    expect(history.filter((h) => h.action === 'claim')).toHaveLength(1);
  });

  test('50 concurrent claims without a version: still one winner', async () => {
    const svc = makeService(db().store);
    const { consultation: c } = await svc.create(firstLineA, intake());
    const claimants: Actor[] = Array.from({ length: 50 }, (_, i) => ({
      id: `oid-claimant-${i}`,
      name: `受付担当${i}`,
      roles: ['first-line'],
    }));
    const results = await Promise.allSettled(claimants.map((a) => svc.claim(a, c.id)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const reasons = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(reasons.every((e) => e instanceof ConflictError)).toBe(true);
  });

  test('200 concurrent creations: numbers unique and without gaps', async () => {
    const svc = makeService(db().store);
    const staff = ACTORS.filter((a) => a.roles.length > 0);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        svc.create(staff[i % staff.length]!, intake({ subject: `相談 ${i}` })),
      ),
    );
    const numbers = results.map((r) => r.consultation.number).sort();
    expect(new Set(numbers).size).toBe(200);
    expect(numbers).toEqual(
      Array.from({ length: 200 }, (_, i) => `2026-${String(i + 1).padStart(6, '0')}`),
    );
  });

  test('a creation that fails after taking a number gives it back (no gap)', async () => {
    const svc = makeService(db().store);
    await svc.create(firstLineA, intake());
    const insert = jest
      .spyOn(ConsultationRepository.prototype, 'insert')
      .mockRejectedValueOnce(new Error('disk full'));
    await expect(svc.create(firstLineA, intake())).rejects.toThrow('disk full');
    insert.mockRestore();
    const { consultation } = await svc.create(firstLineA, intake());
    expect(consultation.number).toBe('2026-000002');
    expect((await svc.list(supervisorE, {})).total).toBe(2);
  });
});

describeEachDialect('numbering by fiscal year', (db) => {
  test('April starts a new fiscal year in Tokyo time', async () => {
    const svc = makeService(db().store);
    const march = await svc.create(firstLineA, intake({ receivedAt: '2026-03-31T14:59:00Z' })); // 23:59 JST
    const april = await svc.create(firstLineA, intake({ receivedAt: '2026-03-31T15:00:00Z' })); // 00:00 JST
    const april2 = await svc.create(
      firstLineA,
      intake({ receivedAt: '2026-05-01T00:00:00+09:00' }),
    );
    expect(march.consultation.number).toBe('2025-000001');
    expect(april.consultation.number).toBe('2026-000001');
    expect(april2.consultation.number).toBe('2026-000002');
  });
});

describeEachDialect('history', (db) => {
  test('history cannot be changed or removed, even by a direct query', async () => {
    const store = db().store;
    const svc = makeService(store);
    const { consultation: c } = await svc.create(firstLineA, intake());
    await svc.claim(firstLineA, c.id);
    const tamper = [
      () =>
        store.db.updateTable('consultation_history').set({ actor_name: 'someone else' }).execute(),
      () => store.db.deleteFrom('consultation_history').execute(),
    ];
    for (const attempt of tamper) {
      const outcome = await attempt().then(
        (r) => `no error: ${JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? Number(v) : v))}`,
        (e: Error) => e.message,
      );
      expect(outcome).toMatch(/append-only/);
    }
    const { history } = await svc.details(supervisorE, c.id);
    expect(history.map((h) => [h.action, h.actor.name])).toEqual([
      ['create', firstLineA.name],
      ['claim', firstLineA.name],
    ]);
  });

  test('every change appends exactly one entry, and reads append none', async () => {
    const svc = makeService(db().store);
    const { consultation: c } = await svc.create(firstLineA, intake());
    await svc.get(supervisorE, c.id);
    await svc.list(supervisorE, { text: 'ランサム' });
    await svc.claim(firstLineA, c.id);
    await svc.addNote(firstLineA, c.id, { body: '確認中' });
    await svc.recategorise(firstLineA, c.id, { categoryId: 'data-leak' });
    await svc.answer(firstLineA, c.id, { body: '回答', delivery: 'phone' });
    await svc.close(firstLineA, c.id);
    const { history, consultation } = await svc.details(supervisorE, c.id);
    expect(history.map((h) => h.action)).toEqual([
      'create',
      'claim',
      'note',
      'recategorise',
      'answer',
      'close',
    ]);
    expect(consultation.version).toBe(history.length);
  });
});
