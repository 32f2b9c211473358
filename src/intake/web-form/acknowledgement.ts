/**
 * The acknowledgement a consulter gets by email after filing on the web: the number,
 * when it was received and what happens next, from the desk's mailbox through Graph.
 * How it went is kept in the record's history (action `acknowledge`), which the ledger's
 * timeline shows.
 *
 * The email carries nothing the consulter typed (not even their name): the form is open
 * to anyone, and an acknowledgement must not become a way to send someone else's words
 * to an address of one's choosing.
 */
import { ConsultationRepository } from '../../consultation/consultation.repository';
import { mayAcknowledge } from '../../consultation/policy';
import type { AcknowledgementStatus, Actor, Consultation } from '../../consultation/types';
import { ForbiddenError } from '../../errors';
import type { Lang, Localized } from '../../i18n/messages';
import { categoryById } from '../../knowledge/knowledge';
import type { Logger } from '../../logger';
import type { MailGateway } from '../../mail/graph.gateway';
import { MailError } from '../../mail/mail-errors';
import { DESK_NAME, numberTag, renderEmail } from '../../mail/templates';
import { inTransaction, type Store } from '../../store/store';

/** `2026/11/27 10:05`, Tokyo time. */
const TOKYO_TIME = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const formatTokyo = (iso: string) => TOKYO_TIME.format(new Date(iso));

export interface AcknowledgementEmail {
  subject: string;
  html: string;
  text: string;
}

const SUBJECT: Localized = {
  ja: 'ご相談を受け付けました',
  en: 'We have received your consultation',
};

/**
 * The acknowledgement for a record: Japanese, followed by English when the consulter
 * used the form in English (with the signature in their language).
 */
export function acknowledgementEmail(
  c: Consultation,
  lang: Lang,
  deskName: Localized = DESK_NAME,
): AcknowledgementEmail {
  const category = categoryById(c.categoryId);
  const received = formatTokyo(c.receivedAt);
  const ja = [
    'ご相談者様',
    '',
    `${deskName.ja}です。`,
    'Webフォームからのご相談を受け付けました。',
    '',
    `受付番号：${c.number}`,
    `受付日時：${received}`,
    ...(category ? [`ご相談の分類：${category.ja}`] : []),
    '',
    '担当者が内容を確認し、メールまたはお電話でご連絡します。確認のため、こちらからお尋ねすることがあります。',
    'このメールにご返信いただくときは、件名の受付番号を消さずにお送りください。',
    '',
    '被害が広がっているときは、感染が疑われる機器をネットワークから切り離し、電源は切らずにそのままにしてください。',
    '',
    'このメールにお心当たりがない場合は、お手数ですが破棄してください。',
  ].join('\n');
  const en = [
    'Dear consulter,',
    '',
    `This is the ${deskName.en}.`,
    'We have received the consultation you sent with our web form.',
    '',
    `Consultation number: ${c.number}`,
    `Received: ${received} (Japan time)`,
    ...(category ? [`About: ${category.en}`] : []),
    '',
    'A member of the desk will read it and contact you by email or by phone, and may ask you questions first.',
    'When you reply to this email, please keep the number in the subject.',
    '',
    'If the damage is spreading, disconnect the affected devices from the network but leave them switched on.',
    '',
    'If you did not send a consultation, please ignore this email.',
  ].join('\n');
  const body = lang === 'en' ? `${ja}\n\n--------\n\n${en}` : ja;
  const subject =
    lang === 'en'
      ? `${numberTag(c.number)}${SUBJECT.ja} / ${SUBJECT.en}`
      : `${numberTag(c.number)}${SUBJECT.ja}`;
  return { subject, ...renderEmail(c, body, { lang, deskName }) };
}

export interface AcknowledgementDeps {
  store: Store;
  /** Graph's sendMail; null while mail is not set up. */
  mail: Pick<MailGateway, 'sendMail'> | null;
  /** The desk's shared mailbox; null while mail is not set up. */
  mailbox: string | null;
  logger: Logger;
  clock?: () => Date;
  deskName?: Localized;
}

/** Emails acknowledgements and records how each went. */
export class AcknowledgementService {
  private readonly repo: ConsultationRepository;
  private readonly now: () => Date;

  constructor(private readonly deps: AcknowledgementDeps) {
    this.repo = new ConsultationRepository(deps.store.dialect);
    this.now = deps.clock ?? (() => new Date());
  }

  /**
   * Sends the consulter the acknowledgement (when the record has an email address) and
   * writes the outcome to the record's history: `sent`, `failed` (with Graph's code) or
   * `not_configured`. Null when there is no address (nothing to send, nothing written).
   * A mail failure is recorded, not thrown.
   */
  async acknowledge(
    actor: Actor,
    c: Consultation,
    lang: Lang,
  ): Promise<AcknowledgementStatus | null> {
    if (!mayAcknowledge(actor)) throw new ForbiddenError('acknowledge');
    const to = c.consulter.email;
    if (!to) return null;

    let status: AcknowledgementStatus = 'sent';
    let failure: MailError | null = null;
    const { mail, mailbox, logger } = this.deps;
    if (!mail || !mailbox) {
      status = 'not_configured';
    } else {
      const email = acknowledgementEmail(c, lang, this.deps.deskName);
      try {
        await mail.sendMail(mailbox, { to: [to], subject: email.subject, html: email.html });
      } catch (err) {
        status = 'failed';
        failure = err instanceof MailError ? err : null;
        if (!failure) logger.error({ err, consultationId: c.id }, 'acknowledgement broke');
      }
    }

    await inTransaction(this.deps.store, async (trx) => {
      const current = (await this.repo.findById(trx, c.id)) ?? c;
      await this.repo.appendHistory(trx, {
        consultationId: c.id,
        action: 'acknowledge',
        actor: { id: actor.id, name: actor.name },
        at: this.now().toISOString(),
        fromState: current.state,
        toState: current.state,
        before: null,
        after: {
          status,
          language: lang,
          ...(status === 'failed'
            ? { graphStatus: failure?.graphStatus ?? 0, code: failure?.graphCode ?? 'internal' }
            : {}),
        },
        requestId: null,
      });
    });

    const facts = { consultationId: c.id, status };
    if (status === 'failed') {
      logger.warn(
        { ...facts, graphStatus: failure?.graphStatus, graphCode: failure?.graphCode },
        'acknowledgement not sent',
      );
    } else {
      logger.info(facts, 'acknowledgement');
    }
    return status;
  }
}
