import { deepFreeze, type Config } from '../../src/config';

type Overrides = Partial<Omit<Config, 'database' | 'bot' | 'roles' | 'mail' | 'signIn'>> & {
  database?: Partial<Config['database']>;
  bot?: Partial<Config['bot']>;
  roles?: Partial<Config['roles']>;
  mail?: Partial<Config['mail']>;
  signIn?: Partial<Config['signIn']>;
};

/** Mail as an unconfigured local run has it: the default endpoints, nothing else. */
const MAIL_OFF: Config['mail'] = {
  graphBaseUrl: 'https://graph.microsoft.com',
  authorityHost: 'https://login.microsoftonline.com',
  tenantId: null,
  clientId: null,
  credential: null,
  mailbox: null,
  bodyMaxBytes: 1_000_000,
  attachmentMaxBytes: 10_000_000,
  missing: [
    'GRAPH_TENANT_ID',
    'GRAPH_CLIENT_ID',
    'GRAPH_CLIENT_SECRET | GRAPH_CLIENT_CERTIFICATE_PATH',
    'DESK_MAILBOX',
  ],
};

/**
 * A frozen local-mode Config for tests: any free port, in-memory SQLite, silent
 * logs, nobody in any role, mail off. Sections (`database`, `bot`, `roles`, `mail`)
 * merge field by field.
 */
export function testConfig(overrides: Overrides = {}): Config {
  const { database, bot, roles, mail, signIn, ...rest } = overrides;
  return deepFreeze({
    mode: 'local',
    port: 0,
    host: '127.0.0.1',
    publicBaseUrl: null,
    logLevel: 'silent',
    playgroundPort: 56150,
    botLanguage: null,
    digestAt: null,
    envFiles: [],
    teamsAppId: null,
    ...rest,
    database: { url: null, sqlitePath: ':memory:', ...database },
    bot: { id: null, password: null, tenantId: null, managedIdentityClientId: null, ...bot },
    roles: { 'first-line': [], specialist: [], supervisor: [], ...roles },
    mail: { ...MAIL_OFF, ...mail },
    signIn: { appIdUri: null, ...signIn },
  });
}
