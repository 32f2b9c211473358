import { randomUUID } from 'node:crypto';
import {
  CardFactory,
  MessageFactory,
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type ConversationReference,
} from 'botbuilder';
import type { Logger } from 'pino';
import {
  AppError,
  ForbiddenError,
  InvalidTransitionError,
  UnavailableError,
  ValidationError,
  type FieldErrors,
  type LastChange,
} from '../src/errors';
import { localize, type Localized } from '../src/i18n/messages';
import { staffIds } from '../src/consultation/directory';
import type { ConsultationService, Directory } from '../src/consultation/consultation.service';
import { renderTemplate, templatesFor, type ReplyService } from '../src/mail';
import { fieldError } from '../src/consultation/consultation.input';
import { applies, permits } from '../src/consultation/policy';
import {
  OPEN_STATES,
  type Actor,
  type Answer,
  type Consultation,
  type PersonRef,
  type Role,
} from '../src/consultation/types';
import { isUnavailable } from '../src/store/store';
import type { DeskService } from '../src/teams/desk.service';
import type { KnownPerson } from '../src/teams/teams.repository';
import type { Background } from './background';
import {
  CARD_INPUTS,
  CARD_VERBS,
  REPLY_VERBS,
  VERBS,
  consultationCard,
  helpCard,
  intakeFormCard,
  listCard,
  noticeCard,
  replyErrors,
  replyFormCard,
  replyPreviewCard,
  type AdaptiveCard,
  type CardVerb,
  type IntakeValues,
  type ReplyValues,
} from './cards';
import { parseCommand } from './commands';
import { lastChangeSentence, type Lang } from './i18n';
import type { TeamsGateway } from './outbound/teams-gateway';
import {
  personalView,
  replyForm,
  sharedView,
  withBanner,
  withDrafts,
  withTypedText,
  type CardContext,
  type ReplyFacts,
} from './views';
import { formatTokyo } from './cards/text';

export interface DeskBotDeps {
  service: ConsultationService;
  /** Answers: saved on the record, then emailed to the consulter when asked. */
  replies: ReplyService;
  desk: DeskService<Partial<ConversationReference>>;
  gateway: TeamsGateway;
  background: Background;
  directory: Directory;
  roles: Readonly<Record<Role, readonly string[]>>;
  logger: Logger;
  /** Where a record opens in the ledger tab, for the card's link. */
  ledgerUrl?: ((consultationId: number) => string) | null;
}

/** The bot as the desk sees it in Teams' own words, for the thread and 1:1 notices. */
const BOT: PersonRef = { id: 'madoguchi', name: 'Madoguchi' };
/** How long the staff's names and Teams ids are kept before they are read again. */
const STAFF_KEPT_MS = 60_000;
/** The bot reading a record for everyone's card (the channel's). */
const SYSTEM: Actor = { ...BOT, roles: ['supervisor'] };

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
const cardResponse = (card: AdaptiveCard): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: ADAPTIVE,
  value: card as unknown as Record<string, unknown>,
});
const cardMessage = (card: AdaptiveCard, text?: string): Partial<Activity> =>
  MessageFactory.attachment(CardFactory.adaptiveCard(card), text);

/** Japanese unless the person's Teams speaks English. */
export const langOf = (activity: Partial<Activity>): Lang =>
  (activity.locale ?? '').toLowerCase().startsWith('en') ? 'en' : 'ja';

/** The language to answer in: the one the person chose (`日本語` / `English`), else their Teams locale. */
const LANG = Symbol('madoguchi.lang');
const langFor = (ctx: TurnContext): Lang =>
  (ctx.turnState.get(LANG) as Lang | undefined) ?? langOf(ctx.activity);

/**
 * The desk in Teams: intake in 1:1 chat, the consultation card in the intake channel,
 * its buttons, and the notices that follow. It parses and renders; the service decides.
 */
export class DeskBot extends TeamsActivityHandler {
  constructor(private readonly deps: DeskBotDeps) {
    super();
    this.onMessage(async (ctx, next) => {
      await this.remember(ctx);
      await this.handleMessage(ctx);
      await next();
    });
  }

  /** Installed in a team: its channel becomes the desk's intake channel. */
  protected override async onInstallationUpdateAddActivity(ctx: TurnContext): Promise<void> {
    await this.remember(ctx);
    const activity = ctx.activity;
    if (activity.conversation.conversationType === 'channel' || activity.channelData?.team) {
      await this.setIntakeChannel(ctx);
      await this.rememberTeamMembers(ctx);
      // Said in the channel, to the whole desk: in the desk's language.
      await ctx.sendActivity(this.say('bot.intake_set', 'ja'));
    } else {
      await ctx.sendActivity(cardMessage(helpCard(langFor(ctx))));
    }
  }

