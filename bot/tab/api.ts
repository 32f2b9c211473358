/**
 * The ledger API as the page sees it (docs/ledger-api.md), and one small client that
 * turns every way a request can fail into a `Failure` the page can explain.
 */
import type { EditValues } from '../../src/consultation/correction';
import type { Consulter, PersonRef, Situation } from '../../src/consultation/types';
import { ApiError, type CallOptions } from '../../src/web-client/api';
import type { Localized } from './messages';

export interface Labelled {
  id: string;
  label: Localized;
}

export interface LedgerMeta {
  me: { id: string; name: string; roles: string[] };
  canExport: boolean;
  labels: {
    states: Labelled[];
    channels: Labelled[];
    urgencies: Labelled[];
    categories: Labelled[];
    /** Why a record's personal data was erased (`retention`, `request`). */
    erasureReasons: Labelled[];
    /** Where cases were handled (`MonthStats.byHandling`). */
    handlings: Labelled[];
  };
  people: PersonRef[];
}

export interface ListItem {
  id: number;
  number: string;
  receivedAt: string;
  channel: string;
  state: string;
  categoryId: string;
  urgency: string;
  subject: string;
  organisation: string | null;
  firstLineOwner: PersonRef | null;
  specialist: PersonRef | null;
  /** Its personal data was erased: subject and organisation are empty. */
  erased: boolean;
}

/** An export of personal data from the ledger, as the API lists it (supervisors). */
export interface ExportEntry {
  id: number;
  kind: 'csv' | 'casebook';
  by: { id: string; name: string };
  at: string;
  range: { from: string; to: string } | null;
  count: number;
  consultationIds: number[];
  outcome: 'complete' | 'broken';
}

export interface ListPage {
  items: ListItem[];
  total: number;
  totalIsLowerBound: boolean;
  page: number;
  pageSize: number;
  /** The record whose consulter the list is of (the `sameAs` filter); null without it. */
  sameConsulter: {
    id: number;
    number: string;
    organisation: string | null;
    person: string | null;
  } | null;
}

export interface ConsultationFull {
  id: number;
  number: string;
  channel: string;
  state: string;
  receivedAt: string;
  consulter: Consulter;
  categoryId: string;
  urgency: string;
  subject: string;
  details: string;
  situation: Situation;
  firstLineOwner: PersonRef | null;
  specialist: PersonRef | null;
  coordinationNeeded: boolean | null;
  coordinationReason: string | null;
  tags: string[];
  createdBy?: PersonRef;
  closedAt: string | null;
  /** Set once its personal data was erased: when, and why (`retention` or `request`). */
  erasure: { at: string; reason: string } | null;
  version: number;
}

export type TimelineKind = 'history' | 'note' | 'answer' | 'email' | 'acknowledgement';

export interface TimelineEntry {
  at: string;
  kind: TimelineKind;
  who: PersonRef | null;
  summary: Localized;
  body?: string;
  details?: unknown;
}

export interface Destination {
  id: string;
  name: Localized;
  purpose?: Localized;
  url?: string;
  tel?: string;
  email?: string;
  hours?: Localized;
}

/** Another record of the same consulter, and which of the consulter's keys it shares. */
export interface RelatedItem {
  id: number;
  number: string;
  receivedAt: string;
  state: string;
  categoryId: string;
  subject: string;
  closedAt: string | null;
  /** `organisation`, `email`, `phone`: what it shares with the record shown. */
  matchedBy: string[];
}

/** A past case like the record shown, and the start of how it was answered. */
export interface SimilarItem {
  id: number;
  number: string;
  subject: string;
  receivedAt: string;
  closedAt: string | null;
  /** From 0 to 1. */
  likeness: number;
  answer: {
    excerpt: string;
    truncated: boolean;
    line: 'first' | 'second';
    at: string;
    author: PersonRef;
  };
}

