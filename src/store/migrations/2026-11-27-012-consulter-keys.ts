import { sql, type Kysely, type Migration } from 'kysely';
import { consulterKeys } from '../../consultation/consulter-keys';

const KEYS = [
  ['organisation_key', 'consultation_organisation_key'],
  ['email_key', 'consultation_email_key'],
  ['phone_key', 'consultation_phone_key'],
] as const;

/** Records read and written per step while the keys of existing records are filled in. */
const BATCH = 1000;

/**
 * Each record's consulter, normalised so an index finds their other records: the
 * organisation's name without its legal form, the email address, the phone number's
 * digits (`consulterKeys`). Existing records are filled in here, erased ones left empty.
 */
export function consulterKeyColumns(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const [column, index] of KEYS) {
        await db.schema.alterTable('consultation').addColumn(column, 'text').execute();
        await sql
          .raw(`CREATE INDEX ${index} ON consultation (${column}) WHERE ${column} IS NOT NULL`)
          .execute(db);
      }
      const records = db as unknown as Kysely<{
        consultation: {
          id: number;
          consulter_organisation: string | null;
          consulter_email: string | null;
          consulter_phone: string | null;
          erased_at: string | null;
          organisation_key: string | null;
          email_key: string | null;
          phone_key: string | null;
        };
      }>;
      for (let after = 0; ;) {
        const rows = await records
          .selectFrom('consultation')
          .select(['id', 'consulter_organisation', 'consulter_email', 'consulter_phone'])
          .where('id', '>', after)
          .where('erased_at', 'is', null)
          .orderBy('id')
          .limit(BATCH)
          .execute();
        // PostgreSQL runs the whole migration in one transaction; SQLite one batch at a time.
        const step = async (trx: typeof records) => {
          for (const r of rows) {
            const keys = consulterKeys({
              organisation: r.consulter_organisation,
              email: r.consulter_email,
              phone: r.consulter_phone,
            });
            if (!keys.organisation && !keys.email && !keys.phone) continue;
            await trx
              .updateTable('consultation')
              .set({
                organisation_key: keys.organisation,
                email_key: keys.email,
                phone_key: keys.phone,
              })
              .where('id', '=', r.id)
              .execute();
          }
        };
        if (records.isTransaction) await step(records);
        else await records.transaction().execute(step);
        if (rows.length < BATCH) break;
        after = rows[rows.length - 1]!.id;
      }
    },

    async down(db: Kysely<unknown>) {
      for (const [column, index] of KEYS) {
        await db.schema.dropIndex(index).ifExists().execute();
        await db.schema.alterTable('consultation').dropColumn(column).execute();
      }
    },
  };
}
