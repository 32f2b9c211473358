/**
 * The consultation card posted in the team's 「相談受付」 channel and updated in place
 * after every change. Everyone sees the same facts; the buttons are the viewer's own
 * (`model.actions`, delivered per user through Universal Actions refresh).
 */
import {
  categoryChoices,
  categoryName,
  destinationLine,
  markdownUrl,
  urgencyBadge,
} from './sections';
import {
  card,
  type AdaptiveCard,
  type CardAction,
  type CardElement,
  type Choice,
  type ExecuteAction,
  type Fact,
  type Refresh,
  type SubCard,
} from './adaptive-card';
import {
  CARD_INPUTS,
  VERBS,
  type CardVerb,
  type ConsultationCardModel,
  type ConsultationFacts,
  type RelatedOnCard,
  type RelatedRecord,
} from './models';
import { escapeMarkdown, formatTokyo, lineBlocks, truncate } from './text';
import { answerSection, replyFormBody, replyFormSubmit } from './reply-cards';
import {
  erasedSentence,
  honorific,
  lastChangeSentence,
  otherConsultationsLine,
  w,
  type Lang,
  type OtherConsultation,
} from '../i18n';
import {
  CHANNEL_LABELS,
  ERASURE_LABELS,
  STATE_LABELS,
  URGENCY_LABELS,
} from '../../src/consultation/labels';
import { isSystemActorId } from '../../src/consultation/system-actors';
import {
  OPEN_STATES,
  URGENCIES,
  type Erasure,
  type PersonRef,
  type State,
} from '../../src/consultation/types';
import {
  CATEGORIES,
  destinationsFor,
  type Category,
  type Destination,
} from '../../src/knowledge/knowledge';
import { templatesFor } from '../../src/mail/templates';

/** Teams refreshes a card automatically for at most this many users. */
export const MAX_REFRESH_USERS = 60;
/** Longer details are cut on the card; the record and the ledger keep the full text. */
export const CARD_DETAILS_MAX_CHARS = 1000;
const SUBJECT_MAX_CHARS = 200;
const NAME_MAX_CHARS = 100;
/** A return's reason on the card; the ledger keeps it whole. */
const REASON_MAX_CHARS = 500;
/** The adaptivecards library's default host allows 5 buttons in a row (Teams shows up to 6). */
const MAX_TOP_ACTIONS = 5;
/**
 * The order of the buttons, most used first: the lifecycle's next steps, then the
 * ones that go under 「その他の操作」 when there are too many.
 */
const ACTION_ORDER: readonly CardVerb[] = [
  'claim',
  'reopen',
  'dispatch',
  'answer',
  'close',
  'return',
  'note',
  'unclaim',
  'recategorise',
  'edit',
];

/** The channel card for one consultation, as one viewer may act on it. */
export function consultationCard(model: ConsultationCardModel, lang: Lang = 'ja'): AdaptiveCard {
  const c = model.consultation;
  const categories = model.categories ?? CATEGORIES;
  const destinations = model.destinations ?? destinationsFor(c.categoryId);
  if (c.erasure) return erasedCard(model, c.erasure, categories, destinations, lang);
  const body: CardElement[] = [
    header(c, categories, lang),
    subject(c),
    facts(c, model.related, lang),
    ...details(c, model.ledgerUrl, lang),
    ...(model.answer ? answerSection(c.id, model.answer, lang) : []),
    ...lastChange(model, lang),
    whereToReport(destinations, lang),
  ];
  const actions = cardActions(model, categories, lang);
  return card(body, {
    fallbackText: `${w('field.number', lang)} ${c.number}`,
    ...(actions.length > 0 ? { actions } : {}),
    ...refreshFor(c.id, model.refreshUserIds),
  });
}

/**
 * The card of a record whose personal data was erased: the same for everyone, with what
 * was kept (number, channel, category, urgency, dates, state, staff) under a banner that
 * says when and why. Nothing of the consulter's, no buttons, no link, and no refresh:
 * nothing about it can change any more, so no viewer has a view of their own.
 */
