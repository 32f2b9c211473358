import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { parseCommand, type Command } from '../../bot/commands';
import {
  AppPackageError,
  buildAppPackage,
  checkIcon,
  fillPlaceholders,
  readEnvValues,
} from '../../scripts/app-package/build';
import { allIcons } from '../../scripts/app-package/icons';
import {
  validateLocalization,
  validateManifest,
  type TeamsManifest,
} from '../../scripts/app-package/manifest';
import { decodePng, encodePng, readPngHeader } from '../../scripts/app-package/png';

const ROOT = join(__dirname, '..', '..');
const APP_DIR = join(ROOT, 'appPackage');

const SAMPLE = {
  TEAMS_APP_ID: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
  BOT_ID: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  GRAPH_CLIENT_ID: '6ba7b810-9dad-41d1-80b4-00c04fd430c8',
  BOT_DOMAIN: 'madoguchi-dev.azurewebsites.net',
};

/** The committed manifest with the sample values filled in. */
function sampleManifest(): TeamsManifest {
  const text = readFileSync(join(APP_DIR, 'manifest.json'), 'utf8');
  return JSON.parse(fillPlaceholders(text, SAMPLE)) as TeamsManifest;
}

function localization(file: string): Record<string, string> {
  return JSON.parse(readFileSync(join(APP_DIR, file), 'utf8')) as Record<string, string>;
}

interface Bot {
  botId?: string;
  scopes: string[];
  supportsFiles: boolean;
  isNotificationOnly: boolean;
  commandLists: { scopes: string[]; commands: { title: string; description: string }[] }[];
}

/** Copies of appPackage/ leave out its git-ignored build output. */
const notBuild = (src: string): boolean => !src.startsWith(join(APP_DIR, 'build'));

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'madoguchi-app-package-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

