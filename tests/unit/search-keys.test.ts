import { keyPair, searchKeys } from '../../src/store/pg-trigrams';

describe('the keys of a search document (PostgreSQL’s term list)', () => {
  test('three word characters in a row, and a pair alone with its neighbours', () => {
    const keys = searchKeys('2026-000001\n「pc」と鯖江市\nos が\n\n');
    expect([...keys].sort()).toEqual(
      ['202', '026', '000', '001', '「pc」', 'と鯖江', '鯖江市', '\nos '].sort(),
    );
  });

  test('every two word characters of a document are inside one of its keys', () => {
    const body = '2026-000002\nid、パスワード。pc\nメール (ab) 被害\n\n';
    const keys = [...searchKeys(body)];
    const chars = [...body];
    for (let i = 0; i + 1 < chars.length; i++) {
      const pair = chars[i]! + chars[i + 1];
      if (!/^[\p{L}\p{N}]{2}$/u.test(pair)) continue;
      expect({ pair, found: keys.some((k) => k.includes(pair)) }).toEqual({ pair, found: true });
    }
  });

  test('a key is found by the pair in its second and third characters', () => {
    expect(keyPair('と鯖江')).toBe('鯖江');
    expect(keyPair('「pc」')).toBe('pc');
    // Characters outside the Basic Multilingual Plane count as one.
    expect(keyPair('𠮷野家')).toBe('野家');
  });
});
