import type { Server } from 'restify';
import type { Logger } from 'pino';
import type { Config } from '../src/config';
import type { ConsultationService, Directory } from '../src/consultation/consultation.service';
import { createReplyService, type ReplyService } from '../src/mail';
import { DeskService } from '../src/teams/desk.service';
import type { Store } from '../src/store/store';
import type { ChannelCards } from '../src/consultation/channel-cards';
import { createAdapter } from './adapter';
import { Background } from './background';
import { DeskBot } from './desk-bot';
import { ledgerLinks } from './ledger-link';
import { BotConnectorGateway, type TeamsGateway } from './outbound/teams-gateway';

export interface TeamsSurface {
  bot: DeskBot;
  background: Background;
  /** The intake channel's cards, for the surfaces outside Teams. */
  cards: ChannelCards;
  /** Registers `POST /api/messages`. */
  register(server: Server): void;
}

/** The Teams surface: the adapter, the bot, and its endpoint. */
export function createTeamsSurface(deps: {
  config: Config;
  store: Store;
  service: ConsultationService;
  directory: Directory;
  logger: Logger;
  /**
   * Answers from the card (saved, then emailed through Graph). Without one it is built
   * from the configuration: mail on when it is configured, answers only recorded when not.
   */
  replies?: ReplyService;
  /** Tests and benchmarks may pass their own gateway; the product talks to the Bot Connector. */
  gateway?: TeamsGateway;
}): TeamsSurface {
  const logger = deps.logger.child({ component: 'bot' });
  const adapter = createAdapter(deps.config.bot, logger);
  const gateway = deps.gateway ?? new BotConnectorGateway(adapter, deps.config.bot.id ?? '');
  const background = new Background((err, what) =>
    logger.error(
      { err: { name: (err as Error).name, message: (err as Error).message }, what },
      'background work failed',
    ),
  );
  const replies =
    deps.replies ??
    createReplyService({
      config: deps.config,
      store: deps.store,
      consultations: deps.service,
      logger: deps.logger,
    });
  const bot = new DeskBot({
    service: deps.service,
    replies,
    desk: new DeskService(deps.store),
    gateway,
    background,
    directory: deps.directory,
    roles: deps.config.roles,
    logger,
    ledgerUrl: ledgerLinks(deps.config),
  });
  return {
    bot,
    background,
    cards: {
      post: (c) => bot.postCard(c),
      refresh: (id, line) => bot.refreshCard(id, line),
    },
    register(server) {
      server.post({ path: '/api/messages', name: 'bot' }, async (req, res) => {
        await adapter.process(req, res, (ctx) => bot.run(ctx));
      });
    },
  };
}
