import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server, ServerOptions } from 'restify';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import { bodyParser, DEFAULT_MAX_BODY_BYTES } from './body';
import { handleErrors } from './errors';
import { restify } from './restify';
import { logRequests, requestContext } from './request-log';
import { HEALTH_ROUTES, registerHealthRoutes } from './routes/health';
import { securityHeaders } from './security-headers';

export interface ServerLimits {
  /** Largest request body accepted. */
  maxBodyBytes: number;
  /** How long `/readyz` waits for the database. */
  readyTimeoutMs: number;
  /** How long `close()` waits for requests in flight before cutting connections. */
  shutdownTimeoutMs: number;
  /**
   * How long an idle keep-alive connection stays open. Longer than the idle timeout of
   * what sits in front (Azure's load balancers: 4 minutes), so that it, not this server,
   * closes idle connections: a request sent on a connection this server is closing fails
   * before reaching it. Node's own default is 5 seconds.
   */
  keepAliveTimeoutMs: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
  readyTimeoutMs: 2_000,
  shutdownTimeoutMs: 10_000,
  keepAliveTimeoutMs: 250_000,
};

export interface ServerDeps {
  config: Config;
  logger: Logger;
  store: Pick<Store, 'ping'>;
  limits?: Partial<ServerLimits>;
  /** The surfaces' routes (bot, API, pages), each registering itself on the server. */
  surfaces?: ReadonlyArray<(server: Server) => void>;
}

export interface Listening {
  host: string;
  port: number;
  /** `http://host:port`, with a loopback name when listening on every interface. */
  url: string;
}

export interface App {
  server: Server;
  /** Starts listening on the configured host and port (port 0: any free port). */
  listen(): Promise<Listening>;
  /**
   * Stops accepting connections, lets requests in flight finish for up to
   * `shutdownTimeoutMs`, then closes every connection. Safe to call twice.
   */
  close(): Promise<void>;
}

/**
 * The HTTP app. Routes live in `routes/*`, one `register…Routes(server, deps)`
 * per surface; every error ends in the one handler of `errors.ts`.
 */
export function createServer(deps: ServerDeps): App {
  const { config, logger } = deps;
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };

  const server = restify.createServer({
    name: '', // no Server header
    // restify 11 logs through pino; its type definitions still name bunyan.
    log: logger.child(
      { component: 'restify' },
      { level: 'warn' },
    ) as unknown as ServerOptions['log'],
    handleUncaughtExceptions: false,
  });
  const http = server.server as HttpServer;
  http.keepAliveTimeout = limits.keepAliveTimeoutMs;

  let closing: Promise<void> | null = null;
  let inFlight = 0;
  let drained: (() => void) | null = null;
  http.on('request', (_req, res) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
      if (inFlight === 0) drained?.();
    });
  });

  server.pre(requestContext(logger));
  server.pre(securityHeaders(config.mode));
  server.pre((_req, res, next) => {
    // While shutting down, tell keep-alive clients not to send more on this connection.
    if (closing) res.setHeader('Connection', 'close');
    next();
  });
  server.use(bodyParser(limits.maxBodyBytes));

  handleErrors(server, logger, limits.maxBodyBytes);
  logRequests(server, logger, HEALTH_ROUTES);
  server.on('error', (err: Error) => logger.error({ err }, 'server error'));

  registerHealthRoutes(server, { store: deps.store, readyTimeoutMs: limits.readyTimeoutMs });
  for (const register of deps.surfaces ?? []) register(server);

  function listen(): Promise<Listening> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      server.once('error', onError);
      server.listen(config.port, config.host, () => {
        server.removeListener('error', onError);
        const { port } = http.address() as AddressInfo;
        const shown = ['0.0.0.0', '::'].includes(config.host) ? 'localhost' : config.host;
        const host = shown.includes(':') ? `[${shown}]` : shown;
        resolve({ host: config.host, port, url: `http://${host}:${port}` });
      });
    });
  }

  function close(): Promise<void> {
    closing ??= (async () => {
      if (!http.listening) return;
      const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
      // Idle keep-alive connections would otherwise hold close() open.
      http.closeIdleConnections();
      if (inFlight > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => (drained = resolve)),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, limits.shutdownTimeoutMs))),
        ]);
        clearTimeout(timer);
        if (inFlight > 0) {
          logger.warn(
            { inFlight },
            'shutdown timeout: closing connections with requests in flight',
          );
        }
      }
      http.closeAllConnections();
      await stopped;
    })();
    return closing;
  }

  return { server, listen, close };
}
