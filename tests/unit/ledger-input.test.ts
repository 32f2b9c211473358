import type { HistoryEntry } from '../../src/consultation/types';
import { ValidationError } from '../../src/errors';
import { neutralise } from '../../src/ledger/csv';
import {
  parseCasebookExport,
  parseCasebookPreview,
  parseDayRange,
  parseErase,
  parseListQuery,
  parseMonthRange,
} from '../../src/ledger/ledger.input';
import { median } from '../../src/ledger/ledger.service';
import { teamsCardUrl, timeline } from '../../src/ledger/timeline';
import {
  dayEnd,
  dayStart,
  monthsBefore,
  parseDay,
  tokyoDateTime,
  tokyoMonth,
} from '../../src/ledger/tokyo';

const qs = (s: string) => new URLSearchParams(s);
const CATEGORIES = new Set(['ransomware', 'phishing']);

function fieldsOf(fn: () => unknown): Record<string, { ja: string; en: string }> {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).fields;
  }
  throw new Error('no error was thrown');
}

describe('Tokyo days and months', () => {
  it('knows real days', () => {
    expect(parseDay('2028-02-29')).toBe('2028-02-29');
    expect(parseDay('2026-02-29')).toBeNull();
    expect(parseDay('2026-13-01')).toBeNull();
    expect(parseDay('2026-1-01')).toBeNull();
  });

  it('starts a day at 15:00 UTC the day before', () => {
    expect(dayStart('2026-11-01')).toBe('2026-10-31T15:00:00.000Z');
    expect(dayEnd('2026-12-31')).toBe('2026-12-31T15:00:00.000Z');
    expect(tokyoMonth('2026-10-31T15:00:00.000Z')).toBe('2026-11');
    expect(tokyoMonth('2026-10-31T14:59:59.999Z')).toBe('2026-10');
    expect(tokyoDateTime('2026-10-31T15:05:00.000Z')).toBe('2026-11-01 00:05');
    expect(monthsBefore('2026-01', 11)).toBe('2025-02');
    expect(monthsBefore('2026-12', 12)).toBe('2025-12');
  });
});

describe('list parameters', () => {
  it('takes lists comma-separated or repeated, and defaults the page', () => {
    expect(
      parseListQuery(
        qs(
          'q=ランサム&state=received,claimed&state=closed&channel=web&category=phishing&person=x&from=2026-11-01&to=2026-11-30&sameAs=12',
        ),
        CATEGORIES,
      ),
    ).toEqual({
      text: 'ランサム',
      states: ['received', 'claimed', 'closed'],
      channels: ['web'],
      categoryIds: ['phishing'],
      personId: 'x',
      from: '2026-11-01',
      to: '2026-11-30',
      sameAs: 12,
      page: 1,
      pageSize: 50,
    });
  });

  it('names every wrong parameter at once', () => {
    const fields = fieldsOf(() =>
      parseListQuery(
        qs(`q=${'あ'.repeat(201)}&urgency=urgent&page=x&pageSize=101&sameAs=0`),
        CATEGORIES,
      ),
    );
    expect(Object.keys(fields).sort()).toEqual(['page', 'pageSize', 'q', 'sameAs', 'urgency']);
    expect(fields.urgency!.en).toContain('urgent');
    expect(fields.q!.ja).toContain('200文字');
  });
});

describe('ranges', () => {
  it('defaults statistics to the twelve months up to now, in Tokyo', () => {
    // 2026-12-31T15:30Z is already January in Tokyo.
    expect(parseMonthRange(qs(''), new Date('2026-12-31T15:30:00Z'))).toEqual({
      from: '2026-02',
      to: '2027-01',
    });
    expect(parseMonthRange(qs('from=2025-01&to=2026-12'), new Date())).toEqual({
      from: '2025-01',
      to: '2026-12',
    });
    expect(
      Object.keys(fieldsOf(() => parseMonthRange(qs('from=2025-01&to=2027-01'), new Date()))),
    ).toEqual(['to']);
    expect(Object.keys(fieldsOf(() => parseMonthRange(qs('from=2025-13'), new Date())))).toEqual([
      'from',
    ]);
  });

  it('requires both days of an export', () => {
    expect(parseDayRange(qs('from=2026-11-01&to=2026-11-01'))).toEqual({
      from: '2026-11-01',
      to: '2026-11-01',
    });
    expect(Object.keys(fieldsOf(() => parseDayRange(qs(''))))).toEqual(['from', 'to']);
  });
});

