import { comparedText, likeness, trigramsOf } from '../../src/consultation/similar';

describe('how alike two consultations read', () => {
  test('trigrams of the text, in one width and case, without spaces or punctuation', () => {
    expect([...trigramsOf('ＰＣが、 壊れた！')]).toEqual(['pcが', 'cが壊', 'が壊れ', '壊れた']);
    expect(trigramsOf('ab')).toEqual(new Set());
    expect(trigramsOf('あああああ')).toEqual(new Set(['あああ']));
  });

  test('the same text is 1, nothing shared is 0, and some shared lies between', () => {
    const a = trigramsOf(comparedText({ subject: 'ファイルが暗号化された', details: '' }));
    const b = trigramsOf(comparedText({ subject: '暗号化されたファイル', details: '' }));
    const c = trigramsOf('USBメモリの扱い');
    expect(likeness(a, a)).toBe(1);
    expect(likeness(a, c)).toBe(0);
    expect(likeness(a, new Set())).toBe(0);
    const ab = likeness(a, b);
    expect(ab).toBeGreaterThan(0.4);
    expect(ab).toBeLessThan(1);
    expect(likeness(b, a)).toBe(ab);
  });

  test('only the start of a long text counts', () => {
    const long = 'あいうえおかきくけこ'.repeat(1000);
    expect(trigramsOf(long).size).toBeLessThanOrEqual(10);
    expect(trigramsOf('x'.repeat(10_000) + '暗号化された')).toEqual(new Set(['xxx']));
  });
});
