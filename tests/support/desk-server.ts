/**
 * The desk as integration tests drive it: the real HTTP server (`createServer`) with the
 * real Teams surface over a fresh SQLite file, a stand-in Bot Connector for replies within
 * a turn, and the bot's after-work going to a recording gateway (or to a gateway the test
 * gives). The database the app sees can be taken out of reach and brought back; the test
 * reads the real one. More surfaces (the web form) can be mounted on the same server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Activity } from 'botbuilder';
import type { Server } from 'restify';
import { createTeamsSurface, type TeamsSurface } from '../../bot';
import type { AdaptiveCard } from '../../bot/cards';
import type { TeamsGateway } from '../../bot/outbound/teams-gateway';
import type { Config } from '../../src/config';
import { ConsultationService } from '../../src/consultation/consultation.service';
import { directoryFromRoles } from '../../src/consultation/directory';
import { CATEGORIES } from '../../src/knowledge/knowledge';
import { createLogger, type Logger } from '../../src/logger';
import { createServer } from '../../src/server/app';
import type { Database } from '../../src/store/schema';
import { openStore, type Store } from '../../src/store/store';
import { validateCard } from './adaptive-cards';
import { startBotConnector, type StandInConnector } from './bot-connector';
import { testConfig } from './config';
import { RecordingGateway } from './recording-gateway';
import { PEOPLE, ROLES, type TeamsUser } from './teams-activities';

/** What a further surface is built from: the desk's own parts. */
export interface DeskParts {
  config: Config;
  logger: Logger;
  /** The database as the app sees it (out of reach while the desk is down). */
  appStore: Store;
  /** The database itself. */
  store: Store;
  service: ConsultationService;
  teams: TeamsSurface;
}

export interface DeskServerOptions {
  /** Configuration over the desk's defaults (the roles of `ROLES`, log level info). */
  config?: Parameters<typeof testConfig>[0];
  /**
   * Where the bot's after-work goes (default: the recording gateway); a function gets the
   * stand-in Bot Connector, to build a gateway that talks to it.
   */
  gateway?: TeamsGateway | ((connector: StandInConnector) => TeamsGateway);
  /** The team's roster as the stand-in connector answers it (default: everyone in `PEOPLE`). */
  members?: TeamsUser[];
  /** The team's channels, as the stand-in connector lists them (default: none). */
  channels?: ReadonlyArray<{ id: string; name?: string }>;
  /** Surfaces mounted next to the bot's, e.g. the web form. */
  surfaces?: (parts: DeskParts) => Promise<Array<(server: Server) => void>>;
  /** Start of the temporary directory's name. */
  dirPrefix?: string;
}

export interface DeskServer {
  url: string;
  config: Config;
  connector: StandInConnector;
  /** Records the after-work (unless the options gave another gateway). */
  gateway: RecordingGateway;
  /** The database itself, for the test's reads (the app's view of it can be taken down). */
  store: Store;
  service: ConsultationService;
  teams: TeamsSurface;
  /** Every query of the app fails, as with the database out of reach, until `up()`. */
  down(): void;
  up(): void;
  /** What the app logged, as JSON lines. */
  logText(): string;
  logs(): Record<string, unknown>[];
  /** POSTs an activity to `/api/messages`; the body is parsed when it is JSON. */
  post(activity: Partial<Activity>): Promise<{ status: number; body: unknown }>;
  /** POSTs an invoke and returns the card it answers with (checked to be a valid card). */
  invoke(activity: Partial<Activity>): Promise<AdaptiveCard>;
  /** Waits for the after-work, stops the server and the connector, removes the database. */
  close(): Promise<void>;
}

export async function startDeskServer(opts: DeskServerOptions = {}): Promise<DeskServer> {
  const config = testConfig({ roles: ROLES, logLevel: 'info', ...opts.config });
  const cleanups: Array<() => Promise<void> | void> = [];
  const close = async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  };
  try {
    const dir = mkdtempSync(join(tmpdir(), opts.dirPrefix ?? 'madoguchi-desk-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const real = await openStore({ sqlitePath: join(dir, 'desk.db') });
    cleanups.push(() => real.close());

    // Out of reach: a file that is not there (SQLITE_CANTOPEN on every query).
    const broken = new Kysely<Database>({
      dialect: new SqliteDialect({
        database: async () => new SQLite(join(dir, 'missing.db'), { fileMustExist: true }),
      }),
    });
    let isDown = false;
    const appStore: Store = {
      get db() {
        return isDown ? broken : real.db;
      },
      dialect: real.dialect,
      ping: () => (isDown ? Promise.reject(new Error('down')) : real.ping()),
      close: () => real.close(),
    };

    const connector = await startBotConnector({
      members: opts.members ?? Object.values(PEOPLE),
      channels: opts.channels,
    });
    cleanups.push(() => connector.close());

    let out = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        out += chunk.toString('utf8');
        done();
      },
    });
    const logger = createLogger(config, sink);
    const directory = directoryFromRoles(config.roles);
    const service = new ConsultationService({
      store: appStore,
      directory,
      categoryIds: new Set(CATEGORIES.map((c) => c.id)),
    });
    const recording = new RecordingGateway();
    const gateway =
      typeof opts.gateway === 'function' ? opts.gateway(connector) : (opts.gateway ?? recording);
    // Replies as start() builds them: mail on when `opts.config.mail` configures it.
    const teams = createTeamsSurface({
      config,
      store: appStore,
      service,
      directory,
      logger,
      gateway,
    });
    const more = opts.surfaces
      ? await opts.surfaces({ config, logger, appStore, store: real, service, teams })
      : [];
    const app = createServer({
      config,
      logger,
      store: appStore,
      surfaces: [teams.register, ...more],
    });
    const { url } = await app.listen();
    cleanups.push(async () => {
      await teams.background.idle();
      await app.close();
    });

    const post = async (activity: Partial<Activity>) => {
      const res = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? (JSON.parse(text) as unknown) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body };
    };

    return {
      url,
      config,
      connector,
      gateway: recording,
      store: real,
      service,
      teams,
      down: () => void (isDown = true),
      up: () => void (isDown = false),
      logText: () => out,
      logs: () =>
        out
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>),
      post,
      async invoke(activity) {
        const { status, body } = await post(activity);
        expect({ status, body }).toMatchObject({
          status: 200,
          body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' },
        });
        const card = (body as { value: AdaptiveCard }).value;
        expect(validateCard(card)).toEqual([]);
        return card;
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
