import type { RequestHandler } from 'restify';
import type { Mode } from '../config';

/**
 * Headers on every response. The defaults suit JSON: nothing may be framed,
 * sniffed, cached or loaded. Pages that Teams and Outlook show inside their own
 * windows (the tab, the add-in's task pane) replace Content-Security-Policy with
 * one whose frame-ancestors lists the Teams and Office hosts, and drop
 * X-Frame-Options, when they are added.
 */
export function securityHeaders(mode: Mode): RequestHandler {
  const headers: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
  // Production runs behind HTTPS only (App Service); locally it is plain HTTP.
  if (mode === 'production') headers['Strict-Transport-Security'] = 'max-age=31536000';
  return (_req, res, next) => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    next();
  };
}
