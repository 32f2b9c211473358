/**
 * The Teams surface through the real botbuilder adapter: Bot Framework activities as
 * Teams sends them are POSTed to `/api/messages` of the real HTTP server, over a real
 * SQLite database. Assertions are on the HTTP answer (the invoke's card), on what went
 * out to Teams (a recording gateway for the after-work, a stand-in Bot Connector for
 * replies within the turn), and on the rows.
 */
import type { Activity } from 'botbuilder';
import pino from 'pino';
import { createAdapter } from '../../bot/adapter';
import { NOTICE_CATCH_UP_AFTER_MS } from '../../bot/notices';
import { CARD_POSTING_GRACE_MS } from '../../src/consultation/consultation.service';
import { BotConnectorGateway } from '../../bot/outbound/teams-gateway';
import { RateLimiter } from '../../bot/outbound/rate-limiter';
import type { AdaptiveCard } from '../../bot/cards';
import { w } from '../../bot/i18n';
import { EMPTY_FILTERS, routeFromSubPage } from '../../bot/tab/route';
import { fieldLabel } from '../../src/consultation/fields';
import { localize } from '../../src/i18n/messages';
import type { Store } from '../../src/store/store';
import { validateCard } from '../support/adaptive-cards';
import { executeActions, inputValue, textOf, textsOf, verbsOn } from '../support/card-reading';
import { testConfig } from '../support/config';
import { startDeskServer, type DeskServer, type DeskServerOptions } from '../support/desk-server';
import {
  INTAKE_CHANNEL,
  INTAKE_CHANNEL_ID,
  PEOPLE,
  TEAM_ID,
  channelDeleted,
  channelRenamed,
  teamArchive,
  teamGone,
  channelInvoke,
  channelMention,
  installInTeam,
  installPersonal,
  membersAdded,
  personalChatId,
  personalInvoke,
  personalMessage,
  type TeamsUser,
} from '../support/teams-activities';

// ---------------------------------------------------------------------------------------
// the desk, running

type Desk = DeskServer;

/** The team's roster, as the stand-in connector's `pagedmembers` answers it. */
const ROSTER = Object.values(PEOPLE);

/** Another channel of the intake channel's team. */
const ANNOUNCEMENTS = { id: '19:announcements@thread.tacv2', name: 'Announcements' };

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The desk with the team's whole roster on the stand-in connector, stopped after the test. */
async function startDesk(
  opts: Pick<DeskServerOptions, 'gateway' | 'config' | 'channels'> = {},
): Promise<Desk> {
  const desk = await startDeskServer({ ...opts, members: ROSTER, dirPrefix: 'madoguchi-bot-' });
  cleanups.push(() => desk.close());
  return desk;
}

// ---------------------------------------------------------------------------------------
// reading cards and rows

