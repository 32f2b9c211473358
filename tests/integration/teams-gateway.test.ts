/**
 * The gateway through botbuilder's real connector client, against the stand-in Bot
 * Connector over HTTP: what Teams receives for the messages the bot starts itself.
 */
import { MessageFactory } from 'botbuilder';
import pino from 'pino';
import { createAdapter } from '../../bot/adapter';
import { RateLimiter } from '../../bot/outbound/rate-limiter';
import { BotConnectorGateway } from '../../bot/outbound/teams-gateway';
import { startBotConnector, type StandInConnector } from '../support/bot-connector';
import { testConfig } from '../support/config';

let connector: StandInConnector;
let gateway: BotConnectorGateway;
beforeEach(async () => {
  connector = await startBotConnector();
  const adapter = createAdapter(testConfig().bot, pino({ level: 'silent' }));
  gateway = new BotConnectorGateway(adapter, '', new RateLimiter(), {
    attempts: 3,
    baseDelayMs: 1,
    maxDelayMs: 2,
  });
});
afterEach(() => connector.close());

const bot = { id: '28:bot', name: 'Madoguchi' };

/** The desk's intake channel, as its stored reference says. */
const deskChannel = () => ({
  channelId: 'msteams',
  serviceUrl: connector.url,
  conversation: {
    id: '19:desk@thread.tacv2',
    isGroup: true,
    conversationType: 'channel',
    name: '',
  },
  bot,
});

describe('messages the bot starts', () => {
  test('go to the conversation as new messages, even when the reference names a message', async () => {
    // A 1:1 chat as remembered from one of the person's own messages.
    const chat = {
      channelId: 'msteams',
      serviceUrl: connector.url,
      conversation: { id: 'a:chat-1', conversationType: 'personal', isGroup: false, name: '' },
      bot,
      user: { id: '29:user-1', name: '専門家' },
      activityId: '1700000000123',
    };
    const id = await gateway.send(chat, MessageFactory.text('相談 2026-000001 をお願いします。'));

    expect(connector.calls).toEqual([
      expect.objectContaining({ kind: 'send', conversationId: 'a:chat-1', id }),
    ]);
    const body = connector.calls[0]!.body!;
    expect(body).toMatchObject({
      type: 'message',
      from: bot,
      recipient: { id: '29:user-1' },
      conversation: { id: 'a:chat-1' },
    });
    expect(body.replyToId).toBeUndefined();
  });

  test('a line in a card’s thread goes to the thread’s conversation; an update replaces the card', async () => {
    const channel = deskChannel();
    await gateway.reply(channel, '1700000000999', MessageFactory.text('担当しました'));
    expect(await gateway.update(channel, '1700000000999', MessageFactory.text('カード'))).toBe(
      'updated',
    );

    expect(connector.calls).toEqual([
      expect.objectContaining({
        kind: 'send',
        conversationId: '19:desk@thread.tacv2;messageid=1700000000999',
      }),
      expect.objectContaining({
        kind: 'update',
        conversationId: '19:desk@thread.tacv2',
        activityId: '1700000000999',
        body: expect.objectContaining({ id: '1700000000999', type: 'message' }),
      }),
    ]);
  });

  test('429 twice: retried by the gateway, then it goes through', async () => {
    connector.failNext(429, 2);
    const channel = deskChannel();
    await gateway.send(channel, MessageFactory.text('x'));
    expect(connector.failed()).toBe(2);
    expect(connector.calls.map((c) => c.kind)).toEqual(['send']);
  });

  test('an update of a message deleted in Teams says it is gone, without retrying', async () => {
    connector.failNext(404, 1);
    const channel = deskChannel();
    expect(await gateway.update(channel, '1700000000999', MessageFactory.text('カード'))).toBe(
      'gone',
    );
    expect(connector.failed()).toBe(1);
    connector.failNext(502, 1_000);
    await expect(
      gateway.update(channel, '1700000000999', MessageFactory.text('カード')),
    ).rejects.toThrow();
  });
});