function erasedCard(
  model: ConsultationCardModel,
  erasure: Erasure,
  categories: readonly Category[],
  destinations: readonly Destination[],
  lang: Lang,
): AdaptiveCard {
  const c = model.consultation;
  const list: Fact[] = [
    { title: w('field.receivedAt', lang), value: formatTokyo(c.receivedAt) },
    ...(c.closedAt ? [{ title: w('field.closedAt', lang), value: formatTokyo(c.closedAt) }] : []),
    { title: w('field.state', lang), value: STATE_LABELS[c.state][lang] },
    { title: w('field.firstLine', lang), value: person(c.firstLineOwner, lang) },
    { title: w('field.specialist', lang), value: person(c.specialist, lang) },
  ];
  const banner: CardElement = {
    type: 'Container',
    style: 'emphasis',
    items: [
      {
        type: 'TextBlock',
        text: erasedSentence(formatTokyo(erasure.at, 'date'), ERASURE_LABELS[erasure.reason], lang),
        weight: 'bolder',
        wrap: true,
      },
      {
        type: 'TextBlock',
        text: w('erased.kept', lang),
        isSubtle: true,
        size: 'small',
        spacing: 'small',
        wrap: true,
      },
    ],
  };
  const body: CardElement[] = [
    banner,
    header(c, categories, lang),
    {
      type: 'TextBlock',
      text: w('value.erased', lang),
      size: 'medium',
      weight: 'bolder',
      isSubtle: true,
      wrap: true,
    },
    { type: 'FactSet', facts: list },
    ...lastChange(model, lang),
    whereToReport(destinations, lang),
  ];
  return card(body, { fallbackText: `${w('field.number', lang)} ${c.number}` });
}

/** Where to report for the record's category (it says nothing of the consulter). */
function whereToReport(destinations: readonly Destination[], lang: Lang): CardElement {
  return {
    type: 'Container',
    separator: true,
    spacing: 'medium',
    items: [
      { type: 'TextBlock', text: w('destinations.heading', lang), weight: 'bolder', wrap: true },
      ...(destinations.length > 0
        ? destinations.map((d) => destinationLine(d, lang))
        : [
            {
              type: 'TextBlock' as const,
              text: w('destinations.none', lang),
              isSubtle: true,
              wrap: true,
            },
          ]),
    ],
  };
}

/** The first `max` distinct ids: Teams refuses a longer `refresh.userIds`. */
export function refreshUserIds(ids: readonly string[], max = MAX_REFRESH_USERS): string[] {
  return [...new Set(ids)].slice(0, max);
}

function refreshFor(consultationId: number, ids: readonly string[]): { refresh?: Refresh } {
  const userIds = refreshUserIds(ids);
  if (userIds.length === 0) return {};
  return {
    refresh: {
      action: {
        type: 'Action.Execute',
        title: 'refresh',
        verb: VERBS.refresh,
        data: { consultationId },
      },
      userIds,
    },
  };
}

const STATE_COLOR: Record<State, 'accent' | 'default' | 'warning' | 'good'> = {
  received: 'accent',
  claimed: 'default',
  dispatched: 'warning',
  answered: 'good',
  closed: 'good',
};

function header(c: ConsultationFacts, categories: readonly Category[], lang: Lang): CardElement {
  const channelAndCategory = `${CHANNEL_LABELS[c.channel][lang]} ・ ${escapeMarkdown(categoryName(c.categoryId, categories, lang))}`;
  return {
    type: 'ColumnSet',
    columns: [
      {
        type: 'Column',
        width: 'auto',
        verticalContentAlignment: 'center',
        items: [urgencyBadge(c.urgency, lang)],
      },
      {
        type: 'Column',
        width: 'stretch',
        verticalContentAlignment: 'center',
        items: [
          { type: 'TextBlock', text: c.number, weight: 'bolder', wrap: true },
          {
            type: 'TextBlock',
            text: channelAndCategory,
            isSubtle: true,
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
            type: 'TextBlock',
            text: STATE_LABELS[c.state][lang],
            weight: 'bolder',
            color: STATE_COLOR[c.state],
            horizontalAlignment: 'right',
          },
        ],
      },
    ],
  };
}

