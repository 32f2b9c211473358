import { z } from 'zod';
import type { CommandOptions, ConsultationService } from '../consultation/consultation.service';
import { fieldError, LIMITS, parseInput } from '../consultation/consultation.input';
import { ConsultationRepository } from '../consultation/consultation.repository';
import { maySendAgain } from '../consultation/policy';
import type {
  Actor,
  Answer,
  AnswerDelivery,
  Consultation,
  LinkedEmail,
} from '../consultation/types';
import { ErasedError, ForbiddenError, NotFoundError } from '../errors';
import { localize, type Lang, type Localized } from '../i18n/messages';
import type { Logger } from '../logger';
import { inTransaction, type Store } from '../store/store';
import { AnswerDeliveryRepository } from './answer-delivery.repository';
import type { MailGateway } from './graph.gateway';
import { MailError, MailNotConfiguredError, type MailOperation } from './mail-errors';
import { answerSubject, DESK_NAME, renderEmail, type RenderedEmail } from './templates';

export interface ReplyDeps {
  /** The consultation rules: an answer is saved through their answer transition. */
  consultations: Pick<ConsultationService, 'answer' | 'get'>;
  store: Store;
  /** The gateway's two sending methods; null while mail is not set up. */
  mail: Pick<MailGateway, 'replyToMessage' | 'sendMail'> | null;
  /** The desk's shared mailbox (DESK_MAILBOX); null while mail is not set up. */
  mailbox: string | null;
  clock?: () => Date;
  logger?: Logger;
  /**
   * An answer left `sending` this long is taken as abandoned (the instance sending it
   * stopped) and may be sent again (default 15 minutes, well past the gateway's retries).
   */
  staleSendingMs?: number;
  /** The desk's name in the emails' signature. */
  deskName?: Localized;
}

/** What a person asks for when answering. */
export interface ReplyInput {
  body: string;
  /** Email the answer to the consulter (possible when `emailOptions` has a plan). */
  emailConsulter: boolean;
  /** More addresses to copy, when emailing. */
  cc?: string[] | string;
  /** How the answer was given when it is not emailed (default: at the counter for counter cases, else by phone). */
  delivery?: Exclude<AnswerDelivery, 'email'>;
}

/** How an answer would reach the consulter by email. */
export interface EmailPlan {
  /** `reply`: in the thread of their latest email; `new`: a new message. */
  method: 'reply' | 'new';
  /** The consulter's address; empty for a reply to whoever sent the email (Graph picks). */
  to: string[];
  /** Graph id of the email answered (`reply`). */
  inReplyTo: string | null;
  subject: string;
}

export interface EmailOptions {
  /** How the consulter can be emailed; null when the record has no way to. */
  plan: EmailPlan | null;
  /** False while mail is not set up: answers are then recorded but not emailed. */
  mailConfigured: boolean;
  /** What to tell the person answering about email, if anything. */
  notice: Localized | null;
}

/** Exactly what sending would send (the preview step shows this). */
export interface ReplyPreview {
  email: (EmailPlan & RenderedEmail & { cc: string[] }) | null;
  /** How the answer is recorded when it is not emailed. */
  delivery: AnswerDelivery;
  mailConfigured: boolean;
  notice: Localized | null;
}

export interface ReplyResult {
  consultation: Consultation;
  /** The answer as it stands now: `sent`, `failed` (with the reason) or `recorded`. */
  answer: Answer;
  /** False when the same request was handled before: nothing new was saved or sent. */
  changed: boolean;
}

export interface RetryResult {
  answer: Answer;
  /** False when there was nothing to send (already sent, or someone else is sending it). */
  changed: boolean;
}

/**
 * A send still to do: the answer is saved (or taken for sending again) and this sends it
 * and writes down how it went. It never throws for a mail failure. A surface that must
 * answer quickly (a Teams invoke) answers first and calls it afterwards.
 */
export type PendingSend = () => Promise<Answer>;

export interface SavedReply extends ReplyResult {
  /** The email to send now; null when there is none (recorded only, or handled before). */
  send: PendingSend | null;
}

