/**
 * The consulter's web form on the restify server: `GET /consult` (the form),
 * `POST /consult` (filing), `GET /consult/received` (the number), `GET /consult/privacy`,
 * and the stylesheet; with them the Teams app's `/privacy` and `/terms`, and `/` (the form). Every answer under `/consult` is a page in the consulter's language,
 * errors included; nothing typed is lost when a submission is refused for a reason the
 * consulter can fix or wait out.
 */
import { randomUUID } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import { AppError, UnavailableError, ValidationError } from '../../errors';
import type { Logger } from '../../logger';
import { payloadTooLarge, unsupportedMediaType, type FormBody } from '../../server/body';
import { respondToErrorsWith, requestLogger } from '../../server/context';
import { browserCookie, formSigner, readCookie, type FormSigner } from './csrf';
import {
  emptyValues,
  langOf,
  MAX_FORM_BYTES,
  readForm,
  validate,
  type Field,
  type FieldErrors,
  type FormValues,
} from './form';
import { W, throttledNotice, type Lang, type Localized } from './messages';
import {
  appNoticePage,
  errorPage,
  formPage,
  inLang,
  PATHS,
  privacyPage,
  receivedPage,
  type PageFrame,
} from './pages';
import { SlidingWindowLimiter, type RateLimit } from './rate-limit';
import { stylesheet, type Stylesheet } from './stylesheet';
import type { WebFormService } from './web-form.service';

export interface WebFormLimits {
  /** Consultations accepted per sender address (default 5 per 10 minutes). */
  submissions: RateLimit;
  /** Posts of any kind (invalid ones too) per sender address (default 30 per 10 minutes). */
  posts: RateLimit;
  /** Largest form body (default `MAX_FORM_BYTES`). */
  maxBodyBytes: number;
}

export const DEFAULT_WEB_FORM_LIMITS: WebFormLimits = {
  submissions: { limit: 5, windowMs: 10 * 60_000 },
  posts: { limit: 30, windowMs: 10 * 60_000 },
  maxBodyBytes: MAX_FORM_BYTES,
};

export interface WebFormSurfaceDeps {
  service: Pick<WebFormService, 'submit'>;
  logger: Logger;
  /**
   * Served over HTTPS behind App Service's front end: `__Host-` Secure cookies, and the
   * sender's address is the one the front end appended to X-Forwarded-For.
   */
  behindHttpsProxy: boolean;
  /** Signs the anti-forgery tokens; random per process when not given. */
  secret?: Buffer | string;
  limits?: Partial<WebFormLimits>;
  /** Milliseconds now, for the rate limits. */
  clock?: () => number;
  /** The stylesheet (read from form.css when not given). */
  css?: Stylesheet;
}

/** Pages load their stylesheet from here and nothing else, and cannot be framed. */
const PAGE_POLICY = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const RECEIVED_PURPOSE = 'received';
const FORM_TYPE = 'application/x-www-form-urlencoded';

