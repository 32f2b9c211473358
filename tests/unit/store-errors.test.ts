import { runInNewContext } from 'node:vm';
import { isUnavailable } from '../../src/store/store';

describe('isUnavailable', () => {
  test('recognises a database error made in another context', () => {
    // better-sqlite3's native addon keeps the error class of the first context that
    // loaded it: in another one, its SqliteError is not an `instanceof Error` there.
    const foreign = runInNewContext(
      "Object.assign(new Error('database is locked'), { name: 'SqliteError', code: 'SQLITE_BUSY' })",
    ) as unknown;
    expect(foreign instanceof Error).toBe(false);
    expect(isUnavailable(foreign)).toBe(true);
    expect(
      isUnavailable(runInNewContext("new TypeError('The database connection is not open')")),
    ).toBe(true);
  });

  test('is false for bugs and for what is not an error', () => {
    expect(isUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(
      false,
    );
    expect(isUnavailable(Object.assign(new Error('UNIQUE'), { code: 'SQLITE_CONSTRAINT' }))).toBe(
      false,
    );
    expect(isUnavailable('SQLITE_BUSY')).toBe(false);
    expect(isUnavailable(null)).toBe(false);
    expect(isUnavailable({ code: 42, message: 7 })).toBe(false);
  });
});
