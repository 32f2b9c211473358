/**
 * The ledger tab's pure modules: formatting, the address ↔ filters, the language, the
 * message table, error classification and the views' HTML.
 */
import {
  classify,
  filenameOf,
  type LedgerMeta,
  type RecordPage,
  type RelatedItem,
  type Stats,
} from '../../bot/tab/api';
import {
  addMonths,
  formatCount,
  formatDate,
  formatDateTime,
  formatMinutes,
  formatMonth,
  isDay,
  monthSpan,
  tokyoDay,
  tokyoMonth,
} from '../../bot/tab/format';
import { escapeHtml, markup, safeHref, toString } from '../../bot/tab/html';
import { pickLang } from '../../bot/tab/lang';
import { t, TAB_MESSAGES, type TabKey } from '../../bot/tab/messages';
import {
  EMPTY_FILTERS,
  filtersToApiQuery,
  parseHash,
  recordFromSubPage,
  routeToHash,
  type Filters,
  type Route,
} from '../../bot/tab/route';
import { failurePanel, Labels } from '../../bot/tab/views/common';
import { refusedFields } from '../../bot/tab/views/export';
import { filterForm, listResults } from '../../bot/tab/views/list';
import { recordView, type EditForm } from '../../bot/tab/views/record';
import { editValues, fingerprints } from '../../src/consultation/correction';
import { NO_CONSULTER } from '../support/fixtures';
import { shellHeader } from '../../bot/tab/views/shell';
import { chartSpecs, statsBody } from '../../bot/tab/views/stats';

