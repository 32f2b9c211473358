import type { Selectable } from 'kysely';
import type { NoticeTable } from '../store/schema';
import type { Db, Trx } from '../store/store';
import type { PersonRef } from './types';

type Conn = Db | Trx;

/**
 * What a notice tells its recipient: a case was dispatched to them, theirs was answered,
 * theirs came back from second line, or its consulter wrote again.
 */
export type NoticeKind = 'dispatched' | 'answered' | 'returned' | 'email';

export interface OwedNotice {
  id: number;
  consultationId: number;
  kind: NoticeKind;
  recipientId: string;
  /** Who made the change, and when; `version` is the record's version it made. */
  by: PersonRef;
  at: string;
  version: number;
  attempts: number;
}

/** A notice a change owes, as the change writes it (in its own transaction). */
export type NewNotice = Omit<OwedNotice, 'id' | 'attempts'>;

export type NoticeOutcome = 'sent' | 'obsolete' | 'failed';

/** The notices changes owe, and where their delivery stands. Times are ISO strings. */
export class NoticeRepository {
  async add(trx: Trx, notice: NewNotice): Promise<void> {
    await trx
      .insertInto('notice')
      .values({
        consultation_id: notice.consultationId,
        kind: notice.kind,
        recipient_id: notice.recipientId,
        by_id: notice.by.id,
        by_name: notice.by.name,
        version: notice.version,
        created_at: notice.at,
      })
      .execute();
  }

  /** Not done and not taken at `now`: of one record, or written by `writtenBy` (oldest first). */
  async owed(
    db: Conn,
    now: string,
    q: { consultationId: number } | { writtenBy: string; limit: number },
  ): Promise<OwedNotice[]> {
    let query = db
      .selectFrom('notice')
      .selectAll()
      .where('done_at', 'is', null)
      .where((eb) => eb.or([eb('taken_until', 'is', null), eb('taken_until', '<=', now)]))
      .orderBy('id');
    query =
      'consultationId' in q
        ? query.where('consultation_id', '=', q.consultationId)
        : query.where('created_at', '<=', q.writtenBy).limit(q.limit);
    return (await query.execute()).map(toNotice);
  }

  /** Marks a notice taken until `until` (one more attempt) if it is free at `now`. */
  async take(db: Conn, id: number, now: string, until: string): Promise<boolean> {
    const result = await db
      .updateTable('notice')
      .set((eb) => ({ taken_until: until, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('done_at', 'is', null)
      .where((eb) => eb.or([eb('taken_until', 'is', null), eb('taken_until', '<=', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async finish(db: Conn, id: number, at: string, outcome: NoticeOutcome): Promise<void> {
    await db
      .updateTable('notice')
      .set({ done_at: at, outcome, taken_until: null })
      .where('id', '=', id)
      .execute();
  }

  async release(db: Conn, id: number): Promise<void> {
    await db
      .updateTable('notice')
      .set({ taken_until: null })
      .where('id', '=', id)
      .where('done_at', 'is', null)
      .execute();
  }
}

function toNotice(r: Selectable<NoticeTable>): OwedNotice {
  return {
    id: r.id,
    consultationId: r.consultation_id,
    kind: r.kind as NoticeKind,
    recipientId: r.recipient_id,
    by: { id: r.by_id, name: r.by_name },
    at: r.created_at,
    version: r.version,
    attempts: r.attempts,
  };
}
