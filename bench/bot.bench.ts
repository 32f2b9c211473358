/**
 * Bot benchmark: claim / unclaim presses on the consultation card, sent over HTTP to
 * `/api/messages` of the real server (SQLite in a temporary directory), at several
 * concurrencies; then the same load against a minimal echo bot on the same stack
 * (restify, CloudAdapter, TeamsActivityHandler answering with a small card). Prints
 * p50 / p99 latency and throughput for both, and their ratio. Not a test.
 *
 *   npm run bench:bot -- --requests 1000 --concurrency 1,10,50
 *
 * Each bot runs in its own process; so does a stand-in Bot Connector on loopback that
 * answers the send / reply / update routes, so the desk's after-work (the channel card
 * updated, a line in its thread) is real HTTP through botbuilder, as in production.
 * The load generator keeps `concurrency` requests in flight (a closed loop); worker i
 * presses on consultation i only, alternating claim and unclaim, each press with a fresh
 * activity id and the version the previous answer's card showed, so every press is a
 * real change (a conflict or refusal would show as a banner and is counted).
 *
 * Options:
 *   --requests N        presses per concurrency level (default 1000)
 *   --concurrency L     comma-separated levels (default 1,10,50)
 *   --warmup N          unmeasured presses before the first level, at the highest
 *                       concurrency (default 3000: after 300, the desk's first level
 *                       still took a third more CPU a press than the later ones); each
 *                       level also starts with 2 × c unmeasured presses, so that its c
 *                       connections are open
 *   --teams-limits      keep Teams' rate limits in the gateway (7 a second per
 *                       conversation, …, 30 a second for the app): the after-work then
 *                       waits for hours and the figures leave it out. Default: limits
 *                       lifted, after-work runs during the load.
 *   --log-level L       the servers' log level (default info; lines go to /dev/null)
 *   --only desk|echo    run one bot
 *   --echo-card full    the echo bot answers with the desk's full card, built per press
 *                       from a fixed record (no database, no after-work) instead of a
 *                       one-line card: what the stack and the card alone cost
 *   --echo-server sample  the echo bot set up as botbuilder's samples set one up (restify
 *                       with its body parser, the stock CloudAdapter) instead of on the
 *                       desk's own server and adapter
 *   --profile DIR       write a V8 CPU profile of each level's presses (start-up, set-up and
 *                       warm-up left out) of each server into DIR, and summarise the last
 *   --json FILE         also write the figures as JSON
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { Agent, request } from 'node:http';
import { Session } from 'node:inspector';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  TeamsActivityHandler,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type TurnContext,
} from 'botbuilder';
import { createTeamsSurface } from '../bot';
import { createAdapter } from '../bot/adapter';
import { ADAPTIVE_CARD_CONTENT_TYPE, consultationCard, noticeCard } from '../bot/cards';
import {
  RateLimiter,
  TEAMS_APP_LIMITS,
  TEAMS_CONVERSATION_LIMITS,
  type Window,
} from '../bot/outbound/rate-limiter';
import { BotConnectorGateway } from '../bot/outbound/teams-gateway';
import { personalView, type CardContext, type ReplyFacts } from '../bot/views';
import type { LogLevel } from '../src/config';
import { ConsultationService } from '../src/consultation/consultation.service';
import { directoryFromRoles } from '../src/consultation/directory';
import type { Action, Actor } from '../src/consultation/types';
import { CATEGORIES } from '../src/knowledge/knowledge';
import { createLogger } from '../src/logger';
import { createServer } from '../src/server/app';
import { restify } from '../src/server/restify';
import { openStore } from '../src/store/store';
import { startBotConnector, type ConnectorCall } from '../tests/support/bot-connector';
import { testConfig } from '../tests/support/config';
import { consultationRecord } from '../tests/support/fixtures';
import {
  PEOPLE,
  ROLES,
  channelInvoke,
  installInTeam,
  personalInvoke,
  type TeamsUser,
} from '../tests/support/teams-activities';

// ---------------------------------------------------------------------------------------
// options

interface Options {
  requests: number;
  levels: number[];
  warmup: number;
  teamsLimits: boolean;
  logLevel: LogLevel;
  only: 'desk' | 'echo' | null;
  /** What the echo bot answers with: a one-line card, or the desk's full card. */
  echoCard: 'line' | 'full';
  /** The echo bot's server and adapter: the desk's own, or as botbuilder's samples make them. */
  echoServer: 'desk' | 'sample';
  profile: string | null;
  json: string | null;
}

