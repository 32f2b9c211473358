import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ChannelCards } from '../consultation/channel-cards';
import {
  consulterSchema,
  createSchema,
  fieldError,
  LIMITS,
  parseInput,
} from '../consultation/consultation.input';
import { ConsultationRepository } from '../consultation/consultation.repository';
import { NoticeRepository } from '../consultation/notice.repository';
import type { ConsultationService } from '../consultation/consultation.service';
import { parseNumber } from '../consultation/numbering';
import { isStaff } from '../consultation/policy';
import type { Action, Actor, Consultation, PersonRef, Role } from '../consultation/types';
import { AppError, ErasedError, ForbiddenError, NotFoundError } from '../errors';
import type { Localized } from '../i18n/messages';
import type { Logger } from '../logger';
import {
  MailboxError,
  type AttachmentInfo,
  type IntakeMessage,
  type MailboxReader,
  type MailboxUser,
} from '../mail/mailbox-reader.gateway';
import { inTransaction, type Store, type Trx } from '../store/store';
import {
  EmailIntakeRepository,
  isDuplicateEmail,
  type AttachmentListing,
  type NewAttachment,
} from './email-intake.repository';
import {
  EMAIL_EXCERPT_CHARS,
  emailSummary,
  emailText,
  formatBytes,
  recordDetails,
  type EmailText,
} from './email-text';
import { intakeMessage } from './messages';

/** Who calls: a signed-in person with their API token (for on-behalf-of). */
export type IntakeUser = Actor & { token: string };

/** A record as the Outlook pane shows it. */
export interface ConsultationSummary {
  id: number;
  number: string;
  state: Consultation['state'];
  subject: string;
  /** A link that opens the record's card in Teams; null while it has none. */
  teamsCardUrl: string | null;
}

export type EmailStatus =
  | { status: 'registered'; consultation: ConsultationSummary }
  | { status: 'follow_up'; consultation: ConsultationSummary; by: 'conversation' | 'number' }
  | { status: 'new' };

/** How an email's attachment was kept (or why not), as the pane lists it. */
export interface AttachmentOutcome {
  name: string;
  contentType: string | null;
  size: number;
  kept: boolean;
  skipped: { reason: string; message: Localized } | null;
}

export interface ConvertResult {
  /** False when the email was recorded before (by this request's twin or earlier). */
  created: boolean;
  consultation: ConsultationSummary;
  /** Only for the request that created it: */
  card?: 'posted' | 'no_channel' | 'failed';
  /** Whether the Outlook category naming the case was set on the email. */
  tagged?: boolean;
  attachments?: AttachmentOutcome[];
}

export interface AppendResult {
  /** False when the email was already on this record. */
  appended: boolean;
  consultation: ConsultationSummary;
  tagged?: boolean;
  attachments?: AttachmentOutcome[];
}

export interface EmailIntakeDeps {
  store: Store;
  consultations: Pick<ConsultationService, 'create' | 'get' | 'getByNumber'>;
  /** The signed-in person's mailbox through Graph; null while reading mail is not set up. */
  mailbox: MailboxReader | null;
  /** Posting and refreshing the records' cards in the Teams channel; null without Teams. */
  cards: Pick<ChannelCards, 'post' | 'refresh'> | null;
  /** Category ids of the taxonomy (checked before Graph is asked anything). */
  categoryIds: ReadonlySet<string>;
  limits: { bodyMaxBytes: number; attachmentMaxBytes: number };
  logger: Logger;
  clock?: () => Date;
}

/** Who may turn an email into a record, or add one to a record. */
const INTAKE_ROLES: readonly Role[] = ['first-line', 'supervisor'];

/** The prefix of the Outlook category that names a case on its emails: 「窓口 2026-000123」. */
export const CATEGORY_PREFIX = '窓口';

const itemId = z.string().trim().min(1).max(1024);
/** A shared mailbox the item is in (Outlook's `targetMailbox`); absent for one's own. */
const sharedMailbox = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim() || null : (v ?? null)),
  z.string().max(254).email().nullable(),
);

