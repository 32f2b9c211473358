/**
 * Answering from the consultation card, through the real botbuilder adapter over HTTP,
 * with the real reply service: msal-node and the Graph client talk to the Entra and
 * Graph stand-ins on loopback. A template fills the text, the preview shows exactly what
 * will be sent, sending answers the press at once and the email goes out afterwards;
 * the card then shows where the email stands, and 再送する sends a failed one again.
 * Staff discussion in a card's thread becomes the record's notes.
 */
import { CARD_INPUTS, escapeMarkdown, formatTokyo, type AdaptiveCard } from '../../bot/cards';
import { DELIVERY_STATUS_LABELS } from '../../src/consultation/labels';
import type { Actor } from '../../src/consultation/types';
import { localize } from '../../src/i18n/messages';
import { renderEmail, renderTemplate, templateById } from '../../src/mail/templates';
import type { Store } from '../../src/store/store';
import { validateCard } from '../support/adaptive-cards';
import { intake } from '../support/fixtures';
import {
  executeActions,
  inputValue,
  showsLines,
  textOf,
  textsOf,
  verbsOn,
} from '../support/card-reading';
import { startDeskServer, type DeskServer } from '../support/desk-server';
import {
  DESK_MAILBOX,
  consultationEmail,
  linkEmail,
  startMailStandIns,
  type MailStandIns,
} from '../support/mail';
import {
  INTAKE_CHANNEL_ID,
  PEOPLE,
  channelInvoke,
  installInTeam,
  personalInvoke,
  threadMessage,
  type TeamsUser,
} from '../support/teams-activities';

const ROSTER = Object.values(PEOPLE);
/** Reads everything, for assertions. */
const AUDITOR: Actor = { id: 'auditor', name: 'auditor', roles: ['supervisor'] };
const CONSULTER = 'soumu@sample.example.jp';

