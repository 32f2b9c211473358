import { z } from 'zod';
import { ValidationError, type FieldErrors } from '../errors';
import { localize, type MessageKey } from '../i18n/messages';
import { fieldLabel, isChosen } from './fields';
import { ANSWER_DELIVERIES, CHANNELS, TRISTATE, URGENCIES } from './types';

/** Limits on what one field may hold; generous for real use, bounded against abuse. */
export const LIMITS = {
  short: 200,
  subject: 200,
  details: 20_000,
  situation: 4_000,
  note: 10_000,
  answer: 20_000,
  tag: 50,
  tags: 20,
} as const;

/** Trimmed text; an empty or missing value becomes null. */
const optionalText = (max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() || null : (v ?? null)),
    z.string().max(max).nullable(),
  );

const requiredText = (max: number) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string().min(1).max(max));

const optionalNumber = z.preprocess((v) => {
  if (v === '' || v === null || v === undefined) return null;
  if (typeof v === 'string') return Number(v.normalize('NFKC').replace(/[,\s]/g, ''));
  return v;
}, z.number().int().min(0).max(10_000_000).nullable());

const tristate = z.preprocess((v) => v || 'unknown', z.enum(TRISTATE));

const PHONE = /^\+?[0-9()\-\s]{6,24}$/;

export const consulterSchema = z.object({
  organisation: optionalText(LIMITS.short),
  person: optionalText(LIMITS.short),
  email: z.preprocess(
    (v) => (typeof v === 'string' ? v.normalize('NFKC').trim() || null : (v ?? null)),
    z.string().max(254).email().nullable(),
  ),
  phone: z.preprocess(
    (v) => (typeof v === 'string' ? v.normalize('NFKC').trim() || null : (v ?? null)),
    z.string().regex(PHONE).nullable(),
  ),
  industry: optionalText(LIMITS.short),
  employees: optionalNumber,
  municipality: optionalText(LIMITS.short),
});

export const situationSchema = z.object({
  whatHappened: optionalText(LIMITS.situation),
  since: optionalText(LIMITS.short),
  ongoing: tristate,
  systems: optionalText(LIMITS.situation),
  dataAtRisk: tristate,
  actionsTaken: optionalText(LIMITS.situation),
  contacted: optionalText(LIMITS.situation),
  evidence: optionalText(LIMITS.situation),
});

export const createSchema = z.object({
  channel: z.enum(CHANNELS),
  receivedAt: z.preprocess(
    (v) => (v === '' || v === null ? undefined : v),
    z.string().datetime({ offset: true }).optional(),
  ),
  consulter: z.preprocess((v) => v ?? {}, consulterSchema),
  categoryId: requiredText(64),
  urgency: z.preprocess((v) => v || 'normal', z.enum(URGENCIES)),
  subject: requiredText(LIMITS.subject),
  details: requiredText(LIMITS.details),
  situation: z.preprocess((v) => v ?? {}, situationSchema),
  tags: z.array(requiredText(LIMITS.tag)).max(LIMITS.tags).default([]),
});
export type CreateInput = z.output<typeof createSchema>;

/**
 * Correcting a record: the consulter, the subject and details, the checklist, each as a
 * whole (the form sends every field). Channel, category and urgency have their own verbs.
 */
export const editSchema = createSchema.pick({
  consulter: true,
  subject: true,
  details: true,
  situation: true,
});
export type EditInput = z.output<typeof editSchema>;

/** What a correction may change. */
export const EDITABLE = ['consulter', 'subject', 'details', 'situation'] as const;

export const dispatchSchema = z.object({
  specialistId: requiredText(128),
  /** The name the surface showed, used when the directory has none. */
  specialistName: optionalText(LIMITS.short),
  coordinationNeeded: z.preprocess((v) => v === true || v === 'true', z.boolean()),
  reason: optionalText(LIMITS.situation),
});
export type DispatchInput = z.output<typeof dispatchSchema>;

export const answerSchema = z.object({
  body: requiredText(LIMITS.answer),
  delivery: z.enum(ANSWER_DELIVERIES),
});
export type AnswerInput = z.output<typeof answerSchema>;

export const noteSchema = z.object({
  body: requiredText(LIMITS.note),
  source: z.enum(['card', 'thread', 'chat']).default('card'),
});
export type NoteInput = z.output<typeof noteSchema>;

export const recategoriseSchema = z.object({
  categoryId: requiredText(64),
  urgency: z.enum(URGENCIES).optional(),
});
export type RecategoriseInput = z.output<typeof recategoriseSchema>;

export const closeSchema = z.object({ reason: optionalText(LIMITS.situation) });
export type CloseInput = z.output<typeof closeSchema>;

/** A specialist giving a case back says why: its first-line owner reads it. */
export const returnSchema = z.object({ reason: requiredText(LIMITS.situation) });
export type ReturnInput = z.output<typeof returnSchema>;

/** Erasing on request: the person types the record's number to say they mean it. */
export const eraseSchema = z.object({
  confirmNumber: z.preprocess(
    (v) => (typeof v === 'string' ? v.normalize('NFKC').trim() : v),
    z.string().min(1).max(LIMITS.short),
  ),
});

/** Parses input or throws a `ValidationError` with a message per field in both languages. */
export function parseInput<S extends z.ZodTypeAny>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) {
    const path = issue.path.join('.');
    if (!fields[path]) fields[path] = messageFor(issue, path);
  }
  throw new ValidationError(fields);
}

/** A field error raised by a rule rather than by the schema. */
export function fieldError(path: string, key: MessageKey): ValidationError {
  const label = fieldLabel(path);
  return new ValidationError({
    [path]: localize(missingAs(path, key), { labelJa: label.ja, labelEn: label.en }),
  });
}

/** A field chosen from a list that is missing is to be chosen, not typed. */
const missingAs = (path: string, key: MessageKey): MessageKey =>
  key === 'field.required' && isChosen(path) ? 'field.choose' : key;

function messageFor(issue: z.ZodIssue, path: string) {
  const label = fieldLabel(path);
  const p = { labelJa: label.ja, labelEn: label.en };
  const key = ((): MessageKey => {
    switch (issue.code) {
      case 'invalid_type':
        if (issue.received === 'undefined' || issue.received === 'null') return 'field.required';
        return issue.expected === 'number' ? 'field.invalid_number' : 'field.invalid_choice';
      case 'too_small':
        return issue.type === 'string' ? 'field.required' : 'field.invalid_number';
      case 'too_big':
        return issue.type === 'string' ? 'field.too_long' : 'field.invalid_number';
      case 'not_multiple_of':
        return 'field.invalid_number';
      case 'invalid_string':
        if (issue.validation === 'email') return 'field.invalid_email';
        if (issue.validation === 'datetime') return 'field.invalid_date';
        return 'field.invalid_phone';
      case 'invalid_enum_value':
      case 'invalid_literal':
      case 'invalid_union':
        return 'field.invalid_choice';
      default:
        return 'field.invalid_choice';
    }
  })();
  const max = issue.code === 'too_big' ? Number(issue.maximum) : undefined;
  return localize(missingAs(path, key), { ...p, max });
}
