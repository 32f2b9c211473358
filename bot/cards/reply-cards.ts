/**
 * The reply flow on the consultation card: the form under 「回答する」 (a template, the
 * text, whether to email the consulter, CC), the same form as a card of its own once a
 * template is chosen or the person comes back from the preview, the preview (exactly
 * what will be sent), and the latest answer with how it reached the consulter.
 */
import {
  card,
  type AdaptiveCard,
  type CardElement,
  type ExecuteAction,
  type Input,
} from './adaptive-card';
import {
  CARD_INPUTS,
  VERBS,
  type AnswerSummary,
  type ConsultationFacts,
  type ReplyFormCardModel,
  type ReplyFormModel,
  type ReplyPreviewModel,
  type ReplyValues,
  type SimilarOnCard,
} from './models';
import { markdownUrl } from './sections';
import { escapeMarkdown, formatTokyo, lineBlocks, truncate } from './text';
import {
  answerDeliveryLabel,
  answeredBySentence,
  honorific,
  likenessText,
  w,
  type Lang,
} from '../i18n';
import type { FieldErrors } from '../../src/errors';
import { DELIVERY_STATUS_LABELS, STATE_LABELS } from '../../src/consultation/labels';
import { LIMITS } from '../../src/consultation/consultation.input';
import type { AnswerDelivery, DeliveryStatus } from '../../src/consultation/types';

/** How an answer not emailed can have been given, in the form's order. */
const SPOKEN: readonly Exclude<AnswerDelivery, 'email' | 'none'>[] = ['phone', 'counter'];
/** The answer's text on the card is cut here; the record keeps all of it. */
export const CARD_ANSWER_MAX_CHARS = 500;
const CC_MAX_CHARS = 1000;

/**
 * The service's field paths (`body`, `cc.1`, …) as the form's input ids, so each error
 * shows under its input.
 */
export function replyErrors(fields: FieldErrors): FieldErrors {
  const ids: Record<string, string> = {
    body: CARD_INPUTS.answerBody,
    delivery: CARD_INPUTS.answerDelivery,
    emailConsulter: CARD_INPUTS.replyEmail,
    cc: CARD_INPUTS.replyCc,
    templateId: CARD_INPUTS.replyTemplate,
  };
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(fields)) {
    const id = ids[path.replace(/\.\d+$/, '')] ?? path;
    out[id] ??= message;
  }
  return out;
}

/** The data every button of the form sends: the record and the version the person saw. */
const formData = (c: ConsultationFacts) => ({ consultationId: c.id, version: c.version });

/**
 * The form's inputs: the template chooser and its button, the text, "email the
 * consulter" and CC when the consulter can be emailed, and how the answer was given
 * otherwise. Values typed before are put back; errors show under their inputs.
 */
