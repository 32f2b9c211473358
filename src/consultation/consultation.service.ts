import {
  ConflictError,
  ErasedError,
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  type LastChange,
} from '../errors';
import { inTransaction, type Store, type Trx } from '../store/store';
import {
  answerSchema,
  closeSchema,
  createSchema,
  dispatchSchema,
  eraseSchema,
  fieldError,
  noteSchema,
  parseInput,
  recategoriseSchema,
  returnSchema,
  editSchema,
  EDITABLE,
} from './consultation.input';
import {
  ConsultationRepository,
  type ConsultationPatch,
  type ListQuery,
  type ListResult,
} from './consultation.repository';
import { fiscalYearOf, formatNumber } from './numbering';
import { NoticeRepository, type NoticeKind } from './notice.repository';
import { CONSULTER_KEYS, consulterKeys, type ConsulterKey } from './consulter-keys';
import { ErasureRepository } from './erasure.repository';
import { mostAlike, SIMILAR_CANDIDATES, SIMILAR_SHOWN } from './similar';
import {
  allowedVerbs,
  applies,
  erasable,
  isStaff,
  mayCreate,
  mayErase,
  permits,
  type Verb,
} from './policy';
import { RETENTION } from './system-actors';
import {
  OPEN_STATES,
  type Action,
  type Actor,
  type Answer,
  type AnswerEmail,
  type Consultation,
  type ErasureReason,
  type HistoryEntry,
  type LinkedEmail,
  type Note,
  type PersonRef,
  type Role,
  type State,
  type TeamsCardRef,
} from './types';

/** A record's card posted at its creation has this long before the catch-up posts it. */
export const CARD_POSTING_GRACE_MS = 60_000;
/** How long one instance may take to post a record's first card before another tries. */
export const CARD_POSTING_LEASE_MS = 120_000;

/** Who holds which role; built from configuration. */
export interface Directory {
  rolesOf(userId: string): readonly Role[];
  /** A display name, when the directory knows one. */
  nameOf(userId: string): string | undefined;
}

export interface ServiceDeps {
  store: Store;
  directory: Directory;
  /** Category ids of the taxonomy. */
  categoryIds: ReadonlySet<string>;
  clock?: () => Date;
}

export interface CommandOptions {
  /**
   * The id of the request that asked for this (e.g. the Teams activity id). A request
   * seen before changes nothing the second time and returns the record as it is.
   */
  requestId?: string;
  /** The version the user was looking at; if the record moved on, it is a conflict. */
  expectedVersion?: number;
}

export interface CreateOptions extends CommandOptions {
  /**
   * Facts the surface that recorded it adds to the creation's history entry (the web
   * form: which privacy notice the consulter agreed to). Never personal data.
   */
  historyFacts?: Record<string, unknown>;
  /**
   * More rows that belong to the new record, written in the same transaction after it
   * (an email intake links the email). If this throws, nothing is recorded.
   */
  within?: (trx: Trx, created: { id: number; at: string }) => Promise<void>;
}

export interface CommandResult {
  consultation: Consultation;
  /** False when nothing changed because the same request was handled before. */
  changed: boolean;
  /** A correction's changed fields, by path (as its history entry keeps them). */
  fields?: string[];
}

export interface AnswerOptions extends CommandOptions {
  /**
   * The answer is to be emailed like this: it is saved as `sending` (first attempt), and
   * the mail service sends it. Without it the answer is `recorded`.
   */
  email?: Pick<AnswerEmail, 'method' | 'to' | 'cc' | 'subject' | 'inReplyTo'>;
}

export interface AnswerResult extends CommandResult {
  /** The answer this request recorded, also when the request was handled before. */
  answer: Answer | null;
}

/** The same consulter's other records, and which of the consulter's keys each shares. */
export interface RelatedConsultations {
  records: Array<{ consultation: Consultation; matchedBy: ConsulterKey[] }>;
  /** How many there are in all (more than `records` when they were cut at the limit). */
  total: number;
}

