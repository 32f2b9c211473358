/**
 * The consulter's web form on the real HTTP server over a real SQLite file, with the real
 * Teams surface (its after-work recorded by a gateway, the install activity through the
 * stand-in Bot Connector) and, where mail matters, the real Graph gateway against the
 * Entra and Graph stand-ins. A small cookie-keeping client plays the browser.
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { escapeMarkdown } from '../../bot/cards/text';
import { CATEGORIES } from '../../src/knowledge/knowledge';
import type { Store } from '../../src/store/store';
import { validateCard } from '../support/adaptive-cards';
import { readableTexts } from '../support/card-reading';
import { DESK_MAILBOX, startMailStandIns, type MailStandIns } from '../support/mail';
import {
  INTAKE_CHANNEL_ID,
  startWebFormDesk,
  type WebFormDesk,
  type WebFormDeskOptions,
} from '../support/web-form-desk';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Desk = WebFormDesk;

async function startDesk(opts: WebFormDeskOptions = {}): Promise<Desk> {
  const desk = await startWebFormDesk(opts);
  cleanups.push(() => desk.close());
  return desk;
}

// ---------------------------------------------------------------------------------------
// a browser, as far as the form needs one

interface Page {
  status: number;
  headers: Headers;
  body: string;
}

class Browser {
  private cookies = new Map<string, string>();

  constructor(
    private readonly base: string,
    private readonly extraHeaders: Record<string, string> = {},
  ) {}

  async get(path: string): Promise<Page> {
    return this.fetch(path, { method: 'GET' });
  }

  async post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    return this.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Opens the form and fills it in: its hidden fields, then `fields` over `validFields`. */
  async fill(fields: Record<string, string> = {}, lang: 'ja' | 'en' = 'ja') {
    const page = await this.get(lang === 'en' ? '/consult?lang=en' : '/consult');
    expect(page.status).toBe(200);
    return { ...hiddenFields(page.body), ...validFields(), ...fields };
  }

  async fetch(path: string, init: RequestInit): Promise<Page> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${this.base}${path}`, {
      ...init,
      redirect: 'manual',
      headers: {
        ...this.extraHeaders,
        ...(cookie ? { cookie } : {}),
        ...(init.headers as Record<string, string>),
      },
    });
    for (const set of res.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return { status: res.status, headers: res.headers, body: await res.text() };
  }
}

function hiddenFields(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of body.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)) {
    out[m[1]!] = m[2]!;
  }
  expect(Object.keys(out).sort()).toEqual(['csrf', 'formId', 'lang']);
  return out;
}

const validFields = (): Record<string, string> => ({
  organisation: '株式会社サンプル精工',
  person: '山田 太郎',
  email: 'yamada@sample-seiko.example.jp',
  phone: '03-1234-5678',
  industry: '製造業',
  employees: '２５',
  municipality: '13111',
  category: 'ransomware',
  urgency: 'high',
  details:
    '経理のPC2台で英語の脅迫文が表示され、共有フォルダのファイルが開けません。\n今朝気づきました。',
  whatHappened: '画面に身代金を要求するメッセージ',
  since: '今朝 8時ごろ',
  ongoing: 'yes',
  systems: '経理PC 2台、ファイルサーバー',
  dataAtRisk: 'unknown',
  actionsTaken: 'LANケーブルを抜きました',
  contacted: '',
  evidence: '画面の写真',
  consent: 'yes',
});

/** The value a text input shows, as the browser would read it (entities decoded). */
function inputValue(body: string, name: string): string | undefined {
  const m = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(body);
  return m ? decode(m[1]!) : undefined;
}

function textareaValue(body: string, name: string): string | undefined {
  const m = new RegExp(`<textarea[^>]*name="${name}"[^>]*>\\n([\\s\\S]*?)</textarea>`).exec(body);
  return m ? decode(m[1]!) : undefined;
}

const decode = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, '`')
    .replace(/&amp;/g, '&');

const rows = (store: Store) =>
  store.db.selectFrom('consultation').selectAll().orderBy('id').execute();
const history = (store: Store, id: number) =>
  store.db
    .selectFrom('consultation_history')
    .selectAll()
    .where('consultation_id', '=', id)
    .orderBy('id')
    .execute();

