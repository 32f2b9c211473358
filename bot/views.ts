/**
 * From service results to card view models: what one person sees of one record.
 * Pure; the handler supplies the facts.
 */
import type { LastChange } from '../src/errors';
import type { Localized } from '../src/i18n/messages';
import { allowedVerbs, applies, VERBS as ALL_VERBS } from '../src/consultation/policy';
import type { Actor, Consultation, PersonRef } from '../src/consultation/types';
import type { AdaptiveCard, CardElement } from './cards/adaptive-card';
import type { ConsultationCardModel } from './cards/models';
import type { Lang } from './i18n';

export interface CardContext {
  /** Specialists to offer in the dispatch form. */
  specialists: readonly PersonRef[];
  /** Teams user ids whose card refreshes to their own view (first 60 are used). */
  refreshUserIds: readonly string[];
}

/** The card as one person sees it: only the buttons they may press now. */
export function personalView(
  actor: Actor,
  c: Consultation,
  lastChange: LastChange | null,
  ctx: CardContext,
): ConsultationCardModel {
  return { ...common(c, lastChange, ctx), actions: allowedVerbs(actor, c) };
}

/**
 * The card everyone sees before it refreshes to their own view (and wherever Teams does
 * not refresh): every action the state allows; the service still decides who may.
 */
export function sharedView(
  c: Consultation,
  lastChange: LastChange | null,
  ctx: CardContext,
): ConsultationCardModel {
  return { ...common(c, lastChange, ctx), actions: ALL_VERBS.filter((v) => applies(v, c)) };
}

function common(c: Consultation, lastChange: LastChange | null, ctx: CardContext) {
  return {
    consultation: c,
    lastChange,
    specialists: ctx.specialists,
    refreshUserIds: ctx.refreshUserIds,
  };
}

export type BannerStyle = 'good' | 'attention' | 'warning';

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
    items: [{ type: 'TextBlock', text: message[lang], wrap: true, weight: 'bolder', color: style }],
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
