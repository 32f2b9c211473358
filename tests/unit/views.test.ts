import { consultationCard } from '../../bot/cards';
import { personalView, relatedNotice, sharedView, withBanner, withDrafts } from '../../bot/views';
import type { RelatedConsultations } from '../../src/consultation/consultation.service';
import type { Consultation, State } from '../../src/consultation/types';
import { validateCard } from '../support/adaptive-cards';
import {
  ACTORS,
  consultationRecord,
  firstLineA,
  firstLineB,
  specialistC,
  specialistD,
  supervisorE,
  NO_CONSULTER,
} from '../support/fixtures';

const claimed: Consultation = consultationRecord({
  state: 'claimed',
  firstLineOwner: { id: firstLineA.id, name: firstLineA.name },
  version: 2,
});
const ctx = {
  specialists: [{ id: specialistC.id, name: specialistC.name }],
  refreshUserIds: ['user-id-0'],
};

/** The consulter's other records as the service gives them, newest first. */
const related = (total: number, ...records: Array<[number, State]>): RelatedConsultations => ({
  total,
  records: records.map(([id, state]) => ({
    consultation: consultationRecord({ id, number: `2026-${String(id).padStart(6, '0')}`, state }),
    matchedBy: ['organisation'],
  })),
});

const verbsOf = (card: unknown) =>
  [...JSON.stringify(card).matchAll(/"verb":"([a-z-]+)"/g)]
    .map((m) => m[1])
    .filter((v) => v !== 'refresh');

describe('card views', () => {
  test('each person sees only what they may do; the shared card offers what the state allows', () => {
    const owner = consultationCard(personalView(firstLineA, claimed, null, ctx));
    const other = consultationCard(personalView(firstLineB, claimed, null, ctx));
    const shared = consultationCard(sharedView(claimed, null, ctx));
    expect(new Set(verbsOf(owner))).toEqual(
      new Set(['unclaim', 'dispatch', 'answer', 'note', 'recategorise']),
    );
    expect(new Set(verbsOf(other))).toEqual(new Set(['note', 'recategorise']));
    expect(new Set(verbsOf(shared))).toEqual(
      new Set(['unclaim', 'dispatch', 'answer', 'note', 'recategorise', 'close']),
    );
    for (const card of [owner, other, shared]) expect(validateCard(card)).toEqual([]);
  });

  test.each(['ja', 'en'] as const)(
    'every person’s card and the channel’s name the consulter’s other consultations, linked, and stay valid (%s)',
    (lang) => {
      const others = related(2, [45, 'dispatched'], [12, 'closed']);
      const withLedger = { ...ctx, ledgerUrl: (id: number) => `https://madoguchi.example/l/${id}` };
      const cards = [
        ...ACTORS.map((actor) =>
          consultationCard(personalView(actor, claimed, null, withLedger, undefined, others), lang),
        ),
        consultationCard(sharedView(claimed, null, withLedger, undefined, others), lang),
      ];
      for (const card of cards) {
        expect(validateCard(card)).toEqual([]);
        expect(JSON.stringify(card)).toContain('[2026-000045](https://madoguchi.example/l/45)');
      }
      // None: no line at all.
      const none = consultationCard(sharedView(claimed, null, ctx, undefined, related(0)), lang);
      expect(JSON.stringify(none)).not.toContain(lang === 'ja' ? '同じ相談者' : 'Same consulter');
    },
  );

  test('a dispatched case is offered to the other specialists only; a claimed one to all', () => {
    const staff = { ...ctx, specialists: [specialistC, specialistD] };
    const dispatched = consultationRecord({
      state: 'dispatched',
      firstLineOwner: { id: firstLineA.id, name: firstLineA.name },
      specialist: { id: specialistC.id, name: specialistC.name },
    });
    const ids = (m: { specialists: readonly { id: string }[] }) => m.specialists.map((s) => s.id);
    expect(ids(personalView(firstLineA, dispatched, null, staff))).toEqual([specialistD.id]);
    expect(ids(sharedView(dispatched, null, staff))).toEqual([specialistD.id]);
    expect(ids(personalView(firstLineA, claimed, null, staff))).toEqual([
      specialistC.id,
      specialistD.id,
    ]);
  });

  test('typed text is put back into its inputs after a refusal, and the card stays valid', () => {
    const card = consultationCard(personalView(firstLineA, claimed, null, ctx));
    const typed = withDrafts(card, {
      'answer.body': 'バックアップから復旧してください',
      'answer.delivery': 'counter',
    });
    const json = JSON.stringify(typed);
    expect(json).toContain('"id":"answer.body"');
    expect(json).toMatch(/"id":"answer.body"[^}]*"value":"バックアップから復旧してください"/);
    expect(json).toMatch(/"id":"answer.delivery".*?"value":"counter"/);
    const bannered = withBanner(
      typed,
      { ja: '一時的に利用できません', en: 'Unavailable' },
      'ja',
      'attention',
    );
    expect(JSON.stringify(bannered.body[0])).toContain('一時的に利用できません');
    expect(validateCard(bannered)).toEqual([]);
  });
});

