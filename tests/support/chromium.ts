/**
 * Debian's Chromium for the browser suites (tests/e2e/*.browser.test.ts), driven by
 * playwright-core. Without /usr/bin/chromium a suite is skipped with the reason printed,
 * except under CI=true (.ci/run installs it), where a missing browser is a failure.
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Screenshots of the browser suites (git-ignored). */
export const SCREENSHOTS = resolve(__dirname, '../output');

/** Every suite's flags: headless, no sandbox, no GPU, no background traffic. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const INSTALL = 'apt-get update && apt-get install -y chromium';

/**
 * `describe` and `it` for a browser suite, or their `.skip` when Chromium is missing and
 * CI is not true (saying so on the console). `file` is the suite's name or `__filename`.
 */
export function browserSuite(file: string): { describe: jest.Describe; it: jest.It } {
  const run = existsSync(CHROMIUM) || process.env.CI === 'true';
  if (!run) {
    console.warn(
      `${basename(file)} skipped: no Chromium at ${CHROMIUM}. ` +
        `Install it with \`${INSTALL}\` to run it.`,
    );
  }
  return run ? { describe, it } : { describe: describe.skip, it: it.skip };
}

/** Fails the suite (under CI=true) when Chromium is missing. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM} and CI=true: the browser test cannot run. ` +
        `Install it with \`${INSTALL}\` (see .ci/run).`,
    );
  }
}

/** Launches headless Chromium with CHROMIUM_ARGS (plus `options.args`). */
export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    ...options,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
}
