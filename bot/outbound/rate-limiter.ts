/** A sliding-window limit: at most `limit` starts within any `windowMs`. */
export interface Window {
  limit: number;
  windowMs: number;
}

/**
 * Teams' outbound limits per bot per conversation (Bot Framework rate-limit docs):
 * 7 messages a second, 8 in two seconds, 60 in thirty seconds, 1,800 an hour.
 */
export const TEAMS_CONVERSATION_LIMITS: readonly Window[] = [
  { limit: 7, windowMs: 1_000 },
  { limit: 8, windowMs: 2_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1_800, windowMs: 3_600_000 },
];

/**
 * Teams' limit per app across all of a tenant's conversations: the platform says to design
 * for 30 requests a second.
 */
export const TEAMS_APP_LIMITS: readonly Window[] = [{ limit: 30, windowMs: 1_000 }];

/** The key the app-wide windows are counted under. */
const APP = '\u0000app';

type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Spaces out work per key (a conversation) so that no window's limit is exceeded, and all
 * keys together within the app-wide windows. Work for one key runs in order; different
 * keys do not wait for each other, only for the app-wide windows.
 */
export class RateLimiter {
  private readonly starts = new Map<string, number[]>();
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    private readonly windows: readonly Window[] = TEAMS_CONVERSATION_LIMITS,
    private readonly now: () => number = Date.now,
    private readonly sleep: Sleep = realSleep,
    private readonly appWindows: readonly Window[] = TEAMS_APP_LIMITS,
  ) {}

  /** Runs `fn` for `key` as soon as the limits allow. */
  schedule<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(async () => {
        await this.waitForSlot([
          [key, this.windows],
          [APP, this.appWindows],
        ]);
        return fn();
      });
    const tail = run.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return run;
  }

  /**
   * Waits until a start fits every window of every key given (the conversation's and the
   * app's), then counts it under each at the same instant.
   */
  private async waitForSlot(limits: ReadonlyArray<[string, readonly Window[]]>): Promise<void> {
    for (;;) {
      const now = this.now();
      const counted = limits.map(([key, windows]) => {
        const longest = Math.max(0, ...windows.map((w) => w.windowMs));
        const starts = (this.starts.get(key) ?? []).filter((t) => now - t < longest);
        return { key, windows, starts };
      });
      const wait = Math.max(
        0,
        ...counted.flatMap(({ windows, starts }) =>
          windows.map((w) => {
            const inWindow = starts.filter((t) => now - t < w.windowMs);
            return inWindow.length < w.limit
              ? 0
              : inWindow[inWindow.length - w.limit]! + w.windowMs - now;
          }),
        ),
      );
      if (wait === 0) {
        for (const { key, windows, starts } of counted) {
          if (windows.length > 0) this.starts.set(key, [...starts, now]);
        }
        return;
      }
      await this.sleep(wait);
    }
  }
}
