/**
 * The channel card in a real browser: headless Chromium on the Agents Playground's own
 * web page (the Teams client it emulates), against the real server in-process.
 *
 * Needs Debian's Chromium at /usr/bin/chromium (`apt-get install -y chromium`; .ci/run
 * installs it). Without it the test is skipped with the reason printed, except under
 * CI=true, where a missing browser is a failure.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import {
  browserSuite,
  CHROMIUM,
  CHROMIUM_ARGS,
  requireChromium,
  SCREENSHOTS,
} from '../support/chromium';
import { AUDITOR, playgroundOid, startDeskApp, type DeskApp } from '../support/desk-app';
import { startPlayground, type Playground } from '../support/playground';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const PAGE_TIMEOUT_MS = 90_000;

const { it: test } = browserSuite(__filename);

describe('the channel card in the Playground’s web page (headless Chromium)', () => {
  let desk: DeskApp | undefined;
  let pg: Playground | undefined;
  let browser: BrowserContext | undefined;
  let profile: string | undefined;
  const blocked = new Set<string>();

  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await desk?.surface.background.idle();
    await pg?.stop();
    await desk?.close();
  });

  test(
    'shows the card posted in the channel; 担当する on it shows the owner; erased, it shows that',
    async () => {
      requireChromium();
      desk = await startDeskApp();
      pg = await startPlayground({ botEndpoint: desk.botEndpoint });
      await pg.install('team-id');

      profile = mkdtempSync(join(tmpdir(), 'madoguchi-chromium-'));
      browser = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width: 1400, height: 1300 },
        args: [...CHROMIUM_ARGS],
      });
      // Nothing leaves the machine: the page's fonts and scripts from Microsoft's CDN fail quietly.
      await browser.route('**/*', (route) => {
        const host = new URL(route.request().url()).hostname;
        if (LOOPBACK.has(host)) return route.continue();
        blocked.add(host);
        return route.abort();
      });
      const page = browser.pages()[0] ?? (await browser.newPage());
      page.setDefaultTimeout(15_000);

      // The page shows what arrives while it is open: open it before the card is posted.
      const started = Date.now();
      const ready = page.waitForResponse((r) => r.url().includes('/installation'), {
        timeout: PAGE_TIMEOUT_MS,
      });
      await page.goto(pg.url, { waitUntil: 'domcontentloaded', timeout: PAGE_TIMEOUT_MS });
      await ready;
      const loadMs = Date.now() - started;
      await page.getByText('General', { exact: true }).click();

      // A consultation recorded over the Playground's HTTP API, as user-id-0 in the 1:1 chat.
      const number = await recordConsultation(pg);
      const card = page.locator('.ac-adaptiveCard').filter({ hasText: number });
      await card.waitFor();
      await expectText(card, ['受付', '未割当', 'ファイルが開けない', '株式会社サンプル製作所']);
      await shoot(page, 'bot-browser-1-posted.png');

      const clicked = Date.now();
      await card.getByRole('button', { name: '担当する', exact: true }).click();
      await card.getByText('Alex Wilberさん').first().waitFor();
      const claimMs = Date.now() - clicked;
      await expectText(card, ['一次対応中', 'Alex Wilberさんが担当しました']);
      expect(await card.getByRole('button', { name: '担当する', exact: true }).count()).toBe(0);
      // The thread under the card says the same.
      await page
        .getByText(/Alex Wilberさんが担当しました \d{4}\/\d{2}\/\d{2}/)
        .first()
        .waitFor();
      await shoot(page, 'bot-browser-2-claimed.png');

      // Answering: how the desk answered a case like it, above the form.
      const alex = { id: playgroundOid(0), name: 'Alex Wilber', roles: ['first-line' as const] };
      const { consultation: past } = await desk.service.create(alex, {
        channel: 'phone',
        consulter: { organisation: '有限会社まえの', person: '前野', email: null, phone: null },
        categoryId: 'ransomware',
        urgency: 'high',
        subject: '共有フォルダのファイルが開けない',
        details: '共有フォルダのファイルが暗号化され、脅迫文が残されていた。',
      });
      await desk.service.claim(alex, past.id);
      await desk.service.answer(alex, past.id, {
        body: 'LAN ケーブルを抜いて感染の拡大を防ぎ、警視庁サイバー犯罪対策課に相談してください。',
        delivery: 'phone',
      });
      await desk.service.close(alex, past.id, {});
      await card.getByRole('button', { name: '回答する', exact: true }).click();
      await card.getByRole('button', { name: '似た過去の相談を見る', exact: true }).click();
      // The Playground's users speak English: the presser's cards are in English.
      const form = page
        .locator('.ac-adaptiveCard')
        .filter({ hasText: 'Similar past cases (same category, answered)' })
        .last();
      await form.waitFor();
      await expectText(form, [past.number, 'LAN ケーブルを抜いて感染の拡大を防ぎ']);
      await shoot(page, 'bot-browser-2b-similar.png');

      await desk.surface.background.idle();
      const c = (await desk.service.list(AUDITOR, {})).items.find((i) => i.number === number);
      expect(c).toMatchObject({
        number,
        state: 'claimed',
        firstLineOwner: { id: playgroundOid(0), name: 'Alex Wilber' },
      });

      // The same business again: its card names the first case.
      const second = await recordConsultation(pg);
      const again = page.locator('.ac-adaptiveCard').filter({ hasText: second });
      await again.waitFor();
      await expectText(again, ['同じ相談者', `他の相談 1件（${number}・一次対応中）`]);
      await shoot(page, 'bot-browser-3-same-consulter.png');

      // 記録を修正: the card becomes the form, filled with the record; saved, it is back.
      await again.getByRole('button', { name: '記録を修正', exact: true }).click();
      const edit = page
        .locator('.ac-adaptiveCard')
        .filter({ hasText: 'Edit the consultation record' })
        .last();
      await edit.waitFor();
      const subject = edit.getByLabel(/^Subject/);
      expect(await subject.inputValue()).toBe('ファイルが開けない');
      await subject.fill('共有フォルダのファイルが暗号化された');
      await shoot(page, 'bot-browser-3b-edit.png');
      await edit.getByRole('button', { name: 'Save the changes', exact: true }).click();
      // The Playground shows everyone the channel's card (it has no per-person view): the
      // card in the channel, corrected, and the line in its thread.
      const corrected = page
        .locator('.ac-adaptiveCard')
        .filter({ hasText: second })
        .filter({ hasText: '共有フォルダのファイルが暗号化された' })
        .last();
      await corrected.waitFor();
      await page
        .getByText(/Alex Wilberさんが記録を修正しました \d{4}\/\d{2}\/\d{2}/)
        .first()
        .waitFor();
      await corrected.scrollIntoViewIfNeeded();
      await shoot(page, 'bot-browser-3c-edited.png');

      // Dispatched, then given back by the specialist: the channel card says why.
      const adele = { id: playgroundOid(2), name: 'Adele Vance', roles: ['specialist' as const] };
      const secondId = (await desk.service.list(AUDITOR, {})).items.find(
        (i) => i.number === second,
      )!.id;
      await desk.service.claim(alex, secondId);
      await desk.service.dispatch(alex, secondId, {
        specialistId: adele.id,
        coordinationNeeded: false,
      });
      await desk.service.returnToFirstLine(adele, secondId, {
        reason: '標的型攻撃の専門員への依頼をお願いします',
      });
      await desk.surface.catchUp();
      const returned = page
        .locator('.ac-adaptiveCard')
        .filter({ hasText: second })
        .filter({ hasText: '差し戻しの理由' })
        .last();
      await returned.waitFor();
      expect(await returned.innerText()).toContain(
        '差し戻しの理由: 標的型攻撃の専門員への依頼をお願いします',
      );
      await returned.scrollIntoViewIfNeeded();
      await shoot(page, 'bot-browser-3d-returned.png');

      // Closed, then erased on the consulter's request: the card in the channel says so,
      // and nothing of the consulter's is left on it.
      await desk.service.close(AUDITOR, c!.id, { reason: '取り下げ' });
      await desk.service.erase(AUDITOR, c!.id, { confirmNumber: number });
      await desk.surface.catchUp();
      const erased = page.locator('.ac-adaptiveCard').filter({ hasText: '（消去済み）' });
      await erased.first().waitFor();
      await expectText(erased, [number, 'に消去されました（ご本人からの請求）']);
      expect(await erased.getByText('株式会社サンプル製作所').count()).toBe(0);
      expect(await erased.getByText('ファイルが開けない').count()).toBe(0);
      expect(await erased.getByRole('button', { name: '再開', exact: true }).count()).toBe(0);
      await shoot(page, 'bot-browser-4-erased.png');

      // 「状況」 in the 1:1 chat: what is waiting, by state (in English: the Playground's locale).
      await page.getByText('Personal Chat', { exact: true }).click();
      await pg.sendMessage(pg.personalConversationId, 'user-id-0', '状況');
      // The page may draw a message's card twice while it settles: the latest one is read.
      const waiting = page
        .locator('.ac-adaptiveCard')
        .filter({ hasText: 'Waiting at the desk' })
        .last();
      await waiting.waitFor();
      await expectText(waiting, ['Claimed: 1 (longest waiting:', second]);
      // The bot answered once.
      const answers = pg
        .events()
        .filter((e) =>
          JSON.stringify(e.message?.attachments ?? []).includes('Waiting at the desk'),
        );
      expect(answers).toHaveLength(1);
      await shoot(page, 'bot-browser-5-waiting.png');

      expect([...blocked].every((h) => !LOOPBACK.has(h))).toBe(true);
      expect(desk.problems()).toEqual([]);
      console.log(
        `browser: page ready in ${loadMs} ms, claim to updated card in ${claimMs} ms; ` +
          `blocked hosts: ${[...blocked].join(', ') || 'none'}`,
      );
    },
    PAGE_TIMEOUT_MS + 60_000,
  );
});