function options(argv: string[]): Options {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    if (i >= 0) return argv[i + 1];
    return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  };
  const num = (v: string | undefined, dflt: number) => {
    if (v === undefined) return dflt;
    const x = Number(v.replace(/[_,]/g, ''));
    if (!Number.isInteger(x) || x < 0) throw new Error(`not a whole number: ${v}`);
    return x;
  };
  const only = arg('only') ?? null;
  if (only !== null && only !== 'desk' && only !== 'echo') throw new Error(`--only desk|echo`);
  const echoCard = arg('echo-card') ?? 'line';
  if (echoCard !== 'line' && echoCard !== 'full') throw new Error(`--echo-card line|full`);
  const echoServer = arg('echo-server') ?? 'desk';
  if (echoServer !== 'desk' && echoServer !== 'sample') {
    throw new Error(`--echo-server desk|sample`);
  }
  return {
    requests: num(arg('requests'), 1000),
    levels: (arg('concurrency') ?? '1,10,50').split(',').map((v) => num(v, 1)),
    warmup: num(arg('warmup'), 3000),
    teamsLimits: argv.includes('--teams-limits'),
    logLevel: (arg('log-level') ?? 'info') as LogLevel,
    only,
    echoCard,
    echoServer,
    profile: arg('profile') ? resolve(arg('profile')!) : null,
    json: arg('json') ?? null,
  };
}

// ---------------------------------------------------------------------------------------
// the processes: each child answers a few IPC messages

type Role = 'desk' | 'echo' | 'connector';
type Request =
  | { type: 'idle' }
  | { type: 'cpu' }
  | { type: 'limits' }
  | { type: 'cards' }
  | { type: 'stats' }
  | { type: 'stop' };

/** CPU time this process has used, in milliseconds. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function reply(message: unknown): void {
  process.send!(message);
}

/**
 * With --profile: a V8 CPU profile of each measured level only (from the CPU reading before
 * it to the one after), without start-up, set-up and warm-up, so that the profile's share
 * of a press is the press's.
 */
function measuredCpu(dir: string | null): () => Promise<number> {
  const session = new Session();
  let levels = 0;
  let running = false;
  const post = <T>(method: string) =>
    new Promise<T>((ok, fail) =>
      session.post(method, (err, result) => (err ? fail(err) : ok(result as T))),
    );
  return async () => {
    if (!dir) return cpuMs();
    if (!running) {
      if (levels === 0) session.connect();
      await post('Profiler.enable');
      await post('Profiler.start');
      running = true;
      return cpuMs();
    }
    const cpu = cpuMs();
    const { profile } = await post<{ profile: unknown }>('Profiler.stop');
    running = false;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `level-${++levels}.cpuprofile`), JSON.stringify(profile));
    return cpu;
  };
}

