/**
 * Validates card JSON with the real `adaptivecards` library (the renderer Teams'
 * web client is built on), plus the two Teams limits the library does not know.
 */
import type * as AdaptiveCards from 'adaptivecards';

// The package's main entry needs a browser; its prebuilt bundle loads in Node.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.min.js') as typeof AdaptiveCards;

const TEAMS_MAX_REFRESH_USERS = 60;

/**
 * Every problem the library reports when it parses the card as schema 1.5 (unknown
 * element or action types, bad enum values, inputs without id, duplicate ids, …),
 * as readable strings. An empty list means the card is valid.
 */
export function validateCard(json: unknown): string[] {
  const problems: string[] = [];
  const root = json as { type?: unknown; version?: unknown; refresh?: { userIds?: unknown } };
  if (root?.type !== 'AdaptiveCard')
    problems.push(`type must be "AdaptiveCard", got ${JSON.stringify(root?.type)}`);
  if (root?.version !== '1.5')
    problems.push(
      `version must be "1.5" (Universal Actions), got ${JSON.stringify(root?.version)}`,
    );
  const userIds = root?.refresh?.userIds;
  if (Array.isArray(userIds) && userIds.length > TEAMS_MAX_REFRESH_USERS) {
    problems.push(
      `refresh.userIds has ${userIds.length} ids; Teams takes at most ${TEAMS_MAX_REFRESH_USERS}`,
    );
  }

  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    problems.push(`parse: ${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  for (const e of card.validateProperties().validationEvents) {
    problems.push(`validate: ${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  return problems;
}