/** A past case like another, and how it was answered (`ConsultationService.similar`). */
export interface SimilarConsultation {
  consultation: Consultation;
  /** How alike their subjects and details read, from 0 to 1 (`likeness`). */
  likeness: number;
  /** Its latest answer. */
  answer: Answer;
}

/** The open records of one state: how many, and those received longest ago. */
export interface WaitingGroup {
  state: State;
  total: number;
  oldest: Consultation[];
}

export interface ConsultationDetails {
  consultation: Consultation;
  notes: Note[];
  answers: Answer[];
  emails: LinkedEmail[];
  history: HistoryEntry[];
}

const MAX_PAGE = 200;

const ref = (actor: Actor): PersonRef => ({ id: actor.id, name: actor.name });
const isOwner = (actor: Actor, c: Consultation) => c.firstLineOwner?.id === actor.id;

/**
 * The rules of the desk: who may do what to a consultation in which state. Every
 * change is one guarded update plus its history entry, in one transaction.
 */
export class ConsultationService {
  private readonly repo: ConsultationRepository;
  private readonly notices = new NoticeRepository();
  private readonly erasure: ErasureRepository;
  private readonly now: () => Date;

  constructor(private readonly deps: ServiceDeps) {
    this.repo = new ConsultationRepository(deps.store.dialect);
    this.erasure = new ErasureRepository(deps.store.dialect);
    this.now = deps.clock ?? (() => new Date());
  }

  /**
   * Records a new consultation with the next number of its fiscal year. Staff record any
   * channel; a system actor (the web form) only its own (`SYSTEM_POLICY`).
   */
  async create(actor: Actor, input: unknown, opts: CreateOptions = {}): Promise<CommandResult> {
    if (!mayCreate(actor)) throw new ForbiddenError('create');
    const data = parseInput(createSchema, input);
    if (!mayCreate(actor, data.channel)) throw new ForbiddenError('create');
    if (!this.deps.categoryIds.has(data.categoryId))
      throw fieldError('categoryId', 'field.invalid_choice');
    const now = this.now();
    const received = data.receivedAt ? new Date(data.receivedAt) : now;
    if (received.getTime() > now.getTime() + 5 * 60_000) {
      throw fieldError('receivedAt', 'field.future_date');
    }

    return inTransaction(this.deps.store, async (trx) => {
      const prior = await this.priorResult(trx, opts.requestId, 'create');
      if (prior) return prior;

      const fiscalYear = fiscalYearOf(received);
      const seq = await this.repo.nextSeq(trx, fiscalYear);
      const at = now.toISOString();
      const id = await this.repo.insert(trx, {
        number: formatNumber(fiscalYear, seq),
        fiscalYear,
        seq,
        channel: data.channel,
        state: 'received',
        receivedAt: received.toISOString(),
        consulter: data.consulter,
        categoryId: data.categoryId,
        urgency: data.urgency,
        subject: data.subject,
        details: data.details,
        situation: data.situation,
        firstLineOwner: null,
        specialist: null,
        coordinationNeeded: null,
        coordinationReason: null,
        tags: data.tags,
        createdBy: ref(actor),
        createdAt: at,
        updatedAt: at,
        version: 1,
      });
      await this.repo.appendHistory(trx, {
        consultationId: id,
        action: 'create',
        actor: ref(actor),
        at,
        fromState: null,
        toState: 'received',
        before: null,
        after: {
          ...opts.historyFacts,
          channel: data.channel,
          categoryId: data.categoryId,
          urgency: data.urgency,
        },
        requestId: opts.requestId ?? null,
        version: 1,
      });
      await opts.within?.(trx, { id, at });
      await this.repo.reindex(trx, id);
      return { consultation: await this.mustFind(trx, id), changed: true };
    });
  }

  async get(actor: Actor, id: number): Promise<Consultation> {
    this.requireStaff(actor, 'view');
    const c = await this.repo.findById(this.deps.store.db, id);
    if (!c) throw new NotFoundError(id);
    return c;
  }