/** 「新規」 in the 1:1 chat, then the form submitted; resolves when the channel card is posted. */
async function recordConsultation(pg: Playground): Promise<string> {
  let since = pg.events().length;
  await pg.sendMessage(pg.personalConversationId, 'user-id-0', '新規');
  const form = await pg.waitFor(
    (e) => e.actionConversationId === pg.personalConversationId && !!e.message?.attachments?.length,
    15_000,
    since,
  );
  const content = form.message.attachments![0]!.content as {
    actions: { data: { formId: string } }[];
  };
  since = pg.events().length;
  const answer = await pg.invoke(
    pg.personalConversationId,
    'user-id-0',
    form.message.messageId,
    'intake.submit',
    {
      formId: content.actions[0]!.data.formId,
      channel: 'phone',
      'consulter.organisation': '株式会社サンプル製作所',
      categoryId: 'ransomware',
      urgency: 'high',
      subject: 'ファイルが開けない',
      details: '共有フォルダのファイルが暗号化され、脅迫文が表示されていた。',
    },
  );
  const number = /\d{4}-\d{6}/.exec(JSON.stringify(answer.value))?.[0];
  if (!number) throw new Error(`no consultation number in ${JSON.stringify(answer)}`);
  await pg.waitFor(
    (e) =>
      e.action === 'createMessage' &&
      e.actionConversationId === 'team-id' &&
      JSON.stringify(e.message?.attachments ?? []).includes(number),
    15_000,
    since,
  );
  return number;
}

async function expectText(
  scope: ReturnType<Page['locator']>,
  texts: readonly string[],
): Promise<void> {
  for (const text of texts) await scope.getByText(text).first().waitFor();
}

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });
}
