/**
 * Proves the Playground harness against a tiny real botbuilder bot (CloudAdapter in
 * local mode, no app id) and pins the shapes the Teams bot is built on.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ActivityTypes,
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  TeamsActivityHandler,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type ConversationReference,
  type TurnContext,
} from 'botbuilder';
import { ADAPTIVE_CARD_CONTENT_TYPE, card, noticeCard, type AdaptiveCard } from '../../bot/cards';
import {
  startPlayground,
  PlaygroundError,
  type Playground,
  type StreamEvent,
} from '../support/playground';

const pingCard = (): AdaptiveCard =>
  card([{ type: 'TextBlock', text: 'ping me', wrap: true }], {
    actions: [{ type: 'Action.Execute', verb: 'ping', title: 'Ping', data: { n: 1 } }],
  });

/** Echoes text; posts a card on "card"; answers `ping` and `update` presses with a card. */
class TinyBot extends TeamsActivityHandler {
  readonly received: Partial<Activity>[] = [];

  constructor() {
    super();
    this.onMessage(async (ctx, next) => {
      await ctx.sendActivity(`echo: ${ctx.activity.text}`);
      if (ctx.activity.text?.includes('card')) {
        await ctx.sendActivity({ attachments: [CardFactory.adaptiveCard(pingCard())] });
      }
      await next();
    });
  }

  /** Turns still running (the Playground sees a reply before the bot's turn ends). */
  inFlight = 0;

  protected override async onTurnActivity(ctx: TurnContext): Promise<void> {
    this.received.push(JSON.parse(JSON.stringify(ctx.activity)) as Partial<Activity>);
    this.inFlight++;
    try {
      await super.onTurnActivity(ctx);
    } finally {
      this.inFlight--;
    }
  }

  protected override async onAdaptiveCardInvoke(
    ctx: TurnContext,
    value: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    if (value.action.verb === 'update') {
      await ctx.updateActivity({
        type: ActivityTypes.Message,
        id: ctx.activity.replyToId,
        conversation: ctx.activity.conversation,
        attachments: [CardFactory.adaptiveCard(noticeCard('updated in place'))],
      });
    }
    return {
      statusCode: 200,
      type: ADAPTIVE_CARD_CONTENT_TYPE,
      value: noticeCard(
        `pong ${value.action.verb} from ${ctx.activity.from.name}`,
      ) as unknown as Record<string, unknown>,
    };
  }
}

