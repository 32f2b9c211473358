import { Channels, TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import type { ConnectorClient, DeskAdapter } from '../adapter';
import { RateLimiter } from './rate-limiter';
import { DEFAULT_RETRY, statusOf, withRetry, type RetryOptions } from './retry';

/** The few Bot Connector operations the desk needs; a test can fake these four methods. */
export interface TeamsGateway {
  /** Posts a message in the conversation of `reference`; returns the new message's id. */
  send(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<string>;
  /**
   * Replaces a message the bot posted earlier; `gone` when Teams no longer has it (it was
   * deleted), which no retry will change.
   */
  update(
    reference: Partial<ConversationReference>,
    activityId: string,
    activity: Partial<Activity>,
  ): Promise<'updated' | 'gone'>;
  /** Posts a reply in the thread under a channel message. */
  reply(
    channel: Partial<ConversationReference>,
    rootActivityId: string,
    activity: Partial<Activity>,
  ): Promise<string>;
  /** Opens (or finds) the bot's 1:1 chat with a user, next to a known conversation of the same tenant. */
  openPersonal(
    near: Partial<ConversationReference>,
    teamsUserId: string,
  ): Promise<Partial<ConversationReference>>;
}

/**
 * Whether Teams said it no longer has the conversation (404): a 1:1 chat the bot kept
 * from before, say. No retry changes that; opening the chat again may.
 */
export function isGone(err: unknown): boolean {
  return statusOf(err) === 404;
}

/** The conversation id of a channel (a thread's id carries `;messageid=…`). */
export function channelConversationId(conversationId: string): string {
  return conversationId.split(';')[0]!;
}

/**
 * Talks to Teams through botbuilder's connector client, within Teams' rate limits (per
 * conversation, and for the whole app), retrying what Teams says to retry. Messages are
 * addressed as botbuilder addresses them (`applyConversationReference`), without a
 * proactive turn around them.
 */
export class BotConnectorGateway implements TeamsGateway {
  constructor(
    private readonly adapter: DeskAdapter,
    private readonly botAppId: string,
    private readonly limiter = new RateLimiter(),
    private readonly retry: RetryOptions = DEFAULT_RETRY,
  ) {}

  send(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<string> {
    return this.call(reference, async (client) => {
      const message = addressed(activity, reference);
      const response = await client.conversations.sendToConversation(
        message.conversation.id,
        message,
      );
      return response?.id ?? '';
    });
  }

  async update(
    reference: Partial<ConversationReference>,
    activityId: string,
    activity: Partial<Activity>,
  ): Promise<'updated' | 'gone'> {
    try {
      await this.call(reference, (client) => {
        const message = { ...addressed(activity, reference), type: 'message', id: activityId };
        return client.conversations.updateActivity(message.conversation.id, activityId, message);
      });
      return 'updated';
    } catch (err) {
      if (isGone(err)) return 'gone';
      throw err;
    }
  }

  reply(
    channel: Partial<ConversationReference>,
    rootActivityId: string,
    activity: Partial<Activity>,
  ): Promise<string> {
    const base = channelConversationId(channel.conversation!.id);
    const thread = {
      ...channel,
      conversation: { ...channel.conversation!, id: `${base};messageid=${rootActivityId}` },
    };
    return this.send(thread, activity);
  }

  async openPersonal(
    near: Partial<ConversationReference>,
    teamsUserId: string,
  ): Promise<Partial<ConversationReference>> {
    const tenantId = near.conversation?.tenantId;
    const created = await withRetry(async () => {
      const client = await this.adapter.connectorClient(this.botAppId, near.serviceUrl!);
      return client.conversations.createConversation({
        isGroup: false,
        bot: near.bot!,
        members: [{ id: teamsUserId, name: '' }],
        tenantId,
        channelData: { tenant: { id: tenantId } },
        activity: undefined as never,
      });
    }, this.retry);
    if (!created?.id) throw new Error('Teams did not return the new conversation');
    return {
      channelId: Channels.Msteams,
      serviceUrl: near.serviceUrl,
      bot: near.bot,
      user: { id: teamsUserId, name: '' },
      conversation: {
        id: created.id,
        isGroup: false,
        conversationType: 'personal',
        tenantId,
        name: '',
      },
    };
  }

  private call<T>(
    reference: Partial<ConversationReference>,
    request: (client: ConnectorClient) => Promise<T>,
  ): Promise<T> {
    const key = reference.conversation?.id ?? 'unknown';
    return this.limiter.schedule(channelConversationId(key), () =>
      withRetry(
        async () =>
          request(await this.adapter.connectorClient(this.botAppId, reference.serviceUrl!)),
        this.retry,
      ),
    );
  }
}

/**
 * `activity` addressed to the conversation of `reference`, from the bot (a copy). A new
 * message in the conversation, as Teams documents proactive messages (a thread's
 * conversation id names its root): never a reply to the message the reference was
 * taken from.
 */
function addressed(
  activity: Partial<Activity>,
  reference: Partial<ConversationReference>,
): Partial<Activity> & { conversation: NonNullable<Activity['conversation']> } {
  const message = TurnContext.applyConversationReference({ ...activity }, reference);
  delete message.id;
  delete message.replyToId;
  if (!message.conversation) throw new Error('the reference names no conversation');
  return message as Partial<Activity> & { conversation: NonNullable<Activity['conversation']> };
}
