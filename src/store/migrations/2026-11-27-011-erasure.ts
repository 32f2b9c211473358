import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../store';

/** The columns of a history entry that say who did what, when: never changed. */
const FACTS = [
  'id',
  'consultation_id',
  'action',
  'actor_id',
  'actor_name',
  'at',
  'from_state',
  'to_state',
  'request_id',
  'version',
] as const;

/**
 * Erasure of a record's personal data (when its retention period ends, or on the
 * consulter's request). The record keeps its row, marked `erased_at` with the reason;
 * the partial index finds the closed records that are not erased yet, by close date.
 *
 * History stays append-only with one exception: once its record is erased, an entry's
 * `before_json` / `after_json` may be rewritten (to take the consulter's words out of
 * it); who did what and when can still never change, and no entry can be deleted.
 */
export function erasure(dialect: Dialect): Migration {
  const pg = dialect === 'postgres';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('consultation')
        .addColumn('erased_at', pg ? 'timestamptz' : 'text')
        .execute();
      await db.schema.alterTable('consultation').addColumn('erasure_reason', 'text').execute();
      await sql`CREATE INDEX consultation_retention ON consultation (closed_at)
        WHERE state = 'closed' AND erased_at IS NULL`.execute(db);

      if (pg) {
        const cols = FACTS.map((c) => `NEW.${c}`).join(', ');
        const old = FACTS.map((c) => `OLD.${c}`).join(', ');
        await sql
          .raw(
            `CREATE OR REPLACE FUNCTION consultation_history_append_only() RETURNS trigger
             LANGUAGE plpgsql AS $$ BEGIN
               IF TG_OP = 'UPDATE'
                  AND EXISTS (SELECT 1 FROM consultation
                              WHERE id = OLD.consultation_id AND erased_at IS NOT NULL)
                  AND (${cols}) IS NOT DISTINCT FROM (${old}) THEN
                 RETURN NEW;
               END IF;
               RAISE EXCEPTION 'consultation_history is append-only';
             END $$`,
          )
          .execute(db);
      } else {
        const same = FACTS.map((c) => `NEW.${c} IS OLD.${c}`).join(' AND ');
        await sql`DROP TRIGGER consultation_history_no_update`.execute(db);
        await sql
          .raw(
            `CREATE TRIGGER consultation_history_no_update
             BEFORE UPDATE ON consultation_history
             WHEN NOT ((SELECT erased_at FROM consultation WHERE id = OLD.consultation_id)
                       IS NOT NULL AND ${same})
             BEGIN SELECT RAISE(ABORT, 'consultation_history is append-only'); END`,
          )
          .execute(db);
      }
    },

    async down(db: Kysely<unknown>) {
      if (pg) {
        await sql`CREATE OR REPLACE FUNCTION consultation_history_append_only() RETURNS trigger
          LANGUAGE plpgsql AS $$ BEGIN
            RAISE EXCEPTION 'consultation_history is append-only';
          END $$`.execute(db);
      } else {
        await sql`DROP TRIGGER consultation_history_no_update`.execute(db);
        await sql`CREATE TRIGGER consultation_history_no_update
          BEFORE UPDATE ON consultation_history
          BEGIN SELECT RAISE(ABORT, 'consultation_history is append-only'); END`.execute(db);
      }
      await db.schema.dropIndex('consultation_retention').ifExists().execute();
      await db.schema.alterTable('consultation').dropColumn('erasure_reason').execute();
      await db.schema.alterTable('consultation').dropColumn('erased_at').execute();
    },
  };
}
