import type { Activity, ConversationReference } from 'botbuilder';
import pino from 'pino';
import { Digest, digestDue } from '../../bot/digest';
import type { AdaptiveCard } from '../../bot/cards';
import { DeskService } from '../../src/teams/desk.service';
import { validateCard } from '../support/adaptive-cards';
import { textsOf } from '../support/card-reading';
import { describeEachDialect } from '../support/dialects';
import { firstLineA as A, intake, makeService, testClock } from '../support/fixtures';

const NINE = { hour: 9, minute: 0 };
const CHANNEL: Partial<ConversationReference> = {
  serviceUrl: 'https://smba.example/',
  conversation: {
    id: '19:intake@thread.tacv2',
    isGroup: true,
    conversationType: 'channel',
    name: '',
  },
};

describe('when the morning summary is due', () => {
  test('working days in Tokyo, from the time set', () => {
    // Monday 2026-11-30, Tokyo: 08:59 and 09:00 (UTC 23:59 and 00:00 the day before/after).
    expect(digestDue(new Date('2026-11-29T23:59:00Z'), NINE)).toBe(false);
    expect(digestDue(new Date('2026-11-30T00:00:00Z'), NINE)).toBe(true);
    expect(digestDue(new Date('2026-11-30T14:59:00Z'), NINE)).toBe(true);
    // Saturday and Sunday in Tokyo (still Friday and Saturday in UTC).
    expect(digestDue(new Date('2026-11-28T03:00:00Z'), NINE)).toBe(false);
    expect(digestDue(new Date('2026-11-29T03:00:00Z'), NINE)).toBe(false);
    expect(digestDue(new Date('2026-11-27T23:00:00Z'), NINE)).toBe(false);
    // National holidays: 勤労感謝の日 (Monday 2026-11-23), and its substitute in 2025
    // (Monday 2025-11-24); the next Tuesdays are working days.
    expect(digestDue(new Date('2026-11-23T01:00:00Z'), NINE)).toBe(false);
    expect(digestDue(new Date('2025-11-24T01:00:00Z'), NINE)).toBe(false);
    expect(digestDue(new Date('2026-11-24T01:00:00Z'), NINE)).toBe(true);
    expect(digestDue(new Date('2025-11-25T01:00:00Z'), NINE)).toBe(true);
  });
});

describeEachDialect('the morning summary in the intake channel', (db) => {
  function instance(clock: ReturnType<typeof testClock>, send: jest.Mock) {
    const store = db().store;
    const desk = new DeskService<Partial<ConversationReference>>(store, clock.now);
    return {
      desk,
      digest: new Digest({
        service: makeService(store, clock),
        desk,
        gateway: { send },
        logger: pino({ level: 'silent' }),
        at: NINE,
        clock: clock.now,
      }),
    };
  }
  const sentCard = (send: jest.Mock, i = 0) =>
    (send.mock.calls[i]![1] as Partial<Activity>).attachments![0]!.content as AdaptiveCard;

  test('posted once a weekday, by one of two instances, with what is waiting', async () => {
    // Friday 2026-11-27, 08:30 in Tokyo.
    const clock = testClock('2026-11-26T23:30:00.000Z');
    const sent = jest.fn(async (_to: unknown, _activity: unknown) => 'activity-1');
    const first = instance(clock, sent);
    const second = instance(clock, sent);
    expect(await first.digest.run()).toBe('not-due');
    await makeService(db().store, clock).create(A, intake({ subject: '待っている相談' }));
    clock.advance(45 * 60_000); // 09:15
    // Not installed in a team yet: nowhere to post, and the day is not taken.
    expect(await first.digest.run()).toBe('no-channel');
    await first.desk.setIntakeChannel('19:intake@thread.tacv2', CHANNEL);
    const outcomes = await Promise.all([first.digest.run(), second.digest.run()]);
    expect(outcomes.sort()).toEqual(['posted', 'taken']);
    expect(sent).toHaveBeenCalledTimes(1);
    expect(sent.mock.calls[0]![0]).toEqual(CHANNEL);
    const card = sentCard(sent);
    expect(validateCard(card)).toEqual([]);
    expect(textsOf(card)).toEqual(
      expect.arrayContaining([
        '対応待ちの相談（11/27 09:15 時点）',
        '受付 1件（最も長いもの: 受付から 45分）',
        '待っている相談',
      ]),
    );
    // Later the same day: not again. Saturday and Sunday: none. Monday: again.
    clock.advance(3 * 3_600_000);
    expect(await second.digest.run()).toBe('taken');
    clock.advance(24 * 3_600_000);
    expect(await first.digest.run()).toBe('not-due');
    clock.advance(48 * 3_600_000);
    expect(await first.digest.run()).toBe('posted');
    expect(sent).toHaveBeenCalledTimes(2);
  });

  test('nothing waiting: nothing posted; Teams down: tried again at the next check', async () => {
    const clock = testClock('2026-11-27T00:30:00.000Z'); // Friday 09:30 in Tokyo
    const down = jest.fn(async () => {
      throw new Error('Teams is down');
    });
    const { desk, digest } = instance(clock, down);
    await desk.setIntakeChannel('19:intake@thread.tacv2', CHANNEL);
    expect(await digest.run()).toBe('nothing-waiting');
    expect(down).not.toHaveBeenCalled();

    // The next weekday, with a record waiting, Teams refuses the first try.
    clock.advance(3 * 24 * 3_600_000); // Monday
    await makeService(db().store, clock).create(A, intake());
    await expect(digest.run()).rejects.toThrow('Teams is down');
    clock.advance(60_000);
    await expect(digest.run()).rejects.toThrow('Teams is down');
    expect(down).toHaveBeenCalledTimes(2);
    // Another instance, whose Teams answers, posts it.
    const up = jest.fn(async (_to: unknown, _activity: unknown) => 'activity-2');
    const again = instance(clock, up);
    expect(await again.digest.run()).toBe('posted');
    expect(up).toHaveBeenCalledTimes(1);
    expect(await digest.run()).toBe('taken');
    expect(down).toHaveBeenCalledTimes(2);
  });
});
