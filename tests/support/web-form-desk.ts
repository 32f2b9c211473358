/**
 * The consulter's web form on the real HTTP server, as src/main.ts wires it, over a real
 * SQLite file: the Teams surface (its after-work recorded by a gateway; installed in the
 * team through the stand-in Bot Connector, so the intake channel is set as Teams sets
 * it), the web form, and optionally the real Graph gateway against the mail stand-ins.
 * The database can be taken out of reach and brought back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Activity } from 'botbuilder';
import { createTeamsSurface, type TeamsSurface } from '../../bot';
import { ConsultationService } from '../../src/consultation/consultation.service';
import { directoryFromRoles } from '../../src/consultation/directory';
import { createWebForm, loadFormSecret } from '../../src/intake/web-form';
import type { WebFormLimits } from '../../src/intake/web-form/surface';
import { CATEGORIES } from '../../src/knowledge/knowledge';
import { createLogger } from '../../src/logger';
import { createServer } from '../../src/server/app';
import type { Database } from '../../src/store/schema';
import { openStore, type Store } from '../../src/store/store';
import { startBotConnector } from './bot-connector';
import { testConfig } from './config';
import type { MailStandIns } from './mail';
import { RecordingGateway } from './recording-gateway';
import { INTAKE_CHANNEL_ID, PEOPLE, ROLES, installInTeam } from './teams-activities';

export { INTAKE_CHANNEL_ID };

export interface WebFormDesk {
  url: string;
  /** The database itself, for the test's reads (the app's view of it can be taken down). */
  store: Store;
  gateway: RecordingGateway;
  teams: TeamsSurface;
  /** Every query of the app fails, as with the database out of reach, until `up()`. */
  down(): void;
  up(): void;
  /** What the app logged, as JSON lines. */
  logText(): string;
  /** Waits for the after-work, stops the server, closes and removes the database. */
  close(): Promise<void>;
}

export interface WebFormDeskOptions {
  mail?: MailStandIns;
  limits?: Partial<WebFormLimits>;
  /** Milliseconds now, for the rate limits. */
  clock?: () => number;
  /** Whether the app is installed in the team first (default true: cards can be posted). */
  installed?: boolean;
}

export async function startWebFormDesk(opts: WebFormDeskOptions = {}): Promise<WebFormDesk> {
  const config = testConfig({ roles: ROLES, logLevel: 'info' });
  const cleanups: Array<() => Promise<void> | void> = [];
  const close = async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  };
  try {
    const dir = mkdtempSync(join(tmpdir(), 'madoguchi-web-form-'));
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
    const store: Store = {
      get db() {
        return isDown ? broken : real.db;
      },
      dialect: real.dialect,
      ping: () => (isDown ? Promise.reject(new Error('down')) : real.ping()),
      close: () => real.close(),
    };

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
      store,
      directory,
      categoryIds: new Set(CATEGORIES.map((c) => c.id)),
    });
    const gateway = new RecordingGateway();
    const teams = createTeamsSurface({ config, store, service, directory, logger, gateway });
    const webForm = createWebForm({
      config,
      store,
      consultations: service,
      cards: teams.cards,
      background: teams.background,
      logger,
      secret: await loadFormSecret(real),
      mail: opts.mail
        ? { gateway: opts.mail.gateway(logger), mailbox: opts.mail.settings.mailbox }
        : null,
      limits: opts.limits,
      clock: opts.clock,
    });
    const app = createServer({ config, logger, store, surfaces: [teams.register, webForm] });
    const { url } = await app.listen();
    cleanups.push(async () => {
      await teams.background.idle();
      await app.close();
    });

    if (opts.installed !== false) {
      const connector = await startBotConnector({ members: [PEOPLE.lead] });
      cleanups.push(() => connector.close());
      const res = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(installInTeam(connector.url, PEOPLE.lead) as Activity),
      });
      if (res.status >= 300) throw new Error(`installing the app answered ${res.status}`);
      await teams.background.idle();
    }

    return {
      url,
      store: real,
      gateway,
      teams,
      down: () => void (isDown = true),
      up: () => void (isDown = false),
      logText: () => out,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
