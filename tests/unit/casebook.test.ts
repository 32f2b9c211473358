import {
  caseDraft,
  caseProblems,
  casebookMarkdown,
  knownIdentifiersOf,
  markdownText,
  municipalityArea,
  sizeBand,
} from '../../src/ledger/casebook';
import {
  findIdentifiers,
  scrub,
  type IdentifierKind,
  type KnownIdentifiers,
} from '../../src/ledger/identifiers';
import type { Answer } from '../../src/consultation/types';
import { consultationRecord, EMPTY_SITUATION } from '../support/fixtures';

/** Everything the test's record knows about its consulter and staff. */
const PERSON = '鈴木 花子';
const ORG = '株式会社みどり精機';
const EMAIL = 'hanako.suzuki@midori-seiki.example.co.jp';
const PHONE = '03-5555-0123';
const STAFF = ['受付担当A', '専門員C'];

const known: KnownIdentifiers = {
  names: [PERSON, ...STAFF],
  organisations: [ORG],
  emails: [EMAIL],
  phones: [PHONE],
  places: [{ text: '世田谷区', replacement: { ja: '東京都23区内', en: "Tokyo's 23 wards" } }],
};

/** Full-width forms of ASCII text, as an IME produces them. */
const fullWidth = (s: string) =>
  s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** Strings that must never survive, compared as NFKC without spaces. */
const SECRETS = [
  '鈴木',
  '花子',
  'みどり精機',
  'hanako',
  'midori-seiki',
  '0355550123',
  '5555',
  '受付担当A',
  '専門員C',
  '世田谷',
  '1540001',
  '203.0.113.45',
  '2001:db8::7',
  'intranet.midori-seiki',
  '三軒茶屋',
  '佐藤',
  'タナカ',
  'Johnson',
  'あおば商事',
  'アクメ',
  'Bluebird',
  '09012345678',
  '9876543',
  'ミドリ',
  'スズキ',
  'ハナコ',
];

const squash = (s: string) =>
  s
    .normalize('NFKC')
    .replace(/[\s\-‐ー−()]/g, '')
    .toLowerCase();

function expectNoSecrets(text: string) {
  const flat = squash(text);
  for (const secret of SECRETS) expect(flat).not.toContain(squash(secret));
}

const INCIDENT = [
  `${ORG}の${PERSON}様より電話。鈴木さんは総務担当で、花子さんとも呼ばれている。`,
  `連絡先 ${PHONE}、携帯 090-1234-5678、メール ${EMAIL}。`,
  `所在地 〒154-0001 東京都世田谷区三軒茶屋2丁目11番22号。世田谷区の事務所。`,
  `社内サーバ intranet.midori-seiki.example.co.jp（203.0.113.45、2001:db8::7）が暗号化された。`,
  `取引先の(株)あおば商事とアクメ有限会社、Bluebird Co., Ltd. にも連絡した。`,
  `担当の佐藤さん、タナカさん、Mr. Johnson が対応。口座番号 9876543 への送金を求められた。`,
  `偽サイト https://login.midori-seiki.example.co.jp/owa を確認。`,
  `受付担当Aが聞き取り、専門員Cへ依頼。`,
].join('\n');