  async getByNumber(actor: Actor, number: string): Promise<Consultation> {
    this.requireStaff(actor, 'view');
    const c = await this.repo.findByNumber(this.deps.store.db, number);
    if (!c) throw new NotFoundError(number);
    return c;
  }

  /**
   * The record whose Teams card is the message `activityId` in the channel
   * `conversationId` (without `;messageid=…`), or null. The system asks this (a message
   * in the card's thread), not a person: who may then do what is checked as usual.
   */
  async findByCard(conversationId: string, activityId: string): Promise<Consultation | null> {
    return this.repo.findByCard(this.deps.store.db, conversationId, activityId);
  }

  /** A record with its notes, answers, linked emails and full history. */
  async details(actor: Actor, id: number): Promise<ConsultationDetails> {
    const consultation = await this.get(actor, id);
    const db = this.deps.store.db;
    const [notes, answers, emails, history] = await Promise.all([
      this.repo.notes(db, id),
      this.repo.answers(db, id),
      this.repo.emails(db, id),
      this.repo.history(db, id),
    ]);
    return { consultation, notes, answers, emails, history };
  }

  /**
   * The same consulter's other records (same organisation, email address or phone
   * number: `consulterKeys`), newest received first: at most `limit` (open ones before
   * older closed ones), and how many there are. Handling a consultation in the light of the earlier ones is one of the purposes
   * the privacy notice names. Erased records are not among them.
   */
  async related(actor: Actor, c: Consultation, limit = 5): Promise<RelatedConsultations> {
    this.requireStaff(actor, 'view');
    const keys = consulterKeys(c.consulter);
    const { records, total } = await this.repo.related(this.deps.store.db, c.id, keys, limit);
    return {
      records: records.map((r) => {
        const theirs = consulterKeys(r.consulter);
        return {
          consultation: r,
          matchedBy: CONSULTER_KEYS.filter((k) => keys[k] !== null && keys[k] === theirs[k]),
        };
      }),
      total,
    };
  }

  /**
   * Past cases to answer a record in the light of (answers of even quality): among the
   * latest answered and closed records of its category (`SIMILAR_CANDIDATES`), those whose
   * subject and details read most alike, then the newest; each with its latest answer.
   * None for an erased record, which has nothing left to compare.
   */
  async similar(
    actor: Actor,
    c: Consultation,
    limit = SIMILAR_SHOWN,
  ): Promise<SimilarConsultation[]> {
    this.requireStaff(actor, 'view');
    if (c.erasure) return [];
    const db = this.deps.store.db;
    const candidates = await this.repo.answeredInCategory(
      db,
      c.categoryId,
      c.id,
      SIMILAR_CANDIDATES,
    );
    const ranked = mostAlike(c, candidates, limit);
    const answers = await this.repo.latestAnswers(
      db,
      ranked.map((r) => r.consultation.id),
    );
    // A record answered then erased meanwhile has no answer left: it is not shown.
    return ranked.flatMap((r) => {
      const answer = answers.get(r.consultation.id);
      return answer ? [{ ...r, answer }] : [];
    });
  }

  /**
   * What is waiting at the desk: for each open state (received, claimed, dispatched,
   * answered), how many records are in it and the `limit` received longest ago.
   */
  async waiting(actor: Actor, limit = 3): Promise<WaitingGroup[]> {
    this.requireStaff(actor, 'view');
    const db = this.deps.store.db;
    return Promise.all(
      OPEN_STATES.map(async (state) => {
        const { records, total } = await this.repo.oldestIn(db, state, limit);
        return { state, total, oldest: records };
      }),
    );
  }

  /** A record and its latest change: what a card shows. */
  async withLastChange(
    actor: Actor,
    id: number,
  ): Promise<{ consultation: Consultation; lastChange: LastChange }> {
    const consultation = await this.get(actor, id);
    const last = await this.repo.lastHistory(this.deps.store.db, id);
    return { consultation, lastChange: toLastChange(consultation, last) };
  }

