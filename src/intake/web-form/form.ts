/**
 * The web form's fields: what the consulter typed (kept as typed, to show again), the
 * rules the web adds to the consultation's own input schema (a way to answer, consent,
 * tighter lengths), and the record input a valid form becomes. Pure: no I/O.
 */
import { consulterSchema, LIMITS } from '../../consultation/consultation.input';
import { TRISTATE, URGENCIES, type Tristate, type Urgency } from '../../consultation/types';
import { CATEGORIES, DEFAULT_CATEGORY_ID } from '../../knowledge/knowledge';
import type { FormBody } from '../../server/body';
import { E, W, type Lang, type Localized } from './messages';
import { municipalityName } from './municipalities';

/** The fields the consulter fills in, in the order the page shows them. */
export const FIELDS = [
  'organisation',
  'person',
  'email',
  'phone',
  'industry',
  'employees',
  'municipality',
  'category',
  'urgency',
  'details',
  'whatHappened',
  'since',
  'ongoing',
  'systems',
  'dataAtRisk',
  'actionsTaken',
  'contacted',
  'evidence',
  'consent',
] as const;
export type Field = (typeof FIELDS)[number];

/** The checklist's free-text items and its yes / no / not sure items. */
export const SITUATION_TEXT = [
  'whatHappened',
  'since',
  'systems',
  'actionsTaken',
  'contacted',
  'evidence',
] as const;
export const SITUATION_TRISTATE = ['ongoing', 'dataAtRisk'] as const;

/** The choice that means 「わからない」: the record gets the default category. */
export const CATEGORY_UNKNOWN = 'unknown';

/**
 * Most characters each field takes. Bounded below the record's own limits: with every
 * field full of Japanese text, percent-encoded, the body stays under `MAX_FORM_BYTES`.
 */
export const MAX_LENGTH: Record<Field, number> = {
  organisation: LIMITS.short,
  person: 100,
  email: 254,
  phone: 30,
  industry: 100,
  employees: 12,
  municipality: 16,
  category: 64,
  urgency: 16,
  details: 8_000,
  whatHappened: 2_000,
  since: LIMITS.short,
  ongoing: 16,
  systems: 2_000,
  dataAtRisk: 16,
  actionsTaken: 2_000,
  contacted: 2_000,
  evidence: 2_000,
  consent: 16,
};

/**
 * The largest form body accepted. Every field at its limit in three-byte characters,
 * each written as `%XX%XX%XX`, is about 180 KB; a browser honouring `maxlength` never
 * sends more, so a larger body is refused before it is read.
 */
export const MAX_FORM_BYTES = 192 * 1024;

/** What the consulter typed, field by field, exactly as sent (an absent field is ''). */
export type FormValues = Record<Field, string>;

/** The hidden fields that come with every submission. */
export interface FormMeta {
  /** The anti-forgery token of the page that was filled in. */
  csrf: string;
  /** A random id of the page, so a double press records one consultation. */
  formId: string;
  lang: Lang;
  /** The field people never see; whoever fills it in is a program. */
  honeypot: string;
}

/** The name of the field only programs fill in. Named to be tempting. */
export const HONEYPOT_FIELD = 'website';

export type FieldErrors = Partial<Record<Field, Localized>>;

/** The labels the page and its error messages use. */
export const LABELS: Record<Field, Localized> = {
  organisation: W.organisation,
  person: W.person,
  email: W.email,
  phone: W.phone,
  industry: W.industry,
  employees: W.employees,
  municipality: W.municipality,
  category: W.category,
  urgency: W.urgency,
  details: W.details,
  whatHappened: {
    ja: '何が起きたか（症状・画面・メッセージ）',
    en: 'What happened (symptoms, screens, messages)',
  },
  since: { ja: 'いつから／いつ気づいたか', en: 'Since when / when you noticed' },
  ongoing: { ja: '被害は今も続いていますか', en: 'Is the damage still going on?' },
  systems: {
    ja: '影響を受けた機器・システム・サービス',
    en: 'Devices, systems and services affected',
  },
  dataAtRisk: {
    ja: '個人情報や機密情報が漏れたおそれはありますか',
    en: 'Could personal or confidential data have leaked?',
  },
  actionsTaken: {
    ja: 'すでに行った対応（ネットワークからの切断、パスワードの変更など）',
    en: 'What you have already done (disconnected the network, changed passwords, …)',
  },
  contacted: {
    ja: 'すでに連絡した先（警察、取引先、システム会社など）',
    en: 'Who you have already contacted (police, business partners, IT vendors, …)',
  },
  evidence: {
    ja: '保存している証拠（ログ、メール、画面の写真など）',
    en: 'Evidence you have kept (logs, emails, screenshots, …)',
  },
  consent: W.consent,
};

/** Form values with nothing typed: what a new page starts from. */
export function emptyValues(): FormValues {
  const values = Object.fromEntries(FIELDS.map((f) => [f, ''])) as FormValues;
  values.category = CATEGORY_UNKNOWN;
  values.urgency = 'normal';
  values.ongoing = 'unknown';
  values.dataAtRisk = 'unknown';
  return values;
}

/** A field's one value: the first when sent twice; '' for anything that is not text. */
const first = (v: unknown): string => {
  const one: unknown = Array.isArray(v) ? v[0] : v;
  return typeof one === 'string' ? one : '';
};

/** The page's language from a query or form value: English when asked, Japanese otherwise. */
export const langOf = (v: unknown): Lang => (first(v) === 'en' ? 'en' : 'ja');