  protected override async onAdaptiveCardInvoke(
    ctx: TurnContext,
    value: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    await this.remember(ctx);
    const lang = langFor(ctx);
    const actor = this.actorOf(ctx.activity);
    const verb = value.action?.verb ?? '';
    const data = (value.action?.data ?? {}) as Record<string, unknown>;
    try {
      if (verb === VERBS.intakeSubmit) return await this.submitIntake(ctx, actor, data, lang);
      if (verb === VERBS.intakeNew)
        return cardResponse(intakeFormCard({ formId: randomUUID() }, lang));
      if (verb === VERBS.listMine) return cardResponse(await this.myCases(actor, lang));
      const id = Number(data.consultationId);
      if (!Number.isInteger(id) || id <= 0)
        return cardResponse(noticeCard(this.text('bot.unknown_action', lang)));
      if (verb === 'answer' || REPLY_VERBS.includes(verb)) {
        return await this.reply(ctx, actor, verb, id, data, lang);
      }
      if (verb === VERBS.refresh || verb === VERBS.open) {
        // Someone without a role keeps seeing the channel's card, without its details.
        const card =
          actor.roles.length > 0 ? this.personalCard(actor, id, lang) : this.sharedCard(id, lang);
        return cardResponse(await card);
      }
      if ((CARD_VERBS as readonly string[]).includes(verb)) {
        return await this.act(ctx, actor, verb as CardVerb, id, data, lang);
      }
      return cardResponse(noticeCard(this.text('bot.unknown_action', lang)));
    } catch (err) {
      const appError = appErrorOf(err);
      if (appError)
        return cardResponse(withBanner(noticeCard(''), appError.localized, lang, 'attention'));
      throw err;
    }
  }

  // ---- messages ---------------------------------------------------------------

  private async handleMessage(ctx: TurnContext): Promise<void> {
    const activity = ctx.activity;
    const lang = langFor(ctx);
    const actor = this.actorOf(activity);
    const inChannel = activity.conversation.conversationType === 'channel';
    if (inChannel) {
      // Staff talking under a consultation's card: the record keeps it as a note.
      const mentioned = mentionsBot(activity);
      const thread = threadOf(activity.conversation.id);
      if (thread && (await this.threadNote(ctx, actor, thread, mentioned))) return;
      // With the permission to read channel messages, Teams sends the bot every message
      // of the channel: only those that mention it are for it.
      if (!mentioned) return;
    }
    const text = TurnContext.removeRecipientMention(activity) ?? activity.text ?? '';
    const command = parseCommand(text);

    if (command.kind === 'language') {
      if (activity.from.aadObjectId)
        await this.deps.desk.setLanguage(activity.from.aadObjectId, command.lang);
      ctx.turnState.set(LANG, command.lang);
      return void (await ctx.sendActivity(this.say('bot.language_set', command.lang)));
    }
    if (command.kind === 'set-intake') {
      if (!inChannel)
        return void (await ctx.sendActivity(this.say('bot.set_intake_in_channel', lang)));
      if (!actor.roles.includes('supervisor') && !actor.roles.includes('first-line')) {
        return void (await ctx.sendActivity(this.say('bot.not_staff', lang)));
      }
      await this.setIntakeChannel(ctx);
      return void (await ctx.sendActivity(this.say('bot.intake_set', 'ja')));
    }
    if (inChannel) return void (await ctx.sendActivity(this.say('bot.channel_help', lang)));

    try {
      if (activity.conversation.conversationType === 'personal' && activity.from.aadObjectId) {
        const ref = TurnContext.getConversationReference(activity);
        await this.deps.desk.setPersonalChat(
          activity.from.aadObjectId,
          activity.conversation.id,
          ref,
        );
      }
      if (actor.roles.length === 0)
        return void (await ctx.sendActivity(this.say('bot.not_staff', lang)));

      switch (command.kind) {
        case 'new':
          await ctx.sendActivity(cardMessage(intakeFormCard({ formId: randomUUID() }, lang)));
          return;
        case 'mine':
          await ctx.sendActivity(cardMessage(await this.myCases(actor, lang)));
          return;
        case 'search': {
          const { items, total, totalIsLowerBound } = await this.deps.service.list(actor, {
            text: command.words,
            limit: 25,
          });
          const title = localize('bot.search_title', { words: command.words });
          const options = { title, total, totalIsLowerBound };
          await ctx.sendActivity(cardMessage(listCard(items.map(listItem), lang, options)));
          return;
        }
        case 'open': {
          const c = await this.deps.service.getByNumber(actor, command.number);
          await ctx.sendActivity(cardMessage(await this.personalCard(actor, c.id, lang)));
          return;
        }
        case 'help':
          await ctx.sendActivity(cardMessage(helpCard(lang)));
          return;
        default:
          await ctx.sendActivity(this.say('bot.not_understood', lang));
          await ctx.sendActivity(cardMessage(helpCard(lang)));
      }
    } catch (err) {
      const appError = appErrorOf(err);
      if (!appError) throw err;
      await ctx.sendActivity(appError.localized[lang]);
    }
  }

  /**
   * A message in the thread under a consultation's card becomes an internal note, with
   * its author and time. When it mentions the bot, the bot says so in the thread (or why
   * not); a message that does not (delivered through the resource-specific permission)
   * is kept quietly. False when the thread is not under a consultation's card.
   */
  private async threadNote(
    ctx: TurnContext,
    actor: Actor,
    thread: { channelId: string; rootId: string },
    mentioned: boolean,
  ): Promise<boolean> {
    const activity = ctx.activity;
    let consultationId: number | undefined;
    try {
      const c = await this.deps.service.findByCard(thread.channelId, thread.rootId);
      if (!c) return false;
      consultationId = c.id;
      const body = noteText(activity);
      if (!body) return true; // only the mention, or only an attachment
      const { changed } = await this.deps.service.addNote(
        actor,
        c.id,
        { body, source: 'thread' },
        { requestId: activity.id ? `${activity.id}` : undefined },
      );
      if (!changed) return true; // Teams delivered it again
      // Said in the channel, to the whole desk: in the desk's language.
      if (mentioned) await ctx.sendActivity(this.say('bot.note_recorded', 'ja'));
      // The card's buttons carry the record's version, which the note moved on.
      this.refreshChannelCard(c.id);
    } catch (err) {
      const appError = appErrorOf(err);
      if (!appError) throw err;
      const reason = actor.roles.length === 0 ? localize('bot.not_staff') : appError.localized;
      if (mentioned) await ctx.sendActivity(reason.ja);
      else {
        const facts = { consultationId, code: appError.code };
        this.deps.logger.info(facts, 'thread message not kept');
      }
    }
    return true;
  }