export function replyFormBody(
  c: ConsultationFacts,
  form: ReplyFormModel,
  lang: Lang,
  values: ReplyValues = {},
  errors: FieldErrors = {},
): CardElement[] {
  const withError = (input: Input): CardElement[] => {
    const error = errors[input.id];
    if (!error) return [input];
    return [
      input,
      { type: 'TextBlock', text: error[lang], color: 'attention', spacing: 'none', wrap: true },
    ];
  };
  const out: CardElement[] = [];
  if (form.templates.length > 0) {
    const chosen = values[CARD_INPUTS.replyTemplate];
    out.push(
      ...withError({
        type: 'Input.ChoiceSet',
        id: CARD_INPUTS.replyTemplate,
        label: w('form.reply.template', lang),
        style: 'compact',
        choices: form.templates.map((t) => ({ title: t.title[lang], value: t.id })),
        ...(chosen && form.templates.some((t) => t.id === chosen)
          ? { value: chosen }
          : { placeholder: w('form.reply.templatePlaceholder', lang) }),
      }),
      {
        type: 'ActionSet',
        spacing: 'small',
        actions: [
          {
            type: 'Action.Execute',
            verb: VERBS.replyTemplate,
            title: w('button.reply.template', lang),
            data: formData(c),
          },
        ],
      },
    );
  }
  // How the desk answered cases like it: the form again, with them above it.
  out.push({
    type: 'ActionSet',
    spacing: 'small',
    actions: [
      {
        type: 'Action.Execute',
        verb: VERBS.replySimilar,
        title: w('button.reply.similar', lang),
        data: formData(c),
      },
    ],
  });
  const body = values[CARD_INPUTS.answerBody];
  out.push(
    // Not isRequired: a required input would block the template button while it is empty.
    // The service says when it is missing, under the input.
    ...withError({
      type: 'Input.Text',
      id: CARD_INPUTS.answerBody,
      label: w('form.answer.body', lang),
      isMultiline: true,
      maxLength: LIMITS.answer,
      // Input values are not markdown: exactly as typed.
      ...(body ? { value: body } : {}),
    }),
  );
  if (form.email) {
    const on = values[CARD_INPUTS.replyEmail] ?? (form.emailByDefault ? 'true' : 'false');
    const cc = values[CARD_INPUTS.replyCc];
    out.push(
      ...withError({
        type: 'Input.Toggle',
        id: CARD_INPUTS.replyEmail,
        title: w(
          form.email.method === 'reply' ? 'form.reply.emailReply' : 'form.reply.emailNew',
          lang,
        ),
        value: on === 'true' ? 'true' : 'false',
        valueOn: 'true',
        valueOff: 'false',
        wrap: true,
      }),
      ...withError({
        type: 'Input.Text',
        id: CARD_INPUTS.replyCc,
        label: w('form.reply.cc', lang),
        placeholder: 'name@example.jp, …',
        maxLength: CC_MAX_CHARS,
        ...(cc ? { value: cc } : {}),
      }),
    );
  }
  if (form.notice) {
    out.push({
      type: 'TextBlock',
      text: escapeMarkdown(form.notice[lang]),
      color: form.email ? 'warning' : 'default',
      isSubtle: !form.email,
      size: 'small',
      wrap: true,
    });
  }
  const typed = values[CARD_INPUTS.answerDelivery];
  const delivery =
    typed && (SPOKEN as readonly string[]).includes(typed)
      ? typed
      : c.channel === 'counter'
        ? 'counter'
        : 'phone';
  out.push(
    ...withError({
      type: 'Input.ChoiceSet',
      id: CARD_INPUTS.answerDelivery,
      label: w(form.email ? 'form.answer.deliveryIfNotEmailed' : 'form.answer.delivery', lang),
      style: 'expanded',
      choices: SPOKEN.map((d) => ({ title: answerDeliveryLabel(d, lang), value: d })),
      value: delivery,
    }),
  );
  return out;
}

/**
 * The form's submit: the preview when the consulter can be emailed (the preview then
 * sends); otherwise `answer`, which records the answer at once.
 */
export function replyFormSubmit(
  c: ConsultationFacts,
  form: ReplyFormModel,
  lang: Lang,
): ExecuteAction {
  return form.email
    ? {
        type: 'Action.Execute',
        verb: VERBS.replyPreview,
        title: w('button.reply.preview', lang),
        style: 'positive',
        data: formData(c),
      }
    : {
        type: 'Action.Execute',
        verb: 'answer',
        title: w('submit.answer', lang),
        style: 'positive',
        data: formData(c),
      };
}

/** Which consultation a reply card is about: its number, state and subject. */
function heading(title: string, c: ConsultationFacts, lang: Lang): CardElement[] {
  return [
    { type: 'TextBlock', text: title, size: 'medium', weight: 'bolder', wrap: true },
    {
      type: 'TextBlock',
      text: `${w('field.number', lang)} ${c.number} ・ ${STATE_LABELS[c.state][lang]}`,
      isSubtle: true,
      spacing: 'none',
      wrap: true,
    },
    {
      type: 'TextBlock',
      text: escapeMarkdown(truncate(c.subject, 200).text),
      weight: 'bolder',
      wrap: true,
    },
  ];
}

