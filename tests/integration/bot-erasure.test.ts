/**
 * A record whose personal data was erased, as the Teams surface shows it, through the real
 * botbuilder adapter over HTTP on a real SQLite database: the channel card is redrawn
 * with what was kept and nothing of the consulter's; its buttons, the reply form's steps
 * and its thread refuse with the reason, and nothing changes.
 */
import type { Activity } from 'botbuilder';
import type { AdaptiveCard } from '../../bot/cards';
import { ErasedError } from '../../src/errors';
import type { Action, Actor, Erasure } from '../../src/consultation/types';
import type { Store } from '../../src/store/store';
import { validateCard } from '../support/adaptive-cards';
import { textOf, verbsOn } from '../support/card-reading';
import { startDeskServer, type DeskServer } from '../support/desk-server';
import {
  INTAKE_CHANNEL_ID,
  PEOPLE,
  channelInvoke,
  installInTeam,
  personalInvoke,
  personalMessage,
  personalChatId,
  threadMessage,
  type TeamsUser,
} from '../support/teams-activities';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const SUPERVISOR: Actor = {
  id: PEOPLE.supervisor.aadObjectId,
  name: PEOPLE.supervisor.name,
  roles: ['supervisor'],
};

/** What the first-line person typed: none of it may be shown once the record is erased. */
const TYPED = {
  channel: 'phone',
  'consulter.organisation': '株式会社サンプル製作所',
  'consulter.person': '総務部の山田',
  'consulter.email': 'soumu@sample.example.jp',
  'consulter.phone': '03-1234-5678',
  categoryId: 'ransomware',
  urgency: 'high',
  subject: '共有フォルダのファイルが開けない',
  details: '朝出社したら共有フォルダのファイルが暗号化され、脅迫文が表示されていた。',
  'situation.whatHappened': '拡張子が変わった',
  'situation.ongoing': 'yes',
  'situation.dataAtRisk': 'unknown',
};
const PERSONAL = [
  TYPED['consulter.organisation'],
  TYPED['consulter.person'],
  TYPED['consulter.email'],
  TYPED['consulter.phone'],
  TYPED.subject,
  TYPED.details,
  TYPED['situation.whatHappened'],
  'LANから切り離すよう案内した',
];

const row = async (store: Store, id: number) =>
  (await store.db.selectFrom('consultation').selectAll().where('id', '=', id).executeTakeFirst())!;
/** Everything the database holds of the record, to see that nothing changed. */
const everything = async (store: Store, id: number) => ({
  consultation: await row(store, id),
  history: await store.db
    .selectFrom('consultation_history')
    .selectAll()
    .where('consultation_id', '=', id)
    .orderBy('id')
    .execute(),
  notes: await store.db.selectFrom('consultation_note').selectAll().execute(),
  answers: await store.db.selectFrom('consultation_answer').selectAll().execute(),
  notices: await store.db.selectFrom('notice').selectAll().execute(),
});

/** The card attached to an activity the bot sent, checked to be valid. */
function attachedCard(activity: Partial<Activity> | undefined): AdaptiveCard {
  const card = activity?.attachments?.[0]?.content as AdaptiveCard;
  expect(validateCard(card)).toEqual([]);
  return card;
}

/** An erased card: its banner, and nothing of the consulter's, no button, no refresh. */
function expectErasedCard(card: AdaptiveCard, erasure: Erasure, lang: 'ja' | 'en' = 'ja') {
  const text = textOf(card);
  expect(text).toContain(
    lang === 'ja'
      ? 'この相談記録の個人情報は 2026/11/27 に消去されました（ご本人からの請求）'
      : 'This consultation’s personal data was erased on 2026/11/27 (at the consulter’s request).',
  );
  expect(erasure.reason).toBe('request');
  const json = JSON.stringify(card);
  for (const words of PERSONAL) expect(json).not.toContain(words);
  expect(verbsOn(card)).toEqual([]);
  expect(card.refresh).toBeUndefined();
  expect(json).not.toContain('Action.');
}

