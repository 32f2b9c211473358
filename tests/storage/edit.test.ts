import { LedgerService } from '../../src/ledger/ledger.service';
import { describeEachDialect } from '../support/dialects';
import {
  firstLineA as A,
  firstLineB as B,
  specialistC as C,
  supervisorE as E,
  intake,
  makeService,
  testClock,
} from '../support/fixtures';

/** What the form to correct a record sends: every field, as strings. */
const form = (over: { consulter?: object; situation?: object; subject?: string } = {}) => {
  const base = intake() as {
    consulter: Record<string, unknown>;
    situation: Record<string, unknown>;
    subject: string;
    details: string;
  };
  return {
    consulter: { ...base.consulter, ...over.consulter },
    subject: over.subject ?? base.subject,
    details: base.details,
    situation: { ...base.situation, contacted: '', ...over.situation },
  };
};

describeEachDialect('correcting a record', (db) => {
  test('changes what differs, and the history keeps each changed field before and after', async () => {
    const clock = testClock();
    const svc = makeService(db().store, clock);
    const { consultation: c } = await svc.create(A, intake());
    clock.advance(60_000);
    const { consultation, changed } = await svc.edit(
      B,
      c.id,
      form({
        consulter: { email: 'soumu@sample.example.jp', employees: '40' },
        subject: 'ファイルサーバが暗号化された',
      }),
      { expectedVersion: c.version },
    );
    expect(changed).toBe(true);
    expect(consultation).toMatchObject({
      version: c.version + 1,
      state: 'received',
      subject: 'ファイルサーバが暗号化された',
      consulter: { ...c.consulter, email: 'soumu@sample.example.jp', employees: 40 },
      details: c.details,
      situation: c.situation,
    });
    const { history } = await svc.details(E, c.id);
    expect(history.at(-1)).toMatchObject({
      action: 'edit',
      actor: { id: B.id },
      fromState: 'received',
      toState: 'received',
      before: { consulter: { email: 'yamada@sample.example.jp', employees: 35 } },
      after: {
        consulter: { email: 'soumu@sample.example.jp', employees: 40 },
        subject: 'ファイルサーバが暗号化された',
        fields: ['consulter.email', 'consulter.employees', 'subject'],
      },
    });
    expect(history.at(-1)!.before).not.toHaveProperty('details');

    // The ledger says what was corrected, in the desk's words.
    const ledger = new LedgerService({ store: db().store, consultations: svc, clock: clock.now });
    const { timeline } = await ledger.record(E, c.id);
    expect(timeline.at(-1)!.summary).toEqual({
      ja: '記録を修正しました（メールアドレス、従業員数、件名）',
      en: 'Edited the record (Email, Employees, Subject)',
    });
    // Each field as it was and as it is.
    expect(timeline.at(-1)!.details).toMatchObject({
      changes: [
        {
          field: 'consulter.email',
          before: { ja: 'yamada@sample.example.jp' },
          after: { ja: 'soumu@sample.example.jp' },
        },
        { field: 'consulter.employees', before: { ja: '35' }, after: { ja: '40' } },
        {
          field: 'subject',
          label: { ja: '件名', en: 'Subject' },
          before: { ja: 'ファイルが開けない' },
          after: { ja: 'ファイルサーバが暗号化された' },
        },
      ],
    });
  });

  test('erased, the correction still says which fields, and nothing of what they held', async () => {
    const clock = testClock();
    const svc = makeService(db().store, clock);
    const ledger = new LedgerService({ store: db().store, consultations: svc, clock: clock.now });
    const { consultation: c } = await svc.create(A, intake());
    await svc.edit(A, c.id, form({ consulter: { phone: '03-9999-0000' } }));
    await svc.close(E, c.id, { reason: '取り下げ' });
    await svc.erase(E, c.id, { confirmNumber: c.number });
    const entry = (await ledger.record(E, c.id)).timeline.find(
      (t) => (t.details as { action?: string } | undefined)?.action === 'edit',
    )!;
    expect(entry.summary.ja).toBe('記録を修正しました（電話番号）');
    expect(entry.details).toMatchObject({ fields: ['consulter.phone'], changes: [] });
    expect(JSON.stringify(entry)).not.toContain('03-');
  });

  test('the corrected text is found, and the consulter is known by their new details', async () => {
    const svc = makeService(db().store);
    const { consultation: earlier } = await svc.create(
      A,
      intake({ consulter: { organisation: '有限会社みなと工業', phone: null, email: null } }),
    );
    const { consultation: c } = await svc.create(
      A,
      intake({ consulter: { organisation: '株式会社ちがう', phone: null, email: null } }),
    );
    expect((await svc.related(A, c)).total).toBe(0);
    const { consultation } = await svc.edit(
      A,
      c.id,
      form({
        consulter: { organisation: '(有)みなと工業', email: '', phone: '' },
        subject: '請求書メールの添付ファイルを開いてしまった',
      }),
    );
    const related = await svc.related(A, consultation);
    expect(related.records.map((r) => r.consultation.id)).toEqual([earlier.id]);
    const found = await svc.list(A, { text: '添付ファイルを開いて', limit: 10, offset: 0 });
    expect(found.items.map((r) => r.id)).toEqual([c.id]);
  });

  test('saving what is already there changes nothing; a field left out stays, an empty one is cleared', async () => {
    const svc = makeService(db().store);
    const { consultation: c } = await svc.create(A, intake());
    const same = await svc.edit(A, c.id, form({ situation: { contacted: null } }));
    expect(same.changed).toBe(false);
    expect(await svc.get(E, c.id)).toEqual(c);
    expect((await svc.details(E, c.id)).history).toHaveLength(1);

    // The form leaves out a text too long for it: only what it sends can change.
    const { consultation } = await svc.edit(A, c.id, {
      consulter: { person: '' },
      situation: { since: '昨夜から' },
    });
    expect(consultation).toMatchObject({
      consulter: { ...c.consulter, person: null },
      situation: { ...c.situation, since: '昨夜から' },
      subject: c.subject,
      details: c.details,
    });
  });

  test('two corrections saved at once: one is kept whole, the other is told whose it was', async () => {
    const svc = makeService(db().store);
    const { consultation: c } = await svc.create(A, intake());
    const mine = form({ consulter: { email: 'a@sample.example.jp' }, subject: 'Aの訂正' });
    const theirs = form({ consulter: { email: 'b@sample.example.jp' }, subject: 'Bの訂正' });
    const results = await Promise.allSettled([
      svc.edit(A, c.id, mine, { expectedVersion: c.version }),
      svc.edit(B, c.id, theirs, { expectedVersion: c.version }),
    ]);
    const won = results.findIndex((r) => r.status === 'fulfilled');
    const lost = results[1 - won] as PromiseRejectedResult;
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const winner = [A, B][won]!;
    expect(lost.reason).toMatchObject({
      code: 'conflict',
      lastChange: { action: 'edit', by: { id: winner.id } },
    });
    const now = await svc.get(E, c.id);
    const kept = [mine, theirs][won]!;
    expect([now.subject, now.consulter.email]).toEqual([kept.subject, kept.consulter.email]);
    expect((await svc.details(E, c.id)).history.filter((h) => h.action === 'edit')).toHaveLength(1);
  });

  test('bad values are refused field by field, and nothing changes', async () => {
    const svc = makeService(db().store);
    const { consultation: c } = await svc.create(A, intake());
    await expect(
      svc.edit(A, c.id, form({ consulter: { email: 'yamada@', phone: '電話' }, subject: ' ' })),
    ).rejects.toMatchObject({
      code: 'validation',
      fields: {
        'consulter.email': { ja: expect.stringContaining('メールアドレス') },
        'consulter.phone': expect.anything(),
        subject: expect.anything(),
      },
    });
    expect(await svc.get(E, c.id)).toEqual(c);
  });

  test('a closed record is corrected by a supervisor only; a stale form is a conflict', async () => {
    const svc = makeService(db().store);
    const { consultation: c } = await svc.create(A, intake());
    await svc.claim(A, c.id);
    await svc.dispatch(A, c.id, { specialistId: C.id, coordinationNeeded: false });
    // The case's specialist may correct it while it is theirs.
    await svc.edit(C, c.id, form({ situation: { systems: 'ファイルサーバとNAS' } }));
    await svc.answer(C, c.id, { body: '案内済み', delivery: 'phone' });
    const closed = (await svc.close(A, c.id)).consultation;
    await expect(svc.edit(A, c.id, form({ subject: '訂正' }))).rejects.toMatchObject({
      code: 'forbidden',
    });
    await svc.edit(E, c.id, form({ subject: '訂正' }), { expectedVersion: closed.version });
    await expect(
      svc.edit(E, c.id, form({ subject: 'もう一度訂正' }), { expectedVersion: closed.version }),
    ).rejects.toMatchObject({ code: 'conflict', lastChange: { action: 'edit' } });
    expect((await svc.get(E, c.id)).subject).toBe('訂正');
  });
});