/** The cards the after-work posted in the intake channel. */
function postedCards(desk: Desk) {
  return desk.gateway.sent
    .filter((s) => s.reference.conversation?.id === INTAKE_CHANNEL_ID)
    .map((s) => {
      const card = s.activity.attachments?.[0]?.content;
      expect(validateCard(card)).toEqual([]);
      return card;
    });
}

// ---------------------------------------------------------------------------------------

describe('the form page', () => {
  test('is Japanese by default, English with ?lang=en, and sets the anti-forgery cookie', async () => {
    const desk = await startDesk({ installed: false });
    const browser = new Browser(desk.url);
    const ja = await browser.get('/consult');
    expect(ja.status).toBe(200);
    expect(ja.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(ja.headers.get('content-security-policy')).toContain("form-action 'self'");
    expect(ja.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(ja.headers.get('set-cookie')).toMatch(
      /^madoguchi-form=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax$/,
    );
    expect(ja.body).toContain('<html lang="ja">');
    expect(ja.body).toContain('相談フォーム');
    expect(ja.body).toContain('<label class="label" for="f-person">お名前');
    expect(ja.body).toContain('<legend><h2>ご相談者について</h2></legend>');
    // Tokyo's 62 municipalities, and outside Tokyo.
    expect([...ja.body.matchAll(/<option value="13\d{3}"/g)]).toHaveLength(62);
    expect(ja.body).toContain('<option value="13101">千代田区</option>');
    expect(ja.body).toContain('<option value="outside">東京都外</option>');
    // Every category of the taxonomy, after 「わからない」, which is chosen.
    expect(ja.body).toContain('<option value="unknown" selected>わからない</option>');
    for (const c of CATEGORIES)
      expect(ja.body).toContain(`<option value="${c.id}">${c.ja}</option>`);
    expect(ja.body).not.toContain('role="alert"');

    const en = await browser.get('/consult?lang=en');
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('action="/consult?lang=en"');
    expect(en.body).toContain('<input type="hidden" name="lang" value="en">');
    expect(en.body).toContain('Your name');
    expect(en.body).toContain('<option value="13101">Chiyoda City</option>');
    // The cookie was set once and is kept.
    expect(en.headers.get('set-cookie')).toBeNull();
  });

  test('the privacy notice says what is kept, why and for how long, in both languages', async () => {
    const desk = await startDesk({ installed: false });
    const ja = await fetch(`${desk.url}/consult/privacy`);
    const jaText = await ja.text();
    expect(ja.status).toBe(200);
    expect(jaText).toContain('個人情報の取扱いについて');
    expect(jaText).toContain('利用の目的');
    expect(jaText).toContain('5年間保存');
    expect(jaText).toContain('個人情報保護法');
    const en = await (await fetch(`${desk.url}/consult/privacy?lang=en`)).text();
    expect(en).toContain('How long we keep it');
    expect(en).toContain('for 5 years');
  });

  test('the Teams app’s developer links answer: its site, privacy statement and terms of use', async () => {
    const desk = await startDesk({ installed: false });
    const manifest = JSON.parse(readFileSync('appPackage/manifest.json', 'utf8')) as {
      developer: Record<'websiteUrl' | 'privacyUrl' | 'termsOfUseUrl', string>;
    };
    const here = (url: string) => url.replace('https://${{BOT_DOMAIN}}', desk.url);
    const site = await fetch(here(manifest.developer.websiteUrl), { redirect: 'manual' });
    expect(site.status).toBe(302);
    expect(site.headers.get('location')).toBe('/consult');

    const privacy = await fetch(here(manifest.developer.privacyUrl));
    expect(privacy.status).toBe(200);
    expect(privacy.headers.get('content-type')).toMatch(/^text\/html/);
    const ja = await privacy.text();
    expect(ja).toContain('<h1>窓口アプリのプライバシーに関する説明</h1>');
    expect(ja).toContain('Microsoft Entra ID のオブジェクト ID');
    // Consulters' information is the form's notice: every page links to it.
    expect(ja).toContain('<a href="/consult/privacy">個人情報の取扱いについて</a>');
    expect(ja).toContain('<a href="/terms">窓口アプリの利用条件</a>');
    const en = await (await fetch(`${here(manifest.developer.privacyUrl)}?lang=en`)).text();
    expect(en).toContain('<h1>Madoguchi: privacy statement</h1>');
    expect(en).toContain('erased 5 years after');

    const terms = await fetch(here(manifest.developer.termsOfUseUrl));
    expect(terms.status).toBe(200);
    const termsJa = await terms.text();
    expect(termsJa).toContain('<h1>窓口アプリの利用条件</h1>');
    expect(termsJa).toContain('役割のない方はアプリを開けますが');
    expect(termsJa).toContain('href="/terms?lang=en"');
    const termsEn = await (await fetch(`${here(manifest.developer.termsOfUseUrl)}?lang=en`)).text();
    expect(termsEn).toContain('<h1>Madoguchi: terms of use</h1>');
  });

  test('the stylesheet is served with a long cache under a hashed address', async () => {
    const desk = await startDesk({ installed: false });
    const page = await (await fetch(`${desk.url}/consult`)).text();
    const href = /<link rel="stylesheet" href="([^"]+)">/.exec(page)![1]!;
    expect(href).toMatch(/^\/consult\/form\.css\?v=[0-9a-f]{12}$/);
    const css = await fetch(`${desk.url}${href}`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toContain('max-age=86400');
    expect(await css.text()).toContain('.error-message');
  });
});

describe('filing a consultation', () => {
  test('a valid form makes a web record with its history, shows the number, and posts the card', async () => {
    const desk = await startDesk();
    const browser = new Browser(desk.url);
    const fields = await browser.fill({ category: 'unknown' });
    const sent = await browser.post('/consult', fields);
    expect(sent.status).toBe(303);
    const location = sent.headers.get('location')!;
    expect(location).toMatch(/^\/consult\/received\?n=2026-000001&s=[\w-]+$/);

    const received = await browser.get(location);
    expect(received.status).toBe(200);
    expect(received.body).toContain('ご相談を受け付けました');
    expect(received.body).toContain('<strong>2026-000001</strong>');
    expect(received.body).toContain('このあとの流れ');

    const [row, ...more] = await rows(desk.store);
    expect(more).toHaveLength(0);
    expect(row).toMatchObject({
      number: '2026-000001',
      channel: 'web',
      state: 'received',
      // 「わからない」 is the default category
      category_id: 'other',
      urgency: 'high',
      consulter_organisation: '株式会社サンプル精工',
      consulter_person: '山田 太郎',
      consulter_email: 'yamada@sample-seiko.example.jp',
      consulter_phone: '03-1234-5678',
      consulter_employees: 25,
      consulter_municipality: '大田区',
      subject: '経理のPC2台で英語の脅迫文が表示され、共有フォルダのファイルが開けません。',
      details: fields.details,
      created_by_id: 'system:web-form',
      created_by_name: 'Webフォーム',
    });
    const situation = JSON.parse(String(row!.situation)) as Record<string, unknown>;
    expect(situation).toMatchObject({
      since: '今朝 8時ごろ',
      ongoing: 'yes',
      dataAtRisk: 'unknown',
      contacted: null,
    });

    await desk.teams.background.idle();
    const entries = await history(desk.store, row!.id);
    // The card and the acknowledgement go out side by side, in either order.
    const actions = entries.map((e) => `${e.action} by ${e.actor_id}`);
    expect(actions[0]).toBe('create by system:web-form');
    expect(actions.slice(1).sort()).toEqual([
      'acknowledge by system:web-form',
      'link-card by madoguchi',
    ]);
    const ack = entries.find((e) => e.action === 'acknowledge')!;
    expect(JSON.parse(String(entries[0]!.after_json))).toEqual({
      privacyNotice: '2026-11',
      language: 'ja',
      channel: 'web',
      categoryId: 'other',
      urgency: 'high',
    });
    // Mail is off here: the record says the acknowledgement was not sent.
    expect(JSON.parse(String(ack.after_json))).toEqual({
      status: 'not_configured',
      language: 'ja',
    });

    const cards = postedCards(desk);
    expect(cards).toHaveLength(1);
    const texts = readableTexts(cards[0]).join('\n');
    expect(texts).toContain('2026-000001');
    expect(texts).toContain('Webフォーム');
    expect(row).toMatchObject({
      card_conversation_id: INTAKE_CHANNEL_ID,
      card_activity_id: desk.gateway.sent.at(-1)!.id,
    });

    // The log says what happened without a word of what was written.
    const log = desk.logText();
    for (const v of ['山田', 'yamada@', '03-1234', 'サンプル精工', '脅迫文', '大田区'])
      expect(log).not.toContain(v);
  });

  test('the same page sent twice records one consultation', async () => {
    const desk = await startDesk();
    const browser = new Browser(desk.url);
    const fields = await browser.fill();
    const [a, b] = await Promise.all([
      browser.post('/consult', fields),
      browser.post('/consult', fields),
    ]);
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(a.headers.get('location')).toBe(b.headers.get('location'));
    expect(await rows(desk.store)).toHaveLength(1);
    await desk.teams.background.idle();
    expect(postedCards(desk)).toHaveLength(1);
  });

  test('in English: the errors, the received page and the language on the record', async () => {
    const desk = await startDesk();
    const browser = new Browser(desk.url);
    const fields = await browser.fill({ email: 'not-an-address' }, 'en');
    const refused = await browser.post('/consult?lang=en', fields);
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('<html lang="en">');
    expect(refused.body).toContain('Enter an email address like name@example.jp.');

    const sent = await browser.post('/consult?lang=en', { ...fields, email: 'a@example.jp' });
    expect(sent.headers.get('location')).toMatch(/&lang=en$/);
    const received = await browser.get(sent.headers.get('location')!);
    expect(received.body).toContain('We have received your consultation');
    // The language switch keeps the number.
    expect(received.body).toMatch(/href="\/consult\/received\?n=2026-000001&amp;s=[\w-]+"/);
    const [row] = await rows(desk.store);
    const [create] = await history(desk.store, row!.id);
    expect(JSON.parse(String(create!.after_json))).toMatchObject({ language: 'en' });
  });

  test('a received page with a number this server did not give shows no number', async () => {
    const desk = await startDesk({ installed: false });
    const page = await fetch(`${desk.url}/consult/received?n=2026-000123&s=forged`);
    const body = await page.text();
    expect(page.status).toBe(200);
    expect(body).not.toContain('2026-000123');
    expect(body).toContain('受付番号は、受付確認のメールでお知らせします。');
  });
});

describe('a form with mistakes', () => {
  test('comes back as 400 with each error next to its field, a summary, and everything typed', async () => {
    const desk = await startDesk();
    const browser = new Browser(desk.url);
    const fields = await browser.fill({
      person: '   ',
      email: 'yamada@',
      phone: '',
      employees: 'twenty',
      consent: '',
    });
    const page = await browser.post('/consult', fields);
    expect(page.status).toBe(400);
    expect(page.body).toContain('<title>エラー：相談フォーム');

    // The summary: focused first, one link per field, in the page's order.
    const summary = /<div class="alert"[^>]*>([\s\S]*?)<\/div>/.exec(page.body)!;
    expect(summary[0]).toContain('role="alert"');
    expect(summary[0]).toContain('autofocus');
    expect(summary[1]).toContain('入力内容を確認してください（4件）');
    expect([...summary[1]!.matchAll(/href="#f-(\w+)"/g)].map((m) => m[1])).toEqual([
      'person',
      'email',
      'employees',
      'consent',
    ]);

    // Each error next to its field, and the field points at it.
    expect(page.body).toContain(
      '<p class="error-message" id="f-person-error"><span class="visually-hidden">エラー：</span>お名前を入力してください。</p>',
    );
    expect(page.body).toMatch(
      /<input class="input invalid" type="email" id="f-email" name="email" value="yamada@"[^>]* aria-describedby="f-email-hint f-email-error" aria-invalid="true">/,
    );
    expect(page.body).toContain('メールアドレスの形式が正しくありません');
    expect(page.body).toContain('従業員数は0以上の整数で入力してください');
    expect(page.body).toMatch(
      /<input type="checkbox" id="f-consent"[^>]*aria-describedby="f-consent-error" aria-invalid="true">/,
    );

    // What was typed is all there.
    expect(inputValue(page.body, 'organisation')).toBe(fields.organisation);
    expect(inputValue(page.body, 'employees')).toBe('twenty');
    expect(textareaValue(page.body, 'details')).toBe(fields.details);
    expect(textareaValue(page.body, 'actionsTaken')).toBe(fields.actionsTaken);
    expect(page.body).toContain('<option value="13111" selected>大田区</option>');
    expect(page.body).toContain('<option value="ransomware" selected>');
    expect(page.body).toMatch(/id="f-urgency-high" name="urgency" value="high" checked>/);
    expect(page.body).toMatch(/id="f-ongoing" name="ongoing" value="yes" checked>/);
    // Still the same page: the same id, so a later send records once.
    expect(hiddenFields(page.body).formId).toBe(fields.formId);

    expect(await rows(desk.store)).toHaveLength(0);
  });

  test('an email address or a phone number is needed; either one will do', async () => {
    const desk = await startDesk();
    const browser = new Browser(desk.url);
    const none = await browser.post('/consult', await browser.fill({ email: '', phone: '' }));
    expect(none.status).toBe(400);
    expect(none.body).toContain('メールアドレスか電話番号のどちらかを入力してください');
    const phoneOnly = await browser.post('/consult', await browser.fill({ email: '' }));
    expect(phoneOnly.status).toBe(303);
    await desk.teams.background.idle();
    const [row] = await rows(desk.store);
    expect(row).toMatchObject({ consulter_email: null, consulter_phone: '03-1234-5678' });
    // No address, no acknowledgement, nothing about one in the history.
    expect((await history(desk.store, row!.id)).map((e) => e.action)).toEqual([
      'create',
      'link-card',
    ]);
  });

  test('choices not on the lists are refused, not stored', async () => {
    const desk = await startDesk({ installed: false });
    const browser = new Browser(desk.url);
    const page = await browser.post(
      '/consult',
      await browser.fill({
        municipality: '99999',
        category: 'made-up',
        urgency: 'yesterday',
        ongoing: 'maybe',
      }),
    );
    expect(page.status).toBe(400);
    for (const f of ['municipality', 'category', 'urgency', 'ongoing'])
      expect(page.body).toContain(`href="#f-${f}"`);
    expect(await rows(desk.store)).toHaveLength(0);
  });
});

describe('forged and cross-site posts', () => {
  test('without the token, or with a wrong one, nothing is recorded (403)', async () => {
    const desk = await startDesk();
    const browser = new Browser(desk.url);
    const fields = await browser.fill();

    const withoutToken = Object.fromEntries(Object.entries(fields).filter(([k]) => k !== 'csrf'));
    const missing = await browser.post('/consult', withoutToken);
    expect(missing.status).toBe(403);

    const forged = await browser.post('/consult', { ...fields, csrf: 'A'.repeat(43) });
    expect(forged.status).toBe(403);

    // A token from another browser does not fit this browser's cookie.
    const other = new Browser(desk.url);
    const theirs = await other.fill();
    const swapped = await browser.post('/consult', { ...fields, csrf: theirs.csrf! });
    expect(swapped.status).toBe(403);

    // No cookie at all (a post from a page that never came from here).
    const bare = await fetch(`${desk.url}/consult`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    expect(bare.status).toBe(403);
    expect(await rows(desk.store)).toHaveLength(0);
  });

  test('from this site, the form comes back with everything typed and a fresh token', async () => {
    const desk = await startDesk();
    const browser = new Browser(desk.url);
    const fields = await browser.fill();
    // As Chromium sends its own form under Referrer-Policy: no-referrer; and as an older
    // browser does, with the page's origin.
    const ownPages: Record<string, string>[] = [
      { origin: 'null', 'sec-fetch-site': 'same-origin' },
      { origin: desk.url },
    ];
    for (const headers of ownPages) {
      const page = await browser.post('/consult', { ...fields, csrf: 'stale' }, headers);
      expect(page.status).toBe(403);
      expect(page.body).toContain('安全のため、送信を確認できませんでした');
      expect(textareaValue(page.body, 'details')).toBe(fields.details);
    }
    const page = await browser.post('/consult', { ...fields, csrf: 'stale' });
    expect(page.status).toBe(403);
    const again = await browser.post('/consult', { ...fields, ...hiddenFields(page.body) });
    expect(again.status).toBe(303);
    expect(await rows(desk.store)).toHaveLength(1);
  });

  test('from another site, a clear refusal that shows nothing of what was posted', async () => {
    const desk = await startDesk();
    const fields = { ...validFields(), details: '他サイトから差し込まれた本文', csrf: 'x' };
    const senders: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      // A sibling subdomain is not this site either.
      { 'sec-fetch-site': 'same-site', origin: 'https://other.desk.example' },
    ];
    for (const headers of senders) {
      const res = await fetch(`${desk.url}/consult`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(fields).toString(),
      });
      const body = await res.text();
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(body).toContain('送信を受け付けられませんでした');
      expect(body).not.toContain('他サイトから差し込まれた本文');
      expect(body).not.toContain('<form');
    }
    expect(await rows(desk.store)).toHaveLength(0);
  });
});

