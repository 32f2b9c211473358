import { keyPair, searchKeys } from '../../src/store/pg-trigrams';

describe('the keys of a search document (PostgreSQL’s term list)', () => {
  test('three word characters in a row, a pair or a character alone with its neighbours, and a word’s end', () => {
    const keys = searchKeys('2026-000001\n「pc」と鯖江市\nos が\n\n');
    expect([...keys].sort()).toEqual(
      [
        // Three word characters in a row.
        '202',
        '026',
        '000',
        '001',
        'と鯖江',
        '鯖江市',
        // A pair alone, with the characters on either side.
        '「pc」',
        '\nos ',
        // A character alone.
        ' が\n',
        // A word's last two characters, with the one after them.
        '26-',
        '01\n',
        'pc」',
        '江市\n',
        'os ',
      ].sort(),
    );
  });

  test('every word character of a document is the first or second character of a key there', () => {
    const body = '2026-000002\nid、パスワード。pc\nメール (a) 被害 x\n\n';
    const keys = [...searchKeys(body)].map((k) => [...k]);
    const chars = [...body];
    const at = (key: string[], start: number) =>
      start >= 0 && key.every((c, j) => chars[start + j] === c);
    chars.forEach((c, i) => {
      if (!/^[\p{L}\p{N}]$/u.test(c)) return;
      const found = keys.some((k) => at(k, i) || at(k, i - 1));
      expect({ c, i, found }).toEqual({ c, i, found: true });
    });
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
