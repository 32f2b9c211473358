import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AuthError, ConfidentialClientApplication, type Configuration } from '@azure/msal-node';
import {
  AuthenticationHandler,
  Client,
  GraphClientError,
  GraphError,
  HTTPMessageHandler,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
  type Context,
  type Middleware,
  type MiddlewareOptions,
} from '@microsoft/microsoft-graph-client';
import type { GraphCredential, MailSettings } from '../config';
import type { Logger } from '../logger';
import { KeyedSemaphore } from './keyed-semaphore';
import {
  MailError,
  mailErrorFromStatus,
  mailNetworkError,
  mailTokenError,
  type MailOperation,
} from './mail-errors';

/** An email address as Graph writes it. */
export interface GraphRecipient {
  emailAddress: { address: string; name?: string };
}

/** The fields of Graph's message resource the desk reads. */
export interface GraphMessage {
  id: string;
  subject: string | null;
  bodyPreview: string;
  body: { contentType: 'html' | 'text'; content: string };
  from: GraphRecipient | null;
  sender: GraphRecipient | null;
  toRecipients: GraphRecipient[];
  ccRecipients: GraphRecipient[];
  replyTo: GraphRecipient[];
  internetMessageId: string;
  conversationId: string;
  receivedDateTime: string;
  sentDateTime: string;
  hasAttachments: boolean;
  isRead: boolean;
  webLink: string;
}
export type MessageField = keyof GraphMessage;

/** An answer in the thread of a message the mailbox received. */
export interface Reply {
  subject: string;
  html: string;
  /** When given, exactly these; otherwise Graph replies to the sender (or their Reply-To). */
  to?: readonly string[];
  cc?: readonly string[];
}

/** A new message. */
export interface OutgoingMail {
  to: readonly string[];
  cc?: readonly string[];
  subject: string;
  html: string;
}

/**
 * What the desk asks of Microsoft Graph, from a mailbox it may use. Every failure is a
 * `MailError` (a `MailPermissionError` for 401/403); a call that returns has succeeded.
 */
export interface MailGateway {
  /** Answers a received message in its thread (`POST …/messages/{id}/reply`). Needs Mail.Send. */
  replyToMessage(mailbox: string, messageId: string, reply: Reply): Promise<void>;
  /** Sends a new message (`POST …/sendMail`), kept in Sent Items. Needs Mail.Send. */
  sendMail(mailbox: string, mail: OutgoingMail): Promise<void>;
  /** Reads a message's chosen fields (and its id). Needs Mail.Read. */
  getMessage<K extends MessageField>(
    mailbox: string,
    messageId: string,
    select: readonly K[],
  ): Promise<Pick<GraphMessage, K | 'id'>>;
}

export interface GraphGatewayOptions {
  /** Requests in flight per mailbox: Outlook allows an app 4 (default 4). */
  concurrency?: number;
  /** Waits and retries for 429, 503 and 504 (Retry-After honoured). */
  retry?: {
    /** Seconds before the first retry when Graph sends no Retry-After (default 2). */
    delaySeconds?: number;
    /** Retries after the first try (default 3). */
    maxRetries?: number;
    /** A Retry-After longer than this is not waited for: the call fails as throttled (default 60). */
    maxRetryAfterSeconds?: number;
  };
  /** One HTTP attempt may take this long (default 30 s). */
  timeoutMs?: number;
}

/** The host the Graph client is told about; the last step sends requests to the configured one. */
export const CANONICAL_GRAPH = 'https://graph.microsoft.com';

/**
 * Microsoft Graph from the desk's side: an app-only token from Entra ID (msal-node,
 * client credentials with a secret or a certificate, cached until it nears expiry),
 * and the Graph client with its middleware chain:
 *
 *   auth → retry (429/503/504, Retry-After) → telemetry (client-request-id) →
 *   to the configured host, one timeout per attempt → fetch
 *
 * The Graph client only adds the token for https hosts it knows, so it always talks
 * to graph.microsoft.com and the last step rewrites that to `graphBaseUrl`: national
 * clouds and local stand-ins alike are configuration, not code.
 */
export class GraphMailGateway implements MailGateway {
  private readonly client: Client;
  private readonly msal: ConfidentialClientApplication;
  private readonly scopes: string[];
  private readonly lanes: KeyedSemaphore;

  constructor(
    settings: Omit<MailSettings, 'mailbox'>,
    private readonly logger: Logger,
    options: GraphGatewayOptions = {},
  ) {
    this.lanes = new KeyedSemaphore(options.concurrency ?? 4);
    this.scopes = [`${new URL(settings.graphBaseUrl).origin}/.default`];
    this.msal = new ConfidentialClientApplication(msalConfiguration(settings, logger));

    const retry = options.retry ?? {};
    const maxWait = retry.maxRetryAfterSeconds ?? 60;
    const retryOptions = new RetryHandlerOptions(
      retry.delaySeconds ?? 2,
      retry.maxRetries ?? 3,
      // A long Retry-After is not waited out while a mailbox lane is held: the call fails
      // as throttled, the answer stays saved, and a person can send it again later.
      (_delay, _attempt, _request, _options, response) =>
        retryAfterSeconds(response as Response) <= maxWait,
    );
    this.client = Client.initWithMiddleware({
      baseUrl: CANONICAL_GRAPH,
      middleware: chain([
        new AuthenticationHandler({ getAccessToken: () => this.accessToken() }),
        new RetryHandler(retryOptions),
        new TelemetryHandler(),
        new ToConfiguredHost(settings.graphBaseUrl, options.timeoutMs ?? 30_000),
        new HTTPMessageHandler(),
      ]),
    });
  }

