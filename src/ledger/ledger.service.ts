import type {
  ConsultationService,
  ConsultationDetails,
} from '../consultation/consultation.service';
import { consulterKeys, type ConsulterKey } from '../consultation/consulter-keys';
import {
  CHANNEL_LABELS,
  ERASURE_LABELS,
  HANDLING_LABELS,
  STATE_LABELS,
  URGENCY_LABELS,
} from '../consultation/labels';
import { nestValues, type EditValues } from '../consultation/correction';
import { erasable, isStaff, mayErase, permits } from '../consultation/policy';
import {
  CHANNELS,
  ERASURE_REASONS,
  HANDLINGS,
  STATES,
  URGENCIES,
  type Actor,
  type Channel,
  type Consultation,
  type ErasureReason,
  type Handling,
  type PersonRef,
  type Role,
  type State,
  type Urgency,
} from '../consultation/types';
import { AppError, NotFoundError } from '../errors';
import type { Lang, Localized } from '../i18n/messages';
import {
  CATEGORIES,
  destinationsFor,
  type Category,
  type Destination,
} from '../knowledge/knowledge';
import type { Store } from '../store/store';
import {
  caseDraft,
  caseProblems,
  casebookMarkdown,
  describeProblem,
  knownIdentifiersOf,
  municipalityArea,
  sizeBand,
  type CaseDraft,
  type CaseProblem,
  type CaseText,
} from './casebook';
import { BOM, csvHeader, csvRows } from './csv';
import { normalize } from './identifiers';
import { LedgerRepository, type ExportCursor, type MilestoneRow } from './ledger.repository';
import { TEXT, fill } from './messages';
import { timeline, teamsCardUrl, type EmailContent, type TimelineItem } from './timeline';
import { dayEnd, dayStart, monthStart, monthsFrom, nextMonth, tokyoDay, tokyoMonth } from './tokyo';

export interface LedgerDeps {
  store: Store;
  consultations: ConsultationService;
  /** The category taxonomy (labels, where to report). */
  categories?: readonly Category[];
  /** Display names the desk knows (from Teams), preferred over names kept on records. */
  names?: (ids: readonly string[]) => Promise<Map<string, string>>;
  clock?: () => Date;
  /**
   * Tells the desk's channel of a change made here (the Teams card and its thread), after
   * the person is answered; absent where Teams is not part of the app.
   */
  announce?: (consultationId: number) => void;
  /** Records read per query while writing the CSV (default 500). */
  exportBatchSize?: number;
}

export interface Labelled<T extends string = string> {
  id: T;
  label: Localized;
}

export interface LedgerMeta {
  me: { id: string; name: string; roles: readonly Role[] };
  canExport: boolean;
  labels: {
    states: Labelled<State>[];
    channels: Labelled<Channel>[];
    urgencies: Labelled<Urgency>[];
    categories: Labelled[];
    erasureReasons: Labelled<ErasureReason>[];
    /** Where cases were handled, as the statistics count them (`byHandling`). */
    handlings: Labelled<Handling>[];
  };
  people: PersonRef[];
}

/** Filters of the list, as the surface has checked them. Days are Tokyo calendar days. */
export interface LedgerListQuery {
  text?: string;
  states?: State[];
  channels?: Channel[];
  categoryIds?: string[];
  urgencies?: Urgency[];
  personId?: string;
  /** `YYYY-MM-DD`, inclusive. */
  from?: string;
  /** `YYYY-MM-DD`, inclusive. */
  to?: string;
  /** A record's id: that record and the others of the same consulter (`consulterKeys`). */
  sameAs?: number;
  page: number;
  pageSize: number;
}

export interface LedgerListItem {
  id: number;
  number: string;
  receivedAt: string;
  channel: Channel;
  state: State;
  categoryId: string;
  urgency: Urgency;
  subject: string;
  organisation: string | null;
  firstLineOwner: PersonRef | null;
  specialist: PersonRef | null;
  /** Its personal data was erased: subject and organisation are empty. */
  erased: boolean;
}

export interface LedgerList {
  items: LedgerListItem[];
  total: number;
  totalIsLowerBound: boolean;
  page: number;
  pageSize: number;
  /** With `sameAs`: the record whose consulter the list is of, as the list names it. */
  sameConsulter: SameConsulter | null;
}

