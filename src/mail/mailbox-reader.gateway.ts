import {
  AuthError,
  ConfidentialClientApplication,
  InteractionRequiredAuthError,
} from '@azure/msal-node';
import {
  AuthenticationHandler,
  AuthenticationHandlerOptions,
  Client,
  GraphClientError,
  GraphError,
  HTTPMessageHandler,
  ResponseType,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import type { DelegatedSettings } from '../config';
import { AppError } from '../errors';
import { intakeMessage } from '../intake/messages';
import type { Logger } from '../logger';
import {
  CANONICAL_GRAPH,
  chain,
  msalConfiguration,
  networkCode,
  RequestTrace,
  retryAfterSeconds,
  ToConfiguredHost,
  type GraphGatewayOptions,
  type GraphRecipient,
} from './graph.gateway';
import { KeyedSemaphore } from './keyed-semaphore';

/** The delegated permission the desk asks for on the signed-in person's own mailbox. */
export const DELEGATED_PERMISSION = 'Mail.ReadWrite';
/** …on a shared mailbox the person has access to (the desk's, opened in their Outlook). */
export const SHARED_PERMISSION = 'Mail.ReadWrite.Shared';
/** …on the person's master category list (reading it, adding a category). */
export const CATEGORIES_PERMISSION = 'MailboxSettings.ReadWrite';

export type DelegatedPermission =
  typeof DELEGATED_PERMISSION | typeof SHARED_PERMISSION | typeof CATEGORIES_PERMISSION;

/** The person whose mailbox is read: who they are, and the token they signed in to the API with. */
export interface MailboxUser {
  /** Entra object id. */
  id: string;
  /** Their bearer token for Madoguchi's API: the on-behalf-of assertion. */
  token: string;
  /**
   * A shared mailbox the item is in (Outlook's `targetMailbox`), read with the person's
   * delegated access to it; absent for the person's own mailbox.
   */
  mailbox?: string | null;
}

/** What intake reads of a message: these fields and no others (`$select`). */
export interface IntakeMessage {
  id: string;
  internetMessageId: string;
  conversationId: string | null;
  subject: string | null;
  from: GraphRecipient | null;
  sender: GraphRecipient | null;
  replyTo: GraphRecipient[];
  toRecipients: GraphRecipient[];
  ccRecipients: GraphRecipient[];
  receivedDateTime: string | null;
  body: { contentType: 'html' | 'text'; content: string } | null;
  uniqueBody: { contentType: 'html' | 'text'; content: string } | null;
  hasAttachments: boolean;
  categories: string[];
}

export const INTAKE_FIELDS = [
  'id',
  'internetMessageId',
  'conversationId',
  'subject',
  'from',
  'sender',
  'replyTo',
  'toRecipients',
  'ccRecipients',
  'receivedDateTime',
  'body',
  'uniqueBody',
  'hasAttachments',
  'categories',
] as const satisfies readonly (keyof IntakeMessage)[];

/** An attachment's metadata (`$select=id,name,contentType,size,isInline`, plus its kind). */
export interface AttachmentInfo {
  id: string;
  name: string;
  contentType: string | null;
  size: number;
  isInline: boolean;
  /** `file` can be downloaded; `item` (an attached email) and `reference` (a link) are listed only. */
  kind: 'file' | 'item' | 'reference' | 'other';
}

/** What email intake asks of the signed-in person's mailbox. Every failure is an `AppError`. */
export interface MailboxReader {
  /** Reads the message with `$select` of the intake fields only. */
  getMessage(user: MailboxUser, itemId: string): Promise<IntakeMessage>;
  /** The message's attachments, metadata only. */
  listAttachments(user: MailboxUser, itemId: string): Promise<AttachmentInfo[]>;
  /** A file attachment's bytes (`/$value`). */
  downloadAttachment(user: MailboxUser, itemId: string, attachmentId: string): Promise<Buffer>;
  /**
   * Puts `name` in the person's master category list (with a colour) when it is not
   * there yet. Needs MailboxSettings.ReadWrite; a message can carry a category without it.
   */
  ensureMasterCategory(user: MailboxUser, name: string): Promise<void>;
  /** Sets the message's categories (`PATCH …/messages/{id}`). */
  setCategories(user: MailboxUser, itemId: string, categories: readonly string[]): Promise<void>;
}

/** What the gateway was doing when it failed (logged; never the path, which holds ids). */
export type MailboxOperation =
  'token' | 'read' | 'attachments' | 'download' | 'categories' | 'create-category' | 'tag';

/**
 * Graph or Entra ID did not do what intake asked. `status` and `code` are what the API
 * answers; `graphStatus`/`graphCode` say what Graph (or Entra, `entra:…`) said.
 */
export class MailboxError extends AppError {
  constructor(
    status: number,
    code: ConstructorParameters<typeof AppError>[1],
    localized: ConstructorParameters<typeof AppError>[2],
    readonly operation: MailboxOperation,
    readonly graphStatus: number,
    readonly graphCode: string,
    details: Record<string, unknown> = {},
  ) {
    super(status, code, localized, { operation, graphStatus, graphCode, ...details });
  }
}

export { delegatedSettings, type DelegatedSettings } from '../config';

/**
 * Microsoft Graph on behalf of the signed-in person: their API token is exchanged with
 * msal-node (`acquireTokenOnBehalfOf`, `Mail.ReadWrite`; cached per incoming token) and
 * each request carries the resulting token. The middleware chain is the app-only
 * gateway's (retry on 429/503/504, telemetry, the configured Graph host, one timeout per
 * attempt); requests per mailbox are limited as Outlook requires.
 */
export class GraphMailboxReader implements MailboxReader {
  private readonly client: Client;
  private readonly msal: ConfidentialClientApplication;
  private readonly graphOrigin: string;
  private readonly lanes: KeyedSemaphore;

  constructor(
    settings: DelegatedSettings,
    private readonly logger: Logger,
    options: GraphGatewayOptions = {},
  ) {
    this.lanes = new KeyedSemaphore(options.concurrency ?? 4);
    this.graphOrigin = new URL(settings.graphBaseUrl).origin;
    this.msal = new ConfidentialClientApplication(msalConfiguration(settings, logger));
    const retry = options.retry ?? {};
    const maxWait = retry.maxRetryAfterSeconds ?? 30;
    this.client = Client.initWithMiddleware({
      baseUrl: CANONICAL_GRAPH,
      middleware: chain([
        // The token provider is given per request (`AuthenticationHandlerOptions`).
        new AuthenticationHandler({
          getAccessToken: () => Promise.reject(new Error('no user token')),
        }),
        new RetryHandler(
          new RetryHandlerOptions(
            retry.delaySeconds ?? 2,
            retry.maxRetries ?? 3,
            (_d, _a, _r, _o, response) => retryAfterSeconds(response as Response) <= maxWait,
          ),
        ),
        new TelemetryHandler(),
        new ToConfiguredHost(settings.graphBaseUrl, options.timeoutMs ?? 30_000),
        new HTTPMessageHandler(),
      ]),
    });
  }

  async getMessage(user: MailboxUser, itemId: string): Promise<IntakeMessage> {
    const m = (await this.call('read', user, (api) =>
      api(`${root(user)}/messages/${seg(itemId)}`)
        .select([...INTAKE_FIELDS])
        .get(),
    )) as Partial<IntakeMessage>;
    return {
      id: String(m.id ?? itemId),
      internetMessageId: String(m.internetMessageId ?? ''),
      conversationId: m.conversationId ?? null,
      subject: m.subject ?? null,
      from: m.from ?? null,
      sender: m.sender ?? null,
      replyTo: m.replyTo ?? [],
      toRecipients: m.toRecipients ?? [],
      ccRecipients: m.ccRecipients ?? [],
      receivedDateTime: m.receivedDateTime ?? null,
      body: m.body ?? null,
      uniqueBody: m.uniqueBody ?? null,
      hasAttachments: m.hasAttachments === true,
      categories: m.categories ?? [],
    };
  }

  async listAttachments(user: MailboxUser, itemId: string): Promise<AttachmentInfo[]> {
    const page = (await this.call('attachments', user, (api) =>
      api(`${root(user)}/messages/${seg(itemId)}/attachments`)
        .select(['id', 'name', 'contentType', 'size', 'isInline'])
        .get(),
    )) as { value?: Array<Record<string, unknown>> };
    return (page.value ?? []).map((a) => ({
      id: String(a.id),
      name: String(a.name ?? ''),
      contentType: typeof a.contentType === 'string' ? a.contentType : null,
      size: Number(a.size) || 0,
      isInline: a.isInline === true,
      kind: kindOf(a['@odata.type']),
    }));
  }

  async downloadAttachment(
    user: MailboxUser,
    itemId: string,
    attachmentId: string,
  ): Promise<Buffer> {
    const bytes = (await this.call('download', user, (api) =>
      api(`${root(user)}/messages/${seg(itemId)}/attachments/${seg(attachmentId)}/$value`)
        .responseType(ResponseType.ARRAYBUFFER)
        .get(),
    )) as ArrayBuffer;
    return Buffer.from(bytes);
  }

  async ensureMasterCategory(user: MailboxUser, name: string): Promise<void> {
    // A person's master list is short (Outlook keeps it unpaged): read it whole.
    const master = (await this.call(
      'categories',
      user,
      (api) =>
        api(`${root(user)}/outlook/masterCategories`)
          .select(['displayName'])
          .get(),
      CATEGORIES_PERMISSION,
    )) as { value?: Array<{ displayName?: string }> };
    if (master.value?.some((c) => c.displayName === name)) return;
    try {
      await this.call(
        'create-category',
        user,
        (api) =>
          api(`${root(user)}/outlook/masterCategories`).post({
            displayName: name,
            color: 'preset7',
          }),
        CATEGORIES_PERMISSION,
      );
    } catch (err) {
      // Created meanwhile (another click, another device): that is what was wanted.
      if (!(err instanceof MailboxError && err.graphStatus === 409)) throw err;
    }
  }

  async setCategories(
    user: MailboxUser,
    itemId: string,
    categories: readonly string[],
  ): Promise<void> {
    await this.call('tag', user, (api) =>
      api(`${root(user)}/messages/${seg(itemId)}`).patch({ categories: [...categories] }),
    );
  }

  /**
   * One Graph call with the person's on-behalf-of token, in their mailbox's lane, logged
   * by operation, status, attempts and Graph's request ids (never a path, subject or
   * address), every failure turned into a `MailboxError`.
   */
  private async call(
    operation: MailboxOperation,
    user: MailboxUser,
    send: (api: (path: string) => ReturnType<Client['api']>) => Promise<unknown>,
    permission: DelegatedPermission = user.mailbox ? SHARED_PERMISSION : DELEGATED_PERMISSION,
  ): Promise<unknown> {
    const trace = new RequestTrace();
    const started = Date.now();
    const auth = new AuthenticationHandlerOptions({
      getAccessToken: () => this.accessToken(user, permission),
    });
    try {
      // Outlook's limit is per mailbox: a shared one is shared by everyone using it.
      const lane = user.mailbox ? `mailbox:${user.mailbox.toLowerCase()}` : `user:${user.id}`;
      const result = await this.lanes.run(lane, () =>
        send((path) => this.client.api(path).middlewareOptions([auth, trace])),
      );
      this.logger.info(
        { ...trace.facts(), operation, ms: Date.now() - started },
        'graph delegated call',
      );
      return result;
    } catch (err) {
      const failure = toMailboxError(operation, permission, err);
      this.logger.warn(
        {
          ...trace.facts(),
          operation,
          ms: Date.now() - started,
          code: failure.code,
          graphStatus: failure.graphStatus,
          graphCode: failure.graphCode,
        },
        'graph delegated call failed',
      );
      throw failure;
    }
  }

  /**
   * The on-behalf-of token for Graph with one permission (each asked for on its own, so a
   * permission not consented to fails only what needs it); msal caches it per incoming
   * token and scope.
   */
  private async accessToken(user: MailboxUser, permission: DelegatedPermission): Promise<string> {
    try {
      const result = await this.msal.acquireTokenOnBehalfOf({
        oboAssertion: user.token,
        scopes: [`${this.graphOrigin}/${permission}`],
      });
      if (!result?.accessToken) throw new AuthError('empty_token', 'Entra ID returned no token');
      return result.accessToken;
    } catch (err) {
      // The Graph client rethrows its own client errors untouched; this one carries ours.
      throw Object.assign(new GraphClientError('no access token'), {
        mailboxError: tokenError(err, permission),
      });
    }
  }
}

function kindOf(odataType: unknown): AttachmentInfo['kind'] {
  switch (odataType) {
    case '#microsoft.graph.fileAttachment':
      return 'file';
    case '#microsoft.graph.itemAttachment':
      return 'item';
    case '#microsoft.graph.referenceAttachment':
      return 'reference';
    default:
      return 'other';
  }
}

/** The mailbox a call is about: the person's own (`/me`) or a shared one. */
function root(user: MailboxUser): string {
  return user.mailbox ? `/users/${seg(user.mailbox)}` : '/me';
}

/** One path segment: Outlook REST ids hold `/`, `+` and `=`. */
function seg(value: string): string {
  return encodeURIComponent(value);
}

/** Entra codes that mean the person (or an administrator) must consent, or sign in again. */
const CONSENT_CODES = new Set([
  'interaction_required',
  'consent_required',
  'login_required',
  'invalid_grant',
]);

/** Why no on-behalf-of token came: consent is missing, Entra is down, or the app is misconfigured. */
function tokenError(err: unknown, permission: DelegatedPermission): MailboxError {
  const status = Number((err as { status?: unknown }).status) || 0;
  const code = err instanceof AuthError ? err.errorCode || 'unknown' : 'network';
  const sub = err instanceof AuthError ? err.subError : '';
  const graphCode = `entra:${code}${sub ? `/${sub}` : ''}`;
  if (err instanceof InteractionRequiredAuthError || CONSENT_CODES.has(code)) {
    const claims =
      err instanceof InteractionRequiredAuthError ? err.claims || undefined : undefined;
    return new MailboxError(
      403,
      'consent_required',
      intakeMessage('consent_required', { permission }),
      'token',
      status,
      graphCode,
      { permission, ...(claims ? { claims } : {}) },
    );
  }
  if (status === 0 || status === 429 || status >= 500) {
    return new MailboxError(
      503,
      'unavailable',
      intakeMessage('graph_unavailable', { code: graphCode }),
      'token',
      status,
      graphCode,
      { what: 'graph' },
    );
  }
  return new MailboxError(
    502,
    'mail_failed',
    intakeMessage('token_failed', { code: graphCode }),
    'token',
    status,
    graphCode,
  );
}

/** Whatever a call threw, as a `MailboxError`. */
function toMailboxError(
  operation: MailboxOperation,
  permission: DelegatedPermission,
  err: unknown,
): MailboxError {
  if (err instanceof MailboxError) return err;
  const carried = (err as { mailboxError?: unknown } | null)?.mailboxError;
  if (carried instanceof MailboxError) return carried;
  if (err instanceof GraphError && err.statusCode > 0) {
    const status = err.statusCode;
    const code = err.code || `http_${status}`;
    if (status === 401 || status === 403) {
      return new MailboxError(
        403,
        'mail_permission',
        intakeMessage('graph_permission', { status, code, permission }),
        operation,
        status,
        code,
        { permission },
      );
    }
    if (status === 404) {
      return new MailboxError(
        404,
        'message_not_found',
        intakeMessage('message_not_found'),
        operation,
        status,
        code,
      );
    }
    if (status === 429 || status >= 500) {
      return new MailboxError(
        503,
        'unavailable',
        intakeMessage('graph_unavailable', { code }),
        operation,
        status,
        code,
        { what: 'graph' },
      );
    }
    return new MailboxError(
      502,
      'mail_failed',
      intakeMessage('graph_rejected', { status, code }),
      operation,
      status,
      code,
    );
  }
  // No HTTP answer at all: refused, reset, or the attempt timed out.
  const code = networkCode(err);
  return new MailboxError(
    503,
    'unavailable',
    intakeMessage('graph_unavailable', { code }),
    operation,
    0,
    code,
    { what: 'graph' },
  );
}
