import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BOT_CREDENTIALS,
  ConfigError,
  describeDatabase,
  describeEmailIntake,
  describeMail,
  formatConfigError,
  GRAPH_CREDENTIALS,
  loadConfig,
  mailSettings,
  REQUIRED_IN_PRODUCTION,
  type Config,
} from '../../src/config';
import { testConfig } from '../support/config';

const GUID_A = '0f8fad5b-d9cb-469f-a165-70867728950e';
const GUID_B = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const GUID_C = '9b2e3c1a-1d4f-4a6b-8c7d-2e3f4a5b6c7d';

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'madoguchi-config-'));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

function writeEnv(name: string, text: string): void {
  const dir = join(cwd, 'env');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), text);
}

const load = (env: NodeJS.ProcessEnv = {}): Config => loadConfig(env, { cwd });

/** Runs `fn`, expecting a ConfigError, and returns it. */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError, but the config loaded');
}

const production = {
  MADOGUCHI_MODE: 'production',
  DATABASE_URL: 'postgres://madoguchi:s3cret@db.example.jp:5432/madoguchi',
  BOT_ID: GUID_A,
  BOT_TENANT_ID: GUID_B,
  BOT_MANAGED_IDENTITY_CLIENT_ID: GUID_A,
  PUBLIC_BASE_URL: 'https://madoguchi.example.jp/',
  ROLE_SUPERVISOR: GUID_C,
  GRAPH_TENANT_ID: GUID_B,
  GRAPH_CLIENT_ID: GUID_A,
};

