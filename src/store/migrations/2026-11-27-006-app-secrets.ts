import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../store';

/**
 * Secrets the app makes for itself and every instance must share: the web form signs its
 * anti-forgery tokens with one, so a page served by one instance can be sent to another
 * and still be recognised after a restart.
 */
export function appSecrets(dialect: Dialect): Migration {
  const ts = dialect === 'postgres' ? 'timestamptz' : 'text';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('app_secret')
        .addColumn('name', 'text', (c) => c.primaryKey())
        // base64url of random bytes
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('app_secret').ifExists().execute();
    },
  };
}
