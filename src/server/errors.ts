import type { Request, Response, Server } from 'restify';
import { AppError } from '../errors';
import { localize } from '../i18n/messages';
import type { Logger } from '../logger';
import { invalidJson, payloadTooLarge, unsupportedMediaType } from './body';
import { errorResponderOf, requestLogger, setErrorCode } from './context';

/** Restify's own errors carry an HTTP status in `statusCode` and a class name in `name`. */
interface HttpErrorLike {
  name: string;
  statusCode: number;
}

function isHttpError(err: unknown): err is Error & HttpErrorLike {
  return err instanceof Error && typeof (err as Partial<HttpErrorLike>).statusCode === 'number';
}

export function internalError(requestId: string): AppError {
  return new AppError(500, 'internal', localize('error.internal'), { requestId });
}

/**
 * Turns anything a handler threw into the one error shape. Restify's router and
 * plugin errors get stable codes; anything unknown becomes `internal`.
 */
export function toAppError(err: unknown, req: Request, maxBodyBytes: number): AppError {
  if (err instanceof AppError) return err;
  if (isHttpError(err)) {
    switch (err.name) {
      case 'ResourceNotFoundError':
        return new AppError(404, 'route_not_found', localize('error.route_not_found'));
      case 'MethodNotAllowedError':
        return new AppError(
          405,
          'method_not_allowed',
          localize('error.method_not_allowed', { method: req.method }),
          { method: req.method },
        );
      case 'InvalidContentError':
        return invalidJson();
      case 'PayloadTooLargeError':
      case 'RequestEntityTooLargeError':
        return payloadTooLarge(maxBodyBytes);
      case 'UnsupportedMediaTypeError':
        return unsupportedMediaType(req.headers['content-type'] ?? '(none)');
    }
    if (err.statusCode >= 400 && err.statusCode < 500) {
      return new AppError(err.statusCode, 'bad_request', localize('error.bad_request'));
    }
  }
  return internalError(req.getId());
}

/**
 * The central error handler: every error a route, plugin or the router raises
 * is answered here as `{ error: { code, message: { ja, en }, details } }`, or as the
 * page of the surface that asked for pages (`respondToErrorsWith`).
 * Unknown errors are logged with their stack; request bodies never are.
 */
export function handleErrors(server: Server, logger: Logger, maxBodyBytes: number): void {
  server.on('restifyError', (req: Request, res: Response, err: unknown, done: () => void) => {
    const appError = toAppError(err, req, maxBodyBytes);
    setErrorCode(res, appError.code);
    const log = requestLogger(req, logger);

    if (appError.code === 'internal') {
      log.error({ err }, 'unhandled error');
    } else if (appError.code === 'unavailable') {
      const cause = (appError as { cause?: unknown }).cause;
      log.warn(
        { what: appError.details.what, cause: cause instanceof Error ? cause.message : undefined },
        'dependency unavailable',
      );
    }

    if (!res.headersSent) {
      const page = errorResponderOf(req);
      try {
        if (page) page(appError, req, res);
      } catch (pageErr) {
        log.error({ err: pageErr }, 'error page failed');
      }
      if (!res.headersSent) res.json(appError.status, appError.toJSON());
    }
    done();
  });
}