  async list(actor: Actor, query: Partial<ListQuery>): Promise<ListResult> {
    this.requireStaff(actor, 'view');
    const limit = Math.min(Math.max(1, Math.trunc(query.limit ?? 50)), MAX_PAGE);
    const offset = Math.max(0, Math.trunc(query.offset ?? 0));
    return this.repo.list(this.deps.store.db, { ...query, limit, offset });
  }

  /** The actions this person may take on this record now (cards offer only these). */
  allowedVerbs(actor: Actor, c: Consultation): Verb[] {
    return allowedVerbs(actor, c);
  }

  /** First line takes a new case. */
  async claim(actor: Actor, id: number, opts: CommandOptions = {}): Promise<CommandResult> {
    return this.transition(actor, id, 'claim', opts, () => ({
      to: 'claimed',
      patch: { firstLineOwner: ref(actor) },
    }));
  }

  /** The owner gives a case back to the queue. */
  async unclaim(actor: Actor, id: number, opts: CommandOptions = {}): Promise<CommandResult> {
    return this.transition(actor, id, 'unclaim', opts, () => ({
      to: 'received',
      patch: { firstLineOwner: null },
    }));
  }

  /**
   * The owner hands a case to a second-line specialist, saying whether it needs
   * coordination; or, dispatched already, to another specialist instead.
   */
  async dispatch(
    actor: Actor,
    id: number,
    input: unknown,
    opts: CommandOptions = {},
  ): Promise<CommandResult> {
    const data = parseInput(dispatchSchema, input);
    const roles = this.deps.directory.rolesOf(data.specialistId);
    if (!roles.includes('specialist')) throw fieldError('specialistId', 'field.not_specialist');
    const specialist: PersonRef = {
      id: data.specialistId,
      name:
        this.deps.directory.nameOf(data.specialistId) ?? data.specialistName ?? data.specialistId,
    };
    return this.transition(actor, id, 'dispatch', opts, (c) => {
      if (c.state === 'dispatched' && c.specialist?.id === specialist.id) {
        throw fieldError('specialistId', 'field.same_specialist');
      }
      return {
        to: 'dispatched',
        patch: {
          specialist,
          coordinationNeeded: data.coordinationNeeded,
          coordinationReason: data.reason,
        },
        reindex: true,
        notices: [{ kind: 'dispatched', recipientId: specialist.id }],
      };
    });
  }

  /**
   * Corrects what was recorded: the consulter (who called back with an address, a name
   * misheard), the subject and details, the checklist. The history keeps each changed
   * part before and after; saving what is already there changes nothing.
   */
  async edit(
    actor: Actor,
    id: number,
    input: unknown,
    opts: CommandOptions = {},
  ): Promise<CommandResult> {
    const given = isGroup(input) ? input : {};
    let changedFields: string[] = [];
    const result = await this.transition(actor, id, 'edit', opts, (c) => {
      // A field the form left out (too long for it) stays as it is; an empty one is cleared.
      const data = parseInput(editSchema, {
        consulter: { ...c.consulter, ...(isGroup(given.consulter) ? given.consulter : {}) },
        subject: given.subject ?? c.subject,
        details: given.details ?? c.details,
        situation: { ...c.situation, ...(isGroup(given.situation) ? given.situation : {}) },
      });
      // Which fields changed, as the form names them (`consulter.email`, `subject`).
      const fields = EDITABLE.flatMap((k) => changedPaths(k, c[k], data[k]));
      changedFields = fields;
      const changed = new Set(fields.map((f) => f.split('.')[0]));
      const patch = Object.fromEntries(
        EDITABLE.filter((k) => changed.has(k)).map((k) => [k, data[k]]),
      );
      return {
        to: c.state,
        patch,
        summary: { fields },
        reindex: true,
        unchanged: fields.length === 0,
      };
    });
    return result.changed ? { ...result, fields: changedFields } : result;
  }