/** The adaptive card attached to an outgoing activity. */
function attachedCard(activity: Partial<Activity> | undefined): AdaptiveCard {
  const content = activity?.attachments?.[0]?.content as AdaptiveCard | undefined;
  expect(activity?.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
  expect(validateCard(content)).toEqual([]);
  return content!;
}

const consultations = (store: Store) =>
  store.db.selectFrom('consultation').selectAll().orderBy('id').execute();
const consultation = async (store: Store, id: number) =>
  (await store.db.selectFrom('consultation').selectAll().where('id', '=', id).executeTakeFirst())!;
const history = (store: Store, id?: number) =>
  store.db
    .selectFrom('consultation_history')
    .selectAll()
    .$if(id !== undefined, (q) => q.where('consultation_id', '=', id!))
    .orderBy('id')
    .execute();

// ---------------------------------------------------------------------------------------
// the story's steps

/** What a first-line person types into the intake form (every input as a string). */
const TYPED = {
  channel: 'phone',
  'consulter.organisation': '株式会社サンプル製作所',
  'consulter.person': '総務部の担当者',
  'consulter.email': 'soumu@sample.example.jp',
  'consulter.phone': '03-1234-5678',
  'consulter.industry': '製造業',
  'consulter.employees': '35',
  'consulter.municipality': '大田区',
  categoryId: 'ransomware',
  urgency: 'high',
  subject: '共有フォルダのファイルが開けない',
  details: '朝出社したら共有フォルダのファイルが暗号化され、脅迫文が表示されていた。',
  'situation.whatHappened': '拡張子が変わった',
  'situation.since': '本日 8:30',
  'situation.ongoing': 'yes',
  'situation.systems': 'ファイルサーバ',
  'situation.dataAtRisk': 'unknown',
  'situation.actionsTaken': 'LANケーブルを抜いた',
  'situation.contacted': '',
  'situation.evidence': '脅迫文の写真',
} as const;

async function installTeam(desk: Desk, by: TeamsUser = PEOPLE.lead) {
  const { status } = await desk.post(installInTeam(desk.connector.url, by));
  expect(status).toBe(200);
}

/** Records a consultation from the 1:1 chat and waits until its card is in the channel. */
async function recordOne(desk: Desk, by: TeamsUser = PEOPLE.firstLine, values: object = TYPED) {
  await desk.invoke(
    personalInvoke(desk.connector.url, by, 'intake.submit', {
      formId: `form-${Math.random()}`,
      ...values,
    }),
  );
  await desk.teams.background.idle();
  const rows = await consultations(desk.store);
  return rows[rows.length - 1]!;
}

/** Presses a button of the channel card, as `who`, with the version the card showed. */
async function press(
  desk: Desk,
  who: TeamsUser,
  verb: string,
  id: number,
  inputs: Record<string, unknown> = {},
  opts: { version?: number | null; locale?: string; activityId?: string } = {},
) {
  const row = await consultation(desk.store, id);
  const version = opts.version === undefined ? row.version : opts.version;
  return desk.invoke(
    channelInvoke(
      desk.connector.url,
      who,
      verb,
      { consultationId: id, ...(version === null ? {} : { version }), ...inputs },
      {
        replyToId: row.card_activity_id ?? undefined,
        locale: opts.locale,
        id: opts.activityId,
      },
    ),
  );
}

/** The lead dispatches a case they have claimed to `who`, no coordination needed. */
const dispatchTo = (desk: Desk, id: number, who: TeamsUser) =>
  press(desk, PEOPLE.lead, 'dispatch', id, {
    'dispatch.specialistId': who.aadObjectId,
    'dispatch.coordinationNeeded': 'false',
  });

/** Messages the stand-in connector got in a conversation (replies within a turn). */
const deliveredTo = (desk: Desk, conversationId: string) =>
  desk.connector.calls
    .filter((c) => (c.kind === 'send' || c.kind === 'reply') && c.conversationId === conversationId)
    .map((c) => c.body!);

// ---------------------------------------------------------------------------------------

describe('installation', () => {
  test('installed in a team: that channel becomes the intake channel, and the roster is kept', async () => {
    const desk = await startDesk();
    await installTeam(desk);

    const ref = await desk.store.db
      .selectFrom('teams_reference')
      .selectAll()
      .where('key', '=', 'intake-channel')
      .executeTakeFirst();
    expect(ref?.conversation_id).toBe(INTAKE_CHANNEL_ID);
    expect(JSON.parse(ref!.reference)).toMatchObject({
      conversation: { id: INTAKE_CHANNEL_ID, tenantId: expect.any(String) },
      serviceUrl: desk.connector.url,
    });

    expect(desk.connector.calls.find((c) => c.kind === 'members')?.conversationId).toBe(TEAM_ID);
    const people = await desk.store.db.selectFrom('person').selectAll().execute();
    expect(people.map((p) => p.aad_object_id).sort()).toEqual(
      ROSTER.map((p) => p.aadObjectId).sort(),
    );

    const [said] = deliveredTo(desk, INTAKE_CHANNEL_ID);
    expect(said?.text).toBe(localize('bot.intake_set').ja);
  });

  test('in Japanese, the desk’s language, even when the installer’s Teams speaks English', async () => {
    const desk = await startDesk();
    await desk.post(installInTeam(desk.connector.url, PEOPLE.lead, { locale: 'en-US' }));
    expect(deliveredTo(desk, INTAKE_CHANNEL_ID)[0]?.text).toBe(localize('bot.intake_set').ja);
  });

  test('installed in another team: the intake channel stays, and that team is told how to move it', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const other = { id: '19:other-team@thread.tacv2', name: '雑談' };
    await desk.post(
      installInTeam(desk.connector.url, PEOPLE.lead, { channel: other, team: other.id }),
    );
    await desk.teams.background.idle();
    expect(deliveredTo(desk, other.id).map((a) => a.text)).toEqual([
      localize('bot.intake_kept').ja,
    ]);
    const ref = await desk.store.db.selectFrom('teams_reference').selectAll().execute();
    expect(ref.map((r) => [r.key, r.conversation_id])).toEqual([
      ['intake-channel', INTAKE_CHANNEL_ID],
    ]);
    // The intake channel itself hears nothing more.
    expect(deliveredTo(desk, INTAKE_CHANNEL_ID)).toHaveLength(1);
    expect(desk.gateway.sent).toEqual([]);
  });

  test('installed again in the intake channel: nothing said, its reference brought up to date', async () => {
    const desk = await startDesk();
    await desk.post(installInTeam(desk.connector.url, PEOPLE.lead));
    // Kept as a version without its team would have kept it.
    await desk.store.db.updateTable('teams_reference').set({ team_id: null }).execute();
    const before = desk.connector.calls.filter((c) => c.kind !== 'members').length;
    await desk.post(installInTeam(desk.connector.url, PEOPLE.lead));
    await desk.teams.background.idle();
    expect(desk.connector.calls.filter((c) => c.kind !== 'members')).toHaveLength(before);
    expect(desk.gateway.sent).toEqual([]);
    expect(await desk.store.db.selectFrom('teams_reference').selectAll().execute()).toEqual([
      expect.objectContaining({ conversation_id: INTAKE_CHANNEL_ID, team_id: TEAM_ID }),
    ]);
  });

  test('the installation told again from another channel of the intake channel’s team: nothing said, nothing moved', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const before = desk.connector.calls.filter((c) => c.kind !== 'members').length;
    await desk.post(installInTeam(desk.connector.url, PEOPLE.lead, { channel: ANNOUNCEMENTS }));
    await desk.teams.background.idle();
    expect(desk.connector.calls.filter((c) => c.kind !== 'members')).toHaveLength(before);
    expect(desk.gateway.sent).toEqual([]);
    const ref = await desk.store.db.selectFrom('teams_reference').selectAll().execute();
    expect(ref.map((r) => [r.conversation_id, r.team_id])).toEqual([[INTAKE_CHANNEL_ID, TEAM_ID]]);
  });

  test('an intake channel kept without its team is taken to be in the team whose first channel it is', async () => {
    const desk = await startDesk();
    // As a version before teams were kept kept it: the team's first channel, no team.
    await desk.store.db
      .insertInto('teams_reference')
      .values({
        key: 'intake-channel',
        conversation_id: TEAM_ID,
        reference: JSON.stringify({
          conversation: { id: TEAM_ID },
          serviceUrl: desk.connector.url,
        }),
        updated_at: '2026-11-01T00:00:00.000Z',
        team_id: null,
      })
      .execute();
    await desk.post(installInTeam(desk.connector.url, PEOPLE.lead, { channel: ANNOUNCEMENTS }));
    await desk.teams.background.idle();
    expect(deliveredTo(desk, ANNOUNCEMENTS.id)).toEqual([]);
    const ref = await desk.store.db.selectFrom('teams_reference').selectAll().execute();
    expect(ref.map((r) => r.conversation_id)).toEqual([TEAM_ID]);
  });

  test('an upgrade of the app: the intake channel stays, nobody is told, the roster is read again', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const members = () => desk.connector.calls.filter((c) => c.kind === 'members').length;
    const before = { calls: desk.connector.calls.length, members: members() };
    await desk.post(
      installInTeam(desk.connector.url, PEOPLE.lead, {
        action: 'add-upgrade',
        channel: { id: TEAM_ID },
      }),
    );
    await desk.post(
      installPersonal(desk.connector.url, PEOPLE.firstLine, { action: 'add-upgrade' }),
    );
    await desk.teams.background.idle();
    expect(members()).toBe(before.members + 1);
    expect(desk.connector.calls.length).toBe(before.calls + 1); // the roster, nothing said
    const ref = await desk.store.db.selectFrom('teams_reference').selectAll().execute();
    expect(ref.find((r) => r.key === 'intake-channel')?.conversation_id).toBe(INTAKE_CHANNEL_ID);
  });

  test('the channel chosen at installation is the intake channel, and is told so', async () => {
    const desk = await startDesk();
    // Teams sends the installation from the team's first channel, naming the chosen one.
    await desk.post(
      installInTeam(desk.connector.url, PEOPLE.lead, {
        channel: { id: TEAM_ID },
        selected: INTAKE_CHANNEL,
      }),
    );
    await desk.teams.background.idle();
    const ref = await desk.store.db.selectFrom('teams_reference').selectAll().execute();
    expect(ref.map((r) => [r.key, r.conversation_id])).toEqual([
      ['intake-channel', INTAKE_CHANNEL_ID],
    ]);
    expect(desk.gateway.sent.map((s) => [s.reference.conversation?.id, s.activity.text])).toEqual([
      [INTAKE_CHANNEL_ID, localize('bot.intake_set').ja],
    ]);
    expect(deliveredTo(desk, TEAM_ID)).toEqual([]);
  });

  test('someone who joins the team later gets a dispatch notice before ever writing to the bot', async () => {
    const { lead, specialist2 } = PEOPLE;
    const desk = await startDeskServer({
      members: ROSTER.filter((p) => p !== specialist2),
      dirPrefix: 'madoguchi-bot-',
    });
    cleanups.push(() => desk.close());
    await installTeam(desk);
    desk.connector.join(specialist2);
    await desk.post(membersAdded(desk.connector.url, lead, [specialist2]));
    const known = await desk.store.db
      .selectFrom('person')
      .selectAll()
      .where('aad_object_id', '=', specialist2.aadObjectId)
      .executeTakeFirst();
    expect(known).toMatchObject({ teams_user_id: specialist2.id, name: specialist2.name });

    const { id } = await recordOne(desk);
    await press(desk, lead, 'claim', id);
    await dispatchTo(desk, id, specialist2);
    await desk.teams.background.idle();
    const { number } = await consultation(desk.store, id);
    expect(desk.gateway.sent.at(-1)?.activity.text).toBe(
      localize('bot.dispatched_to_you', { number }).ja,
    );
    expect(await desk.store.db.selectFrom('notice').selectAll().execute()).toEqual([
      expect.objectContaining({ recipient_id: specialist2.aadObjectId, outcome: 'sent' }),
    ]);
  });

  test('installed in a 1:1 chat: the help card, and no intake channel', async () => {
    const desk = await startDesk();
    await desk.post(installPersonal(desk.connector.url, PEOPLE.firstLine));
    const card = attachedCard(deliveredTo(desk, personalChatId(PEOPLE.firstLine))[0]);
    expect(textOf(card)).toContain('窓口ボットの使い方');
    expect(textOf(card)).toContain('新しい相談はチームの相談受付チャネルにカードで届きます。');
    expect(await desk.store.db.selectFrom('teams_reference').selectAll().execute()).toEqual([]);
  });

  test('the help card names the intake channel once the app is in a team, where it moved, and its new name', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const helpSays = async () => {
      await desk.post(personalMessage(desk.connector.url, PEOPLE.firstLine, 'ヘルプ'));
      return textOf(attachedCard(deliveredTo(desk, personalChatId(PEOPLE.firstLine)).at(-1)));
    };
    expect(await helpSays()).toContain(
      `新しい相談はチームの「${INTAKE_CHANNEL.name}」チャネル（相談受付チャネル）にカードで届きます。`,
    );
    const support = { id: '19:support-channel@thread.tacv2', name: 'サポート' };
    await desk.post(
      channelMention(desk.connector.url, PEOPLE.lead, '受付チャンネルに設定', { channel: support }),
    );
    expect(await helpSays()).toContain('「サポート」チャネル');
    // Renamed in Teams: the help follows; another channel renamed changes nothing.
    await desk.post(
      channelRenamed(desk.connector.url, PEOPLE.lead, { id: support.id, name: '相談受付' }),
    );
    await desk.post(
      channelRenamed(desk.connector.url, PEOPLE.lead, { id: INTAKE_CHANNEL_ID, name: '雑談' }),
    );
    expect(await helpSays()).toContain('「相談受付」チャネル（相談受付チャネル）');
    // The team's first channel, which has no name in Teams' data: as Teams shows it.
    await desk.post(
      channelMention(desk.connector.url, PEOPLE.lead, '受付チャンネルに設定', {
        channel: { id: TEAM_ID },
      }),
    );
    expect(await helpSays()).toContain('新しい相談はチームの「一般」チャネル（相談受付チャネル）');
    // One Teams names nowhere: said by what it is.
    await desk.post(
      channelMention(desk.connector.url, PEOPLE.lead, '受付チャンネルに設定', {
        channel: { id: '19:unnamed@thread.tacv2' },
      }),
    );
    expect(await helpSays()).toContain('新しい相談はチームの相談受付チャネルにカードで届きます。');
  });

  test('moving the intake channel: said in both, new cards go to the new one, old ones stay updated', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { id: earlier } = await recordOne(desk);
    const support = { id: '19:support-channel@thread.tacv2', name: 'サポート' };
    const sent = desk.gateway.sent.length;
    await desk.post(
      channelMention(desk.connector.url, PEOPLE.supervisor, '受付チャンネルに設定', {
        channel: support,
      }),
    );
    await desk.teams.background.idle();
    expect(deliveredTo(desk, support.id).map((a) => a.text)).toEqual([
      localize('bot.intake_set').ja,
    ]);
    // The former channel is told where new cards go, by whom; its cards stay there.
    const told = desk.gateway.sent.slice(sent);
    expect(told.map((s) => [s.reference.conversation?.id, s.activity.text])).toEqual([
      [
        INTAKE_CHANNEL_ID,
        localize('bot.intake_moved', { name: 'サポート', by: PEOPLE.supervisor.name }).ja,
      ],
    ]);
    expect(told[0]!.activity.text).toContain(
      '管理者Eさんが相談受付チャネルを「サポート」に移しました',
    );

    // A new consultation's card goes to the new channel; the earlier card is updated where it is.
    const { id: later } = await recordOne(desk);
    expect((await consultation(desk.store, later)).card_conversation_id).toBe(support.id);
    await press(desk, PEOPLE.firstLine, 'claim', earlier);
    await desk.teams.background.idle();
    const row = await consultation(desk.store, earlier);
    expect(row.card_conversation_id).toBe(INTAKE_CHANNEL_ID);
    expect(
      desk.gateway.updated.filter((u) => u.reference.conversation?.id === INTAKE_CHANNEL_ID),
    ).not.toHaveLength(0);
  });

  test('the intake channel asked again: it says it already is, and nobody else is told', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const sent = desk.gateway.sent.length;
    await desk.post(channelMention(desk.connector.url, PEOPLE.supervisor, 'set intake channel'));
    await desk.teams.background.idle();
    expect(deliveredTo(desk, INTAKE_CHANNEL_ID).at(-1)?.text).toBe(
      localize('bot.intake_already').ja,
    );
    expect(desk.gateway.sent.length).toBe(sent);
  });

  test('moved to a channel Teams does not name: its name is read from the team’s channels, else it moved elsewhere', async () => {
    const named = { id: '19:named-in-list@thread.tacv2', name: '相談受付' };
    const desk = await startDesk({ channels: [{ id: TEAM_ID }, named] });
    await installTeam(desk);
    const moveTo = async (id: string) => {
      await desk.post(
        channelMention(desk.connector.url, PEOPLE.lead, '受付チャネルに設定', { channel: { id } }),
      );
      await desk.teams.background.idle();
      return desk.gateway.sent.at(-1)!.activity.text;
    };
    const by = PEOPLE.lead.name;
    // Not in the activity, but in the team's list of channels.
    expect(await moveTo(named.id)).toBe(localize('bot.intake_moved', { name: '相談受付', by }).ja);
    // The team's first channel: nameless there too, and shown as 「一般」 by Teams.
    expect(await moveTo(TEAM_ID)).toBe(localize('bot.intake_moved', { name: '一般', by }).ja);
    // Nowhere named.
    expect(await moveTo('19:unlisted@thread.tacv2')).toBe(
      localize('bot.intake_moved_elsewhere', { by }).ja,
    );
    const ref = await desk.store.db.selectFrom('teams_reference').selectAll().execute();
    expect(ref.find((r) => r.key === 'intake-channel')?.conversation_id).toBe(
      '19:unlisted@thread.tacv2',
    );
    expect(desk.connector.calls.filter((c) => c.kind === 'channels')).toHaveLength(2);
  });

  test('the team’s channels cannot be read: the channel is set all the same, without a name', async () => {
    const desk = await startDesk({ channels: [{ id: INTAKE_CHANNEL_ID, name: '受付' }] });
    desk.connector.failNext(403, 1, 'channels');
    await desk.post(
      installInTeam(desk.connector.url, PEOPLE.lead, { channel: { id: INTAKE_CHANNEL_ID } }),
    );
    expect(deliveredTo(desk, INTAKE_CHANNEL_ID).map((a) => a.text)).toEqual([
      localize('bot.intake_set').ja,
    ]);
    const ref = await desk.store.db.selectFrom('teams_reference').selectAll().execute();
    expect(ref.map((r) => r.conversation_id)).toEqual([INTAKE_CHANNEL_ID]);
    expect(desk.logText()).toContain("could not read the team's channels");
    // The installation told again reads them again, and the name is kept from then on.
    await desk.post(
      installInTeam(desk.connector.url, PEOPLE.lead, { channel: { id: INTAKE_CHANNEL_ID } }),
    );
    await desk.post(personalMessage(desk.connector.url, PEOPLE.firstLine, 'ヘルプ'));
    expect(
      textOf(attachedCard(deliveredTo(desk, personalChatId(PEOPLE.firstLine)).at(-1))),
    ).toContain('「受付」チャネル（相談受付チャネル）');
  });

  test('staff can make another channel the intake channel by mentioning the bot', async () => {
    const desk = await startDesk();
    const { status } = await desk.post(
      channelMention(desk.connector.url, PEOPLE.supervisor, '受付チャンネルに設定'),
    );
    expect(status).toBe(200);
    const ref = await desk.store.db.selectFrom('teams_reference').selectAll().execute();
    expect(ref.map((r) => [r.key, r.conversation_id])).toEqual([
      ['intake-channel', INTAKE_CHANNEL_ID],
    ]);
  });
});

