/**
 * Drives Microsoft 365 Agents Playground (the Teams emulator) over HTTP and its
 * WebSocket stream, for end-to-end tests of the bot without a browser or the cloud.
 * See docs/agents-playground.md for the shapes it sends and answers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'node_modules/@microsoft/m365agentsplayground/cli.js');
const OUTPUT = join(ROOT, 'tests/output');

export interface PlaygroundUser {
  id: string;
  name: string;
  aadObjectId: string;
  userPrincipleName: string;
  givenName: string;
  surname: string;
  email: string;
}

/** `GET /_internal/v1/testConfig` (the Playground's spelling kept: `userPrincipleName`). */
export interface TestConfig {
  config: {
    tenantId: string;
    bot: { id: string; name: string };
    currentUser: PlaygroundUser;
    users: PlaygroundUser[];
    personalChat: { id: string; name: string };
    groupChats: { id: string; name: string; members: string[] }[];
    teams: {
      id: string;
      name: string;
      aadGroupId: string;
      channels: { id: string; name: string; channelType: string }[];
      members: string[];
    }[];
  };
  internalConfig: { locale: string; localTimezone: string; channelId: string };
}

export interface Attachment {
  contentType: string;
  content: unknown;
}

/** One push on `/_ws_conversation/v1/conversations/stream`. */
export interface StreamEvent {
  action: 'createMessage' | 'updateMessage' | 'deleteMessage' | 'typing' | (string & {});
  /** The chat, the channel (for a new post), or `channel;messageid=post` (a reply in a thread). */
  actionConversationId: string;
  message: {
    messageId: string;
    timestamp: number;
    from: { id: string };
    text?: string;
    textFormat?: string;
    attachments?: Attachment[];
    attachmentLayout?: string;
    mentions?: unknown[];
    directLineConversationId?: string;
    /** On a new channel post: the thread's conversation id, `channel;messageid=<messageId>`. */
    postConversationId?: string;
  };
}

/** What `POST …/messages` answers. */
export interface SentMessage {
  messageId: string;
  timestamp: number;
  /** For a post to a channel: the new thread, `channel;messageid=<messageId>`. */
  postConversationId?: string;
}

/** The bot's answer to an invoke, as the Playground passes it on (status code dropped). */
export interface InvokeAnswer {
  type?: string;
  value?: unknown;
}

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. `http://127.0.0.1:3978/api/messages`. */
  botEndpoint: string;
  /** Defaults to a free port. */
  port?: number;
  /** The personal chat's conversation id; defaults to a fresh `personal-<uuid>`. */
  conversationId?: string;
  readyTimeoutMs?: number;
}

export interface Playground {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The bot's `serviceUrl`: `http://localhost:<port>/_connector`. */
  readonly serviceUrl: string;
  readonly personalConversationId: string;
  testConfig(): Promise<TestConfig>;
  /** Installs the bot in a chat or channel: installationUpdate + conversationUpdate. */
  install(conversationId: string): Promise<void>;
  /**
   * A user's message. The Playground always sends it as the current user
   * (`user-id-0`), whatever `fromUserId` says; in a personal chat any other id is
   * refused (400 UserNotFound). In channels and group chats the bot only hears it
   * when mentioned.
   */
  sendMessage(
    conversationId: string,
    fromUserId: string,
    text: string,
    options?: { mentionBot?: boolean },
  ): Promise<SentMessage>;
  /** An Action.Execute press on the card `replyToId`; resolves to the bot's invoke answer. */
  invoke(
    conversationId: string,
    fromUserId: string,
    replyToId: string,
    verb: string,
    data?: Record<string, unknown>,
  ): Promise<InvokeAnswer>;
  /** A template for a custom activity (`install`, `userAdded`, `channelCreated`, …, or a bare one). */
  customActivityTemplate(conversationId: string, type?: string): Promise<Record<string, unknown>>;
  /** Sends any activity to the bot as is (fire and forget: resolves before the bot answers). */
  sendCustomActivity(activity: Record<string, unknown>): Promise<void>;
  /** Every stream event so far, oldest first. */
  events(): StreamEvent[];
  /**
   * The first event (from index `since`, default 0) that matches; waits for one up to
   * `timeoutMs`. Take `events().length` before acting to skip older events.
   */
  waitFor(
    predicate: (e: StreamEvent) => boolean,
    timeoutMs?: number,
    since?: number,
  ): Promise<StreamEvent>;
  /** Stops the Playground's whole process group and closes the stream. */
  stop(): Promise<void>;
}

