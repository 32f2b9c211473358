import { Writable } from 'node:stream';
import { Agent, request as httpRequest } from 'node:http';
import { AppError, ConflictError } from '../../src/errors';
import { createLogger } from '../../src/logger';
import { createServer, type App, type ServerDeps } from '../../src/server/app';
import { gracefulShutdown } from '../../src/server/shutdown';
import { testConfig } from '../support/config';

/** A Store stand-in: only `ping` matters to the server. */
function fakeStore(ping: () => Promise<void>) {
  return { ping: jest.fn(ping), close: jest.fn(async () => undefined) };
}
const answering = () => fakeStore(async () => undefined);
const failing = () => fakeStore(async () => Promise.reject(new Error('connect ECONNREFUSED')));
const hanging = () => fakeStore(() => new Promise<void>(() => undefined));

interface Running {
  app: App;
  base: string;
  logs: () => Record<string, unknown>[];
  logText: () => string;
}

const running: App[] = [];

async function start(
  store: ServerDeps['store'] = answering(),
  extra?: (app: App) => void,
  limits: ServerDeps['limits'] = {},
): Promise<Running> {
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      out += chunk.toString('utf8');
      done();
    },
  });
  const config = testConfig({ logLevel: 'debug' });
  const logger = createLogger(config, sink);
  const app = createServer({
    config,
    logger,
    store,
    limits: { readyTimeoutMs: 200, shutdownTimeoutMs: 2_000, ...limits },
  });
  extra?.(app);
  const { url } = await app.listen();
  running.push(app);
  return {
    app,
    base: url,
    logText: () => out,
    logs: () =>
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
});

/** Routes that exist only in these tests, to reach the error paths. */
function testRoutes(app: App): void {
  app.server.post({ path: '/echo', name: 'echo' }, async (req, res) => {
    res.json(200, { received: req.body as unknown });
  });
  app.server.get({ path: '/boom', name: 'boom' }, async () => {
    throw new Error('something broke while reading 山田商事');
  });
  app.server.get({ path: '/conflict', name: 'conflict' }, async () => {
    throw new ConflictError('claim', 'claimed', {
      action: 'claim',
      by: { id: 'u1', name: '担当者A' },
      at: '2026-11-26T10:00:00.000Z',
    });
  });
  app.server.get({ path: '/slow', name: 'slow' }, async (_req, res) => {
    await new Promise((r) => setTimeout(r, 300));
    res.json(200, { done: true });
  });
}

async function json(res: Response): Promise<Record<string, unknown>> {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return (await res.json()) as Record<string, unknown>;
}

const errorShape = (code: string) => ({
  error: {
    code,
    message: { ja: expect.any(String), en: expect.any(String) },
    details: expect.any(Object),
  },
});

