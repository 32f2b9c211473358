import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from './config';

export type { Logger } from 'pino';

/**
 * Keys whose values are consultation content, personal data or credentials.
 * Their values never reach a log line, however deep the key sits in what is
 * logged (`redact`). Log ids, numbers and codes instead (`consultationId`,
 * `state`, `code`).
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

export const REDACTED = '[redacted]';

/** What stands for an object nested deeper than `MAX_DEPTH` (a cycle ends there too). */
export const TRUNCATED = '[truncated]';

const SENSITIVE = new Set<string>(SENSITIVE_KEYS);
const MAX_DEPTH = 8;

/**
 * `value` as it may be logged: every `SENSITIVE_KEYS` key's value replaced by
 * `REDACTED` at any depth (and a logged config's `database.url`), errors in
 * pino's serialised shape, objects deeper than `MAX_DEPTH` cut off. Copies only
 * what changes: a line with nothing to hide is passed on as it is, so the
 * usual line (ids, codes, a status) costs a walk over a few keys.
 */
export function redact(value: unknown, depth = 0, parentKey = ''): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return TRUNCATED;
  if (value instanceof Error) return redact(pino.stdSerializers.err(value), depth, parentKey);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    const json = (value as { toJSON: () => unknown }).toJSON();
    if (json !== value) return redact(json, depth + 1, parentKey);
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const next = redact(item, depth + 1, parentKey);
      if (next !== item) (copy ??= value.slice())[i] = next;
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(record)) {
    const item = record[key];
    const hidden =
      item !== undefined && (SENSITIVE.has(key) || (key === 'url' && parentKey === 'database'));
    const next = hidden ? REDACTED : redact(item, depth + 1, key);
    if (next !== item) (copy ??= { ...record })[key] = next;
  }
  return copy ?? record;
}

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
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => redact(bindings) as Record<string, unknown>,
        log: (object) => redact(object) as Record<string, unknown>,
      },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
