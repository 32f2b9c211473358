import { loadFormSecret } from '../../src/intake/web-form/form-secret';
import { describeEachDialect } from '../support/dialects';

describeEachDialect('the web form signing key', (db) => {
  test('is made once and then the same for every caller, also when asked at once', async () => {
    const { store } = db();
    const [a, b, c] = await Promise.all([
      loadFormSecret(store),
      loadFormSecret(store),
      loadFormSecret(store),
    ]);
    expect(a.length).toBe(32);
    expect(b.equals(a)).toBe(true);
    expect(c.equals(a)).toBe(true);
    expect((await loadFormSecret(store)).equals(a)).toBe(true);
    const rows = await store.db.selectFrom('app_secret').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: 'web-form-signing' });
  });
});
