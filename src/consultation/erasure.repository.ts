import { sql } from 'kysely';
import { moveDocument } from '../store/pg-trigrams';
import type { Db, Dialect, Trx } from '../store/store';
import { toConsultation } from './consultation.repository';
import type { Consultation, ErasureReason, Situation } from './types';

type Conn = Db | Trx;

/**
 * Keys of a history entry's `before` / `after` that say nothing of the consulter: states,
 * categories, staff, counts, ids, outcomes. Everything else (the reasons people typed,
 * addresses, subjects) is taken out when a record is erased.
 */
export const HISTORY_FACT_KEYS: ReadonlySet<string> = new Set([
  'state',
  'channel',
  'categoryId',
  'urgency',
  'firstLineOwner',
  'specialist',
  'coordinationNeeded',
  'closedAt',
  'teamsCard',
  'delivery',
  'source',
  'answerId',
  'emailId',
  'attachmentCount',
  'attachmentsKept',
  'bodyTruncated',
  'method',
  'attempt',
  'status',
  'graphStatus',
  'code',
  'language',
  'privacyNotice',
  'erasure',
  // Which fields a correction changed (their names, not their values).
  'fields',
]);

/** The situation's answers without the consulter's words (the yes / no / unknown stay). */
function situationFacts(s: Situation): Situation {
  return {
    whatHappened: null,
    since: null,
    ongoing: s.ongoing,
    systems: null,
    dataAtRisk: s.dataAtRisk,
    actionsTaken: null,
    contacted: null,
    evidence: null,
  };
}

/** Only the fact keys of a history entry's JSON; null when nothing is left. */
function historyFacts(jsonText: string | null): string | null {
  if (jsonText === null) return null;
  const value = JSON.parse(jsonText) as Record<string, unknown>;
  const kept = Object.entries(value).filter(([k]) => HISTORY_FACT_KEYS.has(k));
  return kept.length ? JSON.stringify(Object.fromEntries(kept)) : null;
}

/** The queries of erasure and retention. */
export class ErasureRepository {
  constructor(private readonly dialect: Dialect) {}

  /**
   * Erases a closed record's personal data if it is still at the version the caller read
   * and not erased: the consulter's fields and words on the record, its notes, answers,
   * emails with their attachments, owed notices and thread lines (a line may quote the
   * consulter's email), search text, and the free text in its history. The row stays
   * (number, channel, category, dates, staff, states) with a new version, so its Teams
   * card is redrawn. Returns the record as erased, or null when someone changed it first.
   */
  async erase(
    trx: Trx,
    c: Consultation,
    reason: ErasureReason,
    at: string,
  ): Promise<Consultation | null> {
    const row = await trx
      .updateTable('consultation')
      .set({
        consulter_organisation: null,
        consulter_person: null,
        consulter_email: null,
        consulter_phone: null,
        consulter_industry: null,
        consulter_employees: null,
        consulter_municipality: null,
        organisation_key: null,
        email_key: null,
        phone_key: null,
        subject: '',
        details: '',
        situation: JSON.stringify(situationFacts(c.situation)),
        coordination_reason: null,
        tags: '[]',
        erased_at: at,
        erasure_reason: reason,
        updated_at: at,
        version: c.version + 1,
      })
      .where('id', '=', c.id)
      .where('state', '=', 'closed')
      .where('version', '=', c.version)
      .where('erased_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!row) return null;

    for (const table of [
      'consultation_attachment',
      'consultation_email',
      'consultation_answer',
      'consultation_note',
      'notice',
      'thread_line',
    ] as const) {
      await trx.deleteFrom(table).where('consultation_id', '=', c.id).execute();
    }
    if (this.dialect === 'sqlite') {
      await sql`DELETE FROM consultation_fts WHERE rowid = ${c.id}`.execute(trx);
    } else {
      const doc = await trx
        .deleteFrom('consultation_search')
        .where('consultation_id', '=', c.id)
        .returning('body')
        .executeTakeFirst();
      // Its keys leave the term list, unless other documents hold them.
      await moveDocument(trx, doc?.body ?? '', '');
    }
    await this.scrubHistory(trx, c.id);
    return toConsultation(row);
  }

  /**
   * Closed records not yet erased, closed before `before`, oldest id first after
   * `afterId`: those with another record of the same consulter that is open or was closed
   * since (`kept`), and those without (`due`).
   */
  async closedBefore(
    db: Conn,
    before: string,
    afterId: number,
    limit: number,
  ): Promise<Array<{ id: number; kept: boolean }>> {
    const rows = await db
      .selectFrom('consultation as c')
      .select('c.id')
      .select((eb) =>
        eb
          .exists(
            eb
              .selectFrom('consultation as o')
              .select('o.id')
              .whereRef('o.id', '<>', 'c.id')
              .where((o) =>
                o.or([
                  o('o.organisation_key', '=', o.ref('c.organisation_key')),
                  o('o.email_key', '=', o.ref('c.email_key')),
                  o('o.phone_key', '=', o.ref('c.phone_key')),
                ]),
              )
              .where((o) => o.or([o('o.state', '<>', 'closed'), o('o.closed_at', '>=', before)])),
          )
          .as('kept'),
      )
      .where('c.state', '=', 'closed')
      .where('c.erased_at', 'is', null)
      .where('c.closed_at', '<', before)
      .where('c.id', '>', afterId)
      .orderBy('c.id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, kept: Boolean(r.kept) }));
  }

  /** Rewrites the record's history entries to their fact keys (only those that change). */
  private async scrubHistory(trx: Trx, consultationId: number): Promise<void> {
    const entries = await trx
      .selectFrom('consultation_history')
      .select(['id', 'before_json', 'after_json'])
      .where('consultation_id', '=', consultationId)
      .execute();
    for (const e of entries) {
      const before = historyFacts(e.before_json);
      const after = historyFacts(e.after_json);
      if (before === e.before_json && after === e.after_json) continue;
      await trx
        .updateTable('consultation_history')
        .set({ before_json: before, after_json: after })
        .where('id', '=', e.id)
        .execute();
    }
  }
}
