import type { LastChange } from '../src/errors';
import type {
  ConsultationService,
  RelatedConsultations,
} from '../src/consultation/consultation.service';
import type { ReplyService } from '../src/mail';
import { consulterKeys } from '../src/consultation/consulter-keys';
import { applies, permits } from '../src/consultation/policy';
import type { Actor, Consultation, Role } from '../src/consultation/types';
import { consultationCard, type AdaptiveCard } from './cards';
import type { Lang } from './i18n';
import type { People } from './people';
import type { LedgerLinks } from './ledger-link';
import { SYSTEM } from './turn';
import { personalView, sharedView, type CardContext, type ReplyFacts } from './views';

export interface CardBuilderDeps {
  service: Pick<ConsultationService, 'withLastChange' | 'related'>;
  /** The latest answer and how email could go, for the card's answer section. */
  replies: Pick<ReplyService, 'optionsFor' | 'latestAnswer' | 'canRetry'>;
  people: Pick<People, 'staffPeople'>;
  roles: Readonly<Record<Role, readonly string[]>>;
  /** Where a record or a list opens in the ledger tab, for the cards' links. */
  ledger?: LedgerLinks | null;
  /** The clock, in milliseconds (tests set it). */
  now?: () => number;
}

/**
 * How long the same consulter's other records, read for a record, serve its cards. A
 * change's cards (the presser's, the channel's, each viewer's refresh, a notice's) are
 * built within moments, and so are a busy record's next changes; the other records can
 * change meanwhile, so an entry is not kept for long.
 */
export const RELATED_FRESH_MS = 30_000;
/** Records whose related records are kept at most (the oldest entry goes first). */
const RELATED_KEPT = 500;

/**
 * A record's consultation card as someone sees it (their own, or the channel's), with
 * what the card needs besides the record: the answer's facts and the staff's names.
 */
export class CardBuilder {
  constructor(private readonly deps: CardBuilderDeps) {}

  /** The same consulter's other records, by record and its consulter's keys: `related`. */
  private readonly relatedByVersion = new Map<
    string,
    { at: number; value: Promise<RelatedConsultations> }
  >();

  /** Where the record opens in the ledger tab, when that can be linked. */
  ledgerUrlOf(consultationId: number): string | undefined {
    return this.deps.ledger?.record(consultationId);
  }

  /** Where the ledger's list with these filters opens, when that can be linked. */
  ledgerListUrlOf(filters: Record<string, string>): string | undefined {
    return this.deps.ledger?.list(new URLSearchParams(filters).toString());
  }

  async personalCard(actor: Actor, id: number, lang: Lang): Promise<AdaptiveCard> {
    const { consultation: c, lastChange } = await this.deps.service.withLastChange(actor, id);
    return this.personalCardOf(actor, c, lastChange, lang);
  }

  async personalCardOf(
    actor: Actor,
    c: Consultation,
    lastChange: LastChange,
    lang: Lang,
  ): Promise<AdaptiveCard> {
    const [facts, related, ctx] = await Promise.all([
      this.replyFacts(c, permits(actor, 'answer', c)),
      this.related(actor, c),
      this.cardContext(),
    ]);
    return consultationCard(personalView(actor, c, lastChange, ctx, facts, related), lang);
  }

  /** For someone without a role: the card as the channel shows it (they cannot read more). */
  async sharedCard(id: number, lang: Lang): Promise<AdaptiveCard> {
    const { consultation, lastChange } = await this.deps.service.withLastChange(SYSTEM, id);
    return this.sharedCardOf(consultation, lastChange, lang);
  }

  /** The channel's card of a record: every action its state allows, the latest answer. */
  async sharedCardOf(
    c: Consultation,
    lastChange: LastChange,
    lang: Lang = 'ja',
  ): Promise<AdaptiveCard> {
    const [facts, related, ctx] = await Promise.all([
      this.replyFacts(c, applies('answer', c)),
      this.related(SYSTEM, c),
      this.cardContext(),
    ]);
    return consultationCard(sharedView(c, lastChange, ctx, facts, related), lang);
  }

  /**
   * The same consulter's other records, as the card and the intake confirmation name
   * them; null for an erased record, whose card names nothing of its consulter. Read once
   * for `RELATED_FRESH_MS` and shared by every card of the record built meanwhile: cards
   * are built on every press, the channel's after it, and each viewer's on refresh. They
   * are the other records, which the record's own changes leave as they are, unless the
   * consulter's organisation, email address or phone number changes. What it holds is
   * the same for everyone who may read the record, and the channel's card shows it to
   * everyone there.
   */
  related(actor: Actor, c: Consultation): Promise<RelatedConsultations | null> {
    if (c.erasure) return Promise.resolve(null);
    const now = (this.deps.now ?? Date.now)();
    const keys = consulterKeys(c.consulter);
    const key = `${c.id}\n${keys.organisation}\n${keys.email}\n${keys.phone}`;
    const kept = this.relatedByVersion.get(key);
    if (kept && now - kept.at < RELATED_FRESH_MS) return kept.value;
    const value = this.deps.service.related(actor, c);
    const cache = this.relatedByVersion;
    cache.delete(key);
    cache.set(key, { at: now, value });
    if (cache.size > RELATED_KEPT) cache.delete(cache.keys().next().value!);
    // A failed read is not kept: the next card asks again.
    value.catch(() => {
      if (cache.get(key)?.value === value) cache.delete(key);
    });
    return value;
  }

  /** The latest answer and, when the card offers the reply form, how email could go. */
  private async replyFacts(c: Consultation, offersAnswer: boolean): Promise<ReplyFacts> {
    const replies = this.deps.replies;
    const [options, latest] = await Promise.all([
      offersAnswer ? replies.optionsFor(c) : null,
      replies.latestAnswer(c.id),
    ]);
    return { options, latest, retryable: latest !== null && replies.canRetry(latest) };
  }

  async cardContext(): Promise<CardContext> {
    const staff = await this.deps.people.staffPeople();
    const specialists = this.deps.roles.specialist.map((id) => ({
      id,
      name: staff.find((p) => p.aadObjectId === id)?.name ?? id,
    }));
    return {
      specialists,
      refreshUserIds: staff.map((p) => p.teamsUserId),
      ledgerUrl: this.deps.ledger?.record ?? null,
    };
  }
}