describe('the manifest', () => {
  test('filled with sample ids, it validates against the bundled schema with no errors', () => {
    const manifest = sampleManifest();
    expect(manifest.$schema).toBe(
      'https://developer.microsoft.com/json-schemas/teams/v1.27/MicrosoftTeams.schema.json',
    );
    expect(validateManifest(manifest)).toEqual([]);
  });

  test('the English localization file validates against the Localization schema', () => {
    const manifest = sampleManifest();
    expect(manifest.localizationInfo).toEqual({
      defaultLanguageTag: 'ja-jp',
      additionalLanguages: [{ languageTag: 'en-us', file: 'en-us.json' }],
    });
    expect(validateLocalization(manifest, localization('en-us.json'))).toEqual([]);
  });

  test('the bot, its commands, the ledger tab, SSO and consent are declared', () => {
    const m = sampleManifest() as TeamsManifest & {
      bots: Bot[];
      staticTabs: { entityId: string; name: string; contentUrl: string; scopes: string[] }[];
      validDomains: string[];
      webApplicationInfo: { id: string; resource: string };
      authorization: { permissions: { resourceSpecific: { name: string; type: string }[] } };
    };
    const bot = m.bots[0]!;
    expect(bot.botId).toBe(SAMPLE.BOT_ID);
    expect(bot.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(bot.supportsFiles).toBe(false);
    expect(bot.isNotificationOnly).toBe(false);
    expect(bot.commandLists.map((l) => [l.scopes, l.commands.map((c) => c.title)])).toEqual([
      [['personal'], ['新規', '一覧', '状況', '検索', 'English', 'ヘルプ']],
      [['team'], ['受付チャンネルに設定']],
    ]);
    for (const list of bot.commandLists) {
      for (const command of list.commands) expect(command.description.length).toBeGreaterThan(0);
    }
    expect(m.staticTabs).toEqual([
      expect.objectContaining({
        entityId: 'ledger',
        name: '相談台帳',
        contentUrl: `https://${SAMPLE.BOT_DOMAIN}/ledger/`,
        websiteUrl: `https://${SAMPLE.BOT_DOMAIN}/ledger/`,
        scopes: ['personal', 'team'],
      }),
    ]);
    expect(m.validDomains).toEqual([SAMPLE.BOT_DOMAIN]);
    // The add-in and the tab sign in to Madoguchi's app registration, not to the bot's
    // managed identity (docs/sign-in.md).
    expect(m.webApplicationInfo).toEqual({
      id: SAMPLE.GRAPH_CLIENT_ID,
      resource: `api://${SAMPLE.BOT_DOMAIN}/${SAMPLE.GRAPH_CLIENT_ID}`,
    });
    expect(m.authorization.permissions.resourceSpecific).toContainEqual({
      name: 'ChannelMessage.Read.Group',
      type: 'Application',
    });
  });

  test('the Outlook extension opens the task pane from a mail-read ribbon button', () => {
    const ext = sampleManifest().extensions![0] as unknown as {
      requirements: { scopes: string[] };
      runtimes: { code: { page: string }; actions: { id: string; type: string }[] }[];
      ribbons: {
        contexts: string[];
        tabs: { groups: { controls: { label: string; actionId: string }[] }[] }[];
      }[];
    };
    expect(ext.requirements.scopes).toEqual(['mail']);
    expect(ext.runtimes[0]!.code.page).toBe(`https://${SAMPLE.BOT_DOMAIN}/addin/taskpane.html`);
    expect(ext.ribbons[0]!.contexts).toEqual(['mailRead']);
    const button = ext.ribbons[0]!.tabs[0]!.groups[0]!.controls[0]!;
    expect(button.label).toBe('相談として登録');
    expect(ext.runtimes[0]!.actions).toContainEqual({
      id: button.actionId,
      type: 'openPage',
      view: 'register',
      pinnable: false,
    });
  });

  test('every command title, in Japanese and in English, is one the bot understands', () => {
    const bot = (sampleManifest() as unknown as { bots: Bot[] }).bots[0]!;
    const en = localization('en-us.json');
    const expected: Command['kind'][][] = [
      ['new', 'mine', 'waiting', 'search', 'language', 'help'],
      ['set-intake'],
    ];
    bot.commandLists.forEach((list, l) =>
      list.commands.forEach((command, c) => {
        const enTitle = en[`bots[0].commandLists[${l}].commands[${c}].title`];
        expect(enTitle).toBeDefined();
        for (const title of [command.title, enTitle!]) {
          // Teams inserts the title; a search needs words after it.
          const kind = expected[l]![c]!;
          const typed = kind === 'search' ? `${title} ランサムウェア` : title;
          expect([title, parseCommand(typed).kind]).toEqual([title, kind]);
        }
      }),
    );
  });
});

describe('a broken manifest fails with the schema errors', () => {
  test('missing bots[0].botId', () => {
    const m = sampleManifest() as unknown as { bots: Bot[] };
    delete m.bots[0]!.botId;
    expect(validateManifest(m as unknown as TeamsManifest)).toContainEqual(
      expect.stringMatching(/^\/bots\/0 must have required property 'botId'/),
    );
  });

  test('an unknown property where the schema forbids additional properties', () => {
    const m = sampleManifest();
    m.consultationDesk = true;
    (m.bots as Record<string, unknown>[])[0]!.supportsChat = true;
    const problems = validateManifest(m);
    expect(problems).toContainEqual(
      '/ must NOT have additional properties {"additionalProperty":"consultationDesk"}',
    );
    expect(problems).toContainEqual(
      '/bots/0 must NOT have additional properties {"additionalProperty":"supportsChat"}',
    );
  });

  test('a manifestVersion other than the schema’s', () => {
    const m = sampleManifest();
    m.manifestVersion = '1.99';
    expect(validateManifest(m)).toContainEqual(
      '/manifestVersion must be equal to constant {"allowedValue":"1.27"}',
    );
  });

  test('an app version that is not MAJOR.MINOR.PATCH', () => {
    const m = sampleManifest();
    m.version = '1.0';
    expect(validateManifest(m)).toContainEqual(expect.stringMatching(/^\/version must be MAJOR/));
  });

  test('an id that is not a GUID, and a $schema that names no bundled schema', () => {
    const m = sampleManifest();
    m.id = 'madoguchi';
    expect(validateManifest(m)).toContainEqual(expect.stringMatching(/^\/id must match pattern/));
    m.$schema = 'https://example.com/schema.json';
    expect(validateManifest(m)).toEqual([expect.stringMatching(/^\/\$schema /)]);
  });

  test('a ribbon button whose action no runtime defines', () => {
    const m = sampleManifest() as unknown as {
      extensions: { ribbons: { tabs: { groups: { controls: { actionId: string }[] }[] }[] }[] }[];
    };
    m.extensions[0]!.ribbons[0]!.tabs[0]!.groups[0]!.controls[0]!.actionId = 'Nowhere';
    expect(validateManifest(m as unknown as TeamsManifest)).toContainEqual(
      expect.stringContaining('actionId names no runtime action: "Nowhere"'),
    );
  });

  test('a localization key the Localization schema does not know', () => {
    const problems = validateLocalization(sampleManifest(), {
      ...localization('en-us.json'),
      'bots[0].commandLists[0].commands[0].titel': 'new',
    });
    expect(problems).toContainEqual(
      '/ must NOT have additional properties {"additionalProperty":"bots[0].commandLists[0].commands[0].titel"}',
    );
  });
});

describe('placeholders', () => {
  test('every placeholder is filled, and a missing or malformed value is named', () => {
    const text = '{"id":"${{TEAMS_APP_ID}}","bot":"${{ BOT_ID }}","host":"${{BOT_DOMAIN}}"}';
    expect(JSON.parse(fillPlaceholders(text, SAMPLE))).toEqual({
      id: SAMPLE.TEAMS_APP_ID,
      bot: SAMPLE.BOT_ID,
      host: SAMPLE.BOT_DOMAIN,
    });
    let error: unknown;
    try {
      fillPlaceholders(text, {
        BOT_ID: '00000000-0000-0000-0000-000000000000',
        BOT_DOMAIN: 'https://madoguchi-dev.azurewebsites.net/',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppPackageError);
    const problems = (error as AppPackageError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^TEAMS_APP_ID has no value/);
    expect(problems[1]).toMatch(/^BOT_ID must be a GUID \(not all zeros\)/);
    expect(problems[2]).toMatch(/^BOT_DOMAIN must be a host name/);
  });

  test('env/.env.<env> gives the values, the environment wins, BOT_DOMAIN falls back to PUBLIC_BASE_URL', () => {
    writeFileSync(
      join(tmp, '.env.dev'),
      [
        `TEAMS_APP_ID=${SAMPLE.TEAMS_APP_ID}`,
        `GRAPH_CLIENT_ID=${SAMPLE.GRAPH_CLIENT_ID}`,
        'BOT_ID=00000000-0000-0000-0000-000000000000',
        'PUBLIC_BASE_URL=https://madoguchi-dev.azurewebsites.net',
        '',
      ].join('\n'),
    );
    writeFileSync(join(tmp, '.env.dev.user'), 'BOT_ID=11111111-1111-1111-1111-111111111111\n');
    const { values, sources } = readEnvValues(tmp, 'dev', { BOT_ID: SAMPLE.BOT_ID });
    expect(values).toMatchObject(SAMPLE);
    expect(sources.BOT_ID).toBe('environment');
    expect(sources.BOT_DOMAIN).toMatch(/^PUBLIC_BASE_URL/);
    expect(() => readEnvValues(tmp, 'dev.user')).toThrow(AppPackageError);
    expect(() => readEnvValues(tmp, 'staging')).toThrow(/\.env\.staging does not exist/);
  });
});

describe('the zip', () => {
  test('holds exactly the manifest, the icons and the localization file, all filled in', async () => {
    const built = await buildAppPackage({ env: 'dev', outDir: tmp, values: SAMPLE });
    expect(built.zipPath).toBe(join(tmp, 'appPackage.dev.zip'));

    const zip = await JSZip.loadAsync(readFileSync(built.zipPath));
    const names = Object.values(zip.files)
      .filter((f) => !f.dir)
      .map((f) => f.name)
      .sort();
    expect(names).toEqual(['color.png', 'en-us.json', 'manifest.json', 'outline.png']);

    const text = await zip.file('manifest.json')!.async('string');
    expect(text).not.toContain('${{');
    const manifest = JSON.parse(text) as TeamsManifest;
    expect(manifest.id).toBe(SAMPLE.TEAMS_APP_ID);
    expect(validateManifest(manifest)).toEqual([]);

    const color = readPngHeader(await zip.file('color.png')!.async('uint8array'));
    const outline = readPngHeader(await zip.file('outline.png')!.async('uint8array'));
    expect([color.width, color.height]).toEqual([192, 192]);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    expect(await zip.file('en-us.json')!.async('string')).toBe(
      readFileSync(join(APP_DIR, 'en-us.json'), 'utf8'),
    );
  });

  test('the same inputs give the same bytes', async () => {
    const a = await buildAppPackage({ env: 'a', outDir: tmp, values: SAMPLE });
    const b = await buildAppPackage({ env: 'b', outDir: tmp, values: SAMPLE });
    expect(readFileSync(a.zipPath).equals(readFileSync(b.zipPath))).toBe(true);
  });

  test('is not written when the manifest is invalid, and the error lists the schema errors', async () => {
    const appDir = join(tmp, 'appPackage');
    cpSync(APP_DIR, appDir, { recursive: true, filter: notBuild });
    const manifest = JSON.parse(readFileSync(join(appDir, 'manifest.json'), 'utf8')) as {
      bots: Bot[];
      [key: string]: unknown;
    };
    delete manifest.bots[0]!.botId;
    manifest.ledger = true;
    writeFileSync(join(appDir, 'manifest.json'), JSON.stringify(manifest));

    const outDir = join(tmp, 'out');
    const attempt = buildAppPackage({ env: 'dev', appDir, outDir, values: SAMPLE });
    await expect(attempt).rejects.toThrow(AppPackageError);
    await expect(attempt).rejects.toMatchObject({
      problems: expect.arrayContaining([
        'manifest.json /bots/0 must have required property \'botId\' {"missingProperty":"botId"}',
        'manifest.json / must NOT have additional properties {"additionalProperty":"ledger"}',
      ]),
    });
    expect(existsSync(join(outDir, 'appPackage.dev.zip'))).toBe(false);
  });

  test('an outline icon of the wrong size or colour is refused', async () => {
    const appDir = join(tmp, 'appPackage');
    cpSync(APP_DIR, appDir, { recursive: true, filter: notBuild });
    const blue = { width: 32, height: 32, data: new Uint8Array(32 * 32 * 4).fill(200) };
    writeFileSync(join(appDir, 'outline.png'), encodePng(blue));
    writeFileSync(join(appDir, 'color.png'), encodePng({ ...blue, width: 16, height: 64 }));
    await expect(
      buildAppPackage({ env: 'dev', appDir, outDir: tmp, values: SAMPLE }),
    ).rejects.toMatchObject({
      problems: [
        'color.png must be 192×192 px, is 16×64',
        'outline.png must be white on transparent; pixel (0, 0) is rgba(200, 200, 200, 200)',
      ],
    });
  });
});

describe('the icons', () => {
  test('the committed PNGs have the sizes Teams and Outlook ask for', () => {
    const sizes = Object.fromEntries(
      [
        'appPackage/color.png',
        'appPackage/outline.png',
        ...[16, 32, 80].map((s) => `addin/assets/icon-${s}.png`),
      ].map((file) => {
        const h = readPngHeader(readFileSync(join(ROOT, file)));
        return [file, `${h.width}×${h.height}`];
      }),
    );
    expect(sizes).toEqual({
      'appPackage/color.png': '192×192',
      'appPackage/outline.png': '32×32',
      'addin/assets/icon-16.png': '16×16',
      'addin/assets/icon-32.png': '32×32',
      'addin/assets/icon-80.png': '80×80',
    });
  });

  test('the outline icon is white on transparent and the colour icon is opaque', () => {
    expect(checkIcon(readFileSync(join(APP_DIR, 'outline.png')), 'outline.png', 'outline')).toEqual(
      [],
    );
    const outline = decodePng(readFileSync(join(APP_DIR, 'outline.png')));
    const alphas = new Set<number>();
    for (let i = 3; i < outline.data.length; i += 4) alphas.add(outline.data[i]!);
    expect(alphas.has(0)).toBe(true); // there is a transparent background
    expect(alphas.has(255)).toBe(true); // and a solid mark
    const color = decodePng(readFileSync(join(APP_DIR, 'color.png')));
    const colorAlphas = new Set<number>();
    for (let i = 3; i < color.data.length; i += 4) colorAlphas.add(color.data[i]!);
    expect([...colorAlphas]).toEqual([255]);
  });

  test('the committed PNGs show what the drawing code draws (run `npm run icons` after a change)', () => {
    for (const [file, image] of Object.entries(allIcons())) {
      const committed = decodePng(readFileSync(join(ROOT, file)));
      expect([file, Buffer.from(committed.data).equals(Buffer.from(image.data))]).toEqual([
        file,
        true,
      ]);
    }
  });

  test('encode and decode round-trip', () => {
    const data = new Uint8Array(5 * 3 * 4).map((_, i) => (i * 37) % 256);
    const png = encodePng({ width: 5, height: 3, data });
    expect(readPngHeader(png)).toEqual({ width: 5, height: 3, bitDepth: 8, colorType: 6 });
    expect(decodePng(png).data).toEqual(data);
    expect(() => readPngHeader(Buffer.from('GIF89a'))).toThrow(/not a PNG/);
  });
});
