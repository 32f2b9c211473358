import { describeEachDialect } from '../support/dialects';
import {
  firstLineA,
  intake,
  makeService,
  specialistC,
  supervisorE,
  testClock,
} from '../support/fixtures';
import type { ConsultationService } from '../../src/consultation/consultation.service';

const numbersOf = (r: { items: { subject: string }[] }) => r.items.map((c) => c.subject).sort();

async function seed(svc: ConsultationService) {
  const make = (subject: string, details: string, extra: Record<string, unknown> = {}) =>
    svc.create(firstLineA, intake({ subject, details, situation: {}, ...extra }));
  await make('ランサムウェア被害', '共有フォルダが暗号化された。');
  await make('不審なメール', 'フィッシング詐欺と思われるメールを受信。', {
    categoryId: 'phishing',
  });
  await make('請求書の振込先変更', 'ビジネスメール詐欺の疑い。取引先を装う。', {
    categoryId: 'bec',
  });
  await make('ＬｏｃｋＢｉｔの脅迫文', '全角で書かれた相談。', { channel: 'email' });
  await make('ウイルス警告', '画面に警告が出て電話をかけるよう指示された。', {
    categoryId: 'other',
    consulter: { organisation: '有限会社テスト商店', municipality: '八王子市' },
  });
}

describeEachDialect('Japanese search', (db) => {
  let svc: ConsultationService;
  beforeEach(async () => {
    svc = makeService(db().store);
    await seed(svc);
  });
  const find = async (text: string) => numbersOf(await svc.list(supervisorE, { text }));

  test('a part of a word finds the whole word (no spaces in Japanese)', async () => {
    expect(await find('ランサム')).toEqual(['ランサムウェア被害']);
    expect(await find('暗号化')).toEqual(['ランサムウェア被害']);
  });

  test('two-character terms work', async () => {
    expect(await find('詐欺')).toEqual(['不審なメール', '請求書の振込先変更']);
    expect(await find('警告')).toEqual(['ウイルス警告']);
  });

  test('a two-character term at the very end of a field is found', async () => {
    // 「被害」 ends the subject 「ランサムウェア被害」.
    expect(await find('被害')).toEqual(['ランサムウェア被害']);
  });

  test('a single character works', async () => {
    expect(await find('脅')).toEqual(['ＬｏｃｋＢｉｔの脅迫文']);
  });

  test('full-width and half-width, upper and lower case are the same', async () => {
    expect(await find('LockBit')).toEqual(['ＬｏｃｋＢｉｔの脅迫文']);
    expect(await find('lockbit')).toEqual(['ＬｏｃｋＢｉｔの脅迫文']);
    expect(await find('ＬＯＣＫ')).toEqual(['ＬｏｃｋＢｉｔの脅迫文']);
  });

  test('several words must all occur (full-width space too)', async () => {
    expect(await find('メール　詐欺')).toEqual(['不審なメール', '請求書の振込先変更']);
    expect(await find('詐欺 取引先')).toEqual(['請求書の振込先変更']);
    expect(await find('詐欺 暗号化')).toEqual([]);
  });

  test('consulter fields, notes and answers are searchable', async () => {
    expect(await find('テスト商店')).toEqual(['ウイルス警告']);
    expect(await find('八王子')).toEqual(['ウイルス警告']);
    const { items } = await svc.list(supervisorE, { text: '振込先' });
    const id = items[0]!.id;
    await svc.claim(firstLineA, id);
    await svc.addNote(firstLineA, id, { body: '経理担当者と折り返し調整' });
    expect(await find('経理担当')).toEqual(['請求書の振込先変更']);
    await svc.dispatch(firstLineA, id, { specialistId: specialistC.id, coordinationNeeded: false });
    await svc.answer(specialistC, id, {
      body: '警察署に被害届を提出するよう案内',
      delivery: 'phone',
    });
    expect(await find('被害届')).toEqual(['請求書の振込先変更']);
  });

  test('query syntax characters are plain text, not operators', async () => {
    expect(await find('"')).toEqual([]);
    expect(await find('OR')).toEqual([]);
    expect(await find('%')).toEqual([]);
    expect(await find('_')).toEqual([]);
    expect(await find('詐欺 "OR" *')).toEqual([]);
    expect(await find('NEAR(')).toEqual([]);
  });

  test('nothing found is an empty page, not an error', async () => {
    expect(await svc.list(supervisorE, { text: '存在しない語句' })).toEqual({
      items: [],
      total: 0,
    });
    expect(await svc.list(supervisorE, { text: '鯖' })).toEqual({ items: [], total: 0 });
  });
});

