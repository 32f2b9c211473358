/**
 * The Outlook add-in's API through the real server: Entra ID tokens checked by the
 * sign-in module, the email read through Graph on behalf of the person (msal-node and the
 * Graph client against the stand-ins), the record in SQLite, its card posted by the real
 * Teams surface (to a gateway that records what would go to Teams).
 */
import { createHash } from 'node:crypto';
import pino from 'pino';
import { createTeamsSurface, type TeamsSurface } from '../../bot';
import { createAdapter } from '../../bot/adapter';
import { NOTICE_CATCH_UP_AFTER_MS } from '../../bot/notices';
import { RateLimiter } from '../../bot/outbound/rate-limiter';
import { BotConnectorGateway, type TeamsGateway } from '../../bot/outbound/teams-gateway';
import type { Config } from '../../src/config';
import { ConsultationService } from '../../src/consultation/consultation.service';
import { directoryFromRoles } from '../../src/consultation/directory';
import { createMailIntakeSurface } from '../../src/intake/mail-intake.routes';
import { CATEGORIES } from '../../src/knowledge/knowledge';
import { createServer, type App } from '../../src/server/app';
import { createSignIn } from '../../src/server/auth';
import { openStore, type Store } from '../../src/store/store';
import { DeskService } from '../../src/teams/desk.service';
import { callApi } from '../support/auth';
import { startBotConnector, type StandInConnector } from '../support/bot-connector';
import { testConfig } from '../support/config';
import { captureLogs, CLIENT, TENANT } from '../support/mail';
import {
  CONSULTER_ADDRESS,
  fileAttachment,
  intakeEmail,
  intakeForm,
  startIntakeStandIns,
  type IntakeStandIns,
} from '../support/mail-intake';
import { RecordingGateway } from '../support/recording-gateway';

const OTHER_TENANT = '0a1b2c3d-0000-4000-8000-000000000099';
const FIRST_LINE = 'aaaaaaaa-1111-4222-8333-444444444444';
const SUPERVISOR = 'bbbbbbbb-1111-4222-8333-444444444444';
const SPECIALIST = 'cccccccc-1111-4222-8333-444444444444';
const INTAKE_CHANNEL = '19:intake-channel@thread.tacv2';

interface Running {
  url: string;
  config: Config;
  store: Store;
  service: ConsultationService;
  teams: TeamsSurface;
  gateway: RecordingGateway;
  logs: ReturnType<typeof captureLogs>;
  close(): Promise<void>;
}

let mail: IntakeStandIns;
beforeAll(async () => {
  mail = await startIntakeStandIns();
});
afterAll(() => mail.close());