  private async myCases(actor: Actor, lang: Lang): Promise<AdaptiveCard> {
    const { items, total } = await this.deps.service.list(actor, {
      personId: actor.id,
      states: OPEN_STATES,
      limit: 25,
    });
    return listCard(items.map(listItem), lang, { title: localize('bot.mine_title'), total });
  }

  // ---- intake -------------------------------------------------------------------

  private async submitIntake(
    ctx: TurnContext,
    actor: Actor,
    data: Record<string, unknown>,
    lang: Lang,
  ): Promise<AdaptiveCardInvokeResponse> {
    const formId = typeof data.formId === 'string' && data.formId ? data.formId : randomUUID();
    const values = formValues(data);
    try {
      const { consultation, changed } = await this.deps.service.create(actor, nest(values), {
        requestId: formId,
      });
      if (changed) this.afterCreate(ctx, consultation);
      const done = localize('bot.recorded', { number: consultation.number });
      return cardResponse(
        withBanner(await this.personalCard(actor, consultation.id, lang), done, lang, 'good'),
      );
    } catch (err) {
      const appError = appErrorOf(err);
      if (!appError) throw err;
      // The same form again, with everything typed kept.
      const errors = appError instanceof ValidationError ? appError.fields : undefined;
      const form = intakeFormCard({ formId, values, errors }, lang);
      return cardResponse(errors ? form : withBanner(form, appError.localized, lang, 'attention'));
    }
  }

  /** Posts the new record's card in the intake channel; tells its creator when there is none. */
  private afterCreate(ctx: TurnContext, c: Consultation): void {
    // Read from the turn now: the turn is over (and its context revoked) when this runs.
    const creator = TurnContext.getConversationReference(ctx.activity);
    const lang = langFor(ctx);
    this.deps.background.run('post card', async () => {
      if ((await this.postCard(c)) === 'no_channel') {
        await this.deps.gateway.send(creator, this.say('bot.no_intake_channel', lang));
      }
    });
  }

  /** Posts a record's card in the intake channel and remembers where it is (ChannelCards.post). */
  async postCard(c: Consultation): Promise<'posted' | 'no_channel'> {
    const channel = await this.deps.desk.intakeChannel();
    if (!channel) return 'no_channel';
    const card = consultationCard(sharedView(c, null, await this.cardContext()), 'ja');
    const activityId = await this.deps.gateway.send(channel.reference, cardMessage(card));
    await this.deps.service.linkCard(
      c.id,
      { conversationId: channel.conversationId, activityId },
      BOT,
    );
    return 'posted';
  }

  /** Brings a card up to date and says `line` in its thread (ChannelCards.refresh). */
  async refreshCard(consultationId: number, line?: Localized): Promise<void> {
    this.refreshChannelCard(consultationId);
    if (!line) return;
    const channel = await this.deps.desk.intakeChannel();
    const c = await this.deps.service.get(SYSTEM, consultationId);
    const reference = channelCardRef(channel, c);
    if (!reference || !c.teamsCard) return;
    await this.deps.gateway.reply(reference, c.teamsCard.activityId, MessageFactory.text(line.ja));
  }

  // ---- card actions ---------------------------------------------------------------

