/**
 * What the card builders take. The bot handler fills these from the service's
 * results; the builders only render, they never decide who may do what.
 */
import type { CardAction } from './adaptive-card';
import type { Localized } from '../../src/i18n/messages';
import type { FieldErrors, LastChange } from '../../src/errors';
import type { Category, Destination } from '../../src/knowledge/knowledge';
import type { Verb as CardVerb } from '../../src/consultation/policy';
import { EDIT_FIELDS, type EditField } from '../../src/consultation/correction';
import type {
  AnswerDelivery,
  Consultation,
  Consulter,
  DeliveryStatus,
  PersonRef,
  State,
  Urgency,
} from '../../src/consultation/types';

/** The verbs of the consultation card's buttons (each an `Action.Execute`): the lifecycle's actions. */
export { VERBS as CARD_VERBS } from '../../src/consultation/policy';
export type { Verb as CardVerb } from '../../src/consultation/policy';

/** The other verbs the cards send. */
export const VERBS = {
  /** Universal Actions refresh: data `{ consultationId }`. */
  refresh: 'refresh',
  /**
   * The card's 記録を修正: the presser's card becomes the form to correct the record
   * (submitted with the verb `edit`). Data `{ consultationId, version }`.
   */
  editForm: 'edit.form',
  /** The intake form's submit: data `{ formId }` plus the form's inputs. */
  intakeSubmit: 'intake.submit',
  /** Open one consultation (from a list): data `{ consultationId }`. */
  open: 'open',
  /** Ask for a blank intake form (from the help card). */
  intakeNew: 'intake.new',
  /** Ask for the viewer's open cases (from the help card). */
  listMine: 'list.mine',
  /** Ask what is waiting at the desk (from the help card). */
  listWaiting: 'list.waiting',
  /**
   * The reply form's template button: the form again, its text filled from the chosen
   * template (Adaptive Cards cannot fill a field on the client). Data `{ consultationId,
   * version }` plus the form's inputs.
   */
  replyTemplate: 'reply.template',
  /** The reply form's preview: exactly what will be sent. Data as `replyTemplate`. */
  replyPreview: 'reply.preview',
  /** The preview's send: data `{ consultationId, version }` plus the form's values. */
  replySend: 'reply.send',
  /** The preview's "back to edit": the form again with the values. Data as `replySend`. */
  replyEdit: 'reply.edit',
  /** Send an answer's email again after a failure: data `{ consultationId, answerId }`. */
  replyRetry: 'reply.retry',
  /**
   * The reply form's "similar past cases": the form again, everything typed kept, with how
   * the desk answered cases like it. Data as `replyTemplate`.
   */
  replySimilar: 'reply.similar',
} as const;

/** The verbs of the reply flow (the `answer` button's form and what follows it). */
export const REPLY_VERBS: readonly string[] = [
  VERBS.replyTemplate,
  VERBS.replyPreview,
  VERBS.replySend,
  VERBS.replyEdit,
  VERBS.replyRetry,
  VERBS.replySimilar,
];

/**
 * Ids of the inputs in the consultation card's forms. Their values arrive merged
 * into the action's `data` under these keys; Input.Toggle sends `"true"`/`"false"`.
 */
export const CARD_INPUTS = {
  dispatchSpecialist: 'dispatch.specialistId',
  dispatchCoordination: 'dispatch.coordinationNeeded',
  dispatchReason: 'dispatch.reason',
  returnReason: 'return.reason',
  answerBody: 'answer.body',
  answerDelivery: 'answer.delivery',
  replyTemplate: 'reply.templateId',
  replyEmail: 'reply.emailConsulter',
  replyCc: 'reply.cc',
  noteBody: 'note.body',
  recategoriseCategory: 'recategorise.categoryId',
  recategoriseUrgency: 'recategorise.urgency',
  closeReason: 'close.reason',
} as const;

/** The data every consultation card button sends (inputs are merged into it). */
export interface CardActionData {
  consultationId: number;
  /** The record's version the viewer saw; the service refuses a stale one. */
  version: number;
}

/**
 * The facts of a consultation that the channel card shows: a `Consultation` fits. An
 * erased record (`erasure` set) shows only what was kept of it.
 */
export type ConsultationFacts = Pick<
  Consultation,
  | 'id'
  | 'number'
  | 'channel'
  | 'state'
  | 'categoryId'
  | 'urgency'
  | 'subject'
  | 'details'
  | 'receivedAt'
  | 'closedAt'
  | 'firstLineOwner'
  | 'specialist'
  | 'coordinationNeeded'
  | 'erasure'
  | 'version'
> & { consulter: Pick<Consulter, 'organisation' | 'person'> };

export interface ConsultationCardModel {
  consultation: ConsultationFacts;
  /** The latest history entry, shown as 「山田さんが担当しました 11/26 14:05」. */
  lastChange: LastChange | null;
  /** The buttons this viewer may press, decided by the service (role and state). */
  actions: readonly CardVerb[];
  /** Choices for the dispatch form (for a dispatched case: the others). */
  specialists: readonly PersonRef[];
  /** Who gets the card refreshed automatically; cut to the first 60 (Teams' limit). */
  refreshUserIds: readonly string[];
  /** The taxonomy for the category name and the recategorise form; defaults to the seed taxonomy. */
  categories?: readonly Category[];
  /** Where to report for this category; defaults to the seed quick list for the category. */
  destinations?: readonly Destination[];
  /** Link to the record in the ledger tab, shown when the details are cut. */
  ledgerUrl?: string;
  /** The reply form under the answer button; defaults to the category's templates, no email. */
  reply?: ReplyFormModel;
  /** The latest answer, with how it reached the consulter. */
  answer?: AnswerSummary | null;
  /** The same consulter's other consultations; none shown when absent or empty. */
  related?: RelatedOnCard | null;
}

