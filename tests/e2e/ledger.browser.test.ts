/**
 * The ledger tab (相談台帳) in headless Chromium against the real server on SQLite:
 * records created through ConsultationService with known content and known times,
 * local sign-in as a supervisor, then the list, its filters and Japanese search, a
 * record and its timeline, the statistics, the CSV download and the 事例集; a first-line
 * user sees no export and the API refuses them. Screenshots go to tests/output/.
 *
 * Needs Debian's Chromium at /usr/bin/chromium (see tests/support/chromium.ts); skipped with
 * the reason printed without it, except under CI=true.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Actor } from '../../src/consultation/types';
import { callApi, localTokenFor } from '../support/auth';
import { browserSuite, launchChromium, requireChromium, SCREENSHOTS } from '../support/chromium';
import { shootAccessible } from '../support/axe';
import { playgroundOid } from '../support/desk-app';
import { intake } from '../support/fixtures';
import { playgroundActor, startLedgerApp, type LedgerApp } from '../support/ledger-app';

const { describe: describeBrowser } = browserSuite(__filename);

const ALEX = playgroundActor(0); // first line and supervisor
const MEGAN = playgroundActor(1); // first line only
const ADELE = playgroundActor(2); // specialist
const PATTI = playgroundActor(4); // supervisor

/** Details with a comma, quotes and a line break: they must survive the CSV. */
const TRICKY_DETAILS = 'サーバーが停止し、"至急"の対応が必要。\n二行目: 経理, 総務の共有フォルダ';

/** A clock the test moves: every history entry's time is known. */
function movableClock(start: string) {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    set: (iso: string) => (t = Date.parse(iso)),
  };
}

const minutes = (iso: string, n: number) => new Date(Date.parse(iso) + n * 60_000).toISOString();

