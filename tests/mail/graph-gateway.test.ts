import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphMailGateway } from '../../src/mail/graph.gateway';
import { MailError, MailPermissionError } from '../../src/mail/mail-errors';
import {
  captureLogs,
  CLIENT,
  consultationEmail,
  DESK_MAILBOX,
  startMailStandIns,
  TENANT,
  type MailStandIns,
} from '../support/mail';

const CONSULTER = 'yamada@sample-seiko.example.jp';
const ANSWER_HTML = '<p>バックアップからの復旧手順をご案内します。</p>';
const SUBJECT = 'RE: 【相談番号 2026-000123】社内PCに身代金要求の画面';

let mail: MailStandIns;
let logs: ReturnType<typeof captureLogs>;
let gateway: GraphMailGateway;

beforeEach(async () => {
  mail = await startMailStandIns();
  logs = captureLogs();
  gateway = mail.gateway(logs.logger);
  mail.graph.addMessage(DESK_MAILBOX, consultationEmail());
});
afterEach(() => mail.close());

const email = consultationEmail();
const messageId = String(email.id);

/** Runs `fn`, expecting it to reject with a MailError, and returns that error. */
async function mailError(fn: () => Promise<unknown>): Promise<MailError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MailError);
    return err as MailError;
  }
  throw new Error('expected a MailError, but the call succeeded');
}