/** The record a list of one consulter's records was asked for (`sameAs`). */
export interface SameConsulter {
  id: number;
  number: string;
  organisation: string | null;
  person: string | null;
}

/** Another record of the same consulter, as a record's page lists it. */
export interface RelatedItem {
  id: number;
  number: string;
  receivedAt: string;
  state: State;
  categoryId: string;
  subject: string;
  closedAt: string | null;
  /** Which of the consulter's keys it shares: organisation, email, phone (in that order). */
  matchedBy: ConsulterKey[];
}

/** A past case like the record shown, and the start of how it was answered. */
export interface SimilarItem {
  id: number;
  number: string;
  subject: string;
  receivedAt: string;
  closedAt: string | null;
  /** How alike the two read, from 0 to 1 (two decimals). */
  likeness: number;
  answer: {
    /** The first `ANSWER_EXCERPT` characters of its latest answer. */
    excerpt: string;
    truncated: boolean;
    line: 'first' | 'second';
    at: string;
    author: PersonRef;
  };
}

/** Characters of a similar case's answer that its item carries. */
export const ANSWER_EXCERPT = 300;

export interface LedgerRecord {
  consultation: Consultation;
  /**
   * The same consulter's other records, newest received first (at most `RELATED_SHOWN`),
   * and how many there are. Empty for an erased record: it has no consulter left.
   */
  related: { items: RelatedItem[]; total: number };
  /**
   * Past cases of the category read most alike, with how they were answered
   * (`ConsultationService.similar`). Empty for an erased record.
   */
  similar: SimilarItem[];
  timeline: TimelineItem[];
  teamsCardUrl: string | null;
  destinations: Destination[];
  /** Whether the caller may erase its personal data now (a supervisor, a closed record). */
  canErase: boolean;
  /**
   * Whether the caller may correct what was recorded (記録を修正): first line, supervisors
   * and the case's specialist; a closed record supervisors only; never an erased one.
   */
  canEdit: boolean;
}

/** A correction from the ledger tab: every field of the form, as the record was shown. */
export interface EditRequest {
  /** The version of the record the form was filled from. */
  version: number;
  values: EditValues;
  /** The same save sent again (a retry) is recognised by it and changes nothing. */
  requestId: string | null;
}

/** What erasing a record on request needs: the record's number, typed to confirm. */
export interface EraseRequest {
  confirmNumber: unknown;
  /** The version of the record the person saw. */
  version: number;
}

export interface MonthStats {
  month: string;
  total: number;
  byChannel: Record<Channel, number>;
  byCategory: Record<string, number>;
  byState: Record<State, number>;
  /** Completed at first line, dispatched to second line, or still open without a dispatch. */
  byHandling: Record<Handling, number>;
  median: {
    toClaimMinutes: number | null;
    toDispatchMinutes: number | null;
    toAnswerMinutes: number | null;
  };
}

/** Tokyo months, both included: `YYYY-MM`. */
export interface MonthRange {
  from: string;
  to: string;
}

/** Tokyo calendar days, both included: `YYYY-MM-DD`. */
export interface DayRange {
  from: string;
  to: string;
}

export interface CsvExport {
  filename: string;
  /** The file: byte order mark and header first, then rows in batches. */
  chunks: AsyncIterable<string>;
  /** Rows written so far. */
  readonly count: number;
}

/** An export of personal data from the ledger, as supervisors see it listed. */
export interface LedgerExportEntry {
  id: number;
  kind: 'csv' | 'casebook';
  by: PersonRef;
  at: string;
  /** The CSV's range of received days. */
  range: DayRange | null;
  count: number;
  /** The 事例集's records. */
  consultationIds: number[];
  /** `broken` when the download broke off before the end. */
  outcome: 'complete' | 'broken';
}

/** Exports listed at most. */
const EXPORTS_SHOWN = 50;

/** The same consulter's other records a record's page lists at most. */
export const RELATED_SHOWN = 5;

export interface CasebookDocument {
  filename: string;
  markdown: string;
  count: number;
}

/** Statistics cover at most this many months. */
export const MAX_STAT_MONTHS = 24;
const EXPORT_BATCH = 500;