const formSchema = z.object({
  consulter: z.preprocess(
    (v) => v ?? {},
    consulterSchema.pick({ organisation: true, person: true, phone: true }),
  ),
  categoryId: createSchema.shape.categoryId,
  urgency: createSchema.shape.urgency,
  subject: createSchema.shape.subject,
  details: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() || null : (v ?? null)),
    z.string().max(LIMITS.details).nullable(),
  ),
});
export type IntakeForm = z.output<typeof formSchema>;

const statusSchema = z.object({
  internetMessageId: z.string().trim().min(1).max(1024),
  conversationId: z.preprocess((v) => v || null, z.string().max(1024).nullable()),
  subject: z.preprocess((v) => v ?? null, z.string().max(2000).nullable()),
});

const appendSchema = z.object({
  itemId,
  mailbox: sharedMailbox,
  consultationId: z.coerce.number().int().positive(),
});

/**
 * Email to record, from Outlook: the pane asks what an email is to the desk (`status`),
 * turns it into a new record (`convert`) or adds it to its case (`append`). The message is
 * read through Graph on behalf of the person (their own token, exchanged), never from
 * what the pane sends; the record and the email's link are written in one transaction,
 * and the email's Internet Message-ID is unique, so the same email twice is one record.
 */
export class EmailIntakeService {
  private readonly repo = new EmailIntakeRepository();
  private readonly records: ConsultationRepository;
  private readonly notices = new NoticeRepository();
  private readonly now: () => Date;

  constructor(private readonly deps: EmailIntakeDeps) {
    this.records = new ConsultationRepository(deps.store.dialect);
    this.now = deps.clock ?? (() => new Date());
  }