  private async act(
    ctx: TurnContext,
    actor: Actor,
    verb: CardVerb,
    id: number,
    data: Record<string, unknown>,
    lang: Lang,
  ): Promise<AdaptiveCardInvokeResponse> {
    const opts = {
      requestId: ctx.activity.id ? `${ctx.activity.id}` : undefined,
      expectedVersion: Number.isInteger(Number(data.version)) ? Number(data.version) : undefined,
    };
    const svc = this.deps.service;
    const field = (key: string) =>
      typeof data[key] === 'string' ? (data[key] as string) : undefined;
    try {
      // The form offers specialists by name but sends only the id: the record keeps both.
      const specialistName =
        verb === 'dispatch' ? await this.nameOf(field(CARD_INPUTS.dispatchSpecialist)) : undefined;
      const result = await (() => {
        switch (verb) {
          case 'claim':
            return svc.claim(actor, id, opts);
          case 'unclaim':
            return svc.unclaim(actor, id, opts);
          case 'dispatch':
            return svc.dispatch(
              actor,
              id,
              {
                specialistId: field(CARD_INPUTS.dispatchSpecialist),
                specialistName,
                coordinationNeeded: field(CARD_INPUTS.dispatchCoordination) === 'true',
                reason: field(CARD_INPUTS.dispatchReason),
              },
              opts,
            );
          case 'answer':
            throw new Error('answers are handled by reply()');
          case 'note':
            return svc.addNote(
              actor,
              id,
              { body: field(CARD_INPUTS.noteBody), source: 'card' },
              opts,
            );
          case 'recategorise':
            return svc.recategorise(
              actor,
              id,
              {
                categoryId: field(CARD_INPUTS.recategoriseCategory),
                urgency: field(CARD_INPUTS.recategoriseUrgency) || undefined,
              },
              opts,
            );
          case 'close':
            return svc.close(actor, id, { reason: field(CARD_INPUTS.closeReason) }, opts);
          case 'reopen':
            return svc.reopen(actor, id, opts);
        }
      })();
      if (!result.changed) return cardResponse(await this.personalCard(actor, id, lang));
      this.afterChange(ctx, verb, result.consultation, actor);
      // The record as the change left it, and the change itself: nothing to read again.
      const change = changeOf(verb, actor, result.consultation);
      return cardResponse(await this.personalCardOf(actor, result.consultation, change, lang));
    } catch (err) {
      if (!(err instanceof AppError) || err.code === 'not_found') throw err;
      // Someone without a role is told so in the desk's own words, not as a rule's refusal.
      const reason = actor.roles.length === 0 ? localize('bot.not_staff') : messageOf(err);
      // Whoever was faster, whatever was refused: show the card as it is now, and why,
      // with what was typed put back.
      const drafts = Object.fromEntries(
        Object.values(CARD_INPUTS).flatMap((k) =>
          typeof data[k] === 'string' && data[k] ? [[k, data[k] as string]] : [],
        ),
      );
      const card = await (
        actor.roles.length > 0 ? this.personalCard(actor, id, lang) : this.sharedCard(id, lang)
      ).catch(() => null);
      if (!card) {
        // The record cannot even be read (the database is down): show the typed text itself.
        return cardResponse(
          withBanner(noticeCard(Object.values(drafts).join('\n\n')), reason, lang, 'attention'),
        );
      }
      return cardResponse(withBanner(withDrafts(card, drafts), reason, lang, 'attention'));
    }
  }

  /** After a change: the channel card for everyone, a line in its thread, and notices. */
  private afterChange(ctx: TurnContext, verb: CardVerb, c: Consultation, actor: Actor): void {
    const near = TurnContext.getConversationReference(ctx.activity);
    this.deps.background.run(`after ${verb}`, () => this.announce(near, verb, c, actor));
  }

  /** What `afterChange` does, after the person has been answered. */
  private async announce(
    near: Partial<ConversationReference>,
    verb: CardVerb,
    c: Consultation,
    actor: Actor,
  ): Promise<void> {
    this.refreshChannelCard(c.id);
    const lastChange = changeOf(verb, actor, c);
    const channel = await this.deps.desk.intakeChannel();
    const cardRef = channelCardRef(channel, c);
    if (cardRef && c.teamsCard) {
      const line = lastChangeSentence(verb, actor.name, formatTokyo(lastChange.at), 'ja');
      await this.deps.gateway.reply(cardRef, c.teamsCard.activityId, MessageFactory.text(line));
    }
    if (verb === 'dispatch' && c.specialist) {
      await this.notify(
        c.specialist.id,
        channel?.reference ?? near,
        c,
        lastChange,
        'bot.dispatched_to_you',
      );
    }
    if (verb === 'answer' && c.firstLineOwner && c.firstLineOwner.id !== actor.id) {
      await this.notify(
        c.firstLineOwner.id,
        channel?.reference ?? near,
        c,
        lastChange,
        'bot.answered_yours',
      );
    }
  }

  // ---- answers: the reply form, its preview, sending, sending again ---------------

  /**
   * The reply flow. The form's template button and "back to edit" answer with the form
   * as a card of its own (the text filled in, everything typed kept); the preview shows
   * exactly what will be sent; sending (and `answer`, for an answer that is not emailed)
   * saves the answer and answers at once, the email going out afterwards.
   */
  private async reply(
    ctx: TurnContext,
    actor: Actor,
    verb: string,
    id: number,
    data: Record<string, unknown>,
    lang: Lang,
  ): Promise<AdaptiveCardInvokeResponse> {
    const values = replyValues(data);
    const version = versionOf(data);
    try {
      switch (verb) {
        case VERBS.replyTemplate:
          return cardResponse(await this.templateForm(actor, id, values, version, lang));
        case VERBS.replyEdit:
          return cardResponse(await this.replyForm(actor, id, values, version, lang));
        case VERBS.replyPreview:
          return cardResponse(await this.replyPreview(actor, id, values, version, lang));
        case VERBS.replyRetry:
          return await this.sendAgain(actor, data, lang);
        default: // `answer` (not emailed) and `reply.send` (from the preview)
          return await this.sendReply(ctx, actor, id, values, version, lang);
      }
    } catch (err) {
      const appError = appErrorOf(err);
      if (!appError || appError.code === 'not_found') throw err;
      return cardResponse(
        await this.replyRefused(actor, id, values, version, appError, verb, lang),
      );
    }
  }

  /** The form with the chosen template's text (in Japanese, the consulters' language). */
  private async templateForm(
    actor: Actor,
    id: number,
    values: ReplyValues,
    version: number | undefined,
    lang: Lang,
  ): Promise<AdaptiveCard> {
    const c = await this.deps.service.get(actor, id);
    mayAnswer(actor, c);
    const chosen = values[CARD_INPUTS.replyTemplate];
    const offered = templatesFor(c.categoryId);
    const template = offered.find((t) => t.id === chosen);
    if (!template)
      throw fieldError('templateId', chosen ? 'field.invalid_choice' : 'field.required');
    const text = renderTemplate(template, c, 'ja');
    // What was typed stays, after the template, unless it is itself a template's text.
    const typed = (values[CARD_INPUTS.answerBody] ?? '').replace(/\r\n?/g, '\n').trim();
    const keep = typed !== '' && !offered.some((t) => renderTemplate(t, c, 'ja').trim() === typed);
    const body = keep ? `${text}\n\n${typed}` : text;
    return this.formCard(c, { ...values, [CARD_INPUTS.answerBody]: body }, version, lang, {
      keptTyped: keep,
    });
  }

