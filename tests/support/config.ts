import { deepFreeze, type Config } from '../../src/config';

type Overrides = Partial<Omit<Config, 'database' | 'bot' | 'roles'>> & {
  database?: Partial<Config['database']>;
  bot?: Partial<Config['bot']>;
  roles?: Partial<Config['roles']>;
};

/**
 * A frozen local-mode Config for tests: any free port, in-memory SQLite, silent
 * logs, nobody in any role. Sections (`database`, `bot`, `roles`) merge field by field.
 */
export function testConfig(overrides: Overrides = {}): Config {
  const { database, bot, roles, ...rest } = overrides;
  return deepFreeze({
    mode: 'local',
    port: 0,
    host: '127.0.0.1',
    publicBaseUrl: null,
    logLevel: 'silent',
    playgroundPort: 56150,
    envFiles: [],
    ...rest,
    database: { url: null, sqlitePath: ':memory:', ...database },
    bot: { id: null, password: null, tenantId: null, managedIdentityClientId: null, ...bot },
    roles: { 'first-line': [], specialist: [], supervisor: [], ...roles },
  });
}
