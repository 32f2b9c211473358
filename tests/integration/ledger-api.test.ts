import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { ConsultationService } from '../../src/consultation/consultation.service';
import { directoryFromRoles } from '../../src/consultation/directory';
import type { Actor } from '../../src/consultation/types';
import { CATEGORIES } from '../../src/knowledge/knowledge';
import { createLedgerSurface } from '../../src/ledger/ledger.routes';
import { LedgerService } from '../../src/ledger/ledger.service';
import { createLogger } from '../../src/logger';
import { createServer, type App } from '../../src/server/app';
import { createSignIn } from '../../src/server/auth';
import { openStore, type Store } from '../../src/store/store';
import { callApi, localTokenFor } from '../support/auth';
import { testConfig } from '../support/config';
import { intake, testClock } from '../support/fixtures';

const FL = 'aaaaaaaa-0000-4000-8000-000000000001';
const SV = 'aaaaaaaa-0000-4000-8000-000000000002';
const SP = 'aaaaaaaa-0000-4000-8000-000000000003';
const NAMES = new Map([
  [FL, 'Megan Bowen'],
  [SV, 'Patti Fernandez'],
  [SP, 'Adele Vance'],
]);
const actor = (id: string, roles: Actor['roles']): Actor => ({ id, name: NAMES.get(id)!, roles });
const firstLine = actor(FL, ['first-line']);
const specialist = actor(SP, ['specialist']);

let app: App;
let store: Store;
let base: string;
let consultations: ConsultationService;
let ledger: LedgerService;
const logged: Record<string, unknown>[] = [];
const clock = testClock('2026-11-26T01:00:00.000Z');
let flToken: string;
let svToken: string;

beforeAll(async () => {
  const config = testConfig({
    logLevel: 'info',
    roles: { 'first-line': [FL], specialist: [SP], supervisor: [SV] },
  });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim()) logged.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const logger = createLogger(config, sink);
  store = await openStore({ sqlitePath: ':memory:' });
  const directory = directoryFromRoles(config.roles);
  const categoryIds = new Set(CATEGORIES.map((c) => c.id));
  consultations = new ConsultationService({ store, directory, categoryIds, clock: clock.now });
  const names = async (ids: readonly string[]) =>
    new Map(ids.flatMap((id) => (NAMES.has(id) ? [[id, NAMES.get(id)!] as const] : [])));
  const signIn = await createSignIn({ config, directory, names });
  ledger = new LedgerService({ store, consultations, names, clock: clock.now });
  app = createServer({
    config,
    logger,
    store,
    surfaces: [
      signIn.register,
      createLedgerSurface({
        service: ledger,
        authenticate: signIn.authenticate,
        categoryIds,
        logger,
      }),
    ],
  });
  base = (await app.listen()).url;
  flToken = await localTokenFor(base, FL);
  svToken = await localTokenFor(base, SV);
});

afterAll(async () => {
  await app?.close();
  await store?.close();
});

