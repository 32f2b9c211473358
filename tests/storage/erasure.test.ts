import { sql } from 'kysely';
import { AppError } from '../../src/errors';
import type { ConsultationService } from '../../src/consultation/consultation.service';
import type { Consultation } from '../../src/consultation/types';
import { RetentionService, type RetentionDeps } from '../../src/retention/retention.service';
import type { Store } from '../../src/store/store';
import { ThreadLineQueue } from '../../src/teams/thread-line-queue';
import { describeEachDialect } from '../support/dialects';
import {
  firstLineA as A,
  specialistC as C,
  supervisorE as E,
  intake,
  makeService,
  testClock,
  NO_CONSULTER,
} from '../support/fixtures';

/** Every word the consulter gave, or staff wrote about them, in the record below. */
const SECRETS = [
  '株式会社サンプル製作所',
  '山田 太郎',
  'yamada@sample.example.jp',
  '03-1234-5678',
  '大田区',
  'ファイルが開けない',
  'ランサムウェアの脅迫文',
  'lockbit',
  'LANケーブル',
  '取引先への連絡が必要',
  'バックアップから復旧済み',
  '社長に電話で説明した',
  '見積書.pdf',
  '二回目のメール本文',
];

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

/**
 * The message a statement was refused with, or "no error". (better-sqlite3's errors come
 * from the first test file's realm when files share a worker, so `toThrow` cannot tell.)
 */
function refusal(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'no error',
    (e: Error) => e.message,
  );
}

/**
 * A closed case that went through everything: a note, a dispatch, an answer, an email, and
 * the line about that email Teams refused in the card's thread.
 */
