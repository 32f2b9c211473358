/**
 * The ledger API's parameters, checked: query strings and bodies in, typed queries out,
 * or a 400 naming each parameter that is wrong, in Japanese and English.
 */
import {
  CHANNELS,
  STATES,
  URGENCIES,
  type Channel,
  type State,
  type Urgency,
} from '../consultation/types';
import { EDIT_FIELDS, type EditField, type EditValues } from '../consultation/correction';
import { ValidationError, type FieldErrors } from '../errors';
import type { Lang, Localized } from '../i18n/messages';
import type { CaseText } from './casebook';
import type {
  DayRange,
  EditRequest,
  EraseRequest,
  LedgerListQuery,
  MonthRange,
} from './ledger.service';
import { MAX_STAT_MONTHS } from './ledger.service';
import { TEXT, fill } from './messages';
import { monthsBefore, monthsFrom, parseDay, parseMonth, tokyoMonth } from './tokyo';

/** A casebook holds at most this many cases (the request body limit is 256 KB). */
export const MAX_CASEBOOK_CASES = 30;
const MAX_QUERY = 200;
const MAX_CASE_FIELD = 20_000;
const MAX_TITLE = 200;

/** Collects errors per field and throws them all at once. */
class Problems {
  readonly fields: FieldErrors = {};
  add(field: string, message: Localized): void {
    this.fields[field] ??= message;
  }
  throwIfAny(): void {
    if (Object.keys(this.fields).length > 0) throw new ValidationError(this.fields);
  }
}

/** Every value of a parameter, comma lists split, blanks dropped. */
function values(params: URLSearchParams, name: string): string[] {
  return params
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

function single(params: URLSearchParams, name: string): string | undefined {
  const v = params.get(name)?.trim();
  return v ? v : undefined;
}

function choices<T extends string>(
  params: URLSearchParams,
  name: string,
  allowed: readonly T[] | ReadonlySet<string>,
  problems: Problems,
): T[] | undefined {
  const given = [...new Set(values(params, name))];
  if (given.length === 0) return undefined;
  const ok = (v: string) =>
    Array.isArray(allowed) ? allowed.includes(v as T) : (allowed as ReadonlySet<string>).has(v);
  const bad = given.filter((v) => !ok(v));
  if (bad.length > 0) problems.add(name, fill(TEXT.badChoice, { values: bad.join(', ') }));
  return given as T[];
}

function day(params: URLSearchParams, name: string, problems: Problems): string | undefined {
  const v = single(params, name);
  if (v === undefined) return undefined;
  const d = parseDay(v);
  if (!d) problems.add(name, TEXT.badDay);
  return d ?? undefined;
}

function whole(
  params: URLSearchParams,
  name: string,
  min: number,
  max: number,
  fallback: number,
  message: Localized,
  problems: Problems,
): number {
  const v = single(params, name);
  if (v === undefined) return fallback;
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.add(name, message);
    return fallback;
  }
  return n;
}

