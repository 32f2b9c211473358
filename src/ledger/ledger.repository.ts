import { sql, type Insertable, type RawBuilder, type Selectable } from 'kysely';
import type { LedgerExportTable } from '../store/schema';
import { toAnswer, toConsultation } from '../consultation/consultation.repository';
import type { Answer, Consultation, PersonRef } from '../consultation/types';
import type { AnswerFact } from './csv';
import type { EmailContent } from './timeline';
import type { Db, Dialect, Trx } from '../store/store';

type Conn = Db | Trx;

/** Records received in a month, by channel, category and state. */
export interface MonthCountRow {
  month: string;
  channel: string;
  categoryId: string;
  state: string;
  n: number;
}

/** When a record was created and first claimed, dispatched and answered (ISO; null: not yet). */
export interface MilestoneRow {
  id: number;
  month: string;
  created: string | null;
  claimed: string | null;
  dispatched: string | null;
  answered: string | null;
  closed: string | null;
}

/** Where a batch of an export ended: the next batch starts after it. */
export interface ExportCursor {
  receivedAt: string;
  id: number;
}

/** The ledger's queries that the consultation repository does not have. One path for both dialects. */
export class LedgerRepository {
  constructor(private readonly dialect: Dialect) {}

  /** The Tokyo month (`2026-11`) of the record's received time. */
  private month(): RawBuilder<string> {
    return this.dialect === 'postgres'
      ? sql<string>`to_char(consultation.received_at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM')`
      : sql<string>`strftime('%Y-%m', consultation.received_at, '+9 hours')`;
  }

  /**
   * Everyone who owns a case at first line or has one as specialist. Each column's index
   * is walked from one distinct id to the next (a loose index scan), so the cost grows
   * with the number of people, not of records.
   */
  async people(db: Conn): Promise<PersonRef[]> {
    const found = new Map<string, string>();
    for (const [idColumn, nameColumn] of [
      ['first_line_owner_id', 'first_line_owner_name'],
      ['specialist_id', 'specialist_name'],
    ] as const) {
      const id = sql.ref(idColumn);
      const name = sql.ref(nameColumn);
      const rows = await sql<{ id: string; name: string | null }>`
        WITH RECURSIVE p(id) AS (
          SELECT min(${id}) FROM consultation
          UNION ALL
          SELECT (SELECT min(${id}) FROM consultation WHERE ${id} > p.id) FROM p
          WHERE p.id IS NOT NULL
        )
        SELECT p.id AS id,
          (SELECT ${name} FROM consultation WHERE ${id} = p.id LIMIT 1) AS name
        FROM p WHERE p.id IS NOT NULL`.execute(db);
      for (const r of rows.rows) if (!found.has(r.id)) found.set(r.id, r.name ?? r.id);
    }
    return [...found].map(([id, name]) => ({ id, name }));
  }

  /** Counts of records received in `[from, before)`, per Tokyo month, channel, category and state. */
  async monthCounts(db: Conn, from: string, before: string): Promise<MonthCountRow[]> {
    const month = this.month();
    const rows = await db
      .selectFrom('consultation')
      .select([
        month.as('month'),
        'channel',
        'category_id',
        'state',
        (eb) => eb.fn.countAll<number>().as('n'),
      ])
      .where('received_at', '>=', from)
      .where('received_at', '<', before)
      .groupBy([month, 'channel', 'category_id', 'state'])
      .execute();
    return rows.map((r) => ({
      month: r.month,
      channel: r.channel,
      categoryId: r.category_id,
      state: r.state,
      n: Number(r.n),
    }));
  }

