import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildWeb, type WebPage } from '../../scripts/build-web';

const ROOT = resolve(__dirname, '../..');

/** A page of static files only (no bundling): what putting a build in place does is the same. */
const PAGE: WebPage = {
  name: 'page',
  entries: {},
  copy: { 'bot/tab/ledger.html': 'index.html', 'bot/tab/ledger.css': 'css/ledger.css' },
};

describe('building the pages', () => {
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'madoguchi-web-'));
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  test('puts each file in place, leaves unchanged ones as they are, and removes what is no longer built', async () => {
    await buildWeb(out, [PAGE]);
    const dir = join(out, 'page');
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toBe(
      readFileSync(join(ROOT, 'bot/tab/ledger.html'), 'utf8'),
    );
    expect(readFileSync(join(dir, 'css/ledger.css'), 'utf8')).toBe(
      readFileSync(join(ROOT, 'bot/tab/ledger.css'), 'utf8'),
    );

    // A file that changed since, and one the build no longer makes.
    writeFileSync(join(dir, 'index.html'), 'old');
    writeFileSync(join(dir, 'stale.js'), 'gone');
    const past = new Date('2026-01-01T00:00:00Z');
    utimesSync(join(dir, 'css/ledger.css'), past, past);

    await buildWeb(out, [PAGE]);
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toBe(
      readFileSync(join(ROOT, 'bot/tab/ledger.html'), 'utf8'),
    );
    expect(readdirSync(dir).sort()).toEqual(['css', 'index.html']);
    // Unchanged: the same file, never replaced (a server reading it meanwhile reads it whole).
    expect(statSync(join(dir, 'css/ledger.css')).mtime).toEqual(past);
    // Nothing left aside.
    expect(readdirSync(out)).toEqual(['page']);
  });

  test('a page that fails to build leaves the one in place as it was', async () => {
    await buildWeb(out, [PAGE]);
    const before = readFileSync(join(out, 'page', 'index.html'), 'utf8');
    const broken: WebPage = { ...PAGE, copy: { 'bot/tab/no-such-file.html': 'index.html' } };
    await expect(buildWeb(out, [broken])).rejects.toThrow();
    expect(readFileSync(join(out, 'page', 'index.html'), 'utf8')).toBe(before);
    expect(readdirSync(out)).toEqual(['page']);
  });
});
