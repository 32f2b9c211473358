import { createLogger } from '../../src/logger';
import { createServer, type App } from '../../src/server/app';
import { createSignIn, requireRole } from '../../src/server/auth';
import { directoryFromRoles } from '../../src/consultation/directory';
import { testConfig } from '../support/config';
import { callApi, localTokenFor } from '../support/auth';
import { startEntraStandIn, type EntraStandIn } from '../support/stand-ins/entra';

const TENANT = '3f0c6a52-6a3e-4f0e-9a8e-2b7d5c1e9f40';
const OTHER_TENANT = '0a1b2c3d-0000-4000-8000-000000000099';
const CLIENT = '8d1c2b3a-4e5f-4a6b-9c7d-0e1f2a3b4c5d';
const STAFF = 'aaaaaaaa-1111-4222-8333-444444444444';
const SUPERVISOR = 'bbbbbbbb-1111-4222-8333-444444444444';
const STRANGER = 'cccccccc-1111-4222-8333-444444444444';

let entra: EntraStandIn;
const apps: App[] = [];

beforeAll(async () => {
  entra = await startEntraStandIn();
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await entra.close();
});

async function start(mode: 'local' | 'production', authorityHost = entra.url) {
  const config = testConfig({
    mode,
    publicBaseUrl: 'https://madoguchi.example.jp',
    roles: { 'first-line': [STAFF, 'local-fl'], supervisor: [SUPERVISOR, 'local-sv'] },
    mail: { tenantId: TENANT, clientId: CLIENT, authorityHost },
  });
  const directory = directoryFromRoles(config.roles);
  const signIn = await createSignIn({ config, directory });
  const app = createServer({
    config,
    logger: createLogger(config),
    store: { ping: async () => undefined },
    surfaces: [
      signIn.register,
      (server) =>
        server.get('/api/test/supervisors', async (req, res) => {
          const user = await signIn.authenticate(req);
          requireRole(user, ['supervisor']);
          res.json(200, { ok: true, user: user.id });
        }),
    ],
  });
  apps.push(app);
  return (await app.listen()).url;
}

const valid = (over: Record<string, unknown> = {}) =>
  entra.accessToken({ oid: STAFF, name: 'Megan Bowen', tid: TENANT, aud: CLIENT, ...over });

describe('API sign-in with Entra ID tokens', () => {
  let base: string;
  beforeAll(async () => {
    base = await start('production');
  });

  it('accepts a valid token and says who it is, with the roles configuration gives', async () => {
    const res = await callApi(base, '/api/auth/me', await valid());
    expect(res).toEqual({
      status: 200,
      body: { id: STAFF, name: 'Megan Bowen', roles: ['first-line'] },
    });
  });

  it('accepts the Application ID URI as audience too', async () => {
    const token = await valid({ aud: `api://madoguchi.example.jp/${CLIENT}` });
    expect((await callApi(base, '/api/auth/me', token)).status).toBe(200);
  });

  const now = () => Math.floor(Date.now() / 1000);
  const cases: [string, () => Promise<string | null>, number, string][] = [
    ['no token', async () => null, 401, 'token_missing'],
    ['a token that is not a JWT', async () => 'not-a-jwt', 401, 'token_malformed'],
    ['the wrong audience', () => valid({ aud: 'api://someone-else' }), 401, 'token_audience'],
    [
      'the wrong issuer',
      () => valid({ iss: `https://sts.example.com/${TENANT}/v2.0` }),
      401,
      'token_issuer',
    ],
    [
      'another tenant',
      () => valid({ tid: OTHER_TENANT, iss: `${entra.url}/${OTHER_TENANT}/v2.0` }),
      401,
      'token_tenant',
    ],
    [
      'an expired token',
      () => valid({ exp: now() - 3600, iat: now() - 7200, nbf: now() - 7200 }),
      401,
      'token_expired',
    ],
    [
      'a bad signature',
      () => entra.accessToken({ oid: STAFF, tid: TENANT, aud: CLIENT }, { foreignKey: true }),
      401,
      'token_signature',
    ],
    [
      'alg: none',
      () => entra.accessToken({ oid: STAFF, tid: TENANT, aud: CLIENT }, { unsigned: true }),
      401,
      'token_algorithm',
    ],
  ];
  it.each(cases)(
    'refuses %s with its own code, in both languages',
    async (_what, make, status, code) => {
      const res = await callApi(base, '/api/auth/me', await make());
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.message.ja).toMatch(/[ぁ-んァ-ン一-龯]/);
      expect(res.body.error.message.en).toMatch(/[a-z]/);
    },
  );

  it('refuses a signed-in person without the role (403), and lets the role through', async () => {
    const staff = await callApi(base, '/api/test/supervisors', await valid());
    expect(staff.status).toBe(403);
    expect(staff.body.error.code).toBe('forbidden');
    expect(staff.body.error.message.ja).toContain('職員');
    const boss = await valid({ oid: SUPERVISOR });
    expect(await callApi(base, '/api/test/supervisors', boss)).toEqual({
      status: 200,
      body: { ok: true, user: SUPERVISOR },
    });
  });

  it('refuses someone holding no role at all, whatever their token', async () => {
    const res = await callApi(base, '/api/test/supervisors', await valid({ oid: STRANGER }));
    expect(res.status).toBe(403);
    expect(res.body.error.message.en).toMatch(/Only the desk/);
  });

  it('offers no local sign-in in production', async () => {
    const res = await callApi(base, '/api/auth/local/token', null, {
      body: { userId: 'local-sv' },
    });
    expect(res.status).toBe(404);
    const config = await callApi(base, '/api/auth/config', null);
    expect(config.body).toEqual({
      mode: 'production',
      local: false,
      entra: {
        clientId: CLIENT,
        tenantId: TENANT,
        authority: `${entra.url}/${TENANT}`,
        scope: `api://madoguchi.example.jp/${CLIENT}/access_as_user`,
      },
    });
  });
});

describe('API sign-in when Entra ID cannot be reached', () => {
  it('answers 503 (try again), not 401 (sign in again)', async () => {
    const base = await start('production', 'http://127.0.0.1:9');
    const token = await valid();
    const res = await callApi(base, '/api/auth/me', token);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('unavailable');
  });
});

describe('local sign-in (local mode only)', () => {
  let base: string;
  beforeAll(async () => {
    base = await start('local');
  });

  it('lists the people holding a role and signs one in', async () => {
    const users = await callApi(base, '/api/auth/local/users', null);
    expect(users.body.users).toEqual(
      expect.arrayContaining([{ id: 'local-sv', name: 'local-sv', roles: ['supervisor'] }]),
    );
    const token = await localTokenFor(base, 'local-sv');
    expect(await callApi(base, '/api/test/supervisors', token)).toEqual({
      status: 200,
      body: { ok: true, user: 'local-sv' },
    });
    expect(
      (await callApi(base, '/api/test/supervisors', await localTokenFor(base, 'local-fl'))).status,
    ).toBe(403);
  });

  it('signs in nobody without a role', async () => {
    const res = await callApi(base, '/api/auth/local/token', null, {
      body: { userId: 'intruder' },
    });
    expect(res.status).toBe(404);
  });

  it('still accepts Entra tokens when an app registration is configured', async () => {
    expect((await callApi(base, '/api/auth/me', await valid())).status).toBe(200);
  });

  it('refuses a local token signed by another process', async () => {
    const other = await start('local');
    const foreign = await localTokenFor(other, 'local-sv');
    const res = await callApi(base, '/api/auth/me', foreign);
    expect(res.body.error.code).toBe('token_signature');
  });
});