  /**
   * The specialist gives a dispatched case back to first line (outside their field, or
   * they cannot take it), saying why; its first-line owner is told, and can answer it or
   * dispatch it to someone else.
   */
  async returnToFirstLine(
    actor: Actor,
    id: number,
    input: unknown,
    opts: CommandOptions = {},
  ): Promise<CommandResult> {
    const data = parseInput(returnSchema, input);
    return this.transition(actor, id, 'return', opts, (c) => {
      const owner = c.firstLineOwner;
      return {
        to: owner ? 'claimed' : 'received',
        patch: { specialist: null },
        summary: { reason: data.reason },
        reindex: true,
        notices:
          owner && owner.id !== actor.id ? [{ kind: 'returned', recipientId: owner.id }] : [],
      };
    });
  }

  /**
   * An answer given at first line (claimed) or by the specialist (dispatched). With
   * `opts.email` it is saved as `sending`, addressed as given, for the mail service.
   */
  async answer(
    actor: Actor,
    id: number,
    input: unknown,
    opts: AnswerOptions = {},
  ): Promise<AnswerResult> {
    const data = parseInput(answerSchema, input);
    if (opts.email && data.delivery !== 'email')
      throw fieldError('delivery', 'field.invalid_choice');
    let answerId: number | undefined;
    const result = await this.transition(actor, id, 'answer', opts, (c) => {
      const summary: Record<string, unknown> = { delivery: data.delivery };
      // The first-line owner hears of an answer someone else gave.
      const owner = c.firstLineOwner;
      return {
        to: 'answered',
        patch: {},
        summary,
        reindex: true,
        notices:
          owner && owner.id !== actor.id ? [{ kind: 'answered', recipientId: owner.id }] : [],
        effect: async (trx, at) => {
          answerId = await this.repo.insertAnswer(trx, {
            consultationId: id,
            author: ref(actor),
            line: c.state === 'dispatched' ? 'second' : 'first',
            body: data.body,
            delivery: data.delivery,
            createdAt: at,
            deliveryStatus: opts.email ? 'sending' : 'recorded',
            email: opts.email ?? null,
            attempts: opts.email ? 1 : 0,
            requestId: opts.requestId ?? null,
          });
          summary.answerId = answerId; // the history entry is written after this
        },
      };
    });
    const db = this.deps.store.db;
    const answer =
      answerId !== undefined
        ? await this.repo.findAnswer(db, answerId)
        : opts.requestId
          ? await this.repo.answerByRequest(db, opts.requestId)
          : null;
    return { ...result, answer };
  }

  /** An internal note, visible to staff only. */
  async addNote(
    actor: Actor,
    id: number,
    input: unknown,
    opts: CommandOptions = {},
  ): Promise<CommandResult> {
    this.requireStaff(actor, 'note');
    const data = parseInput(noteSchema, input);
    return this.transition(actor, id, 'note', opts, (c) => ({
      to: c.state,
      patch: {},
      summary: { source: data.source },
      reindex: true,
      effect: async (trx, at) => {
        await this.repo.insertNote(trx, {
          consultationId: id,
          author: ref(actor),
          body: data.body,
          source: data.source,
          createdAt: at,
        });
      },
    }));
  }

  async recategorise(
    actor: Actor,
    id: number,
    input: unknown,
    opts: CommandOptions = {},
  ): Promise<CommandResult> {
    const data = parseInput(recategoriseSchema, input);
    if (!this.deps.categoryIds.has(data.categoryId))
      throw fieldError('categoryId', 'field.invalid_choice');
    return this.transition(actor, id, 'recategorise', opts, (c) => ({
      to: c.state,
      patch: { categoryId: data.categoryId, ...(data.urgency ? { urgency: data.urgency } : {}) },
    }));
  }

  /**
   * Closes an answered case. A supervisor may also close an open case that will not be
   * answered (withdrawn, a duplicate), with a reason.
   */
  async close(
    actor: Actor,
    id: number,
    input: unknown = {},
    opts: CommandOptions = {},
  ): Promise<CommandResult> {
    const data = parseInput(closeSchema, input);
    return this.transition(actor, id, 'close', opts, (c) => {
      if (c.state !== 'answered' && !data.reason) throw fieldError('reason', 'field.required');
      return {
        to: 'closed',
        patch: { closedAt: this.now().toISOString() },
        summary: { reason: data.reason },
      };
    });
  }

