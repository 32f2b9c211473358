import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../store';

/** Columns added to `consultation_email`, in order (SQLite adds one per statement). */
const EMAIL_COLUMNS = [
  // The sender's address as Graph gave it (From, else Sender).
  ['sender_address', 'text'],
  // The body as text (new part, then the quoted history), cut at the configured limit.
  ['body_text', 'text'],
  // 1 when the body was longer than the limit and was cut.
  ['body_truncated', 'integer', 0],
  // Who linked it (converted or appended it), so an email entry on the timeline names them.
  ['linked_by_id', 'text'],
  ['linked_by_name', 'text'],
  // The Outlook category naming the case: tagged | failed (null while not tried).
  ['tag_status', 'text'],
  // Why tagging failed (Graph's code), for an administrator.
  ['tag_code', 'text'],
] as const;

/**
 * An email turned into a record keeps its text and its attachments: each attachment's
 * name, type and size, and its content with a SHA-256 up to the configured size (larger
 * ones, and attachments that are not files, are listed with the reason). Contents are
 * stored as bytes only, never executed or rendered.
 */
export function emailIntake(dialect: Dialect): Migration {
  const pg = dialect === 'postgres';
  const ts = pg ? 'timestamptz' : 'text';
  return {
    async up(db: Kysely<unknown>) {
      for (const [name, type, fallback] of EMAIL_COLUMNS) {
        await db.schema
          .alterTable('consultation_email')
          .addColumn(name, type, (c) =>
            fallback === undefined ? c : c.notNull().defaultTo(fallback),
          )
          .execute();
      }

      await db.schema
        .createTable('consultation_attachment')
        .addColumn('id', pg ? 'serial' : 'integer', (c) =>
          pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('consultation_id', 'integer', (c) =>
          c.notNull().references('consultation.id').onDelete('cascade'),
        )
        .addColumn('email_id', 'integer', (c) =>
          c.notNull().references('consultation_email.id').onDelete('cascade'),
        )
        // Graph's id of the attachment within its message.
        .addColumn('graph_attachment_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text')
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('is_inline', 'integer', (c) => c.notNull().defaultTo(0))
        // Hex SHA-256 of the content; null when the content was not kept.
        .addColumn('sha256', 'text')
        .addColumn('content', pg ? 'bytea' : 'blob')
        // too_big | not_file | download_failed; null when the content is kept.
        .addColumn('skipped_reason', 'text')
        .addColumn('skipped_ja', 'text')
        .addColumn('skipped_en', 'text')
        .addColumn('created_at', ts, (c) => c.notNull())
        .addUniqueConstraint('consultation_attachment_email_graph', [
          'email_id',
          'graph_attachment_id',
        ])
        .execute();
      await db.schema
        .createIndex('consultation_attachment_consultation')
        .on('consultation_attachment')
        .column('consultation_id')
        .execute();
    },

    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('consultation_attachment').ifExists().execute();
      for (const [name] of [...EMAIL_COLUMNS].reverse()) {
        await db.schema.alterTable('consultation_email').dropColumn(name).execute();
      }
    },
  };
}
