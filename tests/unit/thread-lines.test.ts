import type { Activity, ConversationReference } from 'botbuilder';
import { TeamsChannelCards, type TeamsChannelCardsDeps } from '../../bot/channel-cards';
import type { TeamsGateway } from '../../bot/outbound/teams-gateway';
import type { Consultation } from '../../src/consultation/types';

/** A gateway whose replies wait until the test settles them, one by one. */
function pendingReplies() {
  const calls: Array<{ text: string; ok: () => void; fail: (err: Error) => void }> = [];
  const gateway = {
    reply: (_ref: Partial<ConversationReference>, _root: string, a: Partial<Activity>) =>
      new Promise<string>((resolve, reject) =>
        calls.push({ text: a.text ?? '', ok: () => resolve('r'), fail: reject }),
      ),
  } as unknown as TeamsGateway;
  return { gateway, calls };
}

const channel = {
  reference: { serviceUrl: 'https://smba.example/', conversation: { id: '19:desk@thread.tacv2' } },
} as never;
const card = (activityId: string) =>
  ({ id: 1, teamsCard: { conversationId: '19:desk@thread.tacv2', activityId } }) as Consultation;
const tick = () => new Promise((r) => setImmediate(r));

/** The messages Teams refused, as the catch-up will find them. */
function keptLines() {
  const kept: Array<{ consultationId: number; text: string; saidAt: string }> = [];
  const lines = {
    keep: async (consultationId: number, text: string, saidAt: string) =>
      void kept.push({ consultationId, text, saidAt }),
    holds: async (consultationId: number) => kept.some((k) => k.consultationId === consultationId),
  };
  return { lines, kept };
}