interface Desk extends DeskServer {
  mail: MailStandIns;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startDesk(
  opts: { graphLatencyMs?: number; mailOff?: boolean; teamsAppId?: string } = {},
): Promise<Desk> {
  const mail = await startMailStandIns({ latencyMs: opts.graphLatencyMs });
  cleanups.push(() => mail.close());
  const desk = await startDeskServer({
    members: ROSTER,
    dirPrefix: 'madoguchi-reply-',
    // Mail configured as an operator would, pointing at the stand-ins.
    config: {
      logLevel: 'debug',
      ...(opts.mailOff ? {} : { mail: { ...mail.settings, missing: [] } }),
      ...(opts.teamsAppId ? { teamsAppId: opts.teamsAppId } : {}),
    },
  });
  cleanups.push(() => desk.close());
  return Object.assign(desk, { mail });
}

// ---------------------------------------------------------------------------------------

const consultation = async (store: Store, id: number) =>
  (await store.db.selectFrom('consultation').selectAll().where('id', '=', id).executeTakeFirst())!;
const answers = (store: Store, id: number) =>
  store.db
    .selectFrom('consultation_answer')
    .selectAll()
    .where('consultation_id', '=', id)
    .orderBy('id')
    .execute();

/** The card the bot last put in the channel for everyone (checked to be valid). */
function channelCard(desk: Desk): AdaptiveCard {
  const activity = desk.gateway.updated.at(-1)!.activity;
  const card = activity.attachments?.[0]?.content as AdaptiveCard;
  expect(validateCard(card)).toEqual([]);
  return card;
}

/** What a first-line person types into the intake form. */
const TYPED = {
  channel: 'phone',
  'consulter.organisation': '株式会社サンプル製作所',
  'consulter.person': '総務部の担当者',
  'consulter.email': CONSULTER,
  'consulter.phone': '03-1234-5678',
  categoryId: 'ransomware',
  urgency: 'high',
  subject: '共有フォルダのファイルが開けない',
  details: '朝出社したら共有フォルダのファイルが暗号化され、脅迫文が表示されていた。',
  'situation.ongoing': 'yes',
  'situation.dataAtRisk': 'unknown',
};

/** A case recorded, claimed by the lead and dispatched to the specialist; its id. */
async function dispatched(desk: Desk, values: Record<string, string> = {}): Promise<number> {
  await desk.post(installInTeam(desk.connector.url, PEOPLE.lead));
  await desk.invoke(
    personalInvoke(desk.connector.url, PEOPLE.firstLine, 'intake.submit', {
      formId: `form-${Math.random()}`,
      ...TYPED,
      ...values,
    }),
  );
  await desk.teams.background.idle();
  const rows = await desk.store.db.selectFrom('consultation').select('id').orderBy('id').execute();
  const id = rows.at(-1)!.id;
  await press(desk, PEOPLE.lead, 'claim', id);
  await press(desk, PEOPLE.lead, 'dispatch', id, {
    'dispatch.specialistId': PEOPLE.specialist.aadObjectId,
    'dispatch.coordinationNeeded': 'true',
    'dispatch.reason': '復旧手順の助言が必要',
  });
  await desk.teams.background.idle();
  return id;
}

/** Presses a button of the channel card with the version the record has now. */
async function press(
  desk: Desk,
  who: TeamsUser,
  verb: string,
  id: number,
  inputs: Record<string, unknown> = {},
  opts: { activityId?: string; version?: number | null } = {},
): Promise<AdaptiveCard> {
  const row = await consultation(desk.store, id);
  const version = opts.version === undefined ? row.version : opts.version;
  return desk.invoke(
    channelInvoke(
      desk.connector.url,
      who,
      verb,
      { consultationId: id, ...(version === null ? {} : { version }), ...inputs },
      { replyToId: row.card_activity_id ?? undefined, id: opts.activityId },
    ),
  );
}

/** Presses a button exactly as a card offers it: its data, plus what the inputs hold. */
async function pressOn(
  desk: Desk,
  card: AdaptiveCard,
  who: TeamsUser,
  verb: string,
  inputs: Record<string, string> = {},
  opts: { activityId?: string } = {},
): Promise<AdaptiveCard> {
  const action = executeActions(card).find((a) => a.verb === verb);
  if (!action) throw new Error(`no ${verb} button on ${textOf(card)}`);
  const id = Number(action.data.consultationId);
  const row = await consultation(desk.store, id);
  return desk.invoke(
    channelInvoke(
      desk.connector.url,
      who,
      verb,
      { ...action.data, ...inputs },
      { replyToId: row.card_activity_id ?? undefined, id: opts.activityId },
    ),
  );
}

// ---------------------------------------------------------------------------------------

describe('answering an email-born case from the card', () => {
  test('template → preview → send: answered in the thread of the consulter’s email', async () => {
    const desk = await startDesk({ graphLatencyMs: 400 });
    const id = await dispatched(desk, { channel: 'email' });
    const email = consultationEmail({ id: 'AAMk+thread/1=', subject: '【至急】身代金要求の画面' });
    await linkEmail(desk.store, desk.mail.graph, id, email);
    const { specialist } = PEOPLE;

    // The specialist's card: the reply form, with "email the consulter" as a reply.
    const card = await press(desk, specialist, 'refresh', id, {}, { version: null });
    expect(inputValue(card, CARD_INPUTS.replyEmail)).toBe('true');
    expect(textOf(card)).toContain('相談者にメールで送る（相談者のメールへの返信）');
    expect(verbsOn(card)).toEqual(expect.arrayContaining(['reply.template', 'reply.preview']));

    // Choosing a template fills the text; the CC typed so far is kept.
    const form = await pressOn(desk, card, specialist, 'reply.template', {
      [CARD_INPUTS.replyTemplate]: 'ransomware-first-response',
      [CARD_INPUTS.answerBody]: '',
      [CARD_INPUTS.replyEmail]: 'true',
      [CARD_INPUTS.replyCc]: 'it-support@sample.example.jp',
    });
    const c = await desk.service.get(AUDITOR, id);
    const templateText = renderTemplate(templateById('ransomware-first-response')!, c, 'ja');
    expect(inputValue(form, CARD_INPUTS.answerBody)).toBe(templateText);
    expect(inputValue(form, CARD_INPUTS.replyCc)).toBe('it-support@sample.example.jp');
    expect(inputValue(form, CARD_INPUTS.replyTemplate)).toBe('ransomware-first-response');
    expect(templateText).toContain(c.number);

    // The specialist adds a line, then previews: exactly what will be sent.
    const body = `${templateText}\n\n追記: バックアップの確認結果をお知らせください。`;
    const preview = await pressOn(desk, form, specialist, 'reply.preview', {
      [CARD_INPUTS.replyTemplate]: 'ransomware-first-response',
      [CARD_INPUTS.answerBody]: body,
      [CARD_INPUTS.replyEmail]: 'true',
      [CARD_INPUTS.replyCc]: 'it-support@sample.example.jp',
      [CARD_INPUTS.answerDelivery]: 'phone',
    });
    const subject = `RE: 【相談番号 ${c.number}】【至急】身代金要求の画面`;
    const texts = textsOf(preview);
    expect(texts).toEqual(
      expect.arrayContaining([CONSULTER, 'it-support@sample.example.jp', subject]),
    );
    expect(texts.join('\n')).toContain('相談者のメールへの返信');
    // The email's text, line by line (made inert for the card's markdown).
    expect(showsLines(texts, renderEmail(c, body).text, escapeMarkdown)).toBe(true);
    expect(verbsOn(preview)).toEqual(['reply.send', 'reply.edit']);
    expect(desk.mail.graph.requests).toEqual([]);
    expect(await answers(desk.store, id)).toEqual([]);

    // "Back to edit" keeps everything.
    const edit = await pressOn(desk, preview, specialist, 'reply.edit');
    expect(inputValue(edit, CARD_INPUTS.answerBody)).toBe(body);
    expect(inputValue(edit, CARD_INPUTS.replyCc)).toBe('it-support@sample.example.jp');

    // Send: the press is answered before Graph has the email (it answers slowly here).
    const sent = await pressOn(
      desk,
      preview,
      specialist,
      'reply.send',
      {},
      { activityId: 'send-1' },
    );
    expect(textsOf(sent.body[0]).join('')).toBe(localize('bot.reply_sending').ja);
    expect(textOf(sent)).toContain(DELIVERY_STATUS_LABELS.sending.ja);
    expect(desk.mail.graph.sent).toEqual([]);
    expect(await answers(desk.store, id)).toEqual([
      expect.objectContaining({ body, delivery_status: 'sending', request_id: 'send-1' }),
    ]);

    await desk.teams.background.idle();
    expect(desk.mail.graph.sent).toHaveLength(1);
    const [reply] = desk.mail.graph.sent;
    expect(reply).toMatchObject({
      kind: 'reply',
      inReplyTo: 'AAMk+thread/1=',
      mailbox: DESK_MAILBOX,
    });
    expect(reply!.message).toMatchObject({
      subject,
      toRecipients: [{ emailAddress: { address: CONSULTER } }],
      ccRecipients: [{ emailAddress: { address: 'it-support@sample.example.jp' } }],
    });
    expect((reply!.message.body as { content: string }).content).toBe(renderEmail(c, body).html);
    expect(await answers(desk.store, id)).toEqual([
      expect.objectContaining({ delivery_status: 'sent', attempts: 1, mail_method: 'reply' }),
    ]);
    expect(await consultation(desk.store, id)).toMatchObject({ state: 'answered' });

    // Everyone's card: answered, and the email sent.
    const shared = channelCard(desk);
    expect(textOf(shared)).toContain('回答済');
    expect(textOf(shared)).toContain(DELIVERY_STATUS_LABELS.sent.ja);
    expect(verbsOn(shared)).not.toContain('reply.retry');
    const lines = desk.gateway.replied.map((r) => r.activity.text ?? '');
    expect(lines.filter((l) => l.startsWith(`${specialist.name}さんが回答しました`))).toHaveLength(
      1,
    );

    // Teams delivers the same send again: nothing new is saved or sent.
    await pressOn(desk, preview, specialist, 'reply.send', {}, { activityId: 'send-1' });
    await desk.teams.background.idle();
    expect(desk.mail.graph.sent).toHaveLength(1);
    expect(await answers(desk.store, id)).toHaveLength(1);

    // The logs hold neither the answer nor an address.
    const log = desk.logText();
    for (const secret of [
      CONSULTER,
      'it-support@sample.example.jp',
      '追記',
      'バックアップの確認',
    ]) {
      expect([secret, log.includes(secret)]).toEqual([secret, false]);
    }
  });
});

describe('answering a phone case', () => {
  test('with an address: a new mail (sendMail), the number in its subject', async () => {
    const desk = await startDesk();
    const id = await dispatched(desk);
    const card = await press(desk, PEOPLE.specialist, 'refresh', id, {}, { version: null });
    expect(textOf(card)).toContain('相談者にメールで送る（新しいメール）');
    const body = 'バックアップから復旧する手順をご案内します。';
    const preview = await pressOn(desk, card, PEOPLE.specialist, 'reply.preview', {
      [CARD_INPUTS.answerBody]: body,
      [CARD_INPUTS.replyEmail]: 'true',
      [CARD_INPUTS.replyCc]: '',
      [CARD_INPUTS.answerDelivery]: 'phone',
    });
    expect(textOf(preview)).toContain('新しいメール');
    await pressOn(desk, preview, PEOPLE.specialist, 'reply.send');
    await desk.teams.background.idle();

    const number = (await consultation(desk.store, id)).number;
    expect(desk.mail.graph.sent).toEqual([
      expect.objectContaining({ kind: 'sendMail', mailbox: DESK_MAILBOX }),
    ]);
    expect(desk.mail.graph.sent[0]!.message).toMatchObject({
      subject: `【相談番号 ${number}】${TYPED.subject}`,
      toRecipients: [{ emailAddress: { address: CONSULTER } }],
    });
    expect(textOf(channelCard(desk))).toContain(DELIVERY_STATUS_LABELS.sent.ja);
  });

  test('with an address, not emailed: recorded as given by phone, nothing sent', async () => {
    const desk = await startDesk();
    const id = await dispatched(desk);
    const card = await press(desk, PEOPLE.specialist, 'refresh', id, {}, { version: null });
    const preview = await pressOn(desk, card, PEOPLE.specialist, 'reply.preview', {
      [CARD_INPUTS.answerBody]: '電話で初動対応を案内した。',
      [CARD_INPUTS.replyEmail]: 'false',
      [CARD_INPUTS.answerDelivery]: 'phone',
    });
    expect(textOf(preview)).toContain('メールは送りません');
    expect(verbsOn(preview)).toEqual(['reply.send', 'reply.edit']);
    expect(textsOf(preview)).toContain('回答を登録する');
    const done = await pressOn(desk, preview, PEOPLE.specialist, 'reply.send');
    expect(textsOf(done.body[0]).join('')).toBe(localize('bot.reply_recorded').ja);
    await desk.teams.background.idle();
    expect(await answers(desk.store, id)).toEqual([
      expect.objectContaining({ delivery: 'phone', delivery_status: 'recorded', attempts: 0 }),
    ]);
    expect(desk.mail.graph.requests).toEqual([]);
    expect(textOf(channelCard(desk))).toContain(DELIVERY_STATUS_LABELS.recorded.ja);
  });

  test('without an address: no email offered; the answer is recorded as by phone, no mail', async () => {
    const desk = await startDesk();
    const id = await dispatched(desk, { 'consulter.email': '' });
    const card = await press(desk, PEOPLE.specialist, 'refresh', id, {}, { version: null });
    expect(inputValue(card, CARD_INPUTS.replyEmail)).toBeUndefined();
    expect(inputValue(card, CARD_INPUTS.replyCc)).toBeUndefined();
    expect(textOf(card)).toContain(localize('field.no_email_address').ja);
    // No preview: the form records the answer directly.
    expect(verbsOn(card)).not.toContain('reply.preview');
    const done = await pressOn(desk, card, PEOPLE.specialist, 'answer', {
      [CARD_INPUTS.answerBody]: 'ネットワークから切り離すよう電話で案内した。',
      [CARD_INPUTS.answerDelivery]: 'phone',
    });
    expect(textsOf(done.body[0]).join('')).toBe(localize('bot.reply_recorded').ja);
    expect(textOf(done)).toContain('電話で回答');
    expect(textOf(done)).toContain(DELIVERY_STATUS_LABELS.recorded.ja);
    await desk.teams.background.idle();
    expect(await answers(desk.store, id)).toEqual([
      expect.objectContaining({
        delivery: 'phone',
        delivery_status: 'recorded',
        mail_method: null,
      }),
    ]);
    expect(desk.mail.graph.requests).toEqual([]);
    expect(desk.mail.entra.requests).toEqual([]);
    expect(textOf(channelCard(desk))).toContain('回答済');
  });

  test('with mail not set up, the form says so and emailing starts switched off', async () => {
    const desk = await startDesk({ mailOff: true });
    const id = await dispatched(desk);
    const card = await press(desk, PEOPLE.specialist, 'refresh', id, {}, { version: null });
    expect(inputValue(card, CARD_INPUTS.replyEmail)).toBe('false');
    // Before anything is saved: it will be recorded, not emailed.
    expect(textOf(card)).toContain(escapeMarkdown(localize('mail.will_not_send').ja));
    expect(textOf(card)).not.toContain('回答は記録されています');
  });
});

describe('similar past cases in the reply form', () => {
  test('the form again with how cases like it were answered, everything typed kept', async () => {
    const desk = await startDesk({ teamsAppId: 'madoguchi-app' });
    const lead: Actor = {
      id: PEOPLE.lead.aadObjectId,
      name: PEOPLE.lead.name,
      roles: ['first-line', 'supervisor'],
    };
    // Answered and closed before: one much like the new case, one not at all.
    const past = async (subject: string, details: string, answer: string) => {
      const { consultation: c } = await desk.service.create(
        lead,
        intake({ categoryId: 'ransomware', subject, details }),
      );
      await desk.service.claim(lead, c.id);
      await desk.service.answer(lead, c.id, { body: answer, delivery: 'phone' });
      await desk.service.close(lead, c.id, {});
      return c;
    };
    const alike = await past(
      '共有フォルダのファイルが暗号化された',
      '共有フォルダのファイルが暗号化され、脅迫文が残されていた。',
      'ネットワークから切り離し、警察に相談してください。',
    );
    const unlike = await past('USB メモリの扱い', '社内規程の相談。', '規程の例を紹介しました。');
    const id = await dispatched(desk);

    const card = await press(desk, PEOPLE.specialist, 'refresh', id, {}, { version: null });
    const typed = 'まずは被害の範囲を確認します。';
    const form = await pressOn(desk, card, PEOPLE.specialist, 'reply.similar', {
      [CARD_INPUTS.answerBody]: typed,
      [CARD_INPUTS.replyCc]: 'boss@sample.example.jp',
    });
    expect(validateCard(form)).toEqual([]);
    const all = textsOf(form);
    expect(all).toContain('似た過去の相談（同じ分類で回答済み）');
    const first = all.findIndex((t) => t.includes(alike.number));
    const second = all.findIndex((t) => t.includes(unlike.number));
    expect(first).toBeGreaterThan(-1);
    expect(second).toBeGreaterThan(first);
    expect(all).toContain('ネットワークから切り離し、警察に相談してください。');
    const answeredOn = formatTokyo(new Date().toISOString(), 'date');
    expect(all).toContain(`${escapeMarkdown(PEOPLE.lead.name)}の回答（一次対応・${answeredOn}）`);
    // Its number opens the record in the ledger tab.
    expect(all[first]).toContain(
      `[${alike.number}](https://teams.microsoft.com/l/entity/madoguchi-app/ledger?context=`,
    );
    // Nothing typed is lost, and the form goes on from here.
    expect(inputValue(form, CARD_INPUTS.answerBody)).toBe(typed);
    expect(inputValue(form, CARD_INPUTS.replyCc)).toBe('boss@sample.example.jp');
    expect(verbsOn(form)).toEqual(expect.arrayContaining(['reply.preview', 'reply.similar']));
    // Nothing was recorded.
    expect(await answers(desk.store, id)).toEqual([]);

    // Someone without a role sees none of it.
    const refused = await pressOn(desk, card, PEOPLE.outsider, 'reply.similar', {
      [CARD_INPUTS.answerBody]: typed,
    });
    expect(textOf(refused)).not.toContain(alike.number);
  });
});

describe('a failed email', () => {
  test('Graph 500: the card says 未送信 with the reason and 再送する; two presses at once send it once', async () => {
    const desk = await startDesk();
    const id = await dispatched(desk);
    desk.mail.graph.failNext({ status: 500 });
    const card = await press(desk, PEOPLE.specialist, 'refresh', id, {}, { version: null });
    const body = '復旧手順をご案内します。';
    const preview = await pressOn(desk, card, PEOPLE.specialist, 'reply.preview', {
      [CARD_INPUTS.answerBody]: body,
      [CARD_INPUTS.replyEmail]: 'true',
    });
    await pressOn(desk, preview, PEOPLE.specialist, 'reply.send');
    await desk.teams.background.idle();

    const [answer] = await answers(desk.store, id);
    expect(answer).toMatchObject({ body, delivery_status: 'failed', attempts: 1 });
    expect(desk.mail.graph.sent).toEqual([]);
    const failed = channelCard(desk);
    // The reason, as the reply service wrote it down.
    expect(answer!.last_error_code).toBe('ErrorInternalServerError');
    expect(textOf(failed)).toContain(DELIVERY_STATUS_LABELS.failed.ja);
    expect(textOf(failed)).toContain(`理由: ${escapeMarkdown(answer!.last_error_ja!)}`);
    expect(executeActions(failed).filter((a) => a.verb === 'reply.retry')).toEqual([
      expect.objectContaining({ data: { consultationId: id, answerId: answer!.id } }),
    ]);
    const lines = desk.gateway.replied.map((r) => r.activity.text ?? '');
    expect(lines.at(-1)).toBe(
      localize('bot.answer_not_emailed', { name: PEOPLE.specialist.name }).ja,
    );

    // The specialist and the first-line owner both press 再送する at once: one email.
    const [a, b] = await Promise.all([
      pressOn(desk, failed, PEOPLE.specialist, 'reply.retry', {}, { activityId: 'retry-a' }),
      pressOn(desk, failed, PEOPLE.lead, 'reply.retry', {}, { activityId: 'retry-b' }),
    ]);
    const banners = [a, b].map((c) => textsOf(c.body[0]).join('')).sort();
    expect(banners).toEqual(
      [localize('bot.retry_not_needed').ja, localize('bot.retry_sending').ja].sort(),
    );
    await desk.teams.background.idle();
    expect(desk.mail.graph.sent).toHaveLength(1);
    expect(await answers(desk.store, id)).toEqual([
      expect.objectContaining({ delivery_status: 'sent', attempts: 2, last_error_code: null }),
    ]);
    const resent = channelCard(desk);
    expect(textOf(resent)).toContain(DELIVERY_STATUS_LABELS.sent.ja);
    expect(verbsOn(resent)).not.toContain('reply.retry');
    expect(desk.gateway.replied.at(-1)!.activity.text).toBe(
      localize('bot.answer_emailed', { name: PEOPLE.specialist.name }).ja,
    );

    // Pressed again later, on the old card: nothing is sent.
    const late = await pressOn(desk, failed, PEOPLE.specialist, 'reply.retry');
    expect(textsOf(late.body[0]).join('')).toBe(localize('bot.retry_not_needed').ja);
    await desk.teams.background.idle();
    expect(desk.mail.graph.sent).toHaveLength(1);
  });

  test('someone who may not send it again is told so, and nothing is sent', async () => {
    const desk = await startDesk();
    const id = await dispatched(desk);
    desk.mail.graph.failNext({ status: 500 });
    const card = await press(desk, PEOPLE.specialist, 'refresh', id, {}, { version: null });
    const preview = await pressOn(desk, card, PEOPLE.specialist, 'reply.preview', {
      [CARD_INPUTS.answerBody]: '回答',
      [CARD_INPUTS.replyEmail]: 'true',
    });
    await pressOn(desk, preview, PEOPLE.specialist, 'reply.send');
    await desk.teams.background.idle();
    const failed = channelCard(desk);
    // Another specialist, not on this case.
    const refused = await pressOn(desk, failed, PEOPLE.specialist2, 'reply.retry');
    expect(refused.body[0]).toMatchObject({ type: 'Container', style: 'attention' });
    expect(textsOf(refused.body[0]).join('')).toContain('権限がありません');
    await desk.teams.background.idle();
    expect(desk.mail.graph.sent).toEqual([]);
    expect(await answers(desk.store, id)).toEqual([
      expect.objectContaining({ delivery_status: 'failed', attempts: 1 }),
    ]);
  });
});

describe('nothing typed is lost', () => {
  test('a bad CC: the form again, the error under CC, everything kept', async () => {
    const desk = await startDesk();
    const id = await dispatched(desk);
    const card = await press(desk, PEOPLE.specialist, 'refresh', id, {}, { version: null });
    const typed = {
      [CARD_INPUTS.answerBody]: 'ご案内します。',
      [CARD_INPUTS.replyEmail]: 'true',
      [CARD_INPUTS.replyCc]: 'it@sample.example.jp, not-an-address',
      [CARD_INPUTS.answerDelivery]: 'counter',
    };
    const form = await pressOn(desk, card, PEOPLE.specialist, 'reply.preview', typed);
    for (const [inputId, value] of Object.entries(typed)) {
      expect([inputId, inputValue(form, inputId)]).toEqual([inputId, value]);
    }
    const ccAt = form.body.findIndex((e) => e.id === CARD_INPUTS.replyCc);
    expect(form.body[ccAt + 1]).toMatchObject({ type: 'TextBlock', color: 'attention' });
    expect(textsOf(form.body[ccAt + 1]).join('')).toContain('CC');
    expect(await answers(desk.store, id)).toEqual([]);
  });

  test('an empty text or no template chosen: said under the input', async () => {
    const desk = await startDesk();
    const id = await dispatched(desk);
    const card = await press(desk, PEOPLE.specialist, 'refresh', id, {}, { version: null });
    const noTemplate = await pressOn(desk, card, PEOPLE.specialist, 'reply.template', {
      [CARD_INPUTS.answerBody]: '下書き',
    });
    const at = noTemplate.body.findIndex((e) => e.id === CARD_INPUTS.replyTemplate);
    expect(noTemplate.body[at + 1]).toMatchObject({ type: 'TextBlock', color: 'attention' });
    expect(inputValue(noTemplate, CARD_INPUTS.answerBody)).toBe('下書き');

    // A template over typed text: the template first, the typed text kept after it.
    const both = await pressOn(desk, noTemplate, PEOPLE.specialist, 'reply.template', {
      [CARD_INPUTS.replyTemplate]: 'general',
      [CARD_INPUTS.answerBody]: '下書き',
    });
    const filled = String(inputValue(both, CARD_INPUTS.answerBody));
    expect(filled.endsWith('\n\n下書き')).toBe(true);
    expect(filled).toContain('（ここに回答を書いてください）');
    expect(textOf(both)).toContain('入力済みの文章はテンプレートの後に残しています。');

    const empty = await pressOn(desk, both, PEOPLE.specialist, 'reply.preview', {
      [CARD_INPUTS.answerBody]: '  ',
      [CARD_INPUTS.replyEmail]: 'true',
    });
    const bodyAt = empty.body.findIndex((e) => e.id === CARD_INPUTS.answerBody);
    expect(empty.body[bodyAt + 1]).toMatchObject({ type: 'TextBlock', color: 'attention' });
  });

  test('sent after someone else answered: refused, with the typed answer on the card', async () => {
    const desk = await startDesk();
    const id = await dispatched(desk);
    const card = await press(desk, PEOPLE.specialist, 'refresh', id, {}, { version: null });
    const body = '長い回答をここまで書きました。';
    const preview = await pressOn(desk, card, PEOPLE.specialist, 'reply.preview', {
      [CARD_INPUTS.answerBody]: body,
      [CARD_INPUTS.replyEmail]: 'true',
    });
    // Meanwhile a supervisor records an answer given by phone.
    await press(desk, PEOPLE.supervisor, 'answer', id, {
      [CARD_INPUTS.answerBody]: '電話で回答済み',
      [CARD_INPUTS.answerDelivery]: 'phone',
    });
    const refused = await pressOn(desk, preview, PEOPLE.specialist, 'reply.send');
    expect(refused.body[0]).toMatchObject({ type: 'Container', style: 'attention' });
    expect(textOf(refused)).toContain(body);
    expect(textOf(refused)).toContain(localize('bot.typed_answer').ja);
    await desk.teams.background.idle();
    expect(await answers(desk.store, id)).toHaveLength(1);
    expect(desk.mail.graph.requests).toEqual([]);
  });
});

describe('the card’s thread', () => {
  const notes = (store: Store) =>
    store.db.selectFrom('consultation_note').selectAll().orderBy('id').execute();

  test('a message mentioning the bot becomes a note, with its author; the bot says so', async () => {
    const desk = await startDesk();
    const id = await dispatched(desk);
    const root = (await consultation(desk.store, id)).card_activity_id!;
    const updates = desk.gateway.updated.length;
    const version = (await consultation(desk.store, id)).version;

    const { status } = await desk.post(
      threadMessage(
        desk.connector.url,
        PEOPLE.specialist,
        root,
        '相談者に折り返し電話済み。明日再確認。',
        {
          id: 'thread-1',
        },
      ),
    );
    expect(status).toBe(200);
    expect(await notes(desk.store)).toEqual([
      expect.objectContaining({
        consultation_id: id,
        author_id: PEOPLE.specialist.aadObjectId,
        author_name: PEOPLE.specialist.name,
        body: '相談者に折り返し電話済み。明日再確認。',
        source: 'thread',
        created_at: expect.any(String),
      }),
    ]);
    const thread = `${INTAKE_CHANNEL_ID};messageid=${root}`;
    const said = desk.connector.calls.filter(
      (c) => (c.kind === 'send' || c.kind === 'reply') && c.conversationId === thread,
    );
    expect(said.map((c) => c.body?.text)).toEqual([localize('bot.note_recorded').ja]);

    // The card moves on to the note's version.
    await desk.teams.background.idle();
    expect(desk.gateway.updated.length).toBe(updates + 1);
    const shared = channelCard(desk);
    expect((await consultation(desk.store, id)).version).toBe(version + 1);
    for (const a of executeActions(shared).filter((x) => x.data.version !== undefined)) {
      expect(a.data.version).toBe(version + 1);
    }

    // Delivered again: one note.
    await desk.post(
      threadMessage(
        desk.connector.url,
        PEOPLE.specialist,
        root,
        '相談者に折り返し電話済み。明日再確認。',
        {
          id: 'thread-1',
        },
      ),
    );
    expect(await notes(desk.store)).toHaveLength(1);
  });

  test('without a mention (the permission to read channel messages): kept quietly', async () => {
    const desk = await startDesk();
    const id = await dispatched(desk);
    const root = (await consultation(desk.store, id)).card_activity_id!;
    const calls = desk.connector.calls.length;
    await desk.post(
      threadMessage(
        desk.connector.url,
        PEOPLE.lead,
        root,
        '<p>警察への相談は<b>済み</b>とのこと &amp; 被害届は未提出</p>',
        {
          mention: false,
        },
      ),
    );
    expect(await notes(desk.store)).toEqual([
      expect.objectContaining({
        author_id: PEOPLE.lead.aadObjectId,
        body: '警察への相談は済みとのこと & 被害届は未提出',
        source: 'thread',
      }),
    ]);
    expect(desk.connector.calls.slice(calls).filter((c) => c.kind !== 'members')).toEqual([]);
  });

  test('elsewhere in the channel, an unmentioned message gets no answer; someone without a role is told', async () => {
    const desk = await startDesk();
    const id = await dispatched(desk);
    const root = (await consultation(desk.store, id)).card_activity_id!;
    const calls = desk.connector.calls.length;
    // A thread that is not under a card, not mentioning the bot.
    await desk.post(
      threadMessage(desk.connector.url, PEOPLE.lead, 'other-post', 'ランチ行きます', {
        mention: false,
      }),
    );
    expect(desk.connector.calls.length).toBe(calls);

    await desk.post(threadMessage(desk.connector.url, PEOPLE.outsider, root, '部外者の書き込み'));
    const thread = `${INTAKE_CHANNEL_ID};messageid=${root}`;
    const said = desk.connector.calls
      .slice(calls)
      .filter((c) => c.conversationId === thread && c.kind !== 'members');
    expect(said.map((c) => c.body?.text)).toEqual([localize('bot.not_staff').ja]);
    expect(await notes(desk.store)).toEqual([]);
  });
});