export class PlaygroundError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what}: HTTP ${status} ${JSON.stringify(body)}`);
    this.name = 'PlaygroundError';
  }
}

/** A port nobody listens on right now (bind port 0, read it, release it). */
export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port')),
      );
    });
  });
}

/**
 * Starts the Playground against a running bot, waits until it answers `pong`, and
 * opens the conversation stream before returning (events that come while nobody
 * listens would go to whoever connects first).
 */
export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const requestedPort = options.port ?? (await freePort());
  const personalConversationId = options.conversationId ?? `personal-${randomUUID()}`;
  mkdirSync(OUTPUT, { recursive: true });
  const child = spawn(
    process.execPath,
    [
      CLI,
      '-e',
      options.botEndpoint,
      '-c',
      'msteams',
      '--dt',
      '-p',
      String(requestedPort),
      '--conversation-id',
      personalConversationId,
    ],
    {
      // Its own process group, so stop() ends it and anything it started.
      detached: true,
      // Anything it writes to its working directory lands in the git-ignored output.
      cwd: OUTPUT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
        M365_AGENTS_PLAYGROUND_LOGFILE: join(OUTPUT, `playground-${requestedPort}.log`),
      },
    },
  );
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  // A test that fails before stop() must not leave the Playground running.
  process.once('exit', killGroup);

  // Its console output, for error messages (the last 32 KB is plenty).
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-32_768));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  try {
    // If the port was taken meanwhile, the Playground silently picks another: read it.
    const port = await listeningPort(
      child,
      () => output,
      requestedPort,
      options.readyTimeoutMs ?? 20_000,
    );
    const url = `http://127.0.0.1:${port}`;
    await waitForPong(url, child, () => output, options.readyTimeoutMs ?? 20_000);
    const stream = await openStream(
      `ws://127.0.0.1:${port}/_ws_conversation/v1/conversations/stream`,
    );
    return makePlayground({ url, port, personalConversationId, child, stream, killGroup });
  } catch (e) {
    killGroup();
    process.removeListener('exit', killGroup);
    throw e;
  }
}

async function listeningPort(
  child: ChildProcess,
  output: () => string,
  requested: number,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const m = /Listening on (\d+)/.exec(output());
    if (m) return Number(m[1]);
    if (child.exitCode !== null)
      throw new Error(`Playground exited (${child.exitCode}):\n${output()}`);
    await sleep(50);
  }
  // Older builds may not print the line; fall back to the port we asked for.
  return requested;
}

async function waitForPong(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`Playground exited (${child.exitCode}):\n${output()}`);
    try {
      const res = await fetch(`${url}/_debug/ping`);
      if ((await res.text()).includes('pong')) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(`Playground did not answer pong within ${timeoutMs} ms:\n${output()}`);
}

function openStream(address: string): Promise<WebSocket> {
  return new Promise((ok, fail) => {
    const ws = new WebSocket(address);
    ws.once('open', () => ok(ws));
    ws.once('error', fail);
  });
}

interface Parts {
  url: string;
  port: number;
  personalConversationId: string;
  child: ChildProcess;
  stream: WebSocket;
  killGroup: () => void;
}

function makePlayground({
  url,
  port,
  personalConversationId,
  child,
  stream,
  killGroup,
}: Parts): Playground {
  const received: StreamEvent[] = [];
  const waiters = new Set<() => void>();
  stream.on('message', (data: WebSocket.RawData) => {
    try {
      received.push(JSON.parse(data.toString()) as StreamEvent);
    } catch {
      return; // Not an event.
    }
    for (const wake of [...waiters]) wake();
  });

  let config: TestConfig | undefined;
  const testConfig = async (): Promise<TestConfig> =>
    (config ??= await request<TestConfig>('GET', '/_internal/v1/testConfig'));

  async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Plain text answer.
    }
    if (!res.ok) throw new PlaygroundError(res.status, parsed, `${method} ${path}`);
    return parsed as T;
  }

  return {
    url,
    port,
    serviceUrl: `http://localhost:${port}/_connector`,
    personalConversationId,
    testConfig,

    async install(conversationId) {
      await request(
        'POST',
        `/_debug/conversation/${encodeURIComponent(conversationId)}/installation`,
        {},
      );
    },

    async sendMessage(conversationId, fromUserId, text, options = {}) {
      const body: Record<string, unknown> = { from: { id: fromUserId }, text, textFormat: 'plain' };
      if (options.mentionBot) {
        const { bot } = (await testConfig()).config;
        const at = `<at>${bot.name}</at>`;
        body.text = `${at} ${text}`;
        body.mentions = [{ mentioned: { id: bot.id }, text: at }];
      }
      return request<SentMessage>(
        'POST',
        `/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`,
        body,
      );
    },

    invoke(conversationId, fromUserId, replyToId, verb, data = {}) {
      return request<InvokeAnswer>('POST', '/_conversation/v1/invoke', {
        name: 'adaptiveCard/action',
        from: { id: fromUserId },
        conversation: { id: conversationId },
        replyToId,
        value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
      });
    },

    customActivityTemplate(conversationId, type) {
      const q = new URLSearchParams({ conversationId, ...(type ? { type } : {}) });
      return request<Record<string, unknown>>(
        'GET',
        `/_internal/v1/customActivities/template?${q}`,
      );
    },

    async sendCustomActivity(activity) {
      await request('POST', '/_internal/v1/customActivities', activity);
    },

    events: () => [...received],

    waitFor(predicate, timeoutMs = 5_000, since = 0) {
      return new Promise<StreamEvent>((ok, fail) => {
        const check = () => {
          const hit = received.slice(since).find(predicate);
          if (!hit) return false;
          done();
          ok(hit);
          return true;
        };
        const timer = setTimeout(() => {
          done();
          fail(
            new Error(
              `No matching Playground event within ${timeoutMs} ms. Events so far:\n` +
                received.map((e) => JSON.stringify(e)).join('\n'),
            ),
          );
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },

    async stop() {
      stream.terminate();
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          exited.then(() => false),
          new Promise<boolean>((ok) => (timer = setTimeout(() => ok(true), 5_000))),
        ]);
        clearTimeout(timer);
        if (timedOut) {
          killGroup();
          await exited;
        }
      }
      process.removeListener('exit', killGroup);
    },
  };
}

const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));
