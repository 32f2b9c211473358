import { randomUUID } from 'node:crypto';
import {
  MessageFactory,
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
  teamsGetSelectedChannelId,
  teamsGetTeamInfo,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type ConversationReference,
} from 'botbuilder';
import type { Logger } from 'pino';
import {
  AppError,
  ConflictError,
  ErasedError,
  ForbiddenError,
  ValidationError,
  type LastChange,
} from '../src/errors';
import { editValues, fingerprints, mergeEdit, nestValues } from '../src/consultation/correction';
import { fieldLabel } from '../src/consultation/fields';
import { permits } from '../src/consultation/policy';
import { localize, type MessageKey } from '../src/i18n/messages';
import type { ConsultationService } from '../src/consultation/consultation.service';
import { OPEN_STATES, type Actor, type Consultation } from '../src/consultation/types';
import type { DeskService } from '../src/teams/desk.service';
import type { Background } from './background';
import type { CardBuilder } from './card-builder';
import {
  CARD_INPUTS,
  CARD_VERBS,
  REPLY_VERBS,
  VERBS,
  editFormCard,
  helpCard,
  intakeFormCard,
  ledgerListButton,
  listCard,
  noticeCard,
  waitingButton,
  waitingCard,
  type AdaptiveCard,
  type CardVerb,
  type IntakeValues,
} from './cards';
import type { TeamsChannelCards } from './channel-cards';
import { escapeMarkdown, truncate } from './cards/text';
import { parseCommand } from './commands';
import { localized, w, type Lang } from './i18n';
import type { Notices } from './notices';
import type { TeamsGateway } from './outbound/teams-gateway';
import type { People } from './people';
import type { ReplyFlow } from './reply-flow';
import {
  LANG,
  appErrorOf,
  cardMessage,
  cardResponse,
  changeOf,
  langFor,
  messageOf,
  say,
  text,
} from './turn';
import {
  listItem,
  relatedNotice,
  waitingOnCard,
  withBanner,
  withDrafts,
  withTypedText,
} from './views';

export { langOf } from './turn';

export interface DeskBotDeps {
  service: ConsultationService;
  desk: DeskService<Partial<ConversationReference>>;
  gateway: TeamsGateway;
  background: Background;
  logger: Logger;
  people: People;
  cards: CardBuilder;
  /** The intake channel's cards: posted, brought up to date, lines in their threads. */
  channel: TeamsChannelCards;
  /** The answer's steps, from the reply form to sending again. */
  replyFlow: ReplyFlow;
  notices: Notices;
}

/**
 * The desk in Teams: intake in 1:1 chat, the consultation card in the intake channel,
 * its buttons, and the notices that follow. It parses and renders; the service decides.
 */
export class DeskBot extends TeamsActivityHandler {
  constructor(private readonly deps: DeskBotDeps) {
    super();
    this.onMessage(async (ctx, next) => {
      await this.deps.people.remember(ctx);
      await this.handleMessage(ctx);
      await next();
    });
  }

  /**
   * Installed in a team: the channel chosen for it becomes the desk's intake channel, unless
   * the desk has one already (moving it is the command's, `受付チャンネルに設定`: a second
   * team, or a client that installs the app wherever it is opened, must not move it
   * silently); another team is told how. An upgrade of the app, or the installation in the
   * intake channel's team again, changes nothing anyone sees; the roster is read again.
   * Installed in a 1:1 chat: the help card.
   */
  protected override async onInstallationUpdateAddActivity(ctx: TurnContext): Promise<void> {
    await this.deps.people.remember(ctx);
    const activity = ctx.activity;
    const upgrade = activity.action === 'add-upgrade';
    if (activity.conversation.conversationType === 'channel' || activity.channelData?.team) {
      await this.deps.people.rememberTeamMembers(ctx);
      if (upgrade) return;
      const here = channelOf(activity);
      const intake = await this.deps.desk.intakeChannel();
      // Said in the channel, to the whole desk: in the desk's language.
      if (!intake) {
        const named = await this.named(ctx, here);
        await this.deps.desk.setIntakeChannel(named.id, named.reference, named.teamId);
        await this.sayIn(ctx, here, say('bot.intake_set', 'ja'));
      } else if (intake.conversationId === here.id) {
        // The same installation again (a redelivery, a client that reconnects): nothing to
        // say; the reference is brought up to date (its address, name and team).
        const named = await this.named(ctx, here, intake.reference.conversation?.name);
        await this.deps.desk.setIntakeChannel(named.id, named.reference, named.teamId);
      } else if (here.teamId && (await this.deps.desk.intakeIsInTeam(here.teamId))) {
        // Another channel of the intake channel's team. Teams installs an app once a team,
        // so this is that installation told again from elsewhere (a client that reports
        // each channel it opens): nothing changes, nothing to say.
      } else {
        await this.sayIn(ctx, here, say('bot.intake_kept', 'ja'));
      }
    } else if (!upgrade) {
      await ctx.sendActivity(await this.help(langFor(ctx)));
    }
  }