/** `GET /api/ledger/consultations` parameters. */
export function parseListQuery(
  params: URLSearchParams,
  categoryIds: ReadonlySet<string>,
): LedgerListQuery {
  const problems = new Problems();
  const text = single(params, 'q');
  if (text && [...text].length > MAX_QUERY) {
    problems.add('q', fill(TEXT.tooLong, { max: MAX_QUERY }));
  }
  const states = choices<State>(params, 'state', STATES, problems);
  const channels = choices<Channel>(params, 'channel', CHANNELS, problems);
  const categories = choices<string>(params, 'category', categoryIds, problems);
  const urgencies = choices<Urgency>(params, 'urgency', URGENCIES, problems);
  const person = single(params, 'person');
  if (person && person.length > MAX_QUERY) {
    problems.add('person', fill(TEXT.tooLong, { max: MAX_QUERY }));
  }
  const from = day(params, 'from', problems);
  const to = day(params, 'to', problems);
  if (from && to && to < from) problems.add('to', TEXT.rangeReversed);
  const page = whole(params, 'page', 1, 1_000_000, 1, TEXT.badPage, problems);
  const pageSize = whole(params, 'pageSize', 1, 100, 50, TEXT.badPageSize, problems);
  const sameAs = whole(params, 'sameAs', 1, Number.MAX_SAFE_INTEGER, 0, TEXT.badRecordId, problems);
  problems.throwIfAny();
  return {
    ...(text ? { text } : {}),
    ...(states ? { states } : {}),
    ...(channels ? { channels } : {}),
    ...(categories ? { categoryIds: categories } : {}),
    ...(urgencies ? { urgencies } : {}),
    ...(person ? { personId: person } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(sameAs ? { sameAs } : {}),
    page,
    pageSize,
  };
}

/**
 * `GET /api/ledger/stats` parameters: Tokyo months, both included, at most 24. Without
 * `to`, the current month; without `from`, the twelve months ending with `to`.
 */
export function parseMonthRange(params: URLSearchParams, now: Date): MonthRange {
  const problems = new Problems();
  const month = (name: string) => {
    const v = single(params, name);
    if (v === undefined) return undefined;
    const m = parseMonth(v);
    if (!m) problems.add(name, TEXT.badMonth);
    return m ?? undefined;
  };
  const givenFrom = month('from');
  const givenTo = month('to');
  problems.throwIfAny();
  const to = givenTo ?? tokyoMonth(now);
  const from = givenFrom ?? monthsBefore(to, 11);
  if (to < from) problems.add('to', TEXT.rangeReversed);
  else if (monthsFrom(from, to).length > MAX_STAT_MONTHS) problems.add('to', TEXT.monthsTooMany);
  problems.throwIfAny();
  return { from, to };
}

/** `GET /api/ledger/export.csv` parameters: Tokyo days, both required and included. */
export function parseDayRange(params: URLSearchParams): DayRange {
  const problems = new Problems();
  const from = day(params, 'from', problems);
  const to = day(params, 'to', problems);
  if (!single(params, 'from')) problems.add('from', TEXT.dayRequired);
  if (!single(params, 'to')) problems.add('to', TEXT.dayRequired);
  if (from && to && to < from) problems.add('to', TEXT.rangeReversed);
  problems.throwIfAny();
  return { from: from!, to: to! };
}

function lang(body: Record<string, unknown>, params: URLSearchParams): Lang {
  const v = body.lang ?? params.get('lang');
  return v === 'en' ? 'en' : 'ja';
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isId = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;

/** `POST /api/ledger/casebook/preview` body: `{ ids: number[], lang? }`. */
export function parseCasebookPreview(
  body: unknown,
  params: URLSearchParams,
): { ids: number[]; lang: Lang } {
  const b = isRecord(body) ? body : {};
  const ids = b.ids;
  if (
    !Array.isArray(ids) ||
    ids.length === 0 ||
    ids.length > MAX_CASEBOOK_CASES ||
    !ids.every(isId)
  ) {
    throw new ValidationError({
      ids: fill(TEXT.casebookIdsRequired, { max: MAX_CASEBOOK_CASES }),
    });
  }
  return { ids, lang: lang(b, params) };
}

/** `POST /api/ledger/casebook/export` body: `{ cases: [{ id, title, industry, situation, answer }], lang? }`. */
export function parseCasebookExport(
  body: unknown,
  params: URLSearchParams,
): { cases: Array<CaseText & { id: number }>; lang: Lang } {
  const b = isRecord(body) ? body : {};
  const cases = b.cases;
  if (!Array.isArray(cases) || cases.length === 0 || cases.length > MAX_CASEBOOK_CASES) {
    throw new ValidationError({
      cases: fill(TEXT.casebookIdsRequired, { max: MAX_CASEBOOK_CASES }),
    });
  }
  const problems = new Problems();
  const out = cases.map((c: unknown, i) => {
    const r = isRecord(c) ? c : {};
    if (!isId(r.id))
      problems.add(`cases.${i}.id`, fill(TEXT.casebookIdsRequired, { max: MAX_CASEBOOK_CASES }));
    const text = (field: keyof CaseText, max: number, required: boolean): string => {
      const v = r[field];
      const s = typeof v === 'string' ? v.trim() : '';
      if (v !== undefined && v !== null && typeof v !== 'string') {
        problems.add(`cases.${i}.${field}`, TEXT.badParameters);
      } else if (required && !s) {
        problems.add(`cases.${i}.${field}`, TEXT.casebookEmptyField);
      } else if ([...s].length > max) {
        problems.add(`cases.${i}.${field}`, fill(TEXT.tooLong, { max }));
      }
      return s;
    };
    return {
      id: r.id as number,
      title: text('title', MAX_TITLE, true),
      industry: text('industry', MAX_TITLE, false),
      situation: text('situation', MAX_CASE_FIELD, true),
      answer: text('answer', MAX_CASE_FIELD, true),
    };
  });
  problems.throwIfAny();
  return { cases: out, lang: lang(b, params) };
}

/**
 * `POST /api/ledger/consultations/:id/erase` body: `{ confirmNumber, version }`. The
 * version (of the record as shown) is checked here; the number is the consultation
 * service's to check against the record.
 */
export function parseErase(body: unknown): EraseRequest {
  const b = isRecord(body) ? body : {};
  if (!isId(b.version)) throw new ValidationError({ version: TEXT.badVersion });
  return { confirmNumber: b.confirmNumber, version: b.version };
}

const REQUEST_ID = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * `POST /api/ledger/consultations/:id/edit` body: `{ version, values, requestId? }`.
 * `values` has a string for each field of the form (an empty one clears it), keyed by
 * its path (`consulter.email`); the consultation service checks what they say.
 */
export function parseEdit(body: unknown): EditRequest {
  const b = isRecord(body) ? body : {};
  const problems = new Problems();
  if (!isId(b.version)) problems.add('version', TEXT.badVersion);
  const values: EditValues = {};
  if (!isRecord(b.values)) {
    problems.add('values', TEXT.badEditValues);
  } else {
    const known = new Set<string>(EDIT_FIELDS);
    for (const [path, v] of Object.entries(b.values)) {
      if (!known.has(path)) problems.add(path, TEXT.notEditable);
      else if (typeof v !== 'string') problems.add(path, TEXT.badEditValues);
      else values[path as EditField] = v;
    }
  }
  const requestId = b.requestId ?? null;
  if (requestId !== null && (typeof requestId !== 'string' || !REQUEST_ID.test(requestId))) {
    problems.add('requestId', TEXT.badRequestId);
  }
  problems.throwIfAny();
  return { version: b.version as number, values, requestId: requestId as string | null };
}
