/**
 * Accessibility checks of a page in the browser suites, with axe-core: the rules of WCAG
 * 2.1 A and AA, which JIS X 8341-3 (public bodies' web pages in Japan) follows.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface Violation {
  rule: string;
  impact: string | null;
  help: string;
  /** The elements that break it (CSS selectors), at most five. */
  targets: string[];
}

/** The WCAG 2.1 A/AA rules the page breaks; empty when none. */
async function accessibilityViolations(page: Page): Promise<Violation[]> {
  // Evaluated rather than added as a script tag: the pages' CSP allows no inline script.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: tags },
    });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  }, WCAG_AA);
}

/**
 * A page as a person sees it: checked against WCAG 2.1 A/AA (the test fails naming each
 * broken rule and where), then kept as a screenshot.
 */
export async function shootAccessible(page: Page, path: string): Promise<void> {
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.screenshot({ path, fullPage: true });
}
