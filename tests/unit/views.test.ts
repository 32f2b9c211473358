import { consultationCard } from '../../bot/cards';
import { personalView, sharedView, withBanner, withDrafts } from '../../bot/views';
import type { Consultation } from '../../src/consultation/types';
import { validateCard } from '../support/adaptive-cards';
import { consultationRecord, firstLineA, firstLineB, specialistC } from '../support/fixtures';

const claimed: Consultation = consultationRecord({
  state: 'claimed',
  firstLineOwner: { id: firstLineA.id, name: firstLineA.name },
  version: 2,
});
const ctx = {
  specialists: [{ id: specialistC.id, name: specialistC.name }],
  refreshUserIds: ['user-id-0'],
};

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