/** Registers the web form's routes (and its error pages) on the server. */
export function createWebFormSurface(deps: WebFormSurfaceDeps): (server: Server) => void {
  const limits = { ...DEFAULT_WEB_FORM_LIMITS, ...deps.limits };
  const signer: FormSigner = formSigner(deps.secret);
  const cookie = browserCookie(deps.behindHttpsProxy);
  const clock = deps.clock ?? Date.now;
  const submissions = new SlidingWindowLimiter(limits.submissions, clock);
  const posts = new SlidingWindowLimiter(limits.posts, clock);
  const css = deps.css ?? stylesheet();
  const frame = (lang: Lang): PageFrame => ({ lang, stylesheet: css.href });

  const send = (
    res: Response,
    status: number,
    body: string,
    headers: Record<string, string> = {},
  ) => {
    res.setHeader('Content-Security-Policy', PAGE_POLICY);
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.sendRaw(status, body);
  };

  /** The browser's id from its cookie, or a new one set on this response. */
  const browserId = (req: Request, res: Response): string => {
    const existing = readCookie(req.headers.cookie, cookie.name);
    if (signer.isBrowserId(existing)) return existing;
    const id = signer.newBrowserId();
    res.setHeader('Set-Cookie', cookie.header(id));
    return id;
  };

  const showForm = (
    req: Request,
    res: Response,
    status: number,
    lang: Lang,
    model: { values: FormValues; errors?: FieldErrors; notice?: Localized; formId?: string },
    headers: Record<string, string> = {},
  ) => {
    const token = signer.tokenFor(browserId(req, res));
    const page = formPage(frame(lang), {
      values: model.values,
      errors: model.errors ?? {},
      notice: model.notice ?? null,
      csrfToken: token,
      formId: model.formId || randomUUID(),
    });
    send(res, status, page, headers);
  };

  /** Errors raised anywhere under /consult, before or in a handler, as a page. */
  const errorResponder = (err: AppError, req: Request, res: Response) => {
    const lang = langOf(queryOf(req).get('lang'));
    send(res, err.status, errorPage(frame(lang), errorContent(err)));
  };

  return (server: Server) => {
    server.pre((req, res, next) => {
      const path = req.path();
      if (path !== PATHS.form && !path.startsWith(`${PATHS.form}/`)) return next();
      respondToErrorsWith(req, errorResponder);
      // A browser honouring the fields' maxlength never sends more: refuse before reading.
      const declared = Number(req.headers['content-length']);
      if (req.method === 'POST' && Number.isFinite(declared) && declared > limits.maxBodyBytes) {
        return next(payloadTooLarge(limits.maxBodyBytes));
      }
      return next();
    });

    server.get({ path: PATHS.form, name: 'web-form' }, async (req, res) => {
      showForm(req, res, 200, langOf(queryOf(req).get('lang')), { values: emptyValues() });
    });

    server.get({ path: PATHS.privacy, name: 'web-form-privacy' }, async (req, res) => {
      send(res, 200, privacyPage(frame(langOf(queryOf(req).get('lang')))));
    });

    // The Teams app's own pages, which its package links to; the site's root is the form.
    server.get({ path: PATHS.appPrivacy, name: 'app-privacy' }, async (req, res) => {
      send(res, 200, appNoticePage(frame(langOf(queryOf(req).get('lang'))), 'privacy'));
    });
    server.get({ path: PATHS.appTerms, name: 'app-terms' }, async (req, res) => {
      send(res, 200, appNoticePage(frame(langOf(queryOf(req).get('lang'))), 'terms'));
    });
    server.get({ path: '/', name: 'root' }, async (_req, res) => {
      redirect(res, PATHS.form, 302);
    });

    server.get({ path: PATHS.received, name: 'web-form-received' }, async (req, res) => {
      const q = queryOf(req);
      const n = q.get('n') ?? '';
      const s = q.get('s') ?? '';
      const valid = /^\d{4}-\d{6}$/.test(n) && signer.verifySigned(RECEIVED_PURPOSE, n, s);
      send(
        res,
        200,
        receivedPage(frame(langOf(q.get('lang'))), {
          number: valid ? n : null,
          query: valid ? { n, s } : {},
        }),
      );
    });

    server.get({ path: css.path, name: 'web-form-css' }, async (_req, res) => {
      res.setHeader('Content-Type', 'text/css; charset=utf-8');
      // The address carries the content's hash: a changed stylesheet has a new one.
      res.setHeader('Cache-Control', 'public, max-age=86400, immutable');
      res.sendRaw(200, css.content);
    });

    server.post({ path: PATHS.form, name: 'web-form-submit' }, async (req, res) => {
      const log = requestLogger(req, deps.logger);
      // A form sends URL-encoded fields; the server would also have read JSON.
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== FORM_TYPE) throw unsupportedMediaType(type || '(none)');
      const { values, meta } = readForm(req.body as FormBody | undefined);
      const lang = req.body?.lang ? meta.lang : langOf(queryOf(req).get('lang'));
      const address = clientAddress(req, deps.behindHttpsProxy);

      const anyPost = posts.take(address);
      if (!anyPost.ok) {
        log.warn({ limit: 'posts' }, 'web form throttled');
        if (isCrossSite(req)) {
          return send(
            res,
            429,
            errorPage(frame(lang), {
              title: W.refusedTitle,
              message: throttledNotice(anyPost.retryAfterSeconds),
            }),
            { 'Retry-After': String(anyPost.retryAfterSeconds) },
          );
        }
        return showForm(
          req,
          res,
          429,
          lang,
          { values, notice: throttledNotice(anyPost.retryAfterSeconds), formId: meta.formId },
          { 'Retry-After': String(anyPost.retryAfterSeconds) },
        );
      }

      const id = readCookie(req.headers.cookie, cookie.name);
      if (!signer.verify(id, meta.csrf)) {
        log.warn({ crossSite: isCrossSite(req) }, 'web form post without a valid token');
        if (isCrossSite(req)) {
          return send(
            res,
            403,
            errorPage(frame(lang), { title: W.refusedTitle, message: W.refusedCrossSite }),
          );
        }
        // From this site but the token does not fit (a page opened before a restart, or
        // cookies cleared): show the form again, as typed, to be sent again.
        return showForm(req, res, 403, lang, { values, notice: W.noticeCsrf, formId: meta.formId });
      }

      if (meta.honeypot !== '') {
        const slot = submissions.take(address);
        if (slot.ok)
          log.warn({ honeypot: true }, 'web form: hidden field filled; nothing recorded');
        return redirect(res, inLang(PATHS.received, lang));
      }

      const checked = validate(values);
      if (!checked.ok) {
        return showForm(req, res, 400, lang, {
          values,
          errors: checked.errors,
          formId: meta.formId,
        });
      }

      const slot = submissions.take(address);
      if (!slot.ok) {
        log.warn({ limit: 'submissions' }, 'web form throttled');
        return showForm(
          req,
          res,
          429,
          lang,
          { values, notice: throttledNotice(slot.retryAfterSeconds), formId: meta.formId },
          { 'Retry-After': String(slot.retryAfterSeconds) },
        );
      }

      try {
        const { consultation } = await deps.service.submit(checked.intake, {
          formId: meta.formId,
          lang,
        });
        const n = consultation.number;
        return redirect(
          res,
          inLang(PATHS.received, lang, { n, s: signer.sign(RECEIVED_PURPOSE, n) }),
        );
      } catch (err) {
        slot.release();
        if (err instanceof UnavailableError) {
          log.warn({ what: err.what }, 'web form: database unavailable; the form is shown again');
          return showForm(
            req,
            res,
            503,
            lang,
            { values, notice: W.noticeUnavailable, formId: meta.formId },
            { 'Retry-After': '30' },
          );
        }
        if (err instanceof ValidationError) {
          // The record's own rules refused what the form's let through.
          return showForm(req, res, 400, lang, {
            values,
            errors: fieldErrorsOf(err),
            formId: meta.formId,
          });
        }
        log.error({ err }, 'web form submission failed');
        return showForm(req, res, 500, lang, { values, notice: W.error, formId: meta.formId });
      }
    });
  };
}