describe('abuse', () => {
  test('100 rapid submissions from one address: 5 recorded, the rest throttled with Retry-After', async () => {
    const desk = await startDesk({ installed: false });
    const browser = new Browser(desk.url);
    const base = await browser.fill();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        browser.post('/consult', {
          ...base,
          formId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          details: `連続送信 ${i}`,
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 303)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(95);
    const throttled = results.find((r) => r.status === 429)!;
    const retryAfter = Number(throttled.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(throttled.body).toContain('いったん受付を止めています');
    // What was typed is still there.
    expect(textareaValue(throttled.body, 'details')).toMatch(/^連続送信 \d+$/);
    expect(statuses.some((s) => s >= 500)).toBe(false);

    expect(await rows(desk.store)).toHaveLength(5);
    // The form itself stays readable.
    expect((await browser.get('/consult')).status).toBe(200);
    // Throttled from another site: said plainly, nothing posted shown back.
    const crossSite = await browser.post(
      '/consult',
      { ...base, details: '他サイトからの本文' },
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.status).toBe(429);
    expect(crossSite.body).toContain('いったん受付を止めています');
    expect(crossSite.body).not.toContain('他サイトからの本文');
  });

  test('the limit counts per window: once it has passed, a submission is taken again', async () => {
    let now = Date.parse('2026-11-27T01:00:00Z');
    const desk = await startDesk({
      installed: false,
      limits: { submissions: { limit: 2, windowMs: 60_000 } },
      clock: () => now,
    });
    const browser = new Browser(desk.url);
    const fields = await browser.fill();
    const send = (i: number) =>
      browser.post('/consult', { ...fields, formId: `00000000-0000-4000-8000-00000000000${i}` });
    expect((await send(1)).status).toBe(303);
    now += 20_000;
    expect((await send(2)).status).toBe(303);
    const third = await send(3);
    expect(third.status).toBe(429);
    // The first of the two leaves the window in 40 s.
    expect(third.headers.get('retry-after')).toBe('40');
    now += 40_001;
    expect((await send(3)).status).toBe(303);
    expect(await rows(desk.store)).toHaveLength(3);
  });

  test('the hidden field filled in: it looks accepted, nothing is recorded, the log says so without content', async () => {
    const desk = await startDesk();
    const browser = new Browser(desk.url);
    const fields = await browser.fill({ website: 'http://spam.example/buy-now' });
    const res = await browser.post('/consult', fields);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/consult/received');
    const page = await browser.get('/consult/received');
    expect(page.body).toContain('ご相談を受け付けました');
    await desk.teams.background.idle();
    expect(await rows(desk.store)).toHaveLength(0);
    expect(postedCards(desk)).toHaveLength(0);
    const log = desk.logText();
    expect(log).toContain('hidden field filled');
    expect(log).not.toContain('spam.example');
    expect(log).not.toContain('山田');
  });

  test('a field longer than allowed is refused with its message and kept', async () => {
    const desk = await startDesk({ installed: false });
    const browser = new Browser(desk.url);
    const long = 'あ'.repeat(8_001);
    const page = await browser.post('/consult', await browser.fill({ details: long }));
    expect(page.status).toBe(400);
    expect(page.body).toContain('ご相談の内容は8,000文字以内で入力してください（現在8,001文字）。');
    expect(textareaValue(page.body, 'details')).toBe(long);
    expect(await rows(desk.store)).toHaveLength(0);
  });

  test('a body larger than the form allows is refused with a page (413), never a 5xx', async () => {
    const desk = await startDesk({ installed: false });
    const browser = new Browser(desk.url);
    const fields = await browser.fill();
    // Over the form's limit (192 KB), under the server's (256 KB): refused before reading.
    const over = await browser.post('/consult', { ...fields, details: 'x'.repeat(200 * 1024) });
    expect(over.status).toBe(413);
    expect(over.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(over.body).toContain('送信された内容が大きすぎます');
    // Over the server's limit, in English.
    const huge = await browser.post('/consult?lang=en', {
      ...fields,
      details: 'x'.repeat(400 * 1024),
    });
    expect(huge.status).toBe(413);
    expect(huge.body).toContain('What was sent is too large');
    // Chunked, without a length: counted while read.
    const chunked = await postChunked(`${desk.url}/consult`, 'details=' + 'y'.repeat(300 * 1024));
    expect(chunked.status).toBe(413);
    expect(chunked.body).toContain('送信された内容が大きすぎます');
    expect(await rows(desk.store)).toHaveLength(0);
  });

  test('other bad requests get a page in the consulter language, never a 5xx', async () => {
    const desk = await startDesk({ installed: false });
    const cases: Array<[string, RequestInit, number, string]> = [
      ['/consult/nothing-here', {}, 404, 'ページが見つかりません'],
      ['/consult?lang=en', { method: 'PUT' }, 405, 'We could not read what was sent'],
      [
        '/consult',
        { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' },
        415,
        '送信内容を読み取れませんでした',
      ],
      [
        '/consult',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' },
        400,
        '送信内容を読み取れませんでした',
      ],
      [
        '/consult',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ csrf: 1, person: { name: 'x' }, details: ['a', 2] }),
        },
        415,
        '送信内容を読み取れませんでした',
      ],
      [
        '/consult',
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'a=%E0%A4%A&csrf[]=1&__proto__=x',
        },
        403,
        '送信',
      ],
    ];
    for (const [path, init, status, text] of cases) {
      const res = await fetch(`${desk.url}${path}`, init);
      const body = await res.text();
      expect({ path, status: res.status }).toEqual({ path, status });
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(body).toContain(text);
    }
  });
});

