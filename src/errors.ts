import { localize, type Localized, type MessageKey } from './i18n/messages';
import { ACTION_LABELS, ERASURE_LABELS, STATE_LABELS } from './consultation/labels';
import type { Action, Erasure, PersonRef, State } from './consultation/types';

export type ErrorCode =
  | 'validation'
  | 'bad_request'
  | 'unauthorized'
  | 'token_missing'
  | 'token_malformed'
  | 'token_expired'
  | 'token_audience'
  | 'token_issuer'
  | 'token_tenant'
  | 'token_signature'
  | 'token_algorithm'
  | 'forbidden'
  | 'not_found'
  | 'route_not_found'
  | 'method_not_allowed'
  | 'invalid_json'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'conflict'
  | 'invalid_transition'
  /** The record's personal data was erased: nothing can be done to it any more. */
  | 'erased'
  | 'unavailable'
  | 'mail_failed'
  | 'mail_permission'
  | 'mail_not_configured'
  /** Madoguchi may not yet read the person's mail on their behalf: they (or an admin) must consent. */
  | 'consent_required'
  /** The email the Outlook add-in asked about is not (or no longer) in the mailbox. */
  | 'message_not_found'
  | 'internal';

/** A field's error in both languages, keyed by the field's path (`consulter.email`). */
export type FieldErrors = Record<string, Localized>;

/**
 * The one error type that crosses a boundary: it knows its HTTP status, a stable
 * `code`, a message in Japanese and English, and structured details.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly localized: Localized,
    readonly details: Record<string, unknown> = {},
  ) {
    super(localized.en);
    this.name = new.target.name;
  }

  toJSON(): { error: { code: ErrorCode; message: Localized; details: Record<string, unknown> } } {
    return { error: { code: this.code, message: this.localized, details: this.details } };
  }
}

const make = (status: number, code: ErrorCode, key: MessageKey, params = {}, details = {}) =>
  [status, code, localize(key, params), details] as const;

export class ValidationError extends AppError {
  constructor(readonly fields: FieldErrors) {
    super(...make(400, 'validation', 'error.validation', {}, { fields }));
  }
}

export class BadRequestError extends AppError {
  constructor(reason?: string) {
    super(...make(400, 'bad_request', 'error.bad_request', {}, reason ? { reason } : {}));
  }
}

export class NotFoundError extends AppError {
  constructor(readonly ref: string | number) {
    super(...make(404, 'not_found', 'error.not_found', { ref }, { ref }));
  }
}

export class ForbiddenError extends AppError {
  constructor(readonly action: Action) {
    const label = ACTION_LABELS[action];
    super(
      ...make(
        403,
        'forbidden',
        'error.forbidden',
        { actionJa: label.ja, actionEn: label.en },
        { action },
      ),
    );
  }
}

/** What the last person to change a record did, so a loser can be told who won. */
export interface LastChange {
  action: Action;
  by: PersonRef;
  at: string;
  /** Why a case was returned to first line: its cards show it to the owner. */
  reason?: string;
  /** What a correction changed, by field path (`consulter.phone`): its thread line names them. */
  fields?: string[];
}

/** Someone else changed the record first: the caller is told who and what. */
export class ConflictError extends AppError {
  constructor(
    readonly attempted: Action,
    readonly state: State,
    readonly lastChange: LastChange,
  ) {
    super(
      ...make(
        409,
        'conflict',
        'error.conflict',
        {
          byName: lastChange.by.name,
          actionJa: ACTION_LABELS[lastChange.action].ja,
          actionEn: ACTION_LABELS[lastChange.action].en,
          stateJa: STATE_LABELS[state].ja,
          stateEn: STATE_LABELS[state].en,
        },
        { attempted, state, lastChange },
      ),
    );
  }
}

/** The action never applies in this state (not a race: nobody else is involved). */
export class InvalidTransitionError extends AppError {
  constructor(
    readonly attempted: Action,
    readonly state: State,
  ) {
    super(
      ...make(
        409,
        'invalid_transition',
        'error.invalid_transition',
        {
          actionJa: ACTION_LABELS[attempted].ja,
          actionEn: ACTION_LABELS[attempted].en,
          stateJa: STATE_LABELS[state].ja,
          stateEn: STATE_LABELS[state].en,
        },
        { attempted, state },
      ),
    );
  }
}

/** The record's personal data was erased; it cannot be changed or added to any more. */
export class ErasedError extends AppError {
  constructor(
    readonly attempted: Action,
    readonly erasure: Erasure,
  ) {
    const reason = ERASURE_LABELS[erasure.reason];
    super(
      ...make(
        409,
        'erased',
        'error.erased',
        {
          actionJa: ACTION_LABELS[attempted].ja,
          actionEn: ACTION_LABELS[attempted].en,
          reasonJa: reason.ja,
          reasonEn: reason.en,
        },
        { attempted, erasure },
      ),
    );
  }
}

/** A dependency (database, Graph, Bot Connector) is down; the action can be retried. */
export class UnavailableError extends AppError {
  constructor(
    readonly what: 'database' | 'graph' | 'teams',
    cause?: unknown,
  ) {
    super(...make(503, 'unavailable', 'error.unavailable', { what }, { what }));
    if (cause !== undefined) (this as { cause?: unknown }).cause = cause;
  }
}
