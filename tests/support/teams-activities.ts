/**
 * Bot Framework activities as Teams sends them to `/api/messages` (shapes in
 * docs/agents-playground.md): a 1:1 chat, a team with its intake channel, and the
 * people of env/.env.local's roles. Ids follow the Agents Playground's mock tenant.
 */
import { randomUUID } from 'node:crypto';
import type { Activity, ConversationAccount } from 'botbuilder';

export const TENANT_ID = '00000000-0000-0000-0000-000000000001';
export const BOT = { id: '28:00000000-0000-0000-0000-000000000011', name: 'Madoguchi' };
/** The team's General channel id is the team's id; the intake channel is another channel. */
export const TEAM_ID = '19:team-general@thread.tacv2';
export const INTAKE_CHANNEL_ID = '19:intake-channel@thread.tacv2';

export interface TeamsUser {
  /** Teams user id (`29:…`). */
  id: string;
  name: string;
  /** Entra object id: what roles are keyed by. */
  aadObjectId: string;
}

const user = (n: number, name: string): TeamsUser => ({
  id: `29:user-id-${n}`,
  name,
  aadObjectId: `00000000-0000-0000-0000-00000000002${n}`,
});

/** The roles of env/.env.local, by person. */
export const PEOPLE = {
  /** First line and supervisor. */
  lead: user(0, '受付兼管理者'),
  firstLine: user(1, '受付担当'),
  specialist: user(2, '専門員C'),
  specialist2: user(3, '専門員D'),
  supervisor: user(4, '管理者E'),
  /** In the tenant, in no role. */
  outsider: user(5, '部外者'),
} as const;

/** The roles section of the config, as env/.env.local sets it. */
export const ROLES = {
  'first-line': [PEOPLE.lead.aadObjectId, PEOPLE.firstLine.aadObjectId],
  specialist: [PEOPLE.specialist.aadObjectId, PEOPLE.specialist2.aadObjectId],
  supervisor: [PEOPLE.lead.aadObjectId, PEOPLE.supervisor.aadObjectId],
};

export const personalChatId = (u: TeamsUser) => `a:personal-${u.id}`;

export interface ActivityOptions {
  /** Teams' `locale` of the person's client; default Japanese. */
  locale?: string;
  /** The activity id; default a fresh one. */
  id?: string;
}

/** A channel of the team, as Teams names it in `channelData` (the name may be absent). */
export interface TeamChannel {
  id: string;
  name?: string;
}

/** The intake channel the team starts with. */
export const INTAKE_CHANNEL: TeamChannel = { id: INTAKE_CHANNEL_ID, name: '相談受付' };

function base(
  serviceUrl: string,
  from: TeamsUser,
  opts: ActivityOptions,
): Pick<
  Activity,
  'id' | 'channelId' | 'serviceUrl' | 'from' | 'recipient' | 'locale' | 'timestamp'
> {
  return {
    id: opts.id ?? `f:${randomUUID()}`,
    channelId: 'msteams',
    serviceUrl,
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: BOT,
    locale: opts.locale ?? 'ja-JP',
    timestamp: new Date(),
  };
}

function personal(from: TeamsUser) {
  return {
    conversation: {
      id: personalChatId(from),
      conversationType: 'personal',
      tenantId: TENANT_ID,
      isGroup: false,
    } as ConversationAccount,
    channelData: { tenant: { id: TENANT_ID } },
  };
}

/** A conversation in the intake channel: a post, or the thread under `rootId`. */
function channel(rootId?: string, where: TeamChannel = INTAKE_CHANNEL) {
  return {
    conversation: {
      id: rootId ? `${where.id};messageid=${rootId}` : where.id,
      conversationType: 'channel',
      tenantId: TENANT_ID,
      isGroup: true,
    } as ConversationAccount,
    channelData: {
      team: { id: TEAM_ID, name: '相談窓口チーム' },
      channel: where,
      tenant: { id: TENANT_ID },
    },
  };
}

/** The app added to the team, from the intake channel. */
export function installInTeam(
  serviceUrl: string,
  from: TeamsUser,
  opts: ActivityOptions & {
    /** `add-upgrade` when a new version of the app replaces the installed one. */
    action?: 'add' | 'add-upgrade';
    /** The channel the activity comes from (default: the intake channel). */
    channel?: TeamChannel;
    /** The channel chosen for the app when it was installed (default: the same). */
    selected?: TeamChannel;
    /** The team's id (default: the intake channel's team). */
    team?: string;
  } = {},
): Partial<Activity> {
  const c = channel(undefined, opts.channel);
  if (opts.team) c.channelData.team = { id: opts.team, name: '別のチーム' };
  return {
    type: 'installationUpdate',
    action: opts.action ?? 'add',
    ...base(serviceUrl, from, opts),
    ...c,
    channelData: {
      ...c.channelData,
      settings: { selectedChannel: { id: (opts.selected ?? opts.channel ?? INTAKE_CHANNEL).id } },
      source: { name: 'message' },
    },
  };
}

/** Something that happened in the team, as Teams tells a bot installed there. */
function teamEvent(
  serviceUrl: string,
  by: TeamsUser,
  eventType: string,
  opts: ActivityOptions,
  extra: {
    membersAdded?: Activity['membersAdded'];
    membersRemoved?: Activity['membersRemoved'];
    channel?: TeamChannel;
    team?: string;
  } = {},
): Partial<Activity> {
  const { membersAdded, membersRemoved, team, ...data } = extra;
  const c = inTeam(team);
  return {
    type: 'conversationUpdate',
    ...base(serviceUrl, by, opts),
    ...c,
    ...(membersAdded ? { membersAdded } : {}),
    ...(membersRemoved ? { membersRemoved } : {}),
    channelData: { ...c.channelData, ...data, eventType },
  };
}