describe('messages in the 1:1 chat', () => {
  test('「新規」 answers with a blank intake form, in Japanese', async () => {
    const desk = await startDesk();
    const { status } = await desk.post(
      personalMessage(desk.connector.url, PEOPLE.firstLine, '新規'),
    );
    expect(status).toBe(200);
    const [reply] = deliveredTo(desk, personalChatId(PEOPLE.firstLine));
    const card = attachedCard(reply);
    expect(textOf(card)).toContain('相談の受付登録');
    expect(verbsOn(card)).toEqual(['intake.submit']);
    expect(executeActions(card)[0]!.data.formId).toEqual(expect.any(String));
    expect(inputValue(card, 'subject')).toBeNull();

    // The chat is remembered, so notices can reach this person later.
    const chat = await desk.store.db
      .selectFrom('teams_reference')
      .selectAll()
      .where('key', '=', `personal:${PEOPLE.firstLine.aadObjectId}`)
      .executeTakeFirst();
    expect(chat?.conversation_id).toBe(personalChatId(PEOPLE.firstLine));
  });

  test('“new” from an English client answers in English', async () => {
    const desk = await startDesk();
    await desk.post(personalMessage(desk.connector.url, PEOPLE.lead, 'new', { locale: 'en-US' }));
    const card = attachedCard(deliveredTo(desk, personalChatId(PEOPLE.lead))[0]);
    expect(textOf(card)).toContain('Record a consultation');
    expect(textOf(card)).not.toContain('相談の受付登録');
  });

  test('each new form has its own id', async () => {
    const desk = await startDesk();
    await desk.post(personalMessage(desk.connector.url, PEOPLE.firstLine, '新規'));
    await desk.post(personalMessage(desk.connector.url, PEOPLE.firstLine, '新規'));
    const ids = deliveredTo(desk, personalChatId(PEOPLE.firstLine)).map(
      (a) => executeActions(attachedCard(a))[0]!.data.formId,
    );
    expect(new Set(ids).size).toBe(2);
  });

  test('「状況」: what is waiting, by state, the longest waiting first with an open button', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { id } = await recordOne(desk);
    await press(desk, PEOPLE.firstLine, 'claim', id);
    await recordOne(desk);
    await desk.post(personalMessage(desk.connector.url, PEOPLE.lead, '状況'));
    const [summary] = deliveredTo(desk, personalChatId(PEOPLE.lead));
    const card = attachedCard(summary);
    expect(validateCard(card)).toEqual([]);
    const all = textsOf(card);
    expect(
      all.filter((t) => /^対応待ちの相談（\d{1,2}\/\d{1,2} \d{2}:\d{2} 時点）$/.test(t)),
    ).toHaveLength(1);
    expect(all).toEqual(
      expect.arrayContaining([
        '受付 1件（最も長いもの: 受付から 1分未満）',
        '一次対応中 1件（最も長いもの: 受付から 1分未満）',
      ]),
    );
    const opens = executeActions(card).filter((a) => a.verb === 'open');
    expect(opens).toHaveLength(2);
    // The help card's button answers with the same.
    const pressed = await desk.invoke(
      personalInvoke(desk.connector.url, PEOPLE.lead, 'list.waiting', {}),
    );
    expect(textsOf(pressed)).toEqual(
      expect.arrayContaining(['受付 1件（最も長いもの: 受付から 1分未満）']),
    );
    // Someone without a role is told so, and sees none of it.
    await desk.post(personalMessage(desk.connector.url, PEOPLE.outsider, 'status'));
    expect(deliveredTo(desk, personalChatId(PEOPLE.outsider)).map((a) => a.text)).toEqual([
      localize('bot.not_staff').ja,
    ]);
  });

  /** The ledger's route a card's OpenUrl button leads to (a deep link to the ledger tab). */
  const ledgerRouteOf = (action: unknown) => {
    const { url } = action as { type: string; url: string };
    const context = new URL(url).searchParams.get('context')!;
    return routeFromSubPage((JSON.parse(context) as { subEntityId: string }).subEntityId);
  };

  test('「一覧」: my open cases, the button to what else is waiting, and the same list in the ledger', async () => {
    const desk = await startDesk({ config: { teamsAppId: 'madoguchi-app' } });
    await installTeam(desk);
    const { id: mine, number } = await recordOne(desk);
    const { number: other } = await recordOne(desk);
    await press(desk, PEOPLE.firstLine, 'claim', mine);
    await desk.post(personalMessage(desk.connector.url, PEOPLE.firstLine, '一覧'));
    const list = attachedCard(deliveredTo(desk, personalChatId(PEOPLE.firstLine)).at(-1));
    expect(textOf(list)).toContain(number);
    expect(textOf(list)).not.toContain(other);
    // Each row opens its case; under the list, what else is waiting, and the ledger.
    expect(list.actions).toEqual([
      { type: 'Action.Execute', verb: 'list.waiting', title: '対応待ちの状況' },
      { type: 'Action.OpenUrl', title: '相談台帳で見る', url: expect.any(String) },
    ]);
    expect(ledgerRouteOf(list.actions![1])).toEqual({
      view: 'list',
      filters: {
        ...EMPTY_FILTERS,
        person: PEOPLE.firstLine.aadObjectId,
        states: ['received', 'claimed', 'dispatched', 'answered'],
      },
    });
    const button = executeActions(list).at(-1);
    const waiting = await desk.invoke(
      personalInvoke(desk.connector.url, PEOPLE.firstLine, button!.verb, {}),
    );
    expect(textOf(waiting)).toContain('対応待ちの相談');
    expect(textOf(waiting)).toContain(other);
  });

  test('「検索」: the matches, and all of them in the ledger; nothing found, no link', async () => {
    const desk = await startDesk({ config: { teamsAppId: 'madoguchi-app' } });
    await installTeam(desk);
    const { number } = await recordOne(desk);
    const said = async (text: string) => {
      await desk.post(personalMessage(desk.connector.url, PEOPLE.firstLine, text));
      return attachedCard(deliveredTo(desk, personalChatId(PEOPLE.firstLine)).at(-1));
    };
    const found = await said(`検索 ${TYPED.subject}`);
    expect(textOf(found)).toContain(number);
    expect(found.actions).toHaveLength(1);
    expect(ledgerRouteOf(found.actions![0])).toEqual({
      view: 'list',
      filters: { ...EMPTY_FILTERS, q: TYPED.subject },
    });
    const none = await said('検索 該当しない語句');
    expect(textOf(none)).toContain('該当する相談はありません。');
    expect(none.actions).toBeUndefined();
  });

  test('something the bot does not understand: a polite word and the help card', async () => {
    const desk = await startDesk();
    await desk.post(personalMessage(desk.connector.url, PEOPLE.firstLine, 'おはよう'));
    const [words, help] = deliveredTo(desk, personalChatId(PEOPLE.firstLine));
    expect(words?.text).toBe(localize('bot.not_understood').ja);
    expect(textOf(attachedCard(help))).toContain('窓口ボットの使い方');
  });
});

describe('the language the bot speaks', () => {
  /** The intake form's title in the reply to 「新規」 / “new”, sent with `locale`. */
  async function formTitle(desk: Desk, who: TeamsUser, locale: string): Promise<string> {
    await desk.post(personalMessage(desk.connector.url, who, 'new', { locale }));
    const card = attachedCard(deliveredTo(desk, personalChatId(who)).at(-1));
    return textOf(card).includes('相談の受付登録') ? 'ja' : 'en';
  }

  test('the one a person chose wins over their Teams language, and stays chosen', async () => {
    const desk = await startDesk();
    const { firstLine } = PEOPLE;
    await desk.post(personalMessage(desk.connector.url, firstLine, 'English', { locale: 'ja-JP' }));
    expect(deliveredTo(desk, personalChatId(firstLine)).at(-1)?.text).toBe(
      localize('bot.language_set').en,
    );
    expect(await formTitle(desk, firstLine, 'ja-JP')).toBe('en');
    await desk.post(personalMessage(desk.connector.url, firstLine, '日本語', { locale: 'en-US' }));
    expect(deliveredTo(desk, personalChatId(firstLine)).at(-1)?.text).toBe(
      localize('bot.language_set').ja,
    );
    expect(await formTitle(desk, firstLine, 'en-US')).toBe('ja');
  });

  test('BOT_LANGUAGE=ja: Japanese to an English Teams, until the person chooses English', async () => {
    const desk = await startDesk({ config: { botLanguage: 'ja' } });
    const { lead, firstLine } = PEOPLE;
    expect(await formTitle(desk, lead, 'en-US')).toBe('ja');
    await desk.post(personalMessage(desk.connector.url, lead, 'English', { locale: 'en-US' }));
    expect(await formTitle(desk, lead, 'en-US')).toBe('en');
    // Someone else is still spoken to in Japanese.
    expect(await formTitle(desk, firstLine, 'en-US')).toBe('ja');
  });

  test('BOT_LANGUAGE=ja: a 1:1 notice to someone whose Teams speaks English is in Japanese', async () => {
    const desk = await startDesk({ config: { botLanguage: 'ja' } });
    await installTeam(desk);
    const { lead, specialist } = PEOPLE;
    // The specialist's Teams speaks English: the bot keeps that from their message.
    await desk.post(personalMessage(desk.connector.url, specialist, 'help', { locale: 'en-US' }));
    const { id } = await recordOne(desk);
    await press(desk, lead, 'claim', id, {}, { locale: 'en-US' });
    await press(desk, lead, 'dispatch', id, {
      'dispatch.specialistId': specialist.aadObjectId,
      'dispatch.coordinationNeeded': 'false',
      'dispatch.reason': '詳しい調査が必要',
    });
    await desk.teams.background.idle();
    const notice = desk.gateway.sent.at(-1)!;
    expect(notice.reference.conversation?.id).toBe(personalChatId(specialist));
    const { number } = await consultation(desk.store, id);
    expect(notice.activity.text).toBe(localize('bot.dispatched_to_you', { number }).ja);
  });
});

describe('intake', () => {
  test('a submit with errors comes back as the same form, everything typed kept', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const typed = {
      ...TYPED,
      'consulter.email': 'soumu@',
      subject: '',
      categoryId: '',
      'consulter.employees': '約30',
    };
    const card = await desk.invoke(
      personalInvoke(desk.connector.url, PEOPLE.firstLine, 'intake.submit', {
        formId: 'form-1',
        ...typed,
      }),
    );

    const text = textOf(card);
    expect(text).toContain(w('intake.hasErrors', 'ja'));
    // Each error under its field, in the person's language.
    const label = (path: string) => ({
      labelJa: fieldLabel(path).ja,
      labelEn: fieldLabel(path).en,
    });
    expect(text).toContain(localize('field.invalid_email', label('consulter.email')).ja);
    expect(text).toContain('件名を入力してください。');
    // A choice left empty is to be chosen.
    expect(text).toContain('相談分類を選んでください。');
    expect(text).toContain(localize('field.invalid_number', label('consulter.employees')).ja);
    // Every value as typed, the wrong ones too.
    for (const [id, value] of Object.entries(typed)) {
      if (value === '') continue;
      expect([id, inputValue(card, id)]).toEqual([id, value]);
    }
    // The same form id again, so the corrected submit still makes one record.
    expect(executeActions(card).find((a) => a.verb === 'intake.submit')?.data.formId).toBe(
      'form-1',
    );
    expect(await consultations(desk.store)).toEqual([]);
    await desk.teams.background.idle();
    expect(desk.gateway.sent).toEqual([]);
  });

  test('a valid submit records the consultation, posts its card in the intake channel and links it', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const card = await desk.invoke(
      personalInvoke(desk.connector.url, PEOPLE.firstLine, 'intake.submit', {
        formId: 'form-2',
        ...TYPED,
      }),
    );
    const [row] = await consultations(desk.store);
    expect(row).toMatchObject({
      number: expect.stringMatching(/^\d{4}-000001$/),
      state: 'received',
      subject: TYPED.subject,
      consulter_organisation: TYPED['consulter.organisation'],
      consulter_employees: 35,
      urgency: 'high',
      created_by_id: PEOPLE.firstLine.aadObjectId,
      created_by_name: PEOPLE.firstLine.name,
      version: 1,
    });
    expect(textOf(card)).toContain(localize('bot.recorded', { number: row!.number }).ja);
    expect(textOf(card)).toContain(TYPED.subject);

    await desk.teams.background.idle();
    expect(desk.gateway.sent).toHaveLength(1);
    const [post] = desk.gateway.sent;
    expect(post!.reference.conversation?.id).toBe(INTAKE_CHANNEL_ID);
    const channelCard = attachedCard(post!.activity);
    expect(textOf(channelCard)).toContain(row!.number);
    expect(verbsOn(channelCard)).toContain('claim');
    expect(executeActions(channelCard).find((a) => a.verb === 'claim')?.data).toEqual({
      consultationId: row!.id,
      version: 1,
    });

    const linked = await consultation(desk.store, row!.id);
    expect(linked).toMatchObject({
      card_conversation_id: INTAKE_CHANNEL_ID,
      card_activity_id: post!.id,
      version: 1,
    });
    expect((await history(desk.store, row!.id)).map((h) => [h.action, h.request_id])).toEqual([
      ['create', 'form-2'],
      ['link-card', null],
    ]);
  });

  test('the same form submitted twice makes one record and one card', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const submit = () =>
      desk.invoke(
        personalInvoke(desk.connector.url, PEOPLE.firstLine, 'intake.submit', {
          formId: 'form-3',
          ...TYPED,
        }),
      );
    await submit();
    await submit();
    await desk.teams.background.idle();
    expect(await consultations(desk.store)).toHaveLength(1);
    expect(desk.gateway.sent).toHaveLength(1);
  });

  test('without an intake channel the creator is told, and the record stands', async () => {
    const desk = await startDesk();
    await desk.invoke(
      personalInvoke(desk.connector.url, PEOPLE.firstLine, 'intake.submit', {
        formId: 'form-4',
        ...TYPED,
      }),
    );
    await desk.teams.background.idle();
    expect(await consultations(desk.store)).toHaveLength(1);
    expect(desk.gateway.sent).toHaveLength(1);
    expect(desk.gateway.sent[0]!.reference.conversation?.id).toBe(personalChatId(PEOPLE.firstLine));
    expect(desk.gateway.sent[0]!.activity.text).toBe(localize('bot.no_intake_channel').ja);
  });

  test('a repeat consulter: the second record’s confirmation and channel card name the first, however the organisation was typed', async () => {
    const appId = 'madoguchi-app';
    const desk = await startDeskServer({
      config: { teamsAppId: appId },
      members: ROSTER,
      dirPrefix: 'madoguchi-bot-',
    });
    cleanups.push(() => desk.close());
    await installTeam(desk);
    const submit = (formId: string, consulter: Record<string, string>) =>
      desk.invoke(
        personalInvoke(desk.connector.url, PEOPLE.firstLine, 'intake.submit', {
          formId,
          ...TYPED,
          ...consulter,
        }),
      );
    const firstCard = await submit('form-repeat-1', {
      'consulter.organisation': '株式会社サンプル',
      'consulter.email': 'soumu@sample.example.jp',
      'consulter.phone': '03-1111-2222',
    });
    expect(textOf(firstCard)).not.toContain('この相談者の他の相談');
    await desk.teams.background.idle();
    const [first] = await consultations(desk.store);

    const related = jest.spyOn(desk.service, 'related');
    // Another person, another address and number: only the organisation is the same.
    const confirmation = await submit('form-repeat-2', {
      'consulter.organisation': '㈱サンプル',
      'consulter.person': '情報システム担当',
      'consulter.email': 'it@sample.example.jp',
      'consulter.phone': '03-3333-4444',
    });
    await desk.teams.background.idle();
    const second = (await consultations(desk.store))[1]!;

    // What the person who recorded it is told: the first by number and state, above its card.
    const told = textOf(confirmation);
    expect(told).toContain(localize('bot.recorded', { number: second.number }).ja);
    expect(told).toContain(`この相談者の他の相談が 1件あります: ${first!.number}（受付）`);
    const link = (id: number) =>
      `https://teams.microsoft.com/l/entity/${appId}/ledger?context=${encodeURIComponent(
        JSON.stringify({ subEntityId: String(id) }),
      )}`;
    // Still open, so in bold; linked to its ledger record like the card's own record.
    const line = `**他の相談 1件（[${first!.number}](${link(first!.id)})・受付）**`;
    expect(told).toContain(line);

    // The channel card of the second names the first the same way.
    const post = desk.gateway.sent.at(-1)!;
    expect(post.reference.conversation?.id).toBe(INTAKE_CHANNEL_ID);
    const channelCard = attachedCard(post.activity);
    expect(textOf(channelCard)).toContain(second.number);
    expect(textsOf(channelCard)).toEqual(expect.arrayContaining(['同じ相談者', line]));

    // One read for the confirmation, its card and the channel's.
    expect(related).toHaveBeenCalledTimes(1);

    // A press moments later: the presser's card and the channel's, updated, still name it,
    // from the same read (the record's own change leaves its consulter's others as they are).
    const claimed = await press(desk, PEOPLE.firstLine, 'claim', second.id);
    await desk.teams.background.idle();
    const updated = attachedCard(desk.gateway.updated.at(-1)!.activity);
    for (const card of [claimed, updated]) expect(textsOf(card)).toContain(line);
    expect(related).toHaveBeenCalledTimes(1);
    related.mockRestore();
  });

  test('the form in English for an English client', async () => {
    const desk = await startDesk();
    const card = await desk.invoke(
      personalInvoke(
        desk.connector.url,
        PEOPLE.lead,
        'intake.submit',
        { formId: 'form-5', ...TYPED, subject: '' },
        { locale: 'en-US' },
      ),
    );
    expect(textOf(card)).toContain('Some fields are not valid');
    expect(textOf(card)).not.toContain('入力内容に誤りがあります');
  });
});

