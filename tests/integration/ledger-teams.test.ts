/**
 * A correction or an erasure made in the ledger tab, as Teams shows it: the real server
 * with the Teams surface and the ledger's API, wired as src/main.ts wires them. The
 * channel card is brought up to date at once and its thread says who did what; with
 * Teams out of reach the ledger still answers, and the card and the lines Teams refused in
 * its thread catch up afterwards.
 */
import type { ConversationReference, Activity } from 'botbuilder';
import type { AdaptiveCard } from '../../bot/cards';
import { NOTICE_CATCH_UP_AFTER_MS } from '../../bot/notices';
import { directoryFromRoles } from '../../src/consultation/directory';
import { CATEGORIES } from '../../src/knowledge/knowledge';
import { createLedgerSurface } from '../../src/ledger/ledger.routes';
import { LedgerService } from '../../src/ledger/ledger.service';
import { createSignIn } from '../../src/server/auth';
import { DeskService } from '../../src/teams/desk.service';
import { validateCard } from '../support/adaptive-cards';
import { callApi, localTokenFor } from '../support/auth';
import { textOf } from '../support/card-reading';
import { startDeskServer, type DeskServer } from '../support/desk-server';
import { RecordingGateway } from '../support/recording-gateway';
import {
  INTAKE_CHANNEL_ID,
  PEOPLE,
  channelInvoke,
  installInTeam,
  personalInvoke,
  type TeamsUser,
} from '../support/teams-activities';

/** Teams as the gateway sees it: reachable, or refusing every update and reply. */
class FlakyGateway extends RecordingGateway {
  down = false;
  override async update(
    reference: Partial<ConversationReference>,
    activityId: string,
    activity: Partial<Activity>,
  ) {
    if (this.down) throw Object.assign(new Error('Teams is out of reach'), { statusCode: 503 });
    return super.update(reference, activityId, activity);
  }
  override async reply(
    reference: Partial<ConversationReference>,
    rootActivityId: string,
    activity: Partial<Activity>,
  ) {
    if (this.down) throw Object.assign(new Error('Teams is out of reach'), { statusCode: 503 });
    return super.reply(reference, rootActivityId, activity);
  }
}

let desk: DeskServer;
let gateway: FlakyGateway;
let token: string;

beforeEach(async () => {
  gateway = new FlakyGateway();
  desk = await startDeskServer({
    gateway,
    dirPrefix: 'madoguchi-ledger-teams-',
    surfaces: async ({ config, logger, appStore, service, teams }) => {
      const directory = directoryFromRoles(config.roles);
      // Names as the bot has met them (src/main.ts).
      const desk = new DeskService(appStore);
      const names = async (ids: readonly string[]) =>
        new Map((await desk.people(ids)).map((p) => [p.aadObjectId, p.name]));
      const signIn = await createSignIn({ config, directory, names });
      const ledger = new LedgerService({
        store: appStore,
        consultations: service,
        announce: (id) =>
          teams.background.run('announce a change made in the ledger', () =>
            teams.cards.announce(id),
          ),
      });
      return [
        signIn.register,
        createLedgerSurface({
          service: ledger,
          authenticate: signIn.authenticate,
          categoryIds: new Set(CATEGORIES.map((c) => c.id)),
          logger,
        }),
      ];
    },
  });
  // The supervisor has used the bot before: the desk knows their name.
  const { supervisor } = PEOPLE;
  await new DeskService(desk.store).rememberPeople([
    {
      aadObjectId: supervisor.aadObjectId,
      teamsUserId: supervisor.id,
      name: supervisor.name,
      locale: 'ja-JP',
    },
  ]);
  token = await localTokenFor(desk.url, supervisor.aadObjectId);
});

afterEach(async () => {
  await desk?.close();
});

/** A case recorded in the 1:1 chat, its card in the intake channel and up to date. */
async function recorded(): Promise<{
  id: number;
  number: string;
  version: number;
  cardId: string;
}> {
  await desk.post(installInTeam(desk.connector.url, PEOPLE.lead));
  await desk.invoke(
    personalInvoke(desk.connector.url, PEOPLE.firstLine, 'intake.submit', {
      formId: 'form-ledger-teams',
      channel: 'phone',
      'consulter.organisation': '株式会社サンプル製作所',
      categoryId: 'ransomware',
      urgency: 'high',
      subject: '共有フォルダが開けない',
      details: '朝からファイルが暗号化されている。',
    }),
  );
  await desk.teams.background.idle();
  const row = await desk.store.db
    .selectFrom('consultation')
    .select(['id', 'number', 'version', 'card_version', 'card_activity_id'])
    .executeTakeFirstOrThrow();
  expect(row.card_version).toBe(row.version);
  return { id: row.id, number: row.number, version: row.version, cardId: row.card_activity_id! };
}

