import type { Server } from 'restify';
import type { Config } from '../config';
import type { ChannelCards } from '../consultation/channel-cards';
import type { ConsultationService } from '../consultation/consultation.service';
import { NotFoundError } from '../errors';
import type { Logger } from '../logger';
import {
  delegatedSettings,
  GraphMailboxReader,
  type MailboxReader,
} from '../mail/mailbox-reader.gateway';
import type { GraphGatewayOptions } from '../mail/graph.gateway';
import type { Authenticate } from '../server/auth';
import type { Store } from '../store/store';
import { EmailIntakeService } from './email-intake.service';

export interface MailIntakeDeps {
  config: Pick<Config, 'mail'>;
  store: Store;
  consultations: Pick<ConsultationService, 'create' | 'get' | 'getByNumber'>;
  /** The Teams channel's cards; null when there is no Teams surface. */
  cards: Pick<ChannelCards, 'post' | 'refresh'> | null;
  categoryIds: ReadonlySet<string>;
  authenticate: Authenticate;
  logger: Logger;
  /** Options of the delegated Graph gateway (tests shorten the retries). */
  graph?: GraphGatewayOptions;
  clock?: () => Date;
}

/**
 * The email intake service from configuration: Graph on behalf of the signed-in person
 * when the app registration (tenant, client id, credential) is set; otherwise every
 * request that needs mail is answered 503 `mail_not_configured`.
 */
export function createEmailIntake(deps: Omit<MailIntakeDeps, 'authenticate'>): {
  service: EmailIntakeService;
  mailbox: MailboxReader | null;
} {
  const logger = deps.logger.child({ component: 'mail-intake' });
  const settings = delegatedSettings(deps.config);
  const mailbox = settings ? new GraphMailboxReader(settings, logger, deps.graph) : null;
  const service = new EmailIntakeService({
    store: deps.store,
    consultations: deps.consultations,
    mailbox,
    cards: deps.cards,
    categoryIds: deps.categoryIds,
    limits: {
      bodyMaxBytes: deps.config.mail.bodyMaxBytes,
      attachmentMaxBytes: deps.config.mail.attachmentMaxBytes,
    },
    logger,
    clock: deps.clock,
  });
  return { service, mailbox };
}

/**
 * The Outlook add-in's API (docs/addin-api.md). Every route needs a bearer token for
 * Madoguchi's API; the service decides who may do what.
 *
 * - `POST /api/mail/status`  {internetMessageId, conversationId, subject}
 * - `POST /api/mail/convert` {itemId, form} → 201 created | 200 already recorded
 * - `POST /api/mail/append`  {itemId, consultationId}
 * - `GET  /api/mail/consultations/:id/attachments` (the list, without contents)
 */
export function createMailIntakeSurface(deps: MailIntakeDeps): (server: Server) => void {
  const { service } = createEmailIntake(deps);
  const { authenticate } = deps;
  return (server) => {
    server.post({ path: '/api/mail/status', name: 'mail-status' }, async (req, res) => {
      const user = await authenticate(req);
      res.json(200, await service.status(user, req.body));
    });
    server.post({ path: '/api/mail/convert', name: 'mail-convert' }, async (req, res) => {
      const user = await authenticate(req);
      const result = await service.convert(user, req.body);
      res.json(result.created ? 201 : 200, result);
    });
    server.post({ path: '/api/mail/append', name: 'mail-append' }, async (req, res) => {
      const user = await authenticate(req);
      res.json(200, await service.append(user, req.body));
    });
    server.get(
      { path: '/api/mail/consultations/:id/attachments', name: 'mail-attachments' },
      async (req, res) => {
        const user = await authenticate(req);
        const id = Number(req.params.id);
        if (!Number.isSafeInteger(id) || id <= 0) throw new NotFoundError(String(req.params.id));
        res.json(200, { attachments: await service.attachments(user, id) });
      },
    );
  };
}