export interface TakenRetry extends RetryResult {
  /** The email to send now; null when `changed` is false. */
  send: PendingSend | null;
}

const MAX_CC = 10;

const replySchema = z.object({
  body: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z.string().min(1).max(LIMITS.answer),
  ),
  emailConsulter: z.preprocess((v) => v === true || v === 'true', z.boolean()),
  // A card's text input gives one string: addresses separated by commas, semicolons or spaces.
  cc: z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .normalize('NFKC')
            .split(/[\s,;]+/)
            .filter(Boolean)
        : (v ?? []),
    z.array(z.string().trim().max(254).email()).max(MAX_CC),
  ),
  delivery: z.enum(['phone', 'counter', 'none']).optional(),
});

const DEFAULT_STALE_MS = 15 * 60_000;

/**
 * Specialists (and first line) answer from Teams; the answer reaches the consulter by
 * email and the record keeps it. The answer is saved first, through the consultation's
 * own answer transition (who may answer, in which state, one answer per request), as
 * `sending`; then it is sent from the desk's mailbox, in the thread of the consulter's
 * email when there is one; the outcome (`sent`, or `failed` with the reason, the text
 * kept) is written back with a history entry. A failed answer can be sent again, once.
 */
export class ReplyService {
  private readonly repo: ConsultationRepository;
  private readonly delivery = new AnswerDeliveryRepository();
  private readonly now: () => Date;

  constructor(private readonly deps: ReplyDeps) {
    this.repo = new ConsultationRepository(deps.store.dialect);
    this.now = deps.clock ?? (() => new Date());
  }

  /** Whether and how this consultation can be answered by email (the form offers it when it can). */
  async emailOptions(actor: Actor, consultationId: number): Promise<EmailOptions> {
    return this.optionsFor(await this.deps.consultations.get(actor, consultationId));
  }

  /** `emailOptions` for a record the caller has already read (with the right to). */
  async optionsFor(c: Consultation): Promise<EmailOptions> {
    const plan = await this.plan(c);
    return { plan, mailConfigured: this.mailConfigured, notice: this.notice(plan) };
  }

  /** The record's latest answer (what a card shows), or null before the first. */
  async latestAnswer(consultationId: number): Promise<Answer | null> {
    const answers = await this.repo.answers(this.deps.store.db, consultationId);
    return answers[answers.length - 1] ?? null;
  }

  /**
   * Whether `retry` would take this answer: it failed, or it has been left `sending` by
   * an instance that stopped. (Who may press is `maySendAgain`'s to say.)
   */
  canRetry(answer: Pick<Answer, 'deliveryStatus' | 'deliveryUpdatedAt'>): boolean {
    if (answer.deliveryStatus === 'failed') return true;
    if (answer.deliveryStatus !== 'sending') return false;
    const staleMs = this.deps.staleSendingMs ?? DEFAULT_STALE_MS;
    return Date.parse(answer.deliveryUpdatedAt) <= this.now().getTime() - staleMs;
  }

  /** What `reply` would send, exactly, without saving or sending anything. */
  async preview(actor: Actor, consultationId: number, input: unknown): Promise<ReplyPreview> {
    const data = parseInput(replySchema, input);
    const c = await this.answerable(actor, consultationId);
    const plan = data.emailConsulter ? await this.requirePlan(c) : null;
    return {
      email: plan ? { ...plan, cc: data.cc, ...this.render(c, data.body) } : null,
      delivery: plan ? 'email' : (data.delivery ?? defaultDelivery(c)),
      mailConfigured: this.mailConfigured,
      notice: plan ? this.notice(plan) : null,
    };
  }

  /**
   * Answers a consultation. The answer is saved first (state → answered), then emailed
   * when asked; a failure to send leaves it saved as `failed` with the reason, and is
   * not thrown. The same `requestId` again returns that answer and sends nothing.
   */
  async reply(
    actor: Actor,
    consultationId: number,
    input: unknown,
    opts: CommandOptions = {},
  ): Promise<ReplyResult> {
    const { send, ...saved } = await this.save(actor, consultationId, input, opts);
    return send ? { ...saved, answer: await send() } : saved;
  }