/** The desk as `src/main.ts` builds it, with the gateway pointed at the stand-in connector. */
async function serveDesk(o: Options): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-bench-bot-'));
  const config = testConfig({ roles: ROLES, logLevel: o.logLevel });
  const logger = createLogger(config, pino.destination({ dest: '/dev/null', sync: true }));
  const store = await openStore({ sqlitePath: join(dir, 'bench.db') });
  const directory = directoryFromRoles(config.roles);
  const service = new ConsultationService({
    store,
    directory,
    categoryIds: new Set(CATEGORIES.map((c) => c.id)),
  });
  const adapter = createAdapter(config.bot, logger);
  // With --teams-limits the limits apply from the warm-up on; the records' cards are
  // posted without them.
  const windows: Window[] = [];
  const appWindows: Window[] = [];
  const limiter = new RateLimiter(windows, undefined, undefined, appWindows);
  const gateway = new BotConnectorGateway(adapter, '', limiter);
  const teams = createTeamsSurface({ config, store, service, directory, logger, gateway });
  const app = createServer({ config, logger, store, surfaces: [teams.register] });
  const { url } = await app.listen();
  const cpu = measuredCpu(o.profile && join(o.profile, 'desk'));
  process.on('message', (m: Request) => {
    void (async () => {
      if (m.type === 'idle') {
        // Under Teams' limits the after-work takes hours: not waited for.
        if (windows.length > 0) return reply({ type: 'idle', ms: NaN });
        const started = performance.now();
        await teams.background.idle();
        reply({ type: 'idle', ms: performance.now() - started });
      } else if (m.type === 'cpu') {
        reply({ type: 'cpu', cpu: await cpu() });
      } else if (m.type === 'limits') {
        if (o.teamsLimits) {
          windows.push(...TEAMS_CONVERSATION_LIMITS);
          appWindows.push(...TEAMS_APP_LIMITS);
        }
        reply({ type: 'limits' });
      } else if (m.type === 'cards') {
        const rows = await store.db
          .selectFrom('consultation')
          .select(['id', 'version', 'state', 'card_activity_id'])
          .execute();
        reply({ type: 'cards', rows });
      } else if (m.type === 'stop') {
        if (windows.length === 0) await teams.background.idle();
        await app.close();
        await store.close();
        rmSync(dir, { recursive: true, force: true });
        process.exit(0);
      }
    })();
  });
  reply({ type: 'ready', url });
}

/**
 * The smallest bot on the same stack: every card press answered with a one-line card or,
 * with `--echo-card full`, with the card the desk would answer (built per press).
 */
class EchoBot extends TeamsActivityHandler {
  constructor(private readonly answer: (verb: string) => unknown) {
    super();
  }

  protected override async onAdaptiveCardInvoke(
    _ctx: TurnContext,
    value: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    return {
      statusCode: 200,
      type: ADAPTIVE_CARD_CONTENT_TYPE,
      value: this.answer(value.action.verb ?? '') as Record<string, unknown>,
    };
  }
}

/**
 * The presser's card as the desk builds it after a claim or an unclaim, from a fixed
 * record: the same builders, forms and size, without the database or the after-work.
 */
function fullCardAnswer(): (verb: string) => unknown {
  const { firstLine, specialist, specialist2 } = PEOPLE;
  const presser: Actor = { id: firstLine.aadObjectId, name: firstLine.name, roles: ['first-line'] };
  const ctx: CardContext = {
    specialists: [specialist, specialist2].map((p) => ({ id: p.aadObjectId, name: p.name })),
    refreshUserIds: Object.values(PEOPLE).map((p) => p.id),
    ledgerUrl: (id) => `https://teams.microsoft.com/l/entity/app/ledger?context=${id}`,
  };
  const reply: ReplyFacts = {
    options: { plan: null, mailConfigured: false, notice: null },
    latest: null,
    retryable: false,
  };
  return (verb) => {
    const claimed = verb === 'claim';
    const c = consultationRecord({
      state: claimed ? 'claimed' : 'received',
      firstLineOwner: claimed ? { id: presser.id, name: presser.name } : null,
      teamsCard: { conversationId: '19:intake@thread.tacv2', activityId: '1700000000000' },
    });
    const lastChange = {
      action: verb as Action,
      by: { id: presser.id, name: presser.name },
      at: new Date().toISOString(),
    };
    return consultationCard(personalView(presser, c, lastChange, ctx, reply), 'ja');
  };
}

