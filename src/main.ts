import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  ConfigError,
  describeDatabase,
  describeEmailIntake,
  describeMail,
  formatConfigError,
  loadConfig,
  mailSettings,
  type Config,
} from './config';
import { createLogger, type Logger } from './logger';
import { createServer, type Listening } from './server/app';
import { RetentionService } from './retention/retention.service';
import { gracefulShutdown, onSignals } from './server/shutdown';
import { openStore } from './store/store';
import { ConsultationService } from './consultation/consultation.service';
import { directoryFromRoles } from './consultation/directory';
import { CATEGORIES } from './knowledge/knowledge';
import { createReplyService } from './mail';
import { createTeamsSurface } from '../bot';
import type { Server } from 'restify';
import { createSignIn } from './server/auth';
import { defaultWebRoot, servePages } from './server/static';
import { DeskService } from './teams/desk.service';
import { LedgerService } from './ledger/ledger.service';
import { createLedgerSurface } from './ledger/ledger.routes';
import { createMailIntakeSurface } from './intake/mail-intake.routes';
import { createWebForm, loadFormSecret } from './intake/web-form';

/** The browser pages the server serves from dist/web (scripts/build-web.ts builds them). */
const WEB_PAGES = ['ledger', 'addin'] as const;

/** What `start` leaves running. */
export interface Running {
  config: Config;
  logger: Logger;
  where: Listening;
  /** The conversation id of the desk's intake channel in Teams; null while none is set. */
  intakeChannel(): Promise<string | null>;
  /** Stops accepting, finishes requests and background work, closes the database. */
  stop(): Promise<void>;
}

/** Loads the configuration, or explains in both languages what is missing and exits. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(formatConfigError(err));
      process.exit(1);
    }
    throw err;
  }
}

/** Starts Madoguchi: database, Teams surface, HTTP server. Exits with a clear message when it cannot. */
export async function start(config: Config): Promise<Running> {
  const logger = createLogger(config);
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled rejection');
    process.exit(1);
  });

  if (!config.database.url && config.database.sqlitePath !== ':memory:') {
    mkdirSync(dirname(config.database.sqlitePath), { recursive: true });
  }

  let store;
  try {
    store = await openStore({
      databaseUrl: config.database.url,
      sqlitePath: config.database.sqlitePath,
    });
  } catch (err) {
    logger.fatal({ err, database: describeDatabase(config) }, 'cannot open the database');
    process.stderr.write(
      `データベースを開けません / Cannot open the database: ${describeDatabase(config)}\n`,
    );
    process.exit(1);
  }

  const directory = directoryFromRoles(config.roles);
  const service = new ConsultationService({
    store,
    directory,
    categoryIds: new Set(CATEGORIES.map((c) => c.id)),
  });
  // Built here so that an unreadable Graph certificate stops the start, not the first answer.
  const replies = createReplyService({
    config,
    store,
    consultations: service,
    logger: logger.child({ component: 'mail' }),
  });
  const teams = createTeamsSurface({ config, store, service, replies, directory, logger });
  const desk = new DeskService(store);
  const names = async (ids: readonly string[]) =>
    new Map((await desk.people(ids)).map((p) => [p.aadObjectId, p.name]));
  const signIn = await createSignIn({
    config,
    directory,
    names,
  });
  const pages = (server: Server) =>
    servePages(server, { root: defaultWebRoot(), pages: WEB_PAGES, mode: config.mode });
  const app = createServer({
    config,
    logger,
    store,
    surfaces: [
      signIn.register,
      pages,
      teams.register,
      createLedgerSurface({
        service: new LedgerService({
          store,
          consultations: service,
          names,
          // The Teams card and its thread show a correction or an erasure made in the tab.
          announce: (id) =>
            teams.background.run('announce a change made in the ledger', () =>
              teams.cards.announce(id),
            ),
        }),
        authenticate: signIn.authenticate,
        categoryIds: new Set(CATEGORIES.map((c) => c.id)),
        logger,
      }),
      // The Outlook add-in: an email becomes a record, read on behalf of the person.
      createMailIntakeSurface({
        config,
        store,
        consultations: service,
        cards: teams.cards,
        categoryIds: new Set(CATEGORIES.map((c) => c.id)),
        authenticate: signIn.authenticate,
        logger,
      }),
      // The consulters' public form /consult: card and acknowledgement after the page answers.
      createWebForm({
        config,
        store,
        consultations: service,
        cards: teams.cards,
        background: teams.background,
        logger,
        secret: await loadFormSecret(store),
      }),
    ],
  });
  let where: Listening;
  try {
    where = await app.listen();
  } catch (err) {
    const inUse = (err as { code?: string }).code === 'EADDRINUSE';
    logger.fatal({ err, host: config.host, port: config.port }, 'cannot listen');
    if (inUse) {
      process.stderr.write(
        `ポート ${config.port} は使用中です。PORT で別のポートを指定してください。\n` +
          `Port ${config.port} is in use; choose another with PORT.\n`,
      );
    }
    await store.close();
    process.exit(1);
  }

  // Card updates and notices that did not reach Teams (down, a stop in between) catch up.
  const stopCatchingUp = teams.keepCaughtUp();
  // Records whose retention period has ended lose their personal data (privacy notice §4).
  const stopRetention = new RetentionService({
    store,
    consultations: service,
    logger: logger.child({ component: 'retention' }),
  }).keepRunning();
  // What is waiting, posted in the intake channel on working-day mornings (DIGEST_AT).
  const stopDigest = teams.digest?.keepRunning() ?? (() => undefined);
  const stop = async () => {
    stopCatchingUp();
    stopRetention();
    stopDigest();
    await app.close();
    await teams.background.idle();
    await store.close();
  };
  const intakeChannel = async () => (await desk.intakeChannel())?.conversationId ?? null;
  return { config, logger, where, intakeChannel, stop };
}

