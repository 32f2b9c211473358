import type { ConsultationService } from '../../src/consultation/consultation.service';
import { ValidationError } from '../../src/errors';
import { ReplyService } from '../../src/mail/reply.service';
import { localize } from '../../src/i18n/messages';
import type { Store } from '../../src/store/store';
import { describeEachDialect } from '../support/dialects';
import {
  firstLineA,
  firstLineB,
  intake,
  makeService,
  outsider,
  specialistC,
  specialistD,
  supervisorE,
  testClock,
} from '../support/fixtures';
import {
  captureLogs,
  consultationEmail,
  DESK_MAILBOX,
  startMailStandIns,
  type MailStandIns,
} from '../support/mail';

const CONSULTER = 'yamada@sample.example.jp'; // the fixtures' consulter
const BODY = '山田様\nバックアップからの復旧手順を<ご案内>します。\n  1. LANケーブルを抜く';

let mail: MailStandIns;
let logs: ReturnType<typeof captureLogs>;
beforeEach(async () => {
  mail = await startMailStandIns();
  logs = captureLogs();
});
afterEach(() => mail.close());

/** Links a received email to a consultation, as converting an email does. */
async function linkEmail(
  store: Store,
  consultationId: number,
  message: Record<string, unknown>,
): Promise<void> {
  mail.graph.addMessage(DESK_MAILBOX, message);
  await store.db
    .insertInto('consultation_email')
    .values({
      consultation_id: consultationId,
      graph_message_id: String(message.id),
      internet_message_id: String(message.internetMessageId),
      conversation_id: String(message.conversationId),
      subject: String(message.subject),
      received_at: String(message.receivedDateTime),
      linked_at: '2026-11-25T00:00:00.000Z',
    })
    .execute();
}