function subject(c: ConsultationFacts): CardElement {
  return {
    type: 'TextBlock',
    text: escapeMarkdown(truncate(c.subject, SUBJECT_MAX_CHARS).text),
    size: 'medium',
    weight: 'bolder',
    wrap: true,
  };
}

const person = (p: PersonRef | null, lang: Lang) =>
  p
    ? escapeMarkdown(honorific(truncate(p.name, NAME_MAX_CHARS).text, lang))
    : w('value.unassigned', lang);

function consulterText(c: ConsultationFacts, lang: Lang): string {
  const parts = [c.consulter.organisation, c.consulter.person]
    .filter((s): s is string => !!s && s.trim() !== '')
    .map((s) => escapeMarkdown(truncate(s, NAME_MAX_CHARS).text));
  return parts.length > 0 ? parts.join(' ／ ') : w('value.unknown', lang);
}

/**
 * The same consulter's other consultations in one line, under the consulter: the latest,
 * and any open one, which matters most and makes the line bold. Numbers link to the ledger
 * as the card's own 「相談台帳で開く」 does.
 */
function sameConsulter(related: RelatedOnCard, lang: Lang): Fact[] {
  const [latest, ...older] = related.records;
  if (!latest || related.total === 0) return [];
  const isOpen = (r: RelatedRecord) => OPEN_STATES.includes(r.state);
  const named = (r: RelatedRecord): OtherConsultation => {
    const url = r.ledgerUrl ? markdownUrl(r.ledgerUrl) : null;
    const number = escapeMarkdown(r.number);
    return { number: url ? `[${number}](${url})` : number, state: r.state };
  };
  const open = older.filter(isOpen);
  const line = otherConsultationsLine(related.total, named(latest), open.map(named), lang);
  const loud = isOpen(latest) || open.length > 0;
  return [{ title: w('field.sameConsulter', lang), value: loud ? `**${line}**` : line }];
}

function facts(
  c: ConsultationFacts,
  related: RelatedOnCard | null | undefined,
  lang: Lang,
): CardElement {
  const list: Fact[] = [
    { title: w('field.consulter', lang), value: consulterText(c, lang) },
    ...(related ? sameConsulter(related, lang) : []),
    { title: w('field.receivedAt', lang), value: formatTokyo(c.receivedAt) },
    { title: w('field.state', lang), value: STATE_LABELS[c.state][lang] },
    { title: w('field.firstLine', lang), value: person(c.firstLineOwner, lang) },
    { title: w('field.specialist', lang), value: person(c.specialist, lang) },
  ];
  if (c.coordinationNeeded !== null) {
    list.push({
      title: w('field.coordination', lang),
      value: w(
        c.coordinationNeeded ? 'value.coordinationNeeded' : 'value.coordinationNotNeeded',
        lang,
      ),
    });
  }
  return { type: 'FactSet', facts: list };
}

function details(c: ConsultationFacts, ledgerUrl: string | undefined, lang: Lang): CardElement[] {
  // The whole record (all fields, its timeline) is in the ledger: linked whenever it can be.
  const open: CardElement[] = ledgerUrl
    ? [
        {
          type: 'ActionSet',
          actions: [
            { type: 'Action.OpenUrl', title: w('details.openLedger', lang), url: ledgerUrl },
          ],
        },
      ]
    : [];
  if (c.details.trim() === '') return open;
  const cut = truncate(c.details, CARD_DETAILS_MAX_CHARS);
  const out: CardElement[] = [
    {
      type: 'TextBlock',
      text: w('field.details', lang),
      weight: 'bolder',
      spacing: 'medium',
      wrap: true,
    },
    ...lineBlocks(cut.text, { spacing: 'small' }),
  ];
  if (cut.truncated) {
    out.push({
      type: 'TextBlock',
      text: w('details.truncated', lang),
      isSubtle: true,
      size: 'small',
      wrap: true,
    });
  }
  return [...out, ...open];
}