/** "Cancel": the consultation card as it is now (the typed text is dropped on purpose). */
const cancel = (c: ConsultationFacts, lang: Lang): ExecuteAction => ({
  type: 'Action.Execute',
  verb: VERBS.refresh,
  title: w('button.reply.cancel', lang),
  data: { consultationId: c.id },
  associatedInputs: 'none',
});

/** The reply form as a card of its own: what a chosen template or "back to edit" answers with. */
export function replyFormCard(model: ReplyFormCardModel, lang: Lang = 'ja'): AdaptiveCard {
  const c = model.consultation;
  const body: CardElement[] = [
    ...heading(w('reply.title', lang), c, lang),
    ...(model.keptTyped
      ? [
          {
            type: 'TextBlock' as const,
            text: w('form.reply.keptTyped', lang),
            isSubtle: true,
            size: 'small' as const,
            wrap: true,
          },
        ]
      : []),
    ...(model.similar ? [similarSection(model.similar, lang)] : []),
    ...replyFormBody(c, model.form, lang, model.values, model.errors),
  ];
  return card(body, {
    fallbackText: `${w('reply.title', lang)} ${c.number}`,
    actions: [replyFormSubmit(c, model.form, lang), cancel(c, lang)],
  });
}

/** Characters of a similar case's answer that the form shows. */
export const SIMILAR_EXCERPT_CHARS = 200;

/**
 * Similar past cases above the reply form: each its number (linked to the ledger when it
 * can be), subject and how alike it reads, then the start of its latest answer and who
 * gave it; or that there are none yet.
 */
function similarSection(items: readonly SimilarOnCard[], lang: Lang): CardElement {
  const entries: CardElement[] = items.flatMap((s, i): CardElement[] => {
    const url = s.ledgerUrl ? markdownUrl(s.ledgerUrl) : null;
    const likeness = likenessText(s.likeness, lang);
    const number = url ? `[${s.number}](${url})` : s.number;
    return [
      {
        type: 'TextBlock',
        text: `${number} ${escapeMarkdown(truncate(s.subject, 100).text)}${lang === 'ja' ? `（${likeness}）` : ` (${likeness})`}`,
        weight: 'bolder',
        wrap: true,
        ...(i > 0 ? { separator: true } : {}),
      },
      ...lineBlocks(truncate(s.excerpt, SIMILAR_EXCERPT_CHARS).text, { spacing: 'small' }),
      {
        type: 'TextBlock',
        text: answeredBySentence(
          escapeMarkdown(s.answeredBy.name),
          s.answeredBy.line,
          formatTokyo(s.answeredBy.at, 'date'),
          lang,
        ),
        isSubtle: true,
        size: 'small',
        spacing: 'none',
        wrap: true,
      },
    ];
  });
  return {
    type: 'Container',
    style: 'emphasis',
    items: [
      { type: 'TextBlock', text: w('similar.heading', lang), weight: 'bolder', wrap: true },
      ...(entries.length
        ? entries
        : [
            {
              type: 'TextBlock' as const,
              text: w('similar.none', lang),
              isSubtle: true,
              wrap: true,
            },
          ]),
    ],
  };
}

/**
 * The preview: how and to whom the email goes, its subject and its text exactly as
 * sent; or, when nothing is emailed, how the answer is recorded. Its buttons carry the
 * values, so sending (or editing) needs nothing else.
 */
