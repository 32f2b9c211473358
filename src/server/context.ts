import type { Request, Response } from 'restify';
import type { AppError } from '../errors';
import type { Logger } from '../logger';

/**
 * What the server keeps about one request besides restify's own fields:
 * its logger (carrying `reqId`) and the error code its response carried.
 * restify 11 logs through pino, but its type definitions still name bunyan,
 * hence the casts in one place.
 */

export function setRequestLogger(req: Request, res: Response, log: Logger): void {
  (req as unknown as { log: Logger }).log = log;
  (res as unknown as { log: Logger }).log = log;
}

/** The request's own logger, or `fallback` before one was set. */
export function requestLogger(req: Request, fallback: Logger): Logger {
  return (req as unknown as { log?: Logger }).log ?? fallback;
}

/** Sets restify's request id; it can be set once, before anything reads it. */
export function setRequestId(req: Request, id: string): void {
  (req as unknown as { id(value: string): string }).id(id);
}

const codes = new WeakMap<Response, string>();

export function setErrorCode(res: Response, code: string): void {
  codes.set(res, code);
}

export function errorCodeOf(res: Response): string | undefined {
  return codes.get(res);
}

/**
 * Writes an error as a surface's own page instead of the JSON error shape: the public web
 * form answers a browser, which must see a page in its language, also for errors raised
 * before its handlers run (a body too large, an unknown path under it).
 */
export type ErrorResponder = (err: AppError, req: Request, res: Response) => void;

const responders = new WeakMap<Request, ErrorResponder>();

/** From a `pre` handler: this request's errors are answered by `responder`. */
export function respondToErrorsWith(req: Request, responder: ErrorResponder): void {
  responders.set(req, responder);
}

export function errorResponderOf(req: Request): ErrorResponder | undefined {
  return responders.get(req);
}
