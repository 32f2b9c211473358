import { createTeamsSurface } from '../../bot';
import { botAuthOptions } from '../../bot/adapter';
import { ConsultationService } from '../../src/consultation/consultation.service';
import { directoryFromRoles } from '../../src/consultation/directory';
import { createLogger } from '../../src/logger';
import { createServer, type App } from '../../src/server/app';
import { openStore, type Store } from '../../src/store/store';
import { testConfig } from '../support/config';
import { CATEGORY_IDS } from '../support/fixtures';

const activity = {
  type: 'message',
  id: 'a1',
  channelId: 'msteams',
  serviceUrl: 'https://smba.trafficmanager.net/jp/',
  from: { id: '29:x', aadObjectId: '00000000-0000-0000-0000-000000000001' },
  recipient: { id: '28:bot' },
  conversation: { id: 'a:1', conversationType: 'personal' },
  text: 'help',
};

describe('the bot endpoint with an app id (production settings)', () => {
  let store: Store;
  let app: App;
  let url: string;

  beforeAll(async () => {
    const config = testConfig({
      bot: {
        id: '11111111-2222-3333-4444-555555555555',
        password: 'not-a-real-secret',
        tenantId: '99999999-8888-7777-6666-555555555555',
      },
    });
    store = await openStore({ sqlitePath: ':memory:' });
    const directory = directoryFromRoles(config.roles);
    const logger = createLogger(config);
    const service = new ConsultationService({ store, directory, categoryIds: CATEGORY_IDS });
    const teams = createTeamsSurface({ config, store, service, directory, logger });
    app = createServer({ config, logger, store, surfaces: [teams.register] });
    url = (await app.listen()).url;
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  test.each([
    ['no token', undefined],
    ['a token that is not a JWT', 'Bearer nonsense'],
    [
      'an unsigned token',
      `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"aud":"11111111-2222-3333-4444-555555555555"}').toString('base64url')}.`,
    ],
  ])('refuses a request with %s, and the bot does nothing', async (_what, authorization) => {
    const res = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(activity),
    });
    expect(res.status).toBe(401);
    expect(await store.db.selectFrom('person').selectAll().execute()).toEqual([]);
  });
});

describe('botbuilder options from settings', () => {
  const base = { id: 'app', password: null, tenantId: 'tenant', managedIdentityClientId: null };
  test('local mode (no app id) leaves authentication to nobody', () => {
    expect(botAuthOptions({ ...base, id: null })).toEqual({});
  });
  test('a secret makes a single-tenant bot', () => {
    expect(botAuthOptions({ ...base, password: 's' })).toEqual({
      MicrosoftAppId: 'app',
      MicrosoftAppPassword: 's',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: 'tenant',
    });
  });
  test('a user-assigned managed identity replaces the secret', () => {
    expect(botAuthOptions({ ...base, managedIdentityClientId: 'mi' })).toEqual({
      MicrosoftAppId: 'mi',
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppTenantId: 'tenant',
    });
  });
});
