/** Status codes Teams asks bots to retry, with exponential backoff (rate limits, transient faults). */
export const RETRYABLE_STATUS = new Set([429, 412, 502, 504]);

export interface RetryOptions {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/** The HTTP status of a Bot Connector failure, however the client library shaped it. */
export function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } };
  for (const v of [e?.statusCode, e?.status, e?.response?.status]) {
    if (typeof v === 'number') return v;
  }
  return undefined;
}

/** `Retry-After` in milliseconds, when the failure carried one. */
export function retryAfterMs(err: unknown): number | undefined {
  const headers = (err as { response?: { headers?: unknown } })?.response?.headers as
    { get?: (k: string) => string | undefined | null } | Record<string, string> | undefined;
  if (!headers) return undefined;
  const raw =
    typeof headers.get === 'function'
      ? headers.get('retry-after')
      : (headers as Record<string, string>)['retry-after'];
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * Runs `fn`, retrying the failures Teams says to retry: `Retry-After` when given,
 * otherwise exponential backoff with full jitter.
 */
export async function withRetry<T>(
  fn: () => Promise<T>,
  options: RetryOptions = DEFAULT_RETRY,
): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const status = statusOf(err);
      if (attempt >= options.attempts || status === undefined || !RETRYABLE_STATUS.has(status))
        throw err;
      const backoff = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      await sleep(retryAfterMs(err) ?? Math.round(random() * backoff));
    }
  }
}