/** After-work of one change: the channel card replaced, and one line in its thread. */
async function expectChannelUpdated(desk: Desk, id: number, line: string) {
  await desk.teams.background.idle();
  const row = await consultation(desk.store, id);
  const update = desk.gateway.updated.at(-1)!;
  expect(update.activityId).toBe(row.card_activity_id);
  expect(update.reference.conversation?.id).toBe(INTAKE_CHANNEL_ID);
  const shared = attachedCard(update.activity);
  // The shared card carries the version users act on next.
  for (const a of executeActions(shared).filter((x) => x.verb !== 'refresh')) {
    expect(a.data).toEqual({ consultationId: id, version: row.version });
  }
  const reply = desk.gateway.replied.at(-1)!;
  expect(reply.rootActivityId).toBe(row.card_activity_id);
  expect(reply.activity.text).toContain(line);
  return shared;
}

describe('the consultation card’s buttons', () => {
  test('a name with markdown in it is shown as written in the thread and on the card', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { id } = await recordOne(desk);
    const marked = { ...PEOPLE.firstLine, name: '**田中** [管理](https://evil.example/)' };
    await press(desk, marked, 'claim', id);
    const shared = await expectChannelUpdated(
      desk,
      id,
      String.raw`\*\*田中\*\* \[管理\]\(https://evil.example/\)さんが担当しました`,
    );
    expect(textOf(shared)).not.toContain('[管理](');
    expect(String(desk.gateway.replied.at(-1)!.activity.text)).not.toContain('[管理](');
  });

  test('every button, through the whole lifecycle, with its effect and its notices', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    // The lead has talked to the bot before: their 1:1 chat is known.
    await desk.post(personalMessage(desk.connector.url, PEOPLE.lead, 'ヘルプ'));
    const { id } = await recordOne(desk);
    const { firstLine, lead, specialist, supervisor } = PEOPLE;

    // claim
    let card = await press(desk, firstLine, 'claim', id, {}, { activityId: 'act-claim' });
    expect(await consultation(desk.store, id)).toMatchObject({
      state: 'claimed',
      first_line_owner_id: firstLine.aadObjectId,
      first_line_owner_name: firstLine.name,
      version: 2,
    });
    expect(textOf(card)).toContain('一次対応中');
    // The consulter has an address: the answer form previews before it sends.
    expect(verbsOn(card)).toEqual(
      expect.arrayContaining(['unclaim', 'dispatch', 'reply.preview', 'note', 'recategorise']),
    );
    expect(verbsOn(card)).not.toContain('claim');
    expect((await history(desk.store, id)).at(-1)).toMatchObject({
      action: 'claim',
      actor_id: firstLine.aadObjectId,
      request_id: 'act-claim',
    });
    await expectChannelUpdated(desk, id, `${firstLine.name}さんが担当しました`);

    // unclaim
    card = await press(desk, firstLine, 'unclaim', id);
    expect(await consultation(desk.store, id)).toMatchObject({
      state: 'received',
      first_line_owner_id: null,
      version: 3,
    });
    expect(verbsOn(card)).toContain('claim');
    await expectChannelUpdated(desk, id, `${firstLine.name}さんが担当を外れました`);

    // claim again (the lead), then dispatch to a specialist
    await press(desk, lead, 'claim', id);
    const notices = desk.gateway.sent.length;
    card = await press(desk, lead, 'dispatch', id, {
      'dispatch.specialistId': specialist.aadObjectId,
      'dispatch.coordinationNeeded': 'true',
      'dispatch.reason': '暗号化の範囲の調査が必要',
    });
    expect(await consultation(desk.store, id)).toMatchObject({
      state: 'dispatched',
      first_line_owner_id: lead.aadObjectId,
      specialist_id: specialist.aadObjectId,
      coordination_needed: 1,
      coordination_reason: '暗号化の範囲の調査が必要',
    });
    expect(textOf(card)).toContain('二次対応中');
    await expectChannelUpdated(desk, id, `${lead.name}さんが二次対応へ依頼しました`);
    // The specialist had never talked to the bot: their 1:1 chat is opened and remembered.
    expect(desk.gateway.opened.map((o) => o.teamsUserId)).toEqual([specialist.id]);
    const toSpecialist = desk.gateway.sent.slice(notices);
    expect(toSpecialist).toHaveLength(1);
    expect(toSpecialist[0]!.reference.conversation?.id).toBe(`a:opened-${specialist.id}`);
    const row = await consultation(desk.store, id);
    expect(toSpecialist[0]!.activity.text).toBe(
      localize('bot.dispatched_to_you', { number: row.number }).ja,
    );
    expect(verbsOn(attachedCard(toSpecialist[0]!.activity))).toContain('reply.preview');
    const remembered = await desk.store.db
      .selectFrom('teams_reference')
      .select('conversation_id')
      .where('key', '=', `personal:${specialist.aadObjectId}`)
      .executeTakeFirst();
    expect(remembered?.conversation_id).toBe(`a:opened-${specialist.id}`);

    // answer (by the specialist): the first-line owner hears of it in their own chat
    card = await press(desk, specialist, 'answer', id, {
      'answer.body': 'ネットワークから切り離したまま、警察と IPA に相談するよう案内した。',
      'answer.delivery': 'phone',
    });
    expect(await consultation(desk.store, id)).toMatchObject({ state: 'answered' });
    const answers = await desk.store.db.selectFrom('consultation_answer').selectAll().execute();
    expect(answers).toEqual([
      expect.objectContaining({
        consultation_id: id,
        author_id: specialist.aadObjectId,
        line: 'second',
        delivery: 'phone',
      }),
    ]);
    await expectChannelUpdated(desk, id, `${specialist.name}さんが回答しました`);
    const toLead = desk.gateway.sent.at(-1)!;
    expect(toLead.reference.conversation?.id).toBe(personalChatId(lead));
    expect(toLead.activity.text).toBe(localize('bot.answered_yours', { number: row.number }).ja);
    expect(desk.gateway.opened).toHaveLength(1);

    // note
    await press(desk, firstLine, 'note', id, { 'note.body': '相談者から折り返しの電話あり' });
    const notes = await desk.store.db.selectFrom('consultation_note').selectAll().execute();
    expect(notes).toEqual([
      expect.objectContaining({
        consultation_id: id,
        author_id: firstLine.aadObjectId,
        source: 'card',
      }),
    ]);
    expect(await consultation(desk.store, id)).toMatchObject({ state: 'answered' });
    await expectChannelUpdated(desk, id, `${firstLine.name}さんがメモを追加しました`);

    // recategorise
    await press(desk, specialist, 'recategorise', id, {
      'recategorise.categoryId': 'data-leak',
      'recategorise.urgency': 'critical',
    });
    expect(await consultation(desk.store, id)).toMatchObject({
      category_id: 'data-leak',
      urgency: 'critical',
      state: 'answered',
    });
    await expectChannelUpdated(desk, id, `${specialist.name}さんが分類を変更しました`);

    // close (by the owner, now that it is answered)
    card = await press(desk, lead, 'close', id, { 'close.reason': '' });
    expect(await consultation(desk.store, id)).toMatchObject({
      state: 'closed',
      closed_at: expect.any(String),
    });
    // The lead is also a supervisor: a closed record can still be corrected.
    expect(verbsOn(card)).toEqual(['reopen', 'edit.form']);
    await expectChannelUpdated(desk, id, `${lead.name}さんが完了にしました`);

    // reopen: the reopener takes it back at first line
    await press(desk, firstLine, 'reopen', id);
    expect(await consultation(desk.store, id)).toMatchObject({
      state: 'claimed',
      first_line_owner_id: firstLine.aadObjectId,
      closed_at: null,
    });
    await expectChannelUpdated(desk, id, `${firstLine.name}さんが再開しました`);

    // refresh and open change nothing and show the viewer's own buttons
    const before = await consultation(desk.store, id);
    const changes = (await history(desk.store, id)).length;
    const updates = desk.gateway.updated.length;
    const refreshed = await press(desk, supervisor, 'refresh', id, {}, { version: null });
    expect(verbsOn(refreshed)).toEqual(expect.arrayContaining(['unclaim', 'close']));
    const opened = await desk.invoke(
      personalInvoke(desk.connector.url, specialist, 'open', { consultationId: id }),
    );
    expect(textOf(opened)).toContain(before.number);
    expect(verbsOn(opened)).not.toContain('unclaim');
    await desk.teams.background.idle();
    expect(await consultation(desk.store, id)).toEqual(before);
    expect(await history(desk.store, id)).toHaveLength(changes);
    expect(desk.gateway.updated).toHaveLength(updates);

    // The history tells the whole story.
    expect((await history(desk.store, id)).map((h) => h.action)).toEqual([
      'create',
      'link-card',
      'claim',
      'unclaim',
      'claim',
      'dispatch',
      'answer',
      'note',
      'recategorise',
      'close',
      'reopen',
    ]);
  });

  test('the card answers in English for an English client; the channel stays Japanese', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { id } = await recordOne(desk);
    const card = await press(desk, PEOPLE.lead, 'claim', id, {}, { locale: 'en-US' });
    expect(textOf(card)).toContain('Claimed');
    expect(textOf(card)).not.toContain('一次対応中');
    const shared = await expectChannelUpdated(desk, id, `${PEOPLE.lead.name}さんが担当しました`);
    expect(textOf(shared)).toContain('一次対応中');
  });
});