export function replyPreviewCard(model: ReplyPreviewModel, lang: Lang = 'ja'): AdaptiveCard {
  const c = model.consultation;
  const e = model.email;
  const body: CardElement[] = [...heading(w('reply.previewTitle', lang), c, lang)];
  if (e) {
    const list = (xs: readonly string[]) =>
      xs.length > 0 ? escapeMarkdown(xs.join(', ')) : w('preview.none', lang);
    body.push({
      type: 'FactSet',
      spacing: 'medium',
      facts: [
        {
          title: w('preview.method', lang),
          value: w(e.method === 'reply' ? 'preview.method.reply' : 'preview.method.new', lang),
        },
        {
          title: w('preview.to', lang),
          value: e.to.length > 0 ? list(e.to) : w('preview.toSender', lang),
        },
        { title: w('preview.cc', lang), value: list(e.cc) },
        { title: w('preview.subject', lang), value: escapeMarkdown(e.subject) },
      ],
    });
    body.push(
      { type: 'TextBlock', text: w('preview.body', lang), weight: 'bolder', spacing: 'medium' },
      {
        type: 'Container',
        style: 'emphasis',
        spacing: 'small',
        items: lineBlocks(e.text),
      },
    );
  } else {
    body.push(
      {
        type: 'TextBlock',
        text: `${w('preview.notEmailed', lang)}: ${answerDeliveryLabel(model.delivery, lang)}`,
        wrap: true,
        spacing: 'medium',
      },
      {
        type: 'Container',
        style: 'emphasis',
        spacing: 'small',
        items: lineBlocks(model.values[CARD_INPUTS.answerBody] ?? ''),
      },
    );
  }
  if (model.notice) {
    body.push({
      type: 'TextBlock',
      text: escapeMarkdown(model.notice[lang]),
      color: 'warning',
      wrap: true,
    });
  }
  const data = {
    ...formData(c),
    ...Object.fromEntries(Object.entries(model.values).filter(([, v]) => v !== undefined)),
  } as Record<string, string | number>;
  return card(body, {
    fallbackText: `${w('reply.previewTitle', lang)} ${c.number}`,
    actions: [
      {
        type: 'Action.Execute',
        verb: VERBS.replySend,
        title: w(e ? 'button.reply.send' : 'submit.answer', lang),
        style: 'positive',
        data,
      },
      { type: 'Action.Execute', verb: VERBS.replyEdit, title: w('button.reply.edit', lang), data },
    ],
  });
}

const STATUS_COLOR: Record<DeliveryStatus, 'default' | 'good' | 'warning' | 'attention'> = {
  recorded: 'default',
  sending: 'warning',
  sent: 'good',
  failed: 'attention',
};

/**
 * The latest answer on the consultation card: who answered when, how, where its email
 * stands (送信中, 送信済, 未送信 with the reason and 「再送する」, or 記録のみ), and its text.
 */
export function answerSection(consultationId: number, a: AnswerSummary, lang: Lang): CardElement[] {
  const items: CardElement[] = [
    { type: 'TextBlock', text: w('answer.heading', lang), weight: 'bolder', wrap: true },
    {
      type: 'FactSet',
      facts: [
        {
          title: w('answer.by', lang),
          value: `${escapeMarkdown(honorific(truncate(a.author.name, 100).text, lang))} ${formatTokyo(a.createdAt)}`,
        },
        { title: w('answer.delivery', lang), value: answerDeliveryLabel(a.delivery, lang) },
      ],
    },
    {
      type: 'TextBlock',
      text: `${w('answer.status', lang)}: ${DELIVERY_STATUS_LABELS[a.deliveryStatus][lang]}`,
      weight: 'bolder',
      color: STATUS_COLOR[a.deliveryStatus],
      spacing: 'small',
      wrap: true,
    },
  ];
  if (a.deliveryStatus === 'failed' && a.lastError) {
    items.push({
      type: 'TextBlock',
      text: `${w('answer.reason', lang)}: ${escapeMarkdown(a.lastError[lang])}`,
      color: 'attention',
      spacing: 'none',
      wrap: true,
    });
  }
  items.push(
    ...lineBlocks(truncate(a.body, CARD_ANSWER_MAX_CHARS).text, {
      isSubtle: true,
      spacing: 'small',
    }),
  );
  if (a.canRetry) {
    items.push({
      type: 'ActionSet',
      actions: [
        {
          type: 'Action.Execute',
          verb: VERBS.replyRetry,
          title: w('button.reply.retry', lang),
          style: 'positive',
          data: { consultationId, answerId: a.id },
        },
      ],
    });
  }
  return [{ type: 'Container', separator: true, spacing: 'medium', items }];
}