  /**
   * People joined the desk's team: the roster is read again, so that the cards' refresh
   * and 1:1 notices reach them before they have ever written to the bot.
   */
  protected override async onTeamsMembersAdded(ctx: TurnContext): Promise<void> {
    const bot = ctx.activity.recipient.id;
    const someone = (ctx.activity.membersAdded ?? []).some((m) => m.id !== bot);
    if (someone && ctx.activity.channelData?.team) await this.deps.people.rememberTeamMembers(ctx);
  }

  /**
   * A channel of the team was deleted. If it was the intake channel, the desk is told in
   * the team's first channel how to set another; the open cases' cards that were in it
   * are posted again in the next one (by the catch-up).
   */
  protected override async onTeamsChannelDeleted(ctx: TurnContext): Promise<void> {
    const id = (ctx.activity.channelData?.channel as { id?: string } | undefined)?.id;
    if (!id) return;
    await this.deps.service.cardsGoneWith(id);
    if (!(await this.deps.desk.forgetIntakeChannel(id))) return;
    await ctx.sendActivity(say('bot.intake_deleted', 'ja'));
  }

  /** A channel of the team was renamed: the intake channel keeps its new name (the help names it). */
  protected override async onTeamsChannelRenamed(ctx: TurnContext): Promise<void> {
    const renamed = ctx.activity.channelData?.channel as { id?: string; name?: string } | undefined;
    const intake = await this.deps.desk.intakeChannel();
    if (!renamed?.id || intake?.conversationId !== renamed.id) return;
    const conversation = { ...intake.reference.conversation!, name: renamed.name ?? '' };
    await this.deps.desk.setIntakeChannel(
      renamed.id,
      { ...intake.reference, conversation },
      teamsGetTeamInfo(ctx.activity)?.id ?? null,
    );
  }

  /**
   * The app was removed from a team: if the intake channel was in it, the bot can no
   * longer post there, and forgets it. Nobody can be told there any more: the supervisors
   * are told in their 1:1 chats. The next installation in a team sets a new one, and the
   * open cases' cards are posted there again (by the catch-up). A removal from a 1:1 chat
   * changes nothing.
   */
  protected override async onInstallationUpdateRemoveActivity(ctx: TurnContext): Promise<void> {
    await this.forgetTeam(ctx, 'removed');
  }

  /** The team was deleted: as if the app were removed from it. */
  protected override async onTeamsTeamDeleted(ctx: TurnContext): Promise<void> {
    await this.forgetTeam(ctx, 'deleted');
  }

  /**
   * The bot itself left the team's members: Teams says so besides the installation's
   * removal (whichever comes first forgets the channel; the other finds nothing to do).
   */
  protected override async onTeamsMembersRemoved(ctx: TurnContext): Promise<void> {
    const bot = ctx.activity.recipient.id;
    if ((ctx.activity.membersRemoved ?? []).some((m) => m.id === bot))
      await this.forgetTeam(ctx, 'removed');
  }

  private async forgetTeam(ctx: TurnContext, how: 'removed' | 'deleted'): Promise<void> {
    const teamId = teamsGetTeamInfo(ctx.activity)?.id;
    if (!teamId) return;
    const channel = await this.deps.desk.forgetIntakeTeam(teamId);
    if (!channel) return;
    await this.deps.service.cardsGoneWith(channel);
    this.deps.logger.warn(
      { team: how },
      'intake channel forgotten with its team: new cards wait for another',
    );
    // Consultations still arrive (web form, email): the supervisors hear of it in their chats.
    this.tellSupervisors(ctx, 'bot.intake_lost');
  }

