import {
  Channels,
  TurnContext,
  type Activity,
  type CloudAdapter,
  type ConversationReference,
} from 'botbuilder';
import { RateLimiter } from './rate-limiter';
import { DEFAULT_RETRY, withRetry, type RetryOptions } from './retry';

/** The few Bot Connector operations the desk needs; a test can fake these four methods. */
export interface TeamsGateway {
  /** Posts a message in the conversation of `reference`; returns the new message's id. */
  send(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<string>;
  /** Replaces a message the bot posted earlier. */
  update(
    reference: Partial<ConversationReference>,
    activityId: string,
    activity: Partial<Activity>,
  ): Promise<void>;
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

/** The conversation id of a channel (a thread's id carries `;messageid=…`). */
export function channelConversationId(conversationId: string): string {
  return conversationId.split(';')[0]!;
}

/**
 * Talks to Teams through botbuilder's CloudAdapter, within Teams' per-conversation
 * rate limits, retrying what Teams says to retry.
 */
export class BotConnectorGateway implements TeamsGateway {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
    private readonly limiter = new RateLimiter(),
    private readonly retry: RetryOptions = DEFAULT_RETRY,
  ) {}

  async send(
    reference: Partial<ConversationReference>,
    activity: Partial<Activity>,
  ): Promise<string> {
    let id = '';
    await this.call(reference, async (ctx) => {
      id = (await ctx.sendActivity(activity))?.id ?? '';
    });
    return id;
  }

  async update(
    reference: Partial<ConversationReference>,
    activityId: string,
    activity: Partial<Activity>,
  ): Promise<void> {
    await this.call(reference, async (ctx) => {
      await ctx.updateActivity({ ...activity, type: 'message', id: activityId });
    });
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
    let reference: Partial<ConversationReference> | undefined;
    await withRetry(
      () =>
        this.adapter.createConversationAsync(
          this.botAppId,
          Channels.Msteams,
          near.serviceUrl!,
          '',
          {
            isGroup: false,
            bot: near.bot!,
            members: [{ id: teamsUserId, name: '' }],
            tenantId,
            channelData: { tenant: { id: tenantId } },
            activity: undefined as never,
          },
          async (ctx) => {
            reference = TurnContext.getConversationReference(ctx.activity);
          },
        ),
      this.retry,
    );
    if (!reference) throw new Error('Teams did not return the new conversation');
    return reference;
  }

  private call(
    reference: Partial<ConversationReference>,
    logic: (ctx: TurnContext) => Promise<void>,
  ) {
    const key = reference.conversation?.id ?? 'unknown';
    return this.limiter.schedule(channelConversationId(key), () =>
      withRetry(
        () => this.adapter.continueConversationAsync(this.botAppId, reference, logic),
        this.retry,
      ),
    );
  }
}
