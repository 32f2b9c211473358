import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import type { Role } from './consultation/types';
import { localize, type Localized } from './i18n/messages';

/**
 * One typed, frozen configuration, built once at start from the environment.
 *
 * Local mode (the default) also reads `env/.env.local` (committed, ids only) and
 * `env/.env.local.user` (git-ignored, secrets); variables set in the process
 * environment win over both files, and the process environment is never modified.
 * Production mode reads the process environment only (App Service settings, Key
 * Vault references) and refuses to start while a required setting is missing.
 */

export type Mode = 'local' | 'production';

/** A time of day, in Tokyo. */
export interface TimeOfDay {
  readonly hour: number;
  readonly minute: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface BotConfig {
  /** Microsoft App ID of the bot (Entra app registration or the managed identity's client id). */
  readonly id: string | null;
  /** Client secret of the bot's app registration. */
  readonly password: string | null;
  /** Entra tenant of the bot (single-tenant bot). */
  readonly tenantId: string | null;
  /** Client id of a user-assigned managed identity, used instead of a password. */
  readonly managedIdentityClientId: string | null;
}

/** How the app signs in to Entra ID for Microsoft Graph (app-only, client credentials). */
export type GraphCredential =
  | { readonly kind: 'secret'; readonly secret: string }
  | {
      readonly kind: 'certificate';
      /** Absolute path of a PEM file holding the private key (and usually the certificate). */
      readonly path: string;
      /** Hex SHA-1 (40) or SHA-256 (64) thumbprint of the certificate, upper case, no colons. */
      readonly thumbprint: string;
    };

/**
 * Sending answers by email through Microsoft Graph. Optional: while `missing` is not
 * empty, answers are recorded on the record but not emailed.
 */
export interface MailConfig {
  /** Microsoft Graph's address; national clouds (and local stand-ins) use others. */
  readonly graphBaseUrl: string;
  /** Entra ID's sign-in host; national clouds use others. */
  readonly authorityHost: string;
  readonly tenantId: string | null;
  /** Client id of the app registration that holds the Mail.Send application permission. */
  readonly clientId: string | null;
  readonly credential: GraphCredential | null;
  /** Address of the desk's shared mailbox: answers are sent from it. */
  readonly mailbox: string | null;
  /** Email intake: a body longer than this (bytes of HTML or text) is cut, with a marker. */
  readonly bodyMaxBytes: number;
  /** Email intake: attachments up to this size are kept; larger ones are listed with the reason. */
  readonly attachmentMaxBytes: number;
  /** Settings still needed before email can be sent (`A | B`: either one); empty when it can. */
  readonly missing: readonly string[];
}

/** The mail settings, complete: what the Graph gateway is built from. */
export interface MailSettings {
  readonly graphBaseUrl: string;
  readonly authorityHost: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly credential: GraphCredential;
  readonly mailbox: string;
}

/**
 * Signing in to Madoguchi's own API. The add-in and the ledger tab get tokens for
 * Madoguchi's Entra app registration (the one of GRAPH_CLIENT_ID) by nested app
 * authentication; the API verifies them. Local mode also signs in the Playground's users.
 */
export interface SignInConfig {
  /** Application ID URI of the API (`api://<host>/<client id>`); null: derived from PUBLIC_BASE_URL. */
  readonly appIdUri: string | null;
}

export interface Config {
  readonly mode: Mode;
  readonly port: number;
  readonly host: string;
  /** Public https address of this app (Teams, Outlook and the web form link to it); null locally. */
  readonly publicBaseUrl: string | null;
  readonly logLevel: LogLevel;
  readonly database: {
    /** PostgreSQL connection URL; null means the SQLite file at `sqlitePath`. */
    readonly url: string | null;
    /** Absolute path of the SQLite file (or `:memory:`). */
    readonly sqlitePath: string;
  };
  readonly bot: BotConfig;
  /** Entra object ids of the people holding each role. */
  readonly roles: Readonly<Record<Role, readonly string[]>>;
  readonly mail: MailConfig;
  /** Signing in to Madoguchi's API (the Outlook add-in, the ledger tab). */
  readonly signIn: SignInConfig;
  /** The Teams app's id (the manifest's `id`): cards link to the ledger tab with it. */
  readonly teamsAppId: string | null;
  /**
   * The language the bot speaks to someone who has not chosen one (`日本語` / `English`);
   * null: the language of their Teams (Japanese unless it is English).
   */
  readonly botLanguage: 'ja' | 'en' | null;
  /** Port of the Microsoft 365 Agents Playground in local runs. */
  readonly playgroundPort: number;
  /**
   * When the summary of what is waiting is posted in the intake channel on working days
   * (Tokyo time); null: never.
   */
  readonly digestAt: TimeOfDay | null;
  /** Env files that were read, relative to the working directory (empty in production). */
  readonly envFiles: readonly string[];
}

/** Every setting the app reads, with what it means; README's table follows this list. */
export const SETTINGS = {
  MADOGUCHI_MODE:
    '`local` (default) or `production`; `NODE_ENV=production` also selects production',
  PORT: 'HTTP port',
  HOST: 'interface to listen on',
  DATABASE_URL: 'PostgreSQL URL; when unset the SQLite file is used',
  SQLITE_PATH: 'SQLite file (relative to the working directory)',
  LOG_LEVEL: LOG_LEVELS.join(', '),
  PUBLIC_BASE_URL: 'public https address of the app',
  BOT_ID: 'Microsoft App ID of the bot',
  BOT_PASSWORD: 'client secret of the bot (secret: env/.env.local.user or Key Vault)',
  BOT_TENANT_ID: 'Entra tenant id of the bot',
  BOT_MANAGED_IDENTITY_CLIENT_ID:
    'client id of a user-assigned managed identity, instead of BOT_PASSWORD',
  ROLE_FIRST_LINE: 'comma-separated Entra object ids of first-line staff',
  ROLE_SPECIALIST: 'comma-separated Entra object ids of second-line specialists',
  ROLE_SUPERVISOR: 'comma-separated Entra object ids of supervisors',
  PLAYGROUND_PORT: 'port of the Microsoft 365 Agents Playground (local runs)',
  BOT_LANGUAGE:
    "the bot's language for people who have not chosen one: teams (their Teams language, default), ja or en",
  DIGEST_AT:
    'when the summary of what is waiting is posted in the intake channel on working days (not weekends or national holidays), Tokyo time HH:MM, or off (default 09:00)',
  GRAPH_BASE_URL: 'Microsoft Graph address (national clouds use others)',
  ENTRA_AUTHORITY_HOST: 'Entra ID sign-in host (national clouds use others)',
  GRAPH_TENANT_ID: 'Entra tenant of the app that sends mail',
  GRAPH_CLIENT_ID: 'client id of the app that sends mail (Mail.Send)',
  GRAPH_CLIENT_SECRET: 'client secret of that app (secret: env/.env.local.user or Key Vault)',
  GRAPH_CLIENT_CERTIFICATE_PATH: 'PEM file with the private key of that app, instead of a secret',
  GRAPH_CLIENT_CERTIFICATE_THUMBPRINT: 'SHA-1 or SHA-256 thumbprint of that certificate',
  DESK_MAILBOX: "address of the desk's shared mailbox that answers are sent from",
  MAIL_BODY_MAX_BYTES:
    'email intake: bodies longer than this many bytes are cut, with a marker (default 1000000)',
  MAIL_ATTACHMENT_MAX_BYTES:
    'email intake: attachments up to this many bytes are kept, larger ones listed (default 10000000)',
  TEAMS_APP_ID: "the Teams app's id (its manifest id), for links from cards to the ledger tab",
  API_APP_ID_URI:
    'Application ID URI of the API the add-in and tab sign in to (default api://<PUBLIC_BASE_URL host>/<GRAPH_CLIENT_ID>)',
} as const;

export type SettingName = keyof typeof SETTINGS;

/** The bot authenticates with exactly one of these: a client secret or a managed identity. */
export const BOT_CREDENTIALS = 'BOT_PASSWORD | BOT_MANAGED_IDENTITY_CLIENT_ID';

/** The settings production cannot start without; `A | B` means either one. */
export const REQUIRED_IN_PRODUCTION = [
  'DATABASE_URL',
  'BOT_ID',
  'BOT_TENANT_ID',
  BOT_CREDENTIALS,
  'PUBLIC_BASE_URL',
  'ROLE_SUPERVISOR',
  // Madoguchi's app registration: the add-in and the ledger tab sign in to it.
  'GRAPH_TENANT_ID',
  'GRAPH_CLIENT_ID',
] as const;

/** The mail app authenticates with exactly one of these: a client secret or a certificate. */
export const GRAPH_CREDENTIALS = 'GRAPH_CLIENT_SECRET | GRAPH_CLIENT_CERTIFICATE_PATH';

/**
 * Settings that turn email on. Mail is optional; in production, once any of these is
 * set, every setting email needs must be set too.
 */
export const MAIL_SETTINGS = [
  'GRAPH_TENANT_ID',
  'GRAPH_CLIENT_ID',
  'GRAPH_CLIENT_SECRET',
  'GRAPH_CLIENT_CERTIFICATE_PATH',
  'GRAPH_CLIENT_CERTIFICATE_THUMBPRINT',
  'DESK_MAILBOX',
] as const satisfies readonly SettingName[];

/** The mail settings that only sending needs (sign-in needs the tenant and client ids too). */
const SENDING_SETTINGS = MAIL_SETTINGS.filter(
  (n) => n !== 'GRAPH_TENANT_ID' && n !== 'GRAPH_CLIENT_ID',
);

/** Settings that must never sit in a committed file. */
const SECRETS: readonly SettingName[] = ['BOT_PASSWORD', 'GRAPH_CLIENT_SECRET'];

export interface InvalidSetting {
  name: string;
  reason: Localized;
}

/** The configuration cannot be used: every missing and every invalid setting is named at once. */
export class ConfigError extends Error {
  constructor(
    readonly missing: string[],
    readonly invalid: InvalidSetting[] = [],
    readonly mode: Mode = 'local',
  ) {
    const parts = [
      missing.length ? `missing: ${missing.join(', ')}` : '',
      invalid.length
        ? `invalid: ${invalid.map((i) => `${i.name} (${i.reason.en})`).join(', ')}`
        : '',
    ].filter(Boolean);
    super(`Configuration is not usable; ${parts.join('; ')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  /** Directory that relative paths are resolved against (default: `process.cwd()`). */
  cwd?: string;
  /** Directory holding `.env.local` and `.env.local.user` (default: `<cwd>/env`). */
  envDir?: string;
}

const DEFAULTS = {
  PORT: 3978,
  HOST: { local: '127.0.0.1', production: '0.0.0.0' },
  SQLITE_PATH: './data/madoguchi.db',
  LOG_LEVEL: 'info',
  PLAYGROUND_PORT: 56150,
  DIGEST_AT: '09:00',
  GRAPH_BASE_URL: 'https://graph.microsoft.com',
  ENTRA_AUTHORITY_HOST: 'https://login.microsoftonline.com',
  MAIL_BODY_MAX_BYTES: 1_000_000,
  MAIL_ATTACHMENT_MAX_BYTES: 10_000_000,
} as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Local ids are looser: the Agents Playground's mock users do not have well-formed GUIDs. */
const LOCAL_ID = /^[\w.-]+$/;

const port = z.coerce.number().int().min(0).max(65535);

/** `HH:MM` (00:00–23:59) as a time of day; null for anything else. */
function parseTimeOfDay(value: string): TimeOfDay | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value.trim());
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : null;
}

/** A time of day, or `off` (null). */
const timeOfDay = z
  .string()
  .refine((v) => v.trim().toLowerCase() === 'off' || parseTimeOfDay(v) !== null)
  .transform((v) => (v.trim().toLowerCase() === 'off' ? null : parseTimeOfDay(v)));
/** A size in bytes: at least 1 KB, at most 100 MB (what one database row should hold). */
const byteSize = z.coerce.number().int().min(1_000).max(100_000_000);
const text = z.string().trim().min(1);
const guid = z.string().regex(GUID);
const hostName = z.string().regex(/^[\w.:-]+$/);
const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/\S+$/i)
  .refine((u) => URL.canParse(u));
const httpUrl = z
  .string()
  .url()
  .regex(/^https?:\/\//i)
  .transform((u) => u.replace(/\/+$/, ''));
const httpsUrl = httpUrl.refine((u) => /^https:\/\//i.test(u));
/** An Entra tenant: its GUID or one of its domain names (contoso.onmicrosoft.com). */
const tenant = z
  .string()
  .regex(
    /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9-]+(\.[a-z0-9-]+)+)$/i,
  );
const email = z.string().trim().email().max(254);
/** Certificate thumbprints are shown with colons or spaces in places; only the hex counts. */
const thumbprint = z
  .string()
  .transform((t) => t.replace(/[\s:]/g, '').toUpperCase())
  .refine((t) => /^([0-9A-F]{40}|[0-9A-F]{64})$/.test(t));

/**
 * Builds the configuration. Throws `ConfigError` naming every missing or invalid
 * setting; never returns a half-valid config.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  opts: LoadConfigOptions = {},
): Config {
  const cwd = opts.cwd ?? process.cwd();
  const envDir = opts.envDir ?? join(cwd, 'env');
  const invalid: InvalidSetting[] = [];

  const mode = readMode(env, invalid);
  const production = mode === 'production';

  // Files first, then the process environment over them; an empty value counts as unset.
  const merged: Record<string, string> = {};
  const envFiles: string[] = [];
  if (!production) {
    for (const [file, committed] of [
      ['.env.local', true],
      ['.env.local.user', false],
    ] as const) {
      const path = join(envDir, file);
      if (!existsSync(path)) continue;
      const shown = relative(cwd, path) || path;
      envFiles.push(shown);
      for (const [key, value] of Object.entries(parseDotenv(readFileSync(path)))) {
        if (value.trim() === '') continue;
        if (committed && SECRETS.includes(key as SettingName)) {
          invalid.push({
            name: key,
            reason: localize('config.reason.secret_in_committed_file', { file: shown }),
          });
          continue;
        }
        merged[key] = value;
      }
    }
  }
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') merged[key] = value;
  }

  const get = (name: SettingName): string | undefined => merged[name]?.trim() || undefined;

  /** One setting: absent gives the fallback; a value the schema refuses is named with `why`. */
  function field<T>(
    name: SettingName,
    schema: z.ZodType<T, z.ZodTypeDef, unknown>,
    why: Localized,
    fallback: T,
  ): T {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const result = schema.safeParse(raw);
    if (result.success) return result.data;
    invalid.push({ name, reason: why });
    return fallback;
  }

  /** A comma-separated list of ids; production insists on Entra object ids (GUIDs). */
  function idList(name: SettingName): string[] {
    const ids = (get(name) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = ids.filter((id) => !(production ? GUID : LOCAL_ID).test(id));
    if (bad.length) {
      invalid.push({
        name,
        reason: localize(production ? 'config.reason.guids' : 'config.reason.ids', {
          bad: bad.join(', '),
        }),
      });
    }
    return [...new Set(ids.map((id) => id.toLowerCase()))];
  }

  /** The mail settings; what is still missing is named rather than refused (mail is optional). */
  function readMail(): MailConfig {
    const urlSchema = production ? httpsUrl : httpUrl;
    const urlReason = localize(production ? 'config.reason.https_url' : 'config.reason.url');
    const secret = get('GRAPH_CLIENT_SECRET') ?? null;
    const certPath = field<string | null>(
      'GRAPH_CLIENT_CERTIFICATE_PATH',
      text.transform((p) => resolve(cwd, p)).refine(isFile),
      localize('config.reason.file'),
      null,
    );
    const certThumbprint = field<string | null>(
      'GRAPH_CLIENT_CERTIFICATE_THUMBPRINT',
      thumbprint,
      localize('config.reason.thumbprint'),
      null,
    );
    if (
      secret &&
      (get('GRAPH_CLIENT_CERTIFICATE_PATH') || get('GRAPH_CLIENT_CERTIFICATE_THUMBPRINT'))
    ) {
      invalid.push({
        name: GRAPH_CREDENTIALS,
        reason: localize('config.reason.both_graph_credentials'),
      });
    }
    const mail = {
      graphBaseUrl: field('GRAPH_BASE_URL', urlSchema, urlReason, DEFAULTS.GRAPH_BASE_URL),
      authorityHost: field(
        'ENTRA_AUTHORITY_HOST',
        urlSchema,
        urlReason,
        DEFAULTS.ENTRA_AUTHORITY_HOST,
      ),
      tenantId: field<string | null>(
        'GRAPH_TENANT_ID',
        production ? tenant : text,
        localize('config.reason.tenant'),
        null,
      ),
      clientId: field<string | null>('GRAPH_CLIENT_ID', idSchema, idReason, null),
      credential: secret
        ? ({ kind: 'secret', secret } as const)
        : certPath && certThumbprint
          ? ({ kind: 'certificate', path: certPath, thumbprint: certThumbprint } as const)
          : null,
      mailbox: field<string | null>('DESK_MAILBOX', email, localize('config.reason.email'), null),
      bodyMaxBytes: field(
        'MAIL_BODY_MAX_BYTES',
        byteSize,
        localize('config.reason.byte_size'),
        DEFAULTS.MAIL_BODY_MAX_BYTES,
      ),
      attachmentMaxBytes: field(
        'MAIL_ATTACHMENT_MAX_BYTES',
        byteSize,
        localize('config.reason.byte_size'),
        DEFAULTS.MAIL_ATTACHMENT_MAX_BYTES,
      ),
    };
    return { ...mail, missing: missingForMail(get) };
  }

  const portReason = localize('config.reason.port');
  const idReason = localize('config.reason.guid');
  const idSchema = production ? guid : text;

  const config = {
    mode,
    port: field('PORT', port, portReason, DEFAULTS.PORT),
    host: field('HOST', hostName, localize('config.reason.host'), DEFAULTS.HOST[mode]),
    publicBaseUrl: field<string | null>(
      'PUBLIC_BASE_URL',
      production ? httpsUrl : httpUrl,
      localize(production ? 'config.reason.https_url' : 'config.reason.url'),
      null,
    ),
    logLevel: field<LogLevel>(
      'LOG_LEVEL',
      z.enum(LOG_LEVELS),
      localize('config.reason.log_level', { levels: LOG_LEVELS.join(', ') }),
      DEFAULTS.LOG_LEVEL,
    ),
    database: {
      url: field<string | null>(
        'DATABASE_URL',
        postgresUrl,
        localize('config.reason.postgres_url'),
        null,
      ),
      sqlitePath: resolveSqlitePath(cwd, get('SQLITE_PATH') ?? DEFAULTS.SQLITE_PATH),
    },
    bot: {
      id: field<string | null>('BOT_ID', idSchema, idReason, null),
      password: get('BOT_PASSWORD') ?? null,
      tenantId: field<string | null>('BOT_TENANT_ID', idSchema, idReason, null),
      managedIdentityClientId: field<string | null>(
        'BOT_MANAGED_IDENTITY_CLIENT_ID',
        idSchema,
        idReason,
        null,
      ),
    },
    roles: {
      'first-line': idList('ROLE_FIRST_LINE'),
      specialist: idList('ROLE_SPECIALIST'),
      supervisor: idList('ROLE_SUPERVISOR'),
    },
    playgroundPort: field('PLAYGROUND_PORT', port, portReason, DEFAULTS.PLAYGROUND_PORT),
    botLanguage: field<'ja' | 'en' | null>(
      'BOT_LANGUAGE',
      z
        .string()
        .transform((v) => v.trim().toLowerCase())
        .pipe(z.enum(['teams', 'ja', 'en']))
        .transform((v) => (v === 'teams' ? null : v)),
      localize('config.reason.bot_language'),
      null,
    ),
    digestAt: field<TimeOfDay | null>(
      'DIGEST_AT',
      timeOfDay,
      localize('config.reason.time_of_day'),
      parseTimeOfDay(DEFAULTS.DIGEST_AT),
    ),
    mail: readMail(),
    teamsAppId: field<string | null>('TEAMS_APP_ID', guid, idReason, null),
    signIn: {
      appIdUri: field<string | null>(
        'API_APP_ID_URI',
        z.string().regex(/^api:\/\/\S+$/),
        localize('config.reason.app_id_uri'),
        null,
      ),
    },
    envFiles,
  } satisfies Config;

  if (config.bot.password && config.bot.managedIdentityClientId) {
    invalid.push({ name: BOT_CREDENTIALS, reason: localize('config.reason.both_credentials') });
  }

  const missing: string[] = production ? missingInProduction(get, config.roles.supervisor) : [];
  // Mail is optional, but half of it in production is a mistake worth stopping for. The
  // tenant and client ids do not count: production needs them for sign-in anyway.
  if (production && SENDING_SETTINGS.some((name) => get(name)))
    missing.push(...config.mail.missing);
  // Tokens carry the tenant's GUID: a domain name cannot be checked against them.
  if (production && config.mail.tenantId && !GUID.test(config.mail.tenantId)) {
    invalid.push({ name: 'GRAPH_TENANT_ID', reason: localize('config.reason.tenant_guid') });
  }
  if (missing.length || invalid.length) throw new ConfigError(missing, invalid, mode);
  return deepFreeze(config);
}

function readMode(env: NodeJS.ProcessEnv, invalid: InvalidSetting[]): Mode {
  const explicit = env.MADOGUCHI_MODE?.trim();
  if (explicit) {
    if (explicit === 'local' || explicit === 'production') return explicit;
    invalid.push({ name: 'MADOGUCHI_MODE', reason: localize('config.reason.mode') });
  }
  return env.NODE_ENV?.trim() === 'production' ? 'production' : 'local';
}

function missingInProduction(
  get: (name: SettingName) => string | undefined,
  supervisors: readonly string[],
): string[] {
  const present: Record<(typeof REQUIRED_IN_PRODUCTION)[number], boolean> = {
    DATABASE_URL: !!get('DATABASE_URL'),
    BOT_ID: !!get('BOT_ID'),
    BOT_TENANT_ID: !!get('BOT_TENANT_ID'),
    [BOT_CREDENTIALS]: !!get('BOT_PASSWORD') || !!get('BOT_MANAGED_IDENTITY_CLIENT_ID'),
    PUBLIC_BASE_URL: !!get('PUBLIC_BASE_URL'),
    // Someone must be able to see the ledger and export it.
    ROLE_SUPERVISOR: supervisors.length > 0,
    GRAPH_TENANT_ID: !!get('GRAPH_TENANT_ID'),
    GRAPH_CLIENT_ID: !!get('GRAPH_CLIENT_ID'),
  };
  return REQUIRED_IN_PRODUCTION.filter((name) => !present[name]);
}

/** What email still needs, given what is set; `A | B` means either one. */
function missingForMail(get: (name: SettingName) => string | undefined): string[] {
  const missing: string[] = [];
  if (!get('GRAPH_TENANT_ID')) missing.push('GRAPH_TENANT_ID');
  if (!get('GRAPH_CLIENT_ID')) missing.push('GRAPH_CLIENT_ID');
  if (!get('GRAPH_CLIENT_SECRET')) {
    const path = !!get('GRAPH_CLIENT_CERTIFICATE_PATH');
    const print = !!get('GRAPH_CLIENT_CERTIFICATE_THUMBPRINT');
    if (!path && !print) missing.push(GRAPH_CREDENTIALS);
    else if (!path) missing.push('GRAPH_CLIENT_CERTIFICATE_PATH');
    else if (!print) missing.push('GRAPH_CLIENT_CERTIFICATE_THUMBPRINT');
  }
  if (!get('DESK_MAILBOX')) missing.push('DESK_MAILBOX');
  return missing;
}

/**
 * The complete mail settings, or null while email is off (something is missing or not
 * valid): then answers are recorded but not emailed.
 */
export function mailSettings(config: Pick<Config, 'mail'>): MailSettings | null {
  const { graphBaseUrl, authorityHost, tenantId, clientId, credential, mailbox, missing } =
    config.mail;
  if (missing.length || !tenantId || !clientId || !credential || !mailbox) return null;
  return { graphBaseUrl, authorityHost, tenantId, clientId, credential, mailbox };
}

/** The settings a delegated read needs: the app registration, not the desk's mailbox. */
export type DelegatedSettings = Omit<MailSettings, 'mailbox'>;

/**
 * The app registration's settings when they are complete enough to read a person's mail
 * on their behalf (tenant, client id and a credential); null otherwise.
 */
export function delegatedSettings(config: Pick<Config, 'mail'>): DelegatedSettings | null {
  const { graphBaseUrl, authorityHost, tenantId, clientId, credential } = config.mail;
  if (!tenantId || !clientId || !credential) return null;
  return { graphBaseUrl, authorityHost, tenantId, clientId, credential };
}

/** Who may sign in to the API through Entra ID, or null when no app registration is set. */
export function entraSignIn(config: Pick<Config, 'mail' | 'signIn' | 'publicBaseUrl'>): {
  authorityHost: string;
  tenantId: string;
  clientId: string;
  audiences: string[];
  scope: string;
} | null {
  const { tenantId, clientId, authorityHost } = config.mail;
  if (!tenantId || !clientId) return null;
  const derived = config.publicBaseUrl
    ? `api://${new URL(config.publicBaseUrl).host}/${clientId}`
    : `api://${clientId}`;
  const appIdUri = config.signIn.appIdUri ?? derived;
  return {
    authorityHost,
    tenantId,
    clientId,
    audiences: [...new Set([clientId, appIdUri])],
    scope: `${appIdUri}/access_as_user`,
  };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false; // absent or unreadable: named as not valid, with its path
  }
}

function resolveSqlitePath(cwd: string, path: string): string {
  return path === ':memory:' ? path : resolve(cwd, path);
}

/** Freezes an object and everything inside it. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Where the database is, for people: the SQLite file, or PostgreSQL host, port and database (never credentials). */
export function describeDatabase(config: Pick<Config, 'database'>): string {
  const { url, sqlitePath } = config.database;
  if (!url) return `SQLite ${sqlitePath}`;
  const u = new URL(url);
  return `PostgreSQL ${u.hostname}:${u.port || '5432'}${u.pathname}`;
}

/**
 * Whether answers are emailed, for people: Graph's host when mail is on; otherwise that
 * answers are only recorded, and which settings mail still needs. Never an address.
 */
export function describeMail(config: Pick<Config, 'mail'>): string {
  if (mailSettings(config)) return `on (Microsoft Graph ${config.mail.graphBaseUrl})`;
  const needs = config.mail.missing.length ? config.mail.missing.join(', ') : 'valid settings';
  return `off: answers are recorded, not emailed / 回答は記録のみ、メール送信なし (needs ${needs})`;
}

/**
 * Whether the Outlook add-in can turn emails into records, for people: reading mail on
 * behalf of staff needs the app registration and its credential, not the desk's mailbox.
 */
export function describeEmailIntake(config: Pick<Config, 'mail'>): string {
  if (delegatedSettings(config)) {
    return 'on (emails read on behalf of staff / 職員の代理でメールを読み取り)';
  }
  const { tenantId, clientId, credential } = config.mail;
  const needs = [
    tenantId ? null : 'GRAPH_TENANT_ID',
    clientId ? null : 'GRAPH_CLIENT_ID',
    credential ? null : GRAPH_CREDENTIALS,
  ].filter(Boolean);
  return `off: the add-in cannot register emails / アドインからのメール登録は不可 (needs ${needs.join(', ')})`;
}

/** The text printed when the app refuses to start: Japanese first, then English. */
export function formatConfigError(err: ConfigError): string {
  const lines: string[] = [];
  for (const lang of ['ja', 'en'] as const) {
    lines.push(localize('config.cannot_start')[lang]);
    if (err.missing.length) {
      lines.push(`  ${localize('config.missing')[lang]}:`);
      for (const name of err.missing) {
        const either = name.includes('|') ? `  (${localize('config.either_one')[lang]})` : '';
        lines.push(`    - ${name}${either}`);
      }
    }
    if (err.invalid.length) {
      lines.push(`  ${localize('config.invalid')[lang]}:`);
      for (const { name, reason } of err.invalid) lines.push(`    - ${name}: ${reason[lang]}`);
    }
    lines.push(
      `  ${localize(err.mode === 'production' ? 'config.hint_production' : 'config.hint_local')[lang]}`,
    );
    lines.push('');
  }
  return lines.join('\n');
}
