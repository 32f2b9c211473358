import {
  expressionBuilder,
  sql,
  type Expression,
  type ExpressionBuilder,
  type RawBuilder,
  type Selectable,
  type SqlBool,
} from 'kysely';
import { ValidationError } from '../errors';
import { localize } from '../i18n/messages';
import type { AnswerTable, Database, ConsultationTable, HistoryTable } from '../store/schema';
import type { Db, Dialect, Trx } from '../store/store';
import { escapeLike, moveDocument, shortTermCondition } from '../store/pg-trigrams';
import { charLength, MAX_CHAR, searchDocument, searchTerms } from '../store/search-text';
import { consulterKeys, type ConsulterKeys } from './consulter-keys';
import type {
  Action,
  Answer,
  AnswerEmail,
  Channel,
  Consultation,
  DeliveryStatus,
  ErasureReason,
  HistoryEntry,
  LinkedEmail,
  Note,
  PersonRef,
  State,
  TeamsCardRef,
  Urgency,
} from './types';

type Conn = Db | Trx;
type Row = Selectable<ConsultationTable>;

/** A new record as the service has decided it, before it has an id. */
export type NewConsultation = Omit<Consultation, 'id' | 'teamsCard' | 'closedAt' | 'erasure'>;

/** Fields a transition may change. */
export type ConsultationPatch = Partial<
  Pick<
    Consultation,
    | 'state'
    | 'categoryId'
    | 'urgency'
    | 'firstLineOwner'
    | 'specialist'
    | 'coordinationNeeded'
    | 'coordinationReason'
    | 'tags'
    | 'teamsCard'
    | 'closedAt'
    | 'consulter'
    | 'subject'
    | 'details'
    | 'situation'
  >
>;

/** A new answer; without delivery details it is recorded (phone, counter, none). */
export type NewAnswer = Pick<
  Answer,
  'consultationId' | 'author' | 'line' | 'body' | 'delivery' | 'createdAt'
> & {
  deliveryStatus?: DeliveryStatus;
  email?: Pick<AnswerEmail, 'method' | 'to' | 'cc' | 'subject' | 'inReplyTo'> | null;
  attempts?: number;
  requestId?: string | null;
};

export interface ListQuery {
  /** Words to find anywhere in the record, its notes and answers (all must occur). */
  text?: string;
  states?: readonly State[];
  channels?: readonly Channel[];
  categoryIds?: readonly string[];
  urgencies?: readonly Urgency[];
  /** First-line owner or specialist. */
  personId?: string;
  /** Inclusive lower bound of the received time (ISO). */
  receivedFrom?: string;
  /** Exclusive upper bound of the received time (ISO). */
  receivedBefore?: string;
  /** A record and its consulter's keys: that record and the others sharing any key. */
  sameConsulter?: { id: number; keys: ConsulterKeys };
  limit: number;
  offset: number;
}

export interface ListResult {
  items: Consultation[];
  /** How many records match; with `totalIsLowerBound`, at least this many. */
  total: number;
  /** Set when a text search matched so many records that it stopped counting. */
  totalIsLowerBound?: true;
}

/** A text search counts its matches up to here; past it the total is a lower bound. */
export const SEARCH_COUNT_LIMIT = 1000;
/** Matches a text search reads from the index in its first round; each next round reads 4×. */
const FIRST_ROUND = 128;
const LAST_ROUND = 65536;
/** Index entries a search scans without weighing the cost (a few milliseconds). */
const CHEAP_SCAN = 50_000;
/** Entries of the received-time index scanned in the time of one match read and looked up. */
const SCAN_STEPS_PER_READ = 40;

/** Short terms are looked up among the index's trigrams; past this many the term is too common to search. */
const MAX_EXPANDED_TRIGRAMS = 4000;

const json = (value: unknown) => JSON.stringify(value);

/**
 * Records sharing any of a consulter's keys (organisation, email address, phone
 * number), each found through its own index; null when the consulter has none.
 */
function sharesKeys(
  keys: ConsulterKeys,
): ((eb: ExpressionBuilder<Database, 'consultation'>) => Expression<SqlBool>) | null {
  const given = (
    [
      ['organisation_key', keys.organisation],
      ['email_key', keys.email],
      ['phone_key', keys.phone],
    ] as const
  ).filter(([, value]) => value !== null);
  if (given.length === 0) return null;
  return (eb) => eb.or(given.map(([column, value]) => eb(column, '=', value!)));
}

/** Every query of consultation records: rows in, domain objects out. One code path for both dialects. */
export class ConsultationRepository {
  constructor(private readonly dialect: Dialect) {}