const ordered = <K extends string>(keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/** Where a case was handled, from its first dispatch, answer and close. */
function handlingOf(row: MilestoneRow): Handling {
  if (row.dispatched) return 'secondLine';
  return row.answered || row.closed ? 'firstLine' : 'open';
}

/** The middle value (mean of the two middle ones for an even count), to 0.1; null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const m = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return Math.round(m * 10) / 10;
}

function minutesBetween(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  const ms = Date.parse(to) - Date.parse(from);
  return ms >= 0 ? ms / 60_000 : null;
}

/**
 * What the ledger tab shows: the list, a record with its timeline, monthly statistics,
 * and for supervisors the CSV export and the 事例集. Any staff role may read; only
 * supervisors export. Viewing writes nothing.
 */
export class LedgerService {
  private readonly repo: LedgerRepository;
  private readonly categories: readonly Category[];
  private readonly categoryIndex: Map<string, Category>;
  private readonly now: () => Date;

  constructor(private readonly deps: LedgerDeps) {
    this.repo = new LedgerRepository(deps.store.dialect);
    this.categories = deps.categories ?? CATEGORIES;
    this.categoryIndex = new Map(this.categories.map((c) => [c.id, c]));
    this.now = deps.clock ?? (() => new Date());
  }

  /** A category's name in both languages; undefined for an id not in the taxonomy. */
  readonly categoryLabel = (id: string): Localized | undefined => {
    const c = this.categoryIndex.get(id);
    return c ? { ja: c.ja, en: c.en } : undefined;
  };

  /** Who is asking, what they may do, and the words and people the filters offer. */
  async meta(actor: Actor): Promise<LedgerMeta> {
    requireStaff(actor);
    const people = await this.repo.people(this.deps.store.db);
    const names = this.deps.names ? await this.deps.names(people.map((p) => p.id)) : new Map();
    return {
      me: { id: actor.id, name: actor.name, roles: actor.roles },
      canExport: mayExport(actor),
      labels: {
        states: STATES.map((id) => ({ id, label: STATE_LABELS[id] })),
        channels: CHANNELS.map((id) => ({ id, label: CHANNEL_LABELS[id] })),
        urgencies: URGENCIES.map((id) => ({ id, label: URGENCY_LABELS[id] })),
        categories: this.categories.map((c) => ({ id: c.id, label: { ja: c.ja, en: c.en } })),
        erasureReasons: ERASURE_REASONS.map((id) => ({ id, label: ERASURE_LABELS[id] })),
        handlings: HANDLINGS.map((id) => ({ id, label: HANDLING_LABELS[id] })),
      },
      people: people
        .map((p) => ({ id: p.id, name: (names.get(p.id) as string | undefined) ?? p.name }))
        .sort((a, b) => a.name.localeCompare(b.name, 'ja')),
    };
  }

  /** Records matching the filters, newest received first, a page at a time. */
  async list(actor: Actor, q: LedgerListQuery): Promise<LedgerList> {
    requireStaff(actor);
    const of = q.sameAs ? await this.deps.consultations.get(actor, q.sameAs) : null;
    const result = await this.deps.consultations.list(actor, {
      ...(q.text ? { text: q.text } : {}),
      ...(q.states?.length ? { states: q.states } : {}),
      ...(q.channels?.length ? { channels: q.channels } : {}),
      ...(q.categoryIds?.length ? { categoryIds: q.categoryIds } : {}),
      ...(q.urgencies?.length ? { urgencies: q.urgencies } : {}),
      ...(q.personId ? { personId: q.personId } : {}),
      ...(q.from ? { receivedFrom: dayStart(q.from) } : {}),
      ...(q.to ? { receivedBefore: dayEnd(q.to) } : {}),
      // An erased record has no consulter left: the list is that record alone.
      ...(of ? { sameConsulter: { id: of.id, keys: consulterKeys(of.consulter) } } : {}),
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    return {
      items: result.items.map((c) => ({
        id: c.id,
        number: c.number,
        receivedAt: c.receivedAt,
        channel: c.channel,
        state: c.state,
        categoryId: c.categoryId,
        urgency: c.urgency,
        subject: c.subject,
        organisation: c.consulter.organisation,
        firstLineOwner: c.firstLineOwner,
        specialist: c.specialist,
        erased: c.erasure !== null,
      })),
      total: result.total,
      totalIsLowerBound: result.totalIsLowerBound === true,
      page: q.page,
      pageSize: q.pageSize,
      sameConsulter: of && {
        id: of.id,
        number: of.number,
        organisation: of.consulter.organisation,
        person: of.consulter.person,
      },
    };
  }

  /**
   * One record with everything that happened to it, and the same consulter's other
   * records (handling it in the light of the earlier ones is a purpose the privacy notice
   * names). Reading it is not written to history.
   */
  async record(actor: Actor, id: number): Promise<LedgerRecord> {
    requireStaff(actor);
    const d = await this.deps.consultations.details(actor, id);
    const [emails, related, similar] = await Promise.all([
      d.emails.length
        ? this.repo.emailContent(this.deps.store.db, id)
        : new Map<number, EmailContent>(),
      this.related(actor, d.consultation),
      this.deps.consultations.similar(actor, d.consultation),
    ]);
    return {
      consultation: d.consultation,
      related,
      similar: similar.map(({ consultation: s, likeness, answer }) => {
        const chars = Array.from(answer.body);
        return {
          id: s.id,
          number: s.number,
          subject: s.subject,
          receivedAt: s.receivedAt,
          closedAt: s.closedAt,
          likeness: Math.round(likeness * 100) / 100,
          answer: {
            excerpt: chars.slice(0, ANSWER_EXCERPT).join(''),
            truncated: chars.length > ANSWER_EXCERPT,
            line: answer.line,
            at: answer.createdAt,
            author: answer.author,
          },
        };
      }),
      timeline: timeline(d, this.categoryLabel, emails),
      teamsCardUrl: teamsCardUrl(d.consultation.teamsCard),
      destinations: destinationsFor(d.consultation.categoryId),
      canErase: mayErase(actor) && erasable(d.consultation),
      canEdit: !d.consultation.erasure && permits(actor, 'edit', d.consultation),
    };
  }

  /**
   * Corrects what was recorded (`ConsultationService.edit`), if the record is still at
   * the version the form was filled from. Answers the record as it now is.
   */
  async edit(actor: Actor, id: number, req: EditRequest): Promise<LedgerRecord> {
    requireStaff(actor);
    const { changed } = await this.deps.consultations.edit(actor, id, nestValues(req.values), {
      expectedVersion: req.version,
      // A person's retry of their own save on this record, never someone else's.
      requestId: req.requestId ? `ledger:${actor.id}:${id}:${req.requestId}` : undefined,
    });
    if (changed) this.deps.announce?.(id);
    return this.record(actor, id);
  }

  /** An erased record has no consulter left, so no other records of theirs. */
  private async related(actor: Actor, c: Consultation): Promise<LedgerRecord['related']> {
    if (c.erasure) return { items: [], total: 0 };
    const { records, total } = await this.deps.consultations.related(actor, c, RELATED_SHOWN);
    return {
      items: records.map(({ consultation: r, matchedBy }) => ({
        id: r.id,
        number: r.number,
        receivedAt: r.receivedAt,
        state: r.state,
        categoryId: r.categoryId,
        subject: r.subject,
        closedAt: r.closedAt,
        matchedBy,
      })),
      total,
    };
  }

  /**
   * Erases a closed record's personal data at the consulter's request (supervisors), if
   * it is still at the version the person saw and the number they typed is its own.
   * Answers the record as it now is; erasing an erased record changes nothing.
   */
  async erase(actor: Actor, id: number, req: EraseRequest): Promise<LedgerRecord> {
    requireStaff(actor);
    if (!mayErase(actor)) {
      throw new AppError(403, 'forbidden', TEXT.eraseForbidden, { action: 'erase' });
    }
    const { changed } = await this.deps.consultations.erase(
      actor,
      id,
      { confirmNumber: req.confirmNumber },
      { expectedVersion: req.version },
    );
    if (changed) this.deps.announce?.(id);
    return this.record(actor, id);
  }

  /**
   * Per Tokyo month of receipt: counts by channel, category, state (the state now) and
   * where the case was handled (`Handling`), and the median minutes from recording to the
   * first claim, dispatch and answer.
   */
  async stats(actor: Actor, range: MonthRange): Promise<{ months: MonthStats[] }> {
    requireStaff(actor);
    const months = monthsFrom(range.from, range.to);
    const from = monthStart(range.from);
    const before = monthStart(nextMonth(range.to));
    const db = this.deps.store.db;
    const [counts, milestones] = await Promise.all([
      this.repo.monthCounts(db, from, before),
      this.repo.milestones(db, from, before),
    ]);

    const byMonth = new Map<string, MonthStats>(
      months.map((month) => [
        month,
        {
          month,
          total: 0,
          byChannel: ordered(CHANNELS),
          byCategory: ordered(this.categories.map((c) => c.id)),
          byState: ordered(STATES),
          byHandling: ordered(HANDLINGS),
          median: { toClaimMinutes: null, toDispatchMinutes: null, toAnswerMinutes: null },
        },
      ]),
    );
    for (const row of counts) {
      const m = byMonth.get(row.month);
      if (!m) continue;
      m.total += row.n;
      if (row.channel in m.byChannel) m.byChannel[row.channel as Channel] += row.n;
      m.byCategory[row.categoryId] = (m.byCategory[row.categoryId] ?? 0) + row.n;
      if (row.state in m.byState) m.byState[row.state as State] += row.n;
    }

    const spans = new Map<string, { claim: number[]; dispatch: number[]; answer: number[] }>();
    const add = (row: MilestoneRow, key: 'claim' | 'dispatch' | 'answer', at: string | null) => {
      const minutes = minutesBetween(row.created, at);
      if (minutes === null) return;
      const s = spans.get(row.month) ?? { claim: [], dispatch: [], answer: [] };
      s[key].push(minutes);
      spans.set(row.month, s);
    };
    for (const row of milestones) {
      const m = byMonth.get(row.month);
      if (m) m.byHandling[handlingOf(row)] += 1;
      add(row, 'claim', row.claimed);
      add(row, 'dispatch', row.dispatched);
      add(row, 'answer', row.answered);
    }
    for (const [month, s] of spans) {
      const m = byMonth.get(month);
      if (!m) continue;
      m.median = {
        toClaimMinutes: median(s.claim),
        toDispatchMinutes: median(s.dispatch),
        toAnswerMinutes: median(s.answer),
      };
    }
    return { months: [...byMonth.values()] };
  }

  /** Notes an export as it was handed over (supervisors: only they can export). */
  async recordExport(
    actor: Actor,
    e: Pick<LedgerExportEntry, 'kind' | 'count' | 'outcome'> &
      Partial<Pick<LedgerExportEntry, 'range' | 'consultationIds'>>,
  ): Promise<void> {
    requireSupervisor(actor);
    await this.repo.addExport(this.deps.store.db, {
      kind: e.kind,
      actor_id: actor.id,
      actor_name: actor.name,
      at: this.now().toISOString(),
      range_from: e.range?.from ?? null,
      range_to: e.range?.to ?? null,
      record_count: e.count,
      consultation_ids: e.consultationIds ? JSON.stringify(e.consultationIds) : null,
      outcome: e.outcome,
    });
  }

  /** The latest exports of personal data, newest first (supervisors). */
  async exports(actor: Actor): Promise<{ items: LedgerExportEntry[] }> {
    requireSupervisor(actor);
    const rows = await this.repo.exports(this.deps.store.db, EXPORTS_SHOWN);
    return {
      items: rows.map((r) => ({
        id: r.id,
        kind: r.kind === 'casebook' ? 'casebook' : 'csv',
        by: { id: r.actor_id, name: r.actor_name },
        at: r.at,
        range: r.range_from && r.range_to ? { from: r.range_from, to: r.range_to } : null,
        count: r.record_count,
        consultationIds: r.consultation_ids ? (JSON.parse(r.consultation_ids) as number[]) : [],
        outcome: r.outcome === 'broken' ? 'broken' : 'complete',
      })),
    };
  }

  /**
   * The records received in a range as CSV (supervisors). Refused before anything is
   * read; the rows are read in batches as the file is written.
   */
  async exportCsv(actor: Actor, range: DayRange): Promise<CsvExport> {
    requireSupervisor(actor);
    const db = this.deps.store.db;
    const from = dayStart(range.from);
    const before = dayEnd(range.to);
    const repo = this.repo;
    const category = this.categoryLabel;
    const size = this.deps.exportBatchSize ?? EXPORT_BATCH;
    const state = { count: 0 };
    // The first batch is read now, so that a database that is down is reported as an
    // error rather than as a file cut short.
    const first = await repo.exportBatch(db, from, before, null, size);

    async function* chunks(): AsyncGenerator<string> {
      yield BOM + csvHeader();
      let batch = first;
      while (batch.length > 0) {
        // An erased record's answers are gone; its history still says who answered when.
        const erased = batch.filter((c) => c.erasure).map((c) => c.id);
        const kept = batch.filter((c) => !c.erasure).map((c) => c.id);
        const [answers, answered] = await Promise.all([
          repo.answersOf(db, kept),
          repo.answerEntriesOf(db, erased),
        ]);
        yield csvRows(
          batch.map((c) => ({
            consultation: c,
            answers: (c.erasure ? answered : answers).get(c.id) ?? [],
          })),
          category,
        );
        state.count += batch.length;
        if (batch.length < size) break;
        const last = batch[batch.length - 1]!;
        const cursor: ExportCursor = { receivedAt: last.receivedAt, id: last.id };
        batch = await repo.exportBatch(db, from, before, cursor, size);
      }
    }

    return {
      filename: `madoguchi-${range.from}-${range.to}.csv`,
      chunks: chunks(),
      get count() {
        return state.count;
      },
    };
  }

  /**
   * Closed cases as anonymised drafts for a supervisor to review: facts generalised,
   * the record's own identifiers and identifier patterns replaced.
   */
  async casebookPreview(
    actor: Actor,
    ids: readonly number[],
    lang: Lang = 'ja',
  ): Promise<{ cases: CaseDraft[] }> {
    requireSupervisor(actor);
    const loaded = await this.closedCases(actor, ids);
    return {
      cases: loaded.map((d) =>
        caseDraft(
          d.consultation,
          d.answers,
          knownIdentifiersOf(d.consultation, d.answers, staffOf(d), d.senders),
          this.categoryLabelOrId(d.consultation.categoryId),
          lang,
        ),
      ),
    };
  }

  /**
   * The reviewed cases as a Markdown document. The reviewed text is checked again for
   * the records' identifiers and for identifier patterns; if anything is found, nothing
   * is made and the error names each case, field and what was found.
   */
  async casebookExport(
    actor: Actor,
    reviewed: ReadonlyArray<CaseText & { id: number }>,
    lang: Lang = 'ja',
  ): Promise<CasebookDocument> {
    requireSupervisor(actor);
    const loaded = await this.closedCases(
      actor,
      reviewed.map((r) => r.id),
    );
    const problems: Array<CaseProblem & { id: number; number: string; index: number }> = [];
    reviewed.forEach((r, index) => {
      const d = loaded[index]!;
      const known = knownIdentifiersOf(d.consultation, d.answers, staffOf(d), d.senders);
      for (const p of caseProblems(r, known)) {
        problems.push({ ...p, id: r.id, number: d.consultation.number, index });
      }
    });
    if (problems.length > 0) {
      const fields: Record<string, Localized> = {};
      for (const p of problems) {
        const key = `cases.${p.index}.${p.field}`;
        const line = describeProblem(p);
        const prev = fields[key];
        fields[key] = prev ? { ja: `${prev.ja}、${line.ja}`, en: `${prev.en}; ${line.en}` } : line;
      }
      throw new AppError(400, 'validation', TEXT.casebookIdentifying, {
        fields,
        problems: problems.map((p) => ({
          id: p.id,
          number: p.number,
          field: p.field,
          kind: p.kind,
          text: p.text,
          message: describeProblem(p),
        })),
      });
    }

    const made = tokyoDay(this.now());
    const markdown = casebookMarkdown(
      reviewed.map((r, i) => {
        const c = loaded[i]!.consultation;
        const area = municipalityArea(c.consulter.municipality);
        return {
          title: normalize(r.title),
          industry: normalize(r.industry),
          situation: normalize(r.situation),
          answer: normalize(r.answer),
          category: this.categoryLabelOrId(c.categoryId),
          sizeBand: sizeBand(c.consulter.employees),
          ...(area ? { municipalityArea: area } : {}),
          month: tokyoMonth(c.receivedAt),
        };
      }),
      made,
      lang,
    );
    return { filename: `madoguchi-casebook-${made}.md`, markdown, count: reviewed.length };
  }

  private categoryLabelOrId(id: string): Localized {
    return this.categoryLabel(id) ?? { ja: id, en: id };
  }

  /**
   * The records, in the order asked; 400 naming those missing, not closed, or erased (an
   * erased record has nothing left to tell, and must not be told again).
   */
  private async closedCases(actor: Actor, ids: readonly number[]): Promise<CaseRecord[]> {
    const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (duplicates.length > 0) {
      const msg = fill(TEXT.casebookDuplicate, { list: [...new Set(duplicates)].join(', ') });
      throw new AppError(400, 'validation', TEXT.badParameters, {
        fields: { ids: msg },
        duplicates: [...new Set(duplicates)],
      });
    }
    const found: CaseRecord[] = [];
    const missing: number[] = [];
    const open: Array<{ id: number; number: string; state: State }> = [];
    const erased: Array<{ id: number; number: string }> = [];
    for (const id of ids) {
      try {
        const d = await this.deps.consultations.details(actor, id);
        if (d.consultation.state !== 'closed') {
          open.push({ id, number: d.consultation.number, state: d.consultation.state });
        }
        if (d.consultation.erasure) erased.push({ id, number: d.consultation.number });
        const emails = d.emails.length
          ? await this.repo.emailContent(this.deps.store.db, id)
          : new Map<number, EmailContent>();
        const senders = [...emails.values()].flatMap((e) => (e.sender ? [e.sender] : []));
        found.push({ ...d, senders });
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
        missing.push(id);
      }
    }
    if (missing.length === 0 && open.length === 0 && erased.length === 0) return found;
    const messages: Localized[] = [];
    if (open.length > 0) {
      const list = (lang: Lang) =>
        open
          .map((o) =>
            lang === 'ja'
              ? `${o.number}（${STATE_LABELS[o.state].ja}）`
              : `${o.number} (${STATE_LABELS[o.state].en})`,
          )
          .join(lang === 'ja' ? '、' : ', ');
      messages.push({
        ja: fill(TEXT.casebookNotClosed, { list: list('ja') }).ja,
        en: fill(TEXT.casebookNotClosed, { list: list('en') }).en,
      });
    }
    if (erased.length > 0) {
      const numbers = erased.map((e) => e.number);
      messages.push({
        ja: fill(TEXT.casebookErased, { list: numbers.join('、') }).ja,
        en: fill(TEXT.casebookErased, { list: numbers.join(', ') }).en,
      });
    }
    if (missing.length > 0)
      messages.push(fill(TEXT.casebookNotFound, { list: missing.join(', ') }));
    throw new AppError(400, 'validation', TEXT.badParameters, {
      fields: {
        ids: {
          ja: messages.map((m) => m.ja).join(' '),
          en: messages.map((m) => m.en).join(' '),
        },
      },
      notClosed: open,
      erased,
      notFound: missing,
    });
  }
}

/** A case for the 事例集: the record with where its emails came from. */
type CaseRecord = ConsultationDetails & { senders: string[] };

/** Everyone on the desk who touched the record: their names are removed from the text too. */
function staffOf(d: ConsultationDetails): PersonRef[] {
  return [
    // Posting the card is the bot's bookkeeping, not a person's doing.
    ...d.history.filter((h) => h.action !== 'link-card').map((h) => h.actor),
    ...d.notes.map((n) => n.author),
    ...d.answers.map((a) => a.author),
  ];
}

function requireStaff(actor: Actor): void {
  if (!isStaff(actor)) throw new AppError(403, 'forbidden', TEXT.notStaff, { action: 'view' });
}

export function mayExport(actor: Actor): boolean {
  return isStaff(actor) && actor.roles.includes('supervisor');
}

function requireSupervisor(actor: Actor): void {
  requireStaff(actor);
  if (!mayExport(actor)) {
    throw new AppError(403, 'forbidden', TEXT.exportForbidden, { action: 'export' });
  }
}