describe('dispatching from the card', () => {
  test('records the specialist by name, as the card offered them', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { id } = await recordOne(desk);
    await press(desk, PEOPLE.lead, 'claim', id);
    const card = await press(desk, PEOPLE.lead, 'dispatch', id, {
      'dispatch.specialistId': PEOPLE.specialist2.aadObjectId,
      'dispatch.coordinationNeeded': 'false',
      'dispatch.reason': '詳しい調査が必要',
    });
    expect(await consultation(desk.store, id)).toMatchObject({
      state: 'dispatched',
      specialist_id: PEOPLE.specialist2.aadObjectId,
      specialist_name: PEOPLE.specialist2.name,
      coordination_needed: 0,
    });
    expect(textOf(card)).toContain(`${PEOPLE.specialist2.name}さん`);
    expect(textOf(card)).not.toContain(`${PEOPLE.specialist2.aadObjectId}さん`);
    await desk.teams.background.idle();
    expect(textOf(attachedCard(desk.gateway.updated.at(-1)!.activity))).toContain(
      `${PEOPLE.specialist2.name}さん`,
    );
  });
});

describe('correcting a record from its card', () => {
  /** The form's inputs as Teams sends them: every input, as a string. */
  const inputsOf = (card: unknown): Record<string, string> =>
    Object.fromEntries(
      JSON.stringify(card)
        .match(/"id":"(consulter|subject|details|situation)[^"]*"/g)!
        .map((m) => m.slice(6, -1))
        .map((id) => [id, findInput(card, id)?.value ?? '']),
    );
  const findInput = (node: unknown, id: string): { value?: string } | undefined => {
    if (Array.isArray(node)) {
      for (const n of node) {
        const found = findInput(n, id);
        if (found) return found;
      }
    } else if (node && typeof node === 'object') {
      if ((node as { id?: unknown }).id === id) return node as { value?: string };
      for (const v of Object.values(node)) {
        const found = findInput(v, id);
        if (found) return found;
      }
    }
    return undefined;
  };

  test('記録を修正 opens the form with the record; a mistake comes back kept; saved, everyone sees it', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { firstLine } = PEOPLE;
    const { id } = await recordOne(desk);
    const before = await consultation(desk.store, id);

    const form = await desk.invoke(
      channelInvoke(desk.connector.url, firstLine, 'edit.form', {
        consultationId: id,
        version: before.version,
      }),
    );
    expect(textOf(form)).toContain(`相談記録の修正 ${before.number}`);
    const values = inputsOf(form);
    expect(values['consulter.organisation']).toBe(before.consulter_organisation);
    expect(values.subject).toBe(before.subject);

    // A mistake: the form again, with what was typed and the error under the field.
    const save = (inputs: Record<string, string>, activityId?: string) =>
      desk.invoke(
        channelInvoke(
          desk.connector.url,
          firstLine,
          'edit',
          { consultationId: id, version: before.version, ...inputs },
          activityId ? { id: activityId } : {},
        ),
      );
    const wrong = await save({
      ...values,
      'consulter.email': 'soumu@',
      subject: '件名を直した',
    });
    expect(textOf(wrong)).toContain('メールアドレス');
    expect(inputsOf(wrong)).toMatchObject({ 'consulter.email': 'soumu@', subject: '件名を直した' });
    expect(await consultation(desk.store, id)).toEqual(before);

    const corrected = {
      ...values,
      'consulter.email': 'soumu@sample.example.jp',
      subject: '件名を直した',
    };
    const saved = await save(corrected, 'act-edit-1');
    expect(textOf(saved)).toContain(`相談 ${before.number} の記録を修正しました。`);
    expect(textOf(saved)).toContain('件名を直した');
    expect(await consultation(desk.store, id)).toMatchObject({
      subject: '件名を直した',
      consulter_email: 'soumu@sample.example.jp',
      version: before.version + 1,
    });
    await desk.teams.background.idle();
    expect(textOf(attachedCard(desk.gateway.updated.at(-1)!.activity))).toContain('件名を直した');
    // The thread says who corrected which fields, never what they now hold.
    const line = String(desk.gateway.replied.at(-1)!.activity.text);
    expect(line).toContain(`${firstLine.name}さんが記録を修正しました`);
    expect(line).toContain('修正した項目: 件名');
    expect(line).not.toContain('件名を直した');
    // The same save delivered twice changes nothing more, and still says it is saved.
    const twice = await save(corrected, 'act-edit-1');
    expect(textOf(twice)).toContain(`相談 ${before.number} の記録を修正しました。`);
    expect((await history(desk.store, id)).filter((h) => h.action === 'edit')).toHaveLength(1);
    // Saving the form unchanged says so.
    const form2 = await desk.invoke(
      channelInvoke(desk.connector.url, firstLine, 'edit.form', { consultationId: id }),
    );
    const same = await desk.invoke(
      channelInvoke(desk.connector.url, firstLine, 'edit', {
        consultationId: id,
        version: before.version + 1,
        ...inputsOf(form2),
      }),
    );
    expect(textOf(same)).toContain('変更された項目はありません。');
    expect((await consultation(desk.store, id)).version).toBe(before.version + 1);
  });

  test('someone changed it meanwhile: the form comes back with what was typed, to save again', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { firstLine, lead } = PEOPLE;
    const { id } = await recordOne(desk);
    const before = await consultation(desk.store, id);
    const form = await desk.invoke(
      channelInvoke(desk.connector.url, firstLine, 'edit.form', {
        consultationId: id,
        version: before.version,
      }),
    );
    await press(desk, lead, 'claim', id);
    const typed = { ...inputsOf(form), subject: '件名を直した' };
    const again = await desk.invoke(
      channelInvoke(desk.connector.url, firstLine, 'edit', {
        consultationId: id,
        version: before.version,
        ...typed,
      }),
    );
    expect(textOf(again)).toContain(`${lead.name}さん`);
    expect(inputsOf(again)).toMatchObject({ subject: '件名を直した' });
    expect((await consultation(desk.store, id)).subject).toBe(before.subject);
    // The form now carries the version it was refused at: saving it again works.
    const version = executeActions(again).find((a) => a.verb === 'edit')!.data.version;
    expect(version).toBe(before.version + 1);
    await desk.invoke(
      channelInvoke(desk.connector.url, firstLine, 'edit', {
        consultationId: id,
        version,
        ...typed,
      }),
    );
    expect((await consultation(desk.store, id)).subject).toBe('件名を直した');
  });

  test('two corrections from forms opened together: the second keeps the first one’s, and shows a field both changed', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { firstLine, lead } = PEOPLE;
    const { id } = await recordOne(desk);
    const open = (who: TeamsUser) =>
      desk.invoke(channelInvoke(desk.connector.url, who, 'edit.form', { consultationId: id }));
    const saveFrom = (who: TeamsUser, form: unknown, inputs: Record<string, string>) => {
      const submit = executeActions(form).find((a) => a.verb === 'edit')!;
      return desk.invoke(
        channelInvoke(desk.connector.url, who, 'edit', {
          ...submit.data,
          ...inputsOf(form),
          ...inputs,
        }),
      );
    };
    const mine = await open(firstLine);
    const theirs = await open(lead);
    await saveFrom(lead, theirs, {
      'consulter.email': 'soumu@sample.example.jp',
      subject: '件名（管理者の訂正）',
    });

    // Saved on the stale form: told who was first; the lead's email is taken over, the
    // subject both changed keeps what this person typed, with the lead's under it.
    const again = await saveFrom(firstLine, mine, {
      subject: '件名（受付の訂正）',
      'situation.since': '昨夜から',
    });
    expect(textOf(again)).toContain(`${lead.name}さん`);
    expect(inputsOf(again)).toMatchObject({
      'consulter.email': 'soumu@sample.example.jp',
      subject: '件名（受付の訂正）',
      'situation.since': '昨夜から',
    });
    expect(textOf(again)).toContain(
      'ほかの人もこの項目を修正しました（現在の内容: 件名（管理者の訂正））',
    );
    // A field to look at, not a mistake: no error summary, the note in the warning colour.
    expect(textOf(again)).not.toContain('入力内容に誤りがあります');
    expect(JSON.stringify(again)).toMatch(
      /"text":"ほかの人もこの項目を修正しました[^"]*","color":"warning"/,
    );
    expect((await consultation(desk.store, id)).subject).toBe('件名（管理者の訂正）');

    // Saved again as it came back: both corrections stand.
    await saveFrom(firstLine, again, {});
    expect(await consultation(desk.store, id)).toMatchObject({
      subject: '件名（受付の訂正）',
      consulter_email: 'soumu@sample.example.jp',
    });
    expect(JSON.parse((await consultation(desk.store, id)).situation).since).toBe('昨夜から');
  });

  test('someone without a role is told so, and sees the channel’s card', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { id } = await recordOne(desk);
    const card = await desk.invoke(
      channelInvoke(desk.connector.url, PEOPLE.outsider, 'edit.form', { consultationId: id }),
    );
    expect(textOf(card)).toContain(localize('bot.not_staff').ja);
    expect(textOf(card)).not.toContain('相談記録の修正');
  });
});

describe('a dispatched case that its specialist cannot take', () => {
  test('goes back to its owner with the reason, who is told and dispatches it to another', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { lead, specialist, specialist2 } = PEOPLE;
    await desk.post(personalMessage(desk.connector.url, lead, 'ヘルプ'));
    const { id } = await recordOne(desk);
    await press(desk, lead, 'claim', id);
    await press(desk, lead, 'dispatch', id, {
      'dispatch.specialistId': specialist.aadObjectId,
      'dispatch.coordinationNeeded': 'false',
      'dispatch.reason': '詳しい調査が必要',
    });
    await desk.teams.background.idle();

    // The specialist's own card offers the way back.
    let card = await press(desk, specialist, 'refresh', id, {}, { version: null });
    expect(verbsOn(card)).toEqual(expect.arrayContaining(['return', 'reply.preview']));
    // Without a reason: the card again, saying what is missing; nothing changed.
    const version = (await consultation(desk.store, id)).version;
    card = await press(desk, specialist, 'return', id, { 'return.reason': ' ' });
    expect(textOf(card)).toContain('理由を入力してください。');
    expect((await consultation(desk.store, id)).version).toBe(version);

    const sent = desk.gateway.sent.length;
    card = await press(desk, specialist, 'return', id, {
      'return.reason': '担当分野外のため、\n別の専門員にお願いします',
    });
    expect(await consultation(desk.store, id)).toMatchObject({
      state: 'claimed',
      first_line_owner_id: lead.aadObjectId,
      specialist_id: null,
    });
    // The specialist's card: no longer theirs to answer; why it went back.
    expect(verbsOn(card)).not.toContain('reply.preview');
    expect(textOf(card)).toContain('差し戻しの理由: 担当分野外のため、\n別の専門員にお願いします');
    const shared = await expectChannelUpdated(
      desk,
      id,
      `${specialist.name}さんが一次対応へ差し戻しました`,
    );
    expect(textOf(shared)).toContain('差し戻しの理由');
    // In the thread too, line by line: each line a paragraph of the message.
    expect(desk.gateway.replied.at(-1)!.activity.text).toContain(
      '差し戻しの理由: 担当分野外のため、\n\n別の専門員にお願いします',
    );
    // The owner hears of it in their own chat, with the card to act on.
    const toLead = desk.gateway.sent.slice(sent);
    expect(toLead).toHaveLength(1);
    expect(toLead[0]!.reference.conversation?.id).toBe(personalChatId(lead));
    const row = await consultation(desk.store, id);
    expect(toLead[0]!.activity.text).toBe(
      localize('bot.returned_to_you', { number: row.number }).ja,
    );
    const leadsCard = attachedCard(toLead[0]!.activity);
    expect(verbsOn(leadsCard)).toEqual(expect.arrayContaining(['dispatch', 'reply.preview']));
    expect(textOf(leadsCard)).toContain('担当分野外のため');

    // The owner dispatches it to another specialist, who is told.
    await press(desk, lead, 'dispatch', id, {
      'dispatch.specialistId': specialist2.aadObjectId,
      'dispatch.coordinationNeeded': 'false',
      'dispatch.reason': 'フォレンジックの経験者へ',
    });
    await desk.teams.background.idle();
    expect(await consultation(desk.store, id)).toMatchObject({
      state: 'dispatched',
      specialist_id: specialist2.aadObjectId,
    });
    expect(desk.gateway.sent.at(-1)!.activity.text).toBe(
      localize('bot.dispatched_to_you', { number: row.number }).ja,
    );
    expect((await history(desk.store, id)).map((h) => h.action).slice(-3)).toEqual([
      'dispatch',
      'return',
      'dispatch',
    ]);
  });

  test('its owner dispatches it to another specialist directly; the same one is refused', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { lead, specialist, specialist2 } = PEOPLE;
    const { id } = await recordOne(desk);
    await press(desk, lead, 'claim', id);
    let card = await press(desk, lead, 'dispatch', id, {
      'dispatch.specialistId': specialist.aadObjectId,
      'dispatch.coordinationNeeded': 'false',
      'dispatch.reason': '詳しい調査が必要',
    });
    expect(textOf(card)).toContain('依頼先を変更');
    card = await press(desk, lead, 'dispatch', id, {
      'dispatch.specialistId': specialist.aadObjectId,
      'dispatch.coordinationNeeded': 'false',
      'dispatch.reason': 'もう一度',
    });
    expect(textOf(card)).toContain('すでにこの専門員に依頼しています');
    // What was typed is put back.
    expect(JSON.stringify(card)).toContain('もう一度');
    expect((await consultation(desk.store, id)).specialist_id).toBe(specialist.aadObjectId);
    await press(desk, lead, 'dispatch', id, {
      'dispatch.specialistId': specialist2.aadObjectId,
      'dispatch.coordinationNeeded': 'true',
      'dispatch.reason': '専門員Cさんが休暇中のため',
    });
    expect(await consultation(desk.store, id)).toMatchObject({
      state: 'dispatched',
      specialist_id: specialist2.aadObjectId,
      coordination_reason: '専門員Cさんが休暇中のため',
    });
  });
});

