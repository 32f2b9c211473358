/**
 * Answering from Teams, end to end: the real server in-process with mail configured
 * against the Entra and Graph stand-ins on loopback (the product's own msal-node and
 * Graph client talk to them over HTTP), and Microsoft 365 Agents Playground in front of
 * it. A consultation is recorded and dispatched; the specialist presses 回答する on the
 * channel card, picks a template, previews and sends; the channel card shows 回答済 and
 * the email's status, and the Graph stand-in received the mail. A staff message in the
 * card's thread becomes a note. Each test continues from the one before.
 */
import { CARD_INPUTS, escapeMarkdown } from '../../bot/cards';
import { DELIVERY_STATUS_LABELS } from '../../src/consultation/labels';
import type { Consultation } from '../../src/consultation/types';
import { localize } from '../../src/i18n/messages';
import { renderEmail, renderTemplate, templateById } from '../../src/mail/templates';
import { validateCard } from '../support/adaptive-cards';
import { AUDITOR, playgroundOid, startDeskApp, type DeskApp } from '../support/desk-app';
import { DESK_MAILBOX, startMailStandIns, type MailStandIns } from '../support/mail';
import { startPlayground, type Playground } from '../support/playground';
import { cardNodes as walk, readableTexts as textsOf, showsLines } from '../support/card-reading';
import {
  cardsOf,
  channelCard,
  pressThrough,
  WAIT_MS,
  type CardJson,
} from '../support/playground-cards';

jest.setTimeout(60_000);

const CONSULTER = 'yamada@sample.example.jp';

/** The Action.Execute button with this verb, anywhere on the card. */
function button(card: CardJson, verb: string): { data: Record<string, unknown> } {
  const found = walk(card).find((n) => n.type === 'Action.Execute' && n.verb === verb);
  if (!found) throw new Error(`no ${verb} button on ${textsOf(card).join(' / ')}`);
  return { data: (found.data ?? {}) as Record<string, unknown> };
}

/** The value an input holds, by id. */
const inputValue = (card: CardJson, id: string) =>
  walk(card).find((n) => typeof n.type === 'string' && n.type.startsWith('Input.') && n.id === id)
    ?.value;

const bannerText = (card: CardJson) => {
  const first = card.body[0];
  if (first?.type !== 'Container') return null;
  return (first.items as { text?: string }[]).map((i) => i.text ?? '').join('\n');
};

