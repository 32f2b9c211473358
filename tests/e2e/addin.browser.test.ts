/**
 * The Outlook task pane in headless Chromium, against the real server on SQLite.
 *
 * The page is the built pane (dist of scripts/build-web.ts) with office.js from npm. The
 * test plays Outlook's part: outside Office, `Office.onReady()` resolves with no host and
 * no mailbox, so the pane first says no email is open; the test then gives
 * `Office.context.mailbox` an open email and presses もう一度試す. Sign-in is nested app
 * authentication through the real msal-browser: the test offers the host's bridge
 * (`window.nestedAppAuthBridge`) and answers its token requests with tokens the Entra
 * stand-in signs. The server verifies them, exchanges them on behalf of the person
 * (msal-node against the Entra stand-in), reads the message from the Graph stand-in, and
 * posts the card through the real Teams surface to a recording gateway, in the intake
 * channel set by an install activity.
 *
 * Screenshots (new form, registered, follow-up, an error, done) go to tests/output/.
 * Needs Debian's Chromium at /usr/bin/chromium; skipped with the reason printed without
 * it, except under CI=true.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { createTeamsSurface, type TeamsSurface } from '../../bot';
import { buildWeb, PAGES } from '../../scripts/build-web';
import { ConsultationService } from '../../src/consultation/consultation.service';
import { directoryFromRoles } from '../../src/consultation/directory';
import { createMailIntakeSurface } from '../../src/intake/mail-intake.routes';
import { CATEGORIES } from '../../src/knowledge/knowledge';
import { createLogger } from '../../src/logger';
import { createServer, type App } from '../../src/server/app';
import { createSignIn } from '../../src/server/auth';
import { servePages } from '../../src/server/static';
import { openStore, type Store } from '../../src/store/store';
import { startBotConnector, type StandInConnector } from '../support/bot-connector';
import { browserSuite, launchChromium, requireChromium, SCREENSHOTS } from '../support/chromium';
import { shootAccessible } from '../support/axe';
import { testConfig } from '../support/config';
import { CLIENT, DESK_MAILBOX, TENANT } from '../support/mail';
import {
  fileAttachment,
  intakeEmail,
  startIntakeStandIns,
  type IntakeStandIns,
} from '../support/mail-intake';
import { RecordingGateway } from '../support/recording-gateway';
import { installInTeam, PEOPLE, ROLES } from '../support/teams-activities';

const { describe: describeBrowser } = browserSuite(__filename);

/** First line: may register emails. */
const MEGAN = { oid: PEOPLE.firstLine.aadObjectId, name: 'Megan Bowen' };
/** A specialist: may look, not register. */
const ADELE = { oid: PEOPLE.specialist.aadObjectId, name: 'Adele Vance' };