describe('identifiers in free text', () => {
  it('removes the record’s own identifiers and identifier patterns', () => {
    const out = scrub(INCIDENT, known);
    expectNoSecrets(out);
    // What stands in their place says what was there.
    for (const p of [
      '〔氏名〕',
      '〔組織名〕',
      '〔電話番号〕',
      '〔メールアドレス〕',
      '〔郵便番号〕',
      '〔住所〕',
      '〔IPアドレス〕',
      '〔URL〕',
      '〔番号〕',
      '〔ホスト名〕',
    ]) {
      expect(out).toContain(p);
    }
    // The municipality becomes its area; the honorific stays readable.
    expect(out).toContain('東京都23区内の事務所');
    expect(out).toContain('〔氏名〕さん');
    // What is not identifying stays.
    expect(out).toContain('暗号化された');
    expect(out).toContain('送金を求められた');
  });

  it('finds the same identifiers typed in full-width forms', () => {
    const typed = [
      `電話は${fullWidth(PHONE)}、メールは${fullWidth(EMAIL)}です。`,
      `${fullWidth('203.0.113.45')} と ${fullWidth('https://login.midori-seiki.example.co.jp/')}`,
      `〒${fullWidth('154-0001')} 、携帯${fullWidth('090')}ー${fullWidth('1234')}ー${fullWidth('5678')}`,
      `ｽｽﾞｷ ﾊﾅｺ さん（ﾐﾄﾞﾘ精機）、㈱あおば商事、鈴木\u3000花子様`,
    ].join('\n');
    const out = scrub(typed, known);
    expectNoSecrets(out);
    expect(out).not.toMatch(/[０-９Ａ-Ｚａ-ｚ＠]/);
    expect(out).not.toContain('ｽｽﾞｷ');
  });

  it('finds nothing in what it wrote itself, and writes the same again', () => {
    const once = scrub(INCIDENT, known);
    expect(findIdentifiers(once, known)).toEqual([]);
    expect(scrub(once, known)).toBe(once);
    const en = scrub(INCIDENT, known, 'en');
    expect(en).toContain('[name]');
    expect(findIdentifiers(en, known)).toEqual([]);
  });

  it.each<[string, IdentifierKind]>([
    ['yamada@example.jp', 'email'],
    ['03-1234-5678', 'phone'],
    ['(03)1234-5678', 'phone'],
    ['0312345678', 'phone'],
    ['+81-3-1234-5678', 'phone'],
    ['0120-123-456', 'phone'],
    ['https://example.com/a?b=c', 'url'],
    ['hxxp://evil.example.net/x', 'url'],
    ['www.example.org', 'url'],
    ['mail.example.co.jp', 'host'],
    ['192.168.0.1', 'ip'],
    ['fe80::1', 'ip'],
    ['2001:db8:0:0:0:0:0:1', 'ip'],
    ['〒100-0001', 'postal-code'],
    ['100-0001', 'postal-code'],
    ['千代田区千代田1-1-1', 'address'],
    ['大田区蒲田五丁目13番14号', 'address'],
    ['株式会社テスト', 'organisation'],
    ['テスト株式会社', 'organisation'],
    ['(有)テスト', 'organisation'],
    ['一般社団法人テスト協会', 'organisation'],
    ['Example Inc.', 'organisation'],
    ['高橋さん', 'name'],
    ['林さん', 'name'],
    ['ワタナベ様', 'name'],
    ['Ms. Carter', 'name'],
    ['顧客番号 12345678', 'number'],
  ])('finds %s as %s', (text, kind) => {
    const found = findIdentifiers(text);
    expect(found.map((f) => f.kind)).toContain(kind);
  });

  it.each([
    '仕様どおりに設定し、同様の被害は皆様の環境でも起こり得ます。お客様と担当者様へ。',
    '時刻は 14:05:30 でした。Windows 10 と Office 2021 を使用。',
    'CVE-2024-123456 の修正を適用。被害額は 3500000円、従業員 120名。',
    'IPA 情報セキュリティ安心相談窓口（03-5978-7509、anshin@ipa.go.jp）に相談してください。',
    '手順は https://www.ipa.go.jp/security/anshin/about.html と https://www.keishicho.metro.tokyo.lg.jp/ にあります。',
    '拡張子が .lockbit に変わった。invoice.pdf.exe を開いた。',
    '株式会社の場合は取締役会に報告。',
  ])('leaves alone what identifies no one: %s', (text) => {
    expect(findIdentifiers(text)).toEqual([]);
  });
});

describe('generalised facts', () => {
  it.each([
    [null, '規模不明'],
    [0, '小規模（〜20名）'],
    [20, '小規模（〜20名）'],
    [21, '中規模（21〜100名）'],
    [100, '中規模（21〜100名）'],
    [101, '中堅（101〜300名）'],
    [300, '中堅（101〜300名）'],
    [301, '大規模（301名以上）'],
  ])('employees %p → %s', (n, band) => {
    expect(sizeBand(n).ja).toBe(band);
  });

  it.each([
    ['大田区', '東京都23区内'],
    ['東京都港区', '東京都23区内'],
    ['北区赤羽', '東京都23区内'],
    ['八王子市', '多摩地域'],
    ['東京都 府中市', '多摩地域'],
    ['西東京市', '多摩地域'],
    ['八丈町', '島しょ部'],
    ['小笠原村', '島しょ部'],
    ['横浜市（神奈川県）', '東京都外'],
    ['どこか', '地域不明'],
  ])('%s → %s', (m, area) => {
    expect(municipalityArea(m)?.ja).toBe(area);
  });

  it('has no area without a municipality', () => {
    expect(municipalityArea(null)).toBeUndefined();
    expect(municipalityArea('  ')).toBeUndefined();
  });
});

function answer(body: string, over: Partial<Answer> = {}): Answer {
  return {
    id: 1,
    consultationId: 7,
    author: { id: 'oid-sp-c', name: '専門員C' },
    line: 'second',
    body,
    delivery: 'email',
    createdAt: '2026-11-25T03:00:00.000Z',
    deliveryStatus: 'sent',
    email: {
      method: 'new',
      to: [EMAIL],
      cc: ['keiri@midori-seiki.example.co.jp'],
      subject: '回答',
      inReplyTo: null,
      sentMessageId: null,
      internetMessageId: null,
    },
    lastError: null,
    attempts: 1,
    deliveryUpdatedAt: '2026-11-25T03:00:00.000Z',
    ...over,
  };
}

