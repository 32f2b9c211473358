import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { SETTINGS } from '../../src/config';

/**
 * The Azure files cannot be deployed here, so these tests hold them together with the
 * code: every setting the app reads is accounted for, the parameters match the template,
 * and every placeholder has somewhere to come from.
 */

const ROOT = join(__dirname, '..', '..');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

const bicep = read('infra/azure.bicep');
const parameters = JSON.parse(read('infra/azure.parameters.json')) as {
  parameters: Record<string, { value: string }>;
};

/** `param name type [= default]` declarations of the template. */
function bicepParams(): Map<string, { hasDefault: boolean }> {
  const params = new Map<string, { hasDefault: boolean }>();
  for (const m of bicep.matchAll(/^param (\w+) \w+( =)?/gm)) {
    params.set(m[1]!, { hasDefault: m[2] !== undefined });
  }
  return params;
}

/** The comment that names the settings the template leaves unset, with why. */
function notSetComment(): string {
  const start = bicep.indexOf('deliberately NOT set here');
  expect(start).toBeGreaterThan(0);
  return bicep.slice(start, bicep.indexOf('\n\n', start));
}

test('every setting the app reads is an app setting or named as deliberately unset', () => {
  const unset = notSetComment();
  const missing = Object.keys(SETTINGS).filter(
    (name) => !new RegExp(`^\\s+${name}: `, 'm').test(bicep) && !unset.includes(name),
  );
  expect(missing).toEqual([]);
});

test('secrets reach the app as Key Vault references, never as values', () => {
  expect(bicep).toMatch(/DATABASE_URL: '@Microsoft\.KeyVault\(/);
  expect(bicep).toMatch(/GRAPH_CLIENT_SECRET: '@Microsoft\.KeyVault\(/);
  expect(bicep).not.toMatch(/^\s+BOT_PASSWORD: /m);
  expect(bicep).toMatch(/enableRbacAuthorization: true/);
  expect(bicep).toMatch(/keyVaultReferenceIdentity: identity\.id/);
});

test('the bot is single-tenant through the user-assigned identity, with Teams enabled', () => {
  expect(bicep).toMatch(/msaAppType: 'UserAssignedMSI'/);
  expect(bicep).toMatch(/msaAppMSIResourceId: identity\.id/);
  expect(bicep).toMatch(/endpoint: '\$\{publicBaseUrl\}\/api\/messages'/);
  expect(bicep).toMatch(/channelName: 'MsTeamsChannel'/);
  expect(bicep).toMatch(/httpsOnly: true/);
  expect(bicep).toMatch(/name: 'azure\.extensions'[\s\S]*?value: 'pg_trgm'/);
});

test('the parameters file gives only declared parameters and every required one', () => {
  const declared = bicepParams();
  const given = Object.keys(parameters.parameters);
  expect(given.filter((name) => !declared.has(name))).toEqual([]);
  const required = [...declared].filter(([, p]) => !p.hasDefault).map(([name]) => name);
  expect(required.filter((name) => !given.includes(name))).toEqual([]);
});

test('every placeholder in the parameters file comes from env/.env.dev, a .user secret or the toolkit', () => {
  const env = parseDotenv(read('env/.env.dev'));
  const names = [...read('infra/azure.parameters.json').matchAll(/\$\{\{(\w+)\}\}/g)].map(
    (m) => m[1]!,
  );
  expect(names.length).toBeGreaterThan(0);
  const unknown = names.filter(
    (name) => !(name in env) && !name.startsWith('SECRET_') && name !== 'TEAMSFX_ENV',
  );
  expect(unknown).toEqual([]);
});

test('provisioning writes what the app package needs, then packages it', () => {
  for (const name of ['BOT_ID', 'BOT_DOMAIN', 'BOT_AZURE_APP_SERVICE_RESOURCE_ID']) {
    expect(bicep).toMatch(new RegExp(`^output ${name} string = `, 'm'));
  }
  const yml = read('m365agents.yml');
  expect(yml).toContain('teamsAppId: TEAMS_APP_ID');
  expect(yml).toContain('args: run package:app -- --env ${{TEAMSFX_ENV}}');
  const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
  expect(scripts['package:app']).toBeDefined();
  expect(scripts['start:prod']).toBeDefined();
  for (const m of yml.matchAll(/(?:path|parameters|ignoreFile): (\.\/\S+)/g)) {
    expect([m[1], existsSync(join(ROOT, m[1]!))]).toEqual([m[1], true]);
  }
});