  private async replyForm(
    actor: Actor,
    id: number,
    values: ReplyValues,
    version: number | undefined,
    lang: Lang,
    errors?: FieldErrors,
  ): Promise<AdaptiveCard> {
    const c = await this.deps.service.get(actor, id);
    mayAnswer(actor, c);
    return this.formCard(c, values, version, lang, { errors });
  }

  /** The form card; its buttons carry the version the person first saw. */
  private async formCard(
    c: Consultation,
    values: ReplyValues,
    version: number | undefined,
    lang: Lang,
    extra: { errors?: FieldErrors; keptTyped?: boolean } = {},
  ): Promise<AdaptiveCard> {
    const options = await this.deps.replies.optionsFor(c);
    return replyFormCard(
      {
        consultation: { ...c, version: version ?? c.version },
        form: replyForm(c, options),
        values,
        ...extra,
      },
      lang,
    );
  }

  /** Exactly what sending would send, from the reply service's own preview. */
  private async replyPreview(
    actor: Actor,
    id: number,
    values: ReplyValues,
    version: number | undefined,
    lang: Lang,
  ): Promise<AdaptiveCard> {
    const c = await this.deps.service.get(actor, id);
    mayAnswer(actor, c);
    const p = await this.deps.replies.preview(actor, id, replyInput(values));
    return replyPreviewCard(
      {
        consultation: { ...c, version: version ?? c.version },
        email: p.email && {
          method: p.email.method,
          to: p.email.to,
          cc: p.email.cc,
          subject: p.email.subject,
          text: p.email.text,
        },
        delivery: p.delivery,
        notice: p.notice,
        values,
      },
      lang,
    );
  }

  /** Saves the answer and answers the person; the email goes out afterwards. */
  private async sendReply(
    ctx: TurnContext,
    actor: Actor,
    id: number,
    values: ReplyValues,
    version: number | undefined,
    lang: Lang,
  ): Promise<AdaptiveCardInvokeResponse> {
    const saved = await this.deps.replies.save(actor, id, replyInput(values), {
      requestId: ctx.activity.id ? `${ctx.activity.id}` : undefined,
      expectedVersion: version,
    });
    if (saved.changed) {
      const near = TurnContext.getConversationReference(ctx.activity);
      const send = saved.send;
      this.deps.background.run('after answer', async () => {
        // The email goes out while Teams is told; the card shows how it went once it has.
        const sending = send?.().then(
          (answer) => ({ answer }),
          (err: unknown) => ({ err }),
        );
        const announced = await this.announce(near, 'answer', saved.consultation, actor).then(
          () => null,
          (err: unknown) => ({ err }),
        );
        const sent = await sending;
        if (sent && 'err' in sent) throw sent.err;
        if (sent) await this.afterSend(saved.consultation.id, sent.answer, false);
        if (announced) throw announced.err;
      });
    }
    const card = await this.personalCard(actor, id, lang);
    if (!saved.changed) return cardResponse(card);
    const done = localize(saved.send ? 'bot.reply_sending' : 'bot.reply_recorded');
    return cardResponse(withBanner(card, done, lang, 'good'));
  }

  /** 「再送する」: the answer is taken for sending at once, and sent afterwards. */
  private async sendAgain(
    actor: Actor,
    data: Record<string, unknown>,
    lang: Lang,
  ): Promise<AdaptiveCardInvokeResponse> {
    const answerId = Number(data.answerId);
    if (!Number.isInteger(answerId) || answerId <= 0)
      return cardResponse(noticeCard(this.text('bot.unknown_action', lang)));
    const taken = await this.deps.replies.takeForRetry(actor, answerId);
    const id = taken.answer.consultationId;
    const send = taken.send;
    if (send) {
      this.deps.background.run('send answer again', async () =>
        this.afterSend(id, await send(), true),
      );
    }
    const card = await this.personalCard(actor, id, lang);
    return cardResponse(
      taken.changed
        ? withBanner(card, localize('bot.retry_sending'), lang, 'good')
        : withBanner(card, localize('bot.retry_not_needed'), lang, 'warning'),
    );
  }

  /**
   * Once an email has gone out (or not): the channel card shows how it went; its thread
   * says so when it failed, and after every sending again.
   */
  private async afterSend(consultationId: number, answer: Answer, again: boolean): Promise<void> {
    // Through the refresh, so an update still on its way (showing 送信中) cannot land last.
    this.refreshChannelCard(consultationId);
    if (answer.deliveryStatus !== 'failed' && !again) return;
    const channel = await this.deps.desk.intakeChannel();
    const c = await this.deps.service.get(SYSTEM, consultationId);
    const reference = channelCardRef(channel, c);
    if (!reference || !c.teamsCard) return;
    const key = answer.deliveryStatus === 'sent' ? 'bot.answer_emailed' : 'bot.answer_not_emailed';
    const line = localize(key, { name: answer.author.name }).ja;
    await this.deps.gateway.reply(reference, c.teamsCard.activityId, MessageFactory.text(line));
  }

