import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { listen, sendJson } from './http';

/** One request as the stand-in received it. */
export interface GraphRequestRecord {
  method: string;
  /** Decoded path, e.g. `/v1.0/users/soudan@example.lg.jp/messages/AAMk…=/reply`. */
  path: string;
  /** The path exactly as sent (still percent-encoded). */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** The mailbox in `/users/{mailbox}/…`, lower case. */
  mailbox: string | null;
  /** For `/me/…`: the person the (on-behalf-of) token stands for. */
  user?: string;
  /** The status the stand-in answered with. */
  status?: number;
}

/** A message that left a mailbox: by reply, by sending a draft, or by sendMail. */
export interface SentRecord {
  kind: 'reply' | 'draft' | 'sendMail';
  mailbox: string;
  /** For replies: the id of the message answered. */
  inReplyTo: string | null;
  message: Record<string, unknown>;
}

/** A failure to answer with instead of the normal one. */
export interface ScriptedFailure {
  status: 429 | 500 | 503 | 504 | 401 | 403 | 404 | 400;
  code?: string;
  message?: string;
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
  /** Only requests matching this are failed (default: the next request, whatever it is). */
  match?: { method?: string; path?: RegExp };
}

export interface GraphStandIn {
  /** Use as GRAPH_BASE_URL. */
  url: string;
  requests: GraphRequestRecord[];
  sent: SentRecord[];
  /**
   * Puts a message in a mailbox, for GET, reply and createReply; for `/me/…`, the mailbox
   * is the person's object id. A message's `attachments` are served by the attachment
   * routes (`contentBytes`, base64, or `content`, a Buffer, for large ones).
   */
  addMessage(mailbox: string, message: Record<string, unknown>): void;
  /** A message as the stand-in holds it now (after PATCHes), or undefined. */
  message(mailbox: string, id: string): Record<string, unknown> | undefined;
  /** A person's Outlook master categories (`/me/outlook/masterCategories`). */
  masterCategories(user: string): Array<{ id: string; displayName: string; color: string }>;
  /** The next matching requests fail like this, once each, in order. */
  failNext(...failures: ScriptedFailure[]): void;
  /** Most requests in flight at once for a mailbox, so far. */
  maxInFlight(mailbox: string): number;
  close(): Promise<void>;
}

export interface GraphStandInOptions {
  /** Which bearer tokens are good (default: any). */
  acceptToken?: (token: string) => boolean;
  /** Milliseconds each answer is held back, to make requests overlap. */
  latencyMs?: number;
  /** For `/me/…`: the person a token stands for (the Entra stand-in's `userOf`). */
  userOf?: (token: string) => string | undefined;
}

const ERROR_MESSAGES: Record<number, [string, string]> = {
  400: ['ErrorInvalidRecipients', 'At least one recipient is not valid.'],
  401: ['InvalidAuthenticationToken', 'Access token validation failure.'],
  403: ['ErrorAccessDenied', 'Access is denied. Check credentials and try again.'],
  404: ['ErrorItemNotFound', 'The specified object was not found in the store.'],
  409: ['ErrorDuplicateCategory', 'A category with the same name already exists.'],
  429: ['ApplicationThrottled', 'Application is over its MailboxConcurrency limit.'],
  500: ['ErrorInternalServerError', 'An internal server error occurred. The operation failed.'],
  503: ['ServiceUnavailable', 'Service Unavailable'],
  504: ['GatewayTimeout', 'Gateway Timeout'],
};

/**
 * Microsoft Graph's mail routes on loopback, answering with the documented shapes:
 * GET a message (with `$select`), POST `/reply` (202, no content), POST `/createReply`
 * (201, the draft), PATCH a message (200), POST `/send` (202), POST `/sendMail` (202).
 * Every request is recorded with its path, headers and body; failures can be scripted.
 */
