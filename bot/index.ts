import type { ConversationReference } from 'botbuilder';
import type { Server } from 'restify';
import type { Logger } from 'pino';
import type { Config } from '../src/config';
import type { ConsultationService, Directory } from '../src/consultation/consultation.service';
import { createReplyService, type ReplyService } from '../src/mail';
import { NoticeQueue } from '../src/consultation/notice-queue';
import { EmailQuotes } from '../src/intake/email-quotes';
import { DeskService } from '../src/teams/desk.service';
import { ThreadLineQueue } from '../src/teams/thread-line-queue';
import type { Store } from '../src/store/store';
import type { ChannelCards } from '../src/consultation/channel-cards';
import { createAdapter } from './adapter';
import { Background } from './background';
import { CardBuilder } from './card-builder';
import { TeamsChannelCards } from './channel-cards';
import { DeskBot } from './desk-bot';
import { Digest } from './digest';
import { ledgerLinks } from './ledger-link';
import { Notices } from './notices';
import { BotConnectorGateway, type TeamsGateway } from './outbound/teams-gateway';
import { People } from './people';
import { ReplyFlow } from './reply-flow';
import { SYSTEM } from './turn';

export interface TeamsSurface {
  bot: DeskBot;
  background: Background;
  /** The intake channel's cards, for the surfaces outside Teams. */
  cards: ChannelCards;
  /** Registers `POST /api/messages`. */
  register(server: Server): void;
  /**
   * What changes could not get to Teams (it was down, a stop came in between): the
   * channel cards behind their records are brought up to date, open records that have no
   * card yet (no intake channel then, or Teams down) get one, the lines Teams refused
   * are said in their cards' threads, and the 1:1 notices still owed are delivered.
   * Returns how many cards it set out to update, and how many cards, lines and notices it
   * sent.
   */
  catchUp(): Promise<{ cards: number; posted: number; lines: number; notices: number }>;
  /** Catches up now and every `everyMs` until the returned function is called. */
  keepCaughtUp(everyMs?: number): () => void;
  /**
   * The morning summary of what is waiting in the intake channel (`DIGEST_AT`); null
   * when it is off.
   */
  digest: Digest | null;
}

/** How often the bot catches up with what could not get to Teams. */
export const CATCH_UP_MS = 60_000;

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
  const desk = new DeskService<Partial<ConversationReference>>(deps.store);
  const people = new People({
    desk,
    directory: deps.directory,
    roles: deps.config.roles,
    logger,
    language: deps.config.botLanguage,
  });
  const ledger = ledgerLinks(deps.config);
  const cardBuilder = new CardBuilder({
    service: deps.service,
    replies,
    people,
    roles: deps.config.roles,
    ledger,
  });
  const channel = new TeamsChannelCards({
    service: deps.service,
    desk,
    gateway,
    background,
    cards: cardBuilder,
    lines: new ThreadLineQueue(deps.store),
    logger,
  });
  const notices = new Notices({
    desk,
    gateway,
    directory: deps.directory,
    cards: cardBuilder,
    channel,
    service: deps.service,
    queue: new NoticeQueue(deps.store),
    emails: new EmailQuotes(deps.store),
    language: deps.config.botLanguage,
  });
  const catchUp = async () => {
    const cards = await channel.catchUp();
    const near = (await desk.intakeChannel())?.reference;
    // Cards never posted, lines and notices, each even when another fails.
    const done = await Promise.allSettled([
      channel.catchUpPosts(),
      channel.catchUpLines(),
      notices.catchUp(near),
    ]);
    const failed = done.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const [posted, lines, sent] = done.map((r) => (r as PromiseFulfilledResult<number>).value);
    return { cards, posted: posted!, lines: lines!, notices: sent! };
  };
  const bot = new DeskBot({
    service: deps.service,
    desk,
    gateway,
    background,
    logger,
    people,
    cards: cardBuilder,
    channel,
    replyFlow: new ReplyFlow({
      service: deps.service,
      replies,
      background,
      cards: cardBuilder,
      channel,
      notices,
      ledgerUrl: ledger?.record ?? null,
    }),
    notices,
  });
  const at = deps.config.digestAt;
  const digest = at ? new Digest({ service: deps.service, desk, gateway, logger, at }) : null;
  // What the other surfaces change: the card, a line in its thread, and the 1:1 notices
  // the change owes (delivered in the background; a catch-up retries what fails).
  const cards: ChannelCards = {
    post: (c) => channel.post(c),
    async refresh(consultationId, line) {
      background.run('deliver notices', () => notices.deliverFor(consultationId));
      await channel.refresh(consultationId, line);
    },
    async announce(consultationId) {
      const { consultation, lastChange } = await deps.service.withLastChange(
        SYSTEM,
        consultationId,
      );
      const near = (await desk.intakeChannel())?.reference ?? {};
      await notices.announce(near, consultation, lastChange);
    },
  };
  return {
    bot,
    background,
    digest,
    cards,
    register(server) {
      server.post({ path: '/api/messages', name: 'bot' }, async (req, res) => {
        await adapter.process(req, res, (ctx) => bot.run(ctx));
      });
    },
    catchUp,
    keepCaughtUp(everyMs = CATCH_UP_MS) {
      const run = () => {
        catchUp().catch((err: unknown) =>
          logger.warn(
            { err: { name: (err as Error).name, message: (err as Error).message } },
            'could not catch up with Teams',
          ),
        );
      };
      run();
      const timer = setInterval(run, everyMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
