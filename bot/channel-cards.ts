import { MessageFactory, type ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import type { LastChange } from '../src/errors';
import type { Localized } from '../src/i18n/messages';
import type { ConsultationService } from '../src/consultation/consultation.service';
import type { ChannelCards } from '../src/consultation/channel-cards';
import type { Consultation } from '../src/consultation/types';
import type { DeskService } from '../src/teams/desk.service';
import type { OwedLine, ThreadLineQueue } from '../src/teams/thread-line-queue';
import { attemptEach, type Background } from './background';
import type { CardBuilder } from './card-builder';
import { consultationCard } from './cards';
import { escapeMarkdown } from './cards/text';
import { NOTICE_CATCH_UP_AFTER_MS } from './notices';
import { isGone, type TeamsGateway } from './outbound/teams-gateway';
import { BOT, SYSTEM, cardMessage } from './turn';
import { sharedView } from './views';

export interface TeamsChannelCardsDeps {
  service: ConsultationService;
  desk: DeskService<Partial<ConversationReference>>;
  gateway: TeamsGateway;
  background: Background;
  cards: CardBuilder;
  /** The thread messages Teams refused, said by a catch-up. */
  lines: ThreadLineQueue;
  logger: Logger;
}

/** Cards brought up to date in one catch-up: Teams takes a few messages a second per channel. */
const CATCH_UP_AT_ONCE = 50;

/** Thread messages said again in one catch-up at most. */
const LINES_AT_ONCE = 20;

/** The intake channel as it was set: where cards are posted, and in whose name. */
export type IntakeChannel = { reference: Partial<ConversationReference> } | null;

/**
 * The consultation cards in the intake channel: posted when a record is made, brought up
 * to date after every change (one update at a time per card), and lines in their threads.
 */
export class TeamsChannelCards implements Pick<ChannelCards, 'post' | 'refresh'> {
  constructor(private readonly deps: TeamsChannelCardsDeps) {}

  /**
   * Posts a record's card in the intake channel and remembers where it is
   * (ChannelCards.post). 'posted' also when it has a card, or another instance is posting
   * it: a record's card is posted once.
   */
  async post(c: Consultation): Promise<'posted' | 'no_channel'> {
    return (await this.postOnce(c, null)) === 'no_channel' ? 'no_channel' : 'posted';
  }

  /** Posts the card unless the record has one or another instance is posting it ('taken'). */
  private async postOnce(
    c: Consultation,
    lastChange: LastChange | null,
  ): Promise<'posted' | 'no_channel' | 'taken'> {
    const channel = await this.deps.desk.intakeChannel();
    if (!channel) return 'no_channel';
    if (!(await this.deps.service.takeCardPosting(c.id))) return 'taken';
    const [ctx, related] = await Promise.all([
      this.deps.cards.cardContext(),
      this.deps.cards.related(SYSTEM, c),
    ]);
    const card = consultationCard(sharedView(c, lastChange, ctx, undefined, related), 'ja');
    const activityId = await this.deps.gateway.send(channel.reference, cardMessage(card));
    await this.deps.service.linkCard(
      c.id,
      { conversationId: channel.conversationId, activityId },
      BOT,
      c.version,
    );
    return 'posted';
  }

  /**
   * Brings a card up to date and says `line` in its thread (ChannelCards.refresh). The
   * line is plain text that may quote a consulter (an email's subject): shown as written,
   * never as Teams formatting or a link.
   */
  async refresh(consultationId: number, line?: Localized): Promise<void> {
    this.update(consultationId);
    if (!line) return;
    await this.say(consultationId, escapeMarkdown(line.ja));
  }

  /** Says `text` in the thread of the record's card, as the record is now; nothing if it has none. */
  async say(consultationId: number, text: string): Promise<void> {
    const channel = await this.deps.desk.intakeChannel();
    const c = await this.deps.service.get(SYSTEM, consultationId);
    await this.sayUnder(channel, c, text);
  }

  /**
   * Says `text` in the thread of `c`'s card in `channel`; nothing if it has none. One
   * message of a thread is on its way at a time: lines said meanwhile wait and go out
   * together, in order, as the next message. With Teams' limits on the channel (a few
   * messages a second for all its threads) a busy card's thread stays current instead
   * of running behind by one message per change. Resolves when the line was sent, or
   * kept behind lines of its thread still owed (a catch-up says them in order); rejects
   * when Teams refused it after the retries (it is kept, and a catch-up says it later).
   */
  sayUnder(channel: IntakeChannel, c: Consultation, text: string): Promise<void> {
    const reference = channelCardRef(channel, c);
    if (!reference || !c.teamsCard) return Promise.resolve();
    const key = `${c.teamsCard.conversationId}\n${c.teamsCard.activityId}`;
    const busy = this.threads.get(key);
    if (busy) return (busy.next ??= new LineBatch()).add(text);
    const first = new LineBatch();
    const sent = first.add(text);
    const thread: Thread = { next: first };
    this.threads.set(key, thread);
    void this.sendLines(key, thread, c.id, reference, c.teamsCard.activityId);
    return sent;
  }

  /** The threads with a message on its way, and the lines waiting for the next one. */
  private readonly threads = new Map<string, Thread>();

  private async sendLines(
    key: string,
    thread: Thread,
    consultationId: number,
    reference: Partial<ConversationReference>,
    rootId: string,
  ): Promise<void> {
    try {
      for (let batch = thread.next; batch; batch = thread.next) {
        thread.next = null;
        const text = batch.text();
        // Lines Teams refused earlier are still owed to this thread: this one waits behind
        // them, so that the thread does not tell a later change before an earlier one.
        if (
          (await this.owes(consultationId)) &&
          (await this.keep(consultationId, text, batch.saidAt))
        ) {
          batch.sent();
          continue;
        }
        try {
          await this.deps.gateway.reply(reference, rootId, MessageFactory.text(text));
          batch.sent();
        } catch (err) {
          // Only a refused message touches the database: a sent one (every press) does not.
          // A thread Teams no longer has (the card deleted) is not asked again.
          if (!isGone(err)) await this.keep(consultationId, text, batch.saidAt);
          batch.failed(err);
        }
      }
    } finally {
      this.threads.delete(key);
    }
  }

  /** Whether lines are owed to the record's thread; with the database down, it cannot tell. */
  private owes(consultationId: number): Promise<boolean> {
    return this.deps.lines.holds(consultationId).catch(() => false);
  }

  /**
   * Keeps a message for the catch-up; with the database down, a message Teams refused is
   * lost (false).
   */
  private async keep(consultationId: number, text: string, saidAt: number): Promise<boolean> {
    try {
      await this.deps.lines.keep(consultationId, text, new Date(saidAt).toISOString());
      return true;
    } catch (err) {
      // Never the text: it may quote the consulter.
      this.deps.logger.warn(
        { consultationId, err: { name: (err as Error).name, message: (err as Error).message } },
        'a line for a card thread was lost: neither Teams nor the database took it',
      );
      return false;
    }
  }

  /** Channel cards on their way to Teams, and whether their record changed again meanwhile. */
  private readonly refreshing = new Map<number, { again: boolean }>();

  /**
   * Brings the channel card up to date, with the record as it is when the update is made.
   * Changes made while an update is on its way (Teams' rate limits can hold it for
   * seconds) make one more update after it, not one each: the card ends at the latest
   * state either way, and the channel's few messages a second go to what is new.
   */
  update(id: number): void {
    const running = this.refreshing.get(id);
    if (running) return void (running.again = true);
    const state = { again: false };
    this.refreshing.set(id, state);
    this.deps.background.run('update card', async () => {
      try {
        do {
          state.again = false;
          await this.updateCard(id);
        } while (state.again);
      } finally {
        this.refreshing.delete(id);
      }
    });
  }

  /** The channel card as the record is now; where it is, or null if it has none. */
  private async updateCard(
    consultationId: number,
  ): Promise<{ reference: Partial<ConversationReference>; activityId: string } | null> {
    const channel = await this.deps.desk.intakeChannel();
    const { consultation: c, lastChange } = await this.deps.service.withLastChange(
      SYSTEM,
      consultationId,
    );
    const reference = channelCardRef(channel, c);
    if (!reference || !c.teamsCard) return null;
    const shared = await this.deps.cards.sharedCardOf(c, lastChange);
    // Shown, or deleted in Teams: either way nothing is left to bring up to date.
    await this.deps.gateway.update(reference, c.teamsCard.activityId, cardMessage(shared));
    await this.deps.service.cardShown(c.id, c.version);
    return { reference, activityId: c.teamsCard.activityId };
  }

  /**
   * Brings up to date the cards that fell behind their records: an update that could not
   * reach Teams (down longer than the retries), or that a stop cut short. Run at start and
   * now and then; returns how many cards it set out to update (at most `limit`).
   */
  async catchUp(limit = CATCH_UP_AT_ONCE): Promise<number> {
    const ids = await this.deps.service.cardsBehind(limit);
    for (const id of ids) this.update(id);
    return ids.length;
  }

  /**
   * Posts the cards of open records that have none: recorded while there was no intake
   * channel, or while Teams was down longer than the retries. Oldest first; returns how
   * many it posted, and throws after trying them all if any failed (tried again later).
   */
  async catchUpPosts(limit = CATCH_UP_AT_ONCE): Promise<number> {
    if (!(await this.deps.desk.intakeChannel())) return 0;
    const ids = await this.deps.service.cardsMissing(limit);
    return attemptEach(ids, async (id) => {
      const { consultation, lastChange } = await this.deps.service.withLastChange(SYSTEM, id);
      return (await this.postOnce(consultation, lastChange)) === 'posted';
    });
  }

  /**
   * Says in their cards' threads the messages Teams refused (down longer than the
   * retries) and those kept behind them, as they were written; those kept within the last
   * minute wait for the next catch-up, as notices do. A thread's owed lines go out
   * together, oldest first, as one message, as lines said while one is on its way do.
   * Returns how many lines it said; throws after trying every thread if any failed (their
   * lines stay owed).
   */
  async catchUpLines(limit = LINES_AT_ONCE): Promise<number> {
    const owed = await this.deps.lines.owed({ olderThanMs: NOTICE_CATCH_UP_AFTER_MS, limit });
    if (owed.length === 0) return 0;
    const channel = await this.deps.desk.intakeChannel();
    const threads = new Map<number, OwedLine[]>();
    for (const line of owed) {
      const thread = threads.get(line.consultationId);
      if (thread) thread.push(line);
      else threads.set(line.consultationId, [line]);
    }
    return attemptEach([...threads.values()], (lines) => this.sayOwed(channel, lines));
  }

  /**
   * Takes a thread's owed lines, oldest first, and says them under its card as one
   * message; returns how many it said. It stops taking at a line another instance has, so
   * none is said before an earlier one. Lines a day old, of an erased record or of a card
   * or thread that is no more, are dropped unsaid.
   */
  private async sayOwed(channel: IntakeChannel, owed: readonly OwedLine[]): Promise<number> {
    const lines = this.deps.lines;
    const taken: OwedLine[] = [];
    for (const line of owed) {
      if (!(await lines.take(line.id))) break; // another instance is saying it
      taken.push(line);
    }
    if (taken.length === 0) return 0;
    // Said, or not to be said any more: owed no longer.
    const clear = (few: readonly OwedLine[]) => Promise.all(few.map((l) => lines.done(l.id)));
    try {
      const c = await this.deps.service.get(SYSTEM, taken[0]!.consultationId);
      const reference = c.erasure ? null : channelCardRef(channel, c);
      if (!c.teamsCard || !reference) {
        await clear(taken);
        return 0;
      }
      const expired = taken.filter((l) => lines.expired(l));
      const live = taken.filter((l) => !lines.expired(l));
      await clear(expired);
      if (live.length === 0) return 0;
      const text = live.map((l) => l.text).join('\n\n');
      await this.deps.gateway.reply(reference, c.teamsCard.activityId, MessageFactory.text(text));
      await clear(live);
      return live.length;
    } catch (err) {
      // Its thread is gone (the card deleted in Teams): nothing left to say them in.
      if (isGone(err)) {
        await clear(taken);
        return 0;
      }
      await Promise.all(taken.map((l) => lines.release(l.id).catch(() => undefined)));
      throw err;
    }
  }
}

/** A card's thread with a message on its way: the lines for the next one, if any. */
interface Thread {
  next: LineBatch | null;
}

/** Lines for one message in a card's thread, and whoever waits for them to be sent. */
class LineBatch {
  /** When the first line was said (ms). */
  readonly saidAt = Date.now();
  private readonly lines: string[] = [];
  private readonly waiting: Array<{ resolve: () => void; reject: (err: unknown) => void }> = [];

  add(line: string): Promise<void> {
    this.lines.push(line);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** The message: a paragraph a line (Markdown would run lines with a single break together). */
  text(): string {
    return this.lines.join('\n\n');
  }

  sent(): void {
    for (const w of this.waiting) w.resolve();
  }

  failed(err: unknown): void {
    for (const w of this.waiting) w.reject(err);
  }
}

/** Where the record's card is, to update it and reply in its thread; null if it has none. */
function channelCardRef(
  channel: IntakeChannel,
  c: Consultation,
): Partial<ConversationReference> | null {
  if (!channel || !c.teamsCard) return null;
  return {
    ...channel.reference,
    conversation: { ...channel.reference.conversation!, id: c.teamsCard.conversationId },
  };
}