/** The bot on node:http, on a free port; botbuilder only needs status/header/send/end. */
async function startBot(): Promise<{
  endpoint: string;
  bot: TinyBot;
  adapter: CloudAdapter;
  server: Server;
}> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new TinyBot();
  adapter.onTurnError = async (_ctx, error) => {
    console.error('bot turn failed', error);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const shim = {
        socket: res.socket,
        status: (code: number) => (res.statusCode = code),
        header: (name: string, value: unknown) => res.setHeader(name, String(value)),
        send: (body?: unknown) => {
          if (body === undefined) return;
          if (typeof body === 'object') {
            res.setHeader('content-type', 'application/json');
            res.write(JSON.stringify(body));
          } else res.write(String(body));
        },
        end: () => res.end(),
      };
      const request = {
        body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
        headers: req.headers,
        method: req.method,
      };
      adapter
        .process(request, shim, (ctx) => bot.run(ctx))
        .catch((e: unknown) => {
          console.error(e);
          if (!res.headersSent) res.statusCode = 500;
          res.end();
        });
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}/api/messages`, bot, adapter, server };
}

const cardText = (e: StreamEvent): string => JSON.stringify(e.message.attachments ?? []);

describe('Agents Playground harness', () => {
  let pg: Playground;
  let bot: TinyBot;
  let adapter: CloudAdapter;
  let server: Server;

  beforeAll(async () => {
    const started = await startBot();
    ({ bot, adapter, server } = started);
    pg = await startPlayground({ botEndpoint: started.endpoint });
  });

  afterAll(async () => {
    // Stopping the Playground under a turn that is still replying makes the reply fail.
    await until(() => !bot || bot.inFlight === 0);
    await pg?.stop();
    server?.closeAllConnections();
    await new Promise((ok) => server?.close(ok));
  });

  it('reports the mock tenant, users, chats and channels', async () => {
    const { config } = await pg.testConfig();
    expect(config.bot).toEqual({ id: '00000000-0000-0000-0000-00000000000011', name: 'Test Bot' });
    expect(config.tenantId).toBe('00000000-0000-0000-0000-0000000000001');
    expect(config.currentUser).toMatchObject({
      id: 'user-id-0',
      name: 'Alex Wilber',
      aadObjectId: '00000000-0000-0000-0000-0000000000020',
    });
    expect(config.users.map((u) => [u.id, u.name, u.aadObjectId])).toEqual([
      ['user-id-1', 'Megan Bowen', '00000000-0000-0000-0000-0000000000021'],
      ['user-id-2', 'Adele Vance', '00000000-0000-0000-0000-0000000000022'],
      ['user-id-3', 'Isaiah Langer', '00000000-0000-0000-0000-0000000000023'],
      ['user-id-4', 'Patti Fernandez', '00000000-0000-0000-0000-0000000000024'],
      ['user-id-5', 'Lynne Robbins', '00000000-0000-0000-0000-0000000000025'],
    ]);
    expect(config.personalChat.id).toBe(pg.personalConversationId);
    expect(config.teams).toEqual([
      expect.objectContaining({
        id: 'team-id',
        name: 'My Team',
        aadGroupId: '00000000-0000-0000-0000-000000000031',
        channels: [
          { id: 'team-id', name: 'General', channelType: 'standard' },
          { id: 'channel-announcements-id', name: 'Announcements', channelType: 'standard' },
        ],
      }),
    ]);
  });

  it('installs the bot in a team channel: installationUpdate, then conversationUpdate with the bot added', async () => {
    const before = bot.received.length;
    await pg.install('team-id');
    await until(() => bot.received.length >= before + 2);
    const [installation, update] = bot.received.slice(before);
    expect(installation).toMatchObject({
      type: 'installationUpdate',
      action: 'add',
      from: { id: 'user-id-0', aadObjectId: '00000000-0000-0000-0000-0000000000020' },
      conversation: { id: 'team-id', conversationType: 'channel', isGroup: true },
      channelData: {
        team: {
          id: 'team-id',
          name: 'My Team',
          aadGroupId: '00000000-0000-0000-0000-000000000031',
        },
        channel: { id: 'team-id' },
      },
      serviceUrl: pg.serviceUrl,
    });
    expect(update).toMatchObject({
      type: 'conversationUpdate',
      membersAdded: [{ id: '00000000-0000-0000-0000-00000000000011' }],
      conversation: { id: 'team-id', conversationType: 'channel' },
      channelData: { eventType: 'teamMemberAdded', team: { id: 'team-id', name: 'My Team' } },
    });
  });

  it('echoes a message in the personal chat and shows a posted card on the stream', async () => {
    const since = pg.events().length;
    const sent = await pg.sendMessage(pg.personalConversationId, 'user-id-0', 'hello card');
    expect(sent.messageId).toMatch(/^\d+$/);
    const echo = await pg.waitFor((e) => e.message.text === 'echo: hello card', 5_000, since);
    expect(echo).toMatchObject({
      action: 'createMessage',
      actionConversationId: pg.personalConversationId,
      message: { from: { id: '00000000-0000-0000-0000-00000000000011' }, textFormat: 'markdown' },
    });
    const posted = await pg.waitFor((e) => cardText(e).includes('ping me'), 5_000, since);
    expect(posted.message.attachments).toEqual([
      { contentType: 'application/vnd.microsoft.card.adaptive', content: pingCard() },
    ]);
    const message = bot.received.find((a) => a.type === 'message' && a.text === 'hello card');
    expect(message).toMatchObject({
      from: {
        id: 'user-id-0',
        name: 'Alex Wilber',
        aadObjectId: '00000000-0000-0000-0000-0000000000020',
      },
      conversation: { id: pg.personalConversationId, conversationType: 'personal' },
    });
  });

  it('refuses another user in the personal chat', async () => {
    await expect(
      pg.sendMessage(pg.personalConversationId, 'user-id-1', 'hi'),
    ).rejects.toMatchObject({
      status: 400,
      body: { code: 'UserNotFound' },
    });
    await expect(
      pg.sendMessage(pg.personalConversationId, 'user-id-1', 'hi'),
    ).rejects.toBeInstanceOf(PlaygroundError);
  });

  it('returns the invoke answer card and sees updateActivity as updateMessage', async () => {
    const since = pg.events().length;
    await pg.sendMessage(pg.personalConversationId, 'user-id-0', 'another card');
    const posted = await pg.waitFor((e) => cardText(e).includes('ping me'), 5_000, since);

    const answer = await pg.invoke(
      pg.personalConversationId,
      'user-id-0',
      posted.message.messageId,
      'ping',
      { n: 1, typed: 'x' },
    );
    expect(answer).toEqual({
      type: 'application/vnd.microsoft.card.adaptive',
      value: noticeCard('pong ping from Alex Wilber'),
    });
    const invoke = bot.received.find(
      (a) => a.type === 'invoke' && a.replyToId === posted.message.messageId,
    );
    expect(invoke).toMatchObject({
      name: 'adaptiveCard/action',
      channelId: 'msteams',
      from: {
        id: 'user-id-0',
        name: 'Alex Wilber',
        aadObjectId: '00000000-0000-0000-0000-0000000000020',
      },
      conversation: { id: pg.personalConversationId, conversationType: 'personal' },
      channelData: { source: { name: 'message' } },
      value: {
        action: { type: 'Action.Execute', verb: 'ping', data: { n: 1, typed: 'x' } },
        trigger: 'manual',
      },
    });

    const beforeUpdate = pg.events().length;
    await pg.invoke(pg.personalConversationId, 'user-id-0', posted.message.messageId, 'update');
    const updated = await pg.waitFor((e) => e.action === 'updateMessage', 5_000, beforeUpdate);
    expect(updated).toMatchObject({
      actionConversationId: pg.personalConversationId,
      message: { messageId: posted.message.messageId },
    });
    expect(cardText(updated)).toContain('updated in place');
  });

  it('posts proactively into the channel as a new post that any team member can press and the bot can update', async () => {
    const since = pg.events().length;
    const reference: Partial<ConversationReference> = {
      channelId: 'msteams',
      serviceUrl: pg.serviceUrl,
      conversation: { id: 'team-id', isGroup: true, conversationType: 'channel', name: '' },
    };
    let postId = '';
    await adapter.continueConversationAsync('', reference, async (ctx) => {
      postId =
        (await ctx.sendActivity({ attachments: [CardFactory.adaptiveCard(pingCard())] }))?.id ?? '';
    });
    const post = await pg.waitFor((e) => e.message.messageId === postId, 5_000, since);
    expect(post).toMatchObject({
      action: 'createMessage',
      actionConversationId: 'team-id',
      message: { postConversationId: `team-id;messageid=${postId}` },
    });

    // A press on a channel post names the post's thread as the conversation.
    const answer = await pg.invoke(`team-id;messageid=${postId}`, 'user-id-2', postId, 'ping');
    expect(JSON.stringify(answer.value)).toContain('pong ping from Adele Vance');
    const invoke = bot.received.find((a) => a.type === 'invoke' && a.replyToId === postId);
    expect(invoke).toMatchObject({
      from: {
        id: 'user-id-2',
        name: 'Adele Vance',
        aadObjectId: '00000000-0000-0000-0000-0000000000022',
      },
      conversation: { id: `team-id;messageid=${postId}`, conversationType: 'channel' },
      channelData: { team: { id: 'team-id' }, channel: { id: 'team-id' } },
    });
    await expect(pg.invoke('team-id', 'user-id-2', postId, 'ping')).rejects.toMatchObject({
      status: 400,
      body: { code: 'ActivityNotFoundInConversation' },
    });

    // Later (e.g. after a change made elsewhere) the bot updates the post in place.
    const beforeUpdate = pg.events().length;
    await adapter.continueConversationAsync('', reference, async (ctx) => {
      await ctx.updateActivity({
        type: ActivityTypes.Message,
        id: postId,
        attachments: [CardFactory.adaptiveCard(noticeCard('claimed by Adele Vance'))],
      });
    });
    const updated = await pg.waitFor((e) => e.action === 'updateMessage', 5_000, beforeUpdate);
    expect(updated).toMatchObject({
      actionConversationId: 'team-id',
      message: { messageId: postId },
    });
    expect(cardText(updated)).toContain('claimed by Adele Vance');
  });

  it('hears a channel message only when mentioned, always as the current user, in a new thread', async () => {
    const since = bot.received.length;
    const quiet = await pg.sendMessage('channel-announcements-id', 'user-id-3', 'no mention');
    const loud = await pg.sendMessage('team-id', 'user-id-3', 'hello channel', {
      mentionBot: true,
    });
    expect(loud.postConversationId).toBe(`team-id;messageid=${loud.messageId}`);
    expect(quiet.postConversationId).toBe(`channel-announcements-id;messageid=${quiet.messageId}`);
    await pg.waitFor((e) => e.message.text === 'echo: <at>Test Bot</at> hello channel');
    const heard = bot.received.slice(since).filter((a) => a.type === 'message');
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatchObject({
      text: '<at>Test Bot</at> hello channel',
      from: { id: 'user-id-0' },
      conversation: { id: loud.postConversationId, conversationType: 'channel' },
      channelData: {
        teamsTeamId: 'team-id',
        teamsChannelId: 'team-id',
        team: { id: 'team-id' },
        channel: { id: 'team-id' },
      },
      entities: expect.arrayContaining([
        {
          type: 'mention',
          mentioned: { id: '00000000-0000-0000-0000-00000000000011', name: 'Test Bot' },
          text: '<at>Test Bot</at>',
        },
      ]),
    });
  });

  it('sends a custom activity as given, e.g. a message from another user', async () => {
    const since = bot.received.length;
    const template = await pg.customActivityTemplate('team-id');
    await pg.sendCustomActivity({
      ...template,
      type: 'message',
      text: 'from Megan',
      from: {
        id: 'user-id-1',
        name: 'Megan Bowen',
        aadObjectId: '00000000-0000-0000-0000-0000000000021',
      },
    });
    // The bot's echo goes to the channel as a new post.
    await pg.waitFor((e) => e.message.text === 'echo: from Megan');
    expect(bot.received.slice(since).find((a) => a.text === 'from Megan')).toMatchObject({
      from: { id: 'user-id-1', name: 'Megan Bowen' },
      conversation: { id: 'team-id', conversationType: 'channel' },
    });
  });
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((ok) => setTimeout(ok, 20));
  }
}