describe('a case draft', () => {
  const record = consultationRecord({
    state: 'closed',
    // 2026-11-30T15:30Z is 1 December in Tokyo.
    receivedAt: '2026-11-30T15:30:00.000Z',
    consulter: {
      organisation: ORG,
      person: PERSON,
      email: EMAIL,
      phone: PHONE,
      industry: 'みどり精機の製造部門（金属加工）',
      employees: 15,
      municipality: '世田谷区',
    },
    subject: `${ORG}のファイルサーバ暗号化`,
    details: INCIDENT,
    situation: {
      ...EMPTY_SITUATION,
      whatHappened: `鈴木 花子さんが${PHONE}から連絡`,
      ongoing: 'yes',
    },
    firstLineOwner: { id: 'oid-fl-a', name: '受付担当A' },
    specialist: { id: 'oid-sp-c', name: '専門員C' },
  });
  const answers = [
    answer('鈴木様、keiri@midori-seiki.example.co.jp の経理担当にも共有してください。'),
  ];
  const knownOfRecord = knownIdentifiersOf(record, answers, []);

  it('is generalised and keeps nothing identifying in any text field', () => {
    const draft = caseDraft(
      record,
      answers,
      knownOfRecord,
      { ja: 'ランサムウェア', en: 'Ransomware' },
      'ja',
    );
    expect(draft).toMatchObject({
      id: record.id,
      number: record.number,
      month: '2026-12',
      sizeBand: { ja: '小規模（〜20名）' },
      municipalityArea: { ja: '東京都23区内' },
      category: { id: 'ransomware' },
    });
    for (const field of ['title', 'industry', 'situation', 'answer'] as const) {
      expectNoSecrets(draft[field]);
    }
    expect(draft.answer).not.toContain('keiri');
    expect(draft.situation).toContain('被害は継続中か: はい');
    expect(draft.industry).toContain('金属加工');
    expect(caseProblems(draft, knownOfRecord)).toEqual([]);
  });

  it('does not take the web form for a person', () => {
    const fromWeb = consultationRecord({
      channel: 'web',
      createdBy: { id: 'system:web-form', name: 'Webフォーム' },
      details: 'Webフォームから相談。',
    });
    const k = knownIdentifiersOf(fromWeb, [], [{ id: 'system:web-form', name: 'Webフォーム' }]);
    expect(k.names).not.toContain('Webフォーム');
    expect(scrub(fromWeb.details, k)).toBe('Webフォームから相談。');
  });

  it('finds what a reviewer put back, naming the field and the kind', () => {
    const problems = caseProblems(
      {
        title: '暗号化の被害',
        industry: '製造業',
        situation: `連絡先は${fullWidth('03-5555-0123')}`,
        answer: 'ｽｽﾞｷ様には折り返し済み。すずき ではなく 鈴木 花子 様。',
      },
      knownOfRecord,
    );
    expect(problems.map((p) => [p.field, p.kind])).toEqual([
      ['situation', 'phone'],
      ['answer', 'name'],
      ['answer', 'name'],
    ]);
    expect(problems[0]!.text).toBe('03-5555-0123');
  });
});

describe('the casebook document', () => {
  it('escapes what Markdown would read as markup', () => {
    expect(markdownText('# 見出し\n- 項目\n<script>alert(1)</script> [link](x) *強調*')).toBe(
      '\\# 見出し  \n\\- 項目  \n\\<script\\>alert(1)\\</script\\> \\[link\\](x) \\*強調\\*',
    );
  });

  it('prints the generalised facts and the reviewed text, and no record number', () => {
    const md = casebookMarkdown(
      [
        {
          title: 'ファイルサーバの暗号化',
          industry: '製造業',
          situation: '共有フォルダが暗号化された。',
          answer: '# 切り離してください',
          category: { ja: 'ランサムウェア', en: 'Ransomware' },
          sizeBand: { ja: '小規模（〜20名）', en: 'Small (up to 20 employees)' },
          municipalityArea: { ja: '多摩地域', en: 'Tama area' },
          month: '2026-12',
        },
      ],
      '2027-01-05',
      'ja',
    );
    expect(md).toContain('# 相談事例集');
    expect(md).toContain('## 事例 1: ファイルサーバの暗号化');
    expect(md).toContain('- 時期: 2026年12月');
    expect(md).toContain('- 規模: 小規模（〜20名）');
    expect(md).toContain('- 地域: 多摩地域');
    expect(md).toContain('\\# 切り離してください');
    expect(md).not.toMatch(/\d{4}-\d{6}/);
  });
});
