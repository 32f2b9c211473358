/**
 * Email intake against the stand-ins: Entra ID (which signs the people's API tokens and
 * exchanges them on their behalf) and Graph (each person's own mailbox under `/me`).
 */
import { randomBytes } from 'node:crypto';
import type { ChannelCards } from '../../src/consultation/channel-cards';
import type { Consultation } from '../../src/consultation/types';
import type { Localized } from '../../src/i18n/messages';
import type { Logger } from '../../src/logger';
import type { GraphGatewayOptions } from '../../src/mail/graph.gateway';
import { GraphMailboxReader, type DelegatedSettings } from '../../src/mail/mailbox-reader.gateway';
import { startEntraStandIn, type EntraStandIn } from './stand-ins/entra';
import { startGraphStandIn, type GraphStandIn, type GraphStandInOptions } from './stand-ins/graph';
import { CLIENT, DESK_MAILBOX, TENANT } from './mail';

export interface IntakeStandIns {
  entra: EntraStandIn;
  graph: GraphStandIn;
  /** The app registration's settings, pointing at the stand-ins. */
  settings: DelegatedSettings;
  /** The real delegated gateway (msal-node on-behalf-of and the Graph client) over HTTP. */
  reader(logger: Logger, options?: GraphGatewayOptions): GraphMailboxReader;
  /** A person's API token, as the add-in would send it (audience: the app registration). */
  tokenFor(oid: string, name?: string): Promise<string>;
  close(): Promise<void>;
}

/** Entra and Graph on loopback; Graph takes only tokens Entra handed out and knows whose they are. */
export async function startIntakeStandIns(
  graphOptions: GraphStandInOptions = {},
): Promise<IntakeStandIns> {
  const entra = await startEntraStandIn();
  const graph = await startGraphStandIn({
    acceptToken: (t) => entra.issued.has(t),
    userOf: (t) => entra.userOf(t),
    ...graphOptions,
  });
  const settings: DelegatedSettings = {
    graphBaseUrl: graph.url,
    authorityHost: entra.url,
    tenantId: TENANT,
    clientId: CLIENT,
    credential: { kind: 'secret', secret: 'stand-in-secret' },
  };
  return {
    entra,
    graph,
    settings,
    reader: (logger, options = {}) =>
      new GraphMailboxReader(settings, logger, { retry: { delaySeconds: 0 }, ...options }),
    tokenFor: (oid, name = 'Megan Bowen') =>
      entra.accessToken({ oid, name, tid: TENANT, aud: CLIENT }),
    async close() {
      await Promise.all([entra.close(), graph.close()]);
    },
  };
}

/** Channel cards that only record what they were asked (the Teams surface's two methods). */
export class RecordingCards implements Pick<ChannelCards, 'post' | 'refresh'> {
  readonly posted: Consultation[] = [];
  readonly refreshed: { id: number; line?: Localized }[] = [];
  constructor(private readonly answer: 'posted' | 'no_channel' = 'posted') {}
  async post(c: Consultation) {
    this.posted.push(c);
    return this.answer;
  }
  async refresh(id: number, line?: Localized) {
    this.refreshed.push({ id, line });
  }
}

export const CONSULTER_ADDRESS = 'k.tanaka@tanaka-denki.example.co.jp';
export const CONSULTER_NAME = '田中 健一';

/** A file attachment as Graph holds it; `content` (a Buffer) for large ones. */
export function fileAttachment(
  name: string,
  bytes: Buffer,
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.fileAttachment',
    id: `att-${randomBytes(4).toString('hex')}=`,
    name,
    contentType: 'application/octet-stream',
    size: bytes.length,
    isInline: false,
    lastModifiedDateTime: '2026-11-25T00:10:00Z',
    ...(bytes.length > 1_000_000 ? { content: bytes } : { contentBytes: bytes.toString('base64') }),
    ...over,
  };
}

/** A consultation email in a person's mailbox, as Graph returns it (made-up company and people). */
export function intakeEmail(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'AAMkADk0ZTU3/ITEM+0001=',
    createdDateTime: '2026-11-25T00:10:00Z',
    receivedDateTime: '2026-11-25T00:10:00Z',
    sentDateTime: '2026-11-25T00:09:58Z',
    hasAttachments: false,
    internetMessageId: '<phish-0001@mail.tanaka-denki.example.co.jp>',
    subject: '不審なメールのリンクを開いてしまいました',
    bodyPreview: '本日、取引先を装ったメールのリンクを開き…',
    conversationId: 'AAQkADk0ZTU3CONV0001=',
    isRead: true,
    isDraft: false,
    categories: ['重要'],
    webLink: 'https://outlook.office365.com/owa/?ItemID=AAMkADk0ZTU3',
    body: {
      contentType: 'html',
      content:
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=shift_jis"><style>p{margin:0}</style></head><body>' +
        '<p>田中電機の田中です。</p><p>本日、取引先を装ったメールのリンクを開き、IDとパスワードを入力してしまいました。</p>' +
        '<p>どう対応すればよいでしょうか。</p><script>track()</script></body></html>',
    },
    from: { emailAddress: { name: CONSULTER_NAME, address: CONSULTER_ADDRESS } },
    sender: { emailAddress: { name: CONSULTER_NAME, address: CONSULTER_ADDRESS } },
    toRecipients: [{ emailAddress: { name: '相談窓口', address: DESK_MAILBOX } }],
    ccRecipients: [],
    replyTo: [],
    ...over,
  };
}

/** What the pane sends with `convert`: the staff's form. */
export function intakeForm(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    consulter: { organisation: '田中電機株式会社', person: null, phone: '03-0000-4321' },
    categoryId: 'phishing',
    urgency: 'high',
    subject: 'フィッシングメールのリンクを開いた',
    ...over,
  };
}
