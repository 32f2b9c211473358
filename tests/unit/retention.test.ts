import { consulterKeys } from '../../src/consultation/consulter-keys';
import { retentionCutoff } from '../../src/retention/retention.service';

describe('when a record’s retention period has ended', () => {
  test('five full years counted in Tokyo days: the cutoff is the start of today in Tokyo, five years ago', () => {
    // 2031-11-27 10:00 in Tokyo.
    expect(retentionCutoff(new Date('2031-11-27T01:00:00Z'), 5).toISOString()).toBe(
      '2026-11-26T15:00:00.000Z',
    );
    // 2031-11-27 08:30 in Tokyo, still 26 November in UTC.
    expect(retentionCutoff(new Date('2031-11-26T23:30:00Z'), 5).toISOString()).toBe(
      '2026-11-26T15:00:00.000Z',
    );
    // A record closed on 29 February 2028 has had its five years on 1 March 2033.
    expect(retentionCutoff(new Date('2033-02-28T03:00:00Z'), 5).toISOString()).toBe(
      '2028-02-27T15:00:00.000Z',
    );
    expect(retentionCutoff(new Date('2033-03-01T03:00:00Z'), 5).toISOString()).toBe(
      '2028-02-29T15:00:00.000Z',
    );
  });
});

describe('which records are of the same consulter', () => {
  test('an organisation’s name without its legal form, spaces, width or case', () => {
    const keys = (organisation: string) =>
      consulterKeys({ organisation, email: null, phone: null }).organisation;
    expect(keys('株式会社サンプル')).toBe('サンプル');
    expect(keys('㈱ サンプル')).toBe('サンプル');
    expect(keys('サンプル株式会社')).toBe('サンプル');
    expect(keys('Ｓａｍｐｌｅ Co., Ltd.')).toEqual(keys('sample'));
    // A legal form alone, or one character, says nothing about who it is.
    expect(keys('株式会社')).toBeNull();
    expect(keys('Ａ')).toBeNull();
  });

  test('an email address, whatever its case; a phone number, whatever its punctuation', () => {
    expect(
      consulterKeys({
        organisation: null,
        email: ' IT@Alpha.example.jp ',
        phone: '０３（１２３４）５６７８',
      }),
    ).toEqual({ organisation: null, email: 'it@alpha.example.jp', phone: '0312345678' });
    // Too few digits to be a number.
    expect(consulterKeys({ organisation: null, email: null, phone: '110' }).phone).toBeNull();
  });
});
