import { Writable } from 'node:stream';
import type { MailSettings } from '../../src/config';
import { createLogger, type Logger } from '../../src/logger';
import type { Store } from '../../src/store/store';
import { GraphMailGateway, type GraphGatewayOptions } from '../../src/mail/graph.gateway';
import { startEntraStandIn, type EntraStandIn } from './stand-ins/entra';
import { startGraphStandIn, type GraphStandIn, type GraphStandInOptions } from './stand-ins/graph';
import { testConfig } from './config';

export const DESK_MAILBOX = 'soudan@desk.example.lg.jp';
export const TENANT = '3f0c6a52-6a3e-4f0e-9a8e-2b7d5c1e9f40';
export const CLIENT = '8d1c2b3a-4e5f-4a6b-9c7d-0e1f2a3b4c5d';

/** A logger writing into memory, at debug level so nothing is left out of the check. */
export function captureLogs(): { logger: Logger; text: () => string } {
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString('utf8');
      done();
    },
  });
  return { logger: createLogger(testConfig({ logLevel: 'debug' }), sink), text: () => out };
}

export interface MailStandIns {
  entra: EntraStandIn;
  graph: GraphStandIn;
  /** Complete mail settings pointing at the stand-ins. */
  settings: MailSettings;
  /** The real gateway (msal-node and the Graph client) over HTTP to the stand-ins. */
  gateway(logger: Logger, options?: GraphGatewayOptions): GraphMailGateway;
  close(): Promise<void>;
}

/** Entra's token endpoint and Graph on loopback; Graph accepts only tokens Entra issued. */
export async function startMailStandIns(
  graphOptions: GraphStandInOptions = {},
): Promise<MailStandIns> {
  const entra = await startEntraStandIn();
  const graph = await startGraphStandIn({
    acceptToken: (t) => entra.issued.has(t),
    ...graphOptions,
  });
  const settings: MailSettings = {
    graphBaseUrl: graph.url,
    authorityHost: entra.url,
    tenantId: TENANT,
    clientId: CLIENT,
    credential: { kind: 'secret', secret: 'stand-in-secret' },
    mailbox: DESK_MAILBOX,
  };
  return {
    entra,
    graph,
    settings,
    // Retries wait 1 s (the smallest Retry-After) so the tests stay quick.
    gateway: (logger, options = {}) =>
      new GraphMailGateway(settings, logger, { retry: { delaySeconds: 0 }, ...options }),
    async close() {
      await Promise.all([entra.close(), graph.close()]);
    },
  };
}

/** An email consultation as Graph returns it (made-up company and people). */
export function consultationEmail(
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: 'AAMkAGI2TG93AAA0001+/=',
    createdDateTime: '2026-11-24T23:47:12Z',
    receivedDateTime: '2026-11-24T23:47:12Z',
    sentDateTime: '2026-11-24T23:47:12Z',
    hasAttachments: false,
    internetMessageId: '<ransom1.1@mail.sample-seiko.example.jp>',
    subject: '【至急】社内PCに身代金要求の画面が表示されました',
    bodyPreview: '経理担当のPC2台で画面に英語のメッセージが表示され…',
    conversationId: 'AAQkAGI2RANSOM1=',
    isRead: false,
    isDraft: false,
    webLink: 'https://outlook.office365.com/owa/?ItemID=AAMkAGI2TG93AAA0001',
    body: {
      contentType: 'html',
      content:
        '<html><body><div>経理担当のPC 2台で画面に英語のメッセージが表示され、共有フォルダのファイルが開けなくなっています。</div></body></html>',
    },
    from: { emailAddress: { name: '山田 太郎', address: 'yamada@sample-seiko.example.jp' } },
    sender: { emailAddress: { name: '山田 太郎', address: 'yamada@sample-seiko.example.jp' } },
    toRecipients: [{ emailAddress: { name: '相談窓口', address: DESK_MAILBOX } }],
    ccRecipients: [],
    replyTo: [],
    ...overrides,
  };
}

/**
 * Links a received email to a consultation, as turning an email into a record does (the
 * Outlook add-in, not built yet, will do it through the service), and puts the email in
 * the Graph stand-in's mailbox so it can be answered in its thread.
 */
export async function linkEmail(
  store: Store,
  graph: GraphStandIn,
  consultationId: number,
  message: Record<string, unknown>,
): Promise<void> {
  graph.addMessage(DESK_MAILBOX, message);
  await store.db
    .insertInto('consultation_email')
    .values({
      consultation_id: consultationId,
      graph_message_id: String(message.id),
      internet_message_id: String(message.internetMessageId),
      conversation_id: String(message.conversationId),
      subject: String(message.subject),
      received_at: String(message.receivedDateTime),
      linked_at: String(message.receivedDateTime),
    })
    .execute();
}