function lastChange(model: ConsultationCardModel, lang: Lang): CardElement[] {
  const last = model.lastChange;
  if (!last) return [];
  const name = escapeMarkdown(truncate(last.by.name, NAME_MAX_CHARS).text);
  return [
    {
      type: 'TextBlock',
      text: `${w('field.lastChange', lang)}: ${lastChangeSentence(last.action, name, formatTokyo(last.at, 'short'), lang, isSystemActorId(last.by.id))}`,
      isSubtle: true,
      size: 'small',
      spacing: 'medium',
      wrap: true,
    },
    ...(last.reason ? reasonBlocks(last.reason, lang) : []),
  ];
}

/** A return's reason after its label, line by line as it was typed. */
function reasonBlocks(reason: string, lang: Lang): CardElement[] {
  const [first, ...rest] = lineBlocks(truncate(reason, REASON_MAX_CHARS).text, {
    spacing: 'small',
  });
  if (!first) return [];
  return [{ ...first, text: `${w('field.returnReason', lang)}: ${first.text}` }, ...rest];
}

function cardActions(
  model: ConsultationCardModel,
  categories: readonly Category[],
  lang: Lang,
): CardAction[] {
  const c = model.consultation;
  const data = { consultationId: c.id, version: c.version };
  const execute = (
    verb: CardVerb | typeof VERBS.editForm,
    title: string,
    style?: 'positive' | 'destructive',
  ): ExecuteAction => ({
    type: 'Action.Execute',
    verb,
    title,
    data,
    ...(style ? { style } : {}),
  });
  const form = (
    verb: CardVerb,
    body: CardElement[],
    submitTitle: string,
    title = w(`button.${verb}`, lang),
  ): CardAction => {
    const sub: SubCard = { type: 'AdaptiveCard', body };
    if (submitTitle !== '') sub.actions = [execute(verb, submitTitle, 'positive')];
    return { type: 'Action.ShowCard', title, card: sub };
  };
  const allowed = new Set(model.actions);
  const buttons = ACTION_ORDER.filter((verb) => allowed.has(verb)).map((verb): CardAction => {
    switch (verb) {
      case 'claim':
        return execute('claim', w('button.claim', lang), 'positive');
      case 'unclaim':
        return execute('unclaim', w('button.unclaim', lang));
      case 'reopen':
        return execute('reopen', w('button.reopen', lang));
      case 'dispatch': {
        const again = c.state === 'dispatched';
        const title = w(again ? 'button.redispatch' : 'button.dispatch', lang);
        return model.specialists.length > 0
          ? form('dispatch', dispatchForm(model, lang), w('submit.dispatch', lang), title)
          : form(
              'dispatch',
              [
                {
                  type: 'TextBlock',
                  text: w(
                    again ? 'form.dispatch.noOtherSpecialists' : 'form.dispatch.noSpecialists',
                    lang,
                  ),
                  wrap: true,
                },
              ],
              '',
              title,
            );
      }
      case 'return':
        return form('return', returnForm(lang), w('submit.return', lang));
      case 'edit':
        // The form is long: it replaces the presser's card instead of opening under it.
        return execute(VERBS.editForm, w('button.edit', lang));
      case 'answer': {
        const reply = model.reply ?? {
          templates: templatesFor(c.categoryId),
          email: null,
          emailByDefault: false,
          notice: null,
        };
        return {
          type: 'Action.ShowCard',
          title: w('button.answer', lang),
          card: {
            type: 'AdaptiveCard',
            body: replyFormBody(c, reply, lang),
            actions: [replyFormSubmit(c, reply, lang)],
          },
        };
      }
      case 'note':
        return form('note', noteForm(lang), w('submit.note', lang));
      case 'recategorise':
        return form(
          'recategorise',
          recategoriseForm(c, categories, lang),
          w('submit.recategorise', lang),
        );
      case 'close':
        return form('close', closeForm(lang), w('submit.close', lang));
    }
  });
  return inRows(buttons, lang);
}

