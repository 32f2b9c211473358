/** Short cards: invoke answers, help and lists. */
import {
  card,
  type AdaptiveCard,
  type CardElement,
  type ExecuteAction,
  type OpenUrlAction,
  type TextBlock,
} from './adaptive-card';
import { VERBS, type ConsultationListItem, type ListCardOptions } from './models';
import { urgencyBadge } from './sections';
import { escapeMarkdown, formatTokyo, truncate } from './text';
import {
  countText,
  intakeChannelHelp,
  moreCount,
  w,
  waitedText,
  waitingHeading,
  type Lang,
  type Localized,
} from '../i18n';
import { STATE_LABELS } from '../../src/consultation/labels';
import type { State } from '../../src/consultation/types';

/** At most this many rows on one list card; the rest is counted, not shown. */
export const LIST_MAX_ROWS = 25;
const LIST_SUBJECT_MAX_CHARS = 120;

/**
 * A one-line answer to a button press, e.g. 「すでに山田さんが担当しています」.
 * The text is shown as plain text (markdown in it is escaped).
 */
export function noticeCard(text: string): AdaptiveCard {
  return card([{ type: 'TextBlock', text: escapeMarkdown(text), wrap: true }]);
}

/** An error to show instead of the card the user pressed on (invoke response). */
export function errorCard(message: Localized, lang: Lang = 'ja'): AdaptiveCard {
  return card([
    {
      type: 'Container',
      style: 'attention',
      items: [
        {
          type: 'TextBlock',
          text: w('error.title', lang),
          weight: 'bolder',
          color: 'attention',
          wrap: true,
        },
        { type: 'TextBlock', text: escapeMarkdown(message[lang]), wrap: true, spacing: 'small' },
      ],
    },
  ]);
}

/**
 * What the bot can do, with buttons for the most common requests; `intakeName`, the intake
 * channel's name, says where the cards arrive.
 */
export function helpCard(lang: Lang = 'ja', intakeName?: string): AdaptiveCard {
  const line = (text: string): CardElement => ({
    type: 'TextBlock',
    text,
    wrap: true,
    spacing: 'small',
  });
  return card(
    [
      {
        type: 'TextBlock',
        text: w('help.title', lang),
        size: 'medium',
        weight: 'bolder',
        wrap: true,
      },
      { type: 'TextBlock', text: w('help.intro', lang), wrap: true },
      line(`- ${w('help.new', lang)}`),
      line(`- ${w('help.mine', lang)}`),
      line(`- ${w('help.waiting', lang)}`),
      line(`- ${w('help.search', lang)}`),
      line(`- ${w('help.language', lang)}`),
      line(`- ${w('help.help', lang)}`),
      {
        type: 'TextBlock',
        text: intakeChannelHelp(intakeName && escapeMarkdown(intakeName), lang),
        wrap: true,
        isSubtle: true,
        spacing: 'medium',
      },
    ],
    {
      fallbackText: w('help.title', lang),
      actions: [
        { type: 'Action.Execute', verb: VERBS.intakeNew, title: w('help.button.new', lang) },
        { type: 'Action.Execute', verb: VERBS.listMine, title: w('help.button.mine', lang) },
        waitingButton(lang),
      ],
    },
  );
}

/** A list of consultations (my open cases, search results), each with a button to open it. */
export function listCard(
  items: readonly ConsultationListItem[],
  lang: Lang = 'ja',
  options: ListCardOptions = {},
): AdaptiveCard {
  const title = (options.title ?? { ja: w('list.title', 'ja'), en: w('list.title', 'en') })[lang];
  const shown = items.slice(0, LIST_MAX_ROWS);
  const total = Math.max(options.total ?? items.length, items.length);
  const body: CardElement[] = [
    {
      type: 'TextBlock',
      text: `${escapeMarkdown(title)}（${countText(total, options.totalIsLowerBound, lang)}）`,
      size: 'medium',
      weight: 'bolder',
      wrap: true,
    },
  ];
  if (shown.length === 0) {
    body.push({ type: 'TextBlock', text: w('list.empty', lang), isSubtle: true, wrap: true });
  }
  body.push(...shown.map((item) => listRow(item, lang)));
  if (total > shown.length) {
    body.push({
      type: 'TextBlock',
      text: moreCount(total - shown.length, lang, options.totalIsLowerBound),
      isSubtle: true,
      wrap: true,
    });
  }
  return card(body, {
    fallbackText: w('list.title', lang),
    ...(options.actions?.length ? { actions: options.actions } : {}),
  });
}

