import { parse } from 'csv-parse/sync';
import { AppError } from '../../src/errors';
import type { Actor } from '../../src/consultation/types';
import type { ConsultationService } from '../../src/consultation/consultation.service';
import { LedgerService } from '../../src/ledger/ledger.service';
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

const MIN = 60_000;

type Clock = ReturnType<typeof testClock>;

/** Moves the clock to an instant and records a consultation received then. */
async function recordAt(
  svc: ConsultationService,
  clock: Clock,
  iso: string,
  over: Record<string, unknown> = {},
  by: Actor = firstLineA,
) {
  clock.advance(new Date(iso).getTime() - clock.now().getTime());
  const { consultation } = await svc.create(by, intake(over));
  return consultation;
}

function setup(store: Parameters<typeof makeService>[0], start = '2026-09-01T00:00:00.000Z') {
  const clock = testClock(start);
  const svc = makeService(store, clock);
  const ledger = new LedgerService({ store, consultations: svc, clock: clock.now });
  return { clock, svc, ledger };
}

async function expectAppError(p: Promise<unknown>, status: number, code: string) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).status).toBe(status);
  expect((err as AppError).code).toBe(code);
  return err as AppError;
}

describeEachDialect('ledger', (db) => {
  describe('list', () => {
    it('filters by state, channel, category, urgency, person and Tokyo days, newest first, in pages', async () => {
      const { svc, clock, ledger } = setup(db().store);
      // 2026-10-01 00:30 in Tokyo is 2026-09-30T15:30Z: it belongs to 1 October.
      const a = await recordAt(svc, clock, '2026-09-30T15:30:00.000Z', { channel: 'phone' });
      const b = await recordAt(svc, clock, '2026-10-01T03:00:00.000Z', {
        channel: 'web',
        categoryId: 'phishing',
        urgency: 'low',
      });
      const c = await recordAt(svc, clock, '2026-10-02T14:59:00.000Z', { channel: 'email' });
      // 2026-10-03 00:00 in Tokyo: outside `to=2026-10-02`.
      const d = await recordAt(svc, clock, '2026-10-02T15:00:00.000Z', { channel: 'counter' });
      await svc.claim(firstLineB, b.id);
      await svc.claim(firstLineA, c.id);
      await svc.dispatch(firstLineA, c.id, {
        specialistId: specialistC.id,
        coordinationNeeded: false,
        reason: '技術的な確認',
      });

      const ids = async (q: Partial<Parameters<LedgerService['list']>[1]>) =>
        (await ledger.list(firstLineA, { page: 1, pageSize: 50, ...q })).items.map((i) => i.id);

      expect(await ids({})).toEqual([d.id, c.id, b.id, a.id]);
      expect(await ids({ from: '2026-10-01', to: '2026-10-02' })).toEqual([c.id, b.id, a.id]);
      expect(await ids({ from: '2026-10-02' })).toEqual([d.id, c.id]);
      expect(await ids({ to: '2026-09-30' })).toEqual([]);
      expect(await ids({ states: ['claimed', 'dispatched'] })).toEqual([c.id, b.id]);
      expect(await ids({ channels: ['web', 'counter'] })).toEqual([d.id, b.id]);
      expect(await ids({ categoryIds: ['phishing'] })).toEqual([b.id]);
      expect(await ids({ urgencies: ['low'] })).toEqual([b.id]);
      expect(await ids({ personId: specialistC.id })).toEqual([c.id]);
      expect(await ids({ personId: firstLineB.id })).toEqual([b.id]);
      expect(await ids({ text: 'ランサム', states: ['received'] })).toEqual([d.id, a.id]);

      const page2 = await ledger.list(firstLineA, { page: 2, pageSize: 3 });
      expect(page2).toMatchObject({ total: 4, totalIsLowerBound: false, page: 2, pageSize: 3 });
      expect(page2.items.map((i) => i.id)).toEqual([a.id]);
      expect(page2.items[0]).toEqual({
        id: a.id,
        number: a.number,
        receivedAt: '2026-09-30T15:30:00.000Z',
        channel: 'phone',
        state: 'received',
        categoryId: 'ransomware',
        urgency: 'high',
        subject: 'ファイルが開けない',
        organisation: '株式会社サンプル製作所',
        firstLineOwner: null,
        specialist: null,
        erased: false,
      });
    });

    it('is for staff only', async () => {
      const { ledger } = setup(db().store);
      await expectAppError(ledger.list(outsider, { page: 1, pageSize: 10 }), 403, 'forbidden');
      await expectAppError(ledger.meta(outsider), 403, 'forbidden');
      await expectAppError(
        ledger.stats(outsider, { from: '2026-10', to: '2026-10' }),
        403,
        'forbidden',
      );
    });
  });

  describe('meta', () => {
    it('lists the people who own or specialise cases, once each, and whether the caller may export', async () => {
      const { svc, clock, ledger } = setup(db().store);
      const a = await recordAt(svc, clock, '2026-10-01T00:00:00.000Z');
      const b = await recordAt(svc, clock, '2026-10-01T01:00:00.000Z');
      await recordAt(svc, clock, '2026-10-01T02:00:00.000Z');
      await svc.claim(firstLineA, a.id);
      await svc.claim(firstLineA, b.id);
      await svc.dispatch(firstLineA, b.id, {
        specialistId: specialistD.id,
        coordinationNeeded: true,
        reason: '警察との調整',
      });

      const meta = await ledger.meta(firstLineB);
      expect(meta.people).toEqual([
        { id: firstLineA.id, name: firstLineA.name },
        { id: specialistD.id, name: specialistD.name },
      ]);
      expect(meta.canExport).toBe(false);
      expect(meta.me).toEqual({ id: firstLineB.id, name: firstLineB.name, roles: ['first-line'] });
      expect(meta.labels.states.map((s) => s.label.ja)).toEqual([
        '受付',
        '一次対応中',
        '二次対応中',
        '回答済',
        '完了',
      ]);
      expect(meta.labels.categories.find((c) => c.id === 'ransomware')?.label).toEqual({
        ja: 'ランサムウェア',
        en: 'Ransomware',
      });
      expect((await ledger.meta(supervisorE)).canExport).toBe(true);
      expect(meta.labels.erasureReasons).toEqual([
        { id: 'retention', label: { ja: '保存期間の終了', en: 'retention period ended' } },
        { id: 'request', label: { ja: 'ご本人からの請求', en: 'at the consulter’s request' } },
      ]);
      expect(meta.labels.handlings.map((h) => [h.id, h.label.ja])).toEqual([
        ['firstLine', '一次対応で完結'],
        ['secondLine', '二次対応へ依頼'],
        ['open', '対応中（依頼なし）'],
      ]);
    });
  });

  describe('a record', () => {
    it('tells a return to first line with its reason, between the two dispatches', async () => {
      const { svc, clock, ledger } = setup(db().store);
      const c = await recordAt(svc, clock, '2026-10-01T00:00:00.000Z');
      await svc.claim(firstLineA, c.id);
      await svc.dispatch(firstLineA, c.id, {
        specialistId: specialistC.id,
        coordinationNeeded: false,
      });
      clock.advance(MIN);
      await svc.returnToFirstLine(specialistC, c.id, { reason: '担当分野外のため' });
      clock.advance(MIN);
      await svc.dispatch(firstLineA, c.id, {
        specialistId: specialistD.id,
        coordinationNeeded: false,
      });
      const r = await ledger.record(supervisorE, c.id);
      const tail = r.timeline.slice(-3);
      expect(tail.map((t) => [t.who?.name, t.summary.ja, t.body ?? null])).toEqual([
        [firstLineA.name, `${specialistC.name}さんに二次対応を依頼しました`, null],
        [specialistC.name, '一次対応へ差し戻しました', '担当分野外のため'],
        [firstLineA.name, `${specialistD.name}さんに二次対応を依頼しました`, null],
      ]);
      expect(tail[1]!.summary.en).toBe('Returned the case to first line');
    });

    it('shows history, notes, answers and emails oldest first, and does not write the view to history', async () => {
      const { svc, clock, ledger } = setup(db().store);
      const c = await recordAt(svc, clock, '2026-10-01T00:00:00.000Z');
      clock.advance(3 * MIN);
      await svc.claim(firstLineA, c.id);
      // Within one instant: a note, then the answer, then closing.
      clock.advance(2 * MIN);
      await svc.addNote(firstLineA, c.id, { body: '相談者に折り返し済み', source: 'thread' });
      await svc.answer(firstLineA, c.id, {
        body: 'ネットワークから切り離してください。',
        delivery: 'phone',
      });
      await svc.close(firstLineA, c.id);
      const email = await db()
        .store.db.insertInto('consultation_email')
        .values({
          consultation_id: c.id,
          graph_message_id: 'AAMk-1',
          internet_message_id: '<1@example.jp>',
          conversation_id: null,
          subject: '追加の情報',
          received_at: '2026-10-01T00:04:00.000Z',
          linked_at: '2026-10-01T00:06:00.000Z',
          sender_address: 'yamada@sample.example.jp',
          body_text: '脅迫文の写真を添付します。',
          linked_by_id: firstLineB.id,
          linked_by_name: firstLineB.name,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db()
        .store.db.insertInto('consultation_attachment')
        .values({
          consultation_id: c.id,
          email_id: email.id,
          graph_attachment_id: 'att-1',
          name: '脅迫文.png',
          content_type: 'image/png',
          size: 12_000_000,
          sha256: null,
          content: null,
          skipped_reason: 'too_big',
          skipped_ja: '大きすぎるため保存していません',
          skipped_en: 'Not kept: too big',
          created_at: '2026-10-01T00:06:00.000Z',
        })
        .execute();
      await svc.linkCard(
        c.id,
        { conversationId: '19:abc@thread.tacv2;messageid=111', activityId: '111' },
        { id: 'bot', name: 'Madoguchi' },
      );

      const historyBefore = (await svc.details(supervisorE, c.id)).history.length;
      const r = await ledger.record(specialistC, c.id);
      expect((await svc.details(supervisorE, c.id)).history.length).toBe(historyBefore);

      expect(r.timeline.map((t) => [t.at, t.kind, t.who?.name ?? null, t.summary.ja])).toEqual([
        [
          '2026-10-01T00:00:00.000Z',
          'history',
          '受付担当A',
          '受付登録（電話・ランサムウェア・緊急度 高）',
        ],
        ['2026-10-01T00:03:00.000Z', 'history', '受付担当A', '担当しました'],
        ['2026-10-01T00:04:00.000Z', 'email', '受付担当B', '相談者からのメール'],
        ['2026-10-01T00:05:00.000Z', 'note', '受付担当A', 'メモ（スレッド）'],
        ['2026-10-01T00:05:00.000Z', 'answer', '受付担当A', '回答（一次対応・電話）'],
        ['2026-10-01T00:05:00.000Z', 'history', '受付担当A', '完了にしました'],
      ]);
      expect(r.timeline[3]!.body).toBe('相談者に折り返し済み');
      expect(r.timeline[4]!.body).toBe('ネットワークから切り離してください。');
      expect(r.timeline[4]!.details).toMatchObject({
        line: 'first',
        delivery: 'phone',
        deliveryStatus: 'recorded',
        fromState: 'claimed',
        toState: 'answered',
      });
      expect(r.timeline[2]!.body).toBe('脅迫文の写真を添付します。');
      expect(r.timeline[2]!.details).toMatchObject({
        subject: '追加の情報',
        sender: 'yamada@sample.example.jp',
        attachments: [
          {
            name: '脅迫文.png',
            contentType: 'image/png',
            size: 12_000_000,
            kept: false,
            skipped: { ja: '大きすぎるため保存していません', en: 'Not kept: too big' },
          },
        ],
      });
      expect(r.timeline.map((t) => t.summary.en)).toContain('Claimed the case');
      expect(r.teamsCardUrl).toBe(
        'https://teams.microsoft.com/l/message/19%3Aabc%40thread.tacv2/111',
      );
      expect(r.destinations.map((d) => d.id)).toContain('mpd-cyber');
      expect(r.consultation.situation.whatHappened).toBe('拡張子が .lockbit に変わった');
      expect(r.consultation.consulter.person).toBe('山田 太郎');
    });

    it('lists the same consulter’s other records with the keys each shares, newest first, five at most with the count', async () => {
      const { svc, clock, ledger } = setup(db().store);
      const consulter = (
        organisation: string | null,
        email: string | null,
        phone: string | null,
      ) => ({ consulter: { organisation, person: '担当者', email, phone } });
      const at = (day: number) => `2026-10-0${day}T01:00:00.000Z`;
      const byName = await recordAt(svc, clock, at(1), consulter('株式会社つづき', null, null));
      const byEmail = await recordAt(
        svc,
        clock,
        at(2),
        consulter('別名義', 'it@tsuzuki.example.jp', null),
      );
      const byPhone = await recordAt(svc, clock, at(3), consulter(null, null, '03-1111-2222'));
      const byNameAndEmail = await recordAt(
        svc,
        clock,
        at(4),
        consulter('つづき 有限会社', 'IT@TSUZUKI.example.jp', null),
      );
      const byAll = await recordAt(svc, clock, at(5), {
        ...consulter('株式会社つづき', 'it@tsuzuki.example.jp', '0311112222'),
        subject: '前回の相談',
        categoryId: 'phishing',
      });
      clock.advance(30 * MIN);
      await svc.close(supervisorE, byAll.id, { reason: '回答済み' });
      await recordAt(
        svc,
        clock,
        at(6),
        consulter('株式会社べつ', 'it@betsu.example.jp', '03-9999-0000'),
      );
      const now = await recordAt(
        svc,
        clock,
        at(7),
        consulter('㈱ つづき', 'it@tsuzuki.example.jp', '03(1111)2222'),
      );

      const r = await ledger.record(firstLineA, now.id);
      expect(r.related.total).toBe(5);
      expect(r.related.items.map((i) => [i.number, i.matchedBy])).toEqual([
        [byAll.number, ['organisation', 'email', 'phone']],
        [byNameAndEmail.number, ['organisation', 'email']],
        [byPhone.number, ['phone']],
        [byEmail.number, ['email']],
        [byName.number, ['organisation']],
      ]);
      expect(r.related.items[0]).toEqual({
        id: byAll.id,
        number: byAll.number,
        receivedAt: at(5),
        state: 'closed',
        categoryId: 'phishing',
        subject: '前回の相談',
        closedAt: '2026-10-05T01:30:00.000Z',
        matchedBy: ['organisation', 'email', 'phone'],
      });

      // A sixth: five are listed with the whole count, the open ones before the closed
      // one (byAll), newest first.
      const sixth = await recordAt(
        svc,
        clock,
        '2026-10-08T01:00:00.000Z',
        consulter(null, 'it@tsuzuki.example.jp', null),
      );
      const capped = await ledger.record(specialistC, now.id);
      expect(capped.related.total).toBe(6);
      expect(capped.related.items.map((i) => i.id)).toEqual([
        sixth.id,
        byNameAndEmail.id,
        byPhone.id,
        byEmail.id,
        byName.id,
      ]);

      // An erased record has none, and is among no one's.
      await svc.erase(supervisorE, byAll.id, { confirmNumber: byAll.number });
      expect((await ledger.record(supervisorE, byAll.id)).related).toEqual({ items: [], total: 0 });
      const after = await ledger.record(firstLineA, now.id);
      expect(after.related.total).toBe(5);
      expect(after.related.items.map((i) => i.id)).not.toContain(byAll.id);
    });

    it('is 404 for a record that does not exist', async () => {
      const { ledger } = setup(db().store);
      await expectAppError(ledger.record(firstLineA, 999), 404, 'not_found');
    });
  });

  describe('statistics', () => {
    it('counts per Tokyo month and takes medians of the times to claim, dispatch and answer', async () => {
      const { svc, clock, ledger } = setup(db().store);
      // October (Tokyo): three records.
      const a = await recordAt(svc, clock, '2026-09-30T15:00:00.000Z', { channel: 'phone' });
      clock.advance(10 * MIN);
      await svc.claim(firstLineA, a.id); // 10 min
      clock.advance(20 * MIN);
      await svc.dispatch(firstLineA, a.id, {
        specialistId: specialistC.id,
        coordinationNeeded: false,
        reason: '確認',
      }); // 30 min
      clock.advance(30 * MIN);
      await svc.answer(specialistC, a.id, { body: '回答', delivery: 'phone' }); // 60 min

      const b = await recordAt(svc, clock, '2026-10-10T00:00:00.000Z', {
        channel: 'web',
        categoryId: 'phishing',
      });
      clock.advance(20 * MIN);
      await svc.claim(firstLineB, b.id); // 20 min
      clock.advance(5 * MIN);
      await svc.answer(firstLineB, b.id, { body: '回答', delivery: 'phone' }); // 25 min
      await svc.close(firstLineB, b.id);
      // Reopened and claimed again later: only the first claim counts.
      clock.advance(600 * MIN);
      await svc.reopen(firstLineA, b.id);

      const c = await recordAt(svc, clock, '2026-10-20T00:00:00.000Z', { channel: 'web' });
      clock.advance(5 * MIN);
      await svc.claim(firstLineA, c.id); // 5 min

      // November (Tokyo) starts at 2026-10-31T15:00Z: one record, never claimed, and one
      // withdrawn before any answer or dispatch (closed by a supervisor).
      await recordAt(svc, clock, '2026-10-31T15:00:00.000Z', { channel: 'email' });
      const d = await recordAt(svc, clock, '2026-11-05T00:00:00.000Z', { channel: 'counter' });
      clock.advance(4 * MIN);
      await svc.claim(firstLineA, d.id); // 4 min
      await svc.close(supervisorE, d.id, { reason: '取り下げ' });
      // December is empty.

      const { months } = await ledger.stats(firstLineA, { from: '2026-09', to: '2026-12' });
      expect(months.map((m) => m.month)).toEqual(['2026-09', '2026-10', '2026-11', '2026-12']);
      const [sep, oct, nov, dec] = months;
      expect(sep!.total).toBe(0);
      expect(oct).toMatchObject({
        total: 3,
        byChannel: { phone: 1, web: 2, email: 0, counter: 0 },
        byState: { received: 0, claimed: 2, dispatched: 0, answered: 1, closed: 0 },
        // a dispatched; b answered at first line (reopened since); c claimed only.
        byHandling: { firstLine: 1, secondLine: 1, open: 1 },
        median: { toClaimMinutes: 10, toDispatchMinutes: 30, toAnswerMinutes: 42.5 },
      });
      expect(oct!.byCategory.ransomware).toBe(2);
      expect(oct!.byCategory.phishing).toBe(1);
      expect(nov).toMatchObject({
        total: 2,
        byChannel: { phone: 0, web: 0, email: 1, counter: 1 },
        byState: { received: 1, claimed: 0, dispatched: 0, answered: 0, closed: 1 },
        byHandling: { firstLine: 1, secondLine: 0, open: 1 },
        median: { toClaimMinutes: 4, toDispatchMinutes: null, toAnswerMinutes: null },
      });
      expect(dec).toMatchObject({
        total: 0,
        byHandling: { firstLine: 0, secondLine: 0, open: 0 },
        median: { toClaimMinutes: null },
      });
    });
  });

  describe('CSV export', () => {
    it('writes every record of the range once, oldest first, across batches', async () => {
      const clock = testClock('2026-09-01T00:00:00.000Z');
      const svc = makeService(db().store, clock);
      const ledger = new LedgerService({
        store: db().store,
        consultations: svc,
        exportBatchSize: 2,
      });
      const made = [];
      // Two records in the same instant test the cursor's tie on the received time.
      for (const at of [
        '2026-09-30T14:59:00.000Z', // 9/30 in Tokyo: outside
        '2026-09-30T15:00:00.000Z',
        '2026-10-01T03:00:00.000Z',
        '2026-10-01T03:00:00.000Z',
        '2026-10-02T00:00:00.000Z',
        '2026-10-31T14:59:59.000Z',
        '2026-10-31T15:00:00.000Z', // 11/1 in Tokyo: outside
      ]) {
        made.push(await recordAt(svc, clock, at, { subject: `件名 ${at}` }));
      }
      await svc.claim(firstLineA, made[2]!.id);
      await svc.answer(firstLineA, made[2]!.id, { body: '最初の回答', delivery: 'phone' });

      const file = await ledger.exportCsv(supervisorE, { from: '2026-10-01', to: '2026-10-31' });
      let text = '';
      for await (const chunk of file.chunks) text += chunk;
      expect(text.startsWith('\uFEFF')).toBe(true);
      const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
      expect(rows.map((r) => r['相談番号'])).toEqual(made.slice(1, 6).map((c) => c.number));
      expect(file.count).toBe(5);
      expect(file.filename).toBe('madoguchi-2026-10-01-2026-10-31.csv');
      expect(rows[0]!['受付日時']).toBe('2026-10-01 00:00');
      expect(rows[1]!['最新の回答']).toBe('最初の回答');
      expect(rows[1]!['状態']).toBe('回答済');
      expect(rows[1]!['回答数']).toBe('1');
    });

    it('is for supervisors only, and refused before anything is read', async () => {
      const { ledger } = setup(db().store);
      for (const actor of [firstLineA, specialistC, outsider]) {
        await expectAppError(
          ledger.exportCsv(actor, { from: '2026-10-01', to: '2026-10-31' }),
          403,
          'forbidden',
        );
      }
    });
  });

  describe('事例集', () => {
    it('previews closed cases only and names the others', async () => {
      const { svc, clock, ledger } = setup(db().store);
      const open = await recordAt(svc, clock, '2026-10-01T00:00:00.000Z');
      const closed = await recordAt(svc, clock, '2026-10-01T01:00:00.000Z');
      await svc.close(supervisorE, closed.id, { reason: '取り下げ' });

      const err = await expectAppError(
        ledger.casebookPreview(supervisorE, [closed.id, open.id, 12345]),
        400,
        'validation',
      );
      expect(err.details).toMatchObject({
        notClosed: [{ id: open.id, number: open.number, state: 'received' }],
        notFound: [12345],
      });
      const fields = err.details.fields as Record<string, { ja: string; en: string }>;
      expect(fields.ids!.ja).toContain(`${open.number}（受付）`);
      expect(fields.ids!.en).toContain(`${open.number} (Received)`);
      await expectAppError(ledger.casebookPreview(firstLineA, [closed.id]), 403, 'forbidden');

      const { cases } = await ledger.casebookPreview(supervisorE, [closed.id]);
      expect(cases).toHaveLength(1);
      expect(cases[0]).toMatchObject({
        id: closed.id,
        month: '2026-10',
        sizeBand: { ja: '中規模（21〜100名）' },
        municipalityArea: { ja: '東京都23区内' },
        industry: '製造業',
      });
    });

    it('removes the addresses the record’s emails came from, and the staff’s names', async () => {
      const { svc, clock, ledger } = setup(db().store);
      const c = await recordAt(svc, clock, '2026-10-01T00:00:00.000Z', { channel: 'email' });
      await db()
        .store.db.insertInto('consultation_email')
        .values({
          consultation_id: c.id,
          graph_message_id: 'AAMk-2',
          internet_message_id: '<2@example.jp>',
          conversation_id: null,
          subject: '相談',
          received_at: '2026-10-01T00:00:00.000Z',
          linked_at: '2026-10-01T00:00:00.000Z',
          sender_address: 'soumu.kanri@another.example.jp',
        })
        .execute();
      await svc.claim(firstLineB, c.id);
      await svc.answer(firstLineB, c.id, {
        body: '送信元の soumu.kanri 宛に、受付担当Bから回答しました。',
        delivery: 'phone',
      });
      await svc.close(firstLineB, c.id);

      const { cases } = await ledger.casebookPreview(supervisorE, [c.id]);
      expect(cases[0]!.answer).toBe('送信元の 〔氏名〕 宛に、〔氏名〕から回答しました。');
    });
  });

  describe('exports of personal data', () => {
    it('are kept and listed newest first, to supervisors only', async () => {
      const { clock, ledger } = setup(db().store);
      await ledger.recordExport(supervisorE, {
        kind: 'csv',
        range: { from: '2026-08-01', to: '2026-08-31' },
        count: 12,
        outcome: 'complete',
      });
      clock.advance(60_000);
      await ledger.recordExport(supervisorE, {
        kind: 'casebook',
        count: 2,
        consultationIds: [5, 9],
        outcome: 'complete',
      });
      clock.advance(60_000);
      await ledger.recordExport(supervisorE, {
        kind: 'csv',
        range: { from: '2026-09-01', to: '2026-09-01' },
        count: 3,
        outcome: 'broken',
      });

      const { items } = await ledger.exports(supervisorE);
      expect(items.map((e) => [e.kind, e.count, e.outcome])).toEqual([
        ['csv', 3, 'broken'],
        ['casebook', 2, 'complete'],
        ['csv', 12, 'complete'],
      ]);
      expect(items[1]).toMatchObject({
        by: { id: supervisorE.id, name: supervisorE.name },
        at: '2026-09-01T00:01:00.000Z',
        range: null,
        consultationIds: [5, 9],
      });
      expect(items[2]!.range).toEqual({ from: '2026-08-01', to: '2026-08-31' });

      await expectAppError(ledger.exports(firstLineA), 403, 'forbidden');
      await expectAppError(
        ledger.recordExport(firstLineA, { kind: 'csv', count: 1, outcome: 'complete' }),
        403,
        'forbidden',
      );
    });
  });

  describe('erasure', () => {
    /**
     * A case received at `at`, claimed after 10 minutes with a note, dispatched after 30,
     * answered by the specialist after 60 and closed after 90.
     */
    async function closedCase(
      svc: ConsultationService,
      clock: Clock,
      at: string,
      over: Record<string, unknown> = {},
    ) {
      const c = await recordAt(svc, clock, at, over);
      clock.advance(10 * MIN);
      await svc.claim(firstLineA, c.id);
      await svc.addNote(firstLineA, c.id, { body: '社長の携帯 090-1111-2222 に折り返す' });
      clock.advance(20 * MIN);
      await svc.dispatch(firstLineA, c.id, {
        specialistId: specialistC.id,
        coordinationNeeded: true,
        reason: '山田様の取引先との調整',
      });
      clock.advance(30 * MIN);
      await svc.answer(specialistC, c.id, {
        body: '山田様、警察に相談してください。',
        delivery: 'phone',
      });
      clock.advance(30 * MIN);
      await svc.close(specialistC, c.id, { reason: '山田様に説明済み' });
      return (await svc.details(supervisorE, c.id)).consultation;
    }

    it('is offered to supervisors on a closed record; the record keeps its facts and who did what when', async () => {
      const { svc, clock, ledger } = setup(db().store);
      const c = await closedCase(svc, clock, '2026-10-01T00:00:00.000Z');
      const open = await recordAt(svc, clock, '2026-10-02T00:00:00.000Z');

      expect((await ledger.record(supervisorE, c.id)).canErase).toBe(true);
      expect((await ledger.record(firstLineA, c.id)).canErase).toBe(false);
      expect((await ledger.record(supervisorE, open.id)).canErase).toBe(false);
      const before = await ledger.record(supervisorE, c.id);

      clock.advance(24 * 60 * MIN);
      const r = await ledger.erase(supervisorE, c.id, {
        confirmNumber: c.number,
        version: c.version,
      });
      expect(r.canErase).toBe(false);
      expect(r.consultation).toMatchObject({
        number: c.number,
        state: 'closed',
        channel: 'phone',
        categoryId: 'ransomware',
        subject: '',
        details: '',
        consulter: { organisation: null, person: null, email: null, phone: null },
        coordinationReason: null,
        firstLineOwner: { id: firstLineA.id },
        specialist: { id: specialistC.id },
        erasure: { at: clock.now().toISOString(), reason: 'request' },
      });
      // Who did what and when stays; what anyone wrote goes.
      const rows = (items: typeof r.timeline) =>
        items.map((t) => [t.at, t.kind, t.who?.name ?? null, t.summary.ja]);
      expect(rows(r.timeline)).toEqual([
        ...rows(before.timeline),
        [
          clock.now().toISOString(),
          'history',
          '職員E',
          '個人情報を消去しました（ご本人からの請求）',
        ],
      ]);
      expect(r.timeline.map((t) => t.body).filter(Boolean)).toEqual([]);
      expect(r.timeline.filter((t) => t.details?.contentErased).map((t) => t.kind)).toEqual([
        'note',
        'answer',
      ]);
      expect(JSON.stringify(r)).not.toMatch(/山田|090-1111|sample\.example/);

      const listed = await ledger.list(firstLineA, { page: 1, pageSize: 10 });
      expect(listed.items.find((i) => i.id === c.id)).toMatchObject({
        erased: true,
        subject: '',
        organisation: null,
      });
      expect(listed.items.find((i) => i.id === open.id)?.erased).toBe(false);
    });

    it('is for supervisors, on the version shown, with the record’s own number', async () => {
      const { svc, clock, ledger } = setup(db().store);
      const c = await closedCase(svc, clock, '2026-10-01T00:00:00.000Z');
      const body = { confirmNumber: c.number, version: c.version };

      const refused = await expectAppError(ledger.erase(firstLineA, c.id, body), 403, 'forbidden');
      expect(refused.message).toBeDefined();
      await expectAppError(ledger.erase(specialistC, c.id, body), 403, 'forbidden');
      const wrong = await expectAppError(
        ledger.erase(supervisorE, c.id, { ...body, confirmNumber: '2026-999999' }),
        400,
        'validation',
      );
      expect(Object.keys(wrong.details.fields as object)).toEqual(['confirmNumber']);
      await expectAppError(
        ledger.erase(supervisorE, c.id, { ...body, version: c.version - 1 }),
        409,
        'conflict',
      );
      expect((await ledger.record(supervisorE, c.id)).consultation.erasure).toBeNull();
    });

    it('leaves the statistics as they were: counts and medians', async () => {
      const { svc, clock, ledger } = setup(db().store);
      const a = await closedCase(svc, clock, '2026-10-01T00:00:00.000Z');
      const b = await recordAt(svc, clock, '2026-10-05T00:00:00.000Z', { channel: 'web' });
      clock.advance(5 * MIN);
      await svc.claim(firstLineB, b.id);
      clock.advance(15 * MIN);
      await svc.answer(firstLineB, b.id, { body: '回答', delivery: 'email' });
      await svc.close(firstLineB, b.id);
      await recordAt(svc, clock, '2026-11-03T00:00:00.000Z', { channel: 'email' });

      const range = { from: '2026-10', to: '2026-11' };
      const before = await ledger.stats(firstLineA, range);
      expect(before.months[0]).toMatchObject({
        total: 2,
        byState: { closed: 2 },
        median: { toClaimMinutes: 7.5, toDispatchMinutes: 30, toAnswerMinutes: 40 },
      });

      for (const c of [a, (await svc.details(supervisorE, b.id)).consultation]) {
        clock.advance(MIN);
        await ledger.erase(supervisorE, c.id, { confirmNumber: c.number, version: c.version });
      }
      expect(await ledger.stats(firstLineA, range)).toEqual(before);
    });

    it('keeps erased records in the CSV without their personal columns, saying when and why', async () => {
      const { svc, clock, ledger } = setup(db().store);
      const kept = await closedCase(svc, clock, '2026-10-01T00:00:00.000Z');
      const gone = await closedCase(svc, clock, '2026-10-02T00:00:00.000Z');
      // 2026-10-03 10:00 in Tokyo.
      clock.advance(Date.parse('2026-10-03T01:00:00.000Z') - clock.now().getTime());
      await ledger.erase(supervisorE, gone.id, {
        confirmNumber: gone.number,
        version: gone.version,
      });

      const file = await ledger.exportCsv(supervisorE, { from: '2026-10-01', to: '2026-10-31' });
      let text = '';
      for await (const chunk of file.chunks) text += chunk;
      const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
      const header = Object.keys(rows[0]!);
      expect(header[header.length - 1]).toBe('消去');
      const [a, b] = rows;
      expect(a!['相談番号']).toBe(kept.number);
      expect(a!['消去']).toBe('');
      expect(a!['事業者名']).toBe('株式会社サンプル製作所');
      expect(b!['相談番号']).toBe(gone.number);
      expect(b!['消去']).toBe('2026-10-03 10:00（ご本人からの請求）');
      for (const column of [
        '件名',
        '相談内容',
        '事業者名',
        '相談者名',
        'メールアドレス',
        '電話番号',
        '業種',
        '従業員数',
        '所在地（区市町村）',
        '何が起きたか',
        'いつから',
        '影響を受けた機器・システム',
        'すでに行った対応',
        '保存している証拠',
        '調整の理由',
        'タグ',
        '最新の回答',
      ]) {
        expect({ column, value: b![column] }).toEqual({ column, value: '' });
      }
      // The facts stay for statistics: who answered, when, and how many times.
      for (const column of [
        '受付日時',
        '受付経路',
        '状態',
        '相談分類',
        '緊急度',
        '被害は継続中か',
        '一次対応者',
        '二次対応の専門員',
        '調整の必要',
        '回答数',
        '最新の回答日時',
        '最新の回答者',
        '完了日時',
        '登録者',
      ]) {
        expect({ column, value: b![column] }).toEqual({ column, value: expect.any(String) });
        expect(b![column]).not.toBe('');
      }
      expect(b!['回答数']).toBe(a!['回答数']);
      expect(b!['最新の回答者']).toBe('専門員C');
      expect(Object.values(b!).join('|')).not.toMatch(/山田|090-1111|sample\.example|警察/);
    });

    it('never puts an erased record into the 事例集', async () => {
      const { svc, clock, ledger } = setup(db().store);
      const kept = await closedCase(svc, clock, '2026-10-01T00:00:00.000Z');
      const gone = await closedCase(svc, clock, '2026-10-02T00:00:00.000Z');
      await ledger.erase(supervisorE, gone.id, {
        confirmNumber: gone.number,
        version: gone.version,
      });

      const err = await expectAppError(
        ledger.casebookPreview(supervisorE, [kept.id, gone.id]),
        400,
        'validation',
      );
      expect(err.details).toMatchObject({
        erased: [{ id: gone.id, number: gone.number }],
        notClosed: [],
        notFound: [],
      });
      const fields = err.details.fields as Record<string, { ja: string; en: string }>;
      expect(fields.ids!.ja).toBe(`個人情報を消去した相談は事例集にできません: ${gone.number}`);
      expect(fields.ids!.en).toContain('erased');
      await expectAppError(
        ledger.casebookExport(supervisorE, [
          { id: gone.id, title: '事例', industry: '', situation: '概要', answer: '回答' },
        ]),
        400,
        'validation',
      );
      expect((await ledger.casebookPreview(supervisorE, [kept.id])).cases).toHaveLength(1);
    });
  });
});