describe('the Graph mail gateway, real msal-node and Graph client over HTTP', () => {
  test('replies in the thread: POST …/messages/{id}/reply with subject, HTML body and CC', async () => {
    await gateway.replyToMessage(DESK_MAILBOX, messageId, {
      subject: SUBJECT,
      html: ANSWER_HTML,
      to: [CONSULTER],
      cc: ['it@sample-seiko.example.jp'],
    });

    expect(mail.graph.requests).toHaveLength(1);
    const [req] = mail.graph.requests;
    expect(req).toMatchObject({
      method: 'POST',
      path: `/v1.0/users/${DESK_MAILBOX}/messages/${messageId}/reply`,
      status: 202,
    });
    // The id's `+`, `/` and `=` travel escaped, so Graph sees the same id.
    expect(req!.rawPath).toContain(encodeURIComponent(messageId));
    expect(String(req!.headers.authorization)).toMatch(/^Bearer standin-/);
    expect(req!.headers['client-request-id']).toBeTruthy();
    expect(req!.body).toEqual({
      message: {
        subject: SUBJECT,
        body: { contentType: 'HTML', content: ANSWER_HTML },
        toRecipients: [{ emailAddress: { address: CONSULTER } }],
        ccRecipients: [{ emailAddress: { address: 'it@sample-seiko.example.jp' } }],
      },
    });
    expect(mail.graph.sent).toEqual([
      expect.objectContaining({ kind: 'reply', inReplyTo: messageId }),
    ]);
  });

  test('sends a new mail: POST …/sendMail (202 without content), kept in Sent Items', async () => {
    await gateway.sendMail(DESK_MAILBOX, {
      to: [CONSULTER],
      subject: '【相談番号 2026-000124】ご相談への回答',
      html: ANSWER_HTML,
    });
    const [req] = mail.graph.requests;
    expect(req).toMatchObject({
      method: 'POST',
      path: `/v1.0/users/${DESK_MAILBOX}/sendMail`,
      status: 202,
    });
    expect(req!.body).toEqual({
      message: {
        subject: '【相談番号 2026-000124】ご相談への回答',
        body: { contentType: 'HTML', content: ANSWER_HTML },
        toRecipients: [{ emailAddress: { address: CONSULTER } }],
        ccRecipients: [],
      },
      saveToSentItems: true,
    });
  });

  test('reads a message with $select', async () => {
    const m = await gateway.getMessage(DESK_MAILBOX, messageId, ['subject', 'internetMessageId']);
    expect(m).toMatchObject({
      id: messageId,
      subject: email.subject,
      internetMessageId: email.internetMessageId,
    });
    expect(m).not.toHaveProperty('body');
    expect(mail.graph.requests[0]!.query.get('$select')).toBe('id,subject,internetMessageId');
  });

  test('asks Entra for one token and reuses it for many calls', async () => {
    for (let i = 0; i < 5; i++) {
      await gateway.sendMail(DESK_MAILBOX, { to: [CONSULTER], subject: `s${i}`, html: 'x' });
    }
    await gateway.getMessage(DESK_MAILBOX, messageId, ['subject']);
    expect(mail.graph.requests).toHaveLength(6);
    expect(mail.entra.requests).toHaveLength(1);
    const [token] = mail.entra.requests;
    expect(token!.tenant).toBe(TENANT);
    expect(token!.form.get('grant_type')).toBe('client_credentials');
    expect(token!.form.get('client_id')).toBe(CLIENT);
    expect(token!.form.get('client_secret')).toBe('stand-in-secret');
    expect(token!.form.get('scope')).toBe(`${mail.graph.url}/.default`);
    const tokens = new Set(mail.graph.requests.map((r) => r.headers.authorization));
    expect(tokens.size).toBe(1);
  });

  test('signs in with a certificate: a client assertion naming the thumbprint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'madoguchi-cert-'));
    try {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      // PKCS#1 on purpose: the gateway converts it to the PKCS#8 msal expects.
      const path = join(dir, 'app.pem');
      writeFileSync(path, privateKey.export({ type: 'pkcs1', format: 'pem' }));
      const thumbprint = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4A1B2C3D4E5F60718293A4B5C';
      const certGateway = new GraphMailGateway(
        { ...mail.settings, credential: { kind: 'certificate', path, thumbprint } },
        logs.logger,
      );
      await certGateway.sendMail(DESK_MAILBOX, { to: [CONSULTER], subject: 's', html: 'x' });

      const form = mail.entra.requests[0]!.form;
      expect(form.get('client_secret')).toBeNull();
      expect(form.get('client_assertion_type')).toBe(
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      );
      const header = JSON.parse(
        Buffer.from(form.get('client_assertion')!.split('.')[0]!, 'base64url').toString(),
      ) as Record<string, string>;
      expect(header.alg).toBe('PS256');
      expect(Buffer.from(header['x5t#S256']!, 'base64url').toString('hex').toUpperCase()).toBe(
        thumbprint,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('429 with Retry-After: 1 is waited out, then the request succeeds', async () => {
    mail.graph.failNext({ status: 429, retryAfter: 1 });
    const started = Date.now();
    await gateway.sendMail(DESK_MAILBOX, { to: [CONSULTER], subject: 's', html: 'x' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(mail.graph.requests.map((r) => r.status)).toEqual([429, 202]);
    // The body was sent again, whole.
    expect(mail.graph.requests[1]!.body).toEqual(mail.graph.requests[0]!.body);
    expect(mail.graph.requests[1]!.headers['retry-attempt']).toBe('1');
    // One client-request-id for both attempts: what Microsoft support asks for.
    const ids = mail.graph.requests.map((r) => r.headers['client-request-id']);
    expect(ids[0]).toBeTruthy();
    expect(ids[1]).toBe(ids[0]);
    expect(logs.text()).toContain(`"clientRequestId":"${String(ids[0])}"`);
  });

  test('503 and 504 are retried with backoff; 500 is not', async () => {
    mail.graph.failNext({ status: 503 }, { status: 504 });
    await gateway.sendMail(DESK_MAILBOX, { to: [CONSULTER], subject: 's', html: 'x' });
    expect(mail.graph.requests.map((r) => r.status)).toEqual([503, 504, 202]);

    mail.graph.failNext({ status: 500 });
    const err = await mailError(() =>
      gateway.sendMail(DESK_MAILBOX, { to: [CONSULTER], subject: 's', html: 'x' }),
    );
    expect(mail.graph.requests.map((r) => r.status)).toEqual([503, 504, 202, 500]);
    expect(err).toMatchObject({
      code: 'mail_failed',
      graphStatus: 500,
      graphCode: 'ErrorInternalServerError',
      retryable: true,
    });
    expect(err.localized.ja).toContain('500');
  });

  test('retries are bounded: a Graph that stays unavailable fails after the last one', async () => {
    const bounded = mail.gateway(logs.logger, { retry: { delaySeconds: 0, maxRetries: 2 } });
    mail.graph.failNext({ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
    const err = await mailError(() =>
      bounded.sendMail(DESK_MAILBOX, { to: [CONSULTER], subject: 's', html: 'x' }),
    );
    expect(mail.graph.requests).toHaveLength(3);
    expect(err).toMatchObject({
      graphStatus: 503,
      graphCode: 'ServiceUnavailable',
      retryable: true,
    });
  });

  test('a Retry-After longer than the gateway waits fails at once as throttled', async () => {
    mail.graph.failNext({ status: 429, retryAfter: 600 });
    const started = Date.now();
    const err = await mailError(() =>
      gateway.sendMail(DESK_MAILBOX, { to: [CONSULTER], subject: 's', html: 'x' }),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(mail.graph.requests).toHaveLength(1);
    expect(err).toMatchObject({
      graphStatus: 429,
      graphCode: 'ApplicationThrottled',
      retryable: true,
    });
  });

  test('403 is a MailPermissionError naming the permission, in Japanese and English', async () => {
    mail.graph.failNext({ status: 403 }, { status: 403 }, { status: 401 });
    const send = await mailError(() =>
      gateway.sendMail(DESK_MAILBOX, { to: [CONSULTER], subject: 's', html: 'x' }),
    );
    expect(send).toBeInstanceOf(MailPermissionError);
    expect(send).toMatchObject({
      code: 'mail_permission',
      permission: 'Mail.Send',
      graphStatus: 403,
      graphCode: 'ErrorAccessDenied',
      retryable: false,
    });
    expect(send.localized.ja).toContain('Mail.Send');
    expect(send.localized.en).toContain('Mail.Send');
    expect(send.toJSON().error.code).toBe('mail_permission');

    const reply = await mailError(() =>
      gateway.replyToMessage(DESK_MAILBOX, messageId, { subject: 's', html: 'x' }),
    );
    expect(reply).toMatchObject({ permission: 'Mail.Send', operation: 'reply' });

    const read = await mailError(() => gateway.getMessage(DESK_MAILBOX, messageId, ['subject']));
    expect(read).toMatchObject({ permission: 'Mail.Read', graphStatus: 401 });
    expect(read.localized.ja).toContain('Mail.Read');
  });

  test('a message that is gone, or a recipient Graph refuses, is named as such', async () => {
    const gone = await mailError(() =>
      gateway.replyToMessage(DESK_MAILBOX, 'no-such-id', { subject: 's', html: 'x' }),
    );
    expect(gone).toMatchObject({
      graphStatus: 404,
      graphCode: 'ErrorItemNotFound',
      retryable: false,
    });
    expect(gone.localized.ja).toContain('見つかりません');

    mail.graph.failNext({ status: 400 });
    const bad = await mailError(() =>
      gateway.sendMail(DESK_MAILBOX, { to: ['x@invalid'], subject: 's', html: 'x' }),
    );
    expect(bad).toMatchObject({ graphStatus: 400, graphCode: 'ErrorInvalidRecipients' });
    expect(bad.localized.en).toContain('recipient');
  });

  test('Entra refusing the credentials is a MailError; Graph is not called', async () => {
    mail.entra.failNext({ status: 401, error: 'invalid_client', errorCode: 7000215 });
    const err = await mailError(() =>
      gateway.sendMail(DESK_MAILBOX, { to: [CONSULTER], subject: 's', html: 'x' }),
    );
    expect(err).toMatchObject({ graphCode: 'entra:invalid_client', retryable: false });
    expect(err.localized.ja).toContain('GRAPH_CLIENT_ID');
    expect(mail.graph.requests).toHaveLength(0);
  });

  test('Graph out of reach is a retryable MailError, never an empty success', async () => {
    await mail.graph.close();
    const err = await mailError(() =>
      gateway.sendMail(DESK_MAILBOX, { to: [CONSULTER], subject: 's', html: 'x' }),
    );
    expect(err).toMatchObject({ graphStatus: 0, retryable: true });
    expect(err.graphCode).not.toBe('');
  });

  test('at most 4 requests in flight per mailbox; other mailboxes are not held up', async () => {
    await mail.close();
    mail = await startMailStandIns({ latencyMs: 150 });
    const slow = mail.gateway(logs.logger);
    const other = 'koho@desk.example.lg.jp';
    await slow.sendMail(other, { to: [CONSULTER], subject: 'token', html: 'x' }); // token first

    let deskDone = 0;
    const sends = Array.from({ length: 10 }, (_, i) =>
      slow
        .sendMail(DESK_MAILBOX, { to: [CONSULTER], subject: `s${i}`, html: 'x' })
        .then(() => deskDone++),
    );
    await slow.sendMail(other, { to: [CONSULTER], subject: 'other', html: 'x' });
    const deskDoneBeforeOther = deskDone;
    await Promise.all(sends);

    expect(mail.graph.maxInFlight(DESK_MAILBOX)).toBe(4);
    expect(mail.graph.sent).toHaveLength(12);
    // Ten sends take three rounds of four; the other mailbox's one did not wait for them.
    expect(deskDoneBeforeOther).toBeLessThan(10);
  });

  test('logs name the operation, status and attempts, never a body, subject or address', async () => {
    mail.graph.failNext({ status: 429, retryAfter: 1 });
    await gateway.replyToMessage(DESK_MAILBOX, messageId, {
      subject: SUBJECT,
      html: ANSWER_HTML,
      to: [CONSULTER],
    });
    mail.graph.failNext({ status: 403 });
    await mailError(() =>
      gateway.sendMail(DESK_MAILBOX, { to: [CONSULTER], subject: SUBJECT, html: ANSWER_HTML }),
    );

    const text = logs.text();
    expect(text).toContain('"operation":"reply"');
    expect(text).toContain('"attempts":2');
    expect(text).toContain('"graphCode":"ErrorAccessDenied"');
    for (const secret of [
      CONSULTER,
      DESK_MAILBOX,
      'sample-seiko',
      '復旧手順',
      '相談番号',
      messageId,
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('the Graph stand-in drafts replies as Graph does', () => {
  test('createReply (201, the draft), PATCH (200), send (202, no content)', async () => {
    const token = 'Bearer ' + (await tokenFromEntra());
    const base = `${mail.graph.url}/v1.0/users/${encodeURIComponent(DESK_MAILBOX)}/messages`;
    const created = await fetch(`${base}/${encodeURIComponent(messageId)}/createReply`, {
      method: 'POST',
      headers: { authorization: token, 'content-type': 'application/json' },
      body: JSON.stringify({ comment: '' }),
    });
    expect(created.status).toBe(201);
    const draft = (await created.json()) as Record<string, unknown>;
    expect(draft).toMatchObject({
      isDraft: true,
      subject: `RE: ${String(email.subject)}`,
      conversationId: email.conversationId,
      toRecipients: [email.from],
    });

    const patched = await fetch(`${base}/${encodeURIComponent(String(draft.id))}`, {
      method: 'PATCH',
      headers: { authorization: token, 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'RE: 【相談番号 2026-000123】' }),
    });
    expect(patched.status).toBe(200);

    const sent = await fetch(`${base}/${encodeURIComponent(String(draft.id))}/send`, {
      method: 'POST',
      headers: { authorization: token },
    });
    expect(sent.status).toBe(202);
    expect(sent.headers.get('content-type')).toBeNull();
    expect(mail.graph.sent).toEqual([
      expect.objectContaining({
        kind: 'draft',
        inReplyTo: messageId,
        message: expect.objectContaining({ subject: 'RE: 【相談番号 2026-000123】' }),
      }),
    ]);
  });

  async function tokenFromEntra(): Promise<string> {
    const res = await fetch(`${mail.entra.url}/${TENANT}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: CLIENT,
        client_secret: 's',
        scope: 'x/.default',
      }),
    });
    return ((await res.json()) as { access_token: string }).access_token;
  }
});