describe('the card of an erased record', () => {
  /** A record as the service leaves it once erased. */
  const erased: Consultation = consultationRecord({
    state: 'closed',
    consulter: NO_CONSULTER,
    subject: '',
    details: '',
    firstLineOwner: { id: firstLineA.id, name: firstLineA.name },
    specialist: { id: specialistC.id, name: specialistC.name },
    closedAt: '2026-11-28T00:00:00.000Z',
    erasure: { at: '2031-11-27T03:00:00.000Z', reason: 'request' },
    version: 9,
  });
  const lastChange = {
    action: 'erase' as const,
    by: { id: supervisorE.id, name: supervisorE.name },
    at: '2031-11-27T03:00:00.000Z',
  };
  const reply = { options: null, latest: null, retryable: false };
  const withLedger = {
    ...ctx,
    ledgerUrl: (id: number) => `https://madoguchi.example/ledger/${id}`,
  };

  test.each(['ja', 'en'] as const)(
    'is the same for every role and the shared card: valid, no buttons, no refresh (%s)',
    (lang) => {
      const cards = [
        ...ACTORS.map((actor) =>
          consultationCard(personalView(actor, erased, lastChange, withLedger, reply), lang),
        ),
        consultationCard(sharedView(erased, lastChange, withLedger, reply), lang),
      ];
      for (const card of cards) {
        expect(validateCard(card)).toEqual([]);
        expect(verbsOf(card)).toEqual([]);
        expect(card.actions).toBeUndefined();
        expect(card.refresh).toBeUndefined();
        expect(JSON.stringify(card)).not.toContain('Action.');
        expect(card).toEqual(cards[0]);
      }
      expect(JSON.stringify(cards[0])).toContain(
        lang === 'ja' ? '（ご本人からの請求）' : '(at the consulter’s request)',
      );
    },
  );

  test('names none of the consulter’s other consultations, even when given them', () => {
    const others = related(1, [45, 'dispatched']);
    for (const actor of ACTORS) {
      const view = personalView(actor, erased, lastChange, withLedger, reply, others);
      expect(view).not.toHaveProperty('related');
    }
    const shared = consultationCard(sharedView(erased, lastChange, withLedger, reply, others));
    expect(JSON.stringify(shared)).not.toContain('2026-000045');
  });
});

describe('what the person who recorded a consultation is told of the consulter’s others', () => {
  test('nothing when there are none', () => {
    expect(relatedNotice(null)).toBeNull();
    expect(relatedNotice(related(0))).toBeNull();
  });

  test('one: its number and state, in both languages', () => {
    expect(relatedNotice(related(1, [45, 'closed']))).toEqual({
      message: {
        ja: 'この相談者の他の相談が 1件あります: 2026-000045（完了）',
        en: 'This consulter has 1 other consultation: 2026-000045 (closed)',
      },
      open: false,
    });
  });

  test('several: the latest three, every open one among them, and how many more', () => {
    const notice = relatedNotice(
      related(9, [50, 'closed'], [45, 'closed'], [40, 'answered'], [30, 'closed'], [20, 'claimed']),
    );
    expect(notice).toEqual({
      message: {
        ja:
          'この相談者の他の相談が 9件あります: 2026-000050（完了）、2026-000045（完了）、' +
          '2026-000040（回答済）、2026-000020（一次対応中）、ほか 5 件',
        en:
          'This consulter has 9 other consultations: 2026-000050 (closed), 2026-000045 (closed), ' +
          '2026-000040 (answered), 2026-000020 (claimed), 5 more',
      },
      open: true,
    });
  });

  test('open only when one of them is not closed', () => {
    expect(relatedNotice(related(2, [45, 'closed'], [12, 'closed']))?.open).toBe(false);
    expect(relatedNotice(related(2, [45, 'closed'], [12, 'received']))?.open).toBe(true);
  });
});