/** botbuilder's own adapter and connector client, talking to the stand-in Bot Connector. */
const overHttp = (config: Config): TeamsGateway =>
  new BotConnectorGateway(
    createAdapter(config.bot, pino({ level: 'silent' })),
    '',
    new RateLimiter(),
    { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
  );

/**
 * The server as main.ts wires it, in production mode (Entra ID tokens only). With a
 * `connector`, what goes to Teams goes through the real adapter to that stand-in (the
 * intake channel is there); otherwise to a recording gateway. `intakeClock` is the time
 * emails are added at.
 */
async function start(
  mailOver: Partial<Config['mail']> = {},
  { connector, intakeClock }: { connector?: StandInConnector; intakeClock?: () => Date } = {},
): Promise<Running> {
  const logs = captureLogs();
  const config = testConfig({
    mode: 'production',
    publicBaseUrl: 'https://madoguchi.example.jp',
    roles: { 'first-line': [FIRST_LINE], supervisor: [SUPERVISOR], specialist: [SPECIALIST] },
    mail: {
      ...mail.settings,
      mailbox: null,
      ...mailOver,
    },
  });
  const store = await openStore({ sqlitePath: ':memory:' });
  const directory = directoryFromRoles(config.roles);
  const categoryIds = new Set(CATEGORIES.map((c) => c.id));
  const service = new ConsultationService({ store, directory, categoryIds });
  const gateway = new RecordingGateway();
  const teams = createTeamsSurface({
    config,
    store,
    service,
    directory,
    logger: logs.logger,
    gateway: connector ? overHttp(config) : gateway,
  });
  await new DeskService(store).setIntakeChannel(INTAKE_CHANNEL, {
    conversation: { id: INTAKE_CHANNEL },
    serviceUrl: connector?.url ?? 'https://smba.trafficmanager.net/jp/',
  });
  const signIn = await createSignIn({ config, directory });
  const app: App = createServer({
    config,
    logger: logs.logger,
    store,
    surfaces: [
      signIn.register,
      teams.register,
      createMailIntakeSurface({
        config,
        store,
        consultations: service,
        cards: teams.cards,
        categoryIds,
        authenticate: signIn.authenticate,
        logger: logs.logger,
        graph: { retry: { delaySeconds: 0, maxRetries: 1 } },
        clock: intakeClock,
      }),
    ],
  });
  const { url } = await app.listen();
  return {
    url,
    config,
    store,
    service,
    teams,
    gateway,
    logs,
    async close() {
      await teams.background.idle();
      await app.close();
      await store.close();
    },
  };
}

const tokenFor = (oid: string, over: Record<string, unknown> = {}) =>
  mail.entra.accessToken({ oid, name: 'Megan Bowen', tid: TENANT, aud: CLIENT, ...over });

/**
 * A consultation made from an email in Outlook, claimed by first line and dispatched to
 * the specialist, both of whom the bot has met (their 1:1 notices can go out).
 */
async function caseInHand(app: Running, tag: string): Promise<{ id: number; number: string }> {
  const first = intakeEmail({
    id: `AAMk-${tag}-0001=`,
    internetMessageId: `<${tag}-0001@mail.tanaka-denki.example.co.jp>`,
    conversationId: `AAQk-${tag}=`,
  });
  mail.graph.addMessage(FIRST_LINE, first);
  const fl = await tokenFor(FIRST_LINE);
  const { body: created } = await callApi(app.url, '/api/mail/convert', fl, {
    body: { itemId: first.id, form: intakeForm() },
  });
  const id: number = created.consultation.id;
  const owner = { id: FIRST_LINE, name: '受付', roles: ['first-line' as const] };
  await app.service.claim(owner, id);
  await app.service.dispatch(owner, id, { specialistId: SPECIALIST, coordinationNeeded: false });
  await new DeskService(app.store).rememberPeople([
    { aadObjectId: FIRST_LINE, teamsUserId: '29:first-line', name: '受付', locale: 'ja-JP' },
    { aadObjectId: SPECIALIST, teamsUserId: '29:specialist', name: '専門員', locale: 'en-US' },
  ]);
  await app.teams.background.idle();
  return { id, number: created.consultation.number as string };
}

/** The consulter's `n`th email in the case's conversation, added to it in Outlook by `who`. */
async function addFollowUp(
  app: Running,
  c: { tag: string; id: number },
  n: number,
  who: string,
  email: { subject: string; content: string },
): Promise<void> {
  const m = intakeEmail({
    id: `AAMk-${c.tag}-000${n}=`,
    internetMessageId: `<${c.tag}-000${n}@mail.tanaka-denki.example.co.jp>`,
    conversationId: `AAQk-${c.tag}=`,
    subject: email.subject,
    body: { contentType: 'text', content: email.content },
  });
  mail.graph.addMessage(who, m);
  const res = await callApi(app.url, '/api/mail/append', await tokenFor(who), {
    body: { itemId: m.id, consultationId: c.id },
  });
  expect(res.status).toBe(200);
  await app.teams.background.idle();
}

describe('the add-in API refuses tokens it must not accept', () => {
  let app: Running;
  beforeAll(async () => {
    app = await start();
  });
  afterAll(() => app.close());

  const now = () => Math.floor(Date.now() / 1000);
  const cases: [string, () => Promise<string | null>, string][] = [
    ['no token', async () => null, 'token_missing'],
    [
      'the wrong audience',
      () => tokenFor(FIRST_LINE, { aud: 'api://someone-else' }),
      'token_audience',
    ],
    [
      'the wrong issuer',
      () => tokenFor(FIRST_LINE, { iss: `https://sts.example.com/${TENANT}/v2.0` }),
      'token_issuer',
    ],
    [
      'another tenant',
      () =>
        tokenFor(FIRST_LINE, { tid: OTHER_TENANT, iss: `${mail.entra.url}/${OTHER_TENANT}/v2.0` }),
      'token_tenant',
    ],
    [
      'an expired token',
      () => tokenFor(FIRST_LINE, { exp: now() - 3600, iat: now() - 7200, nbf: now() - 7200 }),
      'token_expired',
    ],
    [
      'a bad signature',
      () =>
        mail.entra.accessToken({ oid: FIRST_LINE, tid: TENANT, aud: CLIENT }, { foreignKey: true }),
      'token_signature',
    ],
    [
      'alg: none',
      () =>
        mail.entra.accessToken({ oid: FIRST_LINE, tid: TENANT, aud: CLIENT }, { unsigned: true }),
      'token_algorithm',
    ],
  ];

  test.each(cases)('%s: 401 with its code, nothing read or recorded', async (_what, make, code) => {
    const token = await make();
    const graphBefore = mail.graph.requests.length;
    const oboBefore = mail.entra.obo.length;
    for (const [path, body] of [
      ['/api/mail/status', { internetMessageId: '<x@example.jp>' }],
      ['/api/mail/convert', { itemId: 'AAMk=', form: intakeForm() }],
      ['/api/mail/append', { itemId: 'AAMk=', consultationId: 1 }],
    ] as const) {
      const res = await callApi(app.url, path, token, { body });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.message.ja).toMatch(/[ぁ-んァ-ン一-龯]/);
    }
    expect(mail.graph.requests.length).toBe(graphBefore);
    expect(mail.entra.obo.length).toBe(oboBefore);
    expect(await app.store.db.selectFrom('consultation').selectAll().execute()).toEqual([]);
  });

  test('a valid token passes', async () => {
    const res = await callApi(app.url, '/api/mail/status', await tokenFor(FIRST_LINE), {
      body: { internetMessageId: '<never-seen@example.jp>', conversationId: null, subject: null },
    });
    expect(res).toEqual({ status: 200, body: { status: 'new' } });
  });
});

