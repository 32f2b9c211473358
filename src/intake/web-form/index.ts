/**
 * The consulter's public web form (`/consult`), wired from configuration: the record is
 * created by the web form's system actor, its card posted through the Teams surface, the
 * acknowledgement emailed from the desk's mailbox when mail is set up.
 */
import type { Server } from 'restify';
import type { Config } from '../../config';
import type { ChannelCards } from '../../consultation/channel-cards';
import type { ConsultationService } from '../../consultation/consultation.service';
import type { Logger } from '../../logger';
import { createMailGateway } from '../../mail';
import type { MailGateway } from '../../mail/graph.gateway';
import type { Store } from '../../store/store';
import { AcknowledgementService } from './acknowledgement';
import { createWebFormSurface, type WebFormLimits } from './surface';
import { WebFormService, type AfterResponse } from './web-form.service';

export { acknowledgementEmail, AcknowledgementService } from './acknowledgement';
export { loadFormSecret } from './form-secret';
export { PATHS as WEB_FORM_PATHS } from './pages';
export { createWebFormSurface, DEFAULT_WEB_FORM_LIMITS, type WebFormLimits } from './surface';
export { WebFormService, type AfterResponse } from './web-form.service';

export interface WebFormDeps {
  config: Pick<Config, 'mode' | 'mail'>;
  store: Store;
  consultations: Pick<ConsultationService, 'create'>;
  /** The desk's channel (the Teams surface's cards); null without Teams. */
  cards: Pick<ChannelCards, 'post'> | null;
  /** Runs the card and the acknowledgement after the page has answered; awaited at shutdown. */
  background: AfterResponse;
  logger: Logger;
  /** The signing key (`loadFormSecret`). */
  secret: Buffer;
  /**
   * The mail gateway and mailbox; built from `config.mail` when not given (null: mail off,
   * acknowledgements recorded as not sent).
   */
  mail?: { gateway: Pick<MailGateway, 'sendMail'>; mailbox: string } | null;
  limits?: Partial<WebFormLimits>;
  /** Milliseconds now, for the rate limits. */
  clock?: () => number;
}

/** The web form's routes, ready for `createServer({ surfaces })`. */
export function createWebForm(deps: WebFormDeps): (server: Server) => void {
  const logger = deps.logger.child({ component: 'web-form' });
  const mail =
    deps.mail === undefined
      ? createMailGateway(deps.config, deps.logger.child({ component: 'mail' }))
      : deps.mail;
  const acknowledgements = new AcknowledgementService({
    store: deps.store,
    mail: mail?.gateway ?? null,
    mailbox: mail?.mailbox ?? null,
    logger,
  });
  const service = new WebFormService({
    consultations: deps.consultations,
    cards: deps.cards,
    acknowledgements,
    background: deps.background,
    logger,
  });
  return createWebFormSurface({
    service,
    logger,
    behindHttpsProxy: deps.config.mode === 'production',
    secret: deps.secret,
    limits: deps.limits,
    clock: deps.clock,
  });
}
