import { Writable } from 'node:stream';
import { createLogger, REDACTED, redactPaths, SENSITIVE_KEYS, type Logger } from '../../src/logger';
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

describe('redactPaths', () => {
  it('covers every sensitive key at the top and four levels down', () => {
    const paths = redactPaths();
    for (const key of SENSITIVE_KEYS) {
      const access = key.includes('-') ? `["${key}"]` : key;
      const dot = key.includes('-') ? '' : '.';
      expect(paths).toContain(access);
      expect(paths).toContain(`*${dot}${access}`);
      expect(paths).toContain(`*.*.*.*${dot}${access}`);
    }
  });
});