describe('health', () => {
  it('GET /healthz answers 200 without touching the database', async () => {
    const store = failing();
    const { base } = await start(store);
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ status: 'ok' });
    expect(store.ping).not.toHaveBeenCalled();
  });

  it('GET /readyz answers 200 when the database answers', async () => {
    const store = answering();
    const { base } = await start(store);
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ status: 'ok' });
    expect(store.ping).toHaveBeenCalledTimes(1);
  });

  it('GET /readyz answers 503 unavailable when the database refuses', async () => {
    const { base, logs } = await start(failing());
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    const body = await json(res);
    expect(body).toMatchObject(errorShape('unavailable'));
    expect(body).toMatchObject({ error: { details: { what: 'database' } } });
    expect(logs()).toContainEqual(
      expect.objectContaining({ msg: 'dependency unavailable', cause: 'connect ECONNREFUSED' }),
    );
  });

  it('GET /readyz answers 503 within its timeout when the database hangs', async () => {
    const { base } = await start(hanging());
    const started = Date.now();
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await json(res)).toMatchObject(errorShape('unavailable'));
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('one error shape', () => {
  it('unknown route: 404 route_not_found', async () => {
    const { base } = await start();
    const res = await fetch(`${base}/nothing/here`);
    expect(res.status).toBe(404);
    expect(await json(res)).toMatchObject(errorShape('route_not_found'));
  });

  it('wrong method: 405 method_not_allowed with Allow', async () => {
    const { base } = await start();
    const res = await fetch(`${base}/healthz`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toContain('GET');
    expect(await json(res)).toMatchObject(errorShape('method_not_allowed'));
  });

  it('bad JSON: 400 invalid_json', async () => {
    const { base } = await start(undefined, testRoutes);
    const res = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"subject": "漏えい',
    });
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject(errorShape('invalid_json'));
  });

  it('a body over the limit: 413 payload_too_large', async () => {
    const { base } = await start(undefined, testRoutes, { maxBodyBytes: 1024 });
    const res = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(2048) }),
    });
    expect(res.status).toBe(413);
    expect(await json(res)).toMatchObject(errorShape('payload_too_large'));
  });

  it('a chunked body over the limit: 413 as soon as it passes the limit', async () => {
    const { base } = await start(undefined, testRoutes, { maxBodyBytes: 1024 });
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${base}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('"' + 'x'.repeat(4096));
      // Never finished: the answer must come without the end of the body.
    });
    expect(status).toBe(413);
  });

  it('an unsupported content type: 415 unsupported_media_type', async () => {
    const { base } = await start(undefined, testRoutes);
    const res = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(res.status).toBe(415);
    expect(await json(res)).toMatchObject(errorShape('unsupported_media_type'));
  });

  it('an AppError keeps its status, code and details', async () => {
    const { base } = await start(undefined, testRoutes);
    const res = await fetch(`${base}/conflict`);
    expect(res.status).toBe(409);
    const body = await json(res);
    expect(body).toMatchObject(errorShape('conflict'));
    expect((body.error as { message: { ja: string } }).message.ja).toContain('担当者A');
  });

  it('an unknown error: 500 internal, logged with its stack but not shown', async () => {
    const { base, logs } = await start(undefined, testRoutes);
    const res = await fetch(`${base}/boom`);
    expect(res.status).toBe(500);
    const body = await json(res);
    expect(body).toMatchObject(errorShape('internal'));
    expect(JSON.stringify(body)).not.toContain('山田商事');
    const requestId = res.headers.get('x-request-id');
    expect(body).toMatchObject({ error: { details: { requestId } } });
    const logged = logs().find((l) => l.msg === 'unhandled error') as
      { err: { stack: string }; reqId: string } | undefined;
    expect(logged?.err.stack).toContain('something broke');
    expect(logged?.reqId).toBe(requestId);
  });
});

describe('bodies', () => {
  it('parses JSON and URL-encoded forms', async () => {
    const { base } = await start(undefined, testRoutes);
    const a = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ subject: '不審なメール' }),
    });
    expect(await json(a)).toEqual({ received: { subject: '不審なメール' } });

    const b = await fetch(`${base}/echo`, {
      method: 'POST',
      body: new URLSearchParams([
        ['channel', 'web'],
        ['systems', 'mail'],
        ['systems', 'web'],
      ]),
    });
    expect(await json(b)).toEqual({ received: { channel: 'web', systems: ['mail', 'web'] } });
  });
});