/** The refusal an erased record gives to `action`, in the person's language. */
const refusal = (action: Action, erasure: Erasure, lang: 'ja' | 'en' = 'ja') =>
  new ErasedError(action, erasure).localized[lang];

interface Erased {
  desk: DeskServer;
  id: number;
  number: string;
  /** The version the channel card showed before the erasure: what its buttons send. */
  oldVersion: number;
  /** The answer the record had (deleted with it). */
  answerId: number;
  erasure: Erasure;
}

/**
 * A case recorded from the 1:1 chat (its card posted in the intake channel), claimed and
 * answered from the card, closed by a supervisor, then erased on request by a supervisor
 * through the service, as the ledger does. The card is not caught up yet.
 */
async function erasedCase(): Promise<Erased> {
  // Erased "today" in Tokyo: the clock is the real one, the banner's date is fixed below.
  const desk = await startDeskServer({
    members: Object.values(PEOPLE),
    dirPrefix: 'madoguchi-erased-',
  });
  cleanups.push(() => desk.close());
  await desk.post(installInTeam(desk.connector.url, PEOPLE.lead));
  await desk.invoke(
    personalInvoke(desk.connector.url, PEOPLE.firstLine, 'intake.submit', {
      formId: 'form-erased',
      ...TYPED,
    }),
  );
  await desk.teams.background.idle();
  const { id, number } = (await desk.store.db
    .selectFrom('consultation')
    .select(['id', 'number'])
    .executeTakeFirst())!;
  await press(desk, PEOPLE.firstLine, 'claim', id);
  await press(desk, PEOPLE.firstLine, 'answer', id, {
    'answer.body': 'LANから切り離すよう案内した',
    'answer.delivery': 'phone',
  });
  await press(desk, PEOPLE.supervisor, 'close', id, { 'close.reason': '' });
  await desk.teams.background.idle();
  const closed = await row(desk.store, id);
  expect(closed).toMatchObject({ state: 'closed', card_version: closed.version });
  const answerId = (await desk.store.db
    .selectFrom('consultation_answer')
    .select('id')
    .executeTakeFirst())!.id;

  const { consultation } = await desk.service.erase(SUPERVISOR, id, { confirmNumber: number });
  expect(consultation.erasure).not.toBeNull();
  // The banner's day is the erasure's own: made the test's fixed day.
  await desk.store.db
    .updateTable('consultation')
    .set({ erased_at: '2026-11-27T03:00:00.000Z' })
    .where('id', '=', id)
    .execute();
  return {
    desk,
    id,
    number,
    oldVersion: closed.version,
    answerId,
    erasure: { at: '2026-11-27T03:00:00.000Z', reason: 'request' },
  };
}

/** Presses a button of the channel card as `who`; the version is the record's unless given. */
async function press(
  desk: DeskServer,
  who: TeamsUser,
  verb: string,
  id: number,
  inputs: Record<string, unknown> = {},
  opts: { version?: number; locale?: string } = {},
) {
  const r = await row(desk.store, id);
  return desk.invoke(
    channelInvoke(
      desk.connector.url,
      who,
      verb,
      { consultationId: id, version: opts.version ?? r.version, ...inputs },
      { replyToId: r.card_activity_id ?? undefined, locale: opts.locale },
    ),
  );
}

