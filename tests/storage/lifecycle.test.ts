import { AppError } from '../../src/errors';
import type { ConsultationService } from '../../src/consultation/consultation.service';
import type { Actor, State } from '../../src/consultation/types';
import { NoticeRepository } from '../../src/consultation/notice.repository';
import { describeEachDialect } from '../support/dialects';
import {
  ACTORS,
  firstLineA,
  firstLineB,
  intake,
  makeService,
  outsider,
  specialistC,
  specialistD,
  supervisorE,
} from '../support/fixtures';

const VERBS = [
  'claim',
  'unclaim',
  'dispatch',
  'return',
  'answer',
  'note',
  'recategorise',
  'edit',
  'close',
  'reopen',
] as const;
type Verb = (typeof VERBS)[number];

const A = firstLineA,
  B = firstLineB,
  C = specialistC,
  D = specialistD,
  E = supervisorE;
const ALL_STAFF = [A, B, C, D, E];

/**
 * Who may do what, per state, for a case owned at first line by A and dispatched to C.
 * Everything not listed must fail: `invalid_transition` where the action never applies
 * in that state, `forbidden` where it applies but not for that person.
 */
const ALLOWED: Record<State, Partial<Record<Verb, Actor[]>>> = {
  received: {
    claim: [A, B, E],
    note: ALL_STAFF,
    recategorise: [A, B, E],
    edit: [A, B, E],
    close: [E],
  },
  claimed: {
    unclaim: [A, E],
    dispatch: [A, E],
    answer: [A, E],
    note: ALL_STAFF,
    recategorise: [A, B, E],
    edit: [A, B, E],
    close: [E],
  },
  dispatched: {
    dispatch: [A, E],
    return: [C, E],
    answer: [A, C, E],
    note: ALL_STAFF,
    recategorise: [A, B, C, E],
    edit: [A, B, C, E],
    close: [E],
  },
  answered: {
    note: ALL_STAFF,
    recategorise: [A, B, C, E],
    edit: [A, B, C, E],
    close: [A, C, E],
  },
  closed: { reopen: [A, B, E], edit: [E] },
};
const APPLIES: Record<Verb, State[]> = {
  claim: ['received'],
  unclaim: ['claimed'],
  dispatch: ['claimed', 'dispatched'],
  return: ['dispatched'],
  answer: ['claimed', 'dispatched'],
  note: ['received', 'claimed', 'dispatched', 'answered'],
  recategorise: ['received', 'claimed', 'dispatched', 'answered'],
  edit: ['received', 'claimed', 'dispatched', 'answered', 'closed'],
  close: ['received', 'claimed', 'dispatched', 'answered'],
  reopen: ['closed'],
};
const TARGET: Record<Verb, (from: State) => State> = {
  claim: () => 'claimed',
  unclaim: () => 'received',
  dispatch: () => 'dispatched',
  return: () => 'claimed',
  answer: () => 'answered',
  note: (s) => s,
  recategorise: (s) => s,
  edit: (s) => s,
  close: () => 'closed',
  reopen: () => 'claimed',
};

/** Brings a new case to `state` along the normal path. */
async function caseIn(svc: ConsultationService, state: State): Promise<number> {
  const { consultation: c } = await svc.create(A, intake());
  const path: State[] = ['received', 'claimed', 'dispatched', 'answered', 'closed'];
  for (const step of path.slice(1, path.indexOf(state) + 1)) {
    if (step === 'claimed') await svc.claim(A, c.id);
    if (step === 'dispatched')
      await svc.dispatch(A, c.id, {
        specialistId: C.id,
        coordinationNeeded: true,
        reason: '技術的判断が必要',
      });
    if (step === 'answered')
      await svc.answer(C, c.id, { body: '初動対応を案内した。', delivery: 'phone' });
    if (step === 'closed') await svc.close(A, c.id);
  }
  return c.id;
}

function perform(svc: ConsultationService, actor: Actor, id: number, verb: Verb, version: number) {
  const opts = { expectedVersion: version };
  switch (verb) {
    case 'claim':
      return svc.claim(actor, id, opts);
    case 'unclaim':
      return svc.unclaim(actor, id, opts);
    case 'dispatch':
      return svc.dispatch(actor, id, { specialistId: D.id, coordinationNeeded: false }, opts);
    case 'return':
      return svc.returnToFirstLine(actor, id, { reason: '担当分野外のため' }, opts);
    case 'answer':
      return svc.answer(actor, id, { body: '回答しました。', delivery: 'phone' }, opts);
    case 'note':
      return svc.addNote(actor, id, { body: '折り返し予定' }, opts);
    case 'recategorise':
      return svc.recategorise(actor, id, { categoryId: 'phishing', urgency: 'critical' }, opts);
    case 'edit':
      return svc.edit(actor, id, { subject: '件名を訂正した' }, opts);
    case 'close':
      return svc.close(actor, id, { reason: '重複登録' }, opts);
    case 'reopen':
      return svc.reopen(actor, id, opts);
  }
}

