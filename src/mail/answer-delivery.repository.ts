import type { Localized } from '../i18n/messages';
import type { Db, Trx } from '../store/store';

type Conn = Db | Trx;

/**
 * Where an answer's email stands. Every change is one UPDATE guarded by the status it
 * starts from, so two people (or two instances) cannot both move the same answer.
 */
export class AnswerDeliveryRepository {
  /**
   * Takes an answer for sending (again): `failed`, or `sending` since before
   * `staleBefore` (the instance sending it went away), becomes `sending` with one more
   * attempt. False when someone else took it first, or it has nothing to send.
   */
  async takeForSending(
    db: Conn,
    answerId: number,
    at: string,
    staleBefore: string,
  ): Promise<boolean> {
    const result = await db
      .updateTable('consultation_answer')
      .set((eb) => ({
        delivery_status: 'sending',
        attempts: eb('attempts', '+', 1),
        delivery_updated_at: at,
      }))
      .where('id', '=', answerId)
      .where('mail_method', 'is not', null)
      .where((eb) =>
        eb.or([
          eb('delivery_status', '=', 'failed'),
          eb.and([
            eb('delivery_status', '=', 'sending'),
            eb('delivery_updated_at', '<', staleBefore),
          ]),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** The email went out. */
  async markSent(
    trx: Trx,
    answerId: number,
    at: string,
    ids: { sentMessageId: string | null; internetMessageId: string | null } = {
      sentMessageId: null,
      internetMessageId: null,
    },
  ): Promise<boolean> {
    const result = await trx
      .updateTable('consultation_answer')
      .set({
        delivery_status: 'sent',
        sent_message_id: ids.sentMessageId,
        sent_internet_message_id: ids.internetMessageId,
        last_error_code: null,
        last_error_ja: null,
        last_error_en: null,
        delivery_updated_at: at,
      })
      .where('id', '=', answerId)
      .where('delivery_status', '=', 'sending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** The email did not go out: the text stays, with the reason. */
  async markFailed(
    trx: Trx,
    answerId: number,
    at: string,
    error: { code: string; message: Localized },
  ): Promise<boolean> {
    const result = await trx
      .updateTable('consultation_answer')
      .set({
        delivery_status: 'failed',
        last_error_code: error.code,
        last_error_ja: error.message.ja,
        last_error_en: error.message.en,
        delivery_updated_at: at,
      })
      .where('id', '=', answerId)
      .where('delivery_status', '=', 'sending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
