/**
 * The Teams bot end to end: the real server (config, SQLite, service, Teams surface,
 * HTTP app) in-process, and Microsoft 365 Agents Playground (the Teams emulator) in
 * front of it, driven over HTTP as users would use Teams. One consultation's whole life,
 * step by step; each test continues from the one before.
 *
 * What users see comes from the Playground's conversation stream. Two things it never
 * shows are read from its request log instead: messages to another user's 1:1 chat
 * (it emulates user-id-0's client), and the exact activity it delivered, to deliver it
 * again. It sends every activity with `locale: 'en-US'`, so the bot answers people in
 * English; the shared channel card is always Japanese.
 */
import { ADAPTIVE_CARD_CONTENT_TYPE, helpCard } from '../../bot/cards';
import { localize } from '../../src/i18n/messages';
import { fieldLabel } from '../../src/consultation/fields';
import type { Consultation } from '../../src/consultation/types';
import { DeskService } from '../../src/teams/desk.service';
import { validateCard } from '../support/adaptive-cards';
import { AUDITOR, playgroundOid, startDeskApp, type DeskApp } from '../support/desk-app';
import { startPlayground, type Playground, type StreamEvent } from '../support/playground';
import {
  fromBot,
  openPlaygroundLog,
  toBot,
  type LogEntry,
  type PlaygroundLog,
} from '../support/playground-log';
import { cardNodes as walk, readableTexts as textsOf } from '../support/card-reading';
import {
  cardOf,
  cardsOf,
  channelCard,
  pressThrough,
  WAIT_MS,
  type CardJson,
} from '../support/playground-cards';

jest.setTimeout(60_000);

// ---- cards as plain JSON ---------------------------------------------------------------

/** The message on top of a card (`withBanner`): its style and text. */
function bannerOf(card: CardJson): { style: unknown; text: string } | null {
  const first = card.body[0];
  if (first?.type !== 'Container') return null;
  const items = first.items as { type: string; text?: string }[];
  return { style: first.style, text: items.map((i) => i.text ?? '').join('\n') };
}

/** The data a card's buttons send (the record and the version the viewer saw). */
function actionData(card: CardJson): { consultationId: number; version: number } {
  for (const n of walk(card.actions ?? [])) {
    const data = n.data as { consultationId?: number; version?: number } | undefined;
    if (n.type === 'Action.Execute' && data?.version !== undefined && data.consultationId)
      return { consultationId: data.consultationId, version: data.version };
  }
  throw new Error(`no consultation action on ${JSON.stringify(card)}`);
}

/** The input with this id and the element right after it (where its error is shown). */
function inputAndNext(card: CardJson, id: string) {
  const index = card.body.findIndex((e) => e.id === id);
  if (index < 0) throw new Error(`no input ${id}`);
  return { input: card.body[index]!, next: card.body[index + 1] };
}

/** An activity as the Playground logged it on its way to the bot. */
interface LoggedActivity {
  id: string;
  from: { id: string };
  locale?: string;
  value?: { action?: { verb?: string } };
  [key: string]: unknown;
}
const activityOf = (e: LogEntry) => e.request?.body as LoggedActivity | undefined;

/** What the bot answers an invoke delivered to it directly (botbuilder's invoke response body). */
interface InvokeBody {
  statusCode?: number;
  type?: string;
  value: CardJson;
}

// ---- the mock users ----------------------------------------------------------------------

const USERS = {
  'user-id-0': 'Alex Wilber',
  'user-id-1': 'Megan Bowen',
  'user-id-2': 'Adele Vance',
  'user-id-4': 'Patti Fernandez',
  'user-id-5': 'Lynne Robbins',
} as const;
type UserId = keyof typeof USERS;

/** The fiscal year (April to March, by the calendar in Tokyo) of today. */
function currentFiscalYear(now = new Date()): number {
  const tokyo = new Date(now.getTime() + 9 * 3_600_000);
  return tokyo.getUTCMonth() >= 3 ? tokyo.getUTCFullYear() : tokyo.getUTCFullYear() - 1;
}