/** Reads a posted form: the consulter's values as sent, and the hidden fields. */
export function readForm(body: FormBody | undefined): { values: FormValues; meta: FormMeta } {
  const b = body ?? {};
  const values = Object.fromEntries(FIELDS.map((f) => [f, first(b[f])])) as FormValues;
  return {
    values,
    meta: {
      csrf: first(b.csrf),
      formId: first(b.formId),
      lang: langOf(b.lang),
      honeypot: first(b[HONEYPOT_FIELD]),
    },
  };
}

/** C0 control characters other than tab and line feed, and DEL: never kept. */
// eslint-disable-next-line no-control-regex -- matching them is the point
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/g;

/** Text as it is kept: line breaks as `\n`, no control characters, trimmed; '' → null. */
export function cleanText(v: string): string | null {
  const s = v.replace(/\r\n?/g, '\n').replace(CONTROL, '').trim();
  return s === '' ? null : s;
}

/** Length in characters as a person counts them (code points). */
const charCount = (s: string) => Array.from(s).length;

/** The input of `ConsultationService.create` for a web consultation. */
export interface WebIntake {
  channel: 'web';
  consulter: {
    organisation: string | null;
    person: string | null;
    email: string | null;
    phone: string | null;
    industry: string | null;
    employees: number | null;
    municipality: string | null;
  };
  categoryId: string;
  urgency: Urgency;
  subject: string;
  details: string;
  situation: {
    whatHappened: string | null;
    since: string | null;
    ongoing: Tristate;
    systems: string | null;
    dataAtRisk: Tristate;
    actionsTaken: string | null;
    contacted: string | null;
    evidence: string | null;
  };
  tags: string[];
}

export type Validation = { ok: true; intake: WebIntake } | { ok: false; errors: FieldErrors };

const CATEGORY_IDS = new Set(CATEGORIES.map((c) => c.id));

/**
 * Checks a form the way the desk needs it: a name, a way to answer (email or phone),
 * what it is about, consent; every length and choice within bounds. Email, phone and
 * the number of employees follow the record's own schema (full-width digits accepted).
 */
export function validate(values: FormValues): Validation {
  const errors: FieldErrors = {};
  const text: Partial<Record<Field, string | null>> = {};

  for (const f of FIELDS) {
    const cleaned = cleanText(values[f]);
    const length = cleaned === null ? 0 : charCount(cleaned);
    if (length > MAX_LENGTH[f]) errors[f] = E.tooLong(LABELS[f], MAX_LENGTH[f], length);
    text[f] = cleaned;
  }

  if (!text.person && !errors.person) errors.person = E.required(LABELS.person);
  if (!text.details && !errors.details) errors.details = E.required(LABELS.details);

  const email = consulterSchema.shape.email.safeParse(text.email ?? null);
  if (!email.success && !errors.email) errors.email = E.email;
  const phone = consulterSchema.shape.phone.safeParse(text.phone ?? null);
  if (!phone.success && !errors.phone) errors.phone = E.phone;
  if (!text.email && !text.phone && !errors.email && !errors.phone) errors.email = E.contact;

  const employees = consulterSchema.shape.employees.safeParse(text.employees ?? null);
  if (!employees.success && !errors.employees) errors.employees = E.employees;

  const municipality = text.municipality ? municipalityName(text.municipality) : null;
  if (municipality === undefined) errors.municipality = E.choose(LABELS.municipality);

  const category = text.category ?? CATEGORY_UNKNOWN;
  if (category !== CATEGORY_UNKNOWN && !CATEGORY_IDS.has(category))
    errors.category = E.choose(LABELS.category);

  const urgency = text.urgency ?? 'normal';
  if (!(URGENCIES as readonly string[]).includes(urgency))
    errors.urgency = E.choose(LABELS.urgency);

  const tristate = (f: (typeof SITUATION_TRISTATE)[number]): Tristate => {
    const v = text[f] ?? 'unknown';
    if ((TRISTATE as readonly string[]).includes(v)) return v as Tristate;
    errors[f] = E.answer(LABELS[f]);
    return 'unknown';
  };
  const ongoing = tristate('ongoing');
  const dataAtRisk = tristate('dataAtRisk');

  if (text.consent !== 'yes' && !errors.consent) errors.consent = E.consent;

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const details = text.details!;
  return {
    ok: true,
    intake: {
      channel: 'web',
      consulter: {
        organisation: text.organisation ?? null,
        person: text.person ?? null,
        email: email.success ? email.data : null,
        phone: phone.success ? phone.data : null,
        industry: text.industry ?? null,
        employees: employees.success ? employees.data : null,
        municipality: municipality ?? null,
      },
      categoryId: category === CATEGORY_UNKNOWN ? DEFAULT_CATEGORY_ID : category,
      urgency: urgency as Urgency,
      subject: subjectFrom(details),
      details,
      situation: {
        whatHappened: text.whatHappened ?? null,
        since: text.since ?? null,
        ongoing,
        systems: text.systems ?? null,
        dataAtRisk,
        actionsTaken: text.actionsTaken ?? null,
        contacted: text.contacted ?? null,
        evidence: text.evidence ?? null,
      },
      tags: [],
    },
  };
}

/** Characters of the details that become the record's subject (the form asks for none). */
export const SUBJECT_CHARS = 60;

/** The record's subject: the first line of the details, cut to `SUBJECT_CHARS` with "…". */
export function subjectFrom(details: string): string {
  const line = details.split('\n').find((l) => l.trim() !== '') ?? details;
  const chars = Array.from(line.replace(/\s+/g, ' ').trim());
  return chars.length <= SUBJECT_CHARS
    ? chars.join('')
    : chars.slice(0, SUBJECT_CHARS - 1).join('') + '…';
}
