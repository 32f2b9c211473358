/**
 * From service results to card view models: what one person sees of one record.
 * Pure; the handler supplies the facts.
 */
import type { LastChange } from '../src/errors';
import type { Localized } from '../src/i18n/messages';
import {
  allowedVerbs,
  applies,
  maySendAgain,
  VERBS as ALL_VERBS,
} from '../src/consultation/policy';
import type {
  RelatedConsultations,
  SimilarConsultation,
  WaitingGroup,
} from '../src/consultation/consultation.service';
import {
  OPEN_STATES,
  type Actor,
  type Answer,
  type Consultation,
  type PersonRef,
} from '../src/consultation/types';
import type { EmailOptions } from '../src/mail/reply.service';
import { templatesFor } from '../src/mail/templates';
import type { AdaptiveCard, CardElement } from './cards/adaptive-card';
import type { WaitingGroupOnCard } from './cards/small-cards';
import type {
  AnswerSummary,
  ConsultationCardModel,
  ConsultationListItem,
  RelatedOnCard,
  ReplyFormModel,
  SimilarOnCard,
} from './cards/models';
import { otherConsultationsNotice, type Lang } from './i18n';
import { lineBlocks } from './cards/text';

export interface CardContext {
  /** Specialists to offer in the dispatch form. */
  specialists: readonly PersonRef[];
  /** Teams user ids whose card refreshes to their own view (first 60 are used). */
  refreshUserIds: readonly string[];
  /** Where a record opens in the ledger, when that can be linked. */
  ledgerUrl?: ((consultationId: number) => string) | null;
}

/** What the reply service says about a record, for its card. */
export interface ReplyFacts {
  /** How the consulter can be emailed, for the reply form; null when no form is offered. */
  options: EmailOptions | null;
  /** The record's latest answer. */
  latest: Answer | null;
  /** Whether the latest answer can be sent again now (the reply service's `canRetry`). */
  retryable: boolean;
}

/** The card as one person sees it: only the buttons they may press now. */
export function personalView(
  actor: Actor,
  c: Consultation,
  lastChange: LastChange | null,
  ctx: CardContext,
  reply?: ReplyFacts,
  related?: RelatedConsultations | null,
): ConsultationCardModel {
  return {
    ...common(c, lastChange, ctx, reply, related, (a) => maySendAgain(actor, c, a)),
    actions: allowedVerbs(actor, c),
  };
}

/**
 * The card everyone sees before it refreshes to their own view (and wherever Teams does
 * not refresh): every action the state allows; the service still decides who may.
 */
export function sharedView(
  c: Consultation,
  lastChange: LastChange | null,
  ctx: CardContext,
  reply?: ReplyFacts,
  related?: RelatedConsultations | null,
): ConsultationCardModel {
  return {
    ...common(c, lastChange, ctx, reply, related, () => true),
    actions: ALL_VERBS.filter((v) => applies(v, c)),
  };
}

function common(
  c: Consultation,
  lastChange: LastChange | null,
  ctx: CardContext,
  reply: ReplyFacts | undefined,
  related: RelatedConsultations | null | undefined,
  mayRetry: (answer: Answer) => boolean,
) {
  const others = relatedOnCard(c, related, ctx.ledgerUrl);
  return {
    consultation: c,
    lastChange,
    // Dispatched already, it goes to another specialist than the one it is with.
    specialists:
      c.state === 'dispatched'
        ? ctx.specialists.filter((s) => s.id !== c.specialist?.id)
        : ctx.specialists,
    refreshUserIds: ctx.refreshUserIds,
    ...(ctx.ledgerUrl ? { ledgerUrl: ctx.ledgerUrl(c.id) } : {}),
    ...(others ? { related: others } : {}),
    ...(reply
      ? {
          reply: replyForm(c, reply.options),
          answer: reply.latest
            ? answerSummary(reply.latest, reply.retryable && mayRetry(reply.latest))
            : null,
        }
      : {}),
  };
}

/** The reply form's choices: the category's templates, and email when the record allows it. */
export function replyForm(c: Consultation, options: EmailOptions | null): ReplyFormModel {
  return {
    templates: templatesFor(c.categoryId).map((t) => ({ id: t.id, title: t.title })),
    email: options?.plan ? { method: options.plan.method } : null,
    emailByDefault: !!options?.plan && options.mailConfigured,
    notice: options?.notice ?? null,
  };
}

function answerSummary(a: Answer, canRetry: boolean): AnswerSummary {
  return {
    id: a.id,
    author: a.author,
    createdAt: a.createdAt,
    delivery: a.delivery,
    deliveryStatus: a.deliveryStatus,
    body: a.body,
    lastError: a.deliveryStatus === 'failed' ? (a.lastError?.message ?? null) : null,
    canRetry,
  };
}

