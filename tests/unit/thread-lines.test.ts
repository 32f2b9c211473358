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

describe('lines in a card’s thread', () => {
  test('a failed message fails every line in it; the next lines still go', async () => {
    const { gateway, calls } = pendingReplies();
    const cards = new TeamsChannelCards({ gateway } as unknown as TeamsChannelCardsDeps);

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

    const fourth = cards.sayUnder(channel, card('root'), 'four');
    await tick();
    expect(calls.map((c) => c.text)).toEqual(['one', 'two\n\nthree', 'four']);
    calls[2]!.ok();
    await expect(fourth).resolves.toBeUndefined();
  });

  test('threads of different cards do not wait for each other', async () => {
    const { gateway, calls } = pendingReplies();
    const cards = new TeamsChannelCards({ gateway } as unknown as TeamsChannelCardsDeps);
    void cards.sayUnder(channel, card('a'), 'on a');
    void cards.sayUnder(channel, card('b'), 'on b');
    await tick();
    expect(calls.map((c) => c.text)).toEqual(['on a', 'on b']);
  });
});
