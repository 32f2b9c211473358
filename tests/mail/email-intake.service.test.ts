import { createHash } from 'node:crypto';
import type { ConsultationService } from '../../src/consultation/consultation.service';
import type { Actor } from '../../src/consultation/types';
import { AppError } from '../../src/errors';
import { EmailIntakeService, type IntakeUser } from '../../src/intake/email-intake.service';
import { EmailQuotes } from '../../src/intake/email-quotes';
import {
  INTAKE_FIELDS,
  type MailboxReader,
  type MailboxUser,
} from '../../src/mail/mailbox-reader.gateway';
import type { Store } from '../../src/store/store';
import { describeEachDialect } from '../support/dialects';
import {
  CATEGORY_IDS,
  firstLineA,
  firstLineB,
  makeService,
  specialistC,
  supervisorE,
  testClock,
} from '../support/fixtures';
import { captureLogs, DESK_MAILBOX } from '../support/mail';
import {
  CONSULTER_ADDRESS,
  CONSULTER_NAME,
  fileAttachment,
  intakeEmail,
  intakeForm,
  RecordingCards,
  startIntakeStandIns,
  type IntakeStandIns,
} from '../support/mail-intake';

let mail: IntakeStandIns;
let logs: ReturnType<typeof captureLogs>;
beforeEach(async () => {
  mail = await startIntakeStandIns();
  logs = captureLogs();
});
afterEach(() => mail.close());

/** A reader whose `getMessage` answers only once `n` calls have read the message. */
function readingTogether(reader: MailboxReader, n: number): MailboxReader {
  let read = 0;
  let all!: () => void;
  const together = new Promise<void>((resolve) => (all = resolve));
  return Object.assign(Object.create(reader) as MailboxReader, {
    async getMessage(user: MailboxUser, itemId: string) {
      const m = await reader.getMessage(user, itemId);
      if (++read === n) all();
      await together;
      return m;
    },
  });
}

/** Runs `fn`, expecting an AppError, and returns it. */
async function appError(fn: () => Promise<unknown>): Promise<AppError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected an AppError, but the call succeeded');
}

