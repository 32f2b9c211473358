/**
 * The task pane as a page of scripts/build-web.ts: its bundle, its html and css, the
 * ribbon icons, and office.js from the npm package @microsoft/office-js (no CDN), served
 * at /addin/. Runs in Node at build time, never in the browser.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const OFFICE_DIST = 'node_modules/@microsoft/office-js/dist';

/**
 * The part of office.js's distribution an Outlook task pane loads: the loader, the file
 * it reads outside Office, Outlook's host scripts, and every locale's strings (office.js
 * asks for the strings of Outlook's display language). About 11 MB of the package's 86.
 */
export function officeJsFiles(root: string): Record<string, string> {
  const dist = join(root, OFFICE_DIST);
  const files: Record<string, string> = {
    [`${OFFICE_DIST}/office.js`]: 'office/office.js',
    [`${OFFICE_DIST}/o15apptofilemappingtable.js`]: 'office/o15apptofilemappingtable.js',
  };
  for (const name of readdirSync(dist).sort()) {
    if (/^outlook[\w.-]*\.js$/.test(name) && !name.includes('.debug.')) {
      files[`${OFFICE_DIST}/${name}`] = `office/${name}`;
    }
    for (const strings of ['office_strings.js', 'outlook_strings.js']) {
      if (existsSync(join(dist, name, strings))) {
        files[`${OFFICE_DIST}/${name}/${strings}`] = `office/${name}/${strings}`;
      }
    }
  }
  return files;
}

/** The page for scripts/build-web.ts's PAGES. */
export function addinPage(root: string) {
  return {
    name: 'addin',
    entries: { taskpane: 'addin/src/taskpane.ts' },
    copy: {
      'addin/taskpane.html': 'taskpane.html',
      'addin/taskpane.css': 'taskpane.css',
      'addin/assets': 'assets',
      ...officeJsFiles(root),
    },
  };
}
