import {
  CardFactory,
  MessageFactory,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type TurnContext,
} from 'botbuilder';
import { AppError, UnavailableError, ValidationError, type LastChange } from '../src/errors';
import { localize, type Localized } from '../src/i18n/messages';
import type { Actor, Consultation, PersonRef } from '../src/consultation/types';
import { isUnavailable } from '../src/store/store';
import type { AdaptiveCard, CardVerb } from './cards';
import type { Lang } from './i18n';

/*
 * What the bot's handlers share: its own name, cards as answers and messages, the
 * language to answer in, and errors in the person's words.
 */

/** The bot as the desk sees it in Teams' own words, for the thread and 1:1 notices. */
export const BOT: PersonRef = { id: 'madoguchi', name: 'Madoguchi' };
/** The bot reading a record for everyone's card (the channel's). */
export const SYSTEM: Actor = { ...BOT, roles: ['supervisor'] };

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
export const cardResponse = (card: AdaptiveCard): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: ADAPTIVE,
  value: card as unknown as Record<string, unknown>,
});
export const cardMessage = (card: AdaptiveCard, text?: string): Partial<Activity> =>
  MessageFactory.attachment(CardFactory.adaptiveCard(card), text);

/** Japanese unless the Teams locale is English. */
export const langOfLocale = (locale: string | null | undefined): Lang =>
  (locale ?? '').toLowerCase().startsWith('en') ? 'en' : 'ja';

/** Japanese unless the person's Teams speaks English. */
export const langOf = (activity: Partial<Activity>): Lang => langOfLocale(activity.locale);

/**
 * The language to speak to someone: the one they chose (`日本語` / `English`), else the
 * desk's (`BOT_LANGUAGE`), else their Teams locale's.
 */
export const languageOf = (
  chosen: Lang | null | undefined,
  desk: Lang | null,
  locale: string | null | undefined,
): Lang => chosen ?? desk ?? langOfLocale(locale);

/** The language to answer in: as `languageOf` decided it for the sender, else their Teams locale's. */
export const LANG = Symbol('madoguchi.lang');
export const langFor = (ctx: TurnContext): Lang =>
  (ctx.turnState.get(LANG) as Lang | undefined) ?? langOf(ctx.activity);

/** A message of the desk's, in `lang`. */
export function text(key: Parameters<typeof localize>[0], lang: Lang, params = {}): string {
  return localize(key, params)[lang];
}

/** A message of the desk's as a reply, in `lang`. */
export function say(key: Parameters<typeof localize>[0], lang: Lang): Partial<Activity> {
  return MessageFactory.text(text(key, lang));
}

/** A change as it was made: the record's time of it is the change's own. */
export function changeOf(
  verb: CardVerb,
  actor: Actor,
  c: Consultation,
  reason?: string,
): LastChange {
  return {
    action: verb,
    by: { id: actor.id, name: actor.name },
    at: c.updatedAt,
    ...(reason ? { reason } : {}),
  };
}

/**
 * The error to tell the person, or null for a bug. A database out of reach is "try again"
 * however it surfaced: reads outside a transaction throw the driver's own error.
 */
export function appErrorOf(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (isUnavailable(err)) return new UnavailableError('database', err);
  return null;
}

/** A refusal in words: a validation error lists its fields. */
export function messageOf(err: AppError): Localized {
  if (!(err instanceof ValidationError)) return err.localized;
  const list = Object.values(err.fields);
  return {
    ja: [err.localized.ja, ...list.map((m) => `・${m.ja}`)].join('\n'),
    en: [err.localized.en, ...list.map((m) => `- ${m.en}`)].join('\n'),
  };
}
