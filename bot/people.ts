import type { Activity, ConversationReference, TurnContext } from 'botbuilder';
import { TeamsInfo } from 'botbuilder';
import type { Logger } from 'pino';
import { staffIds } from '../src/consultation/directory';
import type { Directory } from '../src/consultation/consultation.service';
import type { Actor, Role } from '../src/consultation/types';
import type { DeskService } from '../src/teams/desk.service';
import type { KnownPerson } from '../src/teams/teams.repository';
import type { Lang } from './i18n';
import { LANG, languageOf } from './turn';

export interface PeopleDeps {
  desk: DeskService<Partial<ConversationReference>>;
  directory: Directory;
  roles: Readonly<Record<Role, readonly string[]>>;
  logger: Logger;
  /** The desk's language for people who have not chosen one (`BOT_LANGUAGE`); null: Teams'. */
  language: Lang | null;
}

/** How long the staff's names and Teams ids are kept before they are read again. */
const STAFF_KEPT_MS = 60_000;

/**
 * The people the bot meets in Teams: who is acting (and in which roles), the names and
 * Teams ids it has seen, and the staff as every card names them.
 */
export class People {
  constructor(private readonly deps: PeopleDeps) {}

  actorOf(activity: Partial<Activity>): Actor {
    const id = activity.from?.aadObjectId ?? activity.from?.id ?? '';
    return { id, name: activity.from?.name ?? id, roles: this.deps.directory.rolesOf(id) };
  }

  /** The Entra object ids configuration gives `role`. */
  holding(role: Role): readonly string[] {
    return this.deps.roles[role];
  }

  /** The name the bot knows a person by (from Teams), if it has met them. */
  async nameOf(aadObjectId: string | undefined): Promise<string | undefined> {
    if (!aadObjectId) return undefined;
    return (await this.deps.desk.person(aadObjectId))?.name;
  }

  /** The staff as the bot knows them (names, Teams ids), kept a minute: every card names them. */
  private staff: { until: number; people: Promise<KnownPerson[]> } | null = null;

  staffPeople(): Promise<KnownPerson[]> {
    const now = Date.now();
    if (!this.staff || now >= this.staff.until) {
      const people = this.deps.desk.people(staffIds(this.deps.roles));
      const kept = { until: now + STAFF_KEPT_MS, people };
      this.staff = kept;
      // A failed read is not kept.
      people.catch(() => {
        if (this.staff === kept) this.staff = null;
      });
    }
    return this.staff.people;
  }

  /** Notes who this is (for names, 1:1 notices, refresh) and the language they chose. */
  async remember(ctx: TurnContext): Promise<void> {
    const from = ctx.activity.from;
    const locale = ctx.activity.locale;
    ctx.turnState.set(LANG, languageOf(null, this.deps.language, locale));
    if (!from?.aadObjectId) return;
    try {
      const known = await this.deps.desk.person(from.aadObjectId);
      if (known?.language) ctx.turnState.set(LANG, known.language);
      const seen: KnownPerson = {
        aadObjectId: from.aadObjectId,
        teamsUserId: from.id,
        name: from.name ?? from.id,
        locale: locale ?? null,
      };
      // Most turns come from someone the bot knows as they are: nothing to write then.
      const same =
        known?.teamsUserId === seen.teamsUserId &&
        known.name === seen.name &&
        known.locale === seen.locale;
      if (same) return;
      await this.deps.desk.rememberPeople([seen]);
      this.staff = null;
    } catch (err) {
      // A convenience: the turn goes on, and says "try again" if it needs the database.
      this.deps.logger.warn(
        { err: { name: (err as Error).name, message: (err as Error).message } },
        'could not remember the sender',
      );
    }
  }

  async rememberTeamMembers(ctx: TurnContext): Promise<void> {
    try {
      const people: KnownPerson[] = [];
      let token: string | undefined;
      do {
        const page = await TeamsInfo.getPagedMembers(ctx, 100, token);
        for (const m of page.members) {
          if (m.aadObjectId)
            people.push({
              aadObjectId: m.aadObjectId,
              teamsUserId: m.id,
              name: m.name,
              locale: null,
            });
        }
        token = page.continuationToken;
      } while (token);
      await this.deps.desk.rememberPeople(people);
      this.staff = null;
    } catch (err) {
      // Names are a convenience; the desk works without them.
      this.deps.logger.warn(
        { err: { message: (err as Error).message } },
        'could not read the team roster',
      );
    }
  }
}
