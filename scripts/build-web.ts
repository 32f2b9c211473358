import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
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
 * set-up run it. Each page is built aside and then put in place file by file, each file
 * replaced at once and only when it changed: a server serving the pages meanwhile (a
 * rebuild while `npm start` runs, test suites side by side) never finds one missing.
 */
export async function buildWeb(
  outDir: string = WEB_DIR,
  pages: readonly WebPage[] = PAGES,
): Promise<void> {
  await mkdir(outDir, { recursive: true });
  for (const page of pages) {
    const aside = await mkdtemp(join(outDir, `.${page.name}-`));
    try {
      if (Object.keys(page.entries).length) {
        await build({
          entryPoints: Object.fromEntries(
            Object.entries(page.entries).map(([out, src]) => [out, join(ROOT, src)]),
          ),
          outdir: aside,
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
        await cp(join(ROOT, from), join(aside, to), { recursive: true });
      }
      await putInPlace(aside, join(outDir, page.name));
    } finally {
      await rm(aside, { recursive: true, force: true });
    }
  }
}

/** Makes `dir` hold what `built` holds: changed files renamed over, files no longer built removed. */
async function putInPlace(built: string, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const files = await filesUnder(built);
  for (const file of files) {
    const next = await readFile(join(built, file));
    const now = await readFile(join(dir, file)).catch(() => null);
    if (now?.equals(next)) continue;
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await rename(join(built, file), join(dir, file));
  }
  const keep = new Set(files);
  for (const file of await filesUnder(dir)) if (!keep.has(file)) await rm(join(dir, file));
}

/** The files under `dir`, as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory())
      files.push(...(await filesUnder(join(dir, entry.name))).map((f) => join(entry.name, f)));
    else if (entry.isFile()) files.push(entry.name);
  }
  return files;
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
