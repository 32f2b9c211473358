import type { Db, Trx } from '../store/store';

type Conn = Db | Trx;

/** A received email as it is linked to a record. */
export interface NewLinkedEmail {
  consultationId: number;
  graphMessageId: string;
  internetMessageId: string;
  conversationId: string | null;
  subject: string | null;
  receivedAt: string | null;
  senderAddress: string | null;
  bodyText: string;
  bodyTruncated: boolean;
  linkedBy: { id: string; name: string };
  linkedAt: string;
}

/** An attachment as it is kept: content and hash, or the reason it was not kept. */
export interface NewAttachment {
  graphAttachmentId: string;
  name: string;
  contentType: string | null;
  size: number;
  isInline: boolean;
  content: Buffer | null;
  sha256: string | null;
  skipped: { reason: string; ja: string; en: string } | null;
}

/** An attachment as listed on a record (the content itself is fetched on its own). */
export interface AttachmentListing {
  id: number;
  emailId: number;
  name: string;
  contentType: string | null;
  size: number;
  isInline: boolean;
  sha256: string | null;
  kept: boolean;
  skipped: { reason: string; message: { ja: string; en: string } } | null;
}

/** Where an email already is: its row and its record. */
export interface EmailLink {
  emailId: number;
  consultationId: number;
}

/** A linked email's subject and what its sender wrote (without the quoted history). */
export interface LinkedEmailText {
  subject: string | null;
  /** Null when it is not known where the quoted history starts. */
  newText: string | null;
}

/** Every query of email intake: linked emails and their attachments. */
export class EmailIntakeRepository {
  /** The record this email (by its Internet Message-ID) is linked to, if any. */
  async byInternetMessageId(db: Conn, internetMessageId: string): Promise<EmailLink | null> {
    const row = await db
      .selectFrom('consultation_email')
      .select(['id', 'consultation_id'])
      .where('internet_message_id', '=', internetMessageId)
      .executeTakeFirst();
    return row ? { emailId: row.id, consultationId: row.consultation_id } : null;
  }

  /** The record this Outlook item (by its REST id) is linked to, if any. */
  async byGraphMessageId(db: Conn, graphMessageId: string): Promise<EmailLink | null> {
    const row = await db
      .selectFrom('consultation_email')
      .select(['id', 'consultation_id'])
      .where('graph_message_id', '=', graphMessageId)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return row ? { emailId: row.id, consultationId: row.consultation_id } : null;
  }

  /** The record most recently linked to an email of this conversation (thread), if any. */
  async byConversation(db: Conn, conversationId: string): Promise<EmailLink | null> {
    const row = await db
      .selectFrom('consultation_email')
      .select(['id', 'consultation_id'])
      .where('conversation_id', '=', conversationId)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return row ? { emailId: row.id, consultationId: row.consultation_id } : null;
  }

  /**
   * The email the `link-email` change made at `at` added to the record (that change's
   * history entry names it): its subject, and what the sender wrote in it (the stored body
   * up to the quoted history; null when the entry does not say where that ends). Null when
   * there is no such email (none was linked then, or it was erased with the record).
   */
  async linkedAt(db: Conn, consultationId: number, at: string): Promise<LinkedEmailText | null> {
    const entry = await db
      .selectFrom('consultation_history')
      .select('after_json')
      .where('consultation_id', '=', consultationId)
      .where('action', '=', 'link-email')
      .where('at', '=', at)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    const after = entry?.after_json
      ? (JSON.parse(entry.after_json) as { emailId?: unknown; newTextLength?: unknown })
      : null;
    if (typeof after?.emailId !== 'number') return null;
    const row = await db
      .selectFrom('consultation_email')
      .select(['subject', 'body_text'])
      .where('id', '=', after.emailId)
      .where('consultation_id', '=', consultationId)
      .executeTakeFirst();
    if (!row) return null;
    const length = after.newTextLength;
    return {
      subject: row.subject,
      newText: typeof length === 'number' ? (row.body_text ?? '').slice(0, length) : null,
    };
  }

