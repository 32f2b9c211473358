/**
 * A stand-in for the Bot Connector on loopback: it answers the few routes botbuilder's
 * connector client calls (send, reply, update, create conversation, paged members, a
 * team's channels) with the documented JSON shapes and records what was sent. Point an
 * activity's `serviceUrl` at `url` and the bot's replies and proactive messages arrive
 * here over real HTTP.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';

export type ConnectorCallKind = 'send' | 'reply' | 'update' | 'create' | 'members' | 'channels';

export interface ConnectorCall {
  kind: ConnectorCallKind;
  /** The conversation of the route (decoded), e.g. `19:x@thread.tacv2;messageid=7`. */
  conversationId: string;
  /** The message replied to or updated. */
  activityId?: string;
  /** The request body: the activity sent, or the conversation parameters. */
  body?: Partial<Activity> & Record<string, unknown>;
  /** The id answered for a new message. */
  id?: string;
}

export interface TeamsMember {
  id: string;
  name: string;
  aadObjectId: string;
}

export interface StandInConnector {
  /** `http://127.0.0.1:port/`: the `serviceUrl` to put in activities. */
  url: string;
  /** Every call answered with 2xx, in order of arrival. */
  calls: ConnectorCall[];
  /**
   * Answers the next `count` calls (of `kind` only, when given) with `status` and a Bot
   * Connector error body.
   */
  failNext(status: number, count?: number, kind?: ConnectorCallKind): void;
  /**
   * Forgets a conversation, as Teams does one it no longer has: every call to it is
   * answered 404 `ConversationNotFound` from now on.
   */
  forget(conversationId: string): void;
  /** Someone joins the team: `pagedmembers` lists them from now on. */
  join(member: TeamsMember): void;
  /** How many calls were answered with an error. */
  failed(): number;
  close(): Promise<void>;
}

export interface StandInOptions {
  /** The team roster `pagedmembers` answers with. */
  members?: readonly TeamsMember[];
  /**
   * The team's channels, as `GET /v3/teams/{id}/conversations` lists them (Teams gives the
   * team's first channel, General, no name).
   */
  channels?: ReadonlyArray<{ id: string; name?: string }>;
  /** Keep no record of calls (a benchmark sends thousands). */
  record?: boolean;
  /** Told of every call answered with 2xx, recorded or not. */
  onCall?: (call: ConnectorCall) => void;
}

const TEAM_CHANNELS = /^\/v3\/teams\/(?<team>[^/]+)\/conversations$/;
const ROUTE =
  /^\/v3\/conversations(?:\/(?<conv>[^/]+)(?:\/(?<tail>activities|pagedmembers)(?:\/(?<act>[^/]+))?)?)?$/;

export async function startBotConnector(options: StandInOptions = {}): Promise<StandInConnector> {
  const calls: ConnectorCall[] = [];
  const record = options.record ?? true;
  let failures: { status: number; left: number; kind?: ConnectorCallKind } | null = null;
  let failedCount = 0;
  let seq = 0;
  const forgotten = new Set<string>();
  const roster = [...(options.members ?? [])];

  const json = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? (JSON.parse(raw) as ConnectorCall['body']) : undefined;
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const path = url.pathname.replace(/\/+$/, '');
    const team = TEAM_CHANNELS.exec(path)?.groups?.team;
    const m = ROUTE.exec(path);

    const conv = m?.groups?.conv ? decodeURIComponent(m.groups.conv) : '';
    const act = m?.groups?.act ? decodeURIComponent(m.groups.act) : undefined;
    const tail = m?.groups?.tail;
    const kind: ConnectorCallKind | undefined = team
      ? 'channels'
      : !conv
        ? 'create'
        : tail === 'pagedmembers'
          ? 'members'
          : req.method === 'PUT'
            ? 'update'
            : act
              ? 'reply'
              : 'send';
    if (failures && failures.left > 0 && (!failures.kind || failures.kind === kind)) {
      failures.left--;
      failedCount++;
      return json(res, failures.status, {
        error: { code: 'ServiceError', message: `stand-in answered ${failures.status}` },
      });
    }
    const note = (call: ConnectorCall) => {
      if (record) calls.push(call);
      options.onCall?.(call);
    };
    if (team && req.method === 'GET') {
      note({ kind: 'channels', conversationId: decodeURIComponent(team) });
      return json(res, 200, {
        conversations: (options.channels ?? []).map((c) => ({ ...c, channelType: 'standard' })),
      });
    }
    if (!m) return json(res, 404, { error: { code: 'NotFound', message: url.pathname } });
    if (forgotten.has(conv.split(';')[0]!)) {
      failedCount++;
      return json(res, 404, {
        error: { code: 'ConversationNotFound', message: 'Conversation not found.' },
      });
    }

    if (req.method === 'POST' && !conv) {
      const id = `a:personal-${++seq}`;
      note({ kind: 'create', conversationId: id, body });
      return json(res, 201, { id, activityId: '', serviceUrl: '' });
    }
    if (req.method === 'GET' && tail === 'pagedmembers') {
      note({ kind: 'members', conversationId: conv });
      return json(res, 200, {
        members: roster.map((p) => ({ ...p, userPrincipalName: '' })),
      });
    }
    if (tail === 'activities' && req.method === 'POST') {
      const id = `${Date.now()}${String(++seq).padStart(6, '0')}`;
      note({ kind: act ? 'reply' : 'send', conversationId: conv, activityId: act, body, id });
      return json(res, 201, { id });
    }
    if (tail === 'activities' && req.method === 'PUT' && act) {
      note({ kind: 'update', conversationId: conv, activityId: act, body });
      return json(res, 200, { id: act });
    }
    return json(res, 405, {
      error: { code: 'BadArgument', message: `${req.method} ${url.pathname}` },
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => json(res, 500, { error: { code: 'ServiceError' } }));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    failNext(status, count = 1, kind) {
      failures = { status, left: count, kind };
    },
    forget(conversationId) {
      forgotten.add(conversationId);
    },
    join(member) {
      roster.push(member);
    },
    failed: () => failedCount,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