const cardOf = (activity: Partial<Activity> | undefined): AdaptiveCard => {
  const card = activity?.attachments?.[0]?.content as AdaptiveCard;
  expect(validateCard(card)).toEqual([]);
  return card;
};

test('a correction in the ledger: the channel card shows it at once and its thread says who made it', async () => {
  const c = await recorded();
  const before = { updated: gateway.updated.length, replied: gateway.replied.length };
  const res = await callApi(desk.url, `/api/ledger/consultations/${c.id}/edit`, token, {
    body: { version: c.version, values: { subject: '共有フォルダとNASが開けない' } },
  });
  expect(res.status).toBe(200);
  await desk.teams.background.idle();

  const updates = gateway.updated.slice(before.updated);
  expect(updates.map((u) => u.activityId)).toEqual([c.cardId]);
  const card = textOf(cardOf(updates[0]!.activity));
  expect(card).toContain('共有フォルダとNASが開けない');
  expect(card).toContain(`${PEOPLE.supervisor.name}さんが記録を修正しました`);
  const lines = gateway.replied.slice(before.replied);
  expect(lines.map((r) => [r.rootActivityId, String(r.activity.text)])).toEqual([
    [c.cardId, expect.stringContaining(`${PEOPLE.supervisor.name}さんが記録を修正しました`)],
  ]);
  expect(String(lines[0]!.activity.text)).toContain('修正した項目: 件名');
  const row = await desk.store.db
    .selectFrom('consultation')
    .select(['version', 'card_version'])
    .where('id', '=', c.id)
    .executeTakeFirstOrThrow();
  expect(row).toEqual({ version: c.version + 1, card_version: c.version + 1 });

  // Saving the same again changes nothing, and Teams is told nothing.
  const same = await callApi(desk.url, `/api/ledger/consultations/${c.id}/edit`, token, {
    body: { version: c.version + 1, values: { subject: '共有フォルダとNASが開けない' } },
  });
  expect(same.status).toBe(200);
  await desk.teams.background.idle();
  expect(gateway.updated.length).toBe(before.updated + 1);
  expect(gateway.replied.length).toBe(before.replied + 1);
});

test('Teams out of reach: the ledger still answers, and the card catches up once it is back', async () => {
  const c = await recorded();
  gateway.down = true;
  const res = await callApi(desk.url, `/api/ledger/consultations/${c.id}/edit`, token, {
    body: {
      version: c.version,
      values: { 'consulter.organisation': '株式会社サンプル製作所 大田工場' },
    },
  });
  expect(res.status).toBe(200);
  expect(res.body.consultation.consulter.organisation).toBe('株式会社サンプル製作所 大田工場');
  await desk.teams.background.idle();
  const behind = await desk.store.db
    .selectFrom('consultation')
    .select(['version', 'card_version'])
    .where('id', '=', c.id)
    .executeTakeFirstOrThrow();
  expect(behind.card_version).toBeLessThan(behind.version);

  gateway.down = false;
  await desk.teams.catchUp();
  await desk.teams.background.idle();
  const last = gateway.updated.at(-1)!;
  expect(last.activityId).toBe(c.cardId);
  expect(textOf(cardOf(last.activity))).toContain('株式会社サンプル製作所 大田工場');
  const caught = await desk.store.db
    .selectFrom('consultation')
    .select(['version', 'card_version'])
    .where('id', '=', c.id)
    .executeTakeFirstOrThrow();
  expect(caught.card_version).toBe(caught.version);
});

test('an erasure in the ledger: the channel card is redrawn without the consulter at once', async () => {
  const c = await recorded();
  const supervisor = {
    id: PEOPLE.supervisor.aadObjectId,
    name: '管理者E',
    roles: ['supervisor' as const],
  };
  await desk.service.claim(supervisor, c.id);
  await desk.service.answer(supervisor, c.id, { body: '切り離しを案内した', delivery: 'phone' });
  const closed = (await desk.service.close(supervisor, c.id)).consultation;
  await desk.teams.background.idle();
  const before = gateway.updated.length;
  const res = await callApi(desk.url, `/api/ledger/consultations/${c.id}/erase`, token, {
    body: { confirmNumber: c.number, version: closed.version },
  });
  expect(res.status).toBe(200);
  await desk.teams.background.idle();
  const last = gateway.updated.slice(before).at(-1)!;
  const card = JSON.stringify(cardOf(last.activity));
  expect(card).toContain('個人情報は');
  for (const words of ['株式会社サンプル製作所', '共有フォルダが開けない'])
    expect(card).not.toContain(words);
  expect(String(gateway.replied.at(-1)?.activity.text)).toContain('個人情報を消去しました');
});