  /**
   * `reply` in two steps: the answer is saved (state → answered; `sending` when it is to
   * be emailed) and returned at once with the send still to do, for a surface that must
   * answer the person before Graph has answered it.
   */
  async save(
    actor: Actor,
    consultationId: number,
    input: unknown,
    opts: CommandOptions = {},
  ): Promise<SavedReply> {
    const data = parseInput(replySchema, input);
    const c = await this.answerable(actor, consultationId);
    const plan = data.emailConsulter ? await this.requirePlan(c) : null;

    const result = await this.deps.consultations.answer(
      actor,
      consultationId,
      { body: data.body, delivery: plan ? 'email' : (data.delivery ?? defaultDelivery(c)) },
      { ...opts, email: plan ? { ...plan, cc: data.cc } : undefined },
    );
    const answer = result.answer ?? (await this.lastAnswer(consultationId));
    const send =
      result.changed && answer.deliveryStatus === 'sending'
        ? () => this.send(actor, result.consultation, answer)
        : null;
    return { consultation: result.consultation, answer, changed: result.changed, send };
  }

  /**
   * Sends a failed answer again (or one left `sending` by an instance that went away).
   * Two presses at once send it once: the answer is taken for sending by one guarded
   * update, and the loser gets `changed: false`, as does an answer already sent.
   */
  async retry(actor: Actor, answerId: number): Promise<RetryResult> {
    const { send, ...taken } = await this.takeForRetry(actor, answerId);
    return send ? { answer: await send(), changed: true } : taken;
  }

  /**
   * `retry` in two steps: the answer is taken for sending (`sending`, one more attempt)
   * and returned at once with the send still to do. Two takes at once: one wins.
   */
  async takeForRetry(actor: Actor, answerId: number): Promise<TakenRetry> {
    const db = this.deps.store.db;
    const before = await this.repo.findAnswer(db, answerId);
    if (!before) throw new NotFoundError(answerId);
    const c = await this.deps.consultations.get(actor, before.consultationId);
    if (!maySendAgain(actor, c, before)) throw new ForbiddenError('send-answer');

    const at = this.now();
    const staleBefore = new Date(at.getTime() - (this.deps.staleSendingMs ?? DEFAULT_STALE_MS));
    const taken = await this.delivery.takeForSending(
      db,
      answerId,
      at.toISOString(),
      staleBefore.toISOString(),
    );
    const answer = (await this.repo.findAnswer(db, answerId))!;
    if (!taken) return { answer, changed: false, send: null };
    return { answer, changed: true, send: () => this.send(actor, c, answer) };
  }

  /** The record, unless it was erased: then the reason, before its missing address is. */
  private async answerable(actor: Actor, consultationId: number): Promise<Consultation> {
    const c = await this.deps.consultations.get(actor, consultationId);
    if (c.erasure) throw new ErasedError('answer', c.erasure);
    return c;
  }

  /** A request handled before answers kept their request id; older ones are found as the last answer. */
  private async lastAnswer(consultationId: number): Promise<Answer> {
    const answers = await this.repo.answers(this.deps.store.db, consultationId);
    const last = answers[answers.length - 1];
    if (!last) throw new Error(`consultation ${consultationId} is answered but has no answer`);
    return last;
  }

  private get mailConfigured(): boolean {
    return this.deps.mail !== null && this.deps.mailbox !== null;
  }

  private notice(plan: EmailPlan | null): Localized | null {
    if (!plan) return localize('field.no_email_address');
    return this.mailConfigured ? null : localize('mail.will_not_send');
  }

  private render(c: Consultation, body: string, lang: Lang = 'ja'): RenderedEmail {
    return renderEmail(c, body, { lang, deskName: this.deps.deskName ?? DESK_NAME });
  }