describe('an email becomes a record, and its reply joins it', () => {
  let app: Running;
  beforeEach(async () => {
    app = await start();
  });
  afterEach(() => app.close());

  test('two clicks at once: one 201, one 200, one record, one card in the channel', async () => {
    const message = intakeEmail();
    mail.graph.addMessage(FIRST_LINE, message);
    const token = await tokenFor(FIRST_LINE);
    const convert = () =>
      callApi(app.url, '/api/mail/convert', token, {
        body: { itemId: message.id, form: intakeForm() },
      });

    const answers = await Promise.all([convert(), convert()]);

    expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
    const created = answers.find((a) => a.status === 201)!.body;
    const again = answers.find((a) => a.status === 200)!.body;
    expect(created).toMatchObject({ created: true, card: 'posted', tagged: true, attachments: [] });
    expect(again).toEqual({ created: false, consultation: expect.any(Object) });
    expect(again.consultation.id).toBe(created.consultation.id);
    expect(created.consultation).toEqual({
      id: created.consultation.id,
      number: expect.stringMatching(/^\d{4}-\d{6}$/),
      state: 'received',
      subject: 'フィッシングメールのリンクを開いた',
      teamsCardUrl: `https://teams.microsoft.com/l/message/${encodeURIComponent(INTAKE_CHANNEL)}/sent-1?parentMessageId=sent-1`,
    });

    const records = await app.store.db.selectFrom('consultation').selectAll().execute();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ channel: 'email', consulter_email: CONSULTER_ADDRESS });
    expect(app.gateway.sent).toHaveLength(1);
    expect(app.gateway.sent[0]!.reference.conversation?.id).toBe(INTAKE_CHANNEL);
    expect(JSON.stringify(app.gateway.sent[0]!.activity)).toContain(created.consultation.number);

    // The pane asks again: this email is registered.
    const status = await callApi(app.url, '/api/mail/status', token, {
      body: {
        internetMessageId: message.internetMessageId,
        conversationId: message.conversationId,
        subject: message.subject,
      },
    });
    expect(status).toEqual({
      status: 200,
      body: { status: 'registered', consultation: created.consultation },
    });
  });

  test('a reply (same thread) and a mail naming the number: follow-ups, appended to the case', async () => {
    const first = intakeEmail();
    mail.graph.addMessage(FIRST_LINE, first);
    const fl = await tokenFor(FIRST_LINE);
    const { body: created } = await callApi(app.url, '/api/mail/convert', fl, {
      body: { itemId: first.id, form: intakeForm() },
    });
    const number: string = created.consultation.number;

    const reply = intakeEmail({
      id: 'AAMk-reply-0002=',
      internetMessageId: '<reply-0002@mail.tanaka-denki.example.co.jp>',
      subject: 'RE: 不審なメールのリンクを開いてしまいました',
      body: {
        contentType: 'html',
        content: '<p>パスワードを変更しました。</p><blockquote>前のメール</blockquote>',
      },
    });
    const byNumber = intakeEmail({
      id: 'AAMk-number-0003=',
      internetMessageId: '<number-0003@mail.tanaka-denki.example.co.jp>',
      conversationId: 'AAQk-a-new-thread=',
      subject: `【相談番号 ${number}】その後の状況`,
      body: { contentType: 'text', content: 'その後、不審なログインはありません。' },
    });
    const sv = await tokenFor(SUPERVISOR);
    for (const m of [reply, byNumber]) {
      mail.graph.addMessage(SUPERVISOR, m);
      const status = await callApi(app.url, '/api/mail/status', sv, {
        body: {
          internetMessageId: m.internetMessageId,
          conversationId: m.conversationId,
          subject: m.subject,
        },
      });
      expect(status.body).toMatchObject({
        status: 'follow_up',
        by: m === reply ? 'conversation' : 'number',
        consultation: { number },
      });
      const appended = await callApi(app.url, '/api/mail/append', sv, {
        body: { itemId: m.id, consultationId: created.consultation.id },
      });
      expect(appended.status).toBe(200);
      expect(appended.body).toMatchObject({ appended: true, consultation: { number } });
    }

    const emails = await app.store.db
      .selectFrom('consultation_email')
      .select(['consultation_id', 'internet_message_id', 'linked_by_id'])
      .orderBy('id')
      .execute();
    expect(emails).toEqual([
      {
        consultation_id: created.consultation.id,
        internet_message_id: first.internetMessageId,
        linked_by_id: FIRST_LINE,
      },
      {
        consultation_id: created.consultation.id,
        internet_message_id: reply.internetMessageId,
        linked_by_id: SUPERVISOR,
      },
      {
        consultation_id: created.consultation.id,
        internet_message_id: byNumber.internetMessageId,
        linked_by_id: SUPERVISOR,
      },
    ]);
    // The card's thread says each new email arrived.
    await app.teams.background.idle();
    const lines = app.gateway.replied.map((r) => String(r.activity.text));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('新しいメールが届きました');
    expect(lines[0]).toContain('パスワードを変更しました。');
    expect(lines[0]).not.toContain('前のメール');
    expect(lines[1]).toContain('その後、不審なログインはありません。');
  });

  test('a follow-up on a case in hand: its owner and specialist are told in 1:1 what it is about, not who added it', async () => {
    const { id, number } = await caseInHand(app, 'handled');
    // The notices of the new email (the dispatch's, made outside Teams here, goes out too).
    const aboutEmail = () =>
      app.gateway.sent.filter((m) => /written again|新しいメール/.test(String(m.activity.text)));

    const handled = { tag: 'handled', id };
    // The owner adds the consulter's reply: only the specialist is told.
    await addFollowUp(app, handled, 2, FIRST_LINE, {
      subject: 'RE: その後',
      content: '社内の他のPCでも同じ画面が出ました。',
    });
    const told = aboutEmail();
    expect(told.map((m) => m.reference.conversation?.id)).toEqual(['a:opened-29:specialist']);
    // Its subject and first words, as the card's thread quotes them.
    expect(told[0]!.activity.text).toBe(
      `The consulter of consultation ${number} has written again: "RE: その後" — 社内の他のPCでも同じ画面が出ました。`,
    );
    expect(JSON.stringify(told[0]!.activity.attachments)).toContain(number);

    // A supervisor adds the next one: both the owner and the specialist are told. What the
    // consulter wrote is shown as written, never as Teams formatting (or a link).
    await addFollowUp(app, handled, 3, SUPERVISOR, {
      subject: 'RE: **至急** [詳細](https://evil.example/)',
      content: 'バックアップは無事でした。\n_念のため_ <b>再確認</b>します。',
    });
    const again = aboutEmail().slice(1);
    const subject = String.raw`RE: \*\*至急\*\* \[詳細\]\(https://evil.example/\)`;
    const excerpt = String.raw`バックアップは無事でした。 \_念のため\_ \<b\>再確認\</b\>します。`;
    expect(again.map((m) => [m.reference.conversation?.id, m.activity.text]).sort()).toEqual(
      [
        [
          'a:opened-29:specialist',
          `The consulter of consultation ${number} has written again: "${subject}" — ${excerpt}`,
        ],
        [
          'a:opened-29:first-line',
          `相談 ${number} に相談者から新しいメールが届きました：「${subject}」 — ${excerpt}`,
        ],
      ].sort(),
    );

    // The card's thread quotes it as written too.
    const threadLine = String(app.gateway.replied.at(-1)?.activity.text);
    expect(threadLine).toContain(subject);
    expect(threadLine).not.toContain('[詳細](');

    // One without a subject: the notice says only that an email came.
    await addFollowUp(app, handled, 4, SUPERVISOR, {
      subject: '',
      content: '件名を書き忘れました。',
    });
    expect(
      aboutEmail()
        .slice(3)
        .map((m) => m.activity.text)
        .sort(),
    ).toEqual(
      [
        `The consulter of consultation ${number} has written again.`,
        `相談 ${number} に相談者から新しいメールが届きました。`,
      ].sort(),
    );
    // The logs say what happened, never what the consulter wrote.
    for (const words of ['その後', '至急', '社内の他のPC', 'バックアップ', '件名を書き忘れ'])
      expect(app.logs.text()).not.toContain(words);
    const owed = await app.store.db
      .selectFrom('notice')
      .select(['kind', 'recipient_id', 'outcome'])
      .where('consultation_id', '=', id)
      .where('kind', '=', 'email')
      .orderBy('id')
      .execute();
    expect(owed).toEqual([
      { kind: 'email', recipient_id: SPECIALIST, outcome: 'sent' },
      { kind: 'email', recipient_id: FIRST_LINE, outcome: 'sent' },
      { kind: 'email', recipient_id: SPECIALIST, outcome: 'sent' },
      { kind: 'email', recipient_id: FIRST_LINE, outcome: 'sent' },
      { kind: 'email', recipient_id: SPECIALIST, outcome: 'sent' },
    ]);
  });

  test('attachments are listed with their SHA-256; their bytes are not served', async () => {
    const log = Buffer.from('2026-11-25 00:00:01 login failed from 203.0.113.9\n');
    const message = intakeEmail({
      id: 'AAMk-with-attachment=',
      internetMessageId: '<att-0004@mail.tanaka-denki.example.co.jp>',
      hasAttachments: true,
      attachments: [fileAttachment('auth.log', log, { contentType: 'text/plain' })],
    });
    mail.graph.addMessage(FIRST_LINE, message);
    const fl = await tokenFor(FIRST_LINE);
    const { body } = await callApi(app.url, '/api/mail/convert', fl, {
      body: { itemId: message.id, form: intakeForm() },
    });
    const listed = await callApi(
      app.url,
      `/api/mail/consultations/${body.consultation.id}/attachments`,
      fl,
    );
    expect(listed).toEqual({
      status: 200,
      body: {
        attachments: [
          {
            id: expect.any(Number),
            emailId: expect.any(Number),
            name: 'auth.log',
            contentType: 'text/plain',
            size: log.length,
            isInline: false,
            sha256: createHash('sha256').update(log).digest('hex'),
            kept: true,
            skipped: null,
          },
        ],
      },
    });
    expect(JSON.stringify(listed.body)).not.toContain(log.toString('base64'));
    const none = await callApi(app.url, '/api/mail/consultations/999/attachments', fl);
    expect(none.status).toBe(404);
  });

  test('validation: 400 with a message per field in both languages; a specialist: 403', async () => {
    const fl = await tokenFor(FIRST_LINE);
    const bad = await callApi(app.url, '/api/mail/convert', fl, {
      body: { itemId: '', form: intakeForm() },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation');
    expect(Object.keys(bad.body.error.details.fields)).toEqual(['itemId']);

    const form = await callApi(app.url, '/api/mail/convert', fl, {
      body: { itemId: 'AAMk=', form: intakeForm({ subject: ' ', urgency: 'soon' }) },
    });
    expect(form.status).toBe(400);
    expect(form.body.error.details.fields).toEqual({
      urgency: { ja: expect.stringMatching(/緊急度/), en: expect.stringMatching(/rgency/) },
      subject: {
        ja: expect.stringMatching(/入力してください/),
        en: expect.stringMatching(/required/),
      },
    });

    const spec = await callApi(app.url, '/api/mail/convert', await tokenFor(SPECIALIST), {
      body: { itemId: 'AAMk=', form: intakeForm() },
    });
    expect(spec.status).toBe(403);
    expect(spec.body.error.code).toBe('forbidden');
  });

  test('consent missing: 403 consent_required, with what to ask for', async () => {
    const message = intakeEmail({ id: 'AAMk-consent=' });
    mail.graph.addMessage(FIRST_LINE, message);
    mail.entra.failNext({
      status: 400,
      error: 'invalid_grant',
      errorCode: 65001,
      suberror: 'consent_required',
    });
    const res = await callApi(app.url, '/api/mail/convert', await tokenFor(FIRST_LINE), {
      body: { itemId: message.id, form: intakeForm() },
    });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      code: 'consent_required',
      details: { permission: 'Mail.ReadWrite' },
    });
    expect(res.body.error.message.en).toContain('Mail.ReadWrite');
  });
});

