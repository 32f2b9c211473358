jest.mock('office-addin-manifest', () =>
  jest.requireActual<object>('../support/office-addin-manifest-stub'),
);

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMailbox } from '../../addin/src/mailbox';
import {
  Pane,
  type DraftStore,
  type FormValues,
  type PaneDeps,
  type PaneState,
  type SessionLike,
} from '../../addin/src/pane';
import { ApiError, callApi } from '../../src/web-client/api';
import { mockOffice, restIdOf, type MockEmail } from '../support/office-mock';

/**
 * The pane's logic against Outlook (office-addin-mock) and a real HTTP server that answers
 * as Madoguchi's mail API would, through the web client's own fetch code.
 */

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
type Route = (body: Record<string, unknown>) => Answer;

let server: Server;
let base: string;
let routes: Record<string, Route>;
let received: { path: string; body: Record<string, unknown>; auth: string | undefined }[];

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = await readBody(req);
    const path = req.url ?? '';
    received.push({ path, body, auth: req.headers.authorization });
    const route = routes[path];
    const answer = route
      ? route(body)
      : { status: 404, body: { error: { code: 'route_not_found' } } };
    res.writeHead(answer.status, {
      'content-type': 'application/json',
      'x-request-id': 'req-0001',
      ...answer.headers,
    });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  routes = {};
  received = [];
});

const CONSULTATION = {
  id: 42,
  number: '2026-000042',
  state: 'received',
  subject: '社内PCの画面に身代金要求',
  teamsCardUrl: 'https://teams.microsoft.com/l/message/19%3Aintake%40thread.tacv2/1700000000000',
};

const RANSOM_EMAIL: MockEmail = {
  itemId: 'AAMkAGI2/ransom+1=',
  internetMessageId: '<ransom1.1@mail.example.co.jp>',
  conversationId: 'AAQkAGI2RANSOM1=',
  subject: '【至急】社内PCの画面に身代金要求のメッセージが表示されました',
  from: { displayName: '山田 太郎', emailAddress: 't.yamada@yamada-seiko.example.co.jp' },
  bodyText:
    '共有フォルダのファイルが暗号化されました。至急ご相談させてください。\n\n--\n株式会社山田精工 総務部\n山田 太郎\nTEL 03-0000-1234',
};

/** A session as src/web-client/sign-in.ts makes one, calling the stub server. */
function session(token = 'token-1'): SessionLike {
  return {
    call: <T>(path: string, opts?: Parameters<typeof callApi>[2]) =>
      callApi<T>(path, token, opts, (url, init) => fetch(`${base}${String(url)}`, init)),
  };
}

function memoryDrafts(): DraftStore & { saved: Map<string, FormValues> } {
  const saved = new Map<string, FormValues>();
  return {
    saved,
    load: (key) => saved.get(key) ?? null,
    save: (key, values) => void saved.set(key, values),
    clear: (key) => void saved.delete(key),
  };
}

function makePane(
  email: MockEmail | null = RANSOM_EMAIL,
  overrides: Partial<PaneDeps> = {},
): { pane: Pane; states: PaneState[] } {
  const pane = new Pane({
    mailbox: createMailbox(mockOffice(email)),
    signIn: async () => session(),
    lang: 'ja',
    ...overrides,
  });
  const states: PaneState[] = [];
  pane.subscribe((s) => states.push(s));
  return { pane, states };
}

const json =
  (status: number, body: unknown, headers?: Record<string, string>): Route =>
  () => ({
    status,
    body,
    ...(headers ? { headers } : {}),
  });
const NEW = json(200, { status: 'new' });

function formOf(pane: Pane) {
  const s = pane.state;
  if (s.kind !== 'new') throw new Error(`expected the form, the pane shows ${s.kind}`);
  return s;
}