  /**
   * The intake channel's team was archived: its channels are read-only, so nobody can use
   * the cards there. The channel is kept (the team can be restored); the supervisors are
   * told in their chats, since the desk's channel can no longer be written in.
   */
  protected override async onTeamsTeamArchived(ctx: TurnContext): Promise<void> {
    const teamId = teamsGetTeamInfo(ctx.activity)?.id;
    if (!teamId || !(await this.deps.desk.intakeIsInTeam(teamId))) return;
    this.deps.logger.warn("intake channel's team archived: its cards cannot be used");
    this.tellSupervisors(ctx, 'bot.intake_archived');
  }

  /** The intake channel's team restored: the supervisors told of the archive hear it is over. */
  protected override async onTeamsTeamUnarchived(ctx: TurnContext): Promise<void> {
    const teamId = teamsGetTeamInfo(ctx.activity)?.id;
    if (!teamId || !(await this.deps.desk.intakeIsInTeam(teamId))) return;
    this.tellSupervisors(ctx, 'bot.intake_unarchived');
  }

  /** Tells each supervisor in their 1:1 chat, after the turn (a chat may have to be opened). */
  private tellSupervisors(ctx: TurnContext, key: MessageKey): void {
    const near = TurnContext.getConversationReference(ctx.activity);
    this.deps.background.run('tell the supervisors about the intake channel', async () => {
      await this.deps.notices.tellEach(this.deps.people.holding('supervisor'), near, localize(key));
    });
  }

