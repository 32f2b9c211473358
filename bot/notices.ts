import { MessageFactory, type Activity, type ConversationReference } from 'botbuilder';
import type { LastChange } from '../src/errors';
import { fieldLabel } from '../src/consultation/fields';
import { localize, type Localized } from '../src/i18n/messages';
import type { ConsultationService, Directory } from '../src/consultation/consultation.service';
import type { NoticeQueue, OwedNotice } from '../src/consultation/notice-queue';
import type { NoticeKind } from '../src/consultation/notice.repository';
import type { Action, Actor, Consultation } from '../src/consultation/types';
import type { EmailQuote } from '../src/intake/email-text';
import type { DeskService } from '../src/teams/desk.service';
import { attemptEach } from './background';
import type { CardBuilder } from './card-builder';
import { escapeMarkdown, formatTokyo, messageParagraphs } from './cards/text';
import type { TeamsChannelCards } from './channel-cards';
import { lastChangeSentence, w, type Lang } from './i18n';
import { isGone, type TeamsGateway } from './outbound/teams-gateway';
import { SYSTEM, cardMessage, languageOf } from './turn';

export interface NoticesDeps {
  desk: DeskService<Partial<ConversationReference>>;
  gateway: TeamsGateway;
  directory: Directory;
  cards: CardBuilder;
  channel: TeamsChannelCards;
  service: ConsultationService;
  /** The 1:1 notices changes owe, written with each change. */
  queue: NoticeQueue;
  /** The email a notice of a follow-up email quotes, as it is when the notice goes out. */
  emails: { of(consultationId: number, at: string): Promise<EmailQuote | null> };
  /** The desk's language for people who have not chosen one (`BOT_LANGUAGE`); null: Teams'. */
  language: Lang | null;
}

/** A catch-up leaves notices younger than this to the change that owes them. */
export const NOTICE_CATCH_UP_AFTER_MS = 60_000;

/** Notices delivered in one catch-up at most. */
const NOTICES_AT_ONCE = 20;

/** What the desk is told after a change: the channel card, a line in its thread, 1:1 notices. */
export class Notices {
  constructor(private readonly deps: NoticesDeps) {}