describe('what Madoguchi knows about the email', () => {
  test('a new email: the form, pre-filled from the email; the status asked with its ids', async () => {
    routes['/api/mail/status'] = NEW;
    const { pane, states } = makePane();
    await pane.start();

    expect(states.map((s) => (s.kind === 'loading' ? `loading:${s.step}` : s.kind))).toEqual([
      'loading:mail',
      'loading:mail',
      'loading:sign-in',
      'loading:status',
      'new',
    ]);
    const form = formOf(pane);
    expect(form.email).toEqual({
      senderName: '山田 太郎',
      senderAddress: 't.yamada@yamada-seiko.example.co.jp',
      subject: RANSOM_EMAIL.subject,
      receivedAt: '2026-11-24T23:47:12.000Z',
      mailbox: null,
    });
    expect(form.values).toEqual({
      organisation: '株式会社山田精工',
      person: '山田 太郎',
      phone: '03-0000-1234',
      categoryId: 'ransomware',
      urgency: 'critical',
      subject: RANSOM_EMAIL.subject,
      details: '',
    });
    expect(received).toEqual([
      {
        path: '/api/mail/status',
        auth: 'Bearer token-1',
        body: {
          internetMessageId: '<ransom1.1@mail.example.co.jp>',
          conversationId: 'AAQkAGI2RANSOM1=',
          subject: RANSOM_EMAIL.subject,
        },
      },
    ]);
  });

  test('already a consultation: its number, state and card; registering is not offered', async () => {
    routes['/api/mail/status'] = json(200, { status: 'registered', consultation: CONSULTATION });
    const { pane } = makePane();
    await pane.start();
    expect(pane.state).toMatchObject({ kind: 'registered', consultation: CONSULTATION });
    await pane.submit();
    await pane.append();
    expect(pane.state.kind).toBe('registered');
    expect(received.map((r) => r.path)).toEqual(['/api/mail/status']);
  });

  test('a follow-up: 「に追加」 links it to its case with the REST id', async () => {
    routes['/api/mail/status'] = json(200, {
      status: 'follow_up',
      by: 'conversation',
      consultation: CONSULTATION,
    });
    routes['/api/mail/append'] = json(200, {
      appended: true,
      consultation: { ...CONSULTATION, state: 'claimed' },
    });
    const { pane, states } = makePane();
    await pane.start();
    expect(pane.state).toMatchObject({ kind: 'follow-up', consultation: CONSULTATION });

    await pane.append();
    expect(states.at(-2)).toMatchObject({ kind: 'submitting', action: 'append' });
    expect(pane.state).toMatchObject({
      kind: 'done',
      outcome: 'appended',
      consultation: { number: '2026-000042', state: 'claimed' },
    });
    expect(received[1]).toMatchObject({
      path: '/api/mail/append',
      body: { itemId: restIdOf(RANSOM_EMAIL.itemId!), mailbox: null, consultationId: 42 },
    });
  });

  test('a follow-up may still be registered as a new consultation', async () => {
    routes['/api/mail/status'] = json(200, {
      status: 'follow_up',
      by: 'number',
      consultation: CONSULTATION,
    });
    const { pane } = makePane();
    await pane.start();
    pane.registerAsNew();
    expect(formOf(pane).values.organisation).toBe('株式会社山田精工');
  });

  test('an email added before: 「すでに追加されています」', async () => {
    routes['/api/mail/status'] = json(200, { status: 'follow_up', consultation: CONSULTATION });
    routes['/api/mail/append'] = json(200, { appended: false, consultation: CONSULTATION });
    const { pane } = makePane();
    await pane.start();
    await pane.append();
    expect(pane.state).toMatchObject({ kind: 'done', outcome: 'already-appended' });
  });
});