describe('a record whose personal data was erased', () => {
  test('the catch-up redraws its channel card: the banner and what was kept, nothing of the consulter’s', async () => {
    const { desk, id, number, erasure } = await erasedCase();
    const before = await row(desk.store, id);
    expect(before.card_version).toBeLessThan(before.version);

    const updates = desk.gateway.updated.length;
    expect((await desk.teams.catchUp()).cards).toBe(1);
    await desk.teams.background.idle();
    expect(desk.gateway.updated).toHaveLength(updates + 1);
    const update = desk.gateway.updated.at(-1)!;
    expect(update.activityId).toBe(before.card_activity_id);
    expect(update.reference.conversation?.id).toBe(INTAKE_CHANNEL_ID);
    const card = attachedCard(update.activity);
    expectErasedCard(card, erasure);
    const text = textOf(card);
    for (const kept of [
      number,
      '電話',
      'ランサムウェア',
      '高',
      '完了',
      '受付担当さん',
      '（消去済み）',
    ]) {
      expect(text).toContain(kept);
    }
    expect(text).toContain(`${SUPERVISOR.name}さんが個人情報を消去しました`);
    expect(await row(desk.store, id)).toMatchObject({ card_version: before.version });
    expect((await desk.teams.catchUp()).cards).toBe(0);
  });

  test('its refresh and its opening from the 1:1 chat show the erased card, to staff and to others', async () => {
    const { desk, id, number, erasure } = await erasedCase();
    await desk.teams.catchUp();
    await desk.teams.background.idle();
    for (const who of [PEOPLE.lead, PEOPLE.specialist, PEOPLE.outsider]) {
      expectErasedCard(await press(desk, who, 'refresh', id), erasure);
    }
    expectErasedCard(
      await press(desk, PEOPLE.firstLine, 'refresh', id, {}, { locale: 'en-US' }),
      erasure,
      'en',
    );
    const opened = await desk.invoke(
      personalInvoke(desk.connector.url, PEOPLE.firstLine, 'open', { consultationId: id }),
    );
    expectErasedCard(opened, erasure);

    await desk.post(personalMessage(desk.connector.url, PEOPLE.lead, number));
    const said = desk.connector.calls.filter(
      (c) =>
        (c.kind === 'send' || c.kind === 'reply') &&
        c.conversationId === personalChatId(PEOPLE.lead),
    );
    expectErasedCard(attachedCard(said.at(-1)?.body), erasure);
  });

  test('a press on its old card (reopen, claim, a note) says why not, shows it erased, and changes nothing', async () => {
    const { desk, id, oldVersion, erasure } = await erasedCase();
    await desk.teams.catchUp();
    await desk.teams.background.idle();
    const before = await everything(desk.store, id);
    const updates = desk.gateway.updated.length;
    const replies = desk.gateway.replied.length;

    const reopened = await press(desk, PEOPLE.lead, 'reopen', id, {}, { version: oldVersion });
    expect(textOf(reopened)).toContain(refusal('reopen', erasure));
    expectErasedCard(reopened, erasure);

    const claimed = await press(desk, PEOPLE.firstLine, 'claim', id, {}, { version: oldVersion });
    expect(textOf(claimed)).toContain(refusal('claim', erasure));
    expectErasedCard(claimed, erasure);

    const inEnglish = await press(desk, PEOPLE.lead, 'reopen', id, {}, { locale: 'en-US' });
    expect(textOf(inEnglish)).toContain(refusal('reopen', erasure, 'en'));
    expectErasedCard(inEnglish, erasure, 'en');

    // What was typed is shown back, since there is no form to put it back into.
    const noted = await press(desk, PEOPLE.lead, 'note', id, { 'note.body': '折り返しの電話あり' });
    expect(textOf(noted)).toContain(refusal('note', erasure));
    expect(textOf(noted)).toContain('折り返しの電話あり');
    expect(validateCard(noted)).toEqual([]);

    // 記録を修正 opens no form; a form opened before the erasure keeps nothing, shows it back.
    const editing = await press(desk, PEOPLE.lead, 'edit.form', id);
    expect(textOf(editing)).toContain(refusal('edit', erasure));
    expectErasedCard(editing, erasure);
    const saved = await press(desk, PEOPLE.lead, 'edit', id, {
      subject: '件名の訂正',
      'consulter.phone': '03-1111-2222',
    });
    expect(textOf(saved)).toContain(refusal('edit', erasure));
    expect(textOf(saved)).toContain('件名: 件名の訂正');
    expect(textOf(saved)).toContain('電話番号: 03-1111-2222');
    expect(validateCard(saved)).toEqual([]);

    // Someone without a role is told so, and sees the same erased card.
    const outsider = await press(desk, PEOPLE.outsider, 'claim', id);
    expectErasedCard(outsider, erasure);

    await desk.teams.background.idle();
    expect(await everything(desk.store, id)).toEqual(before);
    // The channel card is redrawn (it already shows the record as erased); nothing is said.
    for (const u of desk.gateway.updated.slice(updates))
      expectErasedCard(attachedCard(u.activity), erasure);
    expect(desk.gateway.replied).toHaveLength(replies);
  });

  test('a press before the catch-up has redrawn the card redraws it at once', async () => {
    const { desk, id, oldVersion, erasure } = await erasedCase();
    const updates = desk.gateway.updated.length;
    const card = await press(desk, PEOPLE.lead, 'reopen', id, {}, { version: oldVersion });
    expect(textOf(card)).toContain(refusal('reopen', erasure));
    await desk.teams.background.idle();
    expect(desk.gateway.updated).toHaveLength(updates + 1);
    expectErasedCard(attachedCard(desk.gateway.updated.at(-1)!.activity), erasure);
    expect(await row(desk.store, id)).toMatchObject({
      state: 'closed',
      card_version: oldVersion + 1,
    });
    expect((await desk.teams.catchUp()).cards).toBe(0);
  });

  test('the reply form’s steps and 再送する on its old card say why not, whatever they tripped on first', async () => {
    const { desk, id, oldVersion, answerId, erasure } = await erasedCase();
    await desk.teams.catchUp();
    await desk.teams.background.idle();
    const before = await everything(desk.store, id);
    const typed = { 'answer.body': '追加の案内', 'reply.emailConsulter': 'true', 'reply.cc': '' };

    for (const verb of ['reply.template', 'reply.preview', 'reply.edit', 'reply.send', 'answer']) {
      const card = await press(desk, PEOPLE.lead, verb, id, typed, { version: oldVersion });
      expect({ verb, text: textOf(card) }).toEqual({
        verb,
        text: expect.stringContaining(refusal('answer', erasure)),
      });
      expect(verbsOn(card)).toEqual([]);
    }
    const again = await desk.invoke(
      channelInvoke(desk.connector.url, PEOPLE.lead, 'reply.retry', {
        consultationId: id,
        answerId,
      }),
    );
    expect(textOf(again)).toContain(refusal('send-answer', erasure));
    expect(verbsOn(again)).toEqual([]);

    await desk.teams.background.idle();
    expect(await everything(desk.store, id)).toEqual(before);
  });

  test('a reply in its thread is not kept as a note; the bot says why when mentioned', async () => {
    const { desk, id, erasure } = await erasedCase();
    await desk.teams.catchUp();
    await desk.teams.background.idle();
    const before = await everything(desk.store, id);
    const root = before.consultation.card_activity_id!;
    const thread = `${INTAKE_CHANNEL_ID};messageid=${root}`;
    const calls = desk.connector.calls.length;

    const mentioned = await desk.post(
      threadMessage(desk.connector.url, PEOPLE.lead, root, '相談者から再度電話あり'),
    );
    expect(mentioned.status).toBe(200);
    const unmentioned = await desk.post(
      threadMessage(desk.connector.url, PEOPLE.specialist, root, '了解です', { mention: false }),
    );
    expect(unmentioned.status).toBe(200);
    await desk.teams.background.idle();

    const said = desk.connector.calls
      .slice(calls)
      .filter((c) => (c.kind === 'send' || c.kind === 'reply') && c.conversationId === thread);
    expect(said.map((c) => c.body?.text)).toEqual([refusal('note', erasure)]);
    expect(await everything(desk.store, id)).toEqual(before);
    expect(desk.logs().filter((l) => l.msg === 'thread message not kept')).toEqual([
      expect.objectContaining({ consultationId: id, code: 'erased' }),
    ]);
  });
});
