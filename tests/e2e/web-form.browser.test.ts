/**
 * The consulter's web form in a real browser (headless Chromium), against the real server
 * in-process: filled in wrongly (errors next to the fields, the summary focused, nothing
 * typed lost), then correctly (the number shown, the record made, the card posted in the
 * desk's channel). Screenshots of the form at desktop width and at 320 px, of the errors
 * and of the received page go to tests/output/.
 *
 * Needs Debian's Chromium at /usr/bin/chromium; without it the test is skipped with the
 * reason printed, except under CI=true, where a missing browser is a failure.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { readableTexts } from '../support/card-reading';
import { browserSuite, launchChromium, requireChromium, SCREENSHOTS } from '../support/chromium';
import { shootAccessible } from '../support/axe';
import { INTAKE_CHANNEL_ID, startWebFormDesk, type WebFormDesk } from '../support/web-form-desk';

const { describe: describeBrowser } = browserSuite(__filename);

const DETAILS =
  '経理のPC2台で英語の脅迫文が表示され、共有フォルダのファイルが開けません。\n今朝 8 時ごろ気づきました。';

describeBrowser('the web form in headless Chromium', () => {
  let desk: WebFormDesk | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    requireChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    desk = await startWebFormDesk();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await desk?.close();
  });

  const newPage = async (width: number, height = 900): Promise<Page> => {
    if (!browser || !desk) {
      throw new Error('The browser or the desk did not start (see beforeAll).');
    }
    const context = await browser.newContext({ viewport: { width, height }, locale: 'ja-JP' });
    const page = await context.newPage();
    // Nothing but the app: a request elsewhere would be a page loading what it must not.
    const outside: string[] = [];
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.origin === new URL(desk!.url).origin) return route.continue();
      outside.push(url.href);
      return route.abort();
    });
    page.on('close', () => expect(outside).toEqual([]));
    return page;
  };

  test('wrongly, then correctly: errors by the fields with the text kept, then the number; the record and its card', async () => {
    const page = await newPage(1280);
    await page.goto(`${desk!.url}/consult`);
    await expect(page.title()).resolves.toBe('相談フォーム | サイバーセキュリティ相談窓口');
    // The stylesheet applied (the header's colour comes from it).
    const headerColour = await page
      .locator('.site-header')
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(headerColour).toBe('rgb(11, 58, 111)');
    await shootAccessible(page, `${SCREENSHOTS}/web-form-desktop.png`);

    // The first Tab reaches the skip link.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip-link');

    // Wrongly: no name, a broken address, no consent.
    await page.getByLabel('事業者名・団体名').fill('株式会社サンプル精工');
    await page.getByLabel('メールアドレス').fill('yamada@');
    await page.getByLabel('所在地（区市町村）').selectOption({ label: '大田区' });
    await page.getByLabel('ご相談の分類').selectOption({ label: 'ランサムウェア' });
    await page.getByLabel('業務に支障が出ている').check();
    await page.getByLabel(/^ご相談の内容/).fill(DETAILS);
    await page.getByRole('group', { name: '被害は今も続いていますか' }).getByLabel('はい').check();
    await Promise.all([
      page.waitForURL(`${desk!.url}/consult`),
      page.getByRole('button', { name: 'この内容で送信する' }).click(),
    ]);

    await expect(page.title()).resolves.toBe('エラー：相談フォーム | サイバーセキュリティ相談窓口');
    // The summary takes the focus (\`autofocus\`: at the page's first rendering after it
    // loads, not always by the load event) and lists the three problems.
    await page.waitForFunction(() => document.activeElement?.className === 'alert', null, {
      timeout: 5_000,
    });
    const summary = page.getByRole('alert');
    await expect(summary.getByRole('heading').textContent()).resolves.toBe(
      '入力内容を確認してください（3件）',
    );
    expect(await summary.getByRole('link').allTextContents()).toEqual([
      'お名前を入力してください。',
      'メールアドレスの形式が正しくありません（例：name@example.jp）。',
      'ご相談を送るには、個人情報の取扱いへの同意が必要です。内容をご確認のうえ、チェックを入れてください。',
    ]);
    // Each error is by its field, and the field says so to a screen reader.
    const email = page.getByLabel('メールアドレス');
    await expect(email.getAttribute('aria-invalid')).resolves.toBe('true');
    const describedBy = (await email.getAttribute('aria-describedby'))!.split(' ');
    expect(describedBy).toContain('f-email-error');
    await expect(page.locator('#f-email-error').textContent()).resolves.toBe(
      'エラー：メールアドレスの形式が正しくありません（例：name@example.jp）。',
    );
    expect(await page.locator('#f-email-error').isVisible()).toBe(true);
    // Everything typed is still there.
    await expect(email.inputValue()).resolves.toBe('yamada@');
    await expect(page.getByLabel('事業者名・団体名').inputValue()).resolves.toBe(
      '株式会社サンプル精工',
    );
    await expect(page.getByLabel(/^ご相談の内容/).inputValue()).resolves.toBe(DETAILS);
    await expect(page.getByLabel('所在地（区市町村）').inputValue()).resolves.toBe('13111');
    expect(await page.getByLabel('業務に支障が出ている').isChecked()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/web-form-errors.png` });
    await shootAccessible(page, `${SCREENSHOTS}/web-form-errors-full.png`);

    // The summary's link takes the keyboard to the field.
    await summary.getByRole('link').nth(1).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash === '#f-email');

    // A token that no longer fits (the page was open across a change of key): the form
    // comes back as typed, with a fresh token, and says to send it again.
    await page.getByLabel('お名前').fill('山田 太郎');
    await page.locator('input[name="csrf"]').evaluate((el) => {
      (el as HTMLInputElement).value = 'stale';
    });
    await Promise.all([
      page.waitForURL(`${desk!.url}/consult`),
      page.getByRole('button', { name: 'この内容で送信する' }).click(),
    ]);
    await expect(page.getByRole('alert').locator('p').textContent()).resolves.toContain(
      '安全のため、送信を確認できませんでした',
    );
    await expect(page.getByLabel('お名前').inputValue()).resolves.toBe('山田 太郎');
    await expect(page.getByLabel(/^ご相談の内容/).inputValue()).resolves.toBe(DETAILS);

    // Correctly this time.
    await page.getByLabel('お名前').fill('山田 太郎');
    await email.fill('yamada@sample-seiko.example.jp');
    await page.getByLabel('個人情報の取扱いについて確認し、同意します').check();
    await Promise.all([
      page.waitForURL(/\/consult\/received\?n=/),
      page.getByRole('button', { name: 'この内容で送信する' }).click(),
    ]);
    await expect(page.title()).resolves.toBe(
      'ご相談を受け付けました | サイバーセキュリティ相談窓口',
    );
    const number = (await page.locator('.number strong').textContent())!;
    expect(number).toMatch(/^\d{4}-\d{6}$/);
    await shootAccessible(page, `${SCREENSHOTS}/web-form-received.png`);

    // The record, as the consulter filled it in.
    const row = await desk!.store.db
      .selectFrom('consultation')
      .selectAll()
      .where('number', '=', number)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      channel: 'web',
      consulter_person: '山田 太郎',
      consulter_municipality: '大田区',
      category_id: 'ransomware',
      urgency: 'high',
      details: DETAILS,
    });
    // Its card in the desk's channel.
    await desk!.teams.background.idle();
    const posted = desk!.gateway.sent.filter(
      (s) => s.reference.conversation?.id === INTAKE_CHANNEL_ID,
    );
    expect(posted).toHaveLength(1);
    const texts = readableTexts(posted[0]!.activity.attachments?.[0]?.content).join('\n');
    expect(texts).toContain(number);
    expect(texts).toContain('株式会社サンプル精工');
    await page.context().close();
  }, 60_000);

  test('at 320 px nothing is wider than the screen; in English too', async () => {
    const page = await newPage(320, 640);
    await page.goto(`${desk!.url}/consult`);
    const overflow = () =>
      page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        wide: Array.from(document.querySelectorAll('body *'))
          .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
          .filter((el) => !el.closest('.hp') && !el.classList.contains('skip-link'))
          .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className}`),
      }));
    expect(await overflow()).toEqual({ page: 320, wide: [] });
    await shootAccessible(page, `${SCREENSHOTS}/web-form-320.png`);
    await page.screenshot({ path: `${SCREENSHOTS}/web-form-320-top.png` });
    await page.locator('#f-urgency').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}/web-form-320-choices.png` });

    // The same with errors showing, and in English.
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(`${desk!.url}/consult?lang=en`);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await Promise.all([
      page.waitForURL(`${desk!.url}/consult?lang=en`),
      page.getByRole('button', { name: 'Send' }).click(),
    ]);
    await expect(page.getByRole('alert').getByRole('heading').textContent()).resolves.toBe(
      'Please check what you entered (4 problems)',
    );
    expect(await overflow()).toEqual({ page: 320, wide: [] });
    await shootAccessible(page, `${SCREENSHOTS}/web-form-320-errors-en.png`);
    await page.screenshot({ path: `${SCREENSHOTS}/web-form-320-errors-en-top.png` });
    await page.context().close();
  }, 60_000);

  test('the Teams app’s privacy statement and terms of use, in both languages, from the site’s root', async () => {
    const page = await newPage(1280);
    await page.goto(`${desk!.url}/`);
    expect(new URL(page.url()).pathname).toBe('/consult');
    for (const [path, ja, en] of [
      ['/privacy', '窓口アプリのプライバシーに関する説明', 'Madoguchi: privacy statement'],
      ['/terms', '窓口アプリの利用条件', 'Madoguchi: terms of use'],
    ] as const) {
      await page.goto(`${desk!.url}${path}`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(ja);
      await expect(page.title()).resolves.toBe(`${ja} | サイバーセキュリティ相談窓口`);
      await shootAccessible(page, `${SCREENSHOTS}/app${path.replace('/', '-')}.png`);
      await page.getByRole('link', { name: 'English' }).click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(en);
      await shootAccessible(page, `${SCREENSHOTS}/app${path.replace('/', '-')}-en.png`);
    }
    await page.context().close();
  }, 60_000);
});
