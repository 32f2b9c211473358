import type { Db, Store, Trx } from '../store/store';
import type { PersonRef } from './types';

/** What a notice tells its recipient: a case was dispatched to them, or theirs was answered. */
export type NoticeKind = 'dispatched' | 'answered';

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

/** How long one delivery may take before another instance (or a later catch-up) tries again. */
export const NOTICE_LEASE_MS = 2 * 60_000;

/** A notice not delivered within a day is given up (`failed`): it would only confuse by then. */
export const NOTICE_EXPIRES_MS = 24 * 60 * 60_000;

/** Writes the notices a change owes; the change's transaction calls this. */
export async function owe(trx: Trx, notice: NewNotice): Promise<void> {
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

/**
 * The notices changes owe until they are delivered. Delivering one is: `take` it (no one
 * else delivers it for `NOTICE_LEASE_MS`), send it, `finish` it. One that is taken and
 * not finished (Teams down, the process stopped) is owed again when its lease ends.
 */
export class NoticeQueue {
  constructor(
    private readonly store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Notices owed and free to take: of one record (right after its change), or of any
   * record written at least `olderThanMs` ago (a catch-up leaves fresh ones to the change).
   */
  async owed(
    q: { consultationId: number } | { olderThanMs: number; limit: number },
  ): Promise<OwedNotice[]> {
    const now = this.clock();
    let query = this.db
      .selectFrom('notice')
      .selectAll()
      .where('done_at', 'is', null)
      .where((eb) =>
        eb.or([eb('taken_until', 'is', null), eb('taken_until', '<=', now.toISOString())]),
      )
      .orderBy('id');
    if ('consultationId' in q) {
      query = query.where('consultation_id', '=', q.consultationId);
    } else {
      const before = new Date(now.getTime() - q.olderThanMs).toISOString();
      query = query.where('created_at', '<=', before).limit(q.limit);
    }
    const rows = await query.execute();
    return rows.map((r) => ({
      id: r.id,
      consultationId: r.consultation_id,
      kind: r.kind as NoticeKind,
      recipientId: r.recipient_id,
      by: { id: r.by_id, name: r.by_name },
      at: r.created_at,
      version: r.version,
      attempts: r.attempts,
    }));
  }

  /** Takes a notice to deliver it; false when someone else has it (or it is done). */
  async take(id: number): Promise<boolean> {
    const now = this.clock();
    const result = await this.db
      .updateTable('notice')
      .set((eb) => ({
        taken_until: new Date(now.getTime() + NOTICE_LEASE_MS).toISOString(),
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', '=', id)
      .where('done_at', 'is', null)
      .where((eb) =>
        eb.or([eb('taken_until', 'is', null), eb('taken_until', '<=', now.toISOString())]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Whether a notice is too old to deliver (`NOTICE_EXPIRES_MS`). */
  expired(notice: OwedNotice): boolean {
    return this.clock().getTime() - Date.parse(notice.at) >= NOTICE_EXPIRES_MS;
  }

  /** The notice went out, turned out no longer true, or is given up. */
  async finish(id: number, outcome: NoticeOutcome): Promise<void> {
    await this.db
      .updateTable('notice')
      .set({ done_at: this.clock().toISOString(), outcome, taken_until: null })
      .where('id', '=', id)
      .execute();
  }

  /** A delivery that failed: free to take again at once (the next catch-up, say). */
  async release(id: number): Promise<void> {
    await this.db
      .updateTable('notice')
      .set({ taken_until: null })
      .where('id', '=', id)
      .where('done_at', 'is', null)
      .execute();
  }

  private get db(): Db {
    return this.store.db;
  }
}
