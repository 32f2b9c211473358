import { comparedText, likeness, trigramsOf, type Trigrams } from '../../src/consultation/similar';

/** The trigrams as the three characters each stands for, in the order kept. */
const spelled = (t: Trigrams) =>
  [...t].map((n) =>
    String.fromCharCode(
      Math.floor(n / 0x1_0000_0000),
      Math.floor(n / 0x1_0000) % 0x1_0000,
      n % 0x1_0000,
    ),
  );

describe('how alike two consultations read', () => {
  test('trigrams of the text, in one width and case, without spaces or punctuation, each once', () => {
    expect(spelled(trigramsOf('ＰＣが、 壊れた！「壊れた」'))).toEqual(
      ['pcが', 'cが壊', 'が壊れ', '壊れた', 'れた壊', 'た壊れ'].sort(),
    );
    expect(spelled(trigramsOf('ab'))).toEqual([]);
    expect(spelled(trigramsOf('あああああ'))).toEqual(['あああ']);
  });

  test('the same text is 1, nothing shared is 0, and some shared lies between', () => {
    const a = trigramsOf(comparedText({ subject: 'ファイルが暗号化された', details: '' }));
    const b = trigramsOf(comparedText({ subject: '暗号化されたファイル', details: '' }));
    const c = trigramsOf('USBメモリの扱い');
    expect(likeness(a, a)).toBe(1);
    expect(likeness(a, c)).toBe(0);
    expect(likeness(a, trigramsOf(''))).toBe(0);
    const ab = likeness(a, b);
    expect(ab).toBeGreaterThan(0.4);
    expect(ab).toBeLessThan(1);
    expect(likeness(b, a)).toBe(ab);
  });

  test('only the start of a long text counts', () => {
    const long = 'あいうえおかきくけこ'.repeat(1000);
    expect(trigramsOf(long).length).toBeLessThanOrEqual(10);
    expect(spelled(trigramsOf('x'.repeat(10_000) + '暗号化された'))).toEqual(['xxx']);
  });
});