export async function startGraphStandIn(opts: GraphStandInOptions = {}): Promise<GraphStandIn> {
  const requests: GraphRequestRecord[] = [];
  const sent: SentRecord[] = [];
  const messages = new Map<string, Record<string, unknown>>();
  const failures: ScriptedFailure[] = [];
  const categories = new Map<string, Array<{ id: string; displayName: string; color: string }>>();
  const inFlight = new Map<string, number>();
  const maxSeen = new Map<string, number>();
  const key = (mailbox: string, id: string) => `${mailbox.toLowerCase()}|${id}`;

  const server = await listen(async (req, res, raw) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const mailbox = segments[1] === 'users' && segments[2] ? segments[2].toLowerCase() : null;
    const record: GraphRequestRecord = {
      method: req.method ?? 'GET',
      path: '/' + segments.join('/'),
      rawPath: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: raw ? safeJson(raw) : null,
      mailbox,
    };
    requests.push(record);

    const lane = mailbox ?? '';
    const now = (inFlight.get(lane) ?? 0) + 1;
    inFlight.set(lane, now);
    maxSeen.set(lane, Math.max(maxSeen.get(lane) ?? 0, now));
    try {
      if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs));
      route(record, segments, res);
    } finally {
      inFlight.set(lane, (inFlight.get(lane) ?? 1) - 1);
    }
  });

  function answer(record: GraphRequestRecord, res: ServerResponse, status: number, body?: unknown) {
    record.status = status;
    const headers = {
      'request-id': randomUUID(),
      'client-request-id': String(record.headers['client-request-id'] ?? ''),
    };
    if (body === undefined) {
      // An empty 202 carries no content type, or the client would try to parse JSON.
      res.writeHead(status, headers);
      res.end();
    } else {
      sendJson(res, status, body, headers);
    }
  }

  function error(
    record: GraphRequestRecord,
    res: ServerResponse,
    status: number,
    code?: string,
    message?: string,
    extra: Record<string, string> = {},
  ) {
    const [defCode, defMessage] = ERROR_MESSAGES[status] ?? ['UnknownError', 'Error'];
    record.status = status;
    const requestId = randomUUID();
    sendJson(
      res,
      status,
      {
        error: {
          code: code ?? defCode,
          message: message ?? defMessage,
          innerError: {
            date: new Date().toISOString().slice(0, 19),
            'request-id': requestId,
            'client-request-id': String(record.headers['client-request-id'] ?? ''),
          },
        },
      },
      { 'request-id': requestId, ...extra },
    );
  }

  function route(record: GraphRequestRecord, s: string[], res: ServerResponse): void {
    const auth = String(record.headers.authorization ?? '');
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (!token)
      return error(record, res, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
    if (opts.acceptToken && !opts.acceptToken(token)) return error(record, res, 401);

    const i = failures.findIndex(
      (f) =>
        (!f.match?.method || f.match.method === record.method) &&
        (!f.match?.path || f.match.path.test(record.path)),
    );
    if (i >= 0) {
      const [f] = failures.splice(i, 1);
      const extra: Record<string, string> =
        f!.retryAfter !== undefined ? { 'retry-after': String(f!.retryAfter) } : {};
      return error(record, res, f!.status, f!.code, f!.message, extra);
    }

    if (s[0] === 'v1.0' && s[1] === 'me') {
      const user = opts.userOf?.(token);
      if (!user) {
        return error(
          record,
          res,
          400,
          'BadRequest',
          '/me request is only valid with delegated authentication flow.',
        );
      }
      record.user = user;
      return me(record, user.toLowerCase(), s.slice(2), res);
    }

    // /v1.0/users/{mailbox}/…
    if (s[0] !== 'v1.0' || s[1] !== 'users' || !s[2])
      return error(record, res, 404, 'BadRequest', 'Resource not found for the segment.');
    const mailbox = s[2].toLowerCase();
    const rest = s.slice(3);
    const body = (record.body ?? {}) as Record<string, unknown>;

    // A shared mailbox read on a person's behalf: the same routes as their own mailbox.
    if (
      rest[0] === 'outlook' ||
      (rest[0] === 'messages' && rest[2] === 'attachments') ||
      (record.method === 'PATCH' && rest.length === 2)
    ) {
      return me(record, mailbox, rest, res);
    }

    if (record.method === 'POST' && rest.length === 1 && rest[0] === 'sendMail') {
      const message = body.message as Record<string, unknown> | undefined;
      if (!message || !Array.isArray(message.toRecipients) || message.toRecipients.length === 0) {
        return error(
          record,
          res,
          400,
          'ErrorInvalidRecipients',
          'At least one recipient is not valid.',
        );
      }
      sent.push({ kind: 'sendMail', mailbox, inReplyTo: null, message });
      return answer(record, res, 202);
    }

    if (rest[0] !== 'messages' || !rest[1])
      return error(record, res, 404, 'BadRequest', 'Resource not found for the segment.');
    const id = rest[1];
    const stored = messages.get(key(mailbox, id));
    if (!stored) return error(record, res, 404);

    if (record.method === 'GET' && rest.length === 2) {
      const select = record.query.get('$select');
      const fields = select ? select.split(',') : Object.keys(stored);
      const picked: Record<string, unknown> = {
        '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${encodeURIComponent(mailbox)}')/messages(${fields.join(',')})/$entity`,
      };
      for (const f of new Set(['id', ...fields])) if (f in stored) picked[f] = stored[f];
      return answer(record, res, 200, picked);
    }

    if (record.method === 'PATCH' && rest.length === 2) {
      if (!stored.isDraft)
        return error(
          record,
          res,
          400,
          'ErrorInvalidOperation',
          'Only drafts can be changed this way.',
        );
      Object.assign(stored, body, { lastModifiedDateTime: new Date().toISOString() });
      return answer(record, res, 200, stored);
    }

    if (record.method === 'POST' && rest.length === 3) {
      const message = (body.message ?? {}) as Record<string, unknown>;
      if (body.comment !== undefined && (message.body as unknown) !== undefined) {
        return error(
          record,
          res,
          400,
          'ErrorInvalidArgument',
          'Specify either a comment or the body of the message, not both.',
        );
      }
      switch (rest[2]) {
        case 'reply':
          sent.push({
            kind: 'reply',
            mailbox,
            inReplyTo: id,
            message: { ...replyOf(stored), ...message, comment: body.comment },
          });
          return answer(record, res, 202);
        case 'createReply': {
          const draft = {
            ...replyOf(stored),
            ...message,
            id: `draft-${randomUUID()}`,
            isDraft: true,
            inReplyTo: id,
          };
          messages.set(key(mailbox, draft.id), draft);
          return answer(record, res, 201, draft);
        }
        case 'send':
          if (!stored.isDraft)
            return error(record, res, 400, 'ErrorInvalidOperation', 'The message is not a draft.');
          messages.delete(key(mailbox, id));
          sent.push({
            kind: 'draft',
            mailbox,
            inReplyTo: (stored.inReplyTo as string) ?? null,
            message: stored,
          });
          return answer(record, res, 202);
      }
    }
    return error(record, res, 405, 'ErrorInvalidRequest', 'The OData request is not supported.');
  }

  /**
   * A mailbox read on a person's behalf (`/me`, or `/users/{mailbox}` for a shared one): GET a message (`$select`), its attachments
   * (metadata with `$select`, one with `contentBytes`, or `/$value`), PATCH a message's
   * categories (or other flags), and the master category list (GET, POST).
   */
  function me(record: GraphRequestRecord, user: string, rest: string[], res: ServerResponse) {
    const body = (record.body ?? {}) as Record<string, unknown>;
    if (rest[0] === 'outlook' && rest[1] === 'masterCategories' && rest.length === 2) {
      const list = categories.get(user) ?? [];
      if (record.method === 'GET') {
        const select = record.query.get('$select')?.split(',');
        return answer(record, res, 200, {
          value: list.map((c) => (select ? pick(c, ['id', ...select]) : c)),
        });
      }
      if (record.method === 'POST') {
        const displayName = String(body.displayName ?? '');
        if (!displayName)
          return error(record, res, 400, 'ErrorInvalidArgument', 'displayName is required.');
        if (list.some((c) => c.displayName === displayName)) return error(record, res, 409);
        const created = { id: randomUUID(), displayName, color: String(body.color ?? 'none') };
        categories.set(user, [...list, created]);
        return answer(record, res, 201, created);
      }
    }
    if (rest[0] !== 'messages' || !rest[1])
      return error(record, res, 404, 'BadRequest', 'Resource not found for the segment.');
    const stored = messages.get(key(user, rest[1]));
    if (!stored) return error(record, res, 404);

    if (rest.length === 2 && record.method === 'GET') {
      const select = record.query.get('$select');
      const fields = select
        ? select.split(',')
        : Object.keys(stored).filter((k) => k !== 'attachments');
      return answer(record, res, 200, pick(stored, ['id', ...fields]));
    }
    if (rest.length === 2 && record.method === 'PATCH') {
      const writable = ['categories', 'isRead', 'flag', 'importance', 'inferenceClassification'];
      const wrong = Object.keys(body).filter((k) => !writable.includes(k));
      if (wrong.length && !stored.isDraft)
        return error(
          record,
          res,
          400,
          'ErrorInvalidPropertyUpdateSentMessage',
          'Update is not allowed for property on a sent or received message.',
        );
      Object.assign(stored, body, { lastModifiedDateTime: new Date().toISOString() });
      // Graph answers with the message, its attachments not expanded.
      return answer(record, res, 200, omit(stored, ['attachments']));
    }
    if (rest[2] === 'attachments' && record.method === 'GET') {
      const attachments = (stored.attachments ?? []) as Array<Record<string, unknown>>;
      const metadata = (a: Record<string, unknown>) => omit(a, ['contentBytes', 'content']);
      if (rest.length === 3) {
        const select = record.query.get('$select')?.split(',');
        return answer(record, res, 200, {
          value: attachments.map((a) =>
            select ? pick(a, ['@odata.type', 'id', ...select]) : metadata(a),
          ),
        });
      }
      const found = attachments.find((a) => a.id === rest[3]);
      if (!found) return error(record, res, 404);
      const bytes = Buffer.isBuffer(found.content)
        ? found.content
        : Buffer.from(String(found.contentBytes ?? ''), 'base64');
      if (rest.length === 4) {
        return answer(record, res, 200, {
          ...metadata(found),
          contentBytes: bytes.toString('base64'),
        });
      }
      if (rest.length === 5 && rest[4] === '$value') {
        record.status = 200;
        res.writeHead(200, {
          'content-type': String(found.contentType ?? 'application/octet-stream'),
          'content-length': String(bytes.length),
          'request-id': randomUUID(),
        });
        res.end(bytes);
        return;
      }
    }
    return error(record, res, 405, 'ErrorInvalidRequest', 'The OData request is not supported.');
  }

  return {
    url: server.url,
    requests,
    sent,
    addMessage: (mailbox, message) => messages.set(key(mailbox, String(message.id)), message),
    message: (mailbox, id) => messages.get(key(mailbox, id)),
    masterCategories: (user) => categories.get(user.toLowerCase()) ?? [],
    failNext: (...f) => void failures.push(...f),
    maxInFlight: (mailbox) => maxSeen.get(mailbox.toLowerCase()) ?? 0,
    close: server.close,
  };
}

/** The reply Graph would draft: to the sender (or their Reply-To), `RE:` subject, same thread. */
function replyOf(original: Record<string, unknown>): Record<string, unknown> {
  const replyTo = original.replyTo as unknown[] | undefined;
  return {
    subject: `RE: ${String(original.subject ?? '')}`,
    toRecipients: replyTo?.length ? replyTo : [original.from],
    ccRecipients: [],
    conversationId: original.conversationId,
    internetMessageId: `<reply-${randomUUID()}@stand-in.example>`,
    body: {
      contentType: 'html',
      content: `<blockquote>${String((original.body as { content?: string })?.content ?? '')}</blockquote>`,
    },
  };
}

/** `source` without the fields named. */
function omit(source: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(source).filter(([k]) => !fields.includes(k)));
}

/** The fields of `source` named in `fields` that it has. */
function pick(source: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of new Set(fields)) if (f in source) out[f] = source[f];
  return out;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text; // not JSON: recorded as sent, for the test to look at
  }
}