  /** The consulter wrote again: the reopener takes the case back at first line. */
  async reopen(actor: Actor, id: number, opts: CommandOptions = {}): Promise<CommandResult> {
    return this.transition(actor, id, 'reopen', opts, () => ({
      to: 'claimed',
      patch: { firstLineOwner: ref(actor), closedAt: null },
    }));
  }

  /**
   * Erases a closed record's personal data at the consulter's request: a supervisor's
   * act, confirmed by typing the record's number. What is kept and what goes is
   * `ErasureRepository.erase`; the history says who erased it and when. Erasing an
   * erased record changes nothing.
   */
  async erase(
    actor: Actor,
    id: number,
    input: unknown,
    opts: CommandOptions = {},
  ): Promise<CommandResult> {
    if (!mayErase(actor)) throw new ForbiddenError('erase');
    const data = parseInput(eraseSchema, input);
    return this.eraseRecord(actor, id, 'request', opts, (c) => {
      if (data.confirmNumber !== c.number)
        throw fieldError('confirmNumber', 'field.number_mismatch');
    });
  }

  /**
   * The retention schedule erases a record it found closed before `closedBefore` (an
   * ISO time). Refused if the record was reopened, or closed again later, meanwhile.
   */
  async eraseExpired(id: number, closedBefore: string): Promise<CommandResult> {
    return this.eraseRecord(RETENTION, id, 'retention', {}, (c) => {
      if (!c.closedAt || Date.parse(c.closedAt) >= Date.parse(closedBefore)) {
        throw new InvalidTransitionError('erase', c.state);
      }
    });
  }

  /**
   * Remembers where the record's Teams card was posted, and which version of the record
   * it shows (when known). The system does this, not a person; it is in the history but
   * does not change the version users act on.
   */
  async linkCard(
    id: number,
    card: TeamsCardRef,
    actor: PersonRef,
    shownVersion: number | null = null,
  ): Promise<Consultation> {
    return inTransaction(this.deps.store, async (trx) => {
      const c = await this.mustFind(trx, id);
      await this.repo.setCard(trx, id, card, shownVersion);
      await this.repo.appendHistory(trx, {
        consultationId: id,
        action: 'link-card',
        actor,
        at: this.now().toISOString(),
        fromState: c.state,
        toState: c.state,
        before: { teamsCard: c.teamsCard },
        after: { teamsCard: card },
        requestId: null,
      });
      return this.mustFind(trx, id);
    });
  }

  /** The record's card in Teams now shows `version` of it (bookkeeping, no history). */
  async cardShown(id: number, version: number): Promise<void> {
    await this.repo.setCardShown(this.deps.store.db, id, version);
  }

  /** Records whose card in Teams shows an older version than theirs, at most `limit`. */
  cardsBehind(limit: number): Promise<number[]> {
    return this.repo.cardsBehind(this.deps.store.db, limit);
  }

  /**
   * Open records with no card in Teams that nobody is posting, at most `limit`: those
   * older than `CARD_POSTING_GRACE_MS`, whose own posting had its chance.
   */
  cardsMissing(limit: number): Promise<number[]> {
    const now = this.now().getTime();
    return this.repo.cardsMissing(this.deps.store.db, {
      createdBefore: new Date(now - CARD_POSTING_GRACE_MS).toISOString(),
      now: new Date(now).toISOString(),
      limit,
    });
  }

  /**
   * Teams deleted a channel: the open records whose cards were there have none any more,
   * and the catch-up posts them in the intake channel. Bookkeeping, no history; how many.
   */
  cardsGoneWith(conversationId: string): Promise<number> {
    return this.repo.unlinkOpenCards(this.deps.store.db, conversationId);
  }