describeEachDialect('answering by email through Graph', (db) => {
  let svc: ConsultationService;
  let clock: ReturnType<typeof testClock>;
  let replies: ReplyService;

  const makeReplies = (over: Partial<ConstructorParameters<typeof ReplyService>[0]> = {}) =>
    new ReplyService({
      consultations: svc,
      store: db().store,
      mail: mail.gateway(logs.logger),
      mailbox: DESK_MAILBOX,
      clock: clock.now,
      logger: logs.logger,
      ...over,
    });

  beforeEach(() => {
    clock = testClock();
    svc = makeService(db().store, clock);
    replies = makeReplies();
  });

  /** A case dispatched to specialist C (first line A). */
  async function dispatched(overrides: Record<string, unknown> = {}): Promise<number> {
    const { consultation: c } = await svc.create(firstLineA, intake(overrides));
    await svc.claim(firstLineA, c.id);
    await svc.dispatch(firstLineA, c.id, {
      specialistId: specialistC.id,
      coordinationNeeded: true,
    });
    return c.id;
  }

  test('an email-born case is answered in its thread, number in subject and body', async () => {
    const id = await dispatched({ channel: 'email' });
    const older = consultationEmail({
      id: 'AAMk-older=',
      internetMessageId: '<older@sample.example.jp>',
      receivedDateTime: '2026-11-20T01:00:00Z',
      subject: '古い件名',
    });
    const latest = consultationEmail({
      id: 'AAMk+latest/=',
      subject: 'Re: 【至急】画面に身代金要求',
    });
    await linkEmail(db().store, id, latest);
    await linkEmail(db().store, id, older);

    const { consultation, answer, changed } = await replies.reply(specialistC, id, {
      body: BODY,
      emailConsulter: true,
      cc: 'it-support@sample.example.jp',
    });

    const number = consultation.number;
    expect(changed).toBe(true);
    expect(consultation.state).toBe('answered');
    expect(mail.graph.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /v1.0/users/${DESK_MAILBOX}/messages/AAMk+latest/=/reply`,
    ]);
    const sent = mail.graph.requests[0]!.body as {
      message: {
        subject: string;
        body: { content: string };
        toRecipients: unknown;
        ccRecipients: unknown;
      };
    };
    expect(sent.message.subject).toBe(`RE: 【相談番号 ${number}】【至急】画面に身代金要求`);
    expect(sent.message.body.content).toContain(`相談番号: ${number}`);
    expect(sent.message.body.content).toContain('復旧手順を&lt;ご案内&gt;します。<br>');
    expect(sent.message.toRecipients).toEqual([{ emailAddress: { address: CONSULTER } }]);
    expect(sent.message.ccRecipients).toEqual([
      { emailAddress: { address: 'it-support@sample.example.jp' } },
    ]);

    expect(answer).toMatchObject({
      body: BODY,
      delivery: 'email',
      line: 'second',
      deliveryStatus: 'sent',
      attempts: 1,
      lastError: null,
      email: {
        method: 'reply',
        to: [CONSULTER],
        cc: ['it-support@sample.example.jp'],
        subject: `RE: 【相談番号 ${number}】【至急】画面に身代金要求`,
        inReplyTo: 'AAMk+latest/=',
      },
    });
    const d = await svc.details(supervisorE, id);
    expect(d.answers).toEqual([answer]);
    expect(d.history.slice(-2).map((h) => [h.action, h.actor.id, h.after])).toEqual([
      ['answer', specialistC.id, { delivery: 'email', answerId: answer.id }],
      [
        'send-answer',
        specialistC.id,
        { answerId: answer.id, method: 'reply', attempt: 1, status: 'sent' },
      ],
    ]);
  });

  test('a phone case with an email address gets a new mail', async () => {
    const id = await dispatched();
    const { consultation, answer } = await replies.reply(specialistC, id, {
      body: BODY,
      emailConsulter: true,
    });
    expect(mail.graph.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /v1.0/users/${DESK_MAILBOX}/sendMail`,
    ]);
    const body = mail.graph.requests[0]!.body as { message: Record<string, unknown> };
    expect(body.message).toMatchObject({
      subject: `【相談番号 ${consultation.number}】ファイルが開けない`,
      toRecipients: [{ emailAddress: { address: CONSULTER } }],
      ccRecipients: [],
    });
    expect(answer).toMatchObject({
      deliveryStatus: 'sent',
      email: { method: 'new', to: [CONSULTER], inReplyTo: null },
    });
  });

  test('without emailing, the answer is recorded as given by phone, and nothing is sent', async () => {
    const id = await dispatched({ consulter: { person: '佐藤 花子', phone: '03-1111-2222' } });
    const { consultation, answer } = await replies.reply(specialistC, id, {
      body: '電話で初動対応を案内した。',
      emailConsulter: false,
    });
    expect(consultation.state).toBe('answered');
    expect(answer).toMatchObject({
      delivery: 'phone',
      deliveryStatus: 'recorded',
      email: null,
      attempts: 0,
    });
    expect(mail.graph.requests).toHaveLength(0);
    expect(mail.entra.requests).toHaveLength(0);
  });

  test('asking to email a consulter who has no address is refused before anything is saved', async () => {
    const id = await dispatched({ consulter: { person: '佐藤 花子', phone: '03-1111-2222' } });
    expect((await replies.emailOptions(specialistC, id)).plan).toBeNull();
    const err = await replies
      .reply(specialistC, id, { body: '回答', emailConsulter: true })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).fields.emailConsulter?.ja).toContain('メールアドレスがなく');
    expect((await svc.get(specialistC, id)).state).toBe('dispatched');
    expect(mail.graph.requests).toHaveLength(0);
  });

  test('an erased case is told as erased, not as missing its address, and nothing is sent', async () => {
    const id = await dispatched();
    await replies.reply(specialistC, id, { body: BODY, emailConsulter: false });
    const { consultation: c } = await svc.close(specialistC, id);
    await svc.erase(supervisorE, id, { confirmNumber: c.number });
    for (const attempt of [
      replies.preview(specialistC, id, { body: BODY, emailConsulter: true }),
      replies.reply(supervisorE, id, { body: BODY, emailConsulter: true }),
    ]) {
      const err = await attempt.catch((e: unknown) => e);
      expect(err).toMatchObject({ status: 409, code: 'erased' });
    }
    expect(mail.graph.requests).toHaveLength(0);
  });

  test('a 429 with Retry-After is waited out, then the answer is sent', async () => {
    const id = await dispatched();
    mail.graph.failNext({ status: 429, retryAfter: 1 });
    const { answer } = await replies.reply(specialistC, id, { body: BODY, emailConsulter: true });
    expect(mail.graph.requests.map((r) => r.status)).toEqual([429, 202]);
    expect(answer).toMatchObject({ deliveryStatus: 'sent', attempts: 1, lastError: null });
  });

  test('a 500 leaves the answer saved and failed; retry sends it exactly once', async () => {
    const id = await dispatched();
    mail.graph.failNext({ status: 500 });
    const first = await replies.reply(specialistC, id, { body: BODY, emailConsulter: true });
    expect(first.consultation.state).toBe('answered');
    expect(first.answer).toMatchObject({
      body: BODY,
      deliveryStatus: 'failed',
      attempts: 1,
      lastError: { code: 'ErrorInternalServerError' },
    });
    expect(first.answer.lastError!.message.ja).toContain('しばらくしてから再送');
    expect(first.answer.lastError!.message.en).toContain('send it again');
    expect(mail.graph.sent).toHaveLength(0);

    clock.advance(60_000);
    // Graph now answers slowly, so the second press lands while the first is sending.
    await mail.close();
    mail = await startMailStandIns({ latencyMs: 300 });
    replies = makeReplies();
    // Two presses at once (the same person twice, or two people): one email.
    const [a, b] = await Promise.all([
      replies.retry(specialistC, first.answer.id),
      replies.retry(firstLineA, first.answer.id),
    ]);
    expect([a.changed, b.changed].sort()).toEqual([false, true]);
    expect(mail.graph.sent).toHaveLength(1);
    const done = a.changed ? a.answer : b.answer;
    expect(done).toMatchObject({ deliveryStatus: 'sent', attempts: 2, lastError: null });

    // Once sent, another retry sends nothing.
    expect(await replies.retry(specialistC, first.answer.id)).toMatchObject({
      changed: false,
      answer: { deliveryStatus: 'sent' },
    });
    expect(mail.graph.sent).toHaveLength(1);

    const history = (await svc.details(supervisorE, id)).history.filter(
      (h) => h.action === 'send-answer',
    );
    expect(history.map((h) => h.after)).toEqual([
      expect.objectContaining({ status: 'failed', attempt: 1, graphStatus: 500 }),
      expect.objectContaining({ status: 'sent', attempt: 2 }),
    ]);
  });

  test('save: the answer is saved as sending and returned before anything is sent', async () => {
    const id = await dispatched();
    const input = { body: BODY, emailConsulter: true };
    const saved = await replies.save(specialistC, id, input, { requestId: 'act-save' });
    expect(saved).toMatchObject({
      changed: true,
      consultation: { state: 'answered' },
      answer: { body: BODY, deliveryStatus: 'sending', attempts: 1 },
    });
    expect(mail.graph.requests).toHaveLength(0);
    expect(replies.canRetry(saved.answer)).toBe(false);

    const sent = await saved.send!();
    expect(sent).toMatchObject({ id: saved.answer.id, deliveryStatus: 'sent' });
    expect(mail.graph.sent).toHaveLength(1);
    expect(await replies.latestAnswer(id)).toEqual(sent);

    // The same request again has nothing to send; neither has an answer given by phone.
    const again = await replies.save(specialistC, id, input, { requestId: 'act-save' });
    expect(again).toMatchObject({ changed: false, send: null, answer: { id: sent.id } });
    const phone = await replies.save(specialistC, await dispatched(), {
      body: '電話で案内した。',
      emailConsulter: false,
    });
    expect(phone).toMatchObject({
      changed: true,
      send: null,
      answer: { deliveryStatus: 'recorded' },
    });
    expect(mail.graph.sent).toHaveLength(1);
  });

  test('takeForRetry: one of two takes wins at once; the send is left to the caller', async () => {
    const id = await dispatched();
    mail.graph.failNext({ status: 500 });
    const { answer } = await replies.reply(specialistC, id, { body: BODY, emailConsulter: true });
    expect(replies.canRetry(answer)).toBe(true);

    const both = await Promise.all([
      replies.takeForRetry(specialistC, answer.id),
      replies.takeForRetry(firstLineA, answer.id),
    ]);
    const taken = both.find((t) => t.changed)!;
    const lost = both.find((t) => !t.changed)!;
    expect(lost).toMatchObject({ send: null, answer: { deliveryStatus: 'sending' } });
    expect(taken.answer).toMatchObject({ deliveryStatus: 'sending', attempts: 2 });
    expect(replies.canRetry(taken.answer)).toBe(false);
    expect(mail.graph.sent).toHaveLength(0);

    const sent = await taken.send!();
    expect(sent).toMatchObject({ deliveryStatus: 'sent', attempts: 2, lastError: null });
    expect(mail.graph.sent).toHaveLength(1);
    expect(replies.canRetry(sent)).toBe(false);
  });

  test('the same request twice, one after the other or at once: one answer, one email', async () => {
    const id = await dispatched();
    const input = { body: BODY, emailConsulter: true };
    const first = await replies.reply(specialistC, id, input, { requestId: 'activity-1' });
    const again = await replies.reply(specialistC, id, input, { requestId: 'activity-1' });
    expect(first.changed).toBe(true);
    expect(again).toMatchObject({ changed: false, answer: { id: first.answer.id } });

    const id2 = await dispatched();
    const both = await Promise.all([
      replies.reply(specialistC, id2, input, { requestId: 'activity-2' }),
      replies.reply(specialistC, id2, input, { requestId: 'activity-2' }),
    ]);
    expect(both.map((r) => r.changed).sort()).toEqual([false, true]);
    expect(both[0].answer.id).toBe(both[1].answer.id);

    expect(mail.graph.sent).toHaveLength(2);
    expect((await svc.details(supervisorE, id)).answers).toHaveLength(1);
    expect((await svc.details(supervisorE, id2)).answers).toHaveLength(1);
  });

  test('a 403 leaves the answer failed with a message naming Mail.Send', async () => {
    const id = await dispatched();
    mail.graph.failNext({ status: 403 });
    const { answer } = await replies.reply(specialistC, id, { body: BODY, emailConsulter: true });
    expect(answer).toMatchObject({
      deliveryStatus: 'failed',
      lastError: { code: 'ErrorAccessDenied' },
    });
    expect(answer.lastError!.message.ja).toContain('Mail.Send');
    expect(answer.lastError!.message.en).toContain('Mail.Send');
  });

  test('with mail not set up, the answer is recorded, marked not emailed, and says so', async () => {
    const off = makeReplies({ mail: null, mailbox: null });
    const id = await dispatched();
    const options = await off.emailOptions(specialistC, id);
    expect(options).toMatchObject({ mailConfigured: false, plan: { method: 'new' } });
    expect(options.notice).toEqual(localize('mail.will_not_send'));

    const { consultation, answer } = await off.reply(specialistC, id, {
      body: BODY,
      emailConsulter: true,
    });
    expect(consultation.state).toBe('answered');
    expect(answer).toMatchObject({
      body: BODY,
      deliveryStatus: 'failed',
      lastError: { code: 'mail_not_configured' },
    });
    expect(answer.lastError!.message.en).toContain('Mail is not set up');

    // Once mail is set up, the same answer goes out.
    const { answer: sent } = await replies.retry(specialistC, answer.id);
    expect(sent.deliveryStatus).toBe('sent');
    expect(mail.graph.sent).toHaveLength(1);
  });

  test('the preview is exactly what is sent', async () => {
    const id = await dispatched({ channel: 'email' });
    await linkEmail(db().store, id, consultationEmail());
    const preview = await replies.preview(specialistC, id, { body: BODY, emailConsulter: true });
    expect(mail.graph.requests).toHaveLength(0);
    await replies.reply(specialistC, id, { body: BODY, emailConsulter: true });
    const sent = mail.graph.requests[0]!.body as {
      message: { subject: string; body: { content: string } };
    };
    expect(preview.email).toMatchObject({ method: 'reply', subject: sent.message.subject });
    expect(preview.email!.html).toBe(sent.message.body.content);
    expect(preview.email!.text).toContain('復旧手順を<ご案内>します。\n  1. LANケーブルを抜く');
  });

  test('an answer left sending by an instance that stopped may be sent again once stale', async () => {
    const id = await dispatched();
    // Saved as sending through the answer transition; the instance stopped before sending.
    const { answer } = await svc.answer(
      specialistC,
      id,
      { body: BODY, delivery: 'email' },
      { email: { method: 'new', to: [CONSULTER], cc: [], subject: 's', inReplyTo: null } },
    );
    expect(answer).toMatchObject({ deliveryStatus: 'sending', attempts: 1 });

    expect((await replies.retry(specialistC, answer!.id)).changed).toBe(false);
    expect(mail.graph.sent).toHaveLength(0);
    expect(replies.canRetry(answer!)).toBe(false);
    clock.advance(16 * 60_000);
    expect(replies.canRetry(answer!)).toBe(true);
    const later = await replies.retry(specialistC, answer!.id);
    expect(later).toMatchObject({ changed: true, answer: { deliveryStatus: 'sent', attempts: 2 } });
    expect(mail.graph.sent).toHaveLength(1);
  });

  test('a failure that is not Graph’s still leaves the answer failed, not sending', async () => {
    const id = await dispatched();
    const broken = makeReplies({ mail: { replyToMessage: broke, sendMail: broke } });
    const { answer } = await broken.reply(specialistC, id, { body: BODY, emailConsulter: true });
    expect(answer).toMatchObject({ deliveryStatus: 'failed', lastError: { code: 'internal' } });
    expect(logs.text()).toContain('sending an answer broke');
  });

  test('who may answer and send again follows the policy', async () => {
    const id = await dispatched();
    await expect(
      replies.reply(outsider, id, { body: BODY, emailConsulter: true }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      replies.reply(specialistD, id, { body: BODY, emailConsulter: true }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect(mail.graph.requests).toHaveLength(0);

    mail.graph.failNext({ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
    const quick = makeReplies({
      mail: mail.gateway(logs.logger, { retry: { delaySeconds: 0, maxRetries: 0 } }),
    });
    const { answer } = await quick.reply(specialistC, id, { body: BODY, emailConsulter: true });
    expect(answer.deliveryStatus).toBe('failed');
    await expect(replies.retry(specialistD, answer.id)).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(replies.retry(firstLineB, answer.id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(replies.retry(outsider, answer.id)).rejects.toMatchObject({ code: 'forbidden' });
  });

  test('many answers, one token; logs hold neither the answer nor the consulter’s address', async () => {
    for (let i = 0; i < 3; i++) {
      const id = await dispatched({ channel: 'email' });
      await linkEmail(
        db().store,
        id,
        consultationEmail({ id: `AAMk-${i}=`, internetMessageId: `<m${i}@sample.example.jp>` }),
      );
      await replies.reply(specialistC, id, {
        body: BODY,
        emailConsulter: true,
        cc: ['cc@sample.example.jp'],
      });
    }
    const id = await dispatched();
    mail.graph.failNext({ status: 403 });
    await replies.reply(specialistC, id, { body: BODY, emailConsulter: true });

    expect(mail.entra.requests).toHaveLength(1);
    const text = logs.text();
    expect(text).toContain('answer emailed');
    expect(text).toContain('answer not emailed');
    for (const secret of [
      CONSULTER,
      'cc@sample.example.jp',
      'sample.example.jp',
      DESK_MAILBOX,
      '復旧手順',
      'LANケーブル',
      '相談番号',
      'ファイルが開けない',
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});

/** A gateway method with a bug in it (not a Graph failure). */
function broke(): Promise<void> {
  return Promise.reject(new TypeError('cannot read properties of undefined'));
}