const INTAKE = {
  channel: 'phone',
  'consulter.organisation': '株式会社サンプル製作所',
  'consulter.person': '山田 太郎',
  'consulter.email': 'yamada@sample.example.jp',
  'consulter.phone': '03-1234-5678',
  categoryId: 'ransomware',
  urgency: 'high',
  subject: 'ファイルが開けない',
  details: '朝出社したら共有フォルダのファイルが暗号化され、脅迫文が表示されていた。',
  'situation.ongoing': 'yes',
  'situation.dataAtRisk': 'unknown',
  'situation.actionsTaken': 'LANケーブルを抜いた',
};

describe('Teams bot end to end, in the Agents Playground', () => {
  let desk: DeskApp;
  let pg: Playground;
  let log: PlaygroundLog;
  /** Every invoke answer the bot gave, to validate with the cards on the stream. */
  const answers: unknown[] = [];

  /** The scenario's consultation, its channel post and that post's thread. */
  let number = '';
  let consultationId = 0;
  let postId = '';
  let thread = '';
  let winner: UserId = 'user-id-1';

  beforeAll(async () => {
    desk = await startDeskApp();
    pg = await startPlayground({ botEndpoint: desk.botEndpoint });
    log = await openPlaygroundLog(pg.port);
  });

  afterAll(async () => {
    // The bot's after-response work talks to the Playground: let it finish first.
    await desk?.surface.background.idle();
    log?.close();
    await pg?.stop();
    await desk?.close();
  });

  // ---- helpers that act as a user ---------------------------------------------------------

  /** A press on an Action.Execute button, through the Playground; the answer card. */
  const press = (
    conversationId: string,
    user: UserId,
    replyToId: string,
    verb: string,
    data: Record<string, unknown>,
  ): Promise<CardJson> => pressThrough(pg, answers, conversationId, user, replyToId, verb, data);

  /** A press on the channel card by `user`, with the data its buttons carry now. */
  async function pressOnChannelCard(
    user: UserId,
    verb: string,
    inputs: Record<string, string> = {},
  ): Promise<CardJson> {
    return press(thread, user, postId, verb, { ...actionData(latestChannelCard()), ...inputs });
  }

  /** Delivers an activity straight to the bot, as Teams would redeliver it. */
  async function deliver(
    activity: Record<string, unknown>,
  ): Promise<{ status: number; body: InvokeBody }> {
    const res = await fetch(desk.botEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    const body = (text ? JSON.parse(text) : {}) as InvokeBody;
    if (body.value) answers.push(body.value);
    return { status: res.status, body };
  }

  /**
   * Waits until everything the bot did so far is on the stream: its after-response work
   * has finished, then a typing marker sent through the Playground's own connector comes
   * back (the stream keeps order), so "nothing happened" can be asserted.
   */
  async function settle(): Promise<void> {
    await desk.surface.background.idle();
    const since = pg.events().length;
    const res = await fetch(
      `${pg.url}/_connector/v3/conversations/${encodeURIComponent(pg.personalConversationId)}/activities`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'typing' }),
      },
    );
    expect(res.status).toBeLessThan(300);
    await pg.waitFor((e) => e.action === 'typing', WAIT_MS, since);
  }

  const card = () => channelCard(pg, () => postId);
  const channelEvents = (since = 0) => card().events(since);
  const latestChannelCard = (): CardJson => card().latest();

  const record = (): Promise<Consultation> => desk.service.get(AUDITOR, consultationId);
  const history = async () => (await desk.service.details(AUDITOR, consultationId)).history;

  /** The channel card updated in place, showing all of `texts`. */
  const channelUpdate = (since: number, ...texts: string[]) => card().updated(since, ...texts);

  /** A line in the card's thread. */
  const threadLine = (since: number, text: string) =>
    pg.waitFor(
      (e) =>
        e.action === 'createMessage' &&
        e.actionConversationId === thread &&
        (e.message?.text ?? '').includes(text),
      WAIT_MS,
      since,
    );

  /**
   * A 1:1 message from the bot to another user: the chat the bot opened for them
   * (createConversationAsync) and what it sent there, from the Playground's request log.
   */
  async function personalNotice(user: UserId, since: number) {
    // In the chat the bot has with the person, or in one it opens for the notice.
    const known = await new DeskService(desk.store).personalChat(
      playgroundOid(Number(user.replace('user-id-', ''))),
    );
    const opened = known
      ? null
      : await log.waitFor(
          (e) =>
            fromBot(e) &&
            e.activityName === 'createConversation' &&
            (e.request?.body?.members as { id: string }[] | undefined)?.[0]?.id === user,
          WAIT_MS,
          since,
        );
    const conversationId = known?.conversationId ?? (opened!.response?.body as { id: string }).id;
    const sent = await log.waitFor(
      (e) => fromBot(e) && e.activityName === 'message' && e.conversationId === conversationId,
      WAIT_MS,
      since,
    );
    const body = sent.request!.body as {
      text?: string;
      attachments?: { contentType: string; content: unknown }[];
    };
    return { conversationId, text: body.text ?? '', cards: cardsOf(body.attachments) };
  }

  /**
   * Installs the app in the team: General becomes the intake channel, and the bot says so
   * there. The installer's Teams speaks en-US in the Playground; said to the whole desk in
   * the channel, it is in the desk's language, whoever installed it.
   */
  async function installAndSeeIntakeSet(): Promise<void> {
    const since = pg.events().length;
    await pg.install('team-id');
    const said = await pg.waitFor(
      (e) => e.action === 'createMessage' && e.actionConversationId === 'team-id',
      WAIT_MS,
      since,
    );
    expect(said.message.text).toBe(localize('bot.intake_set').ja);
    await settle();
    const intake = await new DeskService(desk.store).intakeChannel();
    expect(intake?.conversationId).toBe('team-id');
  }

  // ---- the scenario -------------------------------------------------------------------------

  it('is installed into the team: the channel becomes the intake channel and the bot says so there', async () => {
    await installAndSeeIntakeSet();
  });

  it('records a consultation from the 1:1 chat: the form, its errors beside the fields, the number and the channel card', async () => {
    // 「新規」 brings the intake form.
    let since = pg.events().length;
    await pg.sendMessage(pg.personalConversationId, 'user-id-0', '新規');
    const formEvent = await pg.waitFor(
      (e) =>
        e.actionConversationId === pg.personalConversationId &&
        cardsOf(e.message?.attachments).length > 0,
      WAIT_MS,
      since,
    );
    const form = cardOf(formEvent);
    const submit = form.actions!.find((a) => a.type === 'Action.Execute')!;
    expect(submit.verb).toBe('intake.submit');
    const formId = (submit.data as { formId: string }).formId;
    expect(formId).toMatch(/^[0-9a-f-]{36}$/);

    // Submitted with an empty subject and a bad email: the same form, values kept, errors beside.
    const typed = { ...INTAKE, subject: '', 'consulter.email': 'yamada@@sample' };
    const again = await press(
      pg.personalConversationId,
      'user-id-0',
      formEvent.message.messageId,
      'intake.submit',
      {
        formId,
        ...typed,
      },
    );
    const againSubmit = again.actions!.find((a) => a.type === 'Action.Execute')!;
    expect(againSubmit).toMatchObject({ verb: 'intake.submit', data: { formId } });
    const subject = inputAndNext(again, 'subject');
    expect(subject.input.value).toBeUndefined();
    expect(subject.next).toMatchObject({ type: 'TextBlock', color: 'attention' });
    expect(subject.next!.text).toBe(
      localize('field.required', {
        labelJa: fieldLabel('subject').ja,
        labelEn: fieldLabel('subject').en,
      }).en,
    );
    const email = inputAndNext(again, 'consulter.email');
    expect(email.input.value).toBe('yamada@@sample');
    expect(email.next).toMatchObject({ type: 'TextBlock', color: 'attention' });
    expect(email.next!.text).toBe(
      localize('field.invalid_email', {
        labelJa: fieldLabel('consulter.email').ja,
        labelEn: fieldLabel('consulter.email').en,
      }).en,
    );
    for (const kept of [
      'consulter.organisation',
      'consulter.person',
      'details',
      'situation.actionsTaken',
    ] as const) {
      expect(inputAndNext(again, kept).input.value).toBe(INTAKE[kept]);
      expect(inputAndNext(again, kept).next?.color).not.toBe('attention');
    }
    expect(inputAndNext(again, 'urgency').input.value).toBe('high');
    expect((await desk.service.list(AUDITOR, {})).total).toBe(0);

    // Corrected and submitted: the answer names the number of this fiscal year.
    since = pg.events().length;
    const done = await press(
      pg.personalConversationId,
      'user-id-0',
      formEvent.message.messageId,
      'intake.submit',
      {
        formId,
        ...INTAKE,
      },
    );
    number = `${currentFiscalYear()}-000001`;
    expect(bannerOf(done)).toEqual({
      style: 'good',
      text: localize('bot.recorded', { number }).en,
    });
    expect(textsOf(done)).toContain(number);

    // The consultation card appears in the intake channel, as a new post.
    const post = await pg.waitFor(
      (e) =>
        e.action === 'createMessage' &&
        e.actionConversationId === 'team-id' &&
        JSON.stringify(e.message?.attachments ?? []).includes(number),
      WAIT_MS,
      since,
    );
    postId = post.message.messageId;
    thread = post.message.postConversationId!;
    expect(thread).toBe(`team-id;messageid=${postId}`);
    const shared = cardOf(post);
    expect(textsOf(shared)).toEqual(expect.arrayContaining([number, INTAKE.subject, '受付']));
    expect(textsOf(shared)).toContain(`${'相談者'}: 株式会社サンプル製作所 ／ 山田 太郎`);

    await settle();
    const [c] = (await desk.service.list(AUDITOR, {})).items;
    consultationId = c!.id;
    expect(c).toMatchObject({
      number,
      state: 'received',
      subject: INTAKE.subject,
      createdBy: { id: playgroundOid(0), name: 'Alex Wilber' },
      teamsCard: { conversationId: 'team-id', activityId: postId },
    });
  });

  it('makes one record and one channel card when the same intake submit is delivered twice', async () => {
    const formEvent = pg
      .events()
      .find((e) =>
        cardsOf(e.message?.attachments).some((c) => JSON.stringify(c).includes('intake.submit')),
      )!;
    const formId = (
      cardOf(formEvent).actions!.find((a) => a.type === 'Action.Execute')!.data as {
        formId: string;
      }
    ).formId;
    const since = pg.events().length;
    // Teams retries a submit it got no answer to: the same form, twice at once.
    const twice = await Promise.all(
      [1, 2].map(() =>
        press(
          pg.personalConversationId,
          'user-id-0',
          formEvent.message.messageId,
          'intake.submit',
          {
            formId,
            ...INTAKE,
          },
        ),
      ),
    );
    for (const answer of twice) expect(textsOf(answer)).toContain(number);
    await settle();
    expect((await desk.service.list(AUDITOR, {})).total).toBe(1);
    const posts = pg
      .events()
      .filter(
        (e) => e.actionConversationId === 'team-id' && cardsOf(e.message?.attachments).length > 0,
      );
    expect(posts.map((e) => e.message?.messageId)).toEqual([postId]);
    expect(
      pg
        .events()
        .slice(since)
        .filter((e) => e.actionConversationId === 'team-id'),
    ).toEqual([]);
  });

  it('lets exactly one of two people who press 担当 at the same moment have it; the other is told who', async () => {
    const since = pg.events().length;
    const data = actionData(latestChannelCard());
    expect(data).toEqual({ consultationId, version: 1 });
    const [megan, patti] = await Promise.all([
      press(thread, 'user-id-1', postId, 'claim', data),
      press(thread, 'user-id-4', postId, 'claim', data),
    ]);

    const c = await record();
    expect(c.state).toBe('claimed');
    winner = c.firstLineOwner?.id === playgroundOid(1) ? 'user-id-1' : 'user-id-4';
    expect(c.firstLineOwner).toEqual({
      id: playgroundOid(Number(winner.slice(-1))),
      name: USERS[winner],
    });
    expect((await history()).filter((h) => h.action === 'claim')).toHaveLength(1);

    // The winner sees the case as theirs; the loser sees it too, with who was faster on top.
    const [won, lost] = winner === 'user-id-1' ? [megan, patti] : [patti, megan];
    expect(bannerOf(won)).toBeNull();
    expect(bannerOf(lost)).toEqual({
      style: 'attention',
      text: localize('error.conflict', {
        byName: USERS[winner],
        actionJa: '担当',
        actionEn: 'claim',
        stateJa: '一次対応中',
        stateEn: 'Claimed',
      }).en,
    });
    expect(textsOf(lost)).toContain(`First line: ${USERS[winner]}`);

    // Everyone's channel card is updated in place, and the thread says who took it.
    await channelUpdate(since, '一次対応中', `一次対応: ${USERS[winner]}さん`);
    await threadLine(since, `${USERS[winner]}さんが担当しました`);
    await settle();
    expect(
      pg
        .events()
        .slice(since)
        .filter((e) => e.actionConversationId === thread),
    ).toHaveLength(1);
  });

  it('tells a late presser in Japanese whose the case is (「…さん」)', async () => {
    // The Playground sends every activity as en-US; Teams in Japanese sends ja-JP. This is the
    // Playground's own invoke activity, pressed by user-id-0 on the card as it was (version 1).
    const template = log
      .entries()
      .filter((e) => toBot(e) && e.activityName === 'invoke')
      .map(activityOf)
      .find((a) => a?.value?.action?.verb === 'claim')!;
    expect(template.conversation).toMatchObject({ id: thread });
    const { status, body } = await deliver({
      ...template,
      id: `late-${Date.now()}`,
      locale: 'ja-JP',
      from: { id: 'user-id-0', name: 'Alex Wilber', aadObjectId: playgroundOid(0) },
      value: {
        action: { type: 'Action.Execute', verb: 'claim', data: { consultationId, version: 1 } },
        trigger: 'manual',
      },
    });
    expect(status).toBe(200);
    expect(bannerOf(body.value)).toEqual({
      style: 'attention',
      text: `すでに${USERS[winner]}さんが「担当」を行いました（現在の状態: 一次対応中）。`,
    });
    expect((await record()).firstLineOwner?.name).toBe(USERS[winner]);
  });

  it('changes nothing when the same claim is delivered twice (same activity id)', async () => {
    const invokes = log
      .entries()
      .filter((e) => toBot(e) && e.activityName === 'invoke')
      .map(activityOf)
      .filter((a): a is LoggedActivity => a?.value?.action?.verb === 'claim');
    // The Playground gives every press an activity id of its own, so a redelivery is the
    // same activity sent to the bot again, as Teams does when it got no answer in time.
    expect(new Set(invokes.map((a) => a.id)).size).toBe(invokes.length);
    const original = invokes.find((a) => a.from.id === winner)!;
    const before = await record();
    const since = pg.events().length;

    const { status, body } = await deliver(original);
    expect(status).toBe(200);
    expect(body.type).toBe(ADAPTIVE_CARD_CONTENT_TYPE);
    expect(bannerOf(body.value)).toBeNull();
    expect(textsOf(body.value)).toContain(`First line: ${USERS[winner]}`);

    await settle();
    expect(await record()).toEqual(before);
    expect((await history()).filter((h) => h.action === 'claim')).toHaveLength(1);
    expect(channelEvents(since)).toEqual([]);
    expect(
      pg
        .events()
        .slice(since)
        .filter((e) => e.actionConversationId === thread),
    ).toEqual([]);
  });

  it('dispatches to a specialist, who gets a 1:1 message with the card', async () => {
    const since = pg.events().length;
    const logSince = log.entries().length;
    const reason = '暗号化の範囲の調査とバックアップからの復旧手順の助言が必要';
    const answer = await pressOnChannelCard(winner, 'dispatch', {
      'dispatch.specialistId': playgroundOid(2),
      'dispatch.coordinationNeeded': 'true',
      'dispatch.reason': reason,
    });
    expect(bannerOf(answer)).toBeNull();
    expect(textsOf(answer)).toContain('State: Dispatched');

    const c = await record();
    expect(c).toMatchObject({
      state: 'dispatched',
      specialist: { id: playgroundOid(2), name: 'Adele Vance' },
      coordinationNeeded: true,
      coordinationReason: reason,
    });
    await channelUpdate(since, '二次対応中', '二次対応: Adele Vanceさん', '調整の必要度: 要調整');
    await threadLine(since, `${USERS[winner]}さんが二次対応へ依頼しました`);

    // The bot opens a 1:1 chat with the specialist: a conversation of its own, neither the
    // channel nor user-id-0's chat. (The Playground shows only user-id-0's chats on its
    // stream; the message is in its request log.)
    const notice = await personalNotice('user-id-2', logSince);
    expect(notice.conversationId).not.toMatch(/^team-id/);
    expect(notice.conversationId).not.toBe(pg.personalConversationId);
    // Adele has never written to the bot, so her language is not known: Japanese.
    expect(notice.text).toBe(localize('bot.dispatched_to_you', { number }).ja);
    expect(notice.cards).toHaveLength(1);
    expect(textsOf(notice.cards[0])).toEqual(expect.arrayContaining([number, '二次対応中']));
    expect(textsOf(notice.cards[0])).toContain('回答する');
    const members = (await (
      await fetch(
        `${pg.url}/_connector/v3/conversations/${encodeURIComponent(notice.conversationId)}/members`,
      )
    ).json()) as { id: string }[];
    expect(members.map((m) => m.id)).toEqual(['user-id-2']);
    const chat = await new DeskService(desk.store).personalChat(playgroundOid(2));
    expect(chat?.conversationId).toBe(notice.conversationId);
  });

  it('lets the specialist return it with a reason; the owner is told, and dispatches it again', async () => {
    let since = pg.events().length;
    let logSince = log.entries().length;
    const answer = await pressOnChannelCard('user-id-2', 'return', {
      'return.reason': '復旧手順の前に、警察への相談を先に案内してください',
    });
    expect(bannerOf(answer)).toBeNull();
    expect(await record()).toMatchObject({ state: 'claimed', specialist: null });
    await channelUpdate(since, '一次対応中', '差し戻しの理由');
    await threadLine(since, 'Adele Vanceさんが一次対応へ差し戻しました');
    const notice = await personalNotice(winner, logSince);
    expect(notice.text).toBe(localize('bot.returned_to_you', { number }).en);
    expect(textsOf(notice.cards[0]).join('\n')).toContain('警察への相談を先に案内してください');

    since = pg.events().length;
    logSince = log.entries().length;
    await pressOnChannelCard(winner, 'dispatch', {
      'dispatch.specialistId': playgroundOid(2),
      'dispatch.coordinationNeeded': 'true',
      'dispatch.reason': '警察へ案内済み。復旧手順の助言をお願いします',
    });
    expect((await record()).state).toBe('dispatched');
    await channelUpdate(since, '二次対応中', '二次対応: Adele Vanceさん');
    // In English, now that Adele has pressed a button from the Playground (en-US).
    expect((await personalNotice('user-id-2', logSince)).text).toBe(
      localize('bot.dispatched_to_you', { number }).en,
    );
  });

  it('records the specialist’s answer: the channel card shows 回答済 and the owner is told', async () => {
    const since = pg.events().length;
    const logSince = log.entries().length;
    const answer = await pressOnChannelCard('user-id-2', 'answer', {
      'answer.body': 'ネットワークから切り離したまま、警察と IPA に届け出てください。',
      'answer.delivery': 'phone',
    });
    expect(bannerOf(answer)).toEqual({ style: 'good', text: localize('bot.reply_recorded').en });
    expect((await record()).state).toBe('answered');
    const details = await desk.service.details(AUDITOR, consultationId);
    expect(details.answers).toMatchObject([
      { author: { name: 'Adele Vance' }, line: 'second', delivery: 'phone' },
    ]);

    await channelUpdate(since, '回答済');
    await threadLine(since, 'Adele Vanceさんが回答しました');

    // The owner pressed buttons in en-US, so the bot tells them in English.
    const notice = await personalNotice(winner, logSince);
    expect(notice.text).toBe(localize('bot.answered_yours', { number }).en);
    expect(textsOf(notice.cards[0])).toEqual(expect.arrayContaining([number, 'Answered']));
  });

  it('closes, and reopens with the reopener as the owner', async () => {
    let since = pg.events().length;
    await pressOnChannelCard(winner, 'close', { 'close.reason': '' });
    expect((await record()).state).toBe('closed');
    await channelUpdate(since, '状態: 完了');
    await threadLine(since, `${USERS[winner]}さんが完了にしました`);

    since = pg.events().length;
    const reopened = await pressOnChannelCard('user-id-0', 'reopen');
    expect(bannerOf(reopened)).toBeNull();
    expect(await record()).toMatchObject({
      state: 'claimed',
      firstLineOwner: { id: playgroundOid(0), name: 'Alex Wilber' },
      closedAt: null,
    });
    await channelUpdate(since, '状態: 一次対応中', '一次対応: Alex Wilberさん');
    await threadLine(since, 'Alex Wilberさんが再開しました');
  });

  it('tells someone without a role, politely, that they cannot claim; nothing changes', async () => {
    const before = await record();
    const entries = (await history()).length;
    const since = pg.events().length;
    const answer = await pressOnChannelCard('user-id-5', 'claim');
    expect(bannerOf(answer)).toEqual({ style: 'attention', text: localize('bot.not_staff').en });
    await settle();
    expect(await record()).toEqual(before);
    expect(await history()).toHaveLength(entries);
    expect(channelEvents(since)).toEqual([]);
  });

  it('answers 一覧, 検索 暗号, help and unknown text in the 1:1 chat', async () => {
    /** The bot's first `count` messages in the chat after `text`. */
    const reply = async (text: string, count = 1) => {
      const since = pg.events().length;
      await pg.sendMessage(pg.personalConversationId, 'user-id-0', text);
      const inChat = (e: StreamEvent) =>
        e.action === 'createMessage' && e.actionConversationId === pg.personalConversationId;
      const got: StreamEvent[] = [];
      let from = since;
      while (got.length < count) {
        const next = await pg.waitFor(inChat, WAIT_MS, from);
        got.push(next);
        from = pg.events().indexOf(next) + 1;
      }
      return got;
    };

    const [mine] = await reply('一覧');
    expect(textsOf(cardOf(mine!))).toEqual(
      expect.arrayContaining([
        expect.stringContaining(localize('bot.mine_title').en),
        expect.stringContaining(number),
      ]),
    );

    const [found] = await reply('検索 暗号');
    expect(textsOf(cardOf(found!))).toEqual(
      expect.arrayContaining([
        expect.stringContaining(localize('bot.search_title', { words: '暗号' }).en),
        expect.stringContaining(number),
      ]),
    );

    const [help] = await reply('help');
    expect(cardOf(help!)).toEqual(helpCard('en', 'General'));

    // Not silence: what was not understood, then what the bot can do.
    const unknown = await reply('今日の天気は？', 2);
    expect(unknown.map((e) => e.message?.text ?? '')).toContain(localize('bot.not_understood').en);
    expect(cardOf(unknown.find((e) => cardsOf(e.message?.attachments).length > 0)!)).toEqual(
      helpCard('en', 'General'),
    );
  });

  it('speaks the language of the person’s Teams: en-US from the Playground, ja-JP when Teams says so', async () => {
    const [message] = log.entries().filter((e) => toBot(e) && e.activityName === 'message');
    expect(message?.request?.body?.locale).toBe('en-US');

    // A message from a Teams client in Japanese (the Playground's own template, locale changed).
    const template = await pg.customActivityTemplate(pg.personalConversationId);
    const since = pg.events().length;
    await pg.sendCustomActivity({
      ...template,
      type: 'message',
      text: 'ヘルプ',
      locale: 'ja-JP',
      from: { id: 'user-id-0', name: 'Alex Wilber', aadObjectId: playgroundOid(0) },
    });
    const help = await pg.waitFor(
      (e) =>
        e.actionConversationId === pg.personalConversationId &&
        cardsOf(e.message?.attachments).length > 0,
      WAIT_MS,
      since,
    );
    expect(cardOf(help)).toEqual(helpCard('ja', '一般'));
    await settle();
  });

  it('sent only valid Adaptive Cards, and nothing failed on the bot’s side', async () => {
    await settle();
    const cards: unknown[] = [
      ...pg.events().flatMap((e) => cardsOf(e.message?.attachments)),
      ...answers,
      // The 1:1 messages to other users, which only the request log shows.
      ...log
        .entries()
        .filter((e) => fromBot(e) && e.activityName === 'message')
        .flatMap((e) =>
          cardsOf(e.request?.body?.attachments as { contentType: string; content: unknown }[]),
        ),
    ];
    expect(cards.length).toBeGreaterThan(20);
    const problems = cards.flatMap((card, i) =>
      validateCard(card).map((p) => `card ${i} (${textsOf(card).slice(0, 2).join(' / ')}): ${p}`),
    );
    expect(problems).toEqual([]);
    expect(desk.problems()).toEqual([]);
  });

  it('removed from the team: forgets the intake channel and tells the supervisors; added again, the channel is back', async () => {
    const logSince = log.entries().length;
    // Teams says it twice: the installation removed, and the bot among the members removed.
    for (const type of ['uninstall', 'botRemoved']) {
      await pg.sendCustomActivity(await pg.customActivityTemplate('team-id', type));
    }
    await settle();
    expect(await new DeskService(desk.store).intakeChannel()).toBeNull();
    // Each supervisor once, in their 1:1 chat (Alex Wilber's is the Playground's own).
    const alex = await personalNotice('user-id-0', logSince);
    expect(alex.conversationId).toBe(pg.personalConversationId);
    // In each one's language as their Teams last said it: Alex's ja-JP (the language test
    // above), Patti's en-US (her presses on the card, from the Playground).
    expect(alex.text).toBe(localize('bot.intake_lost').ja);
    const patti = await personalNotice('user-id-4', logSince);
    expect(patti.text).toBe(localize('bot.intake_lost').en);
    const told = log
      .entries()
      .slice(logSince)
      .filter((e) => fromBot(e) && e.activityName === 'message');
    expect(told.map((e) => e.conversationId).sort()).toEqual(
      [alex.conversationId, patti.conversationId].sort(),
    );
    expect(desk.problems()).toEqual([
      expect.objectContaining({ msg: expect.stringContaining('intake channel forgotten') }),
    ]);

    await installAndSeeIntakeSet();
  });
});