describe('answering from Teams by email, end to end in the Agents Playground', () => {
  let mail: MailStandIns;
  let desk: DeskApp;
  let pg: Playground;
  const answers: unknown[] = [];

  let consultationId = 0;
  let number = '';
  let postId = '';
  let thread = '';

  beforeAll(async () => {
    mail = await startMailStandIns();
    desk = await startDeskApp({ mail: { ...mail.settings, missing: [] } });
    pg = await startPlayground({ botEndpoint: desk.botEndpoint });
  });

  afterAll(async () => {
    await desk?.surface.background.idle();
    await pg?.stop();
    await desk?.close();
    await mail?.close();
  });

  const press = (
    conversationId: string,
    user: string,
    replyToId: string,
    verb: string,
    data: Record<string, unknown>,
  ): Promise<CardJson> => pressThrough(pg, answers, conversationId, user, replyToId, verb, data);

  const card = () => channelCard(pg, () => postId);
  const latestChannelCard = (): CardJson => card().latest();

  /** The channel card updated in place, showing all of `texts`. */
  const channelUpdate = (since: number, ...texts: string[]) => card().updated(since, ...texts);

  const record = (): Promise<Consultation> => desk.service.get(AUDITOR, consultationId);

  it('records a phone consultation with the consulter’s address, and dispatches it to a specialist', async () => {
    let since = pg.events().length;
    await pg.install('team-id');
    await pg.waitFor((e) => e.actionConversationId === 'team-id', WAIT_MS, since);

    // 「新規」 in the 1:1 chat brings the intake form; it is submitted filled in.
    since = pg.events().length;
    await pg.sendMessage(pg.personalConversationId, 'user-id-0', '新規');
    const formEvent = await pg.waitFor(
      (e) =>
        e.actionConversationId === pg.personalConversationId &&
        cardsOf(e.message?.attachments).length > 0,
      WAIT_MS,
      since,
    );
    since = pg.events().length;
    const done = await press(
      pg.personalConversationId,
      'user-id-0',
      formEvent.message.messageId,
      'intake.submit',
      {
        formId: 'e2e-reply-form',
        channel: 'phone',
        'consulter.organisation': '株式会社サンプル製作所',
        'consulter.person': '山田 太郎',
        'consulter.email': CONSULTER,
        categoryId: 'ransomware',
        urgency: 'high',
        subject: 'ファイルが開けない',
        details: '朝出社したら共有フォルダのファイルが暗号化され、脅迫文が表示されていた。',
      },
    );
    expect(bannerText(done)).toContain('is recorded');
    const post = await pg.waitFor(
      (e) =>
        e.action === 'createMessage' &&
        e.actionConversationId === 'team-id' &&
        cardsOf(e.message?.attachments).length > 0,
      WAIT_MS,
      since,
    );
    postId = post.message.messageId;
    thread = post.message.postConversationId!;
    await desk.surface.background.idle();
    const [c] = (await desk.service.list(AUDITOR, {})).items;
    consultationId = c!.id;
    number = c!.number;

    since = pg.events().length;
    await press(thread, 'user-id-1', postId, 'claim', button(latestChannelCard(), 'claim').data);
    await channelUpdate(since, '一次対応中');
    since = pg.events().length;
    await press(thread, 'user-id-1', postId, 'dispatch', {
      ...button(latestChannelCard(), 'dispatch').data,
      'dispatch.specialistId': playgroundOid(2),
      'dispatch.coordinationNeeded': 'false',
      'dispatch.reason': '復旧手順の助言が必要',
    });
    await channelUpdate(since, '二次対応中');
    expect((await record()).specialist?.id).toBe(playgroundOid(2));
  });

  it('the specialist presses 回答する, picks a template, previews and sends: the card shows 回答済 and Graph got the mail', async () => {
    // The channel card's answer form: the template chooser and "email the consulter".
    const shared = latestChannelCard();
    const template = button(shared, 'reply.template');
    expect(inputValue(shared, CARD_INPUTS.replyEmail)).toBe('true');

    // Adele (user-id-2) picks the ransomware template: the form comes back filled in.
    const form = await press(thread, 'user-id-2', postId, 'reply.template', {
      ...template.data,
      [CARD_INPUTS.replyTemplate]: 'ransomware-first-response',
      [CARD_INPUTS.answerBody]: '',
      [CARD_INPUTS.replyEmail]: 'true',
      [CARD_INPUTS.replyCc]: '',
      [CARD_INPUTS.answerDelivery]: 'phone',
    });
    const c = await record();
    const text = renderTemplate(templateById('ransomware-first-response')!, c, 'ja');
    expect(inputValue(form, CARD_INPUTS.answerBody)).toBe(text);
    expect(text).toContain(number);

    // The preview: exactly what will be sent.
    const preview = await press(thread, 'user-id-2', postId, 'reply.preview', {
      ...button(form, 'reply.preview').data,
      [CARD_INPUTS.replyTemplate]: 'ransomware-first-response',
      [CARD_INPUTS.answerBody]: text,
      [CARD_INPUTS.replyEmail]: 'true',
      [CARD_INPUTS.replyCc]: '',
      [CARD_INPUTS.answerDelivery]: 'phone',
    });
    const subject = `【相談番号 ${number}】ファイルが開けない`;
    expect(textsOf(preview)).toEqual(
      expect.arrayContaining([`To: ${CONSULTER}`, `Subject: ${subject}`]),
    );
    // The email's text, line by line.
    expect(showsLines(textsOf(preview), renderEmail(c, text).text, escapeMarkdown)).toBe(true);
    expect(mail.graph.requests).toEqual([]);

    // Send.
    const since = pg.events().length;
    const sent = await press(
      thread,
      'user-id-2',
      postId,
      'reply.send',
      button(preview, 'reply.send').data,
    );
    expect(bannerText(sent)).toBe(localize('bot.reply_sending').en);

    // Everyone's card: 回答済, and the email sent.
    await channelUpdate(since, '回答済', DELIVERY_STATUS_LABELS.sent.ja);
    expect(mail.graph.sent).toHaveLength(1);
    expect(mail.graph.sent[0]).toMatchObject({ kind: 'sendMail', mailbox: DESK_MAILBOX });
    expect(mail.graph.sent[0]!.message).toMatchObject({
      subject,
      toRecipients: [{ emailAddress: { address: CONSULTER } }],
      body: { contentType: 'HTML', content: renderEmail(c, text).html },
    });
    expect(mail.entra.requests).toHaveLength(1);
    const details = await desk.service.details(AUDITOR, consultationId);
    expect(details.consultation.state).toBe('answered');
    expect(details.answers).toMatchObject([
      {
        author: { name: 'Adele Vance' },
        line: 'second',
        delivery: 'email',
        deliveryStatus: 'sent',
        email: { method: 'new', to: [CONSULTER], subject },
      },
    ]);
  });

  it('a message mentioning the bot in the card’s thread becomes a note', async () => {
    const since = pg.events().length;
    await pg.sendMessage(thread, 'user-id-0', '相談者から電話あり。復旧できたとのこと。', {
      mentionBot: true,
    });
    const said = await pg.waitFor(
      (e) =>
        e.action === 'createMessage' &&
        e.actionConversationId === thread &&
        e.message?.text === localize('bot.note_recorded').ja,
      WAIT_MS,
      since,
    );
    expect(said.message.from.id).not.toBe('user-id-0');
    const { notes } = await desk.service.details(AUDITOR, consultationId);
    expect(notes).toMatchObject([
      {
        author: { id: playgroundOid(0), name: 'Alex Wilber' },
        body: '相談者から電話あり。復旧できたとのこと。',
        source: 'thread',
      },
    ]);
  });

  it('sent only valid Adaptive Cards, and nothing failed on the bot’s side', async () => {
    await desk.surface.background.idle();
    const cards: unknown[] = [
      ...pg.events().flatMap((e) => cardsOf(e.message?.attachments)),
      ...answers,
    ];
    expect(cards.length).toBeGreaterThan(8);
    const problems = cards.flatMap((card, i) => validateCard(card).map((p) => `card ${i}: ${p}`));
    expect(problems).toEqual([]);
    expect(desk.problems()).toEqual([]);
  });
});
