import { CardBuilder, RELATED_FRESH_MS, type CardBuilderDeps } from '../../bot/card-builder';
import { SYSTEM } from '../../bot/turn';
import type { LastChange } from '../../src/errors';
import type { RelatedConsultations } from '../../src/consultation/consultation.service';
import type { Actor, Consultation } from '../../src/consultation/types';
import { validateCard } from '../support/adaptive-cards';
import { textOf } from '../support/card-reading';
import { consultationRecord, firstLineA, specialistC } from '../support/fixtures';

const OTHERS: RelatedConsultations = {
  total: 1,
  records: [
    {
      consultation: consultationRecord({ id: 45, number: '2026-000045', state: 'dispatched' }),
      matchedBy: ['organisation'],
    },
  ],
};

/** A card builder over a service that counts how often it is asked for related records. */
function builder(answer: () => Promise<RelatedConsultations> = async () => OTHERS) {
  let now = 0;
  const asked: Array<{ actor: Actor; id: number; version: number }> = [];
  const deps: CardBuilderDeps = {
    service: {
      withLastChange: async () => {
        throw new Error('not read in these tests');
      },
      related: (actor, c) => {
        asked.push({ actor, id: c.id, version: c.version });
        return answer();
      },
    },
    replies: {
      optionsFor: async () => ({ plan: null, mailConfigured: false, notice: null }),
      latestAnswer: async () => null,
      canRetry: () => false,
    },
    people: { staffPeople: async () => [] },
    roles: { 'first-line': [], specialist: [], supervisor: [] },
    now: () => now,
  };
  return {
    cards: new CardBuilder(deps),
    asked,
    advance: (ms: number) => void (now += ms),
  };
}

const CREATED: LastChange = {
  action: 'create',
  by: { id: firstLineA.id, name: firstLineA.name },
  at: '2026-11-25T00:00:00.000Z',
};

const record = (over: Partial<Consultation> = {}) =>
  consultationRecord({ id: 7, state: 'received', version: 3, ...over });

describe('the consulter’s other consultations, read for the cards', () => {
  test('once for a while: the person’s card, the channel’s and the intake’s share one read', async () => {
    const { cards, asked } = builder();
    const c = record();
    const [mine, theirs, shared, forIntake] = await Promise.all([
      cards.personalCardOf(firstLineA, c, CREATED, 'ja'),
      cards.personalCardOf(specialistC, c, CREATED, 'en'),
      cards.sharedCardOf(c, CREATED),
      cards.related(firstLineA, c),
    ]);
    expect(asked).toHaveLength(1);
    expect(forIntake).toBe(OTHERS);
    for (const card of [mine, theirs, shared]) {
      expect(validateCard(card)).toEqual([]);
      expect(textOf(card)).toContain('2026-000045');
    }
  });

  test('the record’s next change uses them again; another consulter, or a while later, reads them again', async () => {
    const { cards, asked, advance } = builder();
    const consulter = record().consulter;
    await cards.related(SYSTEM, record());
    await cards.related(SYSTEM, record({ version: 4, state: 'claimed' }));
    await cards.related(SYSTEM, record({ id: 8 }));
    expect(asked.map((a) => [a.id, a.version])).toEqual([
      [7, 3],
      [8, 3],
    ]);
    // Written differently, the same consulter: the same keys.
    await cards.related(
      SYSTEM,
      record({ version: 5, consulter: { ...consulter, email: consulter.email!.toUpperCase() } }),
    );
    expect(asked).toHaveLength(2);
    for (const other of [
      { organisation: '別の株式会社' },
      { email: 'someone-else@example.jp' },
      { phone: '03-9999-0000' },
    ]) {
      await cards.related(SYSTEM, record({ version: 6, consulter: { ...consulter, ...other } }));
    }
    expect(asked).toHaveLength(5);
    advance(RELATED_FRESH_MS - 1);
    await cards.related(SYSTEM, record({ version: 7 }));
    expect(asked).toHaveLength(5);
    advance(1);
    await cards.related(SYSTEM, record({ version: 7 }));
    expect(asked.map((a) => a.version).at(-1)).toBe(7);
    expect(asked).toHaveLength(6);
  });

  test('an erased record’s card does not ask, and names none', async () => {
    const { cards, asked } = builder();
    const erased = record({
      state: 'closed',
      consulter: { ...record().consulter, organisation: null, person: null, email: null },
      erasure: { at: '2031-11-27T03:00:00.000Z', reason: 'retention' },
    });
    const card = await cards.sharedCardOf(erased, CREATED);
    expect(await cards.related(firstLineA, erased)).toBeNull();
    expect(asked).toEqual([]);
    expect(textOf(card)).not.toContain('2026-000045');
  });

  test('a read that failed is not kept: the next card asks again', async () => {
    let fail = true;
    const { cards, asked } = builder(async () => {
      if (fail) throw new Error('database out of reach');
      return OTHERS;
    });
    await expect(cards.related(SYSTEM, record())).rejects.toThrow('database out of reach');
    fail = false;
    await expect(cards.related(SYSTEM, record())).resolves.toBe(OTHERS);
    expect(asked).toHaveLength(2);
  });
});
