import { withRetry } from '../../bot/outbound/retry';

const failure = (statusCode: number, retryAfter?: string) =>
  Object.assign(new Error(`status ${statusCode}`), {
    statusCode,
    response: { status: statusCode, headers: retryAfter ? { 'retry-after': retryAfter } : {} },
  });

describe('retrying Bot Connector calls', () => {
  const slept: number[] = [];
  const options = {
    attempts: 5,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    sleep: async (ms: number) => void slept.push(ms),
    random: () => 1,
  };
  beforeEach(() => (slept.length = 0));

  test.each([429, 412, 502, 504])(
    '%i is retried with backoff until it succeeds',
    async (status) => {
      let calls = 0;
      const result = await withRetry(async () => {
        if (++calls < 4) throw failure(status);
        return 'sent';
      }, options);
      expect(result).toBe('sent');
      expect(slept).toEqual([100, 200, 400]);
    },
  );

  test('Retry-After is honoured', async () => {
    let calls = 0;
    await withRetry(async () => {
      if (++calls === 1) throw failure(429, '3');
    }, options);
    expect(slept).toEqual([3000]);
  });

  test.each([400, 403, 404, 500])('%i is not retried', async (status) => {
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw failure(status);
      }, options),
    ).rejects.toThrow(`status ${status}`);
    expect(calls).toBe(1);
  });

  test('gives up after the last attempt', async () => {
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw failure(502);
      }, options),
    ).rejects.toThrow('status 502');
    expect(calls).toBe(5);
    expect(slept).toEqual([100, 200, 400, 800]);
  });
});