describe('the notices of a follow-up, when Teams could not take them at once', () => {
  let connector: StandInConnector;
  let app: Running;
  beforeEach(async () => {
    connector = await startBotConnector();
    // Emails are added a while before Teams is back: a catch-up leaves fresh notices alone.
    const intakeClock = () => new Date(Date.now() - 2 * NOTICE_CATCH_UP_AFTER_MS);
    app = await start({}, { connector, intakeClock });
  });
  afterEach(async () => {
    await app.close();
    await connector.close();
  });

  test('caught up after a restart, each quotes its own email, read from the database', async () => {
    const { id, number } = await caseInHand(app, 'later');

    // Teams takes no message while a supervisor adds two follow-ups (a reply quoting the
    // desk's earlier answer, then one without a subject): the notices stay owed.
    connector.failNext(502, 1_000, 'send');
    const later = { tag: 'later', id };
    await addFollowUp(app, later, 2, SUPERVISOR, {
      subject: 'RE: 不審なメール',
      content:
        '再起動しても同じ画面です。\n\n-----Original Message-----\nFrom: 相談窓口\n以前の回答です。',
    });
    await addFollowUp(app, later, 3, SUPERVISOR, {
      subject: '',
      content: '件名なしで失礼します。',
    });
    const owed = () =>
      app.store.db
        .selectFrom('notice')
        .select(['recipient_id', 'outcome'])
        .where('kind', '=', 'email')
        .orderBy('id')
        .execute();
    expect((await owed()).map((n) => n.outcome)).toEqual([null, null, null, null]);

    // Teams is back (the follow-ups were added a while ago), and the desk was restarted
    // meanwhile: nothing is left in memory.
    connector.failNext(502, 0);
    const restarted = createTeamsSurface({
      config: app.config,
      store: app.store,
      service: app.service,
      directory: directoryFromRoles(app.config.roles),
      logger: app.logs.logger,
      gateway: overHttp(app.config),
    });
    const from = connector.calls.length;
    // The two follow-ups' (the dispatch's, made just now, is left to its change).
    expect(await restarted.catchUp()).toMatchObject({ notices: 4 });
    await restarted.background.idle();
    const told = connector.calls
      .slice(from)
      .filter((c) => c.kind === 'send' && c.conversationId !== INTAKE_CHANNEL)
      .map((c) => String(c.body?.text))
      .filter((text) => /written again|新しいメール/.test(text));
    // The owner (Japanese) and the specialist (English) of each, oldest first.
    expect(told).toEqual([
      `相談 ${number} に相談者から新しいメールが届きました：「RE: 不審なメール」 — 再起動しても同じ画面です。`,
      `The consulter of consultation ${number} has written again: "RE: 不審なメール" — 再起動しても同じ画面です。`,
      `相談 ${number} に相談者から新しいメールが届きました。`,
      `The consulter of consultation ${number} has written again.`,
    ]);
    expect((await owed()).map((n) => n.outcome)).toEqual(['sent', 'sent', 'sent', 'sent']);
    for (const words of ['不審なメール', '再起動しても', '以前の回答', '件名なし'])
      expect(app.logs.text()).not.toContain(words);
  });
});

test('without an app registration credential: 503 mail_not_configured, saying what to set', async () => {
  const app = await start({ credential: null });
  try {
    const res = await callApi(app.url, '/api/mail/convert', await tokenFor(FIRST_LINE), {
      body: { itemId: 'AAMk=', form: intakeForm() },
    });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('mail_not_configured');
    expect(res.body.error.message.ja).toContain('GRAPH_CLIENT_ID');
  } finally {
    await app.close();
  }
});
