/**
 * The intake form in the 1:1 chat: first-line staff record a phone or counter
 * consultation. When the service rejects a submit, the same form comes back with
 * every typed value kept and each error right under its field.
 */
import {
  card,
  type AdaptiveCard,
  type CardElement,
  type Choice,
  type Input,
  type TextInput,
} from './adaptive-card';
import {
  INTAKE_FIELDS,
  VERBS,
  type IntakeField,
  type IntakeFormModel,
  type IntakeValues,
} from './models';
import { categoryChoices, heading } from './sections';
import { truncate } from './text';
import { w, type Lang } from '../i18n';
import type { FieldErrors } from '../../src/errors';
import { CHANNEL_LABELS, TRISTATE_LABELS, URGENCY_LABELS } from '../../src/consultation/labels';
import { fieldLabel } from '../../src/consultation/fields';
import { TRISTATE, URGENCIES, type Channel } from '../../src/consultation/types';
import { CATEGORIES, INTAKE_CHECKLIST, type ChecklistItem } from '../../src/knowledge/knowledge';

/**
 * How much each input takes. Tighter than the service's limits for the long texts,
 * because a form sent back with its values must stay under Teams' message size.
 */
export const INTAKE_MAX_LENGTH = { short: 200, details: 6000, long: 1500 } as const;

/** The order the desk names the channels in: 電話, 窓口, メール, Webフォーム. */
const CHANNEL_ORDER: readonly Channel[] = ['phone', 'counter', 'email', 'web'];

/** The intake form, with what was typed before and the errors the service found. */
export function intakeFormCard(model: IntakeFormModel, lang: Lang = 'ja'): AdaptiveCard {
  const values = model.values ?? {};
  const errors = model.errors ?? {};
  const f = new FormFields(values, errors, lang);
  const categories = model.categories ?? CATEGORIES;
  const body: CardElement[] = [
    {
      type: 'TextBlock',
      text: w('intake.title', lang),
      size: 'large',
      weight: 'bolder',
      wrap: true,
    },
    {
      type: 'TextBlock',
      text: w('intake.intro', lang),
      isSubtle: true,
      wrap: true,
      spacing: 'small',
    },
    ...errorSummary(errors, lang),
    ...f.choice(
      'channel',
      CHANNEL_ORDER.map((c) => ({ title: CHANNEL_LABELS[c][lang], value: c })),
      {
        fallback: 'phone',
        required: true,
      },
    ),

    ...consulterFields(f, lang),

    heading(w('intake.section.consultation', lang)),
    ...f.choice('categoryId', categoryChoices(categories, lang), { required: true }),
    ...f.choice(
      'urgency',
      URGENCIES.map((u) => ({ title: URGENCY_LABELS[u][lang], value: u })),
      {
        fallback: 'normal',
        required: true,
      },
    ),
    ...subjectFields(f),
    ...situationFields(f, lang),
  ];
  return card(body, {
    fallbackText: w('intake.title', lang),
    actions: [
      {
        type: 'Action.Execute',
        verb: VERBS.intakeSubmit,
        title: w('intake.submit', lang),
        style: 'positive',
        data: { formId: model.formId },
      },
    ],
  });
}

/** What the form to correct a record needs: the record's values, or what was typed. */
export interface EditFormModel {
  consultationId: number;
  number: string;
  /** The record's version the values were read at; the save carries it. */
  version: number;
  values: IntakeValues;
  /** Each field's fingerprint as the record had it (`fingerprints`); the save carries them. */
  shown: Readonly<Record<string, string>>;
  errors?: FieldErrors;
  /** Fields someone else corrected too, differently: what they hold now, under the field. */
  cautions?: FieldErrors;
  /** The record in the ledger tab, whose form corrects fields too long for this one. */
  ledgerUrl?: string;
}

/**
 * The form to correct a record (the card's 記録を修正): the intake form's consulter,
 * subject, details and checklist, filled with the record; what was typed comes back
 * with the errors under their fields when the service refuses it.
 */
