import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';
import type { Request, Response, Server } from 'restify';
import type { Mode } from '../config';
import { AppError } from '../errors';
import { localize } from '../i18n/messages';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Hosts that show Madoguchi's pages inside their own windows (Teams tabs, Outlook task panes). */
const FRAME_ANCESTORS = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.teams.cloud.microsoft',
  'https://*.cloud.microsoft',
  'https://*.office.com',
  'https://*.office365.com',
  'https://*.microsoft365.com',
  'https://*.outlook.com',
];

/**
 * The pages' policy: everything from this server only (office.js and teams-js are served
 * from here too), inline styles for charts, and framing by Teams and Outlook alone.
 */
export function pagePolicy(mode: Mode): string {
  const ancestors =
    mode === 'local'
      ? [...FRAME_ANCESTORS, 'http://localhost:*', 'http://127.0.0.1:*']
      : FRAME_ANCESTORS;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${ancestors.join(' ')}`,
  ].join('; ');
}

/**
 * Serves the built pages (`npm run build:web` → dist/web) under `/<page>/…`: the ledger
 * tab and the add-in's task pane. Only files inside each page's folder; directories
 * answer their index.html; nothing is listed.
 */
export function servePages(
  server: Server,
  opts: { root: string; pages: readonly string[]; mode: Mode },
): void {
  const policy = pagePolicy(opts.mode);
  for (const page of opts.pages) {
    const dir = join(opts.root, page);
    server.get(`/${page}`, async (_req: Request, res: Response) => {
      res.header('Location', `/${page}/`);
      res.send(301);
    });
    server.get(`/${page}/*`, async (req: Request, res: Response) => {
      const rel = decodeURIComponent((req.path() ?? '').slice(page.length + 2)) || 'index.html';
      const path = normalize(join(dir, rel));
      if (!path.startsWith(dir + sep)) throw notFound();
      let file = path;
      let info = await stat(file).catch(() => null);
      if (info?.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file).catch(() => null);
      }
      if (!info?.isFile()) throw notFound();
      res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
      res.setHeader('Content-Length', info.size);
      res.setHeader('Content-Security-Policy', policy);
      res.removeHeader('X-Frame-Options');
      // Built files keep their names between builds: revalidate rather than cache blindly.
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('Last-Modified', info.mtime.toUTCString());
      res.writeHead(200);
      await new Promise<void>((resolve, reject) => {
        createReadStream(file).on('error', reject).on('end', resolve).pipe(res);
      });
    });
  }
}

function notFound(): AppError {
  return new AppError(404, 'route_not_found', localize('error.route_not_found'));
}

/** `dist/web` of the installed package, whether running from sources (tsx) or from dist/. */
export function defaultWebRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return join(from, 'web');
    dir = up;
  }
  return join(dir, 'dist', 'web');
}