describeEachDialect('email intake through Graph on behalf of the person', (db) => {
  let svc: ConsultationService;
  let cards: RecordingCards;
  let intake: EmailIntakeService;
  let alex: IntakeUser;

  const makeIntake = (over: Partial<ConstructorParameters<typeof EmailIntakeService>[0]> = {}) =>
    new EmailIntakeService({
      store: db().store,
      consultations: svc,
      mailbox: mail.reader(logs.logger),
      cards,
      categoryIds: CATEGORY_IDS,
      limits: { bodyMaxBytes: 1_000_000, attachmentMaxBytes: 10_000_000 },
      logger: logs.logger,
      clock: testClock().now,
      ...over,
    });

  const as = async (actor: Actor): Promise<IntakeUser> => ({
    ...actor,
    token: await mail.tokenFor(actor.id, actor.name),
  });

  beforeEach(async () => {
    svc = makeService(db().store);
    cards = new RecordingCards();
    intake = makeIntake();
    alex = await as(firstLineA);
  });

  const rows = (store: Store) => ({
    consultations: () => store.db.selectFrom('consultation').selectAll().execute(),
    emails: () => store.db.selectFrom('consultation_email').selectAll().orderBy('id').execute(),
    attachments: () =>
      store.db.selectFrom('consultation_attachment').selectAll().orderBy('id').execute(),
    history: () => store.db.selectFrom('consultation_history').selectAll().orderBy('id').execute(),
  });

  test('convert: one record from the email read through Graph with the on-behalf-of token', async () => {
    const screenshot = Buffer.from('\x89PNG\r\n\x1a\n画面の写し');
    const message = intakeEmail({
      hasAttachments: true,
      attachments: [fileAttachment('画面.png', screenshot, { contentType: 'image/png' })],
    });
    mail.graph.addMessage(firstLineA.id, message);

    const result = await intake.convert(alex, { itemId: message.id, form: intakeForm() });

    expect(result).toMatchObject({ created: true, card: 'posted', tagged: true });
    const c = await svc.get(supervisorE, result.consultation.id);
    expect(c).toMatchObject({
      channel: 'email',
      state: 'received',
      subject: 'フィッシングメールのリンクを開いた',
      categoryId: 'phishing',
      urgency: 'high',
      receivedAt: '2026-11-25T00:10:00.000Z',
      consulter: {
        organisation: '田中電機株式会社',
        person: CONSULTER_NAME, // the form left it empty: the sender's name
        email: CONSULTER_ADDRESS,
        phone: '03-0000-4321',
      },
      createdBy: { id: firstLineA.id, name: firstLineA.name },
    });
    expect(c.details).toBe(
      '田中電機の田中です。\n本日、取引先を装ったメールのリンクを開き、IDとパスワードを入力してしまいました。\nどう対応すればよいでしょうか。',
    );
    expect(result.consultation).toEqual({
      id: c.id,
      number: c.number,
      state: 'received',
      subject: c.subject,
      teamsCardUrl: null, // the recording cards do not link one
    });

    // On behalf of Alex: his own API token was the assertion, once per permission:
    // Mail.ReadWrite for the message, MailboxSettings.ReadWrite for the master list.
    expect(mail.entra.obo.map((g) => [g.assertion, g.oid, g.scope.split(' ')[0]])).toEqual([
      [alex.token, firstLineA.id, `${mail.graph.url}/Mail.ReadWrite`],
      [alex.token, firstLineA.id, `${mail.graph.url}/MailboxSettings.ReadWrite`],
    ]);
    const [oboToken, settingsToken] = mail.entra.obo.map((g) => g.token);
    const reads = mail.graph.requests.filter((r) => r.method === 'GET');
    expect(mail.graph.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /v1.0/me/messages/${String(message.id)}`,
      `GET /v1.0/me/messages/${String(message.id)}/attachments`,
      expect.stringMatching(/^GET .*\/attachments\/att-[0-9a-f]+=\/\$value$/),
      'GET /v1.0/me/outlook/masterCategories',
      'POST /v1.0/me/outlook/masterCategories',
      `PATCH /v1.0/me/messages/${String(message.id)}`,
    ]);
    expect(mail.graph.requests.map((r) => r.headers.authorization)).toEqual(
      [oboToken, oboToken, oboToken, settingsToken, settingsToken, oboToken].map(
        (t) => `Bearer ${t}`,
      ),
    );
    expect(reads[0]!.query.get('$select')!.split(',').sort()).toEqual([...INTAKE_FIELDS].sort());
    expect(reads[1]!.query.get('$select')).toBe('id,name,contentType,size,isInline');

    // The email's link, its text and its attachment, with the record, and the history.
    const r = rows(db().store);
    const [email] = await r.emails();
    expect(email).toMatchObject({
      consultation_id: c.id,
      graph_message_id: message.id,
      internet_message_id: message.internetMessageId,
      conversation_id: message.conversationId,
      sender_address: CONSULTER_ADDRESS,
      linked_by_id: firstLineA.id,
      body_truncated: 0,
      tag_status: 'tagged',
      tag_code: null,
    });
    expect(email!.body_text).toContain('IDとパスワードを入力してしまいました');
    expect(email!.body_text).not.toMatch(/track|margin/);
    const [att] = await r.attachments();
    expect(att).toMatchObject({
      consultation_id: c.id,
      email_id: email!.id,
      name: '画面.png',
      content_type: 'image/png',
      size: screenshot.length,
      sha256: createHash('sha256').update(screenshot).digest('hex'),
      skipped_reason: null,
    });
    expect(Buffer.from(att!.content!).equals(screenshot)).toBe(true);
    expect((await r.history()).map((h) => [h.action, h.actor_id])).toEqual([
      ['create', firstLineA.id],
      ['link-email', firstLineA.id],
    ]);

    // Tagged in Outlook with the case's number, keeping the category it had; one card.
    const tag = `窓口 ${c.number}`;
    expect(mail.graph.masterCategories(firstLineA.id).map((x) => x.displayName)).toEqual([tag]);
    expect(mail.graph.message(firstLineA.id, String(message.id))!.categories).toEqual([
      '重要',
      tag,
    ]);
    expect(cards.posted.map((p) => p.id)).toEqual([c.id]);

    // The logs name ids and outcomes, never the subject, the body or an address.
    const logged = logs.text();
    expect(logged).toContain('email converted');
    for (const secret of [
      '不審なメール',
      'フィッシング',
      'パスワード',
      CONSULTER_ADDRESS,
      CONSULTER_NAME,
      '画面.png',
      alex.token,
      oboToken!,
      settingsToken!,
    ]) {
      expect(logged).not.toContain(secret);
    }
  });

  test('the same email converted twice at once: one record, one card; the second is told it exists', async () => {
    const message = intakeEmail();
    mail.graph.addMessage(firstLineA.id, message);
    mail.graph.addMessage(firstLineB.id, message);
    const megan = await as(firstLineB);
    // Each request waits, after reading the email, until the other has read it too: both
    // then find it unrecorded, and the database's unique index has to decide.
    const racing = readingTogether(mail.reader(logs.logger), 2);
    intake = makeIntake({ mailbox: racing });

    const [a, b] = await Promise.all([
      intake.convert(alex, { itemId: message.id, form: intakeForm() }),
      intake.convert(megan, { itemId: message.id, form: intakeForm({ urgency: 'low' }) }),
    ]);

    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(logs.text()).toContain('the other request won');
    expect(a.consultation.id).toBe(b.consultation.id);
    const r = rows(db().store);
    expect(await r.consultations()).toHaveLength(1);
    expect(await r.emails()).toHaveLength(1);
    expect(cards.posted).toHaveLength(1);
    // The loser's record number was rolled back with it: the next record has the next number.
    const next = await svc.create(firstLineA, {
      channel: 'phone',
      categoryId: 'other',
      subject: '次の相談',
      details: '電話での相談',
    });
    expect(next.consultation.number).toBe(
      a.consultation.number.replace(/\d{6}$/, (n) => String(Number(n) + 1).padStart(6, '0')),
    );

    // Once more, later: answered from the record, without asking Graph again.
    const before = mail.graph.requests.length;
    const again = await intake.convert(alex, { itemId: message.id, form: intakeForm() });
    expect(again).toEqual({ created: false, consultation: a.consultation });
    expect(mail.graph.requests.length).toBe(before);
  });

  test('status: registered, follow-up by thread or by the number in the subject, or new', async () => {
    const message = intakeEmail();
    mail.graph.addMessage(firstLineA.id, message);
    const { consultation } = await intake.convert(alex, { itemId: message.id, form: intakeForm() });

    expect(
      await intake.status(specialistC, {
        internetMessageId: message.internetMessageId,
        conversationId: message.conversationId,
        subject: message.subject,
      }),
    ).toEqual({ status: 'registered', consultation });
    expect(
      await intake.status(alex, {
        internetMessageId: '<reply-1@mail.tanaka-denki.example.co.jp>',
        conversationId: message.conversationId,
        subject: 'RE: 不審なメールのリンクを開いてしまいました',
      }),
    ).toEqual({ status: 'follow_up', consultation, by: 'conversation' });
    expect(
      await intake.status(alex, {
        internetMessageId: '<other@mail.example.jp>',
        conversationId: 'AAQk-another-thread=',
        // Full-width digits, as some mail programs write them.
        subject: `Re: 【相談番号 ${consultation.number.normalize('NFKC').replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0))}】追加の質問`,
      }),
    ).toEqual({ status: 'follow_up', consultation, by: 'number' });
    expect(
      await intake.status(alex, {
        internetMessageId: '<new@mail.example.jp>',
        conversationId: 'AAQk-new=',
        subject: '【相談番号 2026-999999】存在しない番号',
      }),
    ).toEqual({ status: 'new' });
  });

  test('append: a reply in the thread joins its case; a closed case stays closed and the card says so', async () => {
    const first = intakeEmail();
    mail.graph.addMessage(firstLineA.id, first);
    const { consultation } = await intake.convert(alex, { itemId: first.id, form: intakeForm() });
    const sv = await as(supervisorE);
    await svc.close(supervisorE, consultation.id, { reason: '回答済み（電話）' });

    const reply = intakeEmail({
      id: 'AAMkADk0ZTU3/ITEM+0002=',
      internetMessageId: '<phish-0002@mail.tanaka-denki.example.co.jp>',
      subject: 'RE: 不審なメールのリンクを開いてしまいました',
      categories: [],
      receivedDateTime: '2026-11-25T03:00:00Z',
      body: {
        contentType: 'html',
        content:
          '<div>追加で報告します。パスワードは変更しました。</div><div id="appendonsend"></div><hr><div id="divRplyFwdMsg">差出人: 相談窓口</div><div>先日の回答です。</div>',
      },
    });
    mail.graph.addMessage(supervisorE.id, reply);

    const result = await intake.append(sv, { itemId: reply.id, consultationId: consultation.id });
    expect(result).toMatchObject({ appended: true, tagged: true });
    expect(result.consultation.state).toBe('closed');
    expect((await svc.get(supervisorE, consultation.id)).state).toBe('closed');

    const emails = await rows(db().store).emails();
    expect(emails.map((e) => [e.internet_message_id, e.linked_by_id])).toEqual([
      [first.internetMessageId, firstLineA.id],
      [reply.internetMessageId, supervisorE.id],
    ]);
    expect(emails[1]!.body_text).toMatch(
      /^追加で報告します。パスワードは変更しました。\n\n差出人: 相談窓口/,
    );
    // The follow-up's words find the case.
    const found = await svc.list(supervisorE, { text: 'パスワードは変更', limit: 10, offset: 0 });
    expect(found.items.map((c) => c.id)).toEqual([consultation.id]);
    const history = await rows(db().store).history();
    expect(history.at(-1)).toMatchObject({
      action: 'link-email',
      actor_id: supervisorE.id,
      from_state: 'closed',
      to_state: 'closed',
    });
    expect(cards.refreshed).toEqual([
      {
        id: consultation.id,
        line: {
          ja: `終了した相談に新しいメールが届きました（${supervisorE.name}さんが追加。相談は終了のままです）: RE: 不審なメールのリンクを開いてしまいました — 追加で報告します。パスワードは変更しました。`,
          en: `A new email arrived on this closed consultation (added by ${supervisorE.name}; it stays closed): RE: 不審なメールのリンクを開いてしまいました — 追加で報告します。パスワードは変更しました。`,
        },
      },
    ]);
    // A 1:1 notice of the change, delivered later, reads the same words back from the
    // database: what the sender wrote, without the quoted history after it.
    const quotes = new EmailQuotes(db().store);
    expect(await quotes.of(consultation.id, history.at(-1)!.at)).toEqual({
      subject: 'RE: 不審なメールのリンクを開いてしまいました',
      excerpt: '追加で報告します。パスワードは変更しました。',
    });
    expect(await quotes.of(consultation.id, '2000-01-01T00:00:00.000Z')).toBeNull();
    expect(mail.graph.message(supervisorE.id, String(reply.id))!.categories).toEqual([
      `窓口 ${consultation.number}`,
    ]);

    // Twice: nothing new. On another case: refused, naming the case it is on.
    expect(
      await intake.append(sv, { itemId: reply.id, consultationId: consultation.id }),
    ).toMatchObject({ appended: false });
    const other = await svc.create(firstLineA, {
      channel: 'phone',
      categoryId: 'other',
      subject: '別件',
      details: '別の相談',
    });
    const err = await appError(() =>
      intake.append(sv, { itemId: reply.id, consultationId: other.consultation.id }),
    );
    expect(err).toMatchObject({ status: 409, code: 'conflict' });
    expect(err.localized.ja).toContain(consultation.number);
    expect(await rows(db().store).emails()).toHaveLength(2);
  });

  test('an erased case takes no more emails: a reply naming its number is a new consultation', async () => {
    const first = intakeEmail();
    mail.graph.addMessage(firstLineA.id, first);
    const { consultation } = await intake.convert(alex, { itemId: first.id, form: intakeForm() });
    await svc.close(supervisorE, consultation.id, { reason: '回答済み（電話）' });
    await svc.erase(supervisorE, consultation.id, { confirmNumber: consultation.number });

    const reply = intakeEmail({
      id: 'AAMkADk0ZTU3/ITEM+0003=',
      internetMessageId: '<phish-0003@mail.tanaka-denki.example.co.jp>',
      conversationId: first.conversationId,
      subject: `RE: [${consultation.number}] 不審なメールのリンクを開いてしまいました`,
      categories: [],
    });
    mail.graph.addMessage(firstLineA.id, reply);
    // Its thread's emails went with the erasure, and its number leads nowhere.
    expect(
      await intake.status(firstLineA, {
        internetMessageId: reply.internetMessageId,
        conversationId: reply.conversationId,
        subject: reply.subject,
      }),
    ).toEqual({ status: 'new' });

    const err = await appError(() =>
      intake.append(alex, { itemId: reply.id, consultationId: consultation.id }),
    );
    expect(err).toMatchObject({ status: 409, code: 'erased' });
    expect(err.localized.ja).toContain('新しい相談として登録してください');
    expect(await rows(db().store).emails()).toEqual([]);
    expect(mail.graph.message(firstLineA.id, String(reply.id))!.categories).toEqual([]);
  });

  test('the same reply added twice at once: one link, the other told it is there', async () => {
    const first = intakeEmail();
    mail.graph.addMessage(firstLineA.id, first);
    const { consultation } = await intake.convert(alex, { itemId: first.id, form: intakeForm() });
    const reply = intakeEmail({
      id: 'AAMk-reply-race=',
      internetMessageId: '<reply-race@mail.tanaka-denki.example.co.jp>',
    });
    mail.graph.addMessage(firstLineA.id, reply);
    mail.graph.addMessage(firstLineB.id, reply);
    intake = makeIntake({ mailbox: readingTogether(mail.reader(logs.logger), 2) });

    const results = await Promise.all([
      intake.append(alex, { itemId: reply.id, consultationId: consultation.id }),
      intake.append(await as(firstLineB), { itemId: reply.id, consultationId: consultation.id }),
    ]);

    expect(results.map((r) => r.appended).sort()).toEqual([false, true]);
    expect(await rows(db().store).emails()).toHaveLength(2);
    expect(
      (await rows(db().store).history()).filter((h) => h.action === 'link-email'),
    ).toHaveLength(2); // the conversion's and one append's
    expect(cards.refreshed).toHaveLength(1);
  });

  test('a 5 MB body and a 30 MB attachment: kept within the limits, each with a clear message', async () => {
    const paragraph = '<p>サーバのログに海外からの不審なログインが多数記録されています。</p>';
    const body = `<html><body>${paragraph.repeat(Math.ceil(5_000_000 / Buffer.byteLength(paragraph)))}</body></html>`;
    const big = Buffer.alloc(30_000_000, 7);
    const log = Buffer.from('2026-11-25 00:00:01 login failed from 203.0.113.9\n');
    const message = intakeEmail({
      hasAttachments: true,
      body: { contentType: 'html', content: body },
      attachments: [
        fileAttachment('ログ一式.zip', big, { contentType: 'application/zip' }),
        fileAttachment('auth.log', log, { contentType: 'text/plain' }),
        {
          '@odata.type': '#microsoft.graph.itemAttachment',
          id: 'att-item=',
          name: '転送された不審メール',
          contentType: null,
          size: 5000,
          isInline: false,
        },
      ],
    });
    mail.graph.addMessage(firstLineA.id, message);

    const result = await intake.convert(alex, { itemId: message.id, form: intakeForm() });

    expect(result.attachments).toEqual([
      {
        name: 'ログ一式.zip',
        contentType: 'application/zip',
        size: 30_000_000,
        kept: false,
        skipped: {
          reason: 'too_big',
          message: { ja: '10 MBを超えるため保存していません', en: 'Not kept: larger than 10 MB' },
        },
      },
      { name: 'auth.log', contentType: 'text/plain', size: log.length, kept: true, skipped: null },
      {
        name: '転送された不審メール',
        contentType: null,
        size: 5000,
        kept: false,
        skipped: {
          reason: 'not_file',
          message: {
            ja: 'ファイル以外の添付（Outlook item）のため保存していません',
            en: 'Not kept: not a file (Outlook item)',
          },
        },
      },
    ]);
    // The big one was never downloaded.
    const downloads = mail.graph.requests.filter((r) => r.path.endsWith('/$value'));
    expect(downloads).toHaveLength(1);

    const [email] = await rows(db().store).emails();
    expect(email!.body_truncated).toBe(1);
    expect(Buffer.byteLength(email!.body_text!)).toBeLessThan(1_100_000);
    expect(email!.body_text).toContain(
      '【本文が上限（1 MB）を超えたため、ここから先は保存していません】',
    );
    const c = await svc.get(supervisorE, result.consultation.id);
    expect([...c.details].length).toBeLessThanOrEqual(20_000);
    expect(c.details).toMatch(/【長いため、ここから先はメールの記録をご覧ください】/);
    const atts = await rows(db().store).attachments();
    expect(atts.map((a) => [a.name, a.content === null, a.skipped_reason, a.skipped_ja])).toEqual([
      ['ログ一式.zip', true, 'too_big', '10 MBを超えるため保存していません'],
      ['auth.log', false, null, null],
      [
        '転送された不審メール',
        true,
        'not_file',
        'ファイル以外の添付（Outlook item）のため保存していません',
      ],
    ]);
  });

  test('tagging in Outlook fails: the record stands, the failure is kept on the email', async () => {
    const message = intakeEmail();
    mail.graph.addMessage(firstLineA.id, message);
    mail.graph.failNext({ status: 500, match: { method: 'PATCH' } });

    const result = await intake.convert(alex, { itemId: message.id, form: intakeForm() });

    expect(result).toMatchObject({ created: true, tagged: false, card: 'posted' });
    const [email] = await rows(db().store).emails();
    expect(email).toMatchObject({ tag_status: 'failed', tag_code: 'ErrorInternalServerError' });
  });

  test("the desk's shared mailbox open in Outlook: read there with Mail.ReadWrite.Shared", async () => {
    const message = intakeEmail();
    mail.graph.addMessage(DESK_MAILBOX, message);

    const result = await intake.convert(alex, {
      itemId: message.id,
      mailbox: DESK_MAILBOX,
      form: intakeForm(),
    });

    expect(result).toMatchObject({ created: true, tagged: true });
    expect(mail.graph.requests[0]!.path).toBe(
      `/v1.0/users/${DESK_MAILBOX}/messages/${String(message.id)}`,
    );
    expect(mail.entra.obo[0]!.scope.split(' ')[0]).toBe(`${mail.graph.url}/Mail.ReadWrite.Shared`);
    expect(mail.graph.message(DESK_MAILBOX, String(message.id))!.categories).toEqual([
      '重要',
      `窓口 ${result.consultation.number}`,
    ]);
    // Another mailbox address that is not one: a field error, before Graph is asked.
    const bad = await appError(() =>
      intake.append(alex, { itemId: 'AAMk=', mailbox: 'desk', consultationId: 1 }),
    );
    expect(Object.keys(bad.details.fields as object)).toEqual(['mailbox']);
  });

  test('the master list may not be changed (no MailboxSettings consent): the email is tagged anyway', async () => {
    const message = intakeEmail();
    mail.graph.addMessage(firstLineA.id, message);
    mail.graph.failNext({ status: 403, match: { path: /masterCategories/ } });

    const result = await intake.convert(alex, { itemId: message.id, form: intakeForm() });

    expect(result).toMatchObject({ created: true, tagged: true });
    const [email] = await rows(db().store).emails();
    expect(email).toMatchObject({ tag_status: 'tagged', tag_code: 'ErrorAccessDenied' });
    expect(mail.graph.message(firstLineA.id, String(message.id))!.categories).toEqual([
      '重要',
      `窓口 ${result.consultation.number}`,
    ]);
  });

  test('consent missing: 403 consent_required with the claims to ask with, nothing recorded', async () => {
    mail.graph.addMessage(firstLineA.id, intakeEmail());
    mail.entra.failNext({
      status: 400,
      error: 'invalid_grant',
      errorCode: 65001,
      suberror: 'consent_required',
      description: 'The user or administrator has not consented to use the application.',
      claims: '{"access_token":{"capolids":{"essential":true,"values":["1"]}}}',
    });
    const err = await appError(() =>
      intake.convert(alex, { itemId: intakeEmail().id, form: intakeForm() }),
    );
    expect(err).toMatchObject({
      status: 403,
      code: 'consent_required',
      details: expect.objectContaining({ permission: 'Mail.ReadWrite' }),
    });
    expect(err.localized.ja).toContain('Mail.ReadWrite');
    expect(mail.graph.requests).toHaveLength(0);
    expect(await rows(db().store).consultations()).toHaveLength(0);
  });

  test('Graph refuses (403): the permission is named; Graph down: 503 and a retry succeeds', async () => {
    const message = intakeEmail();
    mail.graph.addMessage(firstLineA.id, message);
    const send = () => intake.convert(alex, { itemId: message.id, form: intakeForm() });

    mail.graph.failNext({ status: 403 });
    const refused = await appError(send);
    expect(refused).toMatchObject({
      status: 403,
      code: 'mail_permission',
      details: expect.objectContaining({ permission: 'Mail.ReadWrite', graphStatus: 403 }),
    });
    expect(refused.localized.en).toMatch(/delegated permission Mail\.ReadWrite/);

    // One retry after the first try (the gateway's own default is three, with backoff).
    intake = makeIntake({
      mailbox: mail.reader(logs.logger, { retry: { delaySeconds: 0, maxRetries: 1 } }),
    });
    mail.graph.failNext({ status: 503 }, { status: 503 });
    const down = await appError(send);
    expect(down).toMatchObject({ status: 503, code: 'unavailable' });
    expect(down.localized.ja).toContain('入力内容は失われていません');
    expect(await rows(db().store).consultations()).toHaveLength(0);

    expect(await send()).toMatchObject({ created: true });
  });

  test('Entra ID down while exchanging the token: 503 unavailable, nothing recorded', async () => {
    mail.graph.addMessage(firstLineA.id, intakeEmail());
    mail.entra.failNext({ status: 503, error: 'temporarily_unavailable', errorCode: 90033 });
    const err = await appError(() =>
      intake.convert(alex, { itemId: intakeEmail().id, form: intakeForm() }),
    );
    expect(err).toMatchObject({ status: 503, code: 'unavailable' });
    expect(err.details).toMatchObject({
      what: 'graph',
      graphCode: 'entra:temporarily_unavailable',
    });
    expect(await rows(db().store).consultations()).toHaveLength(0);
  });

  test('who may: first line and supervisors convert; a specialist may not; mail off is said so', async () => {
    const message = intakeEmail();
    mail.graph.addMessage(specialistC.id, message);
    const spec = await as(specialistC);
    const refused = await appError(() =>
      intake.convert(spec, { itemId: message.id, form: intakeForm() }),
    );
    expect(refused).toMatchObject({ status: 403, code: 'forbidden' });
    expect(refused.localized.ja).toBe(
      'メールを相談として登録できるのは一次対応の担当者と職員だけです。',
    );
    await expect(
      intake.status({ id: 'x', name: '部外者', roles: [] }, { internetMessageId: '<a@b>' }),
    ).rejects.toMatchObject({ status: 403 });

    const off = makeIntake({ mailbox: null });
    await expect(
      off.convert(alex, { itemId: message.id, form: intakeForm() }),
    ).rejects.toMatchObject({ status: 503, code: 'mail_not_configured' });
    expect(mail.graph.requests).toHaveLength(0);
  });

  test('bad input: field messages in both languages, before Graph is asked', async () => {
    const err = await appError(() =>
      intake.convert(alex, {
        itemId: 'AAMk=',
        form: { consulter: { phone: 'でんわ' }, categoryId: 'no-such', subject: '' },
      }),
    );
    expect(err.code).toBe('validation');
    const fields = err.details.fields as Record<string, { ja: string; en: string }>;
    expect(Object.keys(fields).sort()).toEqual(['consulter.phone', 'subject']);
    expect(fields.subject!.ja).toMatch(/入力してください/);
    const category = await appError(() =>
      intake.convert(alex, { itemId: 'AAMk=', form: intakeForm({ categoryId: 'no-such' }) }),
    );
    expect(Object.keys(category.details.fields as object)).toEqual(['categoryId']);
    expect(mail.graph.requests).toHaveLength(0);
    expect(mail.entra.obo).toHaveLength(0);
  });
});