  /** The next number of a fiscal year; rolled back with the transaction, so there are no gaps. */
  async nextSeq(trx: Trx, fiscalYear: number): Promise<number> {
    const row = await trx
      .insertInto('number_sequence')
      .values({ fiscal_year: fiscalYear, last_value: 1 })
      .onConflict((oc) =>
        oc.column('fiscal_year').doUpdateSet({ last_value: sql`number_sequence.last_value + 1` }),
      )
      .returning('last_value')
      .executeTakeFirstOrThrow();
    return row.last_value;
  }

  async insert(trx: Trx, c: NewConsultation & { seq: number }): Promise<number> {
    const keys = consulterKeys(c.consulter);
    const row = await trx
      .insertInto('consultation')
      .values({
        number: c.number,
        fiscal_year: c.fiscalYear,
        seq: c.seq,
        channel: c.channel,
        state: c.state,
        received_at: c.receivedAt,
        consulter_organisation: c.consulter.organisation,
        consulter_person: c.consulter.person,
        consulter_email: c.consulter.email,
        consulter_phone: c.consulter.phone,
        consulter_industry: c.consulter.industry,
        consulter_employees: c.consulter.employees,
        consulter_municipality: c.consulter.municipality,
        organisation_key: keys.organisation,
        email_key: keys.email,
        phone_key: keys.phone,
        category_id: c.categoryId,
        urgency: c.urgency,
        subject: c.subject,
        details: c.details,
        situation: json(c.situation),
        first_line_owner_id: c.firstLineOwner?.id ?? null,
        first_line_owner_name: c.firstLineOwner?.name ?? null,
        specialist_id: c.specialist?.id ?? null,
        specialist_name: c.specialist?.name ?? null,
        coordination_needed: c.coordinationNeeded === null ? null : Number(c.coordinationNeeded),
        coordination_reason: c.coordinationReason,
        tags: json(c.tags),
        created_by_id: c.createdBy.id,
        created_by_name: c.createdBy.name,
        created_at: c.createdAt,
        updated_at: c.updatedAt,
        version: c.version,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async findById(db: Conn, id: number): Promise<Consultation | null> {
    const row = await db
      .selectFrom('consultation')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toConsultation(row) : null;
  }

  /** The record whose Teams card is this message (`activityId`) in this channel. */
  async findByCard(
    db: Conn,
    conversationId: string,
    activityId: string,
  ): Promise<Consultation | null> {
    const row = await db
      .selectFrom('consultation')
      .selectAll()
      .where('card_activity_id', '=', activityId)
      .where('card_conversation_id', '=', conversationId)
      .executeTakeFirst();
    return row ? toConsultation(row) : null;
  }

  async findByNumber(db: Conn, number: string): Promise<Consultation | null> {
    const row = await db
      .selectFrom('consultation')
      .selectAll()
      .where('number', '=', number)
      .executeTakeFirst();
    return row ? toConsultation(row) : null;
  }

  /**
   * The consulter's other records (sharing any of `keys`), erased ones left out: at most
   * `limit` — the open ones first, then the latest closed — newest received first, and
   * how many there are in all.
   */
  async related(
    db: Conn,
    id: number,
    keys: ConsulterKeys,
    limit: number,
  ): Promise<{ records: Consultation[]; total: number }> {
    const shared = sharesKeys(keys);
    if (!shared) return { records: [], total: 0 };
    const same = (eb: ExpressionBuilder<Database, 'consultation'>) =>
      eb.and([eb('id', '<>', id), shared(eb)]);
    // How many there are, counted before the limit: one statement for both.
    const rows = await db
      .selectFrom('consultation')
      .selectAll()
      .select(sql<number>`count(*) over ()`.as('total'))
      .where(same)
      .orderBy(sql`CASE WHEN state = 'closed' THEN 1 ELSE 0 END`)
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    const records = rows
      .map(toConsultation)
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt) || b.id - a.id);
    return { records, total: Number(rows[0]?.total ?? 0) };
  }

  /** The records in a state received longest ago (at most `limit`), and how many are in it. */
  async oldestIn(
    db: Conn,
    state: State,
    limit: number,
  ): Promise<{ records: Consultation[]; total: number }> {
    const rows = await db
      .selectFrom('consultation')
      .selectAll()
      .select(sql<number>`count(*) over ()`.as('total'))
      .where('state', '=', state)
      .orderBy('received_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return { records: rows.map(toConsultation), total: Number(rows[0]?.total ?? 0) };
  }

  /**
   * The latest closed records of a category that were answered, erased ones left out,
   * newest received first: the records a case's similar ones are looked for among.
   */
  async answeredInCategory(
    db: Conn,
    categoryId: string,
    exceptId: number,
    limit: number,
  ): Promise<Consultation[]> {
    const rows = await db
      .selectFrom('consultation')
      .selectAll()
      .where('category_id', '=', categoryId)
      .where('state', '=', 'closed')
      .where('erased_at', 'is', null)
      .where('id', '<>', exceptId)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('consultation_answer')
            .select('consultation_answer.id')
            .whereRef('consultation_answer.consultation_id', '=', 'consultation.id'),
        ),
      )
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toConsultation);
  }

  /** Each record's latest answer, by record id (records without one are not in the map). */
  async latestAnswers(db: Conn, consultationIds: readonly number[]): Promise<Map<number, Answer>> {
    if (consultationIds.length === 0) return new Map();
    const rows = await db
      .selectFrom('consultation_answer')
      .selectAll()
      .where('consultation_id', 'in', [...consultationIds])
      .orderBy('id')
      .execute();
    return new Map(rows.map((r) => [r.consultation_id, toAnswer(r)]));
  }

  /**
   * Applies a change only if the record is still in the state and version the caller
   * read, and returns the record as the change left it (one statement, `RETURNING`).
   * Returns null when someone else changed it first.
   */
  async updateGuarded(
    trx: Trx,
    id: number,
    expected: { state: State; version: number },
    patch: ConsultationPatch,
    at: string,
  ): Promise<Consultation | null> {
    const row = await trx
      .updateTable('consultation')
      .set({
        ...toPatchRow(patch),
        updated_at: at,
        version: expected.version + 1,
      })
      .where('id', '=', id)
      .where('state', '=', expected.state)
      .where('version', '=', expected.version)
      .returningAll()
      .executeTakeFirst();
    return row ? toConsultation(row) : null;
  }

  /**
   * Where the record's Teams card is, and which version of the record it shows;
   * bookkeeping, so the version does not move.
   */
  async setCard(
    trx: Trx,
    id: number,
    card: TeamsCardRef | null,
    shownVersion: number | null,
  ): Promise<void> {
    await trx
      .updateTable('consultation')
      .set({
        card_conversation_id: card?.conversationId ?? null,
        card_activity_id: card?.activityId ?? null,
        card_version: card ? shownVersion : null,
      })
      .where('id', '=', id)
      .execute();
  }

  /** The card now shows `version` of its record (never an older one than it showed). */
  async setCardShown(db: Conn, id: number, version: number): Promise<void> {
    await db
      .updateTable('consultation')
      .set({ card_version: version })
      .where('id', '=', id)
      .where('card_activity_id', 'is not', null)
      .where((eb) => eb.or([eb('card_version', 'is', null), eb('card_version', '<', version)]))
      .execute();
  }

  /**
   * Open records without a channel card, created before `createdBefore`, that no instance
   * is posting now: oldest first (found through `consultation_card`).
   */
  async cardsMissing(
    db: Conn,
    opts: { createdBefore: string; now: string; limit: number },
  ): Promise<number[]> {
    const rows = await db
      .selectFrom('consultation')
      .select('id')
      .where('card_activity_id', 'is', null)
      .where('state', '<>', 'closed')
      .where('created_at', '<', opts.createdBefore)
      .where((eb) =>
        eb.or([eb('card_posting_until', 'is', null), eb('card_posting_until', '<', opts.now)]),
      )
      .orderBy('id')
      .limit(opts.limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /**
   * Forgets the cards of open records in a channel Teams deleted, so that they are posted
   * again in the next intake channel; how many. Closed records keep where theirs was.
   */
  async unlinkOpenCards(db: Conn, conversationId: string): Promise<number> {
    const result = await db
      .updateTable('consultation')
      .set({ card_conversation_id: null, card_activity_id: null, card_version: null })
      .where('card_conversation_id', '=', conversationId)
      .where('state', '<>', 'closed')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Takes the posting of a record's first channel card until `until`: false when it has a
   * card, or another instance is posting it.
   */
  async takeCardPosting(db: Conn, id: number, now: string, until: string): Promise<boolean> {
    const result = await db
      .updateTable('consultation')
      .set({ card_posting_until: until })
      .where('id', '=', id)
      .where('card_activity_id', 'is', null)
      .where((eb) =>
        eb.or([eb('card_posting_until', 'is', null), eb('card_posting_until', '<', now)]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Records whose card shows an older version than theirs, oldest first (the partial index). */
  async cardsBehind(db: Conn, limit: number): Promise<number[]> {
    const rows = await db
      .selectFrom('consultation')
      .select('id')
      .where('card_activity_id', 'is not', null)
      .where((eb) =>
        eb.or([eb('card_version', 'is', null), eb('card_version', '<', eb.ref('version'))]),
      )
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  async appendHistory(trx: Trx, entry: Omit<HistoryEntry, 'id'>): Promise<void> {
    await trx
      .insertInto('consultation_history')
      .values({
        consultation_id: entry.consultationId,
        action: entry.action,
        actor_id: entry.actor.id,
        actor_name: entry.actor.name,
        at: entry.at,
        from_state: entry.fromState,
        to_state: entry.toState,
        before_json: entry.before ? json(entry.before) : null,
        after_json: entry.after ? json(entry.after) : null,
        request_id: entry.requestId,
        version: entry.version ?? null,
      })
      .execute();
  }

  /**
   * The actions that made the record's versions after `version`, oldest first (one per
   * version, unless an entry from before versions were recorded is among them).
   */
  async actionsSince(db: Conn, consultationId: number, version: number): Promise<Action[]> {
    const rows = await db
      .selectFrom('consultation_history')
      .select('action')
      .where('consultation_id', '=', consultationId)
      .where('version', '>', version)
      .orderBy('version')
      .execute();
    return rows.map((r) => r.action as Action);
  }

  /** The history entry a request already produced, if it was handled before (a redelivery). */
  async findByRequest(db: Conn, requestId: string, action: Action): Promise<HistoryEntry | null> {
    const row = await db
      .selectFrom('consultation_history')
      .selectAll()
      .where('request_id', '=', requestId)
      .where('action', '=', action)
      .executeTakeFirst();
    return row ? toHistory(row) : null;
  }

  /** The latest change a person made (the system's own bookkeeping is left out). */
  async lastHistory(db: Conn, consultationId: number): Promise<HistoryEntry | null> {
    const row = await db
      .selectFrom('consultation_history')
      .selectAll()
      .where('consultation_id', '=', consultationId)
      // Book-keeping by the system, not a change anyone made to the case.
      .where('action', 'not in', ['link-card', 'acknowledge'])
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? toHistory(row) : null;
  }

  async history(db: Conn, consultationId: number): Promise<HistoryEntry[]> {
    const rows = await db
      .selectFrom('consultation_history')
      .selectAll()
      .where('consultation_id', '=', consultationId)
      .orderBy('id')
      .execute();
    return rows.map(toHistory);
  }

  async insertNote(trx: Trx, note: Omit<Note, 'id'>): Promise<number> {
    const row = await trx
      .insertInto('consultation_note')
      .values({
        consultation_id: note.consultationId,
        author_id: note.author.id,
        author_name: note.author.name,
        body: note.body,
        source: note.source,
        created_at: note.createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async notes(db: Conn, consultationId: number): Promise<Note[]> {
    const rows = await db
      .selectFrom('consultation_note')
      .selectAll()
      .where('consultation_id', '=', consultationId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      consultationId: r.consultation_id,
      author: { id: r.author_id, name: r.author_name },
      body: r.body,
      source: r.source as Note['source'],
      createdAt: r.created_at,
    }));
  }

  async insertAnswer(trx: Trx, answer: NewAnswer): Promise<number> {
    const email = answer.email ?? null;
    const row = await trx
      .insertInto('consultation_answer')
      .values({
        consultation_id: answer.consultationId,
        author_id: answer.author.id,
        author_name: answer.author.name,
        line: answer.line,
        body: answer.body,
        delivery: answer.delivery,
        created_at: answer.createdAt,
        delivery_status: answer.deliveryStatus ?? 'recorded',
        request_id: answer.requestId ?? null,
        mail_method: email?.method ?? null,
        mail_to: email ? json(email.to) : null,
        mail_cc: email ? json(email.cc) : null,
        mail_subject: email?.subject ?? null,
        reply_to_message_id: email?.inReplyTo ?? null,
        attempts: answer.attempts ?? 0,
        delivery_updated_at: answer.createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async answers(db: Conn, consultationId: number): Promise<Answer[]> {
    const rows = await db
      .selectFrom('consultation_answer')
      .selectAll()
      .where('consultation_id', '=', consultationId)
      .orderBy('id')
      .execute();
    return rows.map(toAnswer);
  }

  async findAnswer(db: Conn, answerId: number): Promise<Answer | null> {
    const row = await db
      .selectFrom('consultation_answer')
      .selectAll()
      .where('id', '=', answerId)
      .executeTakeFirst();
    return row ? toAnswer(row) : null;
  }

  /** The answer a request recorded, if it was handled before (a redelivery). */
  async answerByRequest(db: Conn, requestId: string): Promise<Answer | null> {
    const row = await db
      .selectFrom('consultation_answer')
      .selectAll()
      .where('request_id', '=', requestId)
      .executeTakeFirst();
    return row ? toAnswer(row) : null;
  }

  async emails(db: Conn, consultationId: number): Promise<LinkedEmail[]> {
    const rows = await db
      .selectFrom('consultation_email')
      .selectAll()
      .where('consultation_id', '=', consultationId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      consultationId: r.consultation_id,
      graphMessageId: r.graph_message_id,
      internetMessageId: r.internet_message_id,
      conversationId: r.conversation_id,
      subject: r.subject,
      receivedAt: r.received_at,
      linkedAt: r.linked_at,
    }));
  }

  /** Rewrites the search document of one record from its current fields, notes and answers. */
  async reindex(trx: Trx, id: number): Promise<void> {
    const c = await this.findById(trx, id);
    if (!c) return;
    const [notes, answers, emails] = await Promise.all([
      this.notes(trx, id),
      this.answers(trx, id),
      trx
        .selectFrom('consultation_email')
        .select(['subject', 'body_text'])
        .where('consultation_id', '=', id)
        .orderBy('id')
        .execute(),
    ]);
    const body = searchDocument([
      c.number,
      c.subject,
      c.details,
      c.consulter.organisation,
      c.consulter.person,
      c.consulter.email,
      c.consulter.phone,
      c.consulter.industry,
      c.consulter.municipality,
      c.situation.whatHappened,
      c.situation.since,
      c.situation.systems,
      c.situation.actionsTaken,
      c.situation.contacted,
      c.situation.evidence,
      c.coordinationReason,
      ...c.tags,
      ...notes.map((n) => n.body),
      ...answers.map((a) => a.body),
      // Emails added to the case later (follow-ups); the converted email's text is
      // already the details, and is not indexed twice.
      ...emails.flatMap((e) => [
        e.subject,
        e.body_text && !c.details.includes(e.body_text.slice(0, 200)) ? e.body_text : null,
      ]),
    ]);
    if (this.dialect === 'sqlite') {
      await sql`DELETE FROM consultation_fts WHERE rowid = ${id}`.execute(trx);
      await sql`INSERT INTO consultation_fts (rowid, body) VALUES (${id}, ${body})`.execute(trx);
    } else {
      // Locked: the term list moves from the text another writer may be replacing too.
      const old = await trx
        .selectFrom('consultation_search')
        .select('body')
        .where('consultation_id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      await trx
        .insertInto('consultation_search')
        .values({ consultation_id: id, body })
        .onConflict((oc) => oc.column('consultation_id').doUpdateSet({ body }))
        .execute();
      await moveDocument(trx, old?.body ?? '', body);
    }
  }

  /**
   * Records matching every filter, newest received first, with the total count. A text
   * search stops counting past `SEARCH_COUNT_LIMIT` matches and says so.
   */
  async list(db: Conn, q: ListQuery): Promise<ListResult> {
    const filter = (eb: ExpressionBuilder<Database, 'consultation'>) => {
      const and: Expression<SqlBool>[] = [];
      if (q.states?.length) and.push(eb('state', 'in', [...q.states]));
      if (q.channels?.length) and.push(eb('channel', 'in', [...q.channels]));
      if (q.categoryIds?.length) and.push(eb('category_id', 'in', [...q.categoryIds]));
      if (q.urgencies?.length) and.push(eb('urgency', 'in', [...q.urgencies]));
      if (q.personId) {
        and.push(
          eb.or([eb('first_line_owner_id', '=', q.personId), eb('specialist_id', '=', q.personId)]),
        );
      }
      if (q.receivedFrom) and.push(eb('received_at', '>=', q.receivedFrom));
      if (q.receivedBefore) and.push(eb('received_at', '<', q.receivedBefore));
      if (q.sameConsulter) {
        const shared = sharesKeys(q.sameConsulter.keys);
        const self = eb('id', '=', q.sameConsulter.id);
        and.push(shared ? eb.or([self, shared(eb)]) : self);
      }
      return eb.and(and);
    };

    const terms = q.text ? searchTerms(q.text) : [];
    if (terms.length === 0) {
      const [rows, count] = await Promise.all([
        this.page(db, q, filter),
        db
          .selectFrom('consultation')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where(filter)
          .executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toConsultation), total: Number(count.n) };
    }

    if (this.dialect === 'postgres') {
      // One- and two-character terms through the keys that contain them, when they are few.
      const few = await this.pgFewMatches(db, terms);
      if (few) return this.among(db, q, filter, few);
      // pg_trgm's GIN index serves LIKE for 3+ characters; shorter terms are checked row by row.
      const likes = terms.map((t) => sql<SqlBool>`s.body LIKE ${'%' + escapeLike(t) + '%'}`);
      const cond = sql.join(likes, sql` AND `);
      const where = (eb: ExpressionBuilder<Database, 'consultation'>) =>
        eb.and([
          filter(eb),
          eb(
            'consultation.id',
            'in',
            sql<number>`(SELECT s.consultation_id FROM consultation_search s WHERE ${cond})`,
          ),
        ]);
      const [rows, count] = await Promise.all([
        this.page(db, q, where),
        db
          .selectFrom((qb) =>
            qb
              .selectFrom('consultation')
              .select('id')
              .where(where)
              .limit(SEARCH_COUNT_LIMIT + 1)
              .as('m'),
          )
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      ]);
      const n = Number(count.n);
      return n > SEARCH_COUNT_LIMIT
        ? { items: rows.map(toConsultation), total: n, totalIsLowerBound: true }
        : { items: rows.map(toConsultation), total: n };
    }

    // One snapshot for the several statements of a search.
    return db.isTransaction
      ? this.searchSqlite(db, q, terms, filter)
      : db.transaction().execute((trx) => this.searchSqlite(trx, q, terms, filter));
  }

  /**
   * On PostgreSQL, the ids of the documents holding every term, when a term is one or
   * two characters long and few documents hold it (`pg-trigrams.ts`), and few hold them
   * all (at most `SEARCH_COUNT_LIMIT`); otherwise null, and the search reads row by row.
   */
  private async pgFewMatches(db: Conn, terms: readonly string[]): Promise<number[] | null> {
    if (!terms.some((t) => charLength(t) <= 2)) return null;
    const conds: RawBuilder<SqlBool>[] = [];
    let indexed = false;
    for (const t of terms) {
      if (charLength(t) > 2) {
        conds.push(sql<SqlBool>`s.body LIKE ${'%' + escapeLike(t) + '%'}`);
        continue;
      }
      const cond = await shortTermCondition(db, t);
      // A common short term is checked on the documents the others find.
      conds.push(cond ?? sql<SqlBool>`strpos(s.body, ${t}) > 0`);
      indexed ||= cond !== null;
    }
    if (!indexed) return null;
    const find = async (trx: Conn) => {
      // Estimates for these conditions are poor; reading every document never pays here.
      await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      const { rows } = await sql<{ id: number }>`
        SELECT s.consultation_id AS id FROM consultation_search s
        WHERE ${sql.join(conds, sql` AND `)}
        LIMIT ${SEARCH_COUNT_LIMIT + 1}`.execute(trx);
      await sql`SET LOCAL enable_seqscan = on`.execute(trx);
      return rows.map((r) => r.id);
    };
    const ids = db.isTransaction ? await find(db) : await db.transaction().execute(find);
    return ids.length > SEARCH_COUNT_LIMIT ? null : ids;
  }

  /** A page of the records among `ids` that pass the filters, with their exact count. */
  private async among(
    db: Conn,
    q: ListQuery,
    filter: (eb: ExpressionBuilder<Database, 'consultation'>) => Expression<SqlBool>,
    ids: readonly number[],
  ): Promise<ListResult> {
    if (ids.length === 0) return { items: [], total: 0 };
    const where = (eb: ExpressionBuilder<Database, 'consultation'>) =>
      eb.and([filter(eb), eb('consultation.id', 'in', [...ids])]);
    const [rows, count] = await Promise.all([
      this.page(db, q, where),
      db
        .selectFrom('consultation')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(where)
        .executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(toConsultation), total: Number(count.n) };
  }

  private page(
    db: Conn,
    q: ListQuery,
    where: (eb: ExpressionBuilder<Database, 'consultation'>) => Expression<SqlBool>,
  ): Promise<Row[]> {
    return db
      .selectFrom('consultation')
      .selectAll()
      .where(where)
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
      .limit(q.limit)
      .offset(q.offset)
      .execute();
  }

  /**
   * A text search on SQLite. The full-text index hands out matches newest id first and
   * stops when asked, so the search reads them in rounds, keeps those that pass the other
   * filters, and stops as soon as the page is certain and enough have been counted — not
   * after reading every match of a common word.
   *
   * Ids are not quite in received order (a consultation may be recorded after a later
   * one was received), so a round ends the search only when no record below the lowest
   * id read was received at or after the last record the page needs.
   */
  private async searchSqlite(
    db: Conn,
    q: ListQuery,
    terms: string[],
    filter: (eb: ExpressionBuilder<Database, 'consultation'>) => Expression<SqlBool>,
  ): Promise<ListResult> {
    const match = await this.ftsMatch(db, terms);
    if (match === null) return { items: [], total: 0 };

    const cond = filter(expressionBuilder<Database, 'consultation'>());
    const filtered = !!(
      q.states?.length ||
      q.channels?.length ||
      q.categoryIds?.length ||
      q.urgencies?.length ||
      q.personId ||
      q.receivedFrom ||
      q.receivedBefore
    );
    const want = q.offset + q.limit;
    const top = await sql<{ m: number | null }>`SELECT max(id) AS m FROM consultation`.execute(db);
    const newest = top.rows[0]?.m ?? 0;

    // The page: matches in rounds, newest id first, until the page is certain.
    const found: Array<{ id: number; received_at: string }> = [];
    let below = newest + 1;
    let round = Math.max(FIRST_ROUND, 2 * want);
    let complete = false;
    let read = 0;
    for (;;) {
      const hits = await sql<{ id: number }>`
        SELECT rowid AS id FROM consultation_fts
        WHERE consultation_fts MATCH ${match} AND rowid < ${below}
        ORDER BY rowid DESC LIMIT ${round}`.execute(db);
      if (hits.rows.length > 0) {
        const ids = hits.rows.map((r) => r.id);
        below = ids[ids.length - 1]!;
        // Each hit looked up by id (CROSS JOIN keeps SQLite from scanning a filter's index instead).
        const rows = await sql<{ id: number; received_at: string }>`
          SELECT consultation.id, consultation.received_at
          FROM json_each(${json(ids)}) AS hit CROSS JOIN consultation
          WHERE consultation.id = hit.value AND ${cond}`.execute(db);
        found.push(...rows.rows);
      }
      if (hits.rows.length < round) {
        complete = true;
        break;
      }
      // Whether a record below `below` could still belong on the page: only one received at
      // or after the page's last. The received-time index answers that in about one step
      // per record received since — cheap for a common word; for a rarer one reading its
      // remaining matches (expected at the density so far) is cheaper.
      read += hits.rows.length;
      const span = newest - below;
      const rest = (read * below) / Math.max(1, span);
      if (found.length >= want && (span <= CHEAP_SCAN || span <= SCAN_STEPS_PER_READ * rest)) {
        found.sort(newestFirst);
        const last = found[want - 1]!.received_at;
        const before = q.receivedBefore ? sql` AND received_at < ${q.receivedBefore}` : sql``;
        const older = await sql<{ m: number | null }>`
          SELECT min(id) AS m FROM consultation INDEXED BY consultation_received
          WHERE received_at >= ${last}${before}`.execute(db);
        const m = older.rows[0]?.m ?? null;
        if (m === null || m >= below) break;
      }
      round = Math.min(round * 4, LAST_ROUND);
    }

    found.sort(newestFirst);
    const ids = found.slice(q.offset, want).map((r) => r.id);
    const rows = ids.length
      ? await db.selectFrom('consultation').selectAll().where('id', 'in', ids).execute()
      : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const items = ids.flatMap((id) => {
      const r = byId.get(id);
      return r ? [toConsultation(r)] : [];
    });
    if (complete) return { items, total: found.length };

    // The count: the matches below the page's, up to the limit.
    const need = SEARCH_COUNT_LIMIT + 1 - found.length;
    if (need <= 0) return { items, total: found.length, totalIsLowerBound: true };
    const rest = filtered
      ? sql<{ n: number }>`SELECT count(*) AS n FROM (
          SELECT 1 FROM consultation_fts CROSS JOIN consultation
          WHERE consultation_fts MATCH ${match} AND consultation_fts.rowid < ${below}
            AND consultation.id = consultation_fts.rowid AND ${cond}
          LIMIT ${need})`
      : sql<{ n: number }>`SELECT count(*) AS n FROM (
          SELECT 1 FROM consultation_fts
          WHERE consultation_fts MATCH ${match} AND rowid < ${below} LIMIT ${need})`;
    const n = Number((await rest.execute(db)).rows[0]?.n ?? 0);
    return n < need
      ? { items, total: found.length + n }
      : { items, total: found.length + n, totalIsLowerBound: true };
  }

  /**
   * The FTS5 query for all terms, or null when no record can match (a short term that
   * occurs nowhere).
   */
  private async ftsMatch(db: Conn, terms: string[]): Promise<string | null> {
    const parts: string[] = [];
    for (const term of terms) {
      if (charLength(term) >= 3) {
        parts.push(quoteFts(term));
        continue;
      }
      // FTS5's trigram index cannot match fewer than 3 characters directly, but every
      // occurrence of a short term starts some trigram; its index lists them in order.
      const trigrams = await sql<{ term: string }>`
        SELECT term FROM consultation_fts_terms
        WHERE term >= ${term} AND term < ${term + MAX_CHAR}
        LIMIT ${MAX_EXPANDED_TRIGRAMS + 1}`.execute(db);
      if (trigrams.rows.length === 0) return null;
      if (trigrams.rows.length > MAX_EXPANDED_TRIGRAMS) {
        throw new ValidationError({ text: localize('search.too_broad', { term }) });
      }
      parts.push(`(${trigrams.rows.map((r) => quoteFts(r.term)).join(' OR ')})`);
    }
    return parts.join(' AND ');
  }
}

/** Newest received first; the later id first among equals. */
function newestFirst(
  a: { id: number; received_at: string },
  b: { id: number; received_at: string },
): number {
  if (a.received_at !== b.received_at) return a.received_at < b.received_at ? 1 : -1;
  return b.id - a.id;
}

function quoteFts(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

function person(id: string | null, name: string | null): PersonRef | null {
  return id ? { id, name: name ?? id } : null;
}

/** A consultation row as the domain sees it. */
export function toConsultation(r: Row): Consultation {
  return {
    id: r.id,
    number: r.number,
    fiscalYear: r.fiscal_year,
    channel: r.channel as Consultation['channel'],
    state: r.state as State,
    receivedAt: r.received_at,
    consulter: {
      organisation: r.consulter_organisation,
      person: r.consulter_person,
      email: r.consulter_email,
      phone: r.consulter_phone,
      industry: r.consulter_industry,
      employees: r.consulter_employees,
      municipality: r.consulter_municipality,
    },
    categoryId: r.category_id,
    urgency: r.urgency as Urgency,
    subject: r.subject,
    details: r.details,
    situation: JSON.parse(r.situation) as Consultation['situation'],
    firstLineOwner: person(r.first_line_owner_id, r.first_line_owner_name),
    specialist: person(r.specialist_id, r.specialist_name),
    coordinationNeeded: r.coordination_needed === null ? null : r.coordination_needed === 1,
    coordinationReason: r.coordination_reason,
    tags: JSON.parse(r.tags) as string[],
    teamsCard:
      r.card_conversation_id && r.card_activity_id
        ? { conversationId: r.card_conversation_id, activityId: r.card_activity_id }
        : null,
    createdBy: { id: r.created_by_id, name: r.created_by_name },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    closedAt: r.closed_at,
    erasure:
      r.erased_at && r.erasure_reason
        ? { at: r.erased_at, reason: r.erasure_reason as ErasureReason }
        : null,
    version: r.version,
  };
}

function toPatchRow(p: ConsultationPatch): Partial<Row> {
  const row: Partial<Row> = {};
  if (p.state !== undefined) row.state = p.state;
  if (p.categoryId !== undefined) row.category_id = p.categoryId;
  if (p.urgency !== undefined) row.urgency = p.urgency;
  if (p.firstLineOwner !== undefined) {
    row.first_line_owner_id = p.firstLineOwner?.id ?? null;
    row.first_line_owner_name = p.firstLineOwner?.name ?? null;
  }
  if (p.specialist !== undefined) {
    row.specialist_id = p.specialist?.id ?? null;
    row.specialist_name = p.specialist?.name ?? null;
  }
  if (p.coordinationNeeded !== undefined) {
    row.coordination_needed = p.coordinationNeeded === null ? null : Number(p.coordinationNeeded);
  }
  if (p.coordinationReason !== undefined) row.coordination_reason = p.coordinationReason;
  if (p.tags !== undefined) row.tags = json(p.tags);
  if (p.teamsCard !== undefined) {
    row.card_conversation_id = p.teamsCard?.conversationId ?? null;
    row.card_activity_id = p.teamsCard?.activityId ?? null;
  }
  if (p.closedAt !== undefined) row.closed_at = p.closedAt;
  if (p.consulter !== undefined) {
    const keys = consulterKeys(p.consulter);
    row.consulter_organisation = p.consulter.organisation;
    row.consulter_person = p.consulter.person;
    row.consulter_email = p.consulter.email;
    row.consulter_phone = p.consulter.phone;
    row.consulter_industry = p.consulter.industry;
    row.consulter_employees = p.consulter.employees;
    row.consulter_municipality = p.consulter.municipality;
    row.organisation_key = keys.organisation;
    row.email_key = keys.email;
    row.phone_key = keys.phone;
  }
  if (p.subject !== undefined) row.subject = p.subject;
  if (p.details !== undefined) row.details = p.details;
  if (p.situation !== undefined) row.situation = json(p.situation);
  return row;
}

/** An answer row as the domain sees it, with where its email stands. */
export function toAnswer(r: Selectable<AnswerTable>): Answer {
  return {
    id: r.id,
    consultationId: r.consultation_id,
    author: { id: r.author_id, name: r.author_name },
    line: r.line as Answer['line'],
    body: r.body,
    delivery: r.delivery as Answer['delivery'],
    createdAt: r.created_at,
    deliveryStatus: r.delivery_status as DeliveryStatus,
    email: r.mail_method
      ? {
          method: r.mail_method as AnswerEmail['method'],
          to: r.mail_to ? (JSON.parse(r.mail_to) as string[]) : [],
          cc: r.mail_cc ? (JSON.parse(r.mail_cc) as string[]) : [],
          subject: r.mail_subject ?? '',
          inReplyTo: r.reply_to_message_id,
          sentMessageId: r.sent_message_id,
          internetMessageId: r.sent_internet_message_id,
        }
      : null,
    lastError: r.last_error_code
      ? {
          code: r.last_error_code,
          message: { ja: r.last_error_ja ?? '', en: r.last_error_en ?? '' },
        }
      : null,
    attempts: r.attempts,
    deliveryUpdatedAt: r.delivery_updated_at ?? r.created_at,
  };
}

function toHistory(r: Selectable<HistoryTable>): HistoryEntry {
  return {
    id: r.id,
    consultationId: r.consultation_id,
    action: r.action as Action,
    actor: { id: r.actor_id, name: r.actor_name },
    at: r.at,
    fromState: r.from_state as State | null,
    toState: r.to_state as State | null,
    before: r.before_json ? (JSON.parse(r.before_json) as Record<string, unknown>) : null,
    after: r.after_json ? (JSON.parse(r.after_json) as Record<string, unknown>) : null,
    requestId: r.request_id,
    version: r.version,
  };
}
