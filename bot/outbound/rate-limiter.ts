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

type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Spaces out work per key (a conversation) so that no window's limit is exceeded.
 * Work for one key runs in order; different keys do not wait for each other.
 */
export class RateLimiter {
  private readonly starts = new Map<string, number[]>();
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    private readonly windows: readonly Window[] = TEAMS_CONVERSATION_LIMITS,
    private readonly now: () => number = Date.now,
    private readonly sleep: Sleep = realSleep,
  ) {}

  /** Runs `fn` for `key` as soon as the limits allow. */
  schedule<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(async () => {
        await this.waitForSlot(key);
        return fn();
      });
    const tail = run.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return run;
  }

  private async waitForSlot(key: string): Promise<void> {
    const longest = Math.max(...this.windows.map((w) => w.windowMs));
    for (;;) {
      const now = this.now();
      const starts = (this.starts.get(key) ?? []).filter((t) => now - t < longest);
      const wait = Math.max(
        0,
        ...this.windows.map((w) => {
          const inWindow = starts.filter((t) => now - t < w.windowMs);
          return inWindow.length < w.limit
            ? 0
            : inWindow[inWindow.length - w.limit]! + w.windowMs - now;
        }),
      );
      if (wait === 0) {
        starts.push(now);
        this.starts.set(key, starts);
        return;
      }
      await this.sleep(wait);
    }
  }
}