  /** Channel cards on their way to Teams, and whether their record changed again meanwhile. */
  private readonly refreshing = new Map<number, { again: boolean }>();

  /**
   * Brings the channel card up to date, with the record as it is when the update is made.
   * Changes made while an update is on its way (Teams' rate limits can hold it for
   * seconds) make one more update after it, not one each: the card ends at the latest
   * state either way, and the channel's few messages a second go to what is new.
   */
  private refreshChannelCard(id: number): void {
    const running = this.refreshing.get(id);
    if (running) return void (running.again = true);
    const state = { again: false };
    this.refreshing.set(id, state);
    this.deps.background.run('update card', async () => {
      try {
        do {
          state.again = false;
          await this.updateChannelCard(id);
        } while (state.again);
      } finally {
        this.refreshing.delete(id);
      }
    });
  }

  /** The channel card as the record is now; where it is, or null if it has none. */
  private async updateChannelCard(
    consultationId: number,
  ): Promise<{ reference: Partial<ConversationReference>; activityId: string } | null> {
    const channel = await this.deps.desk.intakeChannel();
    const { consultation: c, lastChange } = await this.deps.service.withLastChange(
      SYSTEM,
      consultationId,
    );
    const reference = channelCardRef(channel, c);
    if (!reference || !c.teamsCard) return null;
    const shared = await this.sharedCardOf(c, lastChange);
    await this.deps.gateway.update(reference, c.teamsCard.activityId, cardMessage(shared));
    return { reference, activityId: c.teamsCard.activityId };
  }

  /**
   * A refused step of the reply flow: the form again with why (each field's error under
   * it) while the person may still answer; otherwise the card as it is now, with the
   * text they typed on it, so nothing typed is lost.
   */
  private async replyRefused(
    actor: Actor,
    id: number,
    values: ReplyValues,
    version: number | undefined,
    err: AppError,
    verb: string,
    lang: Lang,
  ): Promise<AdaptiveCard> {
    const staff = actor.roles.length > 0;
    const reason = staff ? messageOf(err) : localize('bot.not_staff');
    if (staff && verb !== VERBS.replyRetry) {
      const errors = err instanceof ValidationError ? replyErrors(err.fields) : undefined;
      // A refused send comes back with the version it is now, so it can be sent again.
      const form = await this.replyForm(
        actor,
        id,
        values,
        err.code === 'conflict' ? undefined : version,
        lang,
        errors,
      ).catch(() => null);
      if (form) return withBanner(form, reason, lang, 'attention');
    }
    const card = await (
      staff ? this.personalCard(actor, id, lang) : this.sharedCard(id, lang)
    ).catch(() => null);
    const typed = values[CARD_INPUTS.answerBody];
    const base = card ?? noticeCard('');
    return withBanner(
      typed ? withTypedText(base, localize('bot.typed_answer'), typed, lang) : base,
      reason,
      lang,
      'attention',
    );
  }

  /** A 1:1 message with the card, in the person's own chat with the bot (opened if need be). */
  private async notify(
    aadObjectId: string,
    near: Partial<ConversationReference>,
    c: Consultation,
    lastChange: LastChange,
    key: 'bot.dispatched_to_you' | 'bot.answered_yours',
  ): Promise<void> {
    const [person] = await this.deps.desk.people([aadObjectId]);
    let chat = (await this.deps.desk.personalChat(aadObjectId))?.reference;
    if (!chat) {
      if (!person) throw new Error('cannot notify someone the bot has never met');
      chat = await this.deps.gateway.openPersonal(near, person.teamsUserId);
      await this.deps.desk.setPersonalChat(aadObjectId, chat.conversation!.id, chat);
    }
    const lang: Lang =
      person?.language ?? (person?.locale?.toLowerCase().startsWith('en') ? 'en' : 'ja');
    const viewer: Actor = {
      id: aadObjectId,
      name: person?.name ?? aadObjectId,
      roles: this.deps.directory.rolesOf(aadObjectId),
    };
    const facts = await this.replyFacts(c, permits(viewer, 'answer', c));
    const card = consultationCard(
      personalView(viewer, c, lastChange, await this.cardContext(), facts),
      lang,
    );
    const text = localize(key, { number: c.number })[lang];
    await this.deps.gateway.send(chat, cardMessage(card, text));
  }

  // ---- cards ------------------------------------------------------------------------

  private async personalCard(actor: Actor, id: number, lang: Lang): Promise<AdaptiveCard> {
    const { consultation: c, lastChange } = await this.deps.service.withLastChange(actor, id);
    return this.personalCardOf(actor, c, lastChange, lang);
  }

  private async personalCardOf(
    actor: Actor,
    c: Consultation,
    lastChange: LastChange,
    lang: Lang,
  ): Promise<AdaptiveCard> {
    const facts = await this.replyFacts(c, permits(actor, 'answer', c));
    return consultationCard(
      personalView(actor, c, lastChange, await this.cardContext(), facts),
      lang,
    );
  }

  /** For someone without a role: the card as the channel shows it (they cannot read more). */
  private async sharedCard(id: number, lang: Lang): Promise<AdaptiveCard> {
    const { consultation, lastChange } = await this.deps.service.withLastChange(SYSTEM, id);
    return this.sharedCardOf(consultation, lastChange, lang);
  }