/**
 * The same consulter's other records as a card names them, each linked to the ledger when
 * it can be; null when there are none, and on an erased record's card.
 */
export function relatedOnCard(
  c: Consultation,
  related: RelatedConsultations | null | undefined,
  ledgerUrl?: ((consultationId: number) => string) | null,
): RelatedOnCard | null {
  if (c.erasure || !related || related.records.length === 0) return null;
  return {
    total: related.total,
    records: related.records.map(({ consultation: r }) => ({
      number: r.number,
      state: r.state,
      ...(ledgerUrl ? { ledgerUrl: ledgerUrl(r.id) } : {}),
    })),
  };
}

/** How many of the consulter's other records the intake confirmation names (open ones always). */
const NOTICE_RECORDS = 3;

/**
 * What the person who recorded a consultation is told of the consulter's other ones: the
 * latest few by number and state, and every open one among those the service gave. Null
 * when there are none. `open` says whether one of them is still open.
 */
export function relatedNotice(
  related: RelatedConsultations | null | undefined,
): { message: Localized; open: boolean } | null {
  if (!related || related.records.length === 0) return null;
  const isOpen = (c: Consultation) => OPEN_STATES.includes(c.state);
  const listed = related.records
    .map((r) => r.consultation)
    .filter((c, i) => i < NOTICE_RECORDS || isOpen(c))
    .map((c) => ({ number: c.number, state: c.state }));
  return {
    message: {
      ja: otherConsultationsNotice(related.total, listed, 'ja'),
      en: otherConsultationsNotice(related.total, listed, 'en'),
    },
    open: related.records.some((r) => isOpen(r.consultation)),
  };
}

/** A banner's look: `emphasis` is a plain note, the others colour the text too. */
export type BannerStyle = 'good' | 'attention' | 'warning' | 'emphasis';

/** The card with a message on top: who was faster, what was not allowed, what was saved. */
export function withBanner(
  card: AdaptiveCard,
  message: Localized,
  lang: Lang,
  style: BannerStyle,
): AdaptiveCard {
  const banner: CardElement = {
    type: 'Container',
    style,
    items: [
      {
        type: 'TextBlock',
        text: message[lang],
        wrap: true,
        weight: 'bolder',
        ...(style === 'emphasis' ? {} : { color: style }),
      },
    ],
  };
  return { ...card, body: [banner, ...card.body] };
}

/**
 * The card with what the person typed put back into its inputs, so a refused or failed
 * action loses nothing: they open the form again and find their text.
 */
export function withDrafts(
  card: AdaptiveCard,
  drafts: Readonly<Record<string, string>>,
): AdaptiveCard {
  const fill = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(fill);
    if (!node || typeof node !== 'object') return node;
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) copy[k] = fill(v);
    const id = copy.id;
    if (
      typeof copy.type === 'string' &&
      copy.type.startsWith('Input.') &&
      typeof id === 'string' &&
      id in drafts
    ) {
      copy.value = drafts[id];
    }
    return copy;
  };
  return fill(card) as AdaptiveCard;
}

/**
 * The card with a text the person typed shown on it (an answer that could not be saved),
 * so it can be copied: nothing typed is lost, even when the form is gone.
 */
export function withTypedText(
  card: AdaptiveCard,
  title: Localized,
  text: string,
  lang: Lang,
): AdaptiveCard {
  const typed: CardElement = {
    type: 'Container',
    style: 'emphasis',
    items: [
      { type: 'TextBlock', text: title[lang], weight: 'bolder', wrap: true },
      ...lineBlocks(text, { spacing: 'small' }),
    ],
  };
  return { ...card, body: [typed, ...card.body] };
}

/** Similar past cases as the reply form shows them; numbers link to the ledger when they can. */
export function similarOnCard(
  similar: readonly SimilarConsultation[],
  ledgerUrl: ((consultationId: number) => string) | null | undefined,
): SimilarOnCard[] {
  return similar.map(({ consultation: s, likeness, answer }) => ({
    number: s.number,
    subject: s.subject,
    likeness,
    excerpt: answer.body,
    answeredBy: { name: answer.author.name, line: answer.line, at: answer.createdAt },
    ...(ledgerUrl ? { ledgerUrl: ledgerUrl(s.id) } : {}),
  }));
}

/** A record as a list card's row. */
export function listItem(c: Consultation): ConsultationListItem {
  return {
    consultationId: c.id,
    number: c.number,
    subject: c.subject,
    state: c.state,
    urgency: c.urgency,
    receivedAt: c.receivedAt,
    erased: c.erasure !== null,
  };
}

/** What is waiting, as the summary card shows it. */
export function waitingOnCard(groups: readonly WaitingGroup[]): WaitingGroupOnCard[] {
  return groups.map((g) => ({ ...g, oldest: g.oldest.map(listItem) }));
}