async function closedCase(store: Store, svc: ConsultationService): Promise<Consultation> {
  const { consultation: c } = await svc.create(A, intake({ tags: ['取引先への連絡が必要'] }));
  await svc.claim(A, c.id);
  await svc.addNote(A, c.id, { body: '社長に電話で説明した', source: 'card' });
  await svc.dispatch(A, c.id, {
    specialistId: C.id,
    coordinationNeeded: true,
    reason: '取引先への連絡が必要',
  });
  await svc.answer(C, c.id, { body: 'バックアップから復旧済み', delivery: 'phone' });
  const at = new Date().toISOString();
  const email = await store.db
    .insertInto('consultation_email')
    .values({
      consultation_id: c.id,
      graph_message_id: 'AAMk-1',
      internet_message_id: '<1@sample.example.jp>',
      conversation_id: 'conv-1',
      subject: 'Re: ファイルが開けない',
      received_at: at,
      linked_at: at,
      sender_address: 'yamada@sample.example.jp',
      body_text: '二回目のメール本文',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await store.db
    .insertInto('consultation_attachment')
    .values({
      consultation_id: c.id,
      email_id: email.id,
      graph_attachment_id: 'att-1',
      name: '見積書.pdf',
      content_type: 'application/pdf',
      size: 3,
      sha256: 'abc',
      content: Buffer.from('pdf'),
      skipped_reason: null,
      skipped_ja: null,
      skipped_en: null,
      created_at: at,
    })
    .execute();
  await new ThreadLineQueue(store).keep(c.id, 'メールが届きました: Re: ファイルが開けない', at);
  const { consultation } = await svc.close(E, c.id, { reason: 'バックアップから復旧済み' });
  return consultation;
}

/** Everything the database holds about one record, as text. */
async function everythingAbout(store: Store, id: number): Promise<string> {
  const tables = [
    'consultation_note',
    'consultation_answer',
    'consultation_email',
    'consultation_attachment',
    'consultation_history',
    'notice',
    'thread_line',
  ] as const;
  const parts: unknown[] = [
    await store.db.selectFrom('consultation').selectAll().where('id', '=', id).execute(),
  ];
  for (const t of tables) {
    parts.push(
      await store.db.selectFrom(t).selectAll().where('consultation_id', '=', id).execute(),
    );
  }
  if (store.dialect === 'postgres') {
    parts.push(
      await store.db
        .selectFrom('consultation_search')
        .selectAll()
        .where('consultation_id', '=', id)
        .execute(),
    );
  }
  return JSON.stringify(parts);
}

describeEachDialect('erasing a record on request', (db) => {
  test('the consulter’s data and words go; the number, category, dates, staff and who did what stay', async () => {
    const store = db().store;
    const svc = makeService(store);
    const c = await closedCase(store, svc);
    const before = await everythingAbout(store, c.id);
    for (const s of SECRETS) expect(before).toContain(s);
    const historyBefore = (await svc.details(E, c.id)).history;

    const { consultation: erased, changed } = await svc.erase(E, c.id, {
      confirmNumber: c.number,
    });

    expect(changed).toBe(true);
    const after = await everythingAbout(store, c.id);
    for (const s of SECRETS) expect(after).not.toContain(s);
    expect(erased).toMatchObject({
      id: c.id,
      number: c.number,
      channel: 'phone',
      state: 'closed',
      categoryId: c.categoryId,
      urgency: c.urgency,
      receivedAt: c.receivedAt,
      closedAt: c.closedAt,
      firstLineOwner: { id: A.id, name: A.name },
      specialist: { id: C.id, name: C.name },
      coordinationNeeded: true,
      coordinationReason: null,
      subject: '',
      details: '',
      tags: [],
      consulter: NO_CONSULTER,
      version: c.version + 1,
      erasure: { reason: 'request' },
    });
    // The checklist's yes / no / unknown stay: they say nothing of who asked.
    expect(erased.situation.ongoing).toBe('yes');
    expect(erased.situation.whatHappened).toBeNull();

    const d = await svc.details(E, c.id);
    expect(d.notes).toEqual([]);
    expect(d.answers).toEqual([]);
    expect(d.emails).toEqual([]);
    // The history: the same entries, who and when, plus the erasure at the end.
    expect(d.history.map((h) => [h.action, h.actor.id, h.at, h.fromState, h.toState])).toEqual([
      ...historyBefore.map((h) => [h.action, h.actor.id, h.at, h.fromState, h.toState]),
      ['erase', E.id, erased.erasure!.at, 'closed', 'closed'],
    ]);
    const dispatch = d.history.find((h) => h.action === 'dispatch')!;
    expect(dispatch.after).toEqual({
      specialist: { id: C.id, name: C.name },
      coordinationNeeded: true,
    });
    expect(d.history.find((h) => h.action === 'close')!.after).toEqual({
      closedAt: c.closedAt,
    });
    expect(d.history.at(-1)!.after).toEqual({ erasure: 'request' });

    // Its card in Teams shows the old record now: the catch-up will redraw it.
    await svc.linkCard(c.id, { conversationId: '19:desk', activityId: '1' }, A, c.version);
    expect(await svc.cardsBehind(10)).toEqual([c.id]);
  });

  test('search no longer finds it by what the consulter wrote', async () => {
    const store = db().store;
    const svc = makeService(store);
    const c = await closedCase(store, svc);
    expect((await svc.list(E, { text: 'サンプル製作所' })).items.map((i) => i.id)).toEqual([c.id]);
    await svc.erase(E, c.id, { confirmNumber: c.number });
    expect((await svc.list(E, { text: 'サンプル製作所' })).items).toEqual([]);
    // It is still in the list, by its number and filters.
    expect((await svc.list(E, { states: ['closed'] })).items.map((i) => i.id)).toEqual([c.id]);
  });

  test('only a supervisor, only a closed record, only with its own number', async () => {
    const store = db().store;
    const svc = makeService(store);
    const c = await closedCase(store, svc);
    const { consultation: open } = await svc.create(A, intake());

    const forbidden = await errorOf(svc.erase(A, c.id, { confirmNumber: c.number }));
    expect(forbidden).toMatchObject({ status: 403, code: 'forbidden' });
    // Who asks comes first: first line learns nothing about what the form needs.
    expect(await errorOf(svc.erase(A, c.id, {}))).toMatchObject({ status: 403 });
    expect(forbidden.localized.ja).toContain('個人情報の消去');

    const stillOpen = await errorOf(svc.erase(E, open.id, { confirmNumber: open.number }));
    expect(stillOpen).toMatchObject({ status: 409, code: 'invalid_transition' });

    const wrong = await errorOf(svc.erase(E, c.id, { confirmNumber: open.number }));
    expect(wrong).toMatchObject({ status: 400, code: 'validation' });
    expect(wrong.details).toEqual({
      fields: {
        confirmNumber: {
          ja: '確認のための受付番号がこの記録の受付番号と一致しません。',
          en: 'The number typed to confirm does not match this record’s number.',
        },
      },
    });
    const missing = await errorOf(svc.erase(E, c.id, {}));
    expect(Object.keys(missing.details.fields as object)).toEqual(['confirmNumber']);

    // Nothing of it was touched.
    const kept = await svc.get(E, c.id);
    expect(kept).toEqual(c);
    // Full-width digits typed into the confirmation are the same number.
    const fullWidth = c.number.replace(/[0-9-]/g, (ch) =>
      ch === '-' ? '－' : String.fromCharCode(ch.charCodeAt(0) + 0xfee0),
    );
    expect((await svc.erase(E, c.id, { confirmNumber: fullWidth })).changed).toBe(true);
  });

  test('erasing twice, or the same request delivered twice, changes nothing more', async () => {
    const store = db().store;
    const svc = makeService(store);
    const c = await closedCase(store, svc);
    const first = await svc.erase(E, c.id, { confirmNumber: c.number }, { requestId: 'r-1' });
    const again = await svc.erase(E, c.id, { confirmNumber: c.number }, { requestId: 'r-1' });
    const twice = await svc.erase(E, c.id, { confirmNumber: c.number });
    expect(again).toEqual({ consultation: first.consultation, changed: false });
    expect(twice).toEqual({ consultation: first.consultation, changed: false });
    const erasures = (await svc.details(E, c.id)).history.filter((h) => h.action === 'erase');
    expect(erasures).toHaveLength(1);
  });

  test('an erased record cannot be reopened, noted, claimed or given an email', async () => {
    const store = db().store;
    const svc = makeService(store);
    const c = await closedCase(store, svc);
    await svc.erase(E, c.id, { confirmNumber: c.number });
    for (const attempt of [
      svc.reopen(A, c.id),
      svc.reopen(E, c.id, { expectedVersion: c.version }),
      svc.addNote(A, c.id, { body: 'メモ', source: 'card' }),
      svc.claim(A, c.id),
    ]) {
      const err = await errorOf(attempt);
      expect(err).toMatchObject({ status: 409, code: 'erased' });
      expect(err.localized.ja).toContain('ご本人からの請求');
      expect(err.localized.en).toContain('erased');
    }
    expect(svc.allowedVerbs(E, await svc.get(E, c.id))).toEqual([]);
  });

  test('two supervisors erase at the same moment: erased once, both told it is erased', async () => {
    const store = db().store;
    const svc = makeService(store);
    const other = makeService(store);
    const c = await closedCase(store, svc);
    const both = await Promise.all([
      svc.erase(E, c.id, { confirmNumber: c.number }),
      other.erase({ ...E, id: 'oid-sv-f', name: '職員F' }, c.id, { confirmNumber: c.number }),
    ]);
    expect(both.map((r) => r.changed).sort()).toEqual([false, true]);
    expect(both[0].consultation.erasure).toEqual(both[1].consultation.erasure);
    const erasures = (await svc.details(E, c.id)).history.filter((h) => h.action === 'erase');
    expect(erasures).toHaveLength(1);
  });

  test('a reopen and an erasure at the same moment: one wins, the other is told', async () => {
    const store = db().store;
    const svc = makeService(store);
    const other = makeService(store);
    const c = await closedCase(store, svc);
    const [reopen, erase] = await Promise.allSettled([
      svc.reopen(A, c.id, { expectedVersion: c.version }),
      other.erase(E, c.id, { confirmNumber: c.number }, { expectedVersion: c.version }),
    ]);
    const won = [reopen, erase].filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const lost = [reopen, erase].find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(AppError);
    expect((lost.reason as AppError).status).toBe(409);
    const now = await svc.get(E, c.id);
    if (reopen.status === 'fulfilled') {
      expect(now).toMatchObject({ state: 'claimed', erasure: null });
      expect(now.subject).toBe(c.subject);
    } else {
      expect(now).toMatchObject({ state: 'closed', erasure: { reason: 'request' } });
    }
  });
});

describeEachDialect('history stays append-only around erasure', (db) => {
  test('no entry of a kept record can be changed or deleted', async () => {
    const store = db().store;
    const svc = makeService(store);
    const c = await closedCase(store, svc);
    expect(
      await refusal(
        sql`UPDATE consultation_history SET after_json = NULL WHERE consultation_id = ${c.id}`.execute(
          store.db,
        ),
      ),
    ).toMatch(/append-only/);
    expect(
      await refusal(
        sql`DELETE FROM consultation_history WHERE consultation_id = ${c.id}`.execute(store.db),
      ),
    ).toMatch(/append-only/);
  });

  test('an erased record’s entries lose free text only: who, what and when cannot change', async () => {
    const store = db().store;
    const svc = makeService(store);
    const c = await closedCase(store, svc);
    await svc.erase(E, c.id, { confirmNumber: c.number });
    for (const change of [
      sql`UPDATE consultation_history SET actor_name = 'someone' WHERE consultation_id = ${c.id}`,
      sql`UPDATE consultation_history SET action = 'note' WHERE consultation_id = ${c.id}`,
      sql`UPDATE consultation_history SET at = ${new Date(0).toISOString()} WHERE consultation_id = ${c.id}`,
      sql`DELETE FROM consultation_history WHERE consultation_id = ${c.id}`,
    ]) {
      expect(await refusal(change.execute(store.db))).toMatch(/append-only/);
    }
    await sql`UPDATE consultation_history SET before_json = NULL WHERE consultation_id = ${c.id}`.execute(
      store.db,
    );
  });
});

/** A case closed in April 2020, and a clock six years on: its period has ended. */
async function sixYearsAfterClosing(store: Store) {
  const clock = testClock('2020-04-01T01:00:00.000Z');
  const svc = makeService(store, clock);
  const { consultation: c } = await svc.create(A, intake());
  await svc.close(E, c.id, { reason: '取り下げ' });
  clock.advance(6 * 365 * 86_400_000);
  return { clock, svc, c };
}

function retentionOf(
  store: Store,
  svc: ConsultationService,
  clock: ReturnType<typeof testClock>,
  over: Partial<RetentionDeps> = {},
): RetentionService {
  const logger = { info: jest.fn(), error: jest.fn(), warn: jest.fn() };
  return new RetentionService({
    store,
    consultations: svc,
    logger: logger as never,
    clock: clock.now,
    ...over,
  });
}

describeEachDialect('the retention schedule', (db) => {
  test('records closed more than five years ago go, unless the same consulter came back since', async () => {
    const store = db().store;
    const clock = testClock('2020-04-01T01:00:00.000Z');
    const svc = makeService(store, clock);
    const consulter = (organisation: string, email: string | null, phone: string | null) => ({
      consulter: { organisation, person: '担当者', email, phone },
    });
    const closeNow = async (input: Record<string, unknown>) => {
      const { consultation: c } = await svc.create(A, intake(input));
      return (await svc.close(E, c.id, { reason: '取り下げ' })).consultation;
    };

    // April 2020: four cases closed.
    const alone = await closeNow(consulter('株式会社ひとり', null, null));
    const sameName = await closeNow(consulter('株式会社つづき', null, null));
    const sameEmail = await closeNow(consulter('Alpha Ltd.', 'it@alpha.example.jp', null));
    const samePhone = await closeNow(consulter('ベータ', null, '03-9999-0000'));
    // The same consulters come back later (written differently), and one is still open.
    clock.advance(3 * 365 * 86_400_000);
    await closeNow(consulter('㈱ つづき', null, null));
    await closeNow(consulter('Alpha', 'IT@ALPHA.EXAMPLE.JP', null));
    await svc.create(A, intake(consulter('ガンマ', null, '０３（９９９９）００００')));
    // 2026-11-26: six years and more after April 2020, three and more after 2023.
    clock.advance(3 * 365 * 86_400_000 + 240 * 86_400_000);

    const logged: unknown[] = [];
    const logger = { info: (o: unknown) => logged.push(o), error: jest.fn(), warn: jest.fn() };
    const retention = retentionOf(store, svc, clock, { logger: logger as never, batchSize: 2 });
    const due = await retention.due();
    expect(due).toEqual({ ids: [alone.id], kept: 3 });

    const run = await retention.run();
    expect(run).toMatchObject({ erased: 1, kept: 3, failed: 0 });
    expect((await svc.get(E, alone.id)).erasure).toEqual({
      at: clock.now().toISOString(),
      reason: 'retention',
    });
    for (const kept of [sameName, sameEmail, samePhone]) {
      expect((await svc.get(E, kept.id)).erasure).toBeNull();
    }
    const history = (await svc.details(E, alone.id)).history.at(-1)!;
    expect(history).toMatchObject({ action: 'erase', actor: { id: 'system:retention' } });
    // Counts only in the log, never what was erased.
    expect(JSON.stringify(logged)).not.toContain('ひとり');
    expect(logged).toEqual([expect.objectContaining({ erased: 1, kept: 3, failed: 0 })]);

    // A second run finds nothing more to do.
    expect(await retention.run()).toMatchObject({ erased: 0, kept: 3 });
  });

  test('a record reopened after it was found due is left alone', async () => {
    const store = db().store;
    const { clock, svc, c } = await sixYearsAfterClosing(store);
    const retention = retentionOf(store, svc, clock);
    const { ids } = await retention.due();
    expect(ids).toEqual([c.id]);
    await svc.reopen(A, c.id);
    const err = await errorOf(svc.eraseExpired(c.id, clock.now().toISOString()));
    expect(err).toMatchObject({ code: 'invalid_transition' });
    // Closed again today: its five years start again.
    await svc.answer(A, c.id, { body: '回答', delivery: 'phone' });
    await svc.close(A, c.id);
    expect(await retention.run()).toMatchObject({ erased: 0 });
    expect((await svc.get(E, c.id)).erasure).toBeNull();
  });
  test('the schedule runs at once, then on its own, and says when it cannot', async () => {
    const store = db().store;
    const { clock, svc, c } = await sixYearsAfterClosing(store);
    const warned: unknown[] = [];
    let runs = 0;
    const logger = { info: jest.fn(), error: jest.fn(), warn: (o: unknown) => warned.push(o) };
    // The database is out of reach from the second run on.
    const flaky = {
      ...store,
      get db() {
        if (++runs > 1) throw new Error('connection refused');
        return store.db;
      },
    } as Store;
    const retention = retentionOf(flaky, svc, clock, { logger: logger as never });
    const stop = retention.keepRunning(20);
    try {
      for (let i = 0; i < 100 && warned.length < 2; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      stop();
    }
    // At once: the record is erased without waiting for the first interval.
    expect((await svc.get(E, c.id)).erasure).toMatchObject({ reason: 'retention' });
    expect(warned.length).toBeGreaterThanOrEqual(2);
    expect(warned[0]).toEqual({ err: { name: 'Error', message: 'connection refused' } });
  });
});