describe('two people, one card', () => {
  test('the slower one sees the card as it is now, and who was faster', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { id } = await recordOne(desk);
    // Both look at version 1.
    await press(desk, PEOPLE.firstLine, 'claim', id, {}, { version: 1 });
    const card = await press(desk, PEOPLE.lead, 'claim', id, {}, { version: 1 });

    const banner = textsOf(card.body[0]).join('\n');
    expect(banner).toContain(`${PEOPLE.firstLine.name}さん`);
    expect(banner).toContain('「担当」');
    expect(card.body[0]).toMatchObject({ type: 'Container', style: 'attention' });
    // Below the banner: the card as it is now, with the lead's own buttons.
    expect(textOf(card)).toContain('一次対応中');
    expect(verbsOn(card)).toEqual(expect.arrayContaining(['unclaim', 'dispatch']));
    for (const a of executeActions(card).filter((x) => x.verb !== 'refresh')) {
      expect(a.data.version).toBe(2);
    }

    expect(await consultation(desk.store, id)).toMatchObject({
      first_line_owner_id: PEOPLE.firstLine.aadObjectId,
      version: 2,
    });
    expect((await history(desk.store, id)).filter((h) => h.action === 'claim')).toHaveLength(1);
    await desk.teams.background.idle();
    expect(desk.gateway.updated).toHaveLength(1);
  });

  test('in English, the banner is English', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { id } = await recordOne(desk);
    await press(desk, PEOPLE.firstLine, 'claim', id, {}, { version: 1 });
    const card = await press(desk, PEOPLE.lead, 'unclaim', id, {}, { version: 1, locale: 'en-US' });
    const banner = textsOf(card.body[0]).join('\n');
    expect(banner).toBe(
      localize('error.conflict', {
        byName: PEOPLE.firstLine.name,
        actionEn: 'claim',
        stateEn: 'Claimed',
      }).en,
    );
  });

  test('a press on a card that moved on, without a version, still names who moved it', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { id } = await recordOne(desk);
    await press(desk, PEOPLE.firstLine, 'claim', id);
    const card = await press(desk, PEOPLE.lead, 'claim', id, {}, { version: null });
    expect(textsOf(card.body[0]).join('\n')).toContain(`${PEOPLE.firstLine.name}さん`);
    expect(await consultation(desk.store, id)).toMatchObject({
      first_line_owner_id: PEOPLE.firstLine.aadObjectId,
    });
  });
});

describe('someone without a role', () => {
  test('is refused politely in the 1:1 chat', async () => {
    const desk = await startDesk();
    await desk.post(personalMessage(desk.connector.url, PEOPLE.outsider, '新規'));
    await desk.post(
      personalMessage(desk.connector.url, PEOPLE.outsider, 'new', { locale: 'en-US' }),
    );
    const said = deliveredTo(desk, personalChatId(PEOPLE.outsider)).map((a) => a.text);
    expect(said).toEqual([localize('bot.not_staff').ja, localize('bot.not_staff').en]);
  });

  test('pressing a card button changes nothing and says why', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { id } = await recordOne(desk);
    const before = await consultation(desk.store, id);
    const changes = (await history(desk.store)).length;
    await desk.teams.background.idle();
    const sent = desk.gateway.sent.length;

    for (const verb of ['claim', 'note', 'close']) {
      const card = await press(desk, PEOPLE.outsider, verb, id, {
        'note.body': '部外者のメモ',
        'close.reason': '部外者',
      });
      expect(card.body[0]).toMatchObject({ type: 'Container', style: 'attention' });
      expect(textsOf(card.body[0]).join('')).toBe(localize('bot.not_staff').ja);
      // What they see is the channel's card, not more.
      expect(textOf(card)).toContain(before.number);
    }
    const submit = await desk.invoke(
      personalInvoke(desk.connector.url, PEOPLE.outsider, 'intake.submit', {
        formId: 'outsider-form',
        ...TYPED,
      }),
    );
    expect(textsOf(submit.body[0]).join('')).toMatch(/権限がありません/);
    expect(inputValue(submit, 'subject')).toBe(TYPED.subject);

    await desk.teams.background.idle();
    expect(await consultation(desk.store, id)).toEqual(before);
    expect(await consultations(desk.store)).toHaveLength(1);
    expect(await history(desk.store)).toHaveLength(changes);
    expect(await desk.store.db.selectFrom('consultation_note').selectAll().execute()).toEqual([]);
    expect(desk.gateway.sent).toHaveLength(sent);
    expect(desk.gateway.updated).toEqual([]);
  });
});

describe('the channel card while Teams holds its updates', () => {
  test('changes made while an update is on its way make one more update, with the latest', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { id } = await recordOne(desk);
    const release = desk.gateway.holdUpdates();

    await press(desk, PEOPLE.firstLine, 'claim', id); // its update waits
    await press(desk, PEOPLE.firstLine, 'unclaim', id);
    await press(desk, PEOPLE.lead, 'claim', id);
    await press(desk, PEOPLE.lead, 'note', id, { 'note.body': '折り返し待ち' });
    release();
    await desk.teams.background.idle();

    const row = await consultation(desk.store, id);
    expect(row).toMatchObject({ state: 'claimed', version: 5 });
    // The one on its way, then one with everything since: not one per change.
    expect(desk.gateway.updated).toHaveLength(2);
    const last = attachedCard(desk.gateway.updated[1]!.activity);
    for (const a of executeActions(last).filter((x) => x.verb !== 'refresh')) {
      expect(a.data).toMatchObject({ consultationId: id, version: 5 });
    }
    expect(textOf(last)).toContain(`${PEOPLE.lead.name}さん`);
    // Every change still has its line in the thread, in order.
    expect(desk.gateway.replied.map((r) => r.activity.text)).toEqual([
      expect.stringContaining(`${PEOPLE.firstLine.name}さんが担当しました`),
      expect.stringContaining(`${PEOPLE.firstLine.name}さんが担当を外れました`),
      expect.stringContaining(`${PEOPLE.lead.name}さんが担当しました`),
      expect.stringContaining(`${PEOPLE.lead.name}さんがメモを追加しました`),
    ]);
  });

  test('lines said while one is on its way go out together, in order, as the next message', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { id } = await recordOne(desk);
    const release = desk.gateway.holdReplies();

    await press(desk, PEOPLE.firstLine, 'claim', id); // its line waits
    await press(desk, PEOPLE.firstLine, 'unclaim', id);
    await press(desk, PEOPLE.lead, 'claim', id);
    release();
    await desk.teams.background.idle();

    const replies = desk.gateway.replied;
    const root = (await consultation(desk.store, id)).card_activity_id;
    expect(replies.map((r) => r.rootActivityId)).toEqual([root, root]);
    const [first, second] = replies.map((r) => r.activity.text!.split('\n\n'));
    expect(first).toEqual([expect.stringContaining(`${PEOPLE.firstLine.name}さんが担当しました`)]);
    expect(second).toEqual([
      expect.stringContaining(`${PEOPLE.firstLine.name}さんが担当を外れました`),
      expect.stringContaining(`${PEOPLE.lead.name}さんが担当しました`),
    ]);
  });

  test('changes to different cards do not wait for each other', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const first = await recordOne(desk);
    const second = await recordOne(desk);
    const release = desk.gateway.holdUpdates();
    await press(desk, PEOPLE.firstLine, 'claim', first.id);
    await press(desk, PEOPLE.lead, 'claim', second.id);
    release();
    await desk.teams.background.idle();
    expect(desk.gateway.updated.map((u) => u.activityId).sort()).toEqual(
      [first.card_activity_id, second.card_activity_id].sort(),
    );
  });
});

describe('people the bot has met', () => {
  const person = (desk: Desk, u: TeamsUser) =>
    desk.store.db
      .selectFrom('person')
      .selectAll()
      .where('aad_object_id', '=', u.aadObjectId)
      .executeTakeFirstOrThrow();

  test('are written again only when Teams says something new of them', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { id } = await recordOne(desk);
    await press(desk, PEOPLE.firstLine, 'claim', id);
    const before = await person(desk, PEOPLE.firstLine);
    await new Promise((r) => setTimeout(r, 5));
    await press(desk, PEOPLE.firstLine, 'unclaim', id);
    expect(await person(desk, PEOPLE.firstLine)).toEqual(before);

    const renamed = { ...PEOPLE.firstLine, name: '受付担当（新）' };
    await press(desk, renamed, 'claim', id, {}, { locale: 'en-US' });
    expect(await person(desk, PEOPLE.firstLine)).toMatchObject({
      name: '受付担当（新）',
      locale: 'en-US',
    });
  });

  test('a specialist’s new name is on the next card', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { id } = await recordOne(desk);
    const claimed = await press(desk, PEOPLE.lead, 'claim', id);
    expect(textOf(claimed)).toContain(PEOPLE.specialist2.name);

    const renamed = { ...PEOPLE.specialist2, name: '専門員D（情報漏えい）' };
    await desk.post(personalMessage(desk.connector.url, renamed, 'ヘルプ'));
    const refreshed = await press(desk, PEOPLE.lead, 'refresh', id, {}, { version: null });
    expect(textOf(refreshed)).toContain('専門員D（情報漏えい）');
  });
});

describe('Teams sends the same invoke twice', () => {
  test('the second changes nothing and answers with the same card', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { id } = await recordOne(desk);
    const once = await press(
      desk,
      PEOPLE.firstLine,
      'claim',
      id,
      {},
      { version: 1, activityId: 'dup-1' },
    );
    const twice = await press(
      desk,
      PEOPLE.firstLine,
      'claim',
      id,
      {},
      { version: 1, activityId: 'dup-1' },
    );
    expect(twice).toEqual(once);
    expect(await consultation(desk.store, id)).toMatchObject({ version: 2, state: 'claimed' });
    expect((await history(desk.store, id)).filter((h) => h.action === 'claim')).toHaveLength(1);
    await desk.teams.background.idle();
    expect(desk.gateway.updated).toHaveLength(1);
    expect(desk.gateway.replied).toHaveLength(1);
  });

  test('also when both arrive at once', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { id } = await recordOne(desk);
    const activity = channelInvoke(
      desk.connector.url,
      PEOPLE.firstLine,
      'note',
      { consultationId: id, version: 1, 'note.body': '同じメモ' },
      { id: 'dup-2' },
    );
    const [a, b] = await Promise.all([desk.post(activity), desk.post(activity)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await desk.store.db.selectFrom('consultation_note').selectAll().execute()).toHaveLength(
      1,
    );
    expect(await consultation(desk.store, id)).toMatchObject({ version: 2 });
    await desk.teams.background.idle();
    expect(desk.gateway.replied).toHaveLength(1);
  });

  test('the same intake submit twice at once makes one record', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const activity = personalInvoke(desk.connector.url, PEOPLE.firstLine, 'intake.submit', {
      formId: 'form-dup',
      ...TYPED,
    });
    const results = await Promise.all([desk.post(activity), desk.post(activity)]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    await desk.teams.background.idle();
    expect(await consultations(desk.store)).toHaveLength(1);
    expect(desk.gateway.sent).toHaveLength(1);
  });
});