/** What Outlook's convertToRestId does to an EWS id's characters. */
const restIdOf = (itemId: string) => itemId.replace(/\//g, '-').replace(/\+/g, '_');

/** The open email as the fake mailbox gives it to the pane (Office.js's shapes). */
interface OpenEmail {
  itemId: string;
  internetMessageId: string;
  conversationId: string;
  subject: string;
  from: { displayName: string; emailAddress: string };
  dateTimeCreated: string;
  bodyText: string;
}

const PHISHING_BODY = [
  '相談窓口 御中',
  '',
  '田中電機の田中です。',
  '本日、取引先を装ったメールのリンクを開き、IDとパスワードを入力してしまいました。',
  'どう対応すればよいでしょうか。',
  '',
  '--',
  '田中電機株式会社 総務部',
  '田中 健一',
  'TEL 03-0000-4321',
].join('\n');

const FIRST: OpenEmail = {
  itemId: 'AAMkADk0ZTU3/ITEM+0001=',
  internetMessageId: '<phish-0001@mail.tanaka-denki.example.co.jp>',
  conversationId: 'AAQkADk0ZTU3CONV0001=',
  subject: '不審なメールのリンクを開いてしまいました',
  from: { displayName: '田中 健一', emailAddress: 'k.tanaka@tanaka-denki.example.co.jp' },
  dateTimeCreated: '2026-11-25T00:10:00Z',
  bodyText: PHISHING_BODY,
};

const REPLY: OpenEmail = {
  itemId: 'AAMkADk0ZTU3/ITEM+0002=',
  internetMessageId: '<phish-0002@mail.tanaka-denki.example.co.jp>',
  conversationId: FIRST.conversationId,
  subject: 'RE: 不審なメールのリンクを開いてしまいました',
  from: FIRST.from,
  dateTimeCreated: '2026-11-25T02:30:00Z',
  bodyText: 'パスワードは変更しました。ほかに必要なことはありますか。\n\n田中',
};

const OTHER: OpenEmail = {
  itemId: 'AAMkADk0ZTU3/ITEM+0003=',
  internetMessageId: '<leak-0003@mail.sato.example.jp>',
  conversationId: 'AAQkADk0ZTU3CONV0003=',
  subject: '顧客名簿を誤送信してしまいました',
  from: { displayName: '佐藤 花子', emailAddress: 'hanako@sato.example.jp' },
  dateTimeCreated: '2026-11-25T03:00:00Z',
  bodyText:
    '顧客名簿を取引先以外に誤送信しました。至急ご相談させてください。\n\n有限会社佐藤商事\n佐藤 花子\nTEL 03-0000-5678',
};

/** A consultation email in the desk's shared mailbox, opened there by first line. */
const SHARED: OpenEmail = {
  itemId: 'AAMkADeskShared/ITEM+0006=',
  internetMessageId: '<ransom-0006@mail.tanaka-denki.example.co.jp>',
  conversationId: 'AAQkADeskSharedCONV0006=',
  subject: '社内PCの画面に身代金を要求するメッセージが出ています',
  from: FIRST.from,
  dateTimeCreated: '2026-11-26T01:05:00Z',
  bodyText: [
    '相談窓口 御中',
    '',
    '今朝から社内PCの画面に身代金を要求するメッセージが表示され、共有フォルダのファイルが開けません。',
    '',
    '--',
    '田中電機株式会社 総務部',
    '田中 健一',
    'TEL 03-0000-4321',
  ].join('\n'),
};

/** The same email as Graph holds it in the person's mailbox (under its REST id). */
function graphMessage(email: OpenEmail, over: Record<string, unknown> = {}) {
  const html = `<html><body>${email.bodyText
    .split('\n')
    .map((l) => `<p>${l}</p>`)
    .join('')}</body></html>`;
  return intakeEmail({
    id: restIdOf(email.itemId),
    internetMessageId: email.internetMessageId,
    conversationId: email.conversationId,
    subject: email.subject,
    receivedDateTime: email.dateTimeCreated,
    body: { contentType: 'html', content: html },
    from: { emailAddress: { name: email.from.displayName, address: email.from.emailAddress } },
    sender: { emailAddress: { name: email.from.displayName, address: email.from.emailAddress } },
    ...over,
  });
}

/**
 * Assertions on what the page shows, waiting (up to 15 s) for it to come true as the
 * page updates, then asserting with jest so a failure shows what was there instead.
 */
function see(locator: Locator) {
  async function poll<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
    const until = Date.now() + 15_000;
    let value = await read();
    while (!ok(value) && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      value = await read();
    }
    return value;
  }
  const text = () => locator.innerText({ timeout: 1_000 }).catch(() => '');
  const matches = (value: string | null, want: string | RegExp) =>
    value !== null && (typeof want === 'string' ? value === want : want.test(value));
  return {
    async toBeVisible() {
      await locator.waitFor({ state: 'visible', timeout: 15_000 });
    },
    async toContainText(want: string) {
      expect(await poll(text, (v) => v.includes(want))).toContain(want);
    },
    async toHaveText(want: string) {
      expect(
        await poll(
          async () => (await text()).trim(),
          (v) => v === want,
        ),
      ).toBe(want);
    },
    async toHaveValue(want: string) {
      const value = () => locator.inputValue({ timeout: 1_000 }).catch(() => null);
      expect(await poll(value, (v) => v === want)).toBe(want);
    },
    async toBeFocused() {
      const focused = () =>
        locator.evaluate((el) => el === document.activeElement, null, { timeout: 1_000 });
      expect(
        await poll(
          () => focused().catch(() => false),
          (v) => v,
        ),
      ).toBe(true);
    },
    async toHaveAttribute(name: string, want: string | RegExp) {
      const value = () => locator.getAttribute(name, { timeout: 1_000 }).catch(() => null);
      const got = await poll(value, (v) => matches(v, want));
      if (typeof want === 'string') expect(got).toBe(want);
      else expect(got).toMatch(want);
    },
    async toHaveCount(want: number) {
      expect(
        await poll(
          () => locator.count(),
          (v) => v === want,
        ),
      ).toBe(want);
    },
  };
}

