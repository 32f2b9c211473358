/** Reading the desk's cards as the Agents Playground shows them, for the e2e suites. */
import { ADAPTIVE_CARD_CONTENT_TYPE } from '../../bot/cards';
import { readableTexts } from './card-reading';
import type { Playground, StreamEvent } from './playground';

/** How long to wait for something the bot does; generous, as the machine may be busy. */
export const WAIT_MS = 10_000;

/** The channel's conversation in the Playground: the team's General channel. */
const CHANNEL = 'team-id';

export interface CardJson {
  type: string;
  body: Record<string, unknown>[];
  actions?: Record<string, unknown>[];
  [key: string]: unknown;
}

export const cardsOf = (attachments: { contentType: string; content: unknown }[] | undefined) =>
  (attachments ?? [])
    .filter((a) => a.contentType === ADAPTIVE_CARD_CONTENT_TYPE)
    .map((a) => a.content as CardJson);

export const cardOf = (e: StreamEvent): CardJson => {
  const [card] = cardsOf(e.message?.attachments);
  if (!card) throw new Error(`no card in ${JSON.stringify(e)}`);
  return card;
};

/** The channel card posted as `postId`: its events since `since`, its latest version. */
export function channelCard(pg: Playground, postId: () => string) {
  const events = (since = 0) =>
    pg
      .events()
      .slice(since)
      .filter((e) => e.message?.messageId === postId() && e.actionConversationId === CHANNEL);
  return {
    events,
    latest(): CardJson {
      const last = events().at(-1);
      if (!last) throw new Error('the channel card has not been posted');
      return cardOf(last);
    },
    /** The card updated in place after `since`, showing all of `texts`. */
    updated: (since: number, ...texts: string[]) =>
      pg.waitFor(
        (e) =>
          e.action === 'updateMessage' &&
          e.actionConversationId === CHANNEL &&
          e.message?.messageId === postId() &&
          texts.every((t) =>
            readableTexts(cardsOf(e.message?.attachments)).some((s) => s.includes(t)),
          ),
        WAIT_MS,
        since,
      ),
  };
}

/**
 * A press on an Action.Execute button through the Playground: the answer must be a card,
 * which is returned and kept in `answers` (the suites validate every card they got).
 */
export async function pressThrough(
  pg: Playground,
  answers: unknown[],
  ...[conversationId, user, replyToId, verb, data]: Parameters<Playground['invoke']>
): Promise<CardJson> {
  const answer = await pg.invoke(conversationId, user, replyToId, verb, data);
  answers.push(answer.value);
  if (answer.type !== ADAPTIVE_CARD_CONTENT_TYPE) {
    throw new Error(`the press on ${verb} was answered with ${String(answer.type)}, not a card`);
  }
  return answer.value as CardJson;
}
