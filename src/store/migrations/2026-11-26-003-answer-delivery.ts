import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../store';

/** Columns added to `consultation_answer`, in order (SQLite adds one per statement). */
const COLUMNS = [
  // recorded (phone, counter, none) | sending | sent | failed
  ['delivery_status', 'text', 'recorded'],
  // The request that recorded the answer: a redelivered request finds it again.
  ['request_id', 'text'],
  // reply (in the thread of the consulter's email) | new (sendMail)
  ['mail_method', 'text'],
  // JSON arrays of the addresses, as sent
  ['mail_to', 'text'],
  ['mail_cc', 'text'],
  ['mail_subject', 'text'],
  // Graph id of the consulter's message answered in its thread
  ['reply_to_message_id', 'text'],
  // Graph ids of the sent message, when Graph tells them
  ['sent_message_id', 'text'],
  ['sent_internet_message_id', 'text'],
  // The last failure: Graph's (or our) code and what people are told, in both languages
  ['last_error_code', 'text'],
  ['last_error_ja', 'text'],
  ['last_error_en', 'text'],
  ['attempts', 'integer', 0],
  ['delivery_updated_at', 'timestamp'],
] as const;

/**
 * An answer keeps how it reached the consulter: whether it was only recorded (given by
 * phone or at the counter) or emailed, to whom and under which subject, whether the
 * email is being sent, went out or failed (and why), and how often it was tried.
 */
export function answerDelivery(dialect: Dialect): Migration {
  const pg = dialect === 'postgres';
  return {
    async up(db: Kysely<unknown>) {
      for (const [name, type, fallback] of COLUMNS) {
        const columnType = type === 'timestamp' ? (pg ? 'timestamptz' : 'text') : type;
        await db.schema
          .alterTable('consultation_answer')
          .addColumn(name, columnType, (c) =>
            fallback === undefined ? c : c.notNull().defaultTo(fallback),
          )
          .execute();
      }
      // Answers recorded before this kept no delivery time: their creation is it.
      await sql`UPDATE consultation_answer SET delivery_updated_at = created_at`.execute(db);
      await db.schema
        .createIndex('consultation_answer_request')
        .on('consultation_answer')
        .column('request_id')
        .unique()
        .execute();
      // Finding answers still to send, or stuck in sending.
      await db.schema
        .createIndex('consultation_answer_delivery')
        .on('consultation_answer')
        .columns(['delivery_status', 'delivery_updated_at'])
        .execute();
    },

    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('consultation_answer_delivery').ifExists().execute();
      await db.schema.dropIndex('consultation_answer_request').ifExists().execute();
      for (const [name] of [...COLUMNS].reverse()) {
        await db.schema.alterTable('consultation_answer').dropColumn(name).execute();
      }
    },
  };
}
