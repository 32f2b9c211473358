import { Writable } from 'node:stream';
import {
  createLogger,
  redact,
  REDACTED,
  SENSITIVE_KEYS,
  TRUNCATED,
  type Logger,
} from '../../src/logger';
import { testConfig } from '../support/config';

/** A logger writing into memory; `lines()` returns what was logged, parsed. */
function capture(level: 'info' | 'trace' = 'info'): {
  logger: Logger;
  text: () => string;
  lines: () => Record<string, unknown>[];
} {
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString('utf8');
      done();
    },
  });
  const logger = createLogger(testConfig({ logLevel: level }), sink);
  return {
    logger,
    text: () => out,
    lines: () =>
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('writes JSON lines with level, time and message', () => {
    const { logger, lines } = capture();
    logger.info({ consultationId: 12 }, 'claimed');
    expect(lines()).toEqual([
      expect.objectContaining({
        level: 'info',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        app: 'madoguchi',
        consultationId: 12,
        msg: 'claimed',
      }),
    ]);
  });

  it('respects the configured level', () => {
    const { logger, lines } = capture('info');
    logger.debug('hidden');
    logger.warn('shown');
    expect(lines().map((l) => l.msg)).toEqual(['shown']);
  });

  it('never writes message bodies or personal data, at the top or nested', () => {
    const { logger, text, lines } = capture();
    const secret = (tag: string) => `SECRET-${tag}-山田商事`;
    logger.info(
      {
        body: secret('body'),
        text: secret('text'),
        consulter: {
          organisation: secret('org'),
          person: secret('person'),
          email: 'owner@example.jp',
          phone: '03-1234-5678',
        },
        consultation: {
          id: 7,
          subject: secret('subject'),
          details: secret('details'),
          situation: { whatHappened: secret('what') },
          consulter: { email: 'nested@example.jp' },
        },
        activity: { value: { action: { data: { body: secret('deep-body') } } } },
        notes: [{ body: secret('array-body') }],
        row: { consulter_email: 'row@example.jp', consulter_phone: '090-0000-0000' },
        req: {
          method: 'POST',
          headers: { authorization: 'Bearer eyJ.SECRET-TOKEN', cookie: 'sid=SECRET-COOKIE' },
        },
        err: Object.assign(new Error('duplicate key'), { detail: secret('pg-detail') }),
      },
      'intake',
    );

    const out = text();
    expect(out).not.toContain('SECRET');
    expect(out).not.toContain('山田商事');
    expect(out).not.toContain('example.jp');
    expect(out).not.toContain('03-1234-5678');
    expect(out).not.toContain('090-0000-0000');

    // What is not personal stays readable.
    const [line] = lines();
    expect(line).toMatchObject({
      msg: 'intake',
      body: REDACTED,
      consulter: REDACTED,
      consultation: { id: 7, subject: REDACTED, details: REDACTED, situation: REDACTED },
      req: { method: 'POST', headers: { authorization: REDACTED, cookie: REDACTED } },
      err: { message: 'duplicate key', detail: REDACTED },
    });
    expect(line!.notes).toEqual([{ body: REDACTED }]);
  });

  it('never writes an email as Graph or the mail gateway shapes it', () => {
    const { logger, text } = capture();
    logger.warn(
      {
        operation: 'reply',
        reply: {
          subject: 'RE: 【相談番号 2026-000123】SECRET-subject',
          html: '<p>SECRET-html</p>',
          to: ['consulter@example.jp'],
          cc: ['boss@example.jp'],
        },
        mailbox: 'desk@example.jp',
        message: {
          comment: 'SECRET-comment',
          bodyPreview: 'SECRET-preview',
          toRecipients: [{ emailAddress: { address: 'to@example.jp' } }],
          ccRecipients: [{ emailAddress: { address: 'cc@example.jp' } }],
          replyTo: [{ emailAddress: { address: 'reply@example.jp' } }],
          sender: { emailAddress: { address: 'sender@example.jp' } },
        },
        credential: { clientSecret: 'SECRET-graph', privateKey: 'SECRET-key' },
      },
      'graph call failed',
    );
    expect(text()).toContain('"operation":"reply"');
    expect(text()).not.toContain('SECRET');
    expect(text()).not.toContain('example.jp');
  });

  it('redacts in child loggers too', () => {
    const { logger, text } = capture();
    logger.child({ reqId: 'r1' }).warn({ consulter: { email: 'child@example.jp' } }, 'x');
    expect(text()).toContain('r1');
    expect(text()).not.toContain('child@example.jp');
  });

  it('does not leak a database password from a logged config', () => {
    const { logger, text } = capture();
    const config = testConfig({ database: { url: 'postgres://u:pa55word@db/madoguchi' } });
    logger.info({ config }, 'config');
    expect(text()).not.toContain('pa55word');
  });
});

describe('redact', () => {
  it('hides every sensitive key, however deep', () => {
    for (const key of SENSITIVE_KEYS) {
      const deep = { a: { b: { c: { d: { e: { f: { [key]: 'SECRET' } } } } } } };
      expect(JSON.stringify(redact(deep))).not.toContain('SECRET');
      expect(redact({ [key]: { nested: 'SECRET' } })).toEqual({ [key]: REDACTED });
      expect(redact([{ [key]: 'SECRET' }])).toEqual([{ [key]: REDACTED }]);
    }
  });

  it('passes a line with nothing to hide on as it is, and never changes what was logged', () => {
    const plain = { reqId: 'r1', method: 'POST', route: '/api/messages', status: 200, ms: 1.2 };
    expect(redact(plain)).toBe(plain);

    const logged = { consultationId: 3, consulter: { email: 'a@example.jp' } };
    const out = redact(logged) as typeof logged;
    expect(out).toEqual({ consultationId: 3, consulter: REDACTED });
    expect(logged.consulter.email).toBe('a@example.jp');
  });

  it('serialises errors, their causes included, and hides what they carry', () => {
    const cause = Object.assign(new Error('inner'), { detail: 'Key (email)=(x@example.jp)' });
    const err = Object.assign(new Error('outer', { cause }), { code: '23505', body: 'SECRET' });
    const out = redact({ err }) as { err: Record<string, unknown> };
    expect(out.err).toMatchObject({
      type: 'Error',
      message: 'outer: inner',
      code: '23505',
      body: REDACTED,
    });
    expect(out.err.stack).toEqual(expect.stringContaining('outer'));
    expect(JSON.stringify(out)).not.toContain('example.jp');
  });

  it('cuts off objects nested too deep, so a cycle ends', () => {
    const loop: Record<string, unknown> = { id: 1 };
    loop.self = loop;
    const text = JSON.stringify(redact(loop));
    expect(text).toContain(TRUNCATED);
    expect(text.length).toBeLessThan(200);
  });

  it('writes values with toJSON as JSON would', () => {
    const at = new Date('2026-11-27T00:00:00Z');
    expect(redact({ at })).toEqual({ at: '2026-11-27T00:00:00.000Z' });
    // An object whose toJSON answers itself, or another such object, still ends.
    const self = { email: 'a@example.jp', toJSON: () => self };
    expect(redact({ self })).toEqual({ self: { email: REDACTED, toJSON: self.toJSON } });
    const chain = (n: number): object => ({ toJSON: () => chain(n + 1) });
    expect(JSON.stringify(redact({ chain: chain(0) }))).toContain(TRUNCATED);
  });
});