describeBrowser('the ledger tab in a browser (headless Chromium, real server)', () => {
  let app: LedgerApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const clock = movableClock('2026-10-06T00:00:00.000Z');
  const ids: Record<'a' | 'b' | 'c' | 'd', number> = { a: 0, b: 0, c: 0, d: 0 };
  const numbers: Record<'a' | 'b' | 'c' | 'd', string> = { a: '', b: '', c: '', d: '' };

  async function record(
    key: 'a' | 'b' | 'c' | 'd',
    at: string,
    by: Actor,
    over: Record<string, unknown>,
  ) {
    clock.set(at);
    const { consultation } = await app.consultations.create(by, intake(over));
    ids[key] = consultation.id;
    numbers[key] = consultation.number;
  }

  beforeAll(async () => {
    requireChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    app = await startLedgerApp({ clock: clock.now });
    const svc = app.consultations;

    // October: A (phone, ransomware, critical) claimed after 30 min, dispatched after 60,
    // answered by the specialist after 120, closed. B (email, phishing) claimed after 10,
    // answered at first line after 50, closed.
    const a0 = '2026-10-06T00:00:00.000Z';
    await record('a', a0, ALEX, {
      channel: 'phone',
      categoryId: 'ransomware',
      urgency: 'critical',
      subject: 'ランサムウェアでファイルが暗号化された',
      details: TRICKY_DETAILS,
    });
    clock.set(minutes(a0, 30));
    await svc.claim(ALEX, ids.a);
    clock.set(minutes(a0, 45));
    await svc.addNote(ALEX, ids.a, { body: '社長に折り返し電話する（15時）' });
    clock.set(minutes(a0, 50));
    // The call-back: the consulter's industry was misheard, and the damage has stopped.
    await svc.edit(ALEX, ids.a, {
      consulter: { industry: '金属加工業' },
      situation: { ongoing: 'no' },
    });
    clock.set(minutes(a0, 60));
    await svc.dispatch(ALEX, ids.a, {
      specialistId: ADELE.id,
      specialistName: ADELE.name,
      coordinationNeeded: true,
      reason: '暗号化の範囲の確認が必要',
    });
    clock.set(minutes(a0, 120));
    await svc.answer(ADELE, ids.a, {
      body: 'ネットワークから切り離したまま、警視庁に相談してください。',
      delivery: 'phone',
    });
    clock.set(minutes(a0, 180));
    await svc.close(ALEX, ids.a, {});
    await svc.linkCard(
      ids.a,
      { conversationId: '19:intake@thread.tacv2', activityId: '1760000000000' },
      { id: ALEX.id, name: ALEX.name },
    );

    const b0 = '2026-10-20T03:00:00.000Z';
    await record('b', b0, MEGAN, {
      channel: 'email',
      categoryId: 'phishing',
      urgency: 'normal',
      subject: '不審なメールのリンクを開いてしまった',
      details: '銀行を名乗るメールのリンクを開き、IDとパスワードを入力した。',
      consulter: {
        organisation: '有限会社テスト商事',
        person: '佐藤 花子',
        email: 'sato@test-shoji.example.jp',
        phone: '03-9876-5432',
        industry: '卸売業',
        employees: '8',
        municipality: '八王子市',
      },
    });
    clock.set(minutes(b0, 10));
    await svc.claim(MEGAN, ids.b);
    clock.set(minutes(b0, 50));
    await svc.answer(MEGAN, ids.b, {
      body: '佐藤様、パスワードを直ちに変更し、銀行に連絡してください。',
      delivery: 'phone',
    });
    clock.set(minutes(b0, 55));
    await svc.close(MEGAN, ids.b, {});

    // November: C (web, ransomware, high) claimed after 20 min; D (counter) only received.
    const c0 = '2026-11-10T01:00:00.000Z';
    await record('c', c0, ALEX, {
      channel: 'web',
      categoryId: 'ransomware',
      urgency: 'high',
      subject: 'ランサム被害の相談（バックアップなし）',
    });
    clock.set(minutes(c0, 20));
    await svc.claim(ALEX, ids.c);
    await record('d', '2026-11-12T05:00:00.000Z', MEGAN, {
      channel: 'counter',
      categoryId: 'measures',
      urgency: 'low',
      subject: '従業員向けのセキュリティ研修について',
      details: '従業員向けの標的型メール訓練と研修を検討している。',
      situation: {},
      consulter: { organisation: '株式会社みほん' },
    });

    browser = await launchChromium();
    // A browser far from Tokyo: the page still shows Tokyo times.
    context = await browser.newContext({
      acceptDownloads: true,
      locale: 'ja-JP',
      timezoneId: 'America/Los_Angeles',
      viewport: { width: 1280, height: 900 },
    });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.close();
  });

  /** Every page the suite looks at is also checked against WCAG 2.1 A/AA. */
  const shoot = (p: Page, name: string) => shootAccessible(p, resolve(SCREENSHOTS, name));
  const rows = (p: Page) => p.locator('table.ledger-table tbody tr');

  async function signInAs(p: Page, name: string) {
    await p.goto(`${app.url}/ledger/`);
    await p.getByRole('heading', { name: 'サインイン' }).waitFor();
    if (p === page) await shoot(p, 'ledger-0-sign-in.png');
    await p.getByRole('button', { name: new RegExp(name) }).click();
    await p.getByRole('heading', { name: '相談の一覧' }).waitFor();
  }

  it('signs in as a supervisor and lists every record, newest first, in Tokyo time', async () => {
    await signInAs(page, 'Patti Fernandez');
    await page.getByTestId('total').filter({ hasText: '4件' }).waitFor();
    expect(await rows(page).locator('.number').allTextContents()).toEqual([
      numbers.d,
      numbers.c,
      numbers.b,
      numbers.a,
    ]);
    // D was received at 05:00 UTC: 14:00 in Tokyo.
    await expect(rows(page).first().locator('time').textContent()).resolves.toBe(
      '2026/11/12 14:00',
    );
    // Urgency is visible at a glance, in words.
    await expect(rows(page).last().locator('.urgency').textContent()).resolves.toBe('緊急');
    expect(await page.getByRole('link', { name: '出力' }).isVisible()).toBe(true);
    await shoot(page, 'ledger-1-list.png');
  });

  it('filters by state and searches in Japanese', async () => {
    await page.getByRole('checkbox', { name: '受付' }).check();
    await page.getByTestId('total').filter({ hasText: '1件' }).waitFor();
    expect(await rows(page).locator('.number').allTextContents()).toEqual([numbers.d]);
    expect(page.url()).toContain('#/list?state=received');
    // A filter applies at once and leaves the keyboard focus on it.
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe(
      'received',
    );

    await page.getByRole('checkbox', { name: '受付' }).uncheck();
    await page.getByTestId('total').filter({ hasText: '4件' }).waitFor();

    await page.getByLabel('キーワード').fill('ランサム');
    await page.getByRole('button', { name: '検索', exact: true }).click();
    await page.getByTestId('total').filter({ hasText: '2件' }).waitFor();
    expect(await rows(page).locator('.number').allTextContents()).toEqual([numbers.c, numbers.a]);
    await shoot(page, 'ledger-2-search.png');

    // The back button returns to the unfiltered list.
    await page.goBack();
    await page.getByTestId('total').filter({ hasText: '4件' }).waitFor();
    await page.goForward();
    await page.getByTestId('total').filter({ hasText: '2件' }).waitFor();
    await expect(page.getByLabel('キーワード').inputValue()).resolves.toBe('ランサム');
  });

  it('opens a record with its fields, checklist, timeline and Teams card link', async () => {
    await page.getByRole('link', { name: 'ランサムウェアでファイルが暗号化された' }).click();
    await page.getByRole('heading', { level: 1 }).filter({ hasText: numbers.a }).waitFor();
    const main = page.locator('main');
    for (const text of [
      '株式会社サンプル製作所',
      '山田 太郎',
      'yamada@sample.example.jp',
      '拡張子が .lockbit に変わった',
      'LANケーブルを抜いた',
      'Adele Vance',
    ]) {
      await expect(main.getByText(text).first().isVisible()).resolves.toBe(true);
    }
    const entries = page.locator('ol.timeline > li');
    const summaries = await entries.locator('.entry-summary').allTextContents();
    const bodies = await entries.locator('.entry-body').allTextContents();
    expect(summaries.length).toBeGreaterThanOrEqual(6);
    expect(bodies).toEqual(
      expect.arrayContaining([
        '社長に折り返し電話する（15時）',
        'ネットワークから切り離したまま、警視庁に相談してください。',
      ]),
    );
    // Oldest first: the note (00:45 UTC = 09:45 Tokyo) before the answer (11:00 Tokyo).
    const times = await entries.locator('.entry-head time').allTextContents();
    expect(times[0]).toBe('2026/10/06 09:00');
    expect([...times].sort()).toEqual(times);
    const kinds = await entries.evaluateAll((els) =>
      els.map((e) => Array.from(e.classList).find((c) => c.startsWith('entry-'))),
    );
    expect(kinds.indexOf('entry-note')).toBeLessThan(kinds.indexOf('entry-answer'));
    // A correction says what each field was and is.
    const changes = page.locator('.entry-changes');
    expect(await changes.locator('dt').allTextContents()).toEqual(['業種', '被害は継続中か']);
    expect(await changes.locator('dd').allTextContents()).toEqual([
      '製造業 → 金属加工業',
      'はい → いいえ',
    ]);
    const teams = page.getByRole('link', { name: 'Teams のカードを開く' });
    expect(await teams.getAttribute('href')).toBe(
      `https://teams.microsoft.com/l/message/${encodeURIComponent('19:intake@thread.tacv2')}/1760000000000`,
    );
    await shoot(page, 'ledger-3-record.png');

    await page.getByRole('link', { name: '一覧に戻る' }).click();
    await page.getByTestId('total').filter({ hasText: '2件' }).waitFor();
  });

  it('shows the consulter’s other consultations early on a record, and follows one', async () => {
    // C is from the same consulter as A (the same organisation, email address and phone).
    await page.goto(`${app.url}/ledger/#/consultations/${ids.c}`);
    await page.getByRole('heading', { level: 1 }).filter({ hasText: numbers.c }).waitFor();
    const related = page.getByRole('region', { name: '同じ相談者の他の相談' });
    await related.waitFor();
    const items = related.getByRole('listitem');
    expect(await items.count()).toBe(1);
    const item = (await items.first().innerText()).replace(/\s+/g, ' ');
    for (const text of [
      numbers.a,
      'ランサムウェアでファイルが暗号化された',
      '受付日 2026/10/06',
      '完了',
      'ランサムウェア',
      '事業者名が一致',
      'メールアドレスが一致',
      '電話番号が一致',
    ]) {
      expect(item).toContain(text);
    }
    expect(await related.getByText(/^ほか/).count()).toBe(0);
    // Right after the consulter, above what they said and the timeline.
    const top = async (name: string) =>
      (await page.getByRole('heading', { name, exact: true }).boundingBox())!.y;
    expect(await top('同じ相談者の他の相談')).toBeLessThan(await top('相談内容'));
    expect(await top('同じ相談者の他の相談')).toBeLessThan(await top('経過'));
    await related.scrollIntoViewIfNeeded();
    await shoot(page, 'ledger-3a-related.png');

    // How the desk answered a case like it before: A, ransomware too, answered and closed.
    const similar = page.getByRole('region', { name: '似た過去の相談' });
    const past = (await similar.getByRole('listitem').first().innerText()).replace(/\s+/g, ' ');
    for (const text of [
      numbers.a,
      '完了 2026/10/06',
      'ネットワークから切り離したまま、警視庁に相談してください。',
      'Adele Vanceの回答（二次対応・2026/10/06）',
    ]) {
      expect(past).toContain(text);
    }
    expect(await top('似た過去の相談')).toBeGreaterThan(await top('経過'));
    await similar.scrollIntoViewIfNeeded();
    await shoot(page, 'ledger-3d-similar.png');

    await related.getByRole('link', { name: new RegExp(numbers.a) }).click();
    await page.getByRole('heading', { level: 1 }).filter({ hasText: numbers.a }).waitFor();
    expect(page.url()).toContain(`#/consultations/${ids.a}`);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('view-heading');
    // A's lists C, which is still with first-line staff.
    const back = (await related.getByRole('listitem').first().innerText()).replace(/\s+/g, ' ');
    expect(back).toContain(numbers.c);
    expect(back).toContain('一次対応中');
    expect(back).toContain('ランサム被害の相談（バックアップなし）');

    // All of the consulter's records, as a list that the other filters narrow further.
    await related.getByRole('link', { name: '一覧で見る' }).click();
    const banner = page.getByTestId('same-consulter');
    await banner.waitFor();
    expect(page.url()).toContain(`#/list?sameAs=${ids.a}`);
    expect((await banner.innerText()).replace(/\s+/g, ' ')).toContain(
      `同じ相談者の相談のみ: ${numbers.a}`,
    );
    await page.getByTestId('total').filter({ hasText: '2件' }).waitFor();
    const listed = await page.locator('tbody tr td.number').allInnerTexts();
    expect(listed).toEqual([numbers.c, numbers.a]);
    await page.getByRole('checkbox', { name: '完了' }).check();
    await page.getByTestId('total').filter({ hasText: '1件' }).waitFor();
    expect(page.url()).toContain(`sameAs=${ids.a}`);
    expect(await page.locator('tbody tr td.number').allInnerTexts()).toEqual([numbers.a]);
    await shoot(page, 'ledger-3c-same-consulter.png');
    await banner.getByRole('link', { name: 'この条件を外す' }).click();
    await page.getByTestId('total').filter({ hasText: '2件' }).waitFor();
    expect(page.url()).not.toContain('sameAs');
    expect(page.url()).toContain('state=closed');
    await expect(banner.count()).resolves.toBe(0);

    // A record of a consulter seen only once says so.
    await page.goto(`${app.url}/ledger/#/consultations/${ids.d}`);
    await page.getByRole('heading', { level: 1 }).filter({ hasText: numbers.d }).waitFor();
    await expect(related.textContent()).resolves.toContain('この相談者の他の相談はありません。');

    // In Teams' high-contrast theme, the chips keep a visible border.
    await page.goto(`${app.url}/ledger/#/consultations/${ids.c}`);
    await related.getByRole('listitem').first().waitFor();
    await page.evaluate(() => document.documentElement.classList.add('theme-contrast'));
    const chip = await related
      .locator('.chip')
      .first()
      .evaluate((el) => {
        const s = getComputedStyle(el);
        return { border: s.borderTopColor, text: s.color };
      });
    expect(chip).toEqual({ border: 'rgb(127, 159, 209)', text: 'rgb(255, 255, 255)' });
    await related.scrollIntoViewIfNeeded();
    await shoot(page, 'ledger-3b-related-contrast.png');
    await page.evaluate(() => document.documentElement.classList.remove('theme-contrast'));
  });

  it('shows statistics whose table matches the records created', async () => {
    await page.goto(`${app.url}/ledger/#/stats?from=2026-10&to=2026-11`);
    await page.getByRole('heading', { name: '月別の統計' }).waitFor();
    const table = (name: string) => page.locator(`table[data-table="${name}"]`);
    await table('medians').waitFor();
    const cells = async (name: string) =>
      (await table(name).locator('tbody tr').all()).length
        ? await table(name)
            .locator('tbody tr')
            .evaluateAll((trs) =>
              trs.map((tr) => Array.from(tr.children).map((c) => (c.textContent ?? '').trim())),
            )
        : [];
    const head = await table('byChannel').locator('thead th').allTextContents();
    expect(head).toEqual(['月', '電話', 'Webフォーム', 'メール', '窓口', '合計']);
    expect(await cells('byChannel')).toEqual([
      ['2026年10月', '1', '0', '1', '0', '2'],
      ['2026年11月', '0', '1', '0', '1', '2'],
    ]);
    const states = await table('byState').locator('thead th').allTextContents();
    expect(states).toEqual(['月', '受付', '一次対応中', '二次対応中', '回答済', '完了', '合計']);
    expect(await cells('byState')).toEqual([
      ['2026年10月', '0', '0', '0', '0', '2', '2'],
      ['2026年11月', '1', '1', '0', '0', '0', '2'],
    ]);
    // October: one closed at first line, one dispatched first; November: both still open.
    const handled = await table('byHandling').locator('thead th').allTextContents();
    expect(handled).toEqual([
      '月',
      '一次対応で完結',
      '二次対応へ依頼',
      '対応中（依頼なし）',
      '合計',
    ]);
    expect(await cells('byHandling')).toEqual([
      ['2026年10月', '1', '1', '0', '2'],
      ['2026年11月', '0', '0', '2', '2'],
    ]);
    // Medians: October claim (30, 10) → 20, dispatch 60, answer (120, 50) → 85; November claim 20.
    expect(await cells('medians')).toEqual([
      ['2026年10月', '20分', '1時間', '1時間25分'],
      ['2026年11月', '20分', '—', '—'],
    ]);
    const categories = await table('byCategory').locator('thead th').allTextContents();
    expect(categories[0]).toBe('月');
    expect(categories.length).toBe(5); // ransomware, phishing, measures, total
    // The charts are drawn (chart.js on canvases).
    const drawn = await page
      .locator('canvas')
      .evaluateAll((cs) => cs.map((c) => (c as HTMLCanvasElement).width > 0));
    expect(drawn).toEqual([true, true, true, true, true]);
    await shoot(page, 'ledger-4-stats.png');
  });

  it('downloads the CSV through the page: BOM, Japanese, commas, quotes and newlines intact', async () => {
    await page.getByRole('link', { name: '出力' }).click();
    await page.getByRole('heading', { name: 'データの出力' }).waitFor();
    await page.getByText('まだ出力はありません。').waitFor();
    await page.getByLabel('受付日（から）').first().fill('2026-10-01');
    await page.getByLabel('受付日（まで）').first().fill('2026-11-30');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'CSV をダウンロード' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('madoguchi-2026-10-01-2026-11-30.csv');
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const table = parse(bytes.toString('utf8').slice(1), {
      relax_column_count: false,
    }) as string[][];
    const [header, ...body] = table;
    expect(header!.length).toBeGreaterThan(5);
    expect(body).toHaveLength(4);
    const flat = body.map((r) => r.join('\u0000'));
    const rowOf = (number: string) => body[flat.findIndex((r) => r.includes(number))]!;
    expect(rowOf(numbers.a)).toContain(TRICKY_DETAILS);
    expect(rowOf(numbers.a)).toContain('ランサムウェアでファイルが暗号化された');
    expect(rowOf(numbers.b)).toContain('有限会社テスト商事');
    await page.getByText('madoguchi-2026-10-01-2026-11-30.csv をダウンロードしました。').waitFor();

    // The export is on the record, with who made it.
    const history = page.locator('.history-table tbody tr');
    await history.first().waitFor();
    expect(await history.first().innerText()).toMatch(
      /CSV（受付日 2026-10-01〜2026-11-30）\s+4\s+完了/,
    );
    await shoot(page, 'ledger-4a-export-history.png');
  });

  it('makes a 事例集: preview, a refusal naming what identifies, then the export', async () => {
    await page.getByRole('button', { name: '探す' }).click();
    const choices = page.locator('.choices li');
    await choices.first().waitFor();
    expect(await choices.count()).toBe(2); // the two closed cases
    await page.getByRole('checkbox', { name: `${numbers.b} を選ぶ` }).check();
    await page.getByRole('button', { name: '選んだ相談をプレビュー' }).click();
    const situation = page.locator(`#case-${ids.b}-situation`);
    await situation.waitFor();
    const drafted = await situation.inputValue();
    expect(drafted).not.toContain('有限会社テスト商事');
    expect(await page.locator(`#case-${ids.b}-answer`).inputValue()).not.toContain('佐藤');
    await expect(page.locator('.case-facts').textContent()).resolves.toContain('多摩地域');

    // A name typed back in during review is refused, naming the field; nothing typed is lost.
    await situation.fill(`${drafted}\n有限会社テスト商事の経理担当者が対応した。`);
    await page.getByRole('button', { name: '事例集を出力（Markdown）' }).click();
    await page.locator('.case.refused').waitFor();
    await expect(
      page.locator('.case.refused .error-inline').first().textContent(),
    ).resolves.toMatch(/テスト商事/);
    await expect(situation.inputValue()).resolves.toContain('有限会社テスト商事の経理担当者');
    await shoot(page, 'ledger-5-casebook-refused.png');

    await situation.fill(`${drafted}\n経理担当者が対応した。`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '事例集を出力（Markdown）' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.md$/);
    const markdown = readFileSync((await download.path())!, 'utf8');
    expect(markdown).toContain('経理担当者が対応した。');
    for (const secret of ['テスト商事', '佐藤', 'sato@test-shoji', '9876-5432', '八王子']) {
      expect(markdown).not.toContain(secret);
    }
    // Listed above the CSV; the refused attempt is not.
    const history = page.locator('.history-table tbody tr');
    await history.nth(1).waitFor();
    expect(await history.count()).toBe(2);
    expect(await history.first().innerText()).toMatch(/事例集\s+1\s+完了/);
  });

  it('tells a network failure and recovers with 再試行', async () => {
    await page.route('**/api/ledger/consultations?*', (route) => route.abort());
    await page.goto(`${app.url}/ledger/#/list?state=closed`);
    await page.getByText('サーバーに接続できません').waitFor();
    await shoot(page, 'ledger-6-offline.png');
    await page.unroute('**/api/ledger/consultations?*');
    await page.getByRole('button', { name: '再試行' }).click();
    await page.getByTestId('total').filter({ hasText: '2件' }).waitFor();
  });

  it('switches to English and back', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Consultations' }).waitFor();
    await page.getByTestId('total').filter({ hasText: '2 consultations' }).waitFor();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await page.getByRole('button', { name: '日本語' }).click();
    await page.getByRole('heading', { name: '相談の一覧' }).waitFor();
  });

  it('follows a dark colour scheme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${app.url}/ledger/#/consultations/${ids.a}`);
    await page.getByRole('heading', { level: 1 }).filter({ hasText: numbers.a }).waitFor();
    const background = await page.evaluate(
      () => getComputedStyle(document.documentElement).backgroundColor,
    );
    expect(background).toBe('rgb(31, 31, 31)');
    await shoot(page, 'ledger-8-record-dark.png');
    // The scheme changes while the page is open: the page follows it.
    await page.emulateMedia({ colorScheme: 'light' });
    await page.waitForFunction(
      () => getComputedStyle(document.documentElement).backgroundColor !== 'rgb(31, 31, 31)',
    );
    expect(
      await page.evaluate(() => document.documentElement.classList.contains('theme-dark')),
    ).toBe(false);
  });

  it('fits a 320 px wide screen', async () => {
    const narrow = await context.newPage();
    await narrow.setViewportSize({ width: 320, height: 800 });
    await signInAs(narrow, 'Patti Fernandez');
    await narrow.getByTestId('total').filter({ hasText: '4件' }).waitFor();
    const overflow = await narrow.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await shoot(narrow, 'ledger-7-list-320.png');

    // A record with the consulter's other consultations fits too.
    await narrow.goto(`${app.url}/ledger/#/consultations/${ids.c}`);
    await narrow
      .getByRole('region', { name: '同じ相談者の他の相談' })
      .getByRole('link', { name: numbers.a })
      .waitFor();
    const recordOverflow = await narrow.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(recordOverflow).toBeLessThanOrEqual(0);
    await shoot(narrow, 'ledger-7a-record-320.png');
    // The correction form too.
    await narrow.getByRole('button', { name: '記録を修正' }).click();
    await narrow.locator('form[data-form="edit"]').waitFor();
    const formOverflow = await narrow.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(formOverflow).toBeLessThanOrEqual(0);
    await shoot(narrow, 'ledger-7c-edit-320.png');
    await narrow.getByRole('button', { name: 'やめる' }).click();
    // So does the list of the consulter's records.
    await narrow.goto(`${app.url}/ledger/#/list?sameAs=${ids.c}`);
    await narrow.getByTestId('same-consulter').waitFor();
    await narrow.getByTestId('total').filter({ hasText: '2件' }).waitFor();
    const listOverflow = await narrow.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(listOverflow).toBeLessThanOrEqual(0);
    await shoot(narrow, 'ledger-7b-same-consulter-320.png');
    await narrow.close();
  });

  it('shows a first-line user no export, and the API refuses them', async () => {
    const other = await browser.newContext({ locale: 'ja-JP' });
    const p = await other.newPage();
    p.setDefaultTimeout(15_000);
    await signInAs(p, 'Megan Bowen');
    await p.getByTestId('total').filter({ hasText: '4件' }).waitFor();
    expect(await p.getByRole('link', { name: '出力' }).count()).toBe(0);
    await p.goto(`${app.url}/ledger/#/export`);
    await p.getByText('この画面を表示する権限がありません').waitFor();
    expect(await p.getByRole('button', { name: 'CSV をダウンロード' }).count()).toBe(0);
    await other.close();

    const token = await localTokenFor(app.url, playgroundOid(1));
    const csv = await callApi(
      app.url,
      '/api/ledger/export.csv?from=2026-10-01&to=2026-11-30',
      token,
    );
    expect(csv.status).toBe(403);
    expect(csv.body.error.code).toBe('forbidden');
    const casebook = await callApi(app.url, '/api/ledger/casebook/preview', token, {
      body: { ids: [ids.b] },
    });
    expect(casebook.status).toBe(403);
    expect(PATTI.roles).toEqual(['supervisor']);
    expect(app.problems()).toEqual([]);
  });

  it('lets a supervisor erase a closed record’s personal data, after typing its number', async () => {
    // 2026-11-27 12:00 in Tokyo.
    clock.set('2026-11-27T03:00:00.000Z');
    await page.goto(`${app.url}/ledger/#/consultations/${ids.b}`);
    await page.getByRole('heading', { level: 1 }).filter({ hasText: numbers.b }).waitFor();
    await page.getByRole('button', { name: '個人情報を消去' }).click();
    const field = page.getByLabel(`確認のため、受付番号 ${numbers.b} を入力してください`);
    await field.waitFor();
    await expect(page.getByText('消去されるもの').isVisible()).resolves.toBe(true);
    await expect(page.getByText('残るもの').isVisible()).resolves.toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('erase-number');

    // Another record's number: refused next to the field, with what was typed kept.
    await field.fill(numbers.a);
    await page.getByRole('button', { name: '消去する' }).click();
    const error = page.locator('#erase-number-error');
    await error.waitFor();
    await expect(error.textContent()).resolves.toContain('一致しません');
    await expect(field.inputValue()).resolves.toBe(numbers.a);
    await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');
    await shoot(page, 'ledger-9a-erase-refused.png');

    await field.fill(numbers.b);
    await page.getByRole('button', { name: '消去する' }).click();
    const banner = page.getByTestId('erased');
    await banner.waitFor();
    await expect(banner.textContent()).resolves.toContain(
      'この記録の個人情報は 2026年11月27日 に消去されました（ご本人からの請求）。',
    );
    await page.getByText('個人情報を消去しました。').waitFor();
    const main = page.locator('main');
    await expect(main.locator('h1').textContent()).resolves.toContain('（消去済み）');
    for (const gone of ['佐藤', '有限会社テスト商事', 'sato@test-shoji', 'パスワードを直ちに']) {
      expect(await main.getByText(gone).count()).toBe(0);
    }
    expect(await page.getByRole('button', { name: '個人情報を消去' }).count()).toBe(0);
    // Who did what and when is still there, the answer without its text.
    const summaries = await page.locator('ol.timeline .entry-summary').allTextContents();
    expect(summaries.map((s) => s.trim())).toEqual([
      '受付登録（メール・フィッシング・不審メール・緊急度 通常）',
      '担当しました',
      '回答（一次対応・電話）',
      '完了にしました',
      '個人情報を消去しました（ご本人からの請求）',
    ]);
    await expect(page.locator('ol.timeline .entry-erased').count()).resolves.toBe(1);
    await shoot(page, 'ledger-9b-erased.png');

    // The same after a reload; in the list its subject is 「（消去済み）」.
    await page.reload();
    await page.getByTestId('erased').waitFor();
    await page.goto(`${app.url}/ledger/#/list`);
    await page.getByTestId('total').filter({ hasText: '4件' }).waitFor();
    const row = rows(page).filter({ hasText: numbers.b });
    await expect(row.locator('.subject').textContent()).resolves.toContain('（消去済み）');
    await shoot(page, 'ledger-9c-list-erased.png');

    // The 事例集 no longer offers it.
    await page.getByRole('link', { name: '出力' }).click();
    await page.getByRole('button', { name: '探す' }).click();
    const choices = page.locator('.choices li');
    await choices.first().waitFor();
    expect(await choices.allTextContents()).toEqual([expect.stringContaining(numbers.a)]);

    // First-line staff see no way to erase.
    const other = await browser.newContext({ locale: 'ja-JP' });
    const p = await other.newPage();
    p.setDefaultTimeout(15_000);
    await signInAs(p, 'Megan Bowen');
    await p.goto(`${app.url}/ledger/#/consultations/${ids.a}`);
    await p.getByRole('heading', { level: 1 }).filter({ hasText: numbers.a }).waitFor();
    await p.getByRole('heading', { name: '経過' }).waitFor();
    expect(await p.getByRole('button', { name: '個人情報を消去' }).count()).toBe(0);
    await other.close();
    expect(app.problems()).toEqual([]);
  });

  it('corrects a record in place: a refusal under its field, someone else’s correction merged, then saved', async () => {
    clock.set('2026-11-27T04:00:00.000Z');
    await page.goto(`${app.url}/ledger/#/consultations/${ids.c}`);
    await page.getByRole('heading', { level: 1 }).filter({ hasText: numbers.c }).waitFor();
    await page.getByRole('button', { name: '記録を修正' }).click();
    const form = page.locator('form[data-form="edit"]');
    await form.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(
      'edit-consulter-organisation',
    );
    const email = page.getByLabel('メールアドレス');
    const subject = page.getByLabel('件名', { exact: true });
    await expect(email.inputValue()).resolves.toBe('yamada@sample.example.jp');

    // A mistyped address: refused under the field; the rest of what was typed stays.
    await email.fill('yamada@@sample');
    await subject.fill('ランサム被害の相談（バックアップは週1回）');
    await page.getByLabel('被害は継続中か').selectOption('no');
    await page.getByRole('button', { name: '保存する' }).click();
    await page.locator('#edit-consulter-email-error').waitFor();
    await expect(email.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(subject.inputValue()).resolves.toBe('ランサム被害の相談（バックアップは週1回）');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('edit-consulter-email');
    await shoot(page, 'ledger-10a-edit-refused.png');

    // Meanwhile someone else corrects the subject and the phone number.
    await app.consultations.edit(MEGAN, ids.c, {
      subject: 'ランサム被害（NASも暗号化）',
      consulter: { phone: '03-5555-0101' },
    });
    await email.fill('it@sample.example.jp');
    await page.getByRole('button', { name: '保存する' }).click();
    const caution = page.locator('#edit-subject-caution');
    await caution.waitFor();
    await expect(caution.textContent()).resolves.toBe(
      'ほかの人もこの項目を修正しました（現在の内容: ランサム被害（NASも暗号化））。どちらにするか確かめてから保存してください。',
    );
    await page.getByText('他の人がこの記録を変更しました').waitFor();
    // What this person changed is kept; what they left takes the other correction.
    await expect(subject.inputValue()).resolves.toBe('ランサム被害の相談（バックアップは週1回）');
    await expect(email.inputValue()).resolves.toBe('it@sample.example.jp');
    await expect(page.getByLabel('電話番号').inputValue()).resolves.toBe('03-5555-0101');
    await expect(page.getByLabel('被害は継続中か').inputValue()).resolves.toBe('no');
    await shoot(page, 'ledger-10b-edit-merged.png');

    // Switching the language keeps what was typed.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Correct the record' }).waitFor();
    await expect(page.getByLabel('Subject', { exact: true }).inputValue()).resolves.toBe(
      'ランサム被害の相談（バックアップは週1回）',
    );
    await page.getByRole('button', { name: '日本語' }).click();
    await page.getByRole('heading', { name: '記録を修正' }).waitFor();
    await expect(subject.inputValue()).resolves.toBe('ランサム被害の相談（バックアップは週1回）');
    await expect(email.inputValue()).resolves.toBe('it@sample.example.jp');

    // Off to the list and another record, then back: the correction is there as typed.
    await page.getByRole('link', { name: '一覧に戻る' }).click();
    await page.getByRole('heading', { name: '相談の一覧' }).waitFor();
    await page.goto(`${app.url}/ledger/#/consultations/${ids.d}`);
    await page.getByRole('heading', { level: 1 }).filter({ hasText: numbers.d }).waitFor();
    expect(await page.locator('form[data-form="edit"]').count()).toBe(0);
    await page.goto(`${app.url}/ledger/#/consultations/${ids.c}`);
    await page.getByTestId('edit-restored').waitFor();
    await expect(subject.inputValue()).resolves.toBe('ランサム被害の相談（バックアップは週1回）');
    await expect(email.inputValue()).resolves.toBe('it@sample.example.jp');
    await expect(page.locator('#edit-subject-caution').count()).resolves.toBe(1);
    await shoot(page, 'ledger-10d-edit-restored.png');

    // The server cannot be reached: said so, nothing typed is lost, 再試行 saves it.
    await page.route('**/api/ledger/consultations/*/edit', (route) => route.abort());
    await page.getByRole('button', { name: '保存する' }).click();
    await page.getByText('サーバーに接続できません').waitFor();
    await expect(subject.inputValue()).resolves.toBe('ランサム被害の相談（バックアップは週1回）');
    await page.unroute('**/api/ledger/consultations/*/edit');
    await page.getByRole('button', { name: '再試行' }).click();
    await page.getByTestId('edit-done').waitFor();
    await expect(page.getByTestId('edit-done').textContent()).resolves.toContain(
      '記録を修正しました。',
    );
    expect(await form.count()).toBe(0);
    const main = page.locator('main');
    for (const text of ['it@sample.example.jp', '03-5555-0101']) {
      await expect(main.getByText(text).first().isVisible()).resolves.toBe(true);
    }
    await expect(main.locator('h1').textContent()).resolves.toContain('バックアップは週1回');
    const last = page.locator('ol.timeline > li').last();
    expect(await last.locator('.entry-changes dt').allTextContents()).toEqual(
      expect.arrayContaining(['件名', 'メールアドレス', '被害は継続中か']),
    );
    expect(await last.locator('.entry-changes dt').allTextContents()).not.toContain('電話番号');
    await shoot(page, 'ledger-10c-edited.png');

    const saved = await app.consultations.get(ALEX, ids.c);
    expect(saved).toMatchObject({
      subject: 'ランサム被害の相談（バックアップは週1回）',
      consulter: { email: 'it@sample.example.jp', phone: '03-5555-0101' },
      situation: { ongoing: 'no' },
    });
    expect(app.problems()).toEqual([]);
  });
});