/**
 * Hosts show a limited number of buttons in a row; the least used go under 「その他の
 *操作」, and under another one there if they are still too many.
 */
function inRows(buttons: CardAction[], lang: Lang): CardAction[] {
  if (buttons.length <= MAX_TOP_ACTIONS) return buttons;
  const more: CardAction = {
    type: 'Action.ShowCard',
    title: w('button.more', lang),
    card: {
      type: 'AdaptiveCard',
      body: [],
      actions: inRows(buttons.slice(MAX_TOP_ACTIONS - 1), lang),
    },
  };
  return [...buttons.slice(0, MAX_TOP_ACTIONS - 1), more];
}

function dispatchForm(model: ConsultationCardModel, lang: Lang): CardElement[] {
  const current = model.consultation.specialist?.id;
  const choices: Choice[] = model.specialists.map((s) => ({ title: s.name, value: s.id }));
  return [
    {
      type: 'Input.ChoiceSet',
      id: CARD_INPUTS.dispatchSpecialist,
      label: w('form.dispatch.specialist', lang),
      placeholder: w('form.dispatch.specialistPlaceholder', lang),
      style: 'compact',
      choices,
      ...(current && choices.some((ch) => ch.value === current) ? { value: current } : {}),
      isRequired: true,
      errorMessage: w('form.chooseRequired', lang),
    },
    {
      type: 'Input.Toggle',
      id: CARD_INPUTS.dispatchCoordination,
      title: w('form.dispatch.coordination', lang),
      value: model.consultation.coordinationNeeded === false ? 'false' : 'true',
      valueOn: 'true',
      valueOff: 'false',
      wrap: true,
    },
    {
      type: 'Input.Text',
      id: CARD_INPUTS.dispatchReason,
      label: w('form.dispatch.reason', lang),
      isMultiline: true,
      isRequired: true,
      errorMessage: w('form.required', lang),
    },
  ];
}

/** Why the specialist gives the case back: the first-line owner reads it. */
function returnForm(lang: Lang): CardElement[] {
  return [
    {
      type: 'Input.Text',
      id: CARD_INPUTS.returnReason,
      label: w('form.return.reason', lang),
      placeholder: w('form.return.placeholder', lang),
      isMultiline: true,
      isRequired: true,
      errorMessage: w('form.required', lang),
    },
  ];
}

function noteForm(lang: Lang): CardElement[] {
  return [
    {
      type: 'Input.Text',
      id: CARD_INPUTS.noteBody,
      label: w('form.note.body', lang),
      isMultiline: true,
      isRequired: true,
      errorMessage: w('form.required', lang),
    },
  ];
}

function recategoriseForm(
  c: ConsultationFacts,
  categories: readonly Category[],
  lang: Lang,
): CardElement[] {
  return [
    {
      type: 'Input.ChoiceSet',
      id: CARD_INPUTS.recategoriseCategory,
      label: w('form.recategorise.category', lang),
      style: 'compact',
      choices: categoryChoices(categories, lang),
      value: c.categoryId,
      isRequired: true,
      errorMessage: w('form.chooseRequired', lang),
    },
    {
      type: 'Input.ChoiceSet',
      id: CARD_INPUTS.recategoriseUrgency,
      label: w('form.recategorise.urgency', lang),
      style: 'compact',
      choices: URGENCIES.map((u) => ({ title: URGENCY_LABELS[u][lang], value: u })),
      value: c.urgency,
      isRequired: true,
      errorMessage: w('form.chooseRequired', lang),
    },
  ];
}

function closeForm(lang: Lang): CardElement[] {
  return [
    {
      type: 'Input.Text',
      id: CARD_INPUTS.closeReason,
      label: w('form.close.reason', lang),
      isMultiline: true,
    },
  ];
}