describe('registering', () => {
  test('sends what staff confirmed with the REST id; shows the number and the card', async () => {
    routes['/api/mail/status'] = NEW;
    routes['/api/mail/convert'] = json(201, {
      created: true,
      consultation: CONSULTATION,
      card: 'no_channel',
      tagged: true,
      attachments: [
        { name: 'screen.png', contentType: 'image/png', size: 48213, kept: true, skipped: null },
        {
          name: 'logs.zip',
          contentType: 'application/zip',
          size: 30_000_000,
          kept: false,
          skipped: {
            reason: 'too_big',
            message: { ja: '10 MBを超えるため保存していません', en: 'Not kept: larger than 10 MB' },
          },
        },
      ],
    });
    const drafts = memoryDrafts();
    const { pane, states } = makePane(RANSOM_EMAIL, { drafts });
    await pane.start();
    pane.edit('person', '山田 太郎（総務部長）');
    pane.edit('urgency', 'high');
    pane.edit('phone', '０３－０１２３－４５６７'.replace(/－/g, '-'));
    pane.edit('details', '  電話で折り返し希望（15時以降）  ');
    expect(drafts.saved.get(RANSOM_EMAIL.internetMessageId!)?.urgency).toBe('high');

    await pane.submit();
    expect(states.at(-2)).toMatchObject({ kind: 'submitting', action: 'convert' });
    expect(pane.state).toMatchObject({
      kind: 'done',
      outcome: 'created',
      consultation: CONSULTATION,
      card: 'no_channel',
      attachments: [
        { name: 'screen.png', kept: true },
        { name: 'logs.zip', kept: false, skipped: { reason: 'too_big' } },
      ],
    });
    expect(received[1]).toEqual({
      path: '/api/mail/convert',
      auth: 'Bearer token-1',
      body: {
        itemId: restIdOf(RANSOM_EMAIL.itemId!),
        mailbox: null,
        form: {
          consulter: {
            organisation: '株式会社山田精工',
            person: '山田 太郎（総務部長）',
            phone: '03-0123-4567',
          },
          categoryId: 'ransomware',
          urgency: 'high',
          subject: RANSOM_EMAIL.subject,
          details: '電話で折り返し希望（15時以降）',
        },
      },
    });
    // Registered: the draft is gone.
    expect(drafts.saved.size).toBe(0);
  });

  test('already registered by someone else meanwhile: 200 created false, no second record', async () => {
    routes['/api/mail/status'] = NEW;
    routes['/api/mail/convert'] = json(200, { created: false, consultation: CONSULTATION });
    const { pane } = makePane();
    await pane.start();
    await pane.submit();
    expect(pane.state).toMatchObject({ kind: 'done', outcome: 'existing' });
  });

  test('two presses while the first is on its way send one request', async () => {
    routes['/api/mail/status'] = NEW;
    routes['/api/mail/convert'] = json(201, { created: true, consultation: CONSULTATION });
    const { pane } = makePane();
    await pane.start();
    await Promise.all([pane.submit(), pane.submit()]);
    expect(received.filter((r) => r.path === '/api/mail/convert')).toHaveLength(1);
  });

  test('empty fields are sent as null; the subject is required and checked before sending', async () => {
    routes['/api/mail/status'] = NEW;
    const { pane } = makePane({ ...RANSOM_EMAIL, bodyText: 'x', from: null });
    await pane.start();
    pane.edit('subject', '   ');
    pane.edit('phone', '03-12ab');
    await pane.submit();
    const form = formOf(pane);
    expect(form.fieldErrors).toEqual({
      subject: '件名を入力してください。',
      phone: '電話番号は数字とハイフンで入力してください（例: 03-1234-5678）。',
    });
    expect(form.problem).toMatchObject({
      kind: 'validation',
      message: '入力内容を確認してください（2 件）。',
    });
    expect(received.map((r) => r.path)).toEqual(['/api/mail/status']);

    // Typing in a field clears its own error only.
    pane.edit('subject', '件名');
    expect(formOf(pane).fieldErrors).toEqual({
      phone: '電話番号は数字とハイフンで入力してください（例: 03-1234-5678）。',
    });
  });

  test('a draft kept for this email fills the form again', async () => {
    routes['/api/mail/status'] = NEW;
    const drafts = memoryDrafts();
    drafts.saved.set(RANSOM_EMAIL.internetMessageId!, {
      organisation: '山田精工',
      person: '山田',
      phone: '',
      categoryId: 'data-leak',
      urgency: 'low',
      subject: '直した件名',
      details: '',
    });
    const { pane } = makePane(RANSOM_EMAIL, { drafts });
    await pane.start();
    expect(formOf(pane).values).toMatchObject({ subject: '直した件名', categoryId: 'data-leak' });
  });
});