  /** The channel's card of a record: every action its state allows, the latest answer. */
  private async sharedCardOf(
    c: Consultation,
    lastChange: LastChange,
    lang: Lang = 'ja',
  ): Promise<AdaptiveCard> {
    const facts = await this.replyFacts(c, applies('answer', c));
    return consultationCard(sharedView(c, lastChange, await this.cardContext(), facts), lang);
  }

  /** The latest answer and, when the card offers the reply form, how email could go. */
  private async replyFacts(c: Consultation, offersAnswer: boolean): Promise<ReplyFacts> {
    const replies = this.deps.replies;
    const [options, latest] = await Promise.all([
      offersAnswer ? replies.optionsFor(c) : null,
      replies.latestAnswer(c.id),
    ]);
    return { options, latest, retryable: latest !== null && replies.canRetry(latest) };
  }

  /** The name the bot knows a person by (from Teams), if it has met them. */
  private async nameOf(aadObjectId: string | undefined): Promise<string | undefined> {
    if (!aadObjectId) return undefined;
    const [person] = await this.deps.desk.people([aadObjectId]);
    return person?.name;
  }

  /** The staff as the bot knows them (names, Teams ids), kept a minute: every card names them. */
  private staff: { until: number; people: Promise<KnownPerson[]> } | null = null;

  private staffPeople(): Promise<KnownPerson[]> {
    const now = Date.now();
    if (!this.staff || now >= this.staff.until) {
      const people = this.deps.desk.people(staffIds(this.deps.roles));
      const kept = { until: now + STAFF_KEPT_MS, people };
      this.staff = kept;
      // A failed read is not kept.
      people.catch(() => {
        if (this.staff === kept) this.staff = null;
      });
    }
    return this.staff.people;
  }

  private async cardContext(): Promise<CardContext> {
    const staff = await this.staffPeople();
    const specialists = this.deps.roles.specialist.map((id) => ({
      id,
      name: staff.find((p) => p.aadObjectId === id)?.name ?? id,
    }));
    return {
      specialists,
      refreshUserIds: staff.map((p) => p.teamsUserId),
      ledgerUrl: this.deps.ledgerUrl,
    };
  }

  // ---- people and places ----------------------------------------------------------------

  private actorOf(activity: Partial<Activity>): Actor {
    const id = activity.from?.aadObjectId ?? activity.from?.id ?? '';
    return { id, name: activity.from?.name ?? id, roles: this.deps.directory.rolesOf(id) };
  }

  /** Notes who this is (for names, 1:1 notices, refresh) and the language they chose. */
  private async remember(ctx: TurnContext): Promise<void> {
    const from = ctx.activity.from;
    if (!from?.aadObjectId) return;
    try {
      const [known] = await this.deps.desk.people([from.aadObjectId]);
      if (known?.language) ctx.turnState.set(LANG, known.language);
      const seen: KnownPerson = {
        aadObjectId: from.aadObjectId,
        teamsUserId: from.id,
        name: from.name ?? from.id,
        locale: ctx.activity.locale ?? null,
      };
      // Most turns come from someone the bot knows as they are: nothing to write then.
      const same =
        known?.teamsUserId === seen.teamsUserId &&
        known.name === seen.name &&
        known.locale === seen.locale;
      if (same) return;
      await this.deps.desk.rememberPeople([seen]);
      this.staff = null;
    } catch (err) {
      // A convenience: the turn goes on, and says "try again" if it needs the database.
      this.deps.logger.warn(
        { err: { name: (err as Error).name, message: (err as Error).message } },
        'could not remember the sender',
      );
    }
  }

  private async rememberTeamMembers(ctx: TurnContext): Promise<void> {
    try {
      const people: KnownPerson[] = [];
      let token: string | undefined;
      do {
        const page = await TeamsInfo.getPagedMembers(ctx, 100, token);
        for (const m of page.members) {
          if (m.aadObjectId)
            people.push({
              aadObjectId: m.aadObjectId,
              teamsUserId: m.id,
              name: m.name,
              locale: null,
            });
        }
        token = page.continuationToken;
      } while (token);
      await this.deps.desk.rememberPeople(people);
      this.staff = null;
    } catch (err) {
      // Names are a convenience; the desk works without them.
      this.deps.logger.warn(
        { err: { message: (err as Error).message } },
        'could not read the team roster',
      );
    }
  }

  private async setIntakeChannel(ctx: TurnContext): Promise<void> {
    const ref = TurnContext.getConversationReference(ctx.activity);
    const channelId =
      (ctx.activity.channelData?.channel?.id as string | undefined) ??
      ref.conversation!.id.split(';')[0]!;
    const reference = { ...ref, conversation: { ...ref.conversation!, id: channelId } };
    delete (reference as { activityId?: string }).activityId;
    await this.deps.desk.setIntakeChannel(channelId, reference);
  }

  private text(key: Parameters<typeof localize>[0], lang: Lang, params = {}): string {
    return localize(key, params)[lang];
  }

  private say(key: Parameters<typeof localize>[0], lang: Lang): Partial<Activity> {
    return MessageFactory.text(this.text(key, lang));
  }
}

/** A change as it was made: the record's time of it is the change's own. */
function changeOf(verb: CardVerb, actor: Actor, c: Consultation): LastChange {
  return { action: verb, by: { id: actor.id, name: actor.name }, at: c.updatedAt };
}

/**
 * The error to tell the person, or null for a bug. A database out of reach is "try again"
 * however it surfaced: reads outside a transaction throw the driver's own error.
 */
function appErrorOf(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (isUnavailable(err)) return new UnavailableError('database', err);
  return null;
}