  /**
   * What this email is to the desk: `registered` (this very email is on a record),
   * `follow_up` (an email of the same thread is, or the subject names a consultation
   * number that exists — open or closed, not erased), or `new`.
   */
  async status(user: Actor, input: unknown): Promise<EmailStatus> {
    if (!isStaff(user)) throw new ForbiddenError('view');
    const q = parseInput(statusSchema, input);
    const db = this.deps.store.db;
    const same = await this.repo.byInternetMessageId(db, q.internetMessageId);
    if (same) {
      return {
        status: 'registered',
        consultation: summary(await this.deps.consultations.get(user, same.consultationId)),
      };
    }
    if (q.conversationId) {
      const thread = await this.repo.byConversation(db, q.conversationId);
      if (thread) {
        const c = await this.deps.consultations.get(user, thread.consultationId);
        return { status: 'follow_up', consultation: summary(c), by: 'conversation' };
      }
    }
    for (const number of numbersIn(q.subject ?? '')) {
      try {
        const c = await this.deps.consultations.getByNumber(user, number);
        // An erased case can take nothing more: the email is a new consultation.
        if (!c.erasure) return { status: 'follow_up', consultation: summary(c), by: 'number' };
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
    }
    return { status: 'new' };
  }

  /**
   * A new record from the email `itemId` (its Outlook REST id): channel `email`, the
   * sender as the consulter's address, the email's text as details, its attachments.
   * The same email converted twice (two clicks at once, two people) gives one record:
   * the second gets `created: false` and the first's record. Then the email gets the
   * case's Outlook category and the card is posted in the channel; neither failing undoes
   * the record.
   */
  async convert(user: IntakeUser, input: unknown): Promise<ConvertResult> {
    this.requireIntake(user, 'create');
    const body = (input ?? {}) as { itemId?: unknown; mailbox?: unknown; form?: unknown };
    const { itemId: id, mailbox: shared } = parseInput(
      z.object({ itemId, mailbox: sharedMailbox }),
      { itemId: body.itemId, mailbox: body.mailbox },
    );
    const form = parseInput(formSchema, body.form ?? {});
    if (!this.deps.categoryIds.has(form.categoryId)) {
      throw fieldError('categoryId', 'field.invalid_choice');
    }
    const mailbox = this.requireMailbox();
    const me = mailboxUser(user, shared);

    const seen = await this.repo.byGraphMessageId(this.deps.store.db, id);
    if (seen)
      return { created: false, consultation: await this.summaryOf(user, seen.consultationId) };

    const message = await mailbox.getMessage(me, id);
    const imid = requireMessageId(message);
    const known = await this.repo.byInternetMessageId(this.deps.store.db, imid);
    if (known) {
      return { created: false, consultation: await this.summaryOf(user, known.consultationId) };
    }

    const text = emailText(message.body, message.uniqueBody, {
      maxBytes: this.deps.limits.bodyMaxBytes,
    });
    const attachments = await this.collectAttachments(me, id, message);
    const sender = senderOf(message);

    let emailId = 0;
    let created: Consultation;
    try {
      const result = await this.deps.consultations.create(
        user,
        {
          channel: 'email',
          receivedAt: message.receivedDateTime ?? undefined,
          consulter: {
            organisation: form.consulter.organisation,
            person: form.consulter.person ?? sender.name?.slice(0, LIMITS.short) ?? null,
            phone: form.consulter.phone,
            email: sender.address,
          },
          categoryId: form.categoryId,
          urgency: form.urgency,
          subject: form.subject,
          details: recordDetails(text, form.details, LIMITS.details),
        },
        {
          // In the creation's transaction: if the link fails, there is no record either.
          within: async (trx, c) => {
            emailId = await this.link(trx, c.id, ref(user), message, text, attachments, c.at);
          },
        },
      );
      created = result.consultation;
    } catch (err) {
      if (!isDuplicateEmail(err)) throw err;
      const winner = await this.repo.byInternetMessageId(this.deps.store.db, imid);
      if (!winner) throw err;
      this.deps.logger.info(
        { consultationId: winner.consultationId, emailId: winner.emailId },
        'email intake: converted concurrently, the other request won',
      );
      return { created: false, consultation: await this.summaryOf(user, winner.consultationId) };
    }

    const tagged = await this.tag(me, id, message, created.number, emailId);
    const card = await this.postCard(created);
    this.deps.logger.info(
      {
        consultationId: created.id,
        emailId,
        attachmentCount: attachments.length,
        attachmentsKept: attachments.filter((a) => a.content).length,
        bodyTruncated: text.truncated,
        tagged,
        card,
      },
      'email intake: email converted to a consultation',
    );
    return {
      created: true,
      consultation: await this.summaryOf(user, created.id),
      card,
      tagged,
      attachments: attachments.map(outcome),
    };
  }

  /**
   * Adds the email `itemId` to the record `consultationId` (a reply of the consulter, a
   * follow-up). A closed record stays closed; its card and thread say a new email arrived.
   * The same email twice is one link (`appended: false`); an email already on another
   * record is refused (409).
   */
  async append(user: IntakeUser, input: unknown): Promise<AppendResult> {
    this.requireIntake(user, 'link-email');
    const q = parseInput(appendSchema, input);
    const mailbox = this.requireMailbox();
    const me = mailboxUser(user, q.mailbox);
    const c = await this.deps.consultations.get(user, q.consultationId);
    if (c.erasure) throw new ErasedError('link-email', c.erasure);

    const seen = await this.repo.byGraphMessageId(this.deps.store.db, q.itemId);
    if (seen) return this.alreadyLinked(user, c, seen.consultationId);
    const message = await mailbox.getMessage(me, q.itemId);
    const imid = requireMessageId(message);
    const known = await this.repo.byInternetMessageId(this.deps.store.db, imid);
    if (known) return this.alreadyLinked(user, c, known.consultationId);

    const text = emailText(message.body, message.uniqueBody, {
      maxBytes: this.deps.limits.bodyMaxBytes,
    });
    const attachments = await this.collectAttachments(me, q.itemId, message);
    let emailId: number;
    try {
      emailId = await inTransaction(this.deps.store, async (trx) => {
        const current = await this.records.findById(trx, c.id);
        if (!current) throw new NotFoundError(c.id);
        if (current.erasure) throw new ErasedError('link-email', current.erasure);
        const at = this.now().toISOString();
        const id = await this.link(
          trx,
          c.id,
          ref(user),
          message,
          text,
          attachments,
          at,
          current.state,
        );
        // The follow-up's words find the case in the ledger's search.
        await this.records.reindex(trx, c.id);
        // Those handling the case hear of it in their own chat, whoever added it.
        for (const recipientId of handlers(current, user.id)) {
          await this.notices.add(trx, {
            consultationId: c.id,
            kind: 'email',
            recipientId,
            by: ref(user),
            at,
            version: current.version,
          });
        }
        return id;
      });
    } catch (err) {
      if (!isDuplicateEmail(err)) throw err;
      const winner = await this.repo.byInternetMessageId(this.deps.store.db, imid);
      if (!winner) throw err;
      return this.alreadyLinked(user, c, winner.consultationId);
    }

    const tagged = await this.tag(me, q.itemId, message, c.number, emailId);
    const fresh = await this.deps.consultations.get(user, c.id);
    const line = intakeMessage(
      fresh.state === 'closed' ? 'new_email_closed_line' : 'new_email_line',
      {
        by: user.name,
        summary: emailSummary(message.subject, text.newText, EMAIL_EXCERPT_CHARS).replace(
          /\n/g,
          ' — ',
        ),
      },
    );
    await this.refreshCard(c.id, line);
    this.deps.logger.info(
      {
        consultationId: c.id,
        emailId,
        state: fresh.state,
        attachmentCount: attachments.length,
        attachmentsKept: attachments.filter((a) => a.content).length,
        bodyTruncated: text.truncated,
        tagged,
      },
      'email intake: email added to a consultation',
    );
    return {
      appended: true,
      consultation: summary(fresh),
      tagged,
      attachments: attachments.map(outcome),
    };
  }

  /** A record's attachments, as listed on it (without their bytes). */
  async attachments(user: Actor, consultationId: number): Promise<AttachmentListing[]> {
    await this.deps.consultations.get(user, consultationId); // staff only, and it exists
    return this.repo.attachments(this.deps.store.db, consultationId);
  }

  /** The email's link, its attachments and the history entry, in the caller's transaction. */
  private async link(
    trx: Trx,
    consultationId: number,
    actor: PersonRef,
    message: IntakeMessage,
    text: EmailText,
    attachments: readonly NewAttachment[],
    at: string,
    state: Consultation['state'] = 'received',
  ): Promise<number> {
    const emailId = await this.repo.insertEmail(trx, {
      consultationId,
      graphMessageId: message.id,
      internetMessageId: message.internetMessageId,
      conversationId: message.conversationId,
      subject: message.subject,
      receivedAt: message.receivedDateTime,
      senderAddress: senderOf(message).address,
      bodyText: [text.newText, text.quoted].filter(Boolean).join('\n\n'),
      bodyTruncated: text.truncated,
      linkedBy: actor,
      linkedAt: at,
    });
    await this.repo.insertAttachments(trx, consultationId, emailId, attachments, at);
    await this.records.appendHistory(trx, {
      consultationId,
      action: 'link-email',
      actor,
      at,
      fromState: state,
      toState: state,
      before: null,
      after: {
        emailId,
        attachmentCount: attachments.length,
        attachmentsKept: attachments.filter((a) => a.content).length,
        bodyTruncated: text.truncated,
        // Where what the sender wrote ends in the stored body (the quoted history follows):
        // a notice of this email, delivered later, quotes the same words as the thread line.
        newTextLength: text.newText.length,
      },
      requestId: null,
    });
    return emailId;
  }

  /**
   * Every attachment listed; files up to the limit downloaded with their SHA-256. Graph
   * being unavailable fails the whole request (nothing is saved; it can be retried); one
   * attachment that cannot be had is listed with the reason.
   */
  private async collectAttachments(
    me: MailboxUser,
    itemId: string,
    message: IntakeMessage,
  ): Promise<NewAttachment[]> {
    // `hasAttachments` leaves out inline images; a body that shows one has them too.
    const inline = /\bcid:/i.test(message.body?.content ?? '');
    if (!message.hasAttachments && !inline) return [];
    const mailbox = this.requireMailbox();
    const max = this.deps.limits.attachmentMaxBytes;
    const out: NewAttachment[] = [];
    for (const a of await mailbox.listAttachments(me, itemId)) {
      const base = {
        graphAttachmentId: a.id,
        name: a.name || 'attachment',
        contentType: a.contentType,
        size: a.size,
        isInline: a.isInline,
      };
      const skip = (reason: string, message: Localized): NewAttachment => ({
        ...base,
        content: null,
        sha256: null,
        skipped: { reason, ...message },
      });
      if (a.kind !== 'file') {
        out.push(skip('not_file', intakeMessage('attachment_kind', { kind: kindLabel(a) })));
        continue;
      }
      const tooBig = intakeMessage('attachment_too_big', { limit: formatBytes(max) });
      if (a.size > max) {
        out.push(skip('too_big', tooBig));
        continue;
      }
      let bytes: Buffer;
      try {
        bytes = await mailbox.downloadAttachment(me, itemId, a.id);
      } catch (err) {
        if (err instanceof MailboxError && err.status !== 503) {
          out.push(
            skip('download_failed', intakeMessage('attachment_failed', { code: err.graphCode })),
          );
          continue;
        }
        throw err;
      }
      // Graph's size is the item's; the bytes are what counts.
      if (bytes.length > max) {
        out.push({ ...skip('too_big', tooBig), size: bytes.length });
        continue;
      }
      out.push({
        ...base,
        size: bytes.length,
        content: bytes,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        skipped: null,
      });
    }
    return out;
  }

  /**
   * Sets the case's Outlook category on the email, after putting it in the master list
   * (for its colour; a message can carry a category that is not there). Failures are
   * recorded on the email, never thrown: the record stands either way. `tag_code` keeps
   * why the master list could not be changed even when the email was tagged.
   */
  private async tag(
    me: MailboxUser,
    itemId: string,
    message: IntakeMessage,
    number: string,
    emailId: number,
  ): Promise<boolean> {
    const mailbox = this.requireMailbox();
    const name = `${CATEGORY_PREFIX} ${number}`;
    let masterCode: string | null = null;
    try {
      await mailbox.ensureMasterCategory(me, name);
    } catch (err) {
      masterCode = failureCode(err);
      this.deps.logger.warn(
        { emailId, code: masterCode },
        'email intake: the category was not added to the master list',
      );
    }
    try {
      if (!message.categories.includes(name)) {
        await mailbox.setCategories(me, itemId, [...message.categories, name]);
      }
      await this.repo.setTag(this.deps.store.db, emailId, 'tagged', masterCode);
      return true;
    } catch (err) {
      const code = failureCode(err);
      this.deps.logger.warn({ emailId, code }, 'email intake: the Outlook category was not set');
      await this.repo.setTag(this.deps.store.db, emailId, 'failed', code).catch(() => undefined);
      return false;
    }
  }

  private async postCard(c: Consultation): Promise<NonNullable<ConvertResult['card']>> {
    if (!this.deps.cards) return 'no_channel';
    try {
      return await this.deps.cards.post(c);
    } catch (err) {
      this.deps.logger.warn(
        { consultationId: c.id, err: errorFacts(err) },
        'email intake: the channel card was not posted',
      );
      return 'failed';
    }
  }

  private async refreshCard(id: number, line: Localized): Promise<void> {
    try {
      await this.deps.cards?.refresh(id, line);
    } catch (err) {
      this.deps.logger.warn(
        { consultationId: id, err: errorFacts(err) },
        'email intake: the channel card was not refreshed',
      );
    }
  }

  private async alreadyLinked(
    user: Actor,
    c: Consultation,
    linkedTo: number,
  ): Promise<AppendResult> {
    if (linkedTo === c.id) return { appended: false, consultation: summary(c) };
    const other = await this.deps.consultations.get(user, linkedTo);
    throw new AppError(409, 'conflict', intakeMessage('not_same_case', { number: other.number }), {
      consultation: summary(other),
    });
  }

  private async summaryOf(user: Actor, id: number): Promise<ConsultationSummary> {
    return summary(await this.deps.consultations.get(user, id));
  }

  private requireIntake(user: Actor, action: Action): void {
    if (!INTAKE_ROLES.some((r) => user.roles.includes(r))) {
      throw new AppError(403, 'forbidden', intakeMessage('forbidden_intake'), { action });
    }
  }

  private requireMailbox(): MailboxReader {
    if (!this.deps.mailbox) {
      throw new AppError(503, 'mail_not_configured', intakeMessage('not_configured'));
    }
    return this.deps.mailbox;
  }
}

/** The record as the pane shows it. */
export function summary(c: Consultation): ConsultationSummary {
  return {
    id: c.id,
    number: c.number,
    state: c.state,
    subject: c.subject,
    teamsCardUrl: c.teamsCard ? teamsMessageLink(c.teamsCard) : null,
  };
}

/** Teams' deep link to a channel message (the card), which opens it in its channel. */
export function teamsMessageLink(card: NonNullable<Consultation['teamsCard']>): string {
  const channel = card.conversationId.split(';')[0]!;
  const id = encodeURIComponent(card.activityId);
  return `https://teams.microsoft.com/l/message/${encodeURIComponent(channel)}/${id}?parentMessageId=${id}`;
}

/** Consultation numbers a subject names (`【相談番号 2026-000123】`, full-width digits too). */
export function numbersIn(subject: string): string[] {
  const text = subject.normalize('NFKC');
  const found = [...text.matchAll(/(?<!\d)(\d{4}-\d{6})(?!\d)/g)].map((m) => parseNumber(m[1]!));
  return [...new Set(found.filter((n): n is string => n !== null))];
}

function mailboxUser(user: IntakeUser, mailbox: string | null): MailboxUser {
  return { id: user.id, token: user.token, mailbox };
}

function ref(actor: Actor): PersonRef {
  return { id: actor.id, name: actor.name };
}

/** Who wrote the email: From, else Sender (Graph gives both; a delegate sends as another). */
function senderOf(m: IntakeMessage): { address: string | null; name: string | null } {
  const who = m.from?.emailAddress ?? m.sender?.emailAddress;
  const address = who?.address?.trim() || null;
  // An address that is not one (an Exchange legacy DN) is not kept as the consulter's.
  return {
    address: address && z.string().email().max(254).safeParse(address).success ? address : null,
    name: who?.name?.trim() || null,
  };
}

function requireMessageId(m: IntakeMessage): string {
  if (!m.internetMessageId) {
    throw new AppError(404, 'message_not_found', intakeMessage('message_not_found'));
  }
  return m.internetMessageId;
}

function kindLabel(a: AttachmentInfo): string {
  return a.kind === 'item' ? 'Outlook item' : a.kind === 'reference' ? 'link' : 'other';
}

function outcome(a: NewAttachment): AttachmentOutcome {
  return {
    name: a.name,
    contentType: a.contentType,
    size: a.size,
    kept: a.content !== null,
    skipped: a.skipped
      ? { reason: a.skipped.reason, message: { ja: a.skipped.ja, en: a.skipped.en } }
      : null,
  };
}

function failureCode(err: unknown): string {
  if (err instanceof MailboxError) return err.graphCode;
  return err instanceof AppError ? err.code : 'error';
}

function errorFacts(err: unknown): Record<string, unknown> {
  return err instanceof AppError
    ? { code: err.code, status: err.status }
    : { name: (err as Error)?.name ?? 'unknown' };
}

/** Who handles a case (its first-line owner and its specialist), but not `except`. */
function handlers(c: Consultation, except: string): string[] {
  const ids = [c.firstLineOwner?.id, c.specialist?.id].filter((id): id is string => !!id);
  return [...new Set(ids)].filter((id) => id !== except);
}