async function serveEcho(o: Options): Promise<void> {
  const bot = new EchoBot(
    o.echoCard === 'full' ? fullCardAnswer() : (verb) => noticeCard(`${verb}: ok`),
  );
  const cpu = measuredCpu(o.profile && join(o.profile, 'echo'));
  if (o.echoServer === 'sample') return serveSampleEcho(bot, cpu);
  const config = testConfig({ logLevel: o.logLevel });
  const logger = createLogger(config, pino.destination({ dest: '/dev/null', sync: true }));
  const adapter = createAdapter(config.bot, logger);
  const app = createServer({
    config,
    logger,
    store: { ping: async () => undefined },
    surfaces: [
      (server) =>
        server.post({ path: '/api/messages', name: 'bot' }, async (req, res) => {
          await adapter.process(req, res, (ctx) => bot.run(ctx));
        }),
    ],
  });
  const { url } = await app.listen();
  process.on('message', (m: Request) => {
    if (m.type === 'idle') reply({ type: 'idle', ms: 0 });
    if (m.type === 'cpu') void cpu().then((ms) => reply({ type: 'cpu', cpu: ms }));
    if (m.type === 'stop') void app.close().then(() => process.exit(0));
  });
  reply({ type: 'ready', url });
}

/**
 * The echo bot as botbuilder's samples set one up: restify with its own body parser, the
 * stock CloudAdapter and its authentication (local mode: no app id), and no middleware of
 * the desk's (request ids, security headers, request log).
 */
async function serveSampleEcho(bot: EchoBot, cpu: () => Promise<number>): Promise<void> {
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser());
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (ctx) => bot.run(ctx));
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address();
  process.on('message', (m: Request) => {
    if (m.type === 'idle') reply({ type: 'idle', ms: 0 });
    if (m.type === 'cpu') void cpu().then((ms) => reply({ type: 'cpu', cpu: ms }));
    if (m.type === 'stop') server.close(() => process.exit(0));
  });
  reply({ type: 'ready', url: `http://127.0.0.1:${port}` });
}

/** The stand-in Bot Connector: counts calls, and keeps the version each card was last updated to. */
async function serveConnector(): Promise<void> {
  const counts: Record<string, number> = {};
  const lastVersion: Record<string, number | null> = {};
  const connector = await startBotConnector({
    members: Object.values(PEOPLE),
    record: false,
    onCall: (call: ConnectorCall) => {
      counts[call.kind] = (counts[call.kind] ?? 0) + 1;
      if (call.kind === 'update' && call.activityId) {
        lastVersion[call.activityId] = versionOn(call.body?.attachments?.[0]?.content);
      }
    },
  });
  process.on('message', (m: Request) => {
    if (m.type === 'stats') reply({ type: 'stats', counts, lastVersion });
    if (m.type === 'stop') void connector.close().then(() => process.exit(0));
  });
  reply({ type: 'ready', url: connector.url });
}

interface Child {
  url: string;
  proc: ChildProcess;
  ask<T>(m: Request): Promise<T>;
  stop(): Promise<void>;
}

async function start(role: Role, o: Options, argv: string[]): Promise<Child> {
  const proc = fork(__filename, ['--role', role, ...argv], {
    execArgv: process.execArgv,
    stdio: 'inherit',
  });
  const waiting: Array<(m: { type: string }) => void> = [];
  proc.on('message', (m: { type: string }) => waiting.shift()?.(m));
  const ready = await new Promise<{ url: string }>((resolveReady, reject) => {
    waiting.push((m) => resolveReady(m as unknown as { url: string }));
    proc.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
  });
  return {
    url: ready.url,
    proc,
    ask: <T>(m: Request) =>
      new Promise<T>((resolveAsk) => {
        waiting.push((answer) => resolveAsk(answer as T));
        proc.send(m);
      }),
    stop: () =>
      new Promise<void>((resolveStop) => {
        proc.removeAllListeners('exit');
        proc.once('exit', () => resolveStop());
        proc.send({ type: 'stop' });
      }),
  };
}