/** Visible text of rendered HTML: tags removed, entities decoded, spaces folded. */
function text(h: { __html: string }): string {
  return h.__html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

const META: LedgerMeta = {
  me: { id: 'u1', name: '職員E', roles: ['supervisor'] },
  canExport: true,
  labels: {
    states: [
      { id: 'received', label: { ja: '受付', en: 'Received' } },
      { id: 'claimed', label: { ja: '一次対応中', en: 'Claimed' } },
      { id: 'closed', label: { ja: '完了', en: 'Closed' } },
    ],
    channels: [
      { id: 'phone', label: { ja: '電話', en: 'Phone' } },
      { id: 'web', label: { ja: 'Webフォーム', en: 'Web form' } },
    ],
    urgencies: [
      { id: 'normal', label: { ja: '通常', en: 'Normal' } },
      { id: 'critical', label: { ja: '緊急', en: 'Critical' } },
    ],
    categories: [
      { id: 'ransomware', label: { ja: 'ランサムウェア', en: 'Ransomware' } },
      { id: 'phishing', label: { ja: 'フィッシング', en: 'Phishing' } },
      { id: 'other', label: { ja: 'その他', en: 'Other' } },
    ],
    erasureReasons: [
      { id: 'retention', label: { ja: '保存期間の終了', en: 'retention period ended' } },
      { id: 'request', label: { ja: 'ご本人からの請求', en: 'at the consulter’s request' } },
    ],
    handlings: [
      { id: 'firstLine', label: { ja: '一次対応で完結', en: 'Completed at first line' } },
      { id: 'secondLine', label: { ja: '二次対応へ依頼', en: 'Dispatched to a specialist' } },
      { id: 'open', label: { ja: '対応中（依頼なし）', en: 'Open, not dispatched' } },
    ],
  },
  people: [{ id: 'u2', name: '受付担当A' }],
};
const labels = new Labels(META);

/** The API's refusal of the given fields (400), as the page classifies it. */
const refusal = (fields: Record<string, { ja: string; en: string }>) =>
  classify(400, {
    error: {
      code: 'validation',
      message: { ja: '入力内容に誤りがあります。', en: 'Some fields are not valid.' },
      details: { fields },
    },
  });

describe('formatting', () => {
  it('counts records, with 「以上」 when the server stopped counting', () => {
    expect(formatCount(1234, false, 'ja')).toBe('1,234件');
    expect(formatCount(1000, true, 'ja')).toBe('1,000件以上');
    expect(formatCount(0, false, 'ja')).toBe('0件');
    expect(formatCount(1234, false, 'en')).toBe('1,234 consultations');
    expect(formatCount(1, false, 'en')).toBe('1 consultation');
    expect(formatCount(1000, true, 'en')).toBe('1,000+ consultations');
  });

  it('shows instants in Tokyo time, whatever the zone of the machine', () => {
    // 15:30 UTC is 00:30 the next day in Tokyo.
    expect(formatDateTime('2026-11-25T15:30:00.000Z')).toBe('2026/11/26 00:30');
    expect(formatDate('2026-12-31T15:00:00Z')).toBe('2027/01/01');
    expect(formatDateTime('not a date')).toBe('');
    expect(tokyoDay(new Date('2026-11-30T15:00:00Z'))).toBe('2026-12-01');
    expect(tokyoDay(new Date('2026-11-30T14:59:59Z'))).toBe('2026-11-30');
    expect(tokyoMonth(new Date('2026-03-31T15:00:00Z'))).toBe('2026-04');
  });

  it('names months and moves between them across years', () => {
    expect(formatMonth('2026-01', 'ja')).toBe('2026年1月');
    expect(formatMonth('2026-01', 'en')).toBe('Jan 2026');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-11', -11)).toBe('2025-12');
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(monthSpan('2025-12', '2026-11')).toBe(12);
    expect(monthSpan('2026-13', '2026-11')).toBe(-1);
  });

  it('accepts only real calendar days', () => {
    expect(isDay('2026-02-28')).toBe(true);
    expect(isDay('2026-02-30')).toBe(false);
    expect(isDay('2026-2-3')).toBe(false);
    expect(isDay('')).toBe(false);
  });

  it('says durations in minutes, hours and days', () => {
    expect(formatMinutes(45, 'ja')).toBe('45分');
    expect(formatMinutes(125, 'ja')).toBe('2時間5分');
    expect(formatMinutes(60 * 24 + 60, 'ja')).toBe('1日1時間');
    expect(formatMinutes(125, 'en')).toBe('2 h 5 min');
    expect(formatMinutes(60, 'ja')).toBe('1時間');
    expect(formatMinutes(60 * 48, 'ja')).toBe('2日');
    expect(formatMinutes(59.6, 'ja')).toBe('1時間');
    expect(formatMinutes(null, 'ja')).toBe('—');
    expect(formatMinutes(0.4, 'ja')).toBe('1分未満');
    expect(formatMinutes(0, 'en')).toBe('under 1 min');
    expect(formatMinutes(0.6, 'ja')).toBe('1分');
  });
});

describe('the address ↔ the filters', () => {
  const filters: Filters = {
    q: 'ランサム 暗号化',
    states: ['received', 'claimed'],
    channel: 'email',
    category: 'ransomware',
    urgency: 'critical',
    person: '00000000-0000-0000-0000-0000000000020',
    from: '2026-11-01',
    to: '2026-11-30',
    sameAs: 12,
    page: 3,
  };

  it('gives back the same filters from their hash', () => {
    const hash = routeToHash({ view: 'list', filters });
    expect(hash.startsWith('#/list?')).toBe(true);
    expect(parseHash(hash)).toEqual({ view: 'list', filters });
  });

  it('leaves out empty filters and page 1', () => {
    expect(routeToHash({ view: 'list', filters: EMPTY_FILTERS })).toBe('#/list');
    expect(routeToHash({ view: 'list', filters: { ...EMPTY_FILTERS, states: ['closed'] } })).toBe(
      '#/list?state=closed',
    );
  });

  it('drops values that are not valid instead of sending them', () => {
    const route = parseHash(
      '#/list?state=received,bogus,received&channel=fax&urgency=x&from=2026-02-30&page=-2&sameAs=2026-000012',
    );
    expect(route).toEqual({
      view: 'list',
      filters: { ...EMPTY_FILTERS, states: ['received'] },
    });
  });

  it('builds the API query with paging', () => {
    const q = new URLSearchParams(filtersToApiQuery(filters, 50));
    expect(q.get('q')).toBe('ランサム 暗号化');
    expect(q.get('state')).toBe('received,claimed');
    expect(q.get('channel')).toBe('email');
    expect(q.get('category')).toBe('ransomware');
    expect(q.get('urgency')).toBe('critical');
    expect(q.get('person')).toBe(filters.person);
    expect(q.get('from')).toBe('2026-11-01');
    expect(q.get('to')).toBe('2026-11-30');
    expect(q.get('sameAs')).toBe('12');
    expect(q.get('page')).toBe('3');
    expect(q.get('pageSize')).toBe('50');
    expect(filtersToApiQuery(EMPTY_FILTERS, 50)).toBe('page=1&pageSize=50');
  });

  it('routes to a record, the statistics and the export; anything else is the list', () => {
    const routes: Route[] = [
      { view: 'record', id: 42 },
      { view: 'stats', from: '2026-01', to: '2026-12' },
      { view: 'stats', from: '', to: '' },
      { view: 'export' },
    ];
    for (const r of routes) expect(parseHash(routeToHash(r))).toEqual(r);
    expect(parseHash('#/consultations/abc').view).toBe('list');
    expect(parseHash('#/stats?from=2026-13').view).toBe('stats');
    expect(parseHash('#/stats?from=2026-13')).toEqual({ view: 'stats', from: '', to: '' });
    expect(parseHash('').view).toBe('list');
  });

  it('opens the record a Teams deep link names', () => {
    expect(recordFromSubPage('12')).toBe(12);
    expect(recordFromSubPage('consultation:12')).toBe(12);
    expect(recordFromSubPage('')).toBeNull();
    expect(recordFromSubPage('x')).toBeNull();
  });
});

describe('the language', () => {
  it('is Japanese first; English when the switch, the host or the browser says so', () => {
    expect(pickLang({})).toBe('ja');
    expect(pickLang({ hostLocale: 'en-us' })).toBe('en');
    expect(pickLang({ hostLocale: 'ja-jp', browser: ['en-US'] })).toBe('ja');
    expect(pickLang({ hostLocale: 'fr-fr', browser: ['en-US'] })).toBe('ja');
    expect(pickLang({ browser: ['fr-FR', 'en-GB', 'ja'] })).toBe('en');
    expect(pickLang({ browser: ['ja-JP', 'en'] })).toBe('ja');
    expect(pickLang({ chosen: 'ja', hostLocale: 'en-us' })).toBe('ja');
    expect(pickLang({ chosen: 'en', hostLocale: 'ja-jp' })).toBe('en');
    expect(pickLang({ chosen: 'xx', hostLocale: 'en-gb' })).toBe('en');
  });
});

describe('the message table', () => {
  const keys = Object.keys(TAB_MESSAGES) as TabKey[];
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it('has every message in Japanese and English, with the same placeholders', () => {
    expect(keys.length).toBeGreaterThan(100);
    for (const key of keys) {
      const m = TAB_MESSAGES[key];
      expect({ key, ja: m.ja.trim().length > 0, en: m.en.trim().length > 0 }).toEqual({
        key,
        ja: true,
        en: true,
      });
      expect({ key, p: placeholders(m.ja) }).toEqual({ key, p: placeholders(m.en) });
    }
  });

  it('is written in Japanese on the Japanese side', () => {
    const japanese = /[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]/;
    const notJapanese = keys.filter((k) => !japanese.test(TAB_MESSAGES[k].ja));
    // Only a dash, a name placeholder and the language switch's own name are not Japanese.
    expect(notJapanese.sort()).toEqual(
      ['duration.none', 'lang.switchTo', 'timeline.by', 'value.none'].sort(),
    );
  });

  it('fills placeholders', () => {
    expect(t('record.title', 'ja', { number: '2026-000001' })).toBe('相談 2026-000001');
    expect(t('record.title', 'en', { number: '2026-000001' })).toBe('Consultation 2026-000001');
  });
});

describe('HTML from templates', () => {
  it('escapes what is interpolated and keeps what is already HTML', () => {
    const evil = '<img src=x onerror="alert(1)">&';
    expect(toString(markup`<p title="${evil}">${evil}</p>`)).toBe(
      `<p title="${escapeHtml(evil)}">${escapeHtml(evil)}</p>`,
    );
    expect(toString(markup`<ul>${['a', 'b'].map((x) => markup`<li>${x}</li>`)}</ul>`)).toBe(
      '<ul><li>a</li><li>b</li></ul>',
    );
    expect(toString(markup`${null}${undefined}${false}${0}`)).toBe('0');
  });

  it('opens only web, mail, phone and Teams links', () => {
    expect(safeHref('https://teams.microsoft.com/l/message/a/b')).toBe(
      'https://teams.microsoft.com/l/message/a/b',
    );
    expect(safeHref('javascript:alert(1)')).toBe('#');
    expect(safeHref(' JAVASCRIPT:alert(1)')).toBe('#');
  });
});

describe('errors from the API', () => {
  it('are classified by status, keeping the server’s message and field errors', () => {
    const body = {
      error: {
        code: 'validation',
        message: { ja: '入力内容に誤りがあります。', en: 'Some fields are not valid.' },
        details: { fields: { from: { ja: '開始日が正しくありません。', en: 'bad from' } } },
      },
    };
    const f = classify(400, body, 'req-1');
    expect(f).toMatchObject({
      kind: 'validation',
      status: 400,
      code: 'validation',
      requestId: 'req-1',
    });
    expect(f.fields).toEqual({ from: { ja: '開始日が正しくありません。', en: 'bad from' } });
    expect(classify(401, null).kind).toBe('signedOut');
    expect(classify(403, { error: { code: 'forbidden' } }).kind).toBe('forbidden');
    expect(classify(404, {}).kind).toBe('notFound');
    expect(classify(503, {}).kind).toBe('unavailable');
    expect(classify(409, { error: { code: 'conflict' } }).kind).toBe('conflict');
    expect(classify(500, '<html>').kind).toBe('server');
  });

  it('are explained with a way out: retry, or sign in again; none for a refusal', () => {
    const network = failurePanel({ kind: 'network', status: 0 }, 'ja');
    expect(text(network)).toContain('サーバーに接続できません');
    expect(network.__html).toContain('data-action="retry"');
    const signedOut = failurePanel({ kind: 'signedOut', status: 401 }, 'ja');
    expect(text(signedOut)).toContain('サインインが必要です');
    expect(signedOut.__html).toContain('data-action="sign-in"');
    const forbidden = failurePanel({ kind: 'forbidden', status: 403 }, 'en');
    expect(text(forbidden)).toContain('You are not allowed');
    expect(forbidden.__html).not.toContain('data-action');
    const server = failurePanel({ kind: 'server', status: 500, requestId: 'abc' }, 'ja');
    expect(text(server)).toContain('サーバーでエラーが発生しました');
    expect(text(server)).toContain('問い合わせ番号: abc');
    const invalid = failurePanel(
      refusal({ to: { ja: '終了日は開始日以降にしてください。', en: 'y' } }),
      'ja',
    );
    expect(text(invalid)).toContain('終了日は開始日以降にしてください。');
  });

  it('name the downloaded file from Content-Disposition', () => {
    expect(filenameOf('attachment; filename="madoguchi-2026-11-01-2026-11-30.csv"', 'x')).toBe(
      'madoguchi-2026-11-01-2026-11-30.csv',
    );
    expect(filenameOf("attachment; filename*=UTF-8''%E4%BA%8B%E4%BE%8B.md", 'x')).toBe('事例.md');
    expect(filenameOf(null, 'fallback.csv')).toBe('fallback.csv');
  });

  it('name the fields of each case an export refused', () => {
    const refused = refusedFields({
      kind: 'validation',
      status: 400,
      fields: {
        'cases.1.situation': {
          ja: 'メールアドレス「a@b.jp」が残っています',
          en: 'an email address',
        },
        ids: { ja: 'x', en: 'x' },
      },
    });
    expect([...refused.keys()]).toEqual(['1.situation']);
    expect(refusedFields(null).size).toBe(0);
  });
});

describe('the list', () => {
  const item = (id: number, over: Record<string, unknown> = {}) => ({
    id,
    number: `2026-00000${id}`,
    receivedAt: '2026-11-25T15:30:00.000Z',
    channel: 'phone',
    state: 'received',
    categoryId: 'ransomware',
    urgency: 'critical',
    subject: `件名${id}`,
    organisation: '株式会社サンプル製作所',
    firstLineOwner: null,
    specialist: null,
    erased: false,
    ...over,
  });

  it('shows the total, the rows with urgency in words, and links to each record', () => {
    const out = listResults(
      {
        kind: 'loaded',
        page: {
          items: [item(1), item(2, { urgency: 'normal', subject: '<b>太字</b>' })],
          total: 1234,
          totalIsLowerBound: false,
          page: 1,
          pageSize: 50,
          sameConsulter: null,
        },
      },
      EMPTY_FILTERS,
      labels,
      'ja',
    );
    const s = text(out);
    expect(s).toContain('1,234件');
    expect(s).toContain('1〜2件目');
    expect(s).toContain('緊急');
    expect(s).toContain('2026/11/26 00:30');
    expect(s).toContain('未割当');
    expect(out.__html).toContain('href="#/consultations/1"');
    expect(out.__html).toContain('&lt;b&gt;太字&lt;/b&gt;');
    expect(out.__html).not.toContain('<b>太字');
    expect(out.__html).toContain('<th scope="col">緊急度</th>');
    expect(s).toContain('1 / 25 ページ');
    expect(out.__html).toContain('href="#/list?page=2"');
  });

  it('shows an erased record as 「（消去済み）」', () => {
    const out = listResults(
      {
        kind: 'loaded',
        page: {
          items: [item(3, { subject: '', organisation: null, erased: true })],
          total: 1,
          totalIsLowerBound: false,
          page: 1,
          pageSize: 50,
          sameConsulter: null,
        },
      },
      EMPTY_FILTERS,
      labels,
      'ja',
    );
    expect(out.__html).toMatch(
      /<a href="#\/consultations\/3"\s*><span class="erased-subject">（消去済み）<\/span><\/a/,
    );
    expect(out.__html).toContain('class="row urgency-row-critical erased"');
  });

  it('says 「1,000件以上」 and pages on while it does not know the end', () => {
    const items = Array.from({ length: 50 }, (_, i) => item(i + 1));
    const out = listResults(
      {
        kind: 'loaded',
        page: {
          items,
          total: 1000,
          totalIsLowerBound: true,
          page: 1,
          pageSize: 50,
          sameConsulter: null,
        },
      },
      { ...EMPTY_FILTERS, q: 'ランサム' },
      labels,
      'ja',
    );
    expect(text(out)).toContain('1,000件以上');
    expect(out.__html).toContain('rel="next"');
  });

  it('has an empty state that offers to clear the filters', () => {
    const out = listResults(
      {
        kind: 'loaded',
        page: {
          items: [],
          total: 0,
          totalIsLowerBound: false,
          page: 1,
          pageSize: 50,
          sameConsulter: null,
        },
      },
      { ...EMPTY_FILTERS, q: '存在しない語' },
      labels,
      'ja',
    );
    expect(text(out)).toContain('条件に合う相談はありません。');
    expect(out.__html).toContain('data-action="clear-filters"');
    const ledgerEmpty = listResults(
      {
        kind: 'loaded',
        page: {
          items: [],
          total: 0,
          totalIsLowerBound: false,
          page: 1,
          pageSize: 50,
          sameConsulter: null,
        },
      },
      EMPTY_FILTERS,
      labels,
      'en',
    );
    expect(text(ledgerEmpty)).toContain('No consultation has been recorded yet.');
  });

  it('of one consulter says whose, links their record, and offers to drop the condition', () => {
    const filters = { ...EMPTY_FILTERS, states: ['received' as const], sameAs: 7 };
    const page = (organisation: string | null, person: string | null) => ({
      kind: 'loaded' as const,
      page: {
        items: [item(9), item(7)],
        total: 2,
        totalIsLowerBound: false,
        page: 1,
        pageSize: 50,
        sameConsulter: { id: 7, number: '2026-000007', organisation, person },
      },
    });
    const out = listResults(page('株式会社えんがわ', '縁側 花子'), filters, labels, 'ja');
    const banner = /<div class="same-consulter"[\s\S]*?<\/div>/.exec(out.__html)?.[0] ?? '';
    expect(text({ __html: banner })).toBe(
      '同じ相談者の相談のみ: 2026-000007 株式会社えんがわ 縁側 花子 この相談と、事業者名・メールアドレス・電話番号のいずれかが一致する相談です。 この条件を外す',
    );
    expect(banner).toContain('href="#/consultations/7"');
    // Dropping it keeps the other filters.
    expect(banner).toContain('href="#/list?state=received"');
    expect(out.__html.indexOf('same-consulter')).toBeLessThan(out.__html.indexOf('results-count'));
    const en = text(listResults(page(null, null), filters, labels, 'en'));
    expect(en).toContain('Only the consulter of 2026-000007 no name recorded');
    expect(en).toContain('Remove this condition');
    // A list of everyone's records says nothing of it.
    const everyone = {
      kind: 'loaded' as const,
      page: { ...page(null, null).page, sameConsulter: null },
    };
    expect(listResults(everyone, EMPTY_FILTERS, labels, 'ja').__html).not.toContain(
      'same-consulter',
    );
  });

  it('keeps the consulter condition when the form is sent again', () => {
    const form = filterForm({ ...EMPTY_FILTERS, sameAs: 7 }, labels, 'ja');
    expect(form.__html).toContain('<input type="hidden" name="sameAs" value="7" />');
    expect(filterForm(EMPTY_FILTERS, labels, 'ja').__html).not.toContain('name="sameAs"');
  });

  it('shows loading as a status', () => {
    const out = listResults({ kind: 'loading' }, EMPTY_FILTERS, labels, 'ja');
    expect(out.__html).toContain('role="status"');
    expect(text(out)).toContain('読み込み中');
  });
});

describe('the header', () => {
  it('offers 出力 only to those who may export', () => {
    const base = {
      lang: 'ja' as const,
      current: 'list' as const,
      user: { name: '職員E', roles: ['supervisor'] },
      listHash: '#/list',
    };
    expect(text(shellHeader({ ...base, canExport: true }))).toContain('出力');
    expect(text(shellHeader({ ...base, canExport: false }))).not.toContain('出力');
    expect(shellHeader({ ...base, canExport: false }).__html).toContain('aria-current="page"');
  });
});

describe('a record', () => {
  const record: RecordPage = {
    consultation: {
      id: 5,
      number: '2026-000005',
      channel: 'phone',
      state: 'claimed',
      receivedAt: '2026-11-26T01:00:00.000Z',
      consulter: {
        organisation: '株式会社サンプル製作所',
        person: '山田 太郎',
        email: 'yamada@sample.example.jp',
        phone: '03-1234-5678',
        industry: '製造業',
        employees: 35,
        municipality: '大田区',
      },
      categoryId: 'ransomware',
      urgency: 'critical',
      subject: 'ファイルが開けない',
      details: '一行目\n二行目',
      situation: {
        whatHappened: '拡張子が変わった',
        since: '本日 8:30',
        ongoing: 'yes',
        systems: null,
        dataAtRisk: 'unknown',
        actionsTaken: null,
        contacted: null,
        evidence: null,
      },
      firstLineOwner: { id: 'a', name: '受付担当A' },
      specialist: null,
      coordinationNeeded: null,
      coordinationReason: null,
      tags: [],
      closedAt: null,
      erasure: null,
      version: 3,
    },
    related: { items: [], total: 0 },
    similar: [],
    timeline: [
      {
        at: '2026-11-26T01:00:00.000Z',
        kind: 'history',
        who: { id: 'a', name: '受付担当A' },
        summary: { ja: '受付登録', en: 'Recorded' },
      },
      {
        at: '2026-11-26T01:05:00.000Z',
        kind: 'note',
        who: { id: 'a', name: '受付担当A' },
        summary: { ja: 'メモ', en: 'Note' },
        body: '折り返し電話する',
      },
      {
        at: '2026-11-26T01:10:00.000Z',
        kind: 'answer',
        who: null,
        summary: { ja: '回答（一次対応・メール）', en: 'Answer (first line, email)' },
        body: '回答本文',
        details: {
          deliveryStatus: 'failed',
          deliveryStatusLabel: { ja: 'メール未送信', en: 'Not sent' },
          lastError: {
            code: 'mail_permission',
            message: { ja: 'Microsoft Graph に拒否されました', en: 'Graph refused' },
          },
        },
      },
    ],
    teamsCardUrl: 'https://teams.microsoft.com/l/message/19%3Aabc%40thread.tacv2/1700000000000',
    destinations: [
      {
        id: 'mpd-cyber',
        name: { ja: '警視庁 サイバー犯罪対策課', en: 'MPD' },
        tel: '03-5805-1731',
      },
    ],
    canErase: false,
    canEdit: false,
  };

  describe('corrected from the page (記録を修正)', () => {
    const values = editValues(record.consultation);
    const form = (over: Partial<EditForm> = {}): EditForm => ({
      open: true,
      version: 3,
      values,
      shown: fingerprints(values),
      cautions: {},
      step: { kind: 'idle' },
      ...over,
    });

    it('is offered to whoever may correct it, and is the form in place of what it corrects', () => {
      expect(recordView(record, labels, 'ja', '#/list').__html).not.toContain('edit-open');
      const mayEdit = { ...record, canEdit: true };
      expect(recordView(mayEdit, labels, 'ja', '#/list').__html).toContain(
        'data-action="edit-open"',
      );
      const out = recordView(mayEdit, labels, 'ja', '#/list', { edit: form() });
      expect(out.__html).toContain('data-form="edit"');
      expect(out.__html).not.toContain('data-action="edit-open"');
      expect(out.__html).toContain(
        '<input\n          type="email"\n          id="edit-consulter-email"\n          name="consulter.email"\n          value="yamada@sample.example.jp"',
      );
      expect(out.__html).toMatch(
        /<textarea id="edit-details" name="details" rows="8">一行目\n二行目<\/textarea>/,
      );
      expect(out.__html).toMatch(/<option value="yes" selected>はい<\/option>/);
      const s = text(out);
      for (const label of [
        '事業者名',
        'メールアドレス',
        '件名',
        '相談内容',
        '被害は継続中か',
        '保存する',
      ])
        expect(s).toContain(label);
      // The consulter's fields are in the form, not shown twice beside it.
      expect(out.__html).not.toContain('aria-labelledby="h-consulter"');
      expect(text(recordView(mayEdit, labels, 'en', '#/list', { edit: form() }))).toContain(
        'Correct the record',
      );
      // An erased record cannot be corrected, whatever the form's state.
      const erased = {
        ...mayEdit,
        consultation: {
          ...record.consultation,
          erasure: { at: '2026-11-27T00:00:00.000Z', reason: 'request' },
        },
      };
      expect(recordView(erased, labels, 'ja', '#/list', { edit: form() }).__html).not.toContain(
        'data-form="edit"',
      );
    });

    it('keeps what was typed and says each refusal under its field', () => {
      const refused = refusal({
        'consulter.email': {
          ja: 'メールアドレスの形式ではありません。',
          en: 'Not an email address.',
        },
      });
      const typed = { ...values, 'consulter.email': 'yamada@"<x' };
      const out = recordView({ ...record, canEdit: true }, labels, 'ja', '#/list', {
        edit: form({ values: typed, step: { kind: 'failed', failure: refused } }),
      });
      expect(out.__html).toContain('value="yamada@&quot;&lt;x"');
      expect(out.__html).toContain(
        'aria-invalid="true" aria-describedby="edit-consulter-email-error"',
      );
      expect(out.__html).toContain(
        '<p class="error-inline" id="edit-consulter-email-error">メールアドレスの形式ではありません。</p>',
      );
      expect(text(out)).toContain('入力した内容はそのまま残っています');
    });

    it('after someone else’s correction: their value under a field both changed, and why', () => {
      const conflict = classify(409, {
        error: {
          code: 'conflict',
          message: { ja: '受付担当Bさんが記録を修正しました。', en: 'B corrected it.' },
        },
      });
      const out = recordView({ ...record, canEdit: true }, labels, 'ja', '#/list', {
        edit: form({
          values: { ...values, subject: '私の件名' },
          cautions: { subject: '別の人の件名', 'consulter.phone': '' },
          step: { kind: 'merged', failure: conflict },
        }),
      });
      const s = text(out);
      expect(s).toContain('他の人がこの記録を変更しました');
      expect(s).toContain('受付担当Bさんが記録を修正しました。');
      expect(out.__html).toContain(
        '<p class="caution" id="edit-subject-caution">ほかの人もこの項目を修正しました（現在の内容: 別の人の件名）。どちらにするか確かめてから保存してください。</p>',
      );
      expect(s).toContain('ほかの人はこの項目を空にしました。');
      expect(out.__html).toContain('value="私の件名"');
    });

    it('says when it brings back a correction left unsaved', () => {
      const back = recordView({ ...record, canEdit: true }, labels, 'ja', '#/list', {
        edit: form({ restored: true, values: { ...values, subject: '途中の件名' } }),
      });
      // Shown as a caution keeps its line breaks: no space of the template's around it.
      expect(back.__html).toContain(
        'data-testid="edit-restored">保存していない修正を元に戻しました。確認して保存するか、やめてください。</p>',
      );
      expect(back.__html).toContain('value="途中の件名"');
      const fresh = recordView({ ...record, canEdit: true }, labels, 'en', '#/list', {
        edit: form(),
      });
      expect(fresh.__html).not.toContain('edit-restored');
    });

    it('says it was saved, or that nothing changed', () => {
      const saved = recordView({ ...record, canEdit: true }, labels, 'ja', '#/list', {
        edit: { ...form(), open: false, step: { kind: 'done', changed: true } },
      });
      expect(text(saved)).toContain('記録を修正しました。');
      const same = recordView({ ...record, canEdit: true }, labels, 'en', '#/list', {
        edit: { ...form(), open: false, step: { kind: 'done', changed: false } },
      });
      expect(text(same)).toContain('Nothing was changed');
    });
  });

  it('shows every field, the checklist, the timeline in order and the Teams link', () => {
    const out = recordView(record, labels, 'ja', '#/list?q=x');
    const s = text(out);
    for (const v of [
      '2026-000005',
      'ファイルが開けない',
      '株式会社サンプル製作所',
      '山田 太郎',
      'yamada@sample.example.jp',
      '03-1234-5678',
      '製造業',
      '35名',
      '大田区',
      '拡張子が変わった',
      '本日 8:30',
      'はい',
      '不明',
      '受付担当A',
      '警視庁 サイバー犯罪対策課',
    ]) {
      expect(s).toContain(v);
    }
    const order = ['受付登録', '折り返し電話する', '回答（一次対応・メール）'].map((w) =>
      s.indexOf(w),
    );
    // An answer says where its email stands, and why it failed.
    expect(s).toContain('回答（一次対応・メール） メール未送信');
    expect(s).toContain('Microsoft Graph に拒否されました');
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order[0]).toBeGreaterThan(-1);
    expect(s).toContain('システム'); // the entry without a person
    expect(out.__html).toContain(`href="${record.teamsCardUrl}"`);
    expect(out.__html).toContain('href="#/list?q=x"');
  });

  it('shows a correction field by field, as it was and as it is, escaped', () => {
    const corrected: RecordPage = {
      ...record,
      timeline: [
        {
          at: '2026-11-26T02:00:00.000Z',
          kind: 'history',
          who: { id: 'b', name: '受付担当B' },
          summary: { ja: '記録を修正しました（メールアドレス、件名）', en: 'Edited the record' },
          details: {
            action: 'edit',
            changes: [
              {
                field: 'consulter.email',
                label: { ja: 'メールアドレス', en: 'Email' },
                before: { ja: '（なし）', en: '(none)' },
                after: { ja: 'soumu@sample.example.jp', en: 'soumu@sample.example.jp' },
              },
              {
                field: 'subject',
                label: { ja: '件名', en: 'Subject' },
                before: { ja: '<b>旧</b>', en: '<b>旧</b>' },
                after: { ja: '新しい件名', en: '新しい件名' },
              },
            ],
          },
        },
      ],
    };
    const html = recordView(corrected, labels, 'ja', '#/list').__html;
    const list = /<dl class="entry-changes">[\s\S]*?<\/dl>/.exec(html)?.[0] ?? '';
    expect(text({ __html: list })).toBe(
      'メールアドレス （なし） → soumu@sample.example.jp 件名 <b>旧</b> → 新しい件名',
    );
    expect(list).toContain('&lt;b&gt;旧&lt;/b&gt;');
    expect(list).not.toContain('<b>');
    expect(text(recordView(corrected, labels, 'en', '#/list'))).toContain(
      'Email (none) → soumu@sample.example.jp',
    );
  });

  it('says when there is no Teams card', () => {
    const out = recordView({ ...record, teamsCardUrl: null }, labels, 'en', '#/list');
    expect(text(out)).toContain('This consultation has no card in Teams.');
  });

  const related = (id: number, over: Partial<RelatedItem> = {}): RelatedItem => ({
    id,
    number: `2026-00000${id}`,
    // 15:30 UTC: the next day in Tokyo.
    receivedAt: `2026-10-0${id}T15:30:00.000Z`,
    state: 'closed',
    categoryId: 'phishing',
    subject: `以前の相談${id}`,
    closedAt: `2026-10-0${id}T16:00:00.000Z`,
    matchedBy: ['organisation'],
    ...over,
  });
  const withRelated: RecordPage = {
    ...record,
    related: {
      items: [
        related(4, {
          state: 'received',
          closedAt: null,
          subject: '<i>再度</i>の相談',
          matchedBy: ['organisation', 'email', 'phone'],
        }),
        related(2, { categoryId: 'ransomware', matchedBy: ['email'] }),
      ],
      total: 2,
    },
  };

  it('lists the same consulter’s other records right after the consulter, each a link saying why it matched', () => {
    const out = recordView(withRelated, labels, 'ja', '#/list');
    const html = out.__html;
    const section = /<section[^>]*data-testid="related"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(section).toContain('aria-labelledby="h-related"');
    expect(section).toMatch(/<h2 id="h-related">同じ相談者の他の相談<\/h2>/);
    // After who the consulter is, before what they said.
    const at = (s: string) => html.indexOf(s);
    expect(at('id="h-consulter"')).toBeLessThan(at('id="h-related"'));
    expect(at('id="h-related"')).toBeLessThan(at('id="h-details"'));

    const items = section
      .split('</ul>')[0]!
      .split('<li class="related-item">')
      .slice(1)
      .map((i) => text({ __html: i }));
    expect(items).toEqual([
      '2026-000004 <i>再度</i>の相談 受付日 2026/10/05 受付 フィッシング 事業者名が一致 メールアドレスが一致 電話番号が一致',
      '2026-000002 以前の相談2 受付日 2026/10/03 完了 ランサムウェア メールアドレスが一致',
    ]);
    expect(section).toMatch(
      /<a class="related-link" href="#\/consultations\/4"\s*><span class="related-number">2026-000004<\/span>/,
    );
    expect(section).toContain('href="#/consultations/2"');
    expect(section).toContain('&lt;i&gt;再度&lt;/i&gt;');
    expect(section).toContain('<time datetime="2026-10-04T15:30:00.000Z"');
    expect(section).toContain('<ul class="related-list">');
    expect(section).not.toContain('ほか');
    expect(section).toContain(`href="#/list?sameAs=${withRelated.consultation.id}"`);
    expect(section).not.toContain('この相談者の他の相談はありません');
  });

  it('links the list of all the consulter’s records, saying how many more there are', () => {
    const many: RecordPage = {
      ...record,
      related: { items: [1, 2, 3, 4, 5].reverse().map((id) => related(id)), total: 1207 },
    };
    const ja = recordView(many, labels, 'ja', '#/list');
    expect(ja.__html.match(/<li class="related-item">/g)).toHaveLength(5);
    expect(text(ja)).toContain(
      '以前の相談1 受付日 2026/10/02 完了 フィッシング 事業者名が一致 ほか 1,202 件も含めて一覧で見る',
    );
    expect(ja.__html).toContain(`href="#/list?sameAs=${many.consultation.id}"`);
    expect(text(recordView(many, labels, 'en', '#/list'))).toContain(
      'See them and 1,202 more in the list',
    );
    // All shown: the list still gathers them, to filter further.
    expect(text(recordView(withRelated, labels, 'ja', '#/list'))).toContain('一覧で見る');
  });

  it('shows similar past cases after the timeline, each with how alike it is and the start of its answer', () => {
    const similar: RecordPage = {
      ...record,
      similar: [
        {
          id: 3,
          number: '2026-000003',
          subject: 'ファイルが<b>暗号化</b>された',
          receivedAt: '2026-10-01T01:00:00.000Z',
          closedAt: '2026-10-02T01:00:00.000Z',
          likeness: 0.62,
          answer: {
            excerpt: 'LAN から切り離し、\n警察に相談してください。',
            truncated: true,
            line: 'second',
            at: '2026-10-01T05:00:00.000Z',
            author: { id: 'sp', name: '専門員C' },
          },
        },
        {
          id: 2,
          number: '2026-000002',
          subject: 'USB の扱い',
          receivedAt: '2026-09-01T01:00:00.000Z',
          closedAt: '2026-09-01T03:00:00.000Z',
          likeness: 0,
          answer: {
            excerpt: '規程の例を紹介。',
            truncated: false,
            line: 'first',
            at: '2026-09-01T02:00:00.000Z',
            author: { id: 'fl', name: '受付担当A' },
          },
        },
      ],
    };
    const out = recordView(similar, labels, 'ja', '#/list');
    const html = out.__html;
    const section = /<section[^>]*data-testid="similar"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(section).toMatch(/<h2 id="h-similar">似た過去の相談<\/h2>/);
    const at = (s: string) => html.indexOf(s);
    expect(at('id="h-timeline"')).toBeLessThan(at('id="h-similar"'));
    expect(at('id="h-similar"')).toBeLessThan(at('id="h-destinations"'));
    const items = section
      .split('</ul>')[0]!
      .split('<li class="similar-item">')
      .slice(1)
      .map((i) => text({ __html: i }));
    expect(items).toEqual([
      '2026-000003 ファイルが<b>暗号化</b>された 完了 2026/10/02 近さ 62% LAN から切り離し、 警察に相談してください。… 専門員Cの回答（二次対応・2026/10/01） ・ 回答の全文を見る',
      '2026-000002 USB の扱い 完了 2026/09/01 近さ 0% 規程の例を紹介。 受付担当Aの回答（一次対応・2026/09/01）',
    ]);
    expect(section).toContain('&lt;b&gt;暗号化&lt;/b&gt;');
    expect(section.match(/href="#\/consultations\/3"/g)).toHaveLength(2);
    expect(text(recordView(similar, labels, 'en', '#/list'))).toContain(
      'Similar past cases Recent answered and closed cases of the same category whose subject and details read most alike: for answers of even quality. 2026-000003 ファイルが<b>暗号化</b>された Closed 2026/10/02 62% alike',
    );
    // None yet: said so.
    expect(text(recordView(record, labels, 'ja', '#/list'))).toContain(
      'この分類で回答して完了した相談はまだありません。',
    );
  });

  it('says when the consulter has no other consultation, or nothing to find them by', () => {
    const none = recordView(record, labels, 'ja', '#/list');
    expect(none.__html).toContain('data-testid="related"');
    expect(text(none)).toContain('同じ相談者の他の相談 この相談者の他の相談はありません。');
    expect(none.__html).not.toContain('related-list');
    expect(none.__html).not.toContain('has-related');
    const anonymous: RecordPage = {
      ...record,
      consultation: {
        ...record.consultation,
        consulter: {
          ...record.consultation.consulter,
          organisation: null,
          email: null,
          phone: null,
        },
      },
    };
    expect(text(recordView(anonymous, labels, 'ja', '#/list'))).toContain(
      '事業者名・メールアドレス・電話番号の記録がないため、同じ相談者の相談を探せません。',
    );
    expect(text(recordView(record, labels, 'en', '#/list'))).toContain(
      'Other consultations from the same consulter This consulter has no other consultation.',
    );
  });

  it('lists them in English, with the server’s labels', () => {
    const en = text(recordView(withRelated, labels, 'en', '#/list'));
    expect(en).toContain(
      'Other consultations from the same consulter 2026-000004 <i>再度</i>の相談 Received 2026/10/05 Received Phishing Same organisation Same email address Same phone number 2026-000002 以前の相談2 Received 2026/10/03 Closed Ransomware Same email address',
    );
  });

  const closed: RecordPage = {
    ...record,
    consultation: { ...record.consultation, state: 'closed', closedAt: '2026-11-27T01:00:00.000Z' },
  };
  // 2031-11-26T15:30Z is 27 November in Tokyo.
  const erased: RecordPage = {
    ...closed,
    consultation: {
      ...closed.consultation,
      consulter: NO_CONSULTER,
      subject: '',
      details: '',
      erasure: { at: '2031-11-26T15:30:00.000Z', reason: 'retention' },
      version: 9,
    },
    timeline: [
      record.timeline[0]!,
      {
        at: '2026-11-26T01:05:00.000Z',
        kind: 'note',
        who: { id: 'a', name: '受付担当A' },
        summary: { ja: 'メモ（スレッド）', en: 'Note (thread)' },
        details: { source: 'thread', contentErased: true },
      },
      {
        at: '2031-11-26T15:30:00.000Z',
        kind: 'history',
        who: { id: 'system:retention', name: '保存期間の管理' },
        summary: { ja: '個人情報を消去しました（保存期間の終了）', en: 'Erased' },
      },
    ],
  };

  it('shows an erased record with a banner, the kept facts and its timeline, and nothing personal', () => {
    const ja = text(recordView(erased, labels, 'ja', '#/list'));
    expect(ja).toContain(
      'この記録の個人情報は 2031年11月27日 に消去されました（保存期間の終了）。',
    );
    expect(ja).toContain('相談 2026-000005 （消去済み）');
    expect(ja).toContain('消去の理由 保存期間の終了');
    expect(ja).toContain('受付担当A');
    expect(ja).toContain('メモ（スレッド） 内容は個人情報とともに消去されています。');
    expect(ja).toContain('個人情報を消去しました（保存期間の終了） ');
    for (const gone of ['相談者', '相談内容', '状況の確認項目', '未記入']) {
      expect(ja).not.toContain(gone);
    }
    // No consulter is left, so none of their other records either.
    expect(recordView(erased, labels, 'ja', '#/list').__html).not.toContain(
      'data-testid="related"',
    );
    // Nor anything to compare with past cases.
    expect(recordView(erased, labels, 'ja', '#/list').__html).not.toContain(
      'data-testid="similar"',
    );
    // Nothing is left to erase, even for a supervisor.
    const again = recordView({ ...erased, canErase: true }, labels, 'ja', '#/list');
    expect(again.__html).not.toContain('erase-open');
    const en = text(recordView(erased, labels, 'en', '#/list'));
    expect(en).toContain(
      "This record's personal data was erased on 27 Nov 2031 (retention period ended).",
    );
    expect(en).toContain('Consultation 2026-000005 (erased)');
  });

  it('offers a supervisor to erase a closed record, explaining what goes and what stays', () => {
    expect(recordView(closed, labels, 'ja', '#/list').__html).not.toContain('erase-open');
    const offered = recordView({ ...closed, canErase: true }, labels, 'ja', '#/list');
    expect(offered.__html).toContain('data-action="erase-open"');
    expect(offered.__html).not.toContain('data-form="erase"');

    const open = recordView({ ...closed, canErase: true }, labels, 'ja', '#/list', {
      erase: {
        open: true,
        typed: '',
        step: { kind: 'idle' },
      },
    });
    const s = text(open);
    expect(s).toContain('消去されるもの');
    expect(s).toContain('残るもの');
    expect(s).toContain('確認のため、受付番号 2026-000005 を入力してください');
    expect(open.__html).toContain('data-form="erase"');
  });

  it('says a wrong number next to the field and keeps what was typed', () => {
    const refused = refusal({
      confirmNumber: {
        ja: '確認のための受付番号がこの記録の受付番号と一致しません。',
        en: 'y',
      },
    });
    const out = recordView({ ...closed, canErase: true }, labels, 'ja', '#/list', {
      erase: {
        open: true,
        typed: '2026-000050"<',
        step: { kind: 'failed', failure: refused },
      },
    });
    expect(out.__html).toMatch(
      /<p class="error-inline" id="erase-number-error">確認のための受付番号がこの記録の受付番号と一致しません。<\/p>\s*<input/,
    );
    expect(out.__html).toContain('value="2026-000050&quot;&lt;"');
    expect(out.__html).toContain('aria-invalid="true" aria-describedby="erase-number-error"');
    expect(out.__html).not.toContain('role="alert"');

    const conflict = recordView({ ...closed, canErase: true }, labels, 'ja', '#/list', {
      erase: {
        open: true,
        typed: '2026-000005',
        step: { kind: 'failed', failure: classify(409, { error: { code: 'conflict' } }) },
      },
    });
    expect(text(conflict)).toContain('この相談記録は、表示した後に変わっています。');
    expect(conflict.__html).toContain('data-action="retry"');
  });
});