describe('the database is out of reach', () => {
  const unavailable = localize('error.unavailable', { what: 'database' });

  test('an intake submit answers with the form, everything typed kept, and says to retry', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    desk.down();
    const submit = personalInvoke(desk.connector.url, PEOPLE.firstLine, 'intake.submit', {
      formId: 'form-down',
      ...TYPED,
    });
    const card = await desk.invoke(submit);
    expect(textsOf(card.body[0]).join('')).toBe(unavailable.ja);
    for (const [id, value] of Object.entries(TYPED)) {
      if (value !== '') expect([id, inputValue(card, id)]).toEqual([id, value]);
    }
    expect(executeActions(card).find((a) => a.verb === 'intake.submit')?.data.formId).toBe(
      'form-down',
    );

    // Back up: the same form, sent again, is recorded once.
    desk.up();
    const again = await desk.invoke({ ...submit, id: 'f:retry' });
    expect(textOf(again)).toContain(TYPED.subject);
    await desk.teams.background.idle();
    expect(await consultations(desk.store)).toHaveLength(1);
    expect(desk.gateway.sent).toHaveLength(1);
  });

  test('a card button answers with the unavailable banner, in the person’s language', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { id } = await recordOne(desk);
    desk.down();
    const card = await press(desk, PEOPLE.firstLine, 'claim', id, {}, { version: 1 });
    expect(textsOf(card.body[0]).join('')).toBe(unavailable.ja);
    const en = await press(
      desk,
      PEOPLE.firstLine,
      'note',
      id,
      { 'note.body': '折り返しの電話番号は 03-0000-0000' },
      { version: 1, locale: 'en-US' },
    );
    expect(textsOf(en.body[0]).join('')).toBe(unavailable.en);
    // What was typed is on the card, not lost.
    expect(textOf(en)).toContain('折り返しの電話番号は 03-0000-0000');
    const refresh = await press(desk, PEOPLE.firstLine, 'refresh', id, {}, { version: 1 });
    expect(textsOf(refresh.body[0]).join('')).toBe(unavailable.ja);

    desk.up();
    expect(await consultation(desk.store, id)).toMatchObject({ state: 'received', version: 1 });
    // And the desk carries on.
    await press(desk, PEOPLE.firstLine, 'claim', id, {}, { version: 1 });
    expect(await consultation(desk.store, id)).toMatchObject({ state: 'claimed' });
  });

  test('a message says to retry instead of failing the turn', async () => {
    const desk = await startDesk();
    desk.down();
    const { status } = await desk.post(
      personalMessage(desk.connector.url, PEOPLE.firstLine, '担当'),
    );
    expect(status).toBe(200);
    const said = deliveredTo(desk, personalChatId(PEOPLE.firstLine)).map((a) => a.text);
    expect(said).toEqual([unavailable.ja]);
  });
});