  /**
   * Takes the posting of a record's first card for `CARD_POSTING_LEASE_MS`: false when it
   * has one, or another instance is posting it. A posting that fails is tried again once
   * the lease is over.
   */
  takeCardPosting(id: number): Promise<boolean> {
    const now = this.now().getTime();
    return this.repo.takeCardPosting(
      this.deps.store.db,
      id,
      new Date(now).toISOString(),
      new Date(now + CARD_POSTING_LEASE_MS).toISOString(),
    );
  }

  private async eraseRecord(
    actor: Actor,
    id: number,
    reason: ErasureReason,
    opts: CommandOptions,
    check: (c: Consultation) => void,
  ): Promise<CommandResult> {
    if (!mayErase(actor)) throw new ForbiddenError('erase');
    return inTransaction(this.deps.store, async (trx) => {
      const prior = await this.priorResult(trx, opts.requestId, 'erase');
      if (prior) return prior;
      const c = await this.mustFind(trx, id);
      if (c.erasure) return { consultation: c, changed: false };
      if (opts.expectedVersion !== undefined && opts.expectedVersion !== c.version) {
        throw await this.conflict(trx, id, 'erase');
      }
      if (!erasable(c)) throw new InvalidTransitionError('erase', c.state);
      check(c);
      const at = this.now().toISOString();
      const erased = await this.erasure.erase(trx, c, reason, at);
      if (!erased) {
        // Someone else was first: if they erased it too, that is what was asked.
        const now = await this.mustFind(trx, id);
        if (now.erasure) return { consultation: now, changed: false };
        throw await this.conflict(trx, id, 'erase');
      }
      await this.repo.appendHistory(trx, {
        consultationId: id,
        action: 'erase',
        actor: ref(actor),
        at,
        fromState: c.state,
        toState: c.state,
        before: null,
        after: { erasure: reason },
        requestId: opts.requestId ?? null,
        version: c.version + 1,
      });
      return { consultation: erased, changed: true };
    });
  }

  private requireStaff(actor: Actor, action: Action): void {
    if (!isStaff(actor)) throw new ForbiddenError(action);
  }

  /**
   * The shape of every change: a redelivered request changes nothing; the actor must be
   * staff and the action must apply in the current state; `decide` applies the rules;
   * then one guarded update, the action's own rows, and a history entry.
   */
  private async transition(
    actor: Actor,
    id: number,
    action: Verb,
    opts: CommandOptions,
    decide: (c: Consultation) => Decision,
  ): Promise<CommandResult> {
    this.requireStaff(actor, action);
    return inTransaction(this.deps.store, async (trx) => {
      // The record before the request's own history: on PostgreSQL each statement sees
      // what was committed before it, so a twin request that commits in between is seen
      // by the second read if the first saw its change, never the other way round.
      const c = await this.mustFind(trx, id);
      const prior = await this.priorResult(trx, opts.requestId, action);
      if (prior) return prior;

      if (c.erasure) throw new ErasedError(action, c.erasure);
      if (opts.expectedVersion !== undefined && opts.expectedVersion !== c.version) {
        if (!(await this.onlyQuietSince(trx, c, opts.expectedVersion))) {
          throw await this.conflict(trx, id, action);
        }
      }
      if (action === 'claim' && c.state === 'claimed' && isOwner(actor, c)) {
        return { consultation: c, changed: false }; // pressing claim twice
      }
      if (!applies(action, c)) {
        // Without a version to compare, the most useful answer is who changed it last.
        if (opts.expectedVersion === undefined) throw await this.conflict(trx, id, action);
        throw new InvalidTransitionError(action, c.state);
      }
      if (!permits(actor, action, c)) throw new ForbiddenError(action);

      const d = decide(c);
      if (d.unchanged) return { consultation: c, changed: false };
      const at = this.now().toISOString();
      const patch: ConsultationPatch = { ...d.patch, state: d.to };
      const updated = await this.repo.updateGuarded(trx, id, c, patch, at);
      if (!updated) {
        const again = await this.priorResult(trx, opts.requestId, action);
        if (again) return again;
        throw await this.conflict(trx, id, action);
      }
      await d.effect?.(trx, at);
      await this.repo.appendHistory(trx, {
        consultationId: id,
        action,
        actor: ref(actor),
        at,
        fromState: c.state,
        toState: d.to,
        before: pick(c, Object.keys(d.patch)),
        after: { ...d.patch, ...d.summary },
        requestId: opts.requestId ?? null,
        version: c.version + 1,
      });
      for (const n of d.notices ?? []) {
        await this.notices.add(trx, {
          ...n,
          consultationId: id,
          by: ref(actor),
          at,
          version: c.version + 1,
        });
      }
      if (d.reindex) await this.repo.reindex(trx, id);
      // The effect adds rows of its own (a note, an answer); the record is as updated.
      return { consultation: updated, changed: true };
    });
  }

