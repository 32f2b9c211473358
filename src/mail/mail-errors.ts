import { AppError, type ErrorCode } from '../errors';
import { localize, type Localized } from '../i18n/messages';

/** What the desk asks of Graph. */
export type MailOperation = 'reply' | 'send' | 'read';

/** The application permission each operation needs (restricted to the desk's mailbox). */
export type MailPermission = 'Mail.Send' | 'Mail.Read';

export const PERMISSION_FOR: Readonly<Record<MailOperation, MailPermission>> = {
  reply: 'Mail.Send',
  send: 'Mail.Send',
  read: 'Mail.Read',
};

/**
 * Graph (or Entra ID, for the token) did not do what was asked. It says how it failed
 * (`graphStatus`, `graphCode`), whether trying again later may help, and what to tell a
 * person, in both languages. It never carries a message body, a subject or an address.
 */
export class MailError extends AppError {
  constructor(
    readonly operation: MailOperation,
    /** Graph's (or Entra's) HTTP status; 0 when no answer came back. */
    readonly graphStatus: number,
    /** Graph's error code (`ErrorAccessDenied`), Entra's (`entra:invalid_client`) or ours (`network`). */
    readonly graphCode: string,
    /** Whether the same request may succeed later without anyone changing anything. */
    readonly retryable: boolean,
    localized: Localized,
    code: ErrorCode = 'mail_failed',
  ) {
    super(502, code, localized, { operation, graphStatus, graphCode, retryable });
  }
}

/** Graph refused (401/403): the message names the application permission to check. */
export class MailPermissionError extends MailError {
  readonly permission: MailPermission;

  constructor(operation: MailOperation, graphStatus: number, graphCode: string) {
    const permission = PERMISSION_FOR[operation];
    super(
      operation,
      graphStatus,
      graphCode,
      false,
      localize('mail.permission', { permission, status: graphStatus, code: graphCode }),
      'mail_permission',
    );
    this.permission = permission;
  }
}

/** Mail is not set up: nothing can be emailed until the settings are complete. */
export class MailNotConfiguredError extends MailError {
  constructor(operation: MailOperation) {
    super(
      operation,
      0,
      'mail_not_configured',
      false,
      localize('mail.not_configured'),
      'mail_not_configured',
    );
  }
}

/** Graph error codes that mean a recipient address was refused. */
const RECIPIENT_CODES = new Set([
  'ErrorInvalidRecipients',
  'ErrorInvalidEmailAddress',
  'ErrorRecipientNotFound',
  'ErrorMessageSubmissionBlocked',
]);

/** The error for an HTTP answer from Graph that was not a success. */
export function mailErrorFromStatus(
  operation: MailOperation,
  status: number,
  code: string | null,
): MailError {
  const c = code || `http_${status}`;
  if (status === 401 || status === 403) return new MailPermissionError(operation, status, c);
  if (status === 429) return new MailError(operation, status, c, true, localize('mail.throttled'));
  if (status >= 500) {
    return new MailError(
      operation,
      status,
      c,
      true,
      localize('mail.unavailable', { status, code: c }),
    );
  }
  if (status === 404) return new MailError(operation, status, c, false, localize('mail.not_found'));
  if (RECIPIENT_CODES.has(c)) {
    return new MailError(
      operation,
      status,
      c,
      false,
      localize('mail.invalid_recipient', { code: c }),
    );
  }
  return new MailError(operation, status, c, false, localize('mail.rejected', { status, code: c }));
}

/** No answer came back at all (refused connection, reset, timeout). */
export function mailNetworkError(operation: MailOperation, code: string): MailError {
  return new MailError(operation, 0, code, true, localize('mail.network', { code }));
}

/** Entra ID gave no token: bad credentials are for an administrator; an outage passes. */
export function mailTokenError(
  operation: MailOperation,
  status: number,
  entraCode: string,
): MailError {
  const code = `entra:${entraCode}`;
  const transient = status === 0 || status === 429 || status >= 500;
  return new MailError(
    operation,
    status,
    code,
    transient,
    transient
      ? localize('mail.network', { code })
      : localize('mail.credentials', { code: entraCode }),
  );
}