describe('casebook bodies', () => {
  it('takes 1 to 30 ids and a language', () => {
    expect(parseCasebookPreview({ ids: [3, 4], lang: 'en' }, qs(''))).toEqual({
      ids: [3, 4],
      lang: 'en',
    });
    expect(parseCasebookPreview({ ids: [3] }, qs(''))).toEqual({ ids: [3], lang: 'ja' });
    for (const ids of [[], [0], ['3'], Array.from({ length: 31 }, (_, i) => i + 1), null]) {
      expect(Object.keys(fieldsOf(() => parseCasebookPreview({ ids }, qs(''))))).toEqual(['ids']);
    }
  });

  it('names the reviewed fields that are empty or not text', () => {
    const fields = fieldsOf(() =>
      parseCasebookExport({ cases: [{ id: 1, title: ' ', situation: 3, answer: 'a' }] }, qs('')),
    );
    expect(Object.keys(fields).sort()).toEqual(['cases.0.situation', 'cases.0.title']);
  });
});

describe('erase bodies', () => {
  it('need the version shown; the number typed is the consultation service’s to check', () => {
    expect(parseErase({ confirmNumber: '2026-000123', version: 4 })).toEqual({
      confirmNumber: '2026-000123',
      version: 4,
    });
    expect(parseErase({ version: 1 })).toEqual({ confirmNumber: undefined, version: 1 });
    for (const body of [{ confirmNumber: 'x' }, { version: 0 }, { version: '4' }, [4], null]) {
      expect(fieldsOf(() => parseErase(body))).toEqual({
        version: {
          ja: '表示している記録の版（version）を1以上の整数で指定してください。',
          en: 'Give the version of the record you are looking at, a whole number of 1 or more.',
        },
      });
    }
  });
});

describe('CSV cells', () => {
  it.each(['=1+2', '+81', '-5', '@SUM(A1)', '\tx', '\rx', '＝１＋２', '＠x'])(
    'neutralises %j',
    (cell) => {
      expect(neutralise(cell)).toBe(`'${cell}`);
    },
  );
  it.each(['株式会社', '03-1234', 'a=b', ''])('leaves %j alone', (cell) => {
    expect(neutralise(cell)).toBe(cell);
  });
});

describe('medians', () => {
  it('takes the middle, or the mean of the two middle values, to 0.1', () => {
    expect(median([])).toBeNull();
    expect(median([7])).toBe(7);
    expect(median([30, 10, 20])).toBe(20);
    expect(median([1, 2, 3, 4.25])).toBe(2.5);
    expect(median([1, 2])).toBe(1.5);
    expect(median([0.33, 0.34])).toBe(0.3);
  });
});

describe('timeline entries from other parts of Madoguchi', () => {
  const entry = (over: Partial<HistoryEntry>): HistoryEntry => ({
    id: 1,
    consultationId: 1,
    action: 'create',
    actor: { id: 'web-form', name: 'Webフォーム' },
    at: '2026-11-26T01:00:00.000Z',
    fromState: 'received',
    toState: 'received',
    before: null,
    after: null,
    requestId: null,
    ...over,
  });

  it('shows the acknowledgement email and a failed answer email', () => {
    const items = timeline(
      {
        history: [
          entry({
            action: 'acknowledge',
            after: { status: 'not_configured' },
          }),
          entry({
            action: 'acknowledge',
            at: '2026-11-26T01:30:00.000Z',
            after: { status: 'failed', code: 'ErrorMailboxNotEnabled' },
          }),
          entry({
            action: 'send-answer',
            at: '2026-11-26T02:00:00.000Z',
            after: { answerId: 4, status: 'failed', code: 'ErrorAccessDenied' },
          }),
        ],
        notes: [],
        answers: [],
        emails: [],
      },
      () => undefined,
    );
    expect(items.map((i) => [i.kind, i.summary.ja])).toEqual([
      ['acknowledgement', '受付確認メール未送信（メール未設定）'],
      ['acknowledgement', '受付確認メール未送信（送信失敗）（ErrorMailboxNotEnabled）'],
      ['history', '回答メールを送信できませんでした（ErrorAccessDenied）'],
    ]);
  });

  it('links to a card in its channel', () => {
    expect(teamsCardUrl(null)).toBeNull();
    expect(
      teamsCardUrl({ conversationId: '19:x@thread.tacv2;messageid=17', activityId: '17' }),
    ).toBe('https://teams.microsoft.com/l/message/19%3Ax%40thread.tacv2/17');
  });
});