describeBrowser('the Outlook task pane in a browser (headless Chromium, real server)', () => {
  let dir: string;
  let intake: IntakeStandIns;
  let connector: StandInConnector;
  let store: Store;
  let teams: TeamsSurface;
  let app: App;
  let url: string;
  let browser: Browser;
  let context: BrowserContext;
  const gateway = new RecordingGateway();
  const logLines: string[] = [];
  /** Who Outlook has signed in (the bridge's tokens are theirs). */
  let person = MEGAN;
  /** What msal-browser asked the host for. */
  const bridgeRequests: { method: string; scope?: string }[] = [];

  beforeAll(async () => {
    requireChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'madoguchi-addin-'));
    intake = await startIntakeStandIns();
    connector = await startBotConnector({ members: Object.values(PEOPLE) });

    const config = testConfig({
      port: 0,
      logLevel: 'info',
      roles: ROLES,
      database: { sqlitePath: join(dir, 'madoguchi.db') },
      mail: {
        graphBaseUrl: intake.graph.url,
        authorityHost: intake.entra.url,
        tenantId: TENANT,
        clientId: CLIENT,
        credential: { kind: 'secret', secret: 'stand-in-secret' },
      },
    });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const logger = createLogger(config, sink);

    // Its own build of the pane: another run's set-up may be rebuilding dist/web meanwhile.
    const webRoot = join(dir, 'web');
    await buildWeb(
      webRoot,
      PAGES.filter((p) => p.name === 'addin'),
    );

    store = await openStore({ sqlitePath: config.database.sqlitePath });
    const directory = directoryFromRoles(config.roles);
    const categoryIds = new Set(CATEGORIES.map((c) => c.id));
    const service = new ConsultationService({ store, directory, categoryIds });
    teams = createTeamsSurface({ config, store, service, directory, logger, gateway });
    // The names Teams gives the Playground's people, as main.ts learns them from the bot.
    const playgroundNames = new Map<string, string>([
      [PEOPLE.lead.aadObjectId, 'Alex Wilber'],
      [PEOPLE.firstLine.aadObjectId, MEGAN.name],
      [PEOPLE.specialist.aadObjectId, ADELE.name],
      [PEOPLE.specialist2.aadObjectId, 'Isaiah Langer'],
      [PEOPLE.supervisor.aadObjectId, 'Patti Fernandez'],
    ]);
    const signIn = await createSignIn({
      config,
      directory,
      names: async (ids) =>
        new Map(
          ids.flatMap((id) => (playgroundNames.has(id) ? [[id, playgroundNames.get(id)!]] : [])),
        ),
    });
    app = createServer({
      config,
      logger,
      store,
      surfaces: [
        signIn.register,
        (server) => servePages(server, { root: webRoot, pages: ['addin'], mode: config.mode }),
        teams.register,
        createMailIntakeSurface({
          config,
          store,
          consultations: service,
          cards: teams.cards,
          categoryIds,
          authenticate: signIn.authenticate,
          logger,
          graph: { retry: { delaySeconds: 0 } },
        }),
      ],
    });
    url = (await app.listen()).url;

    // The app is added to the desk's team: the intake channel is known.
    const installed = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(installInTeam(connector.url, PEOPLE.lead)),
    });
    expect(installed.status).toBeLessThan(300);
    await teams.background.idle();

    browser = await launchChromium();
    // The width of Outlook's task pane.
    context = await browser.newContext({
      locale: 'ja-JP',
      timezoneId: 'Asia/Tokyo',
      viewport: { width: 320, height: 760 },
    });
    // Outlook's side of nested app authentication: msal-browser posts its requests to the
    // host's bridge; here the host signs the person in with the Entra stand-in.
    await context.exposeFunction('outlookHostBroker', async (text: string) => {
      const request = JSON.parse(text) as {
        method: string;
        requestId: string;
        tokenParams?: { scope?: string; clientId?: string };
      };
      bridgeRequests.push({ method: request.method, scope: request.tokenParams?.scope });
      const envelope = { messageType: 'NestedAppAuthResponse', requestId: request.requestId };
      if (request.method === 'GetInitContext') {
        return JSON.stringify({
          ...envelope,
          success: true,
          initContext: { sdkName: 'Outlook (test host)', sdkVersion: '1.0.0', capabilities: {} },
        });
      }
      if (request.method === 'GetToken' || request.method === 'GetTokenPopup') {
        const accessToken = await intake.tokenFor(person.oid, person.name);
        const idToken = await intake.entra.accessToken({
          oid: person.oid,
          name: person.name,
          tid: TENANT,
          aud: CLIENT,
        });
        return JSON.stringify({
          ...envelope,
          success: true,
          token: {
            access_token: accessToken,
            id_token: idToken,
            expires_in: 3600,
            scope: request.tokenParams?.scope ?? '',
            properties: null,
          },
          account: {
            homeAccountId: `${person.oid}.${TENANT}`,
            environment: 'login.microsoftonline.com',
            tenantId: TENANT,
            username: `${person.name.split(' ')[0]!.toLowerCase()}@desk.example.lg.jp`,
            localAccountId: person.oid,
            name: person.name,
          },
        });
      }
      return JSON.stringify({ ...envelope, success: false, error: { status: 'NotSupported' } });
    });
    await context.addInitScript(() => {
      const listeners: ((message: string) => void)[] = [];
      const host = window as unknown as {
        outlookHostBroker(text: string): Promise<string>;
        nestedAppAuthBridge: unknown;
      };
      host.nestedAppAuthBridge = {
        addEventListener: (type: string, listener: (message: string) => void) => {
          if (type === 'message') listeners.push(listener);
        },
        removeEventListener: (_type: string, listener: (message: string) => void) => {
          const i = listeners.indexOf(listener);
          if (i >= 0) listeners.splice(i, 1);
        },
        postMessage: (text: string) => {
          void host.outlookHostBroker(text).then((answer) => {
            for (const listener of [...listeners]) listener(answer);
          });
        },
      };
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await teams?.background.idle();
    await app?.close();
    await store?.close();
    await connector?.close();
    await intake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Every pane the suite looks at is also checked against WCAG 2.1 A/AA. */
  const shoot = (page: Page, name: string) => shootAccessible(page, resolve(SCREENSHOTS, name));

  /**
   * Opens the pane as Outlook would for `email`: the page loads office.js, finds no
   * mailbox outside Office and says so; Outlook's mailbox is then given and the pane
   * asked again. With `sharedMailbox`, the email is in that shared mailbox: Outlook then
   * offers `item.getSharedPropertiesAsync` (Mailbox 1.8/1.13) with it as `targetMailbox`.
   */
  async function openPane(email: OpenEmail, sharedMailbox: string | null = null): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${url}/addin/taskpane.html`);
    await see(page.locator('#alert')).toContainText('メールが選択されていません');
    await page.evaluate(
      ([open, shared]) => {
        const office = (
          window as unknown as {
            Office: { context: Record<string, unknown>; AsyncResultStatus: { Succeeded: string } };
          }
        ).Office;
        const sharedProperties = shared
          ? {
              getSharedPropertiesAsync(callback: (r: unknown) => void) {
                callback({
                  status: office.AsyncResultStatus.Succeeded,
                  value: {
                    targetMailbox: shared,
                    owner: shared,
                    targetRestUrl: 'https://outlook.office.com/api',
                    delegatePermissions: 3,
                  },
                });
              },
            }
          : {};
        office.context.mailbox = {
          item: {
            ...sharedProperties,
            itemId: open.itemId,
            internetMessageId: open.internetMessageId,
            conversationId: open.conversationId,
            subject: open.subject,
            from: open.from,
            dateTimeCreated: new Date(open.dateTimeCreated),
            body: {
              getAsync(coercionType: string, callback: (r: unknown) => void) {
                callback({
                  status: 'succeeded',
                  value: coercionType === 'text' ? open.bodyText : `<p>${open.bodyText}</p>`,
                });
              },
            },
          },
          convertToRestId: (itemId: string) => itemId.replace(/\//g, '-').replace(/\+/g, '_'),
        };
      },
      [email, sharedMailbox] as const,
    );
    await page.getByRole('button', { name: 'もう一度試す' }).click();
    expect(errors).toEqual([]);
    return page;
  }

  const rows = (table: 'consultation' | 'consultation_email') =>
    store.db.selectFrom(table).selectAll().orderBy('id').execute();

  test('a new email: the form pre-filled from it; 相談として登録 makes one record and one card', async () => {
    intake.graph.addMessage(
      MEGAN.oid,
      graphMessage(FIRST, {
        hasAttachments: true,
        attachments: [fileAttachment('screen.png', Buffer.from('png-bytes'))],
      }),
    );
    const page = await openPane(FIRST);

    const form = page.locator('form');
    await see(form.getByRole('heading', { name: '相談として登録' })).toBeVisible();
    await see(page.locator('#email .sender')).toHaveText(
      '田中 健一 <k.tanaka@tanaka-denki.example.co.jp>',
    );
    await see(page.locator('#email')).toContainText('2026/11/25 09:10');
    await see(page.getByLabel('事業者名')).toHaveValue('田中電機株式会社');
    await see(page.getByLabel('相談者名')).toHaveValue('田中 健一');
    await see(page.getByLabel('電話番号')).toHaveValue('03-0000-4321');
    await see(page.getByLabel('相談分類')).toHaveValue('phishing');
    await see(page.getByLabel('件名')).toHaveValue(FIRST.subject);
    // msal-browser asked the host for a token for Madoguchi's API.
    expect(bridgeRequests.map((r) => r.method)).toContain('GetInitContext');
    expect(bridgeRequests.find((r) => r.method === 'GetToken')?.scope).toContain(
      `api://${CLIENT}/access_as_user`,
    );
    await shoot(page, 'addin-new-form.png');

    await page.getByLabel('緊急度').selectOption('high');
    await page.getByLabel('最初のメモ（任意）').fill('15時以降に電話で折り返し希望');
    await page.getByRole('button', { name: '相談として登録' }).click();

    const done = page.getByRole('heading', { name: /として登録しました/ });
    await see(done).toBeVisible();
    const number = (await page.locator('dl.consultation .number').textContent())!;
    expect(number).toMatch(/^\d{4}-\d{6}$/);
    await see(done).toHaveText(`相談 ${number} として登録しました。`);
    await see(page.locator('ul.attachments')).toContainText('screen.png');
    await see(page.getByRole('link', { name: 'Teams でカードを開く' })).toHaveAttribute(
      'href',
      /^https:\/\/teams\.microsoft\.com\/l\/message\//,
    );
    await shoot(page, 'addin-done.png');

    // The record and the email's link, as read from Graph on Megan's behalf.
    const [record] = await rows('consultation');
    expect(record).toMatchObject({
      number,
      channel: 'email',
      category_id: 'phishing',
      urgency: 'high',
      subject: FIRST.subject,
      consulter_organisation: '田中電機株式会社',
      consulter_phone: '03-0000-4321',
      consulter_email: FIRST.from.emailAddress,
    });
    expect(String(record!.details)).toMatch(/^15時以降に電話で折り返し希望/);
    expect(String(record!.details)).toContain('IDとパスワードを入力してしまいました');
    const links = await rows('consultation_email');
    expect(links).toEqual([
      expect.objectContaining({
        consultation_id: record!.id,
        internet_message_id: FIRST.internetMessageId,
        graph_message_id: restIdOf(FIRST.itemId),
      }),
    ]);
    // The on-behalf-of exchange used Megan's own token, and Graph read her mailbox.
    expect(intake.graph.requests.some((r) => r.user === MEGAN.oid.toLowerCase())).toBe(true);

    // One card in the intake channel, with the number.
    await teams.background.idle();
    const cards = gateway.sent.filter((s) => JSON.stringify(s.activity).includes(number));
    expect(cards).toHaveLength(1);
    expect(cards[0]!.reference.conversation?.id).toMatch(/^19:/);
    await page.close();
  });

  test('the same email again: already registered, nothing twice', async () => {
    const page = await openPane(FIRST);
    await see(page.getByRole('heading', { name: 'このメールは登録済みです' })).toBeVisible();
    const [record] = await rows('consultation');
    await see(page.locator('dl.consultation .number')).toHaveText(record!.number);
    await see(page.locator('dl.consultation .state')).toHaveText('受付');
    await see(page.getByRole('button', { name: '相談として登録' })).toHaveCount(0);
    await shoot(page, 'addin-registered.png');
    expect(await rows('consultation')).toHaveLength(1);
    await page.close();
  });

  test('a reply in the thread: 「に追加」 adds it to its case', async () => {
    intake.graph.addMessage(MEGAN.oid, graphMessage(REPLY));
    const [record] = await rows('consultation');
    const page = await openPane(REPLY);
    await see(page.getByRole('heading', { name: '相談の続きのメールです' })).toBeVisible();
    const add = page.getByRole('button', { name: `${record!.number} に追加` });
    await see(add).toBeVisible();
    await shoot(page, 'addin-follow-up.png');

    await add.click();
    await see(
      page.getByRole('heading', { name: `このメールを相談 ${record!.number} に追加しました。` }),
    ).toBeVisible();
    expect(await rows('consultation')).toHaveLength(1);
    expect((await rows('consultation_email')).map((e) => e.internet_message_id)).toEqual([
      FIRST.internetMessageId,
      REPLY.internetMessageId,
    ]);
    const history = await store.db
      .selectFrom('consultation_history')
      .select('action')
      .where('consultation_id', '=', record!.id)
      .execute();
    expect(history.map((h) => h.action)).toContain('link-email');
    await page.close();
  });

  test('Graph down: said so, what was typed stays, and the same press works afterwards', async () => {
    intake.graph.addMessage(MEGAN.oid, graphMessage(OTHER));
    const page = await openPane(OTHER);
    await see(page.getByLabel('事業者名')).toHaveValue('有限会社佐藤商事');
    await see(page.getByLabel('相談分類')).toHaveValue('data-leak');
    await see(page.getByLabel('緊急度')).toHaveValue('critical');
    await page.getByLabel('相談者名').fill('佐藤 花子（代表）');
    await page.getByLabel('件名').fill('顧客名簿の誤送信（取引先以外へ）');

    // Graph answers 503 to every attempt of the next read (the gateway retries three times).
    const read = { method: 'GET', path: /\/me\/messages\// };
    intake.graph.failNext(
      ...Array.from({ length: 4 }, () => ({ status: 503 as const, match: read })),
    );
    await page.getByRole('button', { name: '相談として登録' }).click();
    const alert = page.locator('#alert');
    await see(alert).toContainText('一時的に利用できません');
    await see(alert).toBeFocused();
    await see(page.getByLabel('相談者名')).toHaveValue('佐藤 花子（代表）');
    await see(page.getByLabel('件名')).toHaveValue('顧客名簿の誤送信（取引先以外へ）');
    await shoot(page, 'addin-error.png');
    expect(await rows('consultation')).toHaveLength(1);

    await page.getByRole('button', { name: '相談として登録' }).click();
    await see(page.getByRole('heading', { name: /として登録しました/ })).toBeVisible();
    const records = await rows('consultation');
    expect(records).toHaveLength(2);
    expect(records[1]).toMatchObject({
      subject: '顧客名簿の誤送信（取引先以外へ）',
      consulter_person: '佐藤 花子（代表）',
    });
    await page.close();
  });

  test('an empty subject is marked next to its field, and focus goes there', async () => {
    const email: OpenEmail = {
      ...OTHER,
      itemId: 'AAMkADk0ZTU3/ITEM+0004=',
      internetMessageId: '<other-0004@mail.sato.example.jp>',
      conversationId: 'AAQkADk0ZTU3CONV0004=',
      subject: '別件のご相談',
    };
    intake.graph.addMessage(MEGAN.oid, graphMessage(email));
    const page = await openPane(email);
    await page.getByLabel('件名').fill('');
    await page.getByRole('button', { name: '相談として登録' }).click();
    const subject = page.getByLabel('件名');
    await see(subject).toBeFocused();
    await see(subject).toHaveAttribute('aria-invalid', 'true');
    await see(page.locator('#field-subject-error')).toHaveText('件名を入力してください。');
    await see(page.locator('#alert')).toContainText('入力内容を確認してください（1 件）。');
    await page.close();
  });

  test('someone without the first-line role is told so, and nothing is recorded', async () => {
    person = ADELE;
    try {
      const email: OpenEmail = {
        ...OTHER,
        itemId: 'AAMkADk0ZTU3/ITEM+0005=',
        internetMessageId: '<other-0005@mail.sato.example.jp>',
        conversationId: 'AAQkADk0ZTU3CONV0005=',
      };
      intake.graph.addMessage(ADELE.oid, graphMessage(email));
      const page = await openPane(email);
      // Said before anything is typed; the form stays to read, its button off.
      await see(page.locator('#alert')).toContainText('権限がありません');
      expect(await page.getByRole('button', { name: '相談として登録' }).isDisabled()).toBe(true);
      // The API refuses Adele too, whatever a page sends.
      const refused = await fetch(`${url}/api/mail/convert`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await intake.tokenFor(ADELE.oid, ADELE.name)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          itemId: restIdOf(email.itemId),
          form: { categoryId: 'data-leak', urgency: 'high', subject: email.subject },
        }),
      });
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden');
      expect(await rows('consultation')).toHaveLength(2);
      await shoot(page, 'addin-forbidden.png');
      await page.close();
    } finally {
      person = MEGAN;
    }
  });

  test('local mode in a plain browser (no host to sign in): choose who to be, then carry on', async () => {
    // A browser with no nested app authentication bridge, as when the pane is opened
    // directly during development.
    const plain = await browser.newContext({
      locale: 'ja-JP',
      viewport: { width: 320, height: 760 },
    });
    try {
      const page = await plain.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto(`${url}/addin/taskpane.html`);
      await see(page.locator('#alert')).toContainText('メールが選択されていません');
      await page.evaluate((open) => {
        const office = (window as unknown as { Office: { context: Record<string, unknown> } })
          .Office;
        office.context.mailbox = {
          item: {
            ...open,
            dateTimeCreated: new Date(open.dateTimeCreated),
            body: {
              getAsync: (_type: string, callback: (r: unknown) => void) =>
                callback({ status: 'succeeded', value: open.bodyText }),
            },
          },
          convertToRestId: (itemId: string) => itemId.replace(/\//g, '-').replace(/\+/g, '_'),
        };
      }, FIRST);
      await page.getByRole('button', { name: 'もう一度試す' }).click();
      await see(page.getByRole('heading', { name: 'だれとして使いますか' })).toBeVisible();
      await shoot(page, 'addin-local-sign-in.png');
      await see(page.getByRole('button', { name: /Megan Bowen/ })).toContainText('一次対応');
      await page.getByRole('button', { name: /Megan Bowen/ }).click();
      // Signed in with the server's own local token: the email is known already.
      await see(page.getByRole('heading', { name: 'このメールは登録済みです' })).toBeVisible();
    } finally {
      await plain.close();
    }
  });

  test('an email in the desk’s shared mailbox: the header says so; it is read and tagged there', async () => {
    const restId = restIdOf(SHARED.itemId);
    intake.graph.addMessage(DESK_MAILBOX, graphMessage(SHARED));
    const before = intake.graph.requests.length;
    const page = await openPane(SHARED, DESK_MAILBOX);

    await see(page.locator('form').getByRole('heading', { name: '相談として登録' })).toBeVisible();
    await see(page.locator('#email .mailbox')).toHaveText(`共有メールボックス ${DESK_MAILBOX}`);
    await see(page.getByLabel('事業者名')).toHaveValue('田中電機株式会社');
    await see(page.getByLabel('相談分類')).toHaveValue('ransomware');
    await shoot(page, 'addin-shared-mailbox.png');

    await page.getByRole('button', { name: '相談として登録' }).click();
    const done = page.getByRole('heading', { name: /として登録しました/ });
    await see(done).toBeVisible();
    const number = (await page.locator('dl.consultation .number').textContent())!;
    await see(done).toHaveText(`相談 ${number} として登録しました。`);
    // The header still says where the email is.
    await see(page.locator('#email .mailbox')).toHaveText(`共有メールボックス ${DESK_MAILBOX}`);

    const record = (await rows('consultation')).find((r) => r.number === number);
    expect(record).toMatchObject({
      channel: 'email',
      subject: SHARED.subject,
      category_id: 'ransomware',
      consulter_email: SHARED.from.emailAddress,
      consulter_organisation: '田中電機株式会社',
    });
    expect(String(record!.details)).toContain('身代金を要求するメッセージ');
    expect(
      (await rows('consultation_email')).filter(
        (e) => e.internet_message_id === SHARED.internetMessageId,
      ),
    ).toEqual([expect.objectContaining({ consultation_id: record!.id, graph_message_id: restId })]);

    // Graph was asked under /users/{the desk's mailbox} on Megan's behalf, never under /me.
    const calls = intake.graph.requests.slice(before);
    expect(
      calls.some(
        (r) =>
          r.method === 'GET' &&
          r.mailbox === DESK_MAILBOX &&
          r.path === `/v1.0/users/${DESK_MAILBOX}/messages/${restId}`,
      ),
    ).toBe(true);
    expect(calls.filter((r) => r.path.startsWith('/v1.0/me/messages/'))).toEqual([]);
    // The email in the shared mailbox carries the case's category.
    expect(intake.graph.message(DESK_MAILBOX, restId)?.categories).toContain(`窓口 ${number}`);
    await page.close();
  });

  test('the server’s log names no subject, sender or text', () => {
    const log = logLines.join('\n');
    for (const secret of [
      FIRST.subject,
      FIRST.from.emailAddress,
      '田中 健一',
      'IDとパスワード',
      OTHER.subject,
      '佐藤 花子',
      SHARED.subject,
      '身代金を要求する',
    ]) {
      expect([secret, log.includes(secret)]).toEqual([secret, false]);
    }
  });
});
