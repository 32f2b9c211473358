import { TurnContext, type AdaptiveCardInvokeResponse } from 'botbuilder';
import {
  ErasedError,
  ForbiddenError,
  InvalidTransitionError,
  ValidationError,
  type AppError,
  type FieldErrors,
} from '../src/errors';
import { localize } from '../src/i18n/messages';
import type { ConsultationService } from '../src/consultation/consultation.service';
import { renderTemplate, templatesFor, type ReplyService } from '../src/mail';
import { fieldError } from '../src/consultation/consultation.input';
import { applies, permits } from '../src/consultation/policy';
import type { Actor, Answer, Consultation } from '../src/consultation/types';
import type { Background } from './background';
import type { CardBuilder } from './card-builder';
import {
  CARD_INPUTS,
  VERBS,
  noticeCard,
  replyErrors,
  replyFormCard,
  replyPreviewCard,
  type AdaptiveCard,
  type ReplyValues,
  type SimilarOnCard,
} from './cards';
import type { TeamsChannelCards } from './channel-cards';
import type { Lang } from './i18n';
import type { Notices } from './notices';
import { SYSTEM, appErrorOf, cardResponse, changeOf, messageOf } from './turn';
import { replyForm, similarOnCard, withBanner, withTypedText } from './views';

export interface ReplyFlowDeps {
  service: ConsultationService;
  /** Answers: saved on the record, then emailed to the consulter when asked. */
  replies: ReplyService;
  background: Background;
  cards: CardBuilder;
  channel: TeamsChannelCards;
  notices: Notices;
  /** Where a record opens in the ledger tab, for the similar past cases' numbers. */
  ledgerUrl?: ((consultationId: number) => string) | null;
}

/** Answers from the card: the reply form, its preview, sending, sending again. */
export class ReplyFlow {
  constructor(private readonly deps: ReplyFlowDeps) {}

  /**
   * The reply flow. The form's template button and "back to edit" answer with the form
   * as a card of its own (the text filled in, everything typed kept); the preview shows
   * exactly what will be sent; sending (and `answer`, for an answer that is not emailed)
   * saves the answer and answers at once, the email going out afterwards.
   */
  async reply(
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
        case VERBS.replySimilar:
          return cardResponse(await this.similarForm(actor, id, values, version, lang));
        case VERBS.replyPreview:
          return cardResponse(await this.replyPreview(actor, id, values, version, lang));
        case VERBS.replyRetry:
          return await this.sendAgain(actor, data, lang);
        default: // `answer` (not emailed) and `reply.send` (from the preview)
          return await this.sendReply(ctx, actor, id, values, version, lang);
      }
    } catch (err) {
      const appError = appErrorOf(err);
      if (!appError) throw err;
      const refusal = await this.erasedInstead(appError, id, verb);
      if (refusal.code === 'not_found') throw err;
      if (refusal instanceof ErasedError) this.deps.channel.update(id);
      return cardResponse(await this.replyRefused(actor, id, values, version, refusal, verb, lang));
    }
  }

  /**
   * Why a step was refused, as the person should hear it: on a record whose personal data
   * was erased that is the reason, whatever the step tripped on first (an email address
   * that is gone, an answer to send again that was deleted with it).
   */
  private async erasedInstead(err: AppError, id: number, verb: string): Promise<AppError> {
    if (err instanceof ErasedError) return err;
    const c = await this.deps.service.get(SYSTEM, id).catch(() => null);
    if (!c?.erasure) return err;
    return new ErasedError(verb === VERBS.replyRetry ? 'send-answer' : 'answer', c.erasure);
  }

  /** The form with the chosen template's text (in Japanese, the consulters' language). */
  private async templateForm(
    actor: Actor,
    id: number,
    values: ReplyValues,
    version: number | undefined,
    lang: Lang,
  ): Promise<AdaptiveCard> {
    const c = await this.answerable(actor, id);
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
    const c = await this.answerable(actor, id);
    return this.formCard(c, values, version, lang, { errors });
  }

  /** The form, everything typed kept, with how the desk answered cases like it. */
  private async similarForm(
    actor: Actor,
    id: number,
    values: ReplyValues,
    version: number | undefined,
    lang: Lang,
  ): Promise<AdaptiveCard> {
    const c = await this.answerable(actor, id);
    const similar = await this.deps.service.similar(actor, c);
    return this.formCard(c, values, version, lang, {
      similar: similarOnCard(similar, this.deps.ledgerUrl),
    });
  }

  /** The record, when this person may answer it now. */
  private async answerable(actor: Actor, id: number): Promise<Consultation> {
    const c = await this.deps.service.get(actor, id);
    mayAnswer(actor, c);
    return c;
  }

  /** The form card; its buttons carry the version the person first saw. */
  private async formCard(
    c: Consultation,
    values: ReplyValues,
    version: number | undefined,
    lang: Lang,
    extra: { errors?: FieldErrors; keptTyped?: boolean; similar?: SimilarOnCard[] } = {},
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
    const c = await this.answerable(actor, id);
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
        const announced = await this.deps.notices
          .announce(near, saved.consultation, changeOf('answer', actor, saved.consultation))
          .then(
            () => null,
            (err: unknown) => ({ err }),
          );
        const sent = await sending;
        if (sent && 'err' in sent) throw sent.err;
        if (sent) await this.afterSend(saved.consultation.id, sent.answer, false);
        if (announced) throw announced.err;
      });
    }
    const card = await this.deps.cards.personalCard(actor, id, lang);
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
      return cardResponse(noticeCard(localize('bot.unknown_action')[lang]));
    const taken = await this.deps.replies.takeForRetry(actor, answerId);
    const id = taken.answer.consultationId;
    const send = taken.send;
    if (send) {
      this.deps.background.run('send answer again', async () =>
        this.afterSend(id, await send(), true),
      );
    }
    const card = await this.deps.cards.personalCard(actor, id, lang);
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
    this.deps.channel.update(consultationId);
    if (answer.deliveryStatus !== 'failed' && !again) return;
    const key = answer.deliveryStatus === 'sent' ? 'bot.answer_emailed' : 'bot.answer_not_emailed';
    const line = localize(key, { name: answer.author.name }).ja;
    await this.deps.channel.say(consultationId, line);
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
    const cards = this.deps.cards;
    const card = await (
      staff ? cards.personalCard(actor, id, lang) : cards.sharedCard(id, lang)
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
  if (c.erasure) throw new ErasedError('answer', c.erasure);
  if (!applies('answer', c)) throw new InvalidTransitionError('answer', c.state);
  if (!permits(actor, 'answer', c)) throw new ForbiddenError('answer');
}