describeEachDialect('lifecycle', (db) => {
  const states: State[] = ['received', 'claimed', 'dispatched', 'answered', 'closed'];

  test.each(states)('from %s: every role, every action', async (state) => {
    const svc = makeService(db().store);
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const verb of VERBS) {
      for (const actor of [...ACTORS]) {
        const id = await caseIn(svc, state);
        const before = await svc.details(E, id);
        const allowed = ALLOWED[state][verb]?.includes(actor) ?? false;
        const again = state === 'claimed' && verb === 'claim' && actor === A;
        const want = again
          ? 'unchanged' // the owner pressing claim again
          : allowed
            ? `ok→${TARGET[verb](state)}`
            : actor === outsider || APPLIES[verb].includes(state)
              ? 'forbidden'
              : 'invalid_transition';
        expected.push(`${verb} by ${actor.name}: ${want}`);
        // The buttons a card offers are exactly the actions that succeed.
        expect([
          verb,
          actor.name,
          svc.allowedVerbs(actor, before.consultation).includes(verb),
        ]).toEqual([verb, actor.name, allowed]);
        try {
          const { consultation, changed } = await perform(
            svc,
            actor,
            id,
            verb,
            before.consultation.version,
          );
          const after = await svc.details(E, id);
          if (!changed) {
            outcomes.push(`${verb} by ${actor.name}: unchanged`);
            expect(after).toEqual(before);
            continue;
          }
          outcomes.push(`${verb} by ${actor.name}: ok→${consultation.state}`);
          expect(after.consultation.version).toBe(before.consultation.version + 1);
          expect(after.history).toHaveLength(before.history.length + 1);
          expect(after.history.at(-1)).toMatchObject({
            action: verb,
            actor: { id: actor.id, name: actor.name },
            fromState: state,
            toState: consultation.state,
          });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          outcomes.push(`${verb} by ${actor.name}: ${err.code}`);
          const after = await svc.details(E, id);
          expect(after).toEqual(before); // a refused action changes nothing at all
        }
      }
    }
    expect(outcomes).toEqual(expected);
  });

  test('each transition writes what changed, before and after', async () => {
    const svc = makeService(db().store);
    const id = await caseIn(svc, 'claimed');
    await svc.dispatch(A, id, {
      specialistId: C.id,
      coordinationNeeded: true,
      reason: '警察への相談調整',
    });
    const { consultation, history } = await svc.details(E, id);
    expect(consultation).toMatchObject({
      state: 'dispatched',
      specialist: { id: C.id, name: C.name },
      coordinationNeeded: true,
      coordinationReason: '警察への相談調整',
      firstLineOwner: { id: A.id, name: A.name },
    });
    expect(history.map((h) => h.action)).toEqual(['create', 'claim', 'dispatch']);
    expect(history[2]).toMatchObject({
      before: { state: 'claimed', specialist: null, coordinationNeeded: null },
      after: { specialist: { id: C.id, name: C.name }, coordinationNeeded: true },
    });
  });

  test('answers and notes are kept on the record with their author', async () => {
    const svc = makeService(db().store);
    const id = await caseIn(svc, 'dispatched');
    await svc.addNote(D, id, { body: '類似事例あり', source: 'thread' });
    await svc.answer(C, id, { body: 'バックアップからの復旧手順を案内。', delivery: 'email' });
    const d = await svc.details(E, id);
    expect(d.notes).toMatchObject([
      { author: { id: D.id }, body: '類似事例あり', source: 'thread' },
    ]);
    expect(d.answers).toMatchObject([
      {
        author: { id: C.id },
        line: 'second',
        body: 'バックアップからの復旧手順を案内。',
        delivery: 'email',
      },
    ]);
  });

  test('reopen makes the reopener the owner and clears the closed time', async () => {
    const svc = makeService(db().store);
    const id = await caseIn(svc, 'closed');
    expect((await svc.get(E, id)).closedAt).not.toBeNull();
    const { consultation } = await svc.reopen(B, id);
    expect(consultation).toMatchObject({
      state: 'claimed',
      firstLineOwner: { id: B.id },
      closedAt: null,
    });
  });

  test('dispatch only to a specialist; closing an unanswered case needs a reason', async () => {
    const svc = makeService(db().store);
    const id = await caseIn(svc, 'claimed');
    await expect(
      svc.dispatch(A, id, { specialistId: B.id, coordinationNeeded: false }),
    ).rejects.toMatchObject({
      code: 'validation',
      fields: { specialistId: { ja: expect.stringContaining('専門員') } },
    });
    await expect(svc.close(E, id, {})).rejects.toMatchObject({
      code: 'validation',
      fields: { reason: expect.anything() },
    });
    expect((await svc.get(E, id)).state).toBe('claimed');
  });

  test('a dispatched case goes to another specialist; the one it is with is refused', async () => {
    const svc = makeService(db().store);
    const id = await caseIn(svc, 'dispatched');
    await expect(
      svc.dispatch(A, id, { specialistId: C.id, coordinationNeeded: true }),
    ).rejects.toMatchObject({
      code: 'validation',
      fields: { specialistId: { ja: expect.stringContaining('すでにこの専門員') } },
    });
    const { consultation } = await svc.dispatch(A, id, {
      specialistId: D.id,
      coordinationNeeded: true,
      reason: 'Cさん不在のため',
    });
    expect(consultation).toMatchObject({ state: 'dispatched', specialist: { id: D.id } });
    const { history } = await svc.details(E, id);
    expect(history.at(-1)).toMatchObject({
      action: 'dispatch',
      fromState: 'dispatched',
      before: { specialist: { id: C.id } },
      after: { specialist: { id: D.id } },
    });
    // Only D may answer it now.
    await expect(svc.answer(C, id, { body: '回答', delivery: 'phone' })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  test('a specialist returns a case to its owner with a reason; the owner is owed a notice', async () => {
    const svc = makeService(db().store);
    const notices = new NoticeRepository();
    const id = await caseIn(svc, 'dispatched');
    await expect(svc.returnToFirstLine(C, id, { reason: '  ' })).rejects.toMatchObject({
      code: 'validation',
      fields: { reason: expect.anything() },
    });
    const { consultation } = await svc.returnToFirstLine(C, id, { reason: '担当分野外のため' });
    expect(consultation).toMatchObject({
      state: 'claimed',
      firstLineOwner: { id: A.id },
      specialist: null,
    });
    const { history } = await svc.details(E, id);
    expect(history.at(-1)).toMatchObject({
      action: 'return',
      actor: { id: C.id },
      fromState: 'dispatched',
      toState: 'claimed',
      after: { specialist: null, reason: '担当分野外のため' },
    });
    // The card's last change carries the reason.
    expect((await svc.withLastChange(A, id)).lastChange).toMatchObject({
      action: 'return',
      by: { id: C.id },
      reason: '担当分野外のため',
    });
    const owed = await notices.owed(db().store.db, new Date().toISOString(), {
      consultationId: id,
    });
    expect(owed.filter((n) => n.kind === 'returned')).toMatchObject([
      { recipientId: A.id, by: { id: C.id }, version: consultation.version },
    ]);
    // Back at first line, the owner may dispatch it again (to the same specialist, too).
    await svc.dispatch(A, id, { specialistId: C.id, coordinationNeeded: false });
    expect((await svc.get(E, id)).state).toBe('dispatched');
  });

  test('a stale version is a conflict that names who changed the record', async () => {
    const svc = makeService(db().store);
    const { consultation: c } = await svc.create(A, intake());
    await svc.claim(B, c.id, { expectedVersion: c.version });
    const err = await svc.claim(A, c.id, { expectedVersion: c.version }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'conflict',
      status: 409,
      state: 'claimed',
      lastChange: { action: 'claim', by: { id: B.id, name: B.name } },
    });
    expect((err as AppError).localized.ja).toContain('受付担当Bさん');
    expect((err as AppError).localized.en).toContain('受付担当B');
  });

  test('a press on a card shown before a note still goes through; before a note and a claim, it does not', async () => {
    const svc = makeService(db().store);
    const { consultation: c } = await svc.create(A, intake());
    const shown = c.version;
    // Someone writes in the card's thread while A still looks at the card as it was.
    await svc.addNote(B, c.id, { body: 'スレッドでのメモ', source: 'thread' });
    await svc.addNote(E, c.id, { body: 'もう一つ', source: 'thread' });
    const claimed = await svc.claim(A, c.id, { expectedVersion: shown });
    expect(claimed).toMatchObject({
      changed: true,
      consultation: { state: 'claimed', version: 4 },
    });

    // A note and then a real change since the card was shown: the press is refused, naming it.
    const seen = claimed.consultation.version;
    await svc.addNote(B, c.id, { body: 'メモ', source: 'card' });
    await svc.unclaim(A, c.id, { expectedVersion: seen + 1 });
    const err = await svc.claim(B, c.id, { expectedVersion: seen }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'conflict', lastChange: { action: 'unclaim' } });
    // A version from the future is never taken for a quiet one.
    const future = await svc.claim(B, c.id, { expectedVersion: 99 }).catch((e: unknown) => e);
    expect(future).toMatchObject({ code: 'conflict' });
    expect((await svc.details(E, c.id)).history.map((h) => [h.action, h.version])).toEqual([
      ['create', 1],
      ['note', 2],
      ['note', 3],
      ['claim', 4],
      ['note', 5],
      ['unclaim', 6],
    ]);
  });

  test('the same request delivered twice changes nothing the second time', async () => {
    const svc = makeService(db().store);
    const created = await svc.create(A, intake(), { requestId: 'activity-1' });
    const again = await svc.create(A, intake(), { requestId: 'activity-1' });
    expect(again).toEqual({ consultation: created.consultation, changed: false });

    const id = created.consultation.id;
    await svc.claim(A, id, { requestId: 'activity-2' });
    await svc.addNote(A, id, { body: 'メモ' }, { requestId: 'activity-3' });
    const note2 = await svc.addNote(A, id, { body: 'メモ' }, { requestId: 'activity-3' });
    const claim2 = await svc.claim(A, id, { requestId: 'activity-2' });
    expect(note2.changed).toBe(false);
    expect(claim2.changed).toBe(false);
    const d = await svc.details(E, id);
    expect(d.notes).toHaveLength(1);
    expect(d.history.map((h) => h.action)).toEqual(['create', 'claim', 'note']);
    expect((await svc.list(E, {})).total).toBe(1);
  });

  test('linking the Teams card is recorded but does not move the version users act on', async () => {
    const svc = makeService(db().store);
    const { consultation: c } = await svc.create(A, intake());
    await svc.claim(A, c.id);
    const card = { conversationId: '19:desk;messageid=1', activityId: '1' };
    const linked = await svc.linkCard(c.id, card, { id: 'bot', name: 'Madoguchi' });
    expect(linked).toMatchObject({ teamsCard: card, version: 2 });
    const { lastChange } = await svc.withLastChange(E, c.id);
    expect(lastChange).toMatchObject({ action: 'claim', by: { id: A.id } });
    const { history } = await svc.details(E, c.id);
    expect(history.at(-1)).toMatchObject({ action: 'link-card', after: { teamsCard: card } });
    await expect(svc.unclaim(A, c.id, { expectedVersion: 2 })).resolves.toMatchObject({
      changed: true,
    });
  });

  test('a card shown at an older version than its record is behind until shown again', async () => {
    const svc = makeService(db().store);
    const { consultation: c } = await svc.create(A, intake());
    const { consultation: unknown } = await svc.create(A, intake());
    const { consultation: none } = await svc.create(A, intake());
    await svc.linkCard(c.id, { conversationId: '19:desk', activityId: '1' }, BOT, c.version);
    // Posted without knowing which version it shows: behind until an update says.
    await svc.linkCard(unknown.id, { conversationId: '19:desk', activityId: '2' }, BOT);
    expect(await svc.cardsBehind(10)).toEqual([unknown.id]);

    await svc.claim(A, c.id);
    expect(await svc.cardsBehind(10)).toEqual([c.id, unknown.id]);
    expect(await svc.cardsBehind(1)).toEqual([c.id]);

    await svc.cardShown(c.id, 2);
    await svc.cardShown(c.id, 1); // a late, older update does not take it back
    await svc.cardShown(unknown.id, 1);
    await svc.cardShown(none.id, 1); // no card: nothing to show
    expect(await svc.cardsBehind(10)).toEqual([]);
    const row = await db()
      .store.db.selectFrom('consultation')
      .select(['id', 'card_version'])
      .orderBy('id')
      .execute();
    expect(row).toEqual([
      { id: c.id, card_version: 2 },
      { id: unknown.id, card_version: 1 },
      { id: none.id, card_version: null },
    ]);
  });

  test('a record is found by its Teams card: the channel and the card’s message id', async () => {
    const svc = makeService(db().store);
    const { consultation: c } = await svc.create(A, intake());
    const { consultation: other } = await svc.create(A, intake());
    await svc.linkCard(c.id, { conversationId: '19:desk', activityId: '1700000000001' }, BOT);
    await svc.linkCard(other.id, { conversationId: '19:desk', activityId: '1700000000002' }, BOT);
    expect((await svc.findByCard('19:desk', '1700000000001'))?.id).toBe(c.id);
    expect((await svc.findByCard('19:desk', '1700000000002'))?.id).toBe(other.id);
    expect(await svc.findByCard('19:other', '1700000000001')).toBeNull();
    expect(await svc.findByCard('19:desk', '1700000000003')).toBeNull();
  });
});

const BOT = { id: 'bot', name: 'Madoguchi' };