describe('what consulters write stays text', () => {
  const EVIL =
    '<script>alert(1)</script>**x** [a](http://x) <at>Megan Bowen</at> "q" \'s\' `c` &amp;';

  test('in the page with errors, and in the record and its card', async () => {
    const desk = await startDesk();
    const browser = new Browser(desk.url);
    const textFields = [
      'organisation',
      'person',
      'industry',
      'details',
      'whatHappened',
      'since',
      'systems',
      'actionsTaken',
      'contacted',
      'evidence',
    ];
    const evil = Object.fromEntries(textFields.map((f) => [f, `${f}: ${EVIL}`]));
    // Choices and email with markup are refused and shown back as text.
    const page = await browser.post(
      '/consult',
      await browser.fill({ ...evil, email: EVIL, phone: EVIL, municipality: EVIL, consent: '' }),
    );
    expect(page.status).toBe(400);
    expect(page.body).not.toContain('<script>');
    expect(page.body).not.toContain('<at>');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    for (const f of textFields) {
      const value =
        f === 'person' || f === 'organisation' || f === 'industry' || f === 'since'
          ? inputValue(page.body, f)
          : textareaValue(page.body, f);
      expect({ f, value }).toEqual({ f, value: `${f}: ${EVIL}` });
    }
    expect(inputValue(page.body, 'email')).toBe(EVIL);

    const sent = await browser.post('/consult', {
      ...(await browser.fill(evil)),
    });
    expect(sent.status).toBe(303);
    const received = await browser.get(sent.headers.get('location')!);
    expect(received.body).not.toContain('<script>');

    const [row] = await rows(desk.store);
    // Stored as the text it is.
    expect(row!.details).toBe(`details: ${EVIL}`);
    expect(row!.consulter_person).toBe(`person: ${EVIL}`);

    await desk.teams.background.idle();
    const [card] = postedCards(desk);
    const texts = readableTexts(card);
    const all = texts.join('\n');
    expect(all).toContain(escapeMarkdown(`details: ${EVIL}`));
    expect(all).toContain(escapeMarkdown(`person: ${EVIL}`));
    // Nothing that Adaptive Card markdown would read as formatting is left bare.
    for (const t of texts) {
      expect(t).not.toMatch(/(?<!\\)\*\*x/);
      expect(t).not.toMatch(/(?<!\\)\[a(?<!\\)\]/);
      expect(t).not.toMatch(/(?<!\\)<at>/);
      expect(t).not.toMatch(/(?<!\\)<script>/);
    }
  });
});

