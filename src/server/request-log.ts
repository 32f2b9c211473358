import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response, Route, Server } from 'restify';
import type { Logger } from '../logger';
import { errorCodeOf, setRequestId, setRequestLogger } from './context';

/** A caller's request id is kept when it is a plain token (Teams and App Service send one). */
const REQUEST_ID = /^[\w.:-]{1,64}$/;

const started = new WeakMap<Request, bigint>();

/**
 * The first `pre` handler: gives the request an id (`X-Request-Id` in and out)
 * and a child logger carrying it as `reqId`.
 */
export function requestContext(logger: Logger): RequestHandler {
  // Restify logs response bodies at trace level; keep its loggers at debug at most.
  const level = logger.isLevelEnabled('trace') ? 'debug' : logger.level;
  return (req, res, next) => {
    started.set(req, process.hrtime.bigint());
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    setRequestId(req, id);
    setRequestLogger(req, res, logger.child({ reqId: id }, { level }));
    res.setHeader('X-Request-Id', id);
    next();
  };
}

/** The route's pattern (`/api/cases/:id`), never the path a caller typed. */
function routeOf(route: Route | undefined): string | null {
  if (!route) return null;
  const path = route.spec?.path ?? route.path;
  return path === undefined ? null : String(path);
}

/**
 * One line per request: method, route pattern, status, duration, request id and
 * the error code if any. No query strings, no headers, no bodies.
 * Routes named in `quietRoutes` (health probes) log at debug.
 */
export function logRequests(server: Server, logger: Logger, quietRoutes: readonly string[]): void {
  server.on('after', (req: Request, res: Response, route: Route | undefined) => {
    const start = started.get(req);
    const ms = start === undefined ? undefined : Number(process.hrtime.bigint() - start) / 1e6;
    const status = res.statusCode;
    const entry = {
      reqId: req.getId(),
      method: req.method,
      route: routeOf(route),
      status,
      ms: ms === undefined ? undefined : Math.round(ms * 10) / 10,
      code: errorCodeOf(res),
    };
    const level =
      status >= 500 ? 'error' : route && quietRoutes.includes(route.name) ? 'debug' : 'info';
    logger[level](entry, 'request');
  });
}
