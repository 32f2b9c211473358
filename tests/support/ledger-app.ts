/**
 * The server as `src/main.ts` builds it for the ledger tab: a fresh SQLite file, the
 * consultation and ledger services, sign-in (local tokens for the Playground's people),
 * the built pages under `/ledger/` and the ledger's API, on a free port. The
 * consultation service's clock is the test's, so history times are known.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Config } from '../../src/config';
import { ConsultationService } from '../../src/consultation/consultation.service';
import { directoryFromRoles } from '../../src/consultation/directory';
import type { Actor } from '../../src/consultation/types';
import { CATEGORIES } from '../../src/knowledge/knowledge';
import { createLedgerSurface } from '../../src/ledger/ledger.routes';
import { LedgerService } from '../../src/ledger/ledger.service';
import { createLogger } from '../../src/logger';
import { createServer, type App } from '../../src/server/app';
import { createSignIn } from '../../src/server/auth';
import { servePages } from '../../src/server/static';
import { buildWeb, PAGES } from '../../scripts/build-web';
import { openStore, type Store } from '../../src/store/store';
import { testConfig } from './config';
import { PLAYGROUND_ROLES, playgroundOid } from './desk-app';

/** The Playground's mock users by their object id, as Teams would name them. */
export const PLAYGROUND_NAMES = new Map<string, string>([
  [playgroundOid(0), 'Alex Wilber'],
  [playgroundOid(1), 'Megan Bowen'],
  [playgroundOid(2), 'Adele Vance'],
  [playgroundOid(3), 'Isaiah Langer'],
  [playgroundOid(4), 'Patti Fernandez'],
]);

/** A Playground user as the services see them (roles from PLAYGROUND_ROLES). */
export function playgroundActor(n: number): Actor {
  const id = playgroundOid(n);
  const roles = (Object.keys(PLAYGROUND_ROLES) as Array<keyof Config['roles']>).filter((r) =>
    PLAYGROUND_ROLES[r].includes(id),
  );
  return { id, name: PLAYGROUND_NAMES.get(id)!, roles };
}

export interface LedgerApp {
  /** `http://127.0.0.1:<port>` */
  url: string;
  store: Store;
  consultations: ConsultationService;
  ledger: LedgerService;
  /** What the app logged at warn level and above. */
  problems(): Record<string, unknown>[];
  /** Every log line, for checks on what is (never) logged. */
  logged(): Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startLedgerApp(opts: { clock?: () => Date } = {}): Promise<LedgerApp> {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-ledger-'));
  const config = testConfig({
    port: 0,
    logLevel: 'info',
    roles: PLAYGROUND_ROLES,
    database: { sqlitePath: join(dir, 'madoguchi.db') },
  });
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const logger = createLogger(config, sink);
  let store: Store | undefined;
  let app: App | undefined;
  const close = async () => {
    await app?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // Its own build of the page: another run's set-up may be rebuilding dist/web meanwhile.
    const webRoot = join(dir, 'web');
    await buildWeb(
      webRoot,
      PAGES.filter((p) => p.name === 'ledger'),
    );
    store = await openStore({ sqlitePath: config.database.sqlitePath });
    const directory = directoryFromRoles(config.roles);
    const categoryIds = new Set(CATEGORIES.map((c) => c.id));
    const consultations = new ConsultationService({
      store,
      directory,
      categoryIds,
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
    const names = async (ids: readonly string[]) =>
      new Map(
        ids.flatMap((id) => (PLAYGROUND_NAMES.has(id) ? [[id, PLAYGROUND_NAMES.get(id)!]] : [])),
      );
    const ledger = new LedgerService({ store, consultations, names });
    const signIn = await createSignIn({ config, directory, names });
    const pages = (server: Parameters<typeof servePages>[0]) =>
      servePages(server, { root: webRoot, pages: ['ledger'], mode: config.mode });
    const ledgerApi = createLedgerSurface({
      service: ledger,
      authenticate: signIn.authenticate,
      categoryIds,
      logger,
    });
    app = createServer({ config, logger, store, surfaces: [signIn.register, pages, ledgerApi] });
    const { url } = await app.listen();
    return {
      url,
      store,
      consultations,
      ledger,
      problems: () => lines.filter((l) => typeof l.level === 'number' && (l.level as number) >= 40),
      logged: () => [...lines],
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