  protected override async onAdaptiveCardInvoke(
    ctx: TurnContext,
    value: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    await this.deps.people.remember(ctx);
    const lang = langFor(ctx);
    const actor = this.deps.people.actorOf(ctx.activity);
    const verb = value.action?.verb ?? '';
    const data = (value.action?.data ?? {}) as Record<string, unknown>;
    try {
      if (verb === VERBS.intakeSubmit) return await this.submitIntake(ctx, actor, data, lang);
      if (verb === VERBS.intakeNew)
        return cardResponse(intakeFormCard({ formId: randomUUID() }, lang));
      if (verb === VERBS.listMine) return cardResponse(await this.myCases(actor, lang));
      if (verb === VERBS.listWaiting) return cardResponse(await this.waiting(actor, lang));
      const id = Number(data.consultationId);
      if (!Number.isInteger(id) || id <= 0)
        return cardResponse(noticeCard(text('bot.unknown_action', lang)));
      if (verb === 'answer' || REPLY_VERBS.includes(verb)) {
        return await this.deps.replyFlow.reply(ctx, actor, verb, id, data, lang);
      }
      if (verb === VERBS.refresh || verb === VERBS.open) {
        // Someone without a role keeps seeing the channel's card, without its details.
        const card =
          actor.roles.length > 0
            ? this.deps.cards.personalCard(actor, id, lang)
            : this.deps.cards.sharedCard(id, lang);
        return cardResponse(await card);
      }
      if (verb === VERBS.editForm) return await this.editForm(actor, id, lang);
      if (verb === 'edit') return await this.saveEdit(ctx, actor, id, data, lang);
      if ((CARD_VERBS as readonly string[]).includes(verb)) {
        return await this.act(ctx, actor, verb as CardVerb, id, data, lang);
      }
      return cardResponse(noticeCard(text('bot.unknown_action', lang)));
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
    const actor = this.deps.people.actorOf(activity);
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
      return void (await ctx.sendActivity(say('bot.language_set', command.lang)));
    }
    if (command.kind === 'set-intake') {
      if (!inChannel) return void (await ctx.sendActivity(say('bot.set_intake_in_channel', lang)));
      if (!actor.roles.includes('supervisor') && !actor.roles.includes('first-line')) {
        return void (await ctx.sendActivity(say('bot.not_staff', lang)));
      }
      const already = (await this.moveIntakeChannel(ctx, actor)) === 'already';
      return void (await ctx.sendActivity(
        say(already ? 'bot.intake_already' : 'bot.intake_set', 'ja'),
      ));
    }
    if (inChannel) return void (await ctx.sendActivity(say('bot.channel_help', lang)));

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
        return void (await ctx.sendActivity(say('bot.not_staff', lang)));

      switch (command.kind) {
        case 'new':
          await ctx.sendActivity(cardMessage(intakeFormCard({ formId: randomUUID() }, lang)));
          return;
        case 'mine':
          await ctx.sendActivity(cardMessage(await this.myCases(actor, lang)));
          return;
        case 'waiting':
          await ctx.sendActivity(cardMessage(await this.waiting(actor, lang)));
          return;
        case 'search': {
          const { items, total, totalIsLowerBound } = await this.deps.service.list(actor, {
            text: command.words,
            limit: 25,
          });
          const title = localize('bot.search_title', { words: command.words });
          // All of them in the ledger, where the search can be narrowed and paged.
          const all = total > 0 ? this.deps.cards.ledgerListUrlOf({ q: command.words }) : null;
          const actions = all ? [ledgerListButton(all, lang)] : [];
          const options = { title, total, totalIsLowerBound, actions };
          await ctx.sendActivity(cardMessage(listCard(items.map(listItem), lang, options)));
          return;
        }
        case 'open': {
          const c = await this.deps.service.getByNumber(actor, command.number);
          await ctx.sendActivity(
            cardMessage(await this.deps.cards.personalCard(actor, c.id, lang)),
          );
          return;
        }
        case 'help':
          await ctx.sendActivity(await this.help(lang));
          return;
        default:
          await ctx.sendActivity(say('bot.not_understood', lang));
          await ctx.sendActivity(await this.help(lang));
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
      if (mentioned) await ctx.sendActivity(say('bot.note_recorded', 'ja'));
      // The card's buttons carry the record's version, which the note moved on.
      this.deps.channel.update(c.id);
    } catch (err) {
      const appError = appErrorOf(err);
      if (!appError) throw err;
      // Under the card of an erased record: nothing is kept; the card shows it as erased.
      if (appError instanceof ErasedError && consultationId !== undefined)
        this.deps.channel.update(consultationId);
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
    // From one's own cases, what else is waiting at the desk is a press away; and the
    // same list in the ledger.
    const all =
      total > 0
        ? this.deps.cards.ledgerListUrlOf({ person: actor.id, state: OPEN_STATES.join(',') })
        : null;
    return listCard(items.map(listItem), lang, {
      title: localize('bot.mine_title'),
      total,
      actions: [waitingButton(lang), ...(all ? [ledgerListButton(all, lang)] : [])],
    });
  }

  /** What is waiting at the desk, by state (「状況」). */
  private async waiting(actor: Actor, lang: Lang): Promise<AdaptiveCard> {
    return waitingCard(waitingOnCard(await this.deps.service.waiting(actor)), new Date(), lang);
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
      const { consultation, changed } = await this.deps.service.create(actor, nestValues(values), {
        requestId: formId,
      });
      if (changed) this.afterCreate(ctx, consultation);
      const done = localize('bot.recorded', { number: consultation.number });
      // The consulter's other consultations, read once for this card and the channel's.
      const [card, related] = await Promise.all([
        this.deps.cards.personalCard(actor, consultation.id, lang),
        this.deps.cards.related(actor, consultation),
      ]);
      // A repeat consulter is said under the confirmation, louder when a case is still open.
      const others = relatedNotice(related);
      const told = others
        ? withBanner(card, others.message, lang, others.open ? 'warning' : 'emphasis')
        : card;
      return cardResponse(withBanner(told, done, lang, 'good'));
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
      if ((await this.deps.channel.post(c)) === 'no_channel') {
        await this.deps.gateway.send(creator, say('bot.no_intake_channel', lang));
      }
    });
  }

  // ---- correcting a record -------------------------------------------------------

  /** 記録を修正: the presser's card becomes the form, filled with the record as it is. */
  private async editForm(
    actor: Actor,
    id: number,
    lang: Lang,
  ): Promise<AdaptiveCardInvokeResponse> {
    if (actor.roles.length === 0) {
      const card = await this.deps.cards.sharedCard(id, lang);
      return cardResponse(withBanner(card, localize('bot.not_staff'), lang, 'attention'));
    }
    const c = await this.deps.service.get(actor, id);
    if (!permits(actor, 'edit', c)) {
      const card = await this.deps.cards.personalCard(actor, id, lang);
      const refusal = c.erasure ? new ErasedError('edit', c.erasure) : new ForbiddenError('edit');
      return cardResponse(withBanner(card, refusal.localized, lang, 'attention'));
    }
    const values = editValues(c);
    return cardResponse(
      editFormCard(
        {
          consultationId: id,
          number: c.number,
          version: c.version,
          values,
          shown: fingerprints(values),
          ledgerUrl: this.deps.cards.ledgerUrlOf(id),
        },
        lang,
      ),
    );
  }

  /**
   * The form's save: the card again, saying it is corrected; refused, the form again
   * with everything typed and why (the errors under their fields), ready to save again.
   */
  private async saveEdit(
    ctx: TurnContext,
    actor: Actor,
    id: number,
    data: Record<string, unknown>,
    lang: Lang,
  ): Promise<AdaptiveCardInvokeResponse> {
    const values = formValues(data);
    const expectedVersion = Number.isInteger(Number(data.version))
      ? Number(data.version)
      : undefined;
    try {
      const result = await this.deps.service.edit(actor, id, nestValues(values), {
        requestId: ctx.activity.id ? `${ctx.activity.id}` : undefined,
        expectedVersion,
      });
      const c = result.consultation;
      if (!result.changed) {
        // Nothing differed; or this very save, delivered again, was made before.
        const before = c.version !== expectedVersion;
        const card = await this.deps.cards.personalCard(actor, id, lang);
        const said = before
          ? localize('bot.edited', { number: c.number })
          : localize('bot.edit_unchanged');
        return cardResponse(withBanner(card, said, lang, before ? 'good' : 'emphasis'));
      }
      const change = { ...changeOf('edit', actor, c), fields: result.fields ?? [] };
      this.afterChange(ctx, c, change);
      const card = await this.deps.cards.personalCardOf(actor, c, change, lang);
      return cardResponse(
        withBanner(card, localize('bot.edited', { number: c.number }), lang, 'good'),
      );
    } catch (err) {
      const appError = appErrorOf(err);
      if (!appError || appError.code === 'not_found') throw err;
      if (appError instanceof ErasedError) {
        // Nothing can be corrected any more: the erased card, with what was typed on it.
        this.deps.channel.update(id);
        const typed = Object.entries(values)
          .filter(([, v]) => v?.trim())
          .map(([path, v]) => `${fieldLabel(path)[lang]}: ${v}`)
          .join('\n');
        const card = await this.deps.cards.personalCard(actor, id, lang);
        const kept = typed ? withTypedText(card, localized('typed.text'), typed, lang) : card;
        return cardResponse(withBanner(kept, appError.localized, lang, 'attention'));
      }
      const now = await this.deps.service.get(actor, id).catch(() => null);
      if (appError instanceof ConflictError && now) {
        // Corrected meanwhile: what this person changed on top of the record as it is now,
        // and where both changed the same field, their text with the other one's under it.
        const current = editValues(now);
        const merged = mergeEdit(values, shownOf(data.shown), current);
        const clashes = Object.fromEntries(
          merged.clashes.map((f) => [
            f,
            localize('bot.edit_clash', {
              value: escapeMarkdown(truncate(current[f] ?? '', 200).text),
            }),
          ]),
        );
        const form = editFormCard(
          {
            consultationId: id,
            number: now.number,
            version: now.version,
            values: merged.values,
            shown: fingerprints(current),
            cautions: clashes,
            ledgerUrl: this.deps.cards.ledgerUrlOf(id),
          },
          lang,
        );
        return cardResponse(withBanner(form, appError.localized, lang, 'attention'));
      }
      // Refused as typed: the same form, with what was typed and why.
      const errors = appError instanceof ValidationError ? appError.fields : undefined;
      const form = editFormCard(
        {
          consultationId: id,
          number: now?.number ?? '',
          version: expectedVersion ?? now?.version ?? 0,
          values,
          shown: shownOf(data.shown),
          errors,
          ledgerUrl: this.deps.cards.ledgerUrlOf(id),
        },
        lang,
      );
      return cardResponse(errors ? form : withBanner(form, appError.localized, lang, 'attention'));
    }
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
        verb === 'dispatch'
          ? await this.deps.people.nameOf(field(CARD_INPUTS.dispatchSpecialist))
          : undefined;
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
          case 'edit':
            throw new Error('edits are handled by saveEdit()');
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
          case 'return':
            return svc.returnToFirstLine(
              actor,
              id,
              { reason: field(CARD_INPUTS.returnReason) },
              opts,
            );
          case 'close':
            return svc.close(actor, id, { reason: field(CARD_INPUTS.closeReason) }, opts);
          case 'reopen':
            return svc.reopen(actor, id, opts);
        }
      })();
      if (!result.changed) return cardResponse(await this.deps.cards.personalCard(actor, id, lang));
      // The record as the change left it, and the change itself: nothing to read again.
      const reason = verb === 'return' ? field(CARD_INPUTS.returnReason)?.trim() : undefined;
      const change = changeOf(verb, actor, result.consultation, reason);
      this.afterChange(ctx, result.consultation, change);
      return cardResponse(
        await this.deps.cards.personalCardOf(actor, result.consultation, change, lang),
      );
    } catch (err) {
      if (!(err instanceof AppError) || err.code === 'not_found') throw err;
      // A press on a card that still shows an erased record as it was: redraw it for all.
      if (err instanceof ErasedError) this.deps.channel.update(id);
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
        actor.roles.length > 0
          ? this.deps.cards.personalCard(actor, id, lang)
          : this.deps.cards.sharedCard(id, lang)
      ).catch(() => null);
      if (!card) {
        // The record cannot even be read (the database is down): show the typed text itself.
        return cardResponse(
          withBanner(noticeCard(Object.values(drafts).join('\n\n')), reason, lang, 'attention'),
        );
      }
      // An erased record's card has no forms to put the text back into: it is shown instead.
      const typed = FREE_TEXT_INPUTS.flatMap((k) => (drafts[k] ? [drafts[k]] : [])).join('\n\n');
      const kept =
        err instanceof ErasedError && typed
          ? withTypedText(card, localized('typed.text'), typed, lang)
          : withDrafts(card, drafts);
      return cardResponse(withBanner(kept, reason, lang, 'attention'));
    }
  }

  /** After a change: the channel card for everyone, a line in its thread, and notices. */
  private afterChange(ctx: TurnContext, c: Consultation, change: LastChange): void {
    const near = TurnContext.getConversationReference(ctx.activity);
    this.deps.background.run(`after ${change.action}`, () =>
      this.deps.notices.announce(near, c, change),
    );
  }

  // ---- places ----------------------------------------------------------------------

  /** The help card, naming the intake channel when its name is known. */
  private async help(lang: Lang): Promise<Partial<Activity>> {
    const intake = await this.deps.desk.intakeChannel();
    return cardMessage(helpCard(lang, intake ? intakeName(intake, lang) : undefined));
  }

  /**
   * Makes the channel of the command the intake channel. The channel it was before is
   * told, in the desk's language, where new cards go now: its cards stay there and are
   * still updated there.
   */
  private async moveIntakeChannel(ctx: TurnContext, actor: Actor): Promise<'already' | 'set'> {
    const from = channelOf(ctx.activity);
    const before = await this.deps.desk.intakeChannel();
    if (before?.conversationId === from.id) return 'already';
    const here = await this.named(ctx, from);
    await this.deps.desk.setIntakeChannel(here.id, here.reference, here.teamId);
    if (!before) return 'set';
    // Said in the channel it leaves, to the whole desk: in the desk's language.
    const name = intakeName({ conversationId: here.id, ...here }, 'ja');
    const moved = name
      ? localize('bot.intake_moved', { name, by: actor.name })
      : localize('bot.intake_moved_elsewhere', { by: actor.name });
    this.deps.background.run('tell the former intake channel', async () => {
      await this.deps.gateway.send(before.reference, MessageFactory.text(moved.ja));
    });
    return 'set';
  }

  /**
   * The channel with its name. Teams often leaves it out of activities; the team's list of
   * channels has it, except for the team's first channel (General), which has none there
   * either and is named by its id (`intakeName`). Else the name kept before, if any: a name
   * is a convenience, and the channel is set without one.
   */
  private async named(ctx: TurnContext, here: TeamChannel, kept?: string): Promise<TeamChannel> {
    let name = here.name;
    if (!name && here.teamId && here.id !== here.teamId) {
      try {
        const channels = await TeamsInfo.getTeamChannels(ctx, here.teamId);
        name = channels.find((c) => c.id === here.id)?.name ?? undefined;
      } catch (err) {
        this.deps.logger.warn(
          { err: { message: (err as Error).message } },
          "could not read the team's channels",
        );
      }
    }
    name ||= kept;
    if (!name || name === here.name) return here;
    const conversation = { ...here.reference.conversation!, name };
    return { ...here, name, reference: { ...here.reference, conversation } };
  }

  /**
   * Says something in a team's channel: as the answer when the activity came from that
   * channel, else as a new post there (an installation comes from the team's first
   * channel, whatever channel was chosen for the app).
   */
  private async sayIn(ctx: TurnContext, where: TeamChannel, message: Partial<Activity>) {
    if (ctx.activity.conversation.id.split(';')[0] === where.id) {
      await ctx.sendActivity(message);
    } else {
      await this.deps.gateway.send(where.reference, message);
    }
  }
}

