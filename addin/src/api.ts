/**
 * Madoguchi's mail API as the task pane calls it (docs/addin-api.md): POST
 * /api/mail/status, /api/mail/convert and /api/mail/append, as the signed-in person; the
 * latter two name the shared mailbox the email is in (null for the person's own). Every
 * failure becomes an ApiProblem saying what kind of failure it was, with the server's own
 * words, its field errors and its request id when there are any.
 */
import type { Urgency } from '../../src/consultation/types';
import type {
  AppendResult,
  AttachmentOutcome,
  ConsultationSummary,
  ConvertResult,
  EmailStatus,
} from '../../src/intake/email-intake.service';
import { ApiError, type CallOptions, type Localized } from '../../src/web-client/api';

// The answers are the server's own types, imported as types only: nothing of the server
// goes into the pane's bundle.
export type { AppendResult, AttachmentOutcome, ConvertResult };
/** A consultation as the API describes it to the pane. */
export type ConsultationRef = ConsultationSummary;
/** What an email is to the desk: registered, a follow-up of a case, or new. */
export type MailStatus = EmailStatus;

export interface StatusQuery {
  internetMessageId: string;
  conversationId: string;
  subject: string;
}

/** What staff confirm in the form; the body and attachments are read by the server. */
export interface ConvertForm {
  consulter: { organisation: string | null; person: string | null; phone: string | null };
  categoryId: string;
  urgency: Urgency;
  subject: string;
  /** What staff want to say first; the email's own text follows it in the record. */
  details: string | null;
}

/** Which message the server reads: its REST id, in the person's own mailbox or a shared one. */
export interface MailItemRef {
  itemId: string;
  /** The shared mailbox the item is in (Outlook's `targetMailbox`); null for one's own. */
  mailbox: string | null;
}

export interface DeskApi {
  status(query: StatusQuery): Promise<MailStatus>;
  convert(item: MailItemRef, form: ConvertForm): Promise<ConvertResult>;
  append(item: MailItemRef, consultationId: number): Promise<AppendResult>;
}

/**
 * Kinds of failure the pane explains differently:
 * network (no answer at all), signed_out (401), consent (Graph consent missing),
 * forbidden (403 role), mail_permission (Graph refused: a permission is missing),
 * validation (400 with field errors), not_found (404), mail_not_configured (503),
 * unavailable (503, try again), server (other 5xx), other (any other answer).
 */
export type ProblemKind =
  | 'network'
  | 'signed_out'
  | 'consent'
  | 'forbidden'
  | 'mail_permission'
  | 'validation'
  | 'not_found'
  | 'mail_not_configured'
  | 'unavailable'
  | 'server'
  | 'other';

/** A failed call: its kind, and what the server said about it. */
export class ApiProblem extends Error {
  constructor(
    readonly kind: ProblemKind,
    readonly status: number,
    /** The server's error code (`token_expired`, `validation`, …), or the kind when none. */
    readonly code: string,
    /** The server's own message, when it sent one. */
    readonly serverMessage: Localized | null,
    readonly requestId: string | null,
    /** Field errors of a 400, keyed by the form's field paths (`consulter.phone`). */
    readonly fields: Record<string, Localized> = {},
    /** The delegated permission the server names (`details.permission`), when it does. */
    readonly permission: string | null = null,
  ) {
    super(`${kind} (${status} ${code})`);
    this.name = 'ApiProblem';
  }
}

/** Calls the API as the signed-in person (src/web-client/sign-in.ts `Session.call`). */
export type CallApi = <T>(path: string, opts?: CallOptions) => Promise<T>;

const isLocalized = (v: unknown): v is Localized =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Localized).ja === 'string' &&
  typeof (v as Localized).en === 'string';

/** Field paths as the form knows them: the API may prefix them with `form.`. */
function fieldErrors(raw: Record<string, unknown>): Record<string, Localized> {
  const out: Record<string, Localized> = {};
  for (const [path, message] of Object.entries(raw)) {
    if (isLocalized(message)) out[path.replace(/^form\./, '')] = message;
  }
  return out;
}

/** Codes whose own message says it all (docs/addin-api.md): shown as the server words them. */
const SAID_BY_SERVER = ['message_not_found', 'conflict', 'mail_failed'];

function kindOf(status: number, code: string): ProblemKind {
  if (code === 'network' || status === 0) return 'network';
  if (code === 'consent_required') return 'consent';
  if (code === 'mail_not_configured') return 'mail_not_configured';
  if (code === 'mail_permission') return 'mail_permission';
  if (SAID_BY_SERVER.includes(code)) return 'other';
  if (status === 401) return 'signed_out';
  if (status === 403) return 'forbidden';
  if (status === 400 && code === 'validation') return 'validation';
  if (status === 404 && code === 'not_found') return 'not_found';
  if (status === 503 || status === 502 || status === 504) return 'unavailable';
  if (status >= 500) return 'server';
  return 'other';
}

/** The pane's reading of a failed call (an ApiError of the web client, or anything thrown). */
export function toApiProblem(err: unknown): ApiProblem {
  if (err instanceof ApiProblem) return err;
  if (err instanceof ApiError) {
    const detailsId = err.details.requestId;
    return new ApiProblem(
      kindOf(err.status, err.code),
      err.status,
      err.code,
      err.localized,
      err.requestId ?? (typeof detailsId === 'string' ? detailsId : null),
      fieldErrors(err.fields),
      typeof err.details.permission === 'string' ? err.details.permission : null,
    );
  }
  // Not an answer of the API: fetch itself failed, or the sign-in library did.
  const e = (err ?? {}) as { name?: unknown; message?: unknown };
  if (e.name === 'TypeError') return new ApiProblem('network', 0, 'network', null, null);
  return new ApiProblem('signed_out', 0, String(e.name ?? 'sign_in_failed'), null, null);
}

/** The mail API over `call`; every failure is thrown as an ApiProblem. */
export function createDeskApi(call: CallApi): DeskApi {
  async function post<T>(path: string, body: unknown): Promise<T> {
    try {
      return await call<T>(path, { method: 'POST', body });
    } catch (err) {
      throw toApiProblem(err);
    }
  }
  return {
    status: (query) => post<MailStatus>('/api/mail/status', query),
    convert: ({ itemId, mailbox }, form) => post('/api/mail/convert', { itemId, mailbox, form }),
    append: ({ itemId, mailbox }, consultationId) =>
      post('/api/mail/append', { itemId, mailbox, consultationId }),
  };
}