export interface RecordPage {
  consultation: ConsultationFull;
  /** The same consulter's other records, newest first (at most 5), and how many in all. */
  related: { items: RelatedItem[]; total: number };
  /** Answered past cases of the category that read most alike (none for an erased record). */
  similar: SimilarItem[];
  timeline: TimelineEntry[];
  teamsCardUrl: string | null;
  destinations: Destination[];
  /** The signed-in person may erase its personal data now (a supervisor, a closed record). */
  canErase: boolean;
  /** The signed-in person may correct what was recorded (記録を修正). */
  canEdit: boolean;
}

export interface Medians {
  toClaimMinutes: number | null;
  toDispatchMinutes: number | null;
  toAnswerMinutes: number | null;
}

export interface MonthStats {
  month: string;
  total: number;
  byChannel: Record<string, number>;
  byCategory: Record<string, number>;
  byState: Record<string, number>;
  /** Completed at first line, dispatched to second line, open without a dispatch. */
  byHandling: Record<string, number>;
  median: Medians;
}

export interface Stats {
  months: MonthStats[];
}

/** The text of a case a supervisor reviews and may correct. */
export interface CaseText {
  title: string;
  industry: string;
  situation: string;
  answer: string;
}

/** A closed case as the casebook drafts it: generalised facts and anonymised text. */
export interface CasebookCase extends CaseText {
  id: number;
  /** The record's number, for the reviewer; never printed in the document. */
  number: string;
  category: { id: string; label: Localized };
  sizeBand: Localized;
  municipalityArea?: Localized;
  /** Tokyo month received: `2026-11`. */
  month: string;
}

export interface CasebookPreview {
  cases: CasebookCase[];
}

/** Why a request did not give what was asked, as the page tells it. */
export type FailureKind =
  | 'network'
  | 'signedOut'
  | 'forbidden'
  | 'notFound'
  | 'validation'
  | 'conflict'
  | 'unavailable'
  | 'server';

export interface Failure {
  kind: FailureKind;
  /** HTTP status; 0 when no answer came. */
  status: number;
  code?: string;
  /** The server's own message, when it sent one. */
  message?: Localized;
  /** Per-field messages of a validation error. */
  fields?: Record<string, Localized>;
  details?: Record<string, unknown>;
  requestId?: string;
}

export class ApiFailure extends Error {
  constructor(readonly failure: Failure) {
    super(`${failure.kind} (${failure.status}${failure.code ? ` ${failure.code}` : ''})`);
    this.name = 'ApiFailure';
  }
}

const isLocalized = (v: unknown): v is Localized =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Localized).ja === 'string' &&
  typeof (v as Localized).en === 'string';

/** A failed response as the page explains it, from its status and the one error shape. */
export function classify(status: number, body: unknown, requestId?: string): Failure {
  const error =
    typeof body === 'object' && body !== null && 'error' in body
      ? (body as { error: Record<string, unknown> }).error
      : undefined;
  const code = typeof error?.code === 'string' ? error.code : undefined;
  const message = isLocalized(error?.message) ? error.message : undefined;
  const details =
    typeof error?.details === 'object' && error.details !== null
      ? (error.details as Record<string, unknown>)
      : undefined;
  const rawFields = details?.fields;
  const fields =
    typeof rawFields === 'object' && rawFields !== null
      ? Object.fromEntries(
          Object.entries(rawFields as Record<string, unknown>).filter(([, v]) => isLocalized(v)),
        )
      : undefined;
  const kind: FailureKind =
    status === 401
      ? 'signedOut'
      : status === 403
        ? 'forbidden'
        : status === 404
          ? 'notFound'
          : status === 400 || status === 422
            ? 'validation'
            : status === 409
              ? 'conflict'
              : status === 503 || status === 502 || status === 504
                ? 'unavailable'
                : status === 0
                  ? 'network'
                  : 'server';
  const failure: Failure = { kind, status };
  if (code) failure.code = code;
  if (message) failure.message = message;
  if (fields && Object.keys(fields).length) failure.fields = fields as Record<string, Localized>;
  if (details) failure.details = details;
  if (requestId) failure.requestId = requestId;
  return failure;
}

/** A file the server sent for download. */
export interface Download {
  blob: Blob;
  filename: string;
}