  /** For each record received in `[from, before)`: its first create, claim, dispatch and answer. */
  async milestones(db: Conn, from: string, before: string): Promise<MilestoneRow[]> {
    const first = (action: string) =>
      sql<
        string | null
      >`min(CASE WHEN consultation_history.action = ${action} THEN consultation_history.at END)`;
    const rows = await db
      .selectFrom('consultation')
      .innerJoin('consultation_history', 'consultation_history.consultation_id', 'consultation.id')
      .select([
        'consultation.id as id',
        this.month().as('month'),
        first('create').as('created'),
        first('claim').as('claimed'),
        first('dispatch').as('dispatched'),
        first('answer').as('answered'),
        first('close').as('closed'),
      ])
      .where('consultation.received_at', '>=', from)
      .where('consultation.received_at', '<', before)
      .where('consultation_history.action', 'in', [
        'create',
        'claim',
        'dispatch',
        'answer',
        'close',
      ])
      // Grouped by the primary key, so PostgreSQL accepts the month computed from its row.
      .groupBy('consultation.id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      month: r.month,
      created: r.created,
      claimed: r.claimed,
      dispatched: r.dispatched,
      answered: r.answered,
      closed: r.closed,
    }));
  }

  /** Records received in `[from, before)`, oldest first, `limit` at a time after `cursor`. */
  async exportBatch(
    db: Conn,
    from: string,
    before: string,
    cursor: ExportCursor | null,
    limit: number,
  ): Promise<Consultation[]> {
    let q = db
      .selectFrom('consultation')
      .selectAll()
      .where('received_at', '>=', from)
      .where('received_at', '<', before);
    if (cursor) {
      q = q.where((eb) =>
        eb.or([
          eb('received_at', '>', cursor.receivedAt),
          eb.and([eb('received_at', '=', cursor.receivedAt), eb('id', '>', cursor.id)]),
        ]),
      );
    }
    const rows = await q.orderBy('received_at').orderBy('id').limit(limit).execute();
    return rows.map(toConsultation);
  }

  /** The text, sender, linker and attachments of a record's emails, by email id. */
  async emailContent(db: Conn, consultationId: number): Promise<Map<number, EmailContent>> {
    const [emails, attachments] = await Promise.all([
      db
        .selectFrom('consultation_email')
        .select([
          'id',
          'sender_address',
          'body_text',
          'body_truncated',
          'linked_by_id',
          'linked_by_name',
        ])
        .where('consultation_id', '=', consultationId)
        .execute(),
      db
        .selectFrom('consultation_attachment')
        .select(['email_id', 'name', 'content_type', 'size', 'sha256', 'skipped_ja', 'skipped_en'])
        .where('consultation_id', '=', consultationId)
        .orderBy('id')
        .execute(),
    ]);
    const byId = new Map<number, EmailContent>();
    for (const e of emails) {
      byId.set(e.id, {
        sender: e.sender_address,
        bodyText: e.body_text,
        bodyTruncated: e.body_truncated === 1,
        linkedBy: e.linked_by_id
          ? { id: e.linked_by_id, name: e.linked_by_name ?? e.linked_by_id }
          : null,
        attachments: [],
      });
    }
    for (const a of attachments) {
      byId.get(a.email_id)?.attachments.push({
        name: a.name,
        contentType: a.content_type,
        size: a.size,
        kept: a.sha256 !== null,
        skipped:
          a.skipped_ja || a.skipped_en ? { ja: a.skipped_ja ?? '', en: a.skipped_en ?? '' } : null,
      });
    }
    return byId;
  }

  /** Every answer of these records, oldest first. */
  async answersOf(db: Conn, ids: readonly number[]): Promise<Map<number, Answer[]>> {
    const byRecord = new Map<number, Answer[]>();
    if (ids.length === 0) return byRecord;
    const rows = await db
      .selectFrom('consultation_answer')
      .selectAll()
      .where('consultation_id', 'in', [...ids])
      .orderBy('id')
      .execute();
    for (const r of rows) {
      const list = byRecord.get(r.consultation_id) ?? [];
      list.push(toAnswer(r));
      byRecord.set(r.consultation_id, list);
    }
    return byRecord;
  }

  /**
   * Who answered these records and when, from their history, oldest first: for records
   * whose answers were erased with their personal data (the text is gone).
   */
  async answerEntriesOf(db: Conn, ids: readonly number[]): Promise<Map<number, AnswerFact[]>> {
    const byRecord = new Map<number, AnswerFact[]>();
    if (ids.length === 0) return byRecord;
    const rows = await db
      .selectFrom('consultation_history')
      .select(['consultation_id', 'actor_id', 'actor_name', 'at'])
      .where('consultation_id', 'in', [...ids])
      .where('action', '=', 'answer')
      .orderBy('id')
      .execute();
    for (const r of rows) {
      const list = byRecord.get(r.consultation_id) ?? [];
      list.push({ createdAt: r.at, author: { id: r.actor_id, name: r.actor_name }, body: null });
      byRecord.set(r.consultation_id, list);
    }
    return byRecord;
  }

  /** Notes an export of personal data (who, when, what, how many, whether completed). */
  async addExport(db: Conn, row: Insertable<LedgerExportTable>): Promise<void> {
    await db.insertInto('ledger_export').values(row).execute();
  }

  /** The latest exports, newest first. */
  async exports(db: Conn, limit: number): Promise<Array<Selectable<LedgerExportTable>>> {
    return db
      .selectFrom('ledger_export')
      .selectAll()
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }
}