describe('every response', () => {
  it('carries the security headers and a request id', async () => {
    const { base } = await start();
    for (const path of ['/healthz', '/missing']) {
      const res = await fetch(`${base}${path}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/);
      expect(res.headers.get('server')).toBeNull();
      await res.arrayBuffer();
    }
  });

  it('keeps a plain caller request id and replaces anything else', async () => {
    const { base } = await start();
    const kept = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(kept.headers.get('x-request-id')).toBe('abc-123');
    const replaced = await fetch(`${base}/healthz`, {
      headers: { 'x-request-id': 'a b <script>' },
    });
    expect(replaced.headers.get('x-request-id')).not.toContain('script');
  });
});

describe('keep-alive', () => {
  /** Two requests through one keep-alive agent, `pauseMs` apart, and whether they shared a connection. */
  async function secondRequestAfter(base: string, pauseMs: number) {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number; keepAlive: unknown; socket: unknown }>((resolve, reject) => {
        const req = httpRequest(`${base}/healthz`, { agent }, (res) => {
          res.resume();
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              keepAlive: res.headers['keep-alive'],
              socket: req.socket,
            }),
          );
        });
        req.on('error', reject);
        req.end();
      });
    try {
      const first = await get();
      await new Promise((r) => setTimeout(r, pauseMs));
      const second = await get();
      return { first, second, reused: first.socket === second.socket };
    } finally {
      agent.destroy();
    }
  }

  it('keeps idle connections longer than the load balancer in front does', async () => {
    const { base } = await start();
    const { first, second, reused } = await secondRequestAfter(base, 100);
    expect(first.keepAlive).toBe('timeout=250');
    expect(second.status).toBe(200);
    expect(reused).toBe(true);
  });

  it('closes a connection idle past its limit', async () => {
    const { base } = await start(undefined, undefined, { keepAliveTimeoutMs: 100 });
    const { second, reused } = await secondRequestAfter(base, 400);
    expect(second.status).toBe(200);
    expect(reused).toBe(false);
  });
});

describe('request log', () => {
  it('logs method, route, status, duration and request id; no query, no body', async () => {
    const { base, logs, logText } = await start(undefined, testRoutes);
    const res = await fetch(`${base}/echo?email=owner@example.jp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer SECRET-TOKEN' },
      body: JSON.stringify({ details: 'SECRET-DETAILS 山田商事' }),
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    await fetch(`${base}/no/such/page?phone=03-1234-5678`).then((r) => r.arrayBuffer());

    const requests = logs().filter((l) => l.msg === 'request');
    expect(requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        route: '/echo',
        status: 200,
        ms: expect.any(Number),
        reqId: res.headers.get('x-request-id'),
      }),
      expect.objectContaining({ method: 'GET', route: null, status: 404, code: 'route_not_found' }),
    ]);
    const text = logText();
    for (const secret of ['owner@example.jp', 'SECRET', '山田商事', '03-1234-5678', 'no/such']) {
      expect(text).not.toContain(secret);
    }
  });

  it('logs health probes at debug only', async () => {
    const { base, logs } = await start();
    await fetch(`${base}/healthz`).then((r) => r.arrayBuffer());
    expect(logs().filter((l) => l.msg === 'request')).toEqual([
      expect.objectContaining({ route: '/healthz', level: 'debug' }),
    ]);
  });
});

describe('shutdown', () => {
  it('lets a request in flight finish, then refuses new connections', async () => {
    const { app, base } = await start(undefined, testRoutes);
    const slow = fetch(`${base}/slow`);
    await new Promise((r) => setTimeout(r, 50));
    const closed = app.close();
    const res = await slow;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await closed;
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });

  it('cuts requests that outlive the shutdown timeout', async () => {
    const { app, base } = await start(undefined, testRoutes, { shutdownTimeoutMs: 50 });
    const slow = fetch(`${base}/slow`).then(
      () => 'answered',
      () => 'cut',
    );
    await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(250);
    expect(await slow).toBe('cut');
  });

  it('stops the app, then exits 0', async () => {
    const order: string[] = [];
    const exit = jest.fn((code: number) => order.push(`exit ${code}`));
    const logger = createLogger(testConfig());
    const shutdown = gracefulShutdown({
      stop: async () => void order.push('stopped'),
      logger,
      exit,
    });
    await shutdown('SIGTERM');
    expect(order).toEqual(['stopped', 'exit 0']);
  });

  it('exits 1 when closing fails, and at once on a second signal', async () => {
    const exit = jest.fn();
    let release: () => void = () => undefined;
    const shutdown = gracefulShutdown({
      stop: async () => {
        await new Promise<void>((r) => (release = r));
        throw new AppError(500, 'internal', { ja: 'x', en: 'x' });
      },
      logger: createLogger(testConfig()),
      exit,
    });
    const first = shutdown('SIGTERM');
    await shutdown('SIGINT');
    expect(exit).toHaveBeenLastCalledWith(1);
    release();
    await first;
    expect(exit.mock.calls).toEqual([[1], [1]]);
  });
});