  /** In the thread of the consulter's latest email, or a new mail to their address. */
  private async plan(c: Consultation): Promise<EmailPlan | null> {
    const latest = latestEmail(await this.repo.emails(this.deps.store.db, c.id));
    const to = c.consulter.email ? [c.consulter.email] : [];
    if (latest) {
      return {
        method: 'reply',
        to,
        inReplyTo: latest.graphMessageId,
        subject: answerSubject(c, latest.subject ?? c.subject),
      };
    }
    if (to.length) return { method: 'new', to, inReplyTo: null, subject: answerSubject(c, null) };
    return null;
  }

  private async requirePlan(c: Consultation): Promise<EmailPlan> {
    const plan = await this.plan(c);
    if (!plan) throw fieldError('emailConsulter', 'field.no_email_address');
    return plan;
  }

  /** Sends a `sending` answer and writes down how it went. Never throws for a mail failure. */
  private async send(actor: Actor, c: Consultation, answer: Answer): Promise<Answer> {
    const email = answer.email!;
    const operation: MailOperation = email.method === 'reply' ? 'reply' : 'send';
    let failure: MailError | null = null;
    const { mail, mailbox } = this.deps;
    if (!mail || !mailbox) {
      failure = new MailNotConfiguredError(operation);
    } else {
      const { html } = this.render(c, answer.body);
      try {
        if (email.method === 'reply' && email.inReplyTo) {
          await mail.replyToMessage(mailbox, email.inReplyTo, {
            subject: email.subject,
            html,
            to: email.to,
            cc: email.cc,
          });
        } else {
          await mail.sendMail(mailbox, {
            to: email.to,
            cc: email.cc,
            subject: email.subject,
            html,
          });
        }
      } catch (err) {
        if (!(err instanceof MailError)) {
          // A bug, not Graph: the answer must not stay `sending`, and the stack is needed.
          this.deps.logger?.error({ err, answerId: answer.id }, 'sending an answer broke');
        }
        failure =
          err instanceof MailError
            ? err
            : new MailError(operation, 0, 'internal', false, localize('error.internal'));
      }
    }

    await inTransaction(this.deps.store, async (trx) => {
      const at = this.now().toISOString();
      if (failure) {
        await this.delivery.markFailed(trx, answer.id, at, {
          code: failure.graphCode,
          message: failure.localized,
        });
      } else {
        await this.delivery.markSent(trx, answer.id, at);
      }
      const current = (await this.repo.findById(trx, c.id)) ?? c;
      await this.repo.appendHistory(trx, {
        consultationId: c.id,
        action: 'send-answer',
        actor: { id: actor.id, name: actor.name },
        at,
        fromState: current.state,
        toState: current.state,
        before: null,
        after: {
          answerId: answer.id,
          method: email.method,
          attempt: answer.attempts,
          status: failure ? 'failed' : 'sent',
          ...(failure ? { graphStatus: failure.graphStatus, code: failure.graphCode } : {}),
        },
        requestId: null,
      });
    });

    const facts = {
      consultationId: c.id,
      answerId: answer.id,
      method: email.method,
      attempt: answer.attempts,
    };
    if (failure) {
      this.deps.logger?.warn(
        { ...facts, graphStatus: failure.graphStatus, graphCode: failure.graphCode },
        'answer not emailed',
      );
    } else {
      this.deps.logger?.info(facts, 'answer emailed');
    }
    return (await this.repo.findAnswer(this.deps.store.db, answer.id))!;
  }
}

/** The consulter's latest email: the newest received, else the last linked. */
function latestEmail(emails: readonly LinkedEmail[]): LinkedEmail | null {
  let latest: LinkedEmail | null = null;
  for (const e of emails) {
    const key = (x: LinkedEmail) => x.receivedAt ?? x.linkedAt;
    if (!latest || key(e) > key(latest) || (key(e) === key(latest) && e.id > latest.id)) {
      latest = e;
    }
  }
  return latest;
}

function defaultDelivery(c: Consultation): Exclude<AnswerDelivery, 'email'> {
  return c.channel === 'counter' ? 'counter' : 'phone';
}