// ---------------------------------------------------------------------------------------
// the load

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function post(url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolvePost, reject) => {
    const req = request(
      `${url}/api/messages`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolvePost({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The version the card's buttons carry (what the next press sends), or null. */
function versionOn(node: unknown): number | null {
  if (Array.isArray(node)) {
    for (const n of node) {
      const v = versionOn(n);
      if (v !== null) return v;
    }
  } else if (node && typeof node === 'object') {
    const o = node as { type?: unknown; verb?: unknown; data?: { version?: unknown } };
    if (o.type === 'Action.Execute' && o.verb !== 'refresh' && typeof o.data?.version === 'number')
      return o.data.version;
    for (const [key, v] of Object.entries(node)) {
      if (key === 'refresh') continue;
      const found = versionOn(v);
      if (found !== null) return found;
    }
  }
  return null;
}

/** One consultation card and the person pressing on it. */
interface Target {
  id: number;
  version: number;
  claimed: boolean;
  who: TeamsUser;
  cardId: string;
}

interface Run {
  latencies: number[];
  wallMs: number;
  failed: number;
  banners: number;
}

/** `requests` presses, `concurrency` at a time: worker i presses on target i only. */
async function load(
  url: string,
  connectorUrl: string,
  targets: Target[],
  requests: number,
  concurrency: number,
): Promise<Run> {
  const latencies: number[] = [];
  let issued = 0;
  let failed = 0;
  let banners = 0;
  const worker = async (t: Target) => {
    while (issued < requests) {
      issued++;
      const verb = t.claimed ? 'unclaim' : 'claim';
      const body = JSON.stringify(
        channelInvoke(
          connectorUrl,
          t.who,
          verb,
          { consultationId: t.id, version: t.version },
          { replyToId: t.cardId, id: `f:${randomUUID()}` },
        ),
      );
      const t0 = performance.now();
      const res = await post(url, body);
      latencies.push(performance.now() - t0);
      if (res.status !== 200) {
        failed++;
        continue;
      }
      const card = (JSON.parse(res.text) as { value?: { body?: Array<{ style?: string }> } }).value;
      if (card?.body?.[0]?.style === 'attention') banners++;
      t.version = versionOn(card) ?? t.version;
      t.claimed = !t.claimed;
    }
  };
  const started = performance.now();
  await Promise.all(targets.slice(0, concurrency).map(worker));
  return { latencies, wallMs: performance.now() - started, failed, banners };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;

interface Figures {
  concurrency: number;
  requests: number;
  p50: number;
  p99: number;
  max: number;
  perSecond: number;
  failed: number;
  banners: number;
  /** CPU time of the server process per press, its after-work included. */
  cpuMsPerPress: number;
  /** How long the after-work went on after the last answer (null: not waited for). */
  drainMs: number | null;
}

function figures(
  concurrency: number,
  r: Run,
  cpuMsPerPress: number,
  drainMs: number | null,
): Figures {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  return {
    concurrency,
    requests: r.latencies.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1]!,
    perSecond: (r.latencies.length / r.wallMs) * 1000,
    failed: r.failed,
    banners: r.banners,
    cpuMsPerPress,
    drainMs,
  };
}

// ---------------------------------------------------------------------------------------
// the desk's records, and the run of one bot

const STAFF = [PEOPLE.lead, PEOPLE.firstLine];

async function prepareDesk(desk: Child, connectorUrl: string, n: number): Promise<Target[]> {
  const install = await post(desk.url, JSON.stringify(installInTeam(connectorUrl, PEOPLE.lead)));
  if (install.status !== 200) throw new Error(`install answered ${install.status}`);
  for (let i = 0; i < n; i++) {
    const res = await post(
      desk.url,
      JSON.stringify(
        personalInvoke(connectorUrl, PEOPLE.firstLine, 'intake.submit', {
          formId: `bench-${i}`,
          channel: 'phone',
          'consulter.organisation': `ベンチ株式会社${i + 1}`,
          categoryId: CATEGORIES[i % CATEGORIES.length]!.id,
          urgency: 'normal',
          subject: `負荷試験の相談 ${i + 1}`,
          details: '共有フォルダのファイルが開けなくなった。',
        }),
      ),
    );
    if (res.status !== 200) throw new Error(`intake answered ${res.status}`);
  }
  await desk.ask({ type: 'idle' });
  const { rows } = await desk.ask<{
    rows: Array<{ id: number; version: number; card_activity_id: string | null }>;
  }>({
    type: 'cards',
  });
  return rows.map((r, i) => {
    if (!r.card_activity_id) throw new Error(`consultation ${r.id} has no card`);
    return {
      id: r.id,
      version: r.version,
      claimed: false,
      who: STAFF[i % 2]!,
      cardId: r.card_activity_id,
    };
  });
}

interface BotResult {
  bot: 'desk' | 'echo';
  levels: Figures[];
  /** Desk only: calls the stand-in connector answered, and cards left behind their record. */
  connector?: Record<string, number>;
  staleCards?: number;
}

const BOTS = ['desk', 'echo'] as const;

/**
 * Both servers run side by side; each level is run against the desk, then (once the desk's
 * after-work is done) against the echo bot, so both see the same machine.
 */
async function runAll(o: Options, argv: string[], connector: Child): Promise<BotResult[]> {
  const bots = BOTS.filter((b) => !o.only || o.only === b);
  const servers = new Map<string, Child>();
  try {
    for (const bot of bots) servers.set(bot, await start(bot, o, argv));
    const most = Math.max(...o.levels);
    const targets = new Map<string, Target[]>();
    for (const bot of bots) {
      const server = servers.get(bot)!;
      targets.set(
        bot,
        bot === 'desk'
          ? await prepareDesk(server, connector.url, most)
          : Array.from({ length: most }, (_, i) => ({
              id: i + 1,
              version: 1,
              claimed: false,
              who: STAFF[i % 2]!,
              cardId: `echo-${i}`,
            })),
      );
      if (bot === 'desk') await server.ask({ type: 'limits' });
      if (o.warmup > 0) await load(server.url, connector.url, targets.get(bot)!, o.warmup, most);
      await server.ask({ type: 'idle' });
    }

    const results = new Map<string, BotResult>(bots.map((b) => [b, { bot: b, levels: [] }]));
    for (const c of o.levels) {
      for (const bot of bots) {
        const server = servers.get(bot)!;
        // Open the level's c connections first, as the Bot Service keeps its own open: a
        // saturated server serves requests on new connections last (seconds late at c=50,
        // echo bot included), which would measure connection set-up, not the bot. Those
        // left from the last level are closed first: a server may be closing them (Node's
        // default is 5 idle seconds), and a request sent on one then fails.
        for (const sockets of Object.values(agent.freeSockets)) {
          for (const socket of sockets ?? []) socket.destroy();
        }
        await load(server.url, connector.url, targets.get(bot)!, 2 * c, c);
        await server.ask({ type: 'idle' });
        const before = await server.ask<{ cpu: number }>({ type: 'cpu' });
        const run = await load(server.url, connector.url, targets.get(bot)!, o.requests, c);
        // The level's after-work is done before the next one starts, and its CPU counted.
        const { ms: drainMs } = await server.ask<{ ms: number | null }>({ type: 'idle' });
        const after = await server.ask<{ cpu: number }>({ type: 'cpu' });
        const f = figures(c, run, (after.cpu - before.cpu) / run.latencies.length, drainMs);
        results.get(bot)!.levels.push(f);
        process.stdout.write(
          `  ${bot} c=${c}: p50 ${f.p50.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms, ` +
            `${f.perSecond.toFixed(0)}/s, ${f.cpuMsPerPress.toFixed(2)} ms CPU a press` +
            `${f.failed ? `, ${f.failed} failed` : ''}${f.banners ? `, ${f.banners} banners` : ''}\n`,
        );
      }
    }

    const desk = results.get('desk');
    if (desk) {
      const { counts, lastVersion } = await connector.ask<{
        counts: Record<string, number>;
        lastVersion: Record<string, number | null>;
      }>({ type: 'stats' });
      const { rows } = await servers.get('desk')!.ask<{
        rows: Array<{ version: number; card_activity_id: string | null }>;
      }>({ type: 'cards' });
      // The channel card Teams shows last must carry the record's current version.
      desk.connector = counts;
      desk.staleCards = rows.filter(
        (r) =>
          r.card_activity_id &&
          lastVersion[r.card_activity_id] !== undefined &&
          lastVersion[r.card_activity_id] !== r.version,
      ).length;
    }
    return [...results.values()];
  } finally {
    for (const server of servers.values()) await server.stop();
  }
}

// ---------------------------------------------------------------------------------------
// CPU profile summary

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Self time by part of the stack (from the code's location), and the busiest functions. */
function summariseProfile(file: string, presses: number): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, ProfileNode>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n);
  // Native code (no script: SQLite's statements, JSON, socket writes) is counted with the
  // code that called it.
  const urlOf = (n: ProfileNode | undefined): string =>
    !n ? '' : n.callFrame.url || urlOf(parent.get(n.id));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const part = (url: string, fn: string): string => {
    if (fn === '(idle)') return 'idle';
    if (fn === '(garbage collector)') return 'garbage collection';
    if (fn === '(program)') return 'native / other';
    const rules: Array<[RegExp, string]> = [
      [/better-sqlite3|kysely/, 'database driver (better-sqlite3, kysely)'],
      [/botbuilder|botframework|@azure|adaptivecards/, 'botbuilder'],
      [/\/bot\/cards\//, 'card building'],
      [/\/bot\//, 'bot handler'],
      [/\/src\/consultation\//, 'consultation service'],
      [/\/src\/teams\/|\/src\/store\//, 'desk and store code'],
      [/pino|sonic-boom|fast-redact/, 'logging'],
      [/restify|find-my-way|\/src\/server\//, 'http framework'],
      [/zod/, 'validation (zod)'],
      [/^node:|^internal|^$/, 'node core (http, json, streams)'],
    ];
    return rules.find(([re]) => re.test(url))?.[1] ?? 'other libraries';
  };
  const parts = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const name = part(urlOf(n), n.callFrame.functionName);
    if (name === 'idle') {
      idle += us;
      continue;
    }
    total += us;
    parts.set(name, (parts.get(name) ?? 0) + us);
    const where = n.callFrame.url
      .replace(/^.*node_modules\//, '')
      .replace(/^file:\/\/.*?\/(bot|src)\//, '$1/');
    const key = `${n.callFrame.functionName || '(anonymous)'}  ${where}:${n.callFrame.lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)} %`;
  const perPress = (us: number) => `${(us / presses / 1000).toFixed(3).padStart(6)} ms`;
  const lines = [
    `  busy ${(total / 1e6).toFixed(1)} s (${perPress(total).trim()} a press), idle ${(idle / 1e6).toFixed(1)} s`,
  ];
  for (const [name, us] of [...parts].sort((a, b) => b[1] - a[1]))
    lines.push(`  ${pct(us)}  ${perPress(us)} a press  ${name}`);
  lines.push('  busiest functions (self time):');
  for (const [name, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, 20))
    lines.push(`  ${pct(us)}  ${name}`);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------

function table(results: BotResult[]): string {
  const rows = [
    [
      'bot',
      'concurrency',
      'p50 ms',
      'p99 ms',
      'max ms',
      'per second',
      'CPU ms a press',
      'after-work drain ms',
    ],
  ];
  for (const r of results) {
    for (const f of r.levels) {
      rows.push([
        r.bot,
        String(f.concurrency),
        f.p50.toFixed(1),
        f.p99.toFixed(1),
        f.max.toFixed(1),
        f.perSecond.toFixed(0),
        f.cpuMsPerPress.toFixed(2),
        f.drainMs === null ? '–' : f.drainMs.toFixed(0),
      ]);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) => r.map((c, i) => (i < 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '))
    .join('\n');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const roleAt = argv.indexOf('--role');
  const o = options(argv);
  if (roleAt >= 0) {
    const role = argv[roleAt + 1] as Role;
    if (role === 'desk') return serveDesk(o);
    if (role === 'echo') return serveEcho(o);
    return serveConnector();
  }

  process.stdout.write(
    `Bot benchmark: ${o.requests} presses per level at concurrency ${o.levels.join(', ')}; ` +
      `${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 1024 ** 3).toFixed(0)} GB, ` +
      `Node ${process.versions.node}, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(
          ' ',
        )}; Teams rate limits ${o.teamsLimits ? 'kept' : 'lifted'}; log level ${o.logLevel}` +
      `; the echo bot answers with ${o.echoCard === 'full' ? "the desk's full card (no database)" : 'a one-line card'}` +
      `${o.echoServer === 'sample' ? ", set up as in botbuilder's samples" : " on the desk's server and adapter"}\n`,
  );
  const connector = await start('connector', o, argv);
  let results: BotResult[];
  try {
    results = await runAll(o, argv, connector);
  } finally {
    await connector.stop();
    agent.destroy();
  }

  process.stdout.write(`\n${table(results)}\n`);
  const desk = results.find((r) => r.bot === 'desk');
  const echo = results.find((r) => r.bot === 'echo');
  if (desk && echo) {
    process.stdout.write('\ndesk / echo:\n');
    for (const d of desk.levels) {
      const e = echo.levels.find((x) => x.concurrency === d.concurrency);
      if (!e) continue;
      process.stdout.write(
        `  c=${d.concurrency}: throughput ${(d.perSecond / e.perSecond).toFixed(2)}×, ` +
          `p99 ${(d.p99 / e.p99).toFixed(1)}× (${d.p99.toFixed(1)} vs ${e.p99.toFixed(1)} ms), ` +
          `CPU a press ${(d.cpuMsPerPress / e.cpuMsPerPress).toFixed(1)}×\n`,
      );
    }
  }
  if (desk) {
    // The measured presses, the warm-up, and each level's 2 × c opening ones.
    const presses = desk.levels.reduce((s, f) => s + f.requests + 2 * f.concurrency, o.warmup);
    process.stdout.write(
      `\ndesk after-work: ${presses} presses → ${JSON.stringify(desk.connector)} at the connector; ` +
        (o.teamsLimits
          ? "channel cards not checked (their updates wait for Teams' pace)\n"
          : `${desk.staleCards} channel cards not at their record's version\n`),
    );
    const top = desk.levels.find((f) => f.concurrency === Math.max(...o.levels))!;
    const e = echo?.levels.find((f) => f.concurrency === top.concurrency);
    process.stdout.write(
      `targets at c=${top.concurrency}: p99 ≤ 100 ms ${top.p99 <= 100 ? 'met' : 'MISSED'}` +
        (e
          ? `; throughput ≥ 0.5× echo ${top.perSecond >= 0.5 * e.perSecond ? 'met' : 'MISSED'}`
          : '') +
        '\n',
    );
  }
  if (o.profile) {
    for (const bot of BOTS) {
      const dir = join(o.profile, bot);
      if (!existsSync(dir)) continue;
      // One profile a level, in the order they ran: the last is the last level's.
      const levels = readdirSync(dir).filter((x) => /^level-\d+\.cpuprofile$/.test(x));
      const last = join(dir, `level-${levels.length}.cpuprofile`);
      if (levels.length > 0)
        process.stdout.write(
          `\nCPU profile of the ${bot} bot, the last level's presses and their after-work (${last}):\n${summariseProfile(last, o.requests)}\n`,
        );
    }
  }
  if (o.json) {
    writeFileSync(
      o.json,
      JSON.stringify(
        {
          machine: { cpus: cpus().length, model: cpus()[0]?.model, memGb: totalmem() / 1024 ** 3 },
          options: o,
          results,
        },
        null,
        2,
      ),
    );
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