/** The same consulter's other consultations, as a card names them. */
export interface RelatedOnCard {
  /** How many there are in all (more than `records` when the service cut the list). */
  total: number;
  /** The latest few, newest received first. */
  records: readonly RelatedRecord[];
}

export interface RelatedRecord {
  number: string;
  state: State;
  /** The record in the ledger, when it can be linked. */
  ledgerUrl?: string;
}

/** The reply form's choices (the answer button's form, and the form card). */
export interface ReplyFormModel {
  /** Templates for the category, in the order offered. */
  templates: readonly { id: string; title: Localized }[];
  /** How the consulter can be emailed; null when they cannot (no address, not by email). */
  email: { method: 'reply' | 'new' } | null;
  /** Whether "email the consulter" starts switched on. */
  emailByDefault: boolean;
  /** What to tell the person about email (mail not set up, no address). */
  notice: Localized | null;
}

/** The reply form's inputs as Teams sends them (strings, keyed by input id). */
export type ReplyValues = Partial<
  Record<
    | typeof CARD_INPUTS.answerBody
    | typeof CARD_INPUTS.answerDelivery
    | typeof CARD_INPUTS.replyTemplate
    | typeof CARD_INPUTS.replyEmail
    | typeof CARD_INPUTS.replyCc,
    string
  >
>;

/** The reply form as a card of its own (after a template is chosen, or back from the preview). */
export interface ReplyFormCardModel {
  consultation: ConsultationFacts;
  form: ReplyFormModel;
  /** What was typed; kept whatever happens. */
  values: ReplyValues;
  /** Errors by input id, each shown under its input. */
  errors?: FieldErrors;
  /** The template's text was put above text already typed (which is kept). */
  keptTyped?: boolean;
  /** Similar past cases, when asked for (an empty list: none yet). */
  similar?: readonly SimilarOnCard[];
}

/** A past case like the one being answered, as the reply form shows it. */
export interface SimilarOnCard {
  number: string;
  subject: string;
  /** From 0 to 1. */
  likeness: number;
  /** The start of its latest answer, as the card shows it. */
  excerpt: string;
  answeredBy: { name: string; line: 'first' | 'second'; at: string };
  /** Where the record opens in the ledger, when it can. */
  ledgerUrl?: string;
}

/** The preview: exactly what sending will send, and the values to send it with. */
export interface ReplyPreviewModel {
  consultation: ConsultationFacts;
  /** The email as it will be sent; null when the answer is only recorded. */
  email: {
    method: 'reply' | 'new';
    /** Empty for a reply to whoever sent the consulter's email (Graph picks). */
    to: readonly string[];
    cc: readonly string[];
    subject: string;
    /** The email's text (the HTML sent is the same text). */
    text: string;
  } | null;
  /** How the answer is recorded when it is not emailed. */
  delivery: AnswerDelivery;
  /** What to tell the person (mail not set up). */
  notice: Localized | null;
  values: ReplyValues;
}

/** An answer as the card shows it. */
export interface AnswerSummary {
  id: number;
  author: PersonRef;
  createdAt: string;
  delivery: AnswerDelivery;
  deliveryStatus: DeliveryStatus;
  body: string;
  /** Why the email was not sent, when it failed. */
  lastError: Localized | null;
  /** Offer 「再送する」 (the service still decides who may). */
  canRetry: boolean;
}

/**
 * The intake form's inputs, in the form's order; each id is the field's path in the
 * service's validation errors. They are the correction form's fields (`EDIT_FIELDS`)
 * with the three the intake alone asks: the channel, the category and the urgency.
 */
export type IntakeField = 'channel' | 'categoryId' | 'urgency' | EditField;
export const INTAKE_FIELDS: readonly IntakeField[] = [
  'channel',
  ...EDIT_FIELDS.filter((f) => f.startsWith('consulter.')),
  'categoryId',
  'urgency',
  ...EDIT_FIELDS.filter((f) => !f.startsWith('consulter.')),
];

/** What the form sends back: every input as a string (as Teams sends them). */
export type IntakeValues = Partial<Record<IntakeField, string>>;

export interface IntakeFormModel {
  /** Sent back with the submit, so a submit delivered twice makes one record. */
  formId: string;
  /** What was typed before (kept when the form comes back with errors). */
  values?: IntakeValues;
  /**
   * Errors by field path (the service's `ValidationError.fields`). Each shows under its
   * input; one for a path the form has no input for shows at the top.
   */
  errors?: FieldErrors;
  categories?: readonly Category[];
}

/** One row of a list of consultations (my open cases, search results). */
export interface ConsultationListItem {
  consultationId: number;
  number: string;
  subject: string;
  state: State;
  urgency: Urgency;
  receivedAt: string;
  /** Its personal data was erased: the subject is gone, a placeholder stands for it. */
  erased: boolean;
}

export interface ListCardOptions {
  /** Heading; defaults to 「相談一覧」. */
  title?: Localized;
  /** How many matched in all, when more than the rows given. */
  total?: number;
  /** The total is a lower bound: the search stopped counting there. */
  totalIsLowerBound?: boolean;
  /** Buttons under the list: where to go from it. */
  actions?: CardAction[];
}