/** The query string's parameters (the server has no query parser: routes read their own). */
function queryOf(req: Request): URLSearchParams {
  const url = req.url ?? '';
  const i = url.indexOf('?');
  return new URLSearchParams(i < 0 ? '' : url.slice(i + 1));
}

/** 303 after a form is sent: the browser asks for the page with GET; reloading it does not send the form again. */
function redirect(res: Response, location: string, status: 302 | 303 = 303): void {
  res.setHeader('Location', location);
  res.setHeader('Content-Length', '0');
  res.sendRaw(status, '');
}

/** What a refused request's page says. */
function errorContent(err: AppError): { title: Localized; message: Localized } {
  switch (err.code) {
    case 'payload_too_large':
      return { title: W.tooLargeTitle, message: W.tooLarge };
    case 'route_not_found':
    case 'not_found':
      return { title: W.notFoundTitle, message: W.notFound };
    case 'unavailable':
      return { title: W.unavailableTitle, message: W.unavailable };
    case 'internal':
      return { title: W.errorTitle, message: W.error };
    default:
      return err.status < 500
        ? { title: W.badRequestTitle, message: W.badRequest }
        : { title: W.errorTitle, message: W.error };
  }
}

/** The record's field errors (`consulter.email`) on the form's fields (`email`). */
function fieldErrorsOf(err: ValidationError): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(err.fields)) {
    const name = path.replace(/^(consulter|situation)\./, '');
    const field = (
      name === 'categoryId' ? 'category' : name === 'subject' ? 'details' : name
    ) as Field;
    out[field] ??= message;
  }
  if (Object.keys(out).length === 0) out.details = { ja: W.error.ja, en: W.error.en };
  return out;
}

/**
 * A post not sent from this site's own page. Browsers say where a request comes from in
 * Sec-Fetch-Site; only `same-origin` (and `none`, typed or bookmarked) is this site (a
 * sibling subdomain is `same-site`, and not ours). Without it (older browsers), an Origin
 * that is not this host. The Origin alone cannot decide: under this server's
 * `Referrer-Policy: no-referrer` a browser sends `Origin: null` with its own forms. Such a
 * post is refused without showing what it carried.
 */
function isCrossSite(req: Request): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  if (origin === undefined) return false; // the token still decides
  if (origin === 'null') return true; // opaque: a sandboxed frame, a data: page, or no-referrer
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

/**
 * The sender's address, for the rate limits. Behind App Service the front end appends
 * the client's address (with its port) to X-Forwarded-For; anything before it was
 * written by the client and is not trusted.
 */
export function clientAddress(req: Request, behindProxy: boolean): string {
  if (behindProxy) {
    const header = req.headers['x-forwarded-for'];
    const last = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .pop();
    if (last) return stripPort(last);
  }
  return req.socket?.remoteAddress ?? 'unknown';
}

function stripPort(address: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) return bracketed[1]!;
  // IPv4 with a port; a bare IPv6 address has several colons and is left as it is.
  return /^[\d.]+:\d+$/.test(address) ? address.slice(0, address.lastIndexOf(':')) : address;
}