describe('Teams is slow to take the after-work', () => {
  const fastRetry = { attempts: 5, baseDelayMs: 1, maxDelayMs: 5 };

  /** The desk sending its after-work through botbuilder's connector client to the stand-in Bot Connector. */
  const startDeskOverHttp = () =>
    startDesk({
      gateway: () =>
        new BotConnectorGateway(
          createAdapter(testConfig().bot, pino({ level: 'silent' })),
          '',
          new RateLimiter(),
          fastRetry,
        ),
    });

  /** The calls the stand-in connector answered since `from`, outside the people's 1:1 chats. */
  const channelCalls = (desk: Desk, from: number) =>
    desk.connector.calls.slice(from).filter((c) => c.conversationId.startsWith(INTAKE_CHANNEL_ID));

  test('502 twice, then it works: the card is posted and linked, and later changes reach it', async () => {
    const desk = await startDeskOverHttp();
    await installTeam(desk);
    const from = desk.connector.calls.length;
    desk.connector.failNext(502, 2);
    const { id } = await recordOne(desk);

    expect(desk.connector.failed()).toBe(2);
    const [post, ...others] = channelCalls(desk, from);
    expect(others).toEqual([]);
    expect(post).toMatchObject({ kind: 'send', conversationId: INTAKE_CHANNEL_ID });
    expect(textOf(attachedCard(post!.body))).toContain((await consultation(desk.store, id)).number);
    expect(await consultation(desk.store, id)).toMatchObject({
      card_conversation_id: INTAKE_CHANNEL_ID,
      card_activity_id: post!.id,
    });

    await press(desk, PEOPLE.firstLine, 'claim', id);
    await desk.teams.background.idle();
    // The card's update and the line in its thread, in either order.
    const after = channelCalls(desk, from + 1).sort((a, b) => a.kind.localeCompare(b.kind));
    expect(after).toEqual([
      expect.objectContaining({
        kind: 'send',
        conversationId: `${INTAKE_CHANNEL_ID};messageid=${post!.id}`,
      }),
      expect.objectContaining({
        kind: 'update',
        conversationId: INTAKE_CHANNEL_ID,
        activityId: post!.id,
        body: expect.objectContaining({ type: 'message', id: post!.id }),
      }),
    ]);
    expect(after[0]!.body?.text).toContain(`${PEOPLE.firstLine.name}さんが担当しました`);
  });

  test('failing for good: the person’s action stands, and the log names the failure without the content', async () => {
    const desk = await startDeskOverHttp();
    await installTeam(desk);
    desk.connector.failNext(502, 1_000);
    const card = await desk.invoke(
      personalInvoke(desk.connector.url, PEOPLE.firstLine, 'intake.submit', {
        formId: 'form-lost-card',
        ...TYPED,
      }),
    );
    const [row] = await consultations(desk.store);
    expect(textsOf(card.body[0]).join('')).toBe(
      localize('bot.recorded', { number: row!.number }).ja,
    );
    await desk.teams.background.idle();

    expect(desk.connector.failed()).toBe(fastRetry.attempts);
    expect(row).toMatchObject({ state: 'received', card_activity_id: null });
    const failures = desk.logs().filter((l) => l.msg === 'background work failed');
    expect(failures).toEqual([
      expect.objectContaining({
        level: 'error',
        what: 'post card',
        component: 'bot',
        err: expect.objectContaining({ name: 'RestError', message: 'stand-in answered 502' }),
      }),
    ]);

    // The desk still works: a change is recorded, its after-work fails the same way.
    await press(desk, PEOPLE.firstLine, 'claim', row!.id);
    expect(await consultation(desk.store, row!.id)).toMatchObject({ state: 'claimed' });
    await desk.teams.background.idle();

    const log = desk.logText();
    for (const typed of Object.values(TYPED).filter((v) => v.length > 3)) {
      expect([typed, log.includes(typed)]).toEqual([typed, false]);
    }
    expect(log).not.toContain('AdaptiveCard');
  });

  /** Moves a record's creation, and any posting of its card under way, into the past. */
  const ageRecord = (desk: Desk, id: number) =>
    desk.store.db
      .updateTable('consultation')
      .set({
        created_at: new Date(Date.now() - 2 * CARD_POSTING_GRACE_MS).toISOString(),
        card_posting_until: null,
      })
      .where('id', '=', id)
      .execute();
  const cardPosts = (desk: Desk) =>
    desk.connector.calls.filter(
      (c) => c.kind === 'send' && c.conversationId === INTAKE_CHANNEL_ID && c.body?.attachments,
    );

  test('a card Teams never took is posted by the catch-up once Teams is back, and once only', async () => {
    const desk = await startDeskOverHttp();
    await installTeam(desk);
    desk.connector.failNext(502, 1_000);
    const { id } = await recordOne(desk);
    expect(await consultation(desk.store, id)).toMatchObject({ card_activity_id: null });
    desk.connector.failNext(502, 0); // Teams is back
    // Its own posting may still be under way: not yet.
    expect(await desk.teams.catchUp()).toMatchObject({ posted: 0 });
    expect(cardPosts(desk)).toEqual([]);

    await ageRecord(desk, id);
    await press(desk, PEOPLE.firstLine, 'claim', id);
    expect(await desk.teams.catchUp()).toMatchObject({ posted: 1 });
    const [post] = cardPosts(desk);
    const row = await consultation(desk.store, id);
    expect(row).toMatchObject({ card_activity_id: post!.id, card_version: row.version });
    // Posted as the record is now, with its last change.
    const card = post!.body!.attachments![0]!.content as AdaptiveCard;
    expect(validateCard(card)).toEqual([]);
    expect(textOf(card)).toContain(`${PEOPLE.firstLine.name}さんが担当しました`);
    expect(await desk.teams.catchUp()).toMatchObject({ posted: 0 });
    expect(cardPosts(desk)).toHaveLength(1);
  });

  test('recorded with no intake channel: posted once the app is in a team; closed ones are not', async () => {
    const desk = await startDesk();
    const { id: open } = await recordOne(desk);
    const { id: closed } = await recordOne(desk);
    await press(desk, PEOPLE.lead, 'claim', closed);
    await press(desk, PEOPLE.lead, 'close', closed, { 'close.reason': '重複' });
    expect(await consultation(desk.store, closed)).toMatchObject({ state: 'closed' });
    await ageRecord(desk, open);
    await ageRecord(desk, closed);
    expect(await desk.teams.catchUp()).toMatchObject({ posted: 0 });

    await installTeam(desk);
    expect(await desk.teams.catchUp()).toMatchObject({ posted: 1 });
    expect((await consultation(desk.store, open)).card_conversation_id).toBe(INTAKE_CHANNEL_ID);
    expect((await consultation(desk.store, closed)).card_activity_id).toBeNull();
  });

  test('the intake channel deleted: the team is told, and the open cards go to the next one', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { id: open } = await recordOne(desk);
    const { id: closed } = await recordOne(desk);
    await press(desk, PEOPLE.lead, 'claim', closed);
    await press(desk, PEOPLE.lead, 'close', closed, { 'close.reason': '重複' });
    await desk.post(channelDeleted(desk.connector.url, PEOPLE.lead, INTAKE_CHANNEL));
    expect(deliveredTo(desk, TEAM_ID).map((a) => a.text)).toEqual([
      localize('bot.intake_deleted').ja,
    ]);
    expect(await desk.store.db.selectFrom('teams_reference').selectAll().execute()).toEqual([]);
    expect(await consultation(desk.store, open)).toMatchObject({ card_activity_id: null });
    expect(await consultation(desk.store, closed)).toMatchObject({
      card_conversation_id: INTAKE_CHANNEL_ID,
    });

    // Another channel is set: the open case's card is posted there by the catch-up.
    const support = { id: '19:support-channel@thread.tacv2', name: 'サポート' };
    await desk.post(
      channelMention(desk.connector.url, PEOPLE.lead, '受付チャンネルに設定', { channel: support }),
    );
    await ageRecord(desk, open);
    expect(await desk.teams.catchUp()).toMatchObject({ posted: 1 });
    expect(await consultation(desk.store, open)).toMatchObject({
      card_conversation_id: support.id,
    });
  });

  test('another channel deleted: nothing changes', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { id } = await recordOne(desk);
    const before = await consultation(desk.store, id);
    await desk.post(
      channelDeleted(desk.connector.url, PEOPLE.lead, {
        id: '19:other@thread.tacv2',
        name: '雑談',
      }),
    );
    expect(deliveredTo(desk, TEAM_ID)).toEqual([]);
    expect(await consultation(desk.store, id)).toEqual(before);
    const ref = await desk.store.db.selectFrom('teams_reference').selectAll().execute();
    expect(ref.map((r) => r.conversation_id)).toEqual([INTAKE_CHANNEL_ID]);
  });

  test.each(['remove', 'botRemoved', 'teamDeleted'] as const)(
    'the intake channel’s team gone (%s): forgotten, and the open cards go to the next team’s channel',
    async (how) => {
      const desk = await startDesk();
      await installTeam(desk);
      expect(await desk.store.db.selectFrom('teams_reference').select('team_id').execute()).toEqual(
        [{ team_id: TEAM_ID }],
      );
      const { id } = await recordOne(desk);
      const sent = desk.gateway.sent.length;
      const replied = desk.gateway.replied.length;
      await desk.post(teamGone(desk.connector.url, PEOPLE.lead, how));
      await desk.teams.background.idle();
      // Nobody is left in the team to tell: the supervisors hear of it in their own chats.
      expect(desk.gateway.replied.length).toBe(replied);
      expect(
        desk.gateway.sent.slice(sent).map((s) => [s.reference.conversation?.id, s.activity.text]),
      ).toEqual(
        // Their chats with the bot opened for it (they have not written to it yet).
        [PEOPLE.lead, PEOPLE.supervisor].map((u) => [
          `a:opened-${u.id}`,
          localize('bot.intake_lost').ja,
        ]),
      );
      expect(await desk.store.db.selectFrom('teams_reference').selectAll().execute()).toEqual([
        expect.objectContaining({ key: `personal:${PEOPLE.lead.aadObjectId}` }),
        expect.objectContaining({ key: `personal:${PEOPLE.supervisor.aadObjectId}` }),
      ]);
      expect(await consultation(desk.store, id)).toMatchObject({ card_activity_id: null });

      // The app installed again: its channel becomes the intake channel, and gets the card.
      const desk2 = { id: '19:new-desk@thread.tacv2', name: '新しい受付' };
      await desk.post(installInTeam(desk.connector.url, PEOPLE.lead, { channel: desk2 }));
      expect(deliveredTo(desk, desk2.id).map((a) => a.text)).toEqual([
        localize('bot.intake_set').ja,
      ]);
      await ageRecord(desk, id);
      expect(await desk.teams.catchUp()).toMatchObject({ posted: 1 });
      expect(await consultation(desk.store, id)).toMatchObject({ card_conversation_id: desk2.id });
    },
  );

  test('another team gone: nothing changes', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { id } = await recordOne(desk);
    const before = await consultation(desk.store, id);
    for (const how of ['remove', 'botRemoved', 'teamDeleted'] as const) {
      await desk.post(
        teamGone(desk.connector.url, PEOPLE.lead, how, { team: '19:other@thread.tacv2' }),
      );
    }
    expect(await consultation(desk.store, id)).toEqual(before);
    const ref = await desk.store.db.selectFrom('teams_reference').selectAll().execute();
    expect(ref.map((r) => r.conversation_id)).toEqual([INTAKE_CHANNEL_ID]);
  });

  test('the intake channel’s team archived, then restored: the supervisors are told each time, nothing else changes', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const { id } = await recordOne(desk);
    const before = await consultation(desk.store, id);
    const sent = desk.gateway.sent.length;
    const toSupervisors = (key: 'bot.intake_archived' | 'bot.intake_unarchived') =>
      [PEOPLE.lead, PEOPLE.supervisor].map((u) => [`a:opened-${u.id}`, localize(key).ja]);

    await desk.post(teamArchive(desk.connector.url, PEOPLE.lead, 'teamArchived'));
    await desk.teams.background.idle();
    expect(
      desk.gateway.sent.slice(sent).map((s) => [s.reference.conversation?.id, s.activity.text]),
    ).toEqual(toSupervisors('bot.intake_archived'));
    // The channel is kept: the team can be restored.
    const ref = await desk.store.db
      .selectFrom('teams_reference')
      .selectAll()
      .where('key', '=', 'intake-channel')
      .execute();
    expect(ref.map((r) => r.conversation_id)).toEqual([INTAKE_CHANNEL_ID]);
    expect(await consultation(desk.store, id)).toEqual(before);

    await desk.post(teamArchive(desk.connector.url, PEOPLE.lead, 'teamUnarchived'));
    await desk.teams.background.idle();
    expect(
      desk.gateway.sent.slice(sent + 2).map((s) => [s.reference.conversation?.id, s.activity.text]),
    ).toEqual(toSupervisors('bot.intake_unarchived'));
    expect(desk.logText()).toContain("intake channel's team archived");
  });

  test('another team archived or restored: nobody is told', async () => {
    const desk = await startDesk();
    await installTeam(desk);
    const sent = desk.gateway.sent.length;
    for (const how of ['teamArchived', 'teamUnarchived'] as const) {
      await desk.post(
        teamArchive(desk.connector.url, PEOPLE.lead, how, { team: '19:other@thread.tacv2' }),
      );
    }
    await desk.teams.background.idle();
    expect(desk.gateway.sent.slice(sent)).toEqual([]);
    expect(desk.logText()).not.toContain('archived');
  });

  test('two instances catching up at once post a missing card once', async () => {
    const desk = await startDesk();
    const { id } = await recordOne(desk);
    await installTeam(desk);
    await ageRecord(desk, id);
    const [a, b] = await Promise.all([desk.teams.catchUp(), desk.teams.catchUp()]);
    expect(a.posted + b.posted).toBe(1);
    expect(desk.gateway.sent.filter((s) => s.activity.attachments)).toHaveLength(1);
  });

  test('down longer than the retries: the card falls behind, and catches up once Teams is back', async () => {
    const desk = await startDeskOverHttp();
    await installTeam(desk);
    const { id } = await recordOne(desk);
    expect(await consultation(desk.store, id)).toMatchObject({ version: 1, card_version: 1 });
    expect((await desk.teams.catchUp()).cards).toBe(0);

    desk.connector.failNext(502, 1_000);
    await press(desk, PEOPLE.firstLine, 'claim', id);
    await desk.teams.background.idle();
    // The claim stands; the channel card still shows the record as it was.
    expect(await consultation(desk.store, id)).toMatchObject({
      state: 'claimed',
      version: 2,
      card_version: 1,
    });

    desk.connector.failNext(502, 0); // Teams is back
    const from = desk.connector.calls.length;
    expect((await desk.teams.catchUp()).cards).toBe(1);
    await desk.teams.background.idle();
    const [update, ...others] = channelCalls(desk, from);
    expect(others).toEqual([]);
    expect(update).toMatchObject({ kind: 'update', conversationId: INTAKE_CHANNEL_ID });
    expect(textOf(attachedCard(update!.body))).toContain(`${PEOPLE.firstLine.name}さん`);
    expect(await consultation(desk.store, id)).toMatchObject({ card_version: 2 });
    expect((await desk.teams.catchUp()).cards).toBe(0);
  });

  /** The notices the desk owes or owed, oldest first. */
  const noticeRows = (desk: Desk) =>
    desk.store.db.selectFrom('notice').selectAll().orderBy('id').execute();
  /** As if the notices had been written a while ago: a catch-up leaves fresh ones alone. */
  const ageNotices = (desk: Desk) =>
    desk.store.db
      .updateTable('notice')
      .set({ created_at: new Date(Date.now() - 2 * NOTICE_CATCH_UP_AFTER_MS).toISOString() })
      .execute();
  test('a dispatch notice Teams could not take is delivered once it is back, and only once', async () => {
    const desk = await startDeskOverHttp();
    await installTeam(desk);
    const { id } = await recordOne(desk);
    await press(desk, PEOPLE.lead, 'claim', id);
    await desk.teams.background.idle();

    desk.connector.failNext(502, 1_000);
    await dispatchTo(desk, id, PEOPLE.specialist);
    await desk.teams.background.idle();
    expect(await consultation(desk.store, id)).toMatchObject({ state: 'dispatched' });
    expect(await noticeRows(desk)).toEqual([
      expect.objectContaining({
        consultation_id: id,
        kind: 'dispatched',
        recipient_id: PEOPLE.specialist.aadObjectId,
        by_id: PEOPLE.lead.aadObjectId,
        version: 3,
        attempts: 1,
        done_at: null,
      }),
    ]);

    desk.connector.failNext(502, 0); // Teams is back
    // The dispatch's line in the card's thread was refused too: kept with the notice.
    expect(await desk.teams.catchUp()).toEqual({ cards: 1, posted: 0, lines: 0, notices: 0 }); // too fresh yet
    await desk.teams.background.idle();
    await ageNotices(desk);
    await desk.store.db
      .updateTable('thread_line')
      .set({ created_at: new Date(Date.now() - 2 * NOTICE_CATCH_UP_AFTER_MS).toISOString() })
      .execute();
    const from = desk.connector.calls.length;
    expect(await desk.teams.catchUp()).toEqual({ cards: 0, posted: 0, lines: 1, notices: 1 });
    const toSpecialist = desk.connector.calls
      .slice(from)
      .filter((c) => c.kind === 'send' && !c.conversationId.startsWith(INTAKE_CHANNEL_ID));
    expect(toSpecialist).toHaveLength(1);
    expect(toSpecialist[0]!.body?.text).toBe(
      localize('bot.dispatched_to_you', { number: (await consultation(desk.store, id)).number }).ja,
    );
    expect(textOf(attachedCard(toSpecialist[0]!.body))).toContain(`${PEOPLE.lead.name}さん`);
    expect(await noticeRows(desk)).toEqual([
      expect.objectContaining({ outcome: 'sent', attempts: 2 }),
    ]);
    expect(await desk.teams.catchUp()).toEqual({ cards: 0, posted: 0, lines: 0, notices: 0 });
  });

  test('a specialist whose 1:1 chat Teams no longer has is told in a chat opened again', async () => {
    const desk = await startDeskOverHttp();
    await installTeam(desk);
    const first = (await recordOne(desk)).id;
    const second = (await recordOne(desk)).id;
    for (const id of [first, second]) await press(desk, PEOPLE.lead, 'claim', id);
    await dispatchTo(desk, first, PEOPLE.specialist);
    await desk.teams.background.idle();
    const opened = desk.connector.calls.filter((c) => c.kind === 'create');
    expect(opened).toHaveLength(1);
    const kept = opened[0]!.conversationId;

    // The chat the bot kept is gone (the app was removed and added again, say).
    desk.connector.forget(kept);
    const from = desk.connector.calls.length;
    await dispatchTo(desk, second, PEOPLE.specialist);
    await desk.teams.background.idle();
    const calls = desk.connector.calls.slice(from);
    const reopened = calls.filter((c) => c.kind === 'create');
    expect(reopened).toHaveLength(1);
    expect(reopened[0]!.conversationId).not.toBe(kept);
    const told = calls.filter(
      (c) => c.kind === 'send' && c.conversationId === reopened[0]!.conversationId,
    );
    expect(told.map((c) => c.body?.text)).toEqual([
      localize('bot.dispatched_to_you', { number: (await consultation(desk.store, second)).number })
        .ja,
    ]);
    expect(await noticeRows(desk)).toEqual([
      expect.objectContaining({ consultation_id: first, outcome: 'sent' }),
      expect.objectContaining({ consultation_id: second, outcome: 'sent', attempts: 1 }),
    ]);
    // The chat opened again is kept: the next notice goes there, without opening another.
    const third = (await recordOne(desk)).id;
    await press(desk, PEOPLE.lead, 'claim', third);
    const before = desk.connector.calls.length;
    await dispatchTo(desk, third, PEOPLE.specialist);
    await desk.teams.background.idle();
    const next = desk.connector.calls.slice(before);
    expect(next.filter((c) => c.kind === 'create')).toEqual([]);
    expect(
      next.filter((c) => c.kind === 'send' && c.conversationId === reopened[0]!.conversationId),
    ).toHaveLength(1);
  });

  test('a notice no longer true when Teams is back is not delivered', async () => {
    const desk = await startDeskOverHttp();
    await installTeam(desk);
    const { id } = await recordOne(desk);
    await press(desk, PEOPLE.lead, 'claim', id);
    desk.connector.failNext(502, 1_000);
    await dispatchTo(desk, id, PEOPLE.specialist);
    await desk.teams.background.idle();
    // Meanwhile the case was closed: it is no longer the specialist's to take up.
    desk.connector.failNext(502, 0);
    await press(desk, PEOPLE.lead, 'close', id, { 'close.reason': '解決済み' });
    await desk.teams.background.idle();
    expect(await consultation(desk.store, id)).toMatchObject({ state: 'closed' });
    await ageNotices(desk);

    const from = desk.connector.calls.length;
    expect((await desk.teams.catchUp()).notices).toBe(0);
    const sent = desk.connector.calls.slice(from).filter((c) => c.kind !== 'update');
    expect(sent).toEqual([]);
    expect(await noticeRows(desk)).toEqual([
      expect.objectContaining({ recipient_id: PEOPLE.specialist.aadObjectId, outcome: 'obsolete' }),
    ]);
  });

  test('catching up runs at once and then on its own, and says when it cannot', async () => {
    const desk = await startDeskOverHttp();
    await installTeam(desk);
    desk.down();
    const stop = desk.teams.keepCaughtUp(20);
    try {
      // At once, and again on the timer: each time the database is out of reach.
      for (let i = 0; i < 100; i++) {
        if (desk.logs().filter((l) => l.msg === 'could not catch up with Teams').length >= 2) break;
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      stop();
      desk.up();
    }
    const said = desk.logs().filter((l) => l.msg === 'could not catch up with Teams');
    expect(said.length).toBeGreaterThanOrEqual(2);
    expect(said[0]).toMatchObject({ level: 'warn', component: 'bot' });
  });

  test('a card deleted in Teams is not updated again and again', async () => {
    const desk = await startDeskOverHttp();
    await installTeam(desk);
    const { id } = await recordOne(desk);
    desk.connector.failNext(404, 1, 'update');
    await press(desk, PEOPLE.firstLine, 'claim', id);
    await desk.teams.background.idle();
    expect(desk.connector.failed()).toBe(1);
    // Not a failure of the desk's: nothing is logged as one, and nothing is retried.
    expect(desk.logs().filter((l) => l.msg === 'background work failed')).toEqual([]);
    expect(await consultation(desk.store, id)).toMatchObject({ version: 2, card_version: 2 });
    expect((await desk.teams.catchUp()).cards).toBe(0);
  });
});