/** The button that opens a list's records in the ledger, all of them, to filter further. */
export function ledgerListButton(url: string, lang: Lang): OpenUrlAction {
  return { type: 'Action.OpenUrl', title: w('list.inLedger', lang), url };
}

/** The button that shows what is waiting at the desk (「状況」). */
export function waitingButton(lang: Lang): ExecuteAction {
  return { type: 'Action.Execute', verb: VERBS.listWaiting, title: w('help.button.waiting', lang) };
}

function listRow(item: ConsultationListItem, lang: Lang): CardElement {
  // An erased record's subject is gone: a placeholder keeps the row readable.
  const title: TextBlock = item.erased
    ? { type: 'TextBlock', text: w('value.erased', lang), isSubtle: true, wrap: true }
    : {
        type: 'TextBlock',
        text: escapeMarkdown(truncate(item.subject, LIST_SUBJECT_MAX_CHARS).text),
        weight: 'bolder',
        wrap: true,
      };
  return {
    type: 'ColumnSet',
    separator: true,
    spacing: 'medium',
    columns: [
      {
        type: 'Column',
        width: 'auto',
        verticalContentAlignment: 'center',
        items: [urgencyBadge(item.urgency, lang)],
      },
      {
        type: 'Column',
        width: 'stretch',
        verticalContentAlignment: 'center',
        items: [
          title,
          {
            type: 'TextBlock',
            text: `${item.number} ・ ${STATE_LABELS[item.state][lang]} ・ ${formatTokyo(item.receivedAt)}`,
            isSubtle: true,
            size: 'small',
            spacing: 'none',
            wrap: true,
          },
        ],
      },
      {
        type: 'Column',
        width: 'auto',
        verticalContentAlignment: 'center',
        items: [
          {
            type: 'ActionSet',
            actions: [
              {
                type: 'Action.Execute',
                verb: VERBS.open,
                title: w('list.open', lang),
                data: { consultationId: item.consultationId },
              },
            ],
          },
        ],
      },
    ],
  };
}

/** The open records of one state, as the waiting summary shows them. */
export interface WaitingGroupOnCard {
  state: State;
  total: number;
  /** Those received longest ago, oldest first. */
  oldest: readonly ConsultationListItem[];
}

/**
 * What is waiting at the desk (「状況」): for each open state with records in it, how many
 * and how long the longest has waited since it was received, then the longest waiting,
 * each with its 「開く」 button. `now` is when it was read.
 */
export function waitingCard(
  groups: readonly WaitingGroupOnCard[],
  now: Date,
  lang: Lang = 'ja',
): AdaptiveCard {
  const body: CardElement[] = [
    {
      type: 'TextBlock',
      text:
        lang === 'ja'
          ? `${w('waiting.title', lang)}（${formatTokyo(now.toISOString(), 'short')} 時点）`
          : `${w('waiting.title', lang)} (as of ${formatTokyo(now.toISOString(), 'short')})`,
      size: 'medium',
      weight: 'bolder',
      wrap: true,
    },
  ];
  const waiting = groups.filter((g) => g.total > 0 && g.oldest.length > 0);
  if (waiting.length === 0) {
    body.push({ type: 'TextBlock', text: w('waiting.none', lang), isSubtle: true, wrap: true });
  }
  for (const g of waiting) {
    const longest = waitedText(now.getTime() - Date.parse(g.oldest[0]!.receivedAt), lang);
    body.push(
      {
        type: 'TextBlock',
        text: waitingHeading(g.state, g.total, longest, lang),
        weight: 'bolder',
        spacing: 'large',
        wrap: true,
      },
      ...g.oldest.map((item) => listRow(item, lang)),
    );
    if (g.total > g.oldest.length) {
      body.push({
        type: 'TextBlock',
        text: moreCount(g.total - g.oldest.length, lang),
        isSubtle: true,
        wrap: true,
      });
    }
  }
  return card(body, { fallbackText: w('waiting.title', lang) });
}