describe('failures: a clear message each, and what was typed stays', () => {
  const typed = async (pane: Pane) => {
    await pane.start();
    pane.edit('organisation', '株式会社テスト精工');
    pane.edit('subject', '入力した件名');
    await pane.submit();
    return formOf(pane);
  };

  const cases: [string, Route, Record<string, unknown>][] = [
    [
      'no permission (403 forbidden)',
      json(403, {
        error: {
          code: 'forbidden',
          message: { ja: 'この操作は 一次対応・職員 だけが行えます。', en: 'Only first line can.' },
          details: { roles: ['first-line', 'supervisor'] },
        },
      }),
      {
        kind: 'forbidden',
        message: expect.stringContaining('権限がありません'),
        detail: 'この操作は 一次対応・職員 だけが行えます。',
        canSignIn: false,
      },
    ],
    [
      'expired sign-in (401 token_expired)',
      json(401, {
        error: {
          code: 'token_expired',
          message: { ja: 'サインインの有効期限が切れました。', en: 'Expired.' },
          details: {},
        },
      }),
      {
        kind: 'signed_out',
        message: expect.stringContaining('サインイン'),
        detail: 'サインインの有効期限が切れました。',
        canSignIn: true,
      },
    ],
    [
      'consent missing (403 consent_required)',
      json(403, {
        error: { code: 'consent_required', message: { ja: '同意が必要', en: 'consent' } },
      }),
      { kind: 'consent', message: expect.stringContaining('同意が必要です'), canSignIn: true },
    ],
    [
      'Graph refused (403 mail_permission)',
      json(403, {
        error: {
          code: 'mail_permission',
          message: { ja: 'Mail.ReadWrite の権限がありません。', en: 'Mail.ReadWrite missing.' },
        },
      }),
      {
        kind: 'mail_permission',
        message: expect.stringContaining('Mail.ReadWrite'),
        detail: 'Mail.ReadWrite の権限がありません。',
      },
    ],
    [
      'Graph not configured (503 mail_not_configured)',
      json(503, {
        error: { code: 'mail_not_configured', message: { ja: '未設定', en: 'not set' } },
      }),
      {
        kind: 'mail_not_configured',
        message: expect.stringContaining('メール連携（Microsoft Graph）が設定されていない'),
      },
    ],
    [
      'Graph or the database down (503 unavailable)',
      json(503, {
        error: { code: 'unavailable', message: { ja: '一時的に', en: 'temporarily' } },
      }),
      {
        kind: 'unavailable',
        message: expect.stringContaining('一時的に利用できません'),
        canRetry: true,
      },
    ],
    [
      'server error (500, with the request id)',
      json(
        500,
        { error: { code: 'internal', message: { ja: '内部エラー', en: 'internal' }, details: {} } },
        { 'x-request-id': 'c0ffee-1234' },
      ),
      {
        kind: 'server',
        message: expect.stringContaining('HTTP 500'),
        requestId: 'c0ffee-1234',
      },
    ],
    [
      'the email is gone from the mailbox (404 message_not_found): the server’s words',
      json(404, {
        error: {
          code: 'message_not_found',
          message: { ja: 'このメールはメールボックスにありません。', en: 'Not in the mailbox.' },
        },
      }),
      { kind: 'other', message: 'このメールはメールボックスにありません。' },
    ],
    [
      'Graph refused for another reason (502 mail_failed): not “temporary”',
      json(502, {
        error: {
          code: 'mail_failed',
          message: { ja: 'アプリ登録の設定を確認してください。', en: 'Check the app.' },
        },
      }),
      { kind: 'other', message: 'アプリ登録の設定を確認してください。' },
    ],
    [
      'a proxy’s error page (502, not JSON)',
      () => ({ status: 502, body: undefined }),
      { kind: 'unavailable', requestId: 'req-0001' },
    ],
  ];

  test.each(cases)('%s', async (_name, route, expected) => {
    routes['/api/mail/status'] = NEW;
    routes['/api/mail/convert'] = route;
    const { pane } = makePane();
    const form = await typed(pane);
    expect(form.problem).toMatchObject(expected);
    expect(form.values).toMatchObject({
      organisation: '株式会社テスト精工',
      subject: '入力した件名',
      phone: '03-0000-1234',
    });
  });

  test('400 validation: each field’s message next to its field, in the person’s language', async () => {
    routes['/api/mail/status'] = NEW;
    routes['/api/mail/convert'] = json(400, {
      error: {
        code: 'validation',
        message: { ja: '入力内容に誤りがあります。', en: 'Some fields are not valid.' },
        details: {
          fields: {
            'consulter.phone': { ja: '電話番号の形式が正しくありません。', en: 'Bad phone.' },
            categoryId: { ja: '相談分類を選んでください。', en: 'Choose a category.' },
          },
        },
      },
    });
    const { pane } = makePane(RANSOM_EMAIL, { lang: 'en' });
    const form = await typed(pane);
    expect(form.fieldErrors).toEqual({ phone: 'Bad phone.', categoryId: 'Choose a category.' });
    expect(form.problem).toMatchObject({
      kind: 'validation',
      message: 'Please check what you entered.',
      detail: 'Some fields are not valid.',
    });
    expect(form.values.subject).toBe('入力した件名');
  });

  test('no network: said so; the same press works once the server answers', async () => {
    routes['/api/mail/status'] = NEW;
    let calls = 0;
    const { pane } = makePane(RANSOM_EMAIL, {
      signIn: async () => ({
        call: <T>(path: string, opts?: Parameters<typeof callApi>[2]) =>
          callApi<T>(path, 't', opts, (url, init) =>
            // The first convert meets a closed port, as when the network is gone.
            String(url).endsWith('/convert') && calls++ === 0
              ? fetch('http://127.0.0.1:1/api/mail/convert', init)
              : fetch(`${base}${String(url)}`, init),
          ),
      }),
    });
    const form = await typed(pane);
    expect(form.problem).toMatchObject({
      kind: 'network',
      message: expect.stringContaining('接続できません'),
      canRetry: true,
    });
    expect(form.values.organisation).toBe('株式会社テスト精工');

    routes['/api/mail/convert'] = json(201, { created: true, consultation: CONSULTATION });
    await pane.submit();
    expect(pane.state).toMatchObject({ kind: 'done', outcome: 'created' });
    expect(received.at(-1)?.body).toMatchObject({
      form: { consulter: { organisation: '株式会社テスト精工' }, subject: '入力した件名' },
    });
  });

  test('signed out while submitting: サインイン keeps the form and what was typed', async () => {
    routes['/api/mail/status'] = NEW;
    routes['/api/mail/convert'] = json(401, {
      error: { code: 'token_expired', message: { ja: '期限切れ', en: 'expired' } },
    });
    let signIns = 0;
    const { pane } = makePane(RANSOM_EMAIL, {
      signIn: async () => {
        signIns++;
        return session(`token-${signIns}`);
      },
    });
    await typed(pane);
    await pane.signIn();
    expect(signIns).toBe(2);
    const form = formOf(pane);
    expect(form.problem).toBeNull();
    expect(form.values.subject).toBe('入力した件名');

    routes['/api/mail/convert'] = json(201, { created: true, consultation: CONSULTATION });
    await pane.submit();
    expect(pane.state.kind).toBe('done');
    expect(received.at(-1)?.auth).toBe('Bearer token-2');
  });

  test('consent missing: サインイン asks for consent first, keeps what was typed, and the press works after', async () => {
    routes['/api/mail/status'] = NEW;
    routes['/api/mail/convert'] = json(403, {
      error: { code: 'consent_required', message: { ja: '同意が必要', en: 'consent' } },
    });
    const consents: number[] = [];
    const { pane } = makePane(RANSOM_EMAIL, {
      signIn: async () => ({ ...session(), consent: async () => void consents.push(1) }),
    });
    const form = await typed(pane);
    expect(form.problem).toMatchObject({ kind: 'consent', canSignIn: true });
    await pane.signIn();
    expect(consents).toHaveLength(1);
    expect(formOf(pane)).toMatchObject({ problem: null, values: { subject: '入力した件名' } });

    routes['/api/mail/convert'] = json(201, { created: true, consultation: CONSULTATION });
    await pane.submit();
    expect(pane.state).toMatchObject({ kind: 'done', outcome: 'created' });
  });

  test('consent refused in the popup: said so, on the form as it was', async () => {
    routes['/api/mail/status'] = NEW;
    routes['/api/mail/convert'] = json(403, {
      error: { code: 'consent_required', message: { ja: '同意が必要', en: 'consent' } },
    });
    const { pane } = makePane(RANSOM_EMAIL, {
      signIn: async () => ({
        ...session(),
        consent: async () => {
          throw new ApiError(401, 'sign_in_failed', null, { reason: 'BrowserAuthError' });
        },
      }),
    });
    await typed(pane);
    await pane.signIn();
    expect(formOf(pane)).toMatchObject({
      problem: { kind: 'signed_out', canSignIn: true },
      values: { subject: '入力した件名' },
    });
  });

  test('sign-in fails at start: signed-out with サインイン; once it works, the status is asked', async () => {
    routes['/api/mail/status'] = json(200, { status: 'registered', consultation: CONSULTATION });
    let attempt = 0;
    const { pane } = makePane(RANSOM_EMAIL, {
      signIn: async () => {
        if (attempt++ === 0) {
          throw new ApiError(401, 'sign_in_failed', null, {
            reason: 'InteractionRequiredAuthError',
          });
        }
        return session();
      },
    });
    await pane.start();
    expect(pane.state).toMatchObject({
      kind: 'signed-out',
      problem: { kind: 'signed_out', canSignIn: true },
    });
    expect(received).toEqual([]);
    await pane.signIn();
    expect(pane.state.kind).toBe('registered');
  });

  test('the status cannot be had: an error with もう一度試す, which asks again', async () => {
    routes['/api/mail/status'] = json(503, {
      error: { code: 'unavailable', message: { ja: 'DB', en: 'DB' }, details: { what: 'db' } },
    });
    const { pane } = makePane();
    await pane.start();
    expect(pane.state).toMatchObject({
      kind: 'error',
      problem: { kind: 'unavailable', canRetry: true },
    });
    routes['/api/mail/status'] = NEW;
    await pane.retry();
    expect(pane.state.kind).toBe('new');
  });

  test('adding to a case fails: the follow-up stays with the message', async () => {
    routes['/api/mail/status'] = json(200, { status: 'follow_up', consultation: CONSULTATION });
    routes['/api/mail/append'] = json(404, {
      error: { code: 'not_found', message: { ja: '見つかりません', en: 'not found' } },
    });
    const { pane } = makePane();
    await pane.start();
    await pane.append();
    expect(pane.state).toMatchObject({
      kind: 'follow-up',
      problem: { kind: 'not_found', detail: '見つかりません' },
    });
  });

  test('no email open, or Outlook failing to give the body: said so, with retry', async () => {
    const none = makePane(null).pane;
    await none.start();
    expect(none.state).toMatchObject({
      kind: 'error',
      problem: { kind: 'no_item', message: expect.stringContaining('メールが選択されていません') },
    });

    const failing = makePane({ ...RANSOM_EMAIL, bodyFails: 'Internal error 9020' }).pane;
    await failing.start();
    expect(failing.state).toMatchObject({
      kind: 'error',
      problem: { kind: 'outlook', message: expect.stringContaining('Internal error 9020') },
    });
    expect(received).toEqual([]);
  });

  test('a session without a role that may register: said at once, nothing can be sent', async () => {
    routes['/api/mail/status'] = NEW;
    const { pane } = makePane(RANSOM_EMAIL, {
      signIn: async () => ({ ...session(), user: { roles: ['specialist'] } }),
    });
    await pane.start();
    expect(formOf(pane).problem).toMatchObject({
      kind: 'forbidden',
      message: expect.stringContaining('一次対応または職員の役割が必要です'),
    });
    await pane.submit();
    expect(received.map((r) => r.path)).toEqual(['/api/mail/status']);

    routes['/api/mail/status'] = json(200, { status: 'follow_up', consultation: CONSULTATION });
    const followUp = makePane(RANSOM_EMAIL, {
      signIn: async () => ({ ...session(), user: { roles: ['specialist'] } }),
    }).pane;
    await followUp.start();
    await followUp.append();
    expect(followUp.state).toMatchObject({ kind: 'follow-up', problem: { kind: 'forbidden' } });
    expect(received.filter((r) => r.path === '/api/mail/append')).toEqual([]);
  });

  test('English when Outlook runs in English', async () => {
    routes['/api/mail/status'] = NEW;
    routes['/api/mail/convert'] = json(403, { error: { code: 'forbidden' } });
    const { pane } = makePane(RANSOM_EMAIL, { lang: 'en' });
    const form = await typed(pane);
    expect(form.problem?.message).toBe(
      'You may not register emails as consultations (this needs the first-line or supervisor role). Contact the desk’s administrator.',
    );
  });
});