export function editFormCard(model: EditFormModel, lang: Lang = 'ja'): AdaptiveCard {
  const errors = model.errors ?? {};
  // A text longer than the form takes (an email's details) is left out, and kept as it is.
  const f = new FormFields(model.values, errors, lang, {
    omitTooLong: true,
    cautions: model.cautions,
  });
  const data = { consultationId: model.consultationId, version: model.version };
  // Action data is flat: the fingerprints travel as one JSON string.
  const save = { ...data, shown: JSON.stringify(model.shown) };
  const body: CardElement[] = [
    {
      type: 'TextBlock',
      text: `${w('edit.title', lang)} ${model.number}`,
      size: 'large',
      weight: 'bolder',
      wrap: true,
    },
    {
      type: 'TextBlock',
      text: w('edit.intro', lang),
      isSubtle: true,
      wrap: true,
      spacing: 'small',
    },
    ...errorSummary(errors, lang),
    ...consulterFields(f, lang),
    heading(w('intake.section.consultation', lang)),
    ...subjectFields(f),
    ...situationFields(f, lang),
  ];
  if (f.omitted.length > 0) {
    body.push({
      type: 'TextBlock',
      text: `${w('edit.tooLong', lang)}: ${f.omitted.map((p) => fieldLabel(p)[lang]).join(lang === 'ja' ? '、' : ', ')}`,
      isSubtle: true,
      wrap: true,
      spacing: 'medium',
    });
    if (model.ledgerUrl) {
      body.push({
        type: 'ActionSet',
        actions: [
          { type: 'Action.OpenUrl', title: w('edit.inLedger', lang), url: model.ledgerUrl },
        ],
      });
    }
  }
  return card(body, {
    fallbackText: `${w('edit.title', lang)} ${model.number}`,
    actions: [
      {
        type: 'Action.Execute',
        verb: 'edit',
        title: w('edit.submit', lang),
        style: 'positive',
        data: save,
      },
      { type: 'Action.Execute', verb: VERBS.refresh, title: w('edit.cancel', lang), data },
    ],
  });
}

function consulterFields(f: FormFields, lang: Lang): CardElement[] {
  return [
    heading(w('intake.section.consulter', lang)),
    ...f.text('consulter.organisation', INTAKE_MAX_LENGTH.short),
    ...f.text('consulter.person', INTAKE_MAX_LENGTH.short),
    ...f.text('consulter.email', 254, { style: 'email' }),
    ...f.text('consulter.phone', 24, { style: 'tel' }),
    ...f.text('consulter.industry', INTAKE_MAX_LENGTH.short),
    // Text, not Input.Number: 「約30」 or 「1,200」 come back as typed, with the error under them.
    ...f.text('consulter.employees', 20),
    ...f.text('consulter.municipality', INTAKE_MAX_LENGTH.short),
  ];
}

function subjectFields(f: FormFields): CardElement[] {
  return [
    ...f.text('subject', INTAKE_MAX_LENGTH.short, { required: true }),
    ...f.text('details', INTAKE_MAX_LENGTH.details, { required: true, multiline: true }),
  ];
}

function situationFields(f: FormFields, lang: Lang): CardElement[] {
  return [
    heading(w('intake.section.situation', lang)),
    ...INTAKE_CHECKLIST.flatMap((item) => checklistField(f, item, lang)),
  ];
}

function checklistField(f: FormFields, item: ChecklistItem, lang: Lang): CardElement[] {
  const path = `situation.${item.id}` as const;
  const label = item.label[lang];
  switch (item.id) {
    case 'ongoing':
    case 'dataAtRisk':
      return f.choice(
        path,
        TRISTATE.map((t) => ({ title: TRISTATE_LABELS[t][lang], value: t })),
        {
          fallback: 'unknown',
          label,
          expanded: true,
        },
      );
    case 'since':
      return f.text(path, INTAKE_MAX_LENGTH.short, { label });
    default:
      return f.text(path, INTAKE_MAX_LENGTH.long, { label, multiline: true });
  }
}