/** `attachment; filename="madoguchi-2026-11-01-2026-11-30.csv"` → the file's name. */
export function filenameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // Not valid percent-encoding: use the plain name below.
    }
  }
  const plain = /filename\s*=\s*"([^"]+)"|filename\s*=\s*([^;\s]+)/i.exec(disposition);
  return plain?.[1] ?? plain?.[2] ?? fallback;
}

/** How the page reaches the API: the signed-in session's `call` (src/web-client/sign-in.ts). */
export interface ApiDeps {
  call<T>(path: string, opts?: CallOptions): Promise<T>;
}

/** Any error of a call as a `Failure`: the API's own, no network, or the sign-in's. */
export function failureFromError(err: unknown): Failure {
  if (err instanceof ApiFailure) return err.failure;
  if (err instanceof ApiError) {
    if (err.status === 0) return { kind: 'network', status: 0, code: err.code };
    const body = { error: { code: err.code, message: err.localized, details: err.details } };
    return classify(err.status, body, err.requestId ?? undefined);
  }
  return { kind: 'server', status: 0 };
}

/** The ledger's calls, with the signed-in person's token; every failure becomes an `ApiFailure`. */
export class LedgerApi {
  constructor(private readonly deps: ApiDeps) {}

  meta(): Promise<LedgerMeta> {
    return this.json('/api/ledger/meta');
  }

  list(query: string): Promise<ListPage> {
    return this.json(`/api/ledger/consultations?${query}`);
  }

  record(id: number): Promise<RecordPage> {
    return this.json(`/api/ledger/consultations/${id}`);
  }

  /**
   * Erases a closed record's personal data (supervisors): `confirmNumber` is the number
   * the person typed, `version` the record's as shown. Answers the record as it now is.
   */
  erase(id: number, confirmNumber: string, version: number): Promise<RecordPage> {
    return this.json(`/api/ledger/consultations/${id}/erase`, {
      method: 'POST',
      body: { confirmNumber, version },
    });
  }

  /**
   * Corrects what was recorded: `values` every field of the form by its path, `version`
   * the record's as the form was filled, `requestId` the same for a retry of this save.
   * Answers the record as it now is.
   */
  edit(id: number, version: number, values: EditValues, requestId: string): Promise<RecordPage> {
    return this.json(`/api/ledger/consultations/${id}/edit`, {
      method: 'POST',
      body: { version, values, requestId },
    });
  }

  stats(from: string, to: string): Promise<Stats> {
    const q = new URLSearchParams({ from, to });
    return this.json(`/api/ledger/stats?${q.toString()}`);
  }

  csv(from: string, to: string): Promise<Download> {
    const q = new URLSearchParams({ from, to });
    return this.download(`/api/ledger/export.csv?${q.toString()}`, `madoguchi-${from}-${to}.csv`);
  }

  /** The latest exports of personal data (supervisors). */
  exports(): Promise<{ items: ExportEntry[] }> {
    return this.json('/api/ledger/exports');
  }

  /** Drafts of closed cases, written in `lang`. */
  casebookPreview(ids: number[], lang: 'ja' | 'en'): Promise<CasebookPreview> {
    return this.json('/api/ledger/casebook/preview', { method: 'POST', body: { ids, lang } });
  }

  /** The reviewed text as a Markdown document; refused (validation) while anything identifies. */
  casebookExport(cases: Array<CaseText & { id: number }>, lang: 'ja' | 'en'): Promise<Download> {
    return this.download('/api/ledger/casebook/export', 'madoguchi-casebook.md', {
      method: 'POST',
      body: { cases, lang },
    });
  }

  private async json<T>(path: string, opts?: CallOptions): Promise<T> {
    try {
      return await this.deps.call<T>(path, opts);
    } catch (err) {
      throw new ApiFailure(failureFromError(err));
    }
  }

  private async download(path: string, fallback: string, opts?: CallOptions): Promise<Download> {
    try {
      const res = await this.deps.call<Response>(path, { ...opts, raw: true });
      const blob = await res.blob();
      return { blob, filename: filenameOf(res.headers.get('content-disposition'), fallback) };
    } catch (err) {
      throw new ApiFailure(failureFromError(err));
    }
  }
}