/** A refusal in words: a validation error lists its fields. */
function messageOf(err: AppError): Localized {
  if (!(err instanceof ValidationError)) return err.localized;
  const list = Object.values(err.fields);
  return {
    ja: [err.localized.ja, ...list.map((m) => `・${m.ja}`)].join('\n'),
    en: [err.localized.en, ...list.map((m) => `- ${m.en}`)].join('\n'),
  };
}

function listItem(c: Consultation) {
  return {
    consultationId: c.id,
    number: c.number,
    subject: c.subject,
    state: c.state,
    urgency: c.urgency,
    receivedAt: c.receivedAt,
  };
}

/** The intake form's inputs as Teams sends them (strings, keyed by field path). */
function formValues(data: Record<string, unknown>): IntakeValues {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) {
    if (k !== 'formId' && typeof v === 'string') values[k] = v;
  }
  return values as IntakeValues;
}

/** `{ 'consulter.email': 'x' }` → `{ consulter: { email: 'x' } }`. */
function nest(values: IntakeValues): Record<string, unknown> {
  const out: Record<string, Record<string, unknown> | unknown> = {};
  for (const [path, v] of Object.entries(values)) {
    const [head, tail] = path.split('.', 2) as [string, string | undefined];
    if (tail === undefined) out[head] = v;
    else out[head] = { ...((out[head] as Record<string, unknown>) ?? {}), [tail]: v };
  }
  return out;
}

/** The reply form's inputs as Teams sends them (or as the preview's buttons carry them). */
function replyValues(data: Record<string, unknown>): ReplyValues {
  const values: ReplyValues = {};
  for (const id of [
    CARD_INPUTS.answerBody,
    CARD_INPUTS.answerDelivery,
    CARD_INPUTS.replyTemplate,
    CARD_INPUTS.replyEmail,
    CARD_INPUTS.replyCc,
  ] as const) {
    if (typeof data[id] === 'string') values[id] = data[id] as string;
  }
  return values;
}

/** What the reply service takes, from the form's values. */
function replyInput(values: ReplyValues) {
  const delivery = values[CARD_INPUTS.answerDelivery];
  return {
    body: values[CARD_INPUTS.answerBody] ?? '',
    // A card posted before the reply form chose email among the deliveries.
    emailConsulter: values[CARD_INPUTS.replyEmail] === 'true' || delivery === 'email',
    cc: values[CARD_INPUTS.replyCc] ?? '',
    delivery:
      delivery === 'phone' || delivery === 'counter' || delivery === 'none' ? delivery : undefined,
  };
}

/** The record's version the person saw, when the card sent one. */
function versionOf(data: Record<string, unknown>): number | undefined {
  const v = data.version;
  if (v === undefined || v === null || v === '') return undefined;
  return Number.isInteger(Number(v)) ? Number(v) : undefined;
}

/** The reply form is for those who may answer this record now. */
function mayAnswer(actor: Actor, c: Consultation): void {
  if (!applies('answer', c)) throw new InvalidTransitionError('answer', c.state);
  if (!permits(actor, 'answer', c)) throw new ForbiddenError('answer');
}

/** Where the record's card is, to update it and reply in its thread; null if it has none. */
function channelCardRef(
  channel: { reference: Partial<ConversationReference> } | null,
  c: Consultation,
): Partial<ConversationReference> | null {
  if (!channel || !c.teamsCard) return null;
  return {
    ...channel.reference,
    conversation: { ...channel.reference.conversation!, id: c.teamsCard.conversationId },
  };
}

/** Whether the message mentions the bot (Teams puts a `mention` entity for it). */
function mentionsBot(activity: Partial<Activity>): boolean {
  const bot = activity.recipient?.id;
  return (activity.entities ?? []).some(
    (e) => e.type === 'mention' && (e as { mentioned?: { id?: string } }).mentioned?.id === bot,
  );
}

/** The channel and the root message of a thread's conversation id (`<channel>;messageid=<root>`). */
function threadOf(conversationId: string): { channelId: string; rootId: string } | null {
  const m = /^([^;]+);messageid=(.+)$/.exec(conversationId);
  return m ? { channelId: m[1]!, rootId: m[2]! } : null;
}

/** Teams' markup of a channel message (mentions, paragraphs, emphasis, links). */
const TEAMS_TAGS =
  /<\/?(?:at|p|div|span|b|i|u|s|strong|em|a|ul|ol|li|blockquote|pre|code|h[1-6]|img|attachment)\b[^>]*>/gi;
const ENTITIES: Record<string, string> = {
  '&nbsp;': ' ',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&amp;': '&',
};

/**
 * What a message in a card's thread says, as a note: the bot's mention taken out, other
 * people's mentions kept as their names, Teams' HTML (when it sent HTML) made plain text.
 */
function noteText(activity: Partial<Activity>): string {
  let text = TurnContext.removeRecipientMention(activity) ?? activity.text ?? '';
  const html = activity.textFormat === 'xml' || /<(p|div|br)\b/i.test(text);
  text = text.replace(/<br\s*\/?>/gi, '\n').replace(/<\/(p|div|li)>/gi, '\n');
  text = text.replace(TEAMS_TAGS, '');
  if (html) text = text.replace(/&(nbsp|lt|gt|quot|#39|amp);/g, (e) => ENTITIES[e] ?? e);
  return text.replace(/\n{3,}/g, '\n\n').trim();
}
