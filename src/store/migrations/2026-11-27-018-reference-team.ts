import type { Kysely, Migration } from 'kysely';

/**
 * The team a channel's reference belongs to, so that the intake channel is forgotten
 * when the app is removed from its team or the team is deleted (Teams then sends the
 * team's id, not the channel's). Null for 1:1 chats, and for references stored before.
 */
export function referenceTeam(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('teams_reference').addColumn('team_id', 'text').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('teams_reference').dropColumn('team_id').execute();
    },
  };
}
