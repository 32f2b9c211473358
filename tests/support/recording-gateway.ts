/**
 * A Teams gateway for tests: it records what the bot asked Teams to do after answering
 * (post, update, reply in a thread, open a 1:1 chat) and answers with ids.
 */
import type { Activity, ConversationReference } from 'botbuilder';
import type { TeamsGateway } from '../../bot/outbound/teams-gateway';

/** Records what the bot asked Teams to do after answering, and answers with ids. */
export class RecordingGateway implements TeamsGateway {
  readonly sent: {
    reference: Partial<ConversationReference>;
    activity: Partial<Activity>;
    id: string;
  }[] = [];
  readonly updated: {
    reference: Partial<ConversationReference>;
    activityId: string;
    activity: Partial<Activity>;
  }[] = [];
  readonly replied: {
    reference: Partial<ConversationReference>;
    rootActivityId: string;
    activity: Partial<Activity>;
    id: string;
  }[] = [];
  readonly opened: { near: Partial<ConversationReference>; teamsUserId: string }[] = [];
  private seq = 0;
  private readonly held: { update: Promise<void> | null; reply: Promise<void> | null } = {
    update: null,
    reply: null,
  };

  /**
   * Card updates wait (as behind Teams' rate limits) until the returned function is
   * called; they are recorded when they go through.
   */
  holdUpdates(): () => void {
    return this.hold('update');
  }

  /** Replies in threads wait until the returned function is called, as `holdUpdates`. */
  holdReplies(): () => void {
    return this.hold('reply');
  }

  private hold(kind: 'update' | 'reply'): () => void {
    let release!: () => void;
    this.held[kind] = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.held[kind] = null;
      release();
    };
  }

  async send(reference: Partial<ConversationReference>, activity: Partial<Activity>) {
    const id = `sent-${++this.seq}`;
    this.sent.push({ reference, activity, id });
    return id;
  }

  async update(
    reference: Partial<ConversationReference>,
    activityId: string,
    activity: Partial<Activity>,
  ) {
    if (this.held.update) await this.held.update;
    this.updated.push({ reference, activityId, activity });
    return 'updated' as const;
  }

  async reply(
    reference: Partial<ConversationReference>,
    rootActivityId: string,
    activity: Partial<Activity>,
  ) {
    if (this.held.reply) await this.held.reply;
    const id = `reply-${++this.seq}`;
    this.replied.push({ reference, rootActivityId, activity, id });
    return id;
  }

  async openPersonal(near: Partial<ConversationReference>, teamsUserId: string) {
    this.opened.push({ near, teamsUserId });
    return {
      ...near,
      conversation: { id: `a:opened-${teamsUserId}`, conversationType: 'personal' },
    } as Partial<ConversationReference>;
  }
}