  /**
   * After a change, once the person has been answered: the channel card for everyone, a
   * line in its thread, and the 1:1 notices the change owes (a dispatch to its specialist,
   * an answer to the case's first-line owner). A notice that cannot be delivered now stays
   * owed, and `catchUp` delivers it later.
   */
  async announce(
    near: Partial<ConversationReference>,
    c: Consultation,
    change: LastChange,
  ): Promise<void> {
    this.deps.channel.update(c.id);
    const channel = await this.deps.desk.intakeChannel();
    // A name as Teams or Entra gives it, shown as written (the card escapes it too).
    const did = lastChangeSentence(
      change.action,
      escapeMarkdown(change.by.name),
      formatTokyo(change.at),
      'ja',
    );
    // A return says why in the thread, where the owner and the specialist talk it over;
    // a correction, which fields (their names, not what they hold).
    const line = change.reason
      ? `${did}\n\n${w('field.returnReason', 'ja')}: ${messageParagraphs(change.reason)}`
      : change.fields?.length
        ? `${did}\n\n${w('field.corrected', 'ja')}: ${change.fields.map((f) => fieldLabel(f).ja).join('、')}`
        : did;
    const done = await Promise.allSettled([
      this.deps.channel.sayUnder(channel, c, line),
      OWING_ACTIONS.has(change.action) ? this.deliverOwed(c.id, channel?.reference ?? near) : null,
    ]);
    const failed = done.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * Delivers the notices changes owe that were not delivered when they were made (Teams
   * was down, the process stopped), oldest first. Returns how many it delivered; throws
   * after trying them all if any failed (they stay owed).
   */
  async catchUp(near: Partial<ConversationReference> | undefined): Promise<number> {
    const owed = await this.deps.queue.owed({
      olderThanMs: NOTICE_CATCH_UP_AFTER_MS,
      limit: NOTICES_AT_ONCE,
    });
    return attemptEach(owed, (notice) => this.deliver(notice, near));
  }

  /**
   * Delivers the notices a change made outside Teams owes (an email added in Outlook),
   * now rather than at the next catch-up.
   */
  async deliverFor(consultationId: number): Promise<void> {
    const channel = await this.deps.desk.intakeChannel();
    await this.deliverOwed(consultationId, channel?.reference);
  }

  private async deliverOwed(
    consultationId: number,
    near: Partial<ConversationReference> | undefined,
  ): Promise<void> {
    for (const notice of await this.deps.queue.owed({ consultationId })) {
      await this.deliver(notice, near);
    }
  }

  /** Takes one owed notice and delivers it; false when it was not for this call to send. */
  private async deliver(
    notice: OwedNotice,
    near: Partial<ConversationReference> | undefined,
  ): Promise<boolean> {
    const queue = this.deps.queue;
    if (!(await queue.take(notice.id))) return false; // another instance has it
    try {
      if (queue.expired(notice)) {
        await queue.finish(notice.id, 'failed');
        return false;
      }
      const { consultation: c, lastChange: latest } = await this.deps.service.withLastChange(
        SYSTEM,
        notice.consultationId,
      );
      if (!stillTrue(notice, c)) {
        await queue.finish(notice.id, 'obsolete');
        return false;
      }
      const { action, key } = NOTICE_TEXT[notice.kind];
      // The change itself when it is still the latest (with a return's reason), as it was otherwise.
      const lastChange: LastChange =
        latest.action === action && latest.at === notice.at
          ? latest
          : { action, by: notice.by, at: notice.at };
      const quote = notice.kind === 'email' ? await this.deps.emails.of(c.id, notice.at) : null;
      await this.notify(notice.recipientId, near, c, lastChange, noticeText(key, c, quote));
      await queue.finish(notice.id, 'sent');
      return true;
    } catch (err) {
      await queue.release(notice.id).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Tells each of `aadObjectIds` `text` in their 1:1 chat with the bot, in their language:
   * what the desk must know that no card is about (the intake channel gone with its team).
   * Tries them all; how many were told, or throws after if any failed.
   */
  async tellEach(
    aadObjectIds: readonly string[],
    near: Partial<ConversationReference> | undefined,
    text: Localized,
  ): Promise<number> {
    return attemptEach(aadObjectIds, async (id) => {
      await this.sendPersonal(id, near, async (lang) => MessageFactory.text(text[lang]));
      return true;
    });
  }

  /** A 1:1 message with the card of `c` as `lastChange` left it, and `text`. */
  private notify(
    aadObjectId: string,
    near: Partial<ConversationReference> | undefined,
    c: Consultation,
    lastChange: LastChange,
    text: Localized,
  ): Promise<void> {
    return this.sendPersonal(aadObjectId, near, async (lang, viewer) =>
      cardMessage(await this.deps.cards.personalCardOf(viewer, c, lastChange, lang), text[lang]),
    );
  }

  /**
   * A 1:1 message, in the person's own chat with the bot: the one kept, or opened when
   * there is none, or when Teams no longer has the one kept. `build` writes it in the
   * person's language, for them.
   */
  private async sendPersonal(
    aadObjectId: string,
    near: Partial<ConversationReference> | undefined,
    build: (lang: Lang, viewer: Actor) => Promise<Partial<Activity>>,
  ): Promise<void> {
    const person = await this.deps.desk.person(aadObjectId);
    const open = async () => {
      if (!person) throw new Error('cannot notify someone the bot has never met');
      if (!near) throw new Error('no conversation of the tenant to open a chat from');
      const opened = await this.deps.gateway.openPersonal(near, person.teamsUserId);
      await this.deps.desk.setPersonalChat(aadObjectId, opened.conversation!.id, opened);
      return opened;
    };
    const kept = (await this.deps.desk.personalChat(aadObjectId))?.reference;
    const lang = languageOf(person?.language, this.deps.language, person?.locale);
    const viewer: Actor = {
      id: aadObjectId,
      name: person?.name ?? aadObjectId,
      roles: this.deps.directory.rolesOf(aadObjectId),
    };
    const message = await build(lang, viewer);
    try {
      await this.deps.gateway.send(kept ?? (await open()), message);
    } catch (err) {
      if (!kept || !isGone(err)) throw err;
      await this.deps.gateway.send(await open(), message);
    }
  }
}

/** The changes that may owe notices. */
const OWING_ACTIONS: ReadonlySet<Action> = new Set<Action>(['dispatch', 'return', 'answer']);

type NoticeKey =
  'bot.dispatched_to_you' | 'bot.answered_yours' | 'bot.returned_to_you' | 'bot.new_email_yours';

/** What each kind of notice says, and the change it is about. */
const NOTICE_TEXT: Record<NoticeKind, { action: Action; key: NoticeKey }> = {
  dispatched: { action: 'dispatch', key: 'bot.dispatched_to_you' },
  answered: { action: 'answer', key: 'bot.answered_yours' },
  returned: { action: 'return', key: 'bot.returned_to_you' },
  email: { action: 'link-email', key: 'bot.new_email_yours' },
};

/**
 * What a notice says. One of a follow-up email names its subject and first words (the
 * consulter's, so escaped); without a subject it says only that an email came.
 */
function noticeText(key: NoticeKey, c: Consultation, quote: EmailQuote | null): Localized {
  if (!quote) return localize(key, { number: c.number });
  const subject = escapeMarkdown(quote.subject);
  return quote.excerpt
    ? localize('bot.new_email_yours_quoted', {
        number: c.number,
        subject,
        excerpt: escapeMarkdown(quote.excerpt),
      })
    : localize('bot.new_email_yours_subject', { number: c.number, subject });
}

/**
 * Whether a notice still says something true: a dispatch only while the case is still
 * theirs; nothing once the record's personal data was erased (there is nothing to act on).
 */
function stillTrue(notice: OwedNotice, c: Consultation): boolean {
  if (c.erasure) return false;
  if (notice.kind === 'answered' || notice.kind === 'email') return true;
  // Still back with its owner (not dispatched again, answered or closed meanwhile).
  if (notice.kind === 'returned')
    return c.state === 'claimed' && c.firstLineOwner?.id === notice.recipientId;
  return c.state === 'dispatched' && c.specialist?.id === notice.recipientId;
}
