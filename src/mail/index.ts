import { mailSettings, type Config } from '../config';
import type { ConsultationService } from '../consultation/consultation.service';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import { GraphMailGateway, type GraphGatewayOptions } from './graph.gateway';
import { ReplyService } from './reply.service';

export { GraphMailGateway, type MailGateway } from './graph.gateway';
export { MailError, MailNotConfiguredError, MailPermissionError } from './mail-errors';
export {
  ReplyService,
  type EmailOptions,
  type EmailPlan,
  type PendingSend,
  type ReplyPreview,
  type ReplyResult,
  type RetryResult,
  type SavedReply,
  type TakenRetry,
} from './reply.service';
export {
  renderEmail,
  renderTemplate,
  templateById,
  templatesFor,
  type AnswerTemplate,
} from './templates';

/**
 * The mail gateway the configuration asks for: Graph from the desk's mailbox, or null
 * while mail is not set up (answers are then recorded, not emailed). Built at start, so
 * an unreadable certificate stops the app there rather than at the first answer.
 */
export function createMailGateway(
  config: Pick<Config, 'mail'>,
  logger: Logger,
  options?: GraphGatewayOptions,
): { gateway: GraphMailGateway; mailbox: string } | null {
  const settings = mailSettings(config);
  if (!settings) return null;
  return { gateway: new GraphMailGateway(settings, logger, options), mailbox: settings.mailbox };
}

/** The reply service wired from configuration: what a surface (the Teams card) calls. */
export function createReplyService(deps: {
  config: Pick<Config, 'mail'>;
  store: Store;
  consultations: Pick<ConsultationService, 'answer' | 'get'>;
  logger: Logger;
  clock?: () => Date;
}): ReplyService {
  const mail = createMailGateway(deps.config, deps.logger);
  return new ReplyService({
    consultations: deps.consultations,
    store: deps.store,
    mail: mail?.gateway ?? null,
    mailbox: mail?.mailbox ?? null,
    logger: deps.logger,
    clock: deps.clock,
  });
}