async function main(): Promise<void> {
  const running = await start(loadConfigOrExit());
  onSignals(
    gracefulShutdown({
      stop: running.stop,
      logger: running.logger,
      exit: (code) => process.exit(code),
    }),
  );
  announce(running.config, running.where, running.logger);
}

/** Says what is where: a readable block locally, one structured line in production. */
export function announce(
  config: Config,
  where: Listening,
  logger: Logger,
  extra: readonly [string, string][] = [],
): void {
  const base = config.publicBaseUrl ?? where.url;
  const facts = {
    listening: where.url,
    publicBaseUrl: config.publicBaseUrl,
    healthz: `${base}/healthz`,
    readyz: `${base}/readyz`,
    webForm: `${base}/consult`,
    ledger: `${base}/ledger/`,
    addin: `${base}/addin/taskpane.html`,
    database: describeDatabase(config),
    mail: mailSettings(config) ? 'on' : 'off',
    envFiles: config.envFiles,
  };
  logger.info(facts, 'listening');
  if (config.mode === 'production') return;
  const lines = [
    '',
    `  Madoguchi 窓口 (${config.mode})`,
    `  server    ${where.url}`,
    `  form      ${facts.webForm}  (相談フォーム)`,
    `  ledger    ${facts.ledger}  (相談台帳)`,
    `  add-in    ${facts.addin}  (Outlook)`,
    `  healthz   ${facts.healthz}`,
    `  readyz    ${facts.readyz}`,
    `  database  ${facts.database}`,
    `  mail      ${describeMail(config)}`,
    `  intake    ${describeEmailIntake(config)}`,
    `  digest    ${describeDigest(config)}`,
    `  language  ${describeLanguage(config)}`,
    `  settings  ${config.envFiles.length ? config.envFiles.join(', ') : '(environment only)'}`,
    ...extra.map(([k, v]) => `  ${k.padEnd(9)} ${v}`),
    '  Ctrl-C で停止 / Ctrl-C to stop',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

/** When the summary of what is waiting goes to the intake channel, in both languages. */
function describeDigest(config: Config): string {
  const at = config.digestAt;
  if (!at) return 'off / 配信なし (DIGEST_AT=off)';
  const time = `${String(at.hour).padStart(2, '0')}:${String(at.minute).padStart(2, '0')}`;
  return `working days ${time} Tokyo, in the intake channel / 平日（祝日を除く）${time} に受付チャネルへ対応待ちの一覧`;
}

/** The language the bot speaks to people who have not chosen one, in both languages. */
function describeLanguage(config: Config): string {
  switch (config.botLanguage) {
    case 'ja':
      return 'Japanese until someone types English / 「English」と送るまで日本語 (BOT_LANGUAGE=ja)';
    case 'en':
      return 'English until someone types 日本語 / 「日本語」と送るまで英語 (BOT_LANGUAGE=en)';
    default:
      return "each person's Teams language / 各自の Teams の言語 (BOT_LANGUAGE=teams)";
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