  async replyToMessage(mailbox: string, messageId: string, reply: Reply): Promise<void> {
    const message: Record<string, unknown> = {
      subject: reply.subject,
      body: { contentType: 'HTML', content: reply.html },
    };
    if (reply.to?.length) message.toRecipients = recipients(reply.to);
    if (reply.cc?.length) message.ccRecipients = recipients(reply.cc);
    await this.call('reply', mailbox, (req) =>
      req(`/users/${seg(mailbox)}/messages/${seg(messageId)}/reply`).post({ message }),
    );
  }

  async sendMail(mailbox: string, mail: OutgoingMail): Promise<void> {
    const message = {
      subject: mail.subject,
      body: { contentType: 'HTML', content: mail.html },
      toRecipients: recipients(mail.to),
      ccRecipients: recipients(mail.cc ?? []),
    };
    await this.call('send', mailbox, (req) =>
      req(`/users/${seg(mailbox)}/sendMail`).post({ message, saveToSentItems: true }),
    );
  }

  async getMessage<K extends MessageField>(
    mailbox: string,
    messageId: string,
    select: readonly K[],
  ): Promise<Pick<GraphMessage, K | 'id'>> {
    const fields = [...new Set<string>(['id', ...select])];
    return (await this.call('read', mailbox, (req) =>
      req(`/users/${seg(mailbox)}/messages/${seg(messageId)}`)
        .select(fields)
        .get(),
    )) as Pick<GraphMessage, K | 'id'>;
  }

  /**
   * One Graph call in the mailbox's lane, logged by operation, status, attempts and
   * Graph's request ids (never the path: it names the mailbox), with every failure
   * turned into a `MailError`.
   */
  private async call(
    operation: MailOperation,
    mailbox: string,
    send: (req: (path: string) => ReturnType<Client['api']>) => Promise<unknown>,
  ): Promise<unknown> {
    const trace = new RequestTrace();
    const started = Date.now();
    try {
      const result = await this.lanes.run(mailbox.toLowerCase(), () =>
        send((path) => this.client.api(path).middlewareOptions([trace])),
      );
      this.logger.info({ ...trace.facts(), operation, ms: Date.now() - started }, 'graph call');
      return result;
    } catch (err) {
      const failure = toMailError(operation, err);
      this.logger.warn(
        {
          ...trace.facts(),
          operation,
          ms: Date.now() - started,
          graphStatus: failure.graphStatus,
          graphCode: failure.graphCode,
        },
        'graph call failed',
      );
      throw failure;
    }
  }

  /** The app-only token; msal serves it from its cache until it nears expiry. */
  private async accessToken(): Promise<string> {
    try {
      const result = await this.msal.acquireTokenByClientCredential({ scopes: this.scopes });
      if (!result?.accessToken) throw new AuthError('empty_token', 'Entra ID returned no token');
      return result.accessToken;
    } catch (err) {
      // The Graph client rethrows its own client errors untouched; this one carries ours.
      throw Object.assign(new GraphClientError('no access token'), {
        mailError: tokenFailure(err),
      });
    }
  }
}

/**
 * msal's configuration: the authority's endpoints are given, so msal discovers nothing.
 * Shared with the delegated gateway (`mailbox-reader.gateway.ts`): one app registration.
 */