describeEachDialect('filters and paging', (db) => {
  test('by state, channel, category, urgency, person and date range; newest first; counted', async () => {
    const clock = testClock('2026-11-26T00:00:00Z');
    const svc = makeService(db().store, clock);
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) {
      const { consultation } = await svc.create(
        firstLineA,
        intake({
          subject: `相談${String(i).padStart(2, '0')}`,
          channel: i % 3 === 0 ? 'email' : 'phone',
          categoryId: i % 2 === 0 ? 'phishing' : 'ransomware',
          urgency: i % 5 === 0 ? 'critical' : 'normal',
          receivedAt: new Date(Date.UTC(2026, 10, 1 + (i % 25), 1, 0, i)).toISOString(),
        }),
      );
      ids.push(consultation.id);
    }
    for (const id of ids.slice(0, 4)) await svc.claim(firstLineA, id);
    await svc.dispatch(firstLineA, ids[0]!, {
      specialistId: specialistC.id,
      coordinationNeeded: true,
    });

    const all = await svc.list(supervisorE, { limit: 10 });
    expect(all.total).toBe(30);
    expect(all.items).toHaveLength(10);
    const received = all.items.map((c) => c.receivedAt);
    expect(received).toEqual([...received].sort().reverse());

    const page2 = await svc.list(supervisorE, { limit: 10, offset: 10 });
    const page3 = await svc.list(supervisorE, { limit: 10, offset: 20 });
    const seen = [...all.items, ...page2.items, ...page3.items].map((c) => c.id);
    expect(new Set(seen).size).toBe(30);

    expect((await svc.list(supervisorE, { states: ['claimed'] })).total).toBe(3);
    expect((await svc.list(supervisorE, { states: ['claimed', 'dispatched'] })).total).toBe(4);
    expect((await svc.list(supervisorE, { channels: ['email'] })).total).toBe(10);
    expect(
      (await svc.list(supervisorE, { categoryIds: ['phishing'], channels: ['email'] })).total,
    ).toBe(5);
    expect((await svc.list(supervisorE, { urgencies: ['critical'] })).total).toBe(6);
    expect(
      (await svc.list(supervisorE, { personId: specialistC.id })).items.map((c) => c.id),
    ).toEqual([ids[0]]);
    expect((await svc.list(supervisorE, { personId: firstLineA.id })).total).toBe(4);

    const range = await svc.list(supervisorE, {
      receivedFrom: '2026-11-10T00:00:00Z',
      receivedBefore: '2026-11-12T00:00:00+09:00',
    });
    // Days 10 and 11 (UTC 01:00 each): i = 9, 10 only; day 11 01:00 UTC is 10:00 JST, before the bound.
    expect(range.items.map((c) => c.subject).sort()).toEqual(['相談09', '相談10']);

    const combined = await svc.list(supervisorE, {
      text: '相談0',
      states: ['received'],
      channels: ['phone'],
    });
    expect(combined.items.map((c) => c.subject).sort()).toEqual([
      '相談04',
      '相談05',
      '相談07',
      '相談08',
    ]);
  });

  test('page size is bounded', async () => {
    const svc = makeService(db().store);
    await svc.create(firstLineA, intake());
    const r = await svc.list(supervisorE, { limit: 100000, offset: -5 });
    expect(r.items).toHaveLength(1);
  });
});