describe('the database is down', () => {
  test('the form comes back with everything typed and says so; sent again later, it is recorded', async () => {
    const desk = await startDesk();
    const browser = new Browser(desk.url);
    const fields = await browser.fill();
    desk.down();
    const page = await browser.post('/consult', fields);
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('30');
    expect(page.body).toContain('ただいまシステムに接続できないため');
    expect(page.body).toContain('入力内容はこのページに残っています');
    expect(textareaValue(page.body, 'details')).toBe(fields.details);
    expect(inputValue(page.body, 'email')).toBe(fields.email);

    desk.up();
    const again = await browser.post('/consult', { ...fields, ...hiddenFields(page.body) });
    expect(again.status).toBe(303);
    expect(await rows(desk.store)).toHaveLength(1);
  });
});

describe('the acknowledgement email', () => {
  let mail: MailStandIns;
  beforeEach(async () => {
    mail = await startMailStandIns();
  });
  afterEach(() => mail.close());

  test('reaches Graph from the desk mailbox with the number, and the record says sent', async () => {
    const desk = await startDesk({ mail });
    const browser = new Browser(desk.url);
    const res = await browser.post('/consult', await browser.fill({}, 'en'));
    expect(res.status).toBe(303);
    await desk.teams.background.idle();

    expect(mail.graph.sent).toHaveLength(1);
    const [sent] = mail.graph.sent;
    expect(sent).toMatchObject({ kind: 'sendMail', mailbox: DESK_MAILBOX.toLowerCase() });
    const message = sent!.message as {
      subject: string;
      toRecipients: { emailAddress: { address: string } }[];
      body: { content: string };
    };
    expect(message.toRecipients).toEqual([
      { emailAddress: { address: 'yamada@sample-seiko.example.jp' } },
    ]);
    expect(message.subject).toBe(
      '【相談番号 2026-000001】ご相談を受け付けました / We have received your consultation',
    );
    expect(message.body.content).toContain('受付番号：2026-000001');
    expect(message.body.content).toContain('Consultation number: 2026-000001');
    // Nothing the consulter typed goes into it.
    expect(message.body.content).not.toContain('山田');
    expect(message.body.content).not.toContain('脅迫文');

    const [row] = await rows(desk.store);
    const ack = (await history(desk.store, row!.id)).find((e) => e.action === 'acknowledge');
    expect(JSON.parse(String(ack!.after_json))).toEqual({ status: 'sent', language: 'en' });
  });

  test('with Graph failing, the record says it was not sent, and the consulter was not kept waiting', async () => {
    const desk = await startDesk({ mail });
    mail.graph.failNext({ status: 403 });
    const browser = new Browser(desk.url);
    const res = await browser.post('/consult', await browser.fill());
    expect(res.status).toBe(303);
    await desk.teams.background.idle();
    expect(mail.graph.sent).toHaveLength(0);
    const [row] = await rows(desk.store);
    const ack = (await history(desk.store, row!.id)).find((e) => e.action === 'acknowledge');
    expect(JSON.parse(String(ack!.after_json))).toEqual({
      status: 'failed',
      language: 'ja',
      graphStatus: 403,
      code: 'ErrorAccessDenied',
    });
    expect(desk.logText()).toContain('acknowledgement not sent');
    expect(desk.logText()).not.toContain('yamada@');
  });
});

/** A POST with `Transfer-Encoding: chunked` (no Content-Length), as a streaming client sends. */
function postChunked(url: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    const buf = Buffer.from(body);
    for (let i = 0; i < buf.length; i += 16 * 1024) req.write(buf.subarray(i, i + 16 * 1024));
    req.end();
  });
}