export function msalConfiguration(
  settings: Omit<MailSettings, 'mailbox'>,
  logger: Logger,
): Configuration {
  const host = new URL(settings.authorityHost);
  const base = `${settings.authorityHost}/${settings.tenantId}`;
  return {
    auth: {
      clientId: settings.clientId,
      // msal insists on an https authority; the endpoints below are the configured host's.
      authority: `https://${host.host}/${settings.tenantId}`,
      knownAuthorities: [host.host],
      authorityMetadata: JSON.stringify({
        token_endpoint: `${base}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        issuer: `${base}/v2.0`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
      }),
      ...credentialOptions(settings.credential),
    },
    system: {
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: 1, // warnings and errors
        loggerCallback: (level, message, containsPii) => {
          if (containsPii) return;
          if (level === 0) logger.warn({ source: 'msal' }, message);
          else logger.debug({ source: 'msal' }, message);
        },
      },
    },
  };
}

/** A secret as is; a certificate as its private key (PKCS#8 PEM) and thumbprint. */
function credentialOptions(
  credential: GraphCredential,
): Pick<Configuration['auth'], 'clientSecret' | 'clientCertificate'> {
  if (credential.kind === 'secret') return { clientSecret: credential.secret };
  const pem = readFileSync(credential.path, 'utf8');
  const privateKey = createPrivateKey(pem).export({ format: 'pem', type: 'pkcs8' }).toString();
  checkThumbprint(pem, credential.thumbprint, credential.path);
  const print =
    credential.thumbprint.length === 64
      ? { thumbprintSha256: credential.thumbprint }
      : { thumbprint: credential.thumbprint };
  return { clientCertificate: { ...print, privateKey } };
}

/** A certificate in the same file must be the one the thumbprint names: caught at start. */
function checkThumbprint(pem: string, thumbprint: string, path: string): void {
  const block = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
  if (!block) return;
  const cert = new X509Certificate(block[0]);
  const prints = [cert.fingerprint, cert.fingerprint256].map((f) => f.replace(/:/g, ''));
  if (!prints.includes(thumbprint)) {
    throw new Error(
      `GRAPH_CLIENT_CERTIFICATE_THUMBPRINT does not match the certificate in ${path}`,
    );
  }
}

function recipients(addresses: readonly string[]): GraphRecipient[] {
  return addresses.map((address) => ({ emailAddress: { address } }));
}

/** One path segment: mailbox addresses and message ids (which hold `=`, `+`, `/`) escaped. */
function seg(value: string): string {
  return encodeURIComponent(value);
}

export function chain(handlers: Middleware[]): Middleware {
  handlers.reduce((prev, next) => {
    prev.setNext?.(next);
    return next;
  });
  return handlers[0]!;
}

/** Seconds Graph asked to wait; 0 when it did not say. */
export function retryAfterSeconds(response: Response | undefined): number {
  const value = response?.headers?.get('retry-after');
  if (!value) return 0;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds;
  const at = Date.parse(value);
  return Number.isNaN(at) ? 0 : Math.max(0, (at - Date.now()) / 1000);
}

/** Per-call bookkeeping the middleware fills in: attempts, last status, Graph's ids. */
export class RequestTrace implements MiddlewareOptions {
  attempts = 0;
  status: number | undefined;
  clientRequestId: string | undefined;
  graphRequestId: string | undefined;
  retryAfter: number | undefined;

  facts(): Record<string, unknown> {
    return {
      attempts: this.attempts,
      status: this.status,
      clientRequestId: this.clientRequestId,
      graphRequestId: this.graphRequestId,
      retryAfter: this.retryAfter,
    };
  }
}

/**
 * The last step before fetch: sends the request to the configured Graph host, bounds
 * each attempt by a timeout, and notes each attempt in the call's trace.
 */
export class ToConfiguredHost implements Middleware {
  private next: Middleware | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  async execute(context: Context): Promise<void> {
    const canonical = context.request;
    if (typeof canonical === 'string' && canonical.startsWith(CANONICAL_GRAPH)) {
      context.request = this.baseUrl + canonical.slice(CANONICAL_GRAPH.length);
    }
    context.options = { ...context.options, signal: AbortSignal.timeout(this.timeoutMs) };
    const trace = context.middlewareControl?.getMiddlewareOptions(RequestTrace) as
      RequestTrace | undefined;
    if (trace) {
      trace.attempts++;
      trace.clientRequestId = header(context.options.headers, 'client-request-id');
    }
    try {
      await this.next!.execute(context);
    } finally {
      // Earlier steps see Graph's own address again when the retry step runs them anew
      // (the telemetry step drops its headers for any other host).
      context.request = canonical;
    }
    if (trace && context.response) {
      trace.status = context.response.status;
      trace.graphRequestId = context.response.headers.get('request-id') ?? undefined;
      const wait = context.response.headers.get('retry-after');
      trace.retryAfter = wait === null ? undefined : retryAfterSeconds(context.response);
    }
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

function header(headers: HeadersInit | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const entries = Array.isArray(headers) ? headers : Object.entries(headers);
  return entries.find(([k]) => k.toLowerCase() === name)?.[1];
}

/** Whatever a Graph call threw, as a `MailError`. */
function toMailError(operation: MailOperation, err: unknown): MailError {
  if (err instanceof MailError) return err;
  const carried = (err as { mailError?: unknown } | null)?.mailError;
  if (carried instanceof TokenFailure) {
    return mailTokenError(operation, carried.status, carried.code);
  }
  if (err instanceof GraphError) {
    // No HTTP answer at all: fetch failed (refused, reset) or the attempt timed out.
    if (err.statusCode <= 0) return mailNetworkError(operation, networkCode(err));
    return mailErrorFromStatus(operation, err.statusCode, err.code);
  }
  return mailNetworkError(operation, networkCode(err));
}

export function networkCode(err: unknown): string {
  const name = (err as { code?: unknown; name?: unknown } | null)?.code ?? (err as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
  return typeof name === 'string' && name && name !== 'Error' && name !== 'TypeError'
    ? name
    : 'network';
}

/** Why Entra ID gave no token: its error code and HTTP status (0 when it did not answer). */
class TokenFailure {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {}
}

function tokenFailure(err: unknown): TokenFailure {
  if (err instanceof AuthError) {
    const status = Number((err as { status?: unknown }).status) || 0;
    return new TokenFailure(status, err.errorCode || 'unknown');
  }
  return new TokenFailure(0, 'network');
}