/** Errors for paths the form has no input for are listed at the top, under the summary. */
function errorSummary(errors: FieldErrors, lang: Lang): CardElement[] {
  const paths = Object.keys(errors);
  if (paths.length === 0) return [];
  const known = new Set<string>(INTAKE_FIELDS);
  const orphans = paths.filter((p) => !known.has(p));
  return [
    {
      type: 'Container',
      style: 'attention',
      spacing: 'medium',
      items: [
        {
          type: 'TextBlock',
          text: w('intake.hasErrors', lang),
          color: 'attention',
          weight: 'bolder',
          wrap: true,
        },
        ...orphans.map((p): CardElement => ({
          type: 'TextBlock',
          text: `${fieldLabel(p)[lang]}: ${errors[p]?.[lang] ?? ''}`,
          color: 'attention',
          wrap: true,
          spacing: 'small',
        })),
      ],
    },
  ];
}

interface TextOptions {
  label?: string;
  required?: boolean;
  multiline?: boolean;
  style?: TextInput['style'];
}

interface ChoiceOptions {
  label?: string;
  required?: boolean;
  /** Chosen when nothing valid was typed before. */
  fallback?: string;
  expanded?: boolean;
}

/** Builds one input plus, when the service rejected it, its error right below. */
class FormFields {
  /** Fields left out because their value is longer than the input takes. */
  readonly omitted: IntakeField[] = [];

  constructor(
    private readonly values: IntakeValues,
    private readonly errors: FieldErrors,
    private readonly lang: Lang,
    private readonly o: {
      /** Leave out a field whose value is too long, rather than cut it. */
      omitTooLong?: boolean;
      /** Not errors: things to look at under a field (someone else changed it too). */
      cautions?: FieldErrors;
    } = {},
  ) {}

  text(path: IntakeField, maxLength: number, o: TextOptions = {}): CardElement[] {
    const typed = this.values[path];
    if (this.o.omitTooLong && typed && typed.length > maxLength) {
      this.omitted.push(path);
      return [];
    }
    const input: TextInput = {
      type: 'Input.Text',
      id: path,
      label: o.label ?? fieldLabel(path)[this.lang],
      maxLength,
      // Input values are not markdown: keep them exactly as typed (never escaped).
      ...(typed ? { value: truncate(typed, maxLength).text } : {}),
      ...(o.multiline ? { isMultiline: true } : {}),
      ...(o.style ? { style: o.style } : {}),
      ...this.required(o.required),
    };
    return this.withError(path, input);
  }

  choice(path: IntakeField, choices: Choice[], o: ChoiceOptions = {}): CardElement[] {
    const typed = this.values[path];
    const value = choices.some((c) => c.value === typed) ? typed : o.fallback;
    return this.withError(path, {
      type: 'Input.ChoiceSet',
      id: path,
      label: o.label ?? fieldLabel(path)[this.lang],
      choices,
      style: o.expanded ? 'expanded' : 'compact',
      ...(value ? { value } : { placeholder: w('form.choose', this.lang) }),
      ...this.required(o.required, 'form.chooseRequired'),
    });
  }

  private required(
    required: boolean | undefined,
    message: 'form.required' | 'form.chooseRequired' = 'form.required',
  ) {
    return required ? { isRequired: true, errorMessage: w(message, this.lang) } : {};
  }

  private withError(path: IntakeField, input: Input): CardElement[] {
    const error = this.errors[path];
    const caution = this.o.cautions?.[path];
    const said = error ?? caution;
    if (!said) return [input];
    return [
      input,
      {
        type: 'TextBlock',
        text: said[this.lang],
        color: error ? 'attention' : 'warning',
        spacing: 'none',
        wrap: true,
      },
    ];
  }
}
