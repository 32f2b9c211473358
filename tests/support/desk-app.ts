/**
 * The real Madoguchi server in-process, as `src/main.ts` builds it: configuration,
 * a fresh SQLite file in a temp directory, the consultation service, the reply service
 * (mail as configured), the Teams surface and the HTTP app on a free port. For
 * end-to-end tests against the Agents Playground.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamsSurface, type TeamsSurface } from '../../bot';
import type { Config } from '../../src/config';
import { ConsultationService } from '../../src/consultation/consultation.service';
import { directoryFromRoles } from '../../src/consultation/directory';
import type { Actor } from '../../src/consultation/types';
import { CATEGORIES } from '../../src/knowledge/knowledge';
import { createLogger } from '../../src/logger';
import { createReplyService } from '../../src/mail';
import { createServer, type App } from '../../src/server/app';
import { openStore, type Store } from '../../src/store/store';
import { testConfig } from './config';

/** aadObjectId of the Playground's mock user `user-id-<n>` (`…0020` is user-id-0). */
export const playgroundOid = (n: number): string => `00000000-0000-0000-0000-00000000000${20 + n}`;

/** The roles of env/.env.local: the Playground's mock users as the desk's staff. */
export const PLAYGROUND_ROLES: Config['roles'] = {
  // user-id-0 Alex Wilber, user-id-1 Megan Bowen
  'first-line': [playgroundOid(0), playgroundOid(1)],
  // user-id-2 Adele Vance, user-id-3 Isaiah Langer
  specialist: [playgroundOid(2), playgroundOid(3)],
  // user-id-0 Alex Wilber, user-id-4 Patti Fernandez
  supervisor: [playgroundOid(0), playgroundOid(4)],
};

/** Reads everything, for assertions on the store. */
export const AUDITOR: Actor = { id: 'e2e-auditor', name: 'e2e', roles: ['supervisor'] };

export interface DeskApp {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The bot's messaging endpoint: `<url>/api/messages`. */
  botEndpoint: string;
  config: Config;
  store: Store;
  service: ConsultationService;
  surface: TeamsSurface;
  /** What the app logged at warn level and above (failed turns, failed background work). */
  problems(): Record<string, unknown>[];
  /** Waits for the bot's after-response work, then stops the server and the database. */
  close(): Promise<void>;
}

export async function startDeskApp(
  overrides: Parameters<typeof testConfig>[0] = {},
): Promise<DeskApp> {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-e2e-'));
  const config = testConfig({
    port: 0,
    logLevel: 'warn',
    roles: PLAYGROUND_ROLES,
    ...overrides,
    database: { sqlitePath: join(dir, 'madoguchi.db'), ...overrides.database },
  });
  const logged: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim()) logged.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const logger = createLogger(config, sink);
  let store: Store | undefined;
  let app: App | undefined;
  let surface: TeamsSurface | undefined;
  const close = async () => {
    await surface?.background.idle();
    await app?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    store = await openStore({ sqlitePath: config.database.sqlitePath });
    const directory = directoryFromRoles(config.roles);
    const service = new ConsultationService({
      store,
      directory,
      categoryIds: new Set(CATEGORIES.map((c) => c.id)),
    });
    // As start() does: mail from the configuration (off unless `overrides.mail` sets it).
    const replies = createReplyService({ config, store, consultations: service, logger });
    surface = createTeamsSurface({ config, store, service, replies, directory, logger });
    app = createServer({ config, logger, store, surfaces: [surface.register] });
    const { url } = await app.listen();
    return {
      url,
      botEndpoint: `${url}/api/messages`,
      config,
      store,
      service,
      surface,
      problems: () => [...logged],
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