describe('local mode', () => {
  it('starts with defaults and nothing set', () => {
    const config = load();
    expect(config).toMatchObject({
      mode: 'local',
      port: 3978,
      host: '127.0.0.1',
      publicBaseUrl: null,
      logLevel: 'info',
      playgroundPort: 56150,
      botLanguage: null,
      database: { url: null, sqlitePath: join(cwd, 'data', 'madoguchi.db') },
      bot: { id: null, password: null, tenantId: null, managedIdentityClientId: null },
      roles: { 'first-line': [], specialist: [], supervisor: [] },
      envFiles: [],
    });
  });

  it('reads env/.env.local, then env/.env.local.user over it, then the environment over both', () => {
    writeEnv('.env.local', 'PORT=4000\nLOG_LEVEL=debug\nBOT_ID=local-bot\nHOST=0.0.0.0\n');
    writeEnv('.env.local.user', 'LOG_LEVEL=warn\nBOT_PASSWORD=from-user-file\n');
    const env = { PORT: '5000' };
    const config = load(env);
    expect(config.port).toBe(5000);
    expect(config.logLevel).toBe('warn');
    expect(config.host).toBe('0.0.0.0');
    expect(config.bot).toMatchObject({ id: 'local-bot', password: 'from-user-file' });
    expect(config.envFiles).toEqual([join('env', '.env.local'), join('env', '.env.local.user')]);
    expect(env).toEqual({ PORT: '5000' });
  });

  it('does not change process.env', () => {
    writeEnv('.env.local', 'MADOGUCHI_CONFIG_TEST_ONLY=1\nPORT=4001\n');
    const before = { ...process.env };
    loadConfig(process.env, { cwd });
    expect(process.env.MADOGUCHI_CONFIG_TEST_ONLY).toBeUndefined();
    expect(process.env).toEqual(before);
  });

  it('treats empty values as unset', () => {
    writeEnv('.env.local', 'PORT=4002\nDATABASE_URL=\n');
    const config = load({ PORT: '', HOST: '  ' });
    expect(config.port).toBe(4002);
    expect(config.host).toBe('127.0.0.1');
    expect(config.database.url).toBeNull();
  });

  it('splits role lists, trims and de-duplicates them', () => {
    const config = load({
      ROLE_FIRST_LINE: ' a-1 , b-2,,a-1 ',
      ROLE_SUPERVISOR: GUID_A.toUpperCase(),
    });
    expect(config.roles['first-line']).toEqual(['a-1', 'b-2']);
    expect(config.roles.specialist).toEqual([]);
    expect(config.roles.supervisor).toEqual([GUID_A]);
  });

  it("accepts the Agents Playground's mock ids, which are not well-formed GUIDs", () => {
    const config = load({ ROLE_SPECIALIST: '00000000-0000-0000-0000-0000000000022' });
    expect(config.roles.specialist).toEqual(['00000000-0000-0000-0000-0000000000022']);
  });

  it('resolves SQLITE_PATH against the working directory and keeps :memory:', () => {
    expect(load({ SQLITE_PATH: 'db/x.db' }).database.sqlitePath).toBe(join(cwd, 'db', 'x.db'));
    expect(load({ SQLITE_PATH: ':memory:' }).database.sqlitePath).toBe(':memory:');
  });

  it('is frozen, down to the role lists', () => {
    const config = load({ ROLE_SUPERVISOR: 'x' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.database)).toBe(true);
    expect(Object.isFrozen(config.roles.supervisor)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(() => (config.roles.supervisor as string[]).push('y')).toThrow(TypeError);
  });

  it('names every invalid value at once', () => {
    const err = configError(() =>
      load({
        PORT: 'abc',
        PLAYGROUND_PORT: '70000',
        LOG_LEVEL: 'loud',
        DATABASE_URL: 'mysql://x',
        PUBLIC_BASE_URL: 'not a url',
        HOST: 'bad host',
        ROLE_FIRST_LINE: 'ok-1,not ok',
      }),
    );
    expect(err.missing).toEqual([]);
    expect(err.invalid.map((i) => i.name)).toEqual([
      'PORT',
      'HOST',
      'PUBLIC_BASE_URL',
      'LOG_LEVEL',
      'DATABASE_URL',
      'ROLE_FIRST_LINE',
      'PLAYGROUND_PORT',
    ]);
    expect(err.invalid.find((i) => i.name === 'ROLE_FIRST_LINE')?.reason.en).toContain('not ok');
    expect(err.message).toContain('PORT (must be a whole number from 0 to 65535)');
  });

  it.each(['3978.5', '-1', '65536', '12abc'])('refuses PORT=%s', (value) => {
    expect(configError(() => load({ PORT: value })).invalid.map((i) => i.name)).toEqual(['PORT']);
  });

  it('reads DIGEST_AT as a Tokyo time of day, 09:00 unless set, off for never', () => {
    expect(load().digestAt).toEqual({ hour: 9, minute: 0 });
    expect(load({ DIGEST_AT: '08:30' }).digestAt).toEqual({ hour: 8, minute: 30 });
    expect(load({ DIGEST_AT: 'OFF' }).digestAt).toBeNull();
    for (const value of ['9:00', '24:00', '08:60', 'morning']) {
      const err = configError(() => load({ DIGEST_AT: value }));
      expect(err.invalid.map((i) => i.name)).toEqual(['DIGEST_AT']);
      expect(err.invalid[0]!.reason.ja).toContain('HH:MM');
    }
  });

  it("reads BOT_LANGUAGE: each person's Teams language unless ja or en is set", () => {
    expect(load({ BOT_LANGUAGE: 'teams' }).botLanguage).toBeNull();
    expect(load({ BOT_LANGUAGE: ' JA ' }).botLanguage).toBe('ja');
    expect(load({ BOT_LANGUAGE: 'en' }).botLanguage).toBe('en');
    for (const value of ['ja-JP', 'english', 'fr']) {
      const err = configError(() => load({ BOT_LANGUAGE: value }));
      expect(err.invalid.map((i) => i.name)).toEqual(['BOT_LANGUAGE']);
      expect(err.invalid[0]!.reason.ja).toContain('teams（各自の Teams の言語）、ja、en');
      expect(err.invalid[0]!.reason.en).toContain('teams');
    }
  });

  it('refuses an unknown MADOGUCHI_MODE', () => {
    const err = configError(() => load({ MADOGUCHI_MODE: 'staging' }));
    expect(err.invalid.map((i) => i.name)).toEqual(['MADOGUCHI_MODE']);
  });

  it('refuses a secret in the committed env/.env.local', () => {
    writeEnv('.env.local', 'BOT_PASSWORD=oops\n');
    const err = configError(() => load());
    expect(err.invalid).toHaveLength(1);
    expect(err.invalid[0]!.name).toBe('BOT_PASSWORD');
    expect(err.invalid[0]!.reason.en).toContain('env/.env.local.user');
  });

  it('refuses a bot password and a managed identity together', () => {
    const err = configError(() =>
      load({ BOT_PASSWORD: 'x', BOT_MANAGED_IDENTITY_CLIENT_ID: GUID_A }),
    );
    expect(err.invalid.map((i) => i.name)).toEqual([BOT_CREDENTIALS]);
  });
});

describe('production mode', () => {
  it('starts when every required setting is there, and reads no env files', () => {
    writeEnv('.env.local', 'PORT=4000\nROLE_SUPERVISOR=from-file\n');
    const config = load(production);
    expect(config).toMatchObject({
      mode: 'production',
      port: 3978,
      host: '0.0.0.0',
      publicBaseUrl: 'https://madoguchi.example.jp',
      database: { url: production.DATABASE_URL },
      bot: { id: GUID_A, tenantId: GUID_B, managedIdentityClientId: GUID_A, password: null },
      roles: { supervisor: [GUID_C] },
      envFiles: [],
    });
  });

  it('fails naming every missing setting when none is set', () => {
    const err = configError(() => load({ MADOGUCHI_MODE: 'production' }));
    expect(err.missing).toEqual([
      'DATABASE_URL',
      'BOT_ID',
      'BOT_TENANT_ID',
      'BOT_PASSWORD | BOT_MANAGED_IDENTITY_CLIENT_ID',
      'PUBLIC_BASE_URL',
      'ROLE_SUPERVISOR',
      'GRAPH_TENANT_ID',
      'GRAPH_CLIENT_ID',
    ]);
    expect(err.missing).toEqual([...REQUIRED_IN_PRODUCTION]);
    for (const name of err.missing) expect(err.message).toContain(name);
  });

  it('is selected by NODE_ENV=production too', () => {
    const err = configError(() => load({ NODE_ENV: 'production' }));
    expect(err.mode).toBe('production');
    expect(err.missing).toContain('DATABASE_URL');
  });

  it('lets MADOGUCHI_MODE=local win over NODE_ENV=production', () => {
    expect(load({ NODE_ENV: 'production', MADOGUCHI_MODE: 'local' }).mode).toBe('local');
  });

  it.each(Object.keys(production).filter((k) => k !== 'MADOGUCHI_MODE'))(
    'names %s alone when only it is missing',
    (name) => {
      const env: NodeJS.ProcessEnv = { ...production, [name]: undefined };
      const expected = name.startsWith('BOT_MANAGED') ? BOT_CREDENTIALS : name;
      expect(configError(() => load(env)).missing).toEqual([expected]);
    },
  );

  it('accepts a bot password instead of a managed identity', () => {
    const config = load({
      ...production,
      BOT_MANAGED_IDENTITY_CLIENT_ID: undefined,
      BOT_PASSWORD: 'pw',
    });
    expect(config.bot.password).toBe('pw');
  });

  it('does not count a supervisor list of commas as a supervisor', () => {
    expect(configError(() => load({ ...production, ROLE_SUPERVISOR: ' , ' })).missing).toEqual([
      'ROLE_SUPERVISOR',
    ]);
  });

  it('insists on https and on GUIDs', () => {
    const err = configError(() =>
      load({
        ...production,
        PUBLIC_BASE_URL: 'http://madoguchi.example.jp',
        BOT_ID: 'my-bot',
        ROLE_SPECIALIST: `${GUID_A},alice@example.jp`,
      }),
    );
    expect(err.missing).toEqual([]);
    expect(err.invalid.map((i) => i.name)).toEqual([
      'PUBLIC_BASE_URL',
      'BOT_ID',
      'ROLE_SPECIALIST',
    ]);
  });

  it('lists missing and invalid settings together', () => {
    const err = configError(() => load({ MADOGUCHI_MODE: 'production', PORT: 'abc' }));
    expect(err.missing).toHaveLength(REQUIRED_IN_PRODUCTION.length);
    expect(err.invalid.map((i) => i.name)).toEqual(['PORT']);
  });
});

describe('mail settings', () => {
  const THUMB_SHA1 = 'a1:b2:c3:d4:e5:f6:07:18:29:3a:4b:5c:6d:7e:8f:90:a1:b2:c3:d4';
  const secretMail = {
    GRAPH_TENANT_ID: GUID_B,
    GRAPH_CLIENT_ID: GUID_A,
    GRAPH_CLIENT_SECRET: 'graph-secret',
    DESK_MAILBOX: 'soudan@example.lg.jp',
  };
  const certFile = () => {
    writeFileSync(
      join(cwd, 'app.pem'),
      '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n',
    );
    return 'app.pem';
  };

  it("email intake's limits: MAIL_BODY_MAX_BYTES and MAIL_ATTACHMENT_MAX_BYTES, in bytes", () => {
    const config = load({ MAIL_BODY_MAX_BYTES: '2000000', MAIL_ATTACHMENT_MAX_BYTES: '5000000' });
    expect(config.mail).toMatchObject({ bodyMaxBytes: 2_000_000, attachmentMaxBytes: 5_000_000 });
    const err = configError(() => load({ MAIL_ATTACHMENT_MAX_BYTES: '10MB' }));
    expect(err.invalid.map((i) => i.name)).toEqual(['MAIL_ATTACHMENT_MAX_BYTES']);
  });

  it('is off by default, with the public endpoints and what it still needs', () => {
    const config = load();
    expect(config.mail).toEqual({
      graphBaseUrl: 'https://graph.microsoft.com',
      authorityHost: 'https://login.microsoftonline.com',
      tenantId: null,
      clientId: null,
      credential: null,
      bodyMaxBytes: 1_000_000,
      attachmentMaxBytes: 10_000_000,
      mailbox: null,
      missing: ['GRAPH_TENANT_ID', 'GRAPH_CLIENT_ID', GRAPH_CREDENTIALS, 'DESK_MAILBOX'],
    });
    expect(mailSettings(config)).toBeNull();
  });

  it('is on with a tenant, a client, a secret and the mailbox', () => {
    const settings = mailSettings(load(secretMail));
    expect(settings).toEqual({
      graphBaseUrl: 'https://graph.microsoft.com',
      authorityHost: 'https://login.microsoftonline.com',
      tenantId: GUID_B,
      clientId: GUID_A,
      credential: { kind: 'secret', secret: 'graph-secret' },
      mailbox: 'soudan@example.lg.jp',
    });
  });

  it('takes a certificate instead of a secret, path resolved and thumbprint normalised', () => {
    const config = load({
      ...secretMail,
      GRAPH_CLIENT_SECRET: undefined,
      GRAPH_CLIENT_CERTIFICATE_PATH: certFile(),
      GRAPH_CLIENT_CERTIFICATE_THUMBPRINT: THUMB_SHA1,
    });
    expect(mailSettings(config)?.credential).toEqual({
      kind: 'certificate',
      path: join(cwd, 'app.pem'),
      thumbprint: 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4',
    });
  });

  it('points at other hosts (a national cloud, or a local stand-in over http in local mode)', () => {
    const config = load({
      ...secretMail,
      GRAPH_BASE_URL: 'http://127.0.0.1:4100/',
      ENTRA_AUTHORITY_HOST: 'https://login.microsoftonline.us',
    });
    expect(config.mail.graphBaseUrl).toBe('http://127.0.0.1:4100');
    expect(config.mail.authorityHost).toBe('https://login.microsoftonline.us');
  });

  it('stays off in local mode while something is missing, and says what', () => {
    const config = load({ GRAPH_CLIENT_ID: 'app', GRAPH_CLIENT_CERTIFICATE_PATH: certFile() });
    expect(mailSettings(config)).toBeNull();
    expect(config.mail.missing).toEqual([
      'GRAPH_TENANT_ID',
      'GRAPH_CLIENT_CERTIFICATE_THUMBPRINT',
      'DESK_MAILBOX',
    ]);
  });

  it('names every value that is not valid', () => {
    const err = configError(() =>
      load({
        GRAPH_BASE_URL: 'graph.microsoft.com',
        DESK_MAILBOX: 'soudan',
        GRAPH_CLIENT_CERTIFICATE_PATH: 'missing.pem',
        GRAPH_CLIENT_CERTIFICATE_THUMBPRINT: 'abc',
      }),
    );
    expect(err.invalid.map((i) => i.name).sort()).toEqual([
      'DESK_MAILBOX',
      'GRAPH_BASE_URL',
      'GRAPH_CLIENT_CERTIFICATE_PATH',
      'GRAPH_CLIENT_CERTIFICATE_THUMBPRINT',
    ]);
  });

  it('refuses a secret and a certificate together', () => {
    const err = configError(() =>
      load({
        ...secretMail,
        GRAPH_CLIENT_CERTIFICATE_PATH: certFile(),
        GRAPH_CLIENT_CERTIFICATE_THUMBPRINT: THUMB_SHA1,
      }),
    );
    expect(err.invalid.map((i) => i.name)).toEqual([GRAPH_CREDENTIALS]);
  });

  it('refuses the Graph secret in the committed env/.env.local', () => {
    writeEnv('.env.local', 'GRAPH_CLIENT_SECRET=oops\n');
    expect(configError(() => load()).invalid.map((i) => i.name)).toEqual(['GRAPH_CLIENT_SECRET']);
  });

  it('is optional in production: nothing set, the app starts with mail off', () => {
    const config = load(production);
    expect(mailSettings(config)).toBeNull();
  });

  it('in production, once any mail setting is set, names every other one it needs', () => {
    const err = configError(() => load({ ...production, DESK_MAILBOX: 'soudan@example.lg.jp' }));
    expect(err.missing).toEqual([GRAPH_CREDENTIALS]);
    expect(formatConfigError(err)).toContain('GRAPH_CLIENT_SECRET | GRAPH_CLIENT_CERTIFICATE_PATH');
  });

  it('in production, starts with complete mail settings and insists on https and GUIDs', () => {
    expect(mailSettings(load({ ...production, ...secretMail }))?.mailbox).toBe(
      'soudan@example.lg.jp',
    );
    const err = configError(() =>
      load({
        ...production,
        ...secretMail,
        GRAPH_CLIENT_ID: 'mail-app',
        GRAPH_BASE_URL: 'http://127.0.0.1:4100',
        ENTRA_AUTHORITY_HOST: 'http://127.0.0.1:4101',
      }),
    );
    expect(err.missing).toEqual([]);
    expect(err.invalid.map((i) => i.name).sort()).toEqual([
      'ENTRA_AUTHORITY_HOST',
      'GRAPH_BASE_URL',
      'GRAPH_CLIENT_ID',
    ]);
  });

  it('is described for the start-up summary without naming the mailbox', () => {
    expect(describeMail(load())).toMatch(
      /^off: answers are recorded, not emailed .*needs GRAPH_TENANT_ID/,
    );
    const on = describeMail(load(secretMail));
    expect(on).toBe('on (Microsoft Graph https://graph.microsoft.com)');
    expect(on).not.toContain('soudan');
  });

  it('says apart whether the add-in can read emails: that needs no mailbox, only the app', () => {
    expect(describeEmailIntake(load())).toMatch(/^off: .*needs GRAPH_TENANT_ID, GRAPH_CLIENT_ID/);
    const appOnly = { ...secretMail, DESK_MAILBOX: undefined };
    expect(describeEmailIntake(load(appOnly))).toMatch(/^on /);
    expect(describeMail(load(appOnly))).toMatch(/^off: .*needs DESK_MAILBOX/);
  });

  it('accepts a tenant domain name locally, but insists on the GUID in production (tokens carry it)', () => {
    const local = load({ ...secretMail, GRAPH_TENANT_ID: 'desk.onmicrosoft.com' });
    expect(mailSettings(local)?.tenantId).toBe('desk.onmicrosoft.com');
    const err = configError(() =>
      load({ ...production, ...secretMail, GRAPH_TENANT_ID: 'desk.onmicrosoft.com' }),
    );
    expect(err.invalid.map((i) => i.name)).toEqual(['GRAPH_TENANT_ID']);
  });
});

describe('formatConfigError', () => {
  it('prints every name in Japanese first, then English', () => {
    const err = configError(() => load({ MADOGUCHI_MODE: 'production', PORT: 'abc' }));
    const text = formatConfigError(err);
    const ja = text.indexOf('未設定の項目');
    const en = text.indexOf('Missing settings');
    expect(ja).toBeGreaterThanOrEqual(0);
    expect(en).toBeGreaterThan(ja);
    for (const name of [...REQUIRED_IN_PRODUCTION, 'PORT']) {
      expect(text.slice(0, en)).toContain(name);
      expect(text.slice(en)).toContain(name);
    }
    expect(text).toContain('どちらか一方');
    expect(text).toContain('either one');
    expect(text).not.toMatch(/\bat .+\.ts:\d+/); // no stack trace
  });
});

describe('describeDatabase', () => {
  it('names host, port and database of PostgreSQL, never the credentials', () => {
    const text = describeDatabase(load({ DATABASE_URL: production.DATABASE_URL }));
    expect(text).toBe('PostgreSQL db.example.jp:5432/madoguchi');
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain('madoguchi:');
  });

  it('names the SQLite file', () => {
    expect(describeDatabase(load())).toBe(`SQLite ${join(cwd, 'data', 'madoguchi.db')}`);
  });
});

describe('testConfig', () => {
  it('builds a frozen local config and merges sections field by field', () => {
    const config = testConfig({ port: 1234, roles: { supervisor: ['s'] } });
    expect(config.port).toBe(1234);
    expect(config.roles).toEqual({ 'first-line': [], specialist: [], supervisor: ['s'] });
    expect(Object.isFrozen(config.roles)).toBe(true);
  });
});
