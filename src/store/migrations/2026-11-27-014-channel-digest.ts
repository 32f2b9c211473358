import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../store';

/**
 * The days the morning summary of what is waiting was posted in the intake channel: the
 * day is the key, so of several instances that find it due, one posts.
 */
export function channelDigest(dialect: Dialect): Migration {
  const pg = dialect === 'postgres';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('channel_digest')
        .addColumn('day', 'text', (c) => c.primaryKey())
        .addColumn('at', pg ? 'timestamptz' : 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('channel_digest').ifExists().execute();
    },
  };
}