describe('an email opened in the desk’s shared mailbox', () => {
  const DESK = 'soudan@desk.example.lg.jp';
  const SHARED_EMAIL: MockEmail = {
    ...RANSOM_EMAIL,
    itemId: 'AAMkAGDesk/shared+7=',
    shared: { targetMailbox: DESK, owner: DESK },
  };

  test('the header names the mailbox; register and add send it as `mailbox`', async () => {
    routes['/api/mail/status'] = NEW;
    routes['/api/mail/convert'] = json(201, { created: true, consultation: CONSULTATION });
    const { pane } = makePane(SHARED_EMAIL);
    await pane.start();
    expect(formOf(pane).email.mailbox).toBe(DESK);
    // What the desk knows about an email does not depend on the mailbox it is in.
    expect(received[0]!.body).toEqual({
      internetMessageId: RANSOM_EMAIL.internetMessageId,
      conversationId: RANSOM_EMAIL.conversationId,
      subject: RANSOM_EMAIL.subject,
    });
    await pane.submit();
    expect(pane.state).toMatchObject({ kind: 'done', outcome: 'created' });
    expect(received[1]).toMatchObject({
      path: '/api/mail/convert',
      body: {
        itemId: restIdOf(SHARED_EMAIL.itemId!),
        mailbox: DESK,
        form: { categoryId: 'ransomware', subject: RANSOM_EMAIL.subject },
      },
    });

    routes['/api/mail/status'] = json(200, { status: 'follow_up', consultation: CONSULTATION });
    routes['/api/mail/append'] = json(200, { appended: true, consultation: CONSULTATION });
    const followUp = makePane({ ...SHARED_EMAIL, internetMessageId: '<ransom1.2@x.jp>' }).pane;
    await followUp.start();
    await followUp.append();
    expect(followUp.state).toMatchObject({ kind: 'done', outcome: 'appended' });
    expect(received.at(-1)).toMatchObject({
      path: '/api/mail/append',
      body: { itemId: restIdOf(SHARED_EMAIL.itemId!), mailbox: DESK, consultationId: 42 },
    });
  });

  const sharedCases: [string, Route, 'ja' | 'en', Record<string, unknown>][] = [
    [
      'consent for the shared mailbox missing (403 consent_required, Mail.ReadWrite.Shared)',
      json(403, {
        error: {
          code: 'consent_required',
          message: { ja: '許可（Mail.ReadWrite.Shared）がまだ', en: 'not yet allowed' },
          details: { permission: 'Mail.ReadWrite.Shared' },
        },
      }),
      'ja',
      {
        kind: 'consent',
        message:
          '窓口が共有メールボックス soudan@desk.example.lg.jp のメールを読むには、あなたの同意（Microsoft Graph の Mail.ReadWrite.Shared）が必要です。「サインイン」を押して同意してください。同意の画面が出ない場合や許可できない場合は、管理者に連絡してください。',
        canSignIn: true,
      },
    ],
    [
      'the same in English',
      json(403, {
        error: {
          code: 'consent_required',
          message: { ja: '同意', en: 'consent' },
          details: { permission: 'Mail.ReadWrite.Shared' },
        },
      }),
      'en',
      {
        kind: 'consent',
        message: expect.stringMatching(
          /^Madoguchi needs your consent \(Microsoft Graph Mail\.ReadWrite\.Shared\) to read email in the shared mailbox soudan@desk\.example\.lg\.jp\./,
        ),
      },
    ],
    [
      'Graph refused the shared mailbox (403 mail_permission): access or permission, for the administrator',
      json(403, {
        error: {
          code: 'mail_permission',
          message: { ja: 'Graph が拒否しました。', en: 'Graph refused.' },
          details: { permission: 'Mail.ReadWrite.Shared', graphStatus: 403 },
        },
      }),
      'ja',
      {
        kind: 'mail_permission',
        message: expect.stringContaining(
          '共有メールボックス soudan@desk.example.lg.jp のこのメールを読めませんでした',
        ),
        detail: 'Graph が拒否しました。',
      },
    ],
    [
      'not in the shared mailbox (404 message_not_found): names the mailbox',
      json(404, {
        error: {
          code: 'message_not_found',
          message: { ja: 'このメールが見つかりません。', en: 'Not found.' },
        },
      }),
      'ja',
      {
        kind: 'other',
        message:
          'このメールが共有メールボックス soudan@desk.example.lg.jp に見つかりません。移動または削除された可能性があります。メールを開き直してから、もう一度お試しください。入力した内容は残っています。',
        canRetry: true,
      },
    ],
  ];

  test.each(sharedCases)('%s', async (_name, route, lang, expected) => {
    routes['/api/mail/status'] = NEW;
    routes['/api/mail/convert'] = route;
    const { pane } = makePane(SHARED_EMAIL, { lang });
    await pane.start();
    pane.edit('subject', '入力した件名');
    await pane.submit();
    const form = formOf(pane);
    expect(form.problem).toMatchObject(expected);
    expect(form.values.subject).toBe('入力した件名');
    expect(received.at(-1)?.body).toMatchObject({ mailbox: DESK });
  });

  test('Outlook fails to give the shared properties: the own mailbox is asked, and a 404 says why it may be', async () => {
    routes['/api/mail/status'] = NEW;
    routes['/api/mail/convert'] = json(404, {
      error: {
        code: 'message_not_found',
        message: { ja: 'このメールが見つかりません。', en: 'Not found.' },
      },
    });
    const { pane } = makePane({ ...RANSOM_EMAIL, shared: { fails: 'The operation failed.' } });
    await pane.start();
    expect(formOf(pane).email.mailbox).toBeNull();
    await pane.submit();
    expect(received.at(-1)).toMatchObject({
      path: '/api/mail/convert',
      body: { itemId: restIdOf(RANSOM_EMAIL.itemId!), mailbox: null },
    });
    expect(formOf(pane).problem).toMatchObject({
      kind: 'other',
      message:
        'このメールがあなたのメールボックスに見つかりません。Outlook から、このメールがどのメールボックスにあるかを読み取れませんでした（The operation failed.）。共有メールボックスのメールであれば、Outlook で開き直してから、もう一度お試しください。入力した内容は残っています。',
    });
  });

  test('in one’s own mailbox a 404 keeps the server’s words', async () => {
    routes['/api/mail/status'] = NEW;
    routes['/api/mail/convert'] = json(404, {
      error: {
        code: 'message_not_found',
        message: { ja: 'このメールが見つかりません。', en: 'Not found.' },
      },
    });
    const { pane } = makePane();
    await pane.start();
    await pane.submit();
    expect(formOf(pane).problem?.message).toBe('このメールが見つかりません。');
  });
});
