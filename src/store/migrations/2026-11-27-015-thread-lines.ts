import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../store';

/**
 * The lines for a card's thread that Teams refused (down longer than the retries): kept
 * as they would have been sent, and said later by the catch-up, as the 1:1 notices are.
 * The hot path — a line that goes out — never writes here.
 */
export function threadLines(dialect: Dialect): Migration {
  const pg = dialect === 'postgres';
  const ts = pg ? 'timestamptz' : 'text';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('thread_line')
        .addColumn('id', pg ? 'serial' : 'integer', (c) =>
          pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('consultation_id', 'integer', (c) =>
          c.notNull().references('consultation.id').onDelete('cascade'),
        )
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('said_at', ts, (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('taken_until', ts)
        .execute();
      await sql`CREATE INDEX thread_line_consultation ON thread_line (consultation_id)`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('thread_line').ifExists().execute();
    },
  };
}
