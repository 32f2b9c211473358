/**
 * The Agents Playground's request log (`/_ws/log/stream`, what its web page shows in
 * the Log Panel): every activity it sends the bot and every call the bot makes to its
 * mocked connector, with bodies and answers.
 *
 * Tests need it for what the conversation stream never shows: the Playground emulates
 * the current user's (`user-id-0`'s) client, so messages the bot sends to another
 * user's 1:1 chat are accepted but not pushed on the stream. It also gives the exact
 * activity the Playground sent, to deliver it to the bot a second time.
 */
import WebSocket from 'ws';

export interface LogEntry {
  id: string;
  /** The conversation the request was about (absent for `createConversation`). */
  conversationId?: string;
  timestamp: number;
  /** `message`, `invoke`, `installationUpdate`, `createConversation`, … */
  activityName?: string;
  messageId?: string;
  /** `Microsoft 365 Agents Playground` → `User Application` for what the bot received; the other way round for the bot's calls. */
  from?: string;
  to?: string;
  request?: { body?: Record<string, unknown> };
  response?: { statusCode?: number; body?: unknown };
  displayText?: string;
  type?: string;
  level?: string;
}

export interface PlaygroundLog {
  entries(): LogEntry[];
  /** The first entry from index `since` that matches, waiting up to `timeoutMs`. */
  waitFor(
    predicate: (e: LogEntry) => boolean,
    timeoutMs?: number,
    since?: number,
  ): Promise<LogEntry>;
  close(): void;
}

/** The bot's calls to the mocked connector (sent messages, updates, new conversations). */
export const fromBot = (e: LogEntry): boolean => e.from === 'User Application';
/** What the Playground delivered to the bot. */
export const toBot = (e: LogEntry): boolean => e.to === 'User Application';

/** Opens the log stream of the Playground at `port`; entries logged before arrive first. */
export async function openPlaygroundLog(port: number): Promise<PlaygroundLog> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/_ws/log/stream`);
  await new Promise<void>((ok, fail) => {
    ws.once('open', () => ok());
    ws.once('error', fail);
  });
  const received: LogEntry[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data: WebSocket.RawData) => {
    try {
      const parsed = JSON.parse(data.toString()) as { logAction?: string; log?: LogEntry };
      if (parsed.logAction !== 'appendLog' || !parsed.log) return;
      received.push(parsed.log);
    } catch {
      return;
    }
    for (const wake of [...waiters]) wake();
  });
  return {
    entries: () => [...received],
    waitFor(predicate, timeoutMs = 5_000, since = 0) {
      return new Promise<LogEntry>((ok, fail) => {
        const check = () => {
          const hit = received.slice(since).find(predicate);
          if (!hit) return;
          done();
          ok(hit);
        };
        const timer = setTimeout(() => {
          done();
          fail(
            new Error(
              `No matching Playground log entry within ${timeoutMs} ms. Entries so far:\n` +
                received
                  .map(
                    (e) =>
                      `${e.activityName ?? e.type} ${e.conversationId ?? ''} ${e.displayText ?? ''}`,
                  )
                  .join('\n'),
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
    close: () => ws.terminate(),
  };
}
