import type { Selectable } from 'kysely';
import type { ThreadLineTable } from '../store/schema';
import type { Db, Trx } from '../store/store';

type Conn = Db | Trx;

/** A message for a card's thread that Teams refused, owed until it is said. */
export interface OwedLine {
  id: number;
  consultationId: number;
  text: string;
  /** When the first of its lines was said. */
  saidAt: string;
  attempts: number;
}

/** The lines owed to cards' threads. Times are ISO strings. */
export class ThreadLineRepository {
  async add(db: Conn, consultationId: number, text: string, saidAt: string, at: string) {
    await db
      .insertInto('thread_line')
      .values({ consultation_id: consultationId, text, said_at: saidAt, created_at: at })
      .execute();
  }

  /** Whether any line is owed to the record's thread. */
  async holds(db: Conn, consultationId: number): Promise<boolean> {
    const row = await db
      .selectFrom('thread_line')
      .select('id')
      .where('consultation_id', '=', consultationId)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Not taken at `now`, kept by `keptBy`, oldest first. */
  async owed(db: Conn, now: string, keptBy: string, limit: number): Promise<OwedLine[]> {
    const rows = await db
      .selectFrom('thread_line')
      .selectAll()
      .where((eb) => eb.or([eb('taken_until', 'is', null), eb('taken_until', '<=', now)]))
      .where('created_at', '<=', keptBy)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toLine);
  }

  /** Marks a line taken until `until` (one more attempt) if it is there and free at `now`. */
  async take(db: Conn, id: number, now: string, until: string): Promise<boolean> {
    const result = await db
      .updateTable('thread_line')
      .set((eb) => ({ taken_until: until, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where((eb) => eb.or([eb('taken_until', 'is', null), eb('taken_until', '<=', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async delete(db: Conn, id: number): Promise<void> {
    await db.deleteFrom('thread_line').where('id', '=', id).execute();
  }

  async release(db: Conn, id: number): Promise<void> {
    await db.updateTable('thread_line').set({ taken_until: null }).where('id', '=', id).execute();
  }
}

function toLine(r: Selectable<ThreadLineTable>): OwedLine {
  return {
    id: r.id,
    consultationId: r.consultation_id,
    text: r.text,
    saidAt: r.said_at,
    attempts: r.attempts,
  };
}
