import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from './config';

export type { Logger } from 'pino';

/**
 * Keys whose values are consultation content, personal data or credentials.
 * Their values never reach a log line when the key sits up to four levels deep
 * in what is logged; deeper objects are not logged at all. Log ids,
 * numbers and codes instead (`consultationId`, `state`, `code`).
 */
export const SENSITIVE_KEYS = [
  // message and record content
  'body',
  'text',
  'subject',
  'details',
  'detail', // PostgreSQL errors quote the offending values here
  'situation',
  'whatHappened',
  'actionsTaken',
  'contacted',
  'evidence',
  'coordinationReason',
  'coordination_reason',
  'before',
  'after',
  'before_json',
  'after_json',
  'attachments',
  // the consulter
  'consulter',
  'person',
  'organisation',
  'organization',
  'email',
  'phone',
  'municipality',
  'consulter_person',
  'consulter_organisation',
  'consulter_email',
  'consulter_phone',
  'consulter_municipality',
  // email as Graph and the mail gateway shape it
  'html',
  'comment',
  'mailbox',
  'to',
  'cc',
  'recipients',
  'toRecipients',
  'ccRecipients',
  'bccRecipients',
  'replyTo',
  'sender',
  'emailAddress',
  'bodyPreview',
  // credentials
  'password',
  'secret',
  'token',
  'accessToken',
  'access_token',
  'authorization',
  'cookie',
  'set-cookie',
  'databaseUrl',
  'clientSecret',
  'privateKey',
] as const;

/** pino's redaction has no "any depth" wildcard: each key is covered at the top and four levels down. */
const DEPTH = 4;

/** The redaction paths for `SENSITIVE_KEYS` (`body`, `*.body`, `*.*.body`, …). */
export function redactPaths(keys: readonly string[] = SENSITIVE_KEYS, depth = DEPTH): string[] {
  const paths: string[] = [];
  for (const key of keys) {
    const access = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
    for (let d = 0; d <= depth; d++) {
      const prefix = Array<string>(d).fill('*').join('.');
      const sep = d === 0 || access.startsWith('[') ? '' : '.';
      paths.push(`${prefix}${sep}${access}`);
    }
  }
  // A Config logged by mistake must not leak the database password.
  paths.push('database.url', '*.database.url');
  return paths;
}

export const REDACTED = '[redacted]';

/**
 * The app's logger: JSON lines, ISO timestamps, sensitive keys redacted.
 * `destination` defaults to stdout, written synchronously so the last lines
 * before an exit are not lost; tests pass a stream to read what was logged.
 */
export function createLogger(
  config: Pick<Config, 'logLevel' | 'mode'>,
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { app: 'madoguchi', mode: config.mode },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactPaths(), censor: REDACTED },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
