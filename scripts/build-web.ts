import { cp, mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { addinPage } from '../addin/web-page';

const ROOT = resolve(__dirname, '..');

/** One browser page: its script entries (bundled) and the static files copied beside them. */
export interface WebPage {
  /** Served at `/<name>/`; built into `<outDir>/<name>/`. */
  name: string;
  /** Output file (without .js) → entry source, relative to the repository root. */
  entries: Record<string, string>;
  /** Files or folders copied as they are, relative to the repository root → to the page's folder. */
  copy: Record<string, string>;
}

/** Every page the server serves. */
export const PAGES: WebPage[] = [
  {
    // The Teams tab 相談台帳 (bot/tab/), served at /ledger/.
    name: 'ledger',
    entries: { ledger: 'bot/tab/ledger.ts' },
    copy: { 'bot/tab/ledger.html': 'index.html', 'bot/tab/ledger.css': 'ledger.css' },
  },
  // The Outlook task pane 「相談として登録」 (addin/), served at /addin/taskpane.html.
  addinPage(ROOT),
];

/** Where the pages are built, and served from. */
export const WEB_DIR = join(ROOT, 'dist', 'web');

/**
 * Builds the pages: each entry bundled for browsers (ES2020, minified, with source maps),
 * static files copied. Takes about a second; `npm start`, `npm run build` and the test
 * set-up run it.
 */
export async function buildWeb(
  outDir: string = WEB_DIR,
  pages: readonly WebPage[] = PAGES,
): Promise<void> {
  for (const page of pages) {
    const dir = join(outDir, page.name);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    if (Object.keys(page.entries).length) {
      await build({
        entryPoints: Object.fromEntries(
          Object.entries(page.entries).map(([out, src]) => [out, join(ROOT, src)]),
        ),
        outdir: dir,
        bundle: true,
        platform: 'browser',
        format: 'iife',
        target: 'es2020',
        minify: true,
        sourcemap: true,
        legalComments: 'linked',
        logLevel: 'warning',
        charset: 'utf8',
      });
    }
    for (const [from, to] of Object.entries(page.copy)) {
      await cp(join(ROOT, from), join(dir, to), { recursive: true });
    }
  }
}

if (require.main === module) {
  const started = Date.now();
  buildWeb()
    .then(() => process.stdout.write(`pages built in ${Date.now() - started} ms → ${WEB_DIR}\n`))
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
