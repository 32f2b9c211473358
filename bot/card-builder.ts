import type { LastChange } from '../src/errors';
import type { ConsultationService } from '../src/consultation/consultation.service';
import type { ReplyService } from '../src/mail';
import { applies, permits } from '../src/consultation/policy';
import type { Actor, Consultation, Role } from '../src/consultation/types';
import { consultationCard, type AdaptiveCard } from './cards';
import type { Lang } from './i18n';
import type { People } from './people';
import { SYSTEM } from './turn';
import { personalView, sharedView, type CardContext, type ReplyFacts } from './views';

export interface CardBuilderDeps {
  service: ConsultationService;
  /** The latest answer and how email could go, for the card's answer section. */
  replies: ReplyService;
  people: Pick<People, 'staffPeople'>;
  roles: Readonly<Record<Role, readonly string[]>>;
  /** Where a record opens in the ledger tab, for the card's link. */
  ledgerUrl?: ((consultationId: number) => string) | null;
}

/**
 * A record's consultation card as someone sees it (their own, or the channel's), with
 * what the card needs besides the record: the answer's facts and the staff's names.
 */
export class CardBuilder {
  constructor(private readonly deps: CardBuilderDeps) {}

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
    const facts = await this.replyFacts(c, permits(actor, 'answer', c));
    return consultationCard(
      personalView(actor, c, lastChange, await this.cardContext(), facts),
      lang,
    );
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
    const facts = await this.replyFacts(c, applies('answer', c));
    return consultationCard(sharedView(c, lastChange, await this.cardContext(), facts), lang);
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
      ledgerUrl: this.deps.ledgerUrl,
    };
  }
}