/**
 * The intake channel's name as people see it in Teams. The team's first channel has no
 * name of its own (its id is the team's); Teams shows it as General, 「一般」 in Japanese.
 */
function intakeName(
  intake: {
    conversationId: string;
    teamId: string | null;
    reference: Partial<ConversationReference>;
  },
  lang: Lang,
): string | undefined {
  const name = intake.reference.conversation?.name;
  if (name) return name;
  return intake.conversationId === intake.teamId ? w('channel.general', lang) : undefined;
}

/** A channel of a team, as the bot keeps it: its id, its name if Teams gave one, a reference. */
interface TeamChannel {
  id: string;
  name?: string;
  /** The team it is in, as Teams gives it (`channelData.team.id`). */
  teamId: string | null;
  reference: Partial<ConversationReference>;
}

/**
 * The channel an activity is about: the one chosen when the app was installed
 * (`settings.selectedChannel`), else the one it came from.
 */
function channelOf(activity: Activity): TeamChannel {
  const ref = TurnContext.getConversationReference(activity);
  const channel = (activity.channelData as { channel?: { id?: string; name?: string } } | undefined)
    ?.channel;
  const id =
    teamsGetSelectedChannelId(activity) || channel?.id || ref.conversation!.id.split(';')[0]!;
  // Teams names the channel it sent from, not always the one chosen at installation.
  const from = ref.conversation!;
  const name =
    (id === channel?.id ? channel.name : undefined) ??
    (id === from.id.split(';')[0] ? from.name : undefined);
  // The reference keeps the chosen channel's name, or none (never another channel's).
  const reference = { ...ref, conversation: { ...from, id, name: name ?? '' } };
  delete (reference as { activityId?: string }).activityId;
  const teamId = teamsGetTeamInfo(activity)?.id ?? null;
  return { id, ...(name ? { name } : {}), teamId, reference };
}

/** The card's inputs where people type text of their own (not choices). */
const FREE_TEXT_INPUTS: readonly string[] = [
  CARD_INPUTS.noteBody,
  CARD_INPUTS.dispatchReason,
  CARD_INPUTS.returnReason,
  CARD_INPUTS.closeReason,
];

/** The fingerprints a correction form was shown with (`fingerprints`); none if unreadable. */
function shownOf(raw: unknown): Record<string, string> {
  try {
    const parsed: unknown = typeof raw === 'string' ? JSON.parse(raw) : null;
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  } catch {
    return {};
  }
}

/** The intake form's inputs as Teams sends them (strings, keyed by field path). */
function formValues(data: Record<string, unknown>): IntakeValues {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) {
    if (k !== 'formId' && typeof v === 'string') values[k] = v;
  }
  return values as IntakeValues;
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