describe('a line Teams refused in a card’s thread', () => {
  const lineRows = () =>
    desk.store.db.selectFrom('thread_line').selectAll().orderBy('id').execute();
  /** As if the lines had been kept a while ago: a catch-up leaves fresh ones alone. */
  const ageLines = () =>
    desk.store.db
      .updateTable('thread_line')
      .set({ created_at: new Date(Date.now() - 2 * NOTICE_CATCH_UP_AFTER_MS).toISOString() })
      .execute();
  /** Presses a button of the channel card, as the record is now. */
  const press = async (who: TeamsUser, verb: string, id: number) => {
    const r = await desk.store.db
      .selectFrom('consultation')
      .select(['version', 'card_activity_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    await desk.invoke(
      channelInvoke(
        desk.connector.url,
        who,
        verb,
        { consultationId: id, version: r.version },
        { replyToId: r.card_activity_id ?? undefined },
      ),
    );
  };

  test('is kept, and said in the card’s thread as it was once Teams is back', async () => {
    const c = await recorded();
    gateway.down = true;
    await press(PEOPLE.firstLine, 'claim', c.id);
    await desk.teams.background.idle();
    const kept = await lineRows();
    expect(kept).toEqual([
      expect.objectContaining({
        consultation_id: c.id,
        text: expect.stringContaining(`${PEOPLE.firstLine.name}さんが担当しました`) as string,
        attempts: 0,
        taken_until: null,
      }),
    ]);

    gateway.down = false;
    const replied = gateway.replied.length;
    expect(await desk.teams.catchUp()).toEqual({ cards: 1, posted: 0, lines: 0, notices: 0 }); // too fresh
    await desk.teams.background.idle();
    await ageLines();
    expect(await desk.teams.catchUp()).toEqual({ cards: 0, posted: 0, lines: 1, notices: 0 });
    const said = gateway.replied.slice(replied);
    expect(said.map((r) => [r.rootActivityId, r.activity.text])).toEqual([
      [c.cardId, kept[0]!.text],
    ]);
    expect(said[0]!.reference.conversation?.id).toBe(INTAKE_CHANNEL_ID);
    expect(await lineRows()).toEqual([]);
    expect(await desk.teams.catchUp()).toEqual({ cards: 0, posted: 0, lines: 0, notices: 0 });
  });

  test('holds back the lines said after it, and the catch-up says them together, in order', async () => {
    const c = await recorded();
    gateway.down = true;
    await press(PEOPLE.firstLine, 'claim', c.id);
    await desk.teams.background.idle();
    gateway.down = false;
    // Teams answers again, but the claim's line is still owed: the unclaim's must not come first.
    const replied = gateway.replied.length;
    await press(PEOPLE.firstLine, 'unclaim', c.id);
    await desk.teams.background.idle();
    expect(gateway.replied.slice(replied)).toEqual([]);
    const kept = (await lineRows()).map((r) => r.text);
    expect(kept).toEqual([
      expect.stringContaining(`${PEOPLE.firstLine.name}さんが担当しました`),
      expect.stringContaining(`${PEOPLE.firstLine.name}さんが担当を外れました`),
    ]);

    await ageLines();
    expect(await desk.teams.catchUp()).toMatchObject({ lines: 2 });
    // Together, as one message, the earlier first.
    expect(gateway.replied.slice(replied).map((r) => [r.rootActivityId, r.activity.text])).toEqual([
      [c.cardId, kept.join('\n\n')],
    ]);
    expect(await lineRows()).toEqual([]);

    // Nothing owed any more: the next line goes out at once.
    await press(PEOPLE.firstLine, 'claim', c.id);
    await desk.teams.background.idle();
    expect(gateway.replied.at(-1)?.activity.text).toContain('さんが担当しました');
    expect(await lineRows()).toEqual([]);
  });

  test('is not said once its record was erased', async () => {
    const c = await recorded();
    gateway.down = true;
    await press(PEOPLE.firstLine, 'claim', c.id);
    await desk.teams.background.idle();
    expect(await lineRows()).toHaveLength(1);
    const supervisor = {
      id: PEOPLE.supervisor.aadObjectId,
      name: PEOPLE.supervisor.name,
      roles: ['supervisor' as const],
    };
    await desk.service.answer(supervisor, c.id, { body: '切り離しを案内した', delivery: 'phone' });
    const closed = (await desk.service.close(supervisor, c.id)).consultation;
    const res = await callApi(desk.url, `/api/ledger/consultations/${c.id}/erase`, token, {
      body: { confirmNumber: c.number, version: closed.version },
    });
    expect(res.status).toBe(200);
    await desk.teams.background.idle();
    // The claim's line went with the erasure; the erasure's own, refused after it, is left.
    expect((await lineRows()).map((r) => r.text)).toEqual([
      expect.stringContaining('個人情報を消去しました'),
    ]);

    gateway.down = false;
    await ageLines();
    const replied = gateway.replied.length;
    expect(await desk.teams.catchUp()).toMatchObject({ lines: 0 });
    await desk.teams.background.idle();
    expect(gateway.replied.slice(replied)).toEqual([]);
    expect(await lineRows()).toEqual([]);
  });
});