/** The first channel of a team (whose id is the team's), where Teams sends team events from. */
function inTeam(team?: string) {
  const c = channel(undefined, { id: team ?? TEAM_ID });
  return team ? { ...c, channelData: { ...c.channelData, team: { id: team } } } : c;
}

/** People added to the team: Teams gives their ids only (no names). */
export function membersAdded(
  serviceUrl: string,
  by: TeamsUser,
  added: TeamsUser[],
  opts: ActivityOptions = {},
): Partial<Activity> {
  return teamEvent(serviceUrl, by, 'teamMemberAdded', opts, {
    membersAdded: added.map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: '' })),
  });
}

/** A channel of the team renamed: `channel` with its new name. */
export function channelRenamed(
  serviceUrl: string,
  by: TeamsUser,
  channel: TeamChannel,
  opts: ActivityOptions = {},
): Partial<Activity> {
  return teamEvent(serviceUrl, by, 'channelRenamed', opts, { channel });
}

/** A channel of the team deleted. */
export function channelDeleted(
  serviceUrl: string,
  by: TeamsUser,
  deleted: TeamChannel,
  opts: ActivityOptions = {},
): Partial<Activity> {
  return teamEvent(serviceUrl, by, 'channelDeleted', opts, { channel: deleted });
}

/**
 * The app removed from a team (`remove`: an installation update from the team's first
 * channel; `botRemoved`: the bot among the members removed), or the team deleted
 * (`teamDeleted`).
 */
export function teamGone(
  serviceUrl: string,
  by: TeamsUser,
  how: 'remove' | 'botRemoved' | 'teamDeleted',
  opts: ActivityOptions & { team?: string } = {},
): Partial<Activity> {
  if (how === 'teamDeleted')
    return teamEvent(serviceUrl, by, 'teamDeleted', opts, { team: opts.team });
  if (how === 'botRemoved')
    return teamEvent(serviceUrl, by, 'teamMemberRemoved', opts, {
      team: opts.team,
      membersRemoved: [{ id: BOT.id, name: BOT.name }],
    });
  return {
    type: 'installationUpdate',
    action: 'remove',
    ...base(serviceUrl, by, opts),
    ...inTeam(opts.team),
  };
}

/** The team archived (read-only) or restored, as Teams tells a bot installed there. */
export function teamArchive(
  serviceUrl: string,
  by: TeamsUser,
  how: 'teamArchived' | 'teamUnarchived',
  opts: ActivityOptions & { team?: string } = {},
): Partial<Activity> {
  return teamEvent(serviceUrl, by, how, opts, { team: opts.team });
}

/** The app added in someone's 1:1 chat. */
export function installPersonal(
  serviceUrl: string,
  from: TeamsUser,
  opts: ActivityOptions & { action?: 'add' | 'add-upgrade' } = {},
): Partial<Activity> {
  return {
    type: 'installationUpdate',
    action: opts.action ?? 'add',
    ...base(serviceUrl, from, opts),
    ...personal(from),
  };
}

/** A message typed in the 1:1 chat with the bot. */
export function personalMessage(
  serviceUrl: string,
  from: TeamsUser,
  text: string,
  opts: ActivityOptions = {},
): Partial<Activity> {
  return {
    type: 'message',
    ...base(serviceUrl, from, opts),
    ...personal(from),
    text,
    textFormat: 'plain',
  };
}

/** A message in the intake channel mentioning the bot. */
export function channelMention(
  serviceUrl: string,
  from: TeamsUser,
  text: string,
  opts: ActivityOptions & { channel?: TeamChannel } = {},
): Partial<Activity> {
  const at = `<at>${BOT.name}</at>`;
  return {
    type: 'message',
    ...base(serviceUrl, from, opts),
    ...channel(undefined, opts.channel),
    text: `${at} ${text}`,
    textFormat: 'plain',
    entities: [{ type: 'mention', mentioned: BOT, text: at }],
  };
}

/**
 * A message in the thread under a channel post (the consultation card `rootId`), with
 * the bot mentioned or not (Teams sends unmentioned ones when the app has the
 * resource-specific permission to read channel messages).
 */
export function threadMessage(
  serviceUrl: string,
  from: TeamsUser,
  rootId: string,
  text: string,
  opts: ActivityOptions & { mention?: boolean } = {},
): Partial<Activity> {
  const at = `<at>${BOT.name}</at>`;
  return {
    type: 'message',
    ...base(serviceUrl, from, opts),
    ...channel(rootId),
    replyToId: rootId,
    text: opts.mention === false ? text : `${at} ${text}`,
    textFormat: 'plain',
    entities: opts.mention === false ? [] : [{ type: 'mention', mentioned: BOT, text: at }],
  };
}

export interface InvokeOptions extends ActivityOptions {
  /** The card's message id (`replyToId`). */
  replyToId?: string;
}

/** An Action.Execute pressed on a card in the 1:1 chat (card inputs merged into `data`). */
export function personalInvoke(
  serviceUrl: string,
  from: TeamsUser,
  verb: string,
  data: Record<string, unknown>,
  opts: InvokeOptions = {},
): Partial<Activity> {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    ...base(serviceUrl, from, opts),
    ...personal(from),
    replyToId: opts.replyToId ?? '1700000000000',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

/** An Action.Execute pressed on the consultation card in the intake channel. */
export function channelInvoke(
  serviceUrl: string,
  from: TeamsUser,
  verb: string,
  data: Record<string, unknown>,
  opts: InvokeOptions = {},
): Partial<Activity> {
  const replyToId = opts.replyToId ?? '1700000000001';
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    ...base(serviceUrl, from, opts),
    ...channel(replyToId),
    replyToId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}