  /**
   * Links an email. The Internet Message-ID is unique: a second link of the same email
   * fails with the database's unique violation (see `isDuplicateEmail`).
   */
  async insertEmail(trx: Trx, e: NewLinkedEmail): Promise<number> {
    const row = await trx
      .insertInto('consultation_email')
      .values({
        consultation_id: e.consultationId,
        graph_message_id: e.graphMessageId,
        internet_message_id: e.internetMessageId,
        conversation_id: e.conversationId,
        subject: e.subject,
        received_at: e.receivedAt,
        linked_at: e.linkedAt,
        sender_address: e.senderAddress,
        body_text: e.bodyText,
        body_truncated: e.bodyTruncated ? 1 : 0,
        linked_by_id: e.linkedBy.id,
        linked_by_name: e.linkedBy.name,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async insertAttachments(
    trx: Trx,
    consultationId: number,
    emailId: number,
    attachments: readonly NewAttachment[],
    at: string,
  ): Promise<void> {
    // One row at a time: a few attachments of up to several MB each, not a bulk load.
    for (const a of attachments) {
      await trx
        .insertInto('consultation_attachment')
        .values({
          consultation_id: consultationId,
          email_id: emailId,
          graph_attachment_id: a.graphAttachmentId,
          name: a.name,
          content_type: a.contentType,
          size: a.size,
          is_inline: a.isInline ? 1 : 0,
          sha256: a.sha256,
          content: a.content,
          skipped_reason: a.skipped?.reason ?? null,
          skipped_ja: a.skipped?.ja ?? null,
          skipped_en: a.skipped?.en ?? null,
          created_at: at,
        })
        .execute();
    }
  }

  /** Whether the email's Outlook category was set, or why not. */
  async setTag(db: Conn, emailId: number, status: 'tagged' | 'failed', code: string | null) {
    await db
      .updateTable('consultation_email')
      .set({ tag_status: status, tag_code: code })
      .where('id', '=', emailId)
      .execute();
  }

  /** A record's attachments, listed (without their content). */
  async attachments(db: Conn, consultationId: number): Promise<AttachmentListing[]> {
    const rows = await db
      .selectFrom('consultation_attachment')
      .select([
        'id',
        'email_id',
        'name',
        'content_type',
        'size',
        'is_inline',
        'sha256',
        'skipped_reason',
        'skipped_ja',
        'skipped_en',
      ])
      .select((eb) => eb('content', 'is not', null).as('kept'))
      .where('consultation_id', '=', consultationId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      emailId: r.email_id,
      name: r.name,
      contentType: r.content_type,
      size: r.size,
      isInline: r.is_inline === 1,
      sha256: r.sha256,
      kept: Boolean(r.kept),
      skipped: r.skipped_reason
        ? { reason: r.skipped_reason, message: { ja: r.skipped_ja ?? '', en: r.skipped_en ?? '' } }
        : null,
    }));
  }

  /** One attachment's stored bytes (null when not kept). */
  async attachmentContent(db: Conn, attachmentId: number): Promise<Buffer | null> {
    const row = await db
      .selectFrom('consultation_attachment')
      .select('content')
      .where('id', '=', attachmentId)
      .executeTakeFirst();
    return row?.content ? Buffer.from(row.content) : null;
  }
}

/**
 * Whether a database error is the unique violation of `consultation_email`'s Internet
 * Message-ID: the same email linked twice at once. SQLite (better-sqlite3) says
 * `SQLITE_CONSTRAINT_UNIQUE` and names the column; PostgreSQL says 23505 and names the
 * constraint.
 */
export function isDuplicateEmail(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message, constraint } = err as {
    code?: unknown;
    message?: unknown;
    constraint?: unknown;
  };
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return (
      typeof message === 'string' && message.includes('consultation_email.internet_message_id')
    );
  }
  if (code === '23505') {
    return (
      typeof constraint === 'string' &&
      constraint.startsWith('consultation_email_internet_message_id')
    );
  }
  return false;
}