/** A request with the token, answering the raw response. */
function get(path: string, token: string | null): Promise<Response> {
  return fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

describe('signing in', () => {
  it.each([
    ['GET', '/api/ledger/meta'],
    ['GET', '/api/ledger/consultations'],
    ['GET', '/api/ledger/consultations/1'],
    ['GET', '/api/ledger/stats'],
    ['GET', '/api/ledger/export.csv?from=2026-11-01&to=2026-11-30'],
    ['POST', '/api/ledger/casebook/preview'],
    ['POST', '/api/ledger/casebook/export'],
    ['GET', '/api/ledger/exports'],
    ['POST', '/api/ledger/consultations/1/erase'],
    ['POST', '/api/ledger/consultations/1/edit'],
  ])('%s %s without a token is 401', async (method, path) => {
    const res = await callApi(base, path, null, method === 'POST' ? { body: {} } : {});
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('token_missing');
  });

  it('refuses a token the server did not sign', async () => {
    const res = await callApi(base, '/api/ledger/meta', `${flToken.slice(0, -4)}AAAA`);
    expect(res.status).toBe(401);
  });
});

describe('first-line staff', () => {
  it('read the ledger but may not export', async () => {
    const meta = await callApi(base, '/api/ledger/meta', flToken);
    expect(meta.status).toBe(200);
    expect(meta.body).toMatchObject({
      me: { id: FL, name: 'Megan Bowen', roles: ['first-line'] },
      canExport: false,
    });
    expect((await callApi(base, '/api/ledger/consultations', flToken)).status).toBe(200);

    const csv = await get('/api/ledger/export.csv?from=2026-11-01&to=2026-11-30', flToken);
    expect(csv.status).toBe(403);
    expect(csv.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await csv.json()) as {
      error: { code: string; message: { ja: string; en: string } };
    };
    expect(body.error.code).toBe('forbidden');
    expect(body.error.message.ja).toContain('CSV出力');
    expect(body.error.message.en).toContain('supervisors');

    for (const path of ['/api/ledger/casebook/preview', '/api/ledger/casebook/export']) {
      const res = await callApi(base, path, flToken, {
        body: { ids: [1], cases: [{ id: 1, title: 't', situation: 's', answer: 'a' }] },
      });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    const exports = await callApi(base, '/api/ledger/exports', flToken);
    expect(exports.status).toBe(403);
    expect(exports.body.error.code).toBe('forbidden');
  });
});

describe('bad parameters', () => {
  it('are named, each in Japanese and English', async () => {
    const res = await callApi(
      base,
      '/api/ledger/consultations?state=received,bogus&from=2026-02-30&to=2026-01-01&pageSize=500&page=0&category=nope',
      flToken,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation');
    const fields = res.body.error.details.fields;
    expect(Object.keys(fields).sort()).toEqual(['category', 'from', 'page', 'pageSize', 'state']);
    expect(fields.state.ja).toContain('bogus');
    expect(fields.from.ja).toContain('YYYY-MM-DD');
    expect(fields.pageSize.en).toContain('1 to 100');

    const reversed = await callApi(
      base,
      '/api/ledger/consultations?from=2026-11-02&to=2026-11-01',
      flToken,
    );
    expect(reversed.body.error.details.fields.to.ja).toContain('前');

    const stats = await callApi(base, '/api/ledger/stats?from=2024-01&to=2026-01', flToken);
    expect(stats.status).toBe(400);
    expect(stats.body.error.details.fields.to.ja).toContain('24か月');

    const csv = await callApi(base, '/api/ledger/export.csv?from=2026-11-01', svToken);
    expect(csv.status).toBe(400);
    expect(Object.keys(csv.body.error.details.fields)).toEqual(['to']);

    expect((await callApi(base, '/api/ledger/consultations/abc', flToken)).status).toBe(400);
    const missing = await callApi(base, '/api/ledger/consultations/99999', flToken);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });
});

describe('the CSV export', () => {
  it('keeps Japanese, commas, quotes and line breaks, one row per record, formulas made inert, and logs the access', async () => {
    // 2026-11-01 00:00 in Tokyo, and the day after the range: only the first is exported.
    clock.advance(Date.parse('2026-10-31T15:00:00.000Z') - clock.now().getTime());
    const inRange = await consultations.create(
      firstLine,
      intake({
        subject: 'サーバ停止, "至急"\n二行目',
        details: '=HYPERLINK("http://evil.example","クリック")',
        consulter: {
          organisation: '@株式会社カンマ,テスト',
          person: '山田 太郎',
          email: 'yamada@sample.example.jp',
          phone: '+81-3-1234-5678',
          industry: '-製造業',
          employees: '12',
          municipality: '大田区',
        },
        tags: ['ランサム', '至急'],
      }),
    );
    const second = await consultations.create(firstLine, intake({ subject: '二件目' }));
    clock.advance(Date.parse('2026-12-01T00:00:00.000Z') - clock.now().getTime());
    await consultations.create(firstLine, intake({ subject: '範囲外' }));

    const res = await get('/api/ledger/export.csv?from=2026-11-01&to=2026-11-30', svToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="madoguchi-2026-11-01-2026-11-30.csv"',
    );
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

    const rows = parse(bytes, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(2);
    const [a, b] = rows;
    expect(a!['相談番号']).toBe(inRange.consultation.number);
    expect(b!['相談番号']).toBe(second.consultation.number);
    expect(a!['件名']).toBe('サーバ停止, "至急"\n二行目');
    expect(a!['相談内容']).toBe(`'=HYPERLINK("http://evil.example","クリック")`);
    expect(a!['事業者名']).toBe(`'@株式会社カンマ,テスト`);
    expect(a!['電話番号']).toBe(`'+81-3-1234-5678`);
    expect(a!['業種']).toBe(`'-製造業`);
    expect(a!['相談者名']).toBe('山田 太郎');
    expect(a!['受付日時']).toBe('2026-11-01 00:00');
    expect(a!['受付経路']).toBe('電話');
    expect(a!['相談分類']).toBe('ランサムウェア');
    expect(a!['所在地（区市町村）']).toBe('大田区');
    expect(a!['タグ']).toBe('ランサム 至急');

    const line = logged.find((l) => l.msg === 'ledger CSV exported');
    expect(line).toMatchObject({
      userId: SV,
      rangeFrom: '2026-11-01',
      rangeTo: '2026-11-30',
      count: 2,
    });
    // Kept with the records too: the supervisors' list of exports.
    const exports = await callApi(base, '/api/ledger/exports', svToken);
    expect(exports.status).toBe(200);
    expect(exports.body.items[0]).toEqual({
      id: expect.any(Number),
      kind: 'csv',
      by: { id: SV, name: expect.any(String) },
      at: expect.stringMatching(/^2026-12-01T/),
      range: { from: '2026-11-01', to: '2026-11-30' },
      count: 2,
      consultationIds: [],
      outcome: 'complete',
    });
    const everything = JSON.stringify(logged);
    for (const secret of ['サーバ停止', 'HYPERLINK', '山田', 'yamada@', '1234-5678']) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe('a record', () => {
  it('comes with the same consulter’s other records, newest first, saying what each shares', async () => {
    const consulter = (organisation: string, email: string | null) => ({
      consulter: { organisation, person: '窓辺 一郎', email, phone: null },
    });
    const create = async (over: Record<string, unknown>) => {
      clock.advance(60_000);
      return (await consultations.create(firstLine, intake(over))).consultation;
    };
    const first = await create({ ...consulter('合同会社まどべ', null), subject: '最初の相談' });
    const second = await create(consulter('まどべ', 'info@madobe.example.jp'));
    const now = await create(consulter('合同会社 まどべ', 'INFO@madobe.example.jp'));

    const res = await callApi(base, `/api/ledger/consultations/${now.id}`, flToken);
    expect(res.status).toBe(200);
    expect(res.body.related).toEqual({
      items: [
        {
          id: second.id,
          number: second.number,
          receivedAt: second.receivedAt,
          state: 'received',
          categoryId: 'ransomware',
          subject: 'ファイルが開けない',
          closedAt: null,
          matchedBy: ['organisation', 'email'],
        },
        {
          id: first.id,
          number: first.number,
          receivedAt: first.receivedAt,
          state: 'received',
          categoryId: 'ransomware',
          subject: '最初の相談',
          closedAt: null,
          matchedBy: ['organisation'],
        },
      ],
      total: 2,
    });
    // The earliest finds the later ones the same way.
    const earliest = await callApi(base, `/api/ledger/consultations/${first.id}`, flToken);
    expect(earliest.body.related.items.map((i: { id: number }) => i.id)).toEqual([
      now.id,
      second.id,
    ]);
  });
});

describe('similar past cases', () => {
  it('come with a record: the closest answered case of its category first, with the start of its answer', async () => {
    const supervisor = actor(SV, ['supervisor']);
    const past = async (subject: string, details: string, answer: string) => {
      clock.advance(60_000);
      const { consultation: c } = await consultations.create(
        firstLine,
        intake({ categoryId: 'ddos', subject, details }),
      );
      await consultations.claim(firstLine, c.id);
      await consultations.answer(firstLine, c.id, { body: answer, delivery: 'phone' });
      await consultations.close(supervisor, c.id, {});
      return c;
    };
    const close = await past(
      'ウェブサイトが表示されない',
      '大量のアクセスでウェブサイトが表示されなくなった。',
      '回線事業者に相談し、'.repeat(40),
    );
    const far = await past(
      '問い合わせフォームの迷惑投稿',
      '毎日何百件も投稿される。',
      '認証を入れる。',
    );
    clock.advance(60_000);
    const { consultation: now } = await consultations.create(
      firstLine,
      intake({
        categoryId: 'ddos',
        subject: 'ウェブサイトが表示されなくなった',
        details: '朝から大量のアクセスがあり、ウェブサイトが表示されない。',
      }),
    );

    const res = await callApi(base, `/api/ledger/consultations/${now.id}`, flToken);
    expect(res.status).toBe(200);
    const similar = res.body.similar as Array<{
      id: number;
      likeness: number;
      answer: { excerpt: string };
    }>;
    expect(similar.map((s) => s.id)).toEqual([close.id, far.id]);
    expect(similar[0]).toMatchObject({
      number: close.number,
      subject: 'ウェブサイトが表示されない',
      answer: { truncated: true, line: 'first', author: { id: FL, name: 'Megan Bowen' } },
    });
    expect([...similar[0]!.answer.excerpt]).toHaveLength(300);
    expect(similar[0]!.likeness).toBeGreaterThan(similar[1]!.likeness);
    expect(similar[1]!.answer).toMatchObject({ excerpt: '認証を入れる。', truncated: false });
  });
});

describe('one consulter’s consultations, listed', () => {
  it('are the record asked for and every other of its consulter, with the other filters', async () => {
    const consulter = (
      organisation: string | null,
      email: string | null,
      phone: string | null,
    ) => ({
      consulter: { organisation, person: '縁側 花子', email, phone },
    });
    const create = async (over: Record<string, unknown>) => {
      clock.advance(60_000);
      return (await consultations.create(firstLine, intake(over))).consultation;
    };
    const byPhone = await create(consulter(null, null, '045-111-2222'));
    const byName = await create(consulter('株式会社えんがわ', null, null));
    await create(consulter('株式会社よそ', 'info@yoso.example.jp', '045-999-0000'));
    const asked = await create(
      consulter('えんがわ株式会社', 'hanako@engawa.example.jp', '045(111)2222'),
    );
    const byEmail = await create(consulter('別の屋号', 'Hanako@Engawa.example.jp', null));
    await consultations.claim(firstLine, byName.id);

    const ids = (body: { items: Array<{ id: number }> }) => body.items.map((i) => i.id);
    const res = await callApi(base, `/api/ledger/consultations?sameAs=${asked.id}`, flToken);
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual([byEmail.id, asked.id, byName.id, byPhone.id]);
    expect(res.body.total).toBe(4);
    expect(res.body.sameConsulter).toEqual({
      id: asked.id,
      number: asked.number,
      organisation: 'えんがわ株式会社',
      person: '縁側 花子',
    });
    // Any of them lists the same consulter's records through its own keys.
    const fromPhone = await callApi(
      base,
      `/api/ledger/consultations?sameAs=${byPhone.id}`,
      flToken,
    );
    expect(ids(fromPhone.body)).toEqual([asked.id, byPhone.id]);
    // Together with the other filters, and paged.
    const claimed = await callApi(
      base,
      `/api/ledger/consultations?sameAs=${asked.id}&state=claimed`,
      flToken,
    );
    expect(ids(claimed.body)).toEqual([byName.id]);
    const second = await callApi(
      base,
      `/api/ledger/consultations?sameAs=${asked.id}&pageSize=3&page=2`,
      flToken,
    );
    expect(ids(second.body)).toEqual([byPhone.id]);
    expect(second.body.total).toBe(4);
    // Without the parameter the list names no consulter.
    const all = await callApi(base, '/api/ledger/consultations?pageSize=1', flToken);
    expect(all.body.sameConsulter).toBeNull();
  });

  it('of a record that names nobody, or is not there, or is not an id', async () => {
    const { consultation: anonymous } = await consultations.create(
      firstLine,
      intake({ consulter: { organisation: null, person: null, email: null, phone: null } }),
    );
    const alone = await callApi(base, `/api/ledger/consultations?sameAs=${anonymous.id}`, flToken);
    expect(alone.body.items.map((i: { id: number }) => i.id)).toEqual([anonymous.id]);

    const missing = await callApi(base, '/api/ledger/consultations?sameAs=99999', flToken);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    const bad = await callApi(base, '/api/ledger/consultations?sameAs=2026-000001', flToken);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields.sameAs.ja).toContain('記録のID');
    expect(bad.body.error.details.fields.sameAs.en).toContain('id of a record');
  });
});

describe('the 事例集', () => {
  const PERSON = '佐々木 次郎';
  const ORG = '有限会社ひかり電設';
  const EMAIL = 'jiro.sasaki@hikari-densetsu.example.jp';
  const PHONE = '042-555-0198';

  it('previews without the record’s identifiers, exports Markdown, and refuses text that still identifies', async () => {
    clock.advance(60_000);
    const { consultation: c } = await consultations.create(
      firstLine,
      intake({
        channel: 'email',
        categoryId: 'bec',
        subject: `${ORG}：取引先を装った請求書メール`,
        details:
          `${ORG}の佐々木様（${'０４２－５５５－０１９８'}）より。` +
          `経理の佐々木さんが ${'ｊｉｒｏ．ｓａｓａｋｉ＠ｈｉｋａｒｉ－ｄｅｎｓｅｔｓｕ．ｅｘａｍｐｌｅ．ｊｐ'} 宛のメールを受け、` +
          `口座 1234567 に振り込んだ。事務所は〒190-0012 立川市曙町2-1-1。`,
        consulter: {
          organisation: ORG,
          person: PERSON,
          email: EMAIL,
          phone: PHONE,
          industry: '電気工事業',
          employees: '8',
          municipality: '立川市',
        },
      }),
    );
    await consultations.claim(firstLine, c.id);
    await consultations.dispatch(firstLine, c.id, {
      specialistId: SP,
      coordinationNeeded: true,
      reason: '警察への相談を調整',
    });
    await consultations.answer(specialist, c.id, {
      body: `佐々木様。Megan Bowen から引き継ぎました Adele Vance です。振込先の銀行と警察（03-5805-1731）に連絡してください。`,
      delivery: 'email',
    });
    await consultations.close(specialist, c.id);

    const notClosed = await consultations.create(firstLine, intake());
    const refused = await callApi(base, '/api/ledger/casebook/preview', svToken, {
      body: { ids: [c.id, notClosed.consultation.id] },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.fields.ids.ja).toContain(notClosed.consultation.number);

    const preview = await callApi(base, '/api/ledger/casebook/preview', svToken, {
      body: { ids: [c.id] },
    });
    expect(preview.status).toBe(200);
    const draft = preview.body.cases[0];
    expect(draft).toMatchObject({
      id: c.id,
      month: '2026-12',
      sizeBand: { ja: '小規模（〜20名）' },
      municipalityArea: { ja: '多摩地域' },
      industry: '電気工事業',
      category: { id: 'bec' },
    });
    const shown = JSON.stringify([draft.title, draft.industry, draft.situation, draft.answer])
      .normalize('NFKC')
      .replace(/[\s-]/g, '');
    for (const secret of [
      '佐々木',
      '次郎',
      'ひかり電設',
      'jiro',
      'sasaki',
      'hikari',
      '0425550198',
      '5550198',
      '1234567',
      '1900012',
      '立川',
      '曙町',
      'Megan',
      'Bowen',
      'Adele',
      'Vance',
    ]) {
      expect(shown).not.toContain(secret);
    }
    // The police's public number stays: it is where consulters are sent.
    expect(draft.answer).toContain('03-5805-1731');

    const exported = await fetch(`${base}/api/ledger/casebook/export`, {
      method: 'POST',
      headers: { authorization: `Bearer ${svToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        cases: [
          {
            id: c.id,
            title: draft.title,
            industry: draft.industry,
            situation: draft.situation,
            answer: draft.answer,
          },
        ],
      }),
    });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(exported.headers.get('content-disposition')).toMatch(
      /^attachment; filename="madoguchi-casebook-\d{4}-\d{2}-\d{2}\.md"$/,
    );
    const md = await exported.text();
    expect(md).toContain('# 相談事例集');
    expect(md).toContain('- 地域: 多摩地域');
    expect(md).not.toContain(c.number);
    expect(md.normalize('NFKC')).not.toContain('佐々木');

    // A reviewer typed the consulter's phone back in, in full width, and a name.
    const again = await callApi(base, '/api/ledger/casebook/export', svToken, {
      body: {
        cases: [
          {
            id: c.id,
            title: draft.title,
            industry: draft.industry,
            situation: `${draft.situation}\n折り返しは０４２－５５５－０１９８へ。`,
            answer: `ササキ様へ。${draft.answer}`,
          },
        ],
      },
    });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('validation');
    expect(again.body.error.details.problems).toEqual([
      expect.objectContaining({ id: c.id, number: c.number, field: 'situation', kind: 'phone' }),
      expect.objectContaining({ id: c.id, number: c.number, field: 'answer', kind: 'name' }),
    ]);
    expect(again.body.error.details.fields['cases.0.situation'].ja).toContain('電話番号');

    // The export that went through is listed; the refused one is not.
    const exports = await callApi(base, '/api/ledger/exports', svToken);
    expect(exports.body.items.filter((e: { kind: string }) => e.kind === 'casebook')).toEqual([
      expect.objectContaining({
        kind: 'casebook',
        by: expect.objectContaining({ id: SV }),
        range: null,
        count: 1,
        consultationIds: [c.id],
        outcome: 'complete',
      }),
    ]);
  });
});

describe('erasing a record’s personal data', () => {
  async function closedRecord() {
    clock.advance(60_000);
    const { consultation: c } = await consultations.create(
      firstLine,
      intake({
        subject: '消去される件名',
        consulter: { person: '消去 太郎', phone: '03-0000-1111' },
      }),
    );
    await consultations.claim(firstLine, c.id);
    await consultations.answer(firstLine, c.id, { body: '消去 太郎様への回答', delivery: 'phone' });
    const closed = await consultations.close(firstLine, c.id);
    return closed.consultation;
  }
  const erase = (id: number, token: string, body: unknown) =>
    callApi(base, `/api/ledger/consultations/${id}/erase`, token, { body });

  it('is a supervisor’s act: the answer and the record then show it erased, and a second time changes nothing', async () => {
    const c = await closedRecord();
    clock.advance(60_000);
    const res = await erase(c.id, svToken, { confirmNumber: c.number, version: c.version });
    expect(res.status).toBe(200);
    expect(res.body.consultation).toMatchObject({
      id: c.id,
      number: c.number,
      state: 'closed',
      subject: '',
      details: '',
      consulter: { person: null, phone: null },
      erasure: { at: clock.now().toISOString(), reason: 'request' },
      version: c.version + 1,
    });
    expect(res.body.canErase).toBe(false);
    // No consulter is left to have other records.
    expect(res.body.related).toEqual({ items: [], total: 0 });
    expect(res.body.timeline.at(-1)).toMatchObject({
      kind: 'history',
      who: { id: SV },
      summary: {
        ja: '個人情報を消去しました（ご本人からの請求）',
        en: 'Erased the personal data (at the consulter’s request)',
      },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/消去 太郎|0000-1111|消去される件名/);
    const shown = await callApi(base, `/api/ledger/consultations/${c.id}`, svToken);
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual(res.body);
    expect(logged.find((l) => l.msg === 'consultation personal data erased')).toMatchObject({
      userId: SV,
      consultationId: c.id,
    });

    // Again, even with the version seen before: nothing changes, the record is answered.
    clock.advance(60_000);
    const again = await erase(c.id, svToken, { confirmNumber: c.number, version: c.version });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);

    const listed = await callApi(base, `/api/ledger/consultations?pageSize=100`, flToken);
    expect(listed.body.items.find((i: { id: number }) => i.id === c.id)).toMatchObject({
      erased: true,
      subject: '',
    });
  });

  it('is refused to first-line staff, in Japanese and English', async () => {
    const c = await closedRecord();
    const res = await erase(c.id, flToken, { confirmNumber: c.number, version: c.version });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect(res.body.error.message.ja).toBe(
      '個人情報の消去は職員（スーパーバイザー）のみが行えます。',
    );
    expect(res.body.error.message.en).toBe('Only supervisors can erase personal data.');
    const shown = await callApi(base, `/api/ledger/consultations/${c.id}`, flToken);
    expect(shown.body.consultation.erasure).toBeNull();
    expect(shown.body.canErase).toBe(false);
  });

  it('names the field when the number typed is not the record’s, or the version is missing', async () => {
    const c = await closedRecord();
    const wrong = await erase(c.id, svToken, { confirmNumber: '2026-999999', version: c.version });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('validation');
    expect(wrong.body.error.details.fields).toEqual({
      confirmNumber: {
        ja: '確認のための受付番号がこの記録の受付番号と一致しません。',
        en: expect.stringContaining('does not match this record’s number'),
      },
    });
    const empty = await erase(c.id, svToken, { confirmNumber: '  ', version: c.version });
    expect(Object.keys(empty.body.error.details.fields)).toEqual(['confirmNumber']);
    const noVersion = await erase(c.id, svToken, { confirmNumber: c.number });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error.details.fields.version.ja).toContain('1以上の整数');
    const notJson = await erase(c.id, svToken, ['x']);
    expect(notJson.status).toBe(400);
    expect((await erase(0, svToken, { confirmNumber: c.number, version: 1 })).status).toBe(400);
    const missing = await erase(99999, svToken, { confirmNumber: c.number, version: 1 });
    expect(missing.status).toBe(404);
    const shown = await callApi(base, `/api/ledger/consultations/${c.id}`, svToken);
    expect(shown.body.consultation.erasure).toBeNull();
    expect(shown.body.canErase).toBe(true);
  });

  it('is refused for an open record, and for a record changed since it was shown', async () => {
    const { consultation: open } = await consultations.create(firstLine, intake());
    const refused = await erase(open.id, svToken, {
      confirmNumber: open.number,
      version: open.version,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('invalid_transition');
    expect(refused.body.error.message.ja).toContain('個人情報の消去');

    const c = await closedRecord();
    const stale = await erase(c.id, svToken, { confirmNumber: c.number, version: c.version - 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('conflict');
    expect(stale.body.error.message.ja).toContain('Megan Bowen');
    const shown = await callApi(base, `/api/ledger/consultations/${c.id}`, svToken);
    expect(shown.body.consultation.erasure).toBeNull();
  });
});

describe('correcting a record from the ledger', () => {
  const edit = (id: number, token: string, body: unknown) =>
    callApi(base, `/api/ledger/consultations/${id}/edit`, token, { body });
  const record = async (token: string) => {
    clock.advance(60_000);
    const { consultation: c } = await consultations.create(
      firstLine,
      intake({
        subject: '修正前の件名',
        consulter: { organisation: '株式会社ミス', phone: '03-1111-2222' },
      }),
    );
    const shown = await callApi(base, `/api/ledger/consultations/${c.id}`, token);
    expect(shown.body.canEdit).toBe(true);
    return shown.body as { consultation: { id: number; version: number; number: string } };
  };

  it('changes only what differs; the answer and the timeline show each field before and after', async () => {
    const { consultation: c } = await record(flToken);
    clock.advance(60_000);
    const res = await edit(c.id, flToken, {
      version: c.version,
      requestId: 'save-0000-0001',
      values: {
        'consulter.organisation': '株式会社ミズ',
        'consulter.phone': '',
        'consulter.email': 'info@mizu.example.jp',
        subject: '修正前の件名',
        'situation.ongoing': 'yes',
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.consultation).toMatchObject({
      id: c.id,
      subject: '修正前の件名',
      consulter: { organisation: '株式会社ミズ', phone: null, email: 'info@mizu.example.jp' },
      situation: { ongoing: 'yes' },
      version: c.version + 1,
    });
    expect(res.body.canEdit).toBe(true);
    const entry = res.body.timeline.at(-1);
    expect(entry).toMatchObject({ kind: 'history', who: { id: FL } });
    const changes = (entry.details.changes as Array<{ label: { ja: string } }>).map(
      (x) => x.label.ja,
    );
    expect(changes).toEqual(expect.arrayContaining(['事業者名', '電話番号', 'メールアドレス']));
    expect(changes).not.toContain('件名');
    expect(logged.find((l) => l.msg === 'consultation corrected')).toMatchObject({
      userId: FL,
      consultationId: c.id,
    });
    expect(JSON.stringify(logged)).not.toContain('株式会社ミズ');

    // The same save sent again (a retry after a lost answer): the record as it is, unchanged.
    const again = await edit(c.id, flToken, {
      version: c.version,
      requestId: 'save-0000-0001',
      values: { 'consulter.organisation': '株式会社ミズ' },
    });
    expect(again.status).toBe(200);
    expect(again.body.consultation.version).toBe(c.version + 1);
  });

  it('a save on a version someone changed meanwhile is a conflict that names them; nothing is saved', async () => {
    const { consultation: c } = await record(svToken);
    await consultations.edit(firstLine, c.id, { subject: '別の人の件名' });
    const stale = await edit(c.id, svToken, {
      version: c.version,
      values: { subject: '私の件名' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('conflict');
    expect(stale.body.error.message.ja).toContain('Megan Bowen');
    const shown = await callApi(base, `/api/ledger/consultations/${c.id}`, svToken);
    expect(shown.body.consultation.subject).toBe('別の人の件名');
  });

  it('names each field it refuses, in Japanese and English, and saves nothing', async () => {
    const { consultation: c } = await record(flToken);
    const bad = await edit(c.id, flToken, {
      version: c.version,
      values: { 'consulter.email': 'not an address', subject: '' },
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.details.fields).sort()).toEqual([
      'consulter.email',
      'subject',
    ]);
    expect(bad.body.error.details.fields.subject.ja).toBeTruthy();
    expect(bad.body.error.details.fields.subject.en).toBeTruthy();
    const shape = await edit(c.id, flToken, {
      values: { channel: 'phone', subject: 3 },
      requestId: 'x',
    });
    expect(shape.status).toBe(400);
    expect(shape.body.error.details.fields).toMatchObject({
      version: { ja: expect.stringContaining('1以上の整数') },
      channel: { ja: 'この項目は記録の修正では変更できません。' },
      subject: { en: 'Send the corrected fields as text, one string per field.' },
      requestId: { ja: expect.stringContaining('8〜64文字') },
    });
    expect((await edit(c.id, flToken, { version: c.version })).status).toBe(400);
    const shown = await callApi(base, `/api/ledger/consultations/${c.id}`, flToken);
    expect(shown.body.consultation).toMatchObject({ subject: '修正前の件名', version: c.version });
  });

  it('a closed record is corrected by supervisors only; an erased one by nobody', async () => {
    const { consultation: c } = await record(flToken);
    await consultations.claim(firstLine, c.id);
    await consultations.answer(firstLine, c.id, { body: '回答', delivery: 'phone' });
    const closed = (await consultations.close(firstLine, c.id)).consultation;
    const asFirstLine = await callApi(base, `/api/ledger/consultations/${c.id}`, flToken);
    expect(asFirstLine.body.canEdit).toBe(false);
    const refused = await edit(c.id, flToken, {
      version: closed.version,
      values: { subject: '後から' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message.ja).toBeTruthy();
    const bySupervisor = await edit(c.id, svToken, {
      version: closed.version,
      values: { subject: '後から直した件名' },
    });
    expect(bySupervisor.status).toBe(200);
    expect(bySupervisor.body.consultation.subject).toBe('後から直した件名');

    const v = bySupervisor.body.consultation.version as number;
    const erased = await callApi(base, `/api/ledger/consultations/${c.id}/erase`, svToken, {
      body: { confirmNumber: closed.number, version: v },
    });
    expect(erased.body.canEdit).toBe(false);
    const afterErasure = await edit(c.id, svToken, { version: v + 1, values: { subject: '戻す' } });
    expect(afterErasure.status).toBe(409);
    expect(afterErasure.body.error.code).toBe('erased');
  });
});

describe('an export that breaks off', () => {
  it('is listed as broken, with the rows written until then', async () => {
    const written = { rows: 0 };
    async function* rows() {
      yield '\uFEFF相談番号\r\n';
      written.rows = 1;
      yield '2026-000001\r\n';
      throw new Error('the database went away');
    }
    const failing = {
      filename: 'madoguchi-2026-11-01-2026-11-30.csv',
      chunks: rows(),
      get count() {
        return written.rows;
      },
    };
    const spy = jest.spyOn(ledger, 'exportCsv').mockResolvedValueOnce(failing);
    try {
      // The download fails: at once, or partway through the body.
      const download = get('/api/ledger/export.csv?from=2026-11-01&to=2026-11-30', svToken).then(
        (res) => res.text(),
      );
      await expect(download).rejects.toThrow();
    } finally {
      spy.mockRestore();
    }
    // The server notes it once the stream is torn down.
    let listed: { kind: string; outcome: string; count: number } | undefined;
    for (let i = 0; i < 50 && listed?.outcome !== 'broken'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      listed = (await callApi(base, '/api/ledger/exports', svToken)).body.items[0];
    }
    expect(listed).toMatchObject({ kind: 'csv', outcome: 'broken', count: 1 });
    expect(logged.find((l) => l.msg === 'ledger CSV export broke off')).toMatchObject({
      userId: SV,
      count: 1,
    });
  });
});