describe('lines in a card’s thread', () => {
  test('a failed message fails every line in it and is kept for the catch-up; later lines of its thread wait behind it', async () => {
    const { gateway, calls } = pendingReplies();
    const { lines, kept } = keptLines();
    const cards = new TeamsChannelCards({ gateway, lines } as unknown as TeamsChannelCardsDeps);

    const first = cards.sayUnder(channel, card('root'), 'one');
    const second = cards.sayUnder(channel, card('root'), 'two');
    const third = cards.sayUnder(channel, card('root'), 'three');
    await tick();
    expect(calls.map((c) => c.text)).toEqual(['one']);

    calls[0]!.ok();
    await expect(first).resolves.toBeUndefined();
    await tick();
    expect(calls.map((c) => c.text)).toEqual(['one', 'two\n\nthree']);

    calls[1]!.fail(new Error('Bad Gateway'));
    await expect(second).rejects.toThrow('Bad Gateway');
    await expect(third).rejects.toThrow('Bad Gateway');
    // Kept as it would have been sent, with when its first line was said; the sent one is not.
    expect(kept).toEqual([
      { consultationId: 1, text: 'two\n\nthree', saidAt: expect.any(String) as string },
    ]);
    expect(Date.now() - Date.parse(kept[0]!.saidAt)).toBeLessThan(60_000);

    // Said before the catch-up has said the kept one, 'four' would tell the thread a later
    // change first: it is kept behind it (the catch-up says them in order), not sent.
    const fourth = cards.sayUnder(channel, card('root'), 'four');
    await expect(fourth).resolves.toBeUndefined();
    expect(calls).toHaveLength(2);
    expect(kept.map((k) => k.text)).toEqual(['two\n\nthree', 'four']);

    // Another card's thread owes nothing, and goes on.
    const elsewhere = cards.sayUnder(channel, { ...card('other'), id: 2 }, 'five');
    await tick();
    expect(calls.map((c) => c.text)).toEqual(['one', 'two\n\nthree', 'five']);
    calls[2]!.ok();
    await expect(elsewhere).resolves.toBeUndefined();
  });

  test('with the database down too, a refused message is lost, and the log does not quote it', async () => {
    const { gateway, calls } = pendingReplies();
    const warned: unknown[][] = [];
    const cards = new TeamsChannelCards({
      gateway,
      lines: {
        keep: () => Promise.reject(new Error('SQLITE_CANTOPEN')),
        holds: () => Promise.reject(new Error('SQLITE_CANTOPEN')),
      },
      logger: { warn: (...args: unknown[]) => warned.push(args) },
    } as unknown as TeamsChannelCardsDeps);
    const said = cards.sayUnder(channel, card('root'), 'Re: 山田さんの件');
    await tick();
    calls[0]!.fail(new Error('Bad Gateway'));
    await expect(said).rejects.toThrow('Bad Gateway');
    expect(warned).toHaveLength(1);
    expect(JSON.stringify(warned)).toContain('SQLITE_CANTOPEN');
    expect(JSON.stringify(warned)).not.toContain('山田');

    // The database cannot tell whether lines are owed: the next line is sent, not held.
    const next = cards.sayUnder(channel, card('root'), 'next');
    await tick();
    calls[1]!.ok();
    await expect(next).resolves.toBeUndefined();
  });

  test('a thread Teams no longer has (its card deleted) is not kept for the catch-up', async () => {
    const { gateway, calls } = pendingReplies();
    const { lines, kept } = keptLines();
    const cards = new TeamsChannelCards({ gateway, lines } as unknown as TeamsChannelCardsDeps);
    const said = cards.sayUnder(channel, card('deleted'), 'one');
    await tick();
    calls[0]!.fail(Object.assign(new Error('Not Found'), { statusCode: 404 }));
    await expect(said).rejects.toThrow('Not Found');
    expect(kept).toEqual([]);
  });

  test('the catch-up drops a kept line whose thread Teams no longer has, and goes on', async () => {
    const done: number[] = [];
    const released: number[] = [];
    const owed = [1, 2].map((id) => ({
      id,
      consultationId: id,
      text: `line ${id}`,
      saidAt: new Date().toISOString(),
      attempts: 0,
    }));
    const said: string[] = [];
    const cards = new TeamsChannelCards({
      gateway: {
        reply: async (_r: unknown, root: string, a: Partial<Activity>) => {
          if (root === 'deleted') throw Object.assign(new Error('Not Found'), { statusCode: 404 });
          said.push(String(a.text));
          return 'r';
        },
      },
      lines: {
        owed: async () => owed,
        take: async () => true,
        expired: () => false,
        done: async (id: number) => void done.push(id),
        release: async (id: number) => void released.push(id),
      },
      desk: { intakeChannel: async () => channel },
      service: { get: async (_a: unknown, id: number) => card(id === 1 ? 'deleted' : 'root') },
    } as unknown as TeamsChannelCardsDeps);
    await expect(cards.catchUpLines()).resolves.toBe(1);
    expect(said).toEqual(['line 2']);
    expect(done).toEqual([1, 2]);
    expect(released).toEqual([]);
  });

  test('the catch-up says a thread’s owed lines as one message, in order, and never one before an earlier', async () => {
    const owed = [
      { id: 1, consultationId: 1, text: 'claimed' },
      { id: 2, consultationId: 2, text: 'refused again' },
      { id: 3, consultationId: 1, text: 'answered' },
      { id: 4, consultationId: 3, text: 'another instance has it' },
      { id: 5, consultationId: 3, text: 'after it' },
      { id: 6, consultationId: 2, text: 'refused with it' },
    ].map((l) => ({ ...l, saidAt: new Date().toISOString(), attempts: 1 }));
    const said: Array<[string, string]> = [];
    const taken: number[] = [];
    const done: number[] = [];
    const released: number[] = [];
    const cards = new TeamsChannelCards({
      gateway: {
        reply: async (_r: unknown, root: string, a: Partial<Activity>) => {
          if (root === 'root-2') throw Object.assign(new Error('Bad Gateway'), { statusCode: 502 });
          said.push([root, String(a.text)]);
          return 'r';
        },
      },
      lines: {
        owed: async () => owed,
        take: async (id: number) => (id === 4 ? false : (taken.push(id), true)),
        expired: () => false,
        done: async (id: number) => void done.push(id),
        release: async (id: number) => void released.push(id),
      },
      desk: { intakeChannel: async () => channel },
      service: { get: async (_a: unknown, id: number) => ({ ...card(`root-${id}`), id }) },
    } as unknown as TeamsChannelCardsDeps);
    await expect(cards.catchUpLines()).rejects.toThrow('Bad Gateway');
    expect(said).toEqual([['root-1', 'claimed\n\nanswered']]);
    expect(done).toEqual([1, 3]);
    expect(released.sort()).toEqual([2, 6]);
    // Line 5 is not taken while line 4, before it, is being said elsewhere.
    expect(taken).not.toContain(5);
  });

  test('threads of different cards do not wait for each other', async () => {
    const { gateway, calls } = pendingReplies();
    const { lines } = keptLines();
    const cards = new TeamsChannelCards({ gateway, lines } as unknown as TeamsChannelCardsDeps);
    void cards.sayUnder(channel, card('a'), 'on a');
    void cards.sayUnder(channel, card('b'), 'on b');
    await tick();
    expect(calls.map((c) => c.text)).toEqual(['on a', 'on b']);
  });
});