  /**
   * Whether everything that happened since the version a person saw leaves their press
   * meaning what it meant: notes only (a note changes no state, owner or field).
   */
  private async onlyQuietSince(trx: Trx, c: Consultation, seen: number): Promise<boolean> {
    if (seen > c.version) return false;
    const since = await this.repo.actionsSince(trx, c.id, seen);
    return since.length === c.version - seen && since.every((a) => QUIET_ACTIONS.has(a));
  }

  private async priorResult(
    trx: Trx,
    requestId: string | undefined,
    action: Action,
  ): Promise<CommandResult | null> {
    if (!requestId) return null;
    const entry = await this.repo.findByRequest(trx, requestId, action);
    if (!entry) return null;
    return { consultation: await this.mustFind(trx, entry.consultationId), changed: false };
  }

  private async mustFind(trx: Trx, id: number): Promise<Consultation> {
    const c = await this.repo.findById(trx, id);
    if (!c) throw new NotFoundError(id);
    return c;
  }

  /** The conflict error for a loser: the current state and who changed it last. */
  private async conflict(trx: Trx, id: number, attempted: Action): Promise<ConflictError> {
    const current = await this.mustFind(trx, id);
    const last = await this.repo.lastHistory(trx, id);
    return new ConflictError(attempted, current.state, toLastChange(current, last));
  }
}

interface Decision {
  to: State;
  patch: Omit<ConsultationPatch, 'state'>;
  /** What the history should say beyond the changed fields. */
  summary?: Record<string, unknown>;
  /** Rows the action adds (a note, an answer), in the same transaction. */
  effect?: (trx: Trx, at: string) => Promise<void>;
  /** Whether searchable text changed. */
  reindex?: boolean;
  /** 1:1 notices the change owes, delivered after it (and later, if they could not be). */
  notices?: Array<{ kind: NoticeKind; recipientId: string }>;
  /** Nothing would change: no history, the version stays. */
  unchanged?: boolean;
}

/** The paths under `key` whose value differs: `[key]` for a value, `key.part` for a group. */
function changedPaths(key: string, was: unknown, now: unknown): string[] {
  if (isGroup(was) && isGroup(now)) {
    const parts = [...new Set([...Object.keys(was), ...Object.keys(now)])];
    return parts.filter((p) => was[p] !== now[p]).map((p) => `${key}.${p}`);
  }
  return was === now ? [] : [key];
}

const isGroup = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Changes that leave a press on a card shown before them meaning what it meant. */
const QUIET_ACTIONS: ReadonlySet<Action> = new Set<Action>(['note']);

function toLastChange(c: Consultation, last: HistoryEntry | null): LastChange {
  if (!last) return { action: 'create', by: c.createdBy, at: c.createdAt };
  const reason = last.action === 'return' ? last.after?.reason : undefined;
  const fields = last.action === 'edit' ? last.after?.fields : undefined;
  return {
    action: last.action,
    by: last.actor,
    at: last.at,
    ...(typeof reason === 'string' ? { reason } : {}),
    ...(Array.isArray(fields) ? { fields: fields.filter((f) => typeof f === 'string') } : {}),
  };
}

function pick(c: Consultation, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { state: c.state };
  for (const k of keys) out[k] = (c as unknown as Record<string, unknown>)[k];
  return out;
}