describe('the statistics', () => {
  const stats: Stats = {
    months: [
      {
        month: '2026-10',
        total: 2,
        byChannel: { phone: 2 },
        byCategory: { ransomware: 1, phishing: 1 },
        byState: { closed: 2 },
        byHandling: { firstLine: 2, secondLine: 0, open: 0 },
        median: { toClaimMinutes: 30, toDispatchMinutes: null, toAnswerMinutes: 125 },
      },
      {
        month: '2026-11',
        total: 3,
        byChannel: { phone: 1, web: 2 },
        byCategory: { ransomware: 3 },
        byState: { received: 1, claimed: 2 },
        byHandling: { firstLine: 0, secondLine: 1, open: 2 },
        median: { toClaimMinutes: 10, toDispatchMinutes: 90, toAnswerMinutes: null },
      },
    ],
  };

  it('has tables with the same numbers as the charts', () => {
    const out = statsBody({ kind: 'loaded', stats }, labels, 'ja');
    const s = text(out);
    expect(s).toContain('2026年10月');
    expect(s).toContain('2時間5分');
    expect(s).toContain('1時間30分');
    const specs = chartSpecs(stats, labels, 'ja');
    const channels = specs.find((c) => c.canvasId === 'chart-byChannel')!;
    expect(channels.datasets.map((d) => [d.label, d.data])).toEqual([
      ['電話', [2, 1]],
      ['Webフォーム', [0, 2]],
    ]);
    const categories = specs.find((c) => c.canvasId === 'chart-byCategory')!;
    // Only categories that occur.
    expect(categories.datasets.map((d) => d.label)).toEqual(['ランサムウェア', 'フィッシング']);
    const medians = specs.find((c) => c.canvasId === 'chart-medians')!;
    expect(medians.datasets.map((d) => d.data)).toEqual([
      [30, 10],
      [null, 90],
      [125, null],
    ]);
    // Each table row: month, counts per channel, total.
    const table = /data-table="byChannel"[\s\S]*?<\/table>/.exec(out.__html)![0];
    const rows = [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => text({ __html: m[1]! }));
    expect(rows).toEqual(['月 電話 Webフォーム 合計', '2026年10月 2 0 2', '2026年11月 1 2 3']);
    // Where the cases were handled: every kind, in the server's order, chart and table.
    const handled = specs.find((c) => c.canvasId === 'chart-byHandling')!;
    expect(handled.datasets.map((d) => [d.label, d.data])).toEqual([
      ['一次対応で完結', [2, 0]],
      ['二次対応へ依頼', [0, 1]],
      ['対応中（依頼なし）', [0, 2]],
    ]);
    const byHandling = /data-table="byHandling"[\s\S]*?<\/table>/.exec(out.__html)![0];
    expect(
      [...byHandling.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => text({ __html: m[1]! })),
    ).toEqual([
      '月 一次対応で完結 二次対応へ依頼 対応中（依頼なし） 合計',
      '2026年10月 2 0 0 2',
      '2026年11月 0 1 2 3',
    ]);
    expect(s).toContain('対応の区分別の件数（一次対応で完結・二次対応へ依頼）');
  });

  it('says when a period has no consultation', () => {
    const out = statsBody(
      {
        kind: 'loaded',
        stats: {
          months: [{ ...stats.months[0]!, total: 0, byChannel: {}, byCategory: {}, byState: {} }],
        },
      },
      labels,
      'en',
    );
    expect(text(out)).toContain('No consultation was received in this period.');
  });
});
